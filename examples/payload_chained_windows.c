// Sums eight overlapping windows of the UDP-less payload after the
// Ethernet header: window i starts at byte i, and its length is set by the
// low three bits of the byte the previous window started at (4 for the
// first). The inner loop's bound is overwritten after the inner loop, so
// at the inner head it still has the value the outer head knows
// (limit <= 8), and VEP-C carries that fact into the inner invariant
// (docs/vep-c.md, "Nested loops"): the inner invariant only speaks of j.
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int payload_chained_windows(struct xdp_md *ctx)
/*@ Ensure __return == XDP_DROP || __return == XDP_PASS */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  unsigned char *payload = data + sizeof(struct ethhdr);
  unsigned int sum = 0, limit = 4, i, j;

  if (payload + 16 > data_end)
    return XDP_PASS;
  /*@ Inv i <= 8 && limit <= 8 && payload + 16 <= data_end Variant 8 - i */
  for (i = 0; i < 8; i++) {
    /*@ Inv j <= limit Variant limit - j */
    for (j = 0; j < limit; j++)
      sum += payload[i + j];
    limit = payload[i] & 7;
  }
  return sum > 2000 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
