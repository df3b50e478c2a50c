//===- CIR.h - The C-level IR shared by VEP-C and the compiler --*- C++ -*-===//
//
// The front end lowers Clang's AST of an annotated eBPF C function to this
// small IR; VEP-C symbolically executes it and the compiler generates
// bytecode from it, so both stages see one meaning of the program. All C
// implicit conversions are explicit Cast nodes; member access and pointer
// arithmetic are explicit byte offsets; every memory access states its size.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_CIR_CIR_H
#define VEP_CIR_CIR_H

#include "vep/cir/DebugType.h"
#include "vep/logic/Assertion.h"
#include "vep/logic/Predicates.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace vep::cir {

struct Loc {
  unsigned Line = 0;
  unsigned Col = 0;
};

/// The type of a value: an integer of 8/16/32/64 bits, or a pointer
/// (64 bits). PointeeSize is sizeof(*p) (1 for void*), used by the compiler
/// only for comments; all arithmetic on pointers is already in bytes.
/// `void` (only as the ReturnType of a non-entry function and the Ty of a
/// FuncCall of one) is Int with Bits 0.
struct Type {
  enum class Kind { Int, Ptr };
  Kind K = Kind::Int;
  unsigned Bits = 64;  // 8, 16, 32 or 64; pointers are 64
  bool Signed = false; // Int only
  unsigned PointeeSize = 1;
  std::string Spelling; // the C type as written, for diagnostics

  bool isPtr() const { return K == Kind::Ptr; }
  bool isVoid() const { return K == Kind::Int && Bits == 0; }
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  enum class Kind {
    Const,   // Value (already truncated to Ty.Bits, as an unsigned pattern)
    Var,     // local variable or parameter number VarId
    Load,    // *(Ty *)(Ops[0]); size Ty.Bits/8, sign-extends if Ty.Signed
    Cast,    // Ops[0] converted to Ty: truncate / zero- / sign-extend
    Unary,   // Op in {Neg, Not(~), LNot(!)} on Ops[0]
    Binary,  // Op on Ops[0], Ops[1]: both of type Ty (or pointer + int)
    Cmp,     // Op compares Ops[0], Ops[1] of equal type; result Int 32 (0/1)
    LAnd,    // short-circuit && ; result Int 32
    LOr,     // short-circuit || ; result Int 32
    Cond,    // Ops[0] ? Ops[1] : Ops[2]
    MapAddr, // &m for the map Module::Maps[Value]; Ty is a pointer
    GlobalAddr, // &g for the global variable Module::Globals[Value]: a
                // pointer to its first byte, never null; Ty is a pointer.
                // Its reads and writes are Loads, Stores and Atomics.
    AddrOf,  // &v for the local integer variable VarId; only as a call
             // argument (a helper's, or a function's buffer parameter,
             // whose Value is 0 or, if the function writes the buffer,
             // the buffer's size). Value 0: the helper reads the buffer (a map key or
             // value, data to output): it points to sizeof(v) bytes holding
             // v's value, which the call never writes. Value k > 0: the
             // helper writes bytes [0, k) of the buffer (bpf_skb_load_bytes's
             // `to`, k its constant length; VEP-C proves 1 <= k <=
             // sizeof(v)), or only a prefix of them for the helpers
             // helperUpdatesBuffer names; the other bytes hold v's value
             // before the call. The statement
             // with the Call is then immediately followed by
             // `Assign VarId = CallOutput`.
             // Span > 1: the buffer is the Span variables VarId,
             // VarId + 1, ... one after another in memory (a local struct
             // or array's bytes, in chunks of 8, 4, 2 and 1 bytes at
             // offsets that are multiples of their sizes), as one variable
             // of their total size. A written one is followed by an
             // `Assign = CallOutput` of each of them, in order.
    CallOutput, // what the preceding statement's helper call left in the
                // buffer of its written `&v` (VarId): only as the whole
                // Value of that `Assign VarId = CallOutput`. It makes the
                // call's write an ordinary assignment for every analysis;
                // the compiler reloads v in the call itself and emits
                // nothing for it.
    AtomicResult, // the old contents the preceding Atomic statement (with
                  // Fetch) read: only as the whole Value of the
                  // `Assign VarId = AtomicResult` right after it, which
                  // makes the fetch an ordinary assignment for every
                  // analysis (the compiler moves it from R0).
    FuncCall, // bpf-to-bpf call: Value is the callee's index in
              // Module::Functions (a function without a section), Ops its
              // arguments (as many as its parameters, at most 5), Ty its
              // result. The same placement and argument rules as Call.
    Call,    // helper call: Value is its id (BPF_FUNC_*, linux/bpf.h), Ops
             // its arguments (at most 5), Ty its result. Only as the whole
             // Value of an Assign or an ExprStmt, and every argument is a
             // Const, Var, MapAddr, AddrOf or Cast of a Var (the front end
             // assigns anything else to a fresh variable first), so no
             // temporary lives across a call.
  };
  enum class OpKind {
    None,
    Add, Sub, Mul, UDiv, SDiv, URem, SRem, And, Or, Xor, Shl, LShr, AShr,
    PtrAdd,  // Ops[0] pointer + Ops[1] Int 64 byte offset (signed)
    PtrDiff, // Ops[0] pointer - Ops[1] pointer, in bytes (Int 64 signed)
    Neg, Not, LNot,
    Eq, Ne, ULt, ULe, UGt, UGe, SLt, SLe, SGt, SGe,
  };
  Kind K;
  OpKind Op = OpKind::None;
  Type Ty;
  Loc L;
  uint64_t Value = 0; // Const
  unsigned VarId = 0; // Var
  unsigned Span = 1;  // AddrOf: the buffer's variables
  std::vector<ExprPtr> Ops;
};

