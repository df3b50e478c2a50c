// UNSAFE: walks the options of TCP SYNs with a pointer moved by each
// option's length (as examples/xdp_tcp_option_walk.c does), but checks
// only that the option's kind byte lies in the packet before it reads the
// length byte after it: a SYN whose last packet byte is an option kind
// other than 0 or 1 makes `opt[1]` read one byte past the end.
// Expected: packet access out of bounds at the length read (the fix
// checks `opt + 2 > data_end` first).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int option_length_unchecked(struct xdp_md *ctx)
{
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = (void *)(long)ctx->data;
  if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_TCP)
    return XDP_PASS;
  struct tcphdr *tcp = (void *)ip + ip->ihl * 4;
  if ((void *)(tcp + 1) > data_end || !tcp->syn)
    return XDP_PASS;
  __u8 *opt = (__u8 *)(tcp + 1);
  for (int i = 0; i < 10; i++) {
    if (opt + 1 > (__u8 *)data_end || *opt == 0)
      break;
    if (*opt == 1) {
      opt++;
      continue;
    }
    __u8 len = opt[1]; // expected-error {{packet access out of bounds}}
    if (len < 2)
      return XDP_DROP;
    opt += len;
  }
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
