#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct wide { __u64 a, b; };

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, struct wide);
  __type(value, __u64);
} wides SEC(".maps");

// A 16-byte key the helper reads: two 8-byte chunks packed from a and b.
SEC("xdp")
int wide_key(struct xdp_md *ctx)
{
  struct wide w = {};
  w.b = ctx->ingress_ifindex;
  return bpf_map_lookup_elem(&wides, &w) != 0;
}

// A 13-byte array the helper writes (chunks of 8, 4 and 1 bytes), its
// elements read after; `comm` decays to the same buffer as `&comm`.
SEC("raw_tp/f")
int written_array(struct bpf_raw_tracepoint_args *ctx)
{
  char comm[13];
  bpf_get_current_comm(comm, sizeof comm);
  return comm[0] + comm[12];
}

// b spans the two chunks of this 9-byte packed struct: its low 7 bytes
// are the first chunk's bytes 1-7, its high byte the second chunk.
struct __attribute__((packed)) odd { __u8 a; __u64 b; };

SEC("raw_tp/f")
int straddling_leaf(struct bpf_raw_tracepoint_args *ctx)
{
  struct odd o = {};
  o.b = ctx->args[0];
  return bpf_trace_printk((const char *)&o, sizeof(o));
}

// The helper writes only 4 of the 16 bytes: b's chunk keeps its value, so
// it must hold one.
SEC("raw_tp/f")
int partly_written_needs_rest(struct bpf_raw_tracepoint_args *ctx)
{
  struct wide w;
  w.a = 0;
  bpf_probe_read_kernel(&w, 4, (const void *)ctx->args[0]);
  return w.a == 1;
}
