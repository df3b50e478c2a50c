// xdp_bool_score with the fragment bits kept in a __u8 instead of a
// _Bool: the conversion truncates (to up to 63: 0x20 for a frame with more
// fragments) instead of giving 1, and the score indexes past the 4-entry
// table.
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define IP_MF 0x2000
#define IP_OFFSET 0x1fff

__u32 verdict_by_score[4] = {XDP_PASS, XDP_PASS, XDP_PASS, XDP_DROP};

SEC("xdp")
int score_without_bool(struct xdp_md *ctx)
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

  __u8 fragment = ip->frag_off & bpf_htons(IP_MF | IP_OFFSET);
  bool options = ip->ihl > 5;
  bool last_hop = ip->ttl <= 1;
  __u32 score = fragment + options + last_hop;
  return verdict_by_score[score]; // expected-error {{global variable access out of bounds}}
}

char LICENSE[] SEC("license") = "GPL";
