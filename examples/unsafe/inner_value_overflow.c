// UNSAFE: counts bytes and packets per protocol in the tables of an array
// of maps, but the tables' values are one __u64 (the inner maps'
// template), not the two the program writes: the second counter lies past
// the value of every map the array of maps can hold.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

struct proto_table {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 256);
  __type(key, __u32);
  __type(value, __u64);
} ipv4_protos SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
  __uint(max_entries, 2);
  __type(key, __u32);
  __array(values, struct proto_table);
} tables SEC(".maps") = {.values = {&ipv4_protos}};

SEC("xdp")
int inner_value_overflow(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct iphdr *ip = data + sizeof(struct ethhdr);
  __u32 version = 0;

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  __u32 proto = ip->protocol;
  void *table = bpf_map_lookup_elem(&tables, &version);
  if (!table)
    return XDP_PASS;
  __u64 *stats = bpf_map_lookup_elem(table, &proto);
  if (!stats)
    return XDP_PASS;
  __sync_fetch_and_add(&stats[0], data_end - data);
  __sync_fetch_and_add(&stats[1], 1); // expected-error {{map value access out of bounds}}
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
