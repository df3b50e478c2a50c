#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("tc")
int tc_ok(struct __sk_buff *skb)
/*@ Ensure __return == TC_ACT_OK || __return == TC_ACT_SHOT */
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end)
		return TC_ACT_OK;
	skb->mark = eth->h_proto;
	skb->priority = skb->len;
	skb->tc_index = 1;
	skb->cb[4] = skb->hash;
	skb->tc_classid = skb->cb[0];
	__u32 v = 0;
	int err = bpf_skb_load_bytes(skb, 0, &v, 2);
	/*@ Assert v >= 0 */
	return err < 0 ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("socket")
int socket_ok(struct __sk_buff *skb)
{
	__u8 b = 7;
	/*@ Inv 0 <= i && i <= 4 Variant 4 - i */
	for (int i = 0; i < 4; i++) {
		int err = bpf_skb_load_bytes(skb, i, &b, 1);
		if (err < 0)
			return 0;
	}
	skb->cb[0] = b;
	return skb->len;
}

SEC("socket")
int written_value_unknown(struct __sk_buff *skb)
/*@ Ensure __return == 7 */
{
	__u8 b = 7;
	bpf_skb_load_bytes(skb, 0, &b, 1);
	return b;
}

SEC("tc")
int tc_writes_len(struct __sk_buff *skb)
{
	skb->len = 0;
	return 0;
}

SEC("socket")
int socket_writes_mark(struct __sk_buff *skb)
{
	skb->mark = 1;
	return 0;
}

SEC("socket")
int socket_reads_data(struct __sk_buff *skb)
{
	return skb->data != 0;
}

SEC("socket")
int socket_reads_classid(struct __sk_buff *skb)
{
	return skb->tc_classid;
}

SEC("tc")
int tc_narrow_read(struct __sk_buff *skb)
{
	return *(__u16 *)&skb->mark;
}

SEC("tc")
int tc_pointer_into_ctx(struct __sk_buff *skb)
{
	skb->cb[0] = (long)skb->data;
	return 0;
}

SEC("socket")
int too_small(struct __sk_buff *skb)
{
	__u16 v;
	bpf_skb_load_bytes(skb, 0, &v, 4);
	return v;
}

SEC("socket")
int partly_written_uninitialised(struct __sk_buff *skb)
{
	__u32 v;
	bpf_skb_load_bytes(skb, 0, &v, 2);
	return v;
}

SEC("socket")
int zero_length(struct __sk_buff *skb)
{
	__u32 v = 0;
	bpf_skb_load_bytes(skb, 0, &v, 0);
	return v;
}

SEC("socket")
int not_the_context(struct __sk_buff *skb)
{
	__u32 v = 0;
	struct __sk_buff *p = skb + 1;
	bpf_skb_load_bytes(p, 0, &v, 4);
	return v;
}

SEC("xdp")
int xdp_load_bytes(struct xdp_md *ctx)
{
	__u32 v = 0;
	bpf_skb_load_bytes(ctx, 0, &v, 4);
	return v;
}

char LICENSE[] SEC("license") = "GPL";
