#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct wide { __u64 a, b; };

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, struct wide);
  __type(value, __u64);
} wides SEC(".maps");

SEC("xdp")
int variable_index(struct xdp_md *ctx)
{
  __u32 a[4] = {};
  return a[ctx->ingress_ifindex & 3];
}

SEC("xdp")
int index_out_of_bounds(struct xdp_md *ctx)
{
  __u32 a[4] = {};
  return a[4];
}

SEC("xdp")
int wide_key(struct xdp_md *ctx)
{
  struct wide w = {};
  return bpf_map_lookup_elem(&wides, &w) != 0;
}

SEC("raw_tp/f")
int written_array(struct bpf_raw_tracepoint_args *ctx)
{
  char comm[8];
  bpf_get_current_comm(&comm, sizeof comm);
  return comm[0];
}

SEC("xdp")
int whole_array(struct xdp_md *ctx)
{
  __u32 a[2] = {};
  __u32 *p = a;
  return *p;
}
