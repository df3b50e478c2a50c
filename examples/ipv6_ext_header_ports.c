// Drops IPv6 UDP datagrams to port 11211 (memcached) also when the UDP
// header hides behind one Hop-by-Hop or Destination Options extension
// header, the trick that slips past filters that only look at the fixed
// header's next-header field; passes everything else (including deeper
// chains of extension headers). The extension header's length byte says
// where the UDP header starts: (hdrlen + 1) x 8 bytes after it, 8 to 2048
// bytes. Safe: the extension header's first two bytes (next header,
// length) are checked before they are read; the UDP header's offset is
// then computed from the length byte read from the packet (a dependent
// read) and the UDP destination port is checked against the packet end at
// that variable offset before it is read.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define MEMCACHED_PORT 11211

SEC("xdp")
int ipv6_ext_header_ports(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct ipv6hdr *ip6 = data + sizeof(struct ethhdr);

  if ((void *)(ip6 + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IPV6))
    return XDP_PASS;
  __u8 nexthdr = ip6->nexthdr;
  unsigned char *l4 = (void *)(ip6 + 1);
  if (nexthdr == IPPROTO_HOPOPTS || nexthdr == IPPROTO_DSTOPTS) {
    unsigned char *ext = l4;
    if (ext + 2 > (unsigned char *)data_end)
      return XDP_PASS;
    nexthdr = ext[0];
    unsigned int ext_len = (ext[1] + 1) * 8;
    l4 = ext + ext_len;
  }
  if (nexthdr != IPPROTO_UDP)
    return XDP_PASS;
  struct udphdr *udp = (void *)l4;
  if ((void *)(udp + 1) > data_end)
    return XDP_PASS;
  if (udp->dest == bpf_htons(MEMCACHED_PORT))
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
