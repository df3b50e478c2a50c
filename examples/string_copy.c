// String copying as bpf-to-bpf functions with functional contracts: the
// functions write their destination buffer, and their Ensure names its
// new contents (`store_uchar_array(d, n, ld2)`) and says what they are in
// terms of the old contents of both buffers (docs/vep-c.md, "Contents and
// sequences"). The entry point copies a packet's payload string into a
// map value. strncpy calls strcpy and then memset on the rest of its
// buffer: the caller's buffer is updated through the callees' contracts.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

#define NAME_LEN 32

struct name {
  unsigned char s[NAME_LEN];
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, struct name);
} last_names SEC(".maps");

/* Sets the n bytes at s to c. (It stores only where a byte differs:
   clang would otherwise turn the loop into a call of memset, which the
   BPF back end cannot lower.) */
static __attribute__((noinline)) void vep_memset(unsigned char *s, __u32 c,
                                                 __u32 n)
/*@ With l
    Require store_uchar_array(s, n, l) && n <= 64 && c <= 255
    Ensure store_uchar_array(s, n, l2) &&
           (forall (k: Z), 0 <= k && k < n => l2[k] == c) */
{
  __u32 i;
  /*@ Inv i <= n && n <= 64 && c <= 255 && store_uchar_array(s, n, l1) &&
          (forall (k: Z), 0 <= k && k < i => l1[k] == c)
      Variant n - i */
  for (i = 0; i < n; i++)
    if (s[i] != c)
      s[i] = c;
}

/* Copies the string at s (at most n bytes) with its NUL to d; returns its
   length. The bytes of d after the NUL keep their values. */
static __attribute__((noinline)) __u32 vep_strcpy(unsigned char *d,
                                                  unsigned char *s, __u32 n)
/*@ With ld ls
    Require store_uchar_array(d, n, ld) * store_uchar_array(s, n, ls) &&
            n <= 64
    Ensure store_uchar_array(d, n, ld2) && __return <= n &&
           (forall (k: Z), 0 <= k && k < __return =>
              ld2[k] == ls[k] && ls[k] != 0) &&
           (__return < n => ls[__return] == 0 && ld2[__return] == 0) &&
           (forall (k: Z), __return < k && k < n => ld2[k] == ld[k]) */
{
  __u32 i;
  /*@ Inv i <= n && n <= 64 && store_uchar_array(d, n, ld1) &&
          (forall (k: Z), 0 <= k && k < i => ld1[k] == ls[k] && ls[k] != 0) &&
          (forall (k: Z), i <= k && k < n => ld1[k] == ld[k])
      Variant n - i */
  for (i = 0; i < n; i++) {
    unsigned char x = s[i];
    d[i] = x;
    if (x == 0)
      return i;
  }
  return n;
}

/* strncpy: copies the string at s, at most n bytes, to d and fills the
   rest of d's n bytes with NULs; returns the string's length. */
static __attribute__((noinline)) __u32 vep_strncpy(unsigned char *d,
                                                   unsigned char *s, __u32 n)
/*@ With ld ls
    Require store_uchar_array(d, n, ld) * store_uchar_array(s, n, ls) &&
            n <= 64
    Ensure store_uchar_array(d, n, ld2) && __return <= n &&
           (forall (k: Z), 0 <= k && k < __return =>
              ld2[k] == ls[k] && ls[k] != 0) &&
           (__return < n => ls[__return] == 0) &&
           (forall (k: Z), __return <= k && k < n => ld2[k] == 0) */
{
  __u32 len = vep_strcpy(d, s, n);
  if (len < n)
    vep_memset(d + len, 0, n - len);
  return len;
}

SEC("xdp")
int remember_name(struct xdp_md *ctx)
/*@ Ensure __return == XDP_DROP || __return == XDP_PASS */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  unsigned char *payload = data + sizeof(struct ethhdr);

  if ((void *)(payload + NAME_LEN) > data_end)
    return XDP_PASS;
  __u32 key = payload[0] & 3;
  struct name *v = bpf_map_lookup_elem(&last_names, &key);
  if (!v)
    return XDP_PASS;
  __u32 len = vep_strncpy(v->s, payload + 1, NAME_LEN - 1);
  if (len < 8)
    vep_memset(v->s + 24, '-', 8);
  return len > 16 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
