// Answers ICMP echo requests (ping) to any address from the XDP hook: turns
// the request into the reply in place and sends it back out of the
// interface it came in on (XDP_TX). The reply swaps the Ethernet and IPv4
// addresses, sets the ICMP type to echo reply and updates the ICMP
// checksum incrementally for the changed type (RFC 1624: HC' = ~(~HC + ~m
// + m')); the IPv4 header checksum stays valid (swapping two words keeps
// their sum). Frames shorter than 60 bytes arrive padded up to it: the
// padding after the IPv4 datagram (its total length) is cut off with
// bpf_xdp_adjust_tail, so the reply carries exactly the datagram. Passes
// everything else; drops requests whose total length is shorter than the
// headers or longer than the frame. Safe: the headers are bound-checked
// before any access; the helper call comes last and no packet pointer is
// used after it.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

// From <linux/icmp.h>, which pulls in libc headers a BPF build cannot use.
#define ICMP_ECHOREPLY 0
#define ICMP_ECHO 8

struct icmp_echo_header { // struct icmphdr for an echo message
  __u8 type;
  __u8 code;
  __sum16 checksum;
  __be16 id;
  __be16 sequence;
};

#define IP_ICMP_HLEN 28 // an IPv4 header without options and an ICMP header

SEC("xdp")
int icmp_echo_reply(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP || __return == XDP_TX */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + ETH_HLEN;
  struct icmp_echo_header *icmp = data + ETH_HLEN + sizeof(struct iphdr);

  if ((void *)(icmp + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  if (ip->ihl != 5 || ip->protocol != IPPROTO_ICMP)
    return XDP_PASS;
  if (icmp->type != ICMP_ECHO || icmp->code != 0)
    return XDP_PASS;
  __u32 total = bpf_ntohs(ip->tot_len);
  __u32 frame = data_end - data;
  if (total < IP_ICMP_HLEN || ETH_HLEN + total > frame)
    return XDP_DROP;

  // Ethernet: destination and source swapped (6 bytes each).
  __u32 dst_lo = *(__u32 *)eth->h_dest;
  __u16 dst_hi = *(__u16 *)(eth->h_dest + 4);
  *(__u32 *)eth->h_dest = *(__u32 *)eth->h_source;
  *(__u16 *)(eth->h_dest + 4) = *(__u16 *)(eth->h_source + 4);
  *(__u32 *)eth->h_source = dst_lo;
  *(__u16 *)(eth->h_source + 4) = dst_hi;

  // IPv4: source and destination swapped.
  __be32 saddr = ip->saddr;
  ip->saddr = ip->daddr;
  ip->daddr = saddr;

  // ICMP: type 8 (code 0) becomes type 0; the 16-bit word holding type
  // and code changes from m to m' (both as stored, as the checksum is).
  __u32 old_word = bpf_htons(ICMP_ECHO << 8);
  __u32 new_word = bpf_htons(ICMP_ECHOREPLY << 8);
  icmp->type = ICMP_ECHOREPLY;
  __u32 sum = (__u16)~icmp->checksum + (~old_word & 0xffff) + new_word;
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  icmp->checksum = (__u16)~sum;

  __u32 padding = frame - (ETH_HLEN + total);
  if (padding == 0)
    return XDP_TX;
  if (bpf_xdp_adjust_tail(ctx, -(int)padding))
    return XDP_DROP;
  return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
