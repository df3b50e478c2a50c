//===- Farkas.cpp - Farkas certificates for the checker's questions -------===//
//
// A question is "prove g >= 0 from h_i >= 0" over integer variables. A
// certificate is a vector of nonnegative integers (lambda_i, mu) with
//   sum_i lambda_i * h_i + mu * (-g - 1)  ==  a negative constant,
// i.e. every variable coefficient cancels. Finding one is the dual linear
// program of the question: for every variable j
//   sum_i lambda_i * a_ij - mu * g_j = 0,
// and for the constant (normalised so a solution is a certificate)
//   sum_i lambda_i * c_i - mu * (g_c + 1) <= -1.
// Scaling lets us fix mu: first mu = 1 over the hypotheses connected to the
// goal, then mu = 0 over all (the hypotheses contradict each other); the two
// together are complete. Z3 solves each LP exactly over the rationals; the
// solution is scaled to integers by the lcm of its denominators and divided
// by the gcd of the result. Cheap shapes (FarkasShortcuts.cpp: a single
// hypothesis or the variables' bounds imply the goal, or a point within the
// bounds refutes it) are decided without Z3.
//
// Every certificate returned is checked by the checker's own rule
// (vep_check_cert, through checkFarkasCertificate) before it leaves here.
//
//===----------------------------------------------------------------------===//
#include "FarkasArith.h"
#include "vep/proof_encode.h"

#include <z3++.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <unordered_map>

namespace vep::compiler {

using namespace farkas;

namespace {

/// Parses a Z3 numeral string "p" or "p/q" (p >= 0) into a fraction.
bool parseRational(const std::string &S, i128 &Num, i128 &Den) {
  auto ParseInt = [](const std::string &T, i128 &Out) {
    if (T.empty())
      return false;
    i128 V = 0;
    for (char C : T) {
      if (C < '0' || C > '9')
        return false;
      if (!mulChecked(V, 10, V) || !addChecked(V, C - '0', V))
        return false;
    }
    Out = V;
    return true;
  };
  size_t Slash = S.find('/');
  if (Slash == std::string::npos) {
    Den = 1;
    return ParseInt(S, Num);
  }
  return ParseInt(S.substr(0, Slash), Num) &&
         ParseInt(S.substr(Slash + 1), Den) && Den > 0;
}

/// Runs the checker's own rule check_farkas (vep_check_cert) on C: the
/// writer tests a certificate with the very code the checker will run on it,
/// in the same order, so the two cannot disagree.
vep_status runCheckerRule(const vep_question &Q, const FarkasCertificate &C,
                          vep_result &Res) {
  Res = vep_result{};
  if (C.Entries.size() > UINT32_MAX || C.Steps.size() > VEP_MAX_CERT_STEPS)
    return VEP_REJECTED; // would not survive the uint32_t counts
  // vep_check_cert only reads the entries; vep_cert merely lacks the const.
  std::vector<vep_cert_step> Steps;
  for (const FarkasStep &S : C.Steps) {
    if (S.Entries.size() > VEP_MAX_CERT_ENTRIES)
      return VEP_REJECTED;
    Steps.push_back({S.Op, S.Var, S.K, S.GoalMult, uint32_t(S.Entries.size()),
                     const_cast<vep_cert_entry *>(S.Entries.data())});
  }
  if (C.Steps.empty()) // a plain certificate is one COMB step
    Steps.push_back({VEP_STEP_COMB, 0, 0, C.GoalMult,
                     uint32_t(C.Entries.size()),
                     const_cast<vep_cert_entry *>(C.Entries.data())});
  vep_cert Cert{uint32_t(Steps.size()), Steps.data()};
  // Its memory: a coefficient table of (highest variable + 2) vep_ints and
  // per step a fact of up to VEP_MAX_TERMS terms. The buffer is reused
  // across calls; the checker zeroes the part it uses.
  uint32_t MaxVar = 0;
  for (uint32_t I = 0; I <= Q.n_hyps; ++I) {
    const vep_lin &L = I < Q.n_hyps ? Q.hyps[I] : Q.goal;
    for (uint32_t T = 0; T < L.n_terms; ++T)
      MaxVar = std::max(MaxVar,
                        std::min(L.terms[T].var, uint32_t(VEP_MAX_VARS)));
  }
  size_t Facts = std::max<size_t>(Steps.size(), 1) *
                 (sizeof(vep_lin) + VEP_MAX_TERMS * sizeof(vep_lin_term));
  size_t Ints = size_t(MaxVar) + 2 + (Facts + 256) / sizeof(vep_int) +
                VEP_MAX_SPLIT_DEPTH;
  thread_local std::vector<vep_int> Table;
  if (Table.size() < Ints)
    Table.resize(Ints);
  vep_arena Scratch;
  vep_arena_init(&Scratch, Table.data(), Table.size() * sizeof(vep_int));
  return vep_check_cert(&Q, &Cert, &Scratch, &Res);
}

FarkasResult found(const vep_question &Q, FarkasCertificate C) {
  FarkasResult R;
  vep_result Res;
  if (runCheckerRule(Q, C, Res) == VEP_ACCEPTED) {
    R.Outcome = FarkasOutcome::Found;
    R.Cert = std::move(C);
    return R;
  }
  // The search solved the question exactly, so the checker can only refuse
  // the integers for overflow ("arithmetic overflow in certificate"; the
  // Farkas.OversizedCertificatesAreRefused test pins that). Anything else is
  // a bug: say what the checker said.
  if (std::strstr(Res.reason, "overflow")) {
    R.Outcome = FarkasOutcome::Overflow;
    return R;
  }
  R.Outcome = FarkasOutcome::Error;
  R.Detail = "computed certificate does not check: ";
  R.Detail += Res.reason;
  return R;
}

} // namespace

bool checkFarkasCertificate(const vep_question &Q, const FarkasCertificate &C) {
  vep_result Res;
  return runCheckerRule(Q, C, Res) == VEP_ACCEPTED;
}

//===-- The search --------------------------------------------------------===//

struct FarkasSearch::Impl {
  z3::context Ctx;
  /// One solver for all questions, each solved inside push/pop: creating a
  /// solver costs ~0.2 ms, far more than a typical question.
  z3::solver Solver{Ctx, z3::solver::simple()};

