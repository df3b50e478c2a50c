// Drops IPv4 packets whose header checksum is wrong, for headers without
// options (IHL 5); other packets pass. The checksum loop sums the header's
// ten 16-bit words as written in the kernel's samples, without annotation:
// it counts, so VEP-C infers its invariant, and that invariant keeps what
// the guard before the loop checked (`(void *)ip + 20 <= data_end`) and
// how `words` was made from `ip`, which bound every read `words[i]`
// (docs/vep-c.md, "Inferred invariants").
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int xdp_header_checksum(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
    return XDP_PASS;
  __u16 *words = (void *)ip;
  __u32 sum = 0;
  for (int i = 0; i < 10; i++)
    sum += words[i];
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return sum == 0xffff ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
