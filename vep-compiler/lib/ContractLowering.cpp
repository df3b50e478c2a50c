//===- ContractLowering.cpp - A called function's contract for the checker ===//
//
// A function entry points call (no section) is checked once, against its
// contract, and its callers use only the contract (docs/design-calls.md).
// The checker's function table states the contract as two assertions
// (vep_function_header in vep/check.h): the pre over R1..R5 at the call,
// the post over R0 at every exit. This file lowers the C contract to them
// (docs/compiler.md section 8):
//
//  * parameter k arrives in R<k+1>, bound by its ParamSpec: Scalar ->
//    SCALAR x_j (facts: the type's range; a signed one only with a
//    conjunct `c <= v`, c >= 0, in Require, as at loop heads); Packet ->
//    PACKET x_j with 0 <= x_j <= len and x_j <= 2^30; PacketEnd ->
//    PACKET_END 0;
//    Buffer -> BUF of BufferBytes bytes (a term over the scalar parameters)
//    that the function may store through when Writes. x_j are the pre's
//    existentials, one per Scalar and Packet parameter, in order.
//  * the pre's facts: those of the bindings and the pure part of Require
//    (spatial predicates such as packet(p) or store_uchar_array(p, n, l)
//    are what the bindings state, and are left out);
//  * the post: R0 = SCALAR y (y the post's own existential, after the
//    pre's), y within the return type's range, and the pure part of
//    Ensure, where `__return` is y and a parameter is its value at the call
//    (its existential: C's `\old`).
//
// Leaving a conjunct out only weakens an assertion: a weaker pre makes the
// function harder to prove, a weaker post makes its callers harder to
// prove; neither makes the checker accept more.
//
//===----------------------------------------------------------------------===//

#include "CodeGenInternal.h"
#include "LinearLowering.h"
#include "vep/compiler/CodeGen.h"
#include "vep/logic/Sequences.h"

#include <set>

namespace vep::compiler {

using logic::Assertion;
using logic::Term;
using PK = cir::ParamSpec::Kind;

/// The largest offset of a packet parameter (docs/design-calls.md, VEP-C).
constexpr __int128 PacketParamMaxOffset = __int128(1) << 30;

namespace {

class ContractLowering {
public:
  ContractLowering(const cir::Function &F, std::string &Err)
      : F(F), Err(Err) {}
  bool run(CutPoint &Pre, CutPoint &Post, std::vector<std::string> &Text);

private:
  const cir::Function &F;
  std::string &Err;
  std::string Context;
  /// Per parameter: its existential (0: none).
  std::vector<uint32_t> Exist;
  std::set<std::string> LowerBounded; ///< signed names known non-negative
  /// Set by name() for a signed name that may be negative: its value is
  /// not its pattern, and comparisons of it are not linear in the pattern.
  std::string SignedUnbounded;
  bool facts(LinearLowering &L, const std::vector<const Assertion *> &Conj,
             CutPoint &Out, std::vector<std::string> &LeftOut);
  uint32_t Result = 0;                ///< y, in the post only

