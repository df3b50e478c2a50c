// A raw tracepoint on sys_enter: args[0] is the struct pt_regs * of the
// calling thread, args[1] the system call number. Counts the calls by
// number below 512 in an array, and the calls whose saved orig_rax (read
// from the registers with bpf_probe_read_kernel; 0 when the read fails)
// differs from the number. Returns 1 for a counted call, 0 otherwise.
// group: tracing programs
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define ORIG_RAX_OFFSET 120 // offsetof(struct pt_regs, orig_rax), x86-64

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 513); // 512 numbers, then the mismatches
  __type(key, __u32);
  __type(value, __u64);
} raw_syscall_counts SEC(".maps");

SEC("raw_tracepoint/sys_enter")
int raw_tp_syscall_args(struct bpf_raw_tracepoint_args *ctx)
{
  __u64 regs = ctx->args[0];
  __u64 id = ctx->args[1];
  if (id >= 512)
    return 0;
  __u32 key = id;
  __u64 *count = bpf_map_lookup_elem(&raw_syscall_counts, &key);
  if (count)
    __sync_fetch_and_add(count, 1);
  __u64 orig_rax = 0;
  bpf_probe_read_kernel(&orig_rax, sizeof(orig_rax),
                        (const void *)(regs + ORIG_RAX_OFFSET));
  if (orig_rax != id) {
    __u32 mismatch = 512;
    __u64 *other = bpf_map_lookup_elem(&raw_syscall_counts, &mismatch);
    if (other)
      __sync_fetch_and_add(other, 1);
  }
  return 1;
}

char LICENSE[] SEC("license") = "GPL";
