//===- LoopLowering.cpp - Loop invariants to cut-point assertions ---------===//
//
// At a loop head VEP-C's state is exactly: the invariant P, the type ranges
// of the variables, and the variables the loop does not modify keeping
// their values from before the loop. This file states the same about the
// machine (a CutPoint, CutPoint.h), for the variables live at the head:
//
//  * integer variable v of N bits at home h: existential x_v, binding
//    SCALAR x_v at h, facts x_v >= 0 and 2^N - 1 - x_v >= 0 (values are kept
//    zero-extended). An unmodified variable whose value before the loop is a
//    known constant is bound to that constant instead.
//  * pointer variable: its region by provenance (the ctx parameter: CTX; a
//    load of the context's data: PACKET; of data_end: PACKET_END, at the
//    program type's offsets, cir::packetFields), bound to that
//    kind with offset x_v, or with the known constant offset when the loop
//    does not modify it and its offset before the loop is known.
//  * P, a conjunction of comparisons of linear terms: one or two facts per
//    comparison. Program integers denote their mathematical values (x_v for
//    an unsigned type; for a signed one only with a top-level conjunct
//    `c <= v`, c >= 0, and then with the extra fact x_v <= 2^(N-1) - 1);
//    pointers denote addresses: data + x_p (PACKET), data + len + x_p
//    (PACKET_END), and a comparison must not depend on the unknown `data`.
//  * the Variant (or B - i for `for (i = a; i < B; i++)`): the rank.
//
//===----------------------------------------------------------------------===//

#include "CodeGenInternal.h"
#include "LinearLowering.h"
#include "vep/compiler/CodeGen.h"
#include "vep/logic/Sequences.h"

#include <algorithm>
#include <bit>
#include <set>

namespace vep::compiler {
namespace {

using cir::Expr;
using cir::Stmt;
using cir::stripCasts;
using EK = Expr::Kind;
using OK = Expr::OpKind;
using SK = Stmt::Kind;
using i128 = __int128;
using logic::Assertion;
using logic::Term;

using Val = LinVal;

/// Provenance bits: what a variable may hold. PMapValue: a pointer into a
/// map's value, as bpf_map_lookup_elem returns it (which map: objectOf);
/// PReserved: into ringbuf memory bpf_ringbuf_reserve returned (its size:
/// objectOf).
enum : unsigned {
  PScalar = 1,
  PCtx = 2,
  PPacket = 4,
  PPacketEnd = 8,
  PMapValue = 16,
  PBuffer = 32, // a called function's buffer parameter (BUF in its pre)
  PReserved = 64,
};
constexpr uint64_t HelperMapLookupElem = 1;     // BPF_FUNC_map_lookup_elem
constexpr uint64_t HelperRingbufReserve = 131; // BPF_FUNC_ringbuf_reserve
/// objectOf's answers besides a map's index or a reserved size.
constexpr int NoMap = -2, UnknownMap = -1;

unsigned bitsOf(const cir::Type &T) { return T.isPtr() ? 64 : T.Bits; }
uint64_t maskOf(unsigned Bits) {
  return Bits >= 64 ? ~uint64_t(0) : ((uint64_t(1) << Bits) - 1);
}
int64_t sext(uint64_t V, unsigned Bits) {
  if (Bits >= 64)
    return int64_t(V);
  uint64_t M = uint64_t(1) << (Bits - 1);
  V &= maskOf(Bits);
  return int64_t((V ^ M) - M);
}

std::string provText(unsigned P) {
  std::string S;
  auto Add = [&](unsigned Bit, const char *T) {
    if (P & Bit)
      S += (S.empty() ? "" : ", ") + std::string(T);
  };
  Add(PScalar, "an integer");
  Add(PCtx, "the context pointer");
  Add(PPacket, "a packet pointer");
  Add(PPacketEnd, "a pointer relative to data_end");
  Add(PMapValue, "a map value pointer");
  Add(PBuffer, "a buffer parameter");
  Add(PReserved, "a ringbuf reservation");
  return S;
}

// ---- Linear forms -----------------------------------------------------------

// ---- The analysis ----------------------------------------------------------

class CutLowering {
public:
  CutLowering(const cir::Function &F, const LoopHead &H, const FoldFn &Fold,
              std::string &Err)
      : F(F), H(H), Fold(Fold), Err(Err) {}

  bool run(CutPoint &Out);
  std::vector<bool> statedUnknown();
  void nonNeg(std::vector<bool> &NN) const {
    for (size_t V = 0; V < Info.size() && V < NN.size(); ++V)
      NN[V] = Info[V].LowerBound;
  }

private:
  const cir::Function &F;
  const LoopHead &H;
  const FoldFn &Fold;
  std::string &Err;

  std::vector<unsigned> Prov;                 // per variable
  // Per variable with PMapValue: its map; with PReserved: the reserved
  // size (objectOf).
  std::vector<int> ObjectOfVar;
  std::vector<std::vector<const Stmt *>> Assigns; // per variable
  std::set<const Stmt *> InLoops;             // assignments inside any loop
  std::set<const Stmt *> Dominating;          // executed before H every time
  std::set<const Stmt *> InThisLoop;          // assignments inside H.Loop
  std::vector<int> Visiting;
  bool InHead = false; // collect() is inside H.Loop

  struct Known {
    unsigned Region; // PScalar: Value is the canonical pattern
    i128 Value;
  };
  struct VarInfo {
    bool Bound = false;   // has a binding at H
    bool IsInt = false;   // integer (SCALAR), else pointer
    BindKind Kind = BindKind::Scalar;
    LinForm Form;         // the binding's form
    std::optional<Known> Const;
    uint32_t Exist = 0;   // its existential, 0 if none
    bool LowerBound = false; // signed with a `c <= v` conjunct, c >= 0
  };
  std::vector<VarInfo> Info;
  CutPoint *Out = nullptr;

