// Counts every frame and the bytes of the IPv4 ones in two global
// variables in `.bss` (zero at load; libbpf keeps them in the one value of
// the object's internal `.bss` array map, which user space reads), with
// atomic adds since the program runs on every CPU at once. Frames too short
// for an Ethernet header are dropped. Safe: the globals are 8-byte
// counters, each added to at its own aligned address; the header is
// bound-checked before its protocol field is read.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

__u64 frames;
__u64 ipv4_bytes;

SEC("xdp")
int global_packet_counter(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;

  __sync_fetch_and_add(&frames, 1);
  if ((void *)(eth + 1) > data_end)
    return XDP_DROP;
  if (eth->h_proto == bpf_htons(ETH_P_IP))
    __sync_fetch_and_add(&ipv4_bytes, data_end - data);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
