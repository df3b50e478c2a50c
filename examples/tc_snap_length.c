// A tc classifier for a monitoring port that forwards only packet headers:
// cuts every packet longer than SNAP_LEN bytes down to its first SNAP_LEN
// bytes with bpf_skb_change_tail (like a capture's snap length), and
// records in skb->mark how many bytes it cut; the collector reads the
// EtherType of the cut frame from skb->priority. Packets of at most
// SNAP_LEN bytes pass unchanged with mark and priority 0. Drops a packet
// the helper fails to cut. Safe: the helper call comes before any packet
// access, and the packet is read through pointers loaded after it, with
// the Ethernet header checked against the new data_end.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define SNAP_LEN 96

SEC("tc")
int tc_snap_length(struct __sk_buff *skb)
/*@ Ensure __return == TC_ACT_OK || __return == TC_ACT_SHOT */
{
  __u32 len = skb->len;

  skb->mark = 0;
  skb->priority = 0;
  if (len <= SNAP_LEN)
    return TC_ACT_OK;
  if (bpf_skb_change_tail(skb, SNAP_LEN, 0))
    return TC_ACT_SHOT;
  skb->mark = len - SNAP_LEN;

  void *data = (void *)(long)skb->data;
  void *data_end = (void *)(long)skb->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end)
    return TC_ACT_OK;
  skb->priority = bpf_ntohs(eth->h_proto);
  return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
