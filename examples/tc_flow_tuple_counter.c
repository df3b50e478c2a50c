// Counts IPv4 TCP and UDP packets per flow (addresses, ports, protocol)
// in a hash map keyed by a 16-byte struct, and drops a flow's packets
// after its first 3. The headers are copied with bpf_skb_load_bytes into
// local structs (20 bytes of IPv4 header, then the 4 bytes of ports past
// its options), which VEP-C knows hold values after the call; the key is
// built after `= {}`, which zeroes its 3 padding bytes: the map helpers
// read all 16 bytes of it, and both VEP-C and the kernel require each of
// them written (the twin examples/unsafe/flow_tuple_padding.c omits it).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct ipv4_head { // struct iphdr without its bit-fields
  __u8 ver_ihl;
  __u8 tos;
  __be16 tot_len;
  __be16 id;
  __be16 frag_off;
  __u8 ttl;
  __u8 protocol;
  __sum16 check;
  __be32 saddr;
  __be32 daddr;
};

struct l4_ports {
  __be16 source;
  __be16 dest;
};

struct flow_tuple {
  __be32 saddr;
  __be32 daddr;
  __be16 sport;
  __be16 dport;
  __u8 protocol;
  // three bytes of padding
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1024);
  __type(key, struct flow_tuple);
  __type(value, __u64);
} tuple_counts SEC(".maps");

SEC("tc")
int tc_flow_tuple_counter(struct __sk_buff *skb)
{
  struct ipv4_head ip;
  struct l4_ports ports;
  struct flow_tuple key = {};

  if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)) < 0)
    return TC_ACT_OK;
  if (skb->protocol != bpf_htons(ETH_P_IP) || ip.ver_ihl >> 4 != 4 ||
      (ip.protocol != IPPROTO_TCP && ip.protocol != IPPROTO_UDP))
    return TC_ACT_OK;
  __u32 ihl = (ip.ver_ihl & 0x0f) * 4;
  if (ihl < sizeof(ip) ||
      bpf_skb_load_bytes(skb, ETH_HLEN + ihl, &ports, sizeof(ports)) < 0)
    return TC_ACT_SHOT;
  key.saddr = ip.saddr;
  key.daddr = ip.daddr;
  key.sport = ports.source;
  key.dport = ports.dest;
  key.protocol = ip.protocol;
  __u64 *n = bpf_map_lookup_elem(&tuple_counts, &key);
  if (!n) {
    __u64 one = 1;
    bpf_map_update_elem(&tuple_counts, &key, &one, BPF_ANY);
    return TC_ACT_OK;
  }
  __sync_fetch_and_add(n, 1);
  return *n > 3 ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
