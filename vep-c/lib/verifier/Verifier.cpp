//===- Verifier.cpp - Symbolic execution of the CIR with Z3 ---------------===//
//
// Values are Z3 bit-vectors of their C width. A value may also point into a
// region: the context (CTX) or the packet (PACKET; data_end is the packet
// pointer at offset n). Such values carry a 64-bit byte offset; they keep
// their region through integer casts of >= 32 bits, since programs read
// `ctx->data` as a __u32 and cast it to a pointer. Which context fields
// the program type may read or write are the tables XdpFields, SkbFields
// (socket filters have no packet), SockOpsFields and PerfEventFields
// (contextFields); tracing programs read a record (ContextRecord). The packet's
// length n is a 64-bit variable with n <= 65535 for XDP (a frame fits in a
// page) and n <= 2^32 - 1 for tc (an skb's linear part; the checker's bounds,
// vep-ebpf/src/elf.c). Its contents are not modelled: every load from the
// packet is a fresh value, as in the bytecode checker, which gives every
// packet load a fresh variable (so two reads of one byte are unrelated in
// both stages, and whatever VEP-C proves the checker can).
//
// Helper calls follow the contract table Helpers (with the program types
// that may call each; a buffer bpf_skb_load_bytes writes is assigned an
// arbitrary value by the `v = CallOutput` after the call). Each map lookup
// executed creates an object of the map's value size (MAP_VALUE) whose
// pointer is null or not according to a Boolean that comparisons with NULL
// constrain; its contents are arbitrary at every load (other CPUs and user
// space write map values concurrently).
//
// A non-entry function (bpf-to-bpf) is verified once, from its contract:
// its parameters are fresh values satisfying Require (packet pointers at an
// offset in [0, n] of a packet of any length the program types allow, a
// buffer as a region of its own, BUFFER k, of the given size, bounded like
// a map value) and every return proves Ensure over the parameters' entry
// values. A call (funcCall) proves the callee's Require of the arguments
// and assumes its Ensure of a fresh result. A buffer's contents are a Z3
// array (Contents.h; section "Contents" below): loads of whole elements
// read it, stores write it, loops that write memory forget it, and the
// contract's sequences name it; integer With variables are instantiated
// at each call (callLogical).
//
// Execution forks at `if`, `&&`, `||` and `?:`, pruning infeasible branches.
// Every obligation is one query: path condition and negated goal; unsat is
// proved. After an obligation the goal is assumed, so one fault is reported
// once rather than cascading. A variable not assigned on a path has no
// value there, and reading it is a failed obligation (C leaves the read
// undefined); the note names the branches the path took.
//
// A loop's head is a cut point (execLoop): its invariant and variant are
// proved on entry; one iteration runs from a state that keeps the
// statically known values of variables the loop does not assign, keeps
// variables unassigned on entry unassigned, havocs the others and knows
// only the invariant (as the compiler's cut-point assertion does); the states
// returning to the head must re-establish the invariant with a smaller
// non-negative variant. A nested loop is such a loop inside the outer
// iteration; the enclosing loops' variants are checked segment by segment
// between heads, as the checker's ghost ranks do (State::Ghosts,
// enclosingVariantsKept). Annotation integers are exact wide bit-vectors.
//
//===----------------------------------------------------------------------===//

#include "vep/verifier/Verifier.h"

#include "AnnotationSupport.h"
#include "Contents.h"
#include "IntegerShadow.h"
#include "Predicates.h"
#include "Z3Dag.h"
#include "vep/logic/HelperNames.h"
#include "vep/logic/Predicates.h"
#include "vep/logic/Sequences.h"
#include "vep/logic/TypeNames.h"

#include <z3++.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <sstream>

namespace vep::verifier {
namespace {

using CK = cir::Expr::Kind;
using Op = cir::Expr::OpKind;
using SK = cir::Stmt::Kind;

/// Where a value points. MapValue: the value a lookup returned (Obj is
/// the lookup's object, see Engine::Objects), null or not; Map: `&m` of the
/// map Module::Maps[Obj]; Local: `&v` of variable Obj (a helper argument);
/// Buffer: the buffer parameter Obj of a non-entry function; Global: into
/// the global variable Module::Globals[Obj] (never null).
enum class Region { Scalar, Ctx, Packet, MapValue, Map, Local, Buffer, Global };

struct Val {
  Region R;
  z3::expr E; // scalar: bit-vector of the type's width; else 64-bit offset
  unsigned Obj = 0;
};

/// A decision on a path, for describing the path in a diagnostic: the
/// outcome of an `if` whose both sides were feasible, or the arrival at a
/// loop head (where the path restarts from the invariant).
struct PathStep {
  enum class Kind { IfTrue, IfFalse, LoopHead };
  Kind K;
  unsigned Line;
};

/// An enclosing loop's variant at the start of a path's segment (State::
/// Ghosts): its value at the head of the loop at `Line`, plus one if the
/// path had made it smaller than the segment before allowed (strict
/// progress made before a nested loop counts at the back edge).
struct GhostRank {
  z3::expr Value;
  bool Decreased;
  unsigned Line;
};

struct State {
  std::vector<std::optional<Val>> Vars; // nullopt: not assigned on the path
  z3::expr PC;
  std::vector<PathStep> Path;
  /// The packet the path's packet pointers may point into: an index of
  /// Engine::Packets; a packet-changing helper makes a new one.
  /// A model of some earlier PC of this path, kept to decide feasibility
  /// without the solver when it still satisfies the current PC (at a
  /// branch it satisfies one of the two sides, so only the other needs a
  /// query: half the feasibility queries).
  std::optional<z3::model> Witness = std::nullopt;
  unsigned Packet = 0;
  /// A called function's buffers' contents (Contents.h), by parameter.
  std::map<unsigned, z3::expr> Contents = {};
  /// What the last function call left in the local variables of a buffer
  /// it writes, by variable: the value of their `v = CallOutput` right
  /// after it (absent: any value).
  std::map<unsigned, z3::expr> Outputs = {};
  /// The local variables the last function call leaves unset: the bytes
  /// of an undef_data_at buffer its Ensure does not describe (their `v =
  /// CallOutput` unsets them).
  std::set<unsigned> UnsetOutputs = {};
  /// A called function's undef_data_at buffers it has not written yet, by
  /// parameter: a read there reads uninitialised memory. (Written at a
  /// loop head only if written before the loop: a loop that writes one
  /// may not have run.)
  std::set<unsigned> Unwritten = {};
  /// `/*@ where x = e */`: values for the With variables of the next call.
  std::map<std::string, z3::expr> Where = {};
  /// The ringbuf reservations (Engine::Objects) made on the path and not
  /// yet submitted or discarded; one whose pointer is null needs neither.
  std::vector<unsigned> Live = {};
  /// For each loop being executed (Engine::Loops, outermost first), its
  /// variant's value at the start of the path's segment: at its own head,
  /// or at the head of the loop nested in it that the path passed last
  /// (nullopt: the loop has no variant). The checker's ghost ranks
  /// (docs/vep-c.md, "Nested loops").
  std::vector<std::optional<GhostRank>> Ghosts = {};
};

using Outcomes = std::vector<std::pair<State, Val>>;

/// Program types as bits of a mask (which types may read a field, write
/// it, call a helper).
enum : unsigned {
  XdpBit = 1u << unsigned(cir::ProgramType::XDP),
  TcBit = 1u << unsigned(cir::ProgramType::SchedCls),
  SocketBit = 1u << unsigned(cir::ProgramType::SocketFilter),
  SkbBits = TcBit | SocketBit,
  PerfEventBit = 1u << unsigned(cir::ProgramType::PerfEvent),
  TracingBits = 1u << unsigned(cir::ProgramType::Kprobe) |
                1u << unsigned(cir::ProgramType::Tracepoint) |
                1u << unsigned(cir::ProgramType::RawTracepoint) | PerfEventBit,
  SockOpsBit = 1u << unsigned(cir::ProgramType::SockOps),
  AllTypes = XdpBit | SkbBits | TracingBits | SockOpsBit,
};

/// A tracing program's context is a read-only record of bytes [Lo, End):
/// any aligned 1-, 2-, 4- or 8-byte load inside it reads an arbitrary
/// value, as the kernel's kprobe/tp/raw_tp_prog_is_valid_access allow
/// (x86-64's struct pt_regs is 168 bytes; a tracepoint record's first 8
/// bytes are its common header; raw tracepoints have u64 args[12]). The
/// checker's table in vep-ebpf/src/elf.c is the same.
struct ContextRecord {
  int64_t Lo, End;
};
std::optional<ContextRecord> contextRecord(cir::ProgramType T) {
  switch (T) {
  case cir::ProgramType::Kprobe:
    return ContextRecord{0, 168};
  case cir::ProgramType::Tracepoint:
    return ContextRecord{8, 2048};
  case cir::ProgramType::RawTracepoint:
    return ContextRecord{0, 96};
  default:
    return std::nullopt;
  }
}

/// A field of a context struct (linux/bpf.h) of Size bytes (4 or 8), read
/// and written with accesses of its size only; Count > 1: an array of
/// Count such fields (Name the array's). A read gives the packet pointers
/// (PacketStart, PacketEnd; offsets as cir::packetFields) or an arbitrary
/// value of the field's width (Scalar, fresh at every read: writable fields
/// change, and the checker knows no more). Unsupported: a field VEP does
/// not model yet (data_meta, the socket and packet pointers of sock_ops).
struct ContextField {
  unsigned Off;
  const char *Name;
  enum Kind { PacketStart, PacketEnd, Scalar, Unsupported } K;
  unsigned Readable, Writable; // program type bits
  unsigned Size = 4, Count = 1;
};

const ContextField XdpFields[] = {
    {0, "data", ContextField::PacketStart, XdpBit, 0},
    {4, "data_end", ContextField::PacketEnd, XdpBit, 0},
    {8, "data_meta", ContextField::Unsupported, XdpBit, 0},
    {12, "ingress_ifindex", ContextField::Scalar, XdpBit, 0},
    {16, "rx_queue_index", ContextField::Scalar, XdpBit, 0},
    {20, "egress_ifindex", ContextField::Scalar, XdpBit, 0},
};

/// struct __sk_buff: what tc programs and socket filters may read and
/// write, as the kernel's tc_cls_act_is_valid_access and
/// sk_filter_is_valid_access allow (a subset of it).
const ContextField SkbFields[] = {
    {0, "len", ContextField::Scalar, SkbBits, 0},
    {4, "pkt_type", ContextField::Scalar, SkbBits, 0},
    {8, "mark", ContextField::Scalar, SkbBits, TcBit},
    {12, "queue_mapping", ContextField::Scalar, SkbBits, 0},
    {16, "protocol", ContextField::Scalar, SkbBits, 0},
    {20, "vlan_present", ContextField::Scalar, SkbBits, 0},
    {24, "vlan_tci", ContextField::Scalar, SkbBits, 0},
    {28, "vlan_proto", ContextField::Scalar, SkbBits, 0},
    {32, "priority", ContextField::Scalar, SkbBits, TcBit},
    {36, "ingress_ifindex", ContextField::Scalar, SkbBits, 0},
    {40, "ifindex", ContextField::Scalar, SkbBits, 0},
    {44, "tc_index", ContextField::Scalar, SkbBits, TcBit},
    {48, "cb[0]", ContextField::Scalar, SkbBits, SkbBits},
    {52, "cb[1]", ContextField::Scalar, SkbBits, SkbBits},
    {56, "cb[2]", ContextField::Scalar, SkbBits, SkbBits},
    {60, "cb[3]", ContextField::Scalar, SkbBits, SkbBits},
    {64, "cb[4]", ContextField::Scalar, SkbBits, SkbBits},
    {68, "hash", ContextField::Scalar, SkbBits, 0},
    {72, "tc_classid", ContextField::Scalar, TcBit, TcBit},
    {76, "data", ContextField::PacketStart, TcBit, 0},
    {80, "data_end", ContextField::PacketEnd, TcBit, 0},
};

/// struct bpf_sock_ops: what sock_ops programs may read and write, as Linux
/// 6.18's sock_ops_is_valid_access allows (established by loading probes;
/// the checker's table in vep-ebpf/src/elf.c is the same): 4-byte loads of
/// the u32 fields, 8-byte loads of the u64 ones, 4-byte stores of reply
/// and sk_txhash only. The narrow loads of skb_tcp_flags are not modelled.
const ContextField SockOpsFields[] = {
    {0, "op", ContextField::Scalar, SockOpsBit, 0},
    {4, "reply", ContextField::Scalar, SockOpsBit, SockOpsBit},
    {8, "replylong", ContextField::Scalar, SockOpsBit, 0, 4, 3},
    {20, "family", ContextField::Scalar, SockOpsBit, 0},
    {24, "remote_ip4", ContextField::Scalar, SockOpsBit, 0},
    {28, "local_ip4", ContextField::Scalar, SockOpsBit, 0},
    {32, "remote_ip6", ContextField::Scalar, SockOpsBit, 0, 4, 4},
    {48, "local_ip6", ContextField::Scalar, SockOpsBit, 0, 4, 4},
    {64, "remote_port", ContextField::Scalar, SockOpsBit, 0},
    {68, "local_port", ContextField::Scalar, SockOpsBit, 0},
    {72, "is_fullsock", ContextField::Scalar, SockOpsBit, 0},
    {76, "snd_cwnd", ContextField::Scalar, SockOpsBit, 0},
    {80, "srtt_us", ContextField::Scalar, SockOpsBit, 0},
    {84, "bpf_sock_ops_cb_flags", ContextField::Scalar, SockOpsBit, 0},
    {88, "state", ContextField::Scalar, SockOpsBit, 0},
    {92, "rtt_min", ContextField::Scalar, SockOpsBit, 0},
    {96, "snd_ssthresh", ContextField::Scalar, SockOpsBit, 0},
    {100, "rcv_nxt", ContextField::Scalar, SockOpsBit, 0},
    {104, "snd_nxt", ContextField::Scalar, SockOpsBit, 0},
    {108, "snd_una", ContextField::Scalar, SockOpsBit, 0},
    {112, "mss_cache", ContextField::Scalar, SockOpsBit, 0},
    {116, "ecn_flags", ContextField::Scalar, SockOpsBit, 0},
    {120, "rate_delivered", ContextField::Scalar, SockOpsBit, 0},
    {124, "rate_interval_us", ContextField::Scalar, SockOpsBit, 0},
    {128, "packets_out", ContextField::Scalar, SockOpsBit, 0},
    {132, "retrans_out", ContextField::Scalar, SockOpsBit, 0},
    {136, "total_retrans", ContextField::Scalar, SockOpsBit, 0},
    {140, "segs_in", ContextField::Scalar, SockOpsBit, 0},
    {144, "data_segs_in", ContextField::Scalar, SockOpsBit, 0},
    {148, "segs_out", ContextField::Scalar, SockOpsBit, 0},
    {152, "data_segs_out", ContextField::Scalar, SockOpsBit, 0},
    {156, "lost_out", ContextField::Scalar, SockOpsBit, 0},
    {160, "sacked_out", ContextField::Scalar, SockOpsBit, 0},
    {164, "sk_txhash", ContextField::Scalar, SockOpsBit, SockOpsBit},
    {168, "bytes_received", ContextField::Scalar, SockOpsBit, 0, 8},
    {176, "bytes_acked", ContextField::Scalar, SockOpsBit, 0, 8},
    {184, "sk", ContextField::Unsupported, SockOpsBit, 0, 8},
    {192, "skb_data", ContextField::Unsupported, SockOpsBit, 0, 8},
    {200, "skb_data_end", ContextField::Unsupported, SockOpsBit, 0, 8},
    {208, "skb_len", ContextField::Scalar, SockOpsBit, 0},
    {212, "skb_tcp_flags", ContextField::Scalar, SockOpsBit, 0},
    {216, "skb_hwtstamp", ContextField::Scalar, SockOpsBit, 0, 8},
};

/// struct bpf_perf_event_data, read-only (pe_prog_is_valid_access):
/// x86-64's struct pt_regs (21 u64s), sample_period and addr, all by 8-byte
/// loads (the kernel's narrow loads of the last two are not modelled).
const ContextField PerfEventFields[] = {
    {0, "regs", ContextField::Scalar, PerfEventBit, 0, 8, 21},
    {168, "sample_period", ContextField::Scalar, PerfEventBit, 0, 8},
    {176, "addr", ContextField::Scalar, PerfEventBit, 0, 8},
};

/// The context field table of a program type without a record context.
std::span<const ContextField> contextFields(cir::ProgramType T) {
  switch (T) {
  case cir::ProgramType::XDP:
    return XdpFields;
  case cir::ProgramType::SockOps:
    return SockOpsFields;
  case cir::ProgramType::PerfEvent:
    return PerfEventFields;
  default:
    return SkbFields;
  }
}

/// What a helper argument must be (docs/vep-c.md, "Helper contracts").
enum class ArgKind {
  Map,    // &m of a map of a type the helper takes (HelperContract::Maps)
  Key,    // &v of a local with at least key_size bytes, holding no pointer
  Value,  // &v of a local with at least value_size bytes, holding no pointer
  Scalar, // an integer (no pointer)
  Ctx,    // the context pointer
  Out,    // &v of a local the helper writes; the next argument is Length
  Update, // as Out, but the helper may read it and write only part of it
          // (a string and its NUL, a route's results): v must hold a value
          // before the call (cir::helperUpdatesBuffer)
  Length, // the constant number of bytes written to the Out argument
  Mem,    // a buffer the helper reads: &v of a local holding a value and
          // no pointer, or a map value pointer; the next argument is
          // MemLength
  MemLength, // the constant number of bytes read from the Mem argument, >= 1
  AllocLength, // the constant number of bytes reserved, 1 to 2^20
  Reserved,    // the pointer bpf_ringbuf_reserve returned: not null, not
               // moved, not yet submitted or discarded
};

/// Map types (linux/bpf.h BPF_MAP_TYPE_*) as bits of HelperContract::Maps.
constexpr uint32_t mapBit(unsigned T) { return uint32_t(1) << T; }
/// The map flag that makes a map's values read-only for the program.
constexpr uint32_t BpfFRdonlyProg = 1u << 7;
constexpr uint32_t DataMaps = mapBit(1) | mapBit(2) | mapBit(5) | mapBit(6) |
                              mapBit(9) | mapBit(10); // hash, array, ...
constexpr uint32_t MapsOfMaps = mapBit(12) | mapBit(13); // lookup only
constexpr uint32_t RedirectMaps =
    mapBit(14) | mapBit(16) | mapBit(17) | mapBit(25); // dev, cpu, xsk maps

/// The name of a map type VEP-C reads (Frontend.cpp, isSupportedMapType),
/// for diagnostics.
std::string mapTypeName(uint32_t T) {
  static const std::map<uint32_t, const char *> Names = {
      {1, "hash"},           {2, "array"},
      {3, "prog array"},     {4, "perf event array"},
      {5, "per-CPU hash"},   {6, "per-CPU array"},
      {9, "LRU hash"},       {10, "LRU per-CPU hash"},
      {14, "devmap"},        {16, "cpumap"},
      {17, "xskmap"},        {25, "devmap hash"},
      {12, "array of maps"}, {13, "hash of maps"},
      {27, "ring buffer"}};
  auto It = Names.find(T);
  return It == Names.end() ? "type " + std::to_string(T) : It->second;
}

/// What a helper's call gives (the checker's RES_* kinds).
enum class HelperResult {
  Scalar,    // an integer
  MapValue,  // null or the looked-up value
  Undefined, // nothing: bpf_tail_call returns only when the tail call
             // fails, and the kernel leaves R0 undefined then
  NewPacket, // an integer; the call moves the packet's start or end, so
             // every packet pointer is stale (Engine::packetChanged)
  Reservation, // null or AllocLength bytes of ringbuf memory, which the
               // program must submit or discard on every path (State::Live)
  Release,     // nothing (void): the Reserved argument's reservation ends
};

/// The contract of one helper: the program types that may call it, its
/// arguments (the last OptionalArgs of them may be left out: trace_printk's
/// values) and the map types its Map argument takes; the same table as the
/// checker's (vep-ebpf, helper table version 10).
struct HelperContract {
  uint64_t Id; // BPF_FUNC_*
  unsigned Types; // program type bits
  std::vector<ArgKind> Args;
  HelperResult Result;
  uint32_t Maps = 0;
  unsigned OptionalArgs = 0;
  /// The lengths of its Mem buffers are multiples of this (bpf_csum_diff
  /// adds 32-bit words and fails with -EINVAL on other lengths: a
  /// precondition of its contract, not a safety condition, so VEP-C
  /// checks it and the bytecode checker does not).
  unsigned MemLengthMultiple = 1;

  std::string name() const { return logic::helperName(Id); }
};

constexpr unsigned XdpTcBits = XdpBit | TcBit;

const HelperContract Helpers[] = {
    {1,
     AllTypes,
     {ArgKind::Map, ArgKind::Key},
     HelperResult::MapValue,
     DataMaps | MapsOfMaps},
    {2,
     AllTypes,
     {ArgKind::Map, ArgKind::Key, ArgKind::Value, ArgKind::Scalar},
     HelperResult::Scalar,
     DataMaps},
    {3,
     AllTypes,
     {ArgKind::Map, ArgKind::Key},
     HelperResult::Scalar,
     DataMaps},
    {5, AllTypes, {}, HelperResult::Scalar},
    {6,
     AllTypes,
     {ArgKind::Mem, ArgKind::MemLength, ArgKind::Scalar, ArgKind::Scalar,
      ArgKind::Scalar},
     HelperResult::Scalar,
     0,
     3},
    {7, AllTypes, {}, HelperResult::Scalar},
    {8, AllTypes, {}, HelperResult::Scalar},
    {12,
     AllTypes,
     {ArgKind::Ctx, ArgKind::Map, ArgKind::Scalar},
     HelperResult::Undefined,
     mapBit(3)}, // BPF_MAP_TYPE_PROG_ARRAY
    {23, XdpTcBits, {ArgKind::Scalar, ArgKind::Scalar}, HelperResult::Scalar},
    {25,
     AllTypes,
     {ArgKind::Ctx, ArgKind::Map, ArgKind::Scalar, ArgKind::Mem,
      ArgKind::MemLength},
     HelperResult::Scalar,
     mapBit(4)}, // BPF_MAP_TYPE_PERF_EVENT_ARRAY
    {26,
     SkbBits,
     {ArgKind::Ctx, ArgKind::Scalar, ArgKind::Out, ArgKind::Length},
     HelperResult::Scalar},
    {28,
     XdpTcBits,
     {ArgKind::Mem, ArgKind::MemLength, ArgKind::Mem, ArgKind::MemLength,
      ArgKind::Scalar},
     HelperResult::Scalar,
     0,
     0,
     4},
    {51,
     XdpBit,
     {ArgKind::Map, ArgKind::Scalar, ArgKind::Scalar},
     HelperResult::Scalar,
     RedirectMaps},
    {130,
     AllTypes,
     {ArgKind::Map, ArgKind::Mem, ArgKind::MemLength, ArgKind::Scalar},
     HelperResult::Scalar,
     mapBit(27)}, // BPF_MAP_TYPE_RINGBUF
    {131,
     AllTypes,
     {ArgKind::Map, ArgKind::AllocLength, ArgKind::Scalar},
     HelperResult::Reservation,
     mapBit(27)},
    {132,
     AllTypes,
     {ArgKind::Reserved, ArgKind::Scalar},
     HelperResult::Release},
    {133,
     AllTypes,
     {ArgKind::Reserved, ArgKind::Scalar},
     HelperResult::Release},
    {177,
     AllTypes,
     {ArgKind::Mem, ArgKind::MemLength, ArgKind::Mem, ArgKind::MemLength},
     HelperResult::Scalar},
    {14, TracingBits, {}, HelperResult::Scalar},
    {15, TracingBits, {}, HelperResult::Scalar},
    {16,
     TracingBits,
     {ArgKind::Out, ArgKind::Length},
     HelperResult::Scalar},
    {112,
     TracingBits,
     {ArgKind::Out, ArgKind::Length, ArgKind::Scalar},
     HelperResult::Scalar},
    {113,
     TracingBits,
     {ArgKind::Out, ArgKind::Length, ArgKind::Scalar},
     HelperResult::Scalar},
    {114,
     TracingBits,
     {ArgKind::Update, ArgKind::Length, ArgKind::Scalar},
     HelperResult::Scalar},
    {115,
     TracingBits,
     {ArgKind::Update, ArgKind::Length, ArgKind::Scalar},
     HelperResult::Scalar},
    {69,
     XdpTcBits,
     {ArgKind::Ctx, ArgKind::Update, ArgKind::Length, ArgKind::Scalar},
     HelperResult::Scalar},
    {44,
     XdpBit,
     {ArgKind::Ctx, ArgKind::Scalar},
     HelperResult::NewPacket},
    {65,
     XdpBit,
     {ArgKind::Ctx, ArgKind::Scalar},
     HelperResult::NewPacket},
    {38,
     TcBit,
     {ArgKind::Ctx, ArgKind::Scalar, ArgKind::Scalar},
     HelperResult::NewPacket},
    {39,
     TcBit,
     {ArgKind::Ctx, ArgKind::Scalar},
     HelperResult::NewPacket},
    {43,
     TcBit,
     {ArgKind::Ctx, ArgKind::Scalar, ArgKind::Scalar},
     HelperResult::NewPacket},
    {9,
     TcBit,
     {ArgKind::Ctx, ArgKind::Scalar, ArgKind::Mem, ArgKind::MemLength,
      ArgKind::Scalar},
     HelperResult::NewPacket},
    {10,
     TcBit,
     {ArgKind::Ctx, ArgKind::Scalar, ArgKind::Scalar, ArgKind::Scalar,
      ArgKind::Scalar},
     HelperResult::NewPacket},
    {11,
     TcBit,
     {ArgKind::Ctx, ArgKind::Scalar, ArgKind::Scalar, ArgKind::Scalar,
      ArgKind::Scalar},
     HelperResult::NewPacket},
};

const char *const NotAPointer = "dereference of a value that is not a valid "
                                "pointer into the packet, the context, a "
                                "map value or a buffer";
const char *const PointerIntoMap = "pointer stored into a map value";
const char *const PointerIntoGlobal =
    "pointer stored into a global variable (user space reads it)";

/// How far into the packet a `packet(p)` argument may point. Packet
/// pointers compare exactly only while their offsets are within 2^31 (see
/// Engine::compare); a function receiving p at most 2^30 bytes in can step
/// up to 2^30 bytes further and still compare with its packet's end (or,
/// when the packet is longer than 2^31 bytes, read there in bounds). XDP
/// callers meet it always (a frame has at most 65535 bytes).
constexpr uint64_t MaxPacketArgOffset = uint64_t(1) << 30;

class Engine {
public:
  Engine(z3::context &C, const cir::Module &Mod, const cir::Function &F,
         const Options &O, FunctionResult &R)
      : Mod(Mod), F(F), Opts(O), R(R), C(C), N(C.bv_const("n", 64)),
        TypeBit(F.isEntry() ? 1u << unsigned(F.ProgType) : AllTypes),
        TypeName(F.isEntry() ? cir::programTypeName(F.ProgType)
                             : "bpf-to-bpf function"),
        CtxStruct(*cir::contextStructName(F.ProgType)
                      ? cir::contextStructName(F.ProgType)
                      : "the tracepoint's record"),
        Record(F.isEntry() ? contextRecord(F.ProgType) : std::nullopt),
        Always(C.bool_val(true)), UsesContents(hasBufferFunctions(Mod)) {
    Packets.push_back({N, "", 0});
  }

