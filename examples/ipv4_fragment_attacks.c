// Drops the IPv4 fragments of three classic attacks: fragments that would
// reassemble past the 65535-byte maximum datagram ("ping of death": the
// offset x 8 plus the fragment's payload exceeds 65535), and, against TCP
// filters (RFC 1858), a TCP fragment at offset 1 (8 bytes in, rewriting the
// ports or flags of the first fragment) and a first TCP fragment
// (more-fragments set, offset 0) whose payload is too short to hold the
// 20-byte TCP header, so the flags arrive in a later fragment. Passes
// everything else, other fragments and headers whose total length is
// below their header length (the stack drops those) included. Safe: the
// bound check covers the whole 20-byte IPv4 header before the fragment
// field and the lengths are read; the payload length is computed only
// once it cannot go below zero; all sums stay far below 2^32.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define IP_MF 0x2000     // more fragments
#define IP_OFFSET 0x1fff // fragment offset, in 8-byte units
#define IP_MAX_DATAGRAM 65535
#define TCP_HEADER_MIN 20

SEC("xdp")
int ipv4_fragment_attacks(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  unsigned int frag = bpf_ntohs(ip->frag_off);
  unsigned int offset = frag & IP_OFFSET;
  unsigned int total = bpf_ntohs(ip->tot_len);
  unsigned int header = ip->ihl * 4;
  if (total < header)
    return XDP_PASS;
  unsigned int payload = total - header;
  if (offset * 8 + payload > IP_MAX_DATAGRAM)
    return XDP_DROP;
  if (ip->protocol != IPPROTO_TCP)
    return XDP_PASS;
  if (offset == 1)
    return XDP_DROP;
  if (offset == 0 && (frag & IP_MF) && payload < TCP_HEADER_MIN)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
