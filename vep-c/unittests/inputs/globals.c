// Global variables: sections, layout, initialisers, and their uses.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

unsigned char flag;
unsigned long long hits;
static short table[3] = {0, -2};
int zero_data = 0;
const volatile unsigned int limit = 0;

SEC("xdp")
int globals(struct xdp_md *ctx)
{
  __u32 i = ctx->rx_queue_index % 3;
  __sync_fetch_and_add(&hits, 1);
  table[i] = 7;
  zero_data = 1; // `+= 1` may overflow: the contents are unknown
  return limit > 5 ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int reread(struct xdp_md *ctx)
/*@ Ensure __return == 1 */
{
  flag = 1;
  return flag;
}

SEC("xdp")
int rodata_store(struct xdp_md *ctx)
{
  *(unsigned int *)&limit = 1;
  return XDP_PASS;
}

SEC("xdp")
int overrun(struct xdp_md *ctx)
{
  __u32 i = ctx->rx_queue_index % 4;
  return table[i];
}

SEC("xdp")
int misaligned(struct xdp_md *ctx)
{
  __sync_fetch_and_add((int *)&table[1], 1);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
