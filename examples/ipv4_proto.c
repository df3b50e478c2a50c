// Parses Ethernet and IPv4 and acts on the transport protocol: drops ICMP,
// passes TCP and UDP, aborts on anything that is not IPv4 with a full header.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int ipv4_proto(struct xdp_md *ctx)
/*@ Ensure XDP_ABORTED <= __return && __return <= XDP_PASS */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_ABORTED;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_ABORTED;
  if (ip->protocol == IPPROTO_ICMP)
    return XDP_DROP;
  if (ip->protocol == IPPROTO_TCP || ip->protocol == IPPROTO_UDP)
    return XDP_PASS;
  return XDP_ABORTED;
}

char LICENSE[] SEC("license") = "GPL";
