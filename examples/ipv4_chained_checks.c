// Drops IPv4 UDP datagrams to port 53, with the checks chained by && the
// way C programmers write them: the header bound first, then bpf-to-bpf
// calls whose preconditions the earlier operands establish. C evaluates
// the right operand of && only when the left one is true, and VEP-C lowers
// each such call under an if on the left operand (docs/vep-c.md, "Calls
// inside expressions"), so ipv4_protocol's `p + 20 <= end` holds at its
// call; examples/unsafe/guard_after_call.c tests the bound after the call.
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* The transport protocol of the IPv4 header at p; p + 20 <= end. */
static __attribute__((noinline)) __u32 ipv4_protocol(void *p, void *end)
/*@ Require packet(p) && packet_end(end) && p + 20 <= end
    Ensure __return <= 255 */
{
  struct iphdr *ip = p;
  return ip->protocol;
}

/* The destination port of the UDP header at p, or 0 (no valid port) when
 * the header is cut short. */
static __attribute__((noinline)) __u32 udp_dest_port(void *p, void *end)
/*@ Require packet(p) && packet_end(end)
    Ensure __return <= 65535 */
{
  struct udphdr *udp = p;
  if ((void *)(udp + 1) > end)
    return 0;
  return bpf_ntohs(udp->dest);
}

SEC("xdp")
int ipv4_chained_checks(struct xdp_md *ctx)
/*@ Ensure __return == XDP_DROP || __return == XDP_PASS */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end)
    return XDP_PASS;
  struct iphdr *ip = (void *)(eth + 1);
  if (eth->h_proto == bpf_htons(ETH_P_IP) && (void *)(ip + 1) <= data_end &&
      ipv4_protocol(ip, data_end) == IPPROTO_UDP &&
      udp_dest_port((void *)(ip + 1), data_end) == 53)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
