// Drops ARP messages (requests and replies alike) that bind a protected
// IPv4 address to the wrong MAC address, the core of ARP cache poisoning;
// passes every other packet. User space fills `arp_bindings` with each
// protected address and its MAC address, packed little-endian into the low
// 48 bits of a __u64 (byte 0 of the MAC in bits 0..7). The Ethernet/IPv4
// ARP layout (hardware length 6, protocol length 4) is required before the
// fixed offsets are used: 8-byte ARP header at 14, sender MAC at 22,
// sender IPv4 address at 28. Safe: one bound check covers all 42 bytes up
// to the target address before any ARP field is read; the lookup's NULL
// result is checked before the value is read; key and value sizes match
// the map's.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

// The fixed ARP header (RFC 826; <linux/if_arp.h> pulls in libc headers a
// BPF build cannot use).
struct arp_header {
  __be16 hw_type;
  __be16 proto_type;
  __u8 hw_len;
  __u8 proto_len;
  __be16 opcode;
};

#define ARP_END 42 // Ethernet 14 + ARP header 8 + 2 x (MAC 6 + IPv4 4)
#define SENDER_MAC 22
#define SENDER_IP 28

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 256);
  __type(key, __u32);   // IPv4 address, network byte order
  __type(value, __u64); // its MAC address
} arp_bindings SEC(".maps");

SEC("xdp")
int arp_spoof_guard(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = (void *)data;
  struct arp_header *arp = (void *)(data + sizeof(struct ethhdr));

  if (data + ARP_END > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_ARP))
    return XDP_PASS;
  if (arp->proto_type != bpf_htons(ETH_P_IP) || arp->hw_len != 6 || arp->proto_len != 4)
    return XDP_PASS;
  __u32 sender = *(__u32 *)(data + SENDER_IP);
  __u64 *bound = bpf_map_lookup_elem(&arp_bindings, &sender);
  if (!bound)
    return XDP_PASS;
  unsigned char *mac = data + SENDER_MAC;
  __u64 claimed = (__u64)mac[0] | (__u64)mac[1] << 8 | (__u64)mac[2] << 16 |
                  (__u64)mac[3] << 24 | (__u64)mac[4] << 32 | (__u64)mac[5] << 40;
  if (claimed != *bound)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
