#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int xdp_lower(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	__u8 ihl, version, proto;
	__u32 daddr;
	__be16 h_proto;

	if ((void *)(ip + 1) > data_end)
		return XDP_DROP;
	ihl = ip->ihl;
	version = ip->version;
	proto = ip->protocol;
	daddr = ip->daddr;
	h_proto = eth->h_proto;
	if (h_proto == bpf_htons(ETH_P_IP))
		return XDP_PASS;
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