  bool fail(const std::string &M) {
    if (Err.empty())
      Err = M;
    return false;
  }
  static std::string lineOf(const Stmt &Loop) {
    return Loop.L.Line ? " (loop at line " + std::to_string(Loop.L.Line) + ")"
                       : std::string();
  }
  std::string where() const { return H.Loop ? lineOf(*H.Loop) : ""; }

  // -- CIR analyses --
  bool analyse();
  void collect(const Stmt &S, bool InLoop);
  bool findPath(const Stmt &S, std::vector<std::pair<const Stmt *, size_t>> &P);
  void addDominating(const Stmt &S);
  unsigned provOf(const Expr &E);
  int objectOf(const Expr &E);
  void computeProvenance();
  unsigned paramProv(unsigned V) const;
  std::optional<Known> paramKnown(unsigned V) const;
  std::optional<Known> knownOf(const Expr &E);
  std::optional<Known> knownVar(unsigned V);
  std::optional<Known> knownAtHead(unsigned V);

  // -- the annotation --
  std::optional<unsigned> lookup(const Term &T);
  std::optional<Val> varTerm(const Term &T);
  bool countingRank(const Stmt &Loop, LinForm &Rank);
  /// The variant of Loop (H.Loop or a loop around it) over H's variables.
  bool rankOf(const Stmt &Loop, LinForm &Rank);
  /// A variable's value on the way from an enclosing loop's head to H:
  /// Base's value at that head (nothing when Base is NoBase) plus an amount
  /// in [Lo, Hi] (an absent end: unbounded); anything when !Known.
  struct Shift {
    static constexpr unsigned NoBase = ~0u;
    unsigned Base = NoBase;
    bool Known = false;
    std::optional<i128> Lo, Hi;
  };
  std::optional<i128> addendOf(const Expr &E);
  Shift shiftOf(const Expr &E, const std::vector<Shift> &State);
  void widenByLoop(const Stmt &Loop, std::vector<Shift> &State);
  bool runShifts(const Stmt &S, std::vector<Shift> &State);
  void ghostOf(const Stmt &Outer, LinForm &Variant);
  /// The invariant's terms; names resolve through varTerm.
  std::optional<LinearLowering> Lin;
  logic::AssertionPtr Invariant; // what Lin's conjuncts point into
};

void CutLowering::collect(const Stmt &S, bool InLoop) {
  if (S.K == SK::Assign && S.VarId < Assigns.size()) {
    Assigns[S.VarId].push_back(&S);
    if (InLoop)
      InLoops.insert(&S);
    if (InHead)
      InThisLoop.insert(&S);
  }
  bool Inner = InLoop || S.K == SK::Loop;
  bool Was = InHead;
  InHead = InHead || &S == H.Loop;
  for (const cir::StmtPtr *C : {&S.Then, &S.Else, &S.Step})
    if (*C)
      collect(**C, Inner);
  for (const auto &B : S.Body)
    if (B)
      collect(*B, Inner);
  InHead = Was;
}

/// The chain of (statement, child index) from S down to H.Loop.
bool CutLowering::findPath(const Stmt &S,
                           std::vector<std::pair<const Stmt *, size_t>> &P) {
  if (&S == H.Loop)
    return true;
  auto Try = [&](const Stmt *C, size_t I) {
    if (!C)
      return false;
    P.push_back({&S, I});
    if (findPath(*C, P))
      return true;
    P.pop_back();
    return false;
  };
  for (size_t I = 0; I < S.Body.size(); ++I)
    if (Try(S.Body[I].get(), I))
      return true;
  return Try(S.Then.get(), size_t(-1)) || Try(S.Else.get(), size_t(-2)) ||
         Try(S.Step.get(), size_t(-3));
}

/// Assignments S executes unconditionally (through blocks only).
void CutLowering::addDominating(const Stmt &S) {
  if (S.K == SK::Assign)
    Dominating.insert(&S);
  if (S.K == SK::Block)
    for (const auto &B : S.Body)
      if (B)
        addDominating(*B);
}

unsigned CutLowering::provOf(const Expr &E) {
  switch (E.K) {
  case EK::Const:
    return PScalar;
  case EK::Var:
    return E.VarId < Prov.size() ? Prov[E.VarId] : PScalar;
  case EK::Load: {
    // A 4-byte load of the context's data / data_end through ctx.
    if (bitsOf(E.Ty) == 32 && !E.Ops.empty()) {
      int64_t Off = 0;
      const Expr *B = &stripCasts(*E.Ops[0]);
      while (B->K == EK::Binary && B->Op == OK::PtrAdd) {
        auto C = Fold(*B->Ops[1]);
        if (!C)
          return PScalar;
        Off += sext(*C, bitsOf(B->Ops[1]->Ty));
        B = &stripCasts(*B->Ops[0]);
      }
      cir::PacketFields P = cir::packetFields(F.ProgType);
      if ((provOf(*B) & PCtx) && P.Data >= 0) {
        if (Off == P.Data)
          return PPacket;
        if (Off == P.DataEnd)
          return PPacketEnd;
      }
    }
    return PScalar;
  }
  case EK::Cast:
    if (bitsOf(E.Ty) < 32)
      return PScalar;
    return provOf(*E.Ops[0]);
  case EK::Binary: {
    unsigned A = provOf(*E.Ops[0]), B = provOf(*E.Ops[1]);
    unsigned PA = A & ~unsigned(PScalar), PB = B & ~unsigned(PScalar);
    switch (E.Op) {
    case OK::PtrAdd:
      return A;
    case OK::Add:
      return (PA | PB) ? (PA | PB) : PScalar;
    case OK::Sub:
      return PB ? PScalar : (PA ? PA : PScalar);
    default:
      return PScalar;
    }
  }
  case EK::Cond:
    return provOf(*E.Ops[1]) | provOf(*E.Ops[2]);
  case EK::Call:
    return !E.Ty.isPtr()                       ? PScalar
           : E.Value == HelperMapLookupElem  ? PMapValue
           : E.Value == HelperRingbufReserve ? PReserved
                                             : PScalar;
  default:
    return PScalar;
  }
}

/// The object a map value pointer or a reservation E points into: the map
/// of the lookup that produced it, whose first argument is `&map`, or the
/// size the reservation's second argument gives. UnknownMap when that is
/// not known or more than one is possible.
int CutLowering::objectOf(const Expr &E) {
  const Expr &S = stripCasts(E);
  switch (S.K) {
  case EK::Var:
    return S.VarId < ObjectOfVar.size() ? ObjectOfVar[S.VarId] : UnknownMap;
  case EK::Call: {
    if (S.Value == HelperRingbufReserve) {
      auto Size = S.Ops.size() > 1 ? Fold(*S.Ops[1]) : std::nullopt;
      return Size && *Size >= 1 && *Size <= (1u << 20) ? int(*Size)
                                                       : UnknownMap;
    }
    const Expr *M = S.Ops.empty() ? nullptr : &stripCasts(*S.Ops[0]);
    return M && M->K == EK::MapAddr ? int(M->Value) : UnknownMap;
  }
  case EK::Binary:
    return S.Op == OK::PtrAdd ? objectOf(*S.Ops[0]) : UnknownMap;
  case EK::Cond: {
    int A = objectOf(*S.Ops[1]), B = objectOf(*S.Ops[2]);
    return A == B ? A : UnknownMap;
  }
  default:
    return UnknownMap;
  }
}

/// What parameter V holds on entry: an entry point's ctx; a called
/// function's parameter what its ParamSpec says (docs/compiler.md section 8).
unsigned CutLowering::paramProv(unsigned V) const {
  if (F.isEntry())
    return PCtx;
  if (V >= F.Params.size())
    return 0; // malformed: reported as never assigned
  switch (F.Params[V].K) {
  case cir::ParamSpec::Kind::Scalar:
    return PScalar;
  case cir::ParamSpec::Kind::Packet:
    return PPacket;
  case cir::ParamSpec::Kind::PacketEnd:
    return PPacketEnd;
  case cir::ParamSpec::Kind::Buffer:
    return PBuffer;
  }
  return 0;
}

/// A parameter the function never assigns, if its value is a known
/// constant: ctx + 0, or data + len for a called function's packet end.
std::optional<CutLowering::Known> CutLowering::paramKnown(unsigned V) const {
  unsigned P = paramProv(V);
  if (P == PCtx || P == PPacketEnd)
    return Known{P, 0};
  return std::nullopt;
}

void CutLowering::computeProvenance() {
  Prov.assign(F.Vars.size(), 0);
  ObjectOfVar.assign(F.Vars.size(), NoMap);
  for (unsigned V = 0; V < F.NumParams && V < F.Vars.size(); ++V)
    Prov[V] = paramProv(V);
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (size_t V = 0; V < Assigns.size(); ++V)
      for (const Stmt *A : Assigns[V]) {
        unsigned PA = provOf(*A->Value);
        unsigned P = Prov[V] | PA;
        int M = ObjectOfVar[V];
        if (PA & (PMapValue | PReserved)) { // NoMap -> one -> UnknownMap
          int Of = objectOf(*A->Value);
          M = M == NoMap ? Of : (M == Of ? M : UnknownMap);
        }
        if (P != Prov[V] || M != ObjectOfVar[V]) {
          Prov[V] = P;
          ObjectOfVar[V] = M;
          Changed = true;
        }
      }
  }
}

/// The value of E, if it is the same on every execution: an integer
/// constant, or a pointer with a constant offset.
std::optional<CutLowering::Known> CutLowering::knownOf(const Expr &E) {
  if (auto V = Fold(E))
    return Known{PScalar, i128(*V)};
  switch (E.K) {
  case EK::Var:
    return knownVar(E.VarId);
  case EK::Load: {
    if (bitsOf(E.Ty) != 32)
      return std::nullopt;
    int64_t Off = 0;
    const Expr *B = &stripCasts(*E.Ops[0]);
    while (B->K == EK::Binary && B->Op == OK::PtrAdd) {
      auto C = Fold(*B->Ops[1]);
      if (!C)
        return std::nullopt;
      Off += sext(*C, bitsOf(B->Ops[1]->Ty));
      B = &stripCasts(*B->Ops[0]);
    }
    auto K = knownOf(*B);
    if (!K || K->Region != PCtx)
      return std::nullopt;
    Off += int64_t(K->Value);
    cir::PacketFields P = cir::packetFields(F.ProgType);
    if (P.Data >= 0 && Off == P.Data)
      return Known{PPacket, 0};
    if (P.Data >= 0 && Off == P.DataEnd)
      return Known{PPacketEnd, 0};
    return std::nullopt;
  }
  case EK::Call: // a looked-up value or a reservation: at its offset 0
    if (provOf(E) == PMapValue || provOf(E) == PReserved)
      return Known{provOf(E), 0};
    return std::nullopt;
  case EK::Cast: {
    auto K = knownOf(*E.Ops[0]);
    if (!K)
      return std::nullopt;
    const cir::Type &From = E.Ops[0]->Ty;
    if (K->Region != PScalar)
      return bitsOf(E.Ty) >= 32 ? K : std::nullopt;
    uint64_t V = uint64_t(K->Value);
    if (!From.isPtr() && From.Signed && bitsOf(From) < bitsOf(E.Ty))
      V = uint64_t(sext(V, bitsOf(From)));
    return Known{PScalar, i128(V & maskOf(bitsOf(E.Ty)))};
  }
  case EK::Binary: {
    if (E.Op != OK::PtrAdd)
      return std::nullopt;
    auto K = knownOf(*E.Ops[0]);
    auto C = Fold(*E.Ops[1]);
    if (!K || !C || K->Region == PScalar)
      return std::nullopt;
    return Known{K->Region, K->Value + sext(*C, bitsOf(E.Ops[1]->Ty))};
  }
  default:
    return std::nullopt;
  }
}

/// A variable whose every assignment, outside every loop, computes one
/// value node for node (a pointer reloaded from ctx after a helper changed
/// the packet), or the untouched ctx parameter, has one value wherever it
/// is initialised.
std::optional<CutLowering::Known> CutLowering::knownVar(unsigned V) {
  if (V >= F.Vars.size())
    return std::nullopt;
  if (V < F.NumParams && Assigns[V].empty())
    return paramKnown(V);
  const auto &As = Assigns[V];
  if (As.empty() || std::any_of(As.begin(), As.end(), [&](const Stmt *A) {
        return InLoops.count(A) || !cir::sameExpr(*A->Value, *As[0]->Value);
      }))
    return std::nullopt;
  if (std::find(Visiting.begin(), Visiting.end(), int(V)) != Visiting.end())
    return std::nullopt;
  Visiting.push_back(int(V));
  auto K = knownOf(*Assigns[V][0]->Value);
  Visiting.pop_back();
  if (K && K->Region == PScalar)
    K->Value = i128(uint64_t(K->Value) & maskOf(bitsOf(F.Vars[V].Ty)));
  return K;
}

/// V's value at the head, if the same on every arrival: V is not modified
/// by the loop and one of its assignments runs before the loop.
std::optional<CutLowering::Known> CutLowering::knownAtHead(unsigned V) {
  if (V < H.Modified.size() && H.Modified[V])
    return std::nullopt;
  if (!(V < F.NumParams && Assigns[V].empty()) &&
      std::none_of(Assigns[V].begin(), Assigns[V].end(),
                   [&](const Stmt *A) { return Dominating.count(A); }))
    return std::nullopt;
  return knownVar(V);
}

/// The assignments, provenance and dominating assignments of H.Loop, and
/// its invariant as the checker sees it.
bool CutLowering::analyse() {
  if (!H.Loop)
    return fail("internal error: malformed loop head information");
  Assigns.assign(F.Vars.size(), {});
  collect(*F.Body, false);
  computeProvenance();
  std::vector<std::pair<const Stmt *, size_t>> Path;
  if (!findPath(*F.Body, Path))
    return fail("internal error: loop not found in its function");
  for (const auto &[S, I] : Path)
    if (S->K == SK::Block && I < S->Body.size())
      for (size_t K = 0; K < I; ++K)
        if (S->Body[K])
          addDominating(*S->Body[K]);
  // The checker has no sequences: the invariant without its content facts
  // (docs/compiler.md, "Contents").
  Invariant = logic::eraseContentFacts(
      H.Loop->Annot ? H.Loop->Annot->Pre : nullptr, F.Contract.get());
  return true;
}

// ---- The annotation ---------------------------------------------------------

/// Marks in Named the variables of Vars that T names.
static void addNamed(const Term &T, const std::vector<cir::Variable> &Vars,
                     std::vector<bool> &Named) {
  if (T.K == Term::Kind::Var && !T.AtPre)
    for (size_t V = 0; V < Vars.size(); ++V)
      if (Vars[V].Name == T.Name)
        Named[V] = true;
  for (const auto &A : T.Args)
    if (A)
      addNamed(*A, Vars, Named);
}

static void addNamed(const Assertion &A, const std::vector<cir::Variable> &Vars,
                     std::vector<bool> &Named) {
  for (const auto &T : A.Terms)
    if (T)
      addNamed(*T, Vars, Named);
  for (const auto &S : A.Subs)
    if (S)
      addNamed(*S, Vars, Named);
}

/// The variables the cut point states (its invariant as the checker sees
/// it, its variant) whose value at the head is not a known constant.
std::vector<bool> CutLowering::statedUnknown() {
  std::vector<bool> Named(F.Vars.size(), false), Unknown = Named;
  if (!analyse())
    return Unknown; // lowerCutPoint reports it
  if (Invariant)
    addNamed(*Invariant, F.Vars, Named);
  if (H.Loop->Annot && H.Loop->Annot->Variant)
    addNamed(*H.Loop->Annot->Variant, F.Vars, Named);
  for (unsigned V = 0; V < F.Vars.size(); ++V)
    Unknown[V] = Named[V] && !knownAtHead(V);
  return Unknown;
}

std::optional<unsigned> CutLowering::lookup(const Term &T) {
  std::optional<unsigned> Found;
  for (unsigned V = 0; V < F.Vars.size(); ++V)
    if (F.Vars[V].Name == T.Name) {
      if (Found) {
        fail("not supported yet: '" + T.Name +
             "' names more than one variable of '" + F.Name +
             "' (in a loop invariant" + where() + ")");
        return std::nullopt;
      }
      Found = V;
    }
  if (!Found)
    fail("unknown variable '" + T.Name + "' in a loop invariant" + where());
  return Found;
}

std::optional<Val> CutLowering::varTerm(const Term &T) {
  if (T.AtPre) {
    fail("not supported yet: '" + T.Name + "@pre' in a loop invariant" +
         where());
    return std::nullopt;
  }
  auto VI = lookup(T);
  if (!VI)
    return std::nullopt;
  unsigned V = *VI;
  const cir::Variable &Var = F.Vars[V];
  const VarInfo &I = Info[V];
  unsigned Region;
  LinForm Form; // the binding's form: integer pattern or pointer offset
  bool Constant;
  if (I.Bound) {
    Region = I.Kind == BindKind::Scalar      ? unsigned(PScalar)
             : I.Kind == BindKind::Packet    ? unsigned(PPacket)
             : I.Kind == BindKind::PacketEnd ? unsigned(PPacketEnd)
             : I.Kind == BindKind::MapValue  ? unsigned(PMapValue)
             : I.Kind == BindKind::Buf       ? unsigned(PBuffer)
             : I.Kind == BindKind::Ringbuf   ? unsigned(PReserved)
                                             : unsigned(PCtx);
    Form = I.Form;
    Constant = I.Const.has_value();
  } else if (auto K = knownAtHead(V)) {
    Region = K->Region;
    Form = LinForm::constant(K->Value);
    Constant = true;
  } else {
    fail("not supported yet: the loop invariant" + where() + " mentions '" +
         Var.Name + "', which is not live at the loop head");
    return std::nullopt;
  }
  Val R;
  if (Region == PScalar) {
    bool Signed = !Var.Ty.isPtr() && Var.Ty.Signed;
    if (Constant) { // its mathematical value
      uint64_t P = uint64_t(Form.Constant);
      R.F = LinForm::constant(Signed ? i128(sext(P, Var.Ty.Bits)) : i128(P));
      return R;
    }
    if (Signed && !I.LowerBound) {
      fail("not supported yet: the signed variable '" + Var.Name +
           "' in a loop invariant" + where() +
           " needs a conjunct 'c <= " + Var.Name + "' with c >= 0");
      return std::nullopt;
    }
    R.F = Form;
    return R;
  }
  if (Region == PCtx || Region == PMapValue || Region == PBuffer ||
      Region == PReserved) {
    fail(std::string("not supported yet: the ") +
         (Region == PCtx        ? "context"
          : Region == PBuffer   ? "buffer"
          : Region == PReserved ? "ringbuf reservation"
                                : "map value") +
         " pointer '" +
         Var.Name + "' in a loop invariant" + where());
    return std::nullopt;
  }
  // A packet pointer's address: data + offset (+ len for PACKET_END).
  R.Base = 1;
  R.F = Form;
  if (Region == PPacketEnd)
    addScaled(R.F, LinForm::var(0), 1);
  if (Var.Ty.isPtr() && Var.Ty.PointeeSize != 1) {
    R.Wide = true;
    R.WideName = Var.Ty.Spelling + " " + Var.Name;
  }
  return R;
}

/// `for (i = a; i < B; i++)` with B a constant: B - i.
bool CutLowering::countingRank(const Stmt &S, LinForm &Rank) {
  auto No = [&]() {
    return fail("not supported yet: loop without a variant" + lineOf(S) +
                " (write 'Variant t' after the invariant)");
  };
  std::optional<cir::CountingLoop> CL = cir::countingLoop(S);
  if (!CL || CL->Counter >= F.Vars.size())
    return No();
  unsigned V = CL->Counter;
  auto B = Fold(*CL->Bound);
  if (!B)
    return No();
  i128 Bound = CL->Signed ? i128(sext(*B, bitsOf(CL->Bound->Ty))) : i128(*B);
  Term T;
  T.K = Term::Kind::Var;
  T.Name = F.Vars[V].Name;
  auto Val = varTerm(T);
  if (!Val)
    return false;
  Rank = LinForm::constant(Bound);
  addScaled(Rank, Val->F, -1);
  return true;
}

bool CutLowering::rankOf(const Stmt &Loop, LinForm &Rank) {
  const Term *Variant = Loop.Annot ? Loop.Annot->Variant.get() : nullptr;
  if (!Variant)
    return countingRank(Loop, Rank);
  auto R = Lin->term(*Variant);
  if (!R)
    return false;
  if (R->Base != 0)
    return fail("not supported yet: the variant '" + printTermText(*Variant) +
                "'" + lineOf(Loop) +
                " is a pointer (use a difference such as 'data_end - p')");
  Rank = R->F;
  return true;
}

/// The constant an addend E denotes, read as a signed number of its width
/// (`i -= -4` adds 4): a folded constant or a variable with one known value.
std::optional<i128> CutLowering::addendOf(const Expr &E) {
  const Expr &S = stripCasts(E);
  std::optional<uint64_t> Pattern = Fold(S);
  if (!Pattern && S.K == EK::Var)
    if (auto K = knownVar(S.VarId); K && K->Region == PScalar)
      Pattern = uint64_t(K->Value);
  if (!Pattern)
    return std::nullopt;
  return i128(sext(*Pattern, bitsOf(S.Ty)));
}

/// E's value as a Shift: a variable's shift, moved by constant addends.
CutLowering::Shift CutLowering::shiftOf(const Expr &E,
                                        const std::vector<Shift> &State) {
  const Expr &S = stripCasts(E);
  if (S.K == EK::Var && S.VarId < State.size() && !addendOf(S))
    return State[S.VarId];
  if (auto C = addendOf(S))
    return Shift{Shift::NoBase, true, *C, *C};
  if (S.K != EK::Binary ||
      (S.Op != OK::Add && S.Op != OK::PtrAdd && S.Op != OK::Sub))
    return Shift();
  auto Move = [](Shift V, i128 By) {
    if (V.Lo)
      *V.Lo += By;
    if (V.Hi)
      *V.Hi += By;
    return V;
  };
  if (auto C = addendOf(*S.Ops[1]))
    return Move(shiftOf(*S.Ops[0], State), S.Op == OK::Sub ? -*C : *C);
  if (auto C = addendOf(*S.Ops[0]); C && S.Op != OK::Sub)
    return Move(shiftOf(*S.Ops[1], State), *C);
  return Shift();
}

/// Widens State by what any number of runs of Loop may do: a variable the
/// loop only steps up (`v = v + k`, k > 0) may have grown by any amount, one
/// it only steps down may have shrunk; any other assignment makes it unknown.
void CutLowering::widenByLoop(const Stmt &Loop, std::vector<Shift> &State) {
  std::vector<int> Dir(State.size(), 0); // bit 1: up, bit 2: down, 4: other
  std::function<void(const Stmt &)> Visit = [&](const Stmt &S) {
    if (S.K == SK::Assign && S.VarId < Dir.size()) {
      const Expr &V = stripCasts(*S.Value);
      std::optional<i128> Step;
      if (V.K == EK::Binary && (V.Op == OK::Add || V.Op == OK::PtrAdd ||
                                V.Op == OK::Sub)) {
        auto IsSelf = [&](const Expr &X) {
          const Expr &Y = stripCasts(X);
          return Y.K == EK::Var && Y.VarId == S.VarId;
        };
        if (IsSelf(*V.Ops[0]))
          Step = addendOf(*V.Ops[1]);
        else if (IsSelf(*V.Ops[1]) && V.Op != OK::Sub)
          Step = addendOf(*V.Ops[0]);
        if (Step && V.Op == OK::Sub)
          Step = -*Step;
      }
      Dir[S.VarId] |= !Step ? 4 : *Step > 0 ? 1 : *Step < 0 ? 2 : 0;
    }
    for (const cir::StmtPtr *C : {&S.Then, &S.Else, &S.Step})
      if (*C)
        Visit(**C);
    for (const auto &B : S.Body)
      if (B)
        Visit(*B);
  };
  Visit(Loop);
  for (size_t V = 0; V < State.size(); ++V) {
    if (Dir[V] & 4 || Dir[V] == 3)
      State[V] = Shift();
    else if (Dir[V] == 1)
      State[V].Hi.reset();
    else if (Dir[V] == 2)
      State[V].Lo.reset();
  }
}

/// Runs S on State; false if S never falls through to the next statement
/// (it breaks, continues or returns on every path).
bool CutLowering::runShifts(const Stmt &S, std::vector<Shift> &State) {
  switch (S.K) {
  case SK::Assign:
    if (S.VarId < State.size())
      State[S.VarId] = shiftOf(*S.Value, State);
    return true;
  case SK::Block:
    for (const auto &B : S.Body)
      if (B && !runShifts(*B, State))
        return false;
    return true;
  case SK::If: {
    std::vector<Shift> Else = State;
    bool ThenGoesOn = !S.Then || runShifts(*S.Then, State);
    bool ElseGoesOn = !S.Else || runShifts(*S.Else, Else);
    if (!ThenGoesOn)
      State = std::move(Else);
    else if (ElseGoesOn)
      for (size_t V = 0; V < State.size(); ++V) {
        Shift &A = State[V];
        const Shift &B = Else[V];
        if (!A.Known || !B.Known || A.Base != B.Base) {
          A = Shift();
          continue;
        }
        A.Lo = A.Lo && B.Lo ? std::optional(std::min(*A.Lo, *B.Lo))
                            : std::nullopt;
        A.Hi = A.Hi && B.Hi ? std::optional(std::max(*A.Hi, *B.Hi))
                            : std::nullopt;
      }
    return ThenGoesOn || ElseGoesOn;
  }
  case SK::Loop:
    widenByLoop(S, State);
    return true;
  case SK::Return:
  case SK::Break:
  case SK::Continue:
    return false;
  default:
    return true;
  }
}

/// Outer's variant Variant, lowered at H, made a ghost (docs/compiler.md,
/// "Nested loops"): at most the variant's value at Outer's head on every
/// path from there to H, and as large as that allows. The statements on
/// the way give each variable v of the variant its value relative to v's
/// value at Outer's head (Shift): when that is v plus at most (or at least)
/// a known amount, the ghost adds what the variant has lost by it; else a
/// variable live at H that holds v's value at Outer's head plus a known
/// constant (`row = i` before `i += n`) stands for it; else the ghost
/// takes v's value at H, and the checker decides.
void CutLowering::ghostOf(const Stmt &Outer, LinForm &Variant) {
  std::vector<std::pair<const Stmt *, size_t>> Path;
  if (!findPath(Outer, Path))
    return;
  const size_t N = F.Vars.size();
  std::vector<Shift> State(N);
  for (unsigned V = 0; V < N; ++V)
    State[V] = Shift{V, true, 0, 0};
  // Each loop on the way (around H) is entered again after runs of its
  // body: what those may change counts as for a loop passed before H.
  for (size_t K = 1; K < Path.size(); ++K) {
    const Stmt &S = *Path[K].first;
    if (S.K == SK::Loop)
      widenByLoop(S, State);
    if (S.K == SK::Block)
      for (size_t J = 0; J < Path[K].second && J < S.Body.size(); ++J)
        if (S.Body[J] && !runShifts(*S.Body[J], State))
          return; // H is not reached this way
  }
  const LinForm Lowered = Variant;
  for (unsigned V = 0; V < N; ++V) {
    const VarInfo &I = Info[V];
    i128 C = I.Bound && I.Exist ? Lowered.coeffOf(I.Exist) : 0;
    if (C == 0)
      continue;
    const Shift &Own = State[V];
    // C * (v at Outer's head) >= C * v - C * (the most / the least v moved).
    const std::optional<i128> &Moved = C > 0 ? Own.Hi : Own.Lo;
    if (Own.Known && Own.Base == V && Moved) {
      Variant.Constant -= C * *Moved;
      continue;
    }
    for (unsigned U = 0; U < N; ++U) {
      const Shift &Copy = State[U];
      if (Info[U].Bound && Info[U].Kind == I.Kind && Copy.Known &&
          Copy.Base == V && Copy.Lo && Copy.Hi && *Copy.Lo == *Copy.Hi) {
        addScaled(Variant, LinForm::var(I.Exist), -C);
        addScaled(Variant, Info[U].Form, C);
        Variant.Constant -= C * *Copy.Lo;
        break;
      }
    }
  }
}

bool CutLowering::run(CutPoint &Result) {
  Out = &Result;
  Result = CutPoint();
  // A called function's cut points keep its pre's existentials, and the
  // pre's facts about them (and len), which hold for the whole call.
  Result.NumExists = H.FuncPre ? H.FuncPre->NumExists : 0;
  if (H.FuncPre)
    Result.Facts = H.FuncPre->Facts;
  const size_t N = F.Vars.size();
  if (H.Live.size() != N || H.Where.size() != N || H.Modified.size() != N)
    return fail("internal error: malformed loop head information");
  if (!analyse())
    return false;
  const Assertion *P = Invariant.get();
  Lin.emplace("a loop invariant" + where(),
              [this](const Term &T) { return varTerm(T); }, Err);
  std::vector<const Assertion *> Conj;
  if (P && !Lin->flatten(*P, Conj))
    return false;

  Info.assign(N, VarInfo());
  // Signed variables with a top-level conjunct `c <= v`, c >= 0.
  std::set<unsigned> Lower;
  for (const std::string &Name : Lin->lowerBounded(Conj))
    for (unsigned V = 0; V < N; ++V)
      if (F.Vars[V].Name == Name)
        Lower.insert(V);

  // Bindings, in variable order.
  std::vector<std::string> ExistNames;
  for (unsigned V = 0; V < N; ++V) {
    if (!H.Live[V])
      continue;
    const cir::Variable &Var = F.Vars[V];
    unsigned Pv = Prov[V];
    if (Pv == 0)
      return fail("not supported yet: '" + Var.Name +
                  "' is live at the loop head" + where() +
                  " but never assigned (used uninitialised?)");
    if (std::popcount(Pv) > 1)
      return fail("not supported yet: '" + Var.Name + "' may hold " +
                  provText(Pv) + " at the loop head" + where());
    if (Pv == PScalar && Var.Ty.isPtr())
      return fail("not supported yet: the pointer '" + Var.Name +
                  "' does not point into the packet or the context at the "
                  "loop head" + where());
    bool SetBefore = V < F.NumParams;
    for (const Stmt *A : Assigns[V])
      SetBefore |= !InThisLoop.count(A);
    // An integer without a value on entry gets 0 there (CodeGen's
    // unassignedAtHeads); a pointer would need a region.
    if (!SetBefore && Pv != PScalar)
      return fail("not supported yet: '" + Var.Name +
                  "' is live at the loop head" + where() +
                  " but only assigned inside the loop (it would be "
                  "uninitialised when the loop is entered)");
    if (H.Where[V] == NoHome)
      return fail("internal error: '" + Var.Name +
                  "' is live at a loop head but has no home");
    VarInfo &I = Info[V];
    I.Bound = true;
    I.IsInt = Pv == PScalar;
    if (Pv == PMapValue && ObjectOfVar[V] < 0)
      return fail("not supported yet: the map value pointer '" + Var.Name +
                  "' may point into more than one map, or an unknown one, at "
                  "the loop head" + where());
    if (Pv == PReserved && ObjectOfVar[V] < 0)
      return fail("not supported yet: the ringbuf reservation '" + Var.Name +
                  "' may be of more than one size at the loop head" +
                  where());
    I.Kind = Pv == PScalar     ? BindKind::Scalar
             : Pv == PCtx      ? BindKind::Ctx
             : Pv == PPacket   ? BindKind::Packet
             : Pv == PMapValue ? BindKind::MapValue
             : Pv == PBuffer   ? BindKind::Buf
             : Pv == PReserved ? BindKind::Ringbuf
                               : BindKind::PacketEnd;
    I.LowerBound = I.IsInt && Var.Ty.Signed && Lower.count(V);
    I.Const = knownAtHead(V);
    if (I.Const && I.Const->Region != Pv)
      I.Const.reset();
    // A called function's parameter it never assigns: its value at the
    // call, the pre's (fixed) existential.
    const CutBinding *AtCall =
        H.FuncPre && V < F.NumParams && Assigns[V].empty() &&
                V < H.FuncPre->Bindings.size()
            ? &H.FuncPre->Bindings[V]
            : nullptr;
    if (I.Kind == BindKind::Buf && !AtCall)
      return fail("not supported yet: the buffer parameter '" + Var.Name +
                  "' is modified before the loop" + where() +
                  " (a cut point binds a buffer parameter as passed)");
    if (I.Const) {
      I.Form = LinForm::constant(I.Const->Value);
    } else if (I.Kind == BindKind::Ctx || I.Kind == BindKind::MapValue ||
               I.Kind == BindKind::Ringbuf) {
      return fail(std::string("not supported yet: the ") +
                  (I.Kind == BindKind::Ctx       ? "context"
                   : I.Kind == BindKind::MapValue ? "map value"
                                                 : "ringbuf reservation") +
                  " pointer '" + Var.Name +
                  "' is modified before or in the loop" + where() +
                  " (the checker needs its offset to be a constant)");
    } else if (AtCall) {
      I.Form = I.Kind == BindKind::Buf ? LinForm::constant(0) : AtCall->Form;
    } else {
      I.Exist = ++Result.NumExists;
      I.Form = LinForm::var(I.Exist);
      ExistNames.push_back("x" + std::to_string(I.Exist) + " (" + Var.Name +
                           ")");
    }
    uint32_t Map = I.Kind == BindKind::MapValue || I.Kind == BindKind::Ringbuf
                       ? uint32_t(ObjectOfVar[V])
                   : I.Kind == BindKind::Buf ? uint32_t(AtCall->Where)
                                             : 0;
    Result.Bindings.push_back(
        CutBinding{I.Kind, int16_t(H.Where[V]), I.Form, Map, false});
    if (I.IsInt && !I.Const)
      addRangeFacts(Result.Facts, I.Form, bitsOf(Var.Ty), I.LowerBound);
  }
  if (!Lin->facts(Conj, Result.Facts))
    return false;

  const Term *Variant = H.Loop->Annot ? H.Loop->Annot->Variant.get() : nullptr;
  if (!rankOf(*H.Loop, Result.Rank))
    return false;
  Result.HasRank = true;
  Result.Line = H.Loop->L.Line;
  // A nested loop: each enclosing loop's variant over this head's variables
  // is its ghost (docs/compiler.md, "Nested loops"); CodeGen fills in the
  // enclosing heads' instruction indices.
  for (const Stmt *E : H.Enclosing) {
    CutGhost G;
    G.Line = E->L.Line;
    if (!rankOf(*E, G.Form)) {
      Err = "not supported yet: the variant of the loop" + lineOf(*E) +
            " cannot be stated at the head of the loop inside it" + where() +
            ": " + Err;
      return false;
    }
    ghostOf(*E, G.Form);
    Result.Ghosts.push_back(std::move(G));
  }
  // Stack homes are bindings; no other stack byte is live across the head
  // (temporaries never are), so [InitLo, InitHi) stays empty.

  // The comment for -S.
  std::string Head = "loop head";
  if (H.Loop->L.Line)
    Head += ", line " + std::to_string(H.Loop->L.Line);
  Head += H.Loop->InvInferred ? ": Inv (inferred) " : ": Inv ";
  Head += P ? printAssertionText(*P) : std::string("true");
  if (Variant)
    Head += " Variant " + printTermText(*Variant);
  else
    Head += " (variant " + formatCutForm(Result.Rank) + ", inferred)";
  Result.Text.push_back(Head);
  std::string Ex = "cut point: exists";
  for (size_t K = 0; K < ExistNames.size(); ++K)
    Ex += (K ? ", " : " ") + ExistNames[K];
  if (ExistNames.empty())
    Ex += " (nothing)";
  Result.Text.push_back(Ex);
  size_t BI = 0;
  for (unsigned V = 0; V < N; ++V)
    if (Info[V].Bound) {
      const CutBinding &B = Result.Bindings[BI++];
      std::string Object; // formatCutValue's: the map, or the size
      if (B.Kind == BindKind::MapValue && H.Maps && B.Map < H.Maps->size())
        Object = (*H.Maps)[B.Map].Name;
      if (B.Kind == BindKind::Ringbuf)
        Object = std::to_string(B.Map);
      Result.Text.push_back("  " + formatCutWhere(B.Where) + " = " +
                            formatCutValue(B.Kind, B.Form, Object) + "  (" +
                            F.Vars[V].Name + ")");
    }
  std::string Facts = "  facts:";
  for (size_t K = 0; K < Result.Facts.size(); ++K)
    Facts += (K ? ", " : " ") + formatCutFact(Result.Facts[K]);
  if (Result.Facts.empty())
    Facts += " (none)";
  Result.Text.push_back(Facts);
  Result.Text.push_back("  rank: " + formatCutForm(Result.Rank));
  for (size_t K = 0; K < Result.Ghosts.size(); ++K)
    Result.Text.push_back("  ghost for the loop" + lineOf(*H.Enclosing[K]) +
                          ": " + formatCutForm(Result.Ghosts[K].Form));
  return true;
}

// ---- Printing ---------------------------------------------------------------

std::string varName(uint32_t V) {
  if (V == 0)
    return "len";
  std::string S = "x"; // (appending avoids a GCC 12 -Wrestrict false alarm)
  S += std::to_string(V);
  return S;
}

/// Signed pieces of a form: terms first, then the constant.
struct Piece {
  bool Neg;
  std::string Text;
};
std::vector<Piece> pieces(const LinForm &F) {
  std::vector<Piece> P;
  for (const LinForm::Term &T : F.Terms) {
    i128 A = T.Coeff < 0 ? -T.Coeff : T.Coeff;
    P.push_back({T.Coeff < 0, (A == 1 ? std::string() : int128ToString(A) + "*") +
                                  varName(T.Var)});
  }
  if (F.Constant != 0)
    P.push_back({F.Constant < 0,
                 int128ToString(F.Constant < 0 ? -F.Constant : F.Constant)});
  return P;
}

std::string join(const std::vector<Piece> &P) {
  if (P.empty())
    return "0";
  std::string S;
  for (size_t I = 0; I < P.size(); ++I) {
    if (I == 0)
      S += (P[I].Neg ? "-" : "") + P[I].Text;
    else
      S += (P[I].Neg ? " - " : " + ") + P[I].Text;
  }
  return S;
}

} // namespace

