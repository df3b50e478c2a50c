//===- PostLowering.cpp - Ensure clause to facts over R0 ------------------===//
//
// The meaning of an Ensure clause that talks only about `__return` is a set
// of values of the return type. We compute that set exactly as a union of
// disjoint integer intervals over the C value v (&&: intersection, ||:
// union, !: complement within the type's range), then map it to R0: the
// code generator leaves v's N-bit two's complement pattern zero-extended in
// R0, so v >= 0 is R0 = v and v < 0 is R0 = v + 2^N. Each resulting R0
// interval [lo, hi] becomes one disjunct: R0 - lo >= 0 (omitted for lo = 0)
// and hi - R0 >= 0 (omitted for hi = 2^64 - 1). The upper bound is kept even
// where it is the type's maximum, so the checker also proves that the high
// bits of R0 are clear and the kernel's 32-bit read sees the same value.
//
//===----------------------------------------------------------------------===//

#include "CodeGenInternal.h"
#include "vep/compiler/CodeGen.h"
#include "vep/logic/TypeNames.h"

#include <algorithm>
#include <optional>

namespace vep::compiler {
namespace {

using i128 = __int128;
using logic::Assertion;
using logic::Term;

constexpr i128 Inf = i128(1) << 120;    // beyond any value of a C type
constexpr i128 Limit = i128(1) << 100;  // constants must stay below this
constexpr size_t MaxDisjuncts = 64;     // VEP_MAX_POSTS of check.h

struct Interval {
  i128 Lo, Hi; // inclusive
};
using ISet = std::vector<Interval>; // sorted, disjoint, non-adjacent

ISet normalize(ISet S) {
  std::sort(S.begin(), S.end(),
            [](const Interval &A, const Interval &B) { return A.Lo < B.Lo; });
  ISet Out;
  for (const Interval &I : S) {
    if (I.Lo > I.Hi)
      continue;
    if (!Out.empty() && I.Lo <= Out.back().Hi + 1)
      Out.back().Hi = std::max(Out.back().Hi, I.Hi);
    else
      Out.push_back(I);
  }
  return Out;
}

ISet intersect(const ISet &A, const ISet &B) {
  ISet Out;
  for (const Interval &X : A)
    for (const Interval &Y : B) {
      Interval Z{std::max(X.Lo, Y.Lo), std::min(X.Hi, Y.Hi)};
      if (Z.Lo <= Z.Hi)
        Out.push_back(Z);
    }
  return normalize(Out);
}

ISet unite(const ISet &A, const ISet &B) {
  ISet Out = A;
  Out.insert(Out.end(), B.begin(), B.end());
  return normalize(Out);
}

ISet complement(const ISet &A, const Interval &U) {
  ISet Out;
  i128 Next = U.Lo;
  for (const Interval &I : A) {
    if (I.Lo > Next)
      Out.push_back({Next, std::min(I.Lo - 1, U.Hi)});
    Next = std::max(Next, I.Hi + 1);
  }
  if (Next <= U.Hi)
    Out.push_back({Next, U.Hi});
  return normalize(Out);
}

i128 floorDiv(i128 A, i128 B) { // B > 0
  i128 Q = A / B;
  if (A % B != 0 && A < 0)
    --Q;
  return Q;
}
i128 ceilDiv(i128 A, i128 B) { return -floorDiv(-A, B); } // B > 0

/// K*v + M
struct Affine {
  i128 K = 0, M = 0;
};

class Lowerer {
public:
  Lowerer(const cir::Function &F, std::string &Err) : F(F), Err(Err) {}

  bool run(const Assertion &A, PostCondition &Out) {
    Bits = F.ReturnType.Bits;
    Signed = F.ReturnType.Signed;
    if (F.ReturnType.isPtr() ||
        (Bits != 8 && Bits != 16 && Bits != 32 && Bits != 64))
      return fail("not supported yet: Ensure on a function returning '" +
                  F.ReturnType.Spelling + "'");
    if (Signed)
      U = {-(i128(1) << (Bits - 1)), (i128(1) << (Bits - 1)) - 1};
    else
      U = {0, (i128(1) << Bits) - 1};
    std::optional<ISet> S = eval(A);
    if (!S)
      return false;
    Out.clear();
    if (S->size() == 1 && S->front().Lo == U.Lo && S->front().Hi == U.Hi)
      return true; // trivially true: no constraint
    if (S->empty()) {
      Out.push_back({PostFact{0, -1}}); // false
      return true;
    }
    ISet R0;
    i128 Mod = i128(1) << Bits;
    for (const Interval &I : *S) {
      i128 Lo = std::max(I.Lo, i128(0));
      if (Lo <= I.Hi)
        R0.push_back({Lo, I.Hi});
      i128 Hi = std::min(I.Hi, i128(-1));
      if (I.Lo <= Hi)
        R0.push_back({I.Lo + Mod, Hi + Mod});
    }
    R0 = normalize(R0);
    const i128 U64Max = (i128(1) << 64) - 1;
    for (const Interval &I : R0) {
      PostDisjunct D;
      if (I.Lo > 0)
        D.push_back(PostFact{1, -I.Lo});
      if (I.Hi < U64Max)
        D.push_back(PostFact{-1, I.Hi});
      if (D.empty()) { // all of R0's range
        Out.clear();
        return true;
      }
      Out.push_back(std::move(D));
    }
    if (Out.size() > MaxDisjuncts) {
      Out.clear();
      return fail("not supported yet: Ensure needs more than " +
                  std::to_string(MaxDisjuncts) +
                  " disjoint ranges of __return");
    }
    return true;
  }

private:
  const cir::Function &F;
  std::string &Err;
  unsigned Bits = 64;
  bool Signed = false;
  Interval U{0, 0};

