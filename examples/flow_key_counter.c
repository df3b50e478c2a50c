// Counts UDP packets per flow (source address, destination port, protocol)
// in a hash map keyed by a local struct, and drops a flow's packets after
// its first 4. The key is built field by field after `= {}`, which also
// zeroes its padding byte: the helper reads all 8 bytes of the key, and
// both VEP-C and the kernel require each of them written.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct flow_key {
  __u32 saddr;
  __u16 dport;
  __u8 proto;
  // one byte of padding
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1024);
  __type(key, struct flow_key);
  __type(value, __u64);
} flow_counts SEC(".maps");

SEC("xdp")
int flow_key_counter(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);
  struct udphdr *udp = (void *)(ip + 1);
  struct flow_key k = {};

  if ((void *)(udp + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
    return XDP_PASS;
  k.saddr = ip->saddr;
  k.dport = udp->dest;
  k.proto = ip->protocol;
  __u64 *count = bpf_map_lookup_elem(&flow_counts, &k);
  if (!count) {
    __u64 one = 1;
    bpf_map_update_elem(&flow_counts, &k, &one, BPF_ANY);
    return XDP_PASS;
  }
  __sync_fetch_and_add(count, 1);
  if (*count > 4)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
