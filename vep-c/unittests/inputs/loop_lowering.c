#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int lowering(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = data;
	unsigned int k = 0;

	/*@ Inv 0 <= i && i <= ETH_HLEN Variant ETH_HLEN - i */
	for (int i = 0, j = 1; i < ETH_HLEN; i += 2, j++) {
		if (j == 3)
			continue;
		if (i > 10)
			break;
	}
	/*@ Inv data <= p && p <= data_end Variant data_end - p */
	while (p < data_end)
		p++;
	/*@ Inv k <= 5 */
	do
		k++;
	while (k < 5);
	for (;;)
		break;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
