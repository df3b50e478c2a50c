//===- CodeGenRandom.h - Random CIR programs and a reference interpreter ---===//
//
// For differential tests of the code generator: random XDP programs over
// all integer types (loads, casts, arithmetic, comparisons, short circuits,
// conditionals, stores, early returns) and an interpreter of CIR written
// independently of the code generator.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_COMPILER_UNITTESTS_CODEGENRANDOM_H
#define VEP_COMPILER_UNITTESTS_CODEGENRANDOM_H

#include "CodeGenTestSupport.h"

#include <functional>
#include <optional>
#include <random>

namespace cgtest {


inline uint64_t maskBits(unsigned B) { return B >= 64 ? ~0ull : (1ull << B) - 1; }
inline int64_t sextBits(uint64_t V, unsigned B) {
  if (B >= 64)
    return int64_t(V);
  V &= maskBits(B);
  return (V >> (B - 1)) & 1 ? int64_t(V | ~maskBits(B)) : int64_t(V);
}
inline unsigned bitsOfTy(const Type &T) { return T.isPtr() ? 64 : T.Bits; }

/// CIR semantics over canonical values. Pointers are byte offsets from the
/// start of the packet (the only memory these programs touch).
struct RefInterp {
  std::vector<uint8_t> Pkt;
  std::vector<uint64_t> Vars;
  bool Bad = false;
  /// A `break` or `continue` is leaving the statements up to its loop.
  enum { Normal, Breaking, Continuing } Leaving = Normal;
  unsigned long Steps = 0; // loop iterations, against runaway loops

  uint64_t eval(const Expr &E) {
    unsigned B = bitsOfTy(E.Ty);
    uint64_t M = maskBits(B);
    switch (E.K) {
    case EK::MapAddr: // the generator makes no maps, globals or calls
    case EK::GlobalAddr:
    case EK::AddrOf:
    case EK::CallOutput:
    case EK::AtomicResult:
    case EK::Call:
    case EK::FuncCall:
      break;
    case EK::Const:
      return E.Value & M;
    case EK::Var:
      return Vars[E.VarId];
    case EK::Load: {
      uint64_t A = eval(*E.Ops[0]), V = 0;
      if (A + B / 8 > Pkt.size()) {
        Bad = true;
        return 0;
      }
      for (unsigned I = 0; I < B / 8; ++I)
        V |= uint64_t(Pkt[A + I]) << (8 * I);
      return V;
    }
    case EK::Cast: {
      const Type &From = E.Ops[0]->Ty;
      uint64_t V = eval(*E.Ops[0]);
      if (!From.isPtr() && From.Signed && bitsOfTy(From) < B)
        V = uint64_t(sextBits(V, bitsOfTy(From)));
      return V & M;
    }
    case EK::Unary: {
      uint64_t V = eval(*E.Ops[0]);
      if (E.Op == OK::Neg)
        return (0 - V) & M;
      if (E.Op == OK::Not)
        return ~V & M;
      return V == 0;
    }
    case EK::Binary: {
      uint64_t X = eval(*E.Ops[0]), Y = eval(*E.Ops[1]);
      int64_t SX = sextBits(X, B), SY = sextBits(Y, B);
      switch (E.Op) {
      case OK::Add:
      case OK::PtrAdd:
        return (X + Y) & M;
      case OK::Sub:
      case OK::PtrDiff:
        return (X - Y) & M;
      case OK::Mul:
        return (X * Y) & M;
      case OK::UDiv:
        if (!Y) { Bad = true; return 0; }
        return X / Y;
      case OK::URem:
        if (!Y) { Bad = true; return 0; }
        return X % Y;
      case OK::SDiv:
        if (!SY) { Bad = true; return 0; }
        return uint64_t(SX / SY) & M;
      case OK::SRem:
        if (!SY) { Bad = true; return 0; }
        return uint64_t(SX % SY) & M;
      case OK::And:
        return X & Y;
      case OK::Or:
        return X | Y;
      case OK::Xor:
        return X ^ Y;
      case OK::Shl:
        if (Y >= B) { Bad = true; return 0; }
        return (X << Y) & M;
      case OK::LShr:
        if (Y >= B) { Bad = true; return 0; }
        return X >> Y;
      case OK::AShr:
        if (Y >= B) { Bad = true; return 0; }
        return uint64_t(SX >> Y) & M;
      default:
        Bad = true;
        return 0;
      }
    }
    case EK::Cmp: {
      uint64_t X = eval(*E.Ops[0]), Y = eval(*E.Ops[1]);
      unsigned OB = bitsOfTy(E.Ops[0]->Ty);
      int64_t SX = sextBits(X, OB), SY = sextBits(Y, OB);
      switch (E.Op) {
      case OK::Eq: return X == Y;
      case OK::Ne: return X != Y;
      case OK::ULt: return X < Y;
      case OK::ULe: return X <= Y;
      case OK::UGt: return X > Y;
      case OK::UGe: return X >= Y;
      case OK::SLt: return SX < SY;
      case OK::SLe: return SX <= SY;
      case OK::SGt: return SX > SY;
      case OK::SGe: return SX >= SY;
      default: Bad = true; return 0;
      }
    }
    case EK::LAnd:
      return eval(*E.Ops[0]) != 0 && eval(*E.Ops[1]) != 0;
    case EK::LOr:
      return eval(*E.Ops[0]) != 0 || eval(*E.Ops[1]) != 0;
    case EK::Cond:
      return eval(*E.Ops[0]) ? eval(*E.Ops[1]) & M : eval(*E.Ops[2]) & M;
    }
    Bad = true;
    return 0;
  }

