// A latency histogram of vfs_read: the kprobe records when each thread
// enters the function (keyed by its pid/tgid), the kretprobe takes the
// time since then and, for reads that succeeded (the return value in
// rax, PT_REGS_RC, is not negative), adds one to the bucket
// floor(log2(nanoseconds)) of a 64-bucket array.
// group: tracing programs
#define __TARGET_ARCH_x86 // as -D__TARGET_ARCH_x86 would: pt_regs of x86-64
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 10240);
  __type(key, __u64);   // pid_tgid
  __type(value, __u64); // entry time, ns
} read_start SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 64);
  __type(key, __u32);   // floor(log2(latency in ns))
  __type(value, __u64); // reads
} read_latency_log2 SEC(".maps");

SEC("kprobe/vfs_read")
int read_entry(struct pt_regs *ctx)
{
  __u64 pid_tgid = bpf_get_current_pid_tgid();
  __u64 now = bpf_ktime_get_ns();
  bpf_map_update_elem(&read_start, &pid_tgid, &now, BPF_ANY);
  return 0;
}

SEC("kretprobe/vfs_read")
int read_exit(struct pt_regs *ctx)
{
  __u64 pid_tgid = bpf_get_current_pid_tgid();
  __u64 *start = bpf_map_lookup_elem(&read_start, &pid_tgid);
  if (!start)
    return 0;
  __u64 began = *start;
  bpf_map_delete_elem(&read_start, &pid_tgid);
  long ret = PT_REGS_RC(ctx);
  if (ret < 0)
    return 0;
  __u64 now = bpf_ktime_get_ns();
  __u64 delta = now - began;
  __u32 bucket = 0;
  /*@ Inv 0 <= bucket && bucket <= 63 Variant 63 - bucket */
  while (bucket < 63 && (delta >> (bucket + 1)) != 0)
    bucket++;
  __u64 *slot = bpf_map_lookup_elem(&read_latency_log2, &bucket);
  if (slot)
    __sync_fetch_and_add(slot, 1);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