/// A copy of E's node (kind, operator, type, location, constant, variable)
/// without its operands; cloneExpr copies the whole tree. The front end and
/// the compiler's rewrites duplicate expressions with these.
inline ExprPtr copyNode(const Expr &E) {
  auto C = std::make_unique<Expr>();
  C->K = E.K;
  C->Op = E.Op;
  C->Ty = E.Ty;
  C->L = E.L;
  C->Value = E.Value;
  C->VarId = E.VarId;
  C->Span = E.Span;
  return C;
}

inline ExprPtr cloneExpr(const Expr &E) {
  ExprPtr C = copyNode(E);
  for (const auto &O : E.Ops)
    C->Ops.push_back(O ? cloneExpr(*O) : nullptr);
  return C;
}

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;

struct Stmt {
  enum class Kind {
    Assign, // Var VarId = Value (declarations with initialisers too)
    Store,  // *(Value->Ty *)Addr = Value
    If,     // if (Cond) Then else Else
    Return, // return Value (null for void)
    Block,  // Body in order
    Assert, // /*@ Assert P */ : Annot
    ExprStmt, // Value evaluated for its effects (loads may fault)
    Loop,     // while / for / do-while; see below
    Break,    // leaves the innermost Loop
    Continue, // goes to the innermost Loop's Step, then its head
    Atomic,   // *(Value->Ty *)Addr = old Op Value, atomically (BPF_ATOMIC,
              // AtomicOp below); CmpXchg stores Value only if old equals
              // Cond. Fetch: the old value is kept, for the
              // `Assign v = AtomicResult` that follows (the FETCH forms).
              // Value->Ty is a 32- or 64-bit integer.
  };
  /// The atomic operations: `__sync_fetch_and_add/or/and/xor`,
  /// `__sync_lock_test_and_set` and `__atomic_exchange_n` (Xchg),
  /// `__sync_val_compare_and_swap` (CmpXchg); each returns the old value.
  enum class AtomicOp { Add, Or, And, Xor, Xchg, CmpXchg };
  // A Loop's head is the point where its invariant holds and its variant is
  // compared: before each evaluation of Cond when TestFirst (while, for),
  // before each execution of the body otherwise (do-while, where Cond is
  // tested after the body and Step). One iteration is: [Cond], Then (the
  // body), Step (the `for` increment, or null), [Cond when !TestFirst].
  // Cond null means `for (;;)`. Annot is the `/*@ Inv P [Variant t] */`
  // written before the loop (null if none; VEP-C requires one).
  Kind K;
  Loc L;
  unsigned VarId = 0;
  ExprPtr Addr;
  ExprPtr Value;
  ExprPtr Cond;
  StmtPtr Then, Else;
  StmtPtr Step;          // Loop
  bool TestFirst = true; // Loop
  AtomicOp Op = AtomicOp::Add; // Atomic
  bool Fetch = false;          // Atomic
  std::vector<StmtPtr> Body;
  std::shared_ptr<const logic::Annotation> Annot;
  /// Loop: no `Inv` was written; Annot is the front end's inference for a
  /// counting loop (docs/vep-c.md, "Inferred invariants").
  bool InvInferred = false;
};

