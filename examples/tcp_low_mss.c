// Drops TCP SYNs that advertise a tiny maximum segment size (below 500
// bytes), the published mitigation of the "SACK Panic" Linux TCP bugs
// (CVE-2019-11477/11478/11479), which relied on small MSS values; also
// drops SYNs with malformed options (an option length below 2 or running
// past the header, or a data offset below 5 words). Everything else
// passes. The options are walked as kind/length records: kind 0 ends the
// list, kind 1 is a one-byte NOP, every other option gives its length.
// Safe: the TCP header is found at the IPv4 header's real length (IHL x 4)
// and checked as a whole; each option's bytes are checked against the
// packet end before they are read, and the invariant keeps the options
// pointer inside the packet. The loop ends: each iteration advances `pos`
// by at least 1 and `pos` stays at most 40 (the variant 40 - pos); the
// data offset is read once into `doff`, so its checked value is the one
// used.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MSS 2
#define MIN_MSS 500
#define MAX_OPT_LEN 40 // a data offset of 15 words: 60 - 20 bytes of options

SEC("xdp")
int tcp_low_mss(struct xdp_md *ctx)
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
    return XDP_PASS;
  struct tcphdr *tcp = (void *)ip + ip->ihl * 4;
  if ((void *)(tcp + 1) > data_end)
    return XDP_PASS;
  if (!tcp->syn)
    return XDP_PASS;
  unsigned int doff = tcp->doff;
  if (doff < 5)
    return XDP_DROP;
  unsigned int end = doff * 4 - sizeof(struct tcphdr);
  unsigned char *opts = (void *)(tcp + 1);
  unsigned int pos = 0;

  /*@ Inv data <= opts && opts <= data_end &&
          0 <= pos && pos <= MAX_OPT_LEN && end <= MAX_OPT_LEN
      Variant MAX_OPT_LEN - pos */
  while (pos < end) {
    unsigned char *opt = opts + pos;
    if (opt + 2 > (unsigned char *)data_end)
      return XDP_PASS;
    unsigned char kind = opt[0];
    if (kind == TCPOPT_EOL)
      break;
    if (kind == TCPOPT_NOP) {
      pos++;
      continue;
    }
    unsigned char len = opt[1];
    if (len < 2 || len > end - pos)
      return XDP_DROP;
    if (kind == TCPOPT_MSS && len == 4) {
      if (opt + 4 > (unsigned char *)data_end)
        return XDP_PASS;
      __u16 mss = bpf_ntohs(*(__be16 *)(opt + 2));
      if (mss < MIN_MSS)
        return XDP_DROP;
      break;
    }
    pos += len;
  }
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
