// interp.h - A concrete eBPF interpreter for tests (RFC 9669 semantics),
// written independently of the checker, to run accepted programs on
// concrete packets and confirm what the checker proved.
#ifndef VEP_EBPF_TEST_INTERP_H
#define VEP_EBPF_TEST_INTERP_H

#include "test_support.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace vt {

struct RunResult {
  bool ok = false;   // ran to exit without a safety violation
  std::string error; // the violation, when !ok
  uint64_t r0 = 0;
};

// Runs an XDP program on `packet`, with the u32 context fields set to
// `ifindex`. Violations: packet/stack/context access out of bounds, reading
// an uninitialised register or stack byte, unknown instruction, more than
// `max_steps` steps.
RunResult run_xdp(const Prog &p, const std::vector<uint8_t> &packet,
                  uint32_t ifindex, uint64_t max_steps = 100000);

// Maps, for programs that use them: map k's sizes, the lddw instructions
// relocated to map k, and the helper results. Each map has one value (all
// keys share it, zero-initialised); map_lookup_elem returns NULL when
// `lookup_null` says so for that call (bit i: the i-th lookup), else that
// value. Violations also: a helper id other than 1, 2, 3, 5, 6, 7, 8, 12,
// 23, 25, 28, 51, 130-133 and 177 (and 26 for the __sk_buff types, the tracing
// helpers and the packet-changing ones, run_program); a bad map argument or
// one of a type the helper does not take (1-3: hash, array and their
// per-CPU and LRU variants; 12: a program array; 25: a perf event array;
// 51: a devmap, cpumap, xskmap or devmap hash; 130: a ring buffer); a
// buffer the helper reads (a key, a value, 6's format, 25's and 130's data,
// 28's and 177's two buffers) not readable and initialised; an uninitialised argument
// (6 reads R1..R5); access outside a map value; an atomic operation not
// naturally aligned, or on the context or the packet (every RFC 9669
// atomic is modelled, with its fetch); a store into a read-only map's value. 12 returns (its slot is
// empty) with R0 unset; 23 returns XDP_REDIRECT or TC_ACT_REDIRECT and is
// an XDP and tc helper, as 28 (which returns -EINVAL for sizes not
// multiples of 4); 51, XDP only, finds no target and returns the flags'
// low bits; 25 returns -ENOENT, 6, 130 and 177 succeed. A global variable's
// lddw loads a pointer into its map's value at its offset; an lddw with a
// pseudo source loads map imm (1, 5) or its value plus next.imm (2, 6).
// ringbuf_reserve (131: a ring buffer, a size from 1 to 2^28, flags)
// returns NULL when `lookup_null` says so (lookups and reservations count
// alike), else new memory of that size; ringbuf_submit and
// ringbuf_discard (132, 133: the memory at offset 0, flags) release it
// and leave R0 unset. Violations also: an access to released memory or
// outside the reservation, releasing anything else, a reservation live at
// the program's exit or at a tail call.
struct MapModel {
  uint32_t key_size = 4, value_size = 8;
  uint32_t type = 2;      // BPF_MAP_TYPE_* (linux/bpf.h)
  bool read_only = false; // BPF_F_RDONLY_PROG
  // A map of maps (type 12, 13): map_lookup_elem gives map `inner` itself
  // (the one map stored at every key), or NULL as for every lookup.
  uint32_t inner = 0;
};
struct GlobalReloc {
  size_t insn;
  uint32_t map;
  uint64_t offset;
};
struct MapEnv {
  std::vector<MapModel> maps;
  std::vector<std::pair<size_t, uint32_t>> relocs; // (insn, map)
  std::vector<GlobalReloc> globals;
  uint64_t lookup_null = 0;
};
RunResult run_xdp_maps(const Prog &p, const std::vector<uint8_t> &packet,
                       uint32_t ifindex, const MapEnv &env,
                       uint64_t max_steps = 100000);

