// Local structs and arrays (docs/vep-c.md, "Local structs and arrays").
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct key {
  __u32 addr;
  __u16 port;
  __u8 proto;
};

struct pair {
  struct key k;
  __s16 delta[2];
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, struct key);
  __type(value, __u64);
} by_key SEC(".maps");

SEC("xdp")
int fields_and_elements(struct xdp_md *ctx)
/*@ Ensure __return == 7 */
{
  struct pair p = {.k = {.port = 3}, .delta = {-1}};
  __u32 counts[3] = {0};
  counts[1] += 4;
  p.k.addr = counts[1];
  struct pair q = p;
  q.delta[1] = q.delta[0] + 1;
  return q.k.addr + q.k.port + q.k.proto + q.delta[1];
}

SEC("xdp")
int key_written(struct xdp_md *ctx)
{
  struct key k = {};
  k.addr = 1;
  __u64 *v = bpf_map_lookup_elem(&by_key, &k);
  return v ? 1 : 2;
}

SEC("xdp")
int key_padding_unwritten(struct xdp_md *ctx)
{
  struct key k;
  k.addr = 1;
  k.port = 2;
  k.proto = 3;
  __u64 *v = bpf_map_lookup_elem(&by_key, &k);
  return v ? 1 : 2;
}

SEC("xdp")
int key_field_unwritten(struct xdp_md *ctx)
{
  struct key k = {};
  struct key j;
  j.addr = 1;
  k = j;
  return k.port;
}
