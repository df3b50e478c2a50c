// Counts the sock_ops callbacks a cgroup's TCP sockets make, per op
// (BPF_SOCK_OPS_*: timeout and window queries, connection established,
// state changes...), in an array indexed by the op, and the bytes acked on
// the connections whose state changes (bytes_acked, a u64 field, read at
// each BPF_SOCK_OPS_STATE_CB). Ops beyond the array's end are counted in
// its last slot.
// group: sock_ops programs
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define OP_SLOTS 32

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, OP_SLOTS);
  __type(key, __u32);   // the op, or OP_SLOTS - 1 for larger ones
  __type(value, __u64); // callbacks
} sockops_calls SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64); // bytes acked, summed at state changes
} sockops_acked SEC(".maps");

SEC("sockops")
int sockops_op_counts(struct bpf_sock_ops *skops)
/*@ Ensure __return == 1 */
{
  __u32 op = skops->op;
  if (op >= OP_SLOTS)
    op = OP_SLOTS - 1;
  __u64 *calls = bpf_map_lookup_elem(&sockops_calls, &op);
  if (calls)
    __sync_fetch_and_add(calls, 1);
  if (op == BPF_SOCK_OPS_STATE_CB && skops->is_fullsock) {
    __u32 zero = 0;
    __u64 *acked = bpf_map_lookup_elem(&sockops_acked, &zero);
    if (acked)
      __sync_fetch_and_add(acked, skops->bytes_acked);
  }
  return 1;
}

char LICENSE[] SEC("license") = "GPL";
