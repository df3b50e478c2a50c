// Unsafe twin of tcp_udp_port_fallthrough.c: the TCP case checks only the
// 8 bytes the UDP case needs before reading the TCP flags at offset 13.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int tcp_flags_short_bound(struct xdp_md *ctx)
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
    if (l4 + sizeof(struct udphdr) > data_end)
      return XDP_DROP;
    __u8 flags = ((__u8 *)tcp)[13]; // expected-error {{packet access out of bounds}}
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
