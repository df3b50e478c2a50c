// globals.bpf.c - Global variables in the three sections libbpf turns into
// internal array maps: a packet counter in .bss (atomic add through the
// variable's symbol), a table in .data (a static: relocated against the
// section's symbol, indexed), a port in .rodata (const volatile, read).
// Compiled by clang (-target bpf -g) for the globals tests.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

unsigned long long packets;
static unsigned int table[4] = {1, 2, 3, 4};
const volatile unsigned short port = 53;

SEC("xdp")
int count_and_filter(struct xdp_md *ctx) {
  __sync_fetch_and_add(&packets, 1);
  unsigned int i = ctx->rx_queue_index & 3;
  table[i] += 1;
  return port == 80 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
