#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int misplaced(struct xdp_md *ctx)
{
	int n = 0;
	int i;

	/*@ Inv 0 <= i && i <= 4 Variant 4 - i */
	n = 1;
	/*@ Inv 0 <= i && i <= 4 Variant 4 - i */
	/*@ Assert n == 1 */
	for (i = 0; i < 4; i++)
		n++;
	return n > 100 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
