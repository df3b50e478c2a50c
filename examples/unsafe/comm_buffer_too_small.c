// UNSAFE: asks bpf_get_current_comm for the whole 16-byte process name
// (TASK_COMM_LEN) into a 4-byte variable: the helper writes 16 bytes,
// 12 of them past the variable, over whatever the stack holds there.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("raw_tp/sched_process_exec")
int comm_buffer_too_small(struct bpf_raw_tracepoint_args *ctx)
{
  __u32 comm = 0;
  bpf_get_current_comm(&comm, 16); // expected-error {{helper given a too-small buffer}}
  return comm == 0x68736162; // "bash"
}

char LICENSE[] SEC("license") = "GPL";
