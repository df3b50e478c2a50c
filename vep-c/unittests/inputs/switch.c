// switch statements, lowered to a chain of ifs; see VerifierTest.cpp and
// FrontendTest.cpp.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>

// Grouped labels, a default in the middle, return and break ending cases;
// each case knows its value, the default knows it is none of them.
SEC("xdp")
int switch_ok(struct xdp_md *ctx)
/*@ Ensure __return == XDP_DROP || __return == XDP_PASS */
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	if (data + 4 > data_end)
		return XDP_PASS;
	__u8 proto = data[0];
	int cost = 0;

	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		/*@ Assert proto == 6 || proto == 17 */
		cost = 2;
		break;
	default:
		/*@ Assert proto != 6 && proto != 17 && proto != 1 */
		cost = proto > 100 ? 5 : 3;
		break;
	case IPPROTO_ICMP: {
		if (data[1] == 8)
			return XDP_DROP;
		cost = 1;
		break;
	}
	}
	/*@ Assert 1 <= cost && cost <= 5 */
	return cost > 4 ? XDP_DROP : XDP_PASS;
}

// The wrong assertion in the default: proto may be 6 only in a case.
SEC("xdp")
int switch_default_bad(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	if (data + 1 > data_end)
		return XDP_PASS;
	__u8 proto = data[0];

	switch (proto) {
	case IPPROTO_TCP:
		return XDP_DROP;
	default:
		/*@ Assert proto != 6 && proto != 17 */
		return XDP_PASS;
	}
}

// Only the UDP case reads 8 bytes past the 4 it checked.
SEC("xdp")
int switch_case_overread(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	if (data + 4 > data_end)
		return XDP_PASS;
	__u8 x = 0;
	/* The value, read from the packet, is evaluated once. */

	switch (data[0]) {
	case IPPROTO_TCP:
		x = data[3];
		break;
	case IPPROTO_UDP:
		x = data[7];
		break;
	}
	return x ? XDP_DROP : XDP_PASS;
}

// In a loop: `continue` goes to the loop's step, a case's tail `break`
// leaves the switch only, and a `break` inside a loop in a case is that
// loop's. Signed values and a GNU case range.
SEC("xdp")
int switch_in_loop(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	if (data + 16 > data_end)
		return XDP_PASS;
	int zeros = 0, small = 0, i;

	/*@ Inv 0 <= i && i <= 16 && 0 <= zeros && zeros <= i &&
	        0 <= small && small <= i && data + 16 <= data_end
	    Variant 16 - i */
	for (i = 0; i < 16; i++) {
		signed char c = data[i];
		switch (c) {
		case 0:
			zeros++;
			continue;
		case -1:
			/*@ Assert c == -1 */
			break;
		case 1 ... 9:
			/*@ Assert 1 <= c && c <= 9 */
			small++;
			break;
		}
	}
	/*@ Assert zeros <= 16 && small <= 16 */
	return zeros > small ? XDP_DROP : XDP_PASS;
}

static __always_inline int classify(__u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return 1;
	case IPPROTO_UDP:
		if (proto == 17)
			return 2;
		return 9;
	default:
		break;
	}
	return 0;
}

// An inline function returning from its cases: the rest of its body runs
// only when no case returned.
SEC("xdp")
int switch_inline(struct xdp_md *ctx)
/*@ Ensure __return == XDP_DROP || __return == XDP_PASS */
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	if (data + 1 > data_end)
		return XDP_PASS;
	__u8 proto = data[0];
	int k = classify(proto);
	/*@ Assert (proto == 6 && k == 1) || (proto == 17 && k == 2) ||
	           (proto != 6 && proto != 17 && k == 0) */
	return k == 2 ? XDP_DROP : XDP_PASS;
}

// A break in the middle of a case skips the rest of the case only.
SEC("xdp")
int switch_break_early(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	if (data + 2 > data_end)
		return XDP_PASS;
	__u8 kind = data[0];
	int len = 0;

	switch (kind) {
	case 1:
		if (data + 10 > data_end)
			break;
		len = data[9] + 1;
		if (len > 200)
			break;
		/*@ Assert 1 <= len && len <= 200 */
		break;
	case 2:
		len = 1;
		break;
	}
	/*@ Assert 0 <= len && len <= 256 */
	return len ? XDP_DROP : XDP_PASS;
}

// The same with the bound one byte short: only the path that did not
// break reads data[9].
SEC("xdp")
int switch_break_early_bad(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	if (data + 2 > data_end)
		return XDP_PASS;
	__u8 kind = data[0];
	int len = 0;

	switch (kind) {
	case 1:
		if (data + 9 > data_end)
			break;
		len = data[9];
		break;
	}
	return len ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
