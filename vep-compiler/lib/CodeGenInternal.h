//===- CodeGenInternal.h - Shared helpers of the code generator --*- C++ -*-===//
//
// Private to vep_compiler: the function-level assembly printer used by
// compileFunction and a small printer of annotation text for comments.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_COMPILER_LIB_CODEGENINTERNAL_H
#define VEP_COMPILER_LIB_CODEGENINTERNAL_H

#include "vep/cir/CIR.h"
#include "vep/compiler/BpfInsn.h"
#include "vep/compiler/CutPoint.h"
#include "vep/logic/Assertion.h"

#include <climits>
#include <functional>
#include <map>
#include <optional>
#include <string>
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

} // namespace vep::compiler

#endif // VEP_COMPILER_LIB_CODEGENINTERNAL_H
