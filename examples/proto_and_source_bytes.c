// Two maps with two value types: per IP protocol, a record of packets and
// bytes (an array of 256 `struct proto_stats`, indexed by the protocol
// byte), and per IPv4 source address, its byte count (a hash map of
// __u64: the first packet from an address inserts its length, later ones
// add to it). Passes every packet. The byte count is the IPv4 total
// length field (what the sender claims), not the frame length. Safe: the
// one bound check covers both headers the fields come from; both lookups'
// NULL results are checked before their values are touched; each counter
// is updated by an atomic add at its own aligned offset inside the
// 16-byte `struct proto_stats` or the 8-byte __u64; the key and the first
// value handed to bpf_map_update_elem are initialised integers of exactly
// the key and value sizes.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct proto_stats {
  __u64 packets;
  __u64 bytes;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 256);
  __type(key, __u32);
  __type(value, struct proto_stats);
} proto_stats SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 4096);
  __type(key, __u32);
  __type(value, __u64);
} source_bytes SEC(".maps");

SEC("xdp")
int proto_and_source_bytes(struct xdp_md *ctx)
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
  __u64 length = bpf_ntohs(ip->tot_len);
  __u32 proto = ip->protocol;
  struct proto_stats *stats = bpf_map_lookup_elem(&proto_stats, &proto);
  if (stats) {
    __sync_fetch_and_add(&stats->packets, 1);
    __sync_fetch_and_add(&stats->bytes, length);
  }
  __u32 source = ip->saddr;
  __u64 *bytes = bpf_map_lookup_elem(&source_bytes, &source);
  if (bytes)
    __sync_fetch_and_add(bytes, length);
  else
    bpf_map_update_elem(&source_bytes, &source, &length, BPF_NOEXIST);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
