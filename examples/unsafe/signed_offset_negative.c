// UNSAFE: the offset is a signed `int` checked only from above: a first
// byte below 20 makes it negative, and the read lands before the packet.
// The unsafe twin of ipv4_signed_lengths.c: the bytecode's signed compare
// `off s> 20` says nothing about `off` as an unsigned number on its
// fall-through (rule jmp_signed: the lesser operand, off, is not certified
// nonnegative), so no forged certificate bounds the read from below.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int signed_offset_negative(struct xdp_md *ctx)
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;

  if (data + 64 > data_end)
    return XDP_PASS;
  int off = data[0] - 20;
  if (off > 20)
    return XDP_PASS;
  unsigned char *p = data + 32 + off;
  if (p[-20] == 0) // expected-error {{packet access out of bounds}}
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
