// clamp violating its Ensure (it returns x when x > hi): func_ok.c's twin.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__attribute__((noinline)) __u32 clamp(__u32 x, __u32 hi)
/*@ Require hi <= 1000  Ensure __return <= hi && __return <= x */
{
	return x <= hi + 1 ? x : hi;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	__u32 c = clamp(ctx->rx_queue_index, 17);
	return c == 1 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
