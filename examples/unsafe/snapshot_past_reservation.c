// UNSAFE: xdp_payload_snapshot.c with an off-by-one loop bound: for
// frames of 33 bytes or more it copies a 33rd byte, one past the 36 bytes
// reserved for the event, into whatever follows it in the ring.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} snapshots SEC(".maps");

struct snapshot {
  __u32 len;
  __u8 bytes[32];
};

SEC("xdp")
int snapshot_past_reservation(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct snapshot *s = bpf_ringbuf_reserve(&snapshots, sizeof(*s), 0);
  if (!s)
    return XDP_PASS;
  __u32 i;
  /*@ Inv i <= 33 Variant 33 - i */
  for (i = 0; i <= 32; i++) {
    __u8 *b = (__u8 *)data + i;
    if ((void *)(b + 1) > data_end)
      break;
    s->bytes[i] = *b; // expected-error {{ringbuf memory access out of bounds}}
  }
  s->len = i;
  bpf_ringbuf_submit(s, 0);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
