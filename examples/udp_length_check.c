// Drops IPv4 UDP datagrams whose UDP length field is inconsistent with the
// IPv4 header: below the 8-byte UDP header, or larger than what the IPv4
// total length leaves behind the IPv4 header (crafted lengths like these
// have crashed parsers that trusted them); passes everything else. All
// arithmetic is on 32-bit unsigned values of at most 65535 + 60, so
// nothing wraps. Safe: the UDP header is located at the IPv4 header's real
// length (IHL x 4, at least 20) and checked whole against the packet end
// before its length field is read.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int udp_length_check(struct xdp_md *ctx)
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
  unsigned int ip_hdr_len = ip->ihl * 4;
  if (ip_hdr_len < sizeof(struct iphdr))
    return XDP_DROP;
  struct udphdr *udp = (void *)ip + ip_hdr_len;
  if ((void *)(udp + 1) > data_end)
    return XDP_PASS;
  unsigned int ip_len = bpf_ntohs(ip->tot_len);
  unsigned int udp_len = bpf_ntohs(udp->len);
  if (udp_len < sizeof(struct udphdr))
    return XDP_DROP;
  if (ip_len < ip_hdr_len || udp_len > ip_len - ip_hdr_len)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