/// A deep copy of S (annotations shared: they are immutable).
inline StmtPtr cloneStmt(const Stmt &S) {
  auto C = std::make_unique<Stmt>();
  C->K = S.K;
  C->L = S.L;
  C->VarId = S.VarId;
  for (auto [From, To] : {std::pair{&S.Addr, &C->Addr},
                          std::pair{&S.Value, &C->Value},
                          std::pair{&S.Cond, &C->Cond}})
    if (*From)
      *To = cloneExpr(**From);
  for (auto [From, To] : {std::pair{&S.Then, &C->Then},
                          std::pair{&S.Else, &C->Else},
                          std::pair{&S.Step, &C->Step}})
    if (*From)
      *To = cloneStmt(**From);
  C->TestFirst = S.TestFirst;
  C->Op = S.Op;
  C->Fetch = S.Fetch;
  for (const StmtPtr &B : S.Body)
    C->Body.push_back(B ? cloneStmt(*B) : nullptr);
  C->Annot = S.Annot;
  C->InvInferred = S.InvInferred;
  return C;
}

/// E without its conversions.
inline const Expr &stripCasts(const Expr &E) {
  const Expr *X = &E;
  while (X->K == Expr::Kind::Cast)
    X = X->Ops[0].get();
  return *X;
}

/// The same expression, node for node (the same computation: where it
/// reads memory or variables, not necessarily the same value).
inline bool sameExpr(const Expr &A, const Expr &B) {
  if (A.K != B.K || A.Op != B.Op || A.Value != B.Value ||
      A.VarId != B.VarId || A.Ty.isPtr() != B.Ty.isPtr() ||
      A.Ty.Bits != B.Ty.Bits || A.Ty.Signed != B.Ty.Signed ||
      A.Ops.size() != B.Ops.size())
    return false;
  for (size_t I = 0; I < A.Ops.size(); ++I)
    if (!A.Ops[I] != !B.Ops[I] ||
        (A.Ops[I] && !sameExpr(*A.Ops[I], *B.Ops[I])))
      return false;
  return true;
}

/// Whether S holds a `continue` of the loop it lies in (not of a loop
/// inside it).
inline bool continuesLoop(const Stmt &S) {
  if (S.K == Stmt::Kind::Continue)
    return true;
  if (S.K == Stmt::Kind::Loop)
    return false;
  for (const Stmt *Sub : {S.Then.get(), S.Else.get()})
    if (Sub && continuesLoop(*Sub))
      return true;
  for (const StmtPtr &B : S.Body)
    if (continuesLoop(*B))
      return true;
  return false;
}

/// A counting loop: a test-first Loop whose condition is, or has among
/// the conjuncts of its `&&`s, a compare of the variable Counter (through
/// conversions) by `<` (ULt or SLt: Signed) with Bound, and whose
/// iterations each end with `i = i + 1` (`1 + i`, through conversions,
/// iterationStep: `while (v > 1 && r < 31) { v >>= 1; r++; }` too).
/// VEP-C's inferred variant `Bound - i`, the compiler's rank and the front
/// end's inferred invariant all start here.
struct CountingLoop {
  unsigned Counter = 0;
  const Expr *Bound = nullptr;
  bool Signed = false;
};