  bool fail(const std::string &M) {
    if (Err.empty())
      Err = M;
    return false;
  }

  bool checked(i128 V) {
    if (V > Limit || V < -Limit)
      return fail("not supported yet: constant out of range in Ensure");
    return true;
  }

  std::optional<Affine> term(const Term &T) {
    using TK = Term::Kind;
    switch (T.K) {
    case TK::IntLit:
      if (!checked(T.Value))
        return std::nullopt;
      return Affine{0, T.Value};
    case TK::Var:
      if (T.Name == "__return" && !T.AtPre)
        return Affine{1, 0};
      fail("not supported yet: '" + T.Name + (T.AtPre ? "@pre" : "") +
           "' in Ensure (only __return and integer constants)");
      return std::nullopt;
    case TK::Unary: {
      if (T.Args.empty() || !T.Args[0])
        break;
      auto A = term(*T.Args[0]);
      if (!A)
        return std::nullopt;
      if (T.Op == "-")
        return Affine{-A->K, -A->M};
      if (T.Op == "+")
        return A;
      if (T.Op == "~" && A->K == 0)
        return Affine{0, -A->M - 1};
      fail("not supported yet: operator '" + T.Op + "' in Ensure");
      return std::nullopt;
    }
    case TK::Binary: {
      if (T.Args.size() < 2 || !T.Args[0] || !T.Args[1])
        break;
      auto A = term(*T.Args[0]);
      if (!A)
        return std::nullopt;
      auto B = term(*T.Args[1]);
      if (!B)
        return std::nullopt;
      Affine R;
      const std::string &Op = T.Op;
      if (Op == "+") {
        R = {A->K + B->K, A->M + B->M};
      } else if (Op == "-") {
        R = {A->K - B->K, A->M - B->M};
      } else if (Op == "*") {
        if (A->K != 0 && B->K != 0) {
          fail("not supported yet: non-linear term in Ensure");
          return std::nullopt;
        }
        const Affine &C = A->K == 0 ? *A : *B;
        const Affine &X = A->K == 0 ? *B : *A;
        if (__builtin_mul_overflow(X.K, C.M, &R.K) ||
            __builtin_mul_overflow(X.M, C.M, &R.M)) {
          fail("not supported yet: constant out of range in Ensure");
          return std::nullopt;
        }
      } else if (A->K == 0 && B->K == 0) {
        i128 X = A->M, Y = B->M;
        if ((Op == "/" || Op == "%") && Y == 0) {
          fail("division by zero in Ensure");
          return std::nullopt;
        }
        if (Op == "/")
          R.M = X / Y; // truncates toward zero, as C
        else if (Op == "%")
          R.M = X % Y;
        else if (Op == "&")
          R.M = X & Y;
        else if (Op == "|")
          R.M = X | Y;
        else if (Op == "^")
          R.M = X ^ Y;
        else if (Op == "<<" && Y >= 0 && Y <= 100 &&
                 (X < 0 ? -X : X) <= (Limit >> int(Y)))
          R.M = X * (i128(1) << int(Y)); // x * 2^k
        else if (Op == "<<" && X == 0 && Y >= 0)
          R.M = 0;
        else if (Op == ">>" && Y >= 0)
          R.M = Y < 127 ? X >> int(Y) : (X < 0 ? -1 : 0); // floor(x / 2^k)
        else {
          fail("not supported yet: operator '" + Op + "' in Ensure");
          return std::nullopt;
        }
      } else {
        fail("not supported yet: operator '" + Op +
             "' on __return in Ensure");
        return std::nullopt;
      }
      if (!checked(R.K) || !checked(R.M))
        return std::nullopt;
      return R;
    }
    case TK::Cast: {
      if (T.Args.empty() || !T.Args[0])
        break;
      auto A = term(*T.Args[0]);
      if (!A)
        return std::nullopt;
      std::optional<logic::IntTypeName> Ty = logic::intTypeNamed(T.Name);
      if (!Ty) {
        fail("not supported yet: cast to '" + T.Name + "' in Ensure");
        return std::nullopt;
      }
      if (A->K == 0) {
        return Affine{0, logic::convertTo(A->M, *Ty)};
      }
      if (A->K == 1 && A->M == 0 && Ty->Bits == Bits && Ty->Signed == Signed)
        return A; // (return type) __return
      fail("not supported yet: cast of __return to '" + T.Name +
           "' in Ensure");
      return std::nullopt;
    }
    case TK::Member:
    case TK::Index:
    case TK::Call:
      fail("not supported yet: '" + printTermText(T) +
           "' in Ensure (only __return and integer constants)");
      return std::nullopt;
    }
    fail("internal error: malformed term in Ensure");
    return std::nullopt;
  }

