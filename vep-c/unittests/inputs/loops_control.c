// break, continue, do-while and for (;;); see VerifierTest.cpp.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

// Odd positions only: `continue` skips the even ones, and goes to i++.
SEC("xdp")
int continue_ok(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0, seen = 0, i;

	/*@ Inv 0 <= i && i <= 32 && 2 * seen <= i Variant 32 - i */
	for (i = 0; i < 32; i++) {
		if (i % 2 == 0)
			continue;
		if (data + i + 1 > data_end)
			break;
		seen++;
		sum += data[i];
	}
	/*@ Assert seen <= 16 */
	return sum > seen ? XDP_DROP : XDP_PASS;
}

// The same loop with an invariant that the `continue` path breaks.
SEC("xdp")
int continue_bad(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0, seen = 0, i;

	/*@ Inv 0 <= i && i <= 32 && 2 * seen == i Variant 32 - i */
	for (i = 0; i < 32; i++) {
		if (i % 2 == 0)
			continue;
		if (data + i + 1 > data_end)
			break;
		seen++;
		sum += data[i];
	}
	return sum > seen ? XDP_DROP : XDP_PASS;
}

// After the loop: either the condition failed (i == 32, found == 0) or a
// `break` left with found == 1 and i < 32.
SEC("xdp")
int break_ok(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int i, found = 0;

	/*@ Inv 0 <= i && i <= 32 && found == 0 Variant 32 - i */
	for (i = 0; i < 32; i++) {
		if (data + i + 1 > data_end)
			return XDP_PASS;
		if (data[i] == 0xff) {
			found = 1;
			break;
		}
	}
	/*@ Assert (found == 1 && i < 32) || (found == 0 && i == 32) */
	/*@ Assert found == 1 => i == 31 */
	return found ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int do_while_ok(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0, i = 0;

	if (data + 8 > data_end)
		return XDP_DROP;
	/*@ Inv 0 <= i && i < 8 && data + 8 <= data_end Variant 8 - i */
	do {
		sum += data[i];
		i++;
	} while (i < 8);
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

// The head of a do-while loop is before the body: i == 8 there would read
// data[8].
SEC("xdp")
int do_while_bad(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0, i = 0;

	if (data + 8 > data_end)
		return XDP_DROP;
	/*@ Inv 0 <= i && i <= 8 && data + 8 <= data_end Variant 8 - i */
	do {
		sum += data[i];
		i++;
	} while (i < 8);
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int forever_ok(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = data;

	/*@ Inv data <= p && p <= data_end Variant data_end - p */
	for (;;) {
		if (p + 1 > data_end)
			break;
		if (*p == 0)
			break;
		p++;
	}
	/*@ Assert data <= p && p <= data_end */
	return p == data_end ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int forever_no_variant(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = data;

	/*@ Inv data <= p && p <= data_end */
	for (;;) {
		if (p + 1 > data_end)
			break;
		p++;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
