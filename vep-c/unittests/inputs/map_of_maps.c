// Maps of maps: each function that verifies is followed by its failing
// twins (VerifierTest.cpp, VerifierMapOfMaps).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct table {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, __u64);
} first SEC(".maps"), second SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
  __uint(max_entries, 8);
  __type(key, __u32);
  __array(values, struct table);
} tables SEC(".maps") = {.values = {&first, &second}};

SEC("xdp") int count_ok(struct xdp_md *ctx) {
  __u32 k = 1, slot = 3;
  __u64 one = 1;
  void *inner = bpf_map_lookup_elem(&tables, &k);
  if (!inner)
    return XDP_PASS;
  __u64 *n = bpf_map_lookup_elem(inner, &slot);
  if (n)
    __sync_fetch_and_add(n, 1);
  bpf_map_update_elem(inner, &slot, &one, BPF_ANY);
  return XDP_PASS;
}

SEC("xdp") int unchecked(struct xdp_md *ctx) {
  __u32 k = 1, slot = 0;
  void *inner = bpf_map_lookup_elem(&tables, &k);
  bpf_map_delete_elem(inner, &slot);
  return XDP_PASS;
}

SEC("xdp") int past_template_value(struct xdp_md *ctx) {
  __u32 k = 1, slot = 0;
  void *inner = bpf_map_lookup_elem(&tables, &k);
  if (!inner)
    return XDP_PASS;
  __u32 *n = bpf_map_lookup_elem(inner, &slot);
  if (n)
    n[2] = 1;
  return XDP_PASS;
}

SEC("xdp") int reads_inner_map(struct xdp_md *ctx) {
  __u32 k = 1;
  __u32 *inner = bpf_map_lookup_elem(&tables, &k);
  if (!inner)
    return XDP_PASS;
  return *inner == 7 ? XDP_DROP : XDP_PASS;
}

SEC("xdp") int moves_inner_map(struct xdp_md *ctx) {
  __u32 k = 1, slot = 0;
  char *inner = bpf_map_lookup_elem(&tables, &k);
  if (!inner)
    return XDP_PASS;
  bpf_map_delete_elem(inner + 8, &slot);
  return XDP_PASS;
}

SEC("xdp") int updates_outer(struct xdp_md *ctx) {
  __u32 k = 1, fd = 3;
  bpf_map_update_elem(&tables, &k, &fd, BPF_ANY);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