// Program types other than XDP: their context is struct __sk_buff
// (linux/bpf.h; the u32 fields len .. data_end, offsets 0..83), with `len`
// the packet's size, data and data_end its bounds, every other field
// `ifindex` until the program writes it. Loads and stores are 4 bytes,
// aligned, of the fields the kernel lets the type read or write
// (net/core/filter.c: tc_cls_act_is_valid_access, sk_filter_is_valid_access;
// socket filters read neither data, data_end nor tc_classid). Helper 26,
// skb_load_bytes(ctx, offset, to, len), is allowed: r1 the context, r4 a
// length >= 1 (u32), [to, to + len) writable; it copies
// packet[offset, offset + len) and returns 0 if that lies inside the
// packet, else zero-fills and returns -EFAULT, as the kernel does.
//
// Tracing types (kprobe, tracepoint, raw tracepoint) have no packet: their
// context is a read-only record whose bytes are `packet` repeated (zeros
// when it is empty), readable by aligned 1/2/4/8-byte loads in [0, 168),
// [8, 2048) and [0, 96) respectively (kernel/trace/bpf_trace.c). Their
// helpers (14, 15, 16, 112-115; not 26) are allowed only for them:
// get_current_comm(buf, len) writes len >= 1 bytes of a name and returns 0;
// probe_read_user and probe_read_kernel(dst, len, src) read r3 and write
// len zero bytes and return -EFAULT (a failed read; the contents are never
// trusted); the _str variants (114, 115) write the string "x" and its NUL,
// cut to len >= 1, and leave the buffer's other bytes as they were.
//
// perf_event programs are tracing programs whose read-only record is
// struct bpf_perf_event_data (184 bytes): x86-64's pt_regs by aligned
// 8-byte loads, sample_period and addr by any aligned load. sock_ops
// programs have a record too, struct bpf_sock_ops (224 bytes), with
// Linux 6.18's rules (probed, docs/proof-format.md 7.4): aligned 4-byte
// loads below 168 and at 208 and 212, 8-byte loads at 168, 176 and 216
// (the socket and packet pointers at 184..200 are not modelled: a load
// fails), 1- and 2-byte loads at 212; 4-byte stores to reply (4) and
// sk_txhash (164), which later loads read back; no tracing helpers.
//
// The packet-changing helpers xdp_adjust_head (44) and xdp_adjust_tail (65)
// (XDP), skb_change_tail (38), skb_pull_data (39) and skb_change_head (43)
// (tc) take the context in r1 and initialised r2 (and r3 for 38 and 43);
// they remove or add (zero) bytes at the head or tail as the kernel does,
// keeping the packet between 14 and 4096 bytes (else -EINVAL, unchanged),
// and always move the packet to a new address, so that any later access
// through a pointer into the old packet is a violation. tc's rewriting
// helpers skb_store_bytes (9: r3 a readable buffer of r4 bytes, copied
// into the packet at r2 when they fit, else -EFAULT), l3_csum_replace and
// l4_csum_replace (10, 11: initialised r2..r5; the checksum is not
// recomputed) keep the length and move the packet too.
//
// fib_lookup (69, XDP and tc) takes the context in r1 and reads all r3
// bytes at r2 (initialised, as the kernel's parameters must be); below 64
// it returns -EINVAL, else it finds a route: the device index (bytes 8..11)
// becomes 1 and the MAC addresses (52..63) 0x02, the other bytes keep
// their values, and it returns 0 (BPF_FIB_LKUP_RET_SUCCESS).
//
// bpf-to-bpf calls (`call` with src 1) jump to pc + imm + 1 of the same
// Prog (the caller lays the functions after the program). At most 8 frames;
// each has a 512-byte stack below its caller's, R10 its top. The callee
// starts with R1..R5 as passed and R0, R6..R9 uninitialised; its exit
// returns R0 to the instruction after the call, with the caller's R6..R10
// back, R1..R5 uninitialised and the callee's stack bytes uninitialised.
// The callers' stacks stay addressable (a pointer argument may point
// there), so an access above a callee's R10 is not reported.
enum class ProgType { Xdp, Tc, Socket, Kprobe, Tracepoint, RawTp, PerfEvent,
                      SockOps };
inline bool is_tracing(ProgType t) {
  return t == ProgType::Kprobe || t == ProgType::Tracepoint ||
         t == ProgType::RawTp || t == ProgType::PerfEvent;
}
// The types whose context is a record of bytes (no packet).
inline bool has_record(ProgType t) {
  return is_tracing(t) || t == ProgType::SockOps;
}
// The machine before an instruction runs, for run_program's observer.
struct StepView {
  size_t pc;
  const uint64_t *reg; // R0..R10
  const bool *init;    // which of them are initialised
  uint64_t data, ctx;  // the packet's and the context's addresses
  // The running function's stack, bytes [R10 - 512, R10).
  const uint8_t *stack;
  const bool *stack_init;
};
using StepObserver = std::function<void(const StepView &)>;
RunResult run_program(const Prog &p, ProgType type,
                      const std::vector<uint8_t> &packet, uint32_t ifindex,
                      const MapEnv &env, uint64_t max_steps = 100000,
                      const StepObserver &observe = {});

} // namespace vt

#endif
