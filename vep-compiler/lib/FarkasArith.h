//===- FarkasArith.h - Checked 128-bit arithmetic for the Farkas search ---===//
//
// Internal to the proof writer. The search scales rational solutions and
// builds shortcut certificates with overflow-checked __int128 arithmetic and
// gives up on what would not fit; whether a certificate is valid is decided
// by the checker's own rule (checkFarkasCertificate calls vep_check_cert).
//
//===----------------------------------------------------------------------===//
#ifndef VEP_COMPILER_LIB_FARKASARITH_H
#define VEP_COMPILER_LIB_FARKASARITH_H

#include "vep/compiler/ProofWriter.h"

#include <optional>

namespace vep::compiler::farkas {

using i128 = __int128;

constexpr i128 Int128Min = i128(~(~(unsigned __int128)0 >> 1));

inline bool mulChecked(i128 A, i128 B, i128 &R) {
  return !__builtin_mul_overflow(A, B, &R);
}
inline bool addChecked(i128 A, i128 B, i128 &R) {
  return !__builtin_add_overflow(A, B, &R);
}
/// |V|, or false for the one value whose absolute value does not fit.
inline bool absChecked(i128 V, i128 &R) {
  if (V == Int128Min)
    return false;
  R = V < 0 ? -V : V;
  return true;
}
/// gcd of two nonnegative values; gcd(0, 0) = 0.
inline i128 gcd(i128 A, i128 B) {
  while (B != 0) {
    i128 T = A % B;
    A = B;
    B = T;
  }
  return A;
}
/// floor(N / D) for D > 0.
inline i128 floorDiv(i128 N, i128 D) {
  i128 Q = N / D;
  return (N % D != 0 && N < 0) ? Q - 1 : Q;
}

/// A hypothesis c + a*x >= 0 with one variable; a != 0.
inline bool isBound(const vep_lin &H) { return H.n_terms == 1; }

/// A goal that is a false constant (VEP_GOAL_DEAD_PATH asks -1 >= 0): its
/// negation -g - 1 >= 0 adds nothing, so only the hypotheses can refute.
inline bool isDeadGoal(const vep_lin &G) {
  return G.n_terms == 0 && G.constant < 0;
}

/// Certificates the search finds without a solver: a true constant goal, a
/// false constant hypothesis, a goal implied by one hypothesis, a goal
/// implied by the variables' bounds, two opposite hypotheses.
std::optional<FarkasCertificate> shortcutCertificate(const vep_question &Q);

/// True if an integer point (built from the single-variable bounds) satisfies
/// every hypothesis and goal <= -1: then no certificate exists.
bool hasCounterexample(const vep_question &Q);

} // namespace vep::compiler::farkas

#endif // VEP_COMPILER_LIB_FARKASARITH_H
