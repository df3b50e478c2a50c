#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int xdp_assert(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	__u32 hlen;

	if ((void *)(ip + 1) > data_end)
		return XDP_DROP;
	hlen = ip->ihl * 4;
	/*@ Assert hlen <= 60 */
	/*@ hlen % 4 == 0 */
	if (hlen < 20)
		return XDP_DROP;
	/*@ Assert hlen >= 24 */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
