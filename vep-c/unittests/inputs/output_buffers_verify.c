// Buffers that helpers write (bpf_get_current_comm, the probe reads) in a
// map value or a ring buffer reservation: each function that verifies is
// followed by its failing twins (VerifierTest.cpp, VerifierHelpers,
// WrittenBuffersInMapValuesAndReservations).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct event {
  __u32 pid;
  char comm[16];
};

struct exec_record {
  __u64 common;
  __u32 filename_loc;
  int pid;
  int old_pid;
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct event);
} last SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __uint(map_flags, BPF_F_RDONLY_PROG);
  __type(key, __u32);
  __type(value, struct event);
} names SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int comm_into_reservation_ok(struct exec_record *ctx)
{
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  bpf_get_current_comm(&e->comm, sizeof(e->comm));
  bpf_ringbuf_submit(e, 0);
  return 1;
}

SEC("kprobe/do_exit")
int reads_into_value_ok(struct pt_regs *ctx)
{
  __u32 zero = 0;
  struct event *v = bpf_map_lookup_elem(&last, &zero);
  if (!v)
    return 0;
  bpf_get_current_comm(v->comm, sizeof(v->comm));
  bpf_probe_read_kernel(&v->pid, 4, 0);
  bpf_probe_read_user_str(v, sizeof(*v), 0);
  return 1;
}

SEC("tracepoint/sched/sched_process_exec")
int comm_past_reservation(struct exec_record *ctx)
{
  struct event *e = bpf_ringbuf_reserve(&events, 16, 0);
  if (!e)
    return 0;
  bpf_get_current_comm(&e->comm, sizeof(e->comm));
  bpf_ringbuf_submit(e, 0);
  return 1;
}

SEC("kprobe/do_exit")
int read_past_value(struct pt_regs *ctx)
{
  __u32 zero = 0;
  struct event *v = bpf_map_lookup_elem(&last, &zero);
  if (!v)
    return 0;
  bpf_probe_read_kernel(&v->comm, 17, 0);
  return 1;
}

SEC("kprobe/do_exit")
int comm_at_variable_offset(struct pt_regs *ctx)
{
  __u32 zero = 0;
  struct event *v = bpf_map_lookup_elem(&last, &zero);
  if (!v)
    return 0;
  __u32 at = v->pid;
  bpf_get_current_comm(v->comm + at, 4);
  return 1;
}

SEC("kprobe/do_exit")
int comm_into_readonly_value(struct pt_regs *ctx)
{
  __u32 zero = 0;
  struct event *v = bpf_map_lookup_elem(&names, &zero);
  if (!v)
    return 0;
  bpf_get_current_comm(v->comm, sizeof(v->comm));
  return 1;
}

SEC("tracepoint/sched/sched_process_exec")
int comm_after_submit(struct exec_record *ctx)
{
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  bpf_ringbuf_submit(e, 0);
  bpf_get_current_comm(&e->comm, sizeof(e->comm));
  return 1;
}

SEC("tracepoint/sched/sched_process_exec")
int comm_before_null_check(struct exec_record *ctx)
{
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  bpf_get_current_comm(&e->comm, sizeof(e->comm));
  if (e)
    bpf_ringbuf_submit(e, 0);
  return 1;
}

SEC("tracepoint/sched/sched_process_exec")
int comm_into_map(struct exec_record *ctx)
{
  bpf_get_current_comm(&last, 16);
  return 1;
}

// What the helper wrote is unknown: the name need not start with 'b'.
SEC("kprobe/do_exit")
int written_name_unknown(struct pt_regs *ctx)
/*@ Ensure __return == 1 */
{
  __u32 zero = 0;
  struct event *v = bpf_map_lookup_elem(&last, &zero);
  if (!v)
    return 1;
  v->comm[0] = 'b';
  bpf_get_current_comm(v->comm, sizeof(v->comm));
  return v->comm[0] == 'b';
}

// A store into the read-only map's value fails as the helper's write does.
SEC("kprobe/do_exit")
int store_into_readonly_value(struct pt_regs *ctx)
{
  __u32 zero = 0;
  struct event *v = bpf_map_lookup_elem(&names, &zero);
  if (!v)
    return 0;
  v->pid = 1;
  return 1;
}

char LICENSE[] SEC("license") = "GPL";
