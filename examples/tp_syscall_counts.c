// Counts system calls by number. The raw_syscalls/sys_enter tracepoint
// fires on every system call entry; its record (the format file in
// /sys/kernel/tracing/events/raw_syscalls/sys_enter/) starts with the
// 8-byte common header, then the system call number and its six
// arguments. A hash map counts the calls per number.
// group: tracing programs
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct trace_event_raw_sys_enter {
  __u64 common; // struct trace_entry: type, flags, preempt_count, pid
  long id;
  unsigned long args[6];
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1024);
  __type(key, __u64);
  __type(value, __u64);
} syscall_counts SEC(".maps");

SEC("tracepoint/raw_syscalls/sys_enter")
int tp_syscall_counts(struct trace_event_raw_sys_enter *ctx)
{
  __u64 id = ctx->id;
  __u64 *count = bpf_map_lookup_elem(&syscall_counts, &id);
  if (count) {
    __sync_fetch_and_add(count, 1);
    return 0;
  }
  __u64 one = 1;
  bpf_map_update_elem(&syscall_counts, &id, &one, BPF_NOEXIST);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
