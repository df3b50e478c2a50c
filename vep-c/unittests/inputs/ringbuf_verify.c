// bpf_ringbuf_reserve, bpf_ringbuf_submit and bpf_ringbuf_discard: each
// function that verifies is followed by its failing twins (VerifierTest.cpp,
// VerifierRingbuf).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} rb SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(max_entries, 4);
  __uint(key_size, 4);
  __uint(value_size, 4);
} progs SEC(".maps");

struct event {
  __u32 pid;
  __u32 len;
  __u64 stamp;
};

SEC("xdp")
int reserve_ok(struct xdp_md *ctx)
{
  struct event *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
  if (!e)
    return XDP_PASS;
  e->pid = 1;
  e->len = e->pid + 1; // reads give unknown values
  e->stamp = bpf_ktime_get_ns();
  if (e->len > 100) {
    bpf_ringbuf_discard(e, 0);
    return XDP_DROP;
  }
  bpf_ringbuf_submit(e, 0);
  return XDP_PASS;
}

SEC("xdp")
int reserve_not_released(struct xdp_md *ctx)
{
  struct event *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
  if (!e)
    return XDP_PASS;
  e->pid = 1;
  if (ctx->ingress_ifindex == 3)
    return XDP_DROP;
  bpf_ringbuf_submit(e, 0);
  return XDP_PASS;
}

SEC("xdp")
int reserve_past_end(struct xdp_md *ctx)
{
  __u32 *e = bpf_ringbuf_reserve(&rb, 8, 0);
  if (!e)
    return XDP_PASS;
  e[2] = 1;
  bpf_ringbuf_submit(e, 0);
  return XDP_PASS;
}

SEC("xdp")
int reserve_may_be_null(struct xdp_md *ctx)
{
  __u32 *e = bpf_ringbuf_reserve(&rb, 8, 0);
  *e = 1;
  bpf_ringbuf_submit(e, 0);
  return XDP_PASS;
}

SEC("xdp")
int reserve_use_after_submit(struct xdp_md *ctx)
{
  __u32 *e = bpf_ringbuf_reserve(&rb, 8, 0);
  if (!e)
    return XDP_PASS;
  bpf_ringbuf_submit(e, 0);
  return *e;
}

SEC("xdp")
int reserve_twice_released(struct xdp_md *ctx)
{
  __u32 *e = bpf_ringbuf_reserve(&rb, 8, 0);
  if (!e)
    return XDP_PASS;
  bpf_ringbuf_submit(e, 0);
  bpf_ringbuf_discard(e, 0);
  return XDP_PASS;
}

SEC("xdp")
int reserve_variable_size(struct xdp_md *ctx)
{
  __u32 *e = bpf_ringbuf_reserve(&rb, ctx->ingress_ifindex, 0);
  if (!e)
    return XDP_PASS;
  bpf_ringbuf_submit(e, 0);
  return XDP_PASS;
}

SEC("xdp")
int reserve_submit_moved(struct xdp_md *ctx)
{
  __u32 *e = bpf_ringbuf_reserve(&rb, 8, 0);
  if (!e)
    return XDP_PASS;
  bpf_ringbuf_submit(e + 1, 0);
  return XDP_PASS;
}

SEC("xdp")
int reserve_pointer_stored(struct xdp_md *ctx)
{
  __u64 *e = bpf_ringbuf_reserve(&rb, 8, 0);
  if (!e)
    return XDP_PASS;
  *e = (__u64)ctx;
  bpf_ringbuf_submit(e, 0);
  return XDP_PASS;
}

SEC("xdp")
int reserve_live_in_loop(struct xdp_md *ctx)
{
  __u32 *e = bpf_ringbuf_reserve(&rb, 8, 0);
  if (!e)
    return XDP_PASS;
  __u32 i = 0;
  /*@ Inv i <= 4 Variant 4 - i */
  while (i < 4)
    i++;
  bpf_ringbuf_submit(e, 0);
  return XDP_PASS;
}

SEC("xdp")
int reserve_then_tail_call(struct xdp_md *ctx)
{
  __u32 *e = bpf_ringbuf_reserve(&rb, 8, 0);
  if (!e)
    return XDP_PASS;
  bpf_tail_call(ctx, &progs, 0);
  bpf_ringbuf_submit(e, 0);
  return XDP_PASS;
}

SEC("xdp")
int reserve_in_loop_ok(struct xdp_md *ctx)
{
  __u32 i = 0;
  /*@ Inv i <= 4 Variant 4 - i */
  while (i < 4) {
    __u32 *e = bpf_ringbuf_reserve(&rb, 8, 0);
    if (e) {
      *e = i;
      bpf_ringbuf_submit(e, 0);
    }
    i++;
  }
  return XDP_PASS;
}

SEC("xdp")
int reserve_leaks_in_loop(struct xdp_md *ctx)
{
  __u32 i = 0;
  /*@ Inv i <= 4 Variant 4 - i */
  while (i < 4) {
    __u32 *e = bpf_ringbuf_reserve(&rb, 8, 0);
    i++;
  }
  return XDP_PASS;
}

static __attribute__((noinline)) __u32 half(__u32 x)
/*@ Require x <= 1000  Ensure __return <= 500 */
{
  return x / 2;
}

SEC("xdp")
int reserve_across_call(struct xdp_md *ctx)
{
  __u32 *e = bpf_ringbuf_reserve(&rb, 8, 0);
  if (!e)
    return XDP_PASS;
  *e = half(7);
  bpf_ringbuf_submit(e, 0);
  return XDP_PASS;
}

struct {
  __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
  __uint(max_entries, 4);
  __uint(key_size, 4);
  __uint(value_size, 4);
} events SEC(".maps");