  void run();

private:
  const cir::Module &Mod;
  const cir::Function &F;
  const Options &Opts;
  FunctionResult &R;
  /// Shared by the functions of a module (verifyModule): each has its own
  /// solvers, so equal names of two functions' constants do not meet.
  z3::context &C;
  z3::expr N;
  /// The function's program type, as a bit; a non-entry function may be
  /// called from programs of every type: all bits.
  unsigned TypeBit;
  std::string TypeName;  // "XDP", "tc", "socket filter"
  std::string CtxStruct; // "struct xdp_md", "struct __sk_buff"
  std::optional<ContextRecord> Record; // tracing programs
  /// Facts about values that never change on a path (a non-entry
  /// function's packet parameters lie in the packet, its buffers' sizes):
  /// they hold at loop heads too.
  z3::expr Always;
  /// A non-entry function: its parameters' values at the entry (what their
  /// names mean in Ensure), and the size of each buffer parameter (by
  /// parameter index; a 64-bit value and the annotation integer).
  std::vector<Val> EntryParams;
  std::map<unsigned, std::pair<z3::expr, z3::expr>> BufferSizes;
  /// The content model (docs/vep-c.md, "Contents and sequences"): each
  /// buffer parameter's element type, from its array predicate, and the
  /// contents names of Require bound to the contents at the entry.
  std::map<unsigned, logic::ArrayElement> BufferElem;
  std::map<std::string, Seq> EntrySeqs;
  /// A called function's integer With variables: any integers of
  /// LogicalBits bits (callers give them values of at most that width).
  std::map<std::string, z3::expr> EntryLogical;
  static constexpr unsigned LogicalBits = 128;
  /// Whether some function of the module has a buffer (so sequences may
  /// occur): the solver then needs arrays and quantifiers, not QF_BV.
  bool UsesContents;
  static bool hasBufferFunctions(const cir::Module &Mod) {
    if (!Mod.Predicates.empty()) // their bodies may quantify over contents
      return true;
    for (const cir::Function &G : Mod.Functions)
      for (const cir::ParamSpec &P : G.Params)
        if (P.K == cir::ParamSpec::Kind::Buffer)
          return true;
    return false;
  }
  const ContextField *contextField(int64_t Off) const;
  std::string contextFieldNames(bool Writable) const;
  unsigned FreshCount = 0;
  bool Trace = std::getenv("VEP_C_TRACE") != nullptr;
  std::set<std::tuple<unsigned, unsigned, std::string>> Reported;
  bool PathLimitHit = false;
  /// One per map lookup executed: the map (for a lookup in an inner map,
  /// its map of maps' template), and whether the result is not null (a Boolean
  /// the path condition constrains when the program compares the pointer with
  /// NULL). The contents are not modelled: other CPUs and user space may write
  /// a map value at any time, so every load from one reads an arbitrary value.
  /// A ringbuf reservation is one too, with its size and line: its
  /// memory is written by the program and read by user space.
  struct MapObject {
    const cir::MapDef *Map;
    z3::expr NonNull;
    uint64_t Reserved = 0; // a reservation's size; 0 for a lookup
    unsigned Line = 0;
  };
  bool reserved(const Val &V) const {
    return V.R == Region::MapValue && Objects[V.Obj].Reserved;
  }
  bool live(const State &St, unsigned Obj) const {
    return std::find(St.Live.begin(), St.Live.end(), Obj) != St.Live.end();
  }
  void noLiveReservation(State &St, cir::Loc L, const std::string &Where,
                         const std::vector<unsigned> &Carried = {});
  std::vector<MapObject> Objects;
  /// One per packet a path may see: the entry's (length N), then one per
  /// packet-changing helper call executed, with its length and the call
  /// that made it (for the diagnostic of a stale pointer's use).
  struct PacketObject {
    z3::expr Len;
    std::string Helper;
    unsigned Line;
  };
  std::vector<PacketObject> Packets;
  /// Loop iterations being executed (execLoop): a packet-changing helper
  /// there is not supported.
  unsigned LoopIterations = 0;
  void packetChanged(State &St, const HelperContract &H, cir::Loc L);
  bool stalePacket(const State &St, const Val &V) const {
    return V.R == Region::Packet && V.Obj != St.Packet;
  }
  std::string staleUse(const State &St, const std::string &Name) const;

  // -- helpers ---------------------------------------------------------------
  /// The solvers of this function's queries (each in a push/pop scope):
  /// one for quantifier-free queries, one for queries with quantified
  /// facts over contents (only in modules with buffers). Incremental
  /// solving with what earlier queries of the function taught Z3 takes a
  /// third of the time fresh solvers take, over the examples.
  std::optional<z3::solver> Solver, QuantSolver;
  /// Facts of every query besides the entry's: the bounds of the lengths of
  /// the packets that packet-changing helpers make (packetChanged).
  std::vector<z3::expr> SolverFacts;
  void addSolverFact(const z3::expr &Fact) {
    SolverFacts.push_back(Fact);
    if (Shadow)
      Shadow->addFact(Fact);
    for (std::optional<z3::solver> *S : {&Solver, &QuantSolver})
      if (*S)
        (*S)->add(Fact);
  }
  /// The integer shadow of the solvers (IntegerShadow.h): its `unsat`
  /// settles a query or a feasibility check, its `sat` (only where its
  /// translation is exact) a feasibility check; otherwise the bit-vector
  /// solver decides.
  std::optional<IntegerShadow> Shadow;
  z3::check_result shadowCheck(const z3::expr &Query) {
    if (!Shadow) {
      Shadow.emplace(C, std::min(Opts.TimeoutMillis, 250u));
      Shadow->addFact(entryFact());
      for (const z3::expr &Fact : SolverFacts)
        Shadow->addFact(Fact);
    }
    // A quick first try: a query the shadow cannot settle soon goes to
    // the bit-vector solver. Quicker with quantified facts, which
    // E-matching or MBQI there often settles at once where the integer
    // solver would spend its whole time-out (the bytes of a local buffer
    // as a callee's contents, with its contract's facts).
    if (hasQuantifier(Query))
      return Shadow->check(Query, std::min(Opts.TimeoutMillis, 50u));
    return Shadow->check(Query);
  }
  z3::solver &solver(const z3::expr &Query) {
    bool Quantified = UsesContents && hasQuantifier(Query);
    std::optional<z3::solver> &S = Quantified ? QuantSolver : Solver;
    if (!S)
      S.emplace(newSolver(Quantified));
    return *S;
  }
  /// Whether E has a quantifier or a lambda (the content model's).
  static bool hasQuantifier(const z3::expr &E) {
    return anyDagNode(E, [](const z3::expr &X, std::vector<z3::expr> &) {
      return X.is_quantifier();
    });
  }

  /// A solver with the per-query timeout and the entry facts (n at most the
  /// program type's packet length bound).
  z3::solver newSolver(bool Quantified) {
    // Naming the logic skips Z3's per-query probing for a strategy: half
    // the time of a typical obligation. Bit-vectors, with arrays where
    // buffers' contents are modelled (Contents.h); a query with
    // quantified facts gets Z3's general solver.
    z3::solver S = Quantified || !Mod.Predicates.empty() ? z3::solver(C)
                   : UsesContents ? z3::solver(C, "QF_ABV")
                                  : z3::solver(C, "QF_BV");
    z3::params P(C);
    P.set("timeout", Opts.TimeoutMillis);
    // Quantified facts over contents: E-matching first (fast, incomplete),
    // MBQI only when it gives up (checkWithQuantifiers).
    if (Quantified)
      P.set("mbqi", false);
    S.set(P);
    S.add(entryFact());
    for (const z3::expr &Fact : SolverFacts)
      S.add(Fact);
    return S;
  }

  /// The packet length bound (a non-entry function may be called from any
  /// program type: the largest bound).
  z3::expr entryFact() {
    uint64_t MaxLen = F.isEntry() && F.ProgType == cir::ProgramType::XDP
                          ? 65535
                          : 0xffffffff;
    return z3::ule(N, C.bv_val(MaxLen, 64));
  }

  static unsigned bits(const cir::Type &T) { return T.isPtr() ? 64 : T.Bits; }

  z3::expr fresh(unsigned Bits, const std::string &Hint = "v") {
    return C.bv_const((Hint + "!" + std::to_string(FreshCount++)).c_str(),
                      Bits);
  }
  Val scalar(z3::expr E) { return Val{Region::Scalar, E}; }
  Val freshScalar(const cir::Type &T) { return scalar(fresh(bits(T))); }
  z3::expr bv(uint64_t V, unsigned Bits) { return C.bv_val(V, Bits); }
  z3::expr boolToInt(const z3::expr &B, unsigned Bits) {
    return z3::ite(B, bv(1, Bits), bv(0, Bits));
  }
  z3::expr truth(const Val &V) {
    if (V.R == Region::MapValue)
      return Objects[V.Obj].NonNull;
    if (V.R != Region::Scalar)
      return C.bool_val(true); // other region pointers are never null
    return V.E != bv(0, V.E.get_sort().bv_size());
  }
  /// Pointers into one object compare by their offsets.
  static bool sameObject(const Val &A, const Val &B) {
    return A.R == B.R &&
           (A.R == Region::Ctx || A.R == Region::Packet || A.Obj == B.Obj);
  }
  static bool isRegionPtr(const Val &V) { return V.R != Region::Scalar; }
  const cir::MapDef &mapOf(const Val &V) const {
    return V.R == Region::MapValue ? *Objects[V.Obj].Map : Mod.Maps[V.Obj];
  }
  /// A value of a map of maps is an inner map (docs/vep-c.md, "Maps of
  /// maps"), only ever a helper's map argument.
  bool isInnerMap(const Val &V) const {
    return V.R == Region::MapValue && mapOf(V).isMapOfMaps();
  }
  /// The map a helper's map argument V denotes: `&m`'s map, or an inner
  /// map's template.
  const cir::MapDef &argMap(const Val &V) const {
    return isInnerMap(V) ? *mapOf(V).Inner : mapOf(V);
  }
  static std::optional<int64_t> numeral(const z3::expr &E) {
    z3::expr Sm = E.simplify();
    if (!Sm.is_numeral())
      return std::nullopt;
    uint64_t U = 0;
    if (!Sm.is_numeral_u64(U))
      return std::nullopt;
    unsigned W = Sm.get_sort().bv_size();
    if (W < 64 && ((U >> (W - 1)) & 1))
      U |= ~uint64_t(0) << W;
    return int64_t(U);
  }

  /// S.check(), retried with MBQI when E-matching alone gives up.
  z3::check_result checkWithQuantifiers(z3::solver &S) {
    z3::check_result CR = S.check();
    if (CR != z3::unknown || !QuantSolver || &S != &*QuantSolver)
      return CR;
    z3::params P(C);
    P.set("mbqi", true);
    S.set(P);
    CR = S.check();
    P.set("mbqi", false);
    S.set(P);
    return CR;
  }

  enum class Answer { Proved, Failed, Unknown };
  Answer query(const z3::expr &PC, const z3::expr &Goal,
               std::optional<z3::model> &Model) {
    z3::expr G = Goal.simplify();
    if (G.is_true())
      return Answer::Proved;
    // The definitions of the instances as translated (simplify rewrites
    // their arguments).
    z3::expr Q = PC && !G && relevantDefinitions(PC && !Goal, PredicateDefs);
    if (shadowCheck(Q) == z3::unsat)
      return Answer::Proved;
    z3::solver &S = solver(Q);
    S.push();
    S.add(Q);
    z3::check_result CR = checkWithQuantifiers(S);
    Answer A = Answer::Proved;
    if (CR == z3::sat) {
      A = Answer::Failed;
      Model.emplace(S.get_model());
    } else if (CR == z3::unknown) {
      A = Answer::Unknown;
    }
    S.pop();
    return A;
  }

  /// Whether some input reaches St (unknown counts as yes: feasibility only
  /// prunes paths, so answering yes is always sound).
  bool feasible(State &St) {
    z3::expr P = St.PC.simplify();
    if (P.is_false())
      return false;
    if (P.is_true())
      return true;
    // A completed model that makes the whole PC true proves it satisfiable.
    if (St.Witness && St.Witness->eval(P, true).is_true())
      return true;
    // The shadow gets the PC as built: simplify writes `x == sext(s)` as
    // one equality per bit of x, each a quotient and a remainder there.
    if (z3::check_result CR = shadowCheck(St.PC); CR != z3::unknown)
      return CR == z3::sat;
    z3::solver &S = solver(P);
    S.push();
    S.add(P);
    z3::check_result CR = checkWithQuantifiers(S);
    if (CR == z3::sat)
      St.Witness.emplace(S.get_model());
    S.pop();
    return CR != z3::unsat;
  }

  std::string showValue(const z3::model &M, const Val &V,
                        const cir::Type &T) {
    z3::expr E = M.eval(V.E, true);
    std::optional<int64_t> Off = numeral(E);
    if (V.R == Region::Packet) {
      if (!Off)
        return "data + ?";
      return *Off == 0 ? std::string("data") : "data + " + std::to_string(*Off);
    }
    if (V.R == Region::Ctx) {
      if (!Off)
        return "ctx + ?";
      return *Off == 0 ? std::string("ctx") : "ctx + " + std::to_string(*Off);
    }
    if (V.R == Region::MapValue) {
      if (M.eval(Objects[V.Obj].NonNull, true).is_false())
        return "NULL";
      std::string Base =
          reserved(V) ? "the " + std::to_string(Objects[V.Obj].Reserved) +
                            " bytes reserved at line " +
                            std::to_string(Objects[V.Obj].Line)
                      : "a value of map '" + mapOf(V).Name + "'";
      if (!Off)
        return Base + " + ?";
      return *Off == 0 ? Base : Base + " + " + std::to_string(*Off);
    }
    if (V.R == Region::Map)
      return "&" + mapOf(V).Name;
    if (V.R == Region::Local)
      return "&" + F.Vars[V.Obj].Name;
    if (V.R == Region::Buffer || V.R == Region::Global) {
      const std::string &B = V.R == Region::Buffer ? F.Vars[V.Obj].Name
                                                   : "&" + Mod.Globals[V.Obj].Name;
      if (!Off)
        return B + " + ?";
      return *Off == 0 ? B : B + " + " + std::to_string(*Off);
    }
    uint64_t U = 0;
    if (!E.is_numeral_u64(U))
      return "?";
    if (T.Signed && !T.isPtr())
      return std::to_string(*Off);
    return std::to_string(U);
  }

  struct Extra {
    std::string Name;
    Val V;
    cir::Type Ty;
    std::optional<z3::expr> Math = std::nullopt; // shown instead of V if set
  };

  /// "with packet length n = 13, x = 5, ..." for the variables in `Vars`
  /// (no packet length for socket filters, which have no packet pointers).
  std::string counterexample(const z3::model &M, const State &St,
                             const std::set<unsigned> &Vars,
                             const std::vector<Extra> &Extras) {
    std::ostringstream OS;
    bool HasPacket = false; // a non-entry function: through its parameters
    for (const cir::ParamSpec &P : F.Params)
      HasPacket |= P.K == cir::ParamSpec::Kind::Packet ||
                   P.K == cir::ParamSpec::Kind::PacketEnd;
    if (F.isEntry() ? cir::packetFields(F.ProgType).Data >= 0 : HasPacket) {
      // After a packet-changing helper: the current packet's length.
      z3::expr NV = M.eval(Packets[St.Packet].Len, true);
      uint64_t NU = 0;
      OS << ", packet length n = "
         << (NV.is_numeral_u64(NU) ? std::to_string(NU) : std::string("?"));
    }
    // The variables the failing expression mentions, then the other
    // integer variables that hold a value on this path.
    std::vector<unsigned> Order(Vars.begin(), Vars.end());
    for (unsigned Id = 0; Id < F.Vars.size(); ++Id)
      if (!Vars.count(Id) && !F.Vars[Id].Ty.isPtr() && Id < St.Vars.size() &&
          St.Vars[Id] && St.Vars[Id]->R == Region::Scalar)
        Order.push_back(Id);
    for (unsigned Id : Order) {
      if (Id >= F.Vars.size() || Id >= St.Vars.size())
        continue;
      const auto &Var = F.Vars[Id];
      if (!St.Vars[Id])
        continue;
      if (St.Vars[Id]->R == Region::Ctx && Var.IsParam)
        continue; // the context parameter itself says nothing
      OS << ", " << Var.Name << " = " << showValue(M, *St.Vars[Id], Var.Ty);
    }
    for (const Extra &X : Extras) {
      if (X.Math) {
        z3::expr V = M.eval(asInt(*X.Math), true);
        OS << ", " << X.Name << " = "
           << (V.is_numeral() ? V.get_decimal_string(0) : std::string("?"));
        continue;
      }
      OS << ", " << X.Name << " = " << showValue(M, X.V, X.Ty);
    }
    OS << contentsInModel(M);
    std::string Values = OS.str();
    return Values.empty() ? "with any input" : "with " + Values.substr(2);
  }

  /// ", l = [104, 0, 7]": the contents at the entry, when short enough to
  /// show (at most 16 elements).
  std::string contentsInModel(const z3::model &M) {
    std::string Out;
    for (const auto &[Name, S] : EntrySeqs) {
      z3::expr Len = M.eval(asInt(S.Len), true);
      int64_t N = 0;
      if (!Len.is_numeral_i64(N) || N < 0 || N > 16)
        continue;
      Out += ", " + Name + " = [";
      for (int64_t K = 0; K < N; ++K) {
        z3::expr E = M.eval(seqElement(S, intLit(K)), true);
        z3::expr V = M.eval(asInt(E), true);
        Out += (K ? ", " : "") +
               (V.is_numeral() ? V.get_decimal_string(0) : std::string("?"));
      }
      Out += "]";
    }
    return Out;
  }

  void addFailure(cir::Loc L, const std::string &Msg, const std::string &Cex) {
    if (!Reported.insert({L.Line, L.Col, Msg}).second)
      return;
    auto Inferred = std::find_if(Loops.rbegin(), Loops.rend(),
                                 [](const LoopFrame *Fr) {
                                   return !Fr->InvNote.empty();
                                 });
    std::string Note = HeadNote;
    if (Note.empty() && Inferred != Loops.rend())
      Note = (*Inferred)->InvNote;
    R.Failures.push_back({L, Msg, Cex, Note});
  }

  void unsupported(cir::Loc L, const std::string &What) {
    R.Unsupported = true;
    addFailure(L, "not supported yet: " + What, "");
  }

  /// "path: if at line 23 false, loop head at line 30, ..." for St.Path.
  static std::string describePath(const State &St) {
    if (St.Path.empty())
      return "path: straight from the entry";
    std::string Out = "path:";
    for (size_t I = 0; I < St.Path.size(); ++I) {
      const PathStep &P = St.Path[I];
      Out += I ? ", " : " ";
      Out += P.K == PathStep::Kind::LoopHead ? "loop head at line " : "if at line ";
      Out += std::to_string(P.Line);
      if (P.K != PathStep::Kind::LoopHead)
        Out += P.K == PathStep::Kind::IfTrue ? " true" : " false";
    }
    return Out;
  }

  /// What the note of a failed obligation shows.
  enum class Note {
    None,          // nothing
    Values,        // a counterexample: the values on the failing path
    ValuesAndPath, // and the branches that path took
  };

  // -- the C-level proof (Options::RecordProof, vep/cir/CProof.h) -----------
  cir::FunctionProof *Proof = Opts.RecordProof ? &R.Proof : nullptr;
  /// The symbols Proof->Symbols declares, and the nodes already walked for
  /// them (by AST id; Walked keeps the roots alive, so an id is never
  /// reused for another node).
  std::set<unsigned> Declared, Seen;
  z3::expr_vector Walked{C};
  /// While a call's precondition is posed: the With variables' values and
  /// the caller's resources the callee does not take.
  std::vector<std::pair<std::string, std::string>> CallInstances;
  std::vector<std::string> CallFrame;

  /// E as SMT-LIB text, declaring the symbols it mentions in Proof.
  std::string smt(const z3::expr &E) {
    Walked.push_back(E);
    std::vector<z3::expr> Todo{E};
    while (!Todo.empty()) {
      z3::expr X = Todo.back();
      Todo.pop_back();
      if (!Seen.insert(Z3_get_ast_id(C, X)).second)
        continue;
      if (X.is_quantifier()) {
        Todo.push_back(X.body());
        continue;
      }
      if (!X.is_app())
        continue;
      z3::func_decl D = X.decl();
      if (D.decl_kind() == Z3_OP_UNINTERPRETED &&
          Declared.insert(Z3_get_ast_id(C, D)).second)
        Proof->Symbols.push_back(oneLine(D.to_string()));
      for (unsigned I = 0; I < X.num_args(); ++I)
        Todo.push_back(X.arg(I));
    }
    return oneLine(E.to_string());
  }

  /// Z3's printer breaks long terms and indents the next line: one line.
  static std::string oneLine(const std::string &Printed) {
    std::string Text;
    bool Break = false;
    for (char Ch : Printed) {
      Break = Ch == '\n' || (Break && Ch == ' ');
      if (!Break)
        Text += Ch;
      else if (Ch == '\n')
        Text += ' ';
    }
    return Text;
  }

  /// The conjuncts of a path condition, each once, in order.
  static std::vector<z3::expr> conjuncts(const z3::expr &E) {
    std::vector<z3::expr> Out, Todo{E};
    std::set<unsigned> Have;
    while (!Todo.empty()) {
      z3::expr X = Todo.back();
      Todo.pop_back();
      if (X.is_app() && X.decl().decl_kind() == Z3_OP_AND) {
        for (unsigned I = X.num_args(); I-- > 0;)
          Todo.push_back(X.arg(I));
      } else if (!X.is_true() && Have.insert(Z3_get_ast_id(E.ctx(), X)).second) {
        Out.push_back(X);
      }
    }
    return Out;
  }

  /// Where a value is: "scalar", or the region a pointer points into.
  std::string whereOf(const Val &V) const {
    switch (V.R) {
    case Region::Scalar:
      return "scalar";
    case Region::Ctx:
      return "ctx";
    case Region::Packet:
      return V.Obj ? "packet " + std::to_string(V.Obj) : "packet";
    case Region::MapValue:
      return (Objects[V.Obj].Reserved ? "reservation in " : "value of map ") +
             mapOf(V).Name + " (object " + std::to_string(V.Obj) + ")";
    case Region::Map:
      return "&" + mapOf(V).Name;
    case Region::Local:
      return "&" + F.Vars[V.Obj].Name;
    case Region::Buffer:
      return "buffer " + F.Vars[V.Obj].Name;
    case Region::Global:
      return "&" + Mod.Globals[V.Obj].Name;
    }
    return "?";
  }

  /// The resources a path owns, one per line: the packet, the map values
  /// its variables point to, its live reservations, the function's buffers.
  std::vector<std::string> heapOf(const State &St) {
    std::vector<std::string> Heap;
    bool HasPacket = F.isEntry() && cir::packetFields(F.ProgType).Data >= 0;
    for (const cir::ParamSpec &P : F.Params)
      HasPacket |= P.K == cir::ParamSpec::Kind::Packet;
    if (HasPacket) {
      const PacketObject &P = Packets[St.Packet];
      Heap.push_back(
          "packet" + (St.Packet ? " " + std::to_string(St.Packet) : "") +
          ": store_uchar_array(data, " + smt(P.Len) + ", l)" +
          (P.Helper.empty() ? ""
                            : " (made by " + P.Helper + " at line " +
                                  std::to_string(P.Line) + ")"));
    }
    if (F.isEntry())
      Heap.push_back("ctx: " + CtxStruct);
    std::set<unsigned> Shown;
    auto Object = [&](unsigned Obj) {
      if (!Shown.insert(Obj).second)
        return;
      const MapObject &O = Objects[Obj];
      Val V{Region::MapValue, bv(0, 64), Obj};
      Heap.push_back(whereOf(V) + ": " +
                     std::to_string(O.Reserved ? O.Reserved
                                               : mapOf(V).ValueSize) +
                     " bytes if " + smt(O.NonNull));
    };
    for (const std::optional<Val> &V : St.Vars)
      if (V && V->R == Region::MapValue)
        Object(V->Obj);
    for (unsigned Obj : St.Live)
      Object(Obj);
    for (const auto &[I, Size] : BufferSizes)
      Heap.push_back("buffer " + F.Vars[I].Name + ": " + smt(Size.first) +
                     " bytes" +
                     (St.Contents.count(I)
                          ? ", contents " + smt(St.Contents.at(I))
                          : std::string()));
    return Heap;
  }

  /// Before statement S runs on the Path'th of the paths reaching it.
  void recordState(const cir::Stmt &S, const State &St, unsigned Path) {
    cir::ProofState P{S.L, Path, describePath(St).substr(6), {}, heapOf(St), {}};
    for (unsigned I = 0; I < St.Vars.size(); ++I)
      if (St.Vars[I])
        P.Vars.push_back({I, whereOf(*St.Vars[I]), smt(St.Vars[I]->E)});
    for (const z3::expr &Fact : conjuncts(St.PC))
      P.Facts.push_back(smt(Fact));
    Proof->States.push_back(std::move(P));
  }

  /// The witness of an obligation `Goal` proved under `Hyps`: the
  /// conjuncts of Hyps an unsatisfiable core needs (all of them when the
  /// solver does not find a core in time: they suffice too).
  void recordEntailment(const z3::expr &Hyps, const z3::expr &Goal,
                        cir::Loc L, const std::string &Msg) {
    cir::ProofEntailment W{L, Msg, smt(Goal), {}, CallInstances, CallFrame};
    std::vector<z3::expr> Parts = conjuncts(Hyps);
    z3::solver S(C);
    z3::params P(C);
    P.set("timeout", std::min(Opts.TimeoutMillis, 1000u));
    S.set(P);
    S.add(entryFact());
    for (const z3::expr &Fact : SolverFacts)
      S.add(Fact);
    S.add(!Goal);
    z3::expr_vector Marks(C);
    for (size_t I = 0; I < Parts.size(); ++I) {
      z3::expr Mark = C.bool_const(("uses!" + std::to_string(I)).c_str());
      S.add(z3::implies(Mark, Parts[I]));
      Marks.push_back(Mark);
    }
    std::set<std::string> Core;
    bool Found = S.check(Marks) == z3::unsat;
    if (Found)
      for (const z3::expr &M : S.unsat_core())
        Core.insert(M.to_string());
    for (size_t I = 0; I < Parts.size(); ++I)
      if (!Found || Core.count(Marks[int(I)].to_string()))
        W.Uses.push_back(smt(Parts[I]));
    Proof->Entailments.push_back(std::move(W));
  }

