// Records the name of the last task that opened a file: on every
// do_sys_openat2, bpf_get_current_comm writes the task's comm straight into
// a global variable, which user space reads from the object's `.bss` map.
// A helper may write into a writable map value, and `.bss` is one. Safe:
// the helper writes 16 bytes (TASK_COMM_LEN) into the 16-byte array
// (docs/vep-c.md, "Helper calls").
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char last_opener[16];

SEC("kprobe/do_sys_openat2")
int kprobe_last_opener(struct pt_regs *ctx)
{
  bpf_get_current_comm(&last_opener, sizeof last_opener);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
