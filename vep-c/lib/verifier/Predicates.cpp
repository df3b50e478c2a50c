//===- Predicates.cpp - User predicates as Z3 functions -------------------===//

#include "Predicates.h"
#include "Z3Dag.h"

namespace vep::verifier {

std::optional<z3::expr>
predicateApplication(z3::context &C, const std::string &Name,
                     const std::vector<PredicateArg> &Args) {
  z3::expr_vector Values(C);
  z3::sort_vector Domain(C);
  std::string Signature;
  auto AddInt = [&](const z3::expr &E) {
    if (mathWidth(E) > PredicateArgBits)
      return false;
    Values.push_back(mathExtend(E, PredicateArgBits));
    Domain.push_back(C.bv_sort(PredicateArgBits));
    return true;
  };
  for (const PredicateArg &A : Args) {
    if (const z3::expr *E = std::get_if<z3::expr>(&A)) {
      if (!AddInt(*E))
        return std::nullopt;
      Signature += ",i";
      continue;
    }
    const Seq &S = std::get<Seq>(A);
    Values.push_back(S.Arr);
    Domain.push_back(S.Arr.get_sort());
    if (!AddInt(S.Len))
      return std::nullopt;
    Signature += ",s" + std::to_string(S.Bits) + (S.Signed ? "s" : "u");
  }
  z3::func_decl P =
      C.function(("pred!" + Name + Signature).c_str(), Domain, C.bool_sort());
  return P(Values);
}

z3::expr relevantDefinitions(const z3::expr &Q,
                             const PredicateDefinitions &Defs) {
  z3::expr Out = Q.ctx().bool_val(true);
  if (Defs.empty())
    return Out;
  anyDagNode(Q, [&](const z3::expr &X, std::vector<z3::expr> &More) {
    if (X.is_app())
      if (auto It = Defs.find(Z3_get_ast_id(X.ctx(), X)); It != Defs.end()) {
        Out = Out && It->second;
        More.push_back(It->second);
      }
    return false;
  });
  return Out;
}

} // namespace vep::verifier
