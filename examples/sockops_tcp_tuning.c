// Tunes new TCP connections to chosen ports from a cgroup's sock_ops hook:
// connections to port 8080 (a service on the local network) get a SYN
// retransmission timeout of 10 jiffies instead of the default second, an
// initial receive window of 40 segments, and ECN; connections to port 443
// get an initial receive window of 20 segments. The kernel asks for each
// setting with an op (BPF_SOCK_OPS_TIMEOUT_INIT, _RWND_INIT, _NEEDS_ECN)
// and reads the answer from skops->reply; -1 keeps its default. remote_port
// holds the port in network byte order in its upper 16 bits, local_port in
// host order. (The initial congestion window is set with bpf_setsockopt,
// a helper VEP does not support yet.)
// group: sock_ops programs
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define LAN_PORT 8080
#define TLS_PORT 443

SEC("sockops")
int sockops_tcp_tuning(struct bpf_sock_ops *skops)
/*@ Ensure __return == 1 */
{
  __u32 port = bpf_ntohl(skops->remote_port);
  if (skops->op == BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB ||
      skops->op == BPF_SOCK_OPS_TCP_LISTEN_CB)
    port = skops->local_port;
  int reply = -1;
  if (skops->op == BPF_SOCK_OPS_TIMEOUT_INIT) {
    if (port == LAN_PORT)
      reply = 10;
  } else if (skops->op == BPF_SOCK_OPS_RWND_INIT) {
    if (port == LAN_PORT)
      reply = 40;
    else if (port == TLS_PORT)
      reply = 20;
  } else if (skops->op == BPF_SOCK_OPS_NEEDS_ECN) {
    reply = port == LAN_PORT;
  }
  skops->reply = reply;
  return 1;
}

char LICENSE[] SEC("license") = "GPL";
