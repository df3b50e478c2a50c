// Keeps, per CPU, the first bytes of the last UDP payload to port 53 (a
// DNS query sampler for user space) and how many there were: the program
// looks its slot up once, then copies the payload into it byte by byte in
// a loop, stopping at the packet's end. Safe: the slot is checked against
// NULL before the loop, which carries the pointer across its head as not
// null (docs/vep-c.md, "Maps"); each byte is read after its own bound
// check and written at i < 32 into the 32-byte array of the value.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct sample {
  __u32 len;
  unsigned char bytes[32];
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct sample);
} dns_samples SEC(".maps");

SEC("xdp")
int udp_payload_sampler(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = (void *)data;
  if ((void *)(eth + 1) > (void *)data_end ||
      eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > (void *)data_end || ip->ihl != 5 ||
      ip->protocol != IPPROTO_UDP)
    return XDP_PASS;
  struct udphdr *udp = (void *)(ip + 1);
  if ((void *)(udp + 1) > (void *)data_end || udp->dest != bpf_htons(53))
    return XDP_PASS;

  __u32 key = 0;
  struct sample *s = bpf_map_lookup_elem(&dns_samples, &key);
  if (!s)
    return XDP_PASS;
  unsigned char *payload = (unsigned char *)(udp + 1);
  __u32 i;
  /*@ Inv i <= 32 */
  for (i = 0; i < 32; i++) {
    if (payload + i + 1 > data_end)
      break;
    s->bytes[i] = payload[i];
  }
  s->len = i;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
