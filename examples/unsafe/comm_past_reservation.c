// UNSAFE: reserves 16 bytes of a ring buffer for an event of a 4-byte
// process id and a 16-byte name, then has bpf_get_current_comm write the
// name at offset 4: its last 4 bytes land past the reservation, in the
// next record's header or whatever follows in the ring.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

// The sched/sched_process_exec record (as in tp_exec_events.c).
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
} short_events SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int comm_past_reservation(struct sched_process_exec *ctx)
{
  struct exec_event *e = bpf_ringbuf_reserve(&short_events, 16, 0);
  if (!e)
    return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  bpf_get_current_comm(&e->comm, sizeof(e->comm)); // expected-error {{helper given a too-small buffer}}
  bpf_ringbuf_submit(e, 0);
  return 1;
}

char LICENSE[] SEC("license") = "GPL";
