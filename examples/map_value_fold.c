// Keeps, per IPv4 protocol, a 16-byte record in an array map, and uses
// two bpf-to-bpf functions over map values: one writes a buffer (a
// memset), one reads it (a byte sum). Their contracts name the buffer with
// store_uchar_array, so the same function serves any 16-byte region.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct record {
  unsigned char bytes[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 256);
  __type(key, __u32);
  __type(value, struct record);
} records SEC(".maps");

/* Sets the n bytes at buf to c. */
static __attribute__((noinline)) void fill(unsigned char *buf, __u32 n,
                                           __u32 c)
/*@ Require store_uchar_array(buf, n, l) && n <= 16 && c <= 255 */
{
  __u32 i;
  /*@ Inv i <= n && n <= 16 && c <= 255 Variant n - i */
  for (i = 0; i < n; i++)
    buf[i] = c;
}

/* The sum of the n bytes at buf. */
static __attribute__((noinline)) __u32 byte_sum(unsigned char *buf, __u32 n)
/*@ Require store_uchar_array(buf, n, l) && n <= 16
    Ensure __return <= 4080 */
{
  __u32 i, sum = 0;
  /*@ Inv i <= n && n <= 16 && sum <= i * 255 Variant n - i */
  for (i = 0; i < n; i++)
    sum += buf[i];
  return sum;
}

SEC("xdp")
int map_value_fold(struct xdp_md *ctx)
/*@ Ensure XDP_DROP <= __return && __return <= XDP_PASS */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  __u32 key = ip->protocol;
  struct record *r = bpf_map_lookup_elem(&records, &key);
  if (!r)
    return XDP_PASS;
  __u32 sum = byte_sum(r->bytes, 16);
  if (sum == 0) {
    fill(r->bytes, 16, ip->ttl);
    sum = byte_sum(r->bytes, 16);
  }
  return sum > 2000 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
