#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int loop_hints(struct xdp_md *ctx)
{
	int n = 0;

#pragma clang loop unroll(full)
	/*@ Inv 0 <= i && i <= 4 Variant 4 - i */
	for (int i = 0; i < 4; i++)
		n++;

	/*@ Inv 0 <= j && j <= 4 Variant 4 - j */
#pragma unroll
	for (int j = 0; j < 4; j++)
		n++;
	return n > 100 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