  /// The v with K*v + M >= 0, within U.
  ISet geZero(i128 K, i128 M) {
    if (K == 0)
      return M >= 0 ? ISet{U} : ISet{};
    Interval I{-Inf, Inf};
    if (K > 0)
      I.Lo = ceilDiv(-M, K);
    else
      I.Hi = floorDiv(M, -K);
    return intersect({I}, {U});
  }

  std::optional<ISet> compare(const Assertion &A) {
    if (A.Terms.size() < 2 || !A.Terms[0] || !A.Terms[1]) {
      fail("internal error: malformed comparison in Ensure");
      return std::nullopt;
    }
    auto L = term(*A.Terms[0]);
    if (!L)
      return std::nullopt;
    auto R = term(*A.Terms[1]);
    if (!R)
      return std::nullopt;
    i128 K = L->K - R->K, M = L->M - R->M; // L - R = K*v + M
    const std::string &Op = A.Op;
    if (Op == ">=")
      return geZero(K, M);
    if (Op == ">")
      return geZero(K, M - 1);
    if (Op == "<=")
      return geZero(-K, -M);
    if (Op == "<")
      return geZero(-K, -M - 1);
    if (Op == "==" || Op == "!=") {
      ISet Eq;
      if (K == 0)
        Eq = M == 0 ? ISet{U} : ISet{};
      else if (M % K == 0)
        Eq = intersect({{-M / K, -M / K}}, {U});
      return Op == "==" ? Eq : complement(Eq, U);
    }
    fail("not supported yet: comparison '" + Op + "' in Ensure");
    return std::nullopt;
  }

  std::optional<ISet> eval(const Assertion &A) {
    using AK = Assertion::Kind;
    auto Sub = [&](size_t I) -> std::optional<ISet> {
      if (I >= A.Subs.size() || !A.Subs[I]) {
        fail("internal error: malformed assertion in Ensure");
        return std::nullopt;
      }
      return eval(*A.Subs[I]);
    };
    switch (A.K) {
    case AK::True:
    case AK::TT: // true; owning the rest of the heap says nothing about R0
      return ISet{U};
    case AK::False:
      return ISet{};
    case AK::Cmp:
      return compare(A);
    case AK::Not: {
      auto S = Sub(0);
      if (!S)
        return std::nullopt;
      return complement(*S, U);
    }
    case AK::And:
    case AK::Sep: // over pure facts about R0, * is &&
    case AK::Or:
    case AK::Implies: {
      auto X = Sub(0);
      if (!X)
        return std::nullopt;
      auto Y = Sub(1);
      if (!Y)
        return std::nullopt;
      if (A.K == AK::Or)
        return unite(*X, *Y);
      if (A.K == AK::Implies)
        return unite(complement(*X, U), *Y);
      return intersect(*X, *Y);
    }
    case AK::Emp:
      fail("not supported yet: 'emp' in Ensure (only comparisons of "
           "__return with constants)");
      return std::nullopt;
    case AK::Exists:
    case AK::Forall:
      fail("not supported yet: quantifier in Ensure (only comparisons of "
           "__return with constants)");
      return std::nullopt;
    case AK::Pred:
      fail("not supported yet: predicate '" + A.Name +
           "' in Ensure (only comparisons of __return with constants)");
      return std::nullopt;
    }
    fail("internal error: malformed assertion in Ensure");
    return std::nullopt;
  }
};

std::string factText(const PostFact &F) {
  if (F.A == 0)
    return F.B >= 0 ? "true" : "false";
  if (F.A == 1)
    return "R0 >= " + int128ToString(-F.B);
  if (F.A == -1)
    return "R0 <= " + int128ToString(F.B);
  return int128ToString(F.A) + "*R0 + " + int128ToString(F.B) + " >= 0";
}

} // namespace

bool lowerPostCondition(const cir::Function &F, PostCondition &Out,
                        std::string &Err) {
  Out.clear();
  if (!F.Contract || !F.Contract->Post)
    return true;
  Lowerer L(F, Err);
  return L.run(*F.Contract->Post, Out);
}

std::string formatPostCondition(const PostCondition &P) {
  if (P.empty())
    return "true";
  std::string S;
  for (size_t I = 0; I < P.size(); ++I) {
    const PostDisjunct &D = P[I];
    std::string T;
    if (D.size() == 2 && D[0].A == 1 && D[1].A == -1 && -D[0].B == D[1].B) {
      T = "R0 == " + int128ToString(D[1].B);
    } else {
      for (size_t J = 0; J < D.size(); ++J)
        T += (J ? " && " : "") + factText(D[J]);
      if (D.empty())
        T = "true";
      if (D.size() > 1 && P.size() > 1)
        T = "(" + T + ")";
    }
    S += (I ? " || " : "") + T;
  }
  return S;
}

} // namespace vep::compiler