// Reserved memory as a buffer a helper reads (its bytes need not be
// written: the kernel hands the helper the reservation as it is).
SEC("xdp")
int reserve_as_read_buffer(struct xdp_md *ctx)
{
  struct event *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
  if (!e)
    return XDP_PASS;
  e->pid = 1;
  e->len = 2;
  e->stamp = 3;
  bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e, sizeof(*e));
  bpf_ringbuf_submit(e, 0);
  return XDP_PASS;
}

// Its twin reads 4 bytes past the reservation.
SEC("xdp")
int reserve_read_past(struct xdp_md *ctx)
{
  struct event *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
  if (!e)
    return XDP_PASS;
  bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e, sizeof(*e) + 4);
  bpf_ringbuf_submit(e, 0);
  return XDP_PASS;
}

// A reservation pending across a loop: the loop head carries it.
struct snapshot {
  __u32 len;
  __u8 bytes[16];
};

SEC("xdp")
int reserve_filled_in_loop(struct xdp_md *ctx)
{
  struct snapshot *s = bpf_ringbuf_reserve(&rb, sizeof(*s), 0);
  if (!s)
    return XDP_PASS;
  __u32 i;
  /*@ Inv i <= 16 */
  for (i = 0; i < 16; i++)
    s->bytes[i] = i;
  s->len = i;
  bpf_ringbuf_submit(s, 0);
  return XDP_PASS;
}

SEC("xdp")
int reserve_released_in_loop(struct xdp_md *ctx)
{
  struct snapshot *s = bpf_ringbuf_reserve(&rb, sizeof(*s), 0);
  if (!s)
    return XDP_PASS;
  __u32 i;
  /*@ Inv i <= 16 */
  for (i = 0; i < 16; i++) {
    s->bytes[i] = i;
    if (i == 8)
      bpf_ringbuf_discard(s, 0);
  }
  bpf_ringbuf_submit(s, 0);
  return XDP_PASS;
}

SEC("xdp")
int reserve_null_at_loop(struct xdp_md *ctx)
{
  struct snapshot *s = bpf_ringbuf_reserve(&rb, sizeof(*s), 0);
  __u32 i;
  /*@ Inv i <= 16 */
  for (i = 0; i < 16; i++)
    if (s)
      s->bytes[i] = i;
  if (s)
    bpf_ringbuf_submit(s, 0);
  return XDP_PASS;
}

SEC("xdp")
int reserve_unheld_at_loop(struct xdp_md *ctx)
{
  struct snapshot *s = bpf_ringbuf_reserve(&rb, sizeof(*s), 0);
  if (!s)
    return XDP_PASS;
  __u32 i, sum = 0;
  /*@ Inv i <= 16 && sum <= i */
  for (i = 0; i < 16; i++)
    sum++;
  return sum;
}

SEC("xdp")
int reserve_moved_in_loop(struct xdp_md *ctx)
{
  struct snapshot *s = bpf_ringbuf_reserve(&rb, sizeof(*s), 0);
  if (!s)
    return XDP_PASS;
  __u8 *p = s->bytes;
  __u32 i;
  /*@ Inv i <= 16 */
  for (i = 0; i < 16; i++) {
    *p = i;
    p++;
  }
  bpf_ringbuf_submit(s, 0);
  return XDP_PASS;
}

SEC("xdp")
int reserve_two_holders(struct xdp_md *ctx)
{
  struct snapshot *s = bpf_ringbuf_reserve(&rb, sizeof(*s), 0);
  if (!s)
    return XDP_PASS;
  struct snapshot *t = s;
  __u32 i;
  /*@ Inv i <= 16 */
  for (i = 0; i < 16; i++)
    s->bytes[i] = i;
  t->len = i;
  bpf_ringbuf_submit(t, 0);
  return XDP_PASS;
}

// Reserved memory passed to a function as its buffer: the caller keeps
// the reservation and releases it after the call.
static __attribute__((noinline)) void fill_bytes(unsigned char *buf, __u32 n)
/*@ Require store_uchar_array(buf, n, l) && n <= 16 */
{
  __u32 i;
  /*@ Inv i <= n && n <= 16 Variant n - i */
  for (i = 0; i < n; i++)
    buf[i] = 7;
}

SEC("xdp")
int reserve_passed_to_function(struct xdp_md *ctx)
{
  unsigned char *e = bpf_ringbuf_reserve(&rb, 16, 0);
  if (!e)
    return XDP_PASS;
  fill_bytes(e, 16);
  bpf_ringbuf_submit(e, 0);
  return XDP_PASS;
}

SEC("xdp")
int reserve_passed_too_small(struct xdp_md *ctx)
{
  unsigned char *e = bpf_ringbuf_reserve(&rb, 8, 0);
  if (!e)
    return XDP_PASS;
  fill_bytes(e, 16);
  bpf_ringbuf_submit(e, 0);
  return XDP_PASS;
}

SEC("xdp")
int reserve_passed_after_submit(struct xdp_md *ctx)
{
  unsigned char *e = bpf_ringbuf_reserve(&rb, 16, 0);
  if (!e)
    return XDP_PASS;
  bpf_ringbuf_submit(e, 0);
  fill_bytes(e, 16);
  return XDP_PASS;
}

// A function cannot release its buffer: it is not what reserve returned.
static __attribute__((noinline)) void submit_buffer(unsigned char *buf)
/*@ Require store_uchar_array(buf, 16, l) */
{
  bpf_ringbuf_submit(buf, 0);
}

SEC("xdp")
int reserve_submitted_by_function(struct xdp_md *ctx)
{
  unsigned char *e = bpf_ringbuf_reserve(&rb, 16, 0);
  if (!e)
    return XDP_PASS;
  submit_buffer(e);
  bpf_ringbuf_submit(e, 0);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
