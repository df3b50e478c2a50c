// UNSAFE: a per-CPU packet-size histogram (16 counters of 64-byte buckets
// in one map value; per-CPU, so a plain increment is race-free) whose clamp
// is off by one: `bucket > BUCKETS` lets bucket == BUCKETS through, and
// packets of 1024 bytes or more increment the counter just past the
// 128-byte value. Expected: map value access out of bounds at the
// increment (the fix is `bucket >= BUCKETS`, or BUCKETS - 1 as the clamp).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define BUCKETS 16

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64[BUCKETS]);
} size_histogram SEC(".maps");

SEC("xdp")
int histogram_off_by_one(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  __u32 len = data_end - data;
  __u32 bucket = len / 64;
  if (bucket > BUCKETS)
    bucket = BUCKETS;
  __u32 key = 0;
  __u64 *hist = bpf_map_lookup_elem(&size_histogram, &key);
  if (!hist)
    return XDP_PASS;
  hist[bucket] += 1; // expected-error {{map value access out of bounds}}
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
