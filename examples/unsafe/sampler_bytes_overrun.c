// Unsafe twin of udp_payload_sampler.c: the loop copies up to 40 bytes
// into the 32-byte array of the map value.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct sample {
  __u32 len;
  unsigned char bytes[32];
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct sample);
} long_samples SEC(".maps");

SEC("xdp")
int sampler_bytes_overrun(struct xdp_md *ctx)
/*@ Ensure __return == XDP_PASS */
{
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *data_end = (void *)(long)ctx->data_end;
  __u32 key = 0;
  struct sample *s = bpf_map_lookup_elem(&long_samples, &key);
  if (!s)
    return XDP_PASS;
  unsigned char *payload = data + ETH_HLEN;
  __u32 i;
  /*@ Inv i <= 40 */
  for (i = 0; i < 40; i++) {
    if (payload + i + 1 > data_end)
      break;
    s->bytes[i] = payload[i]; // expected-error {{map value access out of bounds}}
  }
  s->len = i;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
