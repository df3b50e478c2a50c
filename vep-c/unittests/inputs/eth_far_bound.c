#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* The bound check compares a pointer 14 * (2^32 - 1) bytes past the packet
 * start with data_end: mathematically always greater, so the access would
 * be dead code, but the machine comparison of addresses that far apart is
 * not what the checker can rely on (no address wraps only within 2^31), so
 * VEP-C must not rely on it either. */
SEC("xdp")
int xdp_eth(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 4294967295u) > data_end)
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_IP))
		return XDP_PASS;
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
