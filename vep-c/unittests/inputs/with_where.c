#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Counts the bytes below lim; lo names lim's value for the contract. */
static __attribute__((noinline)) __u32 count_below(unsigned char *s, __u32 n,
                                                   __u32 lim)
/*@ With l lo
    Require store_uchar_array(s, n, l) && n <= 64 && lo == lim && lim <= 256
    Ensure __return <= n && (lo == 0 => __return == 0) */
{
  __u32 i, c = 0;
  /*@ Inv i <= n && n <= 64 && c <= i && lim <= 256 && c <= lim * 64
      Variant n - i */
  for (i = 0; i < n; i++)
    if (s[i] < lim)
      c++;
  return c;
}

/* A result at most m, for an m the caller chooses. */
static __attribute__((noinline)) __u32 below(__u32 x)
/*@ With m
    Require 0 <= m && m <= 100
    Ensure __return <= m */
{
  return x < 1 ? x : 0;
}

/* Counts up to n; the body's annotations name the With variable m. */
static __attribute__((noinline)) __u32 upto(__u32 n)
/*@ With m
    Require m == n && n <= 50
    Ensure __return == m */
{
  __u32 i;
  /*@ Inv i <= m && m <= 50 Variant n - i */
  for (i = 0; i < n; i++)
    ;
  /*@ Assert i == m */
  return i;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  if (data + 8 > data_end)
    return XDP_PASS;
  __u32 k = count_below(data, 8, 0);
  /*@ Assert k == 0 */
  /*@ where m = 7 */
  __u32 z = below(k);
  /*@ Assert z <= 7 */
  /*@ where m = 200 */
  z = below(k);
  __u32 u = upto(3);
  /*@ Assert u == 3 */
  return z == 0 ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int no_where(struct xdp_md *ctx)
{
  return below(3);
}

char LICENSE[] SEC("license") = "GPL";
