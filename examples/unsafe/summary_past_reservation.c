// UNSAFE: reserves 12 bytes of a ring buffer for a frame summary but hands
// the reservation to bpf_map_update_elem as the map's 16-byte value: the
// helper reads 4 bytes past the reservation (the next record's header or
// whatever follows in the ring).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct frame_summary {
  __u32 ifindex;
  __u32 queue;
  __u32 len;
  __u32 short_frame;
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} short_summaries SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 2);
  __type(key, __u32);
  __type(value, struct frame_summary);
} last_short_summary SEC(".maps");

SEC("xdp")
int summary_past_reservation(struct xdp_md *ctx)
{
  __u32 key = 0;
  struct frame_summary *s = bpf_ringbuf_reserve(&short_summaries, 12, 0);
  if (!s)
    return XDP_PASS;
  s->ifindex = ctx->ingress_ifindex;
  s->queue = ctx->rx_queue_index;
  s->len = 0;
  bpf_map_update_elem(&last_short_summary, &key, s, BPF_ANY); // expected-error {{helper given a too-small buffer: ringbuf memory access out of bounds}}
  bpf_ringbuf_submit(s, 0);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
