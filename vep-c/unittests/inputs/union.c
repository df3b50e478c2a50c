// A union over packet bytes: every member starts at the union's start.
// See VerifierTest.cpp (VerifierUnion).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

union word {
  __u32 all;
  __u8 bytes[4];
  struct {
    __u16 lo, hi;
  } halves;
};

SEC("xdp")
int union_ok(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  union word *w = data;
  if ((void *)(w + 1) > data_end)
    return XDP_PASS;
  __u32 a = w->all;
  __u8 b = w->bytes[3];
  __u16 h = w->halves.hi;
  return a + b + h > 5 ? XDP_DROP : XDP_PASS;
}

// One union checked, the second one's high half read.
SEC("xdp")
int union_second_bad(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  union word *w = data;
  if ((void *)(w + 1) > data_end)
    return XDP_PASS;
  __u16 h = w[1].halves.hi;
  return h > 5 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
