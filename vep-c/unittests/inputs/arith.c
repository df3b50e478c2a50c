#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int xdp_div(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;
	int x, y;

	if ((void *)(p + 2) > data_end)
		return XDP_DROP;
	x = p[0];
	y = p[1];
	if (x / y > 3)
		return XDP_DROP;
	return XDP_PASS;
}

SEC("xdp")
int xdp_ovf(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;
	int x;

	if ((void *)(p + 1) > data_end)
		return XDP_DROP;
	x = p[0];
	x = x * 0x1000000;
	return x > 5 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int xdp_safe(struct xdp_md *ctx)
/*@ Ensure 0 <= __return && __return <= 2 */
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;
	int x, y, z;
	unsigned int u;

	if (p + 4 > (__u8 *)data_end)
		return XDP_ABORTED;
	x = p[0];
	y = p[1];
	if (y == 0)
		return XDP_DROP;
	z = x / y + x % y;
	z += x * 0x10000 - y;
	u = (unsigned int)p[2] << 24;
	u >>= p[3] & 31;
	x = -x;
	/*@ Assert -255 <= x && x <= 0 */
	if (z < 0 || u == 7)
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
