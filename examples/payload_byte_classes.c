// Classifies up to 8 bytes after the Ethernet header as digits, letters
// or other bytes, counting each class in a local struct, and drops packets
// whose classified bytes are mostly neither digits nor letters (binary
// payload where text is expected). The invariant names the struct's
// fields: together the counts are the bytes seen so far, so the sum the
// program returns on is bounded by the loop. (Over 16 bytes the Linux
// verifier, which walks the 3^16 combinations of branches, gives up at a
// million instructions; VEP checks the loop once, at its cut point.)
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct byte_classes {
  __u32 digits;
  __u32 letters;
  __u32 other;
};

SEC("xdp")
int payload_byte_classes(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS || __return == XDP_DROP */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  struct byte_classes c = {};
  __u32 i;

  /*@ Inv i <= 8 && c.digits + c.letters + c.other == i */
  for (i = 0; i < 8; i++) {
    unsigned char *b = data + ETH_HLEN + i;
    if (b + 1 > data_end)
      break;
    unsigned char v = *b;
    if (v >= '0' && v <= '9')
      c.digits++;
    else if ((v | 0x20) >= 'a' && (v | 0x20) <= 'z')
      c.letters++;
    else
      c.other++;
  }
  /*@ Assert c.digits + c.letters + c.other <= 8 */
  if (2 * c.other > c.digits + c.letters + c.other)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
