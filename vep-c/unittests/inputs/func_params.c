// In Ensure a parameter denotes its value at the call, even when the body
// assigns it; Require's facts may compare packet parameters. A tc caller.
// func_params_bad.c holds the rejected twins.
#include <linux/bpf.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) __u32 successor(__u32 x)
/*@ Require x < 100  Ensure __return == x + 1 */
{
	x = x + 1;
	return x;
}

static __attribute__((noinline)) int proto_at(void *p, void *end)
/*@ Require packet(p) && packet_end(end) && p + 20 <= end
    Ensure __return <= 255 */
{
	struct iphdr *ip = p;
	return ip->protocol;
}

SEC("tc")
int prog(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	__u32 y = successor(5);
	/*@ Assert y == 6 */
	if (data + 34 > data_end)
		return 0;
	int proto = proto_at(data + 14, data_end);
	return proto == 6 ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
