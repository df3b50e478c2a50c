// UNSAFE: the caller passes an IPv4 header to a function whose contract
// requires the 20-byte fixed header inside the packet, without checking
// that it is: on a short frame the callee reads past data_end. The
// precondition of 'ipv4_protocol' is the obligation that fails.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

/* The transport protocol of the IPv4 header at p; p + 20 <= end. */
static __attribute__((noinline)) __u32 ipv4_protocol(void *p, void *end)
/*@ Require packet(p) && packet_end(end) && p + 20 <= end
    Ensure __return <= 255 */
{
  struct iphdr *ip = p;
  return ip->protocol;
}

SEC("xdp")
int call_precondition(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;

  if (data + sizeof(struct ethhdr) > data_end)
    return XDP_PASS;
  if (ipv4_protocol(data + sizeof(struct ethhdr), data_end) == IPPROTO_ICMP) // expected-error {{precondition of 'ipv4_protocol' may not hold}}
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