/// The assignment every iteration of the test-first Loop ends with: the
/// `for` step, or the body's last statement when the body has no
/// `continue` (blocks of one statement looked through). Null if there is
/// none.
inline const Stmt *iterationStep(const Stmt &Loop) {
  if (Loop.K != Stmt::Kind::Loop || !Loop.TestFirst || !Loop.Cond)
    return nullptr;
  auto Single = [](const Stmt *S) {
    while (S && S->K == Stmt::Kind::Block && S->Body.size() == 1)
      S = S->Body[0].get();
    return S;
  };
  const Stmt *Step = Single(Loop.Step.get());
  if (!Step && Loop.Then && !continuesLoop(*Loop.Then))
    Step = Single(Loop.Then->K == Stmt::Kind::Block && !Loop.Then->Body.empty()
                      ? Loop.Then->Body.back().get()
                      : Loop.Then.get());
  return Step && Step->K == Stmt::Kind::Assign ? Step : nullptr;
}

inline std::optional<CountingLoop> countingLoop(const Stmt &Loop) {
  using EK = Expr::Kind;
  const Stmt *Step = iterationStep(Loop);
  if (!Step)
    return std::nullopt;
  unsigned I = Step->VarId;
  auto IsI = [&](const Expr &E) {
    const Expr &X = stripCasts(E);
    return X.K == EK::Var && X.VarId == I;
  };
  auto IsOne = [](const Expr &E) {
    const Expr &X = stripCasts(E);
    return X.K == EK::Const && X.Value == 1;
  };
  const Expr &Inc = stripCasts(*Step->Value);
  if (Inc.K != EK::Binary || Inc.Op != Expr::OpKind::Add ||
      !((IsI(*Inc.Ops[0]) && IsOne(*Inc.Ops[1])) ||
        (IsOne(*Inc.Ops[0]) && IsI(*Inc.Ops[1]))))
    return std::nullopt;
  // The conjunct `i < B`, under any number of `&&`s.
  std::vector<const Expr *> Conjuncts{&stripCasts(*Loop.Cond)};
  while (!Conjuncts.empty()) {
    const Expr &C = *Conjuncts.back();
    Conjuncts.pop_back();
    if (C.K == EK::LAnd) {
      for (const ExprPtr &O : C.Ops)
        Conjuncts.push_back(&stripCasts(*O));
      continue;
    }
    if (C.K == EK::Cmp &&
        (C.Op == Expr::OpKind::ULt || C.Op == Expr::OpKind::SLt) &&
        IsI(*C.Ops[0]))
      return CountingLoop{I, C.Ops[1].get(), C.Op == Expr::OpKind::SLt};
  }
  return std::nullopt;
}

/// "add", "or", "and", "xor", "xchg", "cmpxchg", for messages.
inline const char *atomicOpName(Stmt::AtomicOp Op) {
  static const char *const Names[] = {"add", "or",   "and",
                                      "xor", "xchg", "cmpxchg"};
  return Names[unsigned(Op)];
}

struct Variable {
  std::string Name;
  Type Ty;
  bool IsParam = false;
  Loc L;
  /// Nonzero: the element past the end of a local array of this many
  /// elements, read where its index is out of bounds (`a[i]` is the
  /// branches `i == 0 ? a[0] : ... i == n-1 ? a[n-1] : past-the-end`).
  /// No statement assigns it, so VEP-C reports a read as an index out of
  /// bounds, and the compiler drops the branches that read it: VEP-C proved
  /// them unreachable.
  unsigned PastEndOf = 0;
};

/// eBPF program types known to the toolchain; the section name selects one
/// (programTypeOfSection).
enum class ProgramType {
  XDP,          // BPF_PROG_TYPE_XDP, context struct xdp_md
  SchedCls,     // BPF_PROG_TYPE_SCHED_CLS (tc), context struct __sk_buff
  SocketFilter, // BPF_PROG_TYPE_SOCKET_FILTER, context struct __sk_buff
  Kprobe,       // BPF_PROG_TYPE_KPROBE, context struct pt_regs (read-only)
  Tracepoint,   // BPF_PROG_TYPE_TRACEPOINT, context the event's record
  RawTracepoint, // BPF_PROG_TYPE_RAW_TRACEPOINT, bpf_raw_tracepoint_args
  SockOps,   // BPF_PROG_TYPE_SOCK_OPS, context struct bpf_sock_ops
  PerfEvent, // BPF_PROG_TYPE_PERF_EVENT, struct bpf_perf_event_data (r/o)
};

