// Rewrites the destination address of IPv4 packets for 192.0.2.1 to the
// backend 10.0.0.2 and updates the header checksum incrementally with
// bpf_csum_diff (RFC 1624: the old address out, the new one in, the old
// checksum as the seed). Other frames pass unchanged; frames too short
// for their headers are dropped.
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int xdp_nat_checksum(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end)
    return XDP_DROP;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > data_end)
    return XDP_DROP;
  __u32 old_daddr = ip->daddr;
  if (old_daddr != bpf_htonl(0xc0000201)) // 192.0.2.1
    return XDP_PASS;
  __u32 new_daddr = bpf_htonl(0x0a000002); // 10.0.0.2
  __u32 seed = ~ip->check & 0xffff;
  __s64 sum = bpf_csum_diff(&old_daddr, sizeof(old_daddr), &new_daddr,
                            sizeof(new_daddr), seed);
  if (sum < 0)
    return XDP_ABORTED;
  __u32 folded = (__u32)sum;
  folded = (folded & 0xffff) + (folded >> 16);
  folded = (folded & 0xffff) + (folded >> 16);
  ip->check = ~folded & 0xffff;
  ip->daddr = new_daddr;
  return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
