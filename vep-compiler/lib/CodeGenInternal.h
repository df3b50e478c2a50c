//===- CodeGenInternal.h - Shared helpers of the code generator --*- C++ -*-===//
//
// Private to vep_compiler: the function-level assembly printer used by
// compileFunction and a small printer of annotation text for comments.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_COMPILER_LIB_CODEGENINTERNAL_H
#define VEP_COMPILER_LIB_CODEGENINTERNAL_H

#include "vep/cir/CIR.h"
#include "vep/cir/CProof.h"
#include "vep/compiler/BpfInsn.h"
#include "vep/compiler/CodeGen.h"
#include "vep/compiler/CutPoint.h"
#include "vep/logic/Assertion.h"

#include <climits>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace vep::compiler {

/// Comments of one function's assembly text.
struct AsmFunctionInfo {
  std::vector<std::string> Header;             // lines before the function
  std::vector<std::vector<std::string>> Notes; // lines before slot i
  std::vector<std::string> Trailing;           // after slot i's index
  std::map<size_t, std::string> Symbols;       // lddw slot -> symbol loaded
};

/// The annotated text of one function: section directive, symbol, one line
/// per instruction ("<insn>  # <index>[: trailing]"), local labels
/// `.LBB_<Name>_<k>` at jump targets, `r1 = <symbol> ll` for the lddw
/// slots in Info.Symbols.
std::string printFunctionAsm(const std::string &Name,
                             const std::string &Section,
                             const std::vector<BpfInsn> &Insns,
                             const AsmFunctionInfo &Info);

/// Annotation text for comments (fully parenthesised where nested).
std::string printTermText(const logic::Term &T);
std::string printAssertionText(const logic::Assertion &A);

std::string int128ToString(__int128 V);

/// What the code generator knows about one loop head, for lowerCutPoint.
constexpr int NoHome = INT_MIN;
struct LoopHead {
  const cir::Stmt *Loop = nullptr;
  const std::vector<cir::MapDef> *Maps = nullptr; ///< the module's maps
  std::vector<bool> Live;     ///< per variable: live at the head
  std::vector<int> Where;     ///< per variable: register 0..9, slot -8k, NoHome
  std::vector<bool> Modified; ///< per variable: assigned inside the loop
  /// A called function's pre (null in an entry point): its existentials
  /// stay fixed for the whole call, so the cut point numbers its own after
  /// them and binds a parameter the function never assigns to the pre's
  /// form (a buffer parameter to BUF, offset 0, named by its register).
  const CutPoint *FuncPre = nullptr;
  /// The (original) loops around Loop, outermost first: the cut point gets
  /// a ghost for each, its variant over this head's variables.
  std::vector<const cir::Stmt *> Enclosing;
};

/// The code generator's constant folder: E's canonical value if constant.
using FoldFn = std::function<std::optional<uint64_t>(const cir::Expr &)>;

/// The cut-point assertion of the loop head H (LoopLowering.cpp): bindings
/// for the variables live there, facts from the types and the invariant,
/// the rank from the variant. Out.Insn is left 0 (the caller knows the
/// head's index). NonNeg[v] is set for the signed variables the invariant
/// makes non-negative at the head (a top-level `c <= v`, c >= 0). False
/// with Err "not supported yet: ..." otherwise.
bool lowerCutPoint(const cir::Function &F, const LoopHead &H,
                   const FoldFn &Fold, CutPoint &Out,
                   std::vector<bool> &NonNeg, std::string &Err);

/// The variables of F that the cut point of Loop (a loop of F.Body) names,
/// in its invariant as the checker sees it or its variant, and whose value
/// at the head is not a known constant: the code generator keeps them live
/// there (and so around the loop) so that the cut point can bind them.
std::vector<bool> stateAtLoopHead(const cir::Function &F, const cir::Stmt &Loop,
                                  const FoldFn &Fold);

