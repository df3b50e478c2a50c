// UNSAFE: drops TCP segments to port 23 (telnet). The bound check assumes
// an IPv4 header without options (20 bytes), but the TCP header is then
// located at the header's real length, IHL x 4, up to 60 bytes: a packet
// with IP options and just 54 bytes makes the port read run past the end.
// Expected: packet access out of bounds at the port read (the fix checks
// `(void *)(tcp + 1) > data_end` for the TCP header actually used).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int tcp_assumes_no_options(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if (data + sizeof(struct ethhdr) + sizeof(struct iphdr) + sizeof(struct tcphdr) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_TCP)
    return XDP_PASS;
  struct tcphdr *tcp = (void *)ip + ip->ihl * 4;
  if (tcp->dest == bpf_htons(23)) // expected-error {{packet access out of bounds}}
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
