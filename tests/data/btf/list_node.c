// A map value that points to its own type, as a list node does: clang's BTF
// describes the pointee in full (the node's STRUCT), not as a FWD; vepcc's
// must too (tests/KernelTest.cpp, BtfOfTestInputsMatchesClang).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct node {
  __u64 packets;
  struct node *next;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, struct node);
} nodes SEC(".maps");

SEC("xdp")
int list_node(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS */
{
  __u32 key = 0;
  struct node *n = bpf_map_lookup_elem(&nodes, &key);
  if (n)
    n->packets += 1;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
