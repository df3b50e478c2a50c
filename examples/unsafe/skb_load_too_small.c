// UNSAFE: meant to read the IPv4 header's first word (version, IHL, TOS,
// total length) but passes the size of the whole header as the length:
// bpf_skb_load_bytes writes 20 bytes at &word, 16 of them past the 4-byte
// variable, over whatever the stack holds next (here, past the top of the
// program's stack frame).
#include <linux/bpf.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("socket")
int skb_load_too_small(struct __sk_buff *skb)
{
  __u32 word;
  int err = bpf_skb_load_bytes(skb, 0, &word, sizeof(struct iphdr)); // expected-error {{helper given a too-small buffer}}
  if (err < 0)
    return 0;
  return (word & 0xf0) == 0x40 ? skb->len : 0;
}

char LICENSE[] SEC("license") = "GPL";
