// A sampling profiler's counters: attached to a perf event (say CPU cycles
// with a sample period of 100000), counts per process the events its
// samples stand for (the sum of sample_period, which the kernel adjusts
// when it samples by frequency) and, per CPU, the samples taken in user
// mode (a code segment in regs.cs whose low two bits, the privilege
// level, are 3) and in the kernel (slots 2 * cpu + 1 and 2 * cpu).
// group: perf_event programs
#define __TARGET_ARCH_x86 // pt_regs of x86-64
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <bpf/bpf_helpers.h>

#define MAX_CPUS 256

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 4096);
  __type(key, __u32);   // tgid
  __type(value, __u64); // events: the sum of sample_period
} events_per_process SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 2 * MAX_CPUS);
  __type(key, __u32);   // 2 * cpu + (1 in user mode)
  __type(value, __u64); // samples
} samples_per_cpu SEC(".maps");

SEC("perf_event")
int perf_event_samples(struct bpf_perf_event_data *ctx)
/*@ Ensure __return == 0 */
{
  __u32 tgid = bpf_get_current_pid_tgid() >> 32;
  __u64 period = ctx->sample_period;
  __u64 *events = bpf_map_lookup_elem(&events_per_process, &tgid);
  if (events)
    __sync_fetch_and_add(events, period);
  else
    bpf_map_update_elem(&events_per_process, &tgid, &period, BPF_NOEXIST);
  __u32 cpu = bpf_get_smp_processor_id();
  if (cpu >= MAX_CPUS)
    return 0;
  __u32 slot = 2 * cpu + ((ctx->regs.cs & 3) == 3);
  __u64 *samples = bpf_map_lookup_elem(&samples_per_cpu, &slot);
  if (samples)
    __sync_fetch_and_add(samples, 1);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
