//===- AnnotationSupport.h - What VEP-C accepts in annotations ---*- C++ -*-===//
//
// Shared by the front end (which rejects unsupported annotations with a
// positioned diagnostic) and the verifier (which interprets what passed).
//
//===----------------------------------------------------------------------===//
#ifndef VEP_C_ANNOTATIONSUPPORT_H
#define VEP_C_ANNOTATIONSUPPORT_H

#include "vep/logic/Assertion.h"
#include "vep/logic/Predicates.h"

#include <functional>
#include <set>
#include <string>

namespace vep::csupport {

/// Where a pure assertion occurs: which names it may use.
enum class PureContext { Ensure, Assert, Inv, Require };

/// The static sort of an annotation term: a mathematical integer, or a
/// pointer (a program variable of pointer type, possibly plus or minus an
/// integer). Pointer arithmetic in annotations is in bytes, so `+`, `-` and
/// differences are accepted only on byte pointers (void *, char *,
/// unsigned char *): with C's scaling `eth + 1` would mean something else.
enum class TermSort { Int, BytePtr, Ptr, Seq };

struct SupportError {
  logic::SourcePos Pos;
  std::string Message;
};

using CheckVarFn =
    std::function<std::string(const std::string &, logic::SourcePos)>;
/// The sort of a variable that passed CheckVar.
using VarSortFn = std::function<TermSort(const std::string &)>;

/// Checks that `A` is a pure fact the verifier supports: true/false,
/// comparisons, !, &&, ||, => over integer literals, variables, unary - ~,
/// binary arithmetic/bitwise operators and casts to integer types.
/// `CheckVar(Name, Pos)` is called for each variable and returns an error
/// message (empty if fine). With `Sorts`, pointer-typed variables may occur
/// in comparisons of two pointers (`p <= data_end`), in `p + k`, `p - k`
/// and in differences `q - p` (an integer, in bytes); without it every
/// variable is an integer. Returns false with `Err` set on the first problem.
///
/// With `Sequences` (the logical names of a called function's contract, in
/// its contract and body), the contents language is accepted too
/// (docs/annotation-language.md, "Contents and sequences"): those names and
/// the contents names of the assertion's own array predicates are
/// sequences; `l[i]`, `Zlength`, `sublist`, `app`, `replace_Znth`; `==`
/// and `!=` of sequences; bounded `forall`/`exists` over `Z`; top-level
/// conjuncts (`&&` or `*`) `store_..._array(p, n, l)` whose `p` is a
/// variable (not passed to CheckVar: the verifier checks what it points
/// to).
///
/// With `Predicates`, instances of those user predicates are accepted
/// anywhere in A, their arguments integers or, at a parameter the
/// definition uses as a sequence, sequences
/// (docs/annotation-language.md, "User predicates").
bool checkPureAssertion(const logic::Assertion &A, PureContext C,
                        const CheckVarFn &CheckVar, SupportError &Err,
                        const VarSortFn *Sorts = nullptr,
                        const std::set<std::string> *Sequences = nullptr,
                        const logic::PredicateTable *Predicates = nullptr);

/// Checks a term as checkPureAssertion does and requires it to be an
/// integer (a loop variant). `What` names it in messages ("Variant").
bool checkPureIntTerm(const logic::Term &T, PureContext C,
                      const CheckVarFn &CheckVar, SupportError &Err,
                      const VarSortFn *Sorts, const std::string &What);

/// True if a written `Require` clause says no more than the default entry
/// contract of the program type: absent, `true` or `TT`.
bool isDefaultRequire(const logic::Assertion *Pre);

} // namespace vep::csupport

#endif // VEP_C_ANNOTATIONSUPPORT_H