  /// Runs S; a returned value ends the run.
  std::optional<uint64_t> exec(const Stmt &S) {
    switch (S.K) {
    case SK::Atomic: // the generator makes no atomics
      Bad = true;
      return std::nullopt;
    case SK::Assign:
      Vars[S.VarId] = eval(*S.Value);
      return std::nullopt;
    case SK::Store: {
      uint64_t A = eval(*S.Addr), V = eval(*S.Value);
      unsigned N = bitsOfTy(S.Value->Ty) / 8;
      if (A + N > Pkt.size()) {
        Bad = true;
        return std::nullopt;
      }
      for (unsigned I = 0; I < N; ++I)
        Pkt[A + I] = uint8_t(V >> (8 * I));
      return std::nullopt;
    }
    case SK::If:
      if (eval(*S.Cond))
        return S.Then ? exec(*S.Then) : std::nullopt;
      return S.Else ? exec(*S.Else) : std::nullopt;
    case SK::Return:
      return eval(*S.Value);
    case SK::Block:
      for (const auto &B : S.Body) {
        if (auto R = exec(*B))
          return R;
        if (Leaving != Normal)
          break;
      }
      return std::nullopt;
    case SK::ExprStmt:
      eval(*S.Value);
      return std::nullopt;
    case SK::Assert:
      return std::nullopt;
    case SK::Break:
      Leaving = Breaking;
      return std::nullopt;
    case SK::Continue:
      Leaving = Continuing;
      return std::nullopt;
    case SK::Loop:
      // One iteration: [Cond], body, Step, [Cond when !TestFirst].
      for (;;) {
        if (++Steps > 1000000) {
          Bad = true;
          return std::nullopt;
        }
        if (S.TestFirst && S.Cond && !eval(*S.Cond))
          return std::nullopt;
        if (S.Then)
          if (auto R = exec(*S.Then))
            return R;
        bool Broke = Leaving == Breaking;
        Leaving = Normal;
        if (Broke)
          return std::nullopt;
        if (S.Step)
          if (auto R = exec(*S.Step))
            return R;
        if (!S.TestFirst && S.Cond && !eval(*S.Cond))
          return std::nullopt;
      }
    }
    return std::nullopt;
  }
};

inline constexpr unsigned NumLocals = 8; // one per integer type
inline constexpr unsigned FirstLocal = 3; // after ctx, data, data_end
inline constexpr unsigned PktLen = 72;    // programs require 64 bytes

inline Type typeOf(unsigned K) { return intTy(8u << (K / 2), K % 2); }

struct Gen {
  std::mt19937_64 Rng;
  unsigned MaxDepth;
  explicit Gen(uint64_t Seed, unsigned MaxDepth = 4) : Rng(Seed), MaxDepth(MaxDepth) {}

