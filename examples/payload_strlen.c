// Measures the zero-terminated string at the start of the packet, scanning
// up to the packet's end, and drops packets whose string is 64 bytes or
// longer. The loop is bounded only by the packet length, which the kernel
// verifier cannot bound: it rejects this program (kernel-verifier: rejects),
// while the invariant and variant below prove it safe and terminating.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int payload_strlen(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  unsigned char *p = data;

  /*@ Inv data <= p && p <= data_end Variant data_end - p */
  while (p < data_end && *p != 0)
    p++;
  return p - data >= 64 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
