// Bounces frames of the local experimental EtherType 0x88b5 back to
// their sender, swapping the MAC addresses with __builtin_memcpy through
// a stack copy, and counts packets and bytes per XDP action in a per-CPU
// array (the xdp-tutorial's `struct datarec`). Each bounce is logged with
// bpf_printk: its format string is a static const array in .rodata, and
// with four values the macro packs them into an array for
// bpf_trace_vprintk. Frames too short for an Ethernet header are dropped.
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_P_LOCAL_EXP1 0x88b5

struct datarec {
  __u64 rx_packets;
  __u64 rx_bytes;
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, XDP_REDIRECT + 1);
  __type(key, __u32);
  __type(value, struct datarec);
} xdp_stats_map SEC(".maps");

static __always_inline void swap_src_dst_mac(struct ethhdr *eth)
{
  __u8 h_tmp[ETH_ALEN];

  __builtin_memcpy(h_tmp, eth->h_source, ETH_ALEN);
  __builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
  __builtin_memcpy(eth->h_dest, h_tmp, ETH_ALEN);
}

static __always_inline __u32 record(struct xdp_md *ctx, __u32 action)
{
  struct datarec *rec = bpf_map_lookup_elem(&xdp_stats_map, &action);
  if (!rec)
    return XDP_ABORTED;
  rec->rx_packets++;
  rec->rx_bytes += ctx->data_end - ctx->data;
  return action;
}

SEC("xdp")
int xdp_mac_swap_stats(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;

  if ((void *)(eth + 1) > data_end)
    return record(ctx, XDP_DROP);
  if (eth->h_proto != bpf_htons(ETH_P_LOCAL_EXP1))
    return record(ctx, XDP_PASS);
  swap_src_dst_mac(eth);
  bpf_printk("bounced %u bytes to %x:%x:..:%x", (__u32)(data_end - data),
             eth->h_dest[0], eth->h_dest[1], eth->h_dest[5]);
  return record(ctx, XDP_TX);
}

char _license[] SEC("license") = "GPL";
