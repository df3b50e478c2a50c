// Regression: `#pragma clang loop unroll(full)` before a loop was rejected
// ("not supported yet: statement 'AttributedStmt'"); loop hints are now
// ignored (the loop still has its Inv). Otherwise examples/ipv4_checksum.c.
// Drops IPv4 packets whose header checksum is wrong (and headers shorter
// than 20 bytes or cut off by the end of the packet), passes everything
// else. The checksum is the ones' complement sum of the header's 16-bit
// words, options included: IHL x 2 words, at most 30; a correct header
// sums to 0xffff (in either byte order). Written the way the Linux
// verifier accepts it: a loop with a constant bound that stops at the
// header's length, and a bound check before each word is read.
// Safe: each 2-byte word is checked against the packet end right before it
// is read; the loop runs at most 30 times (inferred variant 30 - i).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define MAX_WORDS 30 // 60 bytes: the longest IPv4 header

SEC("xdp")
int ipv4_checksum(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = (void *)data;
  struct iphdr *ip = (void *)(data + ETH_HLEN);

  if ((void *)(ip + 1) > (void *)data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  if (ip->ihl < 5)
    return XDP_DROP;
  unsigned int words = ip->ihl * 2;

  unsigned char *word = data + ETH_HLEN;
  __u32 sum = 0;
  unsigned int i;
#pragma clang loop unroll(full)
  /*@ Inv 0 <= i && i <= MAX_WORDS && word == data + ETH_HLEN + 2 * i */
  for (i = 0; i < MAX_WORDS; i++) {
    if (i >= words)
      break;
    if (word + 2 > data_end)
      return XDP_DROP;
    sum += *(__u16 *)word;
    word += 2;
  }
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return sum == 0xffff ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
