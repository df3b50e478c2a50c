//===- IntegerShadow.cpp - Bit-vector queries as linear integer ones ------===//
#include "IntegerShadow.h"

#include "Z3Dag.h"

#include <algorithm>
#include <string>

namespace vep::verifier {

namespace {

using Int = __int128;

/// Widths up to this many bits: bounds of sums and differences of two
/// values then fit in __int128 without overflow.
constexpr unsigned MaxWidth = 125;

Int pow2(unsigned K) { return Int(1) << K; }

Int floorDiv(Int A, Int D) { // D > 0
  Int Q = A / D;
  return (A % D != 0 && A < 0) ? Q - 1 : Q;
}

std::optional<Int> parseNumeral(const z3::expr &E) {
  std::string D = E.get_decimal_string(0);
  Int V = 0;
  for (char Ch : D) {
    if (Ch < '0' || Ch > '9' || V > pow2(MaxWidth))
      return std::nullopt;
    V = V * 10 + (Ch - '0');
  }
  return V;
}

} // namespace

IntegerShadow::IntegerShadow(z3::context &C, unsigned TimeoutMillis)
    : C(C), S(C), DefaultTimeout(TimeoutMillis) {}

z3::expr IntegerShadow::num(Int V) {
  bool Neg = V < 0;
  unsigned __int128 U = Neg ? -(unsigned __int128)V : (unsigned __int128)V;
  std::string D;
  do {
    D.insert(D.begin(), char('0' + int(U % 10)));
    U /= 10;
  } while (U);
  if (Neg)
    D.insert(D.begin(), '-');
  return C.int_val(D.c_str());
}

void IntegerShadow::addFact(const z3::expr &Fact) {
  std::optional<z3::expr> F = formula(Fact);
  for (const z3::expr &R : NewFacts)
    S.add(R);
  NewFacts.clear();
  if (F)
    S.add(*F);
}

z3::check_result IntegerShadow::check(const z3::expr &Query,
                                      std::optional<unsigned> TimeoutMillis) {
  std::optional<z3::expr> Q = formula(Query);
  for (const z3::expr &R : NewFacts)
    S.add(R);
  NewFacts.clear();
  if (!Q)
    return z3::unknown;
  if (unsigned T = TimeoutMillis.value_or(DefaultTimeout); T != Timeout) {
    z3::params P(C);
    P.set("timeout", T);
    S.set(P);
    Timeout = T;
  }
  S.push();
  S.add(*Q);
  z3::check_result CR = S.check();
  S.pop();
  if (CR == z3::sat &&
      anyDagNode(Query, [](const z3::expr &X, std::vector<z3::expr> &) {
        return X.is_app() && X.num_args() &&
               X.decl().decl_kind() == Z3_OP_UNINTERPRETED;
      }))
    return z3::unknown;
  return CR;
}

IntegerShadow::Rep IntegerShadow::asUnsigned(const Rep &R) {
  if (!R.Signed)
    return R;
  Int Full = pow2(R.W);
  if (R.Lo >= 0)
    return {R.E, false, R.Lo, R.Hi, R.W};
  if (R.Hi < 0)
    return {R.E + num(Full), false, R.Lo + Full, R.Hi + Full, R.W};
  return {z3::ite(R.E < 0, R.E + num(Full), R.E), false, 0, Full - 1, R.W};
}

IntegerShadow::Rep IntegerShadow::asSigned(const Rep &R) {
  if (R.Signed)
    return R;
  Int Half = pow2(R.W - 1), Full = pow2(R.W);
  if (R.Hi < Half)
    return {R.E, true, R.Lo, R.Hi, R.W};
  if (R.Lo >= Half)
    return {R.E - num(Full), true, R.Lo - Full, R.Hi - Full, R.W};
  return {z3::ite(R.E >= num(Half), R.E - num(Full), R.E), true, -Half,
          Half - 1, R.W};
}

/// E, an unsigned value in [Lo, Hi] with 0 <= Lo and Hi < 2^(W+1),
/// reduced modulo 2^W.
IntegerShadow::Rep IntegerShadow::wrapUnsigned(const z3::expr &E, Int Lo,
                                               Int Hi, unsigned W) {
  Int Full = pow2(W);
  if (Hi < Full)
    return {E, false, Lo, Hi, W};
  if (Lo >= Full)
    return {E - num(Full), false, Lo - Full, Hi - Full, W};
  return {z3::ite(E >= num(Full), E - num(Full), E), false, 0, Full - 1, W};
}

// Sums and differences: exact as signed values when the bounds show no
// signed wrap, else as unsigned ones when they show no unsigned wrap, else
// the unsigned value reduced modulo 2^W.
std::optional<IntegerShadow::Rep> IntegerShadow::add(const Rep &A,
                                                     const Rep &B) {
  Int Half = pow2(A.W - 1), Full = pow2(A.W);
  auto Signed = [&]() -> std::optional<Rep> {
    Rep X = asSigned(A), Y = asSigned(B);
    Int Lo = X.Lo + Y.Lo, Hi = X.Hi + Y.Hi;
    if (Lo < -Half || Hi >= Half)
      return std::nullopt;
    return Rep{X.E + Y.E, true, Lo, Hi, A.W};
  };
  auto Unsigned = [&]() -> std::optional<Rep> {
    Rep X = asUnsigned(A), Y = asUnsigned(B);
    if (X.Hi + Y.Hi >= Full)
      return std::nullopt;
    return Rep{X.E + Y.E, false, X.Lo + Y.Lo, X.Hi + Y.Hi, A.W};
  };
  std::optional<Rep> R = A.Signed || B.Signed ? Signed() : Unsigned();
  if (!R)
    R = A.Signed || B.Signed ? Unsigned() : Signed();
  if (R)
    return R;
  Rep X = asUnsigned(A), Y = asUnsigned(B);
  return wrapUnsigned(X.E + Y.E, X.Lo + Y.Lo, X.Hi + Y.Hi, A.W);
}

std::optional<IntegerShadow::Rep> IntegerShadow::sub(const Rep &A,
                                                     const Rep &B) {
  Int Half = pow2(A.W - 1), Full = pow2(A.W);
  auto Signed = [&]() -> std::optional<Rep> {
    Rep X = asSigned(A), Y = asSigned(B);
    Int Lo = X.Lo - Y.Hi, Hi = X.Hi - Y.Lo;
    if (Lo < -Half || Hi >= Half)
      return std::nullopt;
    return Rep{X.E - Y.E, true, Lo, Hi, A.W};
  };
  auto Unsigned = [&]() -> std::optional<Rep> {
    Rep X = asUnsigned(A), Y = asUnsigned(B);
    if (X.Lo - Y.Hi < 0)
      return std::nullopt;
    return Rep{X.E - Y.E, false, X.Lo - Y.Hi, X.Hi - Y.Lo, A.W};
  };
  std::optional<Rep> R = A.Signed || B.Signed ? Signed() : Unsigned();
  if (!R)
    R = A.Signed || B.Signed ? Unsigned() : Signed();
  if (R)
    return R;
  // The difference of two unsigned values lies in (-2^W, 2^W).
  Rep X = asUnsigned(A), Y = asUnsigned(B);
  z3::expr D = X.E - Y.E;
  if (X.Hi - Y.Lo < 0)
    return Rep{D + num(Full), false, X.Lo - Y.Hi + Full, X.Hi - Y.Lo + Full,
               A.W};
  return Rep{z3::ite(D < 0, D + num(Full), D), false, 0, Full - 1, A.W};
}

/// A times the numeral K (an unsigned value below 2^W, which is also the
/// signed value K - 2^W modulo 2^W).
std::optional<IntegerShadow::Rep> IntegerShadow::scale(const Rep &A, Int K) {
  Int Half = pow2(A.W - 1), Full = pow2(A.W);
  auto Bounds = [](Int Lo, Int Hi, Int M, Int &RLo,
                   Int &RHi) -> bool { // false on overflow
    Int P, Q;
    if (__builtin_mul_overflow(Lo, M, &P) || __builtin_mul_overflow(Hi, M, &Q))
      return false;
    RLo = std::min(P, Q);
    RHi = std::max(P, Q);
    return true;
  };
  Int KS = K >= Half ? K - Full : K;
  Int Lo, Hi;
  Rep X = asSigned(A);
  if (Bounds(X.Lo, X.Hi, KS, Lo, Hi) && Lo >= -Half && Hi < Half)
    return Rep{num(KS) * X.E, true, Lo, Hi, A.W};
  Rep Y = asUnsigned(A);
  if (Bounds(Y.Lo, Y.Hi, K, Lo, Hi) && Hi < Full)
    return Rep{num(K) * Y.E, false, Lo, Hi, A.W};
  return Rep{z3::mod(num(K) * Y.E, num(Full)), false, 0, Full - 1, A.W};
}

/// T's unsigned value if its bounds fix it (a numeral, or one extended).
std::optional<Int> IntegerShadow::constant(const z3::expr &T) {
  std::optional<Rep> R = term(T);
  if (!R || R->Lo != R->Hi)
    return std::nullopt;
  return R->Lo < 0 ? R->Lo + pow2(R->W) : R->Lo;
}

std::optional<unsigned> IntegerShadow::width(const z3::sort &Sort) {
  if (!Sort.is_bv() || Sort.bv_size() > MaxWidth)
    return std::nullopt;
  return Sort.bv_size();
}

std::optional<z3::expr> IntegerShadow::array(const z3::expr &A) {
  return memoised(Arrays, A, &IntegerShadow::arrayUncached);
}

std::optional<z3::expr> IntegerShadow::arrayUncached(const z3::expr &A) {
  z3::sort Sort = A.get_sort();
  if (!Sort.is_array() || !width(Sort.array_domain()) ||
      !width(Sort.array_range()))
    return std::nullopt;
  if (A.is_lambda())
    return binder(A);
  if (!A.is_app())
    return std::nullopt;
  z3::func_decl D = A.decl();
  switch (D.decl_kind()) {
  case Z3_OP_UNINTERPRETED: {
    if (A.num_args() != 0)
      return std::nullopt;
    // Its elements lie in their range (so that an integer model is a
    // machine one); a fact of every query.
    z3::expr Arr = C.constant(("array." + D.name().str()).c_str(),
                              C.array_sort(C.int_sort(), C.int_sort()));
    z3::expr K =
        C.int_const(("shadow.element!" + std::to_string(FreshCount++)).c_str());
    z3::expr E = z3::select(Arr, K);
    NewFacts.push_back(z3::forall(
        K, E >= 0 && E <= num(pow2(*width(Sort.array_range())) - 1)));
    return Arr;
  }
  case Z3_OP_STORE: {
    std::optional<z3::expr> Arr = array(A.arg(0));
    std::optional<Rep> I = term(A.arg(1)), V = term(A.arg(2));
    if (!Arr || !I || !V)
      return std::nullopt;
    return z3::store(*Arr, asUnsigned(*I).E, asUnsigned(*V).E);
  }
  case Z3_OP_ITE: {
    std::optional<z3::expr> Cond = formula(A.arg(0));
    std::optional<z3::expr> X = array(A.arg(1)), Y = array(A.arg(2));
    if (!Cond || !X || !Y)
      return std::nullopt;
    return z3::ite(*Cond, *X, *Y);
  }
  default:
    return std::nullopt;
  }
}

/// A quantifier or lambda over bit-vectors as one over the integers in
/// their range: its bound variables become fresh constants standing for
/// integer ones while the body is translated.
std::optional<z3::expr> IntegerShadow::binder(const z3::expr &Q) {
  unsigned N = Z3_get_quantifier_num_bound(C, Q);
  std::vector<z3::expr> Placeholders;
  z3::expr_vector Bound(C);
  z3::expr Guard = C.bool_val(true);
  for (unsigned I = 0; I < N; ++I) {
    z3::sort Sort(C, Z3_get_quantifier_bound_sort(C, Q, I));
    std::optional<unsigned> W = width(Sort);
    if (!W)
      return std::nullopt;
    std::string Name = "shadow.bound!" + std::to_string(FreshCount++);
    z3::expr P = C.constant(Name.c_str(), Sort);
    z3::expr K = C.int_const(Name.c_str());
    Terms.emplace(Z3_get_ast_id(C, P), Rep{K, false, 0, pow2(*W) - 1, *W});
    Sources.push_back(P);
    Placeholders.push_back(P);
    Bound.push_back(K);
    Guard = Guard && K >= 0 && K <= num(pow2(*W) - 1);
  }
  // De Bruijn index i names the i-th bound variable from the innermost.
  z3::expr_vector Dst(C);
  for (unsigned I = 0; I < N; ++I)
    Dst.push_back(Placeholders[N - 1 - I]);
  z3::expr Body = Q.body().substitute(Dst);
  struct InBinder {
    unsigned &Depth;
    InBinder(unsigned &D) : Depth(D) { ++Depth; }
    ~InBinder() { --Depth; }
  } Scope(Binders);
  if (Q.is_lambda()) {
    std::optional<Rep> B = term(Body);
    if (!B)
      return std::nullopt;
    return z3::lambda(Bound, asUnsigned(*B).E);
  }
  std::optional<z3::expr> B = formula(Body);
  if (!B)
    return std::nullopt;
  return Q.is_forall() ? z3::forall(Bound, z3::implies(Guard, *B))
                       : z3::exists(Bound, Guard && *B);
}

std::optional<IntegerShadow::Rep> IntegerShadow::term(const z3::expr &T) {
  return memoised(Terms, T, &IntegerShadow::termUncached);
}

std::optional<IntegerShadow::Rep>
IntegerShadow::termUncached(const z3::expr &T) {
  if (!T.is_bv() || T.get_sort().bv_size() > MaxWidth || !T.is_app())
    return std::nullopt;
  unsigned W = T.get_sort().bv_size();
  Int Full = pow2(W);
  if (T.is_numeral()) {
    std::optional<Int> V = parseNumeral(T);
    if (!V)
      return std::nullopt;
    return Rep{num(*V), false, *V, *V, W};
  }
  z3::func_decl D = T.decl();
  unsigned N = T.num_args();
  auto Param = [&](unsigned I) {
    return unsigned(Z3_get_decl_int_parameter(C, D, I));
  };
  auto Arg = [&](unsigned I) { return term(T.arg(I)); };
  switch (D.decl_kind()) {
  case Z3_OP_UNINTERPRETED: {
    if (N != 0)
      return std::nullopt;
    z3::expr X = C.int_const(("int." + D.name().str()).c_str());
    NewFacts.push_back(X >= 0 && X <= num(Full - 1));
    return Rep{X, false, 0, Full - 1, W};
  }
  case Z3_OP_ZERO_EXT: {
    std::optional<Rep> A = Arg(0);
    if (!A)
      return std::nullopt;
    Rep U = asUnsigned(*A);
    U.W = W;
    return U;
  }
  case Z3_OP_SIGN_EXT: {
    std::optional<Rep> A = Arg(0);
    if (!A)
      return std::nullopt;
    Rep S = asSigned(*A);
    S.W = W;
    return S;
  }
  case Z3_OP_CONCAT: {
    // (concat ((_ extract w-1 w-1) x) x), simplify's sign extension by one.
    if (N == 2) {
      z3::expr Hi = T.arg(0), X = T.arg(1);
      unsigned XW = X.get_sort().bv_size();
      if (Hi.is_app() && Hi.decl().decl_kind() == Z3_OP_EXTRACT &&
          Z3_get_ast_id(C, Hi.arg(0)) == Z3_get_ast_id(C, X) &&
          unsigned(Z3_get_decl_int_parameter(C, Hi.decl(), 0)) == XW - 1 &&
          unsigned(Z3_get_decl_int_parameter(C, Hi.decl(), 1)) == XW - 1) {
        std::optional<Rep> A = term(X);
        if (!A)
          return std::nullopt;
        Rep S = asSigned(*A);
        S.W = W;
        return S;
      }
    }
    // The first argument holds the high bits.
    std::optional<Rep> R;
    for (unsigned I = 0; I < N; ++I) {
      std::optional<Rep> A = Arg(I);
      if (!A)
        return std::nullopt;
      Rep U = asUnsigned(*A);
      if (!R) {
        R = U;
        continue;
      }
      Int Shift = pow2(U.W);
      R = Rep{R->E * num(Shift) + U.E, false, R->Lo * Shift + U.Lo,
              R->Hi * Shift + U.Hi, R->W + U.W};
    }
    if (R)
      R->W = W;
    return R;
  }
  case Z3_OP_EXTRACT: {
    unsigned High = Param(0), Low = Param(1);
    std::optional<Rep> A = Arg(0);
    if (!A)
      return std::nullopt;
    Int NewHalf = pow2(W - 1);
    // Truncating a value that fits keeps it.
    if (Low == 0 && A->Signed && A->Lo >= -NewHalf && A->Hi < NewHalf)
      return Rep{A->E, true, A->Lo, A->Hi, W};
    Rep U = asUnsigned(*A);
    z3::expr E = U.E;
    Int Lo = U.Lo, Hi = U.Hi;
    if (Low) {
      E = E / num(pow2(Low)); // nonnegative: floor division
      Lo >>= Low;
      Hi >>= Low;
    }
    (void)High;
    if (Hi < Full)
      return Rep{E, false, Lo, Hi, W};
    return Rep{z3::mod(E, num(Full)), false, 0, Full - 1, W};
  }
  case Z3_OP_BADD: {
    std::optional<Rep> R = Arg(0);
    for (unsigned I = 1; R && I < N; ++I) {
      std::optional<Rep> B = Arg(I);
      R = B ? add(*R, *B) : std::nullopt;
    }
    return R;
  }
  case Z3_OP_BSUB: {
    std::optional<Rep> A = Arg(0), B = Arg(1);
    if (N != 2 || !A || !B)
      return std::nullopt;
    return sub(*A, *B);
  }
  case Z3_OP_BNOT: {
    std::optional<Rep> A = Arg(0);
    if (!A)
      return std::nullopt;
    Rep U = asUnsigned(*A);
    return Rep{num(Full - 1) - U.E, false, Full - 1 - U.Hi, Full - 1 - U.Lo, W};
  }
  case Z3_OP_BNEG: {
    std::optional<Rep> A = Arg(0);
    if (!A)
      return std::nullopt;
    return sub(Rep{num(0), false, 0, 0, W}, *A);
  }
  case Z3_OP_BMUL: {
    // A product with one constant factor (simplify writes x - y as
    // x + 0b11...1 * y).
    if (N != 2)
      return std::nullopt;
    unsigned V = constant(T.arg(0)) ? 1 : 0;
    std::optional<Int> K = constant(T.arg(1 - V));
    std::optional<Rep> A = Arg(V);
    if (!K || !A)
      return std::nullopt;
    return scale(*A, *K);
  }
  case Z3_OP_BSHL: {
    std::optional<Int> K = constant(T.arg(1));
    std::optional<Rep> A = Arg(0);
    if (!K || !A)
      return std::nullopt;
    if (*K >= W)
      return Rep{num(0), false, 0, 0, W};
    return scale(*A, pow2(unsigned(*K)));
  }
  case Z3_OP_BLSHR: {
    std::optional<Int> K = constant(T.arg(1));
    std::optional<Rep> A = Arg(0);
    if (!K || !A)
      return std::nullopt;
    if (*K >= W)
      return Rep{num(0), false, 0, 0, W};
    Rep U = asUnsigned(*A);
    unsigned Sh = unsigned(*K);
    return Rep{U.E / num(pow2(Sh)), false, U.Lo >> Sh, U.Hi >> Sh, W};
  }
  case Z3_OP_BASHR: {
    // Shifting by W - 1 or more leaves the sign: floor(s / 2^k) is then
    // -1 or 0 too.
    std::optional<Int> K = constant(T.arg(1));
    std::optional<Rep> A = Arg(0);
    if (!K || !A)
      return std::nullopt;
    unsigned Sh = unsigned(std::min<Int>(*K, W));
    Rep S = asSigned(*A);
    Int Dv = pow2(Sh);
    return Rep{S.E / num(Dv), true, floorDiv(S.Lo, Dv), floorDiv(S.Hi, Dv), W};
  }
  case Z3_OP_BAND: {
    // A mask of the low bits: the value modulo 2^k.
    if (N != 2)
      return std::nullopt;
    unsigned V = constant(T.arg(0)) ? 1 : 0;
    std::optional<Int> M = constant(T.arg(1 - V));
    std::optional<Rep> A = Arg(V);
    if (!M || !A || (*M & (*M + 1)) != 0)
      return std::nullopt;
    Rep U = asUnsigned(*A);
    if (U.Hi <= *M)
      return U;
    return Rep{z3::mod(U.E, num(*M + 1)), false, 0, *M, W};
  }
  case Z3_OP_BUDIV:
  case Z3_OP_BUDIV_I:
  case Z3_OP_BUREM:
  case Z3_OP_BUREM_I: {
    std::optional<Int> Dv = constant(T.arg(1));
    std::optional<Rep> A = Arg(0), B = Arg(1);
    if (!A || !B)
      return std::nullopt;
    Rep U = asUnsigned(*A);
    bool Div = D.decl_kind() == Z3_OP_BUDIV || D.decl_kind() == Z3_OP_BUDIV_I;
    if (!Dv) {
      // By a variable: the quotient and remainder as fresh integers that
      // their definition (a nonlinear one) fixes, a fact of every query;
      // not inside a quantifier or lambda, where they would depend on the
      // bound variables.
      if (Binders)
        return std::nullopt;
      Rep V = asUnsigned(*B);
      std::string Name = "shadow.div!" + std::to_string(FreshCount++);
      z3::expr Q = C.int_const((Name + "q").c_str());
      z3::expr R = C.int_const((Name + "r").c_str());
      // Division by zero gives all ones and leaves the dividend.
      NewFacts.push_back(z3::ite(V.E == 0, Q == num(Full - 1) && R == U.E,
                                 U.E == Q * V.E + R && R >= 0 && R < V.E));
      NewFacts.push_back(Q >= 0 && Q <= num(Full - 1));
      return Div ? Rep{Q, false, 0, Full - 1, W} : Rep{R, false, 0, U.Hi, W};
    }
    if (*Dv == 0)
      return std::nullopt;
    if (Div)
      return Rep{U.E / num(*Dv), false, U.Lo / *Dv, U.Hi / *Dv, W};
    if (U.Hi < *Dv)
      return U;
    return Rep{z3::mod(U.E, num(*Dv)), false, 0, *Dv - 1, W};
  }
  case Z3_OP_SELECT: {
    // An element of an array variable lies in its range in the models
    // that matter (those of the bit-vector query).
    std::optional<z3::expr> Arr = array(T.arg(0));
    std::optional<Rep> I = Arg(1);
    if (N != 2 || !Arr || !I)
      return std::nullopt;
    return Rep{z3::select(*Arr, asUnsigned(*I).E), false, 0, Full - 1, W};
  }
  case Z3_OP_ITE: {
    std::optional<z3::expr> Cond = formula(T.arg(0));
    std::optional<Rep> A = Arg(1), B = Arg(2);
    if (!Cond || !A || !B)
      return std::nullopt;
    Rep X = A->Signed && B->Signed ? *A : asUnsigned(*A);
    Rep Y = A->Signed && B->Signed ? *B : asUnsigned(*B);
    return Rep{z3::ite(*Cond, X.E, Y.E), X.Signed, std::min(X.Lo, Y.Lo),
               std::max(X.Hi, Y.Hi), W};
  }
  default:
    return std::nullopt;
  }
}

std::optional<z3::expr> IntegerShadow::formula(const z3::expr &F) {
  return memoised(Formulas, F, &IntegerShadow::formulaUncached);
}

std::optional<z3::expr> IntegerShadow::compare(const z3::expr &F,
                                               Z3_decl_kind K) {
  std::optional<Rep> A = term(F.arg(0)), B = term(F.arg(1));
  if (!A || !B)
    return std::nullopt;
  switch (K) {
  case Z3_OP_EQ:
    if (A->Signed && B->Signed)
      return A->E == B->E;
    return asUnsigned(*A).E == asUnsigned(*B).E;
  case Z3_OP_ULEQ:
    return asUnsigned(*A).E <= asUnsigned(*B).E;
  case Z3_OP_ULT:
    return asUnsigned(*A).E < asUnsigned(*B).E;
  case Z3_OP_UGEQ:
    return asUnsigned(*A).E >= asUnsigned(*B).E;
  case Z3_OP_UGT:
    return asUnsigned(*A).E > asUnsigned(*B).E;
  case Z3_OP_SLEQ:
    return asSigned(*A).E <= asSigned(*B).E;
  case Z3_OP_SLT:
    return asSigned(*A).E < asSigned(*B).E;
  case Z3_OP_SGEQ:
    return asSigned(*A).E >= asSigned(*B).E;
  case Z3_OP_SGT:
    return asSigned(*A).E > asSigned(*B).E;
  default:
    return std::nullopt;
  }
}

std::optional<z3::expr> IntegerShadow::formulaUncached(const z3::expr &F) {
  if (!F.is_bool())
    return std::nullopt;
  if (F.is_quantifier() && !F.is_lambda())
    return binder(F);
  if (!F.is_app())
    return std::nullopt;
  z3::func_decl D = F.decl();
  unsigned N = F.num_args();
  // The arguments as formulas (all Boolean).
  auto Args = [&]() -> std::optional<z3::expr_vector> {
    z3::expr_vector V(C);
    for (unsigned I = 0; I < N; ++I) {
      std::optional<z3::expr> A = formula(F.arg(I));
      if (!A)
        return std::nullopt;
      V.push_back(*A);
    }
    return V;
  };
  Z3_decl_kind K = D.decl_kind();
  switch (K) {
  case Z3_OP_TRUE:
    return C.bool_val(true);
  case Z3_OP_FALSE:
    return C.bool_val(false);
  case Z3_OP_UNINTERPRETED: {
    if (N == 0)
      return C.bool_const(("bool." + D.name().str()).c_str());
    // A user predicate (Predicates.h): the same function of the
    // arguments' integer images, defined by its translated axioms.
    z3::expr_vector Args(C);
    z3::sort_vector Domain(C);
    for (unsigned I = 0; I < N; ++I) {
      z3::expr A = F.arg(I);
      std::optional<z3::expr> X;
      if (A.is_bool()) {
        X = formula(A);
      } else if (A.is_array()) {
        X = array(A);
      } else if (std::optional<Rep> R = term(A)) {
        X = asUnsigned(*R).E;
      }
      if (!X)
        return std::nullopt;
      Args.push_back(*X);
      Domain.push_back(X->get_sort());
    }
    return C.function(("function." + D.name().str()).c_str(), Domain,
                      C.bool_sort())(Args);
  }
  case Z3_OP_AND:
  case Z3_OP_OR:
  case Z3_OP_NOT:
  case Z3_OP_IMPLIES:
  case Z3_OP_XOR:
  case Z3_OP_IFF: {
    std::optional<z3::expr_vector> V = Args();
    if (!V)
      return std::nullopt;
    if (K == Z3_OP_AND)
      return z3::mk_and(*V);
    if (K == Z3_OP_OR)
      return z3::mk_or(*V);
    if (K == Z3_OP_NOT)
      return !(*V)[0];
    if (K == Z3_OP_IMPLIES)
      return z3::implies((*V)[0], (*V)[1]);
    if (K == Z3_OP_XOR)
      return (*V)[0] != (*V)[1];
    return (*V)[0] == (*V)[1];
  }
  case Z3_OP_ITE: {
    std::optional<z3::expr_vector> V = Args();
    if (!V)
      return std::nullopt;
    return z3::ite((*V)[0], (*V)[1], (*V)[2]);
  }
  case Z3_OP_EQ:
  case Z3_OP_DISTINCT: {
    if (N != 2)
      return std::nullopt;
    std::optional<z3::expr> Eq;
    if (F.arg(0).is_bool()) {
      std::optional<z3::expr_vector> V = Args();
      if (V)
        Eq = (*V)[0] == (*V)[1];
    } else if (F.arg(0).is_array()) {
      // Equal at every index in range.
      std::optional<z3::expr> X = array(F.arg(0)), Y = array(F.arg(1));
      std::optional<unsigned> W = width(F.arg(0).get_sort().array_domain());
      if (X && Y && W) {
        z3::expr K = C.int_const(
            ("shadow.index!" + std::to_string(FreshCount++)).c_str());
        Eq = z3::forall(K, z3::implies(K >= 0 && K <= num(pow2(*W) - 1),
                                       z3::select(*X, K) == z3::select(*Y, K)));
      }
    } else {
      Eq = compare(F, Z3_OP_EQ);
    }
    if (!Eq)
      return std::nullopt;
    return K == Z3_OP_EQ ? *Eq : !*Eq;
  }
  case Z3_OP_ULEQ:
  case Z3_OP_ULT:
  case Z3_OP_UGEQ:
  case Z3_OP_UGT:
  case Z3_OP_SLEQ:
  case Z3_OP_SLT:
  case Z3_OP_SGEQ:
  case Z3_OP_SGT:
    return compare(F, K);
  case Z3_OP_BSMUL_NO_OVFL:
  case Z3_OP_BSMUL_NO_UDFL:
  case Z3_OP_BUMUL_NO_OVFL: {
    // With a constant factor: the exact product is at most the largest
    // value (overflow), or at least the least one (signed underflow).
    unsigned V = constant(F.arg(0)) ? 1 : 0;
    std::optional<Int> Kv = constant(F.arg(1 - V));
    std::optional<Rep> A = term(F.arg(V));
    if (!Kv || !A)
      return std::nullopt;
    Int Half = pow2(A->W - 1), Full = pow2(A->W);
    if (K == Z3_OP_BUMUL_NO_OVFL)
      return num(*Kv) * asUnsigned(*A).E <= num(Full - 1);
    z3::expr P = num(*Kv >= Half ? *Kv - Full : *Kv) * asSigned(*A).E;
    return K == Z3_OP_BSMUL_NO_OVFL ? P <= num(Half - 1) : P >= num(-Half);
  }
  default:
    return std::nullopt;
  }
}

} // namespace vep::verifier
