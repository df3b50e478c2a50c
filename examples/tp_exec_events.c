// Sends an event for every program execution to user space through a
// ring buffer: the process id and the 16-byte process name (TASK_COMM_LEN,
// zero-padded), filled in place in the reserved record, as tracing tools
// do (bpf_get_current_comm writes the reservation directly; see
// docs/vep-c.md, "Helper contracts"). Returns 0 when the ring buffer was
// full, else 1, or 2 when a thread other than the leader called exec (the
// record's old pid differs from the new one: the kernel made the thread
// the leader).
// group: tracing programs
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

// The sched/sched_process_exec record: the common header, the file name
// (a __data_loc reference), then the new and the old process id.
struct sched_process_exec {
  __u64 common;
  __u32 filename_loc;
  int pid;
  int old_pid;
};

struct exec_event {
  __u32 pid;
  char comm[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} exec_events SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int tp_exec_events(struct sched_process_exec *ctx)
{
  struct exec_event *e = bpf_ringbuf_reserve(&exec_events, sizeof(*e), 0);
  if (!e)
    return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  bpf_get_current_comm(&e->comm, sizeof(e->comm));
  bpf_ringbuf_submit(e, 0);
  return ctx->old_pid != ctx->pid ? 2 : 1;
}

char LICENSE[] SEC("license") = "GPL";
