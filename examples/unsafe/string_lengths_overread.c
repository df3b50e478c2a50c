// UNSAFE: payload_string_lengths.c with the inline function testing the
// byte after the one its bound covers: s[n + 1] is read at end, one byte
// past the packet, when s + n is the last byte (in any call of the
// scanning loop).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __always_inline unsigned int bounded_strlen(unsigned char *s,
                                                   unsigned char *end)
{
  unsigned int n = 0;

  /*@ Inv s + n <= end Variant end - s - n */
  while (s + n < end && s[n + 1] != 0) // expected-error {{packet access out of bounds}}
    n++;
  return n;
}

SEC("xdp")
int string_lengths_overread(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  unsigned char *p = data;
  unsigned int longest = 0;

  /*@ Inv data <= p && p <= data_end && longest <= data_end - data
      Variant data_end - p */
  while (p < data_end) {
    unsigned int len = bounded_strlen(p, data_end);
    longest = len > longest ? len : longest;
    p += len;
    if (p < data_end)
      p++; // the terminating zero
  }
  return longest >= 32 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
