// UNSAFE: sends the packet's address to user space. `start` holds the
// pointer ctx->data as an integer, and bpf_ringbuf_output copies its 8
// bytes out: a kernel address in a ring buffer record, readable by any
// process that maps the buffer.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} frames SEC(".maps");

SEC("xdp")
int ringbuf_leaks_pointer(struct xdp_md *ctx)
{
  long start = ctx->data;
  bpf_ringbuf_output(&frames, &start, sizeof(start), 0); // expected-error {{pointer leaked}}
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
