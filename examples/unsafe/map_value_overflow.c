// UNSAFE: the map's values are 8-byte counters, but the program updates a
// second counter just past the value, at bytes 8..15.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} totals SEC(".maps");

SEC("xdp")
int map_value_overflow(struct xdp_md *ctx)
{
  __u32 key = 0;
  __u64 *total = bpf_map_lookup_elem(&totals, &key);
  if (!total)
    return XDP_PASS;
  total[0] += 1;
  total[1] += 1; // expected-error {{map value access out of bounds}}
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
