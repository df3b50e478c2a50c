// Loops written without Inv (docs/vep-c.md, "Inferred invariants"): a
// counting loop whose cursor moves in a branch (inferred: its bounds in
// the packet); a while loop that counts, its increment ending
// the body and its bound one of the condition's conjuncts; one whose
// `continue` skips the increment, which does not count; loops that rely
// on what guards before them checked (a header's bound read through a
// copy of its pointer, an index's range), one whose guard's variable it
// changes, and one whose guard is on a signed variable.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int cursor_moved_in_branch(struct xdp_md *ctx)
{
  void *data_end = (void *)(long)ctx->data_end;
  void *data = (void *)(long)ctx->data;
  unsigned char *p = data;
  unsigned sum = 0;
  for (unsigned i = 3; i < 8; i++) {
    if (p + 1 > (unsigned char *)data_end)
      break;
    sum += *p;
    if (sum & 1)
      p++;
  }
  return sum & 1 ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int while_counter(struct xdp_md *ctx)
/*@ Ensure 0 <= __return && __return <= 31 */
{
  __u64 v = ctx->rx_queue_index;
  __u32 r = 0;
  while (v > 1 && r < 31) {
    v >>= 1;
    r++;
  }
  return r;
}

SEC("xdp")
int while_continue(struct xdp_md *ctx)
{
  __u32 v = ctx->rx_queue_index;
  __u32 r = 0;
  while (r < 8) {
    if (v & 1) {
      v >>= 1;
      continue;
    }
    r++;
  }
  return r;
}

SEC("xdp")
int header_words(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct iphdr *ip = data + sizeof(struct ethhdr);
  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  __u16 *w = (void *)ip;
  __u32 sum = 0;
  for (int i = 0; i < 10; i++)
    sum += w[i];
  return sum & 1 ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int guarded_index(struct xdp_md *ctx)
{
  __u32 k = ctx->rx_queue_index;
  if (k >= 8 || k == 3)
    return XDP_PASS;
  __u32 counts[8] = {0};
  for (int i = 0; i < 3; i++)
    counts[k] += 1;
  return counts[k] & 1 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int guard_then_changed(struct xdp_md *ctx)
{
  __u32 k = ctx->rx_queue_index;
  if (k >= 8)
    return XDP_PASS;
  __u32 counts[8] = {0};
  for (int i = 0; i < 3; i++) {
    counts[k] += 1;
    k = k + 1; // the loop changes k: `k < 8` is not kept
  }
  return XDP_PASS;
}

SEC("xdp")
int signed_guard(struct xdp_md *ctx)
{
  int k = ctx->rx_queue_index;
  if (k >= 8 || k < 0)
    return XDP_PASS;
  int last = 0;
  for (int i = 0; i < 3; i++)
    last = k; // the loop reads k, but facts on signed variables are left out
  return last;
}

SEC("xdp")
int guard_outside_if(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct iphdr *ip = data + sizeof(struct ethhdr);
  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  __u32 sum = 0;
  if (ip->ttl > 1) { // the loop is in a block of its own
    __u16 *w = (void *)ip;
    for (int i = 0; i < 10; i++)
      sum += w[i];
  }
  return sum & 1 ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int bound_by_if(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  __u8 *p = data;
  __u32 sum = 0;
  if (p + 16 <= (__u8 *)data_end)
    for (int i = 0; i < 16; i++)
      sum += p[i];
  return sum & 1 ? XDP_PASS : XDP_DROP;
}

// Packet walks: a cursor moved by each option's length byte after the
// TCP header at IHL x 4; one moved back, which gets no bounds (the
// failure notes the invariant); one moved past its bound check by more
// than its greatest step, whose inferred bound is not preserved.
SEC("xdp")
int walk_by_lengths(struct xdp_md *ctx)
{
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = (void *)(long)ctx->data;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > data_end)
    return XDP_PASS;
  __u8 *opt = (void *)ip + ip->ihl * 4 + 20;
  for (int i = 0; i < 10; i++) {
    if (opt + 2 > (__u8 *)data_end || opt[1] < 2)
      break;
    if (opt[0] == 3)
      return XDP_DROP;
    opt += opt[1];
  }
  return XDP_PASS;
}

SEC("xdp")
int walk_back(struct xdp_md *ctx)
{
  void *data_end = (void *)(long)ctx->data_end;
  void *data = (void *)(long)ctx->data;
  __u8 *p = data + 20;
  __u32 sum = 0;
  for (int i = 0; i < 4; i++) {
    if (p + 1 > (__u8 *)data_end)
      break;
    sum += *p;
    if (sum & 1)
      p--;
  }
  return sum & 1;
}

SEC("xdp")
int walk_past_bound(struct xdp_md *ctx)
{
  void *data_end = (void *)(long)ctx->data_end;
  void *data = (void *)(long)ctx->data;
  __u8 *p = data;
  __u32 sum = 0;
  for (int i = 0; i < 4; i++) {
    if (p + 1 > (__u8 *)data_end)
      break;
    __u8 s = *p;
    sum += s;
    p += 255;
    p += s;
  }
  return sum & 1;
}

// Scans without a counter: a pointer walked to the packet's end by 1 and
// by 2 (its variant inferred too); one whose start is not checked against
// the end, so its inferred bound may not hold on entry.
SEC("xdp")
int scan_to_nul(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  unsigned char *p = data;
  while (p < (unsigned char *)data_end && *p != 0)
    p++;
  return (p - (unsigned char *)data) & 1;
}

SEC("xdp")
int scan_pairs(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  __u8 *p = data + 14;
  if ((void *)p > data_end)
    return XDP_PASS;
  __u32 spaces = 0;
  for (; p + 2 <= (__u8 *)data_end; p += 2)
    if (p[0] == ' ' || p[1] == ' ')
      spaces++;
  return spaces > 3 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int scan_start_unchecked(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  __u8 *p = data + 14;
  __u32 spaces = 0;
  for (; p + 2 <= (__u8 *)data_end; p += 2)
    spaces += p[0] == ' ';
  return spaces > 3 ? XDP_DROP : XDP_PASS;
}

// A pointer the loop moves but reads nothing through gets no bounds (the
// loop would not need them, and need not keep them).
SEC("xdp")
int cursor_not_read(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  __u8 *p = data;
  __u32 mask = ctx->rx_queue_index;
  for (int i = 0; i < 8; i++)
    if (mask & (1u << i))
      p += 200;
  return p + 1 > (__u8 *)data_end ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";
