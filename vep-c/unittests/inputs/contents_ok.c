#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64[2]);
} vals SEC(".maps");

static __attribute__((noinline)) __u32 first_byte(unsigned char *s, __u32 n)
/*@ With l
    Require store_uchar_array(s, n, l) && 1 <= n && n <= 64
    Ensure __return == l[0] */
{
  return s[0];
}

static __attribute__((noinline)) void set_first(unsigned char *s, __u32 n,
                                                __u32 v)
/*@ Require store_uchar_array(s, n, l) && 1 <= n && n <= 64 && v <= 255
    Ensure store_uchar_array(s, n, l2) && l2 == replace_Znth(0, v, l) */
{
  s[0] = v;
}

static __attribute__((noinline)) void write_window(unsigned char *d)
/*@ With ld
    Require store_uchar_array(d, 4, ld)
    Ensure store_uchar_array(d, 4, ld2) && ld2[0] == 7 && ld2[1] == 9 &&
           ld2[2] == ld[2] && sublist(3, 4, ld2) == sublist(3, 4, ld) &&
           Zlength(ld2) == 4 &&
           app(sublist(0, 2, ld2), sublist(2, 4, ld2)) == ld2 */
{
  d[0] = 7;
  set_first(d + 1, 3, 9);
  /*@ Assert store_uchar_array(d, 4, now) && now[0] == 7 && now[1] == 9 */
}

static __attribute__((noinline)) int sum2(int *a)
/*@ Require store_int_array(a, 2, l) && -1000 <= l[0] && l[0] <= 1000 &&
            -1000 <= l[1] && l[1] <= 1000
    Ensure __return == l[0] + l[1] */
{
  return a[0] + a[1];
}

static __attribute__((noinline)) int fill_and_sum(int *a)
/*@ Require store_int_array(a, 2, l)
    Ensure __return == 11 */
{
  a[0] = 5;
  a[1] = 6;
  return sum2(a);
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
  __u32 key = 0;
  unsigned char *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return XDP_PASS;
  write_window(v);
  if (fill_and_sum((int *)(v + 8)) != 11)
    return XDP_DROP;
  return first_byte(v + 4, 4) > 7 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
