// UNSAFE: claims a flow's slot with a compare-and-swap without checking
// that the lookup found the slot: bpf_map_lookup_elem returns NULL for a
// missing key.
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
} owners SEC(".maps");

SEC("xdp")
int atomic_on_null_value(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  __u32 slot = ip->saddr & 0xff;
  __u64 *owner = bpf_map_lookup_elem(&owners, &slot);
  __u64 old = __sync_val_compare_and_swap(owner, 0, ip->protocol); // expected-error {{map value may be null}}
  return old ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
