// Drops IPv4 UDP datagrams carrying a length-prefixed token (the first
// payload byte is the token's length n, the token follows) that is
// NUL-terminated and short: its last byte, token[n - 1], is zero and it is
// at most 16 bytes long (256 / n >= 16). Passes everything else, including
// empty tokens and tokens that do not fit in the packet. `n == 0` is
// checked first: VEP-C needs it for the division, and the checker learns
// from the disequality (docs/proof-format.md 7.5, rule jmp_ne: n >= 0, so
// n != 0 gives n >= 1) that `n - 1` does not wrap, which keeps the offset
// of the last byte exact and small enough for its bounds check.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int udp_token_tail(struct xdp_md *ctx)
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
  unsigned char *payload = (void *)(udp + 1);
  if (payload + 1 > data_end)
    return XDP_PASS;
  unsigned int n = payload[0];
  if (n == 0)
    return XDP_PASS;
  unsigned char *last = payload + 1 + (n - 1);
  if (last + 1 > data_end)
    return XDP_PASS;
  unsigned int per_256 = 256 / n;
  if (*last == 0 && per_256 >= 16)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
