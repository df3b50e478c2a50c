// Redirects UDP over IPv4 to destination port 4789 (VXLAN) to the device
// in slot 0 of a devmap (user space fills it); passes the frame up the
// stack when the slot is empty (the XDP_PASS in redirect_map's flags),
// passes every other frame, and drops frames too short for their headers.
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
  __uint(type, BPF_MAP_TYPE_DEVMAP);
  __uint(max_entries, 1);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, sizeof(__u32)); // an ifindex
} vxlan_port SEC(".maps");

SEC("xdp")
int xdp_redirect_udp(struct xdp_md *ctx)
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
  if (ip->protocol != IPPROTO_UDP || ip->ihl != 5)
    return XDP_PASS;
  struct udphdr *udp = (void *)(ip + 1);
  if ((void *)(udp + 1) > data_end)
    return XDP_DROP;
  if (udp->dest != bpf_htons(4789))
    return XDP_PASS;
  return bpf_redirect_map(&vxlan_port, 0, XDP_PASS);
}

char LICENSE[] SEC("license") = "GPL";
