// UNSAFE: the twin of tc_loaded_headers.c that loads the IPv4 header only
// for packets the skb says are IPv4 but tests the header's ihl bit-field
// for every packet: for any other protocol the stack copy was never
// written, which C leaves undefined (the fix: return before the test, or
// `struct iphdr ip = {};`). The kernel refuses the read too when the
// loader lacks CAP_PERFMON. Expected: read of uninitialised variable
// 'ip.(bits 0)'.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("tc")
int header_read_before_load(struct __sk_buff *skb)
{
  struct iphdr ip;

  if (skb->protocol == bpf_htons(ETH_P_IP) &&
      bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)) < 0)
    return TC_ACT_OK;
  if (ip.ihl > 5) // expected-error {{read of uninitialised variable 'ip.(bits 0)'}}
    return TC_ACT_SHOT;
  return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
