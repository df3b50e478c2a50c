// UNSAFE: the blocked port is a `const volatile` configuration in
// `.rodata`, which the program may only read (libbpf freezes the map and
// the kernel makes it read-only for programs), but the program writes it
// through a cast that drops the const, to "remember" the last port seen.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

const volatile __u16 blocked_port = 23;

SEC("xdp")
int rodata_written(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_TCP)
    return XDP_PASS;
  struct tcphdr *tcp = (void *)(ip + 1);
  if ((void *)(tcp + 1) > data_end)
    return XDP_PASS;
  *(__u16 *)&blocked_port = bpf_ntohs(tcp->dest); // expected-error {{store to the read-only global variable}}
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
