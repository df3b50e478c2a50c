// Local variables, structs and arrays as buffer arguments of bpf-to-bpf
// functions (docs/vep-c.md, "Functions and calls"): the callee sees their
// bytes as its contents, and a callee that writes them gives them back as
// its Ensure says (bytes past what it may write keep their values).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct pair {
	__u32 a, b;
};

static __attribute__((noinline)) __u32 sum4(__u8 *s)
/*@ With l
    Require store_uchar_array(s, 4, l)
    Ensure __return == l[0] + l[1] + l[2] + l[3] */
{
	return s[0] + s[1] + s[2] + s[3];
}

static __attribute__((noinline)) void zero_words(__u32 *w, __u32 n)
/*@ With l
    Require store_uint_array(w, n, l) && n <= 4
    Ensure store_uint_array(w, n, l2) &&
           (forall (k: Z), 0 <= k && k < n => l2[k] == 0) */
{
	__u32 i;
	/*@ Inv i <= n && n <= 4 && store_uint_array(w, n, l1) &&
	        (forall (k: Z), 0 <= k && k < i => l1[k] == 0)
	    Variant n - i */
	for (i = 0; i < n; i++)
		w[i] = 0;
}

static __attribute__((noinline)) void bump(__u32 *w)
/*@ With l
    Require store_uint_array(w, 1, l) && l[0] < 100
    Ensure store_uint_array(w, 1, l2) && l2[0] == l[0] + 1 */
{
	w[0] = w[0] + 1;
}

SEC("xdp")
int buffers(struct xdp_md *ctx)
{
	__u8 b[4] = {1, 2, 3, 4};
	__u32 s = sum4(b);
	/*@ Assert s == 10 */
	struct pair p = {7, 8};
	zero_words(&p.a, 1);
	/*@ Assert p.a == 0 && p.b == 8 */
	zero_words((__u32 *)&p, 2);
	/*@ Assert p.a == 0 && p.b == 0 */
	__u32 x = 5;
	bump(&x);
	/*@ Assert x == 6 */
	return s + x > 10 ? XDP_PASS : XDP_DROP;
}

// The chunks of one packing serve the next call in the same block, until
// a leaf is written, and the calls at the start of an if's branches; a
// call after a join packs again.
SEC("xdp")
int reuse(struct xdp_md *ctx)
{
	__u8 b[4] = {1, 2, 3, 4};
	__u32 s = sum4(b);
	s += sum4(b);
	b[0] = 9;
	s += sum4(b);
	/*@ Assert s == 38 */
	if (ctx->data < ctx->data_end)
		s += sum4(b);
	if (ctx->data < ctx->data_end) {
		b[1] = 5;
		s += sum4(b);
	}
	s += sum4(b);
	return s;
}

char LICENSE[] SEC("license") = "GPL";
