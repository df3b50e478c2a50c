// Inline functions without contracts: a loop with its invariant and early
// returns inside it, early returns in if/else, an inline function calling
// another, two copies of one function, annotations inside inlined bodies
// (VerifierInline.ControlFlowOfInlinedBodies).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

// The index of the first zero byte among the first 8 of p, 8 if none, or
// the number of bytes before the packet's end.
static __always_inline __u32 first_zero(__u8 *p, void *data_end)
{
	__u32 i;
	/*@ Inv i <= 8 Variant 8 - i */
	for (i = 0; i < 8; i++) {
		if ((void *)(p + i + 1) > data_end)
			return i;
		if (p[i] == 0)
			return i;
	}
	return 8;
}

// 0 for 0, 1 below 5 (after doubling x), 2 from 5 to 9, 3 from 10 on.
static inline int classify(__u32 x)
{
	if (x < 10) {
		if (x == 0)
			return 0;
		x = x * 2;
	} else {
		return 3;
	}
	/*@ Assert 2 <= x && x < 20 */
	return x < 10 ? 1 : 2;
}

// An inline function calling inline functions.
static __always_inline int score(__u8 *p, void *data_end)
{
	__u32 z = first_zero(p, data_end);
	/*@ Assert z <= 8 */
	return classify(z);
}

SEC("xdp")
int xdp_inline(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	if (data + 8 > data_end)
		return XDP_PASS;
	int s = score(data, data_end);
	/*@ Assert 0 <= s && s <= 2 */
	int c = classify(bpf_get_prandom_u32());
	/*@ Assert 0 <= c && c <= 3 */
	return s + c > 4 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
