// bpf-to-bpf calls inside expressions, nested calls among them: each is
// evaluated into a temporary before its statement
// (VerifierCalls.CallsInsideExpressionsAreHoisted).
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

static __attribute__((noinline)) __u32 clamp(__u32 x, __u32 hi)
/*@ Require hi <= 1000  Ensure __return <= hi && __return <= x */
{
	return x < hi ? x : hi;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	if (data + 14 > data_end)
		return XDP_DROP;
	if (parse_ipv4(data + 14, data_end) != 6)
		return XDP_PASS;
	__u32 both = clamp(parse_ipv4(data + 14, data_end), 10) +
		     clamp(clamp(bpf_get_prandom_u32(), 100), 20);
	/*@ Assert both <= 30 */
	return clamp(both, 30) > 25 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
