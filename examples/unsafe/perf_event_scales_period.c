// UNSAFE: a perf_event program that halves the sample period of the event
// it samples by writing its context. struct bpf_perf_event_data is a
// read-only copy for the program; the kernel's verifier refuses the store
// (the period is changed through the perf_event API, not from BPF).
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <bpf/bpf_helpers.h>

SEC("perf_event")
int perf_event_scales_period(struct bpf_perf_event_data *ctx)
{
  if (ctx->sample_period > 1000)
    ctx->sample_period = ctx->sample_period / 2; // expected-error {{store to the context}}
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
