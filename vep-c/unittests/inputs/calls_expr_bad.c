// Calls inside expressions that cannot be evaluated before their
// statement (FrontendCalls.CallsInsideExpressionsNotHoistable).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("tc")
int tc_calls(struct __sk_buff *skb)
{
	__u32 key = 0, v = 0, x = 0, counts_unused = 0;
	// (A call right of && or || is evaluated when needed: calls_logic.c.)
	if (key && counts_unused)
		return 1;
	x = key ? 1 : 0; // (a call in a branch of ?:: calls_logic.c)
	/*@ Inv true Variant 0 */
	while (bpf_get_prandom_u32() & 1)
		break;
	x = v + bpf_skb_load_bytes(skb, 0, &v, 4);
	if (bpf_skb_load_bytes(skb, 0, &v, 4) < 0 || v > 3)
		return 2;
	return x;
}

char LICENSE[] SEC("license") = "GPL";
