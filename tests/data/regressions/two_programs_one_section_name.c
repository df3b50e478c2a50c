// Regression: two programs in sections of the same name (two SEC("xdp")
// functions) made vepcc fail with "internal error: xdp insn 0: proof_hash":
// the proof writer gave the second the first one's hash, post-condition and
// cut points. It now tells them apart by their order, as the checker does.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int pass_all(struct xdp_md *ctx) { return XDP_PASS; }

SEC("xdp")
int drop_short(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  if (data + 14 > data_end)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
