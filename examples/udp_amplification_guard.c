// Drops UDP packets from source port 0 (never a valid one) and from the
// ports of well-known amplification services (chargen 19, SSDP 1900,
// memcached 11211) unless they go to the same port (server to server), and
// passes everything else. It keeps the flow in a local struct built field by
// field (`= {}` first, so every field holds a value), copies the UDP header
// into a local struct, and keeps the blocked ports in a local array read
// with constant indices: VEP-C and vepcc give each field and element a
// variable of its own (docs/vep-c.md, "Local structs and arrays").
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct flow {
  __u32 saddr;
  __u16 sport;
  __u16 dport;
  __u8 proto;
};

SEC("xdp")
int udp_amplification_guard(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);
  struct udphdr *udp = (void *)(ip + 1);
  __u16 blocked[4] = {0, bpf_htons(19), bpf_htons(1900), bpf_htons(11211)};
  struct flow f = {};

  if ((void *)(udp + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
    return XDP_PASS;
  f.proto = ip->protocol;
  if (f.proto != IPPROTO_UDP)
    return XDP_PASS;
  struct udphdr hdr = *udp;
  f.saddr = ip->saddr;
  f.sport = hdr.source;
  f.dport = hdr.dest;
  if (f.dport == f.sport)
    return XDP_PASS;
  if (f.sport == blocked[0] || f.sport == blocked[1] ||
      f.sport == blocked[2] || f.sport == blocked[3])
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
