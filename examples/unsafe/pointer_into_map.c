// UNSAFE: saves the packet's address in a map value, where user space can
// read it: a kernel address leak.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} last_packet SEC(".maps");

SEC("xdp")
int pointer_into_map(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  __u32 key = 0;
  __u64 *slot = bpf_map_lookup_elem(&last_packet, &key);
  if (!slot)
    return XDP_PASS;
  *slot = (__u64)(long)data; // expected-error {{pointer stored into a map value}}
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
