// ICMP guard: counts IPv4 ICMP messages per ICMP type (an array map of 256
// counters indexed by the type byte), drops redirects (type 5, which no
// host behind this interface should accept from the wire) and oversized
// echo requests (type 8 with an IPv4 total length above 1024 bytes, a ping
// flood/"ping of death" pattern), and passes everything else. Safe: the
// ICMP type is read at the IPv4 header's real length (IHL x 4, at least
// 20) once the type and code bytes are known to lie before the packet end;
// the type is at most 255, a valid key of the 256-entry array, and the
// lookup's NULL result is checked anyway.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

// From <linux/icmp.h>, which pulls in libc headers a BPF build cannot use.
#define ICMP_REDIRECT 5
#define ICMP_ECHO 8

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 256);
  __type(key, __u32);
  __type(value, __u64);
} icmp_types SEC(".maps");

SEC("xdp")
int icmp_guard(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_ICMP)
    return XDP_PASS;
  unsigned int hdr_len = ip->ihl * 4;
  if (hdr_len < sizeof(struct iphdr))
    return XDP_DROP;
  unsigned char *icmp = (void *)ip + hdr_len;
  if (icmp + 2 > (unsigned char *)data_end)
    return XDP_PASS;
  __u32 type = icmp[0];
  __u64 *count = bpf_map_lookup_elem(&icmp_types, &type);
  if (count)
    __sync_fetch_and_add(count, 1);
  if (type == ICMP_REDIRECT)
    return XDP_DROP;
  if (type == ICMP_ECHO && bpf_ntohs(ip->tot_len) > 1024)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
