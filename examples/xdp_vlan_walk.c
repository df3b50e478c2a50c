// Walks up to two 802.1Q/802.1ad tags, as the xdp-tutorial's parsing
// helpers do, and drops ARP frames inside them (untagged ARP passes). The
// loop has no annotation: it is a counting loop, so VEP-C infers its
// invariant, the counter's range and the cursor moved 4 bytes per
// iteration, `vlh == data + 14 + 4 * i` (docs/vep-c.md, "Inferred
// invariants").
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define VLAN_MAX_DEPTH 2

struct vlan_hdr {
  __be16 h_vlan_TCI;
  __be16 h_vlan_encapsulated_proto;
};

static __always_inline int proto_is_vlan(__u16 h_proto)
{
  return !!(h_proto == bpf_htons(ETH_P_8021Q) ||
            h_proto == bpf_htons(ETH_P_8021AD));
}

SEC("xdp")
int xdp_vlan_walk(struct xdp_md *ctx)
{
  void *data_end = (void *)(long)ctx->data_end;
  void *data = (void *)(long)ctx->data;
  struct ethhdr *eth = data;

  if ((void *)(eth + 1) > data_end)
    return XDP_DROP;
  struct vlan_hdr *vlh = (void *)(eth + 1);
  __u16 h_proto = eth->h_proto;
  int tags = 0;
  for (int i = 0; i < VLAN_MAX_DEPTH; i++) {
    if (!proto_is_vlan(h_proto))
      break;
    if ((void *)(vlh + 1) > data_end)
      break;
    h_proto = vlh->h_vlan_encapsulated_proto;
    vlh++;
    tags = 1;
  }
  return tags && h_proto == bpf_htons(ETH_P_ARP) ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
