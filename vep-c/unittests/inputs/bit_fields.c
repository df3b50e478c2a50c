// Bit-fields: of headers read into local structs (iphdr's ihl and version,
// tcphdr's doff and flags), of a local struct of odd widths (initialised,
// written, copied), and stores into a header in the packet
// (docs/vep-c.md, "Local structs and arrays").
#include <linux/bpf.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>

struct odd {
  __u8 a : 3;
  __u16 b : 9;  // bits 3 to 11: bytes 0 and 1
  __s8 c : 4;   // bits 12 to 15
  __u32 d : 20; // its own 32-bit unit from byte 4: bytes 4, 5 and 6
  __u8 tail;
};

SEC("tc")
int loaded_headers(struct __sk_buff *skb)
{
  struct iphdr ip;
  struct tcphdr th;
  if (bpf_skb_load_bytes(skb, 14, &ip, sizeof(ip)) < 0 ||
      bpf_skb_load_bytes(skb, 14 + 20, &th, sizeof(th)) < 0)
    return 0;
  if (ip.version != 4 || ip.ihl < 5 || th.doff < 5)
    return 0;
  // saddr and daddr lie in the union __struct_group makes: either name.
  if (ip.saddr == ip.addrs.daddr)
    return 0;
  return th.syn && !th.ack;
}

SEC("xdp")
int local_widths(struct xdp_md *ctx)
/*@ Ensure __return == 5 + (602 - 512) - 3 + 0x12345 + 7 + 5 + 1 */
{
  struct odd o = {.a = 5, .c = -3, .tail = 7};
  o.b = 301;      // 9 bits across bytes 0 and 1
  o.d = 0x912345; // truncated to 20 bits
  struct odd p = o;
  p.b += 301;    // 602 wraps to 90 in 9 bits
  p.a = p.a + 5;  // 10 wraps to 2
  struct odd z;
  __builtin_memset(&z, 0, sizeof(z));
  z.c = -1;       // sign-extended when read
  return o.a + p.b + o.c + p.d + p.tail + (p.a + 3) + (z.c + 2);
}

SEC("xdp")
int header_stores(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct iphdr *ip = data + 14;
  if ((void *)(ip + 1) > data_end)
    return XDP_DROP;
  ip->version = 4;
  ip->ihl = 5;
  return ip->ihl == 5 && ip->version == 4 ? XDP_PASS : XDP_ABORTED;
}

SEC("tc")
int unloaded_header(struct __sk_buff *skb)
{
  struct iphdr ip;
  if (skb->len < 34)
    return 0;
  return ip.ihl;
}

SEC("xdp")
int store_before_init(struct xdp_md *ctx)
{
  struct odd o;
  o.a = 1; // keeps the other bits of byte 0, which are unset
  return o.a;
}
