// Counts connection attempts per TCP destination port: IPv4 TCP segments
// with SYN set and ACK clear increment the 64-bit counter of their
// destination port in an array map of 65536 entries (the key is the port
// in host byte order), a cheap SYN-flood/port-scan monitor for user space
// to read. Every packet passes. Safe: the TCP header is found at the IPv4
// header's real length (IHL x 4), it is bound-checked as a whole before the
// port and the flag bit-fields are read, the lookup's NULL result is
// checked, and the key is a full 4-byte variable.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 65536);
  __type(key, __u32);
  __type(value, __u64);
} syn_counts SEC(".maps");

SEC("xdp")
int tcp_syn_ports(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_TCP)
    return XDP_PASS;
  if (ip->ihl < 5)
    return XDP_PASS;
  struct tcphdr *tcp = (void *)ip + ip->ihl * 4;
  if ((void *)(tcp + 1) > data_end)
    return XDP_PASS;
  if (!tcp->syn || tcp->ack)
    return XDP_PASS;
  __u32 port = bpf_ntohs(tcp->dest);
  __u64 *count = bpf_map_lookup_elem(&syn_counts, &port);
  if (count)
    __sync_fetch_and_add(count, 1);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