  /// A call's instantiation (its With variables' values, contents names
  /// included) and frame: the
  /// caller's resources no argument points into are kept whole; one that
  /// an argument points into is kept except for what the callee's contract
  /// gives that parameter.
  void callWitness(const cir::Function &G, const State &St,
                   const std::vector<Val> &Args,
                   const std::map<std::string, z3::expr> &Logical,
                   const std::map<std::string, Seq> &Seqs) {
    for (const auto &[Name, V] : Logical)
      CallInstances.push_back({Name, smt(V)});
    for (const auto &[Name, S] : Seqs)
      CallInstances.push_back(
          {Name, smt(S.Arr) + " (length " + smt(S.Len) + ")"});
    for (const std::string &Item : heapOf(St)) {
      std::string Kept = Item;
      for (unsigned I = 0; I < G.NumParams && I < Args.size(); ++I)
        if (Args[I].R != Region::Scalar &&
            Item.rfind(whereOf(Args[I]) + ":", 0) == 0)
          Kept += ", except what '" + G.Vars[I].Name + "' at offset " +
                  smt(Args[I].E) + " covers";
      CallFrame.push_back(std::move(Kept));
    }
  }

  /// Poses one obligation on the path `St`; afterwards the goal is assumed.
  void obligation(State &St, const z3::expr &Goal, cir::Loc L,
                  const std::string &Msg, const std::set<unsigned> &Vars,
                  const std::vector<Extra> &Extras = {},
                  Note Shown = Note::Values) {
    ++R.Obligations;
    std::optional<z3::model> M;
    auto T0 = std::chrono::steady_clock::now();
    Answer A = query(St.PC, Goal, M);
    if (Proof && A == Answer::Proved)
      recordEntailment(
          St.PC && relevantDefinitions(St.PC && !Goal, PredicateDefs), Goal,
          L, Msg);
    if (Trace)
      std::fprintf(stderr, "vep-c: trace: %u:%u: %s: %s (%.1f ms)\n", L.Line,
                   L.Col, Msg.c_str(),
                   A == Answer::Proved   ? "proved"
                   : A == Answer::Failed ? "FAILED"
                                         : "unknown",
                   std::chrono::duration<double, std::milli>(
                       std::chrono::steady_clock::now() - T0)
                       .count());
    if (A == Answer::Failed) {
      std::string Cex;
      if (Shown != Note::None)
        Cex = counterexample(*M, St, Vars, Extras);
      if (Shown == Note::ValuesAndPath)
        Cex += "; " + describePath(St);
      addFailure(L, Msg, Cex);
    } else if (A == Answer::Unknown) {
      addFailure(L, "unknown (solver timeout): " + Msg, "");
    }
    St.PC = St.PC && Goal;
    reportProgress(L);
  }

  std::chrono::steady_clock::time_point Started =
      std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point LastProgress = Started;
  void reportProgress(cir::Loc L) {
    if (!Opts.OnProgress)
      return;
    auto Now = std::chrono::steady_clock::now();
    if (Now - LastProgress <
        std::chrono::milliseconds(Opts.ProgressEveryMillis))
      return;
    LastProgress = Now;
    Opts.OnProgress(Progress{
        F.Name, R.Obligations,
        std::chrono::duration<double>(Now - Started).count(), L.Line});
  }

  /// An obligation that is known to fail on this path (e.g. a store to the
  /// context): reported if the path is feasible; the path then stops
  /// mattering, so its condition becomes false.
  void violation(State &St, cir::Loc L, const std::string &Msg,
                 const std::set<unsigned> &Vars) {
    // A violation fails on every input that reaches it: only the values of
    // the variables it mentions are worth showing.
    obligation(St, C.bool_val(false), L, Msg, Vars, {},
               Vars.empty() ? Note::None : Note::Values);
  }

  static void varsOf(const cir::Expr &E, std::set<unsigned> &Out) {
    if (E.K == CK::Var || E.K == CK::AddrOf)
      for (unsigned V = E.VarId; V < E.VarId + E.Span; ++V)
        Out.insert(V);
    for (const auto &O : E.Ops)
      varsOf(*O, Out);
  }
  static std::set<unsigned> varsOf(const cir::Expr &E) {
    std::set<unsigned> S;
    varsOf(E, S);
    return S;
  }

  /// Splits `St` on `Cond`, keeping the feasible sides.
  void fork(const State &St, const z3::expr &Cond,
            std::optional<State> &T, std::optional<State> &E) {
    z3::expr Cs = Cond.simplify();
    if (Cs.is_true()) {
      T.emplace(St);
      return;
    }
    if (Cs.is_false()) {
      E.emplace(St);
      return;
    }
    State A = St, B = St;
    A.PC = St.PC && Cond;
    B.PC = St.PC && !Cond;
    if (feasible(A))
      T.emplace(std::move(A));
    if (feasible(B))
      E.emplace(std::move(B));
  }

  // -- expressions -----------------------------------------------------------
  Outcomes eval(const cir::Expr &E, const State &St);
  Outcomes evalBinary(const cir::Expr &E, const State &St);
  Val load(const cir::Expr &E, State &St, const Val &Addr);
  // -- contents (the section "Contents" below) ------------------------------
  Val bufferLoad(State &St, const Val &Addr, const cir::Type &Ty);
  void bufferStore(State &St, const Val &Addr, const Val &V, unsigned Size);
  std::optional<z3::expr> elementIndex(const Val &Addr, unsigned Bytes);
  std::optional<std::vector<z3::expr>> localBytes(State &St,
                                                  const cir::Expr &A);
  void localOutputs(State &St, const cir::Expr &A,
                    const logic::ArrayElement &Elem, const z3::expr &Count,
                    const z3::expr &Written);
  z3::expr argumentContents(State &St, const Val &V,
                            const cir::Expr &Arg,
                            const logic::ArrayElement &Elem);
  void callContents(const cir::Function &G, const cir::Expr &Call, State &St,
                    const std::vector<Val> &Args, bool After,
                    std::map<std::string, Seq> &Seqs);
  void enterContents(State &St);
  void whereValues(const logic::Annotation &A, State &St);
  void disjointBuffers(const cir::Function &G, const cir::Expr &Call,
                       State &St, const std::vector<Val> &Args,
                       const std::map<unsigned, z3::expr> &Sizes,
                       const std::string &Pre);
  static bool writesMemory(const cir::Stmt &S);
  void havocContents(State &St);
  void store(const cir::Stmt &S, State &St, const Val &Addr, const Val &V);
  Val cast(const cir::Expr &E, const Val &V);
  Val arith(const cir::Expr &E, State &St, const Val &A, const Val &B);
  Val compare(const cir::Expr &E, State &St, const Val &A, const Val &B);
  /// The bytes an access may touch: [0, Len) of its object.
  struct Bounds {
    z3::expr Len;
    std::string Access; // "packet access"
    std::string Limit;  // "packet length"
    std::string Start;  // "the packet start"
  };
  Bounds packetBounds(const State &St) {
    return {Packets[St.Packet].Len, "packet access", "packet length",
            "the packet start"};
  }
  Bounds bufferBounds(const Val &V) {
    const std::string &B = F.Vars[V.Obj].Name;
    return {BufferSizes.at(V.Obj).first, "buffer access",
            "the size of buffer '" + B + "'", "the start of buffer '" + B + "'"};
  }
  Bounds valueBounds(const Val &V) {
    if (uint64_t Size = reserved(V) ? Objects[V.Obj].Reserved : 0)
      return {bv(Size, 64), "ringbuf memory access",
              "the " + std::to_string(Size) + " bytes reserved at line " +
                  std::to_string(Objects[V.Obj].Line),
              "the start of the reserved memory"};
    const cir::MapDef &MD = mapOf(V);
    return {bv(MD.ValueSize, 64), "map value access",
            "value size " + std::to_string(MD.ValueSize) + " of map '" +
                MD.Name + "'",
            "the start of the value of map '" + MD.Name + "'"};
  }
  void inBounds(State &St, const z3::expr &Off, unsigned Size, const Bounds &B,
                cir::Loc L, bool Write, const cir::Expr &AddrE);
  /// Who (here and in mapValueAccess): a prefix of the bounds obligation
  /// naming who accesses the value (a helper), or empty.
  void globalAccess(State &St, const Val &A, unsigned Size, cir::Loc L,
                    bool Write, const cir::Expr &AddrE,
                    const std::string &Who = "");
  void mapValueAccess(State &St, const Val &A, unsigned Size, cir::Loc L,
                      bool Write, const cir::Expr &AddrE,
                      const std::string &Who = "");
  void nonNull(State &St, const Val &A, cir::Loc L, const cir::Expr &AddrE);
  /// Whether A points into a reservation the path has submitted or
  /// discarded; if so, the use at L is reported.
  bool releasedUse(State &St, const Val &A, cir::Loc L,
                   const cir::Expr &AddrE);
  Val helperCall(const cir::Expr &E, State &St, const std::vector<Val> &Args);
  /// An argument's object a call writes only where Written holds (Ensure's
  /// `c => data_at(p, T, v)`; false: its Ensure leaves it undefined): where
  /// it fails, the local variables Vars, or the caller's buffer parameter
  /// Buffer, are unset.
  struct ConditionalWrite {
    z3::expr Written;
    std::vector<unsigned> Vars;
    std::optional<unsigned> Buffer;
  };
  Val funcCall(const cir::Expr &E, State &St, const std::vector<Val> &Args,
               std::vector<ConditionalWrite> &Conditional);
  void bufferArgument(const cir::Function &G, unsigned I, const cir::Expr &Call,
                      State &St, const Val &V, const z3::expr &Size,
                      const std::string &Pre);
  std::vector<std::pair<State, std::vector<Val>>> evalArgs(const cir::Expr &E,
                                                           const State &St);
  bool helperInput(const HelperContract &H, unsigned I, const cir::Expr &Call,
                   State &St, const Val &V);
  bool helperOutput(const HelperContract &H, unsigned I, const cir::Expr &Call,
                    State &St, const Val &V);
  struct LocalBuffer {
    uint64_t Bytes = 0;
    std::string Name, Spelling;    // for messages
    std::optional<unsigned> Unset; // a variable holding no needed value
    bool Pointer = false;          // a variable holds a pointer
  };
  LocalBuffer localBuffer(const State &St, const cir::Expr &A,
                          uint64_t Kept) const;
  void localBufferArgument(const cir::Function &G, unsigned I,
                           const cir::Expr &Call, State &St,
                           const z3::expr &Size, const std::string &What);
  bool helperArgument(const HelperContract &H, unsigned I,
                      const cir::Expr &Call, State &St, const Val &V,
                      const cir::MapDef *Map);
  void atomic(const cir::Stmt &S, State &St, const Val &Addr, const Val &V,
              const Val *Expected);

  // -- annotations -----------------------------------------------------------
  /// A name in a function contract and the value it denotes: a parameter
  /// bound to its value at the call (or at the function's entry).
  struct Binding {
    std::string Name;
    Val V;
    cir::Type Ty;
  };
  struct MathCtx {
    const State &St;
    const Val *Ret;
    cir::Loc L;
    std::set<unsigned> Vars;
    bool Bad = false;
    /// Set for a function contract: names denote these values, not the
    /// variables of St; __return is read as RetTy.
    const std::vector<Binding> *Bound = nullptr;
    const cir::Type *RetTy = nullptr;
    /// Contents names bound here (before EntrySeqs); at a call site
    /// (CallSite), the callee's, bound by callContents, and its array
    /// predicates then state nothing more.
    std::map<std::string, Seq> Seqs = {};
    bool CallSite = false;
    /// Integer With variables bound here (before EntryLogical).
    std::map<std::string, z3::expr> Logical = {};
    /// Quantified integers in scope, innermost last.
    std::vector<std::pair<std::string, z3::expr>> Binders = {};
    /// The array predicates whose name this assertion binds (not compared
    /// with an earlier binding); set once per MathCtx (ContentsBound).
    std::set<const logic::Assertion *> Binds = {};
    bool ContentsBound = false;
    /// Inside the unfolding of a user predicate's instance: instances are
    /// then left as applications (userPredicate).
    bool Unfolding = false;
  };
  /// The definitions of the user predicates' instances met so far
  /// (Predicates.h): true facts, part of the queries that need them.
  PredicateDefinitions PredicateDefs;
  z3::expr userPredicate(const logic::Assertion &A, MathCtx &M);
  std::vector<Binding> bindings(const cir::Function &G,
                                const std::vector<Val> &Values) {
    std::vector<Binding> B;
    for (unsigned I = 0; I < G.NumParams && I < Values.size(); ++I)
      B.push_back({G.Vars[I].Name, Values[I], G.Vars[I].Ty});
    return B;
  }
  z3::expr requireFacts(const logic::Assertion &A, MathCtx &M);
  bool callLogical(const cir::Function &G, const cir::Expr &Call, State &St,
                   const std::vector<Binding> &B,
                   const std::map<std::string, Seq> &Seqs,
                   std::map<std::string, z3::expr> &Logical);
  // Annotation integers are mathematical. They are encoded exactly as
  // signed (two's complement) bit-vectors whose width grows with every
  // operation so that nothing wraps: program values are read at their width
  // (+1 bit if unsigned), a sum needs one more bit than its wider operand, a
  // product the sum of the widths. Exact, and much faster in Z3 than mixing
  // bit-vectors with its integer theory.
  static unsigned wd(const z3::expr &E) { return E.get_sort().bv_size(); }
  static z3::expr sx(const z3::expr &E, unsigned W) {
    unsigned Cur = wd(E);
    return W > Cur ? z3::sext(E, W - Cur) : E;
  }
  /// The program value `V` of type `T` read as an integer.
  z3::expr math(const Val &V, const cir::Type &T) {
    if (V.R != Region::Scalar)
      return bv(0, 2);
    return T.Signed && !T.isPtr() ? V.E : z3::zext(V.E, 1);
  }
  z3::expr intLit(__int128 V) {
    unsigned W = 2;
    while (W < 127 && !(V >= -((__int128)1 << (W - 1)) &&
                        V < ((__int128)1 << (W - 1))))
      ++W;
    unsigned __int128 U =
        (unsigned __int128)V & (((unsigned __int128)1 << W) - 1);
    std::string D;
    do {
      D.insert(D.begin(), char('0' + int(U % 10)));
      U /= 10;
    } while (U);
    return C.bv_val(D.c_str(), W);
  }
  z3::expr mAdd(const z3::expr &A, const z3::expr &B) {
    unsigned W = std::max(wd(A), wd(B)) + 1;
    return sx(A, W) + sx(B, W);
  }
  z3::expr mSub(const z3::expr &A, const z3::expr &B) {
    unsigned W = std::max(wd(A), wd(B)) + 1;
    return sx(A, W) - sx(B, W);
  }
  z3::expr mMul(const z3::expr &A, const z3::expr &B) {
    unsigned W = wd(A) + wd(B);
    return sx(A, W) * sx(B, W);
  }
  z3::expr mNeg(const z3::expr &A) { return -sx(A, wd(A) + 1); }
  /// Comparison `A op B` of two annotation integers (op as written).
  z3::expr mCmp(const std::string &Op, const z3::expr &A, const z3::expr &B) {
    unsigned W = std::max(wd(A), wd(B));
    z3::expr X = sx(A, W), Y = sx(B, W);
    if (Op == "==") return X == Y;
    if (Op == "!=") return X != Y;
    if (Op == "<") return z3::slt(X, Y);
    if (Op == "<=") return z3::sle(X, Y);
    if (Op == ">") return z3::sgt(X, Y);
    return z3::sge(X, Y);
  }
  /// `(T) X`: X wrapped into the range of the integer type T.
  z3::expr wrap(const z3::expr &X, unsigned Bits, bool Signed) {
    z3::expr Low = sx(X, std::max(wd(X), Bits)).extract(Bits - 1, 0);
    return Signed ? Low : z3::zext(Low, 1);
  }
  /// An annotation integer as a Z3 integer, for showing in counterexamples.
  z3::expr asInt(const z3::expr &X) { return z3::bv2int(X, true); }
  /// The value of an annotation term: an integer, or a pointer given by
  /// its region and its byte offset in that region (for a pointer variable
  /// that points into no region, its address).
  struct TV {
    bool Ptr;
    Region R;
    z3::expr E; // an annotation integer (see math): the value or offset
    std::optional<Seq> S = std::nullopt; // a sequence (E is then 0)
  };
  std::optional<Seq> seqTerm(const logic::Term &T, MathCtx &M);
  TV sequenceCall(const logic::Term &T, MathCtx &M);
  z3::expr quantifier(const logic::Assertion &A, MathCtx &M);
  z3::expr arrayPredicate(const logic::Assertion &A, MathCtx &M,
                          std::optional<Seq> *View);
  void bindContents(const logic::Assertion &A, MathCtx &M);
  std::optional<Val> namedPointer(const logic::Term &P, MathCtx &M);
  TV term(const logic::Term &T, MathCtx &M);
  z3::expr intTerm(const logic::Term &T, MathCtx &M);
  z3::expr assertion(const logic::Assertion &A, MathCtx &M);
  TV badTerm(MathCtx &M) {
    M.Bad = true;
    return TV{false, Region::Scalar, bv(0, 2)};
  }

  // -- statements ------------------------------------------------------------
  void exec(const cir::Stmt &S, std::vector<State> &States);
  void execOne(const cir::Stmt &S, State St, std::vector<State> &Out);

