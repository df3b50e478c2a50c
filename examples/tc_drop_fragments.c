// A tc classifier that drops IPv4 fragments (a set "more fragments" flag or
// a non-zero fragment offset), as a filter in front of a service that
// cannot reassemble does, and records in cb[0] for a later program whether
// the packet was IPv4 at all. The IPv4 header is read only after its end
// is compared with data_end; cb[] is writable in tc programs. Returns
// TC_ACT_SHOT or TC_ACT_OK, nothing else.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define IP_MF 0x2000
#define IP_OFFSET 0x1fff

SEC("tc")
int tc_drop_fragments(struct __sk_buff *skb)
/*@ Ensure __return == TC_ACT_OK || __return == TC_ACT_SHOT */
{
  void *data = (void *)(long)skb->data;
  void *data_end = (void *)(long)skb->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  skb->cb[0] = 0;
  if ((void *)(ip + 1) > data_end)
    return TC_ACT_OK;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return TC_ACT_OK;
  skb->cb[0] = 1;
  if (ip->frag_off & bpf_htons(IP_MF | IP_OFFSET))
    return TC_ACT_SHOT;
  return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
