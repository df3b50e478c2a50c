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

#include "vep/logic/Assertion.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vep::cir {

struct Loc {
  unsigned Line = 0;
  unsigned Col = 0;
};

/// The type of a value: an integer of 8/16/32/64 bits, or a pointer
/// (64 bits). PointeeSize is sizeof(*p) (1 for void*), used by the compiler
/// only for comments; all arithmetic on pointers is already in bytes.
struct Type {
  enum class Kind { Int, Ptr };
  Kind K = Kind::Int;
  unsigned Bits = 64;  // 8, 16, 32 or 64; pointers are 64
  bool Signed = false; // Int only
  unsigned PointeeSize = 1;
  std::string Spelling; // the C type as written, for diagnostics

  bool isPtr() const { return K == Kind::Ptr; }
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
    AddrOf,  // &v for the local integer variable VarId; only as a helper
             // argument the helper reads (key, value): it points to
             // sizeof(v) bytes holding v's value, which the call never writes
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
  std::vector<ExprPtr> Ops;
};

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
    AtomicAdd, // *(Value->Ty *)Addr += Value, atomically (BPF_ATOMIC |
               // BPF_ADD, no fetch): `__sync_fetch_and_add(p, v);` whose
               // result is unused. Value->Ty is a 32- or 64-bit integer.
  };
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
  std::vector<StmtPtr> Body;
  std::shared_ptr<const logic::Annotation> Annot;
};

struct Variable {
  std::string Name;
  Type Ty;
  bool IsParam = false;
  Loc L;
};

/// eBPF program types known to the toolchain; the section name selects one.
enum class ProgramType { XDP };

/// One function with `SEC("...")`: an entry point the kernel calls.
struct Function {
  std::string Name;
  std::string Section; // e.g. "xdp"
  ProgramType ProgType = ProgramType::XDP;
  Type ReturnType;
  Loc L;
  std::vector<Variable> Vars; // parameters first, in order, then locals
  unsigned NumParams = 0;
  StmtPtr Body;
  /// The contract written between header and body, or null: the program
  /// type's default contract applies.
  std::shared_ptr<const logic::Annotation> Contract;
};

/// A map defined with libbpf's BTF-style syntax in section ".maps":
///   struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 256);
///            __type(key, __u32); __type(value, __u64); } counts SEC(".maps");
/// (`__uint(key_size, 4)` / `__uint(value_size, 8)` are accepted too).
struct MapDef {
  std::string Name;
  uint32_t MapType = 0; // BPF_MAP_TYPE_*
  uint32_t KeySize = 0, ValueSize = 0, MaxEntries = 0, Flags = 0;
  std::string KeySpelling, ValueSpelling; // the C types, for diagnostics
  Loc L;
};

/// A translation unit as the stages see it.
struct Module {
  std::string FileName;
  std::string License; // contents of SEC("license"), e.g. "GPL"
  std::vector<MapDef> Maps; // in definition order (= order in ".maps")
  std::vector<Function> Functions;
};

} // namespace vep::cir

#endif // VEP_CIR_CIR_H
