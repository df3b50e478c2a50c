// sock_ops and perf_event programs: their context fields and helpers.
#define __TARGET_ARCH_x86
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <bpf/bpf_helpers.h>

SEC("sockops")
int sockops_fields(struct bpf_sock_ops *skops)
/*@ Ensure __return == 1 */
{
  __u64 acked = skops->bytes_acked;
  __u32 port = skops->remote_ip6[3] + skops->skb_tcp_flags;
  skops->reply = acked > port;
  skops->sk_txhash = port;
  return 1;
}

SEC("sockops")
int sockops_writes_replylong(struct bpf_sock_ops *skops)
{
  skops->replylong[1] = 1;
  return 1;
}

SEC("sockops")
int sockops_reads_acked_low(struct bpf_sock_ops *skops)
{
  return *(__u32 *)&skops->bytes_acked;
}

SEC("sockops")
int sockops_reads_sk(struct bpf_sock_ops *skops)
{
  return skops->sk != 0;
}

SEC("sockops")
int sockops_pid(struct bpf_sock_ops *skops)
{
  return bpf_get_current_pid_tgid() & 1;
}

SEC("perf_event")
int perf_fields(struct bpf_perf_event_data *ctx)
/*@ Ensure __return == 0 || __return == 1 */
{
  __u64 ip = ctx->regs.rip;
  __u64 sp = ctx->sample_period;
  __u64 a = ctx->addr;
  __u32 pid = bpf_get_current_pid_tgid();
  return (ip ^ sp ^ a ^ pid) & 1;
}

SEC("perf_event")
int perf_narrow(struct bpf_perf_event_data *ctx)
{
  return *(__u32 *)&ctx->regs.rip;
}
