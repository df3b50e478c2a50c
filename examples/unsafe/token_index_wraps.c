// UNSAFE: the empty-token check tests the wrong length: n == 1 is excluded,
// n == 0 is not, and n - 1 then wraps to 2^32 - 1, far past the packet.
// The unsafe twin of udp_token_tail.c: the bytecode's n != 1 lies inside
// n's known range [0, 255], so it gives no fact (rule jmp_ne) and no forged
// certificate keeps n - 1 from wrapping.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int token_index_wraps(struct xdp_md *ctx)
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;

  if (data + 256 > data_end)
    return XDP_PASS;
  unsigned int n = data[0];
  if (n == 1)
    return XDP_PASS;
  if (data[n - 1] == 0) // expected-error {{packet access out of bounds}}
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