/// The program type libbpf (1.1, as in Debian 12) gives a section, or
/// nullopt: "xdp", "xdp/..." and "xdp.…" (as before); exactly "tc" or
/// "classifier" for tc; exactly "socket" for socket filters; "kprobe",
/// "kretprobe", "tracepoint", "tp", "raw_tracepoint", "raw_tp", each
/// alone or followed by "/..." (libbpf's "+" section definitions); exactly
/// "sockops" and "perf_event".
inline std::optional<ProgramType>
programTypeOfSection(const std::string &Sec) {
  if (Sec == "xdp" || Sec.rfind("xdp/", 0) == 0 || Sec.rfind("xdp.", 0) == 0)
    return ProgramType::XDP;
  if (Sec == "tc" || Sec == "classifier")
    return ProgramType::SchedCls;
  if (Sec == "socket")
    return ProgramType::SocketFilter;
  if (Sec == "sockops")
    return ProgramType::SockOps;
  if (Sec == "perf_event")
    return ProgramType::PerfEvent;
  static const std::pair<const char *, ProgramType> Tracing[] = {
      {"kprobe", ProgramType::Kprobe},
      {"kretprobe", ProgramType::Kprobe},
      {"tracepoint", ProgramType::Tracepoint},
      {"tp", ProgramType::Tracepoint},
      {"raw_tracepoint", ProgramType::RawTracepoint},
      {"raw_tp", ProgramType::RawTracepoint}};
  for (const auto &[Prefix, T] : Tracing)
    if (Sec == Prefix || Sec.rfind(std::string(Prefix) + "/", 0) == 0)
      return T;
  return std::nullopt;
}

/// The C struct the program type's context points to; a tracepoint's is
/// the event's own record struct, which the program declares ("" here:
/// any struct).
inline const char *contextStructName(ProgramType T) {
  switch (T) {
  case ProgramType::XDP:
    return "struct xdp_md";
  case ProgramType::SchedCls:
  case ProgramType::SocketFilter:
    return "struct __sk_buff";
  case ProgramType::Kprobe:
    return "struct pt_regs";
  case ProgramType::Tracepoint:
    return "";
  case ProgramType::RawTracepoint:
    return "struct bpf_raw_tracepoint_args";
  case ProgramType::SockOps:
    return "struct bpf_sock_ops";
  case ProgramType::PerfEvent:
    return "struct bpf_perf_event_data";
  }
  return "?";
}

/// A short name of the program type for diagnostics ("XDP programs").
inline const char *programTypeName(ProgramType T) {
  switch (T) {
  case ProgramType::XDP:
    return "XDP";
  case ProgramType::SchedCls:
    return "tc";
  case ProgramType::SocketFilter:
    return "socket filter";
  case ProgramType::Kprobe:
    return "kprobe";
  case ProgramType::Tracepoint:
    return "tracepoint";
  case ProgramType::RawTracepoint:
    return "raw tracepoint";
  case ProgramType::SockOps:
    return "sock_ops";
  case ProgramType::PerfEvent:
    return "perf_event";
  }
  return "?";
}

/// Byte offsets of the context's packet start and end fields (4-byte
/// loads that give the packet pointers), or -1 without direct packet
/// access. Shared by VEP-C and the compiler's cut-point lowering, which
/// must agree on what a load of these fields is.
struct PacketFields {
  int Data = -1, DataEnd = -1;
};
inline PacketFields packetFields(ProgramType T) {
  switch (T) {
  case ProgramType::XDP:
    return {0, 4}; // struct xdp_md
  case ProgramType::SchedCls:
    return {76, 80}; // struct __sk_buff
  default: // socket filters, tracing, sock_ops and perf_event programs
    return {};
  }
}

