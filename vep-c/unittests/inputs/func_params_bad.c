// Rejected twins of func_params.c: Ensure read with the parameter's final
// value would hold, but it speaks of the value at the call; the caller
// checks 16 bytes after the cursor where proto_at requires 20.
#include <linux/bpf.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) __u32 successor(__u32 x)
/*@ Require x < 100  Ensure __return == x */
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
	if (data + 30 > data_end)
		return 0;
	int proto = proto_at(data + 14, data_end);
	__u32 y = successor(5);
	return proto == 6 && y == 6 ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
