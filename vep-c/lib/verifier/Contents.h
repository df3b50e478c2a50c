//===- Contents.h - Array contents as Z3 sequences ----------------*- C++ -*-===//
//
// Private to vep_verifier: the content model of VEP-C (docs/vep-c.md,
// "Contents and sequences"). The contents of a buffer are a Z3 array from
// a 64-bit element index to the element's bits; a sequence of the
// annotation language (`l`, `sublist(lo, hi, l)`, `app(l1, l2)`,
// `replace_Znth(i, v, l)`) is such an array read from index 0 plus a
// length, an annotation integer. Annotation integers are the exact signed
// bit-vectors of Verifier.cpp (mathWidth / mathExtend).
//
//===----------------------------------------------------------------------===//
#ifndef VEP_C_VERIFIER_CONTENTS_H
#define VEP_C_VERIFIER_CONTENTS_H

#include <z3++.h>

#include <string>

namespace vep::verifier {

/// The width of an annotation integer, and the integer at a larger width.
inline unsigned mathWidth(const z3::expr &E) { return E.get_sort().bv_size(); }
inline z3::expr mathExtend(const z3::expr &E, unsigned W) {
  unsigned Cur = mathWidth(E);
  return W > Cur ? z3::sext(E, W - Cur) : E;
}

/// A sequence of machine integers of Bits bits (Signed: read as signed in
/// annotations): element k is Arr[k] for 0 <= k < Len.
struct Seq {
  z3::expr Arr;
  z3::expr Len; // an annotation integer
  unsigned Bits;
  bool Signed;
};

/// The 64-bit array index of an annotation integer (its value modulo
/// 2^64: indices of sequences are below 2^32, so two indices in range
/// never alias).
z3::expr seqIndex(const z3::expr &MathIndex);

/// A fresh array of Bits-bit elements (unknown contents).
z3::expr freshContents(z3::context &C, const std::string &Name, unsigned Bits);

/// Element I (an annotation integer) of S, as an annotation integer.
z3::expr seqElement(const Seq &S, const z3::expr &I);

/// The contents starting at element Base (64-bit) of Arr: k -> Arr[Base+k].
z3::expr contentsFrom(const z3::expr &Arr, const z3::expr &Base);

/// Arr with elements [Base, Base + Count) (64-bit) replaced by Src[0..).
z3::expr contentsWrite(const z3::expr &Arr, const z3::expr &Base,
                       const z3::expr &Count, const z3::expr &Src);

/// sublist(Lo, Hi, S), app(A, B), replace_Znth(I, V, S) (V an annotation
/// integer, stored modulo 2^Bits as C would).
Seq seqSublist(const Seq &S, const z3::expr &Lo, const z3::expr &Hi);
Seq seqApp(const Seq &A, const Seq &B);
Seq seqReplace(const Seq &S, const z3::expr &I, const z3::expr &V);

/// A == B: equal lengths and equal elements below the length.
z3::expr seqEqual(const Seq &A, const Seq &B);

} // namespace vep::verifier

#endif // VEP_C_VERIFIER_CONTENTS_H
