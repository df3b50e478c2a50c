// UNSAFE: indexes the map value with a byte of the packet minus one, so
// the byte 0 reaches one element before the value's start.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u32[16]);
} histogram SEC(".maps");

SEC("xdp")
int map_value_underflow(struct xdp_md *ctx)
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  if (data + 1 > data_end)
    return XDP_PASS;
  int bucket = (*data & 15) - 1;
  __u32 key = 0;
  __u32 *buckets = bpf_map_lookup_elem(&histogram, &key);
  if (!buckets)
    return XDP_PASS;
  buckets[bucket] += 1; // expected-error {{map value access out of bounds}}
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
