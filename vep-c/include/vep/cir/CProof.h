//===- CProof.h - VEP-C's C-level proof of one function ---------*- C++ -*-===//
//
// What VEP-C's symbolic execution establishes, kept as data: the symbolic
// state at each statement boundary on each path, and the witness of each
// entailment it proved (the facts used, a call's instantiation and frame).
// The verifier records it (verifier::Options::RecordProof) and writes it
// as text (verifier::writeCProof, `vep-c --proof`); the compiler carries
// the states down to the instructions (`vepcc -S`). Terms and facts are
// SMT-LIB 2 text over the function's symbols, so any SMT solver can read
// them back. docs/c-proof-format.md is the specification.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_CIR_CPROOF_H
#define VEP_CIR_CPROOF_H

#include "vep/cir/CIR.h"

#include <string>
#include <utility>
#include <vector>

namespace vep::cir {

/// A variable's value on a path: `Where` is "scalar" (Value is the
/// value), or the region a pointer points into ("packet", "ctx",
/// "map value of counts (lookup 2)", "&k", ...), Value its offset there.
struct ProofBinding {
  unsigned Var = 0; ///< index in Function::Vars
  std::string Where;
  std::string Value;
};

/// The state on one path just before a statement runs.
struct ProofState {
  Loc L;                             ///< the statement's
  unsigned Path = 0;                 ///< 1.. among the paths reaching it
  std::string Branches;              ///< "if at line 12 true, ..."
  std::vector<ProofBinding> Vars;    ///< the variables holding a value
  std::vector<std::string> Heap;     ///< the resources the path owns
  std::vector<std::string> Facts;    ///< the path condition's conjuncts
};

/// A proved obligation: Axioms and Uses imply Goal (each a Boolean term).
struct ProofEntailment {
  Loc L;
  std::string Obligation; ///< as a failure would name it
  std::string Goal;
  std::vector<std::string> Uses;
  /// A call's precondition: each With variable's value at the call, and
  /// the caller's resources the callee does not take (kept across it).
  std::vector<std::pair<std::string, std::string>> Instances;
  std::vector<std::string> Frame;
};

struct FunctionProof {
  std::string Function;
  /// SMT-LIB declarations of every symbol the terms mention.
  std::vector<std::string> Symbols;
  /// Facts every query of the function assumes (the packet length bound,
  /// the lengths of packets that helpers change).
  std::vector<std::string> Axioms;
  std::vector<ProofState> States;
  std::vector<ProofEntailment> Entailments;
};

} // namespace vep::cir

#endif // VEP_CIR_CPROOF_H
