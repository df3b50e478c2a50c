#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int xdp_prog(struct xdp_md *ctx)
/*@ Ensure __return == == XDP_PASS */
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
