//===- Predicates.h - User-defined predicates -------------------*- C++ -*-===//
//
// Predicates the annotations define themselves (docs/annotation-language.md,
// "User predicates"): `Let name(x, y) = P` names an assertion, and
// `Let name(x, n) Variant n = P` defines a recursive one whose every
// recursive use passes `n - 1` for n. Every stage shares the definition
// rule and the meaning of an instance (unfoldPredicate); how an instance
// is reasoned about is the verifier's (docs/vep-c.md, "User predicates").
//
//===----------------------------------------------------------------------===//
#ifndef VEP_LOGIC_PREDICATES_H
#define VEP_LOGIC_PREDICATES_H

#include "vep/logic/Assertion.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace vep::logic {

/// The definitions (Let annotations) by predicate name.
using PredicateTable = std::map<std::string, std::shared_ptr<const Annotation>>;

/// Whether A is an instance of a user predicate: a Pred whose name is not a
/// built-in one.
bool isUserPredicate(const Assertion &A);

/// Checks the definition rule for Def, a Let annotation, given the
/// definitions before it (Earlier): a fresh name that is no built-in
/// predicate; distinct parameters; a pure body (no built-in predicate); no
/// `@pre`, no `__return`, no binder that shadows a parameter; every user
/// predicate the body uses is Def itself or an earlier one (so there is no
/// mutual recursion), with as many arguments as parameters; a body that uses
/// Def has a `Variant m`, m one of the parameters, and every such use passes
/// exactly `m - 1` at m's position. Returns false with Err set (positions are
/// the body's).
bool checkPredicateDefinition(const Annotation &Def,
                              const PredicateTable &Earlier, ParseError &Err);

/// The parameters of Def that the body uses as sequences: as `p[i]`, as a
/// sequence argument of Zlength, sublist, app, replace_Znth, or at a
/// sequence parameter of a user predicate (Table holds Def's dependencies;
/// Def's own recursive uses are followed too).
std::set<std::string> sequenceParameters(const Annotation &Def,
                                         const PredicateTable &Table);

/// A with each free variable named in Values (not `x@pre`) replaced by its
/// term, binders renamed apart from the terms' names.
AssertionPtr substituteNames(const AssertionPtr &A,
                             const std::map<std::string, TermPtr> &Values);

/// The meaning of the instance Def(Args): Def's body with each parameter
/// replaced by its argument (the body's binders renamed apart from the
/// arguments' names), and, for a recursive predicate, `0 <= m &&` before
/// it, m the measure's argument: a recursive predicate is false where its
/// measure is negative, which makes the definition well-founded.
/// Args.size() must equal the number of parameters.
AssertionPtr unfoldPredicate(const Annotation &Def,
                             const std::vector<TermPtr> &Args);

} // namespace vep::logic

#endif // VEP_LOGIC_PREDICATES_H
