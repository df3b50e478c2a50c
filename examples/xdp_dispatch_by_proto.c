// Dispatches IPv4 packets to a per-protocol XDP program with bpf_tail_call:
// slot p of the program array holds the program for IP protocol p (user
// space installs them). A tail call that succeeds does not return; when
// the slot is empty the call returns and the packet passes. Non-IPv4
// frames pass; frames too short for their headers are dropped.
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(max_entries, 256);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, sizeof(__u32));
} proto_programs SEC(".maps");

SEC("xdp")
int xdp_dispatch_by_proto(struct xdp_md *ctx)
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
  bpf_tail_call(ctx, &proto_programs, ip->protocol);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
