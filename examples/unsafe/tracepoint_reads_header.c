// UNSAFE: a tracepoint program that takes the process id from the
// record's common header (struct trace_entry: type, flags,
// preempt_count, pid). The kernel lets tracepoint programs read the
// record only from offset 8 on (the header is the kernel's, and
// bpf_get_current_pid_tgid gives the pid); it refuses the load.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct trace_event_raw_sys_enter {
  unsigned short type;
  unsigned char flags;
  unsigned char preempt_count;
  int pid;
  long id;
  unsigned long args[6];
};

SEC("tp/raw_syscalls/sys_enter")
int tracepoint_reads_header(struct trace_event_raw_sys_enter *ctx)
{
  int pid = ctx->pid; // expected-error {{invalid context access}}
  return pid == 1;
}

char LICENSE[] SEC("license") = "GPL";
