// UNSAFE: xdp_event_by_function.c with a 12-byte reservation: the
// function it is passed to writes 16 bytes, the last 4 past the
// reservation, into whatever follows it in the ring.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} frame_events SEC(".maps");

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
int event_smaller_than_function(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  __u32 len = data_end - data;
  unsigned char *ev = bpf_ringbuf_reserve(&frame_events, 12, 0);
  if (!ev)
    return XDP_PASS;
  fill_event(ev, len); // expected-error {{precondition of 'fill_event' may not hold}}
  bpf_ringbuf_submit(ev, 0);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
