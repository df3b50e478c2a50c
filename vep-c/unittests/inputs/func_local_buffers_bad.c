// Rejected twins of func_local_buffers.c: a local smaller than the
// callee's buffer, a local integer passed before it holds a value, and a
// local buffer of a size that is not a constant.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) __u32 sum4(__u8 *s)
/*@ With l
    Require store_uchar_array(s, 4, l)
    Ensure __return == l[0] + l[1] + l[2] + l[3] */
{
	return s[0] + s[1] + s[2] + s[3];
}

static __attribute__((noinline)) void bump(__u32 *w)
/*@ With l
    Require store_uint_array(w, 1, l) && l[0] < 100
    Ensure store_uint_array(w, 1, l2) && l2[0] == l[0] + 1 */
{
	w[0] = w[0] + 1;
}

static __attribute__((noinline)) __u32 first_zero(__u8 *s, __u32 n)
/*@ With l
    Require store_uchar_array(s, n, l) && n <= 8
    Ensure __return <= n */
{
	__u32 i;
	/*@ Inv i <= n && n <= 8 Variant n - i */
	for (i = 0; i < n; i++)
		if (s[i] == 0)
			return i;
	return n;
}

SEC("xdp")
int too_small(struct xdp_md *ctx)
{
	__u8 c[2] = {1, 2};
	return sum4(c);
}

SEC("xdp")
int unwritten(struct xdp_md *ctx)
{
	__u32 y;
	bump(&y);
	return y;
}

SEC("xdp")
int variable_size(struct xdp_md *ctx)
{
	__u8 c[8] = {};
	__u32 n = (ctx->data_end - ctx->data) & 7;
	return first_zero(c, n);
}

char LICENSE[] SEC("license") = "GPL";
