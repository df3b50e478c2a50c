// A tc classifier that copies the DSCP of IPv4 packets (the upper six bits
// of the TOS byte) into skb->mark, where a later qdisc or routing rule can
// select a class by it, and its drop precedence into skb->priority; other
// packets keep a mark of 0. It reads the Ethernet and IPv4 headers only
// after comparing their ends with data_end, and writes only the context
// fields a tc program may write (mark, priority). Always TC_ACT_OK: the
// classifier never drops.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("tc")
int tc_dscp_mark(struct __sk_buff *skb)
/*@ Ensure __return == TC_ACT_OK */
{
  void *data = (void *)(long)skb->data;
  void *data_end = (void *)(long)skb->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  skb->mark = 0;
  if ((void *)(ip + 1) > data_end)
    return TC_ACT_OK;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return TC_ACT_OK;
  __u32 dscp = ip->tos >> 2;
  skb->mark = dscp;
  // Assured forwarding classes AFxy: the drop precedence y is bits 1..2.
  skb->priority = (dscp >> 1) & 3;
  return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
