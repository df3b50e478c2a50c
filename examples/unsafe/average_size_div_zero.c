// UNSAFE: drops packets more than four times larger than the average size
// seen so far, computed from a per-CPU {packets, bytes} counter pair. The
// first packet on each CPU finds both counters at 0 (array values start
// zeroed), and user space may reset them at any time, so `bytes / packets`
// divides by zero. eBPF defines that division (the result is 0), so the
// bytecode is safe, but C does not: this is a C-level error. Expected:
// division by zero at the average (the fix: count this packet first, or
// `if (packets == 0) return XDP_PASS;`).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64[2]); // [0] packets, [1] bytes
} size_stats SEC(".maps");

SEC("xdp")
int average_size_div_zero(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  __u64 len = data_end - data;
  __u32 key = 0;
  __u64 *stats = bpf_map_lookup_elem(&size_stats, &key);
  if (!stats)
    return XDP_PASS;
  __u64 packets = stats[0];
  __u64 average = stats[1] / packets; // expected-error {{division by zero}}
  stats[0] = packets + 1;
  stats[1] += len;
  if (len > 4 * average)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
