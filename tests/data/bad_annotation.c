// Bad input: the contract's Ensure clause has an unbalanced parenthesis.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int bad_annotation(struct xdp_md *ctx)
/*@ Ensure (__return == XDP_PASS */
{
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
