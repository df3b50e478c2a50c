// A socket filter that keeps only DNS queries and answers, UDP datagrams
// from or to port 53, and drops everything else (returns 0); as on a raw
// IP socket that watches DNS, the packet starts at the IPv4 header. The
// header length comes from the packet (IHL, 4-byte words), so the UDP
// ports are at a variable offset: bpf_skb_load_bytes takes any offset and
// fails on a packet too short, which the filter then drops. Every read
// goes into an integer variable of exactly the length read.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("socket")
int socket_dns_only(struct __sk_buff *skb)
{
  if (skb->protocol != bpf_htons(ETH_P_IP))
    return 0;
  __u8 version_ihl;
  int err = bpf_skb_load_bytes(skb, 0, &version_ihl, 1);
  if (err < 0)
    return 0;
  __u8 proto;
  err = bpf_skb_load_bytes(skb, 9, &proto, 1);
  if (err < 0 || proto != IPPROTO_UDP)
    return 0;
  __u32 udp = (version_ihl & 0x0f) * 4;
  __be16 source;
  err = bpf_skb_load_bytes(skb, udp, &source, sizeof(source));
  if (err < 0)
    return 0;
  __be16 dest;
  err = bpf_skb_load_bytes(skb, udp + 2, &dest, sizeof(dest));
  if (err < 0)
    return 0;
  if (source == bpf_htons(53) || dest == bpf_htons(53))
    return skb->len;
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
