// Drops IPv4 TCP segments without any flag set (a "null scan") and TCP or
// UDP traffic to port 0, sharing the port check through a switch case that
// falls through, as parsers often do: TCP first checks its flags, then
// falls into the UDP case, which reads the destination port both headers
// keep at the same offset. VEP-C gives the TCP case a copy of the UDP
// case's statements (docs/vep-c.md, "switch statements"), so each path
// knows which protocol it parses.
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int tcp_udp_port_fallthrough(struct xdp_md *ctx)
/*@ Ensure __return == XDP_DROP || __return == XDP_PASS */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  void *l4 = ip + 1; /* options are not looked at */

  switch (ip->protocol) {
  case IPPROTO_TCP: {
    struct tcphdr *tcp = l4;
    if ((void *)(tcp + 1) > data_end)
      return XDP_DROP;
    __u8 flags = ((__u8 *)tcp)[13];
    if (flags == 0)
      return XDP_DROP;
  }
    /* fall through: the destination port is at the same offset */
  case IPPROTO_UDP: {
    struct udphdr *udp = l4;
    if ((void *)(udp + 1) > data_end)
      return XDP_DROP;
    if (udp->dest == 0)
      return XDP_DROP;
    break;
  }
  default:
    break;
  }
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