/// What a parameter of a non-entry function holds, as its contract's
/// Require says (VEP-C fills this in; the compiler writes the matching
/// binding of the function's pre, docs/design-calls.md):
///  - Scalar: an integer parameter;
///  - Packet: a pointer p with `packet(p)`: p = data + o with
///    0 <= o <= data_end - data and o <= 2^30 (so that the function's packet
///    comparisons stay exact, VEP-C's MaxPacketArgOffset);
///  - PacketEnd: a pointer e with `packet_end(e)` (e = data_end);
///  - Buffer: a pointer p with `store_uchar_array(p, n, l)` (or the char,
///    int, uint variants, n counting elements): p points to
///    BufferBytes bytes the function may access; Writes when its body may
///    store through p (from the body, not from `const`).
struct ParamSpec {
  enum class Kind { Scalar, Packet, PacketEnd, Buffer };
  Kind K = Kind::Scalar;
  /// Buffer: the size in bytes, a term over the function's scalar
  /// parameters (by name) and integer literals, e.g. `n` or `16`.
  logic::TermPtr BufferBytes;
  bool Writes = false;
  /// Buffer: Require's `undef_data_at(p, T)`: the function may not read
  /// the bytes before it writes them, so a caller may pass a variable it
  /// never set (the front end sets it to 0 before the call: the checker
  /// wants a stack buffer's bytes initialised).
  bool Undef = false;
  /// Buffer: Ensure's `undef_data_at(p, T)`, or Undef and Ensure does not
  /// describe p: after the call the caller may not read the bytes.
  bool UndefOnReturn = false;
  /// Buffer: Ensure's `c => data_at(p, T, v)`: c (over `__return` and the
  /// parameters). An Undef parameter is written where c holds and stays
  /// undefined where it does not.
  logic::AssertionPtr WrittenIf;
};

/// A function definition: an entry point the kernel calls (with
/// `SEC("...")`), or a function entry points call (bpf-to-bpf, no section,
/// not inlined: `static __attribute__((noinline))` or global), whose
/// contract is required and is all its callers know of it.
struct Function {
  std::string Name;
  std::string Section; // e.g. "xdp", "tc", "socket"; empty: not an entry
  bool isEntry() const { return !Section.empty(); }
  /// Non-entry functions: one per parameter.
  std::vector<ParamSpec> Params;
  ProgramType ProgType = ProgramType::XDP; // entry points only
  Type ReturnType;
  Loc L;
  std::vector<Variable> Vars; // parameters first, in order, then locals
  unsigned NumParams = 0;
  StmtPtr Body;
  /// The contract written between header and body, or null: the program
  /// type's default contract applies.
  std::shared_ptr<const logic::Annotation> Contract;
  /// Its C signature (a FuncProto), for the object's BTF only.
  DebugTypePtr Proto;
};

/// The context field E loads when it is the entry F's 4-byte load of its
/// context's data or data_end field (PacketFields' offset): the address,
/// through pointer conversions and constant byte offsets, is the context
/// parameter (variable 0) plus the field's offset; -1 for any other E.
/// (Whether the function assigns the parameter is the caller's question.)
inline int packetFieldLoaded(const Expr &E, const Function &F) {
  PacketFields P = packetFields(F.ProgType);
  if (!F.isEntry() || P.Data < 0 || E.K != Expr::Kind::Load || E.Ty.isPtr() ||
      E.Ty.Bits != 32)
    return -1;
  int64_t Off = 0;
  const Expr *B = E.Ops[0].get();
  for (;;) {
    if (B->K == Expr::Kind::Cast && B->Ty.isPtr()) {
      B = B->Ops[0].get();
    } else if (B->K == Expr::Kind::Binary && B->Op == Expr::OpKind::PtrAdd &&
               B->Ops[1]->K == Expr::Kind::Const) {
      Off += int64_t(B->Ops[1]->Value);
      B = B->Ops[0].get();
    } else {
      break;
    }
  }
  bool Field = Off == P.Data || Off == P.DataEnd;
  return B->K == Expr::Kind::Var && B->VarId == 0 && F.NumParams >= 1 && Field
             ? int(Off)
             : -1;
}

inline bool isPacketFieldLoad(const Expr &E, const Function &F) {
  return packetFieldLoaded(E, F) >= 0;
}

