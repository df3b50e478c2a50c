// The C program whose CIR CodeGenMapsTest.cpp builds by hand (countProto):
// the kernel tests run clang's build of this file and vepcc's code on the
// same packets and compare return values and map contents.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 256);
  __uint(key_size, 4);
  __uint(value_size, 8);
} counts SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1024);
  __uint(key_size, 4);
  __uint(value_size, 8);
} bytes SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __uint(key_size, 4);
  __uint(value_size, 4);
} seen SEC(".maps");

SEC("xdp")
int count_proto(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  if (data + 34 > data_end)
    return XDP_PASS;
  __u32 key = *(__u8 *)(data + 23);
  __u64 *count = bpf_map_lookup_elem(&counts, &key);
  if (count != 0)
    __sync_fetch_and_add(count, 1);
  __u64 len = data_end - data;
  __u64 *total = bpf_map_lookup_elem(&bytes, &key);
  if (total != 0)
    __sync_fetch_and_add(total, len);
  else
    bpf_map_update_elem(&bytes, &key, &len, BPF_ANY);
  __u32 zero = 0;
  __u32 *hits = bpf_map_lookup_elem(&seen, &zero);
  if (hits != 0)
    __sync_fetch_and_add(hits, 1);
  if (key == 6)
    bpf_map_delete_elem(&bytes, &key);
  if (key == 17)
    return XDP_DROP;
  return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
