// _Bool: a byte; every conversion to it is `!= 0`. See FrontendTest.cpp
// (FrontendBool) and VerifierTest.cpp (VerifierBool).
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, bool);
} flags SEC(".maps");

static __always_inline bool is_tcp(__u8 p) { return p == 6; }

SEC("xdp")
int bool_ok(struct xdp_md *ctx)
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  if (data + 2 > data_end)
    return XDP_PASS;
  bool big = data[0];
  bool tcp = is_tcp(data[1]);
  bool any = false;
  any |= data[1] > 100;
  bool nonnull = data;
  bool wide = (bool)256;
  /*@ Assert big <= 1 && tcp <= 1 && any <= 1 && nonnull == 1 && wide == 1 */
  int n = big + tcp + any;
  /*@ Assert n <= 3 */
  return n > 2 ? XDP_DROP : XDP_PASS;
}

// A _Bool read from a map value is whatever byte user space stored.
SEC("xdp")
int bool_from_map(struct xdp_md *ctx)
{
  __u32 key = 0;
  bool *f = bpf_map_lookup_elem(&flags, &key);
  if (!f)
    return XDP_PASS;
  bool set = *f;
  /*@ Assert set <= 1 */
  return set ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
