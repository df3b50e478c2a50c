#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int xdp_prog(struct xdp_md *ctx)
{
	int sum = 0;

	for (int i = 0; i < 4; i++)
		sum += i;
	return sum > 100 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int while_loop(struct xdp_md *ctx)
{
	int n = ctx->rx_queue_index & 7;

	while (n > 0)
		n--;
	return n == 0 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
