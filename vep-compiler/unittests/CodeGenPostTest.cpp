//===- CodeGenPostTest.cpp - Lowering Ensure clauses to facts over R0 -----===//

#include "CodeGenTestSupport.h"

#include <gtest/gtest.h>

#include <random>

using namespace cgtest;
using namespace vep::compiler;

namespace {

using i128 = __int128;
const i128 P32 = i128(1) << 32, P31 = i128(1) << 31, P64 = i128(1) << 64;

TermPtr bt(const std::string &Op, TermPtr A, TermPtr B) {
  auto T = std::make_shared<Term>();
  T->K = Term::Kind::Binary;
  T->Op = Op;
  T->Args = {A, B};
  return T;
}
TermPtr ut(const std::string &Op, TermPtr A) {
  auto T = std::make_shared<Term>();
  T->K = Term::Kind::Unary;
  T->Op = Op;
  T->Args = {A};
  return T;
}
TermPtr castT(const std::string &Ty, TermPtr A) {
  auto T = std::make_shared<Term>();
  T->K = Term::Kind::Cast;
  T->Name = Ty;
  T->Args = {A};
  return T;
}
AssertionPtr notA(AssertionPtr A) { return conn(Assertion::Kind::Not, A); }
AssertionPtr leaf(Assertion::Kind K, const std::string &Name = "") {
  auto X = std::make_shared<Assertion>();
  X->K = K;
  X->Name = Name;
  return X;
}

Function withEnsure(AssertionPtr Post, Type Ret = i32()) {
  Function F = passProgram();
  F.ReturnType = Ret;
  F.Contract = ensure(Post);
  return F;
}

PostCondition lower(AssertionPtr Post, Type Ret = i32()) {
  PostCondition P;
  std::string Err;
  Function F = withEnsure(Post, Ret);
  EXPECT_TRUE(lowerPostCondition(F, P, Err)) << Err;
  return P;
}

std::string lowerError(AssertionPtr Post, Type Ret = i32()) {
  PostCondition P;
  std::string Err;
  Function F = withEnsure(Post, Ret);
  EXPECT_FALSE(lowerPostCondition(F, P, Err));
  return Err;
}

PostFact ge(i128 C) { return PostFact{1, -C}; } // R0 >= C
PostFact le(i128 C) { return PostFact{-1, C}; } // R0 <= C

bool same(const PostCondition &A, const PostCondition &B) {
  if (A.size() != B.size())
    return false;
  for (size_t I = 0; I < A.size(); ++I) {
    if (A[I].size() != B[I].size())
      return false;
    for (size_t J = 0; J < A[I].size(); ++J)
      if (A[I][J].A != B[I][J].A || A[I][J].B != B[I][J].B)
        return false;
  }
  return true;
}

#define EXPECT_POST(Got, ...)                                                  \
  do {                                                                         \
    PostCondition Want_ = __VA_ARGS__;                                         \
    PostCondition Got_ = (Got);                                                \
    EXPECT_TRUE(same(Got_, Want_))                                             \
        << "got " << formatPostCondition(Got_) << ", want "                    \
        << formatPostCondition(Want_);                                         \
  } while (0)

bool holds(const PostCondition &P, i128 R0) {
  if (P.empty())
    return true;
  for (const PostDisjunct &D : P) {
    bool All = true;
    for (const PostFact &F : D)
      All = All && F.A * R0 + F.B >= 0;
    if (All)
      return true;
  }
  return false;
}

} // namespace

TEST(CodeGenPost, NoContractNoConstraint) {
  Function F = passProgram();
  PostCondition P{{ge(1)}};
  std::string Err;
  EXPECT_TRUE(lowerPostCondition(F, P, Err));
  EXPECT_TRUE(P.empty());
  auto A = std::make_shared<Annotation>();
  A->K = Annotation::Kind::Contract;
  F.Contract = A; // Require only
  EXPECT_TRUE(lowerPostCondition(F, P, Err));
  EXPECT_TRUE(P.empty());
  EXPECT_EQ(formatPostCondition(P), "true");
}

