// Drops IPv4 UDP datagrams whose payload holds more than 8 words (runs of
// bytes other than the space 0x20), passes everything else: a tokenizer
// with nested loops. The outer loop skips one space or starts a word; the
// inner loop runs to the end of the word and advances the outer loop's
// own pointer. Both loops share the variant data_end - p: the outer
// iteration's p++ before the inner loop is the decrease that counts for
// the outer loop, and the inner loop only decreases it further (the
// checker carries it through the inner head as a ghost, one above the
// variant there).
//
// kernel-verifier: rejects clang's build of this file (and vepcc's): the
// loops are bounded only by the packet length, which the Linux verifier
// cannot use to bound them.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define MAX_WORDS 8

SEC("xdp")
int payload_word_count(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = (void *)data;
  struct iphdr *ip = (void *)(data + sizeof(struct ethhdr));

  if ((void *)(ip + 1) > (void *)data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
    return XDP_PASS;
  if (ip->ihl < 5)
    return XDP_DROP;
  struct udphdr *udp = (void *)ip + ip->ihl * 4;
  unsigned char *p = (void *)(udp + 1);
  if (p > data_end)
    return XDP_PASS;
  unsigned int words = 0;

  /*@ Inv data <= p && p <= data_end Variant data_end - p */
  while (p < data_end) {
    if (*p == ' ') {
      p++;
      continue;
    }
    words++;
    p++;
    /*@ Inv data <= p && p <= data_end Variant data_end - p */
    while (p < data_end && *p != ' ')
      p++;
  }
  return words > MAX_WORDS ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
