// The hoisted calls' results are what the expressions use
// (VerifierCalls.CallsInsideExpressionsAreHoisted): a lookup dereferenced
// without a null check, a divisor that may be 0, an assertion on a masked
// result that is one too strict.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("xdp")
int xdp_calls(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u32 r = (bpf_get_prandom_u32() & 7) + 1;
	/*@ Assert r <= 7 */
	__u32 q = 100 / (bpf_get_prandom_u32() & 3);
	return *(__u64 *)bpf_map_lookup_elem(&counts, &key) > q ? XDP_PASS
								 : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
