// Decides an IPv4 packet's fate by its precedence class (the top two bits
// of the TOS byte) from a table of verdicts in `.data`, initialised to
// pass classes 0, 1 and 3 and drop class 2; user space may rewrite the
// table at any time (it is the value of the object's internal `.data`
// array map). Non-IPv4 and short frames pass. Safe: the class is masked
// to 0..3, so the 4-byte read stays inside the 4-entry table.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

__u32 class_verdicts[4] = {XDP_PASS, XDP_PASS, XDP_DROP, XDP_PASS};

SEC("xdp")
int data_class_verdicts(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  __u32 class = (ip->tos >> 6) & 3;
  return class_verdicts[class];
}

char LICENSE[] SEC("license") = "GPL";
