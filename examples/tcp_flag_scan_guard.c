// Drops IPv4 TCP segments with flag combinations no real connection uses,
// the signatures of port scans and stack fingerprinting: no flags at all
// (a "null" scan), FIN+PSH+URG without ACK (an "Xmas" scan), SYN+FIN and
// SYN+RST; passes everything else. Safe: the TCP header is located at the
// IPv4 header's real length (IHL x 4, at least 20) and checked as a whole
// (20 bytes) against the packet end before its flags byte (byte 13) is
// read, once; the tests are masks on that one value.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

// The flag bits of byte 13 of the TCP header (RFC 9293).
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20
#define XMAS (TCP_FIN | TCP_PSH | TCP_URG)
#define ALL_FLAGS (TCP_FIN | TCP_SYN | TCP_RST | TCP_PSH | TCP_ACK | TCP_URG)

SEC("xdp")
int tcp_flag_scan_guard(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
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
    return XDP_DROP;
  struct tcphdr *tcp = (void *)ip + ip->ihl * 4;
  if ((void *)(tcp + 1) > data_end)
    return XDP_PASS;
  __u8 flags = ((__u8 *)tcp)[13];
  if ((flags & ALL_FLAGS) == 0)
    return XDP_DROP;
  if ((flags & (XMAS | TCP_ACK)) == XMAS)
    return XDP_DROP;
  if ((flags & TCP_SYN) && (flags & (TCP_FIN | TCP_RST)))
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
