// Drops IPv4 UDP datagrams whose first 32 payload bytes (counted from
// offset 42: IP options are read as payload), read as records, hold a
// heavy record: a record starts at byte i, its
// length is 1 to 8 (the low three bits of its first byte, plus one), and
// it is heavy when its first 8 bytes sum to more than 1100. The first
// record is a header, which may be heavy. Everything else passes.
//
// The outer loop steps i by the record's length, a value known only at
// run time, before the inner loop: no constant says how much the outer
// variant 40 - i has dropped at the inner head, so vepcc states the
// outer variant there through `row`, which holds i's value from the outer
// head (the ghost 40 - row; docs/compiler.md, "Nested loops"), and the
// inner invariant says that i has moved past it.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define PAYLOAD 42 /* Ethernet, IPv4 (options are read as payload), UDP */
#define SCAN 32
#define HEAVY 1100

SEC("xdp")
int udp_record_sums(struct xdp_md *ctx)
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
  unsigned char *payload = data + PAYLOAD;
  unsigned int i = 0;

  /*@ Inv i <= SCAN + 8 Variant SCAN + 8 - i */
  while (i < SCAN) {
    unsigned char *rec = payload + i;
    if (rec + 8 > data_end)
      return XDP_PASS;
    unsigned int row = i;
    unsigned int len = (rec[0] & 7) + 1;
    unsigned int sum = 0;
    i = i + len;
    /*@ Inv k <= 8 && row < SCAN && row < i && i <= row + 8 &&
          data <= rec && rec + 8 <= data_end Variant 8 - k */
    for (unsigned int k = 0; k < 8; k++)
      sum += rec[k];
    if (sum > HEAVY && row != 0)
      return XDP_DROP;
  }
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