  FarkasResult solve(const vep_question &Q, const std::vector<uint32_t> &Hyps,
                     bool UseGoal, bool Smallest = false);
  /// Solves Q's hypotheses over the rationals (a derivation's nodes carry
  /// the negated goal among them). Split:
  /// a variable whose value is not an integer, with the floor of its value
  /// (none if the solution is integral or a value does not fit).
  struct Relaxed {
    bool Feasible = false;
    std::optional<std::pair<uint32_t, i128>> Split;
  };
  Relaxed relax(const vep_question &Q);
  z3::expr numeral(i128 V) { return Ctx.real_val(formatInt128(V).c_str()); }
};

FarkasSearch::FarkasSearch() : P(std::make_unique<Impl>()) {}
FarkasSearch::~FarkasSearch() = default;

namespace {

/// The hypotheses connected to the goal's variables through shared
/// variables, in index order. If the hypotheses are consistent, any
/// refutation of (hyps, not goal) lies in this component.
std::vector<uint32_t> goalComponent(const vep_question &Q) {
  std::unordered_map<uint32_t, std::vector<uint32_t>> ByVar;
  for (uint32_t I = 0; I < Q.n_hyps; ++I)
    for (uint32_t T = 0; T < Q.hyps[I].n_terms; ++T)
      ByVar[Q.hyps[I].terms[T].var].push_back(I);
  std::vector<bool> Taken(Q.n_hyps, false);
  std::unordered_map<uint32_t, bool> Seen;
  std::vector<uint32_t> Work;
  for (uint32_t T = 0; T < Q.goal.n_terms; ++T)
    Work.push_back(Q.goal.terms[T].var);
  std::vector<uint32_t> Out;
  while (!Work.empty()) {
    uint32_t V = Work.back();
    Work.pop_back();
    if (Seen[V])
      continue;
    Seen[V] = true;
    auto It = ByVar.find(V);
    if (It == ByVar.end())
      continue;
    for (uint32_t I : It->second) {
      if (Taken[I])
        continue;
      Taken[I] = true;
      Out.push_back(I);
      for (uint32_t T = 0; T < Q.hyps[I].n_terms; ++T)
        Work.push_back(Q.hyps[I].terms[T].var);
    }
  }
  std::sort(Out.begin(), Out.end());
  return Out;
}

FarkasResult outcome(FarkasOutcome O, std::string Detail = {}) {
  FarkasResult R;
  R.Outcome = O;
  R.Detail = std::move(Detail);
  return R;
}

} // namespace

/// Solves the dual LP over hypotheses `Hyps`. With `UseGoal` the goal's
/// multiplier is fixed to 1 (any certificate using the goal scales to one
/// with mu = 1), else to 0; fixing it keeps Z3 fast (free mu made the same
/// LPs 10-40 times slower).
///   UseGoal:  sum lambda_i a_ij = g_j,  sum lambda_i c_i <= g_c
///   else:     sum lambda_i a_ij = 0,    sum lambda_i c_i <= -1
/// `Smallest` (UseGoal only) minimises sum lambda_i c_i instead of taking
/// Z3's first solution. That one often makes the last constraint tight, and
/// when a hypothesis has a machine-word constant (x <= 2^64 - 1) it then
/// mixes that hypothesis in with multipliers near 2^64 that overflow once
/// scaled to integers (`x + 4 <= 2^64 - 1` from `x == 14 + 4i, i <= 1`).
/// The minimum lies at a vertex of the equations alone, whose multipliers
/// come from the variables' coefficients, which are small.
FarkasResult FarkasSearch::Impl::solve(const vep_question &Q,
                                       const std::vector<uint32_t> &Hyps,
                                       bool UseGoal, bool Smallest) {
  z3::solver &Plain = Solver;
  Plain.push();
  struct PopOnExit {
    z3::solver &S;
    ~PopOnExit() { S.pop(); }
  } Pop{Plain};
  std::optional<z3::optimize> Minimiser; // made only when needed (slower)
  if (Smallest)
    Minimiser.emplace(Ctx);
  auto Add = [&](const z3::expr &E) {
    if (Minimiser)
      Minimiser->add(E);
    else
      Plain.add(E);
  };
  z3::expr Zero = Ctx.real_val(0);
  std::vector<z3::expr> Lambda;
  Lambda.reserve(Hyps.size());
  // Per variable, the terms of its equation and its right-hand side;
  // std::map keeps the assertion order independent of hashing.
  struct Row {
    z3::expr_vector Terms;
    i128 Rhs = 0;
  };
  std::map<uint32_t, Row> Rows;
  auto RowOf = [&](uint32_t Var) -> Row & {
    return Rows.try_emplace(Var, Row{z3::expr_vector(Ctx)}).first->second;
  };
  z3::expr_vector ConstantSum(Ctx);
  for (size_t K = 0; K < Hyps.size(); ++K) {
    z3::expr L = Ctx.real_const(("l" + std::to_string(K)).c_str());
    Lambda.push_back(L);
    Add(L >= Zero);
    const vep_lin &H = Q.hyps[Hyps[K]];
    for (uint32_t T = 0; T < H.n_terms; ++T) {
      i128 A = H.terms[T].coeff;
      RowOf(H.terms[T].var).Terms.push_back(A == 1 ? L : numeral(A) * L);
    }
    if (H.constant != 0)
      ConstantSum.push_back(numeral(H.constant) * L);
  }
  if (UseGoal)
    for (uint32_t T = 0; T < Q.goal.n_terms; ++T)
      RowOf(Q.goal.terms[T].var).Rhs = Q.goal.terms[T].coeff;
  for (auto &[Var, Rw] : Rows) {
    if (Rw.Terms.empty())
      return outcome(FarkasOutcome::NotFound); // a goal variable nobody bounds
    Add(z3::sum(Rw.Terms) == numeral(Rw.Rhs));
  }
  i128 Limit = UseGoal ? Q.goal.constant : -1;
  if (ConstantSum.empty()) {
    if (Limit < 0)
      return outcome(FarkasOutcome::NotFound);
  } else {
    Add(z3::sum(ConstantSum) <= numeral(Limit));
    if (Minimiser)
      Minimiser->minimize(z3::sum(ConstantSum));
  }

  z3::check_result CR = Minimiser ? Minimiser->check() : Plain.check();
  if (CR == z3::unsat)
    return outcome(FarkasOutcome::NotFound);
  if (CR != z3::sat)
    return outcome(FarkasOutcome::Error,
                   "Z3 returned unknown: " +
                       (Minimiser ? std::string(Z3_optimize_get_reason_unknown(
                                        Ctx, *Minimiser))
                                  : Plain.reason_unknown()));
  z3::model M = Minimiser ? Minimiser->get_model() : Plain.get_model();

  // Scale the rationals to integers: multiply by the lcm of the
  // denominators, then divide by the gcd of the numerators.
  std::vector<i128> Num, Den;
  for (const z3::expr &L : Lambda) {
    z3::expr V = M.eval(L, true); // QF_LRA: a rational numeral
    i128 N, D;
    if (!V.is_numeral() || !parseRational(Z3_get_numeral_string(Ctx, V), N, D))
      return outcome(FarkasOutcome::Overflow);
    Num.push_back(N);
    Den.push_back(D);
  }
  Num.push_back(UseGoal ? 1 : 0); // mu
  Den.push_back(1);
  i128 Lcm = 1;
  for (i128 D : Den)
    if (!mulChecked(Lcm / gcd(Lcm, D), D, Lcm))
      return outcome(FarkasOutcome::Overflow);
  i128 Gcd = 0;
  for (size_t K = 0; K < Num.size(); ++K) {
    if (!mulChecked(Num[K], Lcm / Den[K], Num[K]))
      return outcome(FarkasOutcome::Overflow);
    Gcd = gcd(Gcd, Num[K]);
  }
  if (Gcd == 0)
    return outcome(FarkasOutcome::Error, "Z3 returned the zero vector");
  FarkasCertificate C;
  C.GoalMult = Num.back() / Gcd;
  for (size_t K = 0; K < Hyps.size(); ++K)
    if (Num[K] != 0)
      C.Entries.push_back({Hyps[K], Num[K] / Gcd});
  return found(Q, std::move(C));
}

FarkasSearch::Impl::Relaxed
FarkasSearch::Impl::relax(const vep_question &Q) {
  z3::solver &S = Solver;
  S.push();
  struct PopOnExit {
    z3::solver &S;
    ~PopOnExit() { S.pop(); }
  } Pop{S};
  std::map<uint32_t, z3::expr> Vars;
  auto Sum = [&](const vep_lin &L) {
    z3::expr E = numeral(L.constant);
    for (uint32_t T = 0; T < L.n_terms; ++T) {
      std::string Name = "x" + std::to_string(L.terms[T].var);
      auto It = Vars.try_emplace(L.terms[T].var, Ctx.real_const(Name.c_str()));
      E = E + numeral(L.terms[T].coeff) * It.first->second;
    }
    return E;
  };
  for (uint32_t I = 0; I < Q.n_hyps; ++I)
    S.add(Sum(Q.hyps[I]) >= 0);
  Relaxed R;
  if (S.check() != z3::sat)
    return R;
  R.Feasible = true;
  z3::model M = S.get_model();
  for (auto &[Var, X] : Vars) {
    z3::expr V = M.eval(X, true);
    std::string Text = V.is_numeral() ? Z3_get_numeral_string(Ctx, V) : "";
    bool Neg = !Text.empty() && Text[0] == '-';
    i128 N, D;
    if (!parseRational(Text.substr(Neg ? 1 : 0), N, D))
      return R;
    if (D != 1) {
      R.Split = std::make_pair(Var, floorDiv(Neg ? -N : N, D));
      return R;
    }
  }
  return R;
}

FarkasResult FarkasSearch::find(const vep_question &Q) {
  ++St.Questions;
  FarkasResult R = findPlain(Q);
  if (R.Outcome != FarkasOutcome::NotFound || hasCounterexample(Q))
    return R;
  FarkasResult D = findInteger(Q);
  if (D.Outcome != FarkasOutcome::Found)
    return R;
  ++St.Derivations;
  return D;
}

//===-- Derivations: rounding and case splits -----------------------------===//

/// A node of the branch and bound: Q's hypotheses followed by the facts of
/// the live steps (the ROUND steps, then one case per open split), so that
/// a plain certificate of the node's question is a COMB step as it stands.
struct FarkasSearch::Node {
  const vep_question &Q;
  std::vector<vep_lin> Hyps;
  std::deque<std::vector<vep_lin_term>> Terms; ///< of the added facts
  std::vector<FarkasStep> Steps;
  unsigned Budget = 48; ///< nodes left to visit

