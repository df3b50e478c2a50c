// User predicate definitions and uses the front end rejects.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/*@ Let spin(x, n) Variant n = spin(x, n) */
/*@ Let stray(x) = x == y */
/*@ Let pair(x, y) = x < y */

SEC("xdp")
int uses(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS */
{
  __u32 x = 0;
  /*@ Assert pair(x) */
  /*@ Assert nothing(x) */
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
