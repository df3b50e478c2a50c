// map_counter.bpf.c - A per-byte-value packet counter: an array map
// looked up with a stack key, null-checked, and incremented atomically.
// Compiled by clang (-target bpf -g) for the maps tests.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 256);
  __type(key, __u32);
  __type(value, __u64);
} counts SEC(".maps");

SEC("xdp")
int count_first_byte(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  __u32 key = 0;
  if (data + 1 <= data_end)
    key = *(__u8 *)data;
  __u64 *value = bpf_map_lookup_elem(&counts, &key);
  if (value)
    __sync_fetch_and_add(value, 1);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
