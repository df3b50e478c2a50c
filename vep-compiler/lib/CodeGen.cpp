//===- CodeGen.cpp - CIR to eBPF bytecode ---------------------------------===//
//
// A code generator shaped for the VEP checker and the kernel verifier
// (docs/compiler.md, section 1). It compiles the body rewritten by
// CodeGenRewrite.cpp (forwarded copies and pointer offsets, dead values
// dropped) and hands the result to Peephole.cpp (jumps to the next slot,
// gotos to exits, repeated constants and loads):
//
//  * Homes. Every variable that is used gets one home for the whole
//    function: a register R6-R9 or an 8-byte stack slot R10-8, R10-16, ...
//    Statements are numbered in source order (a topological order but for
//    loops' back edges), each variable's range runs from its first to its
//    last occurrence (widened to the whole loop for a variable live at a
//    loop head), and a linear scan gives R6-R9 to variables whose ranges
//    do not overlap; when more than four are live at once, a variable live
//    at no loop head may get a scratch register R1-R5 (scratchFits: no call
//    in its range, room left for the statements' temporaries), else the
//    least used goes to the stack. A home always holds the variable's value in
//    canonical form (below); stack homes are read and written as whole
//    8-byte words, and stack slots are never shared.
//  * Canonical values. A value of an N-bit integer type is kept in a 64-bit
//    register as its N-bit pattern zero-extended, whatever its signedness.
//    32-bit arithmetic uses ALU32 (which zero-extends), 8/16-bit arithmetic
//    that can overflow is masked, narrowing casts truncate (`w = w` or AND),
//    sign extension is `<<` then `s>>`. Zero extension and same-width casts
//    emit nothing, so `(void *)(long)ctx->data` is one 4-byte ctx load.
//  * Expressions are evaluated into a destination register with the scratch
//    registers R0-R5 that are no home there, operands in Sethi-Ullman order; if the scratch
//    registers do not suffice, an intermediate value is spilled to a stack
//    slot below the variables' slots. Constant subtrees are folded;
//    constants and variables living in registers are used in place
//    (immediate operands, borrowed registers). Constant offsets of pointer
//    arithmetic fold into the load/store offset (required for ctx access).
//  * Conditions compile to compare-and-branch: && || ! ?: short-circuit and
//    a comparison is only materialised as 0/1 when its value is used.
//    Unsigned and pointer comparisons are 64-bit unsigned jumps on
//    canonical values (the checker learns facts from these); signed
//    comparisons of values known to be non-negative become unsigned ones;
//    other signed comparisons sign-extend narrow operands and use the signed
//    jumps. Code after a return (or break / continue) is not emitted.
//  * Loops (genLoop). The head H is a cut point carrying the loop invariant
//    in bytecode form (LoopLowering.cpp): the start of the test for
//    while/for, of the body for do-while. H is entered by falling through;
//    a false test and `break` jump forward past the loop, `continue` to the
//    step, the end of an iteration jumps back to H (do-while: a backward
//    conditional jump). These back edges are the only backward jumps. Only
//    variables' homes are live at H (temporaries live within a statement),
//    H is never instruction 0. A nested loop's head carries a ghost for
//    each enclosing loop: that loop's variant over the head's variables.
//  * Entry: ctx arrives in R1 and stays there if it can (scratchFits), else
//    is moved to its home. Return: the value
//    goes to R0 (an `int` is thus zero-extended); `if (c) return v` (v a
//    constant or a variable) puts v into R0 and jumps to the next `exit`.
//  * Helper calls (genCall) are the whole value of an assignment or an
//    expression statement, and their arguments are constants, variables,
//    casts of variables, `&map` and `&v`: each is computed straight into its
//    argument register R1-R5 without touching another register. `&map` is
//    an lddw of 0 with a relocation against the map's symbol; `&v` stores
//    v's value (sizeof(v) bytes) into a buffer of the call's own below the
//    variables' slots and passes R10 + offset. The result in R0 goes to the
//    assigned variable's home. A call clobbers R0-R5, which hold nothing
//    then: no scratch home's range contains a call (but its own assignment
//    from one) and temporaries never live across a statement.
//
//===----------------------------------------------------------------------===//

#include "CodeGenInternal.h"
#include "vep/compiler/CodeGen.h"
#include "vep/logic/HelperNames.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <map>
#include <optional>
#include <unordered_map>

namespace vep::compiler {
namespace {

using namespace cirutil;
using cir::Expr;
using cir::Stmt;
using EK = Expr::Kind;
using OK = Expr::OpKind;
using SK = Stmt::Kind;

constexpr unsigned NumScratch = 6;     // R0-R5
constexpr unsigned FirstHomeReg = 6;   // R6-R9
constexpr unsigned NumHomeRegs = 4;
constexpr int StackLimit = 512;
constexpr uint8_t R10 = bpf::R10;
constexpr unsigned MaxCallArgs = 5; // R1-R5

/// Bytes of a `&v` argument's buffer: sizeof(v), rounded up to 8 so every
/// buffer starts 8-byte aligned.
int roundUp8(int Bytes) { return (Bytes + 7) / 8 * 8; }

/// The bytes of the buffer of `&v` A (its Span variables) and the stack
/// it takes (whole 8-byte slots).
int argBufferBytes(const Expr &A, const std::vector<cir::Variable> &Vars) {
  int Bytes = 0;
  for (unsigned V = A.VarId; V < A.VarId + A.Span; ++V)
    Bytes += int(Vars[V].Ty.Bits / 8);
  return Bytes;
}

uint64_t trunc(uint64_t V, unsigned Bits) { return V & maskOf(Bits); }
bool fitsImm64(uint64_t V) {
  int64_t S = int64_t(V);
  return S >= INT32_MIN && S <= INT32_MAX;
}
bool isCommutative(OK Op) {
  return Op == OK::Add || Op == OK::Mul || Op == OK::And || Op == OK::Or ||
         OK::Xor == Op;
}

OK negateCmp(OK Op) {
  switch (Op) {
  case OK::Eq: return OK::Ne;
  case OK::Ne: return OK::Eq;
  case OK::ULt: return OK::UGe;
  case OK::ULe: return OK::UGt;
  case OK::UGt: return OK::ULe;
  case OK::UGe: return OK::ULt;
  case OK::SLt: return OK::SGe;
  case OK::SLe: return OK::SGt;
  case OK::SGt: return OK::SLe;
  case OK::SGe: return OK::SLt;
  default: return Op;
  }
}

OK mirrorCmp(OK Op) { // a Op b  <=>  b mirror(Op) a
  switch (Op) {
  case OK::ULt: return OK::UGt;
  case OK::ULe: return OK::UGe;
  case OK::UGt: return OK::ULt;
  case OK::UGe: return OK::ULe;
  case OK::SLt: return OK::SGt;
  case OK::SLe: return OK::SGe;
  case OK::SGt: return OK::SLt;
  case OK::SGe: return OK::SLe;
  default: return Op;
  }
}

bool isSignedCmp(OK Op) {
  return Op == OK::SLt || Op == OK::SLe || Op == OK::SGt || Op == OK::SGe;
}

OK unsignedCmp(OK Op) {
  switch (Op) {
  case OK::SLt: return OK::ULt;
  case OK::SLe: return OK::ULe;
  case OK::SGt: return OK::UGt;
  case OK::SGe: return OK::UGe;
  default: return Op;
  }
}

uint8_t jmpOp(OK Op) {
  switch (Op) {
  case OK::Eq: return bpf::JEQ;
  case OK::Ne: return bpf::JNE;
  case OK::ULt: return bpf::JLT;
  case OK::ULe: return bpf::JLE;
  case OK::UGt: return bpf::JGT;
  case OK::UGe: return bpf::JGE;
  case OK::SLt: return bpf::JSLT;
  case OK::SLe: return bpf::JSLE;
  case OK::SGt: return bpf::JSGT;
  case OK::SGe: return bpf::JSGE;
  default: return bpf::JEQ;
  }
}

bool isCmpOp(OK Op) {
  return Op == OK::Eq || Op == OK::Ne || Op == OK::ULt || Op == OK::ULe ||
         Op == OK::UGt || Op == OK::UGe || isSignedCmp(Op);
}

size_t arity(EK K) {
  switch (K) {
  case EK::Const:
  case EK::Var:
  case EK::MapAddr:
  case EK::GlobalAddr:
  case EK::AddrOf:
  case EK::CallOutput:
  case EK::AtomicResult:
  case EK::FuncCall:
  case EK::Call: // its arguments: validateCall checks them
    return 0;
  case EK::Load:
  case EK::Cast:
  case EK::Unary:
    return 1;
  case EK::Binary:
  case EK::Cmp:
  case EK::LAnd:
  case EK::LOr:
    return 2;
  case EK::Cond:
    return 3;
  }
  return 0;
}

/// The variables E reads directly, [first, second): `v`, or those of
/// `&v`'s buffer (the helper reads v's value; AddrOf Span).
std::pair<unsigned, unsigned> readVars(const Expr &E) {
  if (E.K == EK::Var || E.K == EK::AddrOf)
    return {E.VarId, E.VarId + E.Span};
  return {0, 0};
}

bool mentions(const Expr &E, unsigned V) {
  if (auto [First, End] = readVars(E); First != End)
    return First <= V && V < End;
  for (const auto &O : E.Ops)
    if (mentions(*O, V))
      return true;
  return false;
}


/// Folds a constant subtree to its canonical value (N-bit pattern).
/// Subtrees whose value is undefined in C (division by zero, oversized
/// shifts, signed division overflow) are left to the generated code.
class Folder {
public:
  std::optional<uint64_t> fold(const Expr &E) {
    auto It = Memo.find(&E);
    if (It != Memo.end())
      return It->second;
    std::optional<uint64_t> V = compute(E);
    Memo[&E] = V;
    return V;
  }

private:
  std::unordered_map<const Expr *, std::optional<uint64_t>> Memo;

  static uint64_t convert(uint64_t V, const cir::Type &From,
                          const cir::Type &To) {
    unsigned FB = bitsOf(From), TB = bitsOf(To);
    if (isSignedInt(From) && TB > FB)
      return trunc(uint64_t(sext(V, FB)), TB);
    return trunc(V, TB);
  }

  std::optional<uint64_t> compute(const Expr &E) {
    unsigned B = bitsOf(E.Ty);
    switch (E.K) {
    case EK::Const:
      return trunc(E.Value, B);
    case EK::Var:
    case EK::Load:
    case EK::MapAddr:
    case EK::GlobalAddr:
    case EK::AddrOf:
    case EK::CallOutput:
    case EK::AtomicResult:
    case EK::FuncCall:
    case EK::Call:
      return std::nullopt;
    case EK::Cast: {
      auto V = fold(*E.Ops[0]);
      if (!V)
        return std::nullopt;
      return convert(*V, E.Ops[0]->Ty, E.Ty);
    }
    case EK::Unary: {
      auto V = fold(*E.Ops[0]);
      if (!V)
        return std::nullopt;
      switch (E.Op) {
      case OK::Neg:
        return trunc(uint64_t(0) - *V, B);
      case OK::Not:
        return trunc(~*V, B);
      case OK::LNot:
        return uint64_t(*V == 0);
      default:
        return std::nullopt;
      }
    }
    case EK::Binary: {
      auto X = fold(*E.Ops[0]);
      if (!X)
        return std::nullopt;
      auto Y = fold(*E.Ops[1]);
      if (!Y)
        return std::nullopt;
      uint64_t A = *X, C = *Y;
      switch (E.Op) {
      case OK::Add:
      case OK::PtrAdd:
        return trunc(A + C, B);
      case OK::Sub:
      case OK::PtrDiff:
        return trunc(A - C, B);
      case OK::Mul:
        return trunc(A * C, B);
      case OK::UDiv:
        if (C == 0)
          return std::nullopt;
        return trunc(A / C, B);
      case OK::URem:
        if (C == 0)
          return std::nullopt;
        return trunc(A % C, B);
      case OK::SDiv:
      case OK::SRem: {
        int64_t SA = sext(A, B), SC = sext(C, B);
        if (SC == 0 || (SC == -1 && SA == sext(uint64_t(1) << (B - 1), B)))
          return std::nullopt;
        return trunc(uint64_t(E.Op == OK::SDiv ? SA / SC : SA % SC), B);
      }
      case OK::And:
        return A & C;
      case OK::Or:
        return A | C;
      case OK::Xor:
        return A ^ C;
      case OK::Shl:
        if (C >= B)
          return std::nullopt;
        return trunc(A << C, B);
      case OK::LShr:
        if (C >= B)
          return std::nullopt;
        return A >> C;
      case OK::AShr:
        if (C >= B)
          return std::nullopt;
        return trunc(uint64_t(sext(A, B) >> C), B);
      default:
        return std::nullopt;
      }
    }
    case EK::Cmp: {
      auto X = fold(*E.Ops[0]);
      if (!X)
        return std::nullopt;
      auto Y = fold(*E.Ops[1]);
      if (!Y)
        return std::nullopt;
      unsigned OB = bitsOf(E.Ops[0]->Ty);
      uint64_t A = *X, C = *Y;
      int64_t SA = sext(A, OB), SC = sext(C, OB);
      switch (E.Op) {
      case OK::Eq: return uint64_t(A == C);
      case OK::Ne: return uint64_t(A != C);
      case OK::ULt: return uint64_t(A < C);
      case OK::ULe: return uint64_t(A <= C);
      case OK::UGt: return uint64_t(A > C);
      case OK::UGe: return uint64_t(A >= C);
      case OK::SLt: return uint64_t(SA < SC);
      case OK::SLe: return uint64_t(SA <= SC);
      case OK::SGt: return uint64_t(SA > SC);
      case OK::SGe: return uint64_t(SA >= SC);
      default: return std::nullopt;
      }
    }
    case EK::LAnd:
    case EK::LOr: {
      bool IsAnd = E.K == EK::LAnd;
      auto X = fold(*E.Ops[0]);
      if (!X)
        return std::nullopt;
      if ((*X != 0) != IsAnd) // false && _ ; true || _
        return uint64_t(!IsAnd);
      auto Y = fold(*E.Ops[1]);
      if (!Y)
        return std::nullopt;
      return uint64_t(*Y != 0);
    }
    case EK::Cond: {
      auto C = fold(*E.Ops[0]);
      if (!C)
        return std::nullopt;
      auto V = fold(*E.Ops[*C ? 1 : 2]);
      if (!V)
        return std::nullopt;
      return trunc(*V, B);
    }
    }
    return std::nullopt;
  }
};

struct Home {
  enum Kind { None, InReg, OnStack } K = None;
  uint8_t Reg = 0;
  int16_t Off = 0;
};

std::string linePrefix(unsigned Line) {
  return Line ? "line " + std::to_string(Line) + ": " : std::string();
}

std::string homeText(const Home &H) {
  if (H.K == Home::InReg)
    return "r" + std::to_string(H.Reg);
  if (H.K == Home::OnStack)
    return "[r10" + std::to_string(H.Off) + "]";
  return "-";
}

/// Register or immediate operand; Owned registers return to the pool.
struct Opnd {
  bool IsImm = false;
  int32_t Imm = 0;
  uint8_t Reg = 0;
  bool Owned = false;
};

class FnCompiler {
public:
  FnCompiler(const cir::Function &F, const std::vector<cir::MapDef> &Maps,
             const std::vector<cir::Function> &Funcs,
             const std::vector<cir::GlobalVar> &Globals,
             const SourceText &Source, const cir::FunctionProof *States)
      : F(F), Maps(Maps), Funcs(Funcs), Globals(Globals), Source(Source),
        States(States) {}
  bool run(CompiledProgram &Out, std::string &Err);

private:
  using MI = MInsn;
  /// Signed32: a signed comparison of values of at most 32 bits, as a JMP32
  /// signed jump on their 32-bit sign extensions (the checker learns facts
  /// from it, rule jmp_signed, where a 64-bit sign extension by shifts
  /// would leave it nothing to learn from).
  enum class CmpMode { Unsigned, Signed64, Signed32 };
  struct CmpPlan {
    OK Op;
    const Expr *A, *B;
    unsigned Bits;
    CmpMode Mode;
    std::optional<uint64_t> CB; // B's constant value (comparison domain)
    bool BImm = false, ABorrow = false, BBorrow = false;
  };

