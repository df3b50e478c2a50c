// Counts system calls below 512 per process name in a hash map keyed by
// the 16-byte name bpf_get_current_comm writes into a local struct (no
// initialiser: the helper writes all 16 bytes, and VEP-C knows every
// byte of the key holds a value after it). Returns 0 for the calls it
// does not count, 1 for a name's first call, 2 for the next ones, and 3
// when the name starts with 'v' (vep's tools) and has been seen before.
// group: tracing programs
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct comm_key {
  char comm[16]; // TASK_COMM_LEN
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 64);
  __type(key, struct comm_key);
  __type(value, __u64);
} calls_by_comm SEC(".maps");

SEC("raw_tp/sys_enter")
int tracing_comm_counter(struct bpf_raw_tracepoint_args *ctx)
{
  struct comm_key k;

  if (ctx->args[1] >= 512)
    return 0;
  bpf_get_current_comm(&k, sizeof(k));
  __u64 *n = bpf_map_lookup_elem(&calls_by_comm, &k);
  if (!n) {
    __u64 one = 1;
    bpf_map_update_elem(&calls_by_comm, &k, &one, BPF_ANY);
    return 1;
  }
  __sync_fetch_and_add(n, 1);
  return k.comm[0] == 'v' ? 3 : 2;
}

char LICENSE[] SEC("license") = "GPL";
