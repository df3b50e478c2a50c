// A socket filter for a monitor of traffic about to expire: keeps the
// whole of every IPv4 packet whose TTL is 1 or 0 (the next router drops
// it: traceroute probes, routing loops) and drops everything else,
// including non-IPv4 packets and packets too short to hold a TTL
// (bpf_skb_load_bytes fails on those; its result is checked before the
// byte is used). A socket filter's result is how many bytes to keep:
// skb->len for the whole packet, 0 to drop it.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("socket")
int socket_ttl_guard(struct __sk_buff *skb)
{
  if (skb->protocol != bpf_htons(ETH_P_IP))
    return 0;
  __u8 ttl;
  int err = bpf_skb_load_bytes(skb, 8, &ttl, 1); // IPv4 TTL
  if (err < 0)
    return 0;
  if (ttl > 1)
    return 0;
  return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
