// REJECTED: calls bpf_get_current_pid_tgid, which is not in VEP's helper
// table for XDP programs (an XDP program runs in no process context, so the
// value means nothing; recent kernels let privileged programs call it
// anyway).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int helper_not_allowed(struct xdp_md *ctx)
{
  __u64 pid_tgid = bpf_get_current_pid_tgid(); // expected-error {{helper 14 is not supported/allowed for XDP programs}}
  return pid_tgid & 1 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
