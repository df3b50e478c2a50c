//===- FarkasTest.cpp - The Farkas certificate search ---------------------===//
//
// Every certificate found is recomputed here, independently of the search's
// own check, with plain overflow-checked 128-bit arithmetic.
//
//===----------------------------------------------------------------------===//
#include "vep/compiler/ProofWriter.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>

using namespace vep::compiler;

namespace {

using i128 = __int128;
constexpr i128 Two64 = i128(1) << 64;

/// An owned linear form: constant + sum coeff*v<var>.
struct Lin {
  i128 C = 0;
  std::map<uint32_t, i128> T;
};

Lin lin(i128 C, std::initializer_list<std::pair<uint32_t, i128>> Terms) {
  Lin L;
  L.C = C;
  for (auto [V, K] : Terms)
    L.T[V] += K;
  return L;
}

/// A question with storage for its views.
class Question {
public:
  Question(std::vector<Lin> Hyps, Lin Goal,
           vep_goal_kind Kind = VEP_GOAL_ACCESS_HIGH)
      : Hyps(std::move(Hyps)), Goal(std::move(Goal)) {
    Terms.resize(this->Hyps.size() + 1);
    for (size_t I = 0; I <= this->Hyps.size(); ++I) {
      const Lin &L = I < this->Hyps.size() ? this->Hyps[I] : this->Goal;
      for (auto [V, K] : L.T)
        Terms[I].push_back({V, K});
      Views.push_back({L.C, uint32_t(Terms[I].size()), Terms[I].data()});
    }
    Q.kind = Kind;
    Q.insn = 3;
    Q.optional = false;
    Q.goal = Views.back();
    Q.n_hyps = uint32_t(this->Hyps.size());
    Q.hyps = Views.data();
  }
  const vep_question &get() const { return Q; }

