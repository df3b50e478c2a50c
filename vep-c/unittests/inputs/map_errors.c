#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__type(key, __u32);
	__type(value, __u64);
} pinned SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 0);
	__type(key, __u32);
	__type(value, __u64);
} empty SEC(".maps");

SEC("xdp")
int xdp_errors(struct xdp_md *ctx)
{
	__u32 key = 0;
	void *m = &counts;
	if (key && bpf_map_lookup_elem(&counts, &key)) // supported (calls_logic.c)
		return XDP_DROP;
	__u64 *v = bpf_map_lookup_elem(&counts, &key);
	if (!v)
		return XDP_PASS;
	__u64 old = __sync_add_and_fetch(v, 1);
	bpf_map_lookup_elem(&counts, &v);
	__sync_fetch_and_add((__u16 *)v, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1000);
} small_ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 0);
} empty_ring SEC(".maps");
