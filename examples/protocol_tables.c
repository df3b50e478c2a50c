// Counts packets per transport protocol in two tables, one for IPv4 and
// one for IPv6 (an array map of 256 counters each, indexed by the protocol
// or next-header byte). An array of maps holds the two tables, filled by
// libbpf at load time from its initial values; the program selects the
// table by the IP version, so user space can swap in a fresh table to
// reset the counts. Truncated IP headers are dropped.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct proto_table {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 256);
  __type(key, __u32);
  __type(value, __u64);
} ipv4_protos SEC(".maps"), ipv6_protos SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
  __uint(max_entries, 2);
  __type(key, __u32);
  __array(values, struct proto_table);
} tables SEC(".maps") = {.values = {&ipv4_protos, &ipv6_protos}};

SEC("xdp")
int protocol_tables(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  __u32 version = 0, proto = 0;

  if ((void *)(eth + 1) > data_end)
    return XDP_DROP;
  if (eth->h_proto == bpf_htons(ETH_P_IP)) {
    struct iphdr *ip = data + sizeof(struct ethhdr);
    if ((void *)(ip + 1) > data_end)
      return XDP_DROP;
    proto = ip->protocol;
  } else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
    struct ipv6hdr *ip6 = data + sizeof(struct ethhdr);
    if ((void *)(ip6 + 1) > data_end)
      return XDP_DROP;
    version = 1;
    proto = ip6->nexthdr;
  } else {
    return XDP_PASS;
  }
  void *table = bpf_map_lookup_elem(&tables, &version);
  if (!table)
    return XDP_PASS;
  __u64 *count = bpf_map_lookup_elem(table, &proto);
  if (count)
    __sync_fetch_and_add(count, 1);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
