// Encapsulates IPv4 packets in IPIP and sends them back out (XDP_TX), as a
// tunnel entry point does: bpf_xdp_adjust_head makes room for the outer
// header in front of the inner one, the Ethernet header is rebuilt there
// with the addresses swapped, and the outer IPv4 header is written field by
// field, its version and ihl through their bit-fields, its checksum summed
// over the ten 16-bit words just written. After adjust_head every packet
// pointer is new (the old ones are invalid), so the program names the new
// packet with new variables; the checksum loop's invariant says where its
// word pointer is, with a cast to count in bytes.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define TUNNEL_SRC 0x0a000001 /* 10.0.0.1 */
#define TUNNEL_DST 0x0a000002 /* 10.0.0.2 */

SEC("xdp")
int xdp_ipip_encap(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *inner = (void *)(eth + 1);

  if ((void *)(inner + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || inner->ttl <= 1)
    return XDP_PASS;
  __u16 inner_len = bpf_ntohs(inner->tot_len);
  if (inner_len > 1480)
    return XDP_PASS;
  struct ethhdr old = *eth;

  if (bpf_xdp_adjust_head(ctx, -(int)sizeof(struct iphdr)))
    return XDP_DROP;
  void *start = (void *)(long)ctx->data;
  void *end = (void *)(long)ctx->data_end;
  struct ethhdr *out_eth = start;
  struct iphdr *outer = (void *)(out_eth + 1);
  if ((void *)(outer + 1) > end)
    return XDP_DROP;

  __builtin_memcpy(out_eth->h_dest, old.h_source, ETH_ALEN);
  __builtin_memcpy(out_eth->h_source, old.h_dest, ETH_ALEN);
  out_eth->h_proto = bpf_htons(ETH_P_IP);
  outer->version = 4;
  outer->ihl = 5;
  outer->tos = 0;
  outer->tot_len = bpf_htons(inner_len + sizeof(struct iphdr));
  outer->id = 0;
  outer->frag_off = bpf_htons(0x4000); /* don't fragment */
  outer->ttl = 64;
  outer->protocol = IPPROTO_IPIP;
  outer->check = 0;
  outer->saddr = bpf_htonl(TUNNEL_SRC);
  outer->daddr = bpf_htonl(TUNNEL_DST);

  __u32 sum = 0;
  __u16 *word = (void *)outer;
  /*@ Inv 0 <= i && i <= 10 && (void *)word == (void *)outer &&
          start + 14 == (void *)outer && (void *)outer + 20 <= end */
  for (int i = 0; i < 10; i++)
    sum += word[i];
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  outer->check = ~sum;
  return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
