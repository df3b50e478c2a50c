#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int sock(struct __sk_buff *skb)
{
	__u32 proto = 0;
	bpf_skb_load_bytes(skb, 9, &proto, 1);
	__u16 port;
	int err = bpf_skb_load_bytes(skb, 22, &port, sizeof(port));
	if (err < 0)
		return 0;
	return proto + port;
}

SEC("classifier")
int cls(struct __sk_buff *skb)
{
	skb->mark = skb->len;
	return 0;
}

SEC("tc")
int tc(struct __sk_buff *skb)
{
	return 0;
}

SEC("tc/ingress")
int tc_ingress(struct __sk_buff *skb)
{
	return 0;
}

SEC("socket")
int sock_xdp_ctx(struct xdp_md *ctx)
{
	return 0;
}

SEC("socket")
int own_result(struct __sk_buff *skb)
{
	long v = 0;
	v = bpf_skb_load_bytes(skb, 0, &v, 8);
	return 0;
}

SEC("socket")
int variable_length(struct __sk_buff *skb)
{
	__u32 v = 0, n = skb->len;
	bpf_skb_load_bytes(skb, 0, &v, n);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
