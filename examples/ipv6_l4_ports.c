// Drops IPv6 TCP segments to port 23 (telnet) and IPv6 UDP datagrams to
// port 11211 (memcached, a UDP amplification vector), passes everything
// else. Only the upper-layer header directly behind the 40-byte fixed IPv6
// header is looked at (packets with extension headers pass). Safe: the
// Ethernet and fixed IPv6 headers are checked as a whole before nexthdr
// (byte 20) is read, and the transport header is checked against the
// packet end before its destination port is read: 4 bytes for UDP and
// TCP alike, since the ports are the first four bytes of both.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define TELNET_PORT 23
#define MEMCACHED_PORT 11211

SEC("xdp")
int ipv6_l4_ports(struct xdp_md *ctx)
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
  void *l4 = (void *)(ip6 + 1);
  if (l4 + 4 > data_end)
    return XDP_PASS;
  if (ip6->nexthdr == IPPROTO_TCP) {
    struct tcphdr *tcp = l4;
    if (tcp->dest == bpf_htons(TELNET_PORT))
      return XDP_DROP;
  } else if (ip6->nexthdr == IPPROTO_UDP) {
    struct udphdr *udp = l4;
    if (udp->dest == bpf_htons(MEMCACHED_PORT))
      return XDP_DROP;
  }
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
