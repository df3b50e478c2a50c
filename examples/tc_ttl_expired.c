// A tc classifier on a router's ingress that drops IPv4 packets whose TTL
// is 0 or 1 early (TC_ACT_SHOT: forwarding would drop them anyway, after
// the routing lookup) and counts them per TTL value in an array map of 2
// counters, for the operator to see routing loops and traceroutes; every
// other packet goes on (TC_ACT_OK). The IPv4 header is read only after its
// end is compared with data_end; the map index is the TTL, known to be 0
// or 1 there.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 2);
  __type(key, __u32);
  __type(value, __u64);
} expired_packets SEC(".maps");

SEC("tc")
int tc_ttl_expired(struct __sk_buff *skb)
/*@ Ensure __return == TC_ACT_OK || __return == TC_ACT_SHOT */
{
  void *data = (void *)(long)skb->data;
  void *data_end = (void *)(long)skb->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return TC_ACT_OK;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return TC_ACT_OK;
  __u32 ttl = ip->ttl;
  if (ttl > 1)
    return TC_ACT_OK;
  __u64 *count = bpf_map_lookup_elem(&expired_packets, &ttl);
  if (count)
    __sync_fetch_and_add(count, 1);
  return TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
