// UNSAFE: counts packets per ingress interface, but passes the key where
// the map belongs and the map where the key belongs. The helpers take
// `void *` parameters, so clang compiles it without a warning; the kernel's
// verifier refuses it, and so does VEP. Expected: argument is not a map
// (the fix: `bpf_map_lookup_elem(&ifindex_counts, &ifindex)`).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 64);
  __type(key, __u32);
  __type(value, __u64);
} ifindex_counts SEC(".maps");

SEC("xdp")
int map_arguments_swapped(struct xdp_md *ctx)
{
  __u32 ifindex = ctx->ingress_ifindex;
  __u64 *count = bpf_map_lookup_elem(&ifindex, &ifindex_counts); // expected-error {{argument is not a map}}
  if (count)
    __sync_fetch_and_add(count, 1);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