  /// sum mult*hyp + goal_mult*(-goal - 1), or nullopt on overflow.
  std::optional<Lin> combine(const FarkasCertificate &C) const {
    Lin Sum;
    auto AddScaled = [&](const Lin &L, i128 M) {
      i128 P;
      for (auto [V, K] : L.T)
        if (__builtin_mul_overflow(K, M, &P) ||
            __builtin_add_overflow(Sum.T[V], P, &Sum.T[V]))
          return false;
      return !__builtin_mul_overflow(L.C, M, &P) &&
             !__builtin_add_overflow(Sum.C, P, &Sum.C);
    };
    for (const vep_cert_entry &E : C.Entries)
      if (E.hyp >= Hyps.size() || E.mult < 0 || !AddScaled(Hyps[E.hyp], E.mult))
        return std::nullopt;
    Lin NegGoal = Goal;
    NegGoal.C = -Goal.C - 1;
    for (auto &[V, K] : NegGoal.T)
      K = -K;
    if (C.GoalMult < 0 || !AddScaled(NegGoal, C.GoalMult))
      return std::nullopt;
    return Sum;
  }
  /// The certificate refutes hyps + (goal <= -1).
  bool refutes(const FarkasCertificate &C) const {
    std::optional<Lin> S = combine(C);
    if (!S)
      return false;
    for (auto [V, K] : S->T)
      if (K != 0)
        return false;
    return S->C < 0;
  }

private:
  std::vector<Lin> Hyps;
  Lin Goal;
  std::vector<std::vector<vep_lin_term>> Terms;
  std::vector<vep_lin> Views;
  vep_question Q{};
};

i128 multOf(const FarkasCertificate &C, uint32_t Hyp) {
  for (const vep_cert_entry &E : C.Entries)
    if (E.hyp == Hyp)
      return E.mult;
  return 0;
}

const uint32_t X = 0, Y = 1, Z = 2, W = 3;

TEST(Farkas, PacketBoundFromTwoHypotheses) {
  // x >= 0, y - x - 14 >= 0  |-  y - 14 >= 0
  Question Q({lin(0, {{X, 1}}), lin(-14, {{Y, 1}, {X, -1}})},
             lin(-14, {{Y, 1}}));
  FarkasSearch S;
  FarkasResult R = S.find(Q.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found) << R.Detail;
  EXPECT_TRUE(Q.refutes(R.Cert));
  EXPECT_TRUE(checkFarkasCertificate(Q.get(), R.Cert));
  EXPECT_GT(R.Cert.GoalMult, 0);
  EXPECT_EQ(multOf(R.Cert, 0), R.Cert.GoalMult);
  EXPECT_EQ(multOf(R.Cert, 1), R.Cert.GoalMult);
  // A tampered certificate must not check: the recomputation is not vacuous.
  FarkasCertificate Bad = R.Cert;
  Bad.Entries.pop_back();
  EXPECT_FALSE(Q.refutes(Bad));
  EXPECT_FALSE(checkFarkasCertificate(Q.get(), Bad));
}

TEST(Farkas, TheNegatedGoalIsIntegral) {
  // 2x - 1 >= 0 |- x - 1 >= 0 holds over the integers, and the negation
  // x <= 0 (not x < 1) makes it a rational refutation: 1*h + 2*(-g - 1).
  Question Q({lin(-1, {{X, 2}})}, lin(-1, {{X, 1}}));
  FarkasSearch S;
  FarkasResult R = S.find(Q.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found);
  EXPECT_TRUE(Q.refutes(R.Cert));
  EXPECT_EQ(R.Cert.GoalMult, 2);
}

TEST(Farkas, SingleHypothesisNeedsNoSolver) {
  // 2x - 3 >= 0  |-  4x - 5 >= 0   (goal = 2*h + 1)
  Question Q({lin(-3, {{X, 2}})}, lin(-5, {{X, 4}}));
  FarkasSearch S;
  FarkasResult R = S.find(Q.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found);
  EXPECT_TRUE(Q.refutes(R.Cert));
  EXPECT_EQ(R.Cert.GoalMult, 1);
  EXPECT_EQ(multOf(R.Cert, 0), 2);
  EXPECT_EQ(S.stats().SolverRuns, 0u);
  EXPECT_EQ(S.stats().FastPath, 1u);
}

TEST(Farkas, BoundsImplyTheGoalWithoutSolver) {
  FarkasSearch S;
  // Five bytes sum to less than 2^64 (a no-wrap question).
  std::vector<Lin> Hyps;
  for (uint32_t V = 0; V < 5; ++V) {
    Hyps.push_back(lin(0, {{V, 1}}));
    Hyps.push_back(lin(255, {{V, -1}}));
  }
  Question Sum(Hyps,
               lin(Two64 - 1, {{0, -1}, {1, -1}, {2, -1}, {3, -1}, {4, -1}}),
               VEP_GOAL_NO_WRAP_HIGH);
  FarkasResult R = S.find(Sum.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found);
  EXPECT_TRUE(Sum.refutes(R.Cert));
  // 3x <= 10, 2y <= 7 |- x + y <= 9: mu = 6, lambda = 2 and 3.
  Question Frac({lin(10, {{X, -3}}), lin(7, {{Y, -2}})},
                lin(9, {{X, -1}, {Y, -1}}));
  R = S.find(Frac.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found);
  EXPECT_TRUE(Frac.refutes(R.Cert));
  EXPECT_EQ(R.Cert.GoalMult, 6);
  EXPECT_EQ(multOf(R.Cert, 0), 2);
  EXPECT_EQ(multOf(R.Cert, 1), 3);
  // The tightest bounds are the ones used.
  Question Tight({lin(1000, {{X, -1}}), lin(10, {{X, -1}}), lin(5, {{Y, -1}}),
                  lin(50, {{Y, -1}})},
                 lin(15, {{X, -1}, {Y, -1}}));
  R = S.find(Tight.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found);
  EXPECT_TRUE(Tight.refutes(R.Cert));
  EXPECT_EQ(multOf(R.Cert, 0), 0);
  EXPECT_EQ(multOf(R.Cert, 3), 0);
  EXPECT_EQ(S.stats().SolverRuns, 0u);
  EXPECT_EQ(S.stats().FastPath, 3u);
}

TEST(Farkas, CounterexamplesAvoidTheSolver) {
  FarkasSearch S;
  // x + y may wrap: x = y = 2^64 - 1 satisfies the bounds and not the goal.
  Question Wrap({lin(0, {{X, 1}}), lin(Two64 - 1, {{X, -1}}), lin(0, {{Y, 1}}),
                 lin(Two64 - 1, {{Y, -1}})},
                lin(Two64 - 1, {{X, -1}, {Y, -1}}), VEP_GOAL_NO_WRAP_HIGH);
  EXPECT_EQ(S.find(Wrap.get()).Outcome, FarkasOutcome::NotFound);
  // A live branch: 0 <= x <= 255 and x >= 101.
  Question Live({lin(0, {{X, 1}}), lin(255, {{X, -1}}), lin(-101, {{X, 1}})},
                lin(-1, {}), VEP_GOAL_DEAD_PATH);
  EXPECT_EQ(S.find(Live.get()).Outcome, FarkasOutcome::NotFound);
  EXPECT_EQ(S.stats().SolverRuns, 0u);
  // A point within the bounds that violates a relational hypothesis is no
  // counterexample: y >= x + 14 with x, y in [0, 100] |- y >= 14 holds.
  Question Rel({lin(0, {{X, 1}}), lin(100, {{X, -1}}), lin(0, {{Y, 1}}),
                lin(100, {{Y, -1}}), lin(-14, {{Y, 1}, {X, -1}})},
               lin(-14, {{Y, 1}}));
  FarkasResult R = S.find(Rel.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found);
  EXPECT_TRUE(Rel.refutes(R.Cert));
  EXPECT_EQ(S.stats().SolverRuns, 1u);
}

TEST(Farkas, EmptyBoxIsAContradiction) {
  // x >= 6 and 2x <= 11: 2*(x - 6) + (11 - 2x) = -1, whatever the goal.
  Question Q({lin(0, {{Y, 1}}), lin(-6, {{X, 1}}), lin(11, {{X, -2}})},
             lin(-1000, {{Y, 1}}));
  FarkasSearch S;
  FarkasResult R = S.find(Q.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found);
  EXPECT_TRUE(Q.refutes(R.Cert));
  EXPECT_EQ(R.Cert.GoalMult, 0);
  EXPECT_EQ(multOf(R.Cert, 1), 2);
  EXPECT_EQ(multOf(R.Cert, 2), 1);
  EXPECT_EQ(S.stats().SolverRuns, 0u);
}

TEST(Farkas, ConstantGoals) {
  FarkasSearch S;
  Question True({lin(0, {{X, 1}})}, lin(5, {}));
  FarkasResult R = S.find(True.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found);
  EXPECT_TRUE(True.refutes(R.Cert));
  EXPECT_TRUE(R.Cert.Entries.empty());

  Question False({lin(0, {{X, 1}})}, lin(-1, {}), VEP_GOAL_DEAD_PATH);
  EXPECT_EQ(S.find(False.get()).Outcome, FarkasOutcome::NotFound);
}

TEST(Farkas, NotImpliedGoalsGetNoCertificate) {
  FarkasSearch S;
  // x >= 0 does not give x >= 1.
  Question A({lin(0, {{X, 1}})}, lin(-1, {{X, 1}}));
  EXPECT_EQ(S.find(A.get()).Outcome, FarkasOutcome::NotFound);
  // y >= x does not give y >= 0.
  Question B({lin(0, {{Y, 1}, {X, -1}})}, lin(0, {{Y, 1}}));
  EXPECT_EQ(S.find(B.get()).Outcome, FarkasOutcome::NotFound);
  // No hypotheses at all.
  Question D({}, lin(0, {{X, 1}}));
  EXPECT_EQ(S.find(D.get()).Outcome, FarkasOutcome::NotFound);
  EXPECT_GT(S.stats().SolverRuns, 0u);
}

TEST(Farkas, DeadPathsHaveGoalMultiplierZero) {
  FarkasSearch S;
  // x >= 5, x <= 3 (the pair shortcut).
  Question A({lin(0, {{Y, 1}}), lin(-5, {{X, 1}}), lin(3, {{X, -1}})},
             lin(-1, {}), VEP_GOAL_DEAD_PATH);
  FarkasResult R = S.find(A.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found);
  EXPECT_EQ(R.Cert.GoalMult, 0);
  EXPECT_TRUE(A.refutes(R.Cert));
  EXPECT_EQ(multOf(R.Cert, 0), 0);
  // x >= y, y >= z, z >= x + 1: a cycle, needs the LP.
  Question B({lin(0, {{X, 1}, {Y, -1}}), lin(0, {{Y, 1}, {Z, -1}}),
              lin(-1, {{Z, 1}, {X, -1}}), lin(0, {{W, 1}})},
             lin(-1, {}), VEP_GOAL_DEAD_PATH);
  unsigned RunsBefore = S.stats().SolverRuns;
  R = S.find(B.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found);
  EXPECT_EQ(R.Cert.GoalMult, 0);
  EXPECT_TRUE(B.refutes(R.Cert));
  EXPECT_EQ(S.stats().SolverRuns, RunsBefore + 1);
  // A false constant hypothesis.
  Question C({lin(0, {{X, 1}}), lin(-2, {})}, lin(-1, {}), VEP_GOAL_DEAD_PATH);
  R = S.find(C.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found);
  EXPECT_TRUE(C.refutes(R.Cert));
  EXPECT_EQ(multOf(R.Cert, 1), 1);
}

TEST(Farkas, ContradictionOutsideTheGoalComponent) {
  // The goal x >= 5 is unrelated to z >= 1, z <= 0; the refutation must use
  // the contradictory hypotheses alone.
  Question Q({lin(0, {{X, 1}}), lin(-1, {{Z, 1}}), lin(0, {{Z, -1}})},
             lin(-5, {{X, 1}}));
  FarkasSearch S;
  FarkasResult R = S.find(Q.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found);
  EXPECT_TRUE(Q.refutes(R.Cert));
  EXPECT_EQ(R.Cert.GoalMult, 0);
}

TEST(Farkas, UnrelatedHypothesesAreLeftOut) {
  Question Q({lin(0, {{Z, 1}, {W, -1}}), lin(0, {{X, 1}}),
              lin(-14, {{Y, 1}, {X, -1}}), lin(7, {{W, 1}})},
             lin(-14, {{Y, 1}}));
  FarkasSearch S;
  FarkasResult R = S.find(Q.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found);
  EXPECT_TRUE(Q.refutes(R.Cert));
  EXPECT_EQ(R.Cert.Entries.size(), 2u);
  EXPECT_EQ(multOf(R.Cert, 0), 0);
  EXPECT_EQ(multOf(R.Cert, 3), 0);
}

TEST(Farkas, RationalMultipliersAreScaledToCoprimeIntegers) {
  // 2x - 2y >= 0, 2y >= 0 |- x >= 0 needs lambda = 1/2 per hypothesis
  // against mu = 1; the integer certificate is (1, 1; 2).
  Question Q({lin(0, {{X, 2}, {Y, -2}}), lin(0, {{Y, 2}})}, lin(0, {{X, 1}}));
  FarkasSearch S;
  FarkasResult R = S.find(Q.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found);
  EXPECT_TRUE(Q.refutes(R.Cert));
  EXPECT_EQ(multOf(R.Cert, 0), 1);
  EXPECT_EQ(multOf(R.Cert, 1), 1);
  EXPECT_EQ(R.Cert.GoalMult, 2);

  // 3x - y >= 0, y - 1 >= 0, 5z - x >= 0 |- z >= 0: multipliers in thirds
  // and fifths.
  Question Q2(
      {lin(0, {{X, 3}, {Y, -1}}), lin(-1, {{Y, 1}}), lin(0, {{Z, 5}, {X, -1}})},
      lin(0, {{Z, 1}}));
  R = S.find(Q2.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found);
  EXPECT_TRUE(Q2.refutes(R.Cert));
  i128 G = R.Cert.GoalMult;
  for (const vep_cert_entry &E : R.Cert.Entries) {
    i128 A = G, B = E.mult;
    while (B != 0) {
      i128 T = A % B;
      A = B;
      B = T;
    }
    G = A;
  }
  EXPECT_EQ(G, 1) << "multipliers not divided by their gcd";
}

TEST(Farkas, MachineWordSizedValues) {
  const uint32_t R = 0, A = 1, C = 2;
  // r = a - 2^64*c, 0 <= r <= 2^64 - 1  |-  a - 2^64*c <= 2^64 - 1
  Question Q({lin(0, {{R, 1}, {A, -1}, {C, Two64}}),
              lin(0, {{R, -1}, {A, 1}, {C, -Two64}}), lin(0, {{C, 1}}),
              lin(0, {{R, 1}}), lin(Two64 - 1, {{R, -1}})},
             lin(Two64 - 1, {{A, -1}, {C, Two64}}), VEP_GOAL_NO_WRAP_HIGH);
  FarkasSearch S;
  FarkasResult Res = S.find(Q.get());
  ASSERT_EQ(Res.Outcome, FarkasOutcome::Found) << Res.Detail;
  EXPECT_TRUE(Q.refutes(Res.Cert));

  // (2^64-1)x - y >= 0, y - 2^63 >= 0  |-  x >= 0: mu = 2^64 - 1.
  Question Q2(
      {lin(0, {{X, Two64 - 1}, {Y, -1}}), lin(-(i128(1) << 63), {{Y, 1}})},
      lin(0, {{X, 1}}));
  Res = S.find(Q2.get());
  ASSERT_EQ(Res.Outcome, FarkasOutcome::Found);
  EXPECT_TRUE(Q2.refutes(Res.Cert));
  EXPECT_EQ(Res.Cert.GoalMult, Two64 - 1);
  EXPECT_EQ(multOf(Res.Cert, 0), 1);
  EXPECT_EQ(multOf(Res.Cert, 1), 1);

  // Bounds of u64 arithmetic: 0 <= a, b <= 2^64 - 1  |-  a + b <= 2^65 - 2.
  Question Q3({lin(0, {{X, 1}}), lin(Two64 - 1, {{X, -1}}), lin(0, {{Y, 1}}),
               lin(Two64 - 1, {{Y, -1}})},
              lin(2 * Two64 - 2, {{X, -1}, {Y, -1}}));
  Res = S.find(Q3.get());
  ASSERT_EQ(Res.Outcome, FarkasOutcome::Found);
  EXPECT_TRUE(Q3.refutes(Res.Cert));
}

TEST(Farkas, MachineWordBoundsDoNotBlowUpTheCertificate) {
  // x == 14 + 4y, y <= 1, x <= 2^64 - 1  |-  x + 4 <= 2^64 - 1 (a u64
  // counter stepped by 4). A solution of the LP that makes its constant
  // constraint tight mixes in x <= 2^64 - 1 with multipliers near 2^64,
  // which overflow once scaled to integers; the certificate from the
  // equations alone is small: (14 - x + 4y) + 4 (1 - y) = 18 - x.
  Question Q({lin(0, {{X, 1}}), lin(Two64 - 1, {{X, -1}}), lin(0, {{Y, 1}}),
              lin(4294967295, {{Y, -1}}), lin(-14, {{X, 1}, {Y, -4}}),
              lin(14, {{X, -1}, {Y, 4}}), lin(1, {{Y, -1}})},
             lin(Two64 - 5, {{X, -1}}), VEP_GOAL_NO_WRAP_HIGH);
  FarkasSearch S;
  FarkasResult R = S.find(Q.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found) << R.Detail;
  EXPECT_TRUE(Q.refutes(R.Cert));
  // One more and the sum may reach 2^64 (y <= 2^64 - 5 alone): no answer.
  Question Wraps({lin(0, {{X, 1}}), lin(Two64 - 1, {{X, -1}}),
                  lin(0, {{Y, 1}}), lin(-14, {{X, 1}, {Y, -4}}),
                  lin(14, {{X, -1}, {Y, 4}})},
                 lin(Two64 - 5, {{X, -1}}), VEP_GOAL_NO_WRAP_HIGH);
  EXPECT_EQ(S.find(Wraps.get()).Outcome, FarkasOutcome::NotFound);
}

TEST(Farkas, OversizedCertificatesAreRefused) {
  // 2^120 x >= 1 and 3^75 x <= 0 are contradictory, but the certificate
  // needs multipliers 3^75 and 2^120 against coefficients of the same size.
  i128 A = i128(1) << 120, B = 1;
  for (int I = 0; I < 75; ++I)
    B *= 3;
  Question Q({lin(-1, {{X, A}}), lin(0, {{X, -B}})}, lin(-1, {}),
             VEP_GOAL_DEAD_PATH);
  FarkasSearch S;
  EXPECT_EQ(S.find(Q.get()).Outcome, FarkasOutcome::Overflow);
  // The same shape at 2^40 and 3^25 is fine.
  Question Small({lin(-1, {{X, i128(1) << 40}}), lin(0, {{X, -847288609443}})},
                 lin(-1, {}), VEP_GOAL_DEAD_PATH);
  FarkasResult R = S.find(Small.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found);
  EXPECT_TRUE(Small.refutes(R.Cert));
}

TEST(Farkas, MalformedFormsAreErrors) {
  Question Q({lin(0, {{X, 1}})}, lin(0, {{X, 1}}));
  vep_question Bad = Q.get();
  vep_lin_term Unsorted[2] = {{Y, 1}, {X, 1}};
  vep_lin BadGoal = {0, 2, Unsorted};
  Bad.goal = BadGoal;
  FarkasSearch S;
  FarkasResult R = S.find(Bad);
  EXPECT_EQ(R.Outcome, FarkasOutcome::Error);
  EXPECT_FALSE(R.Detail.empty());
}

TEST(Farkas, AnswersAreDeterministic) {
  // Answers may depend on the earlier questions asked of the same search
  // (it reuses one solver), but two searches fed the same sequence agree.
  Question Q({lin(0, {{X, 3}, {Y, -1}}), lin(-1, {{Y, 1}}),
              lin(0, {{Z, 5}, {X, -1}}), lin(4, {{Z, 1}, {Y, 1}}),
              lin(0, {{Z, 2}, {Y, -1}})},
             lin(0, {{Z, 1}}));
  Question Other(
      {lin(0, {{X, 1}, {Y, -1}}), lin(0, {{Y, 1}, {Z, -1}}), lin(-1, {{Z, 1}})},
      lin(-1, {{X, 1}}));
  std::vector<const Question *> Sequence = {&Q, &Other, &Q, &Q, &Other};
  FarkasSearch S1, S2;
  for (const Question *Next : Sequence) {
    FarkasResult A = S1.find(Next->get()), B = S2.find(Next->get());
    ASSERT_EQ(A.Outcome, FarkasOutcome::Found);
    ASSERT_EQ(B.Outcome, FarkasOutcome::Found);
    EXPECT_TRUE(Next->refutes(A.Cert));
    EXPECT_EQ(A.Cert.GoalMult, B.Cert.GoalMult);
    ASSERT_EQ(A.Cert.Entries.size(), B.Cert.Entries.size());
    for (size_t I = 0; I < A.Cert.Entries.size(); ++I) {
      EXPECT_EQ(A.Cert.Entries[I].hyp, B.Cert.Entries[I].hyp);
      EXPECT_EQ(A.Cert.Entries[I].mult, B.Cert.Entries[I].mult);
    }
  }
}

TEST(Farkas, Printing) {
  Question Q({lin(0, {{X, 1}}), lin(-14, {{Y, 1}, {X, -1}})},
             lin(-14, {{Y, 1}}));
  EXPECT_EQ(describeQuestion(Q.get()), "prove -14 + v1 >= 0 from v0 >= 0, "
                                       "-14 - v0 + v1 >= 0");
  vep_lin_term T[2] = {{0, -Two64}, {5, 3}};
  EXPECT_EQ(formatLin({0, 2, T}), "-18446744073709551616*v0 + 3*v5");
  EXPECT_EQ(formatInt128(-(i128(1) << 100)),
            "-1267650600228229401496703205376");
}

} // namespace

