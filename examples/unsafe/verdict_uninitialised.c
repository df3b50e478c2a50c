// UNSAFE: picks a verdict per IP protocol (drop ICMP and UDP, pass TCP)
// but forgets the default case: for any other protocol `verdict` is read
// without ever being assigned, which C leaves undefined. What runs depends
// on the compiler: clang assumes the read never happens and lets every
// other protocol pass; vepcc's build returns whatever the variable's
// register last held, here a packet pointer (vep-check refuses that: an
// XDP program must return a scalar). Expected: read of uninitialised
// variable 'verdict' at the return (the fix: `__u32 verdict = XDP_PASS;`).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int verdict_uninitialised(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);
  __u32 verdict;

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  if (ip->protocol == IPPROTO_TCP)
    verdict = XDP_PASS;
  else if (ip->protocol == IPPROTO_ICMP || ip->protocol == IPPROTO_UDP)
    verdict = XDP_DROP;
  return verdict; // expected-error {{read of uninitialised variable 'verdict'}}
}

char LICENSE[] SEC("license") = "GPL";
