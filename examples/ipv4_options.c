// Reads the byte just after the IPv4 header, whose length is IHL x 4 bytes
// (options included): the first byte of the transport header. Passes the
// packet if that byte is nonzero, drops it otherwise.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int ipv4_options(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  unsigned long hdr_len = ip->ihl * 4;
  unsigned char *transport = (unsigned char *)ip + hdr_len;
  if ((void *)(transport + 1) > data_end)
    return XDP_PASS;
  /*@ Assert 20 <= hdr_len + 20 && hdr_len <= 60 */
  if (*transport == 0)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
