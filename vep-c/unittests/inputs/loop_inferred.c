// A counting loop written without Inv whose cursor moves in a branch: the
// front end infers the counter's range only (docs/vep-c.md, "Inferred
// invariants"; examples/xdp_vlan_walk.c has a cursor it infers).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int cursor_moved_in_branch(struct xdp_md *ctx)
{
  void *data_end = (void *)(long)ctx->data_end;
  void *data = (void *)(long)ctx->data;
  unsigned char *p = data;
  unsigned sum = 0;
  for (unsigned i = 3; i < 8; i++) {
    if (p + 1 > (unsigned char *)data_end)
      break;
    sum += *p;
    if (sum & 1)
      p++;
  }
  return sum & 1 ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";
