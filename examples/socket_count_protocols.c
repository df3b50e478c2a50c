// A socket filter that counts IPv4 packets per transport protocol in an
// array map of 256 64-bit counters and keeps every packet (it returns the
// packet's length: nothing is cut). A socket filter has no direct packet
// access: the protocol byte is read with bpf_skb_load_bytes into a __u32
// that holds 0 before, so its upper bytes are 0 and it is a valid key;
// when the packet is too short the helper fails (and zeroes the byte) and
// the packet is not counted. The packet starts at the IPv4 header, as on a
// raw IP or UDP socket and under BPF_PROG_TEST_RUN; skb->protocol says
// whether it is IPv4.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 256);
  __type(key, __u32);
  __type(value, __u64);
} socket_proto_counts SEC(".maps");

SEC("socket")
int socket_count_protocols(struct __sk_buff *skb)
{
  __u32 len = skb->len;
  if (skb->protocol != bpf_htons(ETH_P_IP))
    return len;
  __u32 proto = 0;
  int err = bpf_skb_load_bytes(skb, 9, &proto, 1); // iphdr.protocol
  if (err < 0)
    return len;
  __u64 *count = bpf_map_lookup_elem(&socket_proto_counts, &proto);
  if (count)
    __sync_fetch_and_add(count, 1);
  return len;
}

char LICENSE[] SEC("license") = "GPL";
