#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* A header with signed and unsigned bit-fields (little-endian layout). */
struct bf {
	signed char a:3, b:5;
	unsigned short c:10, d:6;
};

SEC("xdp")
int xdp_semantics(struct xdp_md *ctx)
/*@ Require true Ensure __return == 0 */
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *end = (void *)(long)ctx->data_end;
	struct bf *p = (void *)data;

	if ((void *)(p + 1) > (void *)end)
		return 0;
	data[0] = 0xff;
	signed char a = p->a;
	signed char b = p->b;
	/*@ Assert a == -1 && b == -1 */
	data[0] = 0x0b;
	a = p->a;
	b = p->b;
	/*@ Assert a == 3 && b == 1 */
	data[2] = 0x34;
	data[3] = 0x12;
	unsigned short c = p->c, d = p->d;
	/*@ Assert c == 564 && d == 4 */
	__u16 v = *(__u16 *)(data + 2);
	/*@ Assert v == 0x1234 */
	__u16 sw = bpf_ntohs(v);
	/*@ Assert sw == 0x3412 */
	__u32 big = __builtin_bswap32(0x11223344u + v);
	/*@ Assert big == 0x78452211 */
	int neg = -7;
	int q = neg / 2, r = neg % 2;
	/*@ Assert q == -3 && r == -1 && q == neg / 2 && r == neg % 2 */
	unsigned int u = neg;
	/*@ Assert u == 4294967289 && (int) u == -7 && (unsigned char) neg == 249 */
	long sh = neg >> 1;
	/*@ Assert sh == -4 && (neg >> 1) == -4 && (neg & 0xff) == 249 && ~neg == 6 */
	char ch = (char)200;
	/*@ Assert ch == -56 */
	unsigned char uc = 250;
	uc += 10;
	/*@ Assert uc == 4 */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
