// UNSAFE: a perf_event program that walks the sampled registers as an
// array of u64 and reads one slot too many: struct bpf_perf_event_data is
// x86-64's 21 registers, then sample_period and addr, 23 u64s in all, and
// slot 23 lies past its end.
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <bpf/bpf_helpers.h>

#define SLOTS 23

SEC("perf_event")
int perf_event_reads_past_regs(struct bpf_perf_event_data *ctx)
{
  __u64 *slots = (__u64 *)ctx;
  __u64 last = slots[SLOTS]; // expected-error {{invalid context access}}
  return last != 0;
}

char LICENSE[] SEC("license") = "GPL";
