// Variables sharing a name: each annotation names the variable its scope
// gives the name; the CIR names them uniquely (i, i#2, ...), so facts
// about each are carried into nested loops. See VerifierTest.cpp
// (VerifierShadowed).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

// Two loops named i in turn, the second with a nested loop that needs the
// outer facts about its own i (carried: i#2 <= 4, i#2 < 4 and the packet
// bound).
SEC("xdp")
int sequential_i(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0;

	if (data + 16 > data_end)
		return XDP_DROP;
	/*@ Inv i <= 16 && data + 16 <= data_end */
	for (unsigned int i = 0; i < 16; i++)
		sum += data[i];
	/*@ Inv i <= 4 && data + 16 <= data_end */
	for (unsigned int i = 0; i < 4; i++) {
		/*@ Inv j <= 4 */
		for (unsigned int j = 0; j < 4; j++)
			sum += data[i * 4 + j];
	}
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

// The same reading one byte further: the last row's last read is past
// the 16 bytes checked.
SEC("xdp")
int sequential_i_bad(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0;

	if (data + 16 > data_end)
		return XDP_DROP;
	/*@ Inv i <= 16 && data + 16 <= data_end */
	for (unsigned int i = 0; i < 16; i++)
		sum += data[i];
	/*@ Inv i <= 4 && data + 16 <= data_end */
	for (unsigned int i = 0; i < 4; i++) {
		/*@ Inv j <= 4 */
		for (unsigned int j = 0; j < 4; j++)
			sum += data[i * 4 + j + 1];
	}
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

// An inner i shadowing the outer one: the inner loop's invariant speaks
// of the inner i, the outer facts carried into it of the outer one.
SEC("xdp")
int nested_i(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0;

	if (data + 64 > data_end)
		return XDP_DROP;
	/*@ Inv i <= 8 && data + 64 <= data_end */
	for (unsigned int i = 0; i < 8; i++) {
		unsigned int row = i * 8;
		/*@ Inv i <= 8 && row <= 56 */
		for (unsigned int i = 0; i < 8; i++)
			sum += data[row + i];
	}
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

// The same where the inner invariant bounds the inner i by 9: the read at
// row + i may be one past the row, reported at the read.
SEC("xdp")
int nested_i_bad(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0;

	if (data + 64 > data_end)
		return XDP_DROP;
	/*@ Inv i <= 8 && data + 64 <= data_end */
	for (unsigned int i = 0; i < 8; i++) {
		unsigned int row = i * 8;
		/*@ Inv i <= 9 && row <= 56 */
		for (unsigned int i = 0; i < 9; i++)
			sum += data[row + i];
	}
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
