// UNSAFE: reads a user string into a variable that holds no value yet.
// bpf_probe_read_user_str writes the string and its NUL only; the bytes
// after the NUL keep what the stack held there, which may be a spilled
// pointer or data of another program run, and the program then sends all
// 8 bytes to user space.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} opened SEC(".maps");

struct sys_enter_openat {
  __u64 common;
  long syscall_nr;
  long dfd;
  long filename;
  long flags;
  long mode;
};

SEC("tracepoint/syscalls/sys_enter_openat")
int read_str_uninitialised(struct sys_enter_openat *ctx)
{
  __u64 name;
  bpf_probe_read_user_str(&name, sizeof(name), (const void *)ctx->filename); // expected-error {{helper given an uninitialised buffer}}
  bpf_ringbuf_output(&opened, &name, sizeof(name), 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
