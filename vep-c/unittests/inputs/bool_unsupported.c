// ++ of a _Bool (it sets it to 1; -- flips it): not supported.
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int bool_increment(struct xdp_md *ctx)
{
  bool seen = false;
  seen++;
  return seen ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
