// Drops IPv4 packets whose lengths do not add up: a header length (IHL x 4)
// below the minimum of 20 bytes, or a total length shorter than the header
// (the payload length, an `int`, is then negative); drops short datagrams
// (payload under 8 bytes) whose transport header starts with a zero byte;
// passes everything else. The lengths are signed `int`s, as parsers often
// write them: the compiler compares them with signed 32-bit jumps, and the
// checker learns from them (docs/proof-format.md 7.5, rules jmp32 and
// jmp_signed) that `ihl` is at least 20 and nonnegative, so the transport
// header at `ip + ihl` is bounds-checked like any other offset.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int ipv4_signed_lengths(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = (void *)data;
  struct iphdr *ip = (void *)(data + sizeof(struct ethhdr));

  if ((void *)(ip + 1) > (void *)data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  int ihl = ip->ihl * 4;
  if (ihl < 20)
    return XDP_DROP;
  int payload = bpf_ntohs(ip->tot_len) - ihl;
  if (payload < 0)
    return XDP_DROP;
  unsigned char *l4 = (unsigned char *)ip + ihl;
  if (l4 + 1 > data_end)
    return XDP_PASS;
  if (payload < 8 && *l4 == 0)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
