// Unsafe twin of examples/xdp_flow_memcpy_key.c's MAC copy: the bound
// check covers the destination address only (6 bytes), but the copy reads
// the source address at bytes 6..11, past what was checked.
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct mac_seen {
  __u8 mac[ETH_ALEN];
  __u16 vlan_unused;
  __u64 frames;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct mac_seen);
} last_sender SEC(".maps");

SEC("xdp")
int mac_copy_past_bound(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;

  if (data + ETH_ALEN > data_end)
    return XDP_DROP;
  __u32 zero = 0;
  struct mac_seen *seen = bpf_map_lookup_elem(&last_sender, &zero);
  if (!seen)
    return XDP_PASS;
  __builtin_memcpy(seen->mac, eth->h_source, ETH_ALEN); // expected-error {{packet access out of bounds}}
  seen->frames++;
  return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
