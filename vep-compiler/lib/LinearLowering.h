//===- LinearLowering.h - Annotation terms to linear forms ------*- C++ -*-===//
//
// Private to vep_compiler: the lowering of the pure part of an annotation
// (a conjunction of comparisons of linear terms) to linear facts `form >= 0`
// over the variables of a checker assertion (0 = len, 1.. = existentials).
// Shared by the loop cut points (LoopLowering.cpp) and the contracts of
// called functions (ContractLowering.cpp), which differ only in what a
// variable name denotes: the caller resolves names.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_COMPILER_LIB_LINEARLOWERING_H
#define VEP_COMPILER_LIB_LINEARLOWERING_H

#include "vep/compiler/CutPoint.h"
#include "vep/logic/Assertion.h"

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace vep::compiler {

/// Constants of terms and forms stay within +-2^100 (no overflow of the
/// 128-bit arithmetic while combining them).
constexpr __int128 LinearLimit = __int128(1) << 100;

/// A + K*B; false when a coefficient leaves the limit.
bool addScaled(LinForm &A, const LinForm &B, __int128 K);

/// A term's meaning: F + Base * data, where `data` is the packet's address
/// (pointers are addresses in annotations). Wide marks values computed from
/// a pointer to something larger than a byte (C would scale arithmetic on
/// it; addresses do not).
struct LinVal {
  LinForm F;
  __int128 Base = 0;
  bool Wide = false;
  std::string WideName;
};

class LinearLowering {
public:
  /// What a variable name denotes, or nullopt after calling fail().
  using VarFn = std::function<std::optional<LinVal>(const logic::Term &)>;

  /// Context names the annotation in messages: "not supported yet: X in
  /// <Context>", e.g. "a loop invariant (loop at line 5)". Err receives
  /// the first failure.
  LinearLowering(std::string Context, VarFn Var, std::string &Err)
      : Context(std::move(Context)), Var(std::move(Var)), Err(Err) {}

  /// The top-level conjuncts of A (&&, and * over pure facts), among them
  /// packet(p) (p = data + o, o >= 0) and packet_end(e) (e = data + len).
  /// With SkipPredicates, every predicate and emp is left out (a
  /// contract's packet(p), store_uchar_array(p, n, l): the bindings state
  /// them).
  bool flatten(const logic::Assertion &A,
               std::vector<const logic::Assertion *> &Conj,
               bool SkipPredicates = false);
  /// The facts of the conjuncts (true: none; false: -1 >= 0).
  bool facts(const std::vector<const logic::Assertion *> &Conj,
             std::vector<LinForm> &Out);
  std::optional<LinVal> term(const logic::Term &T);
  /// T's value if it is a constant (no failure recorded otherwise).
  std::optional<__int128> constTerm(const logic::Term &T);
  /// Names v with a conjunct `c <= v` (or `v >= c`, `c < v`, `v > c`) whose
  /// constant c makes v non-negative: a signed v then denotes its pattern.
  std::set<std::string>
  lowerBounded(const std::vector<const logic::Assertion *> &Conj);

  bool fail(const std::string &M) {
    if (Err.empty())
      Err = M;
    return false;
  }
  const std::string &context() const { return Context; }

private:
  std::string Context;
  VarFn Var;
  std::string &Err;
  bool compare(const logic::Assertion &A, std::vector<LinForm> &Out);
  bool packetPredicate(const logic::Assertion &A, std::vector<LinForm> &Out);
  std::optional<LinVal> unsupported(const std::string &What);
};

/// packet(t) or packet_end(t).
bool isPacketPredicate(const logic::Assertion &A);

/// `F >= 0` unless trivially true.
void addLinFact(std::vector<LinForm> &Facts, const LinForm &F);

/// The range of an integer of Bits bits held zero-extended whose pattern is
/// X: X >= 0, X <= 2^Bits - 1, and with SignClear X <= 2^(Bits-1) - 1 (a
/// signed value known non-negative, which then equals its pattern).
void addRangeFacts(std::vector<LinForm> &Facts, const LinForm &X,
                   unsigned Bits, bool SignClear);

} // namespace vep::compiler

#endif // VEP_COMPILER_LIB_LINEARLOWERING_H
