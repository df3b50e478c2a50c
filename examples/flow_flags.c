// Per-flow state in an array slot chosen by the low byte of the IPv4 source
// address, kept with atomic operations because other CPUs update the same
// slot: a bit per IP protocol seen (__sync_fetch_and_or, its old value
// says whether this protocol is new to the flow), a "first protocol" slot
// that the first packet claims with __sync_val_compare_and_swap (0 means
// unclaimed), a packet counter whose old value is used, the last TTL
// (__sync_lock_test_and_set), a parity bit (__sync_fetch_and_xor) and the
// protocol bits kept below bit 63 (__sync_fetch_and_and). A packet whose
// protocol is new to a flow that another protocol claimed first is
// dropped; every other packet passes.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct flow {
  __u64 protocols; // bit p: protocol p (mod 64) seen
  __u64 first;     // 0, or 1 + the protocol of the flow's first packet
  __u64 packets;
  __u64 last_ttl;
  __u64 parity; // packets mod 2, in bit 0
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 256);
  __type(key, __u32);
  __type(value, struct flow);
} flows SEC(".maps");

SEC("xdp")
int flow_flags(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  __u32 slot = ip->saddr & 0xff;
  struct flow *f = bpf_map_lookup_elem(&flows, &slot);
  if (!f)
    return XDP_PASS;
  __u64 proto = ip->protocol;
  __u64 bit = 1ull << (proto & 63);
  __u64 seen = __sync_fetch_and_or(&f->protocols, bit);
  __u64 first = __sync_val_compare_and_swap(&f->first, 0, proto + 1);
  __u64 packets = __sync_fetch_and_add(&f->packets, 1);
  __sync_lock_test_and_set(&f->last_ttl, ip->ttl);
  __sync_fetch_and_xor(&f->parity, 1);
  __sync_fetch_and_and(&f->protocols, ~(1ull << 63));
  if (first != 0 && first != proto + 1 && !(seen & bit) && packets > 0)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
