// UNSAFE: looks up the per-version protocol table in an array of maps and
// passes it on as the map of the next lookup without checking that the
// first lookup found it: bpf_map_lookup_elem on an array of maps returns
// NULL for an empty slot, which user space may leave or make at any time.
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
int inner_map_unchecked(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct iphdr *ip = data + sizeof(struct ethhdr);
  __u32 version = 0;

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  __u32 proto = ip->protocol;
  void *table = bpf_map_lookup_elem(&tables, &version);
  __u64 *count = bpf_map_lookup_elem(table, &proto); // expected-error {{inner map may be null}}
  if (count)
    __sync_fetch_and_add(count, 1);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
