// Packet-size histogram with power-of-two buckets, for traffic profiling:
// bucket 0 counts frames under 64 bytes, bucket k frames of 64 x 2^(k-1)
// to 64 x 2^k - 1 bytes, and the last bucket everything larger. The
// buckets are the 16 entries of an array map, incremented atomically (all
// CPUs share them); every packet passes. Safe: the loop computing the
// bucket keeps it within 0..15 and ends, so the key is a valid index; the
// lookup's NULL result is checked anyway. The loop needs no annotation: it
// counts (`bucket < BUCKETS - 1` among its conditions, `bucket++` ending
// its body), so VEP-C infers the invariant `0 <= bucket && bucket <= 15`
// and the variant `15 - bucket`.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define BUCKETS 16

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, BUCKETS);
  __type(key, __u32);
  __type(value, __u64);
} size_buckets SEC(".maps");

SEC("xdp")
int size_histogram(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  unsigned int len = data_end - data;
  unsigned int rest = len >> 6;
  __u32 bucket = 0;

  while (rest > 0 && bucket < BUCKETS - 1) {
    rest >>= 1;
    bucket++;
  }
  __u64 *count = bpf_map_lookup_elem(&size_buckets, &bucket);
  if (count)
    __sync_fetch_and_add(count, 1);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
