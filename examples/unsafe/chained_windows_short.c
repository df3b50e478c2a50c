// payload_chained_windows with the payload checked for 14 bytes instead of
// 16: the last window (i = 7) may have 7 bytes, whose last is payload[14].
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int chained_windows_short(struct xdp_md *ctx)
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  unsigned char *payload = data + sizeof(struct ethhdr);
  unsigned int sum = 0, limit = 4, i, j;

  if (payload + 14 > data_end)
    return XDP_PASS;
  /*@ Inv i <= 8 && limit <= 8 && payload + 14 <= data_end Variant 8 - i */
  for (i = 0; i < 8; i++) {
    /*@ Inv j <= limit Variant limit - j */
    for (j = 0; j < limit; j++)
      sum += payload[i + j]; // expected-error {{packet access out of bounds}}
    limit = payload[i] & 7;
  }
  return sum > 2000 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
