#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int variable_index(struct xdp_md *ctx)
{
  __u32 a[4] = {};
  return ctx->ingress_ifindex && a[ctx->rx_queue_index & 3];
}

SEC("xdp")
int index_out_of_bounds(struct xdp_md *ctx)
{
  __u32 a[4] = {};
  return a[4];
}

SEC("xdp")
int whole_array(struct xdp_md *ctx)
{
  __u32 a[2] = {};
  __u32 *p = a;
  return *p;
}

static __attribute__((noinline)) void copy4(__u8 *d, __u8 *s)
/*@ Require store_uchar_array(d, 4, ld) * store_uchar_array(s, 4, ls) */
{
  d[0] = s[0];
}

SEC("xdp")
int one_array_twice(struct xdp_md *ctx)
{
  __u8 a[4] = {};
  copy4(a, a);
  return a[0];
}
