// Admission by IPv4 precedence and payload shape: a local table gives
// each of the 8 precedence classes (the top 3 bits of the ToS byte) a
// budget, and a local histogram counts the top 2 bits of the first 4
// payload bytes after the IPv4 header. A packet passes when its class has
// a budget and its bytes are not all in one quarter of the byte range
// (padding and floods of one repeated byte are); others are dropped.
// Safe: both arrays are indexed by variables, and VEP-C proves each index
// within its array (tos >> 5 < 8, v >> 6 < 4, i < 4); each payload byte is
// read after its own bound check.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int ipv4_precedence_budget(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = (void *)data;
  if ((void *)(eth + 1) > (void *)data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > (void *)data_end)
    return XDP_PASS;

  /* routine, priority, immediate, flash, flash-override, critical,
     internetwork and network control */
  __u8 budget[8] = {4, 4, 3, 3, 2, 2, 0, 0};
  __u8 class = ip->tos >> 5;
  if (budget[class] == 0)
    return XDP_DROP;

  unsigned char *payload = data + ETH_HLEN + sizeof(struct iphdr);
  __u32 quarters[4] = {};
  __u32 i;
  /*@ Inv i <= 4 && quarters[0] + quarters[1] + quarters[2] + quarters[3] == i */
  for (i = 0; i < 4; i++) {
    if (payload + i + 1 > data_end)
      break;
    unsigned char v = payload[i];
    quarters[v >> 6]++;
  }
  if (i < 4)
    return XDP_PASS; /* too short to judge */
  __u32 most = 0;
  /*@ Inv i <= 4 && most <= 4 &&
        quarters[0] + quarters[1] + quarters[2] + quarters[3] == 4 */
  for (i = 0; i < 4; i++)
    if (quarters[i] > most)
      most = quarters[i];
  if (most == 4) /* all four bytes in one quarter */
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
