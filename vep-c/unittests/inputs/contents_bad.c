#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64[2]);
} vals SEC(".maps");

static __attribute__((noinline)) __u32 second_byte(unsigned char *s, __u32 n)
/*@ With l
    Require store_uchar_array(s, n, l) && 2 <= n && n <= 64
    Ensure __return == l[1] */
{
  return s[0];
}

static __attribute__((noinline)) void copy4(unsigned char *d,
                                            unsigned char *s)
/*@ Require store_uchar_array(d, 4, ld) * store_uchar_array(s, 4, ls)
    Ensure store_uchar_array(d, 4, ld2) && ld2 == ls */
{
  __u32 i;
  /*@ Inv i <= 4 && store_uchar_array(d, 4, ld1) &&
          (forall (k: Z), 0 <= k && k < i => ld1[k] == ls[k])
      Variant 4 - i */
  for (i = 0; i < 4; i++)
    d[i] = s[i];
}

static __attribute__((noinline)) void zero_loop(unsigned char *d)
/*@ Require store_uchar_array(d, 4, ld)
    Ensure store_uchar_array(d, 4, ld2) && ld2[3] == ld[3] */
{
  __u32 i;
  /*@ Inv i <= 3 Variant 3 - i */
  for (i = 0; i < 3; i++)
    d[i] = 0;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
  __u32 key = 0;
  unsigned char *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return XDP_PASS;
  copy4(v, v + 2);
  zero_loop(v + 8);
  return second_byte(v, 16) ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int two_lookups(struct xdp_md *ctx)
{
  __u32 k1 = 0, k2 = 0;
  unsigned char *a = bpf_map_lookup_elem(&vals, &k1);
  unsigned char *b = bpf_map_lookup_elem(&vals, &k2);
  if (!a || !b)
    return XDP_PASS;
  copy4(a, b);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
