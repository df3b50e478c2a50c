// data_at(p, T, v) and undef_data_at(p, T) in the contracts of bpf-to-bpf
// functions (docs/vep-c.md, "One object: data_at"): one object of an
// integer type of any width that the function reads and writes, or, with
// undef_data_at, an out-parameter the caller need not initialise.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) void add_len(__u64 *acc, __u32 n)
/*@ With a
    Require data_at(acc, __u64, a) && a <= 1000000
    Ensure data_at(acc, __u64, a + n) */
{
	*acc += n;
}

static __attribute__((noinline)) void negate(short *x)
/*@ With v
    Require data_at(x, short, v) && -100 < v && v < 100
    Ensure data_at(x, short, -v) */
{
	*x = -*x;
}

static __attribute__((noinline)) int read_port(void *data, void *end,
					       __u16 *port)
/*@ Require packet(data) && packet_end(end) && undef_data_at(port, __u16)
    Ensure data_at(port, __u16, p) && (__return == 0 => p != 0) */
{
	__u8 *d = data;
	*port = 0;
	if (d + 4 > (__u8 *)end)
		return -1;
	__u16 x = (d[2] << 8) | d[3];
	if (x == 0)
		return -1;
	*port = x;
	return 0;
}

static __attribute__((noinline)) void set_seven(__u32 *out)
/*@ Require undef_data_at(out, __u32)
    Ensure data_at(out, __u32, 7) */
{
	*out = 7;
}

/* An out-parameter handed on to a function that writes it. */
static __attribute__((noinline)) void set_via(__u32 *out)
/*@ Require undef_data_at(out, __u32)
    Ensure data_at(out, __u32, v) && v == 7 */
{
	set_seven(out);
}

/* Writes *port only where it returns 0; passes that on. */
static __attribute__((noinline)) int port_if_any(void *data, void *end,
						 __u16 *port)
/*@ Require packet(data) && packet_end(end) && undef_data_at(port, __u16)
    Ensure (__return == 0 => data_at(port, __u16, p) && p != 0) */
{
	if (read_port(data, end, port) != 0)
		return 1;
	return 0;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u64 total = 5;
	add_len(&total, 10);
	/*@ Assert total == 15 */
	short s = -7;
	negate(&s);
	/*@ Assert s == 7 */
	__u16 port;
	if (read_port(data, end, &port) != 0)
		return XDP_PASS;
	/*@ Assert port != 0 */
	__u32 seven;
	set_via(&seven);
	/*@ Assert seven == 7 */
	__u16 again;
	if (port_if_any(data, end, &again) != 0)
		return XDP_PASS;
	/*@ Assert again != 0 */
	return port == 53 ? XDP_DROP : XDP_PASS;
}

/* An out-parameter counted in a loop: data_at in the invariant. */
static __attribute__((noinline)) int count_zeros(__u8 *d, void *end,
						 __u32 *zeros)
/*@ Require packet(d) && packet_end(end) && undef_data_at(zeros, __u32)
    Ensure (__return == 0 => data_at(zeros, __u32, z) && z <= 16) */
{
	if (d + 16 > (__u8 *)end)
		return -1;
	*zeros = 0;
	/*@ Inv i <= 16 && d + 16 <= end && data_at(zeros, __u32, z) && z <= i */
	for (__u32 i = 0; i < 16; i++)
		if (d[i] == 0)
			*zeros += 1;
	return 0;
}

SEC("xdp")
int counted(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 z;
	if (count_zeros(data, end, &z) != 0)
		return XDP_PASS;
	/*@ Assert z <= 16 */
	return z > 8 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
