//===- PostCondition.h - A program's exit assertion over R0 -----*- C++ -*-===//
//
// The compiler lowers a function's Ensure clause to this form: a disjunction
// of conjunctions of facts  A*R0 + B >= 0, R0 read as unsigned. The proof
// writer records each disjunct as one alternative of the program's exit
// assertion (docs/proof-format.md 7.6, exit_post). No disjuncts means no
// constraint on the return value.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_COMPILER_POSTCONDITION_H
#define VEP_COMPILER_POSTCONDITION_H

#include <vector>

namespace vep::compiler {

struct PostFact {
  __int128 A = 0;
  __int128 B = 0;
};

using PostDisjunct = std::vector<PostFact>;
using PostCondition = std::vector<PostDisjunct>;

} // namespace vep::compiler

#endif // VEP_COMPILER_POSTCONDITION_H
