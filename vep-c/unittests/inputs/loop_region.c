#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int region_change(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	void *p = data;
	unsigned int i;

	/*@ Inv 0 <= i && i <= 4 Variant 4 - i */
	for (i = 0; i < 4; i++) {
		if (p + 1 > data_end)
			return XDP_DROP;
		p = (void *)ctx;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
