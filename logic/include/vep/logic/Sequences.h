//===- Sequences.h - Array contents as sequences in annotations --*- C++ -*-===//
//
// What every stage needs to know about the sequence part of the annotation
// language (docs/annotation-language.md, "Contents and sequences"): which
// predicates name an array's contents, which functions build sequences,
// the shape of a bounded quantifier, and the erasure of sequence facts
// that the compiler applies before lowering an assertion for the checker,
// which has no sequences.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_LOGIC_SEQUENCES_H
#define VEP_LOGIC_SEQUENCES_H

#include "vep/logic/Assertion.h"

#include <optional>
#include <set>
#include <string>

namespace vep::logic {

/// The element type of an array predicate (`store_char_array`,
/// `store_uchar_array` or `chars`, `store_short_array`,
/// `store_ushort_array`, `store_int_array`, `store_uint_array`,
/// `store_long_array`, `store_ulong_array`).
struct ArrayElement {
  unsigned Bytes;
  bool Signed;
};
std::optional<ArrayElement> arrayPredicateElement(const std::string &Name);

/// The array predicate of elements Elem (1, 2, 4 or 8 bytes).
std::optional<std::string> arrayPredicateName(ArrayElement Elem);

/// An array predicate `store_..._array(p, n, l)` with three arguments.
bool isArrayPredicate(const Assertion &A);

/// `Zlength`, `sublist`, `app`, `replace_Znth`.
bool isSequenceFunction(const std::string &Name);

/// The names an assertion's top-level conjuncts (`&&`, `*`) give to array
/// contents: the `l` of each `store_..._array(p, n, l)` written there.
void contentNames(const Assertion *A, std::set<std::string> &Out);

/// The logical names of a contract: its `With` variables and the contents
/// names of its Require and Ensure.
std::set<std::string> contractLogicalNames(const Annotation &Contract);

/// The range of the variable a bounded quantifier binds: `forall (k: Z),
/// Lo <= k && k < Hi => P` (`Lo < k`, `k <= Hi` too; any conjunct order
/// on the left of `=>`), `exists k, Lo <= k && k < Hi && P`. Lo and Hi do
/// not mention k. Nullopt when the body has no such bounds.
struct QuantifierRange {
  TermPtr Lo, Hi;
  bool LoStrict = false, HiStrict = true; // Lo < k; k < Hi
};
std::optional<QuantifierRange> quantifierRange(const Assertion &Q,
                                               const std::string &Binder);

/// A with every top-level conjunct (`&&`, `*`) that speaks of contents
/// left out: array predicates, quantifiers, `l[i]`, the sequence functions
/// and the given logical names (a contract's With variables and contents
/// names, which only VEP-C can instantiate). What stays is a conjunction of
/// the other conjuncts (`true` if none). Leaving conjuncts out only weakens
/// an assertion. Null for null.
AssertionPtr eraseContentFacts(const AssertionPtr &A,
                               const std::set<std::string> &Logical);

/// The erasure every lowering for the checker applies (the compiler's one
/// place for it): A without the content facts of the function whose
/// contract is Contract (null: an entry point), its logical names being
/// the contract's and the contents names A itself binds.
AssertionPtr eraseContentFacts(const AssertionPtr &A,
                               const Annotation *Contract);

/// Whether A mentions contents in the sense of eraseContentFacts.
bool mentionsContents(const Assertion &A, const std::set<std::string> &Logical);

} // namespace vep::logic

#endif // VEP_LOGIC_SEQUENCES_H
