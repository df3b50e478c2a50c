// A tc classifier that adds the length of every IPv4 packet (skb->len, the
// whole packet, not only the linear part the program can read directly) to
// a per-protocol byte counter in an array map of 256 64-bit counters, and
// lets every packet through. The lookup's result may be NULL as far as the
// verifier knows, so it is checked; the key is the protocol byte, copied
// into a __u32 so the key buffer has the map's 4 bytes.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 256);
  __type(key, __u32);
  __type(value, __u64);
} proto_bytes SEC(".maps");

SEC("classifier")
int tc_proto_bytes(struct __sk_buff *skb)
/*@ Ensure __return == TC_ACT_OK */
{
  void *data = (void *)(long)skb->data;
  void *data_end = (void *)(long)skb->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return TC_ACT_OK;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return TC_ACT_OK;
  __u32 proto = ip->protocol;
  __u64 *bytes = bpf_map_lookup_elem(&proto_bytes, &proto);
  if (bytes) {
    __u64 len = skb->len;
    __sync_fetch_and_add(bytes, len);
  }
  return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
