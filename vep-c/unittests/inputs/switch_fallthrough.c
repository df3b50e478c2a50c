// switch cases that fall through into the next one (docs/vep-c.md,
// "switch statements"); see VerifierTest.cpp.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int falls_through(struct xdp_md *ctx)
/*@ Ensure __return == 2 || __return == 3 || __return == 7 */
{
	__u32 k = ctx->ingress_ifindex;
	int r = 0;
	switch (k) {
	case 1:
		r = 1;
	case 2:
		/*@ Assert r == 0 || r == 1 */
		r += 2;
		break;
	case 3:
		r = 5;
	default:
		r += 2;
	}
	return r;
}

// A break in the middle of a case leaves the cases it falls into unrun.
SEC("xdp")
int break_before_falling(struct xdp_md *ctx)
/*@ Ensure __return == 0 || __return == 1 || __return == 3 || __return == 10 */
{
	__u32 k = ctx->ingress_ifindex;
	int r = 0;
	switch (k) {
	case 4:
		r = 3;
		if (ctx->rx_queue_index == 0)
			break;
		r = 9;
	case 5:
		r += 1;
	}
	return r;
}

// Falling from case 3 into the default makes 7 possible.
SEC("xdp")
int default_reached_by_falling(struct xdp_md *ctx)
/*@ Ensure __return != 7 */
{
	__u32 k = ctx->ingress_ifindex;
	int r = 0;
	switch (k) {
	case 3:
		r = 5;
	default:
		r += 2;
	}
	return r;
}
