// UNSAFE: a VLAN-aware parser that checks the Ethernet header, sees an
// 802.1Q tag and reads the encapsulated EtherType behind it without
// checking that the 4-byte tag is in the packet: a 14- or 15-byte frame
// with EtherType 0x8100 makes it read past the end. Expected: packet
// access out of bounds at that read (the fix is a second bound check,
// `if (data + ETH_HLEN + 4 > data_end) return XDP_PASS;`).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int vlan_missing_bound(struct xdp_md *ctx)
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = (void *)data;

  if (data + sizeof(struct ethhdr) > data_end)
    return XDP_PASS;
  __be16 proto = eth->h_proto;
  if (proto == bpf_htons(ETH_P_8021Q))
    proto = *(__be16 *)(data + ETH_HLEN + 2); // expected-error {{packet access out of bounds}}
  if (proto == bpf_htons(ETH_P_IPV6))
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
