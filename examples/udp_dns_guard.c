// Keeps a DNS server from being used as an open resolver: drops IPv4 UDP
// datagrams to port 53 whose source address is not a known client (the
// hash map `dns_clients`, filled by user space), and UDP datagrams to the
// reserved port 0, which no service listens on (a scan/reflection probe).
// Everything else passes.
// Safe: the UDP header is located at the IPv4 header's real length
// (IHL x 4, options included) and both the IPv4 and the UDP header are
// bound-checked before they are read; a header length below 20 bytes is
// malformed and dropped before it is used.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 256);
  __type(key, __u32);
  __type(value, __u8);
} dns_clients SEC(".maps");

SEC("xdp")
int udp_dns_guard(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
    return XDP_PASS;
  unsigned int hdr_len = ip->ihl * 4;
  if (hdr_len < sizeof(struct iphdr))
    return XDP_DROP;
  struct udphdr *udp = (void *)ip + hdr_len;
  if ((void *)(udp + 1) > data_end)
    return XDP_PASS;
  if (udp->dest == bpf_htons(0))
    return XDP_DROP;
  if (udp->dest != bpf_htons(53))
    return XDP_PASS;
  __u32 source = ip->saddr;
  __u8 *trusted = bpf_map_lookup_elem(&dns_clients, &source);
  if (!trusted)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
