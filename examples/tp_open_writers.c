// Counts, per process name, the openat calls that open a file for
// writing (O_WRONLY or O_RDWR in the flags). The key is the first 8
// bytes of the name bpf_get_current_comm writes (7 characters and the
// terminating zero; longer names are cut). The record is the
// syscalls/sys_enter_openat tracepoint's: the common header, the system
// call number, then each argument in 8 bytes.
// group: tracing programs
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct sys_enter_openat {
  __u64 common;
  long syscall_nr;
  long dfd;
  long filename; // a user-space pointer, not read here
  long flags;
  long mode;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 4096);
  __type(key, __u64);   // the first 8 bytes of the process name
  __type(value, __u64); // opens for writing
} open_writers SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_openat")
int tp_open_writers(struct sys_enter_openat *ctx)
{
  long flags = ctx->flags;
  if ((flags & 3) == 0) // O_RDONLY
    return 0;
  __u64 comm = 0;
  bpf_get_current_comm(&comm, sizeof(comm));
  __u64 *count = bpf_map_lookup_elem(&open_writers, &comm);
  if (count) {
    __sync_fetch_and_add(count, 1);
    return 0;
  }
  __u64 one = 1;
  bpf_map_update_elem(&open_writers, &comm, &one, BPF_NOEXIST);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
