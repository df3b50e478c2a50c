// Drops IPv4 UDP datagrams whose first 48 payload bytes
// fail a parity check over groups: a group starts at byte i and is 4
// bytes long after a byte with its top bit set, 2 bytes long otherwise;
// the XOR of each group's first 4 bytes must be at least 16. Everything else
// passes.
//
// Both branches of the `if` step the outer loop's i, by different
// amounts, before the inner loop: every path has taken at least 2 off the
// outer variant 52 - i at the inner head, and vepcc's ghost there is
// 52 - i + 2 (docs/compiler.md, "Nested loops"). The group length 4 is
// a constant variable, `i = i + wide`, which counts as the step 4.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define PAYLOAD 42 /* Ethernet, IPv4 (options are read as payload), UDP */
#define SCAN 48

SEC("xdp")
int udp_stride_parity(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = (void *)data;
  struct iphdr *ip = (void *)(data + sizeof(struct ethhdr));

  if ((void *)(ip + 1) > (void *)data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
    return XDP_PASS;
  unsigned char *payload = data + PAYLOAD;
  unsigned int wide = 4;
  unsigned int i = 0;

  /*@ Inv i <= SCAN + 4 Variant SCAN + 4 - i */
  while (i < SCAN) {
    unsigned char *group = payload + i;
    if (group + 4 > data_end)
      return XDP_PASS;
    unsigned char parity = 0;
    if (group[0] & 0x80)
      i = i + wide;
    else
      i += 2;
    /*@ Inv k <= 4 && i <= SCAN + 4 && group + 4 <= data_end && data <= group
          Variant 4 - k */
    for (unsigned int k = 0; k < 4; k++)
      parity ^= group[k];
    if (parity < 16)
      return XDP_DROP;
  }
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
