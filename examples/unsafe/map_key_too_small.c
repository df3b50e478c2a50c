// UNSAFE: looks up a map with 4-byte keys through a 2-byte variable; the
// helper reads two bytes past it.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 64);
  __type(key, __u32);
  __type(value, __u64);
} ethertype_counts SEC(".maps");

SEC("xdp")
int map_key_too_small(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;

  if ((void *)(eth + 1) > data_end)
    return XDP_PASS;
  __u16 ethertype = eth->h_proto;
  __u64 *count = bpf_map_lookup_elem(&ethertype_counts, &ethertype); // expected-error {{helper given a too-small buffer}}
  if (count)
    *count += 1;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
