// Buffer parameters (store_uchar_array): a function reading n bytes given
// the packet or a map value, one writing 2 ints. func_buffer_bad.c holds
// the rejected twins.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __attribute__((noinline)) int last_byte(__u8 *buf, __u32 n)
/*@ Require store_uchar_array(buf, n, l) && n >= 1 && n <= 64
    Ensure __return >= 0 && __return <= 255 */
{
	return buf[n - 1];
}

static __attribute__((noinline)) void zero_pair(__u32 *w)
/*@ Require store_uint_array(w, 2, l) */
{
	__u32 *second = w + 1;
	w[0] = 0;
	*second = 0;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	if ((void *)(data + 8) > data_end)
		return XDP_DROP;
	int b = last_byte(data, 8);
	__u32 key = 0;
	__u32 *v = bpf_map_lookup_elem(&stats, &key);
	if (!v)
		return XDP_PASS;
	zero_pair(v);
	int c = last_byte((__u8 *)v, 4);
	return b + c > 3 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
