/*===- vep/helpers.h - The helper contracts VEP knows, annotated ----------===*
 *
 * The contracts of the eBPF helpers VEP-C and the checker support (helper
 * table version 10), in VEP's annotation language, one per declaration.
 * The buffers helpers 16, 26, 69 and 112-115 write are shown as `&v`; they may
 * also point into a writable map value or a live ring buffer reservation,
 * the bytes in bounds (docs/vep-c.md, "A buffer the helper writes").
 * This header documents them; the tables stay the source of truth: Helpers
 * in vep-c/lib/verifier/Verifier.cpp and helpers[] in
 * vep-ebpf/src/helper.c, described in docs/vep-c.md ("Helper contracts")
 * and docs/proof-format.md 9.3.
 *
 * Included as is, the header declares nothing (programs get the helpers
 * from libbpf's <bpf/bpf_helpers.h>). With VEP_HELPER_DECLARATIONS defined
 * and instead of libbpf's <bpf/bpf_helper_defs.h>, it declares each helper
 * as libbpf does, a static pointer initialised with the helper's id, which
 * is the form VEP-C recognises as a helper.
 *
 * Notation. m: the map argument's definition; key_size(m), value_size(m):
 * its sizes; type(m): its BPF_MAP_TYPE_*; v: the local variable a `&v`
 * buffer argument names (VEP has no arrays yet: an integer variable);
 * "assigned(v)": v holds a value on the path; ctx: the entry point's
 * context parameter. "data maps": hash, array, per-CPU hash and array,
 * LRU hash, LRU per-CPU hash. Types: which program types may call it.
 * A buffer the helper reads ("readable") is `&v` of an assigned variable
 * holding no pointer, with at least as many bytes as the length, or a
 * pointer into a map value with the bytes in bounds; its length is an
 * integer constant from 1 to 2^20.
 *===----------------------------------------------------------------------===*/
#ifndef VEP_HELPERS_H
#define VEP_HELPERS_H

#ifdef VEP_HELPER_DECLARATIONS
#include <linux/bpf.h>

/* Types: all. type(m) in the data maps.
 *@ With m k
 *@ Require map == &m * store_uchar_array(key, key_size(m), k)
 *@ Ensure store_uchar_array(key, key_size(m), k) *
 *@        (__return == 0 || undef_data_at(__return, value_size(m)))
 */
static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;

/* Types: all. type(m) in the data maps; the value holds no pointer.
 *@ With m k v
 *@ Require map == &m * store_uchar_array(key, key_size(m), k) *
 *@         store_uchar_array(value, value_size(m), v)
 *@ Ensure store_uchar_array(key, key_size(m), k) *
 *@        store_uchar_array(value, value_size(m), v)
 */
static long (*bpf_map_update_elem)(void *map, const void *key,
                                   const void *value, __u64 flags) = (void *)2;

/* Types: all. type(m) in the data maps.
 *@ With m k
 *@ Require map == &m * store_uchar_array(key, key_size(m), k)
 *@ Ensure store_uchar_array(key, key_size(m), k)
 */
static long (*bpf_map_delete_elem)(void *map, const void *key) = (void *)3;

/* Types: all.
 *@ Require emp Ensure emp
 */
static __u64 (*bpf_ktime_get_ns)(void) = (void *)5;

/* Types: all. fmt readable; 0 to 3 integer values (the compiler passes 0
 * for the ones left out); the kernel checks the format at run time.
 *@ With f
 *@ Require 1 <= fmt_size && store_uchar_array(fmt, fmt_size, f)
 *@ Ensure store_uchar_array(fmt, fmt_size, f)
 */
static long (*bpf_trace_printk)(const char *fmt, __u32 fmt_size,
                                ...) = (void *)6;

/* Types: all.
 *@ Require emp Ensure 0 <= __return && __return <= 4294967295
 */
static __u32 (*bpf_get_prandom_u32)(void) = (void *)7;

/* Types: all.
 *@ Require emp Ensure 0 <= __return && __return <= 4294967295
 */
static __u32 (*bpf_get_smp_processor_id)(void) = (void *)8;

/* Types: all. ctx is the entry point's context; type(m) a program array.
 * Returns only when the tail call fails, with the result undefined: call
 * it as a statement.
 *@ With m
 *@ Require prog_array_map == &m
 *@ Ensure emp
 */
static long (*bpf_tail_call)(void *ctx, void *prog_array_map,
                             __u32 index) = (void *)12;

/* Types: kprobe, tracepoint, raw tracepoint.
 *@ Require emp Ensure emp
 */
static __u64 (*bpf_get_current_pid_tgid)(void) = (void *)14;

/* Types: kprobe, tracepoint, raw tracepoint.
 *@ Require emp Ensure emp
 */
static __u64 (*bpf_get_current_uid_gid)(void) = (void *)15;

/* Types: kprobe, tracepoint, raw tracepoint. buf == &v; writes all `size`
 * bytes (the name, zero-padded, or zeros).
 *@ Require 1 <= size && size <= sizeof(v) && (size < sizeof(v) => assigned(v))
 *@ Ensure assigned(v)
 */
static long (*bpf_get_current_comm)(void *buf, __u32 size_of_buf) = (void *)16;

/* Types: XDP, tc.
 *@ Require emp Ensure emp
 */
static long (*bpf_redirect)(__u32 ifindex, __u64 flags) = (void *)23;

/* Types: all. ctx is the entry point's context; type(m) a perf event
 * array; data readable.
 *@ With m d
 *@ Require map == &m && 1 <= size &&
 *@         store_uchar_array(data, size, d)
 *@ Ensure store_uchar_array(data, size, d)
 */
static long (*bpf_perf_event_output)(void *ctx, void *map, __u64 flags,
                                     void *data, __u64 size) = (void *)25;

