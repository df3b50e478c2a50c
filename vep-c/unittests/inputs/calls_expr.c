// Helper calls inside expressions (each evaluated into a temporary before
// its statement): VerifierCalls.CallsInsideExpressionsAreHoisted.
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
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
	__u32 key = bpf_get_smp_processor_id() & 3;
	if (!bpf_map_lookup_elem(&counts, &key))
		return XDP_PASS;
	__u64 *v = bpf_map_lookup_elem(&counts, &key);
	if (!v)
		return XDP_PASS;
	*v += bpf_get_prandom_u32() & 1;
	__u32 r;
	r = (bpf_get_prandom_u32() & 7) + 1;
	/*@ Assert 1 <= r && r <= 8 */
	if (bpf_get_prandom_u32() % r != 3 && r > 4)
		r = 2;
	__u32 spread = bpf_get_prandom_u32() % r + (bpf_get_smp_processor_id() & 1);
	/*@ Assert spread <= 8 */
	__u32 i;
	/*@ Inv i <= 5 Variant 5 - i */
	for (i = 0; i < 4; i = i + (bpf_get_prandom_u32() & 1) + 1)
		;
	return bpf_ktime_get_ns() > 5 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
