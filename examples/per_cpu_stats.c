// Per-CPU statistics in several maps, with a drop rule configured from
// user space: packets shorter than the configured minimum length are
// dropped (an array of one __u32; 0, the value it starts with, turns the
// rule off). Per CPU and without atomics, it counts the packets of each
// verdict (a per-CPU array indexed by XDP_DROP / XDP_PASS) and the frame
// sizes in eight 128-byte buckets (a per-CPU array of one __u64[8] value;
// frames of 896 bytes or more share the last bucket). Per-CPU values are
// private to the CPU running the program, so the plain `+= 1` does not
// race. Safe: each lookup's NULL result is checked before its value is
// touched; the bucket index is at most 7 (clamped), so the 8-byte counter
// lies inside the 64-byte value; the verdict is 1 or 2, a valid key of the
// 3-entry verdict array.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define BUCKETS 8
#define BUCKET_BYTES 128

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u32);
} min_length SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 3); // indexed by XDP_ABORTED, XDP_DROP, XDP_PASS
  __type(key, __u32);
  __type(value, __u64);
} verdict_counts SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64[BUCKETS]);
} frame_sizes SEC(".maps");

SEC("xdp")
int per_cpu_stats(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  __u32 len = data_end - data;
  __u32 zero = 0;

  __u32 verdict = XDP_PASS;
  __u32 *min = bpf_map_lookup_elem(&min_length, &zero);
  if (min && len < *min)
    verdict = XDP_DROP;

  __u64 *count = bpf_map_lookup_elem(&verdict_counts, &verdict);
  if (count)
    *count += 1;

  __u32 bucket = len / BUCKET_BYTES;
  if (bucket > BUCKETS - 1)
    bucket = BUCKETS - 1;
  __u64 *sizes = bpf_map_lookup_elem(&frame_sizes, &zero);
  if (sizes)
    sizes[bucket] += 1;
  return verdict;
}

char LICENSE[] SEC("license") = "GPL";
