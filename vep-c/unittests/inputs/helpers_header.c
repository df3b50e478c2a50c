// Every helper through the declarations of vep/helpers.h instead of
// libbpf's: VEP-C recognises each as the helper its contract describes
// (VerifierTest.cpp, VerifierHelpers.HeaderDeclaresTheTablesHelpers).
#define VEP_HELPER_DECLARATIONS
#include <vep/helpers.h>

#define SEC(name) __attribute__((section(name), used))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, __u32);
  __type(value, __u64);
} counts SEC(".maps");
struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} ring SEC(".maps");
struct {
  __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
  __uint(max_entries, 4);
  __uint(key_size, 4);
  __uint(value_size, 4);
} perf SEC(".maps");
struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(max_entries, 4);
  __uint(key_size, 4);
  __uint(value_size, 4);
} progs SEC(".maps");
struct {
  __uint(type, BPF_MAP_TYPE_DEVMAP);
  __uint(max_entries, 4);
  __uint(key_size, 4);
  __uint(value_size, 4);
} ports SEC(".maps");

SEC("xdp")
int every_xdp_helper(struct xdp_md *ctx)
{
  __u32 key = 1;
  __u64 value = bpf_ktime_get_ns() + bpf_get_prandom_u32() +
                bpf_get_smp_processor_id();
  bpf_map_update_elem(&counts, &key, &value, 0);
  __u64 *found = bpf_map_lookup_elem(&counts, &key);
  if (found)
    bpf_ringbuf_output(&ring, found, sizeof(*found), 0);
  bpf_map_delete_elem(&counts, &key);
  bpf_trace_printk((const char *)&value, sizeof(value), key);
  bpf_trace_vprintk((const char *)&value, sizeof(value), &key, sizeof(key));
  bpf_perf_event_output(ctx, &perf, 0, &value, sizeof(value));
  __be32 from = 1, to = 2;
  __s64 sum = bpf_csum_diff(&from, 4, &to, 4, 0);
  bpf_tail_call(ctx, &progs, 0);
  struct bpf_fib_lookup fib = {.family = 2};
  if (bpf_fib_lookup(ctx, &fib, sizeof(fib), 0) == 0)
    sum = 0;
  if (sum & 1)
    return bpf_redirect(1, 0);
  return bpf_redirect_map(&ports, 0, XDP_PASS);
}

SEC("raw_tracepoint/sys_enter")
int every_tracing_helper(struct bpf_raw_tracepoint_args *ctx)
{
  __u64 id = bpf_get_current_pid_tgid() ^ bpf_get_current_uid_gid();
  __u64 comm = 0, user = 0, kernel = 0, user_str = 0, kernel_str = 0;
  bpf_get_current_comm(&comm, sizeof(comm));
  bpf_probe_read_user(&user, sizeof(user), (const void *)id);
  bpf_probe_read_kernel(&kernel, sizeof(kernel), (const void *)id);
  bpf_probe_read_user_str(&user_str, sizeof(user_str), (const void *)id);
  bpf_probe_read_kernel_str(&kernel_str, sizeof(kernel_str), (const void *)id);
  __u64 *event = bpf_ringbuf_reserve(&ring, sizeof(*event), 0);
  if (event) {
    *event = id;
    bpf_ringbuf_submit(event, 0);
  }
  __u64 *dropped = bpf_ringbuf_reserve(&ring, 8, 0);
  if (dropped)
    bpf_ringbuf_discard(dropped, 0);
  return comm + user + kernel + user_str + kernel_str == 0;
}

SEC("tc")
int every_skb_helper(struct __sk_buff *skb)
{
  __u32 word = 0;
  bpf_skb_load_bytes(skb, 0, &word, sizeof(word));
  return word == 0;
}

char LICENSE[] SEC("license") = "GPL";
