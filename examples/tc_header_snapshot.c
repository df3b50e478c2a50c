// Keeps the first 16 bytes of the last frame in a global variable, which
// user space reads from the object's `.bss` map (a sampling tap), and drops
// the frames that are not IPv4. bpf_skb_load_bytes writes the bytes
// straight into the global: a helper may write into a writable map value,
// and `.bss` is one. Safe: the helper writes 16 bytes into the 16-byte
// array (docs/vep-c.md, "Helper calls"); frames shorter than that make it
// fail, and are passed. Every read of the global, even right after the
// helper wrote it, is an arbitrary byte to VEP (user space may write the
// map at any time), which is all the verdict needs.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

unsigned char last_frame[16];

SEC("tc")
int tc_header_snapshot(struct __sk_buff *skb)
{
  if (bpf_skb_load_bytes(skb, 0, &last_frame, sizeof last_frame) < 0)
    return TC_ACT_OK;
  // The EtherType, bytes 12 and 13 of the Ethernet header.
  return last_frame[12] == 0x08 && last_frame[13] == 0x00 ? TC_ACT_OK
                                                           : TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
