// Helpers that change the packet: pointers taken before the call are stale
// after it; the packet is read again through ctx.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("xdp") int reread(struct xdp_md *ctx) {
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *end = (void *)(long)ctx->data_end;
	if (data + 14 > end)
		return XDP_PASS;
	if (bpf_xdp_adjust_head(ctx, 4))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + 1 > end)
		return XDP_DROP;
	return data[0];
}

SEC("xdp") int stale_read(struct xdp_md *ctx) {
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *end = (void *)(long)ctx->data_end;
	if (data + 14 > end)
		return XDP_PASS;
	bpf_xdp_adjust_tail(ctx, -4);
	return data[13];
}

SEC("xdp") int stale_end(struct xdp_md *ctx) {
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *end = (void *)(long)ctx->data_end;
	bpf_xdp_adjust_head(ctx, 4);
	data = (void *)(long)ctx->data;
	if (data + 1 > end)
		return XDP_DROP;
	return XDP_PASS;
}

SEC("xdp") int old_bound(struct xdp_md *ctx) {
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *end = (void *)(long)ctx->data_end;
	if (data + 14 > end)
		return XDP_PASS;
	if (bpf_xdp_adjust_head(ctx, 4))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	return data[9];
}

SEC("xdp") int stale_in_assert(struct xdp_md *ctx) {
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *end = (void *)(long)ctx->data_end;
	if (data + 14 > end)
		return XDP_PASS;
	bpf_xdp_adjust_head(ctx, 4);
	/*@ Assert data + 14 <= end */
	return XDP_PASS;
}

SEC("xdp") int in_loop(struct xdp_md *ctx) {
	int i;
	/*@ Inv 0 <= i && i <= 2 */
	for (i = 0; i < 2; i++)
		bpf_xdp_adjust_head(ctx, 4);
	return XDP_PASS;
}

SEC("tc") int tc_change_tail(struct __sk_buff *skb) {
	if (bpf_skb_change_tail(skb, 64, 0))
		return TC_ACT_SHOT;
	if (bpf_skb_change_head(skb, 4, 0))
		return TC_ACT_SHOT;
	if (bpf_skb_pull_data(skb, 0))
		return TC_ACT_SHOT;
	unsigned char *data = (void *)(long)skb->data;
	unsigned char *end = (void *)(long)skb->data_end;
	if (data + 1 > end)
		return TC_ACT_OK;
	return data[0];
}

SEC("tc") int tc_adjust_head(struct __sk_buff *skb) {
	bpf_xdp_adjust_head(skb, 4);
	return TC_ACT_OK;
}

SEC("xdp") int xdp_change_tail(struct xdp_md *ctx) {
	bpf_skb_change_tail(ctx, 64, 0);
	return XDP_PASS;
}

// A function runs in programs of every type: no packet-changing helper.
static __attribute__((noinline)) __u32 shrink(__u32 x)
/*@ Require x <= 10  Ensure __return <= 10 */
{
	bpf_xdp_adjust_tail(0, -4);
	return x;
}

SEC("xdp") int calls_shrink(struct xdp_md *ctx) {
	return shrink(3) ? XDP_PASS : XDP_DROP;
}

// A loop over the new packet: its length's bound holds at the loop head.
SEC("xdp") int loop_after(struct xdp_md *ctx) {
	if (bpf_xdp_adjust_tail(ctx, -2))
		return XDP_DROP;
	unsigned char *start = (void *)(long)ctx->data;
	unsigned char *end = (void *)(long)ctx->data_end;
	unsigned char *p = start;
	__u32 sum = 0;
	unsigned int i;
	/*@ Inv 0 <= i && i <= 16 && p == start + i */
	for (i = 0; i < 16; i++) {
		if (p + 1 > end)
			break;
		sum += *p;
		p++;
	}
	return sum & 1;
}

// The packet pointers read again after the call, into the variables that
// held the old ones, are known at a loop head (every assignment the same
// load): the inferred invariant suffices; so does a written one when they
// are read again in one branch only. A loop over a variable not read
// again fails at its use: its value at the head is stale.
SEC("xdp") int reload_then_loop(struct xdp_md *ctx) {
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	if (data + 14 > data_end)
		return XDP_PASS;
	if (bpf_xdp_adjust_head(ctx, 4))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;
	if (p + 16 > (__u8 *)data_end)
		return XDP_PASS;
	__u32 sum = 0;
	for (int i = 0; i < 16; i++)
		sum += p[i];
	return sum & 1;
}

SEC("xdp") int reload_in_branch(struct xdp_md *ctx) {
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	if (data + 18 > data_end)
		return XDP_PASS;
	if (*(__u8 *)data == 0x81) {
		if (bpf_xdp_adjust_head(ctx, 4))
			return XDP_DROP;
		data = (void *)(long)ctx->data;
		data_end = (void *)(long)ctx->data_end;
	}
	__u8 *p = data;
	/*@ Inv data <= p && p <= data_end Variant data_end - p */
	while (p < (__u8 *)data_end && *p != 0)
		p++;
	return (p - (__u8 *)data) & 1;
}

SEC("xdp") int stale_end_at_head(struct xdp_md *ctx) {
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	if (bpf_xdp_adjust_head(ctx, 4))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	__u8 *p = data;
	__u32 sum = 0;
	while (p < (__u8 *)data_end && *p != 0)
		p++;
	return (p - (__u8 *)data) & 1;
}

char LICENSE[] SEC("license") = "GPL";
