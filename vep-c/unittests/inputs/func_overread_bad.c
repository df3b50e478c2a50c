// parse_ipv4 reading past `end` without a check: func_ok.c's twin.
#include <linux/bpf.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) int parse_ipv4(void *p, void *end)
/*@ Require packet(p) && packet_end(end)
    Ensure __return >= 0 && __return <= 255 */
{
	struct iphdr *ip = p;
	return ip->protocol;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	if (data + 14 > data_end)
		return XDP_DROP;
	int proto = parse_ipv4(data + 14, data_end);
	return proto == 6 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
