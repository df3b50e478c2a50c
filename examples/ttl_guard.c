// Drops IPv4 packets whose TTL and IPv6 packets whose hop limit is 0 or 1
// (they cannot be forwarded any further, and floods of them are used to
// make routers generate ICMP time-exceeded messages), passes everything
// else. Safe: each family's bound check covers its whole fixed header
// (20 bytes for IPv4, 40 for IPv6) behind the Ethernet header before the
// TTL (byte 22) or hop limit (byte 21) is read.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int ttl_guard(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;

  if ((void *)(eth + 1) > data_end)
    return XDP_PASS;
  __be16 proto = eth->h_proto;
  if (proto == bpf_htons(ETH_P_IP)) {
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > data_end)
      return XDP_PASS;
    if (ip->ttl <= 1)
      return XDP_DROP;
  } else if (proto == bpf_htons(ETH_P_IPV6)) {
    struct ipv6hdr *ip6 = (void *)(eth + 1);
    if ((void *)(ip6 + 1) > data_end)
      return XDP_PASS;
    if (ip6->hop_limit <= 1)
      return XDP_DROP;
  }
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
