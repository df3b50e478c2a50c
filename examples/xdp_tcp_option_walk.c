// Walks the options of TCP SYNs the way hand-written XDP filters do: a
// pointer moved from option to option by each option's length, in a loop
// capped at 10 iterations. Counts, per option kind, the SYNs that carry it
// (a per-CPU array indexed by kind) and drops SYNs whose window scale
// shift is above 14, the largest RFC 7323 allows, and SYNs with an option
// length below 2. Everything else passes.
// The loop has no annotation: it counts, and VEP-C infers that the
// options pointer stays between the packet's start and 255 bytes past its
// end (each step adds an option length, a byte, after the pointer was
// checked against data_end), docs/vep-c.md "Inferred invariants". The TCP
// header sits at the IPv4 header's real length (IHL x 4).
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_WINDOW 3
#define MAX_WSCALE 14

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 256);
  __type(key, __u32);
  __type(value, __u64);
} syn_option_kinds SEC(".maps");

SEC("xdp")
int xdp_tcp_option_walk(struct xdp_md *ctx)
{
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = (void *)(long)ctx->data;
  if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_TCP)
    return XDP_PASS;
  struct tcphdr *tcp = (void *)ip + ip->ihl * 4;
  if ((void *)(tcp + 1) > data_end || !tcp->syn)
    return XDP_PASS;
  __u8 *opt = (__u8 *)(tcp + 1);
  __u8 *end = (__u8 *)tcp + tcp->doff * 4;

  for (int i = 0; i < 10; i++) {
    if (opt >= end || opt + 1 > (__u8 *)data_end)
      break;
    __u32 kind = *opt;
    if (kind == TCPOPT_EOL)
      break;
    __u64 *seen = bpf_map_lookup_elem(&syn_option_kinds, &kind);
    if (seen)
      *seen += 1;
    if (kind == TCPOPT_NOP) {
      opt++;
      continue;
    }
    if (opt + 2 > (__u8 *)data_end || opt[1] < 2)
      return XDP_DROP;
    if (kind == TCPOPT_WINDOW && opt + 3 <= (__u8 *)data_end &&
        opt[2] > MAX_WSCALE)
      return XDP_DROP;
    opt += opt[1];
  }
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