//===-- Derivations (ROUND and SPLIT steps) -------------------------------===//

uint8_t opsOf(const FarkasCertificate &C) {
  uint8_t Ops = 0;
  for (const FarkasStep &St : C.Steps)
    Ops |= uint8_t(1u << St.Op);
  return Ops;
}

TEST(FarkasDerivation, RoundRefutesHalfIntegers) {
  FarkasSearch S;
  // 2x = 1 has a rational solution but no integer one: rounding 2x - 1 >= 0
  // gives x - 1 >= 0, rounding 1 - 2x >= 0 gives -x >= 0.
  Question C({lin(-1, {{X, 2}}), lin(1, {{X, -2}})}, lin(-1, {}),
             VEP_GOAL_DEAD_PATH);
  FarkasResult R = S.find(C.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found) << R.Detail;
  EXPECT_TRUE(checkFarkasCertificate(C.get(), R.Cert));
  EXPECT_EQ(opsOf(R.Cert), (1u << VEP_STEP_ROUND) | (1u << VEP_STEP_COMB));
  EXPECT_EQ(S.stats().Derivations, 1u);
  // Its twin with an integer solution (2x = 2) gets no certificate.
  Question D({lin(-2, {{X, 2}}), lin(2, {{X, -2}})}, lin(-1, {}),
             VEP_GOAL_DEAD_PATH);
  EXPECT_EQ(S.find(D.get()).Outcome, FarkasOutcome::NotFound);
}

