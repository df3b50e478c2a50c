// Direct and mutual recursion: eBPF forbids both (func_ok.c's proto_class
// calling clamp is the accepted twin).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) __u32 down(__u32 x)
/*@ Require true  Ensure __return == 0 */
{
	if (x == 0)
		return 0;
	__u32 r = down(x - 1);
	return r;
}

static __attribute__((noinline)) __u32 odd(__u32 x);

static __attribute__((noinline)) __u32 even(__u32 x)
/*@ Require true */
{
	if (x == 0)
		return 1;
	__u32 r = odd(x - 1);
	return r;
}

static __attribute__((noinline)) __u32 odd(__u32 x)
/*@ Require true */
{
	if (x == 0)
		return 0;
	__u32 r = even(x - 1);
	return r;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	__u32 a = down(3);
	__u32 b = even(4);
	return a + b == 1 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
