// UNSAFE: the twin of udp_amplification_guard.c that declares its local
// flow struct without `= {}` and forgets to copy the destination port: the
// port test reads a field no statement wrote, which C leaves undefined (the
// fix: `struct flow f = {};` or `f.dport = udp->dest;`). Expected: read of
// uninitialised variable 'f.dport'.
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
};

SEC("xdp")
int flow_field_unwritten(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);
  struct udphdr *udp = (void *)(ip + 1);
  struct flow f;

  if ((void *)(udp + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
    return XDP_PASS;
  f.saddr = ip->saddr;
  f.sport = udp->source;
  if (f.sport == bpf_htons(19) && bpf_ntohs(f.dport) >= 1024) // expected-error {{read of uninitialised variable 'f.dport'}}
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
