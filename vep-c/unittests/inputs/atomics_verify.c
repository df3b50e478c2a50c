#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct slot {
	__u64 flags;
	__u64 owner;
	__u32 hits;
	__u32 last;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct slot);
} slots SEC(".maps");

SEC("xdp")
int every_atomic(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
	__u32 key = 1;
	struct slot *s = bpf_map_lookup_elem(&slots, &key);
	if (!s)
		return XDP_PASS;
	__u64 old = __sync_fetch_and_or(&s->flags, 4);
	__sync_fetch_and_and(&s->flags, 7);
	__u32 x = __sync_fetch_and_xor(&s->last, 1) + __sync_fetch_and_add(&s->hits, 1);
	__u64 was = __sync_val_compare_and_swap(&s->owner, 0, old);
	__sync_lock_test_and_set(&s->last, x);
	if (__sync_lock_test_and_set(&s->hits, 0) > 100 || was)
		return XDP_DROP;
	return XDP_PASS;
}

SEC("xdp")
int fetched_is_unknown(struct xdp_md *ctx)
/*@ Ensure __return == 0 */
{
	__u32 key = 1;
	struct slot *s = bpf_map_lookup_elem(&slots, &key);
	if (!s)
		return 0;
	__sync_lock_test_and_set(&s->owner, 0);
	return __sync_fetch_and_add(&s->owner, 0);
}

SEC("xdp")
int fetched_within_width(struct xdp_md *ctx)
/*@ Ensure __return >= 0 */
{
	__u32 key = 1;
	struct slot *s = bpf_map_lookup_elem(&slots, &key);
	if (!s)
		return 0;
	return __sync_fetch_and_or(&s->hits, 1) >> 1;
}

SEC("xdp")
int cmpxchg_pointer(struct xdp_md *ctx)
{
	__u32 key = 1;
	long data = ctx->data;
	struct slot *s = bpf_map_lookup_elem(&slots, &key);
	if (s)
		__sync_val_compare_and_swap(&s->owner, data, 1);
	return XDP_PASS;
}

SEC("xdp")
int misaligned_xchg(struct xdp_md *ctx)
{
	__u32 key = 1;
	char *p = bpf_map_lookup_elem(&slots, &key);
	if (p)
		__sync_lock_test_and_set((__u64 *)(p + 4), 1);
	return XDP_PASS;
}

SEC("xdp")
int or_on_packet(struct xdp_md *ctx)
{
	__u32 *data = (void *)(long)ctx->data;
	__u32 *data_end = (void *)(long)ctx->data_end;
	if (data + 1 > data_end)
		return XDP_PASS;
	__u32 old = __sync_fetch_and_or(data, 1);
	return old ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
