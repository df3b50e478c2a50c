// UNSAFE: reserves a ring buffer record for each frame but returns early
// for short frames without submitting or discarding it. The reservation
// stays pending for ever: user space waits on it and the ring buffer fills
// up behind it (the kernel's verifier refuses such a program: "Unreleased
// reference").
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} frame_lengths SEC(".maps");

SEC("xdp")
int ringbuf_not_submitted(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  __u32 *len = bpf_ringbuf_reserve(&frame_lengths, sizeof(*len), 0);
  if (!len)
    return XDP_PASS;
  *len = data_end - data;
  if (data + 60 <= data_end) {
    bpf_ringbuf_submit(len, 0);
    return XDP_PASS;
  }
  return XDP_DROP; // expected-error {{ringbuf reservation from line 19 not submitted or discarded}}
}

char LICENSE[] SEC("license") = "GPL";