  bool fail(const std::string &M) {
    if (Err.empty())
      Err = M;
    return false;
  }
  std::optional<LinVal> name(const Term &T, LinearLowering &L, bool InPost);
  bool conjuncts(const Assertion *A, LinearLowering &L,
                 std::vector<const Assertion *> &Conj);
};

std::optional<LinVal> ContractLowering::name(const Term &T, LinearLowering &L,
                                             bool InPost) {
  if (InPost && T.Name == "__return" && !T.AtPre) {
    if (!Result) {
      L.fail("'__return' in the contract of '" + F.Name +
             "', which returns nothing");
      return std::nullopt;
    }
    if (F.ReturnType.Signed && !LowerBounded.count("__return")) {
      SignedUnbounded = "__return";
      return std::nullopt;
    }
    return LinVal{LinForm::var(Result), 0, false, ""};
  }
  for (unsigned K = 0; K < F.NumParams; ++K) {
    const cir::Variable &V = F.Vars[K];
    if (V.Name != T.Name)
      continue;
    LinVal R;
    switch (F.Params[K].K) {
    case PK::Scalar:
      if (V.Ty.Signed && !LowerBounded.count(V.Name)) {
        SignedUnbounded = V.Name;
        return std::nullopt;
      }
      R.F = LinForm::var(Exist[K]);
      return R;
    case PK::Packet:
    case PK::PacketEnd:
      R.Base = 1; // an address: data + x_j, or data + len
      R.F = F.Params[K].K == PK::Packet ? LinForm::var(Exist[K])
                                        : LinForm::var(0);
      if (V.Ty.PointeeSize != 1) {
        R.Wide = true;
        R.WideName = V.Ty.Spelling + " " + V.Name;
      }
      return R;
    case PK::Buffer:
      L.fail("not supported yet: the buffer parameter '" + V.Name + "' in " +
             L.context() + " (only its contents' predicates, which are left "
             "to the binding)");
      return std::nullopt;
    }
  }
  L.fail("unknown name '" + T.Name + "' in " + L.context() +
         " (a contract names parameters" + (InPost ? " and __return" : "") +
         ")");
  return std::nullopt;
}

/// The conjuncts' facts. One that compares a signed value that may be
/// negative is left out of the assertion (LeftOut says which): in the pre
/// the function then assumes less, in the post its callers learn less.
bool ContractLowering::facts(LinearLowering &L,
                             const std::vector<const Assertion *> &Conj,
                             CutPoint &Out, std::vector<std::string> &LeftOut) {
  for (const Assertion *C : Conj) {
    SignedUnbounded.clear();
    if (L.facts({C}, Out.Facts))
      continue;
    if (SignedUnbounded.empty())
      return false;
    LeftOut.push_back(printAssertionText(*C) + " (the signed '" +
                      SignedUnbounded + "' may be negative: no conjunct 'c <= " +
                      SignedUnbounded + "' with c >= 0)");
  }
  return true;
}

bool ContractLowering::conjuncts(const Assertion *A, LinearLowering &L,
                                 std::vector<const Assertion *> &Conj) {
  return !A || L.flatten(*A, Conj, /*SkipPredicates=*/true);
}

bool ContractLowering::run(CutPoint &Pre, CutPoint &Post,
                           std::vector<std::string> &Text) {
  Pre = CutPoint();
  Post = CutPoint();
  if (F.Params.size() != F.NumParams || F.NumParams > F.Vars.size())
    return fail("internal error: malformed CIR (function '" + F.Name +
                "' without a parameter description per parameter)");
  if (F.ReturnType.isPtr())
    return fail("not supported yet: '" + F.Name +
                "' returns a pointer (eBPF functions return scalars)");
  // The checker has no sequences: the clauses without their content facts
  // (docs/compiler.md, "Contents").
  logic::AssertionPtr RequireKept = logic::eraseContentFacts(
      F.Contract ? F.Contract->Pre : nullptr, F.Contract.get());
  logic::AssertionPtr EnsureKept = logic::eraseContentFacts(
      F.Contract ? F.Contract->Post : nullptr, F.Contract.get());
  const Assertion *Require = RequireKept.get();
  const Assertion *Ensure = EnsureKept.get();

  // The pre: bindings in parameter order.
  Exist.assign(F.NumParams, 0);
  std::string Exists, Bindings;
  for (unsigned K = 0; K < F.NumParams; ++K) {
    const cir::Variable &V = F.Vars[K];
    PK Kind = F.Params[K].K;
    if ((Kind == PK::Scalar) == V.Ty.isPtr())
      return fail("internal error: malformed CIR (parameter '" + V.Name +
                  "' of '" + F.Name + "' described as " +
                  (Kind == PK::Scalar ? "an integer" : "a pointer") + ")");
    if (Kind == PK::Scalar || Kind == PK::Packet) {
      Exist[K] = ++Pre.NumExists;
      Exists += (Exists.empty() ? " x" : ", x") + std::to_string(Exist[K]) +
                " (" + V.Name + ")";
    }
  }
  Context = "the Require of '" + F.Name + "'";
  LinearLowering PreL(
      Context, [&](const Term &T) { return name(T, PreL, false); }, Err);
  std::vector<const Assertion *> PreConj;
  if (!conjuncts(Require, PreL, PreConj))
    return false;
  LowerBounded = PreL.lowerBounded(PreConj);
  for (unsigned K = 0; K < F.NumParams; ++K) {
    const cir::Variable &V = F.Vars[K];
    const cir::ParamSpec &S = F.Params[K];
    CutBinding B;
    B.Where = int16_t(bpf::R1 + K);
    switch (S.K) {
    case PK::Scalar:
      B.Kind = BindKind::Scalar;
      B.Form = LinForm::var(Exist[K]);
      addRangeFacts(Pre.Facts, B.Form, V.Ty.Bits,
                    V.Ty.Signed && LowerBounded.count(V.Name));
      break;
    case PK::Packet: {
      B.Kind = BindKind::Packet;
      B.Form = LinForm::var(Exist[K]);
      addLinFact(Pre.Facts, B.Form); // data <= p
      LinForm Room = LinForm::var(0);
      addScaled(Room, B.Form, -1); // p <= data + len
      addLinFact(Pre.Facts, Room);
      // p <= data + 2^30, as packet(p) means in VEP-C: a function may be
      // called from any program type, so the checker knows only len < 2^32
      // in it, and learns from a packet-pointer comparison only when the
      // offsets are within +-2^31.
      LinForm Near = LinForm::constant(PacketParamMaxOffset);
      addScaled(Near, B.Form, -1);
      addLinFact(Pre.Facts, Near);
      break;
    }
    case PK::PacketEnd:
      B.Kind = BindKind::PacketEnd;
      B.Form = LinForm::constant(0);
      break;
    case PK::Buffer: {
      if (!S.BufferBytes)
        return fail("internal error: malformed CIR (buffer parameter '" +
                    V.Name + "' of '" + F.Name + "' without a size)");
      LinearLowering SizeL(
          "the size of the buffer '" + V.Name + "' of '" + F.Name + "'",
          [&](const Term &T) { return name(T, SizeL, false); }, Err);
      auto Size = SizeL.term(*S.BufferBytes);
      if (!Size)
        return false;
      if (Size->Base != 0)
        return fail("not supported yet: the size of the buffer '" + V.Name +
                    "' of '" + F.Name + "' is a pointer");
      B.Kind = BindKind::Buf;
      B.Form = Size->F;
      B.Map = uint32_t(B.Where); // a buffer is named by its register
      B.Writes = S.Writes;
      break;
    }
    }
    Pre.Bindings.push_back(B);
    Bindings += "\n  " + formatCutWhere(B.Where) + " = " +
                formatCutValue(B.Kind, B.Form) +
                (B.Kind == BindKind::Buf ? (B.Writes ? ", writes" : ", reads")
                                         : "") +
                "  (" + V.Name + ")";
  }
  std::vector<std::string> PreLeftOut, PostLeftOut;
  if (!facts(PreL, PreConj, Pre, PreLeftOut))
    return false;

  // The post: R0 and Ensure, the pre's existentials kept.
  bool Void = F.ReturnType.isVoid();
  Post.NumExists = Pre.NumExists + (Void ? 0 : 1);
  Result = Void ? 0 : Post.NumExists;
  if (!Void) // without a binding R0 is any scalar
    Post.Bindings.push_back(CutBinding{BindKind::Scalar, 0,
                                       LinForm::var(Post.NumExists), 0, false});
  Context = "the Ensure of '" + F.Name + "'";
  LinearLowering PostL(
      Context, [&](const Term &T) { return name(T, PostL, true); }, Err);
  std::vector<const Assertion *> PostConj;
  if (!conjuncts(Ensure, PostL, PostConj))
    return false;
  // Parameters denote their values at the call: the pre's lower bounds;
  // __return its own, from Ensure.
  bool ResultBounded = PostL.lowerBounded(PostConj).count("__return");
  if (ResultBounded)
    LowerBounded.insert("__return");
  if (!Void)
    addRangeFacts(Post.Facts, LinForm::var(Result), F.ReturnType.Bits,
                  F.ReturnType.Signed && ResultBounded);
  if (!facts(PostL, PostConj, Post, PostLeftOut))
    return false;

  auto FactsText = [](const CutPoint &C) {
    std::string S = "\n  facts:";
    for (size_t K = 0; K < C.Facts.size(); ++K)
      S += (K ? ", " : " ") + formatCutFact(C.Facts[K]);
    return C.Facts.empty() ? S + " (none)" : S;
  };
  std::string PreText = "contract, pre (at the call): exists" +
                        (Exists.empty() ? std::string(" (nothing)") : Exists) +
                        Bindings + FactsText(Pre);
  std::string PostText =
      "contract, post (at every exit): " +
      (Void ? std::string("r0 any scalar")
            : "exists x" + std::to_string(Post.NumExists) +
                  " (__return); x1.. are the parameters' values at the "
                  "call\n  r0 = x" + std::to_string(Post.NumExists)) +
      FactsText(Post);
  for (const std::string &L : PreLeftOut)
    PreText += "\n  left out of the pre: " + L;
  for (const std::string &L : PostLeftOut)
    PostText += "\n  left out of the post: " + L;
  for (const std::string *T : {&PreText, &PostText}) {
    size_t At = 0;
    for (size_t NL; (NL = T->find('\n', At)) != std::string::npos; At = NL + 1)
      Text.push_back(T->substr(At, NL - At));
    Text.push_back(T->substr(At));
  }
  return true;
}

} // namespace

bool lowerContract(const cir::Function &F, CutPoint &Pre, CutPoint &Post,
                   std::vector<std::string> &Text, std::string &Err) {
  ContractLowering L(F, Err);
  return L.run(Pre, Post, Text);
}

} // namespace vep::compiler
