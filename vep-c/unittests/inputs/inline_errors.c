// Inline functions VEP-C cannot inline (FrontendInline.InliningErrors).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static inline int countdown(int x)
{
	if (x > 0)
		return countdown(x - 1);
	return 0;
}

static __always_inline int has_loop(__u32 n)
{
	__u32 i;
	/*@ Inv i <= 4 Variant 4 - i */
	for (i = 0; i < 4; i++)
		n++;
	return n;
}

static __always_inline int unknown_name(int x)
{
	/*@ Assert key > 0 */
	return x;
}

static __always_inline int d9(int x) { return x; }
static __always_inline int d8(int x) { return d9(x); }
static __always_inline int d7(int x) { return d8(x); }
static __always_inline int d6(int x) { return d7(x); }
static __always_inline int d5(int x) { return d6(x); }
static __always_inline int d4(int x) { return d5(x); }
static __always_inline int d3(int x) { return d4(x); }
static __always_inline int d2(int x) { return d3(x); }
static __always_inline int d1(int x) { return d2(x); }

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	int key = 1, s = 0;
	s += countdown(3);
	/*@ Inv true Variant 2 - key */
	while (key < 2) {
		s += has_loop(key);
		key++;
	}
	s += unknown_name(key);
	return d1(s);
}

/* A parameter given a local's address may only be dereferenced. */
static __always_inline int null_check(__u32 *p)
{
	if (!p)
		return 0;
	return *p;
}

SEC("xdp")
int uses_the_pointer(struct xdp_md *ctx)
{
	__u32 v = 1;
	return null_check(&v);
}

char LICENSE[] SEC("license") = "GPL";
