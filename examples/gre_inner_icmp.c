// Drops ICMP carried inside GRE tunnels over IPv4 (tunnelled pings and
// ICMP floods that the outer filter does not see), and GRE headers with a
// version other than 0 or with routing present (deprecated, RFC 2784);
// passes everything else, including inner packets cut short. The GRE
// header's length depends on its flags: 4 bytes, plus 4 for each of the
// checksum (C), key (K) and sequence number (S) present. Safe: the outer
// IPv4 header's real length (IHL x 4, at least 20) locates the GRE header,
// whose 4 fixed bytes are checked before its flags and protocol are read;
// the inner IPv4 header is found at an offset computed from those flags (a
// dependent read) and checked whole against the packet end before its
// protocol byte is read.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

// The first byte of the GRE header (RFC 2784, RFC 2890).
#define GRE_CSUM 0x80
#define GRE_ROUTING 0x40
#define GRE_KEY 0x20
#define GRE_SEQ 0x10
#define GRE_VERSION 0x07 // in the second byte

SEC("xdp")
int gre_inner_icmp(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_GRE)
    return XDP_PASS;
  unsigned int outer_len = ip->ihl * 4;
  if (outer_len < sizeof(struct iphdr))
    return XDP_DROP;
  unsigned char *gre = (void *)ip + outer_len;
  if (gre + 4 > (unsigned char *)data_end)
    return XDP_PASS;
  unsigned char flags = gre[0];
  if ((flags & GRE_ROUTING) || (gre[1] & GRE_VERSION) != 0)
    return XDP_DROP;
  if (*(__be16 *)(gre + 2) != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  unsigned int gre_len = 4;
  if (flags & GRE_CSUM)
    gre_len += 4;
  if (flags & GRE_KEY)
    gre_len += 4;
  if (flags & GRE_SEQ)
    gre_len += 4;
  struct iphdr *inner = (void *)(gre + gre_len);
  if ((void *)(inner + 1) > data_end)
    return XDP_PASS;
  if (inner->protocol == IPPROTO_ICMP)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
