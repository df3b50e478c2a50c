// Drops IPv4 UDP datagrams whose first 32 payload bytes are mostly zero
// (24 or more zero bytes: the padding floods of some amplification and
// "empty" UDP floods), passes everything else, including shorter payloads.
// A bounded loop over packet bytes: 32 iterations at most, each reading one
// byte. Safe: the UDP header is found at the IPv4 header's real length
// (IHL x 4, at least 20) and checked whole; before the loop, the 32
// payload bytes are checked against the packet end once, and the
// invariant carries that bound (and the payload pointer) to every
// iteration, so `payload[i]` with i < 32 is in bounds. The loop ends: i
// counts up to 32 (the inferred variant 32 - i).
//
// kernel-verifier: rejects clang's build of this file (and vepcc's): the
// Linux verifier walks the loop path by path, each byte doubles the paths
// (zero or not), and the zero counts make their states differ, so it gives
// up after a million instructions ("BPF program is too large"). VEP proves
// the loop once, by its invariant; the kernel test cannot compare builds.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define SCAN_BYTES 32
#define ZERO_LIMIT 24

SEC("xdp")
int udp_zero_payload(struct xdp_md *ctx)
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
  unsigned int zeros = 0;

  /*@ Inv 0 <= i && i <= SCAN_BYTES && zeros <= i &&
          data <= payload && payload + SCAN_BYTES <= data_end */
  for (unsigned int i = 0; i < SCAN_BYTES; i++)
    if (payload[i] == 0)
      zeros++;
  if (zeros >= ZERO_LIMIT)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
