//===- Predicates.h - User predicates as Z3 functions -----------*- C++ -*-===//
//
// Private to vep_verifier: how VEP-C reasons about an instance of a user
// predicate (docs/vep-c.md, "User predicates"). An instance P(a) is the
// application of an uninterpreted Boolean function P to the arguments'
// values; the verifier adds, as a fact of every query, the instance's
// definition P(a) == body[a] with the instances inside the body left as
// applications. The definition rule (logic/Predicates.h) makes P the one
// function that satisfies every such equation, so each added fact is true
// of it: the verifier unfolds (and folds) each instance written in an
// annotation once.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_C_VERIFIER_PREDICATES_H
#define VEP_C_VERIFIER_PREDICATES_H

#include "Contents.h"

#include <z3++.h>

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace vep::verifier {

/// The value of an argument: an annotation integer or a sequence.
using PredicateArg = std::variant<z3::expr, Seq>;

/// The width at which integer arguments (and sequence lengths) are passed:
/// every annotation integer of at most this width keeps its value.
constexpr unsigned PredicateArgBits = 128;

/// The application of predicate Name to Args; one function per name and
/// argument sorts (a sequence is its contents and its length). Nullopt
/// when an integer argument is wider than PredicateArgBits.
std::optional<z3::expr>
predicateApplication(z3::context &C, const std::string &Name,
                     const std::vector<PredicateArg> &Args);

/// The defining equations of instances, by the Z3 id of the instance's
/// application.
using PredicateDefinitions = std::map<unsigned, z3::expr>;

/// The conjunction of the equations a query Q needs: those of the
/// applications Q contains, and of the applications those equations
/// contain, and so on. Leaving the others out only drops true facts that
/// cannot matter to Q (they speak of applications Q does not mention).
z3::expr relevantDefinitions(const z3::expr &Q,
                             const PredicateDefinitions &Defs);

} // namespace vep::verifier

#endif // VEP_C_VERIFIER_PREDICATES_H
