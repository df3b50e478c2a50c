// UNSAFE: reads the EtherType without checking that the packet holds an
// Ethernet header. Expected: packet access out of bounds at the h_proto read.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int missing_bound(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  struct ethhdr *eth = data;

  if (eth->h_proto == bpf_htons(ETH_P_IP)) // expected-error {{packet access out of bounds}}
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
