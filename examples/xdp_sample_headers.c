// Samples IPv4 headers into a ring buffer: for each IPv4 frame, reserves
// an event, fills it with the frame's length and header fields and
// submits it; frames from 10.0.0.0/8 are sampled but discarded (the
// reservation is given back unseen). Non-IPv4 and short frames pass
// unsampled; IPv4 runts (below the 64-byte Ethernet minimum) are dropped
// after sampling.
// group: XDP
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} header_samples SEC(".maps");

struct header_sample {
  __u32 len;
  __u32 saddr;
  __u32 daddr;
  __u8 protocol;
  __u8 ttl;
  __u16 tot_len;
};

SEC("xdp")
int xdp_sample_headers(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != __builtin_bswap16(ETH_P_IP))
    return XDP_PASS;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  struct header_sample *s =
      bpf_ringbuf_reserve(&header_samples, sizeof(*s), 0);
  if (!s)
    return XDP_PASS;
  __u32 len = data_end - data;
  s->len = len;
  s->saddr = ip->saddr;
  s->daddr = ip->daddr;
  s->protocol = ip->protocol;
  s->ttl = ip->ttl;
  s->tot_len = ip->tot_len;
  __u32 verdict = len < 64 ? XDP_DROP : XDP_PASS;
  if ((ip->saddr & 0xff) == 10)
    bpf_ringbuf_discard(s, 0);
  else
    bpf_ringbuf_submit(s, 0);
  return verdict;
}

char LICENSE[] SEC("license") = "GPL";