  const cir::Function &F;
  const std::vector<cir::MapDef> &Maps;
  const std::vector<cir::Function> &Funcs; // FuncCall's callees
  const std::vector<cir::GlobalVar> &Globals; // GlobalAddr's variables
  const SourceText &Source; // quoted by -S before each statement's code
  /// VEP-C's states at the statements (null: none), noted in -S at each
  /// statement's first instruction with the variables' homes.
  const cir::FunctionProof *States;
  /// Per variable: the statement numbers of its first and last occurrence
  /// (assignHomes), over which its home holds it.
  std::vector<std::pair<unsigned, unsigned>> Ranges;
  RewrittenBody RW;           // what is compiled (CodeGenRewrite.cpp)
  const Stmt *Body = nullptr; // RW.Body
  std::string Error;
  PostCondition Post;
  Folder Fold;
  std::unordered_map<const Expr *, unsigned> NeedMemo;
  std::vector<Home> Homes;
  std::vector<MI> Code;
  std::vector<long> LabelPos;
  std::vector<unsigned> LabelRefs;
  bool Reachable = true;
  static constexpr unsigned AllScratch = (1u << NumScratch) - 1;
  unsigned FreeMask = AllScratch;
  /// The scratch registers of the current statement: R0-R5 but the homes
  /// of variables living in scratch registers there (ScratchHomesAt).
  unsigned BaseMask = AllScratch;
  std::unordered_map<const Stmt *, unsigned> StmtPos; // numbered statements
  std::vector<const Stmt *> StmtAt;  // per statement number: the statement
  std::vector<unsigned> NeedAt;      // per statement number: scratch needed
  std::vector<unsigned> ScratchHomesAt; // per statement number: homes in R1-R5
  std::unordered_map<const Stmt *, unsigned> DoWhileTestPos; // its number
  int VarBytes = 0, SpillBytes = 0, MaxSpillBytes = 0;
  /// The largest total of `&v` buffers of one call (validateCall): they lie
  /// right below the variables' slots, spills below them.
  int CallBufBytes = 0;
  /// The variables whose `v = CallOutput` must come next, in order: the
  /// written `&v` of the call validated last (validateCall, validate).
  std::vector<unsigned> ExpectedOutputs;
  /// The statement validated last was an Atomic keeping the old value.
  bool AtomicFetched = false;
  std::vector<std::string> Pending;
  CutPoint FuncPre, FuncPost;            // a text function's contract
  std::vector<std::string> ContractText; // ... and its text for -S
  cir::Loc CurLoc; // of the statement being compiled: its slots' location
  std::string ExitNote;

  // ---- loops --------------------------------------------------------------
  struct LoopLabels {
    int Exit, Cont;
  };
  std::vector<LoopLabels> Loops;       // enclosing loops, innermost last
  std::vector<bool> NonNegVars;        // per variable: known >= 0 here
  struct CutAt {
    int Label; // the head
    CutPoint Cut;
    std::vector<size_t> Enclosing; // the cut points of the loops around it
  };
  std::vector<CutAt> Cuts;             // in code order
  /// The loops being compiled, outermost first: (original loop, its cut).
  std::vector<std::pair<const Stmt *, size_t>> OpenLoops;
  std::unordered_map<const Stmt *, std::vector<bool>> HeadLive;
  struct LoopRange {
    const Stmt *Loop;
    unsigned First, Last; // statement numbers
  };
  std::vector<LoopRange> LoopRanges;
  /// Integer variables live at a loop head that may have no value when the
  /// loop is entered: the cut point binds their home as a scalar, so it
  /// gets one, 0 (VEP-C proves the value is never read): at the function's
  /// entry when the variable may be assigned before the loop, else just
  /// before the loop (unassignedAtHeads).
  std::vector<unsigned> ZeroAtEntry;
  std::unordered_map<const Stmt *, std::vector<unsigned>> ZeroBeforeLoop;
  // ---- shared exits -----------------------------------------------------
  /// Per loop depth: labels of jumps to "the next exit" (genIf's
  /// `if (c) return v`, with v already in R0), bound at the next `exit`
  /// emitted at that depth, or after the loop, or at the end.
  std::vector<std::vector<int>> PendingExits;
  int exitLabel() {
    size_t D = Loops.size();
    if (PendingExits.size() <= D)
      PendingExits.resize(D + 1);
    if (PendingExits[D].empty())
      PendingExits[D].push_back(newLabel());
    return PendingExits[D].back();
  }
  void bindExits() {
    size_t D = Loops.size();
    if (D < PendingExits.size()) {
      for (int L : PendingExits[D])
        bind(L);
      PendingExits[D].clear();
    }
  }
  bool isHeadLabel(int L) const {
    for (const CutAt &C : Cuts)
      if (C.Label == L)
        return true;
    return false;
  }

  // ---- diagnostics ----------------------------------------------------
  void fail(const std::string &M) {
    if (Error.empty())
      Error = M;
  }
  bool ok() const { return Error.empty(); }
  void note(const std::string &N) { Pending.push_back(N); }

  std::optional<uint64_t> fold(const Expr &E) { return Fold.fold(E); }

  // ---- validation ------------------------------------------------------
  bool validType(const cir::Type &T) {
    if (T.isPtr())
      return true;
    return T.Bits == 8 || T.Bits == 16 || T.Bits == 32 || T.Bits == 64;
  }
  void validate(const Expr &E);
  void validate(const Stmt &S);
  void validateCall(const Expr &E);
  unsigned ValidateLoops = 0;

  // ---- emission --------------------------------------------------------
  void emit(const BpfInsn &I, int Target = -1, const std::string &Trail = "");
  void emitLddw(uint8_t Dst, uint64_t V, int Map = -1, int Global = -1);
  int newLabel() {
    LabelPos.push_back(-1);
    LabelRefs.push_back(0);
    return int(LabelPos.size() - 1);
  }
  void bind(int L) {
    LabelPos[L] = long(Code.size());
    if (LabelRefs[L])
      Reachable = true;
  }
  void jump(int L) { emit(bpf::ja(0), L); }

  // ---- registers and stack --------------------------------------------
  uint8_t alloc() {
    for (unsigned R = 0; R < NumScratch; ++R)
      if (FreeMask & (1u << R)) {
        FreeMask &= ~(1u << R);
        return uint8_t(R);
      }
    fail("internal error: out of scratch registers");
    return 0;
  }
  void release(uint8_t R) {
    if (R < NumScratch)
      FreeMask |= 1u << R;
  }
  void drop(const Opnd &O) {
    if (O.Owned)
      release(O.Reg);
  }
  unsigned freeCount() const { return unsigned(std::popcount(FreeMask)); }
  int16_t spillSlot() {
    SpillBytes += 8;
    MaxSpillBytes = std::max(MaxSpillBytes, SpillBytes);
    int Depth = VarBytes + CallBufBytes + SpillBytes;
    if (Depth > StackLimit)
      fail("not supported yet: more than 512 bytes of stack");
    return int16_t(-std::min(Depth, StackLimit));
  }
  void freeSpill() { SpillBytes -= 8; }

  const Home *regHome(const Expr &E) {
    if (Homes.empty()) // estimating needs before homes are known
      return nullptr;
    const Expr &S = stripNoop(E);
    if (S.K == EK::Var && Homes[S.VarId].K == Home::InReg)
      return &Homes[S.VarId];
    return nullptr;
  }

  // ---- analysis ---------------------------------------------------------
  bool knownNonNeg(const Expr &E, unsigned Bits);
  std::optional<uint64_t> upperBound(const Expr &E);
  bool fitsVisibly(const Expr &E, unsigned Bits);
  bool clobberSafe(const Expr &E, unsigned V);
  unsigned need(const Expr &E);
  unsigned needCond(const Expr &E);
  const Expr *matchByteSwap(const Expr &E);
  unsigned rightNeed(const Expr &E);
  const Expr &addrBase(const Expr &A, int64_t *Off);

  // ---- expressions ------------------------------------------------------
  void emitConst(uint8_t Dst, uint64_t V, const cir::Type &Ty);
  void emitConst64(uint8_t Dst, uint64_t V);
  void addConst64(uint8_t Dst, int64_t V);
  void signExtend(uint8_t R, unsigned FromBits, unsigned ToBits);
  void signExtendExact(uint8_t R, unsigned FromBits, unsigned ToBits);
  void truncate(uint8_t R, unsigned Bits);
  void genTo(const Expr &E, uint8_t Dst);
  void genAddr(const Expr &A, uint8_t Tmp, uint8_t &Base, int16_t &Off);
  void genCast(const Expr &E, uint8_t Dst);
  void genUnary(const Expr &E, uint8_t Dst);
  void emitAlu(bool Is64, uint8_t Op, uint8_t Dst, const Opnd &Src);
  void genBinary(const Expr &E, uint8_t Dst);
  bool isPacketFieldLoad(const Expr &E) const;
  void genCondValue(const Expr &E, uint8_t Dst);
  void genSelect(const Expr &E, uint8_t Dst);
  void genBranch(const Expr &E, bool JumpIfTrue, int L);
  CmpPlan planCmp(const Expr &E, bool JumpIfTrue);
  void genCmpJump(const CmpPlan &P, int L);
  void evalPair(const std::function<void(uint8_t)> &GenX, unsigned NX,
                const std::function<void(uint8_t)> &GenY, unsigned NY,
                uint8_t &RX, uint8_t &RY);

  // ---- statements -------------------------------------------------------
  void genStmt(const Stmt &S);
  void genAssign(const Stmt &S);
  void genMemWrite(const Stmt &S);
  void genAtomic(const Stmt &S);
  void genCall(const Expr &E);
  void genIf(const Stmt &S);
  void genReturn(const Stmt &S);
  void genLoop(const Stmt &S);

  // ---- liveness (for loop heads) -----------------------------------------
  using VarSet = std::vector<bool>;
  struct LiveTargets {
    VarSet Break, Continue;
  };
  void addUses(const Expr &E, VarSet &S);
  VarSet liveBefore(const Stmt &S, const VarSet &Out, const LiveTargets *L);
  VarSet liveLoopHead(const Stmt &S, const VarSet &Out);
  void noteAssigned(const Stmt &S, std::vector<bool> &M);