TEST(CodeGenPost, Equality) {
  EXPECT_POST(lower(retCmp("==", 2)), {{ge(2), le(2)}});
  EXPECT_EQ(formatPostCondition(lower(retCmp("==", 2))), "R0 == 2");
  EXPECT_POST(lower(retCmp("==", 0)), {{le(0)}});
  // int -1 is R0 = 2^32 - 1; out of range for int: false.
  EXPECT_POST(lower(retCmp("==", -1)), {{ge(P32 - 1), le(P32 - 1)}});
  EXPECT_POST(lower(retCmp("==", P31)), {{PostFact{0, -1}}});
  // Integers are mathematical: an unsigned __return is never -1.
  EXPECT_POST(lower(retCmp("==", -1), u64()), {{PostFact{0, -1}}});
  EXPECT_POST(lower(retCmp("==", P64 - 1), u64()), {{ge(P64 - 1)}});
  EXPECT_POST(lower(retCmp("==", P32 - 1), u32()), {{ge(P32 - 1), le(P32 - 1)}});
}

TEST(CodeGenPost, Disequality) {
  // Two strict facts (plus the int's upper bound on the second).
  EXPECT_POST(lower(retCmp("!=", 2)), {{le(1)}, {ge(3), le(P32 - 1)}});
  EXPECT_POST(lower(retCmp("!=", 2), u64()), {{le(1)}, {ge(3)}});
  EXPECT_POST(lower(retCmp("!=", 0), u32()), {{ge(1), le(P32 - 1)}});
  EXPECT_EQ(formatPostCondition(lower(retCmp("!=", 2), u64())),
            "R0 <= 1 || R0 >= 3");
}

TEST(CodeGenPost, Ordering) {
  EXPECT_POST(lower(retCmp(">=", 0)), {{le(P31 - 1)}});
  EXPECT_POST(lower(retCmp(">", 0)), {{ge(1), le(P31 - 1)}});
  // __return < 3 for int: 0..2, or negative (R0 in [2^31, 2^32 - 1]).
  EXPECT_POST(lower(retCmp("<", 3)), {{le(2)}, {ge(P31), le(P32 - 1)}});
  EXPECT_POST(lower(retCmp("<=", -1)), {{ge(P31), le(P32 - 1)}});
  EXPECT_POST(lower(retCmp("<", 3), u32()), {{le(2)}});
  // Constant on the left: 3 > __return.
  EXPECT_POST(lower(cmpA(">", lit(3), vr()), u32()), {{le(2)}});
}

TEST(CodeGenPost, Connectives) {
  // || of adjacent values merges; of separate values stays two disjuncts.
  EXPECT_POST(lower(orA(retCmp("==", 1), retCmp("==", 2))), {{ge(1), le(2)}});
  EXPECT_POST(lower(orA(retCmp("==", 1), retCmp("==", 3))),
              {{ge(1), le(1)}, {ge(3), le(3)}});
  EXPECT_POST(lower(andA(retCmp(">=", 1), retCmp("<=", 3))), {{ge(1), le(3)}});
  // Signed int range straddling zero: -2..1.
  EXPECT_POST(lower(andA(retCmp(">=", -2), retCmp("<=", 1))),
              {{le(1)}, {ge(P32 - 2), le(P32 - 1)}});
  // DNF: (a || b) && (c || d).
  EXPECT_POST(lower(andA(orA(retCmp("==", 1), retCmp("==", 5)),
                         orA(retCmp("<", 2), retCmp(">", 4))),
                    u32()),
              {{ge(1), le(1)}, {ge(5), le(5)}});
  EXPECT_POST(lower(notA(retCmp("==", 2)), u64()), {{le(1)}, {ge(3)}});
  EXPECT_POST(lower(conn(Assertion::Kind::Implies, retCmp(">", 0),
                         retCmp("==", 1)),
                    u32()),
              {{le(1)}});
  // Contradiction: a single fact -1 >= 0. Tautology: no constraint.
  EXPECT_POST(lower(andA(retCmp("<", 0), retCmp(">", 0))), {{PostFact{0, -1}}});
  EXPECT_TRUE(lower(orA(retCmp("<", 5), retCmp(">=", 5))).empty());
  EXPECT_TRUE(lower(retCmp(">=", 0), u32()).empty());
  EXPECT_TRUE(lower(leaf(Assertion::Kind::True)).empty());
  EXPECT_POST(lower(conn(Assertion::Kind::Sep, retCmp("==", 2),
                         leaf(Assertion::Kind::TT))),
              {{ge(2), le(2)}});
}

