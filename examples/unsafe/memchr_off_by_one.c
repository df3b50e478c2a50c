// UNSAFE (functional contract): a memchr whose loop stops one byte early,
// so a c in the last byte is not found and the function returns n. Every
// access is in bounds (the bytecode is safe); the contract, which says
// that n is returned only when no byte is c, is what fails: "postcondition
// may not hold" at the final return.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

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
  for (i = 0; i + 1 < n; i++)
    if (s[i] == c)
      return i;
  return n; // expected-error {{postcondition may not hold}}
}

SEC("xdp")
int memchr_off_by_one(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  unsigned char *payload = data + sizeof(struct ethhdr);

  if ((void *)(payload + 16) > data_end)
    return XDP_PASS;
  return vep_memchr(payload, '/', 16) < 16 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
