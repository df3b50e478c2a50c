// UNSAFE: looks a slot of a program array up with bpf_map_lookup_elem, as
// if it held data. A program array holds programs for bpf_tail_call; the
// kernel lets no program read its slots ("cannot pass map_type 3 into
// func bpf_map_lookup_elem").
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(max_entries, 4);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, sizeof(__u32));
} stages SEC(".maps");

SEC("xdp")
int lookup_in_prog_array(struct xdp_md *ctx)
{
  __u32 slot = 0;
  __u32 *prog = bpf_map_lookup_elem(&stages, &slot); // expected-error {{wrong map type}}
  if (prog && *prog)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
