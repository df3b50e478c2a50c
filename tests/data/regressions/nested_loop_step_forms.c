// Regression: the outer loop's i is stepped before each of two inner loops
// by steps written as `i = 2 + i` and `i -= -2`. vepcc recognised only
// the form `i = i + k` with a literal k, so the inner heads'
// ghosts for the outer loop did not count these steps, the outer back edge
// did not decrease below the ghost, and vepcc failed (internal error,
// RANK_DECREASE) on a program VEP-C verified. The ghost now follows the
// steps by their values (docs/compiler.md, "Nested loops"): 42 - i and
// 44 - i at the two inner heads.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int nested_loop_step_forms(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  if (data + 64 > data_end)
    return XDP_PASS;
  unsigned int i = 0, sum = 0;

  /*@ Inv i <= 40 && data + 64 <= data_end Variant 40 - i */
  while (i < 32) {
    i = 2 + i;
    /*@ Inv j <= 4 && i <= 34 && data + 64 <= data_end Variant 4 - j */
    for (unsigned int j = 0; j < 4; j++)
      sum += data[j + i];
    i -= -2;
    /*@ Inv k <= 4 && i <= 36 && data + 64 <= data_end Variant 4 - k */
    for (unsigned int k = 0; k < 4; k++)
      sum ^= data[k + i];
  }
  return sum > 1000 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
