// User predicates: facts that do not follow.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/*@ Let twice(x, n) Variant n = n == 0 && x == 0 || 0 < n && twice(x - 2, n - 1) */

SEC("xdp")
int beyond_the_measure(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS */
{
  __u32 x = 0, k = 0;
  __u32 stop = ctx->ingress_ifindex & 3;
  /*@ Inv twice(x, k) && x == 2 * k && k <= 3 && stop <= 3 Variant 3 - k */
  while (k < stop) {
    x += 2;
    k++;
  }
  /* The loop may not have run: twice(x, 0) has no predecessor. */
  /*@ Assert twice(x - 2, k - 1) */
  return XDP_PASS;
}

SEC("xdp")
int wrong_fold(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS */
{
  __u32 x = 0, k = 0;
  /*@ Inv twice(x, k) && k <= 3 Variant 3 - k */
  while (k < 3) {
    x += 3;
    k++;
  }
  return XDP_PASS;
}

static __attribute__((noinline)) int halve(__u32 x, __u32 k)
/*@ Require twice(x, k) && k <= 3 && x <= 6
    Ensure __return == k */
{
  return k;
}

SEC("xdp")
int odd_argument(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS */
{
  return halve(3, 1) == 1 ? XDP_PASS : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
