// Loops that verify (and variants of them that do not), one entry point
// each; see VerifierTest.cpp.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int count_ok(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0;

	if (data + 16 > data_end)
		return XDP_DROP;
	/*@ Inv 0 <= i && i <= 16 && data + 16 <= data_end Variant 16 - i */
	for (int i = 0; i < 16; i++)
		sum += data[i];
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int count_inferred(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0;

	if (data + 16 > data_end)
		return XDP_DROP;
	/*@ Inv 0 <= i && i <= 16 && data + 16 <= data_end */
	for (int i = 0; i < 16; i++)
		sum += data[i];
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int inv_entry_bad(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0;

	if (data + 16 > data_end)
		return XDP_DROP;
	/*@ Inv 1 <= i && i <= 16 && data + 16 <= data_end Variant 16 - i */
	for (int i = 0; i < 16; i++)
		sum += data[i];
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int inv_preserve_bad(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned int sum = 0;

	if (data + 16 > data_end)
		return XDP_DROP;
	/*@ Inv 0 <= i && i < 16 && data + 16 <= data_end Variant 16 - i */
	for (int i = 0; i < 16; i++)
		sum += data[i];
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int body_nobound(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned int sum = 0;

	/*@ Inv 0 <= i && i <= 16 Variant 16 - i */
	for (int i = 0; i < 16; i++)
		sum += data[i];
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

// The rule of the loop head: a fact established before the loop (here
// len >= 16) is not available inside unless the invariant states it.
SEC("xdp")
int fact_dropped(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	long len = data_end - data;
	unsigned int sum = 0;

	if (len < 16)
		return XDP_DROP;
	/*@ Inv 0 <= i && i <= 16 Variant 16 - i */
	for (int i = 0; i < 16; i++)
		sum += data[i];
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int fact_stated(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	long len = data_end - data;
	unsigned int sum = 0;

	if (len < 16)
		return XDP_DROP;
	/*@ Inv 0 <= i && i <= 16 && data + 16 <= data_end Variant 16 - i */
	for (int i = 0; i < 16; i++)
		sum += data[i];
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int variant_missing(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = data;

	/*@ Inv data <= p && p <= data_end */
	while (p < data_end && *p != 0)
		p++;
	return p - data >= 64 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int variant_increases(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = data;

	/*@ Inv data <= p && p <= data_end Variant p - data */
	while (p < data_end && *p != 0)
		p++;
	return p - data >= 64 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int variant_negative(struct xdp_md *ctx)
{
	unsigned int i;

	/*@ Inv 0 <= i && i <= 16 Variant 15 - i */
	for (i = 0; i < 16; i++)
		;
	return XDP_PASS;
}

// The variant inferred for `c < 300` is 300 - c; c wraps from 255 to 0, so
// it does not decrease: the loop never ends.
SEC("xdp")
int inferred_wraps(struct xdp_md *ctx)
{
	unsigned int last = 0;

	/*@ Inv true */
	for (unsigned char c = 0; c < 300; c++)
		last = c;
	return last ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int variant_negative_on_entry(struct xdp_md *ctx)
{
	unsigned int i = 20;

	/*@ Inv 0 <= i && i <= 20 Variant 16 - i */
	while (i < 16)
		i++;
	return XDP_PASS;
}

// An unmodified variable keeps its value at the head only if that value is
// statically known (as for the compiler's cut point): len = data_end - data
// is not, so `len >= 16` says nothing about the packet length there.
SEC("xdp")
int len_not_kept(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	long len = data_end - data;
	unsigned int sum = 0;

	if (len < 16)
		return XDP_DROP;
	/*@ Inv 0 <= i && i <= 16 && len >= 16 Variant 16 - i */
	for (int i = 0; i < 16; i++)
		sum += data[i];
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

// A constant assigned once before the loop is kept: i < limit bounds i.
SEC("xdp")
int constant_kept(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	int limit = 16;
	unsigned int sum = 0;

	if (data + 16 > data_end)
		return XDP_DROP;
	/*@ Inv 0 <= i && i <= 16 && data + 16 <= data_end Variant 16 - i */
	for (int i = 0; i < limit; i++)
		sum += data[i];
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

// Assigned twice (on different paths): not kept, as for the compiler.
SEC("xdp")
int constant_twice(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	int limit;
	unsigned int sum = 0;

	if (data + 16 > data_end)
		return XDP_DROP;
	if (data[0])
		limit = 16;
	else
		limit = 8;
	/*@ Inv 0 <= i && i <= 16 && data + 16 <= data_end Variant 16 - i */
	for (int i = 0; i < limit; i++)
		sum += data[i];
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

// No variant is inferred for a bound that is not a constant.
SEC("xdp")
int bound_not_constant(struct xdp_md *ctx)
{
	unsigned int i, n = ctx->rx_queue_index;

	/*@ Inv 0 <= i */
	for (i = 0; i < n; i++)
		;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
