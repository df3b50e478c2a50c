// Unions whose members lay out differently, in locals: each of the
// union's bytes is a variable of its own, which a member's read puts
// together and its write takes apart (docs/vep-c.md, "Local structs and
// arrays"): a union initialised through one member and read through
// others, struct bpf_fib_lookup's unions, a signed member, a byte of the
// union never written.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

union word {
  __u8 b;
  __u32 w;
  __u16 h[2];
  __s8 s;
};

SEC("xdp")
int overlaid_values(struct xdp_md *ctx)
/*@ Ensure __return == 0x44 + 0x1122 + 0x112233fe + (-2) + 5 */
{
  union word u = {.w = 0x11223344};
  __u32 low = u.b, high = u.h[1];
  u.s = -2; // the low byte 0xfe
  union word z = {};
  z.h[0] = 5;
  return low + high + u.w + u.s + z.w;
}

SEC("xdp")
int fib_fields(struct xdp_md *ctx)
/*@ Ensure __return == 0x0a000001 + 3 + 2 + 0x0a000001 + 0x0a000002 */
{
  struct bpf_fib_lookup fib = {.family = 2};
  fib.ipv4_src = 0x0a000001;
  fib.ipv4_dst = 0x0a000002;
  fib.tos = 3;
  fib.ifindex = 2;
  // ipv6_src[0] is ipv4_src; tos is flowinfo's low byte.
  return fib.ipv6_src[0] + fib.flowinfo + fib.ifindex + fib.ipv4_src +
         fib.ipv6_dst[0];
}

SEC("xdp")
int union_byte_unwritten(struct xdp_md *ctx)
{
  union word u;
  u.h[0] = 1;
  return u.w;
}

char _license[] SEC("license") = "GPL";
