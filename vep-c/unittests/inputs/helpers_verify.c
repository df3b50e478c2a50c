// The helpers of helper table version 10: each function that verifies is
// followed by its failing twins (VerifierTest.cpp, VerifierHelpers).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} rb SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} values SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(max_entries, 4);
  __uint(key_size, 4);
  __uint(value_size, 4);
} progs SEC(".maps");

SEC("xdp")
int output_ok(struct xdp_md *ctx)
{
  __u64 word = 7;
  bpf_ringbuf_output(&rb, &word, sizeof(word), 0);
  __u32 key = 0;
  __u64 *v = bpf_map_lookup_elem(&values, &key);
  if (v)
    bpf_ringbuf_output(&rb, v, 8, 0);
  bpf_tail_call(ctx, &progs, 1);
  return XDP_PASS;
}

SEC("xdp")
int output_too_much(struct xdp_md *ctx)
{
  __u32 word = 7;
  bpf_ringbuf_output(&rb, &word, 8, 0);
  return XDP_PASS;
}

SEC("xdp")
int output_unassigned(struct xdp_md *ctx)
{
  __u64 word;
  bpf_ringbuf_output(&rb, &word, 8, 0);
  return XDP_PASS;
}

SEC("xdp")
int output_pointer(struct xdp_md *ctx)
{
  long data = ctx->data;
  bpf_ringbuf_output(&rb, &data, 8, 0);
  return XDP_PASS;
}

SEC("xdp")
int output_past_value(struct xdp_md *ctx)
{
  __u32 key = 0;
  __u64 *v = bpf_map_lookup_elem(&values, &key);
  if (v)
    bpf_ringbuf_output(&rb, v, 16, 0);
  return XDP_PASS;
}

SEC("xdp")
int output_wrong_map(struct xdp_md *ctx)
{
  __u64 word = 7;
  bpf_ringbuf_output(&values, &word, 8, 0);
  return XDP_PASS;
}

SEC("xdp")
int tail_call_result(struct xdp_md *ctx)
{
  long err = bpf_tail_call(ctx, &progs, 1);
  return err ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int printk_values(struct xdp_md *ctx)
{
  __u64 format = 0x0a7525;
  bpf_trace_printk((const char *)&format, sizeof(format));
  bpf_trace_printk((const char *)&format, sizeof(format), 1, 2, 3);
  return XDP_PASS;
}

SEC("xdp")
int printk_pointer(struct xdp_md *ctx)
{
  __u64 format = 0x0a7525;
  void *data = (void *)(long)ctx->data;
  bpf_trace_printk((const char *)&format, sizeof(format), data);
  return XDP_PASS;
}

SEC("raw_tp/f")
int read_str_ok(struct bpf_raw_tracepoint_args *ctx)
{
  __u64 name = 0;
  bpf_probe_read_kernel_str(&name, sizeof(name), (const void *)0);
  __u64 user = 0;
  bpf_probe_read_user_str(&user, 4, (const void *)0);
  return name == user;
}

SEC("raw_tp/f")
int read_str_unassigned(struct bpf_raw_tracepoint_args *ctx)
{
  __u64 name;
  bpf_probe_read_kernel_str(&name, sizeof(name), (const void *)0);
  return name == 0;
}

SEC("xdp")
int output_packet(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  if (data + 8 > data_end)
    return XDP_DROP;
  bpf_ringbuf_output(&rb, data, 8, 0);
  return XDP_PASS;
}

SEC("xdp")
int csum_odd_length(struct xdp_md *ctx)
{
  __u64 from = 1, to = 2;
  return bpf_csum_diff((__be32 *)&from, 6, (__be32 *)&to, 8, 0) & 1;
}

SEC("tc")
int fib_route_ok(struct __sk_buff *skb)
{
  struct bpf_fib_lookup fib = {.family = 2, .ifindex = skb->ifindex};
  fib.ipv4_dst = 0x0100000a;
  if (bpf_fib_lookup(skb, &fib, sizeof(fib), 0) != BPF_FIB_LKUP_RET_SUCCESS)
    return 0;
  return fib.ifindex + fib.dmac[0];
}

SEC("xdp")
int fib_params_unset(struct xdp_md *ctx)
{
  struct bpf_fib_lookup fib;
  fib.family = 2;
  return bpf_fib_lookup(ctx, &fib, sizeof(fib), 0) == 0;
}

SEC("socket")
int fib_in_socket_filter(struct __sk_buff *skb)
{
  struct bpf_fib_lookup fib = {};
  return bpf_fib_lookup(skb, &fib, sizeof(fib), 0) == 0;
}
