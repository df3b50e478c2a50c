// A socket filter that keeps only TCP connection requests, segments with
// SYN set and ACK clear, and only their first 64 bytes (a socket filter's
// result is how many bytes to keep: enough for the IPv4 and TCP headers of
// a monitor counting connection attempts), and drops everything else. The
// packet starts at the IPv4 header; the TCP header is at the variable
// offset IHL * 4, read with bpf_skb_load_bytes, which fails on a packet too
// short (dropped).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define TCP_FLAG_SYN 0x02
#define TCP_FLAG_ACK 0x10

SEC("socket")
int socket_tcp_syn(struct __sk_buff *skb)
/*@ Ensure __return == 0 || __return == 64 */
{
  if (skb->protocol != bpf_htons(ETH_P_IP))
    return 0;
  __u16 head; // version/IHL and TOS
  int err = bpf_skb_load_bytes(skb, 0, &head, 2);
  if (err < 0)
    return 0;
  __u8 proto;
  err = bpf_skb_load_bytes(skb, 9, &proto, 1);
  if (err < 0 || proto != IPPROTO_TCP)
    return 0;
  __u32 tcp = (head & 0x0f) * 4;
  __u8 flags;
  err = bpf_skb_load_bytes(skb, tcp + 13, &flags, 1); // after the data offset
  if (err < 0)
    return 0;
  if ((flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) != TCP_FLAG_SYN)
    return 0;
  return 64;
}

char LICENSE[] SEC("license") = "GPL";
