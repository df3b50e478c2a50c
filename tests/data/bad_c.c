// Bad input: not C (undeclared identifier).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int bad_c(struct xdp_md *ctx)
{
  return no_such_variable;
}
