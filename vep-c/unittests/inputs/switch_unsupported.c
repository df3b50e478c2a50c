// switch shapes the lowering to a chain of ifs does not take; see
// FrontendTest.cpp.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int label_inside(struct xdp_md *ctx)
{
	int k = ctx->ingress_ifindex, r = 0;
	switch (k) {
	case 1:
		if (r == 0) {
	case 2:
			r = 2;
		}
		break;
	}
	return r;
}

char LICENSE[] SEC("license") = "GPL";
