// Annotations naming the fields and elements of local structs and arrays
// (docs/vep-c.md, "Local structs and arrays").
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct tally {
  __u32 small, large;
  __u8 seen[2];
};

SEC("xdp")
int fields_in_invariant(struct xdp_md *ctx)
/*@ Ensure __return <= 4 */
{
  struct tally t = {};
  __u32 i;
  /*@ Inv i <= 8 && t.small + t.large == i && t.small <= 3 && t.seen[1] <= 1 */
  for (i = 0; i < 8; i++) {
    if (i < 3) {
      t.small++;
    } else {
      t.large++;
      t.seen[1] = 1;
    }
  }
  /*@ Assert t.small + t.large == 8 && t.seen[0] == 0 */
  return t.small + t.seen[1];
}

SEC("xdp")
int field_assert_fails(struct xdp_md *ctx)
{
  struct tally t = {};
  t.large = 2;
  /*@ Assert t.large == 3 */
  return XDP_PASS;
}
