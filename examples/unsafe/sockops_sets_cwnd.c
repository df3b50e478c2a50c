// UNSAFE: a sock_ops program that tries to raise the congestion window of
// connections to port 8080 by writing snd_cwnd. bpf_sock_ops mirrors the
// socket's state for reading; a program answers the kernel only through
// reply (and may set sk_txhash): the kernel's verifier refuses the store.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("sockops")
int sockops_sets_cwnd(struct bpf_sock_ops *skops)
{
  if (skops->op == BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB &&
      skops->local_port == 8080)
    skops->snd_cwnd = 40; // expected-error {{store to the context}}
  return 1;
}

char LICENSE[] SEC("license") = "GPL";
