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
