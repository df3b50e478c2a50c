// Contracts of called functions that VEP-C rejects (FrontendCalls.ContractErrors).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) int untold(void *p)
/*@ Require true */
{
	return 0;
}

static __attribute__((noinline)) int buffer_fact(__u8 *b, __u32 n)
/*@ Require store_uchar_array(b, n, l) && b != b */
{
	return 0;
}

static __attribute__((noinline)) void no_result(__u32 x)
/*@ Ensure __return == 0 */
{
}

static __attribute__((noinline)) int other_pred(void *p)
/*@ With v Require data_at(p, struct iphdr, v) */
{
	return 0;
}

static inline int twice(int x)
{
	return 2 * x;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	void *d = (void *)(long)ctx->data;
	int t = twice(3);
	int a = untold(d);
	int b = buffer_fact(d, 1);
	no_result(1);
	int c = other_pred(d);
	return a + b + c + t;
}

char LICENSE[] SEC("license") = "GPL";
