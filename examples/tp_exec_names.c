// Sends the first 8 bytes of the file name of every execve call (7
// characters and the terminating zero; longer names are cut) to user space
// through a ring buffer. bpf_probe_read_user_str copies the string up to
// its NUL only, so `name` is zeroed first: the bytes after the NUL are
// then zeros too (VEP requires the buffer to hold a value before the call;
// see docs/vep-c.md, "Helper contracts"). The record is the
// syscalls/sys_enter_execve tracepoint's: the common header, the system
// call number, then each argument in 8 bytes. Returns 1 when a name was
// sent, 0 otherwise.
// group: tracing programs
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct sys_enter_execve {
  __u64 common;
  long syscall_nr;
  long filename; // const char __user *
  long argv;
  long envp;
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} exec_names SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int tp_exec_names(struct sys_enter_execve *ctx)
{
  __u64 name = 0;
  long len = bpf_probe_read_user_str(&name, sizeof(name),
                                     (const void *)ctx->filename);
  if (len <= 0)
    return 0;
  return bpf_ringbuf_output(&exec_names, &name, sizeof(name), 0) == 0;
}

char LICENSE[] SEC("license") = "GPL";
