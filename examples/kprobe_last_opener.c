// Records the name of the last task that opened a file by a path relative
// to its working directory: on do_sys_openat2 with the directory argument
// AT_FDCWD, bpf_get_current_comm writes the task's comm straight into a
// global variable, which user space reads from the object's `.bss` map.
// A helper may write into a writable map value, and `.bss` is one. Safe:
// the helper writes 16 bytes (TASK_COMM_LEN) into the 16-byte array
// (docs/vep-c.md, "Helper calls"); the argument is an 8-byte load of the
// read-only pt_regs.
#define __TARGET_ARCH_x86 // as -D__TARGET_ARCH_x86 would: pt_regs of x86-64
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define AT_FDCWD -100

char last_opener[16];

SEC("kprobe/do_sys_openat2")
int kprobe_last_opener(struct pt_regs *ctx)
{
  int dfd = PT_REGS_PARM1(ctx);

  if (dfd != AT_FDCWD)
    return 0;
  bpf_get_current_comm(&last_opener, sizeof last_opener);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
