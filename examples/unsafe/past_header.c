// UNSAFE: checks that the Ethernet header fits, then reads the IPv4
// protocol field, which lies past the checked header.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int past_header(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = (void *)(eth + 1);

  if ((void *)(eth + 1) > data_end)
    return XDP_PASS;
  if (ip->protocol == IPPROTO_UDP) // expected-error {{packet access out of bounds}}
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
