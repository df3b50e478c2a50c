#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int regions(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;

	/*@ Assert ctx != data */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
