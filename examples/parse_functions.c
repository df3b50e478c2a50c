// Parses Ethernet, IPv4 and UDP with one function per header, the way
// larger XDP programs are written, and drops UDP datagrams to port 53 (a
// filter for hosts that must not send DNS queries past a local resolver). Each function is verified
// once against its contract and compiled as a bpf-to-bpf call: callers
// know only what the contract says (so the caller checks the bounds it
// needs before passing a cursor on).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* The EtherType of the frame at p, or 0 when the header is cut short. */
static __attribute__((noinline)) __u32 eth_proto(void *p, void *end)
/*@ Require packet(p) && packet_end(end)
    Ensure __return <= 65535 */
{
  struct ethhdr *eth = p;
  if ((void *)(eth + 1) > end)
    return 0;
  return bpf_ntohs(eth->h_proto);
}

/* The length in bytes of the IPv4 header at p (20 to 60), or 0 when the
 * fixed header is cut short or its IHL field is below 5 (callers test for
 * "below 20", which the contract lets them turn into a bound). */
static __attribute__((noinline)) __u32 ipv4_header_len(void *p, void *end)
/*@ Require packet(p) && packet_end(end)
    Ensure __return <= 60 */
{
  struct iphdr *ip = p;
  if ((void *)(ip + 1) > end)
    return 0;
  if (ip->ihl < 5)
    return 0;
  return ip->ihl * 4;
}

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
int parse_functions(struct xdp_md *ctx)
/*@ Ensure XDP_DROP <= __return && __return <= XDP_PASS */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;

  if (eth_proto(data, data_end) != ETH_P_IP)
    return XDP_PASS;
  /* The contract of eth_proto does not say the header was there: a
   * cursor passed on must be shown inside the packet here. */
  void *ip = data + sizeof(struct ethhdr);
  if (ip > data_end)
    return XDP_PASS;
  __u32 ihl = ipv4_header_len(ip, data_end);
  if (ihl < 20)
    return XDP_PASS;
  if (ip + ihl > data_end)
    return XDP_PASS;
  if (ipv4_protocol(ip, data_end) != IPPROTO_UDP)
    return XDP_PASS;
  if (udp_dest_port(ip + ihl, data_end) == 53)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
