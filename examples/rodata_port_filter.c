// Drops IPv4 TCP segments to one destination port, which user space picks
// before loading: a `const volatile` global in `.rodata` (the libbpf
// pattern: the loader may rewrite the value in the object, then the map is
// frozen and the program may only read it). Its default is 53: DNS over
// TCP (zone transfers).
// Safe: the TCP header is found at the IPv4 header's real length and
// bound-checked before its port is read; the configuration is only read
// (VEP takes its value as unknown: any port).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

const volatile __u16 blocked_port = 53;

SEC("xdp")
int rodata_port_filter(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_TCP)
    return XDP_PASS;
  if (ip->ihl < 5)
    return XDP_PASS;
  struct tcphdr *tcp = (void *)ip + ip->ihl * 4;
  if ((void *)(tcp + 1) > data_end)
    return XDP_PASS;
  if (bpf_ntohs(tcp->dest) == blocked_port)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
