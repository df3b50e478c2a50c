// The integer shadow (lib/verifier/IntegerShadow.h): its answers agree
// with the bit-vector solver's (unsat always; sat where it is exact), on
// chosen formulas and on random ones over small widths, where wrapping
// is common.
#include "IntegerShadow.h"

#include <gtest/gtest.h>

#include <random>

using vep::verifier::IntegerShadow;

namespace {

z3::check_result bitVectorCheck(z3::context &C, const z3::expr &F) {
  z3::solver S(C, "QF_ABV");
  S.add(F);
  return S.check();
}

TEST(IntegerShadow, ProvesLinearFactsWithoutWrap) {
  z3::context C;
  IntegerShadow Sh(C, 10000);
  z3::expr X = C.bv_const("x", 8), Y = C.bv_const("y", 8);
  z3::expr Sum = z3::zext(X, 8) + z3::zext(Y, 8);
  // x, y <= 100 gives x + y <= 200 over 16 bits.
  z3::expr Q = z3::ule(X, C.bv_val(100, 8)) && z3::ule(Y, C.bv_val(100, 8)) &&
               !z3::ule(Sum, C.bv_val(200, 16));
  EXPECT_EQ(Sh.check(Q), z3::unsat);
  // The same sum over 8 bits wraps: x + 1 < x has a model (x = 255).
  EXPECT_EQ(Sh.check(z3::ult(X + 1, X)), z3::sat);
  EXPECT_EQ(Sh.check(z3::ult(X + 1, X) && X != C.bv_val(255, 8)), z3::unsat);
}

TEST(IntegerShadow, SignedValuesOfExtensions) {
  z3::context C;
  IntegerShadow Sh(C, 10000);
  z3::expr X = C.bv_const("x", 8);
  // sext(x) < 0 exactly when x >= 128 unsigned.
  z3::expr Neg = z3::slt(z3::sext(X, 8), C.bv_val(0, 16));
  EXPECT_EQ(Sh.check(Neg != z3::uge(X, C.bv_val(128, 8))), z3::unsat);
  // -x == x has the models 0 and 128.
  EXPECT_EQ(Sh.check(-X == X && X != 0 && X != C.bv_val(128, 8)), z3::unsat);
  EXPECT_EQ(Sh.check(-X == X && X != 0), z3::sat);
}

TEST(IntegerShadow, ArraysAndQuantifiers) {
  z3::context C;
  IntegerShadow Sh(C, 10000);
  z3::sort A = C.array_sort(C.bv_sort(64), C.bv_sort(8));
  z3::expr L = C.constant("l", A), K = C.bv_const("k", 64);
  z3::expr I = C.bv_const("i", 64);
  z3::expr AllNonZero = z3::forall(
      K, z3::implies(z3::ult(K, C.bv_val(10, 64)), z3::select(L, K) != 0));
  EXPECT_EQ(Sh.check(AllNonZero && z3::ult(I, C.bv_val(10, 64)) &&
                     z3::select(L, I) == 0),
            z3::unsat);
  EXPECT_EQ(Sh.check(z3::select(L, I) == 7), z3::sat);
  // Elements lie in their range: no integer model has one of 300.
  EXPECT_EQ(Sh.check(z3::zext(z3::select(L, I), 8) == 300), z3::unsat);
}

TEST(IntegerShadow, OutsideTheFragmentIsUnknown) {
  z3::context C;
  IntegerShadow Sh(C, 10000);
  z3::expr X = C.bv_const("x", 8), Y = C.bv_const("y", 8);
  EXPECT_EQ(Sh.check((X | Y) == 3 && X == 4), z3::unknown);
}

/// A random term of width W over the variables Vars (of width 8) and
/// numerals, of depth at most D.
class RandomTerms {
public:
  RandomTerms(z3::context &C, unsigned Seed) : C(C), Rng(Seed) {}

