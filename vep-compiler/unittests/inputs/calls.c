// bpf-to-bpf calls for the kernel comparison with clang
// (CodeGenCall.CSourceMatchesClangInTheKernel): a scalar function called
// twice with values live across the calls, a function calling another, a
// packet parser, a loop over the packet in a function, and one function
// over a buffer that is the packet at one call and a map value at another.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} names SEC(".maps");

static __attribute__((noinline)) __u32 scale(__u32 x)
/*@ Require x <= 1000  Ensure __return == 3 * x + 7 */
{
	return x * 3 + 7;
}

static __attribute__((noinline)) __u32 mix(__u32 a, __u32 b)
/*@ Require a <= 255 && b <= 255  Ensure __return <= 100000 */
{
	__u32 s = scale(a);
	return s * 4 + b;
}

static __attribute__((noinline)) __u32 read16(void *p, void *end)
/*@ Require packet(p) && packet_end(end)  Ensure __return <= 65536 */
{
	if (p + 2 > end)
		return 65536;
	return *(__u16 *)p;
}

static __attribute__((noinline)) __u32 odd_bytes(void *p, void *end, __u32 n)
/*@ Require packet(p) && packet_end(end) && n <= 16  Ensure __return <= n */
{
	__u32 i = 0, c = 0;
	/*@ Inv 0 <= i && i <= n && n <= 16 && c <= i Variant n - i */
	while (i < n) {
		if (p + i + 1 > end)
			break;
		c = c + *(__u8 *)(p + i) % 2;
		i = i + 1;
	}
	return c;
}

static __attribute__((noinline)) __u32 buf_strlen(__u8 *buf, __u32 n)
/*@ Require store_uchar_array(buf, n, l) && n <= 64  Ensure __return <= n */
{
	__u32 i = 0;
	/*@ Inv 0 <= i && i <= n && n <= 64 Variant n - i */
	while (i < n) {
		if (buf[i] == 0)
			break;
		i = i + 1;
	}
	return i;
}

SEC("xdp")
int calls(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	if (data + 16 > data_end)
		return 0;
	__u32 a = *(__u8 *)data, b = *(__u8 *)(data + 1);
	__u32 s = scale(a);
	__u32 t = scale(b);
	__u32 m = mix(a, b);
	__u32 v = read16(data + (a & 15), data_end);
	__u32 o = odd_bytes(data + 2, data_end, b & 15);
	__u32 z = buf_strlen(data, 16);
	__u32 key = 0;
	__u64 *name = bpf_map_lookup_elem(&names, &key);
	if (!name)
		return 1;
	__u32 y = buf_strlen((__u8 *)name, 8);
	return (s ^ t) + m + v + o * 1000000 + z * 20000000 + y;
}

char LICENSE[] SEC("license") = "GPL";
