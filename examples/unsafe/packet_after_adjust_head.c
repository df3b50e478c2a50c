// UNSAFE: pops an 802.1Q VLAN tag (moves the MAC addresses 4 bytes on, over
// the tag, then the packet start with bpf_xdp_adjust_head) and reads the
// encapsulated EtherType through a pointer computed before the call. After
// the call the packet may have moved (and on failure it has not): every
// packet pointer taken before it is invalid, the kernel's verifier forgets
// them all, and the program must read ctx->data and ctx->data_end again.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define VLAN_HLEN 4 // tag control information, then the encapsulated EtherType

SEC("xdp")
int packet_after_adjust_head(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  __u32 *macs = data;
  __be16 *inner_proto = data + ETH_HLEN + 2;

  if ((void *)(inner_proto + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_8021Q))
    return XDP_PASS;
  macs[3] = macs[2]; // the 12 address bytes, 4 bytes on, from the end
  macs[2] = macs[1];
  macs[1] = macs[0];
  if (bpf_xdp_adjust_head(ctx, VLAN_HLEN))
    return XDP_DROP;
  if (*inner_proto == bpf_htons(ETH_P_IP)) // expected-error {{packet pointer 'inner_proto' used after a packet-changing helper}}
    return XDP_PASS;
  return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
