// UNSAFE: reserves 8 bytes of a ring buffer for two 32-bit words but
// writes a third, 4 bytes past the reservation: into the next record's
// header or whatever follows in the ring.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} frame_words SEC(".maps");

SEC("xdp")
int ringbuf_write_past_reservation(struct xdp_md *ctx)
{
  __u32 *words = bpf_ringbuf_reserve(&frame_words, 8, 0);
  if (!words)
    return XDP_PASS;
  words[0] = ctx->ingress_ifindex;
  words[1] = ctx->rx_queue_index;
  words[2] = 0; // expected-error {{ringbuf memory access out of bounds}}
  bpf_ringbuf_submit(words, 0);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
