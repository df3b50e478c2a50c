// UNSAFE: counts IPv4 packets per precedence class in a global array of 4
// counters in `.bss`, but takes the class as the top three bits of the TOS
// byte (0..7) instead of two: classes 4..7 count past the array, and past
// the `.bss` value that holds it.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

__u32 class_counts[4];

SEC("xdp")
int global_array_overrun(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  __u32 class = ip->tos >> 5;
  __sync_fetch_and_add(&class_counts[class], 1); // expected-error {{global variable access out of bounds}}
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
