// Regression: a 64-bit loop variable stepped by `+= 4`. The checker asks
// whether `offset + 4` may wrap (NO_WRAP_HIGH); Z3's first solution of the
// Farkas LP mixed in `offset <= 2^64 - 1` with multipliers near 2^64 that
// overflowed 128 bits, so the sum became a fresh value and the invariant
// `offset == 14 + 4 * i` was unprovable at the back edge (vepcc: internal
// error, CUT_FACT). The search now retries for the smallest certificate.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int bug1_min(struct xdp_md *ctx)
{
  unsigned long offset = 14;
  unsigned int i;

  /*@ Inv 0 <= i && i <= 2 && offset == 14 + 4 * i */
  for (i = 0; i < 2; i++)
    offset += 4;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