  // -- loops -----------------------------------------------------------------
  using VarSet = std::set<unsigned>;
  /// A loop being executed: the states leaving it by break / continue, and
  /// its variant, which the loops nested in it must not increase.
  struct LoopFrame {
    std::vector<State> Breaks, Continues;
    /// The variant's value in a state; nullopt if it cannot be evaluated.
    std::function<std::optional<z3::expr>(const State &, VarSet &)> Variant;
    cir::Loc VarL;       // where failures of the variant are reported
    std::string VarNote; // names an inferred variant
    std::string InvNote; // the inferred invariant of a loop without Inv
  };
  std::vector<LoopFrame *> Loops;
  /// While the invariant of a loop with an inferred one is checked at its
  /// head (on entry, at the back edge), that loop's InvNote.
  std::string HeadNote;
  /// Variables live at each loop's head (read before written on some path
  /// from the head), computed before execution.
  std::map<const cir::Stmt *, VarSet> LiveAtHead;
  /// Static facts for the head state: the assignments of each variable,
  /// whether each lies inside a loop, and, per loop, the assignments that
  /// run before it on every path (in an enclosing block, before it).
  std::vector<std::vector<const cir::Stmt *>> Assigns;
  std::set<const cir::Stmt *> AssignsInLoops;
  std::map<const cir::Stmt *, std::set<const cir::Stmt *>> Dominating;
  void scanAssigns(const cir::Stmt &S, bool InLoop,
                   std::set<const cir::Stmt *> &Dom);
  bool staticallyKnown(const cir::Expr &E, std::vector<unsigned> &Visiting);
  bool staticallyKnownVar(unsigned V, std::vector<unsigned> &Visiting);
  bool keptAtHead(const cir::Stmt &Loop, unsigned V);
  VarSet live(const cir::Stmt &S, const VarSet &Out, const VarSet &Brk,
              const VarSet &Cont);
  void annotationVars(const logic::Term &T, VarSet &Out) const;
  void annotationVars(const logic::Assertion &A, VarSet &Out) const;
  static void assigned(const cir::Stmt &S, VarSet &Vars);
  /// The variant of a counting loop `for (...; i < B; i++)` with B a
  /// constant: B - i (the form the compiler infers too).
  struct InferredVariant {
    unsigned Var = 0;
    __int128 Bound = 0;
    std::string Text;
  };
  std::optional<InferredVariant> inferVariant(const cir::Stmt &S);
  std::optional<z3::expr> inferredValue(const InferredVariant &IV,
                                        const State &St);
  void execLoop(const cir::Stmt &S, State St, std::vector<State> &Out);
  z3::expr ghostBound(const GhostRank &G) {
    return G.Decreased ? mAdd(G.Value, intLit(1)) : G.Value;
  }
  bool enclosingVariantsKept(State &X, const std::string &Where,
                             const State *Head,
                             std::vector<bool> *Decreased = nullptr);
  void checkReturn(cir::Loc L, const cir::Expr *Value, State St,
                   const Val *V);
  bool enterFunction(State &St);
  void limit(std::vector<State> &States, cir::Loc L) {
    if (States.size() > Opts.MaxPaths) {
      if (!PathLimitHit)
        addFailure(L, "unknown (more than " + std::to_string(Opts.MaxPaths) +
                          " paths)",
                   "");
      PathLimitHit = true;
      States.clear();
    }
  }
};

//===----------------------------------------------------------------------===//

void Engine::inBounds(State &St, const z3::expr &Off, unsigned Size,
                      const Bounds &B, cir::Loc L, bool Write,
                      const cir::Expr &AddrE) {
  z3::expr Goal = z3::sge(Off, bv(0, 64)) && z3::sle(Off, B.Len - bv(Size, 64));
  std::string What = std::string(Write ? "writing " : "reading ") +
                     std::to_string(Size) + (Size == 1 ? " byte" : " bytes");
  std::optional<int64_t> O = numeral(Off);
  std::string Msg = B.Access + " out of bounds: " + What;
  std::vector<Extra> Extras;
  if (O && *O >= 0)
    Msg += " at offset " + std::to_string(*O) + " requires " +
           std::to_string(*O) + " + " + std::to_string(Size) + " <= " + B.Limit;
  else if (O)
    Msg += " at offset " + std::to_string(*O) + " (before " + B.Start + ")";
  else {
    Msg += " at a variable offset requires 0 <= offset and offset + " +
           std::to_string(Size) + " <= " + B.Limit;
    cir::Type I64;
    I64.Bits = 64;
    I64.Signed = true;
    Extras.push_back({"offset", scalar(Off), I64});
  }
  obligation(St, Goal, L, Msg, varsOf(AddrE), Extras);
}

void Engine::nonNull(State &St, const Val &A, cir::Loc L,
                     const cir::Expr &AddrE) {
  obligation(St, Objects[A.Obj].NonNull, L,
             reserved(A) ? "reserved pointer may be null (compare the result "
                           "of bpf_ringbuf_reserve with NULL before using it)"
                         : "map value may be null (compare the result of "
                           "bpf_map_lookup_elem with NULL before using it)",
             varsOf(AddrE));
}

bool Engine::releasedUse(State &St, const Val &A, cir::Loc L,
                         const cir::Expr &AddrE) {
  if (!reserved(A) || live(St, A.Obj))
    return false;
  violation(St, L,
            "ringbuf memory reserved at line " +
                std::to_string(Objects[A.Obj].Line) +
                " used after its submit or discard",
            varsOf(AddrE));
  return true;
}

/// At L (a return, a tail call, a loop's head): every reservation of the
/// path but those the loop head carries is submitted, discarded or null.
void Engine::noLiveReservation(State &St, cir::Loc L, const std::string &Where,
                               const std::vector<unsigned> &Carried) {
  for (unsigned Obj : St.Live)
    if (!std::count(Carried.begin(), Carried.end(), Obj))
      obligation(St, !Objects[Obj].NonNull, L,
                 "ringbuf reservation from line " +
                     std::to_string(Objects[Obj].Line) +
                     " not submitted or discarded" + Where,
                 {});
}

/// An access of Size bytes at offset A.E of a global variable: inside the
/// variable (C's bounds; the checker sees its section's map value, which
/// holds it), and no write to `.rodata` (the map is BPF_F_RDONLY_PROG).
void Engine::globalAccess(State &St, const Val &A, unsigned Size, cir::Loc L,
                          bool Write, const cir::Expr &AddrE,
                          const std::string &Who) {
  const cir::GlobalVar &G = Mod.Globals[A.Obj];
  inBounds(St, A.E, Size,
           {bv(G.Size, 64), Who + "global variable access",
            "size " + std::to_string(G.Size) + " of '" + G.Name + "'",
            "the start of '" + G.Name + "'"},
           L, Write, AddrE);
  if (Write && G.Sec == cir::GlobalVar::Section::Rodata)
    violation(St, L,
              "store to the read-only global variable '" + G.Name +
                  "' (const: in .rodata, which the program may not write)",
              varsOf(AddrE));
}

void Engine::mapValueAccess(State &St, const Val &A, unsigned Size, cir::Loc L,
                            bool Write, const cir::Expr &AddrE,
                            const std::string &Who) {
  if (isInnerMap(A)) {
    violation(St, L,
              "access to the memory of an inner map: a value of the map of "
              "maps '" +
                  mapOf(A).Name +
                  "' is a map, usable only as a helper's map argument",
              varsOf(AddrE));
    return;
  }
  if (releasedUse(St, A, L, AddrE))
    return;
  if (Write && (mapOf(A).Flags & BpfFRdonlyProg)) {
    violation(St, L,
              "write to a value of map '" + mapOf(A).Name +
                  "', which the program may only read (BPF_F_RDONLY_PROG)",
              varsOf(AddrE));
    return;
  }
  nonNull(St, A, L, AddrE);
  Bounds B = valueBounds(A);
  B.Access = Who + B.Access;
  inBounds(St, A.E, Size, B, L, Write, AddrE);
}

Val Engine::load(const cir::Expr &E, State &St, const Val &A) {
  unsigned Size = E.Ty.isPtr() ? 8 : E.Ty.Bits / 8;
  switch (A.R) {
  case Region::Packet: {
    inBounds(St, A.E, Size, packetBounds(St), E.L, false, *E.Ops[0]);
    return freshScalar(E.Ty); // see the file comment
  }
  case Region::Ctx: {
    ++R.Obligations;
    std::optional<int64_t> O = numeral(A.E);
    if (!O) {
      addFailure(E.L, "context access at a variable offset", "");
      return freshScalar(E.Ty);
    }
    if (Record) {
      if (*O < Record->Lo || *O + Size > Record->End || *O % Size != 0)
        violation(St, E.L,
                  "invalid context access: reading " + std::to_string(Size) +
                      " bytes at offset " + std::to_string(*O) + " of " +
                      CtxStruct + " (" + TypeName +
                      " programs read aligned 1, 2, 4 or 8 bytes at offsets "
                      "from " + std::to_string(Record->Lo) + " to " +
                      std::to_string(Record->End - 1) + ")",
                  varsOf(*E.Ops[0]));
      return freshScalar(E.Ty);
    }
    const ContextField *Fd = contextField(*O);
    if (Fd && Size == Fd->Size && !(Fd->Readable & TypeBit)) {
      violation(St, E.L,
                "context field '" + std::string(Fd->Name) +
                    "' is not readable in " + TypeName + " programs" +
                    (Fd->K == ContextField::PacketStart ||
                             Fd->K == ContextField::PacketEnd
                         ? " (no direct packet access: read the packet "
                           "with bpf_skb_load_bytes)"
                         : ""),
                varsOf(*E.Ops[0]));
      return freshScalar(E.Ty);
    }
    if (Fd && Size == Fd->Size && Fd->K == ContextField::Unsupported) {
      unsupported(E.L, "reading '" + std::string(Fd->Name) + "' of " +
                           CtxStruct);
      return freshScalar(E.Ty);
    }
    if (!Fd || Size != Fd->Size) {
      violation(St, E.L,
                "invalid context access: reading " + std::to_string(Size) +
                    " bytes at offset " + std::to_string(*O) + " of " +
                    CtxStruct + " (" + TypeName +
                    " programs read the " +
                    (contextFieldNames(false).find("(8 bytes)") ==
                             std::string::npos
                         ? "4-byte "
                         : "") +
                    "fields " + contextFieldNames(false) + ")",
                varsOf(*E.Ops[0]));
      return freshScalar(E.Ty);
    }
    switch (Fd->K) {
    case ContextField::PacketStart:
      return Val{Region::Packet, bv(0, 64), St.Packet};
    case ContextField::PacketEnd:
      return Val{Region::Packet, Packets[St.Packet].Len, St.Packet};
    default:
      return scalar(fresh(8 * Fd->Size, Fd->Name));
    }
  }
  case Region::MapValue:
    mapValueAccess(St, A, Size, E.L, false, *E.Ops[0]);
    return freshScalar(E.Ty); // see Objects: the contents may change anytime
  case Region::Global: // likewise (cir::GlobalVar)
    globalAccess(St, A, Size, E.L, false, *E.Ops[0]);
    return freshScalar(E.Ty);
  case Region::Buffer:
    inBounds(St, A.E, Size, bufferBounds(A), E.L, false, *E.Ops[0]);
    if (St.Unwritten.count(A.Obj))
      violation(St, E.L,
                "read of uninitialised memory: '" + F.Vars[A.Obj].Name +
                    "' is undef_data_at in the Require (write it first)",
                varsOf(*E.Ops[0]));
    return bufferLoad(St, A, E.Ty);
  case Region::Scalar:
  case Region::Map:
  case Region::Local:
    violation(St, E.L, NotAPointer, varsOf(*E.Ops[0]));
    return freshScalar(E.Ty);
  }
  return freshScalar(E.Ty);
}

void Engine::store(const cir::Stmt &S, State &St, const Val &A, const Val &V) {
  const cir::Type &Ty = S.Value->Ty;
  unsigned Size = Ty.isPtr() ? 8 : Ty.Bits / 8;
  switch (A.R) {
  case Region::Packet: {
    inBounds(St, A.E, Size, packetBounds(St), S.L, true, *S.Addr);
    if (V.R != Region::Scalar)
      unsupported(S.L, "storing a pointer into the packet");
    return;
  }
  case Region::Ctx: {
    ++R.Obligations;
    std::optional<int64_t> O = numeral(A.E);
    const ContextField *Fd = O ? contextField(*O) : nullptr;
    std::string Writable = contextFieldNames(true);
    if (!Fd || Size != Fd->Size || !(Fd->Writable & TypeBit)) {
      std::string What =
          !O ? std::string("at a variable offset")
             : std::to_string(Size) + " bytes at offset " + std::to_string(*O);
      violation(St, S.L,
                Writable.empty()
                    ? "store to the context (" + CtxStruct +
                          " is read-only)"
                    : "store to the context: writing " + What + " of " +
                          CtxStruct + " (" + TypeName +
                          " programs write only the 4-byte fields " +
                          Writable + ")",
                varsOf(*S.Addr));
      return;
    }
    if (V.R != Region::Scalar)
      violation(St, S.L, "pointer stored into the context", varsOf(*S.Value));
    return;
  }
  case Region::MapValue:
    mapValueAccess(St, A, Size, S.L, true, *S.Addr);
    if (isRegionPtr(V))
      violation(St, S.L,
                reserved(A) ? "pointer stored into ringbuf memory (user space "
                              "reads it)"
                            : PointerIntoMap,
                varsOf(*S.Value));
    return;
  case Region::Global:
    globalAccess(St, A, Size, S.L, true, *S.Addr);
    if (isRegionPtr(V))
      violation(St, S.L, PointerIntoGlobal, varsOf(*S.Value));
    return;
  case Region::Buffer:
    inBounds(St, A.E, Size, bufferBounds(A), S.L, true, *S.Addr);
    // The front end marks the buffers a function writes from its body
    // (ParamSpec::Writes); callers rely on the others being read only.
    if (!F.Params[A.Obj].Writes)
      violation(St, S.L,
                "store through the buffer '" + F.Vars[A.Obj].Name +
                    "', which the function's contract says it only reads",
                varsOf(*S.Addr));
    // The buffer may be a map value: no pointers.
    if (isRegionPtr(V))
      violation(St, S.L, "pointer stored into a buffer", varsOf(*S.Value));
    bufferStore(St, A, V, Size);
    // An undef_data_at buffer is one element: a store of an element's
    // size within it writes all of it.
    if (auto It = BufferElem.find(A.Obj);
        It != BufferElem.end() && It->second.Bytes == Size)
      St.Unwritten.erase(A.Obj);
    return;
  case Region::Scalar:
  case Region::Map:
  case Region::Local:
    violation(St, S.L, NotAPointer, varsOf(*S.Addr));
    return;
  }
}

/// `*(T *)Addr = old Op V` atomically (CmpXchg: V if old equals
/// `Expected`): only on a map value or a global variable (the kernel allows
/// atomics on no packet or context memory), at an offset aligned to the
/// size (a global's own offset in its section is a multiple of its
/// alignment, the section's value 8-aligned); V and `Expected` are no
/// pointers. The old value, when the statement keeps it, is unknown (map
/// contents are never tracked: `v = AtomicResult`, eval).
void Engine::atomic(const cir::Stmt &S, State &St, const Val &A, const Val &V,
                    const Val *Expected) {
  unsigned Size = S.Value->Ty.Bits / 8;
  std::string What = std::string("atomic ") + cir::atomicOpName(S.Op);
  if (A.R != Region::MapValue && A.R != Region::Global) {
    violation(St, S.L,
              What + " on a value that is not a pointer into a map value "
                     "or a global variable",
              varsOf(*S.Addr));
    return;
  }
  if (A.R == Region::MapValue)
    mapValueAccess(St, A, Size, S.L, true, *S.Addr);
  else
    globalAccess(St, A, Size, S.L, true, *S.Addr);
  std::string Bytes = std::to_string(Size);
  std::string Msg = What + " at a misaligned offset: the offset of a " +
                    Bytes + "-byte " + What + " must be a multiple of " + Bytes;
  std::vector<Extra> Extras;
  cir::Type I64;
  I64.Bits = 64;
  I64.Signed = true;
  if (!numeral(A.E))
    Extras.push_back({"offset", scalar(A.E), I64});
  uint64_t Base = A.R == Region::Global ? Mod.Globals[A.Obj].Offset : 0;
  obligation(St, z3::urem(A.E + bv(Base, 64), bv(Size, 64)) == bv(0, 64),
             S.L, Msg, varsOf(*S.Addr), Extras);
  if (isRegionPtr(V))
    violation(St, S.L, A.R == Region::Global ? PointerIntoGlobal : PointerIntoMap,
              varsOf(*S.Value));
  if (Expected && isRegionPtr(*Expected))
    violation(St, S.L, "pointer compared by an atomic cmpxchg",
              varsOf(*S.Cond));
}

/// Checks argument `I` (value `V`, expression `Call.Ops[I]`) of `Call`, a call
/// to `H`, against its kind; `Map` is the call's map once its map argument
/// was checked. False if the argument violates the contract (reported).
static const cir::Expr *constantLength(const cir::Expr &Call, unsigned I);

bool Engine::helperArgument(const HelperContract &H, unsigned I,
                            const cir::Expr &Call, State &St, const Val &V,
                            const cir::MapDef *Map) {
  const cir::Expr &A = *Call.Ops[I];
  std::string Which = "argument " + std::to_string(I + 1) + " of " + H.name();
  ArgKind K = H.Args[I];
  switch (K) {
  case ArgKind::Scalar:
  case ArgKind::Length:
  case ArgKind::MemLength:
    if (V.R == Region::Scalar)
      return true;
    violation(St, A.L, Which + " must be an integer, not a pointer",
              varsOf(A));
    return false;
  case ArgKind::Ctx:
    if (V.R == Region::Ctx && numeral(V.E) && *numeral(V.E) == 0)
      return true;
    violation(St, A.L, Which + " must be the context pointer", varsOf(A));
    return false;
  case ArgKind::AllocLength: {
    const cir::Expr *Len = constantLength(Call, I - 1);
    if (Len && Len->Value >= 1 && Len->Value <= (uint64_t(1) << 20))
      return true;
    violation(St, A.L,
              Which + " must be a constant from 1 to 2^20 (the kernel "
                      "requires a known size)",
              varsOf(A));
    return false;
  }
  case ArgKind::Reserved:
    if (!reserved(V)) {
      violation(St, A.L,
                Which + " must be a pointer bpf_ringbuf_reserve returned",
                varsOf(A));
      return false;
    }
    if (releasedUse(St, V, A.L, A))
      return false;
    nonNull(St, V, A.L, A);
    obligation(St, V.E == bv(0, 64), A.L,
               Which + " must point to the start of the reserved memory",
               varsOf(A));
    return true;
  case ArgKind::Out:
  case ArgKind::Update:
    return helperOutput(H, I, Call, St, V);
  case ArgKind::Mem:
    return helperInput(H, I, Call, St, V);
  case ArgKind::Map: {
    if (V.R != Region::Map && !isInnerMap(V)) {
      violation(St, A.L,
                "argument is not a map: " + Which +
                    " must be '&m' of a map defined in section .maps or an "
                    "inner map a map of maps gave",
                varsOf(A));
      return false;
    }
    if (isInnerMap(V)) { // the kernel's null check and unmoved pointer
      obligation(St, Objects[V.Obj].NonNull, A.L,
                 "inner map may be null (compare the result of "
                 "bpf_map_lookup_elem on '" +
                     mapOf(V).Name + "' with NULL before using it)",
                 varsOf(A));
      obligation(St, V.E == bv(0, 64), A.L,
                 "argument is not a map: " + Which +
                     " points into an inner map instead of at it",
                 varsOf(A));
    }
    uint32_t Type = argMap(V).MapType;
    if (Type < 32 && (H.Maps & mapBit(Type)))
      return true;
    violation(St, A.L,
              "wrong map type: " + Which + " must be a map of a type " +
                  H.name() + " takes, not '" + argMap(V).Name + "' (" +
                  mapTypeName(Type) + ")",
              varsOf(A));
    return false;
  }
  case ArgKind::Key:
  case ArgKind::Value: {
    bool IsKey = K == ArgKind::Key;
    if (V.R == Region::MapValue) { // a map value or a live reservation
      mapValueAccess(St, V, IsKey ? Map->KeySize : Map->ValueSize, A.L, false,
                     A, "helper given a too-small buffer: ");
      return true;
    }
    if (V.R != Region::Local) {
      unsupported(A.L, std::string(IsKey ? "a key" : "a value") +
                           " buffer other than '&v' of a local variable (" +
                           Which + ")");
      return false;
    }
    LocalBuffer Buf = localBuffer(St, A, 0);
    unsigned Need = IsKey ? Map->KeySize : Map->ValueSize;
    if (Buf.Bytes < Need) {
      violation(St, A.L,
                "helper given a too-small buffer: the " +
                    std::string(IsKey ? "key" : "value") + " of map '" +
                    Map->Name + "' has " + std::to_string(Need) +
                    " bytes, but '&" + Buf.Name + "' points to " +
                    std::to_string(Buf.Bytes) + " (" + Buf.Spelling + ")",
                {});
      return false;
    }
    // The helper reads the bytes: they must hold a value (as the kernel
    // requires initialised stack).
    if (Buf.Unset) {
      violation(St, A.L,
                "helper given an uninitialised buffer: '" +
                    F.Vars[*Buf.Unset].Name + "' has no value here",
                {});
      return false;
    }
    // A hash map stores its keys too, where user space can read them.
    if (Buf.Pointer) {
      violation(St, A.L, IsKey ? "pointer used as a map key" : PointerIntoMap,
                varsOf(A));
      return false;
    }
    return true;
  }
  }
  return false;
}

/// The length argument I + 1 of a helper call, a constant (casts
/// stripped), or null.
static const cir::Expr *constantLength(const cir::Expr &Call, unsigned I) {
  const cir::Expr *Len = Call.Ops[I + 1].get();
  while (Len->K == CK::Cast)
    Len = Len->Ops[0].get();
  return Len->K == CK::Const ? Len : nullptr;
}

/// Argument I of a call of H, a buffer the helper writes with the constant
/// number of bytes its next argument gives: `&v` (the front end makes it
/// one) with 1 <= len <= sizeof(v), where, when the helper writes only
/// part of v, the rest must hold v's value, and v's new value is the
/// statement `v = CallOutput` after the call; or a pointer into a map
/// value, a global variable or a live reservation with 1 <= len <= 2^20
/// and the bytes in bounds, as a store of them needs (map and global
/// contents are never assumed, so nothing else changes).
bool Engine::helperOutput(const HelperContract &H, unsigned I,
                          const cir::Expr &Call, State &St, const Val &V) {
  const cir::Expr &A = *Call.Ops[I];
  std::string Which = "argument " + std::to_string(I + 1) + " of " + H.name();
  const cir::Expr *Len = constantLength(Call, I);
  bool Local = V.R == Region::Local && A.K == CK::AddrOf;
  if (V.R == Region::Map || V.R == Region::Ctx || V.R == Region::Scalar) {
    violation(St, A.L,
              Which + " must be '&v' of a local variable or a pointer into "
                      "a map value, a global variable or reserved ringbuf "
                      "memory",
              varsOf(A));
    return false;
  }
  bool Global = V.R == Region::Global;
  if ((!Local && !Global && V.R != Region::MapValue) || !Len) {
    unsupported(A.L, "a buffer other than '&v' of a local variable, a "
                     "pointer into a global variable, a map value or "
                     "reserved ringbuf memory, with a constant length (" +
                         Which + ")");
    return false;
  }
  uint64_t Need = Len->Value;
  if (Need == 0) {
    violation(St, Call.Ops[I + 1]->L,
              "helper given a zero length: " + H.name() +
                  " must write at least 1 byte",
              {});
    return false;
  }
  if (!Local && Need > (uint64_t(1) << 20)) {
    violation(St, Call.Ops[I + 1]->L,
              "helper given a length out of range: " + H.name() +
                  " writes at most 2^20 bytes into a global variable, a "
                  "map value or ringbuf memory",
              {});
    return false;
  }
  if (!Local) {
    // A global variable lies in its section's map value (cir::GlobalVar):
    // the helper's write is a store of its bytes, inside the variable and
    // not into .rodata.
    std::string Who = "helper given a too-small buffer: " + H.name() + "'s ";
    if (Global)
      globalAccess(St, V, unsigned(Need), A.L, true, A, Who);
    else
      mapValueAccess(St, V, unsigned(Need), A.L, true, A, Who);
    return true;
  }
  bool Part = H.Args[I] == ArgKind::Update;
  // The bytes past the written ones keep the buffer's: their variables
  // must hold values.
  LocalBuffer Buf = localBuffer(St, A, Part ? 0 : Need);
  if (Need > Buf.Bytes) {
    violation(St, A.L,
              "helper given a too-small buffer: " + H.name() + " writes " +
                  std::to_string(Need) + " bytes, but '&" + Buf.Name +
                  "' points to " + std::to_string(Buf.Bytes) + " (" +
                  Buf.Spelling + ")",
              {});
    return false;
  }
  if (A.Value != Need) {
    unsupported(A.L, "internal error: the buffer's written size differs "
                     "from the length");
    return false;
  }
  if (Buf.Unset) {
    violation(St, A.L,
              "helper given an uninitialised buffer: '" +
                  F.Vars[*Buf.Unset].Name + "' has no value here, and " +
                  H.name() +
                  (!Part         ? " writes only " + std::to_string(Need)
                   : H.Id == 69 ? std::string(" reads all")
                                : std::string(" writes only the string and "
                                              "its NUL, not all")) +
                  " of its " + std::to_string(Buf.Bytes) + " bytes",
              {});
    return false;
  }
  return true;
}

/// Argument I of a call of H, a buffer the helper reads with the constant
/// number of bytes its next argument gives (1 at least): `&v` of a local
/// with at least that many bytes, holding a value and no pointer (the
/// helper copies the bytes out: to a ring buffer, a perf event, the trace
/// pipe), or a pointer into a map value or a global variable, with the
/// bytes in bounds.
bool Engine::helperInput(const HelperContract &H, unsigned I,
                         const cir::Expr &Call, State &St, const Val &V) {
  const cir::Expr &A = *Call.Ops[I];
  std::string Which = "argument " + std::to_string(I + 1) + " of " + H.name();
  const cir::Expr *Len = constantLength(Call, I);
  if (!Len) {
    unsupported(Call.Ops[I + 1]->L,
                "a length that is not a constant (argument " +
                    std::to_string(I + 2) + " of " + H.name() + ")");
    return false;
  }
  uint64_t Need = Len->Value;
  if (Need == 0 || Need > (uint64_t(1) << 20)) {
    violation(St, Call.Ops[I + 1]->L,
              "helper given a length out of range: " + H.name() +
                  " must read from 1 to 2^20 bytes",
              {});
    return false;
  }
  if (Need % H.MemLengthMultiple) {
    violation(St, Call.Ops[I + 1]->L,
              "helper given a length that is not a multiple of " +
                  std::to_string(H.MemLengthMultiple) + ": " + H.name() +
                  " fails on it",
              {});
    return false;
  }
  // A live reservation too (reserved(V): its bounds are the reserved size
  // and its bytes need not be written, docs/proof-format.md 9.3 *data*).
  if (V.R == Region::MapValue) {
    mapValueAccess(St, V, unsigned(Need), A.L, false, A);
    return true;
  }
  if (V.R == Region::Global) { // a load of the bytes (no pointer is stored)
    globalAccess(St, V, unsigned(Need), A.L, false, A);
    return true;
  }
  if (V.R == Region::Packet || V.R == Region::Buffer) {
    // Safe when in bounds (the kernel takes packet pointers), but neither
    // this verifier nor the checker follows such a buffer yet.
    unsupported(A.L, "a packet or buffer pointer as the data " +
                         H.name() +
                         " reads (copy the bytes into a variable first)");
    return false;
  }
  if (V.R != Region::Local) {
    violation(St, A.L,
              Which + " must be '&v' of a local variable or a pointer into "
                      "a map value or a global variable",
              varsOf(A));
    return false;
  }
  LocalBuffer Buf = localBuffer(St, A, 0);
  if (Need > Buf.Bytes) {
    violation(St, A.L,
              "helper given a too-small buffer: " + H.name() + " reads " +
                  std::to_string(Need) + " bytes, but '&" + Buf.Name +
                  "' points to " + std::to_string(Buf.Bytes) + " (" +
                  Buf.Spelling + ")",
              {});
    return false;
  }
  if (Buf.Unset) {
    violation(St, A.L,
              "helper given an uninitialised buffer: '" +
                  F.Vars[*Buf.Unset].Name + "' has no value here, and " +
                  H.name() + " reads it",
              {});
    return false;
  }
  if (Buf.Pointer) {
    violation(St, A.L,
              "pointer leaked: '" + Buf.Name + "' holds a pointer, and " +
                  H.name() + " copies its bytes out",
              varsOf(A));
    return false;
  }
  return true;
}

/// The buffer of `&v` A (an AddrOf: its Span variables, one after another
/// in memory, cir::Expr): its size; for messages its first variable's name
/// and v's type (or the struct's or array's whose bytes the variables
/// hold); a variable with bytes past the first Kept that holds no value
/// (the helper reads it, or leaves it as it was); and whether one holds a
/// pointer.
Engine::LocalBuffer Engine::localBuffer(const State &St, const cir::Expr &A,
                                        uint64_t Kept) const {
  LocalBuffer B;
  B.Name = F.Vars[A.VarId].Name;
  // The AddrOf's type is a pointer to the variable or the aggregate.
  B.Spelling = A.Ty.Spelling.substr(0, A.Ty.Spelling.rfind(" *"));
  for (unsigned V = A.VarId; V < A.VarId + A.Span; ++V) {
    B.Bytes += F.Vars[V].Ty.Bits / 8;
    bool Set = V < St.Vars.size() && St.Vars[V];
    if (!Set && B.Bytes > Kept && !B.Unset)
      B.Unset = V;
    B.Pointer = B.Pointer || (Set && isRegionPtr(*St.Vars[V]));
  }
  return B;
}

/// A helper call: its arguments against the helper's contract (Helpers),
/// then its result: null or a fresh map value object for a lookup, an
/// arbitrary value of the result type otherwise.
Val Engine::helperCall(const cir::Expr &E, State &St,
                       const std::vector<Val> &Args) {
  St.Outputs.clear();
  St.UnsetOutputs.clear();
  // bpf_ringbuf_submit and bpf_ringbuf_discard return nothing (void).
  auto Result = [&] {
    return E.Ty.isVoid() ? scalar(bv(0, 8)) : freshScalar(E.Ty);
  };
  // A non-entry function may call the helpers every program type may.
  auto Allowed = [&](const HelperContract &X) {
    return (X.Types & TypeBit) == TypeBit;
  };
  const HelperContract *H = nullptr;
  for (const HelperContract &X : Helpers)
    if (X.Id == E.Value && Allowed(X))
      H = &X;
  if (!H) {
    std::string Known;
    for (const HelperContract &X : Helpers)
      if (Allowed(X))
        Known += std::string(Known.empty() ? "" : ", ") + X.name();
    violation(St, E.L,
              "helper " + std::to_string(E.Value) +
                  " is not supported/allowed for " + TypeName +
                  (F.isEntry() ? " programs" : "s") + " (VEP allows " +
                  Known + ")",
              {});
    return Result();
  }
  if (Args.size() > H->Args.size() ||
      Args.size() + H->OptionalArgs < H->Args.size()) {
    unsupported(E.L, std::string("call of ") + H->name() + " with " +
                         std::to_string(Args.size()) + " arguments");
    return Result();
  }
  const cir::MapDef *Map = nullptr;
  for (unsigned I = 0; I < Args.size(); ++I) {
    if (!helperArgument(*H, I, E, St, Args[I], Map))
      return Result();
    if (H->Args[I] == ArgKind::Map)
      Map = &argMap(Args[I]);
  }
  if (H->Result == HelperResult::NewPacket)
    packetChanged(St, *H, E.L);
  if (H->Result == HelperResult::Undefined) // a tail call ends the program
    noLiveReservation(St, E.L, " before " + H->name());
  if (H->Result == HelperResult::Release)
    std::erase(St.Live, Args[0].Obj);
  if (H->Result != HelperResult::MapValue &&
      H->Result != HelperResult::Reservation)
    return Result();
  unsigned Obj = unsigned(Objects.size());
  Objects.push_back(
      {Map, C.bool_const(("found!" + std::to_string(FreshCount++)).c_str())});
  if (H->Result == HelperResult::Reservation) {
    Objects.back().Reserved = constantLength(E, 0)->Value;
    Objects.back().Line = E.L.Line;
    St.Live.push_back(Obj);
  }
  return Val{Region::MapValue, bv(0, 64), Obj};
}

/// After a call of H that changes the packet (bpf_xdp_adjust_head, ...):
/// the path sees a new packet of any length the program type allows, and
/// every pointer into the old one is stale (a read of a variable holding
/// one fails, see staleUse): the helper may have moved or freed its
/// bytes, as the kernel's verifier assumes (it forgets every packet
/// pointer after such a call). Functions cannot get here: they call only
/// the helpers of every program type, and none of these is a tracing
/// type's. Inside a loop the head would need to say which packet its
/// pointers point into: not supported yet.
void Engine::packetChanged(State &St, const HelperContract &H, cir::Loc L) {
  if (LoopIterations) {
    unsupported(L, H.name() + " inside a loop");
    St.PC = C.bool_val(false);
    return;
  }
  // The length's bound holds wherever Len exists, loop heads included: a
  // fact of the solver, as N's is (newSolver).
  z3::expr Len = fresh(64, "n");
  uint64_t MaxLen = F.ProgType == cir::ProgramType::XDP ? 65535 : 0xffffffff;
  addSolverFact(z3::ule(Len, bv(MaxLen, 64)));
  St.Packet = unsigned(Packets.size());
  Packets.push_back({Len, H.name(), L.Line});
}

/// The failure of a use of variable `Name`, a stale packet pointer on
/// St's path; names the path's last packet-changing call.
std::string Engine::staleUse(const State &St, const std::string &Name) const {
  const PacketObject &Last = Packets[St.Packet];
  return "packet pointer '" + Name + "' used after a packet-changing helper (" +
         Last.Helper + " at line " + std::to_string(Last.Line) +
         " may move the packet: read ctx->data and ctx->data_end again)";
}

/// A call of the non-entry function G = Module::Functions[E.Value]: G's
/// Require is proved of the arguments at the call (each pointer
/// parameter's description, then the facts), then G's Ensure is assumed of
/// the arguments and a fresh result. Packet and map contents are not
/// modelled, so what G writes through a buffer needs no havoc here.
Val Engine::funcCall(const cir::Expr &E, State &St,
                     const std::vector<Val> &Args,
                     std::vector<ConditionalWrite> &Conditional) {
  St.Outputs.clear();
  St.UnsetOutputs.clear();
  Val Result = E.Ty.isVoid() ? scalar(bv(0, 8)) : freshScalar(E.Ty);
  if (E.Value >= Mod.Functions.size() || Mod.Functions[E.Value].isEntry() ||
      Args.size() != Mod.Functions[E.Value].NumParams ||
      Mod.Functions[E.Value].Params.size() != Args.size() ||
      !Mod.Functions[E.Value].Contract) {
    unsupported(E.L, "call of a function without a contract");
    return Result;
  }
  // A pending reservation stays the caller's: the callee sees it only as
  // a buffer (below), which it may not release.
  const cir::Function &G = Mod.Functions[E.Value];
  std::string Pre = "precondition of '" + G.Name + "' may not hold";
  std::vector<Binding> B = bindings(G, Args);
  std::vector<Extra> Extras;
  for (const Binding &X : B)
    Extras.push_back({"argument '" + X.Name + "'", X.V, X.Ty});
  std::map<unsigned, z3::expr> ArgSizes; // of the buffer parameters
  for (unsigned I = 0; I < G.NumParams; ++I) {
    const cir::ParamSpec &P = G.Params[I];
    const cir::Expr &A = *E.Ops[I];
    const Val &V = Args[I];
    const std::string &PN = G.Vars[I].Name;
    switch (P.K) {
    case cir::ParamSpec::Kind::Scalar:
      if (V.R == Region::Scalar && wd(V.E) != bits(G.Vars[I].Ty)) {
        // The front end converts arguments to the parameter types.
        unsupported(A.L, "an argument of another width than its parameter");
        return Result;
      }
      if (V.R == Region::Scalar)
        break;
      violation(St, E.L,
                Pre + ": argument '" + PN + "' must be an integer, not a "
                                            "pointer",
                varsOf(A));
      return Result;
    case cir::ParamSpec::Kind::Packet:
    case cir::ParamSpec::Kind::PacketEnd: {
      bool End = P.K == cir::ParamSpec::Kind::PacketEnd;
      std::string What =
          Pre + ": " +
          (End ? "packet_end(" + PN + ") requires " + PN + " == data_end"
               : "packet(" + PN + ") requires data <= " + PN +
                     " <= data_end and " + PN + " <= data + 2^30");
      if (V.R != Region::Packet) {
        violation(St, E.L, What + " (a pointer into the packet)", varsOf(A));
        return Result;
      }
      const z3::expr &N = Packets[St.Packet].Len;
      z3::expr Goal = End ? V.E == N
                          : z3::sge(V.E, bv(0, 64)) && z3::sle(V.E, N) &&
                                z3::sle(V.E, bv(MaxPacketArgOffset, 64));
      obligation(St, Goal, E.L, What, varsOf(A), Extras);
      break;
    }
    case cir::ParamSpec::Kind::Buffer: {
      MathCtx M{St, nullptr, E.L, {}, false, &B};
      z3::expr Size = intTerm(*P.BufferBytes, M);
      if (M.Bad)
        return Result;
      bufferArgument(G, I, E, St, V, Size, Pre);
      ArgSizes.emplace(I, Size);
      break;
    }
    }
  }
  disjointBuffers(G, E, St, Args, ArgSizes, Pre);
  // The callee's contents names: what its buffer arguments hold; its
  // integer With variables: from `where` or Require.
  std::map<std::string, Seq> Seqs;
  callContents(G, E, St, Args, false, Seqs);
  std::map<std::string, z3::expr> Logical;
  if (!callLogical(G, E, St, B, Seqs, Logical))
    return Result;
  for (const auto &[Name, V] : Logical) {
    cir::Type I64;
    I64.Bits = 64;
    I64.Signed = true;
    Extras.push_back({"With '" + Name + "'", scalar(bv(0, 64)), I64, V});
  }
  if (G.Contract->Pre) {
    MathCtx M{St, nullptr, E.L, {}, false, &B};
    M.Seqs = Seqs;
    M.CallSite = true;
    M.Logical = Logical;
    z3::expr Goal = requireFacts(*G.Contract->Pre, M);
    if (M.Bad)
      return Result;
    if (Proof)
      callWitness(G, St, Args, Logical, Seqs);
    obligation(St, Goal, E.L, Pre, varsOf(E), Extras);
    CallInstances.clear();
    CallFrame.clear();
  }
  callContents(G, E, St, Args, true, Seqs);
  MathCtx M{St, &Result, E.L, {}, false, &B, &G.ReturnType};
  M.Seqs = Seqs;
  M.CallSite = true;
  M.Logical = Logical;
  if (G.Contract->Post) {
    z3::expr Post = assertion(*G.Contract->Post, M);
    if (!M.Bad)
      St.PC = St.PC && Post;
  }
  // The objects G leaves unset: nowhere written (UndefOnReturn), or
  // written only where WrittenIf holds.
  for (unsigned I = 0; I < G.NumParams && !M.Bad; ++I) {
    const cir::ParamSpec &P = G.Params[I];
    if (!P.UndefOnReturn && !(P.Undef && P.WrittenIf))
      continue;
    ConditionalWrite W{P.UndefOnReturn ? C.bool_val(false)
                                       : assertion(*P.WrittenIf, M),
                       {},
                       std::nullopt};
    if (Args[I].R == Region::Local)
      for (unsigned X = E.Ops[I]->VarId;
           X < E.Ops[I]->VarId + E.Ops[I]->Span; ++X)
        W.Vars.push_back(X);
    if (Args[I].R == Region::Buffer)
      W.Buffer = Args[I].Obj;
    Conditional.push_back(std::move(W));
  }
  return Result;
}

/// Buffer parameter I of G, given V at the call `Call`: V must point to at
/// least Size bytes the caller may access: 0 <= Size, and [offset, offset +
/// Size) inside the packet, a (non-null) map value or a buffer of the
/// caller, which the caller must itself be allowed to write if G writes
/// it. Packet and map value bytes are always initialised.
void Engine::bufferArgument(const cir::Function &G, unsigned I,
                            const cir::Expr &Call, State &St, const Val &V,
                            const z3::expr &Size, const std::string &Pre) {
  const cir::Expr &A = *Call.Ops[I];
  const std::string &PN = G.Vars[I].Name;
  std::string What = Pre + ": '" + PN + "' must point to " +
                     logic::print(*G.Params[I].BufferBytes) +
                     " bytes the caller may access";
  z3::expr Len = bv(0, 2);
  switch (V.R) {
  case Region::Packet:
    Len = z3::zext(Packets[St.Packet].Len, 1);
    break;
  case Region::MapValue:
    if (isInnerMap(V)) {
      violation(St, Call.L, What + ", not an inner map", varsOf(A));
      return;
    }
    nonNull(St, V, Call.L, A);
    if (releasedUse(St, V, Call.L, A))
      return;
    Len = intLit(reserved(V) ? Objects[V.Obj].Reserved
                             : mapOf(V).ValueSize);
    break;
  case Region::Local:
    localBufferArgument(G, I, Call, St, Size, What);
    return;
  case Region::Buffer:
    if (St.Unwritten.count(V.Obj) && !G.Params[I].Undef) {
      violation(St, Call.L,
                "read of uninitialised memory: '" + F.Vars[V.Obj].Name +
                    "' is undef_data_at in the Require, and '" + G.Name +
                    "' may read its buffer '" + PN + "'",
                varsOf(A));
      return;
    }
    if (G.Params[I].Writes && !F.Params[V.Obj].Writes) {
      violation(St, Call.L,
                Pre + ": '" + G.Name + "' writes '" + PN + "', but '" +
                    F.Vars[V.Obj].Name + "' is a buffer '" + F.Name +
                    "' only reads",
                varsOf(A));
      return;
    }
    Len = BufferSizes.at(V.Obj).second;
    break;
  default:
    violation(St, Call.L,
              What + " (in the packet, a map value, a buffer parameter or "
                     "a local variable)",
              varsOf(A));
    return;
  }
  cir::Type I64;
  I64.Bits = 64;
  I64.Signed = true;
  z3::expr Zero = bv(0, 2);
  z3::expr Goal = mCmp("<=", Zero, Size) && mCmp(">=", V.E, Zero) &&
                  mCmp("<=", mAdd(V.E, Size), Len);
  obligation(St, Goal, Call.L, What, varsOf(A),
             {{"'" + PN + "'", V, G.Vars[I].Ty},
              {"size", scalar(bv(0, 64)), I64, Size}});
}

/// Buffer parameter I of G given `&k` of a local (Call.Ops[I]): k's bytes
/// go on the stack, where the checker takes a buffer of a constant size of
/// at least one byte (docs/proof-format.md 15.5) whose bytes all hold data:
/// a size that is not a constant on the path is not supported, and every
/// variable of k must hold a value and no pointer (the callee may read
/// any byte, also of a buffer it writes).
void Engine::localBufferArgument(const cir::Function &G, unsigned I,
                                 const cir::Expr &Call, State &St,
                                 const z3::expr &Size,
                                 const std::string &What) {
  const cir::Expr &A = *Call.Ops[I];
  LocalBuffer Buf = localBuffer(St, A, 0);
  std::optional<int64_t> N = numeral(Size.simplify());
  if (!N) {
    unsupported(A.L, "a local buffer passed to '" + G.Name +
                         "' with a size that is not a constant ('" +
                         G.Vars[I].Name + "' must point to " +
                         logic::print(*G.Params[I].BufferBytes) + " bytes)");
    St.PC = C.bool_val(false);
    return;
  }
  std::string Holds = "'&" + Buf.Name + "' points to " +
                      std::to_string(Buf.Bytes) + " (" + Buf.Spelling + ")";
  if (*N < 1 || uint64_t(*N) > Buf.Bytes)
    violation(St, Call.L,
              What + ", " + std::to_string(*N) + " here, but " + Holds +
                  (*N < 1 ? " and a buffer on the stack holds at least 1"
                          : ""),
              varsOf(A));
  else if (Buf.Unset)
    violation(St, A.L,
              "read of uninitialised variable '" + F.Vars[*Buf.Unset].Name +
                  "': '" + G.Name + "' may read its buffer '" +
                  G.Vars[I].Name + "'",
              {});
  else if (Buf.Pointer)
    violation(St, A.L,
              "pointer leaked: '" + Buf.Name + "' holds a pointer, and '" +
                  G.Name + "' may read its bytes",
              varsOf(A));
}

Val Engine::cast(const cir::Expr &E, const Val &V) {
  const cir::Type &To = E.Ty;
  const cir::Type &From = E.Ops[0]->Ty;
  unsigned TB = bits(To);
  if (V.R != Region::Scalar) {
    if (To.isPtr() || TB >= 32)
      return V;
    return scalar(fresh(TB, "ptrbits"));
  }
  unsigned FB = V.E.get_sort().bv_size();
  if (TB == FB)
    return V;
  if (TB < FB)
    return scalar(V.E.extract(TB - 1, 0));
  if (From.Signed && !From.isPtr())
    return scalar(z3::sext(V.E, TB - FB));
  return scalar(z3::zext(V.E, TB - FB));
}

Val Engine::arith(const cir::Expr &E, State &St, const Val &A, const Val &B) {
  const cir::Type &Ty = E.Ty;
  unsigned W = bits(Ty);
  cir::Loc L = E.L;
  std::set<unsigned> Vs = varsOf(E);
  bool PtrA = A.R != Region::Scalar, PtrB = B.R != Region::Scalar;
  for (const Val *P : {&A, &B}) {
    if (P->R == Region::Map || P->R == Region::Local) {
      unsupported(L, "arithmetic on the address of a map or a variable");
      return freshScalar(Ty);
    }
    // As the kernel, no arithmetic on a pointer that may be null, nor on
    // a map.
    if (isInnerMap(*P)) {
      violation(St, L,
                "arithmetic on an inner map (a value of the map of "
                "maps '" +
                    mapOf(*P).Name + "')",
                Vs);
      return freshScalar(Ty);
    }
    if (P->R == Region::MapValue)
      nonNull(St, *P, L, E);
  }

  if (E.Op == Op::PtrAdd) {
    if (PtrB) {
      addFailure(L, "pointer used as an offset", "");
      return freshScalar(Ty);
    }
    z3::expr Off = B.E;
    if (Off.get_sort().bv_size() < 64)
      Off = z3::sext(Off, 64 - Off.get_sort().bv_size());
    return Val{A.R, A.E + Off, A.Obj};
  }
  if (E.Op == Op::PtrDiff) {
    if (!sameObject(A, B)) {
      violation(St, L, "difference of pointers into different objects", Vs);
      return freshScalar(Ty);
    }
    z3::expr D = A.E - B.E;
    return scalar(W < 64 ? D.extract(W - 1, 0) : D);
  }
  if (PtrA || PtrB) {
    auto ext64 = [&](const Val &X, const cir::Type &T) {
      unsigned XB = X.E.get_sort().bv_size();
      if (XB >= 64)
        return X.E;
      return T.Signed ? z3::sext(X.E, 64 - XB) : z3::zext(X.E, 64 - XB);
    };
    if (E.Op == Op::Add && PtrA != PtrB) {
      const Val &P = PtrA ? A : B;
      const Val &I = PtrA ? B : A;
      return Val{P.R, P.E + ext64(I, PtrA ? E.Ops[1]->Ty : E.Ops[0]->Ty),
                 P.Obj};
    }
    if (E.Op == Op::Sub && PtrA && !PtrB)
      return Val{A.R, A.E - ext64(B, E.Ops[1]->Ty), A.Obj};
    if (E.Op == Op::Sub && PtrA && PtrB) {
      if (!sameObject(A, B)) {
        violation(St, L, "difference of pointers into different objects", Vs);
        return freshScalar(Ty);
      }
      z3::expr D = A.E - B.E;
      return scalar(W < 64 ? D.extract(W - 1, 0) : D);
    }
    unsupported(L, "this arithmetic on a pointer value");
    return freshScalar(Ty);
  }

  const z3::expr &X = A.E;
  z3::expr Y = B.E;
  if (Y.get_sort().bv_size() != W) // defensive: operands should match
    Y = Y.get_sort().bv_size() < W ? z3::zext(Y, W - Y.get_sort().bv_size())
                                   : Y.extract(W - 1, 0);
  auto fits = [&](const z3::expr &Wide) {
    // Wide is the exact result in more bits; it fits if it equals its own
    // sign-extended truncation.
    unsigned WB = Wide.get_sort().bv_size();
    return z3::sext(Wide.extract(W - 1, 0), WB - W) == Wide;
  };
  std::string TyName = Ty.Spelling.empty() ? "int" : Ty.Spelling;
  switch (E.Op) {
  case Op::Add:
    if (Ty.Signed)
      obligation(St, fits(z3::sext(X, 1) + z3::sext(Y, 1)), L,
                 "signed overflow in addition of type '" + TyName + "'", Vs);
    return scalar(X + Y);
  case Op::Sub:
    if (Ty.Signed)
      obligation(St, fits(z3::sext(X, 1) - z3::sext(Y, 1)), L,
                 "signed overflow in subtraction of type '" + TyName + "'",
                 Vs);
    return scalar(X - Y);
  case Op::Mul:
    if (Ty.Signed)
      obligation(St, z3::bvmul_no_overflow(X, Y, true) &&
                         z3::bvmul_no_underflow(X, Y), L,
                 "signed overflow in multiplication of type '" + TyName + "'",
                 Vs);
    return scalar(X * Y);
  case Op::UDiv:
  case Op::URem:
  case Op::SDiv:
  case Op::SRem: {
    obligation(St, Y != bv(0, W), L, "division by zero", Vs);
    bool Signed = E.Op == Op::SDiv || E.Op == Op::SRem;
    if (Signed) {
      uint64_t Min = uint64_t(1) << (W - 1);
      obligation(St, !(X == bv(Min, W) && Y == bv(~uint64_t(0), W)), L,
                 "signed overflow in division of type '" + TyName + "'", Vs);
    }
    switch (E.Op) {
    case Op::UDiv: return scalar(z3::udiv(X, Y));
    case Op::URem: return scalar(z3::urem(X, Y));
    case Op::SDiv: return scalar(X / Y);
    default: return scalar(z3::srem(X, Y));
    }
  }
  case Op::And: return scalar(X & Y);
  case Op::Or: return scalar(X | Y);
  case Op::Xor: return scalar(X ^ Y);
  case Op::Shl:
  case Op::LShr:
  case Op::AShr: {
    obligation(St, z3::ult(Y, bv(W, W)), L,
               "shift amount out of range (must be less than " +
                   std::to_string(W) + ")",
               Vs);
    if (E.Op == Op::LShr)
      return scalar(z3::lshr(X, Y));
    if (E.Op == Op::AShr)
      return scalar(z3::ashr(X, Y));
    z3::expr Res = z3::shl(X, Y);
    if (Ty.Signed)
      obligation(St,
                 z3::sge(X, bv(0, W)) && z3::ashr(Res, Y) == X &&
                     z3::sge(Res, bv(0, W)),
                 L, "signed overflow in left shift of type '" + TyName + "'",
                 Vs);
    return scalar(Res);
  }
  default:
    unsupported(L, "binary operator");
    return freshScalar(Ty);
  }
}

Val Engine::compare(const cir::Expr &E, State &, const Val &A,
                    const Val &B) {
  unsigned W = bits(E.Ty);
  bool PtrA = A.R != Region::Scalar, PtrB = B.R != Region::Scalar;
  if (PtrA || PtrB) {
    bool Eq = E.Op == Op::Eq, Ne = E.Op == Op::Ne;
    if (sameObject(A, B)) {
      // Packet pointers compare by their offsets, as the checker's rule
      // jmp_ptr_cmp does: only while both offsets are within 2^31 of the
      // packet start (platform assumption 3: no address wraps). Further out
      // (C calls that pointer arithmetic undefined) and for pointers into
      // other objects, the checker learns nothing from the comparison, so
      // neither does VEP-C: the result is unknown, both branches run.
      if (A.R != Region::Packet)
        return freshScalar(E.Ty);
      z3::expr Cnd = C.bool_val(false);
      switch (E.Op) {
      case Op::Eq: Cnd = A.E == B.E; break;
      case Op::Ne: Cnd = A.E != B.E; break;
      case Op::ULt: case Op::SLt: Cnd = z3::slt(A.E, B.E); break;
      case Op::ULe: case Op::SLe: Cnd = z3::sle(A.E, B.E); break;
      case Op::UGt: case Op::SGt: Cnd = z3::sgt(A.E, B.E); break;
      default: Cnd = z3::sge(A.E, B.E); break;
      }
      z3::expr Lim = bv(uint64_t(1) << 31, 64);
      auto Near = [&](const z3::expr &O) {
        return z3::sle(-Lim, O) && z3::sle(O, Lim);
      };
      z3::expr Unknown = fresh(1, "cmp") == bv(1, 1);
      return scalar(boolToInt(
          z3::ite(Near(A.E) && Near(B.E), Cnd, Unknown), W));
    }
    const Val &P = PtrA ? A : B;
    const Val &Other = PtrA ? B : A;
    bool WithNull =
        !isRegionPtr(Other) && numeral(Other.E) && *numeral(Other.E) == 0;
    if ((Eq || Ne) && WithNull)
      return scalar(boolToInt(Ne ? truth(P) : !truth(P), W));
    // Two lookups may return the same value; nothing else aliases.
    bool MayAlias = A.R == Region::MapValue && B.R == Region::MapValue;
    if ((Eq || Ne) && isRegionPtr(Other) && !MayAlias)
      return scalar(bv(Ne ? 1 : 0, W)); // distinct objects
    unsupported(E.L, "comparison of a pointer with an unrelated value");
    return freshScalar(E.Ty);
  }
  const z3::expr &X = A.E;
  z3::expr Y = B.E;
  z3::expr Cnd = C.bool_val(false);
  switch (E.Op) {
  case Op::Eq: Cnd = X == Y; break;
  case Op::Ne: Cnd = X != Y; break;
  case Op::ULt: Cnd = z3::ult(X, Y); break;
  case Op::ULe: Cnd = z3::ule(X, Y); break;
  case Op::UGt: Cnd = z3::ugt(X, Y); break;
  case Op::UGe: Cnd = z3::uge(X, Y); break;
  case Op::SLt: Cnd = z3::slt(X, Y); break;
  case Op::SLe: Cnd = z3::sle(X, Y); break;
  case Op::SGt: Cnd = z3::sgt(X, Y); break;
  case Op::SGe: Cnd = z3::sge(X, Y); break;
  default:
    unsupported(E.L, "comparison operator");
    return freshScalar(E.Ty);
  }
  return scalar(boolToInt(Cnd, W));
}

Outcomes Engine::evalBinary(const cir::Expr &E, const State &St) {
  Outcomes Out;
  for (auto &[S1, A] : eval(*E.Ops[0], St))
    for (auto &[S2, B] : eval(*E.Ops[1], S1)) {
      State S3 = S2;
      Val V = E.K == CK::Cmp ? compare(E, S3, A, B) : arith(E, S3, A, B);
      Out.emplace_back(std::move(S3), V);
    }
  return Out;
}

/// The arguments of a call, per outcome. They are variables and constants
/// (CIR.h): evaluating them does not fork, but the general form costs
/// nothing.
std::vector<std::pair<State, std::vector<Val>>>
Engine::evalArgs(const cir::Expr &E, const State &St) {
  std::vector<std::pair<State, std::vector<Val>>> Partial{{St, {}}};
  for (const auto &A : E.Ops) {
    std::vector<std::pair<State, std::vector<Val>>> Next;
    for (auto &[S1, Vs] : Partial)
      for (auto &[S2, V] : eval(*A, S1)) {
        std::vector<Val> Vs2 = Vs;
        Vs2.push_back(V);
        Next.emplace_back(std::move(S2), std::move(Vs2));
      }
    Partial = std::move(Next);
  }
  return Partial;
}

Outcomes Engine::eval(const cir::Expr &E, const State &St) {
  Outcomes Out;
  switch (E.K) {
  case CK::MapAddr:
    if (E.Value >= Mod.Maps.size()) {
      unsupported(E.L, "unknown map");
      Out.emplace_back(St, freshScalar(E.Ty));
      return Out;
    }
    Out.emplace_back(St, Val{Region::Map, bv(0, 64), unsigned(E.Value)});
    return Out;
  case CK::AddrOf:
    Out.emplace_back(St, Val{Region::Local, bv(0, 64), E.VarId});
    return Out;
  case CK::GlobalAddr:
    if (E.Value >= Mod.Globals.size()) {
      unsupported(E.L, "unknown global variable");
      Out.emplace_back(St, freshScalar(E.Ty));
      return Out;
    }
    Out.emplace_back(St, Val{Region::Global, bv(0, 64), unsigned(E.Value)});
    return Out;
  case CK::AtomicResult: // memory's old contents: map contents are not
                         // tracked (see the file comment)
    Out.emplace_back(St, freshScalar(E.Ty));
    return Out;
  case CK::CallOutput:
    // What a function wrote, as its Ensure says (callContents), or else
    // any value of the variable's type (when the call wrote only some
    // bytes, the others kept theirs; forgetting that is an
    // over-approximation).
    if (auto It = St.Outputs.find(E.VarId); It != St.Outputs.end())
      Out.emplace_back(St, scalar(It->second));
    else
      Out.emplace_back(St, freshScalar(E.Ty));
    return Out;
  case CK::Call:
  case CK::FuncCall:
    for (auto &[S1, Vs] : evalArgs(E, St)) {
      State S2 = S1;
      if (E.K == CK::Call) {
        Val V = helperCall(E, S2, Vs);
        Out.emplace_back(std::move(S2), V);
        continue;
      }
      // Each conditional write splits the path: written, or left unset.
      std::vector<ConditionalWrite> Conditional;
      Val V = funcCall(E, S2, Vs, Conditional);
      std::vector<State> Sides{std::move(S2)};
      for (const ConditionalWrite &W : Conditional) {
        std::vector<State> Next;
        for (const State &S : Sides) {
          std::optional<State> Written, Unset;
          fork(S, W.Written, Written, Unset);
          if (Written)
            Next.push_back(std::move(*Written));
          if (!Unset)
            continue;
          Unset->UnsetOutputs.insert(W.Vars.begin(), W.Vars.end());
          if (W.Buffer)
            Unset->Unwritten.insert(*W.Buffer);
          Next.push_back(std::move(*Unset));
        }
        Sides = std::move(Next);
      }
      for (State &S : Sides)
        Out.emplace_back(std::move(S), V);
    }
    return Out;
  case CK::Const:
    Out.emplace_back(St, scalar(bv(E.Value, bits(E.Ty))));
    return Out;
  case CK::Var: {
    State S2 = St;
    if (E.VarId >= S2.Vars.size()) {
      unsupported(E.L, "unknown variable");
      Out.emplace_back(S2, freshScalar(E.Ty));
      return Out;
    }
    if (!S2.Vars[E.VarId]) {
      // C leaves reading an unassigned automatic variable undefined (and
      // the kernel refuses a read of an uninitialised register or stack
      // slot). The counterexample shows the values on the path that
      // reached the read without an assignment.
      const cir::Variable &V = F.Vars[E.VarId];
      obligation(S2, C.bool_val(false), E.L,
                 V.PastEndOf ? "index out of bounds: '" + V.Name + "' (" +
                                   std::to_string(V.PastEndOf) + " elements)"
                             : "read of uninitialised variable '" + V.Name +
                                   "'",
                 {}, {}, Note::ValuesAndPath);
      Out.emplace_back(std::move(S2), freshScalar(F.Vars[E.VarId].Ty));
      return Out;
    }
    Val V = *S2.Vars[E.VarId];
    if (stalePacket(S2, V))
      obligation(S2, C.bool_val(false), E.L, staleUse(S2, F.Vars[E.VarId].Name),
                 {}, {}, Note::None);
    Out.emplace_back(std::move(S2), V);
    return Out;
  }
  case CK::Load:
    for (auto &[S1, A] : eval(*E.Ops[0], St)) {
      State S2 = S1;
      Val V = load(E, S2, A);
      Out.emplace_back(std::move(S2), V);
    }
    return Out;
  case CK::Cast:
    for (auto &[S1, V] : eval(*E.Ops[0], St))
      Out.emplace_back(S1, cast(E, V));
    return Out;
  case CK::Unary:
    for (auto &[S1, V] : eval(*E.Ops[0], St)) {
      State S2 = S1;
      unsigned W = bits(E.Ty);
      if (E.Op == Op::LNot) {
        Out.emplace_back(std::move(S2), scalar(boolToInt(!truth(V), W)));
        continue;
      }
      if (V.R != Region::Scalar) {
        unsupported(E.L, "this operation on a pointer value");
        Out.emplace_back(std::move(S2), freshScalar(E.Ty));
        continue;
      }
      if (E.Op == Op::Neg) {
        if (E.Ty.Signed)
          obligation(S2, V.E != bv(uint64_t(1) << (W - 1), W), E.L,
                     "signed overflow in negation of type '" +
                         E.Ty.Spelling + "'",
                     varsOf(E));
        Out.emplace_back(std::move(S2), scalar(-V.E));
      } else {
        Out.emplace_back(std::move(S2), scalar(~V.E));
      }
    }
    return Out;
  case CK::Binary:
  case CK::Cmp:
    return evalBinary(E, St);
  case CK::LAnd:
  case CK::LOr: {
    bool And = E.K == CK::LAnd;
    unsigned W = bits(E.Ty);
    for (auto &[S1, A] : eval(*E.Ops[0], St)) {
      std::optional<State> T, Fl;
      fork(S1, truth(A), T, Fl);
      // && : false left -> 0 ; || : true left -> 1
      std::optional<State> &Short = And ? Fl : T;
      std::optional<State> &Long = And ? T : Fl;
      if (Short)
        Out.emplace_back(std::move(*Short), scalar(bv(And ? 0 : 1, W)));
      if (Long)
        for (auto &[S2, B] : eval(*E.Ops[1], *Long))
          Out.emplace_back(S2, scalar(boolToInt(truth(B), W)));
    }
    return Out;
  }
  case CK::Cond:
    for (auto &[S1, Cv] : eval(*E.Ops[0], St)) {
      std::optional<State> T, Fl;
      fork(S1, truth(Cv), T, Fl);
      if (T)
        for (auto &P : eval(*E.Ops[1], *T))
          Out.push_back(std::move(P));
      if (Fl)
        for (auto &P : eval(*E.Ops[2], *Fl))
          Out.push_back(std::move(P));
    }
    return Out;
  }
  unsupported(E.L, "expression");
  Out.emplace_back(St, freshScalar(E.Ty));
  return Out;
}

//===----------------------------------------------------------------------===//
// Annotations: mathematical integers
//===----------------------------------------------------------------------===//

Engine::TV Engine::term(const logic::Term &T, MathCtx &M) {
  using K = logic::Term::Kind;
  cir::Loc L{T.Pos.Line, T.Pos.Col};
  auto Int = [&](z3::expr E) { return TV{false, Region::Scalar, E}; };
  switch (T.K) {
  case K::IntLit:
    return Int(intLit(T.Value));
  case K::Var: {
    if (T.Name == "__return") {
      if (!M.Ret) {
        unsupported(L, "'__return' outside an Ensure clause");
        return badTerm(M);
      }
      if (M.Ret->R != Region::Scalar) {
        unsupported(L, "returning a pointer value");
        return badTerm(M);
      }
      return Int(math(*M.Ret, M.RetTy ? *M.RetTy : F.ReturnType));
    }
    for (auto It = M.Binders.rbegin(); It != M.Binders.rend(); ++It)
      if (It->first == T.Name)
        return Int(It->second);
    if (auto It = M.Seqs.find(T.Name); It != M.Seqs.end())
      return TV{false, Region::Scalar, bv(0, 2), It->second};
    if (auto It = EntrySeqs.find(T.Name);
        !M.CallSite && It != EntrySeqs.end())
      return TV{false, Region::Scalar, bv(0, 2), It->second};
    if (auto It = M.Logical.find(T.Name); It != M.Logical.end())
      return Int(It->second);
    if (auto It = EntryLogical.find(T.Name);
        !M.CallSite && It != EntryLogical.end())
      return Int(It->second);
    if (M.Bound) {
      for (const Binding &B : *M.Bound) {
        if (B.Name != T.Name)
          continue;
        if (!B.Ty.isPtr())
          return Int(math(B.V, B.Ty));
        if (B.V.R != Region::Packet) {
          // The front end admits packet pointers only; a caller's wrong
          // argument was reported by the precondition's check.
          M.Bad = true;
          return badTerm(M);
        }
        return TV{true, B.V.R, B.V.E};
      }
      unsupported(L, "unknown variable '" + T.Name + "' in a contract");
      return badTerm(M);
    }
    for (unsigned I = 0; I < F.Vars.size(); ++I) {
      if (F.Vars[I].Name != T.Name)
        continue;
      M.Vars.insert(I);
      const cir::Type &Ty = F.Vars[I].Ty;
      const auto &V = M.St.Vars[I];
      // Uninitialised: any value of its type.
      Val X = V ? *V : scalar(fresh(bits(Ty), T.Name));
      if (X.R == Region::MapValue || X.R == Region::Map ||
          X.R == Region::Global) {
        unsupported(L, "variable '" + T.Name +
                           "' holding a map value pointer in an annotation");
        return badTerm(M);
      }
      if (X.R == Region::Buffer) {
        unsupported(L, "variable '" + T.Name +
                           "' holding a buffer pointer in an annotation");
        return badTerm(M);
      }
      if (stalePacket(M.St, X)) {
        ++R.Obligations;
        addFailure(L, staleUse(M.St, T.Name), "");
        return badTerm(M);
      }
      if (Ty.isPtr()) {
        if (X.R != Region::Scalar) // (region, signed offset)
          return TV{true, X.R, X.E};
        return TV{true, Region::Scalar, z3::zext(X.E, 1)}; // its address
      }
      if (X.R != Region::Scalar) {
        unsupported(L, "integer variable '" + T.Name +
                           "' holding a pointer in an annotation (declare it "
                           "with a pointer type)");
        return badTerm(M);
      }
      return Int(math(X, Ty));
    }
    unsupported(L, "unknown variable '" + T.Name + "' in an annotation");
    return badTerm(M);
  }
  case K::Unary: {
    z3::expr X = intTerm(*T.Args[0], M);
    if (T.Op == "-")
      return Int(mNeg(X));
    if (T.Op == "~")
      return Int(~X); // -X - 1, in the same width
    break;
  }
  case K::Binary: {
    TV A = term(*T.Args[0], M);
    TV B = term(*T.Args[1], M);
    if (M.Bad)
      return badTerm(M);
    const std::string &O = T.Op;
    if (A.Ptr || B.Ptr) {
      // Pointers count in bytes: p + k, k + p, p - k, and q - p.
      if (O == "+" && A.Ptr != B.Ptr) {
        const TV &P = A.Ptr ? A : B;
        const TV &I = A.Ptr ? B : A;
        return TV{true, P.R, mAdd(P.E, I.E)};
      }
      if (O == "-" && A.Ptr && !B.Ptr)
        return TV{true, A.R, mSub(A.E, B.E)};
      if (O == "-" && A.Ptr && B.Ptr) {
        if (A.R != B.R) {
          unsupported(L, "difference of pointers into different regions in "
                         "an annotation");
          return badTerm(M);
        }
        return Int(mSub(A.E, B.E));
      }
      unsupported(L, "operator '" + O + "' on a pointer in an annotation");
      return badTerm(M);
    }
    z3::expr X = A.E, Y = B.E;
    if (O == "+") return Int(mAdd(X, Y));
    if (O == "-") return Int(mSub(X, Y));
    if (O == "*") return Int(mMul(X, Y));
    if (O == "/" || O == "%") {
      // C semantics: truncation toward zero, as bvsdiv / bvsrem; one more
      // bit for INT_MIN / -1.
      unsigned W = std::max(wd(X), wd(Y)) + 1;
      z3::expr SX = sx(X, W), SY = sx(Y, W);
      return Int(O == "/" ? z3::to_expr(C, Z3_mk_bvsdiv(C, SX, SY))
                          : z3::srem(SX, SY));
    }
    if (O == "&" || O == "|" || O == "^") {
      unsigned W = std::max(wd(X), wd(Y));
      z3::expr SX = sx(X, W), SY = sx(Y, W);
      return Int(O == "&" ? (SX & SY) : O == "|" ? (SX | SY) : (SX ^ SY));
    }
    if (O == ">>") {
      // Floor division by 2^y; exact at any width >= both operands'.
      unsigned W = std::max(wd(X), wd(Y));
      return Int(z3::ashr(sx(X, W), sx(Y, W)));
    }
    if (O == "<<") {
      // x * 2^y: wide enough for the largest amount y can have.
      const logic::Term &K2 = *T.Args[1];
      unsigned Extra;
      if (K2.K == K::IntLit && K2.Value >= 0 && K2.Value <= 512)
        Extra = unsigned(K2.Value);
      else if (K2.K != K::IntLit && wd(Y) <= 9)
        Extra = (1u << (wd(Y) - 1)) - 1;
      else {
        unsupported(L, "'<<' by an amount that may exceed 255 in an "
                       "annotation");
        return badTerm(M);
      }
      unsigned W = std::max(wd(X) + Extra, wd(Y));
      return Int(z3::shl(sx(X, W), sx(Y, W)));
    }
    break;
  }
  case K::Index: {
    std::optional<Seq> S = seqTerm(*T.Args[0], M);
    z3::expr I = intTerm(*T.Args[1], M);
    if (!S || M.Bad)
      return badTerm(M);
    return Int(seqElement(*S, I));
  }
  case K::Call:
    if (logic::isSequenceFunction(T.Name))
      return sequenceCall(T, M);
    break;
  case K::Cast: {
    if (logic::isBytePointerTypeName(T.Name))
      return term(*T.Args[0], M); // the same address, counted in bytes
    z3::expr X = intTerm(*T.Args[0], M);
    if (std::optional<logic::IntTypeName> I = logic::intTypeNamed(T.Name))
      return Int(wrap(X, I->Bits, I->Signed));
    break;
  }
  default:
    break;
  }
  if (M.Bad)
    return badTerm(M);
  unsupported(L, "this term in an annotation");
  return badTerm(M);
}

z3::expr Engine::intTerm(const logic::Term &T, MathCtx &M) {
  TV V = term(T, M);
  if (V.S && !M.Bad) {
    unsupported({T.Pos.Line, T.Pos.Col},
                "a sequence where an annotation needs an integer");
    M.Bad = true;
  }
  if (V.Ptr && !M.Bad) {
    unsupported({T.Pos.Line, T.Pos.Col},
                "a pointer where an annotation needs an integer");
    M.Bad = true;
  }
  return V.Ptr ? bv(0, 2) : V.E;
}

z3::expr Engine::assertion(const logic::Assertion &A, MathCtx &M) {
  using K = logic::Assertion::Kind;
  if (!M.ContentsBound) {
    M.ContentsBound = true;
    bindContents(A, M);
  }
  switch (A.K) {
  case K::True:
    return C.bool_val(true);
  case K::False:
    return C.bool_val(false);
  case K::Cmp: {
    TV P = term(*A.Terms[0], M), Q = term(*A.Terms[1], M);
    if (M.Bad)
      return C.bool_val(true);
    cir::Loc L{A.Pos.Line, A.Pos.Col};
    if (P.S || Q.S) {
      if (!P.S || !Q.S || P.S->Bits != Q.S->Bits ||
          (A.Op != "==" && A.Op != "!=")) {
        unsupported(L, "this comparison of sequences (sequences of one "
                       "element size compare with == and !=)");
        M.Bad = true;
        return C.bool_val(true);
      }
      z3::expr Eq = seqEqual(*P.S, *Q.S);
      return A.Op == "==" ? Eq : !Eq;
    }
    if (P.Ptr != Q.Ptr) {
      unsupported(L, "comparison of a pointer with an integer in an "
                     "annotation");
      M.Bad = true;
      return C.bool_val(true);
    }
    if (P.Ptr && P.R != Q.R) {
      unsupported(L, "comparison of pointers into different regions in an "
                     "annotation");
      M.Bad = true;
      return C.bool_val(true);
    }
    // Pointers into one region compare by their offsets.
    if (A.Op == "==" || A.Op == "!=" || A.Op == "<" || A.Op == "<=" ||
        A.Op == ">" || A.Op == ">=")
      return mCmp(A.Op, P.E, Q.E);
    break;
  }
  case K::Not:
    return !assertion(*A.Subs[0], M);
  case K::And:
  case K::Sep: // over facts and array predicates, * is &&
    return assertion(*A.Subs[0], M) && assertion(*A.Subs[1], M);
  case K::Forall:
  case K::Exists:
    return quantifier(A, M);
  case K::Pred:
    if (logic::isArrayPredicate(A))
      return arrayPredicate(A, M, nullptr);
    if (logic::isUserPredicate(A))
      return userPredicate(A, M);
    break;
  case K::Or:
    return assertion(*A.Subs[0], M) || assertion(*A.Subs[1], M);
  case K::Implies:
    return z3::implies(assertion(*A.Subs[0], M), assertion(*A.Subs[1], M));
  default:
    break;
  }
  unsupported({A.Pos.Line, A.Pos.Col}, "this assertion");
  M.Bad = true;
  return C.bool_val(true);
}

/// The facts of a function's Require (its conjuncts other than the pointer
/// parameters' descriptions, which funcCall and enterFunction apply).
z3::expr Engine::requireFacts(const logic::Assertion &A, MathCtx &M) {
  using K = logic::Assertion::Kind;
  if (A.K == K::And || A.K == K::Sep)
    return requireFacts(*A.Subs[0], M) && requireFacts(*A.Subs[1], M);
  if (A.K == K::Pred && !logic::isUserPredicate(A))
    return C.bool_val(true);
  return assertion(A, M);
}

/// An instance of a user predicate: its application, whose definition
/// (one unfolding) joins PredicateAxioms unless this instance is itself
/// inside an unfolding (Predicates.h).
z3::expr Engine::userPredicate(const logic::Assertion &A, MathCtx &M) {
  cir::Loc L{A.Pos.Line, A.Pos.Col};
  auto Def = Mod.Predicates.find(A.Name);
  if (Def == Mod.Predicates.end()) {
    unsupported(L, "predicate '" + A.Name + "' (no 'Let' defines it)");
    M.Bad = true;
    return C.bool_val(true);
  }
  std::vector<PredicateArg> Args;
  for (const logic::TermPtr &T : A.Terms) {
    TV V = term(*T, M);
    if (M.Bad)
      return C.bool_val(true);
    if (V.Ptr) {
      unsupported({T->Pos.Line, T->Pos.Col},
                  "a pointer as the argument of a predicate");
      M.Bad = true;
      return C.bool_val(true);
    }
    if (V.S)
      Args.push_back(*V.S);
    else
      Args.push_back(V.E);
  }
  std::optional<z3::expr> App = predicateApplication(C, A.Name, Args);
  if (!App) {
    unsupported(L, "an argument of a predicate wider than 128 bits");
    M.Bad = true;
    return C.bool_val(true);
  }
  if (M.Unfolding)
    return *App;
  M.Unfolding = true;
  z3::expr Body = assertion(*logic::unfoldPredicate(*Def->second, A.Terms), M);
  M.Unfolding = false;
  if (!M.Bad) {
    unsigned Id = Z3_get_ast_id(C, *App);
    auto It = PredicateDefs.find(Id);
    z3::expr Def = *App == Body;
    if (It == PredicateDefs.end())
      PredicateDefs.emplace(Id, Def);
    else // one instance met at two points: both equations are true
      It->second = It->second && Def;
  }
  return *App;
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

/// Ensure at a return at L (of Value, null for void and for the end of a
/// void function); in a non-entry function, parameters in Ensure denote
/// their values at the entry.
void Engine::checkReturn(cir::Loc L, const cir::Expr *Value, State St,
                         const Val *V) {
  noLiveReservation(St, L, "");
  if (!F.Contract || !F.Contract->Post)
    return;
  std::vector<Binding> B = bindings(F, EntryParams);
  MathCtx M{St, V, L, {}, false, F.isEntry() ? nullptr : &B};
  z3::expr Goal = assertion(*F.Contract->Post, M);
  if (M.Bad)
    return;
  std::vector<Extra> Extras;
  if (!F.isEntry())
    for (const Binding &X : B)
      Extras.push_back({X.Name + " at the entry", X.V, X.Ty});
  if (V)
    Extras.push_back({"__return", *V, F.ReturnType});
  std::set<unsigned> Vs;
  if (Value)
    Vs = varsOf(*Value);
  // An undef_data_at object Ensure says data_at of, which the path has not
  // written: only where the data_at's condition fails.
  for (unsigned I : St.Unwritten) {
    const cir::ParamSpec &P = F.Params[I];
    if (P.UndefOnReturn)
      continue;
    std::string What = "postcondition may not hold: '" + F.Vars[I].Name +
                       "' is undef_data_at in the Require and data_at in "
                       "the Ensure, but the function may not write it";
    if (!P.WrittenIf) {
      violation(St, L, What, {});
      continue;
    }
    z3::expr Written = assertion(*P.WrittenIf, M);
    if (!M.Bad)
      obligation(St, !Written, L,
                 What + " where " + logic::print(*P.WrittenIf), Vs, Extras);
  }
  obligation(St, Goal, L, "postcondition may not hold", Vs, Extras);
}

void Engine::execOne(const cir::Stmt &S, State St, std::vector<State> &Out) {
  switch (S.K) {
  case SK::Atomic:
    for (auto &[S1, A] : eval(*S.Addr, St))
      for (auto &[S2, V] : eval(*S.Value, S1)) {
        std::vector<std::pair<State, std::optional<Val>>> Exp;
        if (S.Cond)
          for (auto &[S3, E] : eval(*S.Cond, S2))
            Exp.push_back({std::move(S3), E});
        else
          Exp.push_back({S2, std::nullopt});
        for (auto &[S3, E] : Exp) {
          atomic(S, S3, A, V, E ? &*E : nullptr);
          Out.push_back(std::move(S3));
        }
      }
    return;
  case SK::Assign:
    if (S.Value->K == CK::Call)
      for (const HelperContract &H : Helpers)
        if (H.Id == S.Value->Value &&
            H.Result == HelperResult::Undefined) {
          violation(St, S.L,
                    std::string("the result of ") + H.name() +
                        " is undefined (it returns only when the call "
                        "fails, leaving R0 unset): call it as a statement",
                    {});
          return;
        }
    for (auto &[S1, V] : eval(*S.Value, St)) {
      State S2 = S1;
      if (S.VarId < S2.Vars.size())
        S2.Vars[S.VarId] = V;
      if (S.Value->K == CK::CallOutput && S2.UnsetOutputs.count(S.VarId))
        S2.Vars[S.VarId] = std::nullopt;
      Out.push_back(std::move(S2));
    }
    return;
  case SK::Store:
    for (auto &[S1, A] : eval(*S.Addr, St))
      for (auto &[S2, V] : eval(*S.Value, S1)) {
        State S3 = S2;
        store(S, S3, A, V);
        Out.push_back(std::move(S3));
      }
    return;
  case SK::ExprStmt:
    for (auto &P : eval(*S.Value, St))
      Out.push_back(std::move(P.first));
    return;
  case SK::If:
    for (auto &[S1, Cv] : eval(*S.Cond, St)) {
      std::optional<State> T, Fl;
      fork(S1, truth(Cv), T, Fl);
      if (T && Fl) {
        T->Path.push_back({PathStep::Kind::IfTrue, S.L.Line});
        Fl->Path.push_back({PathStep::Kind::IfFalse, S.L.Line});
      }
      if (T) {
        std::vector<State> TS{std::move(*T)};
        if (S.Then)
          exec(*S.Then, TS);
        for (auto &X : TS)
          Out.push_back(std::move(X));
      }
      if (Fl) {
        std::vector<State> FS{std::move(*Fl)};
        if (S.Else)
          exec(*S.Else, FS);
        for (auto &X : FS)
          Out.push_back(std::move(X));
      }
    }
    return;
  case SK::Return:
    if (!S.Value) {
      checkReturn(S.L, nullptr, St, nullptr);
      return;
    }
    for (auto &[S1, V] : eval(*S.Value, St))
      checkReturn(S.L, S.Value.get(), S1, &V);
    return; // the path ends
  case SK::Block: {
    std::vector<State> States{std::move(St)};
    for (const auto &Child : S.Body) {
      if (States.empty())
        break;
      exec(*Child, States);
    }
    for (auto &X : States)
      Out.push_back(std::move(X));
    return;
  }
  case SK::Assert: {
    if (S.Annot && S.Annot->K == logic::Annotation::Kind::Where) {
      whereValues(*S.Annot, St);
      Out.push_back(std::move(St));
      return;
    }
    if (!S.Annot || !S.Annot->Pre) {
      Out.push_back(std::move(St));
      return;
    }
    MathCtx M{St, nullptr, S.L, {}, false};
    z3::expr Goal = assertion(*S.Annot->Pre, M);
    // unfold p(a) / fold p(a): `p(a) && body` / `body && p(a)`, whose first
    // conjunct is what may fail (the front end's unfoldStatement).
    const char *What = S.Annot->K == logic::Annotation::Kind::Unfold
                           ? "predicate instance to unfold may not hold"
                       : S.Annot->K == logic::Annotation::Kind::Fold
                           ? "definition of the predicate to fold may not hold"
                           : "assertion may not hold";
    if (!M.Bad)
      obligation(St, Goal, S.L, What, M.Vars);
    Out.push_back(std::move(St));
    return;
  }
  case SK::Loop:
    execLoop(S, std::move(St), Out);
    return;
  case SK::Break:
  case SK::Continue:
    if (Loops.empty()) {
      unsupported(S.L, S.K == SK::Break ? "'break' outside a loop"
                                        : "'continue' outside a loop");
      return;
    }
    (S.K == SK::Break ? Loops.back()->Breaks : Loops.back()->Continues)
        .push_back(std::move(St));
    return; // the path resumes after the loop / at its step
  }
}

//===----------------------------------------------------------------------===//
// Loops
//===----------------------------------------------------------------------===//

void Engine::annotationVars(const logic::Term &T, VarSet &Out) const {
  if (T.K == logic::Term::Kind::Var)
    for (unsigned I = 0; I < F.Vars.size(); ++I)
      if (F.Vars[I].Name == T.Name) {
        Out.insert(I);
        break;
      }
  for (const auto &A : T.Args)
    if (A)
      annotationVars(*A, Out);
}

void Engine::annotationVars(const logic::Assertion &A, VarSet &Out) const {
  for (const auto &T : A.Terms)
    if (T)
      annotationVars(*T, Out);
  for (const auto &S : A.Subs)
    if (S)
      annotationVars(*S, Out);
}

/// Backward liveness over the structured IR: the variables that may be read
/// before being written when executing `S` and then continuing with `Out`
/// live (`Brk`, `Cont`: live at the innermost loop's exit and step).
/// Records each loop's live-at-head set.
Engine::VarSet Engine::live(const cir::Stmt &S, const VarSet &Out,
                            const VarSet &Brk, const VarSet &Cont) {
  auto uses = [](const cir::Expr *E, VarSet &Into) {
    if (E)
      varsOf(*E, Into);
  };
  switch (S.K) {
  case SK::Assign: {
    VarSet In = Out;
    In.erase(S.VarId);
    uses(S.Value.get(), In);
    return In;
  }
  case SK::Store:
  case SK::Atomic: {
    VarSet In = Out;
    uses(S.Addr.get(), In);
    uses(S.Value.get(), In);
    uses(S.Cond.get(), In);
    return In;
  }
  case SK::ExprStmt: {
    VarSet In = Out;
    uses(S.Value.get(), In);
    return In;
  }
  case SK::Assert: {
    VarSet In = Out;
    if (S.Annot && S.Annot->Pre)
      annotationVars(*S.Annot->Pre, In);
    if (S.Annot)
      for (const auto &V : S.Annot->Values)
        annotationVars(*V, In);
    return In;
  }
  case SK::If: {
    VarSet In = S.Then ? live(*S.Then, Out, Brk, Cont) : Out;
    VarSet E = S.Else ? live(*S.Else, Out, Brk, Cont) : Out;
    In.insert(E.begin(), E.end());
    uses(S.Cond.get(), In);
    return In;
  }
  case SK::Return: {
    VarSet In;
    uses(S.Value.get(), In);
    return In;
  }
  case SK::Block: {
    VarSet Cur = Out;
    for (auto It = S.Body.rbegin(); It != S.Body.rend(); ++It)
      Cur = live(**It, Cur, Brk, Cont);
    return Cur;
  }
  case SK::Break:
    return Brk;
  case SK::Continue:
    return Cont;
  case SK::Loop: {
    VarSet Head, CondUses, AnnUses;
    uses(S.Cond.get(), CondUses);
    if (S.Annot && S.Annot->Pre)
      annotationVars(*S.Annot->Pre, AnnUses);
    if (S.Annot && S.Annot->Variant)
      annotationVars(*S.Annot->Variant, AnnUses);
    for (;;) {
      // After the step: the head (while, for), or the condition (do).
      VarSet AfterStep = Head;
      if (!S.TestFirst) {
        AfterStep.insert(CondUses.begin(), CondUses.end());
        if (S.Cond)
          AfterStep.insert(Out.begin(), Out.end());
      }
      VarSet StepIn = S.Step ? live(*S.Step, AfterStep, Out, AfterStep)
                             : AfterStep;
      VarSet New = S.Then ? live(*S.Then, StepIn, Out, StepIn) : StepIn;
      if (S.TestFirst) {
        New.insert(CondUses.begin(), CondUses.end());
        if (S.Cond)
          New.insert(Out.begin(), Out.end());
      }
      New.insert(AnnUses.begin(), AnnUses.end());
      if (New == Head)
        break;
      Head = std::move(New);
    }
    LiveAtHead[&S] = Head;
    return Head;
  }
  }
  return Out;
}

void Engine::scanAssigns(const cir::Stmt &S, bool InLoop,
                         std::set<const cir::Stmt *> &Dom) {
  switch (S.K) {
  case SK::Assign:
    if (S.VarId < Assigns.size())
      Assigns[S.VarId].push_back(&S);
    if (InLoop)
      AssignsInLoops.insert(&S);
    Dom.insert(&S); // runs before whatever follows it in its block
    return;
  case SK::Block: {
    std::set<const cir::Stmt *> Inner = Dom;
    for (const auto &B : S.Body)
      scanAssigns(*B, InLoop, Inner);
    return;
  }
  case SK::If: {
    for (const auto *Sub : {S.Then.get(), S.Else.get()})
      if (Sub) {
        std::set<const cir::Stmt *> Inner = Dom;
        scanAssigns(*Sub, InLoop, Inner);
      }
    return;
  }
  case SK::Loop: {
    Dominating[&S] = Dom;
    for (const auto *Sub : {S.Then.get(), S.Step.get()})
      if (Sub) {
        std::set<const cir::Stmt *> Inner = Dom;
        scanAssigns(*Sub, true, Inner);
      }
    return;
  }
  default:
    return;
  }
}

/// True if E has the same value on every execution, as the compiler's
/// cut-point lowering sees it (vep-compiler/lib/LoopLowering.cpp, knownOf):
/// a constant, the context pointer, `ctx->data` / `ctx->data_end`, such a
/// pointer plus a constant, conversions of these, and variables whose
/// every assignment (outside loops) computes one such value, node for node
/// (`data = (void *)(long)ctx->data` again after bpf_xdp_adjust_head). A
/// subset of what the compiler treats as known, so VEP-C never knows more
/// at a loop head than the checker.
bool Engine::staticallyKnown(const cir::Expr &E,
                             std::vector<unsigned> &Visiting) {
  switch (E.K) {
  case CK::Const:
    return true;
  case CK::Var:
    return staticallyKnownVar(E.VarId, Visiting);
  case CK::Cast:
    if (E.Ops[0]->Ty.isPtr() && !E.Ty.isPtr() && E.Ty.Bits < 32)
      return false;
    return staticallyKnown(*E.Ops[0], Visiting);
  case CK::Load: // `ctx->data` or `ctx->data_end`, ctx never assigned
    return cir::isPacketFieldLoad(E, F) && Assigns[0].empty();
  case CK::Binary:
    return E.Op == Op::PtrAdd && E.Ops[1]->K == CK::Const &&
           staticallyKnown(*E.Ops[0], Visiting);
  default:
    return false;
  }
}

bool Engine::staticallyKnownVar(unsigned V, std::vector<unsigned> &Visiting) {
  if (V >= F.Vars.size())
    return false;
  if (V < F.NumParams && Assigns[V].empty())
    return true; // the context pointer; a function's unassigned parameter
  const auto &As = Assigns[V];
  if (As.empty() || std::any_of(As.begin(), As.end(), [&](const cir::Stmt *A) {
        return AssignsInLoops.count(A) || !cir::sameExpr(*A->Value, *As[0]->Value);
      }))
    return false;
  for (unsigned W : Visiting)
    if (W == V)
      return false;
  Visiting.push_back(V);
  bool K = staticallyKnown(*Assigns[V][0]->Value, Visiting);
  Visiting.pop_back();
  return K;
}

/// Whether the loop head keeps V's value from before the loop: V is not
/// assigned in the loop and its value there is statically known (above),
/// one of its assignments running before the loop on every path.
bool Engine::keptAtHead(const cir::Stmt &Loop, unsigned V) {
  std::vector<unsigned> Visiting;
  if (V < F.NumParams && Assigns[V].empty())
    return true;
  if (V >= Assigns.size() ||
      std::none_of(Assigns[V].begin(), Assigns[V].end(),
                   [&](const cir::Stmt *A) {
                     return Dominating[&Loop].count(A);
                   }))
    return false;
  return staticallyKnownVar(V, Visiting);
}

void Engine::assigned(const cir::Stmt &S, VarSet &Vars) {
  if (S.K == SK::Assign)
    Vars.insert(S.VarId);
  for (const auto *Sub : {S.Then.get(), S.Else.get(), S.Step.get()})
    if (Sub)
      assigned(*Sub, Vars);
  for (const auto &B : S.Body)
    assigned(*B, Vars);
}

std::optional<Engine::InferredVariant>
Engine::inferVariant(const cir::Stmt &S) {
  std::optional<cir::CountingLoop> CL = cir::countingLoop(S);
  if (!CL || CL->Counter >= F.Vars.size())
    return std::nullopt;
  const cir::Expr &B = *CL->Bound;
  if (B.K != CK::Const || B.Ty.isPtr())
    return std::nullopt;
  InferredVariant IV;
  IV.Var = CL->Counter;
  uint64_t V = B.Value;
  unsigned W = B.Ty.Bits;
  if (CL->Signed && W < 64 && ((V >> (W - 1)) & 1))
    V |= ~uint64_t(0) << W;
  IV.Bound = CL->Signed ? __int128(int64_t(V)) : __int128(V);
  IV.Text = (CL->Signed ? std::to_string(int64_t(V)) : std::to_string(V)) +
            " - " + F.Vars[CL->Counter].Name;
  return IV;
}

std::optional<z3::expr> Engine::inferredValue(const InferredVariant &IV,
                                              const State &St) {
  if (IV.Var >= St.Vars.size() || !St.Vars[IV.Var] ||
      St.Vars[IV.Var]->R != Region::Scalar)
    return std::nullopt;
  return mSub(intLit(IV.Bound), math(*St.Vars[IV.Var], F.Vars[IV.Var].Ty));
}

/// One loop, from one entry state. The head is the cut point: the state
/// there keeps the statically known values of the variables the loop does
/// not assign (keptAtHead), gives fresh values (of their types, in their
/// regions) to all others, and knows only the invariant (and the variant's
/// value v0 >= 0) — no other fact of the path that reached the loop. One iteration runs from that state; the states
/// arriving back at the head must satisfy the invariant again with a
/// variant in [0, v0); the states leaving the loop continue after it.
void Engine::execLoop(const cir::Stmt &S, State St, std::vector<State> &Out) {
  const logic::Annotation *Inv = S.Annot.get();
  if (!Inv || !Inv->Pre) {
    // Nothing sound can be said about the loop or what follows it.
    ++R.Obligations;
    addFailure(S.L,
               "loop invariant missing: write /*@ Inv P Variant t */ "
               "immediately before the loop",
               "");
    return;
  }
  logic::SourcePos IP = Inv->Pre->Pos.Line ? Inv->Pre->Pos : Inv->Pos;
  cir::Loc InvL{IP.Line, IP.Col};

  VarSet Modified;
  assigned(S, Modified);
  const VarSet &Live = LiveAtHead[&S];

  // The termination measure: written, or inferred from a counting loop.
  const logic::Term *Variant = Inv->Variant.get();
  std::optional<InferredVariant> Inferred;
  if (!Variant) {
    Inferred = inferVariant(S);
    if (!Inferred) {
      ++R.Obligations;
      addFailure(S.L,
                 "loop termination: no variant (write 'Variant t' after the "
                 "invariant: an integer term that each iteration decreases "
                 "and that stays non-negative)",
                 "");
    }
  }
  cir::Loc VarL = S.L;
  std::string VarNote;
  if (Variant) {
    VarL = {Variant->Pos.Line, Variant->Pos.Col};
    if (!VarL.Line)
      VarL = InvL;
  } else if (Inferred) {
    VarNote = " (inferred variant '" + Inferred->Text +
              "'; write a Variant to choose another)";
  }
  // The variant's value in a state; nullopt if it cannot be evaluated
  // (already reported as unsupported).
  auto variantIn = [&](const State &X, VarSet &Vs) -> std::optional<z3::expr> {
    if (Variant) {
      MathCtx M{X, nullptr, VarL, {}, false};
      z3::expr V = intTerm(*Variant, M);
      Vs.insert(M.Vars.begin(), M.Vars.end());
      if (M.Bad)
        return std::nullopt;
      return V;
    }
    if (Inferred) {
      Vs.insert(Inferred->Var);
      return inferredValue(*Inferred, X);
    }
    return std::nullopt;
  };
  bool HasVariant = Variant || Inferred;

  std::string InvNote;
  if (S.InvInferred)
    InvNote = "the loop at line " + std::to_string(S.L.Line) +
              " has no Inv: VEP-C inferred '" + logic::print(*S.Annot->Pre) +
              (Inv->Variant ? " Variant " + logic::print(*Inv->Variant) : "") +
              "' (write /*@ Inv P */ to say more)";

  // Entry: the invariant and a non-negative variant hold at the head.
  {
    MathCtx M{St, nullptr, InvL, {}, false};
    z3::expr G = assertion(*Inv->Pre, M);
    if (M.Bad)
      return;
    HeadNote = InvNote;
    obligation(St, G, InvL, "loop invariant may not hold on entry", M.Vars);
    HeadNote.clear();
    if (HasVariant) {
      VarSet Vs;
      std::optional<z3::expr> T0 = variantIn(St, Vs);
      if (!T0) {
        if (Variant)
          return;
        HasVariant = false; // inferred but not evaluable: no variant
        addFailure(S.L, "loop termination: no variant (write 'Variant t' "
                        "after the invariant)", "");
      } else {
        cir::Type I64;
        I64.Bits = 64;
        I64.Signed = true;
        obligation(St, mCmp(">=", *T0, bv(0, 2)), VarL,
                   "loop variant may be negative on entry" + VarNote, Vs,
                   {{"variant", scalar(bv(0, 64)), I64, *T0}});
      }
    }
  }
  // Nested in other loops: their variants may not have grown since the
  // start of the segment (their head, or that of a loop the path passed).
  std::string InnerLoop = "loop at line " + std::to_string(S.L.Line);
  std::vector<bool> Decreased;
  if (!enclosingVariantsKept(St, "before the inner " + InnerLoop, nullptr,
                             &Decreased))
    return;

  // The head: fresh values for what the loop assigns and for every variable
  // whose value there is not statically known (as for the compiler's cut
  // point, which binds such a variable to an existential); the invariant as
  // the whole path condition.
  // A map value pointer or a ringbuf reservation the loop does not
  // assign, at a constant offset (the compiler's cut point binds it as a
  // non-null pointer into a value of its map, or into the reserved memory,
  // at that offset, docs/compiler.md section 4), is carried across the
  // head as it is, with the fact that it is not null, which is an
  // obligation on entry. A reservation stays pending across the loop: the
  // variable carrying it is its only holder there.
  std::set<unsigned> CarriedPointers;
  std::vector<unsigned> CarriedReservations;
  z3::expr NotNull = C.bool_val(true);
  for (unsigned V : Live)
    if (V < St.Vars.size() && St.Vars[V] &&
        (St.Vars[V]->R == Region::MapValue || St.Vars[V]->R == Region::Map ||
         St.Vars[V]->R == Region::Global)) {
      const Val &P = *St.Vars[V];
      bool Reserved = reserved(P);
      if (P.R == Region::MapValue && !Modified.count(V) &&
          numeral(P.E.simplify()) && (!Reserved || live(St, P.Obj))) {
        if (Reserved && std::count(CarriedReservations.begin(),
                                   CarriedReservations.end(), P.Obj)) {
          unsupported(S.L, "two variables holding the ringbuf reservation "
                           "from line " +
                               std::to_string(Objects[P.Obj].Line) +
                               " at the head of a loop (keep one)");
          return;
        }
        obligation(St, Objects[P.Obj].NonNull, S.L,
                   std::string(Reserved ? "ringbuf reservation"
                                        : "map value pointer") +
                       " '" + F.Vars[V].Name +
                       "' may be null on entry to the loop (the loop "
                       "head carries it as not null: check it first)",
                   {V});
        NotNull = NotNull && Objects[P.Obj].NonNull;
        CarriedPointers.insert(V);
        if (Reserved)
          CarriedReservations.push_back(P.Obj);
        continue;
      }
      bool Global = P.R == Region::Global;
      const char *LookUp = " (look the value up inside the loop)";
      std::string Why =
          Global ? " (name the global inside the loop)"
          : Reserved && !live(St, P.Obj) ? " after its submit or discard"
          : P.R != Region::MapValue      ? LookUp
          : std::string(" that the loop assigns or at a variable offset") +
                (Reserved ? "" : LookUp);
      unsupported(S.L, "variable '" + F.Vars[V].Name + "' holding a " +
                           (Global     ? "global variable pointer"
                            : Reserved ? "ringbuf reservation"
                                       : "map value pointer") +
                           " at the head of a loop" + Why);
      return;
    }
  // Every other reservation pending before the loop would stay pending
  // with nothing left to release it.
  noLiveReservation(St, S.L,
                    " before the loop (no variable the loop or the code "
                    "after it reads holds it)",
                    CarriedReservations);
  // A variable unassigned on entry stays unassigned at the head: it is so
  // on the first iteration, so a read before the body assigns it is a read
  // of an uninitialised variable (even if later iterations would have
  // assigned it: the head does not know which iteration it is).
  State H = St;
  H.Path = {{PathStep::Kind::LoopHead, S.L.Line}};
  // The carried reservations; each other one was proved null before the
  // loop, or failed there.
  H.Live = CarriedReservations;
  for (unsigned V = 0; V < H.Vars.size(); ++V) {
    if (!H.Vars[V] || CarriedPointers.count(V) ||
        (!Modified.count(V) && keptAtHead(S, V)))
      continue;
    Val &X = *H.Vars[V];
    X = Val{X.R, fresh(X.E.get_sort().bv_size(), F.Vars[V].Name), X.Obj};
  }
  if (writesMemory(S))
    havocContents(H);
  H.PC = C.bool_val(true);
  {
    MathCtx M{H, nullptr, InvL, {}, false};
    z3::expr I = assertion(*Inv->Pre, M);
    if (M.Bad)
      return;
    H.PC = Always && NotNull && I;
  }
  std::optional<z3::expr> V0;
  if (HasVariant) {
    VarSet Vs;
    V0 = variantIn(H, Vs);
    if (V0)
      H.PC = H.PC && mCmp(">=", *V0, bv(0, 2));
  }
  if (!feasible(H))
    return; // no state satisfies the invariant: nothing runs after the loop
  // The paths from the head start new segments of the enclosing loops.
  size_t Depth = Loops.size();
  H.Ghosts.resize(Depth);
  for (size_t K = 0; K < Depth; ++K) {
    if (!H.Ghosts[K])
      continue;
    VarSet Vs;
    std::optional<z3::expr> T = Loops[K]->Variant(H, Vs);
    if (T) {
      H.Ghosts[K] = GhostRank{*T, Decreased[K], S.L.Line};
    } else {
      addFailure(Loops[K]->VarL,
                 "loop variant cannot be evaluated at the head of the inner " +
                     InnerLoop,
                 "");
      H.Ghosts[K].reset(); // reported once
    }
  }
  H.Ghosts.push_back(
      V0 ? std::optional<GhostRank>(GhostRank{*V0, false, S.L.Line})
         : std::nullopt);

  // One iteration.
  ++LoopIterations;
  std::vector<State> Body, Exits;
  if (S.TestFirst && S.Cond) {
    for (auto &[S1, Cv] : eval(*S.Cond, H)) {
      std::optional<State> T, Fl;
      fork(S1, truth(Cv), T, Fl);
      if (T)
        Body.push_back(std::move(*T));
      if (Fl)
        Exits.push_back(std::move(*Fl));
    }
  } else {
    Body.push_back(H);
  }
  LoopFrame Frame;
  Frame.Variant = variantIn;
  Frame.VarL = VarL;
  Frame.VarNote = VarNote;
  Frame.InvNote = InvNote;
  Loops.push_back(&Frame);
  if (S.Then && !Body.empty())
    exec(*S.Then, Body);
  for (auto &X : Frame.Continues)
    Body.push_back(std::move(X));
  if (S.Step && !Body.empty())
    exec(*S.Step, Body);
  std::vector<State> Back;
  if (!S.TestFirst && S.Cond) {
    for (State &B : Body)
      for (auto &[S1, Cv] : eval(*S.Cond, B)) {
        std::optional<State> T, Fl;
        fork(S1, truth(Cv), T, Fl);
        if (T)
          Back.push_back(std::move(*T));
        if (Fl)
          Exits.push_back(std::move(*Fl));
      }
  } else {
    Back = std::move(Body);
  }
  for (auto &X : Frame.Breaks)
    Exits.push_back(std::move(X));
  --LoopIterations;
  Loops.pop_back();

  // Back at the head: the carried reservations still pending, none of the
  // iteration's, the invariant again, and a smaller variant.
  for (State &B : Back) {
    for (unsigned Obj : CarriedReservations)
      if (!live(B, Obj))
        violation(B, S.L,
                  "ringbuf reservation from line " +
                      std::to_string(Objects[Obj].Line) +
                      " submitted or discarded inside the loop, which "
                      "carries it to the next iteration (release it after "
                      "the loop)",
                  {});
    noLiveReservation(B, S.L,
                      " at the end of an iteration (one reserved in the "
                      "loop is released in it)",
                      CarriedReservations);
    bool Bad = false;
    for (unsigned V : Modified)
      if (Live.count(V) && V < B.Vars.size() && B.Vars[V] && H.Vars[V] &&
          !sameObject(*B.Vars[V], *H.Vars[V]) &&
          (isRegionPtr(*B.Vars[V]) || isRegionPtr(*H.Vars[V]))) {
        unsupported(S.L, "variable '" + F.Vars[V].Name +
                             "' may point into another region at the next "
                             "iteration of the loop");
        Bad = true;
      }
    if (Bad)
      continue;
    MathCtx M{B, nullptr, InvL, {}, false};
    z3::expr G = assertion(*Inv->Pre, M);
    if (M.Bad)
      continue;
    // The counterexample shows the values after the iteration, then those
    // at the head of the assigned variables the invariant mentions.
    std::vector<Extra> AtHead;
    for (unsigned V : M.Vars)
      if (Modified.count(V) && V < H.Vars.size() && H.Vars[V])
        AtHead.push_back({F.Vars[V].Name + " at the head", *H.Vars[V],
                          F.Vars[V].Ty});
    HeadNote = InvNote;
    obligation(B, G, InvL, "loop invariant may not be preserved", M.Vars,
               AtHead);
    HeadNote.clear();
    enclosingVariantsKept(B, "in an iteration of the inner " + InnerLoop, &H);
    // The variant at the start of the segment: at this head, or at the
    // head of a nested loop the iteration passed (whose own iterations
    // kept it from growing).
    const std::optional<GhostRank> &Start = B.Ghosts[Depth];
    if (!Start)
      continue;
    VarSet Vs;
    std::optional<z3::expr> T1 = variantIn(B, Vs);
    if (!T1)
      continue;
    cir::Type I64;
    I64.Bits = 64;
    I64.Signed = true;
    std::string AtStart = "variant at the head";
    if (Start->Line != S.L.Line)
      AtStart += " of the loop at line " + std::to_string(Start->Line) +
                 (Start->Decreased ? " (after a decrease)" : "");
    std::vector<Extra> Ex{
        {AtStart, scalar(bv(0, 64)), I64, Start->Value},
        {"variant after the iteration", scalar(bv(0, 64)), I64, *T1}};
    obligation(B, mCmp("<", *T1, ghostBound(*Start)), VarL,
               "loop variant may not decrease" + VarNote, Vs, Ex);
    obligation(B, mCmp(">=", *T1, bv(0, 2)), VarL,
               "loop variant may be negative at the next iteration" + VarNote,
               Vs, Ex);
  }

  for (auto &X : Exits) {
    X.Ghosts.resize(Depth);
    Out.push_back(std::move(X));
  }
}

/// On a path of loops nested in others (Engine::Loops) arriving at the
/// head of the innermost one: no enclosing loop's variant is larger than
/// at the start of the path's segment (State::Ghosts), so that each
/// iteration of an enclosing loop, whatever its nested loops do, ends with
/// a smaller variant than at its head (docs/vep-c.md, "Nested loops").
/// Arriving from outside the loop (no `Head`), `Decreased` tells whether
/// each is smaller on the path: the head's ghost counts that decrease.
/// Arriving by the back edge, the head's ghost includes the decrease its
/// entry made, so the variant may not grow from its value at `Head` at
/// all. False if the path cannot continue.
bool Engine::enclosingVariantsKept(State &X, const std::string &Where,
                                   const State *Head,
                                   std::vector<bool> *Decreased) {
  for (size_t K = 0; K < Loops.size() && K < X.Ghosts.size(); ++K) {
    if (Decreased)
      Decreased->push_back(false);
    if (!X.Ghosts[K])
      continue;
    const LoopFrame &L = *Loops[K];
    std::string Msg = "loop variant may increase " + Where + L.VarNote;
    VarSet Vs;
    std::optional<z3::expr> T = L.Variant(X, Vs);
    if (!T) {
      ++R.Obligations;
      addFailure(L.VarL, Msg, "");
      return false;
    }
    cir::Type I64;
    I64.Bits = 64;
    I64.Signed = true;
    const GhostRank &G = *X.Ghosts[K];
    std::string AtStart = "variant at the head of the loop at line " +
                          std::to_string(G.Line) +
                          (G.Decreased ? " (after a decrease)" : "");
    z3::expr Bound = ghostBound(G);
    bool HeadCounts = Head && Head->Ghosts[K] && Head->Ghosts[K]->Decreased;
    z3::expr Now = HeadCounts ? mAdd(*T, intLit(1)) : *T;
    obligation(X, mCmp("<=", Now, Bound), L.VarL, Msg, Vs,
               {{AtStart, scalar(bv(0, 64)), I64, G.Value},
                {"variant now", scalar(bv(0, 64)), I64, *T}});
    std::optional<z3::model> Unused;
    if (Decreased)
      (*Decreased)[K] =
          query(X.PC, mCmp("<", *T, Bound), Unused) == Answer::Proved;
  }
  return true;
}

const ContextField *Engine::contextField(int64_t Off) const {
  if (Record)
    return nullptr;
  for (const ContextField &Fd : contextFields(F.ProgType)) {
    int64_t Rel = Off - int64_t(Fd.Off);
    if (Rel >= 0 && Rel < int64_t(Fd.Size * Fd.Count) && Rel % Fd.Size == 0)
      return &Fd;
  }
  return nullptr;
}

/// The fields of the context this program type may read (or write), for
/// messages: "data, data_end, ...".
std::string Engine::contextFieldNames(bool Writable) const {
  std::string Out;
  if (Record)
    return Out;
  for (const ContextField &Fd : contextFields(F.ProgType))
    if ((Writable ? Fd.Writable : Fd.Readable) & TypeBit &&
        Fd.K != ContextField::Unsupported)
      Out += std::string(Out.empty() ? "" : ", ") + Fd.Name +
             (Fd.Count > 1 ? "[]" : "") + (Fd.Size == 8 ? " (8 bytes)" : "");
  return Out;
}

void Engine::exec(const cir::Stmt &S, std::vector<State> &States) {
  if (Proof && S.K != SK::Block)
    for (unsigned I = 0; I < States.size(); ++I)
      recordState(S, States[I], I + 1);
  std::vector<State> Out;
  for (auto &St : States)
    execOne(S, std::move(St), Out);
  States = std::move(Out);
  limit(States, S.L);
}

/// The entry state of a non-entry function: each parameter as its
/// contract's Require describes it (ParamSpec), and Require's facts.
bool Engine::enterFunction(State &St) {
  if (!F.Contract || F.Params.size() != F.NumParams) {
    unsupported(F.L, "function '" + F.Name + "' without a contract");
    return false;
  }
  for (unsigned I = 0; I < F.NumParams; ++I) {
    const cir::Variable &P = F.Vars[I];
    switch (F.Params[I].K) {
    case cir::ParamSpec::Kind::Scalar:
      St.Vars[I] = scalar(fresh(bits(P.Ty), P.Name));
      break;
    case cir::ParamSpec::Kind::Packet: {
      z3::expr O = fresh(64, P.Name);
      St.Vars[I] = Val{Region::Packet, O};
      Always = Always && z3::sge(O, bv(0, 64)) && z3::sle(O, N) &&
               z3::sle(O, bv(MaxPacketArgOffset, 64));
      break;
    }
    case cir::ParamSpec::Kind::PacketEnd:
      St.Vars[I] = Val{Region::Packet, N};
      break;
    case cir::ParamSpec::Kind::Buffer:
      St.Vars[I] = Val{Region::Buffer, bv(0, 64), I};
      break;
    }
    EntryParams.push_back(*St.Vars[I]);
  }
  std::vector<Binding> B = bindings(F, EntryParams);
  for (unsigned I = 0; I < F.NumParams; ++I) {
    if (F.Params[I].K != cir::ParamSpec::Kind::Buffer)
      continue;
    MathCtx M{St, nullptr, F.L, {}, false, &B};
    z3::expr Size = intTerm(*F.Params[I].BufferBytes, M);
    if (M.Bad)
      return false;
    // Callers prove the buffer lies in one of their regions, each shorter
    // than 2^32 bytes (packet, map value): the size fits 64 bits.
    Always = Always && mCmp("<=", bv(0, 2), Size) &&
             mCmp("<=", Size, intLit(__int128(1) << 32));
    BufferSizes.emplace(
        I, std::make_pair(sx(Size, std::max(wd(Size), 64u)).extract(63, 0),
                          Size));
  }
  enterContents(St);
  MathCtx M{St, nullptr, F.L, {}, false, &B};
  z3::expr Facts = F.Contract->Pre ? requireFacts(*F.Contract->Pre, M)
                                   : C.bool_val(true);
  if (M.Bad)
    return false;
  // With integer variables exist only through Require's facts, which speak
  // of them and of the parameters' entry values, constants of the call:
  // they hold at loop heads too (an invariant cannot name them).
  if (!EntryLogical.empty())
    Always = Always && Facts;
  St.PC = Always && Facts;
  return true;
}

//===----------------------------------------------------------------------===//
// Contents: a called function's buffers as sequences (Contents.h)
//===----------------------------------------------------------------------===//

/// The `store_..._array(p, n, l)` conjunct of A (top level) whose p is the
/// parameter Param, or null.
static const logic::Assertion *arrayPredicateOf(const logic::Assertion *A,
                                                const std::string &Param) {
  if (!A)
    return nullptr;
  if (A->K == logic::Assertion::Kind::And ||
      A->K == logic::Assertion::Kind::Sep) {
    for (const auto &S : A->Subs)
      if (const logic::Assertion *P = arrayPredicateOf(S.get(), Param))
        return P;
    return nullptr;
  }
  return logic::isArrayPredicate(*A) &&
                 A->Terms[0]->K == logic::Term::Kind::Var &&
                 A->Terms[0]->Name == Param &&
                 A->Terms[2]->K == logic::Term::Kind::Var
             ? A
             : nullptr;
}

/// The index of the element an access of Bytes bytes at A reads or writes
/// when it is one whole element of A's buffer (if A is aligned, for
/// elements of more than a byte); nullopt for another size.
std::optional<z3::expr> Engine::elementIndex(const Val &A, unsigned Bytes) {
  auto It = BufferElem.find(A.Obj);
  if (A.R != Region::Buffer || It == BufferElem.end() ||
      It->second.Bytes != Bytes)
    return std::nullopt;
  return Bytes == 1 ? A.E : z3::udiv(A.E, bv(Bytes, 64));
}

Val Engine::bufferLoad(State &St, const Val &A, const cir::Type &Ty) {
  unsigned Size = Ty.isPtr() ? 8 : Ty.Bits / 8;
  auto Arr = St.Contents.find(A.Obj);
  std::optional<z3::expr> I = elementIndex(A, Size);
  if (Ty.isPtr() || Arr == St.Contents.end() || !I)
    return freshScalar(Ty); // not one element: unknown bits
  z3::expr E = z3::select(Arr->second, *I);
  if (Size > 1) // a misaligned load reads parts of two elements
    E = z3::ite(z3::urem(A.E, bv(Size, 64)) == bv(0, 64), E,
                fresh(Size * 8));
  return scalar(E);
}

void Engine::bufferStore(State &St, const Val &A, const Val &V,
                         unsigned Size) {
  auto Arr = St.Contents.find(A.Obj);
  if (Arr == St.Contents.end())
    return;
  std::optional<z3::expr> I = elementIndex(A, Size);
  z3::expr Unknown = freshContents(C, "contents!" +
                                          std::to_string(FreshCount++),
                                   BufferElem.at(A.Obj).Bytes * 8);
  if (!I || V.R != Region::Scalar) {
    Arr->second = Unknown; // not one element: forget the whole buffer
    return;
  }
  z3::expr Stored = z3::store(Arr->second, *I, V.E);
  if (Size > 1)
    Stored = z3::ite(z3::urem(A.E, bv(Size, 64)) == bv(0, 64), Stored,
                     Unknown);
  Arr->second = Stored;
}

/// The contents a callee sees through the buffer argument V of element
/// type Elem: the caller's buffer from V's element on, when V points to
/// whole elements of that type in a buffer of the caller; otherwise
/// unknown (the packet's and map values' contents are not modelled).
z3::expr Engine::argumentContents(State &St, const Val &V,
                                  const cir::Expr &Arg,
                                  const logic::ArrayElement &Elem) {
  if (V.R == Region::Local) {
    // Its elements as facts of the path over fresh bytes, each variable the
    // concatenation of its bytes: linear for the integer shadow, where
    // extracting the bytes would be a quotient and a remainder each, on
    // which its solver, with the contract's quantified facts, times out.
    std::optional<std::vector<z3::expr>> Bytes = localBytes(St, Arg);
    z3::expr Arr = freshContents(C, "contents!" + std::to_string(FreshCount++),
                                 Elem.Bytes * 8);
    for (size_t K = 0; Bytes && (K + 1) * Elem.Bytes <= Bytes->size(); ++K) {
      z3::expr X = (*Bytes)[K * Elem.Bytes];
      for (unsigned J = 1; J < Elem.Bytes; ++J) // little-endian
        X = z3::concat((*Bytes)[K * Elem.Bytes + J], X);
      St.PC = St.PC && z3::select(Arr, bv(K, 64)) == X;
    }
    return Arr;
  }
  if (V.R == Region::Buffer) {
    auto Arr = St.Contents.find(V.Obj);
    std::optional<z3::expr> I = elementIndex(V, Elem.Bytes);
    std::optional<int64_t> Off = numeral(V.E);
    if (Arr != St.Contents.end() && I &&
        (Elem.Bytes == 1 || (Off && *Off % Elem.Bytes == 0)))
      return contentsFrom(Arr->second, *I);
  }
  return freshContents(C, "contents!" + std::to_string(FreshCount++),
                       Elem.Bytes * 8);
}

/// The bytes of the local buffer `&k` A (an AddrOf), in memory order, as
/// fresh variables of which St's path knows each variable of A is the
/// concatenation (if every variable of A holds an integer).
std::optional<std::vector<z3::expr>> Engine::localBytes(State &St,
                                                       const cir::Expr &A) {
  std::vector<z3::expr> Bytes;
  for (unsigned V = A.VarId; V < A.VarId + A.Span; ++V) {
    if (V >= St.Vars.size() || !St.Vars[V] || St.Vars[V]->R != Region::Scalar)
      return std::nullopt;
    const z3::expr &X = St.Vars[V]->E;
    std::optional<z3::expr> Whole;
    for (unsigned B = 0; B < wd(X) / 8; ++B) {
      Bytes.push_back(fresh(8, "byte"));
      Whole = Whole ? z3::concat(Bytes.back(), *Whole) : Bytes.back();
    }
    St.PC = St.PC && X == *Whole;
  }
  return Bytes;
}

/// After a call that wrote the elements [0, Count) of the local buffer A
/// with the contents Written (Elem's elements): each variable of A gets
/// its new bytes as the value of its `v = CallOutput` (State::Outputs),
/// the bytes past the written elements their old ones.
void Engine::localOutputs(State &St, const cir::Expr &A,
                          const logic::ArrayElement &Elem,
                          const z3::expr &Count, const z3::expr &Written) {
  std::optional<std::vector<z3::expr>> Old = localBytes(St, A);
  std::optional<int64_t> N = numeral(Count.simplify());
  if (!Old || !N || *N < 0)
    return;
  size_t Byte = 0;
  for (unsigned V = A.VarId; V < A.VarId + A.Span; ++V) {
    std::optional<z3::expr> X;
    for (unsigned B = 0; B < F.Vars[V].Ty.Bits / 8; ++B, ++Byte) {
      z3::expr New = (*Old)[Byte];
      if (Byte / Elem.Bytes < uint64_t(*N)) {
        unsigned Shift = unsigned(Byte % Elem.Bytes) * 8;
        New = z3::select(Written, bv(Byte / Elem.Bytes, 64))
                  .extract(Shift + 7, Shift);
      }
      X = X ? z3::concat(New, *X) : New;
    }
    St.Outputs.insert_or_assign(V, *X);
  }
}

/// At a call of G: before it (After false), binds G's Require contents
/// names to what each buffer argument holds; after it, binds G's Ensure
/// contents names to what each buffer holds then (unknown contents for a
/// buffer G writes, constrained only by Ensure) and writes them into the
/// caller's own buffers.
void Engine::callContents(const cir::Function &G, const cir::Expr &Call,
                          State &St, const std::vector<Val> &Args, bool After,
                          std::map<std::string, Seq> &Seqs) {
  std::vector<Binding> B = bindings(G, Args);
  for (unsigned I = 0; I < G.NumParams && I < Args.size(); ++I) {
    if (G.Params[I].K != cir::ParamSpec::Kind::Buffer)
      continue;
    const std::string &PN = G.Vars[I].Name;
    const logic::Assertion *Pre = arrayPredicateOf(G.Contract->Pre.get(), PN);
    if (!Pre)
      continue;
    logic::ArrayElement El = *logic::arrayPredicateElement(Pre->Name);
    const std::string &Entry = Pre->Terms[2]->Name;
    MathCtx M{St, nullptr, Call.L, {}, false, &B};
    if (!After) {
      z3::expr Count = intTerm(*Pre->Terms[1], M);
      if (!M.Bad)
        Seqs.insert_or_assign(Entry,
                              Seq{argumentContents(St, Args[I], *Call.Ops[I],
                                                   El),
                                  Count, El.Bytes * 8, El.Signed});
      continue;
    }
    const Val &V = Args[I];
    // G wrote one whole element of our undef_data_at buffer: all of it
    // (where G leaves it unset, funcCall's ConditionalWrite says so).
    if (G.Params[I].Undef && !G.Params[I].UndefOnReturn &&
        V.R == Region::Buffer && BufferElem.count(V.Obj) &&
        BufferElem.at(V.Obj).Bytes == El.Bytes)
      St.Unwritten.erase(V.Obj);
    auto EntrySeq = Seqs.find(Entry);
    if (EntrySeq == Seqs.end())
      continue;
    const logic::Assertion *Post =
        arrayPredicateOf(G.Contract->Post.get(), PN);
    std::optional<std::string> PostName;
    if (Post)
      PostName = Post->Terms[2]->Name;
    z3::expr PostCount = EntrySeq->second.Len;
    if (Post) {
      PostCount = intTerm(*Post->Terms[1], M);
      if (M.Bad)
        continue;
    }
    // Ensure naming the contents by their Require name says G leaves them
    // as they were.
    if (!G.Params[I].Writes || PostName == Entry) {
      if (PostName && *PostName != Entry)
        Seqs.insert_or_assign(*PostName, Seq{EntrySeq->second.Arr, PostCount,
                                             El.Bytes * 8, El.Signed});
      if (G.Params[I].Writes && V.R == Region::Local)
        localOutputs(St, *Call.Ops[I], El, EntrySeq->second.Len,
                     EntrySeq->second.Arr);
      continue;
    }
    z3::expr Written =
        freshContents(C, "contents!" + std::to_string(FreshCount++),
                      El.Bytes * 8);
    if (PostName)
      Seqs.insert_or_assign(*PostName,
                            Seq{Written, PostCount, El.Bytes * 8, El.Signed});
    if (V.R == Region::Local)
      localOutputs(St, *Call.Ops[I], El, EntrySeq->second.Len, Written);
    auto Arr = St.Contents.find(V.Obj);
    if (V.R != Region::Buffer || Arr == St.Contents.end())
      continue; // the packet or a map value: contents not modelled
    std::optional<z3::expr> First = elementIndex(V, El.Bytes);
    std::optional<int64_t> Off = numeral(V.E);
    if (First && (El.Bytes == 1 || (Off && *Off % El.Bytes == 0)))
      Arr->second = contentsWrite(Arr->second, *First,
                                  seqIndex(EntrySeq->second.Len), Written);
    else
      Arr->second = freshContents(C, "contents!" +
                                         std::to_string(FreshCount++),
                                  BufferElem.at(V.Obj).Bytes * 8);
  }
}

/// The buffers of a call are separate (`*` in the callee's Require): two
/// buffer arguments in one object, one of which the callee writes, must
/// not overlap; the callee's reasoning about their contents relies on it.
/// Values of two lookups in one map may be the same element: they count
/// as one object.
void Engine::disjointBuffers(const cir::Function &G, const cir::Expr &Call,
                             State &St, const std::vector<Val> &Args,
                             const std::map<unsigned, z3::expr> &Sizes,
                             const std::string &Pre) {
  for (auto I = Sizes.begin(); I != Sizes.end(); ++I)
    for (auto J = std::next(I); J != Sizes.end(); ++J) {
      const Val &A = Args[I->first], &B = Args[J->first];
      bool OneMap = A.R == Region::MapValue && B.R == Region::MapValue &&
                    Objects[A.Obj].Map == Objects[B.Obj].Map;
      if (!(sameObject(A, B) || OneMap) ||
          !(G.Params[I->first].Writes || G.Params[J->first].Writes))
        continue;
      z3::expr Goal = mCmp("<=", mAdd(A.E, I->second), B.E) ||
                      mCmp("<=", mAdd(B.E, J->second), A.E);
      obligation(St, Goal, Call.L,
                 Pre + ": '" + G.Vars[I->first].Name + "' and '" +
                     G.Vars[J->first].Name + "' must not overlap",
                 varsOf(Call));
    }
}

/// `/*@ where x = e, ... */`: the values, for the next call on the path.
void Engine::whereValues(const logic::Annotation &A, State &St) {
  for (size_t I = 0; I < A.With.size() && I < A.Values.size(); ++I) {
    MathCtx M{St, nullptr, {A.Pos.Line, A.Pos.Col}, {}, false};
    z3::expr V = intTerm(*A.Values[I], M);
    if (!M.Bad)
      St.Where.insert_or_assign(A.With[I], V);
  }
}

/// The values of G's integer With variables at a call: those `where`
/// gave, else e of a top-level Require conjunct `x == e` (or `e == x`)
/// whose e mentions no With variable (it may read the contents Seqs, as
/// `*p[0] == x` of a `data_at(p, T, x)` does). Consumes the `where`
/// values.
bool Engine::callLogical(const cir::Function &G, const cir::Expr &Call,
                         State &St, const std::vector<Binding> &B,
                         const std::map<std::string, Seq> &Seqs,
                         std::map<std::string, z3::expr> &Logical) {
  std::set<std::string> Contents, With(G.Contract->With.begin(),
                                       G.Contract->With.end());
  logic::contentNames(G.Contract->Pre.get(), Contents);
  std::map<std::string, z3::expr> Where;
  std::swap(Where, St.Where);
  for (const auto &[Name, V] : Where)
    if (!With.count(Name) || Contents.count(Name)) {
      unsupported(Call.L, "'where " + Name + " = ...': '" + G.Name +
                              "' has no integer With variable '" + Name +
                              "'");
      return false;
    }
  std::vector<const logic::Assertion *> Conjuncts;
  std::function<void(const logic::Assertion *)> Split =
      [&](const logic::Assertion *A) {
        if (A && (A->K == logic::Assertion::Kind::And ||
                  A->K == logic::Assertion::Kind::Sep)) {
          for (const auto &S : A->Subs)
            Split(S.get());
        } else if (A) {
          Conjuncts.push_back(A);
        }
      };
  Split(G.Contract->Pre.get());
  std::function<bool(const logic::Term &)> MentionsWith =
      [&](const logic::Term &T) {
        if (T.K == logic::Term::Kind::Var && With.count(T.Name))
          return true;
        for (const auto &A : T.Args)
          if (A && MentionsWith(*A))
            return true;
        return false;
      };
  for (const std::string &X : G.Contract->With) {
    if (Contents.count(X))
      continue;
    std::optional<z3::expr> V;
    if (auto It = Where.find(X); It != Where.end())
      V = It->second;
    for (const logic::Assertion *A : Conjuncts) {
      if (V || A->K != logic::Assertion::Kind::Cmp || A->Op != "==")
        continue;
      for (unsigned Side = 0; Side < 2 && !V; ++Side) {
        const logic::Term &Var = *A->Terms[Side], &E = *A->Terms[1 - Side];
        if (Var.K != logic::Term::Kind::Var || Var.Name != X ||
            MentionsWith(E))
          continue;
        MathCtx M{St, nullptr, Call.L, {}, false, &B};
        M.CallSite = true;
        M.Seqs = Seqs;
        z3::expr Value = intTerm(E, M);
        if (M.Bad)
          return false;
        V = Value;
      }
    }
    if (!V) {
      unsupported(Call.L, "the With variable '" + X + "' of '" + G.Name +
                              "' (write /*@ where " + X +
                              " = e */ before the call)");
      return false;
    }
    if (wd(*V) > LogicalBits) {
      unsupported(Call.L, "a value of more than " +
                              std::to_string(LogicalBits) +
                              " bits for the With variable '" + X + "'");
      return false;
    }
    Logical.insert_or_assign(X, *V);
  }
  return true;
}

/// A called function's entry: each buffer's contents are unknown and
/// named by its Require predicate (EntrySeqs).
void Engine::enterContents(State &St) {
  std::set<std::string> Contents;
  logic::contentNames(F.Contract->Pre.get(), Contents);
  for (const std::string &X : F.Contract->With)
    if (!Contents.count(X))
      EntryLogical.insert_or_assign(X, fresh(LogicalBits, X));
  std::vector<Binding> B = bindings(F, EntryParams);
  for (unsigned I = 0; I < F.NumParams; ++I) {
    if (F.Params[I].K != cir::ParamSpec::Kind::Buffer)
      continue;
    const logic::Assertion *Pre =
        arrayPredicateOf(F.Contract->Pre.get(), F.Vars[I].Name);
    if (!Pre)
      continue;
    logic::ArrayElement El = *logic::arrayPredicateElement(Pre->Name);
    const std::string &Name = Pre->Terms[2]->Name;
    z3::expr Arr = freshContents(C, Name, El.Bytes * 8);
    BufferElem.emplace(I, El);
    St.Contents.insert_or_assign(I, Arr);
    if (F.Params[I].Undef)
      St.Unwritten.insert(I);
    MathCtx M{St, nullptr, F.L, {}, false, &B};
    z3::expr Count = intTerm(*Pre->Terms[1], M);
    if (!M.Bad)
      EntrySeqs.insert_or_assign(Name,
                                 Seq{Arr, Count, El.Bytes * 8, El.Signed});
  }
}

/// Whether S may write memory: a store, an atomic add or a call (which
/// may write its buffer arguments).
bool Engine::writesMemory(const cir::Stmt &S) {
  std::function<bool(const cir::Expr *)> Calls = [&](const cir::Expr *E) {
    if (!E)
      return false;
    if (E->K == CK::FuncCall)
      return true;
    for (const auto &O : E->Ops)
      if (Calls(O.get()))
        return true;
    return false;
  };
  if (S.K == SK::Store || S.K == SK::Atomic || Calls(S.Value.get()) ||
      Calls(S.Cond.get()) || Calls(S.Addr.get()))
    return true;
  for (const auto *Sub : {S.Then.get(), S.Else.get(), S.Step.get()})
    if (Sub && writesMemory(*Sub))
      return true;
  for (const auto &B : S.Body)
    if (B && writesMemory(*B))
      return true;
  return false;
}

/// A loop head of a loop that writes memory: the buffers the function
/// writes (ParamSpec::Writes: the front end found a store or call through
/// them) keep their footprint (their sizes are facts of Always), their
/// contents are unknown but for what the invariant says; the buffers it
/// only reads keep their contents.
void Engine::havocContents(State &St) {
  for (auto &[I, Arr] : St.Contents)
    if (F.Params[I].Writes)
      Arr = freshContents(C, "contents!" + std::to_string(FreshCount++),
                          BufferElem.at(I).Bytes * 8);
}

/// The value of the pointer variable P of an array predicate: a
/// parameter at the entry (contracts) or a variable's current value.
std::optional<Val> Engine::namedPointer(const logic::Term &P, MathCtx &M) {
  cir::Loc L{P.Pos.Line, P.Pos.Col};
  if (M.Bound) {
    for (const Binding &B : *M.Bound)
      if (B.Name == P.Name)
        return B.V;
  } else {
    for (unsigned I = 0; I < F.Vars.size(); ++I)
      if (F.Vars[I].Name == P.Name && I < M.St.Vars.size() && M.St.Vars[I]) {
        M.Vars.insert(I);
        return *M.St.Vars[I];
      }
  }
  unsupported(L, "'" + P.Name + "' in an array predicate is not a pointer "
                                "with a value here");
  return std::nullopt;
}

/// `store_..._array(p, n, l)` in an assertion of a called function: p
/// points to whole elements of a buffer parameter, at most n of them up to
/// the buffer's end, holding l: the footprint's facts, and l equal to the
/// current contents unless this assertion binds l (bindContents). View
/// receives the current contents.
z3::expr Engine::arrayPredicate(const logic::Assertion &A, MathCtx &M,
                                std::optional<Seq> *View) {
  if (M.CallSite)
    return C.bool_val(true); // callContents bound it; the call checked it
  cir::Loc L{A.Pos.Line, A.Pos.Col};
  logic::ArrayElement El = *logic::arrayPredicateElement(A.Name);
  std::optional<Val> P = namedPointer(*A.Terms[0], M);
  if (!P) {
    M.Bad = true;
    return C.bool_val(true);
  }
  auto Arr = M.St.Contents.find(P->Obj);
  if (P->R != Region::Buffer || Arr == M.St.Contents.end() ||
      BufferElem.at(P->Obj).Bytes != El.Bytes) {
    unsupported(L, "an array predicate on memory other than a buffer "
                   "parameter of the same element size (the packet's and "
                   "map values' contents are not modelled)");
    M.Bad = true;
    return C.bool_val(true);
  }
  z3::expr Count = intTerm(*A.Terms[1], M);
  if (M.Bad)
    return C.bool_val(true);
  z3::expr Zero = bv(0, 2);
  z3::expr Fact = mCmp("<=", Zero, Count) && mCmp("<=", Zero, P->E) &&
                  mCmp("<=", mAdd(P->E, mMul(Count, intLit(El.Bytes))),
                       BufferSizes.at(P->Obj).second);
  if (El.Bytes > 1)
    Fact = Fact && z3::urem(P->E, bv(El.Bytes, 64)) == bv(0, 64);
  Seq Current{contentsFrom(Arr->second, *elementIndex(*P, El.Bytes)), Count,
              El.Bytes * 8, El.Signed};
  if (View) {
    View->emplace(Current);
    return Fact;
  }
  if (M.Binds.count(&A))
    return Fact;
  std::optional<Seq> Named = seqTerm(*A.Terms[2], M);
  if (!Named || M.Bad)
    return C.bool_val(true);
  return Fact && seqEqual(Current, *Named);
}

/// Binds the contents names of A's top-level array predicates that are
/// not bound yet to the current contents.
void Engine::bindContents(const logic::Assertion &A, MathCtx &M) {
  if (A.K == logic::Assertion::Kind::And ||
      A.K == logic::Assertion::Kind::Sep) {
    for (const auto &S : A.Subs)
      bindContents(*S, M);
    return;
  }
  if (M.CallSite || !logic::isArrayPredicate(A) ||
      A.Terms[2]->K != logic::Term::Kind::Var)
    return;
  const std::string &Name = A.Terms[2]->Name;
  if (M.Seqs.count(Name) || EntrySeqs.count(Name))
    return;
  std::optional<Seq> View;
  arrayPredicate(A, M, &View);
  if (View && !M.Bad) {
    M.Seqs.insert_or_assign(Name, *View);
    M.Binds.insert(&A);
  }
}

std::optional<Seq> Engine::seqTerm(const logic::Term &T, MathCtx &M) {
  TV V = term(T, M);
  if (M.Bad)
    return std::nullopt;
  if (!V.S) {
    unsupported({T.Pos.Line, T.Pos.Col},
                "an integer where an annotation needs a sequence");
    M.Bad = true;
    return std::nullopt;
  }
  return V.S;
}

/// Zlength(l), sublist(lo, hi, l), app(l1, l2), replace_Znth(i, v, l).
Engine::TV Engine::sequenceCall(const logic::Term &T, MathCtx &M) {
  const auto &A = T.Args;
  auto SeqTV = [&](Seq S) { return TV{false, Region::Scalar, bv(0, 2), S}; };
  if (T.Name == "Zlength" && A.size() == 1) {
    std::optional<Seq> S = seqTerm(*A[0], M);
    return S ? TV{false, Region::Scalar, S->Len} : badTerm(M);
  }
  if (T.Name == "app" && A.size() == 2) {
    std::optional<Seq> X = seqTerm(*A[0], M), Y = seqTerm(*A[1], M);
    if (!X || !Y || X->Bits != Y->Bits) {
      if (!M.Bad)
        unsupported({T.Pos.Line, T.Pos.Col},
                    "app of sequences of different element sizes");
      return badTerm(M);
    }
    return SeqTV(seqApp(*X, *Y));
  }
  if ((T.Name == "sublist" || T.Name == "replace_Znth") && A.size() == 3) {
    z3::expr X = intTerm(*A[0], M), Y = intTerm(*A[1], M);
    std::optional<Seq> S = seqTerm(*A[2], M);
    if (!S || M.Bad)
      return badTerm(M);
    return SeqTV(T.Name == "sublist" ? seqSublist(*S, X, Y)
                                     : seqReplace(*S, X, Y));
  }
  unsupported({T.Pos.Line, T.Pos.Col}, "'" + T.Name + "' with " +
                                           std::to_string(A.size()) +
                                           " arguments");
  return badTerm(M);
}

/// A bounded quantifier (logic::quantifierRange): its variable ranges over
/// integers of a width that holds every value from Lo to Hi, so the
/// quantifier over that width means the quantifier over the integers.
z3::expr Engine::quantifier(const logic::Assertion &A, MathCtx &M) {
  cir::Loc L{A.Pos.Line, A.Pos.Col};
  std::optional<logic::QuantifierRange> R;
  if (A.Binders.size() == 1)
    R = logic::quantifierRange(A, A.Binders[0]);
  if (!R) {
    unsupported(L, "a quantifier without bounds 'lo <= k && k < hi'");
    M.Bad = true;
    return C.bool_val(true);
  }
  z3::expr Lo = intTerm(*R->Lo, M), Hi = intTerm(*R->Hi, M);
  if (M.Bad)
    return C.bool_val(true);
  // At least 64 bits: an index l[k] is then k itself (seqIndex), which
  // E-matching can match, where a sign extension would need MBQI.
  unsigned W = std::max(64u, std::max(wd(Lo), wd(Hi)) + 2);
  z3::expr K = C.bv_const(
      (A.Binders[0] + "!" + std::to_string(FreshCount++)).c_str(), W);
  M.Binders.push_back({A.Binders[0], K});
  z3::expr Body = assertion(*A.Subs[0], M);
  M.Binders.pop_back();
  if (A.K == logic::Assertion::Kind::Forall)
    return z3::forall(K, Body);
  // Z3 rarely finds the witness of an existential goal by itself (seconds
  // of MBQI): offer the bounds and the integer variables' values as
  // candidates. Each disjunct implies the existential, so the disjunction
  // is equivalent to it wherever it occurs.
  std::vector<z3::expr> Candidates{Lo, Hi};
  for (unsigned I = 0; I < F.Vars.size() && I < M.St.Vars.size(); ++I)
    if (M.St.Vars[I] && M.St.Vars[I]->R == Region::Scalar &&
        !F.Vars[I].Ty.isPtr())
      Candidates.push_back(math(*M.St.Vars[I], F.Vars[I].Ty));
  if (M.Ret && M.Ret->R == Region::Scalar)
    Candidates.push_back(math(*M.Ret, M.RetTy ? *M.RetTy : F.ReturnType));
  z3::expr Out = z3::exists(K, Body);
  for (const z3::expr &W : Candidates) {
    M.Binders.push_back({A.Binders[0], W});
    Out = Out || assertion(*A.Subs[0], M);
    M.Binders.pop_back();
  }
  return Out;
}

void Engine::run() {
  State St{std::vector<std::optional<Val>>(F.Vars.size()), C.bool_val(true),
           {}};
  if (!F.isEntry()) {
    if (!enterFunction(St))
      return;
  } else if (F.NumParams != 1 || F.Vars.empty() || !F.Vars[0].Ty.isPtr()) {
    unsupported(F.L, TypeName + " entry point without a '" + CtxStruct +
                         " *' parameter");
    return;
  } else {
    St.Vars[0] = Val{Region::Ctx, bv(0, 64)};
  }
  std::vector<State> States{std::move(St)};
  if (F.Body) {
    live(*F.Body, {}, {}, {});
    Assigns.assign(F.Vars.size(), {});
    std::set<const cir::Stmt *> Dom;
    scanAssigns(*F.Body, false, Dom);
    exec(*F.Body, States);
  }
  // Paths that fall off the end: a void function returns there; one
  // returning a value must not get there.
  for (State &S2 : States) {
    if (F.ReturnType.isVoid()) {
      checkReturn(F.L, nullptr, S2, nullptr);
      continue;
    }
    if (!feasible(S2))
      continue;
    addFailure(F.L, "control may reach the end of the function without a "
                    "return",
               "");
    break;
  }  if (Proof) {
    Proof->Axioms.push_back(smt(entryFact()));
    for (const z3::expr &Fact : SolverFacts)
      Proof->Axioms.push_back(smt(Fact));
  }
}

} // namespace

namespace {

FunctionResult verifyIn(z3::context &C, const cir::Module &M,
                        const cir::Function &F, const Options &Opts) {
  FunctionResult R;
  R.Function = F.Name;
  auto T0 = std::chrono::steady_clock::now();
  try {
    Engine E(C, M, F, Opts, R);
    E.run();
  } catch (const z3::exception &Ex) {
    R.Failures.push_back(
        {F.L, std::string("internal solver error: ") + Ex.msg(), "", ""});
  }
  auto T1 = std::chrono::steady_clock::now();
  R.Millis = std::chrono::duration<double, std::milli>(T1 - T0).count();
  R.Verified = R.Failures.empty();
  return R;
}

} // namespace

FunctionResult verifyFunction(const cir::Module &M, const cir::Function &F,
                              const Options &Opts) {
  z3::context C;
  return verifyIn(C, M, F, Opts);
}

std::vector<FunctionResult> verifyModule(const cir::Module &M,
                                         const Options &Opts) {
  z3::context C;
  std::vector<FunctionResult> Results;
  for (const cir::Function &F : M.Functions)
    Results.push_back(verifyIn(C, M, F, Opts));
  return Results;
}

} // namespace vep::verifier