TEST(FarkasDerivation, NegatedGoalWithItsOwnMultiplier) {
  FarkasSearch S;
  // y <= 19, y == 2x  |-  x <= 9: the certificate takes the negated goal
  // x - 10 >= 0 twice, which a plain search (goal multiplier 1) misses.
  Question Q({lin(19, {{Y, -1}}), lin(0, {{Y, 1}, {X, -2}}),
              lin(0, {{Y, -1}, {X, 2}})},
             lin(9, {{X, -1}}));
  FarkasResult R = S.find(Q.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found) << R.Detail;
  EXPECT_FALSE(R.Cert.Steps.empty());
  EXPECT_TRUE(checkFarkasCertificate(Q.get(), R.Cert));
  // x <= 8 does not follow (x = 9, y = 18).
  Question Twin({lin(19, {{Y, -1}}), lin(0, {{Y, 1}, {X, -2}}),
                 lin(0, {{Y, -1}, {X, 2}})},
                lin(8, {{X, -1}}));
  EXPECT_EQ(S.find(Twin.get()).Outcome, FarkasOutcome::NotFound);
}

TEST(FarkasDerivation, SplitOnAFractionalVariable) {
  FarkasSearch S;
  // The read of tests/data/regressions/even_index_pair_read.c: len >= 34,
  // i <= 19, i == 2j  |-  len - i - 16 >= 0. Over the rationals i = 19,
  // j = 9.5 violates it; the cases j <= 9 and j >= 10 each refute it.
  const uint32_t Len = X, I = Y, J = Z;
  std::vector<Lin> Hyps = {lin(-34, {{Len, 1}}), lin(19, {{I, -1}}),
                           lin(0, {{I, 1}, {J, -2}}),
                           lin(0, {{I, -1}, {J, 2}})};
  Question Q(Hyps, lin(-16, {{Len, 1}, {I, -1}}));
  FarkasResult R = S.find(Q.get());
  ASSERT_EQ(R.Outcome, FarkasOutcome::Found) << R.Detail;
  EXPECT_TRUE(opsOf(R.Cert) & (1u << VEP_STEP_SPLIT));
  EXPECT_TRUE(checkFarkasCertificate(Q.get(), R.Cert));
  // One byte further does not follow (i = 18, len = 34).
  Question Twin(Hyps, lin(-17, {{Len, 1}, {I, -1}}));
  EXPECT_EQ(S.find(Twin.get()).Outcome, FarkasOutcome::NotFound);
}
