#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int ptr_bad(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	/*@ Assert data != 0 */
	/*@ Assert eth + 1 <= data_end */
	/*@ Assert data * 2 == data_end */
	/*@ Assert eth <= data_end */
	/*@ Assert (void *)1 <= data_end */
	/*@ Assert (struct ethhdr *)data <= data_end */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
