//===- Contents.cpp - Array contents as Z3 sequences ----------------------===//

#include "Contents.h"

#include <algorithm>

namespace vep::verifier {

z3::expr seqIndex(const z3::expr &MathIndex) {
  unsigned W = mathWidth(MathIndex);
  if (W == 64)
    return MathIndex;
  return W > 64 ? MathIndex.extract(63, 0) : z3::sext(MathIndex, 64 - W);
}

z3::expr freshContents(z3::context &C, const std::string &Name,
                       unsigned Bits) {
  return C.constant(Name.c_str(),
                    C.array_sort(C.bv_sort(64), C.bv_sort(Bits)));
}

z3::expr seqElement(const Seq &S, const z3::expr &I) {
  z3::expr E = z3::select(S.Arr, seqIndex(I));
  return S.Signed ? E : z3::zext(E, 1);
}

/// A bound variable for the lambdas below; Z3 renames it per use.
static z3::expr indexVar(z3::context &C) { return C.bv_const("k!", 64); }

z3::expr contentsFrom(const z3::expr &Arr, const z3::expr &Base) {
  // From element 0: the array itself (a lambda would hide its reads from
  // E-matching).
  uint64_t B = 1;
  if (Base.simplify().is_numeral_u64(B) && B == 0)
    return Arr;
  z3::expr K = indexVar(Arr.ctx());
  return z3::lambda(K, z3::select(Arr, K + Base));
}

z3::expr contentsWrite(const z3::expr &Arr, const z3::expr &Base,
                       const z3::expr &Count, const z3::expr &Src) {
  z3::expr K = indexVar(Arr.ctx());
  z3::expr In = z3::uge(K, Base) && z3::ult(K - Base, Count);
  return z3::lambda(K, z3::ite(In, z3::select(Src, K - Base),
                               z3::select(Arr, K)));
}

static z3::expr mathSub(const z3::expr &A, const z3::expr &B) {
  unsigned W = std::max(mathWidth(A), mathWidth(B)) + 1;
  return mathExtend(A, W) - mathExtend(B, W);
}

Seq seqSublist(const Seq &S, const z3::expr &Lo, const z3::expr &Hi) {
  return {contentsFrom(S.Arr, seqIndex(Lo)), mathSub(Hi, Lo), S.Bits,
          S.Signed};
}

Seq seqApp(const Seq &A, const Seq &B) {
  z3::expr K = indexVar(A.Arr.ctx());
  z3::expr LenA = seqIndex(A.Len);
  z3::expr Body = z3::ite(z3::ult(K, LenA), z3::select(A.Arr, K),
                          z3::select(B.Arr, K - LenA));
  unsigned W = std::max(mathWidth(A.Len), mathWidth(B.Len)) + 1;
  return {z3::lambda(K, Body), mathExtend(A.Len, W) + mathExtend(B.Len, W),
          A.Bits, A.Signed};
}

Seq seqReplace(const Seq &S, const z3::expr &I, const z3::expr &V) {
  z3::expr Bits = mathExtend(V, std::max(mathWidth(V), S.Bits))
                      .extract(S.Bits - 1, 0);
  return {z3::store(S.Arr, seqIndex(I), Bits), S.Len, S.Bits, S.Signed};
}

z3::expr seqEqual(const Seq &A, const Seq &B) {
  unsigned W = std::max(mathWidth(A.Len), mathWidth(B.Len));
  z3::expr K = indexVar(A.Arr.ctx());
  z3::expr Elements = z3::forall(
      K, z3::implies(z3::ult(K, seqIndex(A.Len)),
                     z3::select(A.Arr, K) == z3::select(B.Arr, K)));
  return mathExtend(A.Len, W) == mathExtend(B.Len, W) && Elements;
}

} // namespace vep::verifier
