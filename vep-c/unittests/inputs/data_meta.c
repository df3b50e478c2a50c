#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_meta(struct xdp_md *ctx)
{
	void *meta = (void *)(long)ctx->data_meta;

	return meta ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
