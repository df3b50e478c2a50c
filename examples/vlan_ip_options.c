// Drops IPv4 packets that carry IP options (IHL other than 5: options such
// as source routing or router alert are handled on routers' slow path and
// are a common filtering target), in untagged frames and under up to two
// VLAN tags (802.1Q, and 802.1ad "QinQ" outer tags). Passes everything
// else. The tags are skipped in a loop of at most two iterations whose
// invariant states where the next header starts. Safe: each 4-byte tag is
// bound-checked before its encapsulated EtherType is read, and the IPv4
// header is checked at the offset the loop computed.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define VLAN_HLEN 4 // tag control information, then the encapsulated EtherType
#define MAX_VLAN_TAGS 2

SEC("xdp")
int vlan_ip_options(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = (void *)data;

  if (data + sizeof(struct ethhdr) > data_end)
    return XDP_PASS;
  __be16 proto = eth->h_proto;
  unsigned int offset = sizeof(struct ethhdr);
  unsigned int tags;

  /*@ Inv 0 <= tags && tags <= MAX_VLAN_TAGS &&
          offset == ETH_HLEN + VLAN_HLEN * tags */
  for (tags = 0; tags < MAX_VLAN_TAGS; tags++) {
    if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
      break;
    unsigned char *tag = data + offset;
    if (tag + VLAN_HLEN > data_end)
      return XDP_PASS;
    proto = *(__be16 *)(tag + 2);
    offset += VLAN_HLEN;
  }
  if (proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  struct iphdr *ip = (void *)(data + offset);
  if ((void *)(ip + 1) > (void *)data_end)
    return XDP_PASS;
  if (ip->ihl != 5)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
