/*===- prog_type.c - Program types: data, not code paths -----------------===*
 *
 * Section names as libbpf maps them to BPF_PROG_TYPE_XDP, _SCHED_CLS,
 * _SOCKET_FILTER, _KPROBE, _TRACEPOINT, _RAW_TRACEPOINT, _SOCK_OPS and
 * _PERF_EVENT. Contexts: struct
 * xdp_md { u32 data, data_end, data_meta, ingress_ifindex, rx_queue_index,
 * egress_ifindex; } and the u32 fields of struct __sk_buff up to data_end
 * (linux/bpf.h), readable and writable as net/core/filter.c allows
 * (tc_cls_act_is_valid_access, sk_filter_is_valid_access) or less.
 *===----------------------------------------------------------------------===*/
#include "core.h"

static const vep_ctx_field xdp_md[] = {
    {0, FIELD_PACKET, PT_XDP, 0, "data", 0},
    {4, FIELD_PACKET_END, PT_XDP, 0, "data_end", 0},
    {8, FIELD_SCALAR32, 0, 0, "data_meta", 0},
    {12, FIELD_SCALAR32, PT_XDP, 0, "ingress_ifindex", 0},
    {16, FIELD_SCALAR32, PT_XDP, 0, "rx_queue_index", 0},
    {20, FIELD_SCALAR32, PT_XDP, 0, "egress_ifindex", 0},
};

static const vep_ctx_field sk_buff[] = {
    {0, FIELD_SCALAR32, PT_SKB, 0, "len", 0},
    {4, FIELD_SCALAR32, PT_SKB, 0, "pkt_type", 0},
    {8, FIELD_SCALAR32, PT_SKB, PT_TC, "mark", 0},
    {12, FIELD_SCALAR32, PT_SKB, 0, "queue_mapping..vlan_proto", 4},
    {32, FIELD_SCALAR32, PT_SKB, PT_TC, "priority", 0},
    {36, FIELD_SCALAR32, PT_SKB, 0, "ingress_ifindex, ifindex", 1},
    {44, FIELD_SCALAR32, PT_SKB, PT_TC, "tc_index", 0},
    {48, FIELD_SCALAR32, PT_SKB, PT_SKB, "cb[]", 4},
    {68, FIELD_SCALAR32, PT_SKB, 0, "hash", 0},
    {72, FIELD_SCALAR32, PT_TC, PT_TC, "tc_classid", 0},
    {76, FIELD_PACKET, PT_TC, 0, "data", 0},
    {80, FIELD_PACKET_END, PT_TC, 0, "data_end", 0},
};

/* struct bpf_sock_ops as Linux 6.18 lets sock_ops programs access it
 * (sock_ops_is_valid_access, established by loading probes): 4-byte loads
 * of its u32 fields, 8-byte ones of its u64 fields, 4-byte stores of reply
 * and sk_txhash only (not of replylong[1..3]). Not modelled: the socket
 * and packet pointers (sk, skb_data, skb_data_end), the narrow loads of
 * skb_tcp_flags. Rows with a count stand for adjacent fields alike. */
static const vep_ctx_field bpf_sock_ops[] = {
    {0, FIELD_SCALAR32, PT_SOCK_OPS, 0, "op", 0},
    {4, FIELD_SCALAR32, PT_SOCK_OPS, PT_SOCK_OPS, "reply", 0},
    {8, FIELD_SCALAR32, PT_SOCK_OPS, 0, "replylong[1..3], family..sacked_out",
     38},
    {164, FIELD_SCALAR32, PT_SOCK_OPS, PT_SOCK_OPS, "sk_txhash", 0},
    {168, FIELD_SCALAR64, PT_SOCK_OPS, 0, "bytes_received, bytes_acked", 1},
    {208, FIELD_SCALAR32, PT_SOCK_OPS, 0, "skb_len, skb_tcp_flags", 1},
    {216, FIELD_SCALAR64, PT_SOCK_OPS, 0, "skb_hwtstamp", 0},
};

/* struct bpf_perf_event_data, read-only (pe_prog_is_valid_access): x86-64's
 * pt_regs by 8-byte loads, sample_period and addr (narrow loads of these
 * two, which the kernel allows, are not modelled). */
static const vep_ctx_field perf_event_data[] = {
    {0, FIELD_SCALAR64, PT_PERF, 0, "regs, sample_period, addr", 22},
};

#define FIELDS(t) t, VEP_LEN(t), 0, 0
#define RECORD(lo, end) NULL, 0, lo, end
/* XDP frames fit in a page (at most 64 KiB); an skb's linear part is
 * bounded only by its u32 length. */
static const vep_prog_type prog_type_table[] = {
    {"xdp", true, "xdp", PT_XDP, 65535, FIELDS(xdp_md)},
    {"tc", false, "tc", PT_TC, VEP_U32_MAX, FIELDS(sk_buff)},
    {"classifier", false, "tc", PT_TC, VEP_U32_MAX, FIELDS(sk_buff)},
    {"socket", false, "socket filter", PT_SOCKET, VEP_U32_MAX, FIELDS(sk_buff)},
    /* Tracing (kernel/trace/bpf_trace.c, *_prog_is_valid_access): x86-64's
     * struct pt_regs (168 bytes; other architectures' are larger), a
     * tracepoint's record after its 8-byte common header up to
     * PERF_MAX_TRACE_SIZE, and raw tracepoints' u64 args[12]. No packet. */
    {"kprobe", false, "kprobe", PT_KPROBE, 0, RECORD(0, 168)},
    {"kretprobe", false, "kprobe", PT_KPROBE, 0, RECORD(0, 168)},
    {"tracepoint", false, "tracepoint", PT_TP, 0, RECORD(8, 2048)},
    {"tp", false, "tracepoint", PT_TP, 0, RECORD(8, 2048)},
    {"raw_tracepoint", false, "raw tracepoint", PT_RAW_TP, 0, RECORD(0, 96)},
    {"raw_tp", false, "raw tracepoint", PT_RAW_TP, 0, RECORD(0, 96)},
    {"sockops", false, "sock_ops", PT_SOCK_OPS, 0, FIELDS(bpf_sock_ops)},
    {"perf_event", false, "perf_event", PT_PERF, 0, FIELDS(perf_event_data)},
};

const vep_prog_type *vep_find_prog_type(const char *section) {
  for (size_t t = 0; t < VEP_LEN(prog_type_table); t++) {
    const vep_prog_type *pt = &prog_type_table[t];
    const char *n = pt->section, *s = section;
    while (*n && *n == *s)
      n++, s++;
    if (!*n && (!*s || *s == '/' || (*s == '.' && pt->dot_suffix)))
      return pt;
  }
  return NULL;
}

vep_prog_type vep_function_type(void) {
  return (vep_prog_type){"",   false, "function", PT_ALL, VEP_U32_MAX,
                         NULL, 0,     0,          0};
}
