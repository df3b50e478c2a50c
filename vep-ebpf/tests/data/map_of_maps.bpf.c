// An array of two array maps, filled at load time from the initial values
// (.rel.maps), and an XDP program that counts in the inner map its key
// selects (map_of_maps_test.cc).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, __u64);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
  __uint(max_entries, 2);
  __type(key, __u32);
  __array(values, struct inner);
} outer SEC(".maps") = {.values = {&inner_a, &inner_b}};

SEC("xdp") int count(struct xdp_md *ctx) {
  __u32 which = ctx->ingress_ifindex & 1, slot = 0;
  void *inner = bpf_map_lookup_elem(&outer, &which);
  if (!inner)
    return XDP_PASS;
  __u64 *n = bpf_map_lookup_elem(inner, &slot);
  if (n)
    __sync_fetch_and_add(n, 1);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
