// UNSAFE: passes IPv4 packets whose protocol is in an allowlist bitmap
// (ICMP, TCP, UDP), tested as `1u << (protocol & 63)`, copied from a 64-bit
// version of the mask; with a 32-bit `1u`, protocols 32..63 (and 96..127,
// ...) shift it by 32 or more, which C leaves undefined. What runs depends
// on the compiler: clang's build shifts in 64 bits and drops those
// protocols, a 32-bit shift instruction masks the amount (eBPF defines
// that) and lets protocol 38 pass as if it were 6, TCP. Either way the
// bytecode is memory-safe: this is a C-level error. Expected: shift amount
// out of range (the fix: a __u64 mask and `1ull << (protocol & 63)`).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ALLOWED ((1u << IPPROTO_ICMP) | (1u << IPPROTO_TCP) | (1u << IPPROTO_UDP))

SEC("xdp")
int protocol_mask_shift(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  __u32 bit = 1u << (ip->protocol & 63); // expected-error {{shift amount out of range}}
  if (ALLOWED & bit)
    return XDP_PASS;
  return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
