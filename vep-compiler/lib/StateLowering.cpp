//===- StateLowering.cpp - VEP-C's statement states over the machine ------===//
//
// VEP-C's C-level proof (vep/cir/CProof.h) holds, for each path reaching a
// statement, the value of each variable as a term over the path's symbols,
// the resources the path owns and the path condition. At the statement's
// first instruction the same state is a statement about the machine once
// each variable is replaced by where the code keeps it: a variable with a
// home (a register or a stack slot) that holds it there is bound to that
// home; any other one (forwarded, dropped, not yet or no longer live: the
// code no longer keeps it) becomes an existential of the state. Its
// resources and facts are over the symbols, which the bindings tie to the
// machine.
//
// A loop's statement is its head's first instruction, which the back
// edges reach too: the state before the loop holds there only on entering
// it (the cut point is the head's assertion for every arrival).
//
// A variable's home holds it at statement number Pos when Pos lies in its
// range (first to last occurrence, widened over loops where it is live at
// the head: CodeGen.cpp, assignHomes) after its first occurrence, whose
// statement may be the one that assigns it: there the home may still hold
// another variable that shares it. A parameter's range starts at the
// entry (number 0).
//
//===----------------------------------------------------------------------===//
#include "CodeGenInternal.h"

namespace vep::compiler {

void placeStatementState(const cir::ProofState &S,
                         const std::vector<int> &Where,
                         const std::vector<std::pair<unsigned, unsigned>> &Ranges,
                         unsigned Pos, PlacedState &Out) {
  Out.State = S;
  Out.Where.clear();
  for (const cir::ProofBinding &B : S.Vars) {
    bool Held = B.Var < Where.size() && B.Var < Ranges.size() &&
                Where[B.Var] != NoHome && Ranges[B.Var].first < Pos &&
                Pos <= Ranges[B.Var].second;
    Out.Where.push_back(Held ? Where[B.Var] : PlacedState::NoPlace);
  }
}

std::vector<std::string> formatPlacedState(const cir::Function &F,
                                           const PlacedState &P) {
  const cir::ProofState &S = P.State;
  std::vector<std::string> Out;
  Out.push_back(std::string("state (VEP-C)") +
                (P.LoopEntry ? " on entering the loop" : "") + ", path " +
                std::to_string(S.Path) + " of " + std::to_string(P.Paths) +
                " (" + S.Branches + "):");
  for (size_t I = 0; I < S.Vars.size(); ++I) {
    const cir::ProofBinding &B = S.Vars[I];
    if (B.Var >= F.Vars.size())
      continue;
    const std::string &Name = F.Vars[B.Var].Name;
    std::string Value =
        B.Where == "scalar" ? B.Value : B.Where + " + " + B.Value;
    Out.push_back(P.Where[I] != PlacedState::NoPlace
                      ? "  " + formatCutWhere(int16_t(P.Where[I])) + " = " +
                            Name + " = " + Value
                      : "  exists " + Name + " (no home here) = " + Value);
  }
  for (const std::string &H : S.Heap)
    Out.push_back("  heap " + H);
  for (const std::string &Fact : S.Facts)
    Out.push_back("  fact " + Fact);
  return Out;
}

} // namespace vep::compiler
