// Counts IPv4 packets per source address in a hash map: the first packet
// from an address inserts the count 1, later ones increment it. Passes
// every packet. When the map is full the insertion fails and the packet
// goes uncounted.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1024);
  __type(key, __u32);
  __type(value, __u64);
} source_counts SEC(".maps");

SEC("xdp")
int count_sources(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  __u32 source = ip->saddr;
  __u64 *count = bpf_map_lookup_elem(&source_counts, &source);
  if (count) {
    __sync_fetch_and_add(count, 1);
  } else {
    __u64 first = 1;
    bpf_map_update_elem(&source_counts, &source, &first, BPF_NOEXIST);
  }
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
