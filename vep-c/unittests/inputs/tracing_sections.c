// Section names of the tracing program types and their context types.
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>

struct record {
  __u64 header;
  long id;
};

SEC("kprobe") int kp(struct pt_regs *ctx) { return 0; }
SEC("kretprobe/vfs_read") int kretp(struct pt_regs *ctx) { return 0; }
SEC("tracepoint/sched/sched_switch") int tp_long(struct record *ctx) { return 0; }
SEC("tp") int tp_short(struct record *ctx) { return 0; }
SEC("raw_tracepoint/sys_enter") int raw_long(struct bpf_raw_tracepoint_args *ctx) { return 0; }
SEC("raw_tp") int raw_short(struct bpf_raw_tracepoint_args *ctx) { return 0; }
SEC("raw_tp.w/sys_enter") int raw_writable(struct bpf_raw_tracepoint_args *ctx) { return 0; }
SEC("tp_btf/sched_switch") int tp_btf(struct record *ctx) { return 0; }
SEC("kprobe/f") int kp_xdp_ctx(struct xdp_md *ctx) { return 0; }
SEC("tp/a/b") int tp_int_ctx(int *ctx) { return 0; }
