// Inline functions given the address of a local (docs/vep-c.md, "Inline
// functions", "Parameters given a local's address"): *p, p->f and p[i]
// name the caller's variable, and p passed on is its address again.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct cursor {
	__u8 *pos;
	__u32 hops;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

static __always_inline void step(struct cursor *c, __u32 n)
{
	c->pos += n;
	c->hops++;
}

static __always_inline int take_byte(struct cursor *c, void *end, __u8 *out)
{
	if (c->pos + 1 > (__u8 *)end)
		return -1;
	*out = *c->pos;
	step(c, 1);
	return 0;
}

static __always_inline void fill(__u8 *a, __u8 v)
{
	a[0] = v;
	a[1] = v + 1;
	a[2] = v + 2;
	a[3] = v + 3;
}

static __always_inline __u8 pick(__u8 *a, __u32 i)
{
	return a[i & 3];
}

static __always_inline int known(__u32 *key)
{
	return bpf_map_lookup_elem(&seen, key) != 0;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	struct cursor c = {(void *)(long)ctx->data, 0};
	__u8 b0, b1;
	__u8 four[4];
	__u32 key = 7;
	if (take_byte(&c, (void *)(long)ctx->data_end, &b0) < 0 ||
	    take_byte(&c, (void *)(long)ctx->data_end, &b1) < 0)
		return XDP_PASS;
	/*@ Assert c.hops == 2 */
	fill(four, b0);
	/*@ Assert four[3] == (b0 + 3) % 256 */
	key = b1;
	if (known(&key))
		return XDP_DROP;
	return pick(four, b1) == 9 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