  // ---- Idioms (randomProgram(..., true)): shapes the code generator's
  // optimisations look for. Off for the original programs, whose random
  // streams stay as they were.
  bool Idioms = false;
  struct PtrLocal {
    unsigned Var;
    unsigned Off; // points to data + Off
  };
  std::vector<PtrLocal> Ptrs;        // assigned once, before any statement
  std::vector<int> CopyOf;           // per type index: a copy of v_K, or -1
  unsigned Counter = 0;              // the loops' counter (u32 "i")
  bool InLoop = false;

  unsigned pick(unsigned N) { return unsigned(Rng() % N); }
  bool chance(unsigned Percent) { return pick(100) < Percent; }

  uint64_t constant(unsigned Bits) {
    static const uint64_t Special[] = {0, 1, 2, 3, 7, 0x7f, 0x80, 0xff,
                                       0x7fff, 0x8000, 0xffff, 0x7fffffff,
                                       0x80000000, 0xffffffff, 0x100000000ull,
                                       0x7fffffffffffffffull,
                                       0x8000000000000000ull, ~0ull};
    uint64_t V = chance(50) ? Special[pick(sizeof Special / sizeof *Special)]
                            : Rng();
    if (chance(20))
      V = 0 - V;
    return V & maskBits(Bits);
  }

  ExprPtr data() { return var(1, ptrTy()); }

  /// A load of T at a random offset within bytes [0, 64) of the packet,
  /// through data or (idioms) a pointer local.
  ExprPtr loadLeaf(const Type &T) {
    if (Idioms && !Ptrs.empty() && chance(50)) {
      const PtrLocal &P = Ptrs[pick(unsigned(Ptrs.size()))];
      return load(T, ptrAdd(var(P.Var, ptrTy()),
                            int64_t(pick(64 - P.Off - T.Bits / 8 + 1))));
    }
    return load(T, ptrAdd(data(), int64_t(pick(64 - T.Bits / 8 + 1))));
  }

  ExprPtr leaf(const Type &T) {
    unsigned K = (T.Bits == 8 ? 0 : T.Bits == 16 ? 2 : T.Bits == 32 ? 4 : 6) +
                 (T.Signed ? 1 : 0);
    switch (pick(3)) {
    case 0:
      return cst(constant(T.Bits), T);
    case 1:
      if (Idioms && K < CopyOf.size() && CopyOf[K] >= 0 && chance(40))
        return var(unsigned(CopyOf[K]), T);
      return var(FirstLocal + K, T);
    default:
      return loadLeaf(T);
    }
  }

