// UNSAFE: the twin of tc_flow_tuple_counter.c that declares its 16-byte
// key without `= {}` and writes every field: the key's three padding bytes
// are never written, but bpf_map_lookup_elem reads all 16 bytes of it, so
// the lookup hashes whatever the stack held there (and the kernel refuses
// to read uninitialised stack). Expected: read of uninitialised variable
// 'key.(padding 13)' at the lookup (the fix: `struct flow_tuple key = {};`).
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
int flow_tuple_padding(struct __sk_buff *skb)
{
  struct ipv4_head ip;
  struct l4_ports ports;
  struct flow_tuple key;

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
  __u64 *n = bpf_map_lookup_elem(&tuple_counts, &key); // expected-error {{read of uninitialised variable 'key.(padding 13)'}}
  if (!n) {
    __u64 one = 1;
    bpf_map_update_elem(&tuple_counts, &key, &one, BPF_ANY);
    return TC_ACT_OK;
  }
  __sync_fetch_and_add(n, 1);
  return *n > 3 ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
