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
	/* Every packet load is a fresh value (the contents are not modelled),
	 * so a bit-field read is known by its range: sign-extended from 3 and
	 * 5 bits, zero-extended from 10 and 6. */
	signed char a = p->a;
	signed char b = p->b;
	/*@ Assert -4 <= a && a <= 3 && -16 <= b && b <= 15 */
	unsigned short c = p->c, d = p->d;
	/*@ Assert c <= 1023 && d <= 63 */
	__u16 v = 0x1234;
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
