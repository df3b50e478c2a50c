// Unsafe twin of ipv4_precedence_budget.c: the class is taken as the top
// 4 bits of the ToS byte (0..15) instead of the top 3, and indexes a
// table of 8 budgets.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int precedence_nibble_index(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
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

  __u8 budget[8] = {4, 4, 3, 3, 2, 2, 0, 0};
  __u8 class = ip->tos >> 4;
  if (budget[class] == 0) // expected-error {{index out of bounds: 'budget[class]' (8 elements)}}
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
