// Counts IPv4 and IPv6 packets per source and destination address in two
// hash maps, and remembers the last sender's MAC address in an array
// map's value. The keys are built the way eBPF code usually builds them:
// zeroed with __builtin_memset (padding included: the map helpers read
// every byte of a key), then the addresses copied out of the packet with
// __builtin_memcpy, IPv4's source and destination in one 8-byte copy.
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct v4_key {
  __be32 saddr;
  __be32 daddr;
  __u8 protocol;
  // three bytes of padding
};

struct v6_key {
  __u8 saddr[16];
  __u8 daddr[16];
};

struct mac_seen {
  __u8 mac[ETH_ALEN];
  __u16 vlan_unused;
  __u64 frames;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1024);
  __type(key, struct v4_key);
  __type(value, __u64);
} v4_flows SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1024);
  __type(key, struct v6_key);
  __type(value, __u64);
} v6_flows SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct mac_seen);
} last_sender SEC(".maps");

SEC("xdp")
int xdp_flow_memcpy_key(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  __u64 one = 1;

  if ((void *)(eth + 1) > data_end)
    return XDP_DROP;
  __u32 zero = 0;
  struct mac_seen *seen = bpf_map_lookup_elem(&last_sender, &zero);
  if (seen) {
    __builtin_memcpy(seen->mac, eth->h_source, ETH_ALEN);
    seen->frames++;
  }
  if (eth->h_proto == bpf_htons(ETH_P_IP)) {
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > data_end)
      return XDP_DROP;
    struct v4_key k;
    __builtin_memset(&k, 0, sizeof(k));
    __builtin_memcpy(&k.saddr, &ip->saddr, 2 * sizeof(ip->saddr));
    k.protocol = ip->protocol;
    __u64 *n = bpf_map_lookup_elem(&v4_flows, &k);
    if (n)
      __sync_fetch_and_add(n, 1);
    else
      bpf_map_update_elem(&v4_flows, &k, &one, BPF_ANY);
    return XDP_PASS;
  }
  if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
    struct ipv6hdr *ip6 = (void *)(eth + 1);
    if ((void *)(ip6 + 1) > data_end)
      return XDP_DROP;
    struct v6_key k;
    __builtin_memcpy(k.saddr, &ip6->saddr, sizeof(k.saddr));
    __builtin_memcpy(k.daddr, &ip6->daddr, sizeof(k.daddr));
    __u64 *n = bpf_map_lookup_elem(&v6_flows, &k);
    if (n)
      __sync_fetch_and_add(n, 1);
    else
      bpf_map_update_elem(&v6_flows, &k, &one, BPF_ANY);
  }
  return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