  void push(std::vector<vep_lin_term> T, i128 Constant) {
    Terms.push_back(std::move(T));
    Hyps.push_back({Constant, uint32_t(Terms.back().size()),
                    Terms.back().data()});
  }
  void pop() {
    Hyps.pop_back();
    Terms.pop_back();
  }
  vep_question question() const {
    static const vep_lin False{-1, 0, nullptr};
    vep_question N = Q;
    N.goal = False; // the negated goal is among the facts
    N.hyps = Hyps.data();
    N.n_hyps = uint32_t(Hyps.size());
    return N;
  }
};

namespace {

/// L divided by the gcd of its coefficients, the constant rounded down, if
/// that is stronger than L (the constant is not a multiple of the gcd).
std::optional<std::pair<std::vector<vep_lin_term>, i128>>
roundedDown(const vep_lin &L) {
  i128 G = 0, A;
  for (uint32_t T = 0; T < L.n_terms; ++T) {
    if (!absChecked(L.terms[T].coeff, A))
      return std::nullopt;
    G = gcd(G, A);
  }
  if (G <= 1 || L.constant % G == 0)
    return std::nullopt;
  std::vector<vep_lin_term> Terms(L.terms, L.terms + L.n_terms);
  for (vep_lin_term &T : Terms)
    T.coeff /= G;
  return std::make_pair(std::move(Terms), floorDiv(L.constant, G));
}

} // namespace

FarkasResult FarkasSearch::findInteger(const vep_question &Q) {
  Node N{Q, std::vector<vep_lin>(Q.hyps, Q.hyps + Q.n_hyps), {}, {}};
  // ROUND steps: each hypothesis, and the negated goal, that rounding
  // tightens (2x - 1 >= 0 gives x - 1 >= 0).
  for (uint32_t I = 0; I < Q.n_hyps; ++I)
    if (auto R = roundedDown(Q.hyps[I])) {
      N.push(std::move(R->first), R->second);
      N.Steps.push_back({VEP_STEP_ROUND, 0, 0, 0, {{I, 1}}});
    }
  // The negated goal as a fact of its own (rounded when that tightens it),
  // so that its multiplier is free: the linear programs of a plain search
  // fix it to 1 and then miss x <= 9 from 2x <= 19, whose certificate
  // takes the negated goal x - 10 >= 0 twice.
  if (!isDeadGoal(Q.goal)) {
    std::vector<vep_lin_term> Negated(Q.goal.terms,
                                      Q.goal.terms + Q.goal.n_terms);
    for (vep_lin_term &T : Negated)
      if (T.coeff == std::numeric_limits<i128>::min())
        return outcome(FarkasOutcome::NotFound); // -coeff does not fit
      else
        T.coeff = -T.coeff;
    vep_lin NegatedGoal{~Q.goal.constant, uint32_t(Negated.size()), // -c - 1
                        Negated.data()};
    auto R = roundedDown(NegatedGoal);
    N.Steps.push_back({uint8_t(R ? VEP_STEP_ROUND : VEP_STEP_COMB), 0, 0, 1,
                       {}});
    if (R)
      N.push(std::move(R->first), R->second);
    else
      N.push(std::move(Negated), NegatedGoal.constant);
  }
  // In a search of its own: terms and solutions made in this one's Z3
  // context change its later solutions, so a question that needs no
  // derivation would get another certificate than without the attempt.
  if (!Sub)
    Sub = std::make_unique<FarkasSearch>();
  FarkasCertificate C;
  if (!refute(N, 0))
    return outcome(FarkasOutcome::NotFound);
  C.Steps = std::move(N.Steps);
  return found(Q, std::move(C));
}

/// Appends to N.Steps steps that refute N's question: a COMB step when a
/// plain certificate exists, else a SPLIT on a variable whose value in the
/// relaxation's solution is fractional and a refutation of each case.
bool FarkasSearch::refute(Node &N, unsigned Depth) {
  if (N.Budget == 0 || N.Hyps.size() + N.Steps.size() > VEP_MAX_FACTS)
    return false;
  --N.Budget;
  vep_question Q = N.question();
  Impl::Relaxed Point;
  try {
    ++St.SolverRuns;
    Point = Sub->P->relax(Q);
  } catch (const z3::exception &) {
    return false;
  }
  // No rational solution: a plain certificate exists (Farkas' lemma).
  if (!Point.Feasible) {
    FarkasResult R = Sub->findPlain(Q);
    if (R.Outcome == FarkasOutcome::Found)
      N.Steps.push_back(
          {VEP_STEP_COMB, 0, 0, R.Cert.GoalMult, std::move(R.Cert.Entries)});
    return R.Outcome == FarkasOutcome::Found;
  }
  // An integral solution: the question is false over the integers.
  if (!Point.Split || Depth == VEP_MAX_SPLIT_DEPTH)
    return false;
  auto [Var, K] = *Point.Split;
  N.Steps.push_back({VEP_STEP_SPLIT, Var, K, 0, {}});
  N.push({{Var, -1}}, K); // x <= k
  bool Refuted = refute(N, Depth + 1);
  N.pop();
  N.push({{Var, 1}}, -K - 1); // x >= k + 1
  Refuted = Refuted && refute(N, Depth + 1);
  N.pop();
  return Refuted;
}

FarkasResult FarkasSearch::findPlain(const vep_question &Q) {
  for (uint32_t I = 0; I <= Q.n_hyps; ++I) {
    const vep_lin &L = I < Q.n_hyps ? Q.hyps[I] : Q.goal;
    for (uint32_t T = 0; T < L.n_terms; ++T)
      if (L.terms[T].coeff == 0 ||
          (T > 0 && L.terms[T - 1].var >= L.terms[T].var))
        return outcome(FarkasOutcome::Error,
                       "linear form not sorted or with a zero coefficient");
  }
  if (std::optional<FarkasCertificate> C = shortcutCertificate(Q)) {
    ++St.FastPath;
    return found(Q, std::move(*C));
  }
  if (hasCounterexample(Q)) {
    ++St.FastPath;
    return outcome(FarkasOutcome::NotFound);
  }
  try {
    // With the goal: only its component can matter (if the hypotheses are
    // consistent). Without: the hypotheses must contradict each other.
    if (!isDeadGoal(Q.goal)) {
      ++St.SolverRuns;
      std::vector<uint32_t> Component = goalComponent(Q);
      FarkasResult R = P->solve(Q, Component, true);
      if (R.Outcome == FarkasOutcome::Overflow) {
        ++St.SolverRuns;
        FarkasResult Small = P->solve(Q, Component, true, true);
        if (Small.Outcome == FarkasOutcome::Found)
          return Small;
      }
      if (R.Outcome != FarkasOutcome::NotFound)
        return R;
    }
    std::vector<uint32_t> All;
    for (uint32_t I = 0; I < Q.n_hyps; ++I)
      if (Q.hyps[I].n_terms != 0)
        All.push_back(I);
    ++St.SolverRuns;
    return P->solve(Q, All, false);
  } catch (const z3::exception &E) {
    return outcome(FarkasOutcome::Error, std::string("Z3: ") + E.msg());
  }
}

//===-- Printing ----------------------------------------------------------===//

std::string formatInt128(__int128 V) {
  if (V == 0)
    return "0";
  bool Neg = V < 0;
  unsigned __int128 U = Neg ? -(unsigned __int128)V : (unsigned __int128)V;
  std::string S;
  while (U != 0) {
    S.push_back(char('0' + unsigned(U % 10)));
    U /= 10;
  }
  if (Neg)
    S.push_back('-');
  std::reverse(S.begin(), S.end());
  return S;
}

std::string formatLin(const vep_lin &L) {
  std::string S;
  if (L.constant != 0 || L.n_terms == 0)
    S = formatInt128(L.constant);
  for (uint32_t T = 0; T < L.n_terms; ++T) {
    i128 C = L.terms[T].coeff;
    bool Neg = C < 0;
    unsigned __int128 A = Neg ? -(unsigned __int128)C : (unsigned __int128)C;
    if (!S.empty())
      S.append(Neg ? " - " : " + ");
    else if (Neg)
      S.push_back('-');
    if (A != 1)
      S.append(formatInt128(i128(A))).push_back('*');
    S.push_back('v');
    S.append(std::to_string(L.terms[T].var));
  }
  return S;
}

std::string describeQuestion(const vep_question &Q) {
  constexpr uint32_t MaxHyps = 32;
  std::string S = "prove " + formatLin(Q.goal) + " >= 0 from ";
  if (Q.n_hyps == 0)
    S += "no hypotheses";
  for (uint32_t I = 0; I < Q.n_hyps && I < MaxHyps; ++I)
    S += (I ? ", " : "") + formatLin(Q.hyps[I]) + " >= 0";
  if (Q.n_hyps > MaxHyps)
    S += ", ... (" + std::to_string(Q.n_hyps - MaxHyps) + " more)";
  return S;
}

} // namespace vep::compiler
