// UNSAFE: records when each IPv4 source was last seen, in a hash map of
// 64-bit nanosecond timestamps, but keeps the time in a 32-bit variable:
// bpf_map_update_elem copies value_size = 8 bytes from '&now', which has
// only 4, so the helper reads 4 bytes of stack past the variable.
// Expected: helper given a too-small buffer (the fix declares `__u64 now`,
// which also stops the timestamp wrapping every 4.3 seconds).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 4096);
  __type(key, __u32);
  __type(value, __u64);
} last_seen SEC(".maps");

SEC("xdp")
int timestamp_truncated(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  __u32 source = ip->saddr;
  __u32 now = bpf_ktime_get_ns();
  bpf_map_update_elem(&last_seen, &source, &now, BPF_ANY); // expected-error {{helper given a too-small buffer}}
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
