// UNSAFE: a TCP options walker (looking for the MSS option) that skips
// each option by its length byte without rejecting lengths below 2: an
// option with length 0 never advances `pos`, so a crafted SYN makes the
// loop spin forever (a classic parser bug; the Linux verifier refuses
// clang's build too, after walking the loop thousands of steps, with a
// packet access it can no longer bound). Expected: the variant may not
// decrease (the fix is `if (len < 2) return XDP_DROP;` before
// `pos += len`).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int tcp_options_zero_length(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);
  struct tcphdr *tcp = data + sizeof(struct ethhdr) + sizeof(struct iphdr);
  unsigned char *opts = (void *)(tcp + 1);

  if ((void *)(tcp + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_TCP || ip->ihl != 5)
    return XDP_PASS;
  unsigned int doff = tcp->doff;
  if (doff < 5)
    return XDP_DROP;
  unsigned int end = doff * 4 - sizeof(struct tcphdr);
  unsigned int pos = 0;

  /*@ Inv pos <= 40 + 255 && end <= 40 Variant 40 + 255 - pos */ // expected-error {{loop variant may not decrease}}
  while (pos < end) {
    unsigned char *opt = opts + pos;
    if (opt + 2 > (unsigned char *)data_end)
      return XDP_PASS;
    if (opt[0] == 0)
      break;
    if (opt[0] == 1) {
      pos++;
      continue;
    }
    if (opt[0] == 2 && opt[1] == 4)
      return XDP_PASS;
    pos += opt[1];
  }
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
