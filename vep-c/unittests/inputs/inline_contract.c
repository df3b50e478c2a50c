// An inline function with a contract is a bpf-to-bpf function: verified
// once, its calls use the contract (FrontendInline.InlineFunctionWithAContract).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static inline __u32 halve(__u32 x)
/*@ Require true  Ensure __return <= x */
{
	return x / 2;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	__u32 h = halve(bpf_get_prandom_u32());
	return h > 7 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
