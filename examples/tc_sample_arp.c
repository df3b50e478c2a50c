// Sends the first 8 bytes of every ARP payload (hardware and protocol
// type, address lengths, opcode) to user space through a perf event array,
// on the CPU it runs on, and passes the frame (TC_ACT_OK). Drops frames of
// EtherTypes other than IPv4, IPv6 and ARP (TC_ACT_SHOT), and ARP frames
// too short for those 8 bytes. The perf event array says no max_entries:
// libbpf gives it one entry per possible CPU when it creates it.
// group: tc
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
  __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, sizeof(__u32));
} arp_samples SEC(".maps");

SEC("tc")
int tc_sample_arp(struct __sk_buff *skb)
{
  void *data = (void *)(long)skb->data;
  void *data_end = (void *)(long)skb->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end)
    return TC_ACT_SHOT;
  if (eth->h_proto == bpf_htons(ETH_P_IP) ||
      eth->h_proto == bpf_htons(ETH_P_IPV6))
    return TC_ACT_OK;
  if (eth->h_proto != bpf_htons(ETH_P_ARP))
    return TC_ACT_SHOT;
  __u64 *arp = (void *)(eth + 1);
  if ((void *)(arp + 1) > data_end)
    return TC_ACT_SHOT;
  __u64 head = *arp;
  bpf_perf_event_output(skb, &arp_samples, BPF_F_CURRENT_CPU, &head,
                        sizeof(head));
  return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
