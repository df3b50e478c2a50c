#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static int parity(unsigned long x)
{
	return x & 1;
}

SEC("xdp")
int xdp_prog(struct xdp_md *ctx)
{
	__u64 t = bpf_ktime_get_ns();

	return parity(t) ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
