// UNSAFE: a tc program that "truncates" a packet by writing skb->len. The
// length is read-only context: tc programs may write only mark, priority,
// tc_index, cb[] and tc_classid (the kernel's verifier refuses the store;
// bpf_skb_change_tail is the helper that changes the length).
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int tc_writes_len(struct __sk_buff *skb)
{
  if (skb->len > 128)
    skb->len = 128; // expected-error {{store to the context}}
  return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