/* Types: tc, socket filter. skb == ctx; to == &v; writes all `len` bytes
 * (the packet's, or zeros on an error).
 *@ Require 1 <= len && len <= sizeof(v) && (len < sizeof(v) => assigned(v))
 *@ Ensure assigned(v)
 */
static long (*bpf_skb_load_bytes)(const void *skb, __u32 offset, void *to,
                                  __u32 len) = (void *)26;

/* Types: XDP, tc. Both buffers readable; the sizes multiples of 4 (else
 * the kernel returns -EINVAL; VEP-C checks it, the checker need not).
 *@ With a b
 *@ Require 1 <= from_size && 1 <= to_size && from_size % 4 == 0 &&
 *@         to_size % 4 == 0 &&
 *@         store_uchar_array(from, from_size, a) *
 *@         store_uchar_array(to, to_size, b)
 *@ Ensure store_uchar_array(from, from_size, a) *
 *@        store_uchar_array(to, to_size, b)
 */
static __s64 (*bpf_csum_diff)(__be32 *from, __u32 from_size, __be32 *to,
                              __u32 to_size, __wsum seed) = (void *)28;

/* Types: XDP. type(m) a devmap, devmap hash, cpumap or xskmap.
 *@ With m
 *@ Require map == &m Ensure emp
 */
static long (*bpf_redirect_map)(void *map, __u64 key,
                                __u64 flags) = (void *)51;

/* Types: kprobe, tracepoint, raw tracepoint. dst == &v; src an integer;
 * writes all `size` bytes (zeros when the read faults).
 *@ Require 1 <= size && size <= sizeof(v) && (size < sizeof(v) => assigned(v))
 *@ Ensure assigned(v)
 */
static long (*bpf_probe_read_user)(void *dst, __u32 size,
                                   const void *unsafe_ptr) = (void *)112;

/* As bpf_probe_read_user. */
static long (*bpf_probe_read_kernel)(void *dst, __u32 size,
                                     const void *unsafe_ptr) = (void *)113;

/* Types: kprobe, tracepoint, raw tracepoint. dst == &v; src an integer.
 * Writes the string and its NUL only, so v must hold a value before.
 *@ Require 1 <= size && size <= sizeof(v) && assigned(v)
 *@ Ensure assigned(v)
 */
static long (*bpf_probe_read_user_str)(void *dst, __u32 size,
                                       const void *unsafe_ptr) = (void *)114;

/* As bpf_probe_read_user_str. */
static long (*bpf_probe_read_kernel_str)(void *dst, __u32 size,
                                         const void *unsafe_ptr) = (void *)115;

/* Types: XDP, tc. ctx the context; params == &v. Reads all `plen` bytes
 * (the kernel's route parameters, the first 64) and writes the route over
 * part of them, so v must hold a value before.
 *@ Require 1 <= plen && plen <= sizeof(v) && assigned(v)
 *@ Ensure assigned(v)
 */
static long (*bpf_fib_lookup)(void *ctx, struct bpf_fib_lookup *params,
                              int plen, __u32 flags) = (void *)69;

/* Types: all. type(m) a ring buffer; data readable.
 *@ With m d
 *@ Require ringbuf == &m && 1 <= size && store_uchar_array(data, size, d)
 *@ Ensure store_uchar_array(data, size, d)
 */
static long (*bpf_ringbuf_output)(void *ringbuf, void *data, __u64 size,
                                  __u64 flags) = (void *)130;

/* Types: all. type(m) a ring buffer; size an integer constant from 1 to
 * 2^20 (the kernel needs a known size). Returns null or `size` writable
 * bytes of the ring buffer (contents unknown; no pointer may be stored
 * there: user space reads them), a reservation the program must end with
 * bpf_ringbuf_submit or bpf_ringbuf_discard on every path before it
 * returns, and before a loop, a call of a function or a tail call (a
 * reservation live there is not supported). reserved(p, n) below is that
 * token: it is not in the annotation language (VEP-C tracks it itself).
 *@ With m
 *@ Require ringbuf == &m && 1 <= size && size <= 1048576
 *@ Ensure __return == 0 ||
 *@        (undef_data_at(__return, size) * reserved(__return, size))
 */
static void *(*bpf_ringbuf_reserve)(void *ringbuf, __u64 size,
                                    __u64 flags) = (void *)131;

/* Types: all. data is exactly a pointer bpf_ringbuf_reserve returned, not
 * null, not moved; afterwards every copy of it is invalid.
 *@ With n
 *@ Require undef_data_at(data, n) * reserved(data, n)
 *@ Ensure emp
 */
static void (*bpf_ringbuf_submit)(void *data, __u64 flags) = (void *)132;

/* Types: all. As bpf_ringbuf_submit; user space never sees the record.
 *@ With n
 *@ Require undef_data_at(data, n) * reserved(data, n)
 *@ Ensure emp
 */
static void (*bpf_ringbuf_discard)(void *data, __u64 flags) = (void *)133;

/* Types: all. fmt readable; data readable: its 8-byte words are the
 * values the format prints (bpf_printk with more than three values). The
 * kernel checks the format, and that data_len is a multiple of 8 of at
 * most 12 values, at run time.
 *@ With f d
 *@ Require 1 <= fmt_size && store_uchar_array(fmt, fmt_size, f) *
 *@         1 <= data_len && store_uchar_array(data, data_len, d)
 *@ Ensure store_uchar_array(fmt, fmt_size, f) *
 *@        store_uchar_array(data, data_len, d)
 */
static long (*bpf_trace_vprintk)(const char *fmt, __u32 fmt_size,
                                 const void *data, __u32 data_len) =
    (void *)177;

#endif /* VEP_HELPER_DECLARATIONS */
#endif /* VEP_HELPERS_H */
