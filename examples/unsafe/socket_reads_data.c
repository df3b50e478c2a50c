// UNSAFE: a socket filter that reads the packet through skb->data and
// skb->data_end as a tc program would. Socket filters have no direct packet
// access: the kernel refuses these context fields (their offsets are not
// readable for BPF_PROG_TYPE_SOCKET_FILTER); the packet is read with
// bpf_skb_load_bytes instead.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("socket")
int socket_reads_data(struct __sk_buff *skb)
{
  void *data = (void *)(long)skb->data; // expected-error {{context field 'data' is not readable in socket filter programs}}
  void *data_end = (void *)(long)skb->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end)
    return 0;
  return eth->h_proto == bpf_htons(ETH_P_IP) ? skb->len : 0;
}

char LICENSE[] SEC("license") = "GPL";
