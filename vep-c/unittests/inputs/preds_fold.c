// Explicit unfold and fold statements of a recursive user predicate, each
// taking the reasoning one level deeper than an instance written alone;
// see VerifierTest.cpp (Predicates.ExplicitUnfoldAndFold).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define LIMIT 10

/*@ Let twice(x, n) Variant n = n == 0 && x == 0 || 0 < n && twice(x - 2, n - 1) */

// After the loop twice(x, 10): two unfolds reach twice(x - 4, 8), whose
// definition gives twice(x - 6, 7).
SEC("xdp")
int unfold_twice(struct xdp_md *ctx)
{
  __u32 x = 0, k = 0;
  /*@ Inv twice(x, k) && k <= LIMIT && x == 2 * k Variant LIMIT - k */
  while (k < LIMIT) {
    x += 2;
    k++;
  }
  /*@ unfold twice(x, k) */
  /*@ unfold twice(x - 2, k - 1) */
  /*@ Assert twice(x - 6, k - 3) */
  return XDP_PASS;
}

// One unfold fewer: twice(x - 4, 8) has no definition, and the assertion
// does not follow.
SEC("xdp")
int unfold_once(struct xdp_md *ctx)
{
  __u32 x = 0, k = 0;
  /*@ Inv twice(x, k) && k <= LIMIT && x == 2 * k Variant LIMIT - k */
  while (k < LIMIT) {
    x += 2;
    k++;
  }
  /*@ unfold twice(x, k) */
  /*@ Assert twice(x - 6, k - 3) */
  return XDP_PASS;
}

// An instance that does not hold cannot be unfolded.
SEC("xdp")
int unfold_false(struct xdp_md *ctx)
{
  __u32 x = 0, k = 0;
  /*@ Inv twice(x, k) && k <= LIMIT && x == 2 * k Variant LIMIT - k */
  while (k < LIMIT) {
    x += 2;
    k++;
  }
  /*@ unfold twice(x, k + 1) */
  return XDP_PASS;
}

// twice(6, 3) built from its base case: a fold names the instance one
// level down, whose definition reaches one more, so every second level
// needs a fold.
SEC("xdp")
int fold_up(struct xdp_md *ctx)
{
  __u32 x = 6, k = 3;
  /*@ fold twice(0, 0) */
  /*@ fold twice(4, 2) */
  /*@ fold twice(x, k) */
  /*@ Assert twice(x, k) */
  return XDP_PASS;
}

// Without the fold of twice(4, 2) nothing defines twice(2, 1).
SEC("xdp")
int fold_skipped(struct xdp_md *ctx)
{
  __u32 x = 6, k = 3;
  /*@ fold twice(0, 0) */
  /*@ fold twice(x, k) */
  return XDP_PASS;
}

// A fold whose definition does not hold: twice(2, 2) needs twice(0, 1).
SEC("xdp")
int fold_false(struct xdp_md *ctx)
{
  __u32 x = 2, k = 2;
  /*@ fold twice(0, 0) */
  /*@ fold twice(x, k) */
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
