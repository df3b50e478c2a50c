// UNSAFE: a kprobe on ip_rcv that reads the packet with
// bpf_skb_load_bytes, passing its own context (the registers) as the
// skb. skb_load_bytes is a helper of tc programs and socket filters
// only: its first argument must be their __sk_buff context, and the
// kernel's verifier refuses the call in a kprobe.
#define __TARGET_ARCH_x86
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("kprobe/ip_rcv")
int kprobe_skb_load_bytes(struct pt_regs *ctx)
{
  __u32 saddr = 0;
  long err = bpf_skb_load_bytes(ctx, 12, &saddr, 4); // expected-error {{helper 26 is not supported/allowed for kprobe programs}}
  if (err < 0)
    return 0;
  return saddr == 0x0100007f;
}

char LICENSE[] SEC("license") = "GPL";
