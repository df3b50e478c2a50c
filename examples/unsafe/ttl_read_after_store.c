// Unsafe twin of examples/tc_ttl_rewrite.c: after bpf_skb_store_bytes,
// which may move the skb's data, it reads the header through the old
// pointer to check the new TTL.
// group: tc
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("tc")
int ttl_read_after_store(struct __sk_buff *skb)
{
  void *data = (void *)(long)skb->data;
  void *data_end = (void *)(long)skb->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + ETH_HLEN;

  if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
    return TC_ACT_OK;
  __u8 new_ttl = 64;
  bpf_skb_store_bytes(skb, ETH_HLEN + offsetof(struct iphdr, ttl), &new_ttl,
                      sizeof(new_ttl), 0);
  return ip->ttl == 64 ? TC_ACT_OK : TC_ACT_SHOT; // expected-error {{packet pointer 'ip' used after a packet-changing helper}}
}

char _license[] SEC("license") = "GPL";
