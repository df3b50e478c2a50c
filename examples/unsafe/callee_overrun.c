// UNSAFE: a strnlen-like function trusts its caller's maximum and reads
// p[i] without checking it against the packet's end: a short payload is
// read past data_end. The callee's access bound is the obligation that
// fails, whatever its callers pass.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

static __attribute__((noinline)) __u32 word_len(unsigned char *p, void *end,
                                                __u32 max)
/*@ Require packet(p) && packet_end(end) && max <= 64
    Ensure __return <= max */
{
  __u32 i = 0;
  /*@ Inv i <= max && max <= 64 Variant max - i */
  while (i < max) {
    if (p[i] == ' ' || p[i] == 0) // expected-error {{packet access out of bounds}}
      break;
    i++;
  }
  return i;
}

SEC("xdp")
int callee_overrun(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct udphdr *udp = data + sizeof(struct ethhdr) + sizeof(struct iphdr);

  if ((void *)(udp + 1) > data_end)
    return XDP_PASS;
  if (word_len((unsigned char *)(udp + 1), data_end, 13) > 12)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
