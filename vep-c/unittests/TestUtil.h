// Helpers shared by the vep-c unit tests.
#ifndef VEP_C_UNITTESTS_TESTUTIL_H
#define VEP_C_UNITTESTS_TESTUTIL_H

#include "vep/frontend/Frontend.h"
#include "vep/verifier/Verifier.h"

#include <functional>
#include <string>
#include <vector>

namespace vepc_test {

inline std::string input(const std::string &Name) {
  return std::string(VEPC_TEST_INPUTS) + "/" + Name;
}

/// A program of the repository's examples/ directory.
inline std::string example(const std::string &Name) {
  return std::string(VEPC_EXAMPLES) + "/" + Name;
}

/// Lowers inputs/Name; returns false with the diagnostics on bad input.
inline bool build(const std::string &Name, vep::cir::Module &M,
                  std::vector<vep::frontend::Diagnostic> &Errs) {
  return vep::frontend::buildModule(input(Name), {}, M, Errs);
}

inline std::string show(const std::vector<vep::frontend::Diagnostic> &Errs) {
  std::string S;
  for (const auto &D : Errs)
    S += D.File + ":" + std::to_string(D.Line) + ":" + std::to_string(D.Col) +
         ": " + D.Message + "\n";
  return S;
}

inline std::string show(const vep::verifier::FunctionResult &R) {
  std::string S = R.Function + (R.Verified ? ": verified" : ": NOT verified") +
                  ", " + std::to_string(R.Obligations) + " obligations\n";
  for (const auto &F : R.Failures)
    S += std::to_string(F.L.Line) + ":" + std::to_string(F.L.Col) + ": " +
         F.Obligation + " [" + F.Counterexample + "]\n";
  return S;
}

/// Visits every expression of a statement tree.
inline void forEachExpr(const vep::cir::Stmt &S,
                        const std::function<void(const vep::cir::Expr &)> &Fn);

inline void forEachExpr(const vep::cir::Expr &E,
                        const std::function<void(const vep::cir::Expr &)> &Fn) {
  Fn(E);
  for (const auto &O : E.Ops)
    forEachExpr(*O, Fn);
}

inline void forEachExpr(const vep::cir::Stmt &S,
                        const std::function<void(const vep::cir::Expr &)> &Fn) {
  for (const auto *E : {S.Addr.get(), S.Value.get(), S.Cond.get()})
    if (E)
      forEachExpr(*E, Fn);
  if (S.Then)
    forEachExpr(*S.Then, Fn);
  if (S.Else)
    forEachExpr(*S.Else, Fn);
  if (S.Step)
    forEachExpr(*S.Step, Fn);
  for (const auto &B : S.Body)
    forEachExpr(*B, Fn);
}

inline void forEachStmt(const vep::cir::Stmt &S,
                        const std::function<void(const vep::cir::Stmt &)> &Fn) {
  Fn(S);
  if (S.Then)
    forEachStmt(*S.Then, Fn);
  if (S.Else)
    forEachStmt(*S.Else, Fn);
  if (S.Step)
    forEachStmt(*S.Step, Fn);
  for (const auto &B : S.Body)
    forEachStmt(*B, Fn);
}

} // namespace vepc_test

#endif
