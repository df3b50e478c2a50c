// Per-source packet quota, a simple flood guard: each IPv4 source address
// may send QUOTA packets; later ones are dropped until user space deletes
// or resets its entry in the hash map `source_packets` (e.g. once a
// second, turning the quota into a rate limit). A source's first packet
// inserts its counter with BPF_NOEXIST (when the map is full, new sources
// pass uncounted); frames that are not IPv4 pass. The check and the
// increment are not one atomic step, so concurrent CPUs may let a few more
// packets through: a soft limit, as in most XDP limiters.
// Safe: the IPv4 header is bound-checked before the source address is
// copied into a 4-byte key variable; the lookup's NULL result is checked
// before the counter is read or incremented; the inserted value is an
// initialised 8-byte variable.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define QUOTA 8

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16384);
  __type(key, __u32);
  __type(value, __u64);
} source_packets SEC(".maps");

SEC("xdp")
int source_quota(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
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
  __u64 *count = bpf_map_lookup_elem(&source_packets, &source);
  if (!count) {
    __u64 first = 1;
    bpf_map_update_elem(&source_packets, &source, &first, BPF_NOEXIST);
    return XDP_PASS;
  }
  if (*count >= QUOTA)
    return XDP_DROP;
  __sync_fetch_and_add(count, 1);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
