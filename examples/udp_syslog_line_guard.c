// Drops syslog datagrams (UDP to port 514) whose first line holds a
// control character other than a tab (a terminal escape smuggled into log
// files); the line ends at a newline or at the end of the packet. The
// scan is a pointer walked byte by byte to the packet's end with no
// counter and no annotation: VEP-C infers that the pointer stays between
// the packet's start and one byte past its end and that the loop ends, as
// `data_end + 1 - p` decreases by 1 each iteration (docs/vep-c.md,
// "Inferred invariants"). IPv4 without options only. The loop is bounded
// only by the packet's length, which the Linux verifier cannot bound: it
// walks the loop one byte at a time until it gives up, and rejects the
// program (kernel-verifier: rejects).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define SYSLOG_PORT 514

SEC("xdp")
int udp_syslog_line_guard(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = (void *)(eth + 1);
  struct udphdr *udp = (void *)(ip + 1);

  if ((void *)(udp + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 ||
      ip->protocol != IPPROTO_UDP || udp->dest != bpf_htons(SYSLOG_PORT))
    return XDP_PASS;
  unsigned char *p = (void *)(udp + 1);
  while (p < (unsigned char *)data_end && *p != '\n') {
    if (*p < 0x20 && *p != '\t')
      return XDP_DROP;
    p++;
  }
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
