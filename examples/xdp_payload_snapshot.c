// Snapshots the start of each frame into a ring buffer: reserves an
// event, copies up to 32 bytes of the frame into it one byte at a time
// (a loop with the reservation pending across it), records how many it
// copied and submits it. Frames shorter than 32 bytes are dropped after
// their snapshot; the others pass.
// group: XDP
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
int xdp_payload_snapshot(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct snapshot *s = bpf_ringbuf_reserve(&snapshots, sizeof(*s), 0);
  if (!s)
    return XDP_PASS;
  __u32 i;
  /*@ Inv i <= 32 */
  for (i = 0; i < 32; i++) {
    __u8 *b = (__u8 *)data + i;
    if ((void *)(b + 1) > data_end)
      break;
    s->bytes[i] = *b;
  }
  s->len = i;
  bpf_ringbuf_submit(s, 0);
  return i < 32 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
