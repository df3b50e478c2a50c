// Loops that know what a variable of the enclosing loop's body was
// defined as, and inline functions with loops called in a loop; see
// VerifierTest.cpp (VerifierDefinitions) and FrontendTest.cpp
// (FrontendInline.UnassignedParametersReadTheArgument).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __always_inline unsigned int zeros(unsigned char *p, unsigned char *end)
{
	unsigned int c = 0;

	/*@ Inv p <= q && q <= end && c <= q - p Variant end - q */
	for (unsigned char *q = p; q < end; q++)
		if (*q == 0)
			c++;
	return c;
}

// zeros' copies zeros.p = data + 8 * i and zeros.end = data + 8 * i + 8
// are carried into its loop, with the outer facts about i.
SEC("xdp")
int rows(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int n = 0;

	if (data + 32 > data_end)
		return XDP_DROP;
	/*@ Inv 0 <= i && i <= 4 && data + 32 <= data_end */
	for (int i = 0; i < 4; i++)
		n += zeros(data + 8 * i, data + 8 * i + 8);
	return n > 3 ? XDP_DROP : XDP_PASS;
}

// The rows overlap the next one by a byte: the last row ends past the 32
// bytes checked.
SEC("xdp")
int rows_bad(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int n = 0;

	if (data + 32 > data_end)
		return XDP_DROP;
	/*@ Inv 0 <= i && i <= 4 && data + 32 <= data_end */
	for (int i = 0; i < 4; i++)
		n += zeros(data + 8 * i, data + 8 * i + 9);
	return n > 3 ? XDP_DROP : XDP_PASS;
}

// A row pointer defined in the outer body: the inner loop knows
// row == data + 8 * i (i is signed: 8 * i does not wrap, its overflow is
// an obligation; an unsigned i would wrap, and nothing is carried).
SEC("xdp")
int row_pointer(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0;

	if (data + 64 > data_end)
		return XDP_DROP;
	/*@ Inv 0 <= i && i <= 8 && data + 64 <= data_end */
	for (int i = 0; i < 8; i++) {
		unsigned char *row = data + 8 * i;
		/*@ Inv j <= 8 */
		for (unsigned int j = 0; j < 8; j++)
			sum += row[j];
	}
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

// The same with the row moved after its definition: row == data + 8 * i
// no longer holds, nothing is carried about row, and the inner loop does
// not know where it points.
SEC("xdp")
int row_pointer_moved(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0;

	if (data + 64 > data_end)
		return XDP_DROP;
	/*@ Inv 0 <= i && i <= 8 && data + 64 <= data_end */
	for (int i = 0; i < 8; i++) {
		unsigned char *row = data + 8 * i;
		row++;
		/*@ Inv j <= 7 */
		for (unsigned int j = 0; j < 7; j++)
			sum += row[j];
	}
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

// zeros called with variables: it never assigns its parameters, so its
// body reads p and data_end themselves, and its loop knows the outer
// loop's facts about them.
SEC("xdp")
int zeros_from_each(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = data;
	unsigned int n = 0;

	/*@ Inv data <= p && p <= data_end Variant data_end - p */
	while (p < data_end) {
		n += zeros(p, data_end);
		p++;
	}
	return n > 3 ? XDP_DROP : XDP_PASS;
}

static __always_inline unsigned char *next(unsigned char *p)
{
	p++;
	return p;
}

// next assigns its parameter p: it works on a copy, and the caller's s
// stays where it was (C passes arguments by value); the last assertion
// fails.
SEC("xdp")
int copy_kept(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *s = data;
	unsigned char *t = next(s);

	/*@ Assert s == data && t == data + 1 */
	/*@ Assert s == t */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
