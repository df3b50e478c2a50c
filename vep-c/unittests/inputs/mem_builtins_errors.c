// memcpy and memset VEP refuses, each with its reason.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct key {
  __u32 addr;
  __u16 port;
  __u16 flags;
};

SEC("xdp")
int variable_length(struct xdp_md *ctx)
{
  struct key k;
  __u32 n = ctx->rx_queue_index & 7;
  __builtin_memset(&k, 0, n);
  return k.addr;
}

SEC("xdp")
int past_local(struct xdp_md *ctx)
{
  __u32 x;
  __builtin_memset(&x, 0, 8);
  return x;
}

SEC("xdp")
int part_of_field(struct xdp_md *ctx)
{
  struct key k = {};
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  if (data + 8 > data_end)
    return XDP_DROP;
  __builtin_memcpy(&k, data, 2);
  return k.port;
}

SEC("xdp")
int result_used(struct xdp_md *ctx)
{
  struct key k, l = {};
  void *p = __builtin_memcpy(&k, &l, sizeof(k));
  return p != 0;
}

char _license[] SEC("license") = "GPL";
