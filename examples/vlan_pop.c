// Pops the 802.1Q VLAN tag of tagged frames: moves the MAC addresses 4
// bytes on, over the tag, then the packet start with bpf_xdp_adjust_head,
// so that the frame continues untagged with the tag's encapsulated
// EtherType. Passes the result if it is IPv4 and drops it otherwise (this
// host's stack expects untagged IPv4 on the VLAN); passes untagged frames
// unchanged. Safe: the tag is bound-checked before the addresses move;
// after the call the packet may have moved, so the program reads
// ctx->data and ctx->data_end again and checks the new Ethernet header
// before reading its EtherType.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define VLAN_HLEN 4 // tag control information, then the encapsulated EtherType

SEC("xdp")
int vlan_pop(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  __u32 *macs = data;

  if (data + ETH_HLEN + VLAN_HLEN > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_8021Q))
    return XDP_PASS;
  macs[3] = macs[2]; // the 12 address bytes, 4 bytes on, from the end
  macs[2] = macs[1];
  macs[1] = macs[0];
  if (bpf_xdp_adjust_head(ctx, VLAN_HLEN))
    return XDP_DROP;

  data = (void *)(long)ctx->data;
  data_end = (void *)(long)ctx->data_end;
  eth = data;
  if (data + ETH_HLEN > data_end)
    return XDP_DROP;
  return eth->h_proto == bpf_htons(ETH_P_IP) ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
