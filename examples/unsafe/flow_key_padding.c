// UNSAFE: the twin of flow_key_counter.c that declares its key without
// `= {}` and writes every field: the key's padding byte is never written,
// but bpf_map_lookup_elem reads all 8 bytes of it, so the lookup hashes
// whatever the stack held there (and the kernel refuses to read
// uninitialised stack). Expected: read of uninitialised variable
// 'k.(padding 7)' at the lookup (the fix: `struct flow_key k = {};`).
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
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1024);
  __type(key, struct flow_key);
  __type(value, __u64);
} padded_flows SEC(".maps");

SEC("xdp")
int flow_key_padding(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct iphdr *ip = data + sizeof(struct ethhdr);
  struct udphdr *udp = (void *)(ip + 1);
  struct flow_key k;

  if ((void *)(udp + 1) > data_end)
    return XDP_PASS;
  k.saddr = ip->saddr;
  k.dport = udp->dest;
  k.proto = ip->protocol;
  __u64 *count = bpf_map_lookup_elem(&padded_flows, &k); // expected-error {{read of uninitialised variable 'k.(padding 7)'}}
  if (count)
    __sync_fetch_and_add(count, 1);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
