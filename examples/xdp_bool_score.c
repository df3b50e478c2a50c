// Scores IPv4 frames by three yes/no properties kept in _Bool variables (a
// fragment, IP options, a TTL that ends here) and takes the verdict for
// the score from a table in `.data`, which user space may rewrite: by
// default only a frame with all three is dropped. A conversion to _Bool
// gives 0 or 1 (`!= 0`, not a truncation), so the score indexes the
// 4-entry table in bounds; examples/unsafe/score_without_bool.c keeps the
// fragment bits in a __u8 instead and overruns it. Frames too short for
// their headers are dropped; other frames pass.
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
int xdp_bool_score(struct xdp_md *ctx)
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

  bool fragment = ip->frag_off & bpf_htons(IP_MF | IP_OFFSET);
  bool options = ip->ihl > 5;
  bool last_hop = ip->ttl <= 1;
  __u32 score = fragment + options + last_hop;
  /*@ Assert score <= 3 */
  return verdict_by_score[score];
}

char LICENSE[] SEC("license") = "GPL";
