#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int histogram(struct xdp_md *ctx)
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *end = (void *)(long)ctx->data_end;
  __u32 counts[4] = {};
  __u32 i;
  /*@ Inv i <= 6 && counts[0] + counts[1] + counts[2] + counts[3] == 2 * i */
  for (i = 0; i < 6; i++) {
    if (data + i + 1 > end)
      break;
    unsigned char v = data[i];
    counts[data[i] & 3] += 1; // evaluated once, before the compares
    counts[v >> 6]++;
  }
  __u32 most = 0;
  /*@ Inv i <= 4 && most <= 12 &&
        counts[0] + counts[1] + counts[2] + counts[3] <= 12 */
  for (i = 0; i < 4; i++)
    if (counts[i] > most)
      most = counts[i];
  return most <= 12 ? XDP_PASS : XDP_ABORTED;
}

struct pair {
  __u16 a;
  __u32 b;
};

SEC("xdp")
int struct_elements(struct xdp_md *ctx)
{
  struct pair ps[3] = {};
  __u32 i = ctx->ingress_ifindex % 3;
  ps[i].b = 7;
  ps[2 - i].a = 1;
  /*@ Assert ps[0].b + ps[1].b + ps[2].b == 7 */
  return ps[i].b == 7 ? XDP_PASS : XDP_ABORTED;
}

SEC("xdp")
int negative_index(struct xdp_md *ctx)
{
  __u32 a[4] = {1, 2, 3, 4};
  int k = ctx->ingress_ifindex & 3;
  return a[k - 1];
}

SEC("xdp")
int unbounded_write(struct xdp_md *ctx)
{
  __u32 a[4] = {};
  __u32 i = ctx->ingress_ifindex;
  a[i] = 1;
  return a[0];
}

SEC("xdp")
int element_unwritten(struct xdp_md *ctx)
{
  __u32 a[4];
  a[0] = 1;
  __u32 i = ctx->ingress_ifindex & 1;
  return a[i];
}

SEC("xdp")
int index_reads_packet(struct xdp_md *ctx)
/*@ Ensure __return <= 8 */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *end = (void *)(long)ctx->data_end;
  __u8 weight[4] = {1, 2, 3, 4};
  if (data + 2 > end)
    return 0;
  return weight[data[0] & 3] + weight[data[1] >> 6];
}
