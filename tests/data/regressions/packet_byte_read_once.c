// Regression: `if (data[0] < 5) return; end = data[0] - 5;` was verified by
// vep-c, which related the two reads (the packet's contents were one
// array), and then failed in vepcc (internal error, CUT_FACT): the checker
// gives every packet load a fresh value. vep-c now does too, so that form
// is rejected at the invariant; this is the form that verifies: the byte
// read once into a variable, whose bound the invariant carries.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int read_once(struct xdp_md *ctx)
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;

  if (data + 1 > data_end)
    return XDP_PASS;
  unsigned char first = data[0];
  if (first < 5)
    return XDP_PASS;
  unsigned int end = first - 5;
  unsigned int pos = 0;
  /*@ Inv pos <= 300 && end <= 250 Variant 300 - pos */
  while (pos < end)
    pos++;
  return data + 1 + end <= data_end ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
