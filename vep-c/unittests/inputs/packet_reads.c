#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Each packet load is a fresh value: two reads of one byte are unrelated
 * (the bytecode checker gives every packet load a fresh variable). */

SEC("xdp")
int read_twice(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;

	if (data + 1 > data_end)
		return XDP_PASS;
	if (data[0] < 5)
		return XDP_PASS;
	unsigned int end = data[0] - 5; /* may be 2^32 - 5: a new read */
	unsigned int pos = 0;
	/*@ Inv pos <= 300 && end <= 250 Variant 300 - pos */
	while (pos < end)
		pos++;
	return XDP_PASS;
}

SEC("xdp")
int read_across_loop(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;

	if (data + 32 > data_end)
		return XDP_PASS;
	if (data[0] >= 16)
		return XDP_PASS;
	unsigned int i = 0;
	/*@ Inv i <= 4 && data + 32 <= data_end Variant 4 - i */
	while (i < 4)
		i++;
	return data[16 + data[0]] ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int read_once(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;

	if (data + 32 > data_end)
		return XDP_PASS;
	unsigned char k = data[0];
	if (k >= 16)
		return XDP_PASS;
	unsigned int i = 0;
	/*@ Inv i <= 4 && k < 16 && data + 32 <= data_end Variant 4 - i */
	while (i < 4)
		i++;
	return data[16 + k] ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