/// VEP-C's state S before the statement numbered Pos (StateLowering.cpp,
/// docs/compiler.md section 3): each variable holding a value is placed at
/// its home (Where, as LoopHead::Where) when its range (Ranges: first and
/// last statement number) covers Pos past its first occurrence, else it is
/// an existential. Out.Insn, Paths and LoopEntry are the caller's.
void placeStatementState(const cir::ProofState &S,
                         const std::vector<int> &Where,
                         const std::vector<std::pair<unsigned, unsigned>> &Ranges,
                         unsigned Pos, PlacedState &Out);
/// The -S comment lines of a placed state of F.
std::vector<std::string> formatPlacedState(const cir::Function &F,
                                           const PlacedState &P);

/// The contract of F, a function entry points call, as the checker's
/// function table states it (ContractLowering.cpp, docs/compiler.md
/// section 8): Pre binds R1..R5 (insn 0), Post binds R0; Text is the -S
/// comment. False with Err "not supported yet: ..." otherwise.
bool lowerContract(const cir::Function &F, CutPoint &Pre, CutPoint &Post,
                   std::vector<std::string> &Text, std::string &Err);


// ---- CIR helpers shared by CodeGen.cpp and CodeGenRewrite.cpp -------------
// (a namespace of their own: LoopLowering.cpp has private twins of some)
namespace cirutil {

inline uint64_t maskOf(unsigned Bits) {
  return Bits >= 64 ? ~uint64_t(0) : ((uint64_t(1) << Bits) - 1);
}
inline int64_t sext(uint64_t V, unsigned Bits) {
  if (Bits >= 64)
    return int64_t(V);
  uint64_t M = uint64_t(1) << (Bits - 1);
  V &= maskOf(Bits);
  return int64_t((V ^ M) - M);
}
inline unsigned bitsOf(const cir::Type &T) { return T.isPtr() ? 64 : T.Bits; }
inline bool isSignedInt(const cir::Type &T) { return !T.isPtr() && T.Signed; }

/// Casts that do not change the canonical register contents.
inline bool isNoopCast(const cir::Type &From, const cir::Type &To) {
  unsigned FB = bitsOf(From), TB = bitsOf(To);
  return TB == FB || (TB > FB && !isSignedInt(From));
}

inline const cir::Expr &stripNoop(const cir::Expr &E) {
  const cir::Expr *P = &E;
  while (P->K == cir::Expr::Kind::Cast && P->Ops.size() == 1 && P->Ops[0] &&
         isNoopCast(P->Ops[0]->Ty, P->Ty))
    P = P->Ops[0].get();
  return *P;
}

/// A helper call or a bpf-to-bpf call: the whole value of an assignment or
/// an expression statement, with the same argument rules (CIR.h).
inline bool isCall(const cir::Expr &E) {
  return E.K == cir::Expr::Kind::Call || E.K == cir::Expr::Kind::FuncCall;
}

/// E has an effect beyond its value: a load (it may fault) or a call. An
/// expression statement without one emits nothing.
inline bool hasEffects(const cir::Expr &E) {
  if (E.K == cir::Expr::Kind::Load || isCall(E))
    return true;
  for (const auto &O : E.Ops)
    if (O && hasEffects(*O))
      return true;
  return false;
}

} // namespace cirutil

// ---- The rewriting before code generation (CodeGenRewrite.cpp) -------------

/// The function body the code generator compiles, a rewritten copy of
/// F.Body (docs/compiler.md, section 1, "Forwarding").
struct RewrittenBody {
  cir::StmtPtr Body;
  /// A loop of Body -> the loop of F.Body it copies (for lowerCutPoint).
  std::unordered_map<const cir::Stmt *, const cir::Stmt *> OrigLoop;
  /// Statements of Body standing for removed assignments -> a note for -S.
  std::unordered_map<const cir::Stmt *, std::string> Notes;
  /// Nodes no longer in Body but perhaps in the folder's memo (by address).
  std::vector<cir::ExprPtr> Keep;
  /// The variables an assignment of which was dropped as overwritten
  /// before any read: after it, their homes hold an earlier value.
  std::set<unsigned> Overwritten;
};

