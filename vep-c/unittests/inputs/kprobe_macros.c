// A kprobe written with libbpf's BPF_KPROBE, which needs the target
// architecture from the command line (-D__TARGET_ARCH_x86), and a map key
// given as a compound literal.
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} calls SEC(".maps");

SEC("kprobe/do_unlinkat")
int BPF_KPROBE(do_unlinkat, int dfd, void *name)
{
  __u64 *n = bpf_map_lookup_elem(&calls, &(__u32){0});
  if (n)
    __sync_fetch_and_add(n, 1);
  bpf_printk("unlinkat dfd %d", dfd);
  return 0;
}

char _license[] SEC("license") = "GPL";
