// A packet(p) argument that may lie past data_end (no length check before
// the call): func_ok.c's twin.
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

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	int proto = parse_ipv4(data + 14, data_end);
	return proto == 6 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
