// Pointer variables in annotations: comparisons within the packet and
// differences in bytes.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int ptr_ok(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = data + 14;

	/*@ Assert p - data == 14 && data < p && data <= data_end */
	if (p + 2 > data_end)
		return XDP_DROP;
	/*@ Assert p + 2 <= data_end && data_end - p >= 2 && data_end - data >= 16 */
	/*@ Assert p + 3 <= data_end */
	__u16 *w = data;
	/*@ Assert (void *)w + 16 <= data_end && (const unsigned char *)w == data */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
