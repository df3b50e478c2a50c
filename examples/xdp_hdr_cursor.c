// Parses Ethernet, IPv4 and UDP the way the XDP tutorials teach: inline
// helpers that advance a `struct hdr_cursor` through the packet and hand
// each header back through a pointer to the caller's pointer variable
// (`struct ethhdr **ethhdr`). VEP-C inlines them; a parameter given the
// address of a local (`&nh`, `&eth`) names that local in the body, so
// `nh->pos += hdrsize` and `*iphdr = iph` are assignments to the caller's
// variables, and no annotation is needed. Drops DNS datagrams (UDP to port
// 53) that arrive with a multicast destination MAC, a TTL below 2 or from
// port 53 (a reflected reply).
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
  if ((void *)(eth + 1) > data_end)
    return -1;
  nh->pos = eth + 1;
  *ethhdr = eth;
  return eth->h_proto;
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
int xdp_hdr_cursor(struct xdp_md *ctx)
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
