// xdp_switch_l4's transport switch with the TCP case's bound forgotten:
// the UDP case checks its 4 bytes, the TCP case, written above it, reads
// the port without a check. VEP-C reports the read in the TCP case only.
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int switch_port_overread(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end)
    return XDP_DROP;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > data_end)
    return XDP_DROP;
  void *l4 = ip + 1;

  __u16 port = 1;
  switch (ip->protocol) {
  case IPPROTO_TCP:
    port = *(__u16 *)(l4 + 2); // expected-error {{packet access out of bounds}}
    break;
  case IPPROTO_UDP:
    if (l4 + 4 > data_end)
      return XDP_DROP;
    port = *(__u16 *)(l4 + 2);
    break;
  }
  return port == 0 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
