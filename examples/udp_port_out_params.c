// Drops UDP datagrams to QOTD (17), chargen (19) and DNS (53), services
// whose replies reflection attacks abuse, with parsers that hand
// results back through out-parameters, the usual shape of C parsers
// (`int parse(..., __u16 *port)`). The caller does not initialise the
// variables it passes; the contracts say so with undef_data_at, and each
// parser promises with data_at that it wrote the variable: on every path,
// or where it returns 0 (then the caller reads the port only after
// checking the result). Offsets come back as results, whose bounds the
// checker sees in the contract; an out-parameter's value is known to
// VEP-C only.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* The offset of the transport header behind the Ethernet and IPv4
 * headers at p (34 to 74) with the IPv4 protocol in *proto, or 0 (and
 * *proto 0) for another EtherType or a cut-short or malformed header. */
static __attribute__((noinline)) __u32 ipv4_payload(void *p, void *end,
                                                    __u8 *proto)
/*@ Require packet(p) && packet_end(end) && undef_data_at(proto, __u8)
    Ensure data_at(proto, __u8, pr) && __return <= 74 &&
           (__return == 0 => pr == 0) */
{
  struct ethhdr *eth = p;
  struct iphdr *ip = p + sizeof(*eth);
  *proto = 0;
  if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
    return 0;
  __u32 ihl = ip->ihl;
  if (ihl < 5)
    return 0;
  *proto = ip->protocol;
  return sizeof(*eth) + ihl * 4;
}

/* The destination port of the UDP header at p in *port and 0, or -1
 * (leaving *port alone) when the header is cut short. */
static __attribute__((noinline)) int udp_dest(void *p, void *end,
                                              __u16 *port)
/*@ Require packet(p) && packet_end(end) && undef_data_at(port, __u16)
    Ensure (__return == 0 => data_at(port, __u16, v)) */
{
  struct udphdr *udp = p;
  if ((void *)(udp + 1) > end)
    return -1;
  *port = bpf_ntohs(udp->dest);
  return 0;
}

SEC("xdp")
int udp_port_out_params(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  __u8 proto;
  __u16 port;

  __u32 off = ipv4_payload(data, data_end, &proto);
  if (off == 0 || proto != IPPROTO_UDP)
    return XDP_PASS;
  void *l4 = data + off;
  if (l4 > data_end)
    return XDP_PASS;
  if (udp_dest(l4, data_end, &port) != 0)
    return XDP_PASS;
  if (port == 17 || port == 19 || port == 53)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