TEST(CodeGenPost, ConstantArithmetic) {
  EXPECT_POST(lower(cmpA("==", vr(), bt("+", lit(1), lit(1)))), {{ge(2), le(2)}});
  EXPECT_POST(lower(cmpA("==", bt("*", lit(2), vr()), lit(4))), {{ge(2), le(2)}});
  EXPECT_POST(lower(cmpA("==", bt("+", vr(), lit(1)), lit(3))), {{ge(2), le(2)}});
  EXPECT_POST(lower(cmpA("==", bt("*", vr(), lit(2)), lit(3))), {{PostFact{0, -1}}});
  EXPECT_POST(lower(cmpA("==", vr(), ut("-", lit(1)))), {{ge(P32 - 1), le(P32 - 1)}});
  EXPECT_POST(lower(cmpA("==", vr(), castT("int", lit(P32 - 1)))),
              {{ge(P32 - 1), le(P32 - 1)}});
  EXPECT_POST(lower(cmpA("==", vr(), bt("<<", lit(1), lit(3)))), {{ge(8), le(8)}});
  EXPECT_POST(lower(cmpA("==", vr(), bt("<<", lit(-1), lit(2)))),
              {{ge(P32 - 4), le(P32 - 4)}});
  EXPECT_POST(lower(cmpA("==", vr(), bt(">>", lit(-7), lit(1)))),
              {{ge(P32 - 4), le(P32 - 4)}}); // floor(-7 / 2) = -4
  EXPECT_POST(lower(cmpA("==", vr(), castT("unsigned char", lit(-1)))),
              {{ge(255), le(255)}});
  EXPECT_POST(lower(cmpA("==", vr(), castT("long long unsigned int", lit(-1))), u64()),
              {{ge(P64 - 1)}});
  EXPECT_POST(lower(cmpA("==", vr(), castT("__s8", lit(200)))),
              {{ge(P32 - 56), le(P32 - 56)}});
  EXPECT_POST(lower(cmpA(">=", ut("-", vr()), lit(0))), {{le(0)}, {ge(P31), le(P32 - 1)}});
  // 2 * __return >= 3  <=>  __return >= 2 (rounding up)
  EXPECT_POST(lower(cmpA(">=", bt("*", lit(2), vr()), lit(3)), u32()),
              {{ge(2), le(P32 - 1)}});
}

TEST(CodeGenPost, Unsupported) {
  EXPECT_EQ(lowerError(leaf(Assertion::Kind::Pred, "store_uchar_array"))
                .rfind("not supported yet: predicate 'store_uchar_array'", 0),
            0u);
  EXPECT_EQ(lowerError(cmpA("==", vr("x"), lit(1)))
                .rfind("not supported yet: 'x' in Ensure", 0),
            0u);
  EXPECT_EQ(lowerError(cmpA("==", bt("*", vr(), vr()), lit(4)))
                .rfind("not supported yet: non-linear", 0),
            0u);
  EXPECT_EQ(lowerError(leaf(Assertion::Kind::Emp)).rfind("not supported yet", 0), 0u);
  EXPECT_EQ(lowerError(retCmp("==", 1), ptrTy()).rfind("not supported yet", 0), 0u);
  AssertionPtr Many = retCmp("==", 0);
  for (int K = 1; K <= 64; ++K)
    Many = orA(Many, retCmp("==", 2 * K));
  EXPECT_EQ(lowerError(Many).rfind("not supported yet: Ensure needs more than 64", 0), 0u);
  EXPECT_EQ(lowerError(cmpA("==", vr(), castT("struct foo", lit(1))))
                .rfind("not supported yet: cast", 0),
            0u);
}

