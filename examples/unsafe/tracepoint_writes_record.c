// UNSAFE: a tracepoint program that "hides" a system call by overwriting
// the number in its sys_enter record. A tracepoint's record is read-only
// for BPF programs (other programs and the trace buffer read it after
// this one); the kernel's verifier refuses the store.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct trace_event_raw_sys_enter {
  __u64 common;
  long id;
  unsigned long args[6];
};

SEC("tracepoint/raw_syscalls/sys_enter")
int tracepoint_writes_record(struct trace_event_raw_sys_enter *ctx)
{
  if (ctx->id == 62) // kill
    ctx->id = -1; // expected-error {{store to the context}}
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
