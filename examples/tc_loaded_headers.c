// Counts TCP connection attempts per destination port the way tc programs
// read headers when they cannot rely on direct packet access: the IPv4 and
// TCP headers are copied to the stack with bpf_skb_load_bytes, and the
// copies are read through their bit-fields (ihl and version, doff and the
// flags) and through the union the kernel's headers put around saddr and
// daddr. A SYN without ACK counts as an attempt, a RST as a refusal; a
// header whose length fields are impossible is dropped.
// group: tc
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct port_stats {
  __u64 attempts;
  __u64 refusals;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1024);
  __type(key, __u16);
  __type(value, struct port_stats);
} tcp_ports SEC(".maps");

SEC("tc")
int tc_loaded_headers(struct __sk_buff *skb)
{
  struct iphdr ip;
  struct tcphdr tcp;

  if (skb->protocol != bpf_htons(ETH_P_IP))
    return TC_ACT_OK;
  if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)) < 0)
    return TC_ACT_OK;
  if (ip.version != 4 || ip.ihl < 5)
    return TC_ACT_SHOT;
  if (ip.protocol != IPPROTO_TCP || ip.saddr == ip.daddr)
    return TC_ACT_OK;
  if (bpf_skb_load_bytes(skb, ETH_HLEN + ip.ihl * 4, &tcp, sizeof(tcp)) < 0)
    return TC_ACT_OK;
  if (tcp.doff < 5)
    return TC_ACT_SHOT;
  int attempt = tcp.syn && !tcp.ack;
  if (!attempt && !tcp.rst)
    return TC_ACT_OK;

  __u16 port = bpf_ntohs(tcp.dest);
  struct port_stats *s = bpf_map_lookup_elem(&tcp_ports, &port);
  if (!s) {
    struct port_stats first = {attempt, !attempt};
    bpf_map_update_elem(&tcp_ports, &port, &first, BPF_NOEXIST);
    return TC_ACT_OK;
  }
  if (attempt)
    __sync_fetch_and_add(&s->attempts, 1);
  else
    __sync_fetch_and_add(&s->refusals, 1);
  return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