  ExprPtr expr(const Type &T, unsigned Depth) {
    if (Depth == 0 || chance(20))
      return leaf(T);
    unsigned B = T.Bits;
    switch (pick(T.Bits == 32 && T.Signed ? 12 : 8)) {
    case 0: { // conversion from any type
      Type S = typeOf(pick(8));
      return cast(T, expr(S, Depth - 1));
    }
    case 1:
      return un(chance(50) ? OK::Neg : OK::Not, expr(T, Depth - 1));
    case 2:
    case 3: {
      static const OK Ops[] = {OK::Add, OK::Sub, OK::Mul, OK::And, OK::Or,
                               OK::Xor};
      return bin(Ops[pick(6)], expr(T, Depth - 1), expr(T, Depth - 1));
    }
    case 4: { // shifts by an in-range amount
      static const OK Ops[] = {OK::Shl, OK::LShr, OK::AShr};
      return bin(Ops[pick(3)], expr(T, Depth - 1),
                 bin(OK::And, expr(T, Depth - 1), cst(B - 1, T)));
    }
    case 5: { // unsigned division / remainder by a nonzero value
      OK Op = chance(50) ? OK::UDiv : OK::URem;
      ExprPtr Den = chance(30) ? cst(std::max<uint64_t>(1, constant(B)), T)
                               : bin(OK::Or, expr(T, Depth - 1), cst(1, T));
      return bin(Op, expr(T, Depth - 1), std::move(Den));
    }
    case 6: { // signed division of operands known non-negative
      uint64_t Pos = maskBits(B) >> 1;
      return bin(chance(50) ? OK::SDiv : OK::SRem,
                 bin(OK::And, expr(T, Depth - 1), cst(Pos & Rng(), T)),
                 bin(OK::Or, bin(OK::And, expr(T, Depth - 1), cst(Pos, T)),
                     cst(1, T)));
    }
    case 7:
      return cond(condition(Depth - 1), expr(T, Depth - 1),
                  expr(T, Depth - 1));
    default: // int-valued conditions
      return condition(Depth - 1);
    }
  }

  ExprPtr condition(unsigned Depth) {
    switch (Depth == 0 ? 0 : pick(5)) {
    case 0:
    case 1: {
      static const OK Ops[] = {OK::Eq,  OK::Ne,  OK::ULt, OK::ULe, OK::UGt,
                               OK::UGe, OK::SLt, OK::SLe, OK::SGt, OK::SGe};
      Type S = typeOf(pick(8));
      return cmp(Ops[pick(10)], expr(S, Depth ? Depth - 1 : 0),
                 expr(S, Depth ? Depth - 1 : 0));
    }
    case 2:
      return land(condition(Depth - 1), condition(Depth - 1));
    case 3:
      return lor(condition(Depth - 1), condition(Depth - 1));
    default:
      return chance(50) ? un(OK::LNot, condition(Depth - 1))
                        : expr(i32(), Depth - 1);
    }
  }

  StmtPtr stmt(unsigned Depth) {
    if (Idioms && Depth > 0 && chance(35))
      return idiom(Depth);
    unsigned K = pick(8);
    switch (Depth == 0 ? 0 : pick(6)) {
    case 0:
    case 1:
    case 2:
      return assign(FirstLocal + K, expr(typeOf(K), MaxDepth));
    case 3: {
      auto Then = stmts(Depth - 1, 1 + pick(3));
      auto Else = chance(50) ? stmts(Depth - 1, 1 + pick(3)) : nullptr;
      return ifThen(condition(2), std::move(Then), std::move(Else));
    }
    case 4: // an early return; randomProgram fills in the value
      return ifThen(condition(2), ret(nullptr));
    default: { // store into the packet's scratch area at 64..71
      Type T = typeOf(K);
      return store(ptrAdd(data(), int64_t(64 + pick(9 - T.Bits / 8))),
                   expr(T, 2));
    }
    }
  }

