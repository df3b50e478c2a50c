//===- CodeGenInternal.h - Shared helpers of the code generator --*- C++ -*-===//
//
// Private to vep_compiler: the function-level assembly printer used by
// compileFunction and a small printer of annotation text for comments.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_COMPILER_LIB_CODEGENINTERNAL_H
#define VEP_COMPILER_LIB_CODEGENINTERNAL_H

#include "vep/compiler/BpfInsn.h"
#include "vep/logic/Assertion.h"

#include <string>
#include <vector>

namespace vep::compiler {

/// Comments of one function's assembly text.
struct AsmFunctionInfo {
  std::vector<std::string> Header;             // lines before the function
  std::vector<std::vector<std::string>> Notes; // lines before slot i
  std::vector<std::string> Trailing;           // after slot i's index
};

/// The annotated text of one function: section directive, symbol, one line
/// per instruction ("<insn>  # <index>[: trailing]"), local labels
/// `.LBB_<Name>_<k>` at jump targets.
std::string printFunctionAsm(const std::string &Name,
                             const std::string &Section,
                             const std::vector<BpfInsn> &Insns,
                             const AsmFunctionInfo &Info);

/// Annotation text for comments (fully parenthesised where nested).
std::string printTermText(const logic::Term &T);
std::string printAssertionText(const logic::Assertion &A);

std::string int128ToString(__int128 V);

} // namespace vep::compiler

#endif // VEP_COMPILER_LIB_CODEGENINTERNAL_H