  z3::expr var(unsigned W) {
    z3::expr V = C.bv_const(("v" + std::to_string(pick(3))).c_str(), 8);
    return W == 8  ? V
           : W > 8 ? (pick(2) ? z3::zext(V, W - 8) : z3::sext(V, W - 8))
                   : V.extract(W - 1, 0);
  }
  z3::expr term(unsigned W, unsigned D) {
    if (D == 0 || pick(4) == 0)
      return pick(3) ? var(W) : C.bv_val(unsigned(pick(256)), W);
    z3::expr A = term(W, D - 1);
    switch (pick(14)) {
    case 0:
      return A + term(W, D - 1);
    case 1:
      return A - term(W, D - 1);
    case 2:
      return -A;
    case 3:
      return A * C.bv_val(unsigned(pick(256)), W);
    case 4:
      return z3::shl(A, C.bv_val(unsigned(pick(W + 2)), W));
    case 5:
      return z3::lshr(A, C.bv_val(unsigned(pick(W + 2)), W));
    case 6:
      return z3::ashr(A, C.bv_val(unsigned(pick(W + 2)), W));
    case 7:
      return z3::udiv(A, term(W, D - 1));
    case 8:
      return z3::urem(A, term(W, D - 1));
    case 9:
      return ~A;
    case 10:
      return A & C.bv_val((1u << pick(W)) - 1, W);
    case 11:
      return z3::ite(formula(D - 1), A, term(W, D - 1));
    case 12: // through a wider or narrower width
      return W > 4 ? z3::concat(term(4, D - 1), term(W - 4, D - 1))
                   : term(W + 4, D - 1).extract(W + 1, 2);
    default:
      return pick(2) ? z3::sext(term(W - W / 2, D - 1), W / 2)
                     : z3::zext(term(W - W / 2, D - 1), W / 2);
    }
  }
  z3::expr formula(unsigned D) {
    unsigned W = 4 + 4 * unsigned(pick(3));
    z3::expr A = term(W, D), B = term(W, D);
    z3::expr F = A == B;
    switch (pick(8)) {
    case 0:
      F = z3::ult(A, B);
      break;
    case 1:
      F = z3::ule(A, B);
      break;
    case 2:
      F = z3::slt(A, B);
      break;
    case 3:
      F = z3::sle(A, B);
      break;
    case 4:
      F = A != B;
      break;
    case 5:
      F = A == B;
      break;
    default:
      F = D ? (pick(2) ? formula(D - 1) && formula(D - 1)
                       : formula(D - 1) || !formula(D - 1))
            : A == B;
    }
    return F;
  }

private:
  size_t pick(size_t N) {
    return std::uniform_int_distribution<size_t>(0, N - 1)(Rng);
  }
  z3::context &C;
  std::mt19937 Rng;
};

TEST(IntegerShadow, AgreesWithBitVectorsOnRandomFormulas) {
  z3::context C;
  RandomTerms Gen(C, 20261122);
  unsigned Decided = 0;
  for (unsigned I = 0; I < 100; ++I) {
    IntegerShadow Sh(C, 10000);
    z3::expr F = Gen.formula(2);
    z3::check_result Int = Sh.check(F), Bv = bitVectorCheck(C, F);
    if (Int == z3::unknown)
      continue;
    ++Decided;
    EXPECT_EQ(Int, Bv) << F;
  }
  EXPECT_GT(Decided, 80u) << "of 100";
}

// Each random term, with its variables fixed, has exactly the value the
// bit-vector semantics gives it (which wrapping decides).
TEST(IntegerShadow, RandomTermsHaveTheirMachineValues) {
  z3::context C;
  RandomTerms Gen(C, 7);
  std::mt19937 Rng(11);
  unsigned Decided = 0;
  for (unsigned I = 0; I < 150; ++I) {
    IntegerShadow Sh(C, 10000);
    unsigned W = 4 + 4 * (I % 3);
    z3::expr T = Gen.term(W, 3);
    z3::expr_vector Vars(C), Vals(C);
    z3::expr Fixed = C.bool_val(true);
    for (unsigned V = 0; V < 3; ++V) {
      Vars.push_back(C.bv_const(("v" + std::to_string(V)).c_str(), 8));
      Vals.push_back(C.bv_val(unsigned(Rng() % 256), 8));
      Fixed = Fixed && Vars.back() == Vals.back();
    }
    z3::expr Value = T.substitute(Vars, Vals).simplify();
    ASSERT_TRUE(Value.is_numeral()) << T;
    z3::check_result Other = Sh.check(Fixed && T != Value);
    if (Other == z3::unknown)
      continue;
    ++Decided;
    EXPECT_EQ(Other, z3::unsat) << T << " = " << Value << " at " << Fixed;
    EXPECT_EQ(Sh.check(Fixed && T == Value), z3::sat) << T;
  }
  EXPECT_GT(Decided, 120u) << "of 150";
}

} // namespace
