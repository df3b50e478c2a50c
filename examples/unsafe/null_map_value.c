// UNSAFE: increments the per-protocol counter without checking that the
// lookup found it: bpf_map_lookup_elem returns NULL for a missing key.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 256);
  __type(key, __u32);
  __type(value, __u64);
} counts SEC(".maps");

SEC("xdp")
int null_map_value(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  __u32 proto = ip->protocol;
  __u64 *count = bpf_map_lookup_elem(&counts, &proto);
  *count += 1; // expected-error {{map value may be null}}
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
