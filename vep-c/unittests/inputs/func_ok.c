// bpf-to-bpf functions with contracts; each is verified once, and callers
// use only the contract. The rejected twins are the func_*_bad.c files.
#include <linux/bpf.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) int parse_ipv4(void *p, void *end)
/*@ Require packet(p) && packet_end(end)
    Ensure __return >= 0 && __return <= 255 */
{
	struct iphdr *ip = p;
	if ((void *)(ip + 1) > end)
		return 0;
	return ip->protocol;
}

__attribute__((noinline)) __u32 clamp(__u32 x, __u32 hi)
/*@ Require hi <= 1000  Ensure __return <= hi && __return <= x */
{
	return x < hi ? x : hi;
}

// A function calling another: only clamp's contract is used here.
static __attribute__((noinline)) __u32 proto_class(__u32 proto)
/*@ Require proto <= 255  Ensure __return <= 17 */
{
	__u32 c = clamp(proto, 17);
	return c;
}

// Returns nothing; writes the packet through p.
static __attribute__((noinline)) void clear_first(void *p, void *end)
/*@ Require packet(p) && packet_end(end) */
{
	__u8 *b = p;
	if (p + 1 <= end)
		*b = 0;
}

static __attribute__((noinline)) __u64 sum5(__u8 a, __u8 b, __u8 c, __u8 d,
                                             __u8 e)
/*@ Require true  Ensure __return == a + b + c + d + e */
{
	return (__u64)a + b + c + d + e;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	if (data + 14 > data_end)
		return XDP_DROP;
	int proto = parse_ipv4(data + 14, data_end);
	int first = parse_ipv4(data, data_end);
	__u32 class = proto_class(proto);
	clear_first(data, data_end);
	__u64 s = sum5(1, 2, 3, 4, 5);
	/*@ Assert class <= 17 && 0 <= first && first <= 255 && s == 15 */
	return class == 6 ? XDP_PASS : XDP_DROP;
}

// Called by no entry point: not compiled, so neither lowered nor verified
// (FrontendCalls.CalledFunctionsAndCallsLower), its contract ignored.
static __attribute__((noinline)) int unused(int x)
/*@ Require x > 0  Ensure __return == x + 1 */
{
	return x;
}

char LICENSE[] SEC("license") = "GPL";
