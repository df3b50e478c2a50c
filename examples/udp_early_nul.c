// Drops IPv4 UDP datagrams with a NUL byte among the first 4 of their first
// 16 payload bytes (a text protocol's command never starts that way); passes
// everything else, including shorter payloads. The scan stops at the first
// NUL and remembers where: `pos` is assigned only there, and read only when
// `found` says it was. It is live at the loop head without a value on
// entry, so the compiler gives its register the value 0 before the loop
// (the cut point binds it as a number; docs/compiler.md, "Loops").
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define SCAN_BYTES 16

SEC("xdp")
int udp_early_nul(struct xdp_md *ctx)
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
  if (ip->ihl < 5)
    return XDP_DROP;
  struct udphdr *udp = (void *)ip + ip->ihl * 4;
  unsigned char *payload = (void *)(udp + 1);
  if (payload + SCAN_BYTES > data_end)
    return XDP_PASS;
  unsigned int found = 0;
  unsigned int pos;

  /*@ Inv i <= SCAN_BYTES && found == 0 &&
          data <= payload && payload + SCAN_BYTES <= data_end */
  for (unsigned int i = 0; i < SCAN_BYTES; i++) {
    if (payload[i] == 0) {
      pos = i;
      found = 1;
      break;
    }
  }
  if (!found)
    return XDP_PASS;
  if (pos < 4)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
