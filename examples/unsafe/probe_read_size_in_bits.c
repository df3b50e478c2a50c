// UNSAFE: copies the first 16 bytes of a kernel object (the address in
// the raw tracepoint's first argument) into a local struct, but gives
// bpf_probe_read_kernel the struct's size in bits: the helper writes 128
// bytes at &t, 112 of them past the 16-byte struct, over whatever the
// stack holds next (here, past the top of the program's stack frame).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct object_head {
  __u64 state;
  __u32 flags;
  __u32 refs;
};

SEC("raw_tp/sys_enter")
int probe_read_size_in_bits(struct bpf_raw_tracepoint_args *ctx)
{
  struct object_head t;

  if (bpf_probe_read_kernel(&t, sizeof(t) * 8, (const void *)ctx->args[0]) < 0) // expected-error {{helper given a too-small buffer}}
    return 0;
  return t.refs > 1;
}

char LICENSE[] SEC("license") = "GPL";
