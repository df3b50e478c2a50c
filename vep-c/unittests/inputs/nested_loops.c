// Nested loops that verify and variants of them that do not, one entry
// point each; see VerifierTest.cpp (VerifierNested). An inner loop's head
// knows what any loop head knows (its invariant, the statically known
// values), so the inner invariant restates what the outer loop's
// variables satisfy there.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

// Two counting loops over 64 bytes of the packet, both variants inferred.
SEC("xdp")
int two_level(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0;

	if (data + 64 > data_end)
		return XDP_DROP;
	/*@ Inv 0 <= i && i <= 8 && data + 64 <= data_end */
	for (int i = 0; i < 8; i++) {
		/*@ Inv 0 <= i && i < 8 && 0 <= j && j <= 8 &&
		      data + 64 <= data_end */
		for (int j = 0; j < 8; j++)
			sum += data[i * 8 + j];
	}
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

// The inner loop never advances j: its variant does not decrease.
SEC("xdp")
int inner_endless(struct xdp_md *ctx)
{
	unsigned int n = 0;

	/*@ Inv 0 <= i && i <= 4 */
	for (int i = 0; i < 4; i++) {
		int j = 0;
		/*@ Inv 0 <= i && i < 4 && 0 <= j && j <= 4 Variant 4 - j */
		while (j < 4)
			n++;
	}
	return n > 100 ? XDP_DROP : XDP_PASS;
}

// The inner loop takes back the step the outer body made: 4 - i grows
// in its iteration.
SEC("xdp")
int inner_undoes_outer(struct xdp_md *ctx)
{
	unsigned int i = 0;

	/*@ Inv i <= 4 Variant 4 - i */
	while (i < 4) {
		i++;
		/*@ Inv 0 <= j && j <= 1 && 1 <= i + j && i + j <= 4 */
		for (int j = 0; j < 1; j++)
			i--;
	}
	return XDP_PASS;
}

// The inner invariant claims more than the outer body establishes.
SEC("xdp")
int inner_inv_entry_bad(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0;

	if (data + 16 > data_end)
		return XDP_DROP;
	/*@ Inv 0 <= i && i <= 4 && data + 16 <= data_end */
	for (int i = 0; i < 4; i++) {
		/*@ Inv 1 <= i && i < 4 && 0 <= j && j <= 4 &&
		      data + 16 <= data_end */
		for (int j = 0; j < 4; j++)
			sum += data[i * 4 + j];
	}
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

// The first iteration of the inner loop reads byte 7 of row i, within
// the 16 bytes checked; the second reads 8 bytes further, past them for i = 1.
SEC("xdp")
int inner_second_iteration_oob(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0;

	if (data + 16 > data_end)
		return XDP_DROP;
	/*@ Inv 0 <= i && i <= 2 && data + 16 <= data_end */
	for (int i = 0; i < 2; i++) {
		/*@ Inv 0 <= i && i < 2 && 0 <= j && j <= 2 &&
		      data + 16 <= data_end */
		for (int j = 0; j < 2; j++)
			sum += data[i * 8 + j * 8 + 7];
	}
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

// A break in the inner loop leaves it with k == 3, which the outer
// invariant excludes (its normal exit keeps k == 0).
SEC("xdp")
int inner_break_bad(struct xdp_md *ctx)
{
	unsigned int k = 0;

	/*@ Inv 0 <= i && i <= 4 && k <= 2 */
	for (int i = 0; i < 4; i++) {
		k = 0;
		/*@ Inv 0 <= i && i < 4 && 0 <= j && j <= 4 && k == 0 */
		for (int j = 0; j < 4; j++) {
			if (j == 2) {
				k = 3;
				break;
			}
		}
	}
	return k > 1 ? XDP_DROP : XDP_PASS;
}

// The same with the flag lowered after the inner loop: verifies; break
// and continue bind to the inner loop.
SEC("xdp")
int inner_break_ok(struct xdp_md *ctx)
{
	unsigned int k = 0;

	/*@ Inv 0 <= i && i <= 4 && k <= 2 */
	for (int i = 0; i < 4; i++) {
		k = 0;
		/*@ Inv 0 <= i && i < 4 && 0 <= j && j <= 4 && k == 0 */
		for (int j = 0; j < 4; j++) {
			if (j == 1)
				continue;
			if (j == 2) {
				k = 3;
				break;
			}
		}
		if (k > 2)
			k = 2;
	}
	return k > 1 ? XDP_DROP : XDP_PASS;
}

// Words separated by spaces: the inner loop advances the outer loop's
// pointer; the outer body's p++ before it is the decrease that counts.
SEC("xdp")
int words(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = data;
	unsigned int n = 0;

	/*@ Inv data <= p && p <= data_end Variant data_end - p */
	while (p < data_end) {
		if (*p == ' ') {
			p++;
			continue;
		}
		n++;
		p++;
		/*@ Inv data <= p && p <= data_end Variant data_end - p */
		while (p < data_end && *p != ' ')
			p++;
	}
	return n > 4 ? XDP_DROP : XDP_PASS;
}

// The same without the p++ before the inner loop: the inner head does not
// know that its loop ran at all, so nothing shows the outer variant
// decreased in the iteration.
SEC("xdp")
int words_bad(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = data;
	unsigned int n = 0;

	/*@ Inv data <= p && p <= data_end Variant data_end - p */
	while (p < data_end) {
		if (*p == ' ') {
			p++;
			continue;
		}
		n++;
		/*@ Inv data <= p && p <= data_end Variant data_end - p */
		while (p < data_end && *p != ' ')
			p++;
	}
	return n > 4 ? XDP_DROP : XDP_PASS;
}

// Three counting loops over 64 bytes, all variants inferred.
SEC("xdp")
int three_level(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0;

	if (data + 64 > data_end)
		return XDP_DROP;
	/*@ Inv 0 <= i && i <= 4 && data + 64 <= data_end */
	for (int i = 0; i < 4; i++) {
		/*@ Inv 0 <= i && i < 4 && 0 <= j && j <= 4 &&
		      data + 64 <= data_end */
		for (int j = 0; j < 4; j++) {
			/*@ Inv 0 <= i && i < 4 && 0 <= j && j < 4 && 0 <= k &&
			      k <= 4 && data + 64 <= data_end */
			for (int k = 0; k < 4; k++)
				sum += data[i * 16 + j * 4 + k];
		}
	}
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

// The innermost loop restarts the outermost one: 4 - i grows there.
SEC("xdp")
int three_level_restart(struct xdp_md *ctx)
{
	unsigned int sum = 0;

	/*@ Inv 0 <= i && i <= 4 */
	for (int i = 0; i < 4; i++) {
		/*@ Inv 0 <= i && i < 4 && 0 <= j && j <= 4 */
		for (int j = 0; j < 4; j++) {
			/*@ Inv 0 <= i && i < 4 && 0 <= j && j < 4 && 0 <= k &&
			      k <= 4 */
			for (int k = 0; k < 4; k++) {
				sum++;
				if (sum == 10)
					i = 0;
			}
		}
	}
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

static __always_inline unsigned int bits8(unsigned int x)
{
	unsigned int c = 0;

	/*@ Inv 0 <= b && b <= 8 && c <= b */
	for (int b = 0; b < 8; b++) {
		c += x & 1;
		x >>= 1;
	}
	return c;
}

// An inline function with a loop, called in a loop.
SEC("xdp")
int popcount16(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int ones = 0;

	if (data + 16 > data_end)
		return XDP_DROP;
	/*@ Inv 0 <= i && i <= 16 && ones <= 8 * i && data + 16 <= data_end */
	for (int i = 0; i < 16; i++)
		ones += bits8(data[i]);
	/*@ Assert ones <= 128 */
	return ones > 64 ? XDP_DROP : XDP_PASS;
}

// A return inside the inner of two loops of an inline function leaves
// both: the outer invariant's `g.returned == 0` would not survive
// otherwise.
static __always_inline int first_common_bit(unsigned int a, unsigned int b)
{
	/*@ Inv 0 <= i && i <= 4 */
	for (int i = 0; i < 4; i++) {
		/*@ Inv 0 <= i && i < 4 && 0 <= j && j <= 4 */
		for (int j = 0; j < 4; j++)
			if (i == j && ((a >> i) & (b >> j) & 1))
				return i * 4 + j;
	}
	return -1;
}

SEC("xdp")
int common_bits(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	int r;

	if (data + 2 > data_end)
		return XDP_DROP;
	r = first_common_bit(data[0], data[1]);
	/*@ Assert -1 <= r && r <= 15 */
	return r < 0 ? XDP_PASS : XDP_DROP;
}

// The same called in a loop: three levels, the inner two inlined.
SEC("xdp")
int common_bits_loop(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int found = 0;

	if (data + 8 > data_end)
		return XDP_DROP;
	/*@ Inv 0 <= i && i <= 4 && found <= i && data + 8 <= data_end */
	for (int i = 0; i < 4; i++)
		if (first_common_bit(data[2 * i], data[2 * i + 1]) >= 0)
			found++;
	return found > 2 ? XDP_DROP : XDP_PASS;
}

// The inner invariant speaks of j only: the outer invariant's facts and
// the outer test i < 8 hold at the inner head (neither the outer body
// before the inner loop nor the inner loop assigns i, data or data_end),
// so the inner loop's invariant gets them.
SEC("xdp")
int carried(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0;

	if (data + 64 > data_end)
		return XDP_DROP;
	/*@ Inv 0 <= i && i <= 8 && data + 64 <= data_end */
	for (int i = 0; i < 8; i++) {
		/*@ Inv 0 <= j && j <= 8 */
		for (int j = 0; j < 8; j++)
			sum += data[i * 8 + j];
	}
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

// The outer body moves p before the inner loop: no fact about p is
// carried, and the inner head does not know where p points.
SEC("xdp")
int not_carried(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = data;
	unsigned int sum = 0;

	/*@ Inv data <= p && p <= data_end Variant data_end - p */
	while (p < data_end) {
		p++;
		/*@ Inv 0 <= j && j <= 4 */
		for (int j = 0; j < 4; j++)
			sum += j;
	}
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

// Two variables named i: the second is i#2 in the CIR, and the outer test
// is carried as i#2 < 4 (Frontend.ShadowedTestIsCarried); shadowed_names.c
// verifies such loops.
SEC("xdp")
int two_named_i(struct xdp_md *ctx)
{
	unsigned int n = 0;

	/*@ Inv true */
	for (unsigned int i = 0; i < 4; i++)
		n = 1;
	/*@ Inv true */
	for (unsigned int i = 0; i < 4; i++) {
		/*@ Inv j <= 4 */
		for (unsigned int j = 0; j < 4; j++)
			n = 2;
	}
	return n == 2 ? XDP_DROP : XDP_PASS;
}

// do ... while in do ... while, with continue at both levels (the inner
// one goes to the inner test). The outer invariant's facts are carried
// (a do loop's test is not: it is tested after the body).
SEC("xdp")
int do_while_rows(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0, i = 0;

	if (data + 32 > data_end)
		return XDP_DROP;
	/*@ Inv i < 4 && data + 32 <= data_end Variant 4 - i */
	do {
		unsigned int j = 0;
		/*@ Inv j < 8 Variant 8 - j */
		do {
			if (data[i * 8 + j] == 0) {
				j++;
				continue;
			}
			sum++;
			j++;
		} while (j < 8);
		i++;
		if (sum > 3)
			continue;
	} while (i < 4);
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

// The outer body overwrites the inner loop's bound after the inner loop:
// at the inner head it still has its value from the outer head, and the
// inner loop reads it, so the outer fact limit <= 8 is carried.
SEC("xdp")
int carried_past_overwrite(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0, limit = 4, i, j;

	if (data + 16 > data_end)
		return XDP_DROP;
	/*@ Inv i <= 8 && limit <= 8 && data + 16 <= data_end Variant 8 - i */
	for (i = 0; i < 8; i++) {
		/*@ Inv j <= limit Variant limit - j */
		for (j = 0; j < limit; j++)
			sum += data[i + j];
		limit = data[i] & 7;
	}
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

// The same with a new bound of up to 15, which the outer invariant's
// limit <= 8 does not allow.
SEC("xdp")
int carried_past_overwrite_bad(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0, limit = 4, i, j;

	if (data + 16 > data_end)
		return XDP_DROP;
	/*@ Inv i <= 8 && limit <= 8 && data + 16 <= data_end Variant 8 - i */
	for (i = 0; i < 8; i++) {
		/*@ Inv j <= limit Variant limit - j */
		for (j = 0; j < limit; j++)
			sum += data[i + j];
		limit = data[i] & 15;
	}
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
