//===- Verifier.h - Symbolic execution of the CIR with Z3 --------*- C++ -*-===//
//
// Forward symbolic execution of one function over the C-level IR with
// exact machine semantics (Z3 bit-vectors). Every obligation — packet,
// context and map value accesses, helper call contracts, Assert, Ensure at
// each return, division by zero, signed overflow, shift range, loop
// invariants and variants — is one Z3 query:
// path condition and the negated goal unsatisfiable means proved. See
// docs/vep-c.md (Loops for the cut-point semantics of loop heads).
//
//===----------------------------------------------------------------------===//
#ifndef VEP_VERIFIER_VERIFIER_H
#define VEP_VERIFIER_VERIFIER_H

#include "vep/cir/CIR.h"
#include "vep/cir/CProof.h"

#include <functional>
#include <string>
#include <vector>

namespace vep::verifier {

/// An obligation that was not proved (or an input the verifier cannot
/// handle, see FunctionResult::Unsupported).
struct Failure {
  cir::Loc L;
  std::string Obligation;     // e.g. "postcondition may not hold"
  std::string Counterexample; // e.g. "with packet length n = 13"; may be empty
  /// Inside a loop written without `Inv`: the invariant VEP-C inferred for
  /// it, e.g. "the loop at line 24 has no Inv: VEP-C inferred '0 <= i &&
  /// i <= 2'"; else empty.
  std::string Note;
};

struct FunctionResult {
  std::string Function;
  bool Verified = false;
  unsigned Obligations = 0; // queries posed (one per obligation and path)
  double Millis = 0;
  std::vector<Failure> Failures;
  /// The function uses something the verifier does not support yet (the
  /// corresponding Failure's Obligation starts with "not supported yet:").
  /// Tools treat this as bad input (exit 2), not as "not verified".
  bool Unsupported = false;
  /// With Options::RecordProof, for a verified function: its C-level
  /// proof (vep/cir/CProof.h).
  cir::FunctionProof Proof;
};

/// Where a long verification is: the function, the obligations posed so
/// far, the seconds since it started, the source line of the last one.
struct Progress {
  std::string Function;
  unsigned Obligations = 0;
  double Seconds = 0;
  unsigned Line = 0;
};

/// Options for the solver; the defaults are what the vep-c tool uses.
struct Options {
  unsigned TimeoutMillis = 10000; // per Z3 query; unknown -> failure
  unsigned MaxPaths = 4096;       // more live paths -> failure (path limit)
  /// Called after an obligation once ProgressEveryMillis have passed since
  /// the start or the previous call (tools print a progress line on long
  /// runs); empty: never.
  std::function<void(const Progress &)> OnProgress;
  unsigned ProgressEveryMillis = 2000;
  /// Record the C-level proof in FunctionResult::Proof: the state at each
  /// statement boundary and, per proved obligation, the facts it used
  /// (one more solver call each, to find them).
  bool RecordProof = false;
};

/// Verifies function `F` of `M` (whose maps its helper calls use and whose
/// functions' contracts its calls use): an entry point from its program
/// type's entry state, a called function once from its contract.
FunctionResult verifyFunction(const cir::Module &M, const cir::Function &F,
                              const Options &Opts = Options());

/// Verifies every function of `M`, in order, as verifyFunction does, with
/// one Z3 context for all (deleting a context costs tens of milliseconds,
/// as much as verifying a small function).
std::vector<FunctionResult> verifyModule(const cir::Module &M,
                                         const Options &Opts = Options());

} // namespace vep::verifier

#endif // VEP_VERIFIER_VERIFIER_H
