// Forwards IPv4 packets in XDP after a route lookup in the kernel's FIB,
// as the kernel's xdp_fwd sample does: the lookup's parameters (struct
// bpf_fib_lookup, whose unions lay out differently: `tos` overlays
// `flowinfo`, `ipv4_src` overlays `ipv6_src[4]`) are filled from the
// header; on success the TTL is decremented with an incremental checksum
// update (RFC 1624), the MAC addresses are rewritten from the route's
// neighbour and the packet is redirected to the route's device. Routes
// that blackhole, are unreachable or prohibited drop the packet; anything
// else goes up the stack. Each lookup result is counted per CPU.
// VEP-C: the parameters are a local struct whose every byte is set before
// the call (the helper reads them all); docs/vep-c.md, "Local structs and
// arrays" and "Helper contracts".
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define AF_INET 2
#define FIB_RESULTS 16

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, FIB_RESULTS);
  __type(key, __u32);
  __type(value, __u64);
} fib_results SEC(".maps");

SEC("xdp")
int xdp_fib_forward(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *iph = data + sizeof(struct ethhdr);
  struct bpf_fib_lookup fib = {};

  if ((void *)(iph + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->ttl <= 1)
    return XDP_PASS;
  fib.family = AF_INET;
  fib.tos = iph->tos;
  fib.l4_protocol = iph->protocol;
  fib.tot_len = bpf_ntohs(iph->tot_len);
  fib.ipv4_src = iph->saddr;
  fib.ipv4_dst = iph->daddr;
  fib.ifindex = ctx->ingress_ifindex;

  long rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), 0);
  __u32 slot = rc >= 0 && rc < FIB_RESULTS ? rc : FIB_RESULTS - 1;
  __u64 *count = bpf_map_lookup_elem(&fib_results, &slot);
  if (count)
    *count += 1;
  if (rc == BPF_FIB_LKUP_RET_BLACKHOLE || rc == BPF_FIB_LKUP_RET_UNREACHABLE ||
      rc == BPF_FIB_LKUP_RET_PROHIBIT)
    return XDP_DROP;
  if (rc != BPF_FIB_LKUP_RET_SUCCESS)
    return XDP_PASS;

  // TTL - 1: the 16-bit word holding it (TTL, protocol) drops by 0x0100,
  // so the checksum, its one's complement sum negated, grows by as much,
  // the carry folded back in.
  __u32 sum = iph->check + bpf_htons(0x0100);
  iph->check = (sum & 0xffff) + (sum >> 16);
  iph->ttl--;
  __builtin_memcpy(eth->h_dest, fib.dmac, ETH_ALEN);
  __builtin_memcpy(eth->h_source, fib.smac, ETH_ALEN);
  return bpf_redirect(fib.ifindex, 0);
}

char LICENSE[] SEC("license") = "GPL";
