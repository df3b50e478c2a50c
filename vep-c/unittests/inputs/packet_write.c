#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int xdp_swap(struct xdp_md *ctx)
/*@ Ensure __return == XDP_TX || __return == XDP_PASS */
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u8 tmp;

	if (data + sizeof(*eth) > data_end)
		return XDP_PASS;
	tmp = eth->h_dest[0];
	eth->h_dest[0] = eth->h_source[0];
	eth->h_source[0] = tmp;
	eth->h_proto += 1;
	/*@ Assert tmp <= 255 */
	if (eth->h_source[0] != tmp)
		return XDP_PASS;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
