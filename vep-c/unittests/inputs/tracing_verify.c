// Tracing programs: read-only context records, tracing helpers.
#define __TARGET_ARCH_x86
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct record {
  __u64 header;
  long id;
  unsigned char bytes[8];
  unsigned int words[507]; // offsets 24 .. 2051
};

SEC("kprobe/vfs_read")
int kprobe_args(struct pt_regs *ctx)
{
  unsigned long a = PT_REGS_PARM1(ctx), b = PT_REGS_PARM2(ctx);
  unsigned char low = *(unsigned char *)&ctx->ss; // last byte: 160
  return (a ^ b ^ low) & 1;
}

SEC("tracepoint/raw_syscalls/sys_enter")
int tp_reads(struct record *ctx)
{
  long id = ctx->id;
  unsigned char c = ctx->bytes[7];
  unsigned int w = ctx->words[505]; // bytes 2044..2047
  __u32 pid = bpf_get_current_pid_tgid();
  __u32 uid = bpf_get_current_uid_gid();
  return (unsigned long)id + c + w + pid + uid > 3;
}

SEC("tp/raw_syscalls/sys_enter")
int tp_reads_header(struct record *ctx)
{
  return ctx->header == 0;
}

SEC("tp/raw_syscalls/sys_enter")
int tp_reads_past_end(struct record *ctx)
{
  return ctx->words[506] == 0; // bytes 2048..2051
}

SEC("tp/raw_syscalls/sys_enter")
int tp_misaligned(struct record *ctx)
{
  return *(__u16 *)&ctx->bytes[1] == 0;
}

SEC("raw_tp/sys_enter")
int raw_writes(struct bpf_raw_tracepoint_args *ctx)
{
  ctx->args[1] = 0;
  return 0;
}

SEC("raw_tp/sys_enter")
int raw_past_args(struct bpf_raw_tracepoint_args *ctx)
{
  return ctx->args[12] == 0;
}

SEC("raw_tp/sys_enter")
int raw_variable_arg(struct bpf_raw_tracepoint_args *ctx)
{
  __u64 i = ctx->args[0] & 3;
  return ctx->args[i] == 0;
}

SEC("raw_tracepoint/sys_enter")
int raw_comm_probe(struct bpf_raw_tracepoint_args *ctx)
{
  __u64 comm = 0, value = 1;
  __u32 half = 7;
  bpf_get_current_comm(&comm, sizeof(comm));
  bpf_probe_read_kernel(&value, 4, (const void *)ctx->args[0]);
  bpf_probe_read_kernel(&half, 2, (const void *)ctx->args[1]);
  return comm == value && half > 3;
}

SEC("raw_tracepoint/sys_enter")
int raw_probe_from_ctx(struct bpf_raw_tracepoint_args *ctx)
{
  __u64 value = 0;
  bpf_probe_read_kernel(&value, sizeof(value), ctx);
  return value == 0;
}

SEC("kretprobe/vfs_read")
int kretprobe_skb_helper(struct pt_regs *ctx)
{
  __u32 v = 0;
  bpf_skb_load_bytes(ctx, 0, &v, 4);
  return v;
}

SEC("xdp")
int xdp_comm(struct xdp_md *ctx)
{
  __u64 comm = 0;
  bpf_get_current_comm(&comm, sizeof(comm));
  return comm == 0;
}

// A tracepoint program may take its record as `void *ctx` and read it
// through casts: the same readable bytes.
SEC("tracepoint/raw_syscalls/sys_enter")
int tp_void_record(void *ctx)
{
  return ((long *)ctx)[1] == 59;
}

SEC("tracepoint/raw_syscalls/sys_enter")
int tp_void_header(void *ctx)
{
  return ((int *)ctx)[1] & 1;
}

char LICENSE[] SEC("license") = "GPL";
