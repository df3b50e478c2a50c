// Drops IPv4 UDP datagrams whose first 16 payload bytes are all the same
// byte (flood tools commonly fill their payload with one constant byte,
// 0x00 or 'A'), passes everything else, including shorter payloads. A
// bounded loop over packet bytes that stops at the first byte that
// differs. Safe: the UDP header is found at the IPv4 header's real length
// (IHL x 4, at least 20) and the 16 payload bytes are checked against the
// packet end once, before the loop; the invariant carries that bound to
// every iteration, so `payload[i]` with i < 16 is in bounds. The loop
// ends: i counts up to 16 (the inferred variant 16 - i).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define SCAN_BYTES 16

SEC("xdp")
int udp_repeated_byte(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = (void *)data;
  struct iphdr *ip = (void *)(data + sizeof(struct ethhdr));

  if ((void *)(ip + 1) > (void *)data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
    return XDP_PASS;
  if (ip->ihl < 5)
    return XDP_DROP;
  struct udphdr *udp = (void *)ip + ip->ihl * 4;
  unsigned char *payload = (void *)(udp + 1);
  if (payload + SCAN_BYTES > data_end)
    return XDP_PASS;
  unsigned char first = payload[0];
  unsigned int same = 1;

  /*@ Inv 1 <= i && i <= SCAN_BYTES && same == i &&
          data <= payload && payload + SCAN_BYTES <= data_end */
  for (unsigned int i = 1; i < SCAN_BYTES; i++) {
    if (payload[i] != first)
      break;
    same++;
  }
  if (same == SCAN_BYTES)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
