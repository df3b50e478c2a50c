// Sends a summary of every frame (interface, queue, whether it is shorter
// than an Ethernet header, its first byte) to user space
// through a ring buffer, and keeps the summary of the last frame of each
// length class in an array: bpf_map_update_elem reads the value straight
// from the reserved record (a helper may read a live reservation, within
// its reserved bytes). Drops frames shorter than an Ethernet header, else
// passes them; passes them too when the ring buffer is full.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct frame_summary {
  __u32 ifindex;
  __u32 queue;
  __u32 short_frame;
  __u32 first_byte;
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} frame_summaries SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 2);
  __type(key, __u32);
  __type(value, struct frame_summary);
} last_summary SEC(".maps");

SEC("xdp")
int xdp_last_frame_summary(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  __u32 short_frame = 0;
  __u32 first_byte = 0;
  if (data + 14 > data_end)
    short_frame = 1;
  else
    first_byte = *(__u8 *)data;
  struct frame_summary *s =
      bpf_ringbuf_reserve(&frame_summaries, sizeof(*s), 0);
  if (!s)
    return XDP_PASS;
  s->ifindex = ctx->ingress_ifindex;
  s->queue = ctx->rx_queue_index;
  s->short_frame = short_frame;
  s->first_byte = first_byte;
  bpf_map_update_elem(&last_summary, &short_frame, s, BPF_ANY);
  bpf_ringbuf_submit(s, 0);
  return short_frame ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
