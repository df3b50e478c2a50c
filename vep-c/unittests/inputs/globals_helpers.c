// Helpers writing into global variables (their sections are map values);
// see GlobalsTest.cpp (Globals.HelpersWriteIntoGlobals,
// Globals.HelpersReadGlobals).
#include <linux/bpf.h>
#define __TARGET_ARCH_x86
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char comm[16];
__u64 saved;
char short_name[8];
char names[24];
const volatile char fixed_name[16];

// The comm into a 16-byte global; a kernel word into an 8-byte one.
SEC("kprobe/do_sys_openat2")
int into_globals(struct pt_regs *ctx)
{
	bpf_get_current_comm(&comm, sizeof comm);
	bpf_probe_read_kernel(&saved, sizeof saved, (void *)PT_REGS_PARM1(ctx));
	bpf_get_current_comm(&names[8], 16);
	return 0;
}

// 16 bytes into an 8-byte global.
SEC("kprobe/do_sys_openat2")
int too_small(struct pt_regs *ctx)
{
	bpf_get_current_comm(&short_name, 16);
	return 0;
}

// 16 bytes at offset 9 of a 24-byte global: one past its end.
SEC("kprobe/do_sys_openat2")
int past_the_end(struct pt_regs *ctx)
{
	bpf_get_current_comm(&names[9], 16);
	return 0;
}

// A helper may not write into .rodata, even through a cast dropping const.
SEC("kprobe/do_sys_openat2")
int into_rodata(struct pt_regs *ctx)
{
	bpf_get_current_comm((char *)&fixed_name, sizeof fixed_name);
	return 0;
}

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} comm_events SEC(".maps");

// A helper reads the 16 bytes of a global.
SEC("kprobe/do_sys_openat2")
int out_of_global(struct pt_regs *ctx)
{
	bpf_get_current_comm(&comm, sizeof comm);
	bpf_ringbuf_output(&comm_events, &comm, sizeof comm, 0);
	return 0;
}

// 24 bytes of the 16-byte global: past its end.
SEC("kprobe/do_sys_openat2")
int out_past_global(struct pt_regs *ctx)
{
	bpf_ringbuf_output(&comm_events, &comm, 24, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
