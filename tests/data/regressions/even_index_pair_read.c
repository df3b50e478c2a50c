// Regression: a loop that steps its index by 2 and reads two bytes per
// step, data[i] and data[i + 1], under one check of the packet length
// (at least 34 bytes) before the loop. The second read is in bounds only
// because i is even: i < 20 and i == 2 * j give i <= 18 over the integers
// but not over the rationals (i = 19, j = 9.5), so no Farkas certificate
// exists and vepcc reported an internal error (ACCESS_HIGH not proved).
// The proof now answers with certificates with steps (docs/proof-format.md
// 7.7): the read by a case split on j (j <= 9 or j >= 10), the invariant's
// j + 1 <= 10 at the back edge by the negated goal taken twice.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int even_index_pair_read(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  unsigned int sum = 0;
  unsigned int i = 0;
  unsigned int j;

  if (data + ETH_HLEN + 20 > data_end)
    return XDP_PASS;
  /*@ Inv 0 <= j && j <= 10 && i == 2 * j &&
          data + ETH_HLEN + 20 <= data_end
      Variant 10 - j */
  for (j = 0; i < 20; j++) {
    sum += data[ETH_HLEN + i] ^ data[ETH_HLEN + i + 1];
    i += 2;
  }
  return (sum & 1) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
