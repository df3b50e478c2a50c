// Misuses of data_at and undef_data_at in function contracts: each
// function or entry point fails once, at the marked line.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) int peek(__u16 *port)
/*@ Require undef_data_at(port, __u16)
    Ensure data_at(port, __u16, p) */
{
	__u16 old = *port; // reads what the caller never set
	*port = 1;
	return old;
}

static __attribute__((noinline)) int sometimes(__u16 *port, __u32 n)
/*@ Require undef_data_at(port, __u16)
    Ensure data_at(port, __u16, p) */
{
	if (n > 3)
		*port = 1;
	return 0; // not written when n <= 3
}

static __attribute__((noinline)) void forget(__u32 *v)
/*@ Require undef_data_at(v, __u32) */
{
}

static __attribute__((noinline)) void add_one(__u32 *v)
/*@ With a
    Require data_at(v, __u32, a) && a < 100
    Ensure data_at(v, __u32, a + 1) */
{
	*v += 1;
}

static __attribute__((noinline)) int when_zero(__u16 *port, __u32 n)
/*@ Require undef_data_at(port, __u16)
    Ensure (__return == 0 => data_at(port, __u16, p)) */
{
	if (n > 3)
		*port = 1;
	return n > 5; // not written when n <= 3, where it returns 0
}

SEC("xdp")
int callee_misuses(struct xdp_md *ctx)
{
	__u16 a, b;
	peek(&a);
	sometimes(&b, ctx->ingress_ifindex);
	when_zero(&b, ctx->ingress_ifindex);
	return XDP_PASS;
}

SEC("xdp")
int result_ignored(struct xdp_md *ctx)
{
	__u16 port;
	int r = when_zero(&port, 7);
	return port; // unset where when_zero did not return 0
}

SEC("xdp")
int read_after_forget(struct xdp_md *ctx)
{
	__u32 w = 5;
	forget(&w);
	return w; // forget's Ensure leaves w unset
}

SEC("xdp")
int precondition_on_contents(struct xdp_md *ctx)
{
	__u32 c = 100;
	add_one(&c); // a < 100 fails
	return XDP_PASS;
}

/* Counts into its out-parameter without zeroing it first. */
static __attribute__((noinline)) void count_unzeroed(__u8 *d, void *end,
						     __u32 *zeros)
/*@ Require packet(d) && packet_end(end) && d + 16 <= end &&
            undef_data_at(zeros, __u32)
    Ensure data_at(zeros, __u32, z) */
{
	/*@ Inv i <= 16 && d + 16 <= end */
	for (__u32 i = 0; i < 16; i++)
		if (d[i] == 0)
			*zeros += 1;
}

SEC("xdp")
int loop_misuse(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 z;
	if (data + 16 > (__u8 *)end)
		return XDP_PASS;
	count_unzeroed(data, end, &z);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
