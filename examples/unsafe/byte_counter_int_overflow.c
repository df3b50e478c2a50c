// UNSAFE: counts the bytes received per IP protocol in an `int` counter:
// after 2 GiB of traffic of one protocol the signed sum overflows, which C
// leaves undefined (eBPF wraps it to a negative count, so the bytecode is
// safe: this is a C-level error; user space then reads nonsense).
// Expected: signed overflow in the addition (the fix: a __u64 counter).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 256);
  __type(key, __u32);
  __type(value, int);
} proto_bytes SEC(".maps");

SEC("xdp")
int byte_counter_int_overflow(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = data + sizeof(struct ethhdr);

  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  __u32 proto = ip->protocol;
  int *bytes = bpf_map_lookup_elem(&proto_bytes, &proto);
  if (!bytes)
    return XDP_PASS;
  int len = bpf_ntohs(ip->tot_len);
  *bytes = *bytes + len; // expected-error {{signed overflow in addition}}
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
