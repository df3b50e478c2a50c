// Drops IPv4 UDP datagrams whose first 64 payload bytes contain a run of
// four zero bytes (the 4-byte pattern 00 00 00 00, which padding floods and
// some amplification payloads carry), passes everything else. A naive
// search with nested loops: the outer loop tries each start position, the
// inner loop compares the pattern's bytes there; every byte read is
// checked against the packet end first (a payload ending before a match
// passes). Both variants are inferred: 61 - pos and 4 - k. The inner
// loop leaves pos alone, so the outer variant stays put while it runs and
// the checker carries it through the inner loop head as a ghost.
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
#define PATTERN_BYTE 0

SEC("xdp")
int payload_pattern_search(struct xdp_md *ctx)
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
      if (b + 1 > data_end)
        return XDP_PASS;
      if (*b != PATTERN_BYTE)
        break;
    }
    if (k == PATTERN_LEN)
      return XDP_DROP;
  }
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
