// Sums up to 32 bytes after the Ethernet header (fewer if the packet is
// shorter) and drops the packet when the sum is odd: a bounded counting loop
// with a packet bound checked inside the body.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int sum_payload(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  unsigned int sum = 0;
  unsigned int i;

  /*@ Inv 0 <= i && i <= 32 Variant 32 - i */
  for (i = 0; i < 32; i++) {
    unsigned char *b = data + ETH_HLEN + i;
    if (b + 1 > data_end)
      break;
    sum += *b;
  }
  return (sum & 1) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
