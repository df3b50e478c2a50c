// Strips the 802.1Q tag of tagged frames (the MAC addresses moved 4 bytes
// on, over the tag, then the packet start with bpf_xdp_adjust_head), then,
// tagged or not, drops IPv4 packets whose header checksum is wrong; other
// frames pass. After the possible call the program reads ctx->data and
// ctx->data_end again into the variables that held them: every assignment
// of `data` (and of `data_end`) is the same load, so at the checksum
// loop's head both are the current packet's bounds. The loop has no
// annotation: it counts, and its inferred invariant keeps the bound
// checked before it (docs/vep-c.md, "Inferred invariants").
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define VLAN_HLEN 4

SEC("xdp")
int vlan_strip_checksum(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;

  if (data + ETH_HLEN + VLAN_HLEN > data_end)
    return XDP_PASS;
  if (eth->h_proto == bpf_htons(ETH_P_8021Q)) {
    __u32 *macs = data;
    macs[3] = macs[2];
    macs[2] = macs[1];
    macs[1] = macs[0];
    if (bpf_xdp_adjust_head(ctx, VLAN_HLEN))
      return XDP_DROP;
  }
  data = (void *)(long)ctx->data;
  data_end = (void *)(long)ctx->data_end;
  eth = data;
  struct iphdr *ip = data + ETH_HLEN;
  if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) ||
      ip->ihl != 5)
    return XDP_PASS;
  __u16 *words = (void *)ip;
  __u32 sum = 0;
  for (int i = 0; i < 10; i++)
    sum += words[i];
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return sum == 0xffff ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