/// A copy of F.Body in which
///  * a local assigned exactly once, `v = e`, with e a constant, a variable
///    w or w plus constant pointer offsets (through casts that keep the
///    value), whose address is never taken and whose every use follows the
///    assignment in the same block with no loop and no assignment of w in
///    between, is forwarded: each use reads e, the assignment is dropped;
///  * an assignment without effects (no load, no call) to a local that is
///    never read, or not read before its block assigns it again, returns
///    or ends the function (no break, continue, loop or function call in
///    between), is dropped;
///  * a branch that reads the element past the end of a local array
///    (cir::Variable::PastEndOf, `a[i]` with i out of bounds) is dropped
///    with its test: VEP-C proved it unreachable.
/// A variable a loop's cut point states (stateAtLoopHead) counts as read at
/// that loop's head.
/// Both keep the value of every remaining variable at every point, and a
/// forwarded variable is live at no loop head, so the cut points (lowered
/// from F) describe the compiled code exactly.
void rewriteForCodeGen(const cir::Function &F, const FoldFn &Fold,
                       RewrittenBody &Out);

// ---- Machine code and the peephole pass (Peephole.cpp) ---------------------

/// One instruction slot as the code generator builds it: a jump names a
/// label (LabelPos[Target] is the slot the label is bound to), comments ride
/// along.
struct MInsn {
  BpfInsn I;
  int Target = -1; ///< label of a jump
  std::vector<std::string> Notes;
  std::string Trail;
  cir::Loc Loc; ///< the C statement it was generated for (Line 0: none)
  int Map = -1; ///< an lddw loading the address of the module's map Map
  int Global = -1; ///< an lddw loading the address of the module's global
  int Callee = -1; ///< a bpf-to-bpf call of the module's function Callee
};

/// Removes slot I: its notes move to the next slot, labels after it move up.
void eraseInsn(std::vector<MInsn> &Code, std::vector<long> &LabelPos,
               size_t I);

/// Local clean-ups of a finished function, repeated to a fixed point. Each
/// keeps the value of every register and memory byte on every path, so the
/// assertions carried down (entry, exits, cut points) stay exact:
///  * a jump to the next slot is removed;
///  * `goto L` where L holds `exit` becomes that `exit` (R0 is set already);
///  * a move of a constant into a register that holds that constant on every
///    path to it is removed, and so is a 64-bit move between two registers
///    that hold the same value on every path (`r7 = r0; r0 = r7`: a
///    call's result to its home, then returned), and a load into a
///    register that holds
///    the value of that very load on every path (same base register, not
///    written since, same offset and size, no store or call since).
///  * an ALU instruction whose result no path reads is removed (backward
///    liveness: all registers are read at a loop head, R0 at exit, R1-R5
///    at a call);
///  * a conditional jump on a copy `rX = rS` made on the straight line
///    before it (no label, neither register written since), rX dead after
///    the jump, tests rS instead.
/// IsHead[L] says label L is a loop head (a cut point): nothing is known
/// there, and a jump to it is a back edge that stays a jump.
void peephole(std::vector<MInsn> &Code, std::vector<long> &LabelPos,
              const std::vector<bool> &IsHead);

/// Backward liveness over the slots of Code, to a fixpoint over the back
/// edges: every register counts as read at a loop head (its cut point binds
/// some; HeadAt marks those slots), R0 at `exit`, R1-R5 at a call.
struct Liveness {
  std::vector<unsigned> In;  ///< registers (bit k: Rk) live at slot I's start
  std::vector<unsigned> Out; ///< and at its end
  std::vector<bool> HeadAt;
};
Liveness liveness(const std::vector<MInsn> &Code, const std::vector<long> &LabelPos,
                  const std::vector<bool> &IsHead);

} // namespace vep::compiler

#endif // VEP_COMPILER_LIB_CODEGENINTERNAL_H