  /// `if (c) return K;`, `v = c ? K : e;`, `if (c) break/continue;` in a
  /// loop, and a counting loop `i = 0; for (; i < N; i++) ...` (sometimes
  /// with a store between the two).
  StmtPtr idiom(unsigned Depth) {
    unsigned K = pick(8);
    switch (pick(InLoop ? 4 : 5)) {
    case 0:
      return ifThen(condition(2), retInt(int(pick(4))));
    case 1: {
      Type T = typeOf(K);
      return assign(FirstLocal + K,
                    chance(50) ? cond(condition(2), cst(constant(T.Bits), T), expr(T, 2))
                               : cond(condition(2), expr(T, 2), cst(constant(T.Bits), T)));
    }
    case 2:
      return ifThen(condition(1), retInt(int(pick(4))), stmts(Depth - 1, 1 + pick(2)));
    case 3:
      if (InLoop)
        return ifThen(condition(2), mks(chance(50) ? SK::Break : SK::Continue));
      [[fallthrough]];
    default: {
      unsigned N = 1 + pick(4);
      InLoop = true;
      auto Body = stmts(Depth - 1, 1 + pick(3));
      InLoop = false;
      auto L = mks(SK::Loop);
      L->Cond = cmp(OK::ULt, var(Counter, u32()), cst(N, u32()));
      L->Then = std::move(Body);
      L->Step = assign(Counter, bin(OK::Add, var(Counter, u32()), cst(1, u32())));
      L->TestFirst = true;
      L->Annot = loopInvariant(N);
      std::vector<StmtPtr> B;
      B.push_back(assign(Counter, cst(0, u32())));
      if (chance(25))
        B.push_back(store(ptrAdd(data(), 64), cst(constant(8), u8())));
      B.push_back(std::move(L));
      return blockOf(std::move(B));
    }
    }
  }

  /// Inv 0 <= i && i <= N && data + 72 <= data_end (the variant N - i is
  /// inferred).
  static std::shared_ptr<const Annotation> loopInvariant(unsigned N) {
    auto Plus = std::make_shared<Term>();
    Plus->K = Term::Kind::Binary;
    Plus->Op = "+";
    Plus->Args = {vr("data"), lit(PktLen)};
    auto P = conn(Assertion::Kind::And,
                  conn(Assertion::Kind::And, cmpA("<=", lit(0), vr("i")),
                       cmpA("<=", vr("i"), lit(N))),
                  cmpA("<=", Plus, vr("data_end")));
    auto A = std::make_shared<Annotation>();
    A->K = Annotation::Kind::Inv;
    A->Pre = P;
    return A;
  }

