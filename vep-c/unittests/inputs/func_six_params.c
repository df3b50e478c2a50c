// Six parameters: eBPF passes at most 5 (func_ok.c's sum5 is the twin).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) __u64 sum6(__u8 a, __u8 b, __u8 c, __u8 d,
                                            __u8 e, __u8 f)
/*@ Require true */
{
	return (__u64)a + b + c + d + e + f;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	__u64 s = sum6(1, 2, 3, 4, 5, 6);
	return s == 21 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
