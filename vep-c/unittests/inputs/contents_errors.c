#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) __u32 unbounded(unsigned char *s, __u32 n)
/*@ Require store_uchar_array(s, n, l)
    Ensure forall (k: Z), 0 <= k => l[k] != 0 */
{
  return 0;
}

static __attribute__((noinline)) __u32 with_scalar(unsigned char *s, __u32 n)
/*@ With x l
    Require store_uchar_array(s, n, l)
    Ensure l == x */
{
  return 0;
}

static __attribute__((noinline)) __u32 seq_plus(unsigned char *s, __u32 n)
/*@ Require store_uchar_array(s, n, l)
    Ensure __return == l + 1 */
{
  return 0;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
/*@ Ensure __return == 0 || l[0] == 1 */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  if (data + 4 > data_end)
    return 0;
  return unbounded(data, 4) + with_scalar(data, 4) + seq_plus(data, 4);
}

char LICENSE[] SEC("license") = "GPL";
