// The twin of examples/xdp_hdr_cursor.c whose Ethernet parser reads the
// EtherType without checking that the header lies inside the packet: on a
// frame shorter than 14 bytes the read is past data_end. VEP-C reports it
// in the inline helper, where the read is.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct hdr_cursor {
  void *pos;
};

static __always_inline int parse_ethhdr(struct hdr_cursor *nh, void *data_end,
                                        struct ethhdr **ethhdr)
{
  struct ethhdr *eth = nh->pos;
  nh->pos = eth + 1;
  *ethhdr = eth;
  return eth->h_proto; // expected-error {{packet access out of bounds}}
}

static __always_inline int parse_iphdr(struct hdr_cursor *nh, void *data_end,
                                       struct iphdr **iphdr)
{
  struct iphdr *iph = nh->pos;
  if ((void *)(iph + 1) > data_end)
    return -1;
  int hdrsize = iph->ihl * 4;
  if (hdrsize < (int)sizeof(*iph))
    return -1;
  if (nh->pos + hdrsize > data_end)
    return -1;
  nh->pos += hdrsize;
  *iphdr = iph;
  return iph->protocol;
}

static __always_inline int parse_udphdr(struct hdr_cursor *nh, void *data_end,
                                        struct udphdr **udphdr)
{
  struct udphdr *h = nh->pos;
  if ((void *)(h + 1) > data_end)
    return -1;
  nh->pos = h + 1;
  *udphdr = h;
  return bpf_ntohs(h->dest);
}

SEC("xdp")
int hdr_cursor_no_bound(struct xdp_md *ctx)
{
  void *data_end = (void *)(long)ctx->data_end;
  void *data = (void *)(long)ctx->data;
  struct hdr_cursor nh;
  struct ethhdr *eth;
  struct iphdr *iph;
  struct udphdr *udph;

  nh.pos = data;
  if (parse_ethhdr(&nh, data_end, &eth) != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  if (parse_iphdr(&nh, data_end, &iph) != IPPROTO_UDP)
    return XDP_PASS;
  if (parse_udphdr(&nh, data_end, &udph) != 53)
    return XDP_PASS;
  if ((eth->h_dest[0] & 1) || iph->ttl < 2 ||
      udph->source == bpf_htons(53))
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
