#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct pair {
	__u32 a;
	__u64 b;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct pair);
} pairs SEC(".maps");

SEC("xdp")
int lookup_ok(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
	__u32 key = 1;
	struct pair *p = bpf_map_lookup_elem(&pairs, &key);
	if (p == NULL)
		return XDP_DROP;
	p->a = 7;
	__sync_fetch_and_add(&p->b, p->a);
	__u64 t = bpf_ktime_get_ns();
	__u32 cpu = bpf_get_smp_processor_id();
	__u32 r = bpf_get_prandom_u32();
	/*@ Assert 0 <= r && r <= 4294967295 && cpu <= 4294967295 */
	if (t & 1)
		bpf_map_delete_elem(&pairs, &key);
	return XDP_PASS;
}

SEC("xdp")
int null_deref(struct xdp_md *ctx)
{
	__u32 key = 1;
	struct pair *p = bpf_map_lookup_elem(&pairs, &key);
	if (p != NULL)
		p->a = 1;
	return p->a ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int value_overflow(struct xdp_md *ctx)
{
	__u32 key = 1;
	__u64 *p = bpf_map_lookup_elem(&pairs, &key);
	if (!p)
		return XDP_PASS;
	p[1] = 2;
	p[2] = 3;
	return XDP_PASS;
}

SEC("xdp")
int value_underflow(struct xdp_md *ctx)
{
	__u32 key = 1;
	__u32 *p = bpf_map_lookup_elem(&pairs, &key);
	if (!p)
		return XDP_PASS;
	return p[-1] ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int small_value(struct xdp_md *ctx)
{
	__u32 key = 1;
	__u64 value = 0;
	bpf_map_update_elem(&pairs, &key, &value, BPF_ANY);
	return XDP_PASS;
}

SEC("xdp")
int not_a_map(struct xdp_md *ctx)
{
	__u32 key = 1;
	void *p = bpf_map_lookup_elem(&key, &key);
	return p ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int pointer_in_value(struct xdp_md *ctx)
{
	__u32 key = 1;
	long data = ctx->data;
	__u64 *p = bpf_map_lookup_elem(&pairs, &key);
	if (p)
		__sync_fetch_and_add(p + 1, data);
	return XDP_PASS;
}

SEC("xdp")
int misaligned_atomic(struct xdp_md *ctx)
{
	__u32 key = 1;
	char *p = bpf_map_lookup_elem(&pairs, &key);
	if (p)
		__sync_fetch_and_add((__u64 *)(p + 4), 1);
	return XDP_PASS;
}

SEC("xdp")
int atomic_on_packet(struct xdp_md *ctx)
{
	__u32 *data = (void *)(long)ctx->data;
	__u32 *data_end = (void *)(long)ctx->data_end;
	if (data + 1 > data_end)
		return XDP_PASS;
	__sync_fetch_and_add(data, 1);
	return XDP_PASS;
}

SEC("xdp")
int helper_not_allowed(struct xdp_md *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	return id ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int arithmetic_before_check(struct xdp_md *ctx)
{
	__u32 key = 1;
	char *p = bpf_map_lookup_elem(&pairs, &key);
	char *q = p + 8;
	if (!p)
		return XDP_PASS;
	return *q ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int lookup_in_loop(struct xdp_md *ctx)
{
	__u32 i;
	/*@ Inv i <= 4 */
	for (i = 0; i < 4; i++) {
		__u64 *v = bpf_map_lookup_elem(&pairs, &i);
		if (v)
			*v += i;
	}
	return XDP_PASS;
}

SEC("xdp")
int value_across_loop(struct xdp_md *ctx)
{
	__u32 key = 0, i;
	__u64 *v = bpf_map_lookup_elem(&pairs, &key);
	if (!v)
		return XDP_PASS;
	/*@ Inv i <= 4 */
	for (i = 0; i < 4; i++)
		*v += i;
	return XDP_PASS;
}

SEC("xdp")
int contents_not_remembered(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS */
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&pairs, &key);
	if (!v)
		return XDP_PASS;
	*v = 1;
	return *v == 1 ? XDP_PASS : XDP_DROP;
}

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} words SEC(".maps");

SEC("xdp")
int pointer_as_update_value(struct xdp_md *ctx)
{
	__u32 key = 1;
	long data = ctx->data;
	bpf_map_update_elem(&words, &key, &data, BPF_ANY);
	return XDP_PASS;
}

SEC("xdp")
int uninitialised_key(struct xdp_md *ctx)
{
	__u32 key;
	bpf_map_delete_elem(&words, &key);
	return XDP_PASS;
}

SEC("xdp")
int value_in_annotation(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&words, &key);
	/*@ Assert v == v */
	return XDP_PASS;
}

SEC("xdp")
int pointer_as_key(struct xdp_md *ctx)
{
	long data = ctx->data;
	bpf_map_delete_elem(&words, &data);
	return XDP_PASS;
}

SEC("xdp")
int value_maybe_null_across_loop(struct xdp_md *ctx)
{
	__u32 key = 0, i;
	__u64 *v = bpf_map_lookup_elem(&pairs, &key);
	/*@ Inv i <= 4 */
	for (i = 0; i < 4; i++)
		if (v)
			*v += i;
	return XDP_PASS;
}

SEC("xdp")
int value_moved_in_loop(struct xdp_md *ctx)
{
	__u32 key = 0, i;
	__u32 *v = bpf_map_lookup_elem(&words, &key);
	if (!v)
		return XDP_PASS;
	/*@ Inv i <= 1 */
	for (i = 0; i < 1; i++)
		v = v + 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
