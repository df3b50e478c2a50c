// A tc classifier that adds up the first 32 bytes of the packet (fewer
// when the linear part is shorter) and leaves the sum in cb[1], a cheap
// fingerprint of the headers for a classifier later in the chain, and the
// number of bytes summed in cb[2]. The loop reads byte i only after
// comparing data + i + 1 with data_end; data and data_end are loaded once
// before the loop, so its head knows them (the invariant need not repeat
// them). Always TC_ACT_OK.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int tc_header_sum(struct __sk_buff *skb)
/*@ Ensure __return == TC_ACT_OK */
{
  unsigned char *data = (void *)(long)skb->data;
  void *data_end = (void *)(long)skb->data_end;
  __u32 sum = 0;
  int i;

  /*@ Inv 0 <= i && i <= 32 */
  for (i = 0; i < 32; i++) {
    if ((void *)(data + i + 1) > data_end)
      break;
    sum += data[i];
  }
  skb->cb[1] = sum;
  skb->cb[2] = i;
  return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
