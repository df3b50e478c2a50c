// Regression: an atomic add at a variable index into a map value. The
// checker required a constant offset ("atomic add at an offset that is not
// a known multiple of its size", vepcc: internal error); it now accepts an
// offset whose constant and coefficients are multiples of the access size
// (here 8 * bucket).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64[16]);
} hist SEC(".maps");

SEC("xdp")
int bug2(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  __u32 bucket = (__u32)(data_end - data) & 15;
  __u32 key = 0;
  __u64 *h = bpf_map_lookup_elem(&hist, &key);
  if (h)
    __sync_fetch_and_add(&h[bucket], 1);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
