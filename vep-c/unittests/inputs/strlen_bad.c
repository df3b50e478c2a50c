#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int strlen_bad(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = data;

	/*@ Inv data <= p && p < data_end Variant data_end - p */
	while (p < data_end && *p != 0)
		p++;
	return p - data >= 64 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
