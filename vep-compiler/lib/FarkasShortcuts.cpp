//===- FarkasShortcuts.cpp - Answers that need no linear program ----------===//
//
// Most of the checker's questions are about packet offsets and register
// ranges: the goal follows from one hypothesis or from the variables'
// bounds, or it plainly does not follow (a point inside the bounds violates
// it). These are decided here in linear time; only the rest goes to Z3.
//
//===----------------------------------------------------------------------===//
#include "FarkasArith.h"

#include <algorithm>
#include <unordered_map>

namespace vep::compiler::farkas {
namespace {

/// A certificate if it checks, else nothing.
std::optional<FarkasCertificate> ifValid(const vep_question &Q,
                                         FarkasCertificate C) {
  std::sort(C.Entries.begin(), C.Entries.end(),
            [](const vep_cert_entry &A, const vep_cert_entry &B) {
              return A.hyp < B.hyp;
            });
  if (checkFarkasCertificate(Q, C))
    return C;
  return std::nullopt;
}

/// True iff L.terms == K * M.terms for a rational K > 0 (K < 0 when
/// `Opposite`), with |K| = P / Qd in lowest terms.
bool proportional(const vep_lin &L, const vep_lin &M, bool Opposite, i128 &P,
                  i128 &Qd) {
  if (L.n_terms == 0 || L.n_terms != M.n_terms)
    return false;
  i128 L0 = L.terms[0].coeff, M0 = M.terms[0].coeff;
  if (((L0 > 0) == (M0 > 0)) == Opposite)
    return false;
  for (uint32_t T = 0; T < L.n_terms; ++T) {
    i128 X, Y;
    if (L.terms[T].var != M.terms[T].var ||
        !mulChecked(L.terms[T].coeff, M0, X) ||
        !mulChecked(M.terms[T].coeff, L0, Y) || X != Y)
      return false;
  }
  i128 A, B;
  if (!absChecked(L0, A) || !absChecked(M0, B))
    return false;
  i128 G = gcd(A, B);
  P = A / G;
  Qd = B / G;
  return true;
}

/// For every variable, the tightest single-variable lower and upper bound
/// among the hypotheses (indices into Q.hyps).
class Bounds {
public:
  explicit Bounds(const vep_question &Q) : Q(Q) {
    for (uint32_t I = 0; I < Q.n_hyps; ++I) {
      const vep_lin &H = Q.hyps[I];
      if (!isBound(H))
        continue;
      Slot &S = ByVar[H.terms[0].var];
      int64_t &Best = H.terms[0].coeff > 0 ? S.Lo : S.Hi;
      if (Best < 0 || tighter(H, Q.hyps[Best]))
        Best = I;
    }
  }
  /// The hypothesis bounding `Var` from below (Lower) or above, or -1.
  int64_t get(uint32_t Var, bool Lower) const {
    auto It = ByVar.find(Var);
    if (It == ByVar.end())
      return -1;
    return Lower ? It->second.Lo : It->second.Hi;
  }
  /// The integer bound value itself, if it fits.
  std::optional<i128> value(uint32_t Var, bool Lower) const {
    int64_t I = get(Var, Lower);
    if (I < 0)
      return std::nullopt;
    const vep_lin &H = Q.hyps[I];
    i128 C = H.constant, A = H.terms[0].coeff;
    // Lower: a > 0, x >= ceil(-c / a). Upper: a < 0, x <= floor(c / -a).
    if (C == Int128Min || A == Int128Min)
      return std::nullopt;
    return Lower ? -floorDiv(C, A) : floorDiv(C, -A);
  }
  template <typename F> void forEachVar(F Fn) const {
    for (const auto &[Var, S] : ByVar)
      Fn(Var, S.Lo, S.Hi);
  }

private:
  /// c1 + a1 x >= 0 is tighter than c2 + a2 x >= 0 (same direction) iff
  /// c1/|a1| < c2/|a2|.
  static bool tighter(const vep_lin &H1, const vep_lin &H2) {
    i128 A1, A2, X, Y;
    return absChecked(H1.terms[0].coeff, A1) &&
           absChecked(H2.terms[0].coeff, A2) &&
           mulChecked(H1.constant, A2, X) && mulChecked(H2.constant, A1, Y) &&
           X < Y;
  }
  struct Slot {
    int64_t Lo = -1, Hi = -1;
  };
  const vep_question &Q;
  std::unordered_map<uint32_t, Slot> ByVar;
};

/// goal = sum over its variables of |g_v| * (bound of v) + slack: for each
/// goal variable take its tightest bound in the direction the goal needs,
/// lambda_v = mu * g_v / a_v with mu the least making all integral.
std::optional<FarkasCertificate> boxCertificate(const vep_question &Q,
                                                const Bounds &B) {
  const vep_lin &G = Q.goal;
  i128 Mu = 1;
  for (uint32_t T = 0; T < G.n_terms; ++T) {
    int64_t I = B.get(G.terms[T].var, G.terms[T].coeff > 0);
    if (I < 0)
      return std::nullopt;
    i128 Gv, Av;
    if (!absChecked(G.terms[T].coeff, Gv) ||
        !absChecked(Q.hyps[I].terms[0].coeff, Av))
      return std::nullopt;
    i128 Need = Av / gcd(Gv, Av); // mu must be a multiple of this
    if (!mulChecked(Mu / gcd(Mu, Need), Need, Mu))
      return std::nullopt;
  }
  FarkasCertificate C{Mu, {}};
  for (uint32_t T = 0; T < G.n_terms; ++T) {
    uint32_t I = uint32_t(B.get(G.terms[T].var, G.terms[T].coeff > 0));
    i128 Gv = 0, Av = 0, L = 0;
    if (!absChecked(G.terms[T].coeff, Gv) ||
        !absChecked(Q.hyps[I].terms[0].coeff, Av) ||
        !mulChecked(Mu / Av, Gv, L))
      return std::nullopt;
    C.Entries.push_back({I, L});
  }
  return ifValid(Q, std::move(C));
}

/// A variable whose best lower bound exceeds its best upper bound.
std::optional<FarkasCertificate> emptyBox(const vep_question &Q,
                                          const Bounds &B) {
  std::optional<FarkasCertificate> Out;
  B.forEachVar([&](uint32_t, int64_t Lo, int64_t Hi) {
    if (Out || Lo < 0 || Hi < 0)
      return;
    i128 P, Qd;
    if (!proportional(Q.hyps[Lo], Q.hyps[Hi], true, P, Qd))
      return;
    Out = ifValid(
        Q, FarkasCertificate{0, {{uint32_t(Lo), Qd}, {uint32_t(Hi), P}}});
  });
  return Out;
}

} // namespace

std::optional<FarkasCertificate> shortcutCertificate(const vep_question &Q) {
  const vep_lin &G = Q.goal;
  if (G.n_terms == 0 && G.constant >= 0)
    return ifValid(Q, FarkasCertificate{1, {}});
  for (uint32_t I = 0; I < Q.n_hyps; ++I)
    if (Q.hyps[I].n_terms == 0 && Q.hyps[I].constant < 0)
      return ifValid(Q, FarkasCertificate{0, {{I, 1}}});
  // g = (P/Qd) h + d with d >= 0: lambda = P, mu = Qd.
  for (uint32_t I = 0; I < Q.n_hyps; ++I) {
    i128 P, Qd;
    if (!proportional(G, Q.hyps[I], false, P, Qd))
      continue;
    if (auto C = ifValid(Q, FarkasCertificate{Qd, {{I, P}}}))
      return C;
  }
  Bounds B(Q);
  if (G.n_terms != 0)
    if (auto C = boxCertificate(Q, B))
      return C;
  if (auto C = emptyBox(Q, B))
    return C;
  // Two opposite multi-variable hypotheses; quadratic, so only for the
  // dead-path questions of modest paths.
  constexpr uint32_t MaxPairScan = 512;
  if (!isDeadGoal(G) || Q.n_hyps > MaxPairScan)
    return std::nullopt;
  for (uint32_t I = 0; I < Q.n_hyps; ++I)
    for (uint32_t J = I + 1; J < Q.n_hyps; ++J) {
      i128 P, Qd;
      if (isBound(Q.hyps[I]) ||
          !proportional(Q.hyps[I], Q.hyps[J], true, P, Qd))
        continue;
      if (auto C = ifValid(Q, FarkasCertificate{0, {{I, Qd}, {J, P}}}))
        return C;
    }
  return std::nullopt;
}

namespace {

/// value of L at X (missing variables are 0), if it fits.
std::optional<i128> evaluate(const vep_lin &L,
                             const std::unordered_map<uint32_t, i128> &X) {
  i128 Sum = L.constant;
  for (uint32_t T = 0; T < L.n_terms; ++T) {
    auto It = X.find(L.terms[T].var);
    i128 P;
    if (It != X.end() && (!mulChecked(L.terms[T].coeff, It->second, P) ||
                          !addChecked(Sum, P, Sum)))
      return std::nullopt;
  }
  return Sum;
}

bool isCounterexample(const vep_question &Q,
                      const std::unordered_map<uint32_t, i128> &X) {
  std::optional<i128> G = evaluate(Q.goal, X);
  if (!G || *G > -1)
    return false;
  for (uint32_t I = 0; I < Q.n_hyps; ++I) {
    std::optional<i128> H = evaluate(Q.hyps[I], X);
    if (!H || *H < 0)
      return false;
  }
  return true;
}

} // namespace

bool hasCounterexample(const vep_question &Q) {
  Bounds B(Q);
  std::unordered_map<uint32_t, i128> GoalSign;
  for (uint32_t T = 0; T < Q.goal.n_terms; ++T)
    GoalSign[Q.goal.terms[T].var] = Q.goal.terms[T].coeff;
  // Candidates: every variable at the end of its box that makes the goal
  // smallest; all at their lower ends; all at their upper ends. Unbounded
  // ends fall back to the other end, then to 0.
  enum { Adversarial, AllLow, AllHigh };
  for (int Kind : {Adversarial, AllLow, AllHigh}) {
    std::unordered_map<uint32_t, i128> X;
    B.forEachVar([&](uint32_t Var, int64_t, int64_t) {
      bool Low = Kind == AllLow;
      if (Kind == Adversarial) {
        auto It = GoalSign.find(Var);
        Low = It == GoalSign.end() || It->second > 0;
      }
      std::optional<i128> V = B.value(Var, Low);
      if (!V)
        V = B.value(Var, !Low);
      if (V)
        X[Var] = *V;
    });
    if (isCounterexample(Q, X))
      return true;
  }
  return false;
}

} // namespace vep::compiler::farkas
