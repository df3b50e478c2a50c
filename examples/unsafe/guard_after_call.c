// ipv4_chained_checks with the header bound tested after the call that
// needs it: && evaluates ipv4_protocol first, before any bound on the IPv4
// header, so its precondition `p + 20 <= end` may not hold.
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
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

SEC("xdp")
int guard_after_call(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end)
    return XDP_PASS;
  struct iphdr *ip = (void *)(eth + 1);
  if (eth->h_proto == bpf_htons(ETH_P_IP) &&
      ipv4_protocol(ip, data_end) == IPPROTO_UDP && // expected-error {{precondition of 'ipv4_protocol' may not hold}}
      (void *)(ip + 1) <= data_end)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
