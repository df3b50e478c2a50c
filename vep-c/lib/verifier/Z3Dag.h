//===- Z3Dag.h - One walk over a Z3 expression's DAG -----------*- C++ -*-===//
//
// Private to vep_verifier. Z3 shares subterms, so a query is a DAG whose
// tree unfolding can be exponentially larger: every walk over one visits
// each distinct node once, by its AST id. The verifier's walks (does a
// query have a quantifier, which predicate definitions does it need) are
// this one with their own visitor.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_C_VERIFIER_Z3DAG_H
#define VEP_C_VERIFIER_Z3DAG_H

#include <z3++.h>

#include <set>
#include <vector>

namespace vep::verifier {

/// Calls `Visit(X, More)` once on each distinct node X reachable from
/// `Root` (through an application's arguments and a quantifier's or
/// lambda's body) and from the expressions Visit appends to `More`, until
/// Visit returns true; returns whether it did.
template <typename VisitFn>
bool anyDagNode(const z3::expr &Root, VisitFn &&Visit) {
  std::vector<z3::expr> Todo{Root};
  std::set<unsigned> Seen;
  while (!Todo.empty()) {
    z3::expr X = Todo.back();
    Todo.pop_back();
    if (!Seen.insert(Z3_get_ast_id(X.ctx(), X)).second)
      continue;
    if (Visit(X, Todo))
      return true;
    if (X.is_quantifier())
      Todo.push_back(X.body());
    else if (X.is_app())
      for (unsigned I = 0; I < X.num_args(); ++I)
        Todo.push_back(X.arg(I));
  }
  return false;
}

} // namespace vep::verifier

#endif // VEP_C_VERIFIER_Z3DAG_H
