// Calls in the right operand of && and || and in the branches of ?:,
// evaluated only when C evaluates them (FrontendCalls.ShortCircuitCalls,
// VerifierCalls.ShortCircuitCallsRunOnlyWhenNeeded).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

static __attribute__((noinline)) int small_odd(__u32 x)
/*@ Require x < 10 Ensure 0 <= __return && __return <= 1 */
{
	return x & 1;
}

// small_odd's precondition holds: && calls it only when x < 10.
SEC("tc")
int and_guards_call(struct __sk_buff *skb)
{
	__u32 x = skb->len, key = 0;
	if (x < 10 && small_odd(x))
		return 1;
	int r = x >= 10 || small_odd(x);
	/*@ Assert r == 0 || r == 1 */
	if (key < 4 && bpf_map_lookup_elem(&counts, &key))
		return 2;
	return r;
}

// With || the call runs exactly when x >= 10.
SEC("tc")
int or_calls_when_false(struct __sk_buff *skb)
{
	__u32 x = skb->len;
	if (x < 10 || small_odd(x))
		return 1;
	return 0;
}

// ?: evaluates only the branch its condition chooses: the call in the
// true branch runs only when x < 10.
SEC("tc")
int cond_guards_call(struct __sk_buff *skb)
{
	__u32 x = skb->len;
	int r = x < 10 ? small_odd(x) : 2;
	/*@ Assert 0 <= r && r <= 2 */
	return r;
}

// The call in the false branch runs when x >= 10.
SEC("tc")
int cond_calls_other_branch(struct __sk_buff *skb)
{
	__u32 x = skb->len;
	return x < 10 ? 2 : small_odd(x);
}

char LICENSE[] SEC("license") = "GPL";
