// Reads of variables not assigned on some path (and programs that assign
// on every path), one entry point each; see VerifierTest.cpp.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int missing_else(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	int verdict;

	if (data + 1 > data_end)
		return XDP_PASS;
	if (data[0] == 6)
		verdict = XDP_DROP;
	return verdict;
}

SEC("xdp")
int both_branches(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	int verdict;

	if (data + 1 > data_end)
		return XDP_PASS;
	if (data[0] == 6)
		verdict = XDP_DROP;
	else
		verdict = XDP_PASS;
	return verdict;
}

SEC("xdp")
int infeasible_path(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	int verdict;

	if (data + 1 > data_end)
		return XDP_PASS;
	unsigned char b = data[0];
	if (b < 128)
		verdict = XDP_DROP;
	if (b >= 128)
		verdict = XDP_PASS;
	return verdict;
}

SEC("xdp")
int pointer_on_one_path(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned char *p;

	if (data + 2 > data_end)
		return XDP_PASS;
	if (data[0] == 1)
		p = data + 1;
	return *p == 0 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int read_before_write_in_loop(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int prev;
	unsigned int runs = 0;

	if (data + 16 > data_end)
		return XDP_PASS;
	/*@ Inv 0 <= i && i <= 16 && runs <= i && data + 16 <= data_end */
	for (int i = 0; i < 16; i++) {
		if (i > 0 && data[i] == prev)
			runs++;
		prev = data[i];
	}
	return runs > 8 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int written_then_read_in_loop(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0;
	unsigned int b;

	if (data + 16 > data_end)
		return XDP_PASS;
	/*@ Inv 0 <= i && i <= 16 && sum <= 255 * i && data + 16 <= data_end */
	for (int i = 0; i < 16; i++) {
		b = data[i];
		sum += b;
	}
	return sum > 1000 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int assigned_only_in_loop(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int last;

	if (data + 16 > data_end)
		return XDP_PASS;
	/*@ Inv 0 <= i && i <= 16 && data + 16 <= data_end */
	for (int i = 0; i < 16; i++)
		last = data[i];
	return last == 0 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int unassigned_in_annotation(struct xdp_md *ctx)
{
	int x;
	/*@ Assert -2147483648 <= x && x <= 2147483647 */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
