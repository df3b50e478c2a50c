// Decrements the TTL of IPv4 packets the way tc programs rewrite headers:
// the header checksum is patched with bpf_l3_csum_replace and the new TTL
// written with bpf_skb_store_bytes. Both may move the skb's data, so the
// program reads everything it needs from the packet first and nothing of
// it afterwards. Packets whose TTL would reach 0 are dropped; the others,
// and whatever is not IPv4, pass.
// group: tc
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define IP_TTL_OFF (ETH_HLEN + offsetof(struct iphdr, ttl))
#define IP_CSUM_OFF (ETH_HLEN + offsetof(struct iphdr, check))

SEC("tc")
int tc_ttl_rewrite(struct __sk_buff *skb)
{
  void *data = (void *)(long)skb->data;
  void *data_end = (void *)(long)skb->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + ETH_HLEN;

  if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
    return TC_ACT_OK;
  __u8 ttl = ip->ttl;
  if (ttl <= 1)
    return TC_ACT_SHOT;
  __u8 new_ttl = ttl - 1;
  // The checksum sums 16-bit words; the TTL is the high byte of its word.
  bpf_l3_csum_replace(skb, IP_CSUM_OFF, bpf_htons(ttl << 8),
                      bpf_htons(new_ttl << 8), 2);
  bpf_skb_store_bytes(skb, IP_TTL_OFF, &new_ttl, sizeof(new_ttl), 0);
  return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