std::string formatCutForm(const LinForm &F) {
  std::vector<Piece> P = pieces(F);
  // "32 - x1" rather than "-x1 + 32".
  if (!P.empty() && P.front().Neg && !P.back().Neg && F.Constant > 0) {
    Piece C = P.back();
    P.pop_back();
    P.insert(P.begin(), C);
  }
  return join(P);
}

std::string formatCutFact(const LinForm &F) {
  std::vector<Piece> Pos, Neg;
  bool NegHasVar = false;
  for (const Piece &P : pieces(F)) {
    (P.Neg ? Neg : Pos).push_back({false, P.Text});
  }
  for (const LinForm::Term &T : F.Terms)
    NegHasVar |= T.Coeff < 0;
  if (NegHasVar)
    return join(Neg) + " <= " + join(Pos);
  return join(Pos) + " >= " + join(Neg);
}

std::string formatCutValue(BindKind K, const LinForm &F,
                           const std::string &Object) {
  std::string Base;
  switch (K) {
  case BindKind::Scalar:
    return formatCutForm(F);
  case BindKind::Ctx:
    Base = "ctx";
    break;
  case BindKind::Packet:
    Base = "data";
    break;
  case BindKind::PacketEnd:
    Base = "data + len";
    break;
  case BindKind::Stack:
    Base = "r10";
    break;
  case BindKind::MapValue:
    Base = "value of " + Object;
    break;
  case BindKind::Ringbuf:
    Base = "reserved " + Object + " bytes";
    break;
  case BindKind::Buf:
    return "buffer of " + formatCutForm(F) + " bytes";
  }
  std::vector<Piece> P = pieces(F);
  std::string S = Base;
  for (const Piece &X : P)
    S += (X.Neg ? " - " : " + ") + X.Text;
  return S;
}

std::string formatCutWhere(int16_t Where) {
  std::string S = Where >= 0 ? "r" : "[r10";
  S += std::to_string(Where);
  if (Where < 0)
    S += "]";
  return S;
}

bool lowerCutPoint(const cir::Function &F, const LoopHead &H,
                   const FoldFn &Fold, CutPoint &Out,
                   std::vector<bool> &NonNeg, std::string &Err) {
  CutLowering L(F, H, Fold, Err);
  NonNeg.assign(F.Vars.size(), false);
  if (!L.run(Out))
    return false;
  L.nonNeg(NonNeg);
  return true;
}

std::vector<bool> stateAtLoopHead(const cir::Function &F, const cir::Stmt &Loop,
                                  const FoldFn &Fold) {
  // (knownAtHead needs no Modified: knownVar wants every assignment
  // outside loops.)
  LoopHead H;
  H.Loop = &Loop;
  std::string Err;
  CutLowering L(F, H, Fold, Err);
  return L.statedUnknown();
}

} // namespace vep::compiler
