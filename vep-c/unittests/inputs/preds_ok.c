// User predicates: a non-recursive one unfolded on use, a recursive one
// folded at a loop head and unfolded after the loop.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define LIMIT 10

/*@ Let small(x) = 0 <= x && x <= 2 * LIMIT */
/*@ Let twice(x, n) Variant n = n == 0 && x == 0 || 0 < n && twice(x - 2, n - 1) */
/*@ Let atmost(x, n) Variant n = x == n || atmost(x, n - 1) */

SEC("xdp")
int fold_at_head(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS */
{
  __u32 x = 0, k = 0;
  /*@ Inv twice(x, k) && small(x) && k <= LIMIT && x == 2 * k
      Variant LIMIT - k */
  while (k < LIMIT) {
    x += 2;
    k++;
  }
  /* The invariant's instance unfolded; then the instance it names,
     written here, unfolded in turn. */
  /*@ Assert k == LIMIT && twice(x - 2, k - 1) */
  /*@ Assert twice(x - 4, k - 2) */
  return XDP_PASS;
}

/* A predicate in a called function's contract: proved at each call,
   assumed (and unfolded) in the function. */
static __attribute__((noinline)) int halve(__u32 x, __u32 k)
/*@ Require twice(x, k) && k <= 3 && x <= 6
    Ensure __return == k */
{
  /*@ Assert k == 0 || twice(x - 2, k - 1) */
  return k;
}

SEC("xdp")
int negative_measure(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS */
{
  __u32 x = 0;
  /* A recursive predicate is false where its measure is negative (its
     body has no base case of its own). */
  /*@ Assert atmost(x, 0) && !atmost(x, 0 - 1) */
  /*@ Assert twice(0, 0) */
  return halve(2, 1) == 1 ? XDP_PASS : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