  // ---- function ---------------------------------------------------------
  struct VarUse {
    unsigned Count = 0, First = 0, Last = 0;
    bool Param = false;
    void touch(unsigned Pos) {
      if (!Count++)
        First = Pos;
      Last = std::max(Last, Pos);
    }
  };
  using StmtPtrRef = cir::StmtPtr;
  bool alwaysReturns(const Stmt &S);
  void assignHomes();
  void noteStates(CompiledProgram &Out, AsmFunctionInfo &Info,
                  const std::vector<bool> &IsHead);
  bool assignedBefore(const Stmt &S, const Stmt &Loop, VarSet &D);
  void unassignedAtHeads(std::vector<VarUse> &U);
  void zeroHome(unsigned V, const char *Why);
  unsigned stmtNeed(const Stmt &S);
  bool scratchFits(unsigned V, unsigned Reg, unsigned First, unsigned Last);
  void noteUses(const Expr &E, unsigned Pos, std::vector<VarUse> &U);
  void noteUses(const Stmt &S, unsigned &Pos, std::vector<VarUse> &U);
  void finish(CompiledProgram &Out);
};

// ===---------------------------------------------------------------------===
// Validation

void FnCompiler::validate(const Expr &E) {
  if (!ok())
    return;
  if (isCall(E)) {
    fail("internal error: malformed CIR (a call inside an expression)");
    return;
  }
  if (E.K == EK::AddrOf) {
    fail("internal error: malformed CIR ('&v' outside a helper call's "
         "arguments)");
    return;
  }
  if (E.K == EK::CallOutput) {
    fail("internal error: malformed CIR (a call's output outside "
         "'v = CallOutput' right after the call)");
    return;
  }
  if (E.K == EK::AtomicResult) {
    fail("internal error: malformed CIR (an atomic's old value outside "
         "'v = AtomicResult' right after the atomic)");
    return;
  }
  if (E.K == EK::MapAddr && (E.Value >= Maps.size() || !E.Ty.isPtr())) {
    fail("internal error: malformed CIR (map number out of range)");
    return;
  }
  if (E.K == EK::GlobalAddr && (E.Value >= Globals.size() || !E.Ty.isPtr())) {
    fail("internal error: malformed CIR (global number out of range)");
    return;
  }
  if (E.Ops.size() != arity(E.K)) {
    fail("internal error: malformed CIR expression (operand count)");
    return;
  }
  for (const auto &O : E.Ops)
    if (!O) {
      fail("internal error: malformed CIR expression (null operand)");
      return;
    }
  if (!validType(E.Ty)) {
    fail("not supported yet: integer type of " + std::to_string(E.Ty.Bits) +
         " bits ('" + E.Ty.Spelling + "')");
    return;
  }
  if (E.K == EK::Var && E.VarId >= F.Vars.size()) {
    fail("internal error: malformed CIR (variable number out of range)");
    return;
  }
  if (E.K == EK::Cmp && !isCmpOp(E.Op)) {
    fail("internal error: malformed CIR comparison");
    return;
  }
  if (E.K == EK::Binary && (isCmpOp(E.Op) || E.Op == OK::None ||
                            E.Op == OK::Neg || E.Op == OK::Not ||
                            E.Op == OK::LNot)) {
    fail("internal error: malformed CIR binary operator");
    return;
  }
  if (E.K == EK::Unary && E.Op != OK::Neg && E.Op != OK::Not &&
      E.Op != OK::LNot) {
    fail("internal error: malformed CIR unary operator");
    return;
  }
  for (const auto &O : E.Ops)
    validate(*O);
}

void FnCompiler::validate(const Stmt &S) {
  if (!ok())
    return;
  auto Need = [&](const cir::ExprPtr &P, const char *What) {
    if (!P) {
      fail(std::string("internal error: malformed CIR statement (no ") +
           What + ")");
      return;
    }
    validate(*P);
  };
  bool Fetched = std::exchange(AtomicFetched, S.K == SK::Atomic && S.Fetch);
  if (S.K == SK::Assign && S.Value && S.Value->K == EK::AtomicResult) {
    if (!Fetched || S.VarId >= F.Vars.size() ||
        bitsOf(F.Vars[S.VarId].Ty) != bitsOf(S.Value->Ty))
      return fail("internal error: malformed CIR ('v = AtomicResult' not "
                  "right after an atomic that keeps the old value, or of "
                  "another width)");
    return;
  }
  bool IsOutput = S.K == SK::Assign && S.Value &&
                  S.Value->K == EK::CallOutput;
  if (IsOutput) {
    if (ExpectedOutputs.empty() || ExpectedOutputs.front() != S.VarId ||
        S.Value->VarId != S.VarId)
      return fail("internal error: malformed CIR ('v = CallOutput' not right "
                  "after the call that writes '&v')");
    ExpectedOutputs.erase(ExpectedOutputs.begin());
    return;
  }
  if (!ExpectedOutputs.empty())
    return fail("internal error: malformed CIR (a call writing '&" +
                F.Vars[ExpectedOutputs.front()].Name +
                "' without 'v = CallOutput' after it)");
  switch (S.K) {
  case SK::Assign:
    if (S.VarId >= F.Vars.size())
      return fail("internal error: malformed CIR (assigned variable out of "
                  "range)");
    if (S.Value && isCall(*S.Value)) {
      validateCall(*S.Value);
      if (S.Value->Ty.isVoid() ||
          bitsOf(S.Value->Ty) != bitsOf(F.Vars[S.VarId].Ty))
        return fail("internal error: malformed CIR (a call's result "
                    "assigned to a variable of another width)");
      break;
    }
    Need(S.Value, "value");
    break;
  case SK::Store:
    Need(S.Addr, "address");
    Need(S.Value, "value");
    break;
  case SK::Atomic:
    Need(S.Addr, "address");
    Need(S.Value, "value");
    if (S.Op == Stmt::AtomicOp::CmpXchg)
      Need(S.Cond, "expected value");
    if (ok() && (S.Value->Ty.isPtr() || S.Value->Ty.Bits < 32))
      return fail(std::string("not supported yet: atomic ") +
                  cir::atomicOpName(S.Op) + " of a " +
                  std::to_string(bitsOf(S.Value->Ty)) +
                  "-bit value (eBPF has 32- and 64-bit atomics only)");
    break;
  case SK::If:
    Need(S.Cond, "condition");
    if (S.Then)
      validate(*S.Then);
    if (S.Else)
      validate(*S.Else);
    break;
  case SK::ExprStmt:
    if (S.Value && isCall(*S.Value)) {
      validateCall(*S.Value);
      break;
    }
    [[fallthrough]];
  case SK::Return:
    if (S.Value)
      validate(*S.Value);
    break;
  case SK::Block:
    for (const auto &B : S.Body)
      if (B)
        validate(*B);
    break;
  case SK::Assert:
    break;
  case SK::Loop:
    if (S.Cond)
      validate(*S.Cond);
    else if (!S.TestFirst)
      return fail("internal error: malformed CIR (do-while without a "
                  "condition)");
    ++ValidateLoops;
    if (S.Then)
      validate(*S.Then);
    if (S.Step)
      validate(*S.Step);
    --ValidateLoops;
    break;
  case SK::Break:
  case SK::Continue:
    if (!ValidateLoops)
      return fail(std::string("internal error: malformed CIR ('") +
                  (S.K == SK::Break ? "break" : "continue") +
                  "' outside a loop)");
    break;
  }
}

/// A helper or bpf-to-bpf call, the whole value of an assignment or
/// expression statement. Also sizes the `&v` buffers (CallBufBytes).
void FnCompiler::validateCall(const Expr &E) {
  if (E.K == EK::FuncCall) {
    if (E.Value >= Funcs.size() || Funcs[E.Value].isEntry())
      return fail("internal error: malformed CIR (function number " +
                  std::to_string(E.Value) + " is not a function to call)");
    const cir::Function &Callee = Funcs[E.Value];
    if (E.Ops.size() != Callee.NumParams)
      return fail("internal error: malformed CIR (a call of '" + Callee.Name +
                  "' with " + std::to_string(E.Ops.size()) +
                  " arguments for " + std::to_string(Callee.NumParams) +
                  " parameters)");
  } else if (E.Value == 0 || E.Value > uint64_t(INT32_MAX)) {
    return fail("internal error: malformed CIR (helper id " +
                std::to_string(E.Value) + ")");
  }
  if (E.Ops.size() > MaxCallArgs)
    return fail("internal error: malformed CIR (a call with more than 5 "
                "arguments)");
  if (!validType(E.Ty) && !E.Ty.isVoid()) // void: functions, ringbuf_submit
    return fail("not supported yet: call result type '" + E.Ty.Spelling +
                "'");
  int Bytes = 0;
  for (const auto &A : E.Ops) {
    if (!A)
      return fail("internal error: malformed CIR expression (null operand)");
    if (A->K == EK::AddrOf) {
      if (A->Span == 0 || A->VarId + A->Span > F.Vars.size())
        return fail("internal error: malformed CIR (variable number out of "
                    "range)");
      int Used = 0;
      for (unsigned V = A->VarId; V < A->VarId + A->Span; ++V) {
        const cir::Type &T = F.Vars[V].Ty;
        if (T.isPtr() || !validType(T) || Used % (T.Bits / 8))
          return fail("internal error: malformed CIR ('&" + F.Vars[V].Name +
                      "' of a variable that is not an integer, or at an "
                      "offset of the buffer its size does not divide)");
        // A call writing more than the buffer's bytes is VEP-C's to
        // refuse; the checker refuses one that writes past the frame.
        if (A->Value)
          ExpectedOutputs.push_back(V);
        Used += int(T.Bits / 8);
      }
      Bytes += roundUp8(Used);
      continue;
    }
    bool CastOfVar = A->K == EK::Cast && A->Ops.size() == 1 && A->Ops[0] &&
                     A->Ops[0]->K == EK::Var;
    if (A->K != EK::Const && A->K != EK::Var && A->K != EK::MapAddr &&
        !CastOfVar)
      return fail("internal error: malformed CIR (a call argument that is "
                  "not a constant, a variable, a cast of one, '&map' or "
                  "'&v')");
    validate(*A);
  }
  CallBufBytes = std::max(CallBufBytes, Bytes);
}

// ===---------------------------------------------------------------------===
// Emission

void FnCompiler::emit(const BpfInsn &I, int Target, const std::string &Trail) {
  if (!Reachable || !ok())
    return;
  MI M;
  M.I = I;
  M.Target = Target;
  M.Notes = std::move(Pending);
  Pending.clear();
  M.Trail = Trail;
  M.Loc = CurLoc;
  Code.push_back(std::move(M));
  if (Target >= 0)
    ++LabelRefs[Target];
  if (I.Code == (bpf::JMP | bpf::JA) || I.Code == (bpf::JMP | bpf::EXIT))
    Reachable = false;
}

void FnCompiler::emitLddw(uint8_t Dst, uint64_t V, int Map, int Global) {
  if (!Reachable || !ok())
    return;
  BpfInsn Lo, Hi;
  bpf::lddw(Dst, V, Lo, Hi);
  emit(Lo);
  Code.back().Map = Map;
  Code.back().Global = Global;
  emit(Hi);
}

void FnCompiler::emitConst(uint8_t Dst, uint64_t V, const cir::Type &Ty) {
  if (!Ty.isPtr() && Ty.Bits <= 32)
    emit(bpf::movImm32(Dst, int32_t(uint32_t(V))));
  else
    emitConst64(Dst, V);
}

void FnCompiler::emitConst64(uint8_t Dst, uint64_t V) {
  if (fitsImm64(V))
    emit(bpf::movImm64(Dst, int32_t(int64_t(V))));
  else if (V <= 0xffffffffu)
    emit(bpf::movImm32(Dst, int32_t(uint32_t(V))));
  else
    emitLddw(Dst, V);
}

void FnCompiler::addConst64(uint8_t Dst, int64_t V) {
  if (V == 0)
    return;
  if (fitsImm64(uint64_t(V))) {
    emit(bpf::aluImm(true, bpf::ADD, Dst, int32_t(V)));
    return;
  }
  uint8_t T = alloc();
  emitConst64(T, uint64_t(V));
  emit(bpf::aluReg(true, bpf::ADD, Dst, T));
  release(T);
}

void FnCompiler::signExtend(uint8_t R, unsigned FromBits, unsigned ToBits) {
  if (FromBits >= ToBits)
    return;
  if (ToBits == 64) {
    emit(bpf::aluImm(true, bpf::LSH, R, int32_t(64 - FromBits)));
    emit(bpf::aluImm(true, bpf::ARSH, R, int32_t(64 - FromBits)));
    return;
  }
  emit(bpf::aluImm(false, bpf::LSH, R, int32_t(32 - FromBits)));
  emit(bpf::aluImm(false, bpf::ARSH, R, int32_t(32 - FromBits)));
  if (ToBits < 32)
    emit(bpf::aluImm(false, bpf::AND, R, int32_t(maskOf(ToBits))));
}

/// signExtend as the checker can follow it: a nonnegative value (below
/// 2^(FromBits-1), an unsigned compare the checker learns from, JMP32 for
/// 32 bits) is its own sign extension and stays exact; only a negative one
/// gets the bits FromBits-1 .. ToBits-1 set (an OR, whose result the
/// checker does not track). After the shift pair even a small nonnegative
/// value would be unknown to it (ARSH gives a fresh value), so a pointer
/// moved by it could not be bounds-checked.
void FnCompiler::signExtendExact(uint8_t R, unsigned FromBits,
                                 unsigned ToBits) {
  if (FromBits >= ToBits)
    return;
  int NonNeg = newLabel();
  int32_t Half = int32_t(uint32_t(1) << (FromBits - 1)); // 2^31: INT32_MIN
  emit(FromBits == 32 ? bpf::jmp32Imm(bpf::JLT, R, Half, 0)
                      : bpf::jmpImm(bpf::JLT, R, Half, 0),
       NonNeg);
  uint64_t High = maskOf(ToBits) & ~maskOf(FromBits - 1);
  emit(bpf::aluImm(ToBits == 64, bpf::OR, R, int32_t(uint32_t(High))));
  bind(NonNeg);
}

/// R's value truncated to its low Bits (< 64) bits, in place.
void FnCompiler::truncate(uint8_t R, unsigned Bits) {
  if (Bits == 32)
    emit(bpf::mov32(R, R));
  else
    emit(bpf::aluImm(true, bpf::AND, R, int32_t(maskOf(Bits))));
}

// ===---------------------------------------------------------------------===
// Analyses

/// E's value, read as a signed Bits-bit integer, is >= 0.
bool FnCompiler::knownNonNeg(const Expr &E, unsigned Bits) {
  if (auto V = fold(E))
    return Bits < 64 ? *V < (uint64_t(1) << (Bits - 1))
                     : int64_t(*V) >= 0;
  // Values are kept zero-extended, so a small unsigned bound suffices.
  if (auto U = upperBound(E); U && *U < (uint64_t(1) << (Bits - 1)))
    return true;
  switch (E.K) {
  case EK::Var:
    return E.VarId < NonNegVars.size() && NonNegVars[E.VarId] &&
           Bits >= bitsOf(F.Vars[E.VarId].Ty);
  case EK::Cast: {
    const cir::Type &From = E.Ops[0]->Ty;
    if (bitsOf(From) < bitsOf(E.Ty))
      // zero-extended from a narrower type, or a non-negative value
      // sign-extended
      return !isSignedInt(From) || knownNonNeg(*E.Ops[0], bitsOf(From));
    if (bitsOf(From) == bitsOf(E.Ty))
      return knownNonNeg(*E.Ops[0], Bits);
    return false;
  }
  case EK::Binary:
    switch (E.Op) {
    case OK::And:
      return knownNonNeg(*E.Ops[0], Bits) || knownNonNeg(*E.Ops[1], Bits);
    case OK::Or:
    case OK::Xor:
      return knownNonNeg(*E.Ops[0], Bits) && knownNonNeg(*E.Ops[1], Bits);
    case OK::LShr: {
      auto C = fold(*E.Ops[1]);
      return (C && *C >= 1) || knownNonNeg(*E.Ops[0], Bits);
    }
    case OK::UDiv:
    case OK::URem:
      return knownNonNeg(*E.Ops[0], Bits);
    default:
      return false;
    }
  case EK::Cmp:
  case EK::LAnd:
  case EK::LOr:
    return true;
  case EK::Unary:
    return E.Op == OK::LNot;
  default:
    return false;
  }
}

/// An upper bound on E's value read as an unsigned integer of E's width,
/// where one follows from the shape of E (e.g. `ip->ihl * 4` <= 60). Lets
/// signed operations on provably small values compile as unsigned ones,
/// whose results the checker keeps exact.
std::optional<uint64_t> FnCompiler::upperBound(const Expr &E) {
  if (auto V = fold(E))
    return *V;
  const uint64_t Max = maskOf(bitsOf(E.Ty));
  switch (E.K) {
  case EK::Cast: {
    const Expr &S = *E.Ops[0];
    unsigned FB = bitsOf(S.Ty);
    auto U = upperBound(S);
    if (!U)
      return std::nullopt;
    if (FB > bitsOf(E.Ty)) // truncation keeps a value that already fits
      return *U <= Max ? U : std::nullopt;
    // Widening: zero extension, or sign extension of a non-negative value.
    if (!isSignedInt(S.Ty) || knownNonNeg(S, FB))
      return U;
    return std::nullopt;
  }
  case EK::Binary: {
    auto A = upperBound(*E.Ops[0]), B = upperBound(*E.Ops[1]);
    switch (E.Op) {
    case OK::And:
      if (A && B)
        return std::min(*A, *B);
      return A ? A : B;
    case OK::Add:
      if (A && B && *A <= Max - *B)
        return *A + *B;
      return std::nullopt;
    case OK::Mul:
      if (A && B && (*B == 0 || *A <= Max / *B))
        return *A * *B;
      return std::nullopt;
    case OK::Shl:
      if (A && B && *B < bitsOf(E.Ty) && *A <= (Max >> *B))
        return *A << *B;
      return std::nullopt;
    case OK::LShr:
      if (auto C = fold(*E.Ops[1]); A && C && *C < 64)
        return *A >> *C;
      return A;
    case OK::UDiv:
      return A;
    case OK::URem:
      if (B && *B > 0)
        return A ? std::min(*A, *B - 1) : *B - 1;
      return A;
    default:
      return std::nullopt;
    }
  }
  case EK::Cmp:
  case EK::LAnd:
  case EK::LOr:
    return 1;
  case EK::Unary:
    return E.Op == OK::LNot ? std::optional<uint64_t>(1) : std::nullopt;
  default:
    return std::nullopt;
  }
}

/// E's value fits in Bits bits, and the checker learns that bound from the
/// code genTo(E) emits: an AND with a constant that fits (the result is at
/// most the constant), a load of at most Bits bits, or a zero extension of
/// either. (A truncation may only be left out where the checker keeps the
/// range it would have given.)
bool FnCompiler::fitsVisibly(const Expr &E, unsigned Bits) {
  const Expr &S = stripNoop(E);
  if (S.Ty.isPtr())
    return false;
  if (S.K == EK::Load)
    return bitsOf(S.Ty) <= Bits;
  if (S.K != EK::Binary || S.Op != OK::And)
    return false;
  const Expr *A = S.Ops[0].get(), *B = S.Ops[1].get();
  if (fold(*A) && !fold(*B))
    std::swap(A, B);
  auto C = fold(*B);
  return C && *C <= maskOf(Bits) && !fold(*A);
}

/// Evaluating E directly into V's home register reads V before that
/// register is first written (see genTo: the left spine goes into Dst
/// first; all other operands must not read V).
bool FnCompiler::clobberSafe(const Expr &E, unsigned V) {
  if (!mentions(E, V) || fold(E))
    return true;
  switch (E.K) {
  case EK::Var:
    return true;
  case EK::Load:
  case EK::Cast:
    return clobberSafe(*E.Ops[0], V);
  case EK::Unary:
    return E.Op != OK::LNot && clobberSafe(*E.Ops[0], V);
  case EK::Binary: {
    if (const Expr *X = matchByteSwap(E))
      return clobberSafe(*X, V);
    const Expr &A = *E.Ops[0], &B = *E.Ops[1];
    if (isCommutative(E.Op) && fold(A) && !fold(B))
      return clobberSafe(B, V);
    return clobberSafe(A, V) && !mentions(B, V);
  }
  default:
    return false;
  }
}

const Expr &FnCompiler::addrBase(const Expr &A, int64_t *Off) {
  uint64_t Acc = 0;
  const Expr *P = &stripNoop(A);
  while (P->K == EK::Binary && P->Op == OK::PtrAdd) {
    auto C = fold(*P->Ops[1]);
    if (!C)
      break;
    Acc += uint64_t(sext(*C, bitsOf(P->Ops[1]->Ty)));
    P = &stripNoop(*P->Ops[0]);
  }
  if (Off)
    *Off = int64_t(Acc);
  return *P;
}

/// X if E is the byte swap of X (N = 2, 4 or 8 bytes, all of E's type):
/// `b0 | b1 | ... | b(N-1)` (left-nested) with byte I of X moved to byte
/// N-1-I, `bI = ((X >> 8I) & 0xff) << 8(N-1-I)` (no shift by 0), which is
/// how the front end spells __builtin_bswap16/32/64 (bpf_htons and
/// friends). It compiles to one `be16`/`be32`/`be64` (BPF_END, to big
/// endian on the little-endian target): the same value, and X is computed
/// once (it has no side effects but faults, and its loads read the same
/// memory both times).
const Expr *FnCompiler::matchByteSwap(const Expr &E) {
  unsigned B = bitsOf(E.Ty);
  if (E.K != EK::Binary || E.Op != OK::Or || E.Ty.isPtr() ||
      (B != 16 && B != 32 && B != 64))
    return nullptr;
  unsigned N = B / 8;
  std::vector<const Expr *> Bytes(N);
  const Expr *P = &E;
  for (unsigned I = N; I-- > 1;) { // the right operands, last byte first
    if (P->K != EK::Binary || P->Op != OK::Or || bitsOf(P->Ty) != B)
      return nullptr;
    Bytes[I] = P->Ops[1].get();
    P = P->Ops[0].get();
  }
  Bytes[0] = P;
  auto ConstIs = [&](const Expr &C, uint64_t V) {
    auto F = fold(C);
    return F && *F == V;
  };
  auto Bin = [&](const Expr *X, OK Op) {
    return X->K == EK::Binary && X->Op == Op && bitsOf(X->Ty) == B &&
           !X->Ty.isPtr();
  };
  const Expr *Src = nullptr;
  for (unsigned I = 0; I < N; ++I) {
    const Expr *X = Bytes[I];
    unsigned To = N - 1 - I;
    if (To) {
      if (!Bin(X, OK::Shl) || !ConstIs(*X->Ops[1], 8 * To))
        return nullptr;
      X = X->Ops[0].get();
    }
    if (!Bin(X, OK::And) || !ConstIs(*X->Ops[1], 0xff))
      return nullptr;
    X = X->Ops[0].get();
    if (I) {
      if (!Bin(X, OK::LShr) || !ConstIs(*X->Ops[1], 8 * I))
        return nullptr;
      X = X->Ops[0].get();
    }
    if (bitsOf(X->Ty) != B || X->Ty.isPtr() || fold(*X) ||
        (Src && !cir::sameExpr(*Src, *X)))
      return nullptr;
    Src = X;
  }
  return Src;
}

unsigned FnCompiler::rightNeed(const Expr &E) {
  if (auto V = fold(E))
    return (bitsOf(E.Ty) <= 32 || fitsImm64(*V)) ? 0 : 1;
  if (regHome(E))
    return 0;
  return need(E);
}

/// Registers needed to compute E into a register (that one included).
unsigned FnCompiler::need(const Expr &E) {
  auto It = NeedMemo.find(&E);
  if (It != NeedMemo.end())
    return It->second;
  unsigned N = 1;
  if (!fold(E)) {
    switch (E.K) {
    case EK::Const:
    case EK::Var:
    case EK::MapAddr: // an lddw
    case EK::GlobalAddr: // an lddw
    case EK::AddrOf:  // only call arguments and whole statement values
    case EK::CallOutput:
    case EK::AtomicResult:
    case EK::FuncCall:
    case EK::Call:
      N = 1;
      break;
    case EK::Load: {
      const Expr &B = addrBase(*E.Ops[0], nullptr);
      N = regHome(B) ? 1 : need(B);
      break;
    }
    case EK::Cast:
      N = need(*E.Ops[0]);
      break;
    case EK::Unary:
      N = E.Op == OK::LNot ? needCond(*E.Ops[0]) + 1 : need(*E.Ops[0]);
      break;
    case EK::Binary: {
      if (const Expr *X = matchByteSwap(E)) {
        N = need(*X);
        break;
      }
      const Expr *A = E.Ops[0].get(), *B = E.Ops[1].get();
      if (isCommutative(E.Op) && fold(*A) && !fold(*B))
        std::swap(A, B);
      // genBinary: A into Dst, then B into another register; or, when B
      // needs more, B first (Dst is taken already), then A.
      unsigned NA = need(*A), NB = rightNeed(*B);
      N = NB == 0 ? NA : (NB > NA ? NB + 1 : std::max(NA, NB + 1));
      // A remainder needs one more register for the quotient (emitAlu),
      // next to A's and (unless an immediate or a home) B's.
      auto CB = fold(*B);
      if ((E.Op == OK::URem || E.Op == OK::SRem) &&
          !(CB && *CB && std::has_single_bit(*CB)))
        N = std::max(N, NB == 0 ? 2u : 3u);
      break;
    }
    case EK::Cmp:
    case EK::LAnd:
    case EK::LOr:
      N = needCond(E) + 1;
      break;
    case EK::Cond:
      N = std::max({needCond(*E.Ops[0]) + 1, need(*E.Ops[1]),
                    need(*E.Ops[2])});
      break;
    }
  }
  NeedMemo[&E] = N;
  return N;
}

/// Registers a conditional branch on E needs.
unsigned FnCompiler::needCond(const Expr &E) {
  if (fold(E))
    return 0;
  switch (E.K) {
  case EK::LAnd:
  case EK::LOr:
    return std::max(needCond(*E.Ops[0]), needCond(*E.Ops[1]));
  case EK::Cond:
    return std::max({needCond(*E.Ops[0]), needCond(*E.Ops[1]),
                     needCond(*E.Ops[2])});
  case EK::Unary:
    if (E.Op == OK::LNot)
      return needCond(*E.Ops[0]);
    break;
  case EK::Cast: // as genBranch
    if (bitsOf(E.Ty) >= bitsOf(E.Ops[0]->Ty) ||
        fitsVisibly(*E.Ops[0], bitsOf(E.Ty)))
      return needCond(*E.Ops[0]);
    break;
  case EK::Cmp: {
    unsigned NA = regHome(*E.Ops[0]) ? 0 : need(*E.Ops[0]);
    unsigned NB = rightNeed(*E.Ops[1]);
    if (!NA || !NB)
      return std::max(NA, NB);
    return NA == NB ? NA + 1 : std::max(NA, NB);
  }
  default:
    break;
  }
  return regHome(E) ? 0 : need(E);
}

// ===---------------------------------------------------------------------===
// Expressions

void FnCompiler::genTo(const Expr &E, uint8_t Dst) {
  if (!ok())
    return;
  if (auto V = fold(E)) {
    emitConst(Dst, *V, E.Ty);
    return;
  }
  switch (E.K) {
  case EK::Const: // folded above
    return;
  case EK::MapAddr:
    // The address is the relocation's business: libbpf patches the map in.
    emitLddw(Dst, 0, int(E.Value));
    return;
  case EK::GlobalAddr:
    // Likewise: libbpf makes it a pointer into its section's map value.
    emitLddw(Dst, 0, -1, int(E.Value));
    return;
  case EK::AddrOf:     // only as call arguments (validateCall)
  case EK::FuncCall:   // only as whole statement values (validate)
  case EK::Call:
  case EK::CallOutput: // only as `v = CallOutput` (genAssign)
  case EK::AtomicResult: // only as `v = AtomicResult` (genAssign)
    fail("internal error: call or '&v' inside an expression");
    return;
  case EK::Var: {
    const Home &H = Homes[E.VarId];
    if (H.K == Home::InReg) {
      if (H.Reg != Dst)
        emit(bpf::mov64(Dst, H.Reg));
    } else if (H.K == Home::OnStack) {
      emit(bpf::ldx(8, Dst, R10, H.Off));
    } else {
      fail("internal error: variable '" + F.Vars[E.VarId].Name +
           "' has no home");
    }
    return;
  }
  case EK::Load: {
    uint8_t Base;
    int16_t Off;
    genAddr(*E.Ops[0], Dst, Base, Off);
    emit(bpf::ldx(bitsOf(E.Ty) / 8, Dst, Base, Off));
    return;
  }
  case EK::Cast:
    genCast(E, Dst);
    return;
  case EK::Unary:
    genUnary(E, Dst);
    return;
  case EK::Binary:
    if (const Expr *X = matchByteSwap(E)) {
      genTo(*X, Dst);
      BpfInsn Swap = bpf::aluImm(false, bpf::END, Dst, int32_t(bitsOf(E.Ty)));
      Swap.Code |= bpf::X; // to big endian: a swap on this target
      emit(Swap);
      return;
    }
    genBinary(E, Dst);
    return;
  case EK::Cmp:
  case EK::LAnd:
  case EK::LOr:
    genCondValue(E, Dst);
    return;
  case EK::Cond:
    genSelect(E, Dst);
    return;
  }
}

/// Base register + 16-bit offset for a memory access at address A; Tmp is
/// a register the caller owns that may hold the base.
void FnCompiler::genAddr(const Expr &A, uint8_t Tmp, uint8_t &Base,
                         int16_t &Off) {
  int64_t O = 0;
  const Expr &P = addrBase(A, &O);
  if (const Home *H = regHome(P)) {
    Base = H->Reg;
  } else {
    genTo(P, Tmp);
    Base = Tmp;
  }
  if (O < INT16_MIN || O > INT16_MAX) {
    if (Base != Tmp)
      emit(bpf::mov64(Tmp, Base));
    addConst64(Tmp, O);
    Base = Tmp;
    O = 0;
  }
  Off = int16_t(O);
}

void FnCompiler::genCast(const Expr &E, uint8_t Dst) {
  const Expr &S = *E.Ops[0];
  unsigned FB = bitsOf(S.Ty), TB = bitsOf(E.Ty);
  if (isNoopCast(S.Ty, E.Ty)) {
    genTo(S, Dst);
    return;
  }
  if (TB < FB) { // truncation
    // A value that fits, as the checker sees from its code, is its own
    // truncation (`(__u8)(x & 15)`: the mask would tell it nothing new).
    if (fitsVisibly(S, TB)) {
      genTo(S, Dst);
      return;
    }
    const Home *H = regHome(S);
    if (TB == 32 && H) {
      emit(bpf::mov32(Dst, H->Reg));
    } else {
      genTo(S, Dst);
      truncate(Dst, TB);
    }
    return;
  }
  genTo(S, Dst); // sign extension of a narrower signed value
  // A non-negative value is its own sign extension (values are kept
  // zero-extended), and an exact term is what the checker can reason with.
  if (!knownNonNeg(S, FB))
    signExtendExact(Dst, FB, TB);
}

void FnCompiler::genUnary(const Expr &E, uint8_t Dst) {
  unsigned B = bitsOf(E.Ty);
  bool Is64 = B == 64;
  switch (E.Op) {
  case OK::LNot:
    genCondValue(E, Dst);
    return;
  case OK::Neg:
    genTo(*E.Ops[0], Dst);
    emit(bpf::neg(Is64, Dst));
    if (B < 32)
      emit(bpf::aluImm(false, bpf::AND, Dst, int32_t(maskOf(B))));
    return;
  case OK::Not:
    genTo(*E.Ops[0], Dst);
    emit(bpf::aluImm(Is64, bpf::XOR, Dst, B < 32 ? int32_t(maskOf(B)) : -1));
    return;
  default:
    fail("internal error: unexpected unary operator");
  }
}

void FnCompiler::evalPair(const std::function<void(uint8_t)> &GenX,
                          unsigned NX,
                          const std::function<void(uint8_t)> &GenY,
                          unsigned NY, uint8_t &RX, uint8_t &RY) {
  auto Two = [&](const std::function<void(uint8_t)> &First,
                 const std::function<void(uint8_t)> &Second, unsigned NSecond,
                 uint8_t &R1, uint8_t &R2) {
    R1 = alloc();
    First(R1);
    if (freeCount() < NSecond) { // spill the first value around the second
      int16_t S = spillSlot();
      emit(bpf::stx(8, R10, S, R1));
      release(R1);
      R2 = alloc();
      Second(R2);
      R1 = alloc();
      emit(bpf::ldx(8, R1, R10, S));
      freeSpill();
    } else {
      R2 = alloc();
      Second(R2);
    }
  };
  if (NY > NX)
    Two(GenY, GenX, NX, RY, RX);
  else
    Two(GenX, GenY, NY, RX, RY);
}

/// Dst op= Src. The remainder is emitted as Dst -= (Dst / Src) * Src, as
/// clang 14 does: LLVM 14's BPF assembler and disassembler do not know
/// BPF_MOD, and in eBPF both forms leave Dst unchanged when Src is 0.
void FnCompiler::emitAlu(bool Is64, uint8_t Op, uint8_t Dst, const Opnd &Src) {
  auto One = [&](uint8_t O, uint8_t D) {
    emit(Src.IsImm ? bpf::aluImm(Is64, O, D, Src.Imm)
                   : bpf::aluReg(Is64, O, D, Src.Reg));
  };
  if (Op != bpf::MOD) {
    One(Op, Dst);
    return;
  }
  uint8_t Q = alloc();
  emit(bpf::mov64(Q, Dst));
  One(bpf::DIV, Q);
  One(bpf::MUL, Q);
  emit(bpf::aluReg(Is64, bpf::SUB, Dst, Q));
  release(Q);
}

/// Whether E is a 4-byte load of the context's packet start or end field
/// (cir::packetFields) through the entry's ctx parameter.
bool FnCompiler::isPacketFieldLoad(const Expr &E) const {
  const Expr &L = stripNoop(E);
  if (!F.isEntry() || L.K != EK::Load || bitsOf(L.Ty) != 32)
    return false;
  const Expr *Base = &stripNoop(*L.Ops[0]);
  uint64_t Off = 0;
  if (Base->K == EK::Binary && Base->Op == OK::PtrAdd &&
      Base->Ops[1]->K == EK::Const) {
    Off = Base->Ops[1]->Value;
    Base = &stripNoop(*Base->Ops[0]);
  }
  cir::PacketFields P = cir::packetFields(F.ProgType);
  return Base->K == EK::Var && Base->VarId == 0 && P.Data >= 0 &&
         (Off == uint64_t(P.Data) || Off == uint64_t(P.DataEnd));
}

void FnCompiler::genBinary(const Expr &E, uint8_t Dst) {
  OK Op = E.Op;
  const Expr *A = E.Ops[0].get(), *B = E.Ops[1].get();
  unsigned Bits = bitsOf(E.Ty);
  bool Is64 = Bits == 64;

  if (Op == OK::SDiv || Op == OK::SRem) {
    if (knownNonNeg(*A, Bits) && knownNonNeg(*B, Bits)) {
      Op = Op == OK::SDiv ? OK::UDiv : OK::URem;
    } else {
      fail("not supported yet: signed division or remainder (line " +
           std::to_string(E.L.Line) +
           "): eBPF before cpu v4 has none; use unsigned operands");
      return;
    }
  }
  if (isCommutative(Op) && fold(*A) && !fold(*B))
    std::swap(A, B);
  // `__u32 len = ctx->data_end - ctx->data`: both loads give packet
  // pointers (to the kernel and to the checker), which admit 64-bit
  // arithmetic only; the difference is taken in 64 bits and truncated.
  if (Op == OK::Sub && Bits == 32 && isPacketFieldLoad(*A) &&
      isPacketFieldLoad(*B)) {
    genTo(*A, Dst);
    uint8_t T = alloc();
    genTo(*B, T);
    emit(bpf::aluReg(true, bpf::SUB, Dst, T));
    release(T);
    emit(bpf::mov32(Dst, Dst));
    return;
  }

  uint8_t BOp = 0;
  switch (Op) {
  case OK::Add:
  case OK::PtrAdd:
    BOp = bpf::ADD;
    break;
  case OK::Sub:
  case OK::PtrDiff:
    BOp = bpf::SUB;
    break;
  case OK::Mul:
    BOp = bpf::MUL;
    break;
  case OK::UDiv:
    BOp = bpf::DIV;
    break;
  case OK::URem:
    BOp = bpf::MOD;
    break;
  case OK::And:
    BOp = bpf::AND;
    break;
  case OK::Or:
    BOp = bpf::OR;
    break;
  case OK::Xor:
    BOp = bpf::XOR;
    break;
  case OK::Shl:
    BOp = bpf::LSH;
    break;
  case OK::LShr:
    BOp = bpf::RSH;
    break;
  case OK::AShr:
    BOp = bpf::ARSH;
    break;
  default:
    fail("internal error: unexpected binary operator");
    return;
  }

  std::optional<uint64_t> CB = fold(*B);
  // ((p + c1) + c2) + ...: one addition of the sum (the same address modulo
  // 2^64), e.g. after forwarding `ip = data + 14`, `ip + 1` is `data + 34`.
  if (Op == OK::PtrAdd && CB) {
    int64_t Off = 0;
    const Expr &P = addrBase(E, &Off);
    if (&P != &stripNoop(*A) && fitsImm64(uint64_t(Off))) {
      genTo(P, Dst);
      addConst64(Dst, Off);
      return;
    }
  }
  // Unsigned division / remainder by a power of two: shift / mask.
  if (CB && *CB && std::has_single_bit(*CB)) {
    if (Op == OK::UDiv) {
      BOp = bpf::RSH;
      CB = uint64_t(std::countr_zero(*CB));
    } else if (Op == OK::URem) {
      BOp = bpf::AND;
      CB = *CB - 1;
    }
  }
  // x + 0, x | 0, x << 0, x * 1, x / 1, ...: x itself (already canonical at
  // E's type, which the operands of these share).
  if (CB && bitsOf(A->Ty) == Bits && !A->Ty.isPtr() == !E.Ty.isPtr()) {
    bool ZeroIsIdentity = BOp == bpf::ADD || BOp == bpf::SUB ||
                          BOp == bpf::OR || BOp == bpf::XOR ||
                          BOp == bpf::LSH || BOp == bpf::RSH ||
                          BOp == bpf::ARSH;
    bool OneIsIdentity = BOp == bpf::MUL || BOp == bpf::DIV;
    if ((ZeroIsIdentity && *CB == 0) || (OneIsIdentity && *CB == 1)) {
      genTo(*A, Dst);
      return;
    }
  }
  bool NarrowAShr = BOp == bpf::ARSH && Bits < 32;
  bool Wraps = BOp == bpf::ADD || BOp == bpf::SUB || BOp == bpf::MUL ||
               BOp == bpf::LSH || NarrowAShr;
  auto GenA = [&](uint8_t R) {
    genTo(*A, R);
    if (NarrowAShr)
      signExtend(R, Bits, 32);
  };
  auto Fixup = [&]() {
    if (!Is64 && Bits < 32 && Wraps)
      emit(bpf::aluImm(false, bpf::AND, Dst, int32_t(maskOf(Bits))));
  };

  if (CB && (!Is64 || fitsImm64(*CB))) {
    GenA(Dst);
    if (Is64 && BOp == bpf::AND && *CB == 0xffffffffu)
      emit(bpf::mov32(Dst, Dst)); // x & 0xffffffff
    else
      emitAlu(Is64, BOp, Dst, Opnd{true, int32_t(uint32_t(*CB)), 0, false});
    Fixup();
    return;
  }
  if (const Home *H = CB ? nullptr : regHome(*B)) {
    GenA(Dst);
    emitAlu(Is64, BOp, Dst, Opnd{false, 0, H->Reg, false});
    Fixup();
    return;
  }
  auto GenB = [&](uint8_t R) {
    if (CB)
      emitConst64(R, *CB);
    else
      genTo(*B, R);
  };
  unsigned NA = need(*A), NB = CB ? 1 : need(*B);
  if (NB > NA) {
    uint8_t T = alloc();
    GenB(T);
    if (freeCount() + 1 < NA) {
      int16_t S = spillSlot();
      emit(bpf::stx(8, R10, S, T));
      release(T);
      GenA(Dst);
      T = alloc();
      emit(bpf::ldx(8, T, R10, S));
      freeSpill();
    } else {
      GenA(Dst);
    }
    emitAlu(Is64, BOp, Dst, Opnd{false, 0, T, false});
    release(T);
  } else {
    GenA(Dst);
    if (freeCount() >= NB) {
      uint8_t T = alloc();
      GenB(T);
      emitAlu(Is64, BOp, Dst, Opnd{false, 0, T, false});
      release(T);
    } else { // spill A, compute B into Dst, combine in a fresh register
      int16_t S = spillSlot();
      emit(bpf::stx(8, R10, S, Dst));
      GenB(Dst);
      uint8_t T = alloc();
      emit(bpf::ldx(8, T, R10, S));
      freeSpill();
      emitAlu(Is64, BOp, T, Opnd{false, 0, Dst, false});
      emit(bpf::mov64(Dst, T));
      release(T);
    }
  }
  Fixup();
}

FnCompiler::CmpPlan FnCompiler::planCmp(const Expr &E, bool JumpIfTrue) {
  CmpPlan P;
  P.Op = JumpIfTrue ? E.Op : negateCmp(E.Op);
  P.A = E.Ops[0].get();
  P.B = E.Ops[1].get();
  P.Bits = bitsOf(P.A->Ty);
  if (fold(*P.A) && !fold(*P.B)) {
    std::swap(P.A, P.B);
    P.Op = mirrorCmp(P.Op);
  }
  P.Mode = CmpMode::Unsigned;
  if (isSignedCmp(P.Op)) {
    if (knownNonNeg(*P.A, P.Bits) && knownNonNeg(*P.B, P.Bits))
      P.Op = unsignedCmp(P.Op);
    else
      P.Mode = P.Bits == 64 ? CmpMode::Signed64 : CmpMode::Signed32;
  }
  if (auto V = fold(*P.B)) {
    P.CB = P.Mode == CmpMode::Signed32 ? uint64_t(uint32_t(sext(*V, P.Bits)))
                                       : *V;
    P.BImm = P.Mode == CmpMode::Signed32 || fitsImm64(*P.CB);
  }
  // Narrower operands of a Signed32 comparison are sign-extended first.
  bool Kept = P.Mode != CmpMode::Signed32 || P.Bits == 32;
  P.ABorrow = Kept && regHome(*P.A);
  P.BBorrow = !P.CB && Kept && regHome(*P.B);
  return P;
}

void FnCompiler::genCmpJump(const CmpPlan &P, int L) {
  auto GenOwned = [&](const Expr &X, uint8_t R) {
    genTo(X, R);
    if (P.Mode == CmpMode::Signed32)
      signExtendExact(R, P.Bits, 32);
  };
  auto GenA = [&](uint8_t R) { GenOwned(*P.A, R); };
  auto GenB = [&](uint8_t R) {
    if (P.CB)
      emitConst64(R, *P.CB);
    else
      GenOwned(*P.B, R);
  };
  Opnd OA, OB;
  if (P.ABorrow)
    OA.Reg = regHome(*P.A)->Reg;
  if (P.BImm) {
    OB.IsImm = true;
    OB.Imm = int32_t(int64_t(*P.CB));
  } else if (P.BBorrow) {
    OB.Reg = regHome(*P.B)->Reg;
  }
  bool ANeeds = !P.ABorrow, BNeeds = !P.BImm && !P.BBorrow;
  if (ANeeds && BNeeds) {
    evalPair(GenA, need(*P.A), GenB, P.CB ? 1 : need(*P.B), OA.Reg, OB.Reg);
    OA.Owned = OB.Owned = true;
  } else if (ANeeds) {
    OA.Reg = alloc();
    OA.Owned = true;
    GenA(OA.Reg);
  } else if (BNeeds) {
    OB.Reg = alloc();
    OB.Owned = true;
    GenB(OB.Reg);
  }
  uint8_t Op = jmpOp(P.Op);
  bool Is32 = P.Mode == CmpMode::Signed32;
  if (OB.IsImm)
    emit(Is32 ? bpf::jmp32Imm(Op, OA.Reg, OB.Imm, 0)
              : bpf::jmpImm(Op, OA.Reg, OB.Imm, 0),
         L);
  else
    emit(Is32 ? bpf::jmp32Reg(Op, OA.Reg, OB.Reg, 0)
              : bpf::jmpReg(Op, OA.Reg, OB.Reg, 0),
         L);
  drop(OA);
  drop(OB);
}

/// c when E is `c != 0` or `c == 0` for a condition c (a comparison,
/// `&&`, `||` or `!`, whose value is 0 or 1): E is c, or !c.
static const Expr *conditionAgainstZero(const Expr &E) {
  if (E.K != EK::Cmp || (E.Op != OK::Ne && E.Op != OK::Eq))
    return nullptr;
  for (int Zero : {1, 0}) {
    const Expr &Z = *E.Ops[Zero], &C = *E.Ops[1 - Zero];
    bool IsCond = C.K == EK::Cmp || C.K == EK::LAnd || C.K == EK::LOr ||
                  (C.K == EK::Unary && C.Op == OK::LNot);
    if (IsCond && Z.K == EK::Const && Z.Value == 0)
      return &C;
  }
  return nullptr;
}

void FnCompiler::genBranch(const Expr &E, bool JT, int L) {
  if (!ok())
    return;
  if (auto V = fold(E)) {
    if ((*V != 0) == JT)
      jump(L);
    return;
  }
  switch (E.K) {
  case EK::Unary:
    if (E.Op == OK::LNot) {
      genBranch(*E.Ops[0], !JT, L);
      return;
    }
    break;
  case EK::LAnd:
  case EK::LOr: {
    // a && b jumps if true only when both are; a || b when either is.
    bool IsAnd = E.K == EK::LAnd;
    if (JT != IsAnd) { // (a && b) false: a false or b false, etc.
      genBranch(*E.Ops[0], JT, L);
      genBranch(*E.Ops[1], JT, L);
    } else {
      int Skip = newLabel();
      genBranch(*E.Ops[0], !JT, Skip);
      genBranch(*E.Ops[1], JT, L);
      bind(Skip);
    }
    return;
  }
  case EK::Cond: {
    if (auto C = fold(*E.Ops[0])) {
      genBranch(*E.Ops[*C ? 1 : 2], JT, L);
      return;
    }
    int Else = newLabel(), Done = newLabel();
    genBranch(*E.Ops[0], false, Else);
    genBranch(*E.Ops[1], JT, L);
    jump(Done);
    bind(Else);
    genBranch(*E.Ops[2], JT, L);
    bind(Done);
    return;
  }
  case EK::Cmp:
    // `c != 0` / `c == 0` of a condition c (VEP-C's value of a `&&` whose
    // operand was a call): a branch on c itself, not on its 0/1 value.
    if (const Expr *C = conditionAgainstZero(E)) {
      genBranch(*C, JT == (E.Op == OK::Ne), L);
      return;
    }
    genCmpJump(planCmp(E, JT), L);
    return;
  case EK::Cast:
    // Extension keeps zero-ness; so does truncating a value that fits (it
    // compiles to nothing, see genCast).
    if (bitsOf(E.Ty) >= bitsOf(E.Ops[0]->Ty) ||
        fitsVisibly(*E.Ops[0], bitsOf(E.Ty))) {
      genBranch(*E.Ops[0], JT, L);
      return;
    }
    break;
  default:
    break;
  }
  // (x >> k) & c against zero is x & (c << k) against zero: the shift goes.
  // The same value is tested: c << k loses no bit of c and fits the type.
  // (Not JSET: LLVM 14's assembler and disassembler do not know it, and
  // -S output must assemble to the same code.)
  if (E.K == EK::Binary && E.Op == OK::And) {
    const Expr *A = E.Ops[0].get(), *B = E.Ops[1].get();
    if (fold(*A) && !fold(*B))
      std::swap(A, B);
    auto C = fold(*B);
    unsigned Bits = bitsOf(E.Ty);
    if (C && *C && A->K == EK::Binary && A->Op == OK::LShr && !fold(*A) &&
        bitsOf(A->Ty) == Bits && bitsOf(A->Ops[0]->Ty) == Bits) {
      auto K = fold(*A->Ops[1]);
      if (K && *K < Bits && ((*C << *K) >> *K) == *C &&
          (*C << *K) <= std::min<uint64_t>(maskOf(Bits), INT32_MAX)) {
        uint8_t R = alloc();
        genTo(*A->Ops[0], R);
        emit(bpf::aluImm(Bits == 64, bpf::AND, R, int32_t(*C << *K)));
        emit(bpf::jmpImm(JT ? bpf::JNE : bpf::JEQ, R, 0, 0), L);
        release(R);
        return;
      }
    }
  }
  // A plain value: compare with zero.
  Opnd O;
  if (const Home *H = regHome(E)) {
    O.Reg = H->Reg;
  } else {
    O.Reg = alloc();
    O.Owned = true;
    genTo(E, O.Reg);
  }
  emit(bpf::jmpImm(JT ? bpf::JNE : bpf::JEQ, O.Reg, 0, 0), L);
  drop(O);
}

/// A condition used as a value: 0 or 1 (int): Dst = 1; if (E) skip;
/// Dst = 0. (Dst is the caller's: E's code neither allocates it nor reads
/// it as a variable's home, see clobberSafe.)
void FnCompiler::genCondValue(const Expr &E, uint8_t Dst) {
  int Done = newLabel();
  emit(bpf::movImm32(Dst, 1));
  genBranch(E, true, Done);
  emit(bpf::movImm32(Dst, 0));
  bind(Done);
}

void FnCompiler::genSelect(const Expr &E, uint8_t Dst) {
  if (auto C = fold(*E.Ops[0])) {
    genTo(*E.Ops[*C ? 1 : 2], Dst);
    return;
  }
  // A constant arm goes to Dst first and the other arm overwrites it when
  // needed: Dst = a; if (c) skip; Dst = b (no jump over an else part).
  // (Dst is the caller's: the condition neither allocates nor reads it.)
  auto CA = fold(*E.Ops[1]), CB = fold(*E.Ops[2]);
  if (CA || CB) {
    int Done = newLabel();
    emitConst(Dst, CA ? *CA : *CB, E.Ty);
    genBranch(*E.Ops[0], CA.has_value(), Done);
    genTo(*E.Ops[CA ? 2 : 1], Dst);
    bind(Done);
    return;
  }
  int Else = newLabel(), Done = newLabel();
  genBranch(*E.Ops[0], false, Else);
  genTo(*E.Ops[1], Dst);
  jump(Done);
  bind(Else);
  genTo(*E.Ops[2], Dst);
  bind(Done);
}

// ===---------------------------------------------------------------------===
// Statements

void FnCompiler::genStmt(const Stmt &S) {
  if (!ok() || !Reachable)
    return; // dead code: after a return / break / continue, no label bound
  if (S.L.Line)
    CurLoc = S.L;
  if (auto N = RW.Notes.find(&S); N != RW.Notes.end())
    note(N->second);
  if (S.K == SK::Block) {
    for (const auto &B : S.Body)
      if (B)
        genStmt(*B);
    return;
  }
  unsigned SavedBase = BaseMask;
  if (auto P = StmtPos.find(&S); P != StmtPos.end())
    BaseMask = AllScratch & ~ScratchHomesAt[P->second];
  FreeMask = BaseMask;
  switch (S.K) {
  case SK::Block:
    break;
  case SK::Assign:
    genAssign(S);
    break;
  case SK::Store:
    genMemWrite(S);
    break;
  case SK::Atomic:
    genAtomic(S);
    break;
  case SK::If:
    genIf(S);
    break;
  case SK::Return:
    genReturn(S);
    break;
  case SK::Assert:
    if (S.Annot && S.Annot->Pre)
      note(linePrefix(S.L.Line) + "assert " +
           printAssertionText(*S.Annot->Pre));
    break;
  case SK::ExprStmt:
    if (S.Value && isCall(*S.Value)) {
      genCall(*S.Value); // the result is dropped
    } else if (S.Value && hasEffects(*S.Value)) { // loads may fault
      uint8_t R = alloc();
      genTo(*S.Value, R);
      release(R);
    }
    break;
  case SK::Loop:
    genLoop(S);
    break;
  case SK::Break:
  case SK::Continue:
    if (Loops.empty())
      fail("internal error: 'break' or 'continue' outside a loop");
    else
      jump(S.K == SK::Break ? Loops.back().Exit : Loops.back().Cont);
    break;
  }
  if (ok() && FreeMask != BaseMask)
    fail("internal error: scratch register leaked");
  FreeMask = BaseMask = SavedBase;
}

void FnCompiler::genAssign(const Stmt &S) {
  const Home &H = Homes[S.VarId];
  const Expr &V = *S.Value;
  if (V.K == EK::CallOutput)
    return note(linePrefix(S.L.Line) + F.Vars[S.VarId].Name +
                " -> " + homeText(H) + ": reloaded after the call");
  note(linePrefix(S.L.Line) + F.Vars[S.VarId].Name + " -> " + homeText(H));
  if (isCall(V) || V.K == EK::AtomicResult) {
    if (isCall(V)) // an AtomicResult is in R0 already (genAtomic)
      genCall(V);
    // Helpers return 64 bits; a narrower result is kept zero-extended. A
    // function compiled here returns its value zero-extended already (its
    // post binds R0 within the type's range, docs/compiler.md section 8).
    if (V.K == EK::Call && bitsOf(V.Ty) < 64)
      truncate(bpf::R0, bitsOf(V.Ty));
    if (H.K == Home::InReg)
      emit(bpf::mov64(H.Reg, bpf::R0));
    else if (H.K == Home::OnStack)
      emit(bpf::stx(8, R10, H.Off, bpf::R0));
    else
      fail("internal error: assigned variable has no home");
    return;
  }
  if (H.K == Home::InReg) {
    if (clobberSafe(V, S.VarId)) {
      genTo(V, H.Reg);
    } else {
      uint8_t R = alloc();
      genTo(V, R);
      emit(bpf::mov64(H.Reg, R));
      release(R);
    }
  } else if (H.K == Home::OnStack) {
    if (const Home *VH = regHome(V)) {
      emit(bpf::stx(8, R10, H.Off, VH->Reg));
    } else {
      uint8_t R = alloc();
      genTo(V, R);
      emit(bpf::stx(8, R10, H.Off, R));
      release(R);
    }
  } else {
    fail("internal error: assigned variable has no home");
  }
}

/// Arguments into R1-R5, then `call`. validateCall admits only arguments
/// that are computed in their own register without any other (so none
/// clobbers one set before), and no home in R1-R5 is live across a call
/// (scratchFits), so nothing live is in R0-R5 when the call clobbers them. A `&v` argument is v's
/// value stored with v's size into the call's own buffer (below the
/// variables' slots; the helper reads it, the checker and the kernel
/// require its bytes initialised) and passed as R10 + offset. A buffer a
/// helper writes (AddrOf Value > 0) gets v's value only when the helper
/// writes part of it (a function's always: it may read it); after the
/// call v's home is reloaded from the buffer (the
/// `v = CallOutput` that follows emits nothing).
void FnCompiler::genCall(const Expr &E) {
  unsigned Saved = FreeMask;
  FreeMask = 0; // an allocation now is a bug: it fails loudly
  // The buffer of each `&v` argument: its variables at Off, Off + their
  // sizes, ... (AddrOf Span), the buffers one below the other.
  std::vector<int> BufOff(E.Ops.size());
  int BufEnd = VarBytes;
  for (size_t I = 0; I < E.Ops.size(); ++I)
    if (E.Ops[I]->K == EK::AddrOf) {
      BufEnd += roundUp8(argBufferBytes(*E.Ops[I], F.Vars));
      BufOff[I] = -BufEnd;
    }
  // Calls `Visit(variable, its home, its offset in the frame, the end of
  // its bytes in the buffer)` for each variable of `&v` argument A.
  auto ForEachPart = [&](const Expr &A, int Off, auto Visit) {
    int Used = 0;
    for (unsigned V = A.VarId; V < A.VarId + A.Span && ok(); ++V) {
      const Home &H = Homes[V];
      if (H.K != Home::InReg && H.K != Home::OnStack)
        return fail("internal error: variable '" + F.Vars[V].Name +
                    "' has no home");
      int Bytes = int(F.Vars[V].Ty.Bits / 8);
      Visit(H, int16_t(Off + Used), unsigned(Bytes), uint64_t(Used + Bytes));
      Used += Bytes;
    }
  };
  // A helper writes all of [0, Value) (or, updating, may leave part of
  // it), a function may read and leave any byte of its buffer.
  bool WritesAll = E.K == EK::Call && !cir::helperUpdatesBuffer(E.Value);
  for (size_t I = 0; I < E.Ops.size(); ++I) {
    const Expr &A = *E.Ops[I];
    uint8_t R = uint8_t(bpf::R1 + I);
    if (A.K != EK::AddrOf) {
      genTo(A, R);
      continue;
    }
    ForEachPart(A, BufOff[I],
                [&](const Home &H, int16_t Off, unsigned Bytes, uint64_t End) {
                  // The helper reads these bytes, or some of them stay.
                  if (A.Value >= End && WritesAll)
                    return;
                  uint8_t Val = R;
                  if (H.K == Home::InReg)
                    Val = H.Reg;
                  else
                    emit(bpf::ldx(8, R, R10, H.Off));
                  emit(bpf::stx(Bytes, R10, Off, Val));
                });
    emit(bpf::mov64(R, R10));
    addConst64(R, BufOff[I]);
  }
  if (E.K == EK::FuncCall) {
    // The immediate is the callee's place in `.text`, which compileModule
    // fills in; the R_BPF_64_32 relocation tells libbpf and the checker.
    emit(bpf::pseudoCall(-1), -1, Funcs[E.Value].Name);
    if (ok() && Reachable)
      Code.back().Callee = int(E.Value);
  } else {
    for (unsigned I = unsigned(E.Ops.size());
         I < cir::helperArgRegisters(E.Value, unsigned(E.Ops.size())); ++I)
      emit(bpf::movImm64(uint8_t(bpf::R1 + I), 0));
    emit(bpf::call(int32_t(E.Value)), -1, logic::helperName(E.Value));
  }
  // Reload the written buffers (R0 holds the result; R1 is free now).
  for (size_t I = 0; I < E.Ops.size(); ++I) {
    const Expr &A = *E.Ops[I];
    if (A.K != EK::AddrOf || !A.Value)
      continue;
    ForEachPart(A, BufOff[I],
                [&](const Home &H, int16_t Off, unsigned Bytes, uint64_t) {
                  uint8_t Dst = H.K == Home::InReg ? H.Reg : uint8_t(bpf::R1);
                  emit(bpf::ldx(Bytes, Dst, R10, Off));
                  if (H.K == Home::OnStack)
                    emit(bpf::stx(8, R10, H.Off, Dst));
                });
  }
  FreeMask = Saved;
}

/// `*(T *)Addr = Value` (Store), T the value's type.
void FnCompiler::genMemWrite(const Stmt &S) {
  const Expr &V = *S.Value;
  Opnd OV;
  if (const Home *H = regHome(V)) {
    OV.Reg = H->Reg;
  } else {
    OV.Reg = alloc();
    OV.Owned = true;
    genTo(V, OV.Reg);
  }
  uint8_t T = alloc(), Base;
  int16_t Off;
  genAddr(*S.Addr, T, Base, Off);
  unsigned Bytes = bitsOf(V.Ty) / 8;
  emit(bpf::stx(Bytes, Base, Off, OV.Reg));
  release(T);
  drop(OV);
}

/// An Atomic: Value in a register of its own (a fetch overwrites it), for
/// CmpXchg the expected value in R0 (taken first: R0 is never a home), the
/// address, the operation (with FETCH when the old value is kept; XCHG and
/// CMPXCHG always fetch), then the kept old value (zero-extended for 32
/// bits) in R0, where the `v = AtomicResult` right after it takes it from
/// (genAssign), as a call's result.
void FnCompiler::genAtomic(const Stmt &S) {
  static const int32_t Imm[] = {bpf::ADD, bpf::OR,   bpf::AND,
                                bpf::XOR, bpf::XCHG, bpf::CMPXCHG};
  bool Cas = S.Op == Stmt::AtomicOp::CmpXchg;
  if (Cas) {
    if (!(FreeMask & 1u))
      return fail("internal error: R0 busy at a cmpxchg");
    FreeMask &= ~1u;
    genTo(*S.Cond, bpf::R0);
  }
  uint8_t V = alloc(), T = alloc(), Base;
  genTo(*S.Value, V);
  int16_t Off;
  genAddr(*S.Addr, T, Base, Off);
  int32_t Op = Imm[unsigned(S.Op)];
  if (S.Fetch && S.Op < Stmt::AtomicOp::Xchg)
    Op |= bpf::FETCH;
  emit(bpf::atomic(bitsOf(S.Value->Ty) / 8, Base, Off, V, Op));
  if (S.Fetch && !Cas && V != bpf::R0)
    emit(bpf::mov64(bpf::R0, V));
  release(T);
  release(V);
  if (Cas)
    release(bpf::R0);
}

void FnCompiler::genIf(const Stmt &S) {
  if (auto C = fold(*S.Cond)) {
    if (*C && S.Then)
      genStmt(*S.Then);
    else if (!*C && S.Else)
      genStmt(*S.Else);
    return;
  }
  // `if (c) break;` / `if (c) continue;`: one conditional jump.
  const Stmt *T = S.Then.get();
  while (T && T->K == SK::Block && T->Body.size() == 1 && T->Body[0])
    T = T->Body[0].get();
  if (T && !S.Else && !Loops.empty() &&
      (T->K == SK::Break || T->K == SK::Continue)) {
    genBranch(*S.Cond, true,
              T->K == SK::Break ? Loops.back().Exit : Loops.back().Cont);
    return;
  }
  // `if (c) return v;` (v a constant or a variable; or the same in the else
  // branch): v goes to R0 first, then the branch jumps to the next `exit`
  // (`w0 = 2; if r1 > r2 goto exit`); the other path overwrites R0 or
  // ignores it. Evaluating v early is harmless: it reads no memory.
  auto SimpleReturn = [&](const Stmt *B) -> const Stmt * {
    while (B && B->K == SK::Block && B->Body.size() == 1 && B->Body[0])
      B = B->Body[0].get();
    if (!B || B->K != SK::Return ||
        (B->Value && !fold(*B->Value) && stripNoop(*B->Value).K != EK::Var))
      return nullptr;
    return B;
  };
  const Stmt *RetThen = SimpleReturn(S.Then.get());
  const Stmt *Ret = RetThen ? RetThen : SimpleReturn(S.Else.get());
  if (Ret && (FreeMask & 1u) && freeCount() >= needCond(*S.Cond) + 1) {
    cir::Loc Outer = CurLoc;
    if (Ret->L.Line)
      CurLoc = Ret->L;
    if (Ret->Value)
      genTo(*Ret->Value, bpf::R0);
    else
      emit(bpf::movImm64(bpf::R0, 0));
    CurLoc = Outer;
    FreeMask &= ~1u; // R0 holds the return value
    genBranch(*S.Cond, RetThen != nullptr, exitLabel());
    FreeMask |= 1u;
    if (const cir::StmtPtr &Rest = RetThen ? S.Else : S.Then)
      genStmt(*Rest);
    return;
  }
  int Else = newLabel();
  genBranch(*S.Cond, false, Else);
  if (S.Then)
    genStmt(*S.Then);
  if (S.Else) {
    int Done = newLabel();
    jump(Done);
    bind(Else);
    genStmt(*S.Else);
    bind(Done);
  } else {
    bind(Else);
  }
}

/// A loop: its head H is a cut point (the bytecode form of the invariant).
///   TestFirst:  H: if !Cond goto Exit; Body; Cont: Step; goto H; Exit:
///   do-while:   H: Body; Cont: Step; if Cond goto H; Exit:
/// `break` jumps to Exit, `continue` to Cont. Entering reaches H by falling
/// through, and nothing but the variables' homes is live there.
void FnCompiler::genLoop(const Stmt &S) {
  std::optional<uint64_t> C =
      S.Cond ? fold(*S.Cond) : std::optional<uint64_t>(1);
  if (S.TestFirst && C && !*C)
    return; // never entered: no code, no cut point

  // The cut point is lowered from the loop of F itself (the rewriting keeps
  // the values of the variables that are compiled).
  auto Orig = RW.OrigLoop.find(&S);
  if (Orig == RW.OrigLoop.end()) {
    fail("internal error: loop without its original");
    return;
  }
  const Stmt &OS = *Orig->second;
  LoopHead LH;
  LH.Loop = &OS;
  LH.Maps = &Maps;
  LH.FuncPre = F.isEntry() ? nullptr : &FuncPre;
  CutAt Cut;
  for (const auto &[Loop, CutIndex] : OpenLoops) {
    LH.Enclosing.push_back(Loop);
    Cut.Enclosing.push_back(CutIndex);
  }
  auto It = HeadLive.find(&S);
  if (It == HeadLive.end()) {
    fail("internal error: loop without liveness information");
    return;
  }
  const size_t N = F.Vars.size();
  LH.Live = It->second;
  LH.Where.assign(N, NoHome);
  for (size_t V = 0; V < N; ++V) {
    if (Homes[V].K == Home::InReg)
      LH.Where[V] = Homes[V].Reg;
    else if (Homes[V].K == Home::OnStack)
      LH.Where[V] = Homes[V].Off;
  }
  LH.Modified.assign(N, false);
  if (OS.Then)
    noteAssigned(*OS.Then, LH.Modified);
  if (OS.Step)
    noteAssigned(*OS.Step, LH.Modified);
  std::string Err;
  std::vector<bool> HeadNonNeg;
  if (!lowerCutPoint(F, LH, [this](const Expr &E) { return fold(E); },
                     Cut.Cut, HeadNonNeg, Err)) {
    fail(Err);
    return;
  }
  // A signed variable the invariant makes non-negative at the head stays so
  // until the loop assigns it: comparisons stay unsigned, widening emits no
  // sign extension, and the checker keeps its value exact. (The checker
  // proves the invariant on every arrival at the head.)
  std::vector<bool> InBody(N, false), InStep(N, false);
  if (S.Then)
    noteAssigned(*S.Then, InBody);
  if (S.Step)
    noteAssigned(*S.Step, InStep);
  // Inside an enclosing loop, what it knows holds here too: it excludes
  // the variables its body (this loop included) assigns.
  const std::vector<bool> Outer = NonNegVars;
  auto NonNegWhere = [&](bool Body, bool Step) {
    std::vector<bool> NN(N, false);
    for (size_t V = 0; V < N; ++V)
      NN[V] = (HeadNonNeg[V] && !(Body && InBody[V]) && !(Step && InStep[V])) ||
              (V < Outer.size() && Outer[V]);
    return NN;
  };
  // Evaluating a single assignment reads before it writes.
  bool StepIsOneAssign = S.Step && S.Step->K == SK::Assign;
  if (auto Z = ZeroBeforeLoop.find(&S); Z != ZeroBeforeLoop.end())
    for (unsigned V : Z->second)
      zeroHome(V, "live at the loop head, unassigned before it");
  int Head = Cut.Label = newLabel();
  bind(Head);
  Cuts.push_back(std::move(Cut));
  OpenLoops.push_back({&OS, Cuts.size() - 1});

  int Exit = newLabel(), Cont = newLabel();
  Loops.push_back({Exit, Cont});
  NonNegVars = NonNegWhere(false, false);
  if (S.TestFirst && !C)
    genBranch(*S.Cond, false, Exit);
  NonNegVars = NonNegWhere(true, false); // the body may assign
  if (S.Then)
    genStmt(*S.Then);
  bind(Cont);
  NonNegVars = NonNegWhere(true, !StepIsOneAssign);
  if (S.Step)
    genStmt(*S.Step);
  NonNegVars = NonNegWhere(true, true);
  if (S.L.Line)
    CurLoc = S.L;
  if (S.TestFirst || (C && *C))
    jump(Head); // the back edge
  else if (!C) {
    // do-while: back edge(s) when Cond holds; the test is a statement of
    // its own for the homes in scratch registers.
    unsigned Saved = BaseMask;
    if (auto P = DoWhileTestPos.find(&S); P != DoWhileTestPos.end())
      BaseMask = FreeMask = AllScratch & ~ScratchHomesAt[P->second];
    genBranch(*S.Cond, true, Head);
    BaseMask = FreeMask = Saved;
  }
  NonNegVars = Outer;
  Loops.pop_back();
  OpenLoops.pop_back();
  // Jumps to an exit the loop did not emit go to one after it.
  size_t D = Loops.size();
  if (D + 1 < PendingExits.size() && !PendingExits[D + 1].empty()) {
    auto &Inner = PendingExits[D + 1], &Outer = PendingExits[D];
    Outer.insert(Outer.end(), Inner.begin(), Inner.end());
    Inner.clear();
  }
  bind(Exit);
}

void FnCompiler::genReturn(const Stmt &S) {
  FreeMask &= ~1u; // R0 is the destination
  if (S.Value)
    genTo(*S.Value, bpf::R0);
  else
    emit(bpf::movImm64(bpf::R0, 0));
  FreeMask |= 1u;
  bindExits(); // genIf's jumps to the next exit arrive with R0 set
  emit(bpf::exitInsn(), -1, ExitNote);
}

// ===---------------------------------------------------------------------===
// Function

void FnCompiler::noteUses(const Expr &E, unsigned Pos,
                          std::vector<VarUse> &U) {
  for (auto [V, End] = readVars(E); V < End && V < U.size(); ++V)
    U[V].touch(Pos);
  for (const auto &O : E.Ops)
    noteUses(*O, Pos, U);
}

/// Numbers the statements in source order (which, apart from loops' back
/// edges, is a topological order of the control flow) and records for every
/// variable its number of occurrences and the first and last position it
/// occurs at. Any path from a definition to a use that takes no back edge
/// only passes positions in between, so [First, Last] contains the
/// variable's live range once assignHomes has widened it to whole loops for
/// the variables live at their heads. Code generation emits nothing after a
/// statement that always returns (or breaks / continues), and nothing for
/// the branch a constant condition rules out.
bool FnCompiler::alwaysReturns(const Stmt &S) {
  switch (S.K) {
  case SK::Return:
  case SK::Break:    // the rest of the block is dead too
  case SK::Continue:
    return true;
  case SK::Block:
    for (const auto &B : S.Body)
      if (B && alwaysReturns(*B))
        return true;
    return false;
  case SK::If: {
    auto Taken = [&](const StmtPtrRef &B) { return B && alwaysReturns(*B); };
    if (auto C = fold(*S.Cond))
      return Taken(*C ? S.Then : S.Else);
    return Taken(S.Then) && Taken(S.Else);
  }
  default:
    return false;
  }
}

void FnCompiler::noteUses(const Stmt &S, unsigned &Pos,
                          std::vector<VarUse> &U) {
  if (S.K == SK::Block) {
    for (const auto &B : S.Body)
      if (B) {
        noteUses(*B, Pos, U);
        if (alwaysReturns(*B))
          break; // the rest is dead
      }
    return;
  }
  if (S.K == SK::ExprStmt && S.Value && !hasEffects(*S.Value))
    return; // emits nothing
  unsigned P = ++Pos;
  StmtPos[&S] = P;
  StmtAt.resize(P + 1, nullptr);
  StmtAt[P] = &S;
  if (S.K == SK::Loop) {
    std::optional<uint64_t> C =
        S.Cond ? fold(*S.Cond) : std::optional<uint64_t>(1);
    if (S.TestFirst && C && !*C)
      return; // not compiled
    if (S.Cond && S.TestFirst)
      noteUses(*S.Cond, P, U);
    if (S.Then)
      noteUses(*S.Then, Pos, U);
    if (S.Step)
      noteUses(*S.Step, Pos, U);
    if (S.Cond && !S.TestFirst) {
      unsigned PC = ++Pos;
      DoWhileTestPos[&S] = PC;
      StmtAt.resize(PC + 1, nullptr);
      noteUses(*S.Cond, PC, U);
    }
    LoopRanges.push_back({&S, P, Pos});
    return;
  }
  if (S.K == SK::If) {
    if (auto C = fold(*S.Cond)) { // only the taken branch is compiled
      const StmtPtrRef &B = *C ? S.Then : S.Else;
      if (B)
        noteUses(*B, Pos, U);
      return;
    }
  }
  if (S.K == SK::Assign && S.VarId < U.size())
    U[S.VarId].touch(P);
  for (const cir::ExprPtr *E : {&S.Addr, &S.Value, &S.Cond})
    if (*E)
      noteUses(**E, P, U);
  if (S.Then)
    noteUses(*S.Then, Pos, U);
  if (S.Else)
    noteUses(*S.Else, Pos, U);
}

/// Linear scan over the variables' ranges: R6-R9 are shared by variables
/// whose ranges are disjoint. When more than four are live at once, a
/// variable live at no loop head may live in a scratch register R1-R5
/// (scratchFits); otherwise the least used (then the longest lived) goes to
/// its own stack slot. Last, each parameter stays in the register it
/// arrives in (ctx in R1, a function's k-th parameter in R<k+1>) if it can
/// (no copy at entry).
void FnCompiler::assignHomes() {
  std::vector<VarUse> U(F.Vars.size());
  for (unsigned I = 0; I < F.NumParams && I < U.size(); ++I)
    U[I].Param = true;
  unsigned Pos = 0;
  LoopRanges.clear();
  StmtAt.assign(1, nullptr);
  DoWhileTestPos.clear();
  noteUses(*Body, Pos, U);
  // Scratch needs, estimated before any home is known (every variable as
  // if it had to be loaded: never less than the need once homes are set).
  NeedAt.assign(Pos + 1, 0);
  for (unsigned P = 1; P <= Pos; ++P)
    NeedAt[P] = StmtAt[P] ? stmtNeed(*StmtAt[P]) : 0;
  for (const auto &[Loop, P] : DoWhileTestPos)
    NeedAt[P] = fold(*Loop->Cond) ? 0 : needCond(*Loop->Cond);
  NeedMemo.clear();
  ScratchHomesAt.assign(Pos + 1, 0);
  unassignedAtHeads(U);
  std::vector<bool> AtHead(U.size(), false);
  std::vector<unsigned> Order;
  for (unsigned I = 0; I < U.size(); ++I)
    if (U[I].Count) {
      if (U[I].Param)
        U[I].First = 0; // arrives at entry
      // A variable live at a loop head is live around the back edge: it
      // keeps its home for the whole loop. (A path that goes around a back
      // edge while a variable is live passes the head, so the others are
      // only live along forward paths, between their first and last
      // occurrence.)
      for (const LoopRange &R : LoopRanges) {
        auto H = HeadLive.find(R.Loop);
        if (H != HeadLive.end() && I < H->second.size() && H->second[I]) {
          U[I].First = std::min(U[I].First, R.First);
          U[I].Last = std::max(U[I].Last, R.Last);
          AtHead[I] = true;
        }
      }
      Order.push_back(I);
    }
  std::stable_sort(Order.begin(), Order.end(), [&](unsigned A, unsigned B) {
    return U[A].First < U[B].First;
  });
  Homes.assign(F.Vars.size(), Home());
  auto TakeScratch = [&](unsigned V, unsigned Reg) {
    if (AtHead[V] || !scratchFits(V, Reg, U[V].First, U[V].Last))
      return false;
    for (unsigned P = std::max(U[V].First, 1u); P <= U[V].Last && P <= Pos; ++P)
      ScratchHomesAt[P] |= 1u << Reg;
    Homes[V].K = Home::InReg;
    Homes[V].Reg = uint8_t(Reg);
    return true;
  };
  std::vector<unsigned> Active; // variables holding R6-R9
  std::vector<unsigned> Spilled;
  unsigned FreeRegs = (1u << NumHomeRegs) - 1;
  for (unsigned V : Order) {
    for (size_t K = 0; K < Active.size();) {
      unsigned A = Active[K];
      if (U[A].Last < U[V].First) {
        FreeRegs |= 1u << (Homes[A].Reg - FirstHomeReg);
        Active.erase(Active.begin() + long(K));
      } else {
        ++K;
      }
    }
    if (FreeRegs) {
      unsigned R = unsigned(std::countr_zero(FreeRegs));
      FreeRegs &= ~(1u << R);
      Homes[V].K = Home::InReg;
      Homes[V].Reg = uint8_t(FirstHomeReg + R);
      Active.push_back(V);
      continue;
    }
    bool Placed = false;
    for (unsigned R = NumScratch - 1; R >= 1 && !Placed && !U[V].Param; --R)
      Placed = TakeScratch(V, R);
    if (Placed)
      continue;
    // Evict the least used of the live ones (ties: the one living longest).
    unsigned Victim = V;
    for (unsigned A : Active)
      if (U[A].Count < U[Victim].Count ||
          (U[A].Count == U[Victim].Count && U[A].Last > U[Victim].Last))
        Victim = A;
    if (Victim != V) {
      Homes[V] = Homes[Victim];
      Homes[Victim] = Home();
      std::replace(Active.begin(), Active.end(), Victim, V);
    }
    Spilled.push_back(Victim);
  }
  Ranges.clear();
  for (const VarUse &X : U)
    Ranges.push_back({X.First, X.Last});
  // The stack slots, shared likewise by variables whose ranges are
  // disjoint (each slot's last variable so far: the latest range).
  std::stable_sort(Spilled.begin(), Spilled.end(), [&](unsigned A, unsigned B) {
    return U[A].First < U[B].First;
  });
  std::vector<unsigned> SlotHolder;
  for (unsigned V : Spilled) {
    auto Free = std::find_if(SlotHolder.begin(), SlotHolder.end(),
                             [&](unsigned H) { return U[H].Last < U[V].First; });
    if (Free == SlotHolder.end()) {
      if (8 * (SlotHolder.size() + 1) > size_t(StackLimit)) {
        fail("not supported yet: more than 512 bytes of stack");
        return;
      }
      Free = SlotHolder.insert(SlotHolder.end(), V);
    }
    *Free = V;
    Homes[V].K = Home::OnStack;
    Homes[V].Off = int16_t(-8 * int(Free - SlotHolder.begin() + 1));
  }
  VarBytes = int(8 * SlotHolder.size());
  // A local whose last statement passes it to a call as argument k may
  // live in R<k+1> itself: computed there, no copy before the call.
  for (unsigned V : Order) {
    const Stmt *S = U[V].Last < StmtAt.size() ? StmtAt[U[V].Last] : nullptr;
    if (V < F.NumParams || Homes[V].K != Home::InReg || !S || !S->Value ||
        !isCall(*S->Value) || (S->K != SK::Assign && S->K != SK::ExprStmt))
      continue;
    const auto &Args = S->Value->Ops;
    for (unsigned K = 0; K < Args.size(); ++K)
      if (Args[K]->K == EK::Var && Args[K]->VarId == V) {
        TakeScratch(V, bpf::R1 + K);
        break;
      }
  }
  // A parameter arrives in R1+k (ctx in R1): it stays there if it can.
  for (unsigned K = 0; K < F.NumParams && K < U.size(); ++K)
    if (U[K].Count && Homes[K].K == Home::InReg)
      TakeScratch(K, bpf::R1 + K);
}

/// Scratch registers the code of S's own expressions may need (S's
/// statement number; nested statements have their own).
unsigned FnCompiler::stmtNeed(const Stmt &S) {
  switch (S.K) {
  case SK::Assign:
  case SK::ExprStmt:
    return isCall(*S.Value) ? 0 : need(*S.Value);
  case SK::Store:
    return need(*S.Value) + need(addrBase(*S.Addr, nullptr));
  case SK::Atomic: // Value's own register, R0 for CmpXchg's expected value
    return std::max(1u, need(*S.Value)) + need(addrBase(*S.Addr, nullptr)) +
           (S.Cond ? std::max(1u, need(*S.Cond)) : 0);
  case SK::If:
  case SK::Loop:
    return S.Cond && !fold(*S.Cond) ? needCond(*S.Cond) : 0;
  case SK::Return:
    return S.Value ? need(*S.Value) : 0;
  default:
    return 0;
  }
}

/// May variable V live in scratch register Reg (R1-R5) over its statements
/// First..Last? It must be live at no loop head (the caller checks; a cut
/// point binds R6-R9 and stack slots), and at each of those statements
///  * no call is made (a call writes R1-R5), but for V's own assignment
///    from a call at First (R0 goes to V after the call) and a call at Last
///    that reads V only as arguments computed before R<Reg> is written
///    (argument k goes to R<k+1>, in order; V is dead after its last
///    statement), as `r1 = *(u8 *)(r7 + 0); call scale` for `scale(b)`;
///  * Reg is no other variable's home, at most two scratch registers are
///    homes, and the rest still has room for the statement's need (the
///    estimate of NeedAt), an early return's value in R0 and one spare.
/// The code generator then leaves Reg out of those statements' scratch
/// registers (ScratchHomesAt).
/// Does the call E read V (in R<Reg>) only as arguments 0..Reg-1, which
/// genCall computes before it writes R<Reg> (argument Reg-1 into R<Reg>
/// itself, from V's own value)? Not when it passes `&V`.
static bool argumentsReadBefore(const Expr &E, unsigned V, unsigned Reg) {
  for (size_t K = 0; K < E.Ops.size(); ++K) {
    const Expr &A = *E.Ops[K];
    if (A.K == EK::AddrOf ? mentions(A, V) : mentions(A, V) && K + 1 > Reg)
      return false;
  }
  return true;
}

bool FnCompiler::scratchFits(unsigned V, unsigned Reg, unsigned First,
                             unsigned Last) {
  for (unsigned P = std::max(First, 1u); P <= Last && P < NeedAt.size(); ++P) {
    const Stmt *S = StmtAt[P];
    bool Call = S && S->Value && isCall(*S->Value) &&
                (S->K == SK::Assign || S->K == SK::ExprStmt);
    if (Call && !(P == First && S->K == SK::Assign && S->VarId == V) &&
        !(P == Last && argumentsReadBefore(*S->Value, V, Reg)))
      return false;
    unsigned Taken = unsigned(std::popcount(ScratchHomesAt[P] | (1u << Reg)));
    if ((ScratchHomesAt[P] & (1u << Reg)) || Taken > 2 ||
        NeedAt[P] + 2 > NumScratch - Taken)
      return false;
  }
  return true;
}
// ===---------------------------------------------------------------------===
// Liveness, for the loop heads: backward over the structured CIR, with the
// same view of constant conditions and effect-free expression statements as
// code generation. A loop's head set is the least fixpoint of one iteration.

void FnCompiler::addUses(const Expr &E, VarSet &S) {
  for (auto [V, End] = readVars(E); V < End && V < S.size(); ++V)
    S[V] = true;
  for (const auto &O : E.Ops)
    addUses(*O, S);
}

FnCompiler::VarSet FnCompiler::liveBefore(const Stmt &S, const VarSet &Out,
                                          const LiveTargets *L) {
  auto Union = [](VarSet A, const VarSet &B) {
    for (size_t I = 0; I < A.size(); ++I)
      A[I] = A[I] || B[I];
    return A;
  };
  switch (S.K) {
  case SK::Block: {
    VarSet Cur = Out;
    for (auto It = S.Body.rbegin(); It != S.Body.rend(); ++It)
      if (*It)
        Cur = liveBefore(**It, Cur, L);
    return Cur;
  }
  case SK::Assign: {
    VarSet Cur = Out;
    if (S.VarId < Cur.size())
      Cur[S.VarId] = false;
    addUses(*S.Value, Cur);
    return Cur;
  }
  case SK::Store:
  case SK::Atomic: {
    VarSet Cur = Out;
    addUses(*S.Addr, Cur);
    addUses(*S.Value, Cur);
    if (S.Cond)
      addUses(*S.Cond, Cur);
    return Cur;
  }
  case SK::If: {
    auto Branch = [&](const cir::StmtPtr &B) {
      return B ? liveBefore(*B, Out, L) : Out;
    };
    if (auto C = fold(*S.Cond))
      return Branch(*C ? S.Then : S.Else);
    VarSet Cur = Union(Branch(S.Then), Branch(S.Else));
    addUses(*S.Cond, Cur);
    return Cur;
  }
  case SK::Return: {
    VarSet Cur(Out.size(), false);
    if (S.Value)
      addUses(*S.Value, Cur);
    return Cur;
  }
  case SK::Assert:
    return Out;
  case SK::ExprStmt: {
    VarSet Cur = Out;
    if (S.Value && hasEffects(*S.Value))
      addUses(*S.Value, Cur);
    return Cur;
  }
  case SK::Break:
    return L ? L->Break : Out;
  case SK::Continue:
    return L ? L->Continue : Out;
  case SK::Loop:
    return liveLoopHead(S, Out);
  }
  return Out;
}

/// Live variables at the head of loop S (= before it), given those live
/// after it; recorded in HeadLive.
FnCompiler::VarSet FnCompiler::liveLoopHead(const Stmt &S, const VarSet &Out) {
  std::optional<uint64_t> C =
      S.Cond ? fold(*S.Cond) : std::optional<uint64_t>(1);
  if (S.TestFirst && C && !*C)
    return Out; // never entered, not compiled
  // The cut point binds what it states, though the code may no longer read
  // it (an inlined function's parameter copied into the loop variable, say):
  // such a variable is live at the head, so around the loop.
  VarSet Head(Out.size(), false);
  if (auto Orig = RW.OrigLoop.find(&S); Orig != RW.OrigLoop.end())
    Head = stateAtLoopHead(F, *Orig->second,
                           [this](const Expr &E) { return fold(E); });
  for (;;) {
    LiveTargets T;
    T.Break = Out;
    VarSet Next;
    if (S.TestFirst) {
      T.Continue = S.Step ? liveBefore(*S.Step, Head, &T) : Head;
      Next = S.Then ? liveBefore(*S.Then, T.Continue, &T) : T.Continue;
      if (!C) { // the test may leave the loop
        for (size_t I = 0; I < Next.size(); ++I)
          Next[I] = Next[I] || Out[I];
        addUses(*S.Cond, Next);
      }
    } else {
      VarSet AtCond = C ? (*C ? Head : Out) : Head;
      if (!C) {
        for (size_t I = 0; I < AtCond.size(); ++I)
          AtCond[I] = AtCond[I] || Out[I];
        addUses(*S.Cond, AtCond);
      }
      T.Continue = S.Step ? liveBefore(*S.Step, AtCond, &T) : AtCond;
      Next = S.Then ? liveBefore(*S.Then, T.Continue, &T) : T.Continue;
    }
    // (Next may lack what the cut point states: compare with the union.)
    VarSet Grown = Head;
    for (size_t I = 0; I < Grown.size(); ++I)
      Grown[I] = Grown[I] || Next[I]; // grows monotonically: terminates
    if (Grown == Head)
      break;
    Head = std::move(Grown);
  }
  HeadLive[&S] = Head;
  return Head;
}

/// Adds to D what S assigns on every path through it that continues after
/// it; true when `Loop` lies in S, D then holding what every path entering
/// the loop has assigned. (A loop's body may not run: it adds nothing.)
bool FnCompiler::assignedBefore(const Stmt &S, const Stmt &Loop, VarSet &D) {
  switch (S.K) {
  case SK::Block:
    for (const auto &B : S.Body)
      if (B && assignedBefore(*B, Loop, D))
        return true;
    return false;
  case SK::Assign:
    if (S.VarId < D.size())
      D[S.VarId] = true;
    return false;
  case SK::If: {
    std::optional<uint64_t> C = fold(*S.Cond);
    VarSet Then = D, Else = D;
    bool InThen = S.Then && (!C || *C), InElse = S.Else && (!C || !*C);
    if (InThen && assignedBefore(*S.Then, Loop, Then))
      return D = Then, true;
    if (InElse && assignedBefore(*S.Else, Loop, Else))
      return D = Else, true;
    bool ThenJoins = (!C || *C) && !(InThen && alwaysReturns(*S.Then));
    bool ElseJoins = (!C || !*C) && !(InElse && alwaysReturns(*S.Else));
    for (size_t I = 0; I < D.size(); ++I)
      D[I] = (!ThenJoins || Then[I]) && (!ElseJoins || Else[I]);
    return false;
  }
  case SK::Loop: {
    if (&S == &Loop)
      return true;
    // Loop inside S's body is entered after the body's statements before
    // it, in the iteration that enters it.
    VarSet Body = D;
    if (S.Then && assignedBefore(*S.Then, Loop, Body))
      return D = Body, true;
    return false;
  }
  default:
    return false;
  }
}

/// Fills ZeroAtEntry and ZeroBeforeLoop (before assignHomes widens live
/// ranges to whole loops): a variable that occurs before the loop is live
/// from the entry, so its home holds nothing else until the loop.
void FnCompiler::unassignedAtHeads(std::vector<VarUse> &U) {
  ZeroAtEntry.clear();
  ZeroBeforeLoop.clear();
  for (const LoopRange &R : LoopRanges) {
    auto H = HeadLive.find(R.Loop);
    if (H == HeadLive.end())
      continue;
    VarSet Assigned(F.Vars.size(), false);
    assignedBefore(*Body, *R.Loop, Assigned);
    for (unsigned V = F.NumParams; V < U.size() && V < H->second.size(); ++V) {
      if (!H->second[V] || Assigned[V] || !U[V].Count)
        continue;
      if (F.Vars[V].Ty.isPtr()) {
        fail("not supported yet: the pointer '" + F.Vars[V].Name +
             "' is live at the loop head (line " +
             std::to_string(R.Loop->L.Line) +
             ") but may be unassigned when the loop is entered");
        return;
      }
      if (U[V].First < R.First) {
        if (std::find(ZeroAtEntry.begin(), ZeroAtEntry.end(), V) ==
            ZeroAtEntry.end())
          ZeroAtEntry.push_back(V);
        U[V].First = 0;
      } else {
        ZeroBeforeLoop[R.Loop].push_back(V);
      }
    }
  }
}

void FnCompiler::zeroHome(unsigned V, const char *Why) {
  const Home &H = Homes[V];
  note(F.Vars[V].Name + " -> " + homeText(H) + ": 0 (" + Why + ")");
  if (H.K == Home::InReg) {
    emit(bpf::movImm64(H.Reg, 0));
  } else if (H.K == Home::OnStack) {
    uint8_t R = alloc();
    emit(bpf::movImm64(R, 0));
    emit(bpf::stx(8, R10, H.Off, R));
    release(R);
  } else {
    fail("internal error: a variable live at a loop head has no home");
  }
}

void FnCompiler::noteAssigned(const Stmt &S, std::vector<bool> &M) {
  if (S.K == SK::Assign && S.VarId < M.size())
    M[S.VarId] = true;
  for (const cir::StmtPtr *C : {&S.Then, &S.Else, &S.Step})
    if (*C)
      noteAssigned(**C, M);
  for (const auto &B : S.Body)
    if (B)
      noteAssigned(*B, M);
}

void FnCompiler::finish(CompiledProgram &Out) {
  std::vector<bool> IsHead(LabelPos.size(), false);
  for (const CutAt &C : Cuts)
    IsHead[size_t(C.Label)] = true;
  peephole(Code, LabelPos, IsHead);
  // The checker enters a program at instruction 0, which therefore cannot
  // be a cut point: a loop head there gets an instruction in front.
  for (const CutAt &C : Cuts)
    if (LabelPos[C.Label] == 0 && !Code.empty()) {
      MI Pad;
      Pad.I = bpf::movImm64(bpf::R0, 0);
      Pad.Notes = std::move(Code[0].Notes);
      Code[0].Notes.clear();
      Pad.Trail = "(a loop head cannot be instruction 0)";
      Pad.Loc = Code[0].Loc;
      Code.insert(Code.begin(), std::move(Pad));
      for (long &P : LabelPos)
        if (P >= 0)
          ++P;
      break;
    }
  Out.Insns.clear();
  Out.Locs.clear();
  Out.MapRelocs.clear();
  Out.CallRelocs.clear();
  AsmFunctionInfo Info;
  for (size_t I = 0; I < Code.size(); ++I) {
    BpfInsn Ins = Code[I].I;
    if (Code[I].Target >= 0) {
      long T = LabelPos[Code[I].Target];
      long Off = T - long(I) - 1;
      // Backward only to a loop head (the back edges).
      bool Back = Off < 0 && isHeadLabel(Code[I].Target);
      if (T < 0 || T >= long(Code.size()) || (Off < 0 && !Back) ||
          Off < INT16_MIN || Off > INT16_MAX) {
        fail("internal error: jump target out of range");
        return;
      }
      Ins.Off = int16_t(Off);
    }
    if (Code[I].Map >= 0 || Code[I].Global >= 0) {
      const std::string &Name = Code[I].Map >= 0
                                    ? Maps[size_t(Code[I].Map)].Name
                                    : Globals[size_t(Code[I].Global)].Name;
      Out.MapRelocs.push_back({uint32_t(I), Name});
      Info.Symbols[I] = Name;
    }
    if (Code[I].Callee >= 0) {
      const std::string &Name = Funcs[size_t(Code[I].Callee)].Name;
      Out.CallRelocs.push_back({uint32_t(I), unsigned(Code[I].Callee), Name});
      Info.Symbols[I] = Name;
    }
    Out.Insns.push_back(Ins);
    Out.Locs.push_back(Code[I].Loc);
    Info.Notes.push_back(Code[I].Notes);
    Info.Trailing.push_back(Code[I].Trail);
  }
  Out.Cuts.clear();
  for (CutAt &C : Cuts) {
    long H = LabelPos[C.Label];
    if (H <= 0 || H >= long(Code.size()) ||
        (H > 0 && bpf::isLddw(Out.Insns[size_t(H - 1)]))) {
      fail("internal error: loop head at a bad instruction index");
      return;
    }
    C.Cut.Insn = uint32_t(H);
    for (size_t K = 0; K < C.Enclosing.size(); ++K)
      C.Cut.Ghosts[K].Loop = uint32_t(LabelPos[Cuts[C.Enclosing[K]].Label]);
    auto &N = Info.Notes[size_t(H)];
    N.insert(N.end(), C.Cut.Text.begin(), C.Cut.Text.end());
    Out.Cuts.push_back(C.Cut);
  }

  if (F.isEntry())
    Info.Header.push_back("function " + F.Name + ": section \"" + F.Section +
                          "\", program type " +
                          cir::programTypeName(F.ProgType));
  else
    Info.Header.push_back("function " + F.Name +
                          ": in .text, called by bpf-to-bpf calls");
  if (F.Contract && F.Contract->Pre)
    Info.Header.push_back("require: " +
                          printAssertionText(*F.Contract->Pre));
  if (F.Contract && F.Contract->Post)
    Info.Header.push_back("ensure: " + printAssertionText(*F.Contract->Post));
  if (F.isEntry())
    Info.Header.push_back("post: " + formatPostCondition(Post) +
                          " (at every exit)");
  Info.Header.insert(Info.Header.end(), ContractText.begin(),
                     ContractText.end());
  if (!Out.Cuts.empty())
    Info.Header.push_back(
        "cut points: " + std::to_string(Out.Cuts.size()) +
        " (loop heads; in their assertions len is the packet length, x1.. "
        "are existentials)");
  Info.Header.push_back(
      "stack: " + std::to_string(VarBytes + CallBufBytes + MaxSpillBytes) +
      " bytes (" + std::to_string(VarBytes) + " for variables, " +
      (CallBufBytes ? std::to_string(CallBufBytes) + " for call arguments, "
                    : std::string()) +
      std::to_string(MaxSpillBytes) + " for spills)");

  Out.Name = F.Name;
  Out.Section = F.Section;
  Out.L = F.L;
  Out.Params.assign(F.Vars.begin(), F.Vars.begin() + F.NumParams);
  Out.ReturnType = F.ReturnType;
  Out.Proto = F.Proto;
  Out.FuncPre = FuncPre;
  Out.FuncPost = FuncPost;
  Out.Post = Post;
  // As `clang -S -g`, -S names each statement's C line before its code: at
  // the slots of the object's line info records.
  if (!Source.Text.empty()) {
    const std::vector<std::string> Lines = splitLines(Source.Text);
    for (const LineRecord &R : lineRecords(Out)) {
      std::string Text = R.Line <= Lines.size() ? Lines[R.Line - 1] : "";
      Text.erase(0, Text.find_first_not_of(" \t"));
      auto &N = Info.Notes[R.Insn];
      N.insert(N.begin(), Source.FileName + ":" + std::to_string(R.Line) +
                              ":" + std::to_string(R.Col) + ": " + Text);
    }
  }
  if (States)
    noteStates(Out, Info, IsHead);
  Out.Asm = printFunctionAsm(F.Name, F.Section, Out.Insns, Info);
}

/// VEP-C's state before each statement, at the statement's first
/// instruction, over the variables' homes there (StateLowering.cpp). A
/// variable counts as held in a register only where the register is live:
/// the clean-ups remove a definition no path reads (`x = 0` overwritten
/// before any read), so a dead register may hold anything; a variable on
/// the stack one of whose assignments the rewriting dropped so
/// (RewrittenBody::Overwritten) is not placed at all. A `return`'s
/// state is not placed: its value may be set ahead of the test that leads
/// to it (section 1, **Returns**), so it has no first instruction of its
/// own.
void FnCompiler::noteStates(CompiledProgram &Out, AsmFunctionInfo &Info,
                            const std::vector<bool> &IsHead) {
  const std::vector<unsigned> Live = liveness(Code, LabelPos, IsHead).In;
  std::vector<int> Where(F.Vars.size(), NoHome);
  for (size_t V = 0; V < Homes.size() && V < Where.size(); ++V)
    if (Homes[V].K != Home::None)
      Where[V] = Homes[V].K == Home::InReg ? Homes[V].Reg : Homes[V].Off;
  std::map<std::pair<unsigned, unsigned>, unsigned> Paths;
  for (const cir::ProofState &S : States->States)
    ++Paths[{S.L.Line, S.L.Col}];
  Out.States.clear();
  Out.UnplacedStates = 0;
  for (const cir::ProofState &S : States->States) {
    unsigned Pos = 0;
    for (unsigned P = 1; P < StmtAt.size() && !Pos; ++P)
      if (StmtAt[P] && StmtAt[P]->L.Line == S.L.Line &&
          StmtAt[P]->L.Col == S.L.Col)
        Pos = P;
    size_t Slot = 0;
    while (Slot < Out.Locs.size() && (Out.Locs[Slot].Line != S.L.Line ||
                                      Out.Locs[Slot].Col != S.L.Col))
      ++Slot;
    if (!Pos || Slot == Out.Locs.size() || StmtAt[Pos]->K == SK::Return) {
      ++Out.UnplacedStates;
      continue;
    }
    PlacedState P;
    P.Insn = uint32_t(Slot);
    P.Paths = Paths[{S.L.Line, S.L.Col}];
    P.LoopEntry = StmtAt[Pos]->K == SK::Loop;
    placeStatementState(S, Where, Ranges, Pos, P);
    for (size_t I = 0; I < P.Where.size(); ++I) {
      int &W = P.Where[I];
      if (W == PlacedState::NoPlace)
        continue;
      if (W >= 0 ? !(Live[Slot] >> W & 1)
                 : RW.Overwritten.count(S.Vars[I].Var) != 0)
        W = PlacedState::NoPlace;
    }
    std::vector<std::string> Text = formatPlacedState(F, P);
    auto &N = Info.Notes[Slot];
    N.insert(N.end(), Text.begin(), Text.end());
    Out.States.push_back(std::move(P));
  }
  std::stable_sort(Out.States.begin(), Out.States.end(),
                   [](const PlacedState &A, const PlacedState &B) {
                     return A.Insn < B.Insn;
                   });
  Info.Header.push_back(
      "VEP-C states: " + std::to_string(Out.States.size()) +
      " at statements' first instructions" +
      (Out.UnplacedStates
           ? ", " + std::to_string(Out.UnplacedStates) +
                 " not shown (at returns and at statements without code "
                 "of their own)"
           : std::string()));
}

bool FnCompiler::run(CompiledProgram &Out, std::string &Err) {
  if (F.isEntry() && F.NumParams > 1) {
    Err = "not supported yet: '" + F.Name +
          "' takes more than one parameter (a program takes ctx only)";
    return false;
  }
  if (F.NumParams > MaxCallArgs) {
    Err = "not supported yet: '" + F.Name +
          "' takes more than 5 parameters (eBPF passes at most 5)";
    return false;
  }
  if (F.NumParams > F.Vars.size() || !F.Body) {
    Err = "internal error: malformed CIR function '" + F.Name + "'";
    return false;
  }
  if (!F.ReturnType.isVoid() && !validType(F.ReturnType)) {
    Err = "not supported yet: return type '" + F.ReturnType.Spelling + "'";
    return false;
  }
  validate(*F.Body);
  if (ok() && !ExpectedOutputs.empty())
    fail("internal error: malformed CIR (a call writing '&v' without "
         "'v = CallOutput' after it)");
  if (!ok()) {
    Err = Error;
    return false;
  }
  if (F.isEntry()) {
    std::string PostErr;
    if (!lowerPostCondition(F, Post, PostErr)) {
      Err = PostErr;
      return false;
    }
    ExitNote = "post: " + formatPostCondition(Post);
  } else {
    if (!lowerContract(F, FuncPre, FuncPost, ContractText, Err))
      return false;
    ExitNote = "post: the contract's (function header)";
  }

  rewriteForCodeGen(F, [this](const Expr &E) { return fold(E); }, RW);
  Body = RW.Body.get();
  liveBefore(*Body, VarSet(F.Vars.size(), false), nullptr); // loop heads
  assignHomes();
  if (ok() && VarBytes + CallBufBytes > StackLimit)
    fail("not supported yet: more than 512 bytes of stack");
  CurLoc = F.L;
  if (F.isEntry()) {
    note(cir::packetFields(F.ProgType).Data >= 0
             ? "entry: R1 = ctx; store_uchar_array(data, data_end - data, l)"
             : "entry: R1 = ctx (no direct packet access)");
  } else {
    std::string Args;
    for (unsigned K = 0; K < F.NumParams; ++K)
      Args += (K ? ", r" : "r") + std::to_string(K + 1) + " = " +
              F.Vars[K].Name;
    note("entry: " + (Args.empty() ? std::string("no parameters") : Args) +
         "; r10 = this function's own frame");
  }
  {
    std::string Map;
    for (size_t I = 0; I < Homes.size(); ++I)
      if (Homes[I].K != Home::None)
        Map += (Map.empty() ? "" : ", ") + F.Vars[I].Name + " -> " +
               homeText(Homes[I]);
    note("homes: " + (Map.empty() ? std::string("(none)") : Map));
  }
  // Each parameter to its home: from R1+k into R6-R9 or a slot, which no
  // other parameter arrives in.
  for (unsigned K = 0; K < F.NumParams; ++K) {
    const Home &H = Homes[K];
    uint8_t Arg = uint8_t(bpf::R1 + K);
    if (H.K == Home::InReg && H.Reg != Arg)
      emit(bpf::mov64(H.Reg, Arg));
    else if (H.K == Home::OnStack)
      emit(bpf::stx(8, R10, H.Off, Arg));
  }
  for (unsigned V : ZeroAtEntry)
    zeroHome(V, "live at a loop head, may be unassigned before it");
  genStmt(*Body);
  if (ok() && Reachable) {
    if (F.ReturnType.isVoid()) {
      emit(bpf::movImm64(bpf::R0, 0));
    } else {
      fail("not supported yet: control may reach the end of non-void "
           "function '" + F.Name + "' without a return");
    }
  }
  if (ok() && (Reachable || (!PendingExits.empty() && !PendingExits[0].empty()))) {
    bindExits(); // jumps to an exit no later return emitted
    emit(bpf::exitInsn(), -1, ExitNote);
  }
  if (ok())
    finish(Out);
  if (ok() && Out.Insns.size() > 1000000)
    fail("not supported yet: program larger than 1M instructions");
  if (!ok()) {
    Err = Error;
    return false;
  }
  return true;
}

} // namespace

bool compileFunction(const cir::Function &F, CompiledProgram &Out,
                     std::string &Err, const std::vector<cir::MapDef> &Maps,
                     const std::vector<cir::Function> &Functions,
                     const std::vector<cir::GlobalVar> &Globals,
                     const SourceText &Source,
                     const cir::FunctionProof *States) {
  Out = CompiledProgram();
  FnCompiler C(F, Maps, Functions, Globals, Source, States);
  return C.run(Out, Err);
}

namespace {

/// The functions E calls, in order of appearance (valid indices only: the
/// code generator reports the others).
void collectCallees(const Expr &E, const cir::Module &M,
                    std::vector<unsigned> &Out) {
  if (E.K == EK::FuncCall && E.Value < M.Functions.size() &&
      !M.Functions[E.Value].isEntry())
    Out.push_back(unsigned(E.Value));
  for (const auto &O : E.Ops)
    if (O)
      collectCallees(*O, M, Out);
}

void collectCallees(const Stmt &S, const cir::Module &M,
                    std::vector<unsigned> &Out) {
  for (const cir::ExprPtr *E : {&S.Addr, &S.Value, &S.Cond})
    if (*E)
      collectCallees(**E, M, Out);
  for (const cir::StmtPtr *C : {&S.Then, &S.Else, &S.Step})
    if (*C)
      collectCallees(**C, M, Out);
  for (const auto &B : S.Body)
    if (B)
      collectCallees(*B, M, Out);
}

} // namespace

bool compileModule(const cir::Module &M, std::vector<CompiledProgram> &Out,
                   std::string &Err, const cir::Function **FailedAt,
                   const std::vector<cir::FunctionProof> *States) {
  Out.clear();
  const std::vector<cir::Function> &Fs = M.Functions;
  auto Fail = [&](const cir::Function &F, const std::string &Why) {
    Err = Why;
    if (FailedAt)
      *FailedAt = &F;
    return false;
  };
  // The reverse post-order of a depth-first search from the entry points
  // is a topological order of the call graph with callers first; a call of
  // a function still on the search path is recursion.
  enum : uint8_t { Unseen, OnPath, Done };
  std::vector<uint8_t> Mark(Fs.size(), Unseen);
  std::vector<unsigned> PostOrder;
  struct Frame {
    unsigned F;
    std::vector<unsigned> Callees;
    size_t Next = 0;
  };
  for (unsigned Root = 0; Root < Fs.size(); ++Root) {
    if (!Fs[Root].isEntry())
      continue;
    std::vector<Frame> Path;
    auto Enter = [&](unsigned F) {
      Mark[F] = OnPath;
      Frame Fr{F, {}, 0};
      if (Fs[F].Body)
        collectCallees(*Fs[F].Body, M, Fr.Callees);
      Path.push_back(std::move(Fr));
    };
    Enter(Root);
    while (!Path.empty()) {
      Frame &Top = Path.back();
      if (Top.Next == Top.Callees.size()) {
        Mark[Top.F] = Done;
        if (!Fs[Top.F].isEntry())
          PostOrder.push_back(Top.F);
        Path.pop_back();
        continue;
      }
      unsigned C = Top.Callees[Top.Next++];
      if (Mark[C] == OnPath)
        return Fail(Fs[Top.F], "not supported yet: recursive call of '" +
                                   Fs[C].Name + "' in '" + Fs[Top.F].Name +
                                   "' (eBPF forbids recursion)");
      if (Mark[C] == Unseen)
        Enter(C);
    }
  }
  std::vector<unsigned> Order;
  for (unsigned I = 0; I < Fs.size(); ++I)
    if (Fs[I].isEntry())
      Order.push_back(I);
  Order.insert(Order.end(), PostOrder.rbegin(), PostOrder.rend());

  std::vector<long> TextStart(Fs.size(), -1);
  long TextInsns = 0;
  for (unsigned I : Order) {
    CompiledProgram P;
    std::string E;
    if (!compileFunction(Fs[I], P, E, M.Maps, Fs, M.Globals,
                         {M.FileName, M.Source},
                         States && I < States->size() ? &(*States)[I]
                                                      : nullptr))
      return Fail(Fs[I], E);
    if (P.isTextFunction()) {
      TextStart[I] = TextInsns;
      TextInsns += long(P.Insns.size());
    }
    Out.push_back(std::move(P));
  }
  if (TextInsns > INT32_MAX)
    return Fail(Fs[Order.back()], "not supported yet: more than 2^31 "
                                  "instructions in .text");
  // Every callee was compiled: it is reached from the caller.
  for (CompiledProgram &P : Out)
    for (const CallRelocation &C : P.CallRelocs)
      P.Insns[C.Insn].Imm = int32_t(TextStart[C.Callee] - 1);
  return true;
}

} // namespace vep::compiler
