// Regression: an inline function with a loop, called in a loop (VEP-C's
// inline_in_loop.c, rows, made a UDP filter: drop a datagram whose first
// 32 payload bytes hold a row of 8 zero bytes). zeros copies its parameter
// p into its loop pointer q and reads p nowhere after, yet its invariant
// states p <= q, the lower bound the access *q needs. p was dead at the
// loop head, and vepcc refused the program ("mentions 'zeros.p', which is
// not live at the loop head") that VEP-C verified. A variable the cut point
// states and whose value is not a known constant now stays live at the
// head, and the cut point binds it (docs/compiler.md section 4,
// "Stated variables").
// inline_loop_local_copy: the same with zeros_after_first's local s =
// p + 1 copied into q; s was forwarded (its assignment dropped, as it is
// read only in q's initialisation), and now counts as read at the head.
//
// Not a kernel example: the Linux verifier does not compare two packet
// pointers (q < end), so it walks the inner loop past the row and refuses
// vepcc's build.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ROW 8
#define ROWS 4

static __always_inline unsigned int zeros(unsigned char *p, unsigned char *end)
{
  unsigned int c = 0;

  /*@ Inv p <= q && q <= end && c <= q - p Variant end - q */
  for (unsigned char *q = p; q < end; q++)
    if (*q == 0)
      c++;
  return c;
}

static __always_inline unsigned int zeros_after_first(unsigned char *p,
                                                      unsigned char *end)
{
  unsigned int c = 0;
  unsigned char *s = p + 1;

  /*@ Inv p < s && s <= q && q <= end && c <= q - s Variant end - q */
  for (unsigned char *q = s; q < end; q++)
    if (*q == 0)
      c++;
  return c;
}

SEC("xdp")
int inline_loop_param_copy(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = (void *)data;
  struct iphdr *ip = (void *)(data + sizeof(struct ethhdr));

  if ((void *)(ip + 1) > (void *)data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP ||
      ip->ihl != 5)
    return XDP_PASS;
  unsigned char *payload = (void *)((struct udphdr *)(ip + 1) + 1);
  if (payload + ROW * ROWS > data_end)
    return XDP_PASS;

  /*@ Inv 0 <= i && i <= 4 && data <= payload && payload + 32 <= data_end */
  for (int i = 0; i < ROWS; i++)
    if (zeros(payload + ROW * i, payload + ROW * i + ROW) == ROW)
      return XDP_DROP;
  return XDP_PASS;
}

SEC("xdp")
int inline_loop_local_copy(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;

  if (data + ROW * ROWS > data_end)
    return XDP_PASS;
  /*@ Inv 0 <= i && i <= 4 && data + 32 <= data_end */
  for (int i = 0; i < ROWS; i++)
    if (zeros_after_first(data + ROW * i, data + ROW * i + ROW) == ROW - 1)
      return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
