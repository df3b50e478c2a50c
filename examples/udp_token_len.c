// Drops UDP datagrams whose payload starts with a word longer than 12 bytes
// (a filter for a text protocol none of whose commands is that long). The
// word is measured with a strnlen-like function over the packet: a
// bpf-to-bpf function with a loop, verified once against its contract.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* The number of bytes before the first space, NUL or the packet's end,
 * from p, at most max. */
static __attribute__((noinline)) __u32 word_len(unsigned char *p, void *end,
                                                __u32 max)
/*@ Require packet(p) && packet_end(end) && max <= 64
    Ensure __return <= max */
{
  __u32 i = 0;
  /*@ Inv i <= max && max <= 64 Variant max - i */
  while (i < max) {
    if ((void *)(p + i + 1) > end)
      break;
    if (p[i] == ' ' || p[i] == 0)
      break;
    i++;
  }
  return i;
}

SEC("xdp")
int udp_token_len(struct xdp_md *ctx)
/*@ Ensure XDP_DROP <= __return && __return <= XDP_PASS */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);
  struct udphdr *udp = (void *)(ip + 1);

  if ((void *)(udp + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 ||
      ip->protocol != IPPROTO_UDP)
    return XDP_PASS;
  if (word_len((unsigned char *)(udp + 1), data_end, 13) > 12)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
