// Reserves a ring buffer event per frame and has a bpf-to-bpf function
// fill it: the reservation stays the program's across the call (the
// function gets the reserved bytes as a buffer and may not release them),
// and the program submits it after. Frames below the 64-byte Ethernet
// minimum are dropped after their event; the others pass.
// group: XDP
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} frame_events SEC(".maps");

/* The frame's length in the first two bytes (little-endian), then a
 * pattern derived from it. */
static __attribute__((noinline)) void fill_event(unsigned char *ev, __u32 len)
/*@ Require store_uchar_array(ev, 16, l) */
{
  __u32 i;
  ev[0] = len & 0xff;
  ev[1] = (len >> 8) & 0xff;
  /*@ Inv 2 <= i && i <= 16 */
  for (i = 2; i < 16; i++)
    ev[i] = (len + i) & 0xff;
}

SEC("xdp")
int xdp_event_by_function(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  __u32 len = data_end - data;
  unsigned char *ev = bpf_ringbuf_reserve(&frame_events, 16, 0);
  if (!ev)
    return XDP_PASS;
  fill_event(ev, len);
  bpf_ringbuf_submit(ev, 0);
  return len < 64 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
