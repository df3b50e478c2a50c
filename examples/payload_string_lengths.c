// Splits the packet into zero-terminated strings and drops it when one of
// them is 32 bytes or longer. Each string is measured by an inline function
// with its own loop, called in the loop over the strings with the scan
// pointer: the inlined body reads the caller's `p` and `data_end` (its
// parameters are never assigned), so its loop knows what the outer loop
// knows of them (docs/vep-c.md, "Inline functions"). The loops are bounded
// only by the packet length, which the Linux verifier does not bound: it
// refuses clang's build (kernel-verifier: rejects), while the invariants
// and variants prove the program safe and terminating.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __always_inline unsigned int bounded_strlen(unsigned char *s,
                                                   unsigned char *end)
{
  unsigned int n = 0;

  /*@ Inv s + n <= end Variant end - s - n */
  while (s + n < end && s[n] != 0)
    n++;
  return n;
}

SEC("xdp")
int payload_string_lengths(struct xdp_md *ctx)
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
