// UNSAFE: the nested-loop payload search of payload_pattern_search.c
// (drop UDP datagrams with four zero bytes in a row in their first 64
// payload bytes), but the inner loop's bound check compares the byte's
// own address with the packet end, `b > data_end`, instead of the address
// after it: when b is exactly data_end the check passes and the read is
// one byte past the packet. Expected: packet access out of bounds at the
// read (the fix checks `b + 1 > data_end`).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define SCAN_BYTES 64
#define PATTERN_LEN 4
#define POSITIONS 61 // start positions: SCAN_BYTES - PATTERN_LEN + 1

SEC("xdp")
int pattern_search_overread(struct xdp_md *ctx)
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
  if (payload > data_end)
    return XDP_PASS;
  unsigned int pos, k;

  /*@ Inv 0 <= pos && pos <= POSITIONS && data <= payload &&
          payload <= data_end */
  for (pos = 0; pos < POSITIONS; pos++) {
    /*@ Inv 0 <= pos && pos < POSITIONS && 0 <= k && k <= PATTERN_LEN &&
            data <= payload && payload <= data_end */
    for (k = 0; k < PATTERN_LEN; k++) {
      unsigned char *b = payload + pos + k;
      if (b > data_end)
        return XDP_PASS;
      if (*b != 0) // expected-error {{packet access out of bounds}}
        break;
    }
    if (k == PATTERN_LEN)
      return XDP_DROP;
  }
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
