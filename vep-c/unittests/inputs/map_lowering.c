#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__uint(key_size, 4);
	__uint(value_size, 8);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} sized SEC(".maps");

SEC("xdp")
int xdp_maps(struct xdp_md *ctx)
{
	__u32 key = 3;
	__u64 *count = bpf_map_lookup_elem(&counts, &key);
	if (count)
		__sync_fetch_and_add(count, 2);
	__u64 one = 1;
	int err = bpf_map_update_elem(&sized, &key, &one, key + 1);
	bpf_map_delete_elem(&sized, &key);
	__u32 r;
	r = bpf_get_prandom_u32();
	return err ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