// For random assertions over __return, a value v of the return type
// satisfies the assertion iff R0 = v mod 2^N satisfies the lowered form;
// and no R0 outside [0, 2^N) satisfies a non-trivial lowered form.
TEST(CodeGenPost, RandomAssertionsAreExact) {
  std::mt19937_64 Rng(42);
  auto Pick = [&](unsigned N) { return unsigned(Rng() % N); };
  const char *Ops[] = {"==", "!=", "<", "<=", ">", ">="};
  for (int Round = 0; Round < 300; ++Round) {
    bool Signed = Pick(2), Wide = Pick(4) == 0;
    Type Ret = intTy(Wide ? 64 : 32, Signed);
    unsigned Bits = Ret.Bits;
    i128 Lo = Signed ? -(i128(1) << (Bits - 1)) : 0;
    i128 Hi = Signed ? (i128(1) << (Bits - 1)) - 1 : (i128(1) << Bits) - 1;
    std::vector<i128> Consts;
    for (int K = 0; K < 4; ++K)
      Consts.push_back(i128(int64_t(Rng() % 11) - 5) +
                       (Pick(3) == 0 ? (Pick(2) ? Lo : Hi) : 0));
    std::function<AssertionPtr(int)> Gen = [&](int D) -> AssertionPtr {
      if (D == 0 || Pick(3) == 0)
        return retCmp(Ops[Pick(6)], Consts[Pick(4)]);
      switch (Pick(3)) {
      case 0:
        return andA(Gen(D - 1), Gen(D - 1));
      case 1:
        return orA(Gen(D - 1), Gen(D - 1));
      default:
        return notA(Gen(D - 1));
      }
    };
    std::function<bool(const Assertion &, i128)> Eval =
        [&](const Assertion &A, i128 V) -> bool {
      switch (A.K) {
      case Assertion::Kind::And:
        return Eval(*A.Subs[0], V) && Eval(*A.Subs[1], V);
      case Assertion::Kind::Or:
        return Eval(*A.Subs[0], V) || Eval(*A.Subs[1], V);
      case Assertion::Kind::Not:
        return !Eval(*A.Subs[0], V);
      default: {
        i128 C = A.Terms[1]->Value;
        const std::string &Op = A.Op;
        return Op == "==" ? V == C : Op == "!=" ? V != C : Op == "<" ? V < C
             : Op == "<=" ? V <= C : Op == ">" ? V > C : V >= C;
      }
      }
    };
    AssertionPtr A = Gen(3);
    PostCondition P = lower(A, Ret);
    std::vector<i128> Samples = {Lo, Lo + 1, Hi, Hi - 1, 0, -1, 1};
    for (i128 C : Consts)
      for (int D = -2; D <= 2; ++D)
        Samples.push_back(C + D);
    for (i128 V : Samples) {
      if (V < Lo || V > Hi)
        continue;
      i128 R0 = V < 0 ? V + (i128(1) << Bits) : V;
      ASSERT_EQ(holds(P, R0), Eval(*A, V))
          << "round " << Round << " v=" << int64_t(V) << " post "
          << formatPostCondition(P);
    }
    if (!P.empty() && Bits < 64) {
      EXPECT_FALSE(holds(P, i128(1) << Bits)) << formatPostCondition(P);
      EXPECT_FALSE(holds(P, (i128(1) << Bits) + 2)) << formatPostCondition(P);
    }
    // Disjuncts are disjoint intervals, lowest first: at most 2 facts each.
    for (const PostDisjunct &D : P)
      EXPECT_LE(D.size(), 2u);
  }
}