  StmtPtr stmts(unsigned Depth, unsigned N) {
    std::vector<StmtPtr> B;
    for (unsigned I = 0; I < N; ++I)
      B.push_back(stmt(Depth));
    return blockOf(std::move(B));
  }
};

/// Builds the return expression mixing all 64 bits of local Id (type u64).
inline ExprPtr mixVar(unsigned Id) {
  auto V = [&] { return var(Id, u64()); };
  return cast(i32(), bin(OK::Add, cast(u32(), V()),
                         bin(OK::Mul, cast(u32(), bin(OK::LShr, V(), cst(32, u64()))),
                             cst(0x9e3779b1u, u32()))));
}

/// A random XDP program (locals of every integer type, NumStmts random
/// statements). With Idioms it also has pointer locals data + c and copies
/// of locals (each assigned once), constant early returns, selects with a
/// constant arm, and counting loops with break / continue.
inline Function randomProgram(uint64_t Seed, unsigned NumStmts, bool Idioms = false) {
  Gen G(Seed);
  G.Idioms = Idioms;
  Function F = xdpFunction("xdp_rand");
  addVar(F, "data", ptrTy());
  addVar(F, "data_end", ptrTy());
  for (unsigned K = 0; K < NumLocals; ++K)
    addVar(F, "v" + std::to_string(K), typeOf(K));
  unsigned Acc = addVar(F, "acc", u64());
  unsigned RetTmp = addVar(F, "rt", u64());
  std::vector<StmtPtr> B;
  B.push_back(assign(1, ctxField(0)));
  B.push_back(assign(2, ctxField(4)));
  B.push_back(ifThen(cmp(OK::UGt, ptrAdd(var(1, ptrTy()), PktLen),
                         var(2, ptrTy())),
                     retInt(0x7777)));
  for (unsigned K = 0; K < NumLocals; ++K)
    B.push_back(assign(FirstLocal + K,
                       load(typeOf(K), ptrAdd(var(1, ptrTy()), 8 * K))));
  if (Idioms) {
    G.Counter = addVar(F, "i", u32());
    // q0 = data + a; q1 = q0 + b (forwarded to their uses unless a loop
    // uses them); c_K = v_K (forwarded unless v_K is assigned later).
    unsigned A = G.pick(5), Bo = G.pick(4);
    unsigned Q0 = addVar(F, "q0", ptrTy()), Q1 = addVar(F, "q1", ptrTy());
    B.push_back(assign(Q0, ptrAdd(var(1, ptrTy()), int64_t(A))));
    B.push_back(assign(Q1, ptrAdd(var(Q0, ptrTy()), int64_t(Bo))));
    G.Ptrs = {{Q0, A}, {Q1, A + Bo}};
    G.CopyOf.assign(NumLocals, -1);
    for (unsigned N = 0; N < 3; ++N) {
      unsigned K = G.pick(NumLocals);
      if (G.CopyOf[K] >= 0)
        continue;
      unsigned C = addVar(F, "c" + std::to_string(K), typeOf(K));
      B.push_back(assign(C, var(FirstLocal + K, typeOf(K))));
      G.CopyOf[K] = int(C);
    }
    // A constant, and a value never read (no code).
    unsigned Kc = addVar(F, "k", u32());
    B.push_back(assign(Kc, cst(G.constant(32), u32())));
    G.CopyOf[4] = G.CopyOf[4] >= 0 ? G.CopyOf[4] : int(Kc);
    unsigned Dead = addVar(F, "dead", u64());
    B.push_back(assign(Dead, bin(OK::Mul, var(FirstLocal + 6, u64()), cst(3, u64()))));
  }
  for (unsigned I = 0; I < NumStmts; ++I) {
    StmtPtr S = G.stmt(3);
    // Early returns inside: replace the placeholder by a mix of a value.
    std::function<void(Stmt &)> Fix = [&](Stmt &X) {
      if (X.K == SK::Return && !X.Value) {
        unsigned K = G.pick(8);
        auto Inner = block(assign(RetTmp, cast(u64(), G.expr(typeOf(K), 2))),
                           ret(mixVar(RetTmp)));
        X = std::move(*Inner);
        return;
      }
      if (X.Then)
        Fix(*X.Then);
      if (X.Else)
        Fix(*X.Else);
      for (auto &C : X.Body)
        if (C)
          Fix(*C);
    };
    Fix(*S);
    B.push_back(std::move(S));
  }
  // acc = sum of all locals (as u64) * odd constants, then mix.
  B.push_back(assign(Acc, cst(0, u64())));
  for (unsigned K = 0; K < NumLocals; ++K)
    B.push_back(assign(
        Acc, bin(OK::Add, bin(OK::Mul, var(Acc, u64()), cst(0x100000001b3ull, u64())),
                 cast(u64(), var(FirstLocal + K, typeOf(K))))));
  B.push_back(assign(Acc, bin(OK::Add, var(Acc, u64()),
                              load(u64(), ptrAdd(var(1, ptrTy()), 64)))));
  B.push_back(ret(mixVar(Acc)));
  F.Body = blockOf(std::move(B));
  return F;
}

inline uint32_t reference(const Function &F, const std::vector<uint8_t> &Pkt,
                   bool &Bad) {
  RefInterp I;
  I.Pkt = Pkt;
  I.Vars.assign(F.Vars.size(), 0);
  // ctx is never read except through ctxField, which the interpreter does
  // not model: run the body after the two ctx loads with data = 0.
  const Stmt &Body = *F.Body;
  I.Vars[1] = 0;
  I.Vars[2] = Pkt.size();
  std::optional<uint64_t> R;
  for (size_t K = 2; K < Body.Body.size() && !R; ++K)
    R = I.exec(*Body.Body[K]);
  Bad = I.Bad || !R;
  return uint32_t(R.value_or(0));
}

} // namespace cgtest

#endif // VEP_COMPILER_UNITTESTS_CODEGENRANDOM_H
