// UNSAFE: tc_header_snapshot.c copying 20 bytes, the Ethernet header and
// the first IPv4 bytes, into its 16-byte global: bpf_skb_load_bytes would
// write 4 bytes past the variable, and past `.bss`, which holds nothing
// else.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

unsigned char last_frame[16];

SEC("tc")
int snapshot_past_global(struct __sk_buff *skb)
{
  if (bpf_skb_load_bytes(skb, 0, &last_frame, 20) < 0) // expected-error {{helper given a too-small buffer}}
    return TC_ACT_OK;
  return last_frame[12] == 0x08 && last_frame[13] == 0x00 ? TC_ACT_OK
                                                           : TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
