// Classifies frames with switch statements, as eBPF parsers are usually
// written: on the EtherType (IPv4, IPv6, anything else), then on the
// transport protocol (TCP and UDP together, ICMP and ICMPv6 by their
// type). It drops ICMP echo requests, TCP and UDP to port 0 and truncated
// IP headers, and passes the rest. Each case ends in break or return, one
// also breaks early; VEP-C lowers the switch to a chain of ifs
// (docs/vep-c.md, "switch statements"), so in the default the protocol is
// known to be none of the cases.
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* ICMP and ICMPv6 echo request types (linux/icmp.h pulls in libc
   headers). */
#define ICMP_ECHO 8
#define ICMPV6_ECHO_REQUEST 128

SEC("xdp")
int xdp_switch_l4(struct xdp_md *ctx)
/*@ Ensure __return == XDP_DROP || __return == XDP_PASS */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end)
    return XDP_DROP;

  void *l4;
  __u8 proto;
  switch (eth->h_proto) {
  case bpf_htons(ETH_P_IP): {
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > data_end)
      return XDP_DROP;
    __u8 ihl = ip->ihl;
    if (ihl < 5)
      return XDP_DROP;
    l4 = (void *)ip + ihl * 4;
    proto = ip->protocol;
    break;
  }
  case bpf_htons(ETH_P_IPV6): {
    struct ipv6hdr *ip6 = (void *)(eth + 1);
    if ((void *)(ip6 + 1) > data_end)
      return XDP_DROP;
    l4 = ip6 + 1;
    proto = ip6->nexthdr;
    break;
  }
  default:
    return XDP_PASS;
  }

  __u16 port = 1;
  switch (proto) {
  case IPPROTO_TCP:
  case IPPROTO_UDP:
    /* The destination port is at offset 2 in both headers; a frame cut
       before it is left to the stack. */
    if (l4 + 4 > data_end)
      break;
    port = *(__u16 *)(l4 + 2);
    break;
  case IPPROTO_ICMP:
  case IPPROTO_ICMPV6: {
    if (l4 + 1 > data_end)
      return XDP_DROP;
    __u8 type = *(__u8 *)l4;
    switch (type) {
    case ICMP_ECHO:
    case ICMPV6_ECHO_REQUEST:
      return XDP_DROP;
    default:
      break;
    }
    break;
  }
  default:
    /*@ Assert proto != 6 && proto != 17 && proto != 1 && proto != 58 */
    break;
  }
  return port == 0 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
