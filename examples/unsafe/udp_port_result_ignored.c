// The twin of examples/udp_port_out_params.c that ignores the port
// parser's result: the parser writes *port only when it returns 0, and the
// caller passes a variable it never set, so on a packet too short for a
// UDP header it compares an indeterminate value. VEP-C refuses the read.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* The destination port of the UDP header at p in *port and 0, or -1
 * (leaving *port alone) when the header is cut short. */
static __attribute__((noinline)) int udp_dest(void *p, void *end,
                                              __u16 *port)
/*@ Require packet(p) && packet_end(end) && undef_data_at(port, __u16)
    Ensure (__return == 0 => data_at(port, __u16, v)) */
{
  struct udphdr *udp = p;
  if ((void *)(udp + 1) > end)
    return -1;
  *port = bpf_ntohs(udp->dest);
  return 0;
}

SEC("xdp")
int udp_port_result_ignored(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(*eth);
  __u16 port;

  if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) ||
      ip->ihl != 5 || ip->protocol != IPPROTO_UDP)
    return XDP_PASS;
  udp_dest(ip + 1, data_end, &port);
  return port == 53 ? XDP_DROP : XDP_PASS; // expected-error {{read of uninitialised variable 'port'}}
}

char LICENSE[] SEC("license") = "GPL";
