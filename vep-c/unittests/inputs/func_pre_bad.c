// A caller violating clamp's Require (hi <= 1000): func_ok.c's twin.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__attribute__((noinline)) __u32 clamp(__u32 x, __u32 hi)
/*@ Require hi <= 1000  Ensure __return <= hi && __return <= x */
{
	return x < hi ? x : hi;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	__u32 limit = ctx->rx_queue_index;
	__u32 c = clamp(5, limit);
	return c == 1 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
