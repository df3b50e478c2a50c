// Drops IPv6 packets whose first extension header is a fragment header or a
// hop-by-hop options header (both common vehicles for evasion and
// slow-path attacks on routers), passes everything else, including IPv6
// packets too short to hold the 40-byte fixed header (the stack rejects
// those itself). Safe: the one bound check covers the Ethernet header and
// the whole fixed IPv6 header before nexthdr (byte 20) is read.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in6.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int ipv6_fragments(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct ipv6hdr *ip6 = data + sizeof(struct ethhdr);

  if ((void *)(ip6 + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IPV6))
    return XDP_PASS;
  if (ip6->nexthdr == IPPROTO_FRAGMENT || ip6->nexthdr == IPPROTO_HOPOPTS)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
