// Drops ICMPv6 echo requests (type 128: stops this host answering IPv6
// pings) and ICMPv6 messages with an unknown non-zero code for an echo
// type, passes echo replies (129), neighbour discovery (133..137, which
// IPv6 cannot work without) and everything else. Only an ICMPv6 header
// directly behind the fixed IPv6 header is recognised. Safe: one bound
// check covers the Ethernet header, the 40-byte fixed IPv6 header and the
// ICMPv6 type and code bytes before any of them is read.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

// From <linux/icmpv6.h>, which pulls in headers a BPF build cannot use.
#define ICMPV6_ECHO_REQUEST 128
#define ICMPV6_ECHO_REPLY 129

SEC("xdp")
int icmpv6_echo_filter(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct ipv6hdr *ip6 = data + sizeof(struct ethhdr);
  unsigned char *icmp6 = (void *)(ip6 + 1);

  if (icmp6 + 2 > (unsigned char *)data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IPV6) || ip6->nexthdr != IPPROTO_ICMPV6)
    return XDP_PASS;
  unsigned char type = icmp6[0];
  unsigned char code = icmp6[1];
  if (type == ICMPV6_ECHO_REQUEST)
    return XDP_DROP;
  if (type == ICMPV6_ECHO_REPLY && code != 0)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
