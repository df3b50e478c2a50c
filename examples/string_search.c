// String search as bpf-to-bpf functions with functional contracts: each
// function takes its buffer and the buffer's size (eBPF loops are bounded),
// and its contract says what it returns in terms of the buffer's contents
// (docs/vep-c.md, "Contents and sequences"). The entry point uses them on
// the packet's payload and on a map value.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

#define NAME_LEN 32

struct host_name {
  unsigned char s[NAME_LEN];
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct host_name);
} host_names SEC(".maps");

/* strlen bounded by the buffer: the index of the first NUL, or n. */
static __attribute__((noinline)) __u32 vep_strnlen(unsigned char *s, __u32 n)
/*@ With l
    Require store_uchar_array(s, n, l) && n <= 64
    Ensure __return <= n &&
           (forall (k: Z), 0 <= k && k < __return => l[k] != 0) &&
           (__return < n => l[__return] == 0) */
{
  __u32 i;
  /*@ Inv i <= n && n <= 64 &&
          (forall (k: Z), 0 <= k && k < i => l[k] != 0)
      Variant n - i */
  for (i = 0; i < n; i++)
    if (s[i] == 0)
      return i;
  return n;
}

/* The least index holding c, or n when none does. */
static __attribute__((noinline)) __u32 vep_memchr(unsigned char *s, __u32 c,
                                                  __u32 n)
/*@ With l
    Require store_uchar_array(s, n, l) && n <= 64 && c <= 255
    Ensure __return <= n &&
           (forall (k: Z), 0 <= k && k < __return => l[k] != c) &&
           (__return < n => l[__return] == c) */
{
  __u32 i;
  /*@ Inv i <= n && n <= 64 && c <= 255 &&
          (forall (k: Z), 0 <= k && k < i => l[k] != c)
      Variant n - i */
  for (i = 0; i < n; i++)
    if (s[i] == c)
      return i;
  return n;
}

/* The index of the first c in the string at s (before its NUL), or n when
   the string has none. */
static __attribute__((noinline)) __u32 vep_strchr(unsigned char *s, __u32 c,
                                                  __u32 n)
/*@ With l
    Require store_uchar_array(s, n, l) && n <= 64 && 1 <= c && c <= 255
    Ensure __return <= n &&
           (__return < n => l[__return] == c) &&
           (forall (k: Z), 0 <= k && k < __return => l[k] != c && l[k] != 0) ||
           __return == n &&
           (exists j, 0 <= j && j < n && l[j] == 0 &&
              (forall (k: Z), 0 <= k && k < j => l[k] != c)) */
{
  __u32 i;
  /*@ Inv i <= n && n <= 64 && 1 <= c && c <= 255 &&
          (forall (k: Z), 0 <= k && k < i => l[k] != c && l[k] != 0)
      Variant n - i */
  for (i = 0; i < n; i++) {
    unsigned char x = s[i];
    if (x == c)
      return i;
    if (x == 0)
      return n;
  }
  return n;
}

SEC("xdp")
int find_separators(struct xdp_md *ctx)
/*@ Ensure __return == XDP_DROP || __return == XDP_PASS */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  unsigned char *payload = data + sizeof(struct ethhdr);

  if ((void *)(payload + NAME_LEN) > data_end)
    return XDP_PASS;
  __u32 len = vep_strnlen(payload, NAME_LEN);
  __u32 colon = vep_memchr(payload, ':', len);

  __u32 key = 0;
  struct host_name *h = bpf_map_lookup_elem(&host_names, &key);
  if (!h)
    return XDP_PASS;
  __u32 dot = vep_strchr(h->s, '.', NAME_LEN);
  /* A payload string with a ':', or a long one when the host name has a
     dot, is dropped. */
  if (colon < len || (dot < NAME_LEN && len > 16))
    return XDP_DROP;
  return len >= 8 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
