// __builtin_memcpy and __builtin_memset with constant lengths, and
// bpf_printk (docs/vep-c.md, "memcpy, memset and bpf_printk").
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

struct key {
  __u32 saddr;
  __u32 daddr;
  __u8 proto;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, struct key);
  __type(value, __u64);
} by_key SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u8[16]);
} bytes16 SEC(".maps");

SEC("xdp")
int key_from_packet(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct iphdr *ip = data + ETH_HLEN;
  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  struct key k;
  __builtin_memset(&k, 0, sizeof(k)); // the padding too
  __builtin_memcpy(&k.saddr, &ip->saddr, 8); // daddr too
  k.proto = ip->protocol;
  __u64 *n = bpf_map_lookup_elem(&by_key, &k);
  return n ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int padding_unset(struct xdp_md *ctx)
{
  struct key k;
  __builtin_memset(&k, 0, 9); // not the padding
  __u64 *n = bpf_map_lookup_elem(&by_key, &k);
  return n ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int swap_macs(struct xdp_md *ctx)
/*@ Ensure __return == 1 || __return == 3 */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  __u8 tmp[ETH_ALEN];
  if ((void *)(eth + 1) > data_end)
    return XDP_DROP;
  __builtin_memcpy(tmp, eth->h_source, ETH_ALEN);
  __builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
  __builtin_memcpy(eth->h_dest, tmp, ETH_ALEN);
  return XDP_TX;
}

SEC("xdp")
int copy_past_bound(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  __u32 zero = 0;
  if (data + 8 > data_end)
    return XDP_DROP;
  __u8 *v = bpf_map_lookup_elem(&bytes16, &zero);
  if (!v)
    return XDP_PASS;
  __builtin_memcpy(v, data, 12);
  return XDP_PASS;
}

SEC("xdp")
int fill_past_value(struct xdp_md *ctx)
{
  __u32 zero = 0;
  __u8 *v = bpf_map_lookup_elem(&bytes16, &zero);
  if (!v)
    return XDP_PASS;
  __builtin_memset(v + 4, 0xff, 16);
  return XDP_PASS;
}

SEC("xdp")
int print_values(struct xdp_md *ctx)
{
  __u32 len = ctx->data_end - ctx->data;
  static __u32 calls;
  calls++;
  bpf_printk("len %u", len);
  bpf_printk("len %u call %u of %u, %u", len, calls, 7, 8);
  return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