/// A map defined with libbpf's BTF-style syntax in section ".maps":
///   struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 256);
///            __type(key, __u32); __type(value, __u64); } counts SEC(".maps");
/// (`__uint(key_size, 4)` / `__uint(value_size, 8)` are accepted too).
/// A map of maps (ARRAY_OF_MAPS, HASH_OF_MAPS) has `__array(values,
/// struct T)`: T defines the inner template, and the initialiser
/// `= { .values = { &a, &b } }` the maps libbpf stores at load time.
struct MapDef {
  std::string Name;
  uint32_t MapType = 0; // BPF_MAP_TYPE_*
  uint32_t KeySize = 0, ValueSize = 0, MaxEntries = 0, Flags = 0;
  std::string KeySpelling, ValueSpelling; // the C types, for diagnostics
  /// `__type(key, T)`, `__type(value, T)`: T for the object's BTF (null:
  /// given by size).
  DebugTypePtr KeyType, ValueType;
  Loc L;
  /// Maps of maps: the inner template (named "<Name>.inner", as libbpf
  /// names it), and per slot of `.values` the index in Module::Maps of the
  /// map stored there (-1: none).
  std::shared_ptr<const MapDef> Inner;
  std::vector<int> InitialValues;
  bool isMapOfMaps() const { return MapType == 12 || MapType == 13; }
};

/// A global variable (file scope, static storage duration) of an integer
/// type or a one-dimensional array of integers. libbpf keeps the variables
/// of each section in the one value of an internal array map, which user
/// space may read and write before and during every run: the stages take
/// every load of a global as an unknown value of its width (as a map
/// value's), and the program may not write `.rodata` (BPF_F_RDONLY_PROG).
/// Section: `.rodata` for const-qualified variables, else `.data` when the
/// initialiser has a nonzero byte, else `.bss` (as clang places them).
struct GlobalVar {
  enum class Section { Data, Bss, Rodata };
  std::string Name;
  Section Sec = Section::Bss;
  bool Static = false;       // `static`: a local ELF symbol
  uint64_t Size = 0;         // bytes
  uint64_t Align = 1;        // bytes, a power of two
  uint64_t Offset = 0;       // in its section: Align-aligned, definition order
  unsigned ElemBits = 8;     // the integer type, or the array's element type
  bool ElemSigned = false;   //
  uint64_t Count = 0;        // array elements; 0: not an array
  std::vector<uint8_t> Init; // Size bytes, little-endian (zero for `.bss`)
  std::string Spelling;      // the C type, for diagnostics
  DebugTypePtr DeclaredType; // the C type, for the object's BTF
  Loc L;
};

inline const char *sectionName(GlobalVar::Section S) {
  switch (S) {
  case GlobalVar::Section::Data:
    return ".data";
  case GlobalVar::Section::Bss:
    return ".bss";
  case GlobalVar::Section::Rodata:
    return ".rodata";
  }
  return "?";
}

/// A translation unit as the stages see it.
struct Module {
  std::string FileName;
  std::string Source; // FileName's text as parsed: what Loc lines number
  std::string License; // contents of SEC("license"), e.g. "GPL"
  std::vector<MapDef> Maps; // in definition order (= order in ".maps")
  std::vector<GlobalVar> Globals; // in definition order
  /// Definition order; a FuncCall's callee may come before or after its
  /// caller (the compiler orders the checker's function table itself).
  std::vector<Function> Functions;
  /// The user predicates (`Let`) the annotations use, checked.
  logic::PredicateTable Predicates;
};

/// Helpers that write only part of a buffer `&v`, after reading it or not:
/// up to a string's NUL (bpf_probe_read_user_str,
/// bpf_probe_read_kernel_str), a route's results over its parameters
/// (bpf_fib_lookup). The bytes they leave keep v's value, so VEP-C requires
/// v to hold one and the compiler passes it in the buffer, as when a
/// helper writes part of v.
inline bool helperUpdatesBuffer(uint64_t HelperId) {
  return HelperId == 114 || HelperId == 115 || HelperId == 69;
}

/// The argument registers a call of a helper with NumArgs arguments sets.
/// bpf_trace_printk(fmt, size, ...) is variadic: it reads as many of R3..R5
/// as its format names, which no stage parses, so every call passes all
/// five, 0 for the values it leaves out (the checker requires each).
inline unsigned helperArgRegisters(uint64_t HelperId, unsigned NumArgs) {
  return HelperId == 6 ? 5 : NumArgs;
}

} // namespace vep::cir

#endif // VEP_CIR_CIR_H
