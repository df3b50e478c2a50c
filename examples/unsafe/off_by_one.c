// UNSAFE: the bound check admits a 13-byte packet, one byte short of the
// Ethernet header whose last two bytes (h_proto) are then read.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int off_by_one(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;

  if (data + 13 > data_end)
    return XDP_PASS;
  if (eth->h_proto == bpf_htons(ETH_P_IP)) // expected-error {{packet access out of bounds}}
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
