// Rejected twins of func_buffer.c: the callee reads buf[n] (one past its
// buffer), a caller passes 8 packet bytes where 9 are needed, and a map
// value of 8 bytes where zero_pair writes 2 ints at offset 4.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __attribute__((noinline)) int past_end(__u8 *buf, __u32 n)
/*@ Require store_uchar_array(buf, n, l) && n <= 64 */
{
	return buf[n];
}

static __attribute__((noinline)) int last_byte(__u8 *buf, __u32 n)
/*@ Require store_uchar_array(buf, n, l) && n >= 1 && n <= 64 */
{
	return buf[n - 1];
}

static __attribute__((noinline)) void zero_pair(__u32 *w)
/*@ Require store_uint_array(w, 2, l) */
{
	w[0] = 0;
	w[1] = 0;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	if ((void *)(data + 8) > data_end)
		return XDP_DROP;
	int b = last_byte(data, 9);
	__u32 key = 0;
	__u32 *v = bpf_map_lookup_elem(&stats, &key);
	if (!v)
		return XDP_PASS;
	zero_pair(v + 1);
	int c = past_end(data, 4);
	return b + c > 3 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
