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

char LICENSE[] SEC("license") = "GPL";
