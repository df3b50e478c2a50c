// Per IPv4 source address, a record whose C type has the shapes the
// object's BTF describes for bpftool and the kernel (a typedef of an
// anonymous struct, an anonymous union, an enum, bit-fields, a pointer to
// its own type): user space inserts the sources to watch; each packet
// from a watched source counts, and once a source has sent LIMIT packets
// its further packets are dropped; the record keeps the last verdict and
// the largest IPv4 total length seen. Every other packet passes. Safe:
// the one bound check covers both headers the fields come from, the
// lookup's NULL result is checked, and each store is to a field inside
// the value.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define LIMIT 3

enum verdict { PASSED = 1, DROPPED = 2 };

typedef struct {
  __u32 lo, hi;
} range_t;

struct source_record {
  __u64 packets;
  range_t lengths;
  union { // for user space: the address as a word or as bytes
    __u32 word;
    __u8 bytes[4];
  };
  enum verdict last;
  __u8 version : 4, ihl : 4; // for user space
  struct source_record *unused;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1024);
  __type(key, __u32); // IPv4 source address, network byte order
  __type(value, struct source_record);
} source_records SEC(".maps");

SEC("xdp")
int typed_source_records(struct xdp_md *ctx)
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
  __u32 source = ip->saddr;
  struct source_record *r = bpf_map_lookup_elem(&source_records, &source);
  if (!r)
    return XDP_PASS;
  __u32 length = bpf_ntohs(ip->tot_len);
  if (length > r->lengths.hi)
    r->lengths.hi = length;
  __u64 before = __sync_fetch_and_add(&r->packets, 1);
  if (before >= LIMIT) {
    r->last = DROPPED;
    return XDP_DROP;
  }
  r->last = PASSED;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
