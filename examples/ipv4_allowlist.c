// Allowlist firewall for a management interface: IPv4 packets pass only
// when their source address is in the hash map `allowed_sources` (filled by
// user space; the value is unused); other IPv4 packets, and IPv4 frames too
// short for the header, are dropped. Frames that are not IPv4 (ARP, IPv6,
// ...) pass so that neighbour discovery keeps working. An array map of two
// counters records the verdicts (index 0: dropped, 1: allowed).
// Safe: the IPv4 header is bound-checked before the source address is
// copied into a 4-byte key; the counter index is 0 or 1, below the array's
// 2 entries, and the lookups' NULL results are checked.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1024);
  __type(key, __u32);
  __type(value, __u8);
} allowed_sources SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 2);
  __type(key, __u32);
  __type(value, __u64);
} verdicts SEC(".maps");

SEC("xdp")
int ipv4_allowlist(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(eth + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  if ((void *)(ip + 1) > data_end)
    return XDP_DROP;
  __u32 source = ip->saddr;
  __u8 *allowed = bpf_map_lookup_elem(&allowed_sources, &source);
  __u32 verdict = allowed ? 1 : 0;
  __u64 *count = bpf_map_lookup_elem(&verdicts, &verdict);
  if (count)
    __sync_fetch_and_add(count, 1);
  return verdict ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
