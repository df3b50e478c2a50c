//===- Verifier.cpp - Symbolic execution of the CIR with Z3 ---------------===//
//
// Values are Z3 bit-vectors of their C width. A value may also point into a
// region: the context (CTX) or the packet (PACKET; data_end is the packet
// pointer at offset n). Such values carry a 64-bit byte offset; they keep
// their region through integer casts of >= 32 bits, since XDP programs read
// `ctx->data` as a __u32 and cast it to a pointer. The packet contents are
// a Z3 array from 64-bit offsets to bytes, unconstrained at entry; its
// length n is a 64-bit variable with n <= 65535.
//
// Execution forks at `if`, `&&`, `||` and `?:`, pruning infeasible branches.
// Every obligation is one query: path condition and negated goal; unsat is
// proved. After an obligation the goal is assumed, so one fault is reported
// once rather than cascading.
//
//===----------------------------------------------------------------------===//

#include "vep/verifier/Verifier.h"

#include "AnnotationSupport.h"

#include <z3++.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <sstream>

namespace vep::verifier {
namespace {

using CK = cir::Expr::Kind;
using Op = cir::Expr::OpKind;
using SK = cir::Stmt::Kind;

enum class Region { Scalar, Ctx, Packet };

struct Val {
  Region R;
  z3::expr E; // scalar: bit-vector of the type's width; else 64-bit offset
};

struct State {
  std::vector<std::optional<Val>> Vars;
  z3::expr Pkt;
  z3::expr PC;
};

using Outcomes = std::vector<std::pair<State, Val>>;

/// struct xdp_md (linux/bpf.h): offsets of the readable u32 fields.
enum : unsigned {
  XdpData = 0,
  XdpDataEnd = 4,
  XdpDataMeta = 8,
  XdpIngressIfindex = 12,
  XdpRxQueueIndex = 16,
  XdpEgressIfindex = 20,
};

class Engine {
public:
  Engine(const cir::Function &F, const Options &O, FunctionResult &R)
      : F(F), Opts(O), R(R), N(C.bv_const("n", 64)),
        Ingress(C.bv_const("ingress_ifindex", 32)),
        RxQueue(C.bv_const("rx_queue_index", 32)),
        Egress(C.bv_const("egress_ifindex", 32)) {}

  void run();

private:
  const cir::Function &F;
  const Options &Opts;
  FunctionResult &R;
  z3::context C;
  z3::expr N;
  z3::expr Ingress, RxQueue, Egress;
  unsigned FreshCount = 0;
  bool Trace = std::getenv("VEP_C_TRACE") != nullptr;
  std::set<std::tuple<unsigned, unsigned, std::string>> Reported;
  bool PathLimitHit = false;

  // -- helpers ---------------------------------------------------------------
  /// A solver with the per-query timeout and the entry facts (n <= 65535).
  z3::solver newSolver() {
    z3::solver S(C);
    z3::params P(C);
    P.set("timeout", Opts.TimeoutMillis);
    S.set(P);
    S.add(z3::ule(N, C.bv_val(65535, 64)));
    return S;
  }

  static unsigned bits(const cir::Type &T) { return T.isPtr() ? 64 : T.Bits; }

  z3::expr fresh(unsigned Bits, const std::string &Hint = "v") {
    return C.bv_const((Hint + "!" + std::to_string(FreshCount++)).c_str(),
                      Bits);
  }
  Val scalar(z3::expr E) { return Val{Region::Scalar, E}; }
  Val freshScalar(const cir::Type &T) { return scalar(fresh(bits(T))); }
  z3::expr bv(uint64_t V, unsigned Bits) { return C.bv_val(V, Bits); }
  z3::expr boolToInt(const z3::expr &B, unsigned Bits) {
    return z3::ite(B, bv(1, Bits), bv(0, Bits));
  }
  z3::expr truth(const Val &V) {
    if (V.R != Region::Scalar)
      return C.bool_val(true); // region pointers are never null
    return V.E != bv(0, V.E.get_sort().bv_size());
  }
  static std::optional<int64_t> numeral(const z3::expr &E) {
    z3::expr Sm = E.simplify();
    if (!Sm.is_numeral())
      return std::nullopt;
    uint64_t U = 0;
    if (!Sm.is_numeral_u64(U))
      return std::nullopt;
    unsigned W = Sm.get_sort().bv_size();
    if (W < 64 && ((U >> (W - 1)) & 1))
      U |= ~uint64_t(0) << W;
    return int64_t(U);
  }

  enum class Answer { Proved, Failed, Unknown };
  Answer query(const z3::expr &PC, const z3::expr &Goal,
               std::optional<z3::model> &Model) {
    z3::expr G = Goal.simplify();
    if (G.is_true())
      return Answer::Proved;
    // A fresh solver per query: Z3's non-incremental bit-vector solver
    // (with its preprocessing) is much faster than the incremental one.
    z3::solver S = newSolver();
    S.add(PC);
    S.add(!G);
    z3::check_result CR = S.check();
    Answer A = Answer::Proved;
    if (CR == z3::sat) {
      A = Answer::Failed;
      Model.emplace(S.get_model());
    } else if (CR == z3::unknown) {
      A = Answer::Unknown;
    }
    return A;
  }

  bool feasible(const z3::expr &PC) {
    z3::expr P = PC.simplify();
    if (P.is_false())
      return false;
    if (P.is_true())
      return true;
    z3::solver S = newSolver();
    S.add(PC);
    return S.check() != z3::unsat;
  }

  std::string showValue(const z3::model &M, const Val &V,
                        const cir::Type &T) {
    z3::expr E = M.eval(V.E, true);
    std::optional<int64_t> Off = numeral(E);
    if (V.R == Region::Packet) {
      if (!Off)
        return "data + ?";
      return *Off == 0 ? std::string("data") : "data + " + std::to_string(*Off);
    }
    if (V.R == Region::Ctx) {
      if (!Off)
        return "ctx + ?";
      return *Off == 0 ? std::string("ctx") : "ctx + " + std::to_string(*Off);
    }
    uint64_t U = 0;
    if (!E.is_numeral_u64(U))
      return "?";
    if (T.Signed && !T.isPtr())
      return std::to_string(*Off);
    return std::to_string(U);
  }

  struct Extra {
    std::string Name;
    Val V;
    cir::Type Ty;
  };

  /// "with packet length n = 13, x = 5, ..." for the variables in `Vars`.
  std::string counterexample(const z3::model &M, const State &St,
                             const std::set<unsigned> &Vars,
                             const std::vector<Extra> &Extras) {
    std::ostringstream OS;
    z3::expr NV = M.eval(N, true);
    uint64_t NU = 0;
    OS << "with packet length n = "
       << (NV.is_numeral_u64(NU) ? std::to_string(NU) : std::string("?"));
    // The variables the failing expression mentions, then the other
    // integer variables that hold a value on this path.
    std::vector<unsigned> Order(Vars.begin(), Vars.end());
    for (unsigned Id = 0; Id < F.Vars.size(); ++Id)
      if (!Vars.count(Id) && !F.Vars[Id].Ty.isPtr() && Id < St.Vars.size() &&
          St.Vars[Id] && St.Vars[Id]->R == Region::Scalar)
        Order.push_back(Id);
    for (unsigned Id : Order) {
      if (Id >= F.Vars.size() || Id >= St.Vars.size())
        continue;
      const auto &Var = F.Vars[Id];
      if (!St.Vars[Id])
        continue;
      if (St.Vars[Id]->R == Region::Ctx && Var.IsParam)
        continue; // the context parameter itself says nothing
      OS << ", " << Var.Name << " = " << showValue(M, *St.Vars[Id], Var.Ty);
    }
    for (const Extra &X : Extras)
      OS << ", " << X.Name << " = " << showValue(M, X.V, X.Ty);
    return OS.str();
  }

  void addFailure(cir::Loc L, const std::string &Msg, const std::string &Cex) {
    if (!Reported.insert({L.Line, L.Col, Msg}).second)
      return;
    R.Failures.push_back({L, Msg, Cex});
  }

  void unsupported(cir::Loc L, const std::string &What) {
    R.Unsupported = true;
    addFailure(L, "not supported yet: " + What, "");
  }

  /// Poses one obligation on the path `St`; afterwards the goal is assumed.
  void obligation(State &St, const z3::expr &Goal, cir::Loc L,
                  const std::string &Msg, const std::set<unsigned> &Vars,
                  const std::vector<Extra> &Extras = {},
                  bool WithCounterexample = true) {
    ++R.Obligations;
    std::optional<z3::model> M;
    auto T0 = std::chrono::steady_clock::now();
    Answer A = query(St.PC, Goal, M);
    if (Trace)
      std::fprintf(stderr, "vep-c: trace: %u:%u: %s: %s (%.1f ms)\n", L.Line,
                   L.Col, Msg.c_str(),
                   A == Answer::Proved   ? "proved"
                   : A == Answer::Failed ? "FAILED"
                                         : "unknown",
                   std::chrono::duration<double, std::milli>(
                       std::chrono::steady_clock::now() - T0)
                       .count());
    if (A == Answer::Failed)
      addFailure(L, Msg,
                 WithCounterexample ? counterexample(*M, St, Vars, Extras)
                                    : std::string());
    else if (A == Answer::Unknown)
      addFailure(L, "unknown (solver timeout): " + Msg, "");
    St.PC = St.PC && Goal;
  }

  /// An obligation that is known to fail on this path (e.g. a store to the
  /// context): reported if the path is feasible; the path then stops
  /// mattering, so its condition becomes false.
  void violation(State &St, cir::Loc L, const std::string &Msg,
                 const std::set<unsigned> &Vars) {
    // A violation fails on every input that reaches it: only the values of
    // the variables it mentions are worth showing.
    obligation(St, C.bool_val(false), L, Msg, Vars, {}, !Vars.empty());
  }

  static void varsOf(const cir::Expr &E, std::set<unsigned> &Out) {
    if (E.K == CK::Var)
      Out.insert(E.VarId);
    for (const auto &O : E.Ops)
      varsOf(*O, Out);
  }
  static std::set<unsigned> varsOf(const cir::Expr &E) {
    std::set<unsigned> S;
    varsOf(E, S);
    return S;
  }

  /// Splits `St` on `Cond`, keeping the feasible sides.
  void fork(const State &St, const z3::expr &Cond,
            std::optional<State> &T, std::optional<State> &E) {
    z3::expr Cs = Cond.simplify();
    if (Cs.is_true()) {
      T.emplace(St);
      return;
    }
    if (Cs.is_false()) {
      E.emplace(St);
      return;
    }
    State A = St, B = St;
    A.PC = St.PC && Cond;
    B.PC = St.PC && !Cond;
    if (feasible(A.PC))
      T.emplace(std::move(A));
    if (feasible(B.PC))
      E.emplace(std::move(B));
  }

  // -- expressions -----------------------------------------------------------
  Outcomes eval(const cir::Expr &E, const State &St);
  Outcomes evalBinary(const cir::Expr &E, const State &St);
  Val load(const cir::Expr &E, State &St, const Val &Addr);
  void store(const cir::Stmt &S, State &St, const Val &Addr, const Val &V);
  Val cast(const cir::Expr &E, const Val &V);
  Val arith(const cir::Expr &E, State &St, const Val &A, const Val &B);
  Val compare(const cir::Expr &E, State &St, const Val &A, const Val &B);
  bool packetBounds(State &St, const z3::expr &Off, unsigned Size, cir::Loc L,
                    bool Write, const cir::Expr &AddrE);

  // -- annotations -----------------------------------------------------------
  struct MathCtx {
    const State &St;
    const Val *Ret;
    cir::Loc L;
    std::set<unsigned> Vars;
    bool Bad = false;
  };
  z3::expr math(const Val &V, const cir::Type &T) {
    if (V.R != Region::Scalar)
      return C.int_val(0);
    return z3::bv2int(V.E, T.Signed && !T.isPtr());
  }
  z3::expr intLit(__int128 V) {
    bool Neg = V < 0;
    unsigned __int128 U = Neg ? (unsigned __int128)(-(V + 1)) + 1
                              : (unsigned __int128)V;
    std::string D;
    do {
      D.insert(D.begin(), char('0' + int(U % 10)));
      U /= 10;
    } while (U);
    if (Neg)
      D.insert(D.begin(), '-');
    return C.int_val(D.c_str());
  }
  z3::expr wrap(const z3::expr &X, unsigned Bits, bool Signed) {
    return z3::bv2int(z3::int2bv(Bits, X), Signed);
  }
  z3::expr term(const logic::Term &T, MathCtx &M);
  z3::expr assertion(const logic::Assertion &A, MathCtx &M);

  // -- statements ------------------------------------------------------------
  void exec(const cir::Stmt &S, std::vector<State> &States);
  void execOne(const cir::Stmt &S, State St, std::vector<State> &Out);
  void checkReturn(const cir::Stmt &S, State St, const Val *V);
  void limit(std::vector<State> &States, cir::Loc L) {
    if (States.size() > Opts.MaxPaths) {
      if (!PathLimitHit)
        addFailure(L, "unknown (more than " + std::to_string(Opts.MaxPaths) +
                          " paths)",
                   "");
      PathLimitHit = true;
      States.clear();
    }
  }
};

//===----------------------------------------------------------------------===//

bool Engine::packetBounds(State &St, const z3::expr &Off, unsigned Size,
                          cir::Loc L, bool Write, const cir::Expr &AddrE) {
  z3::expr Goal = z3::sge(Off, bv(0, 64)) &&
                  z3::sle(Off, N - bv(Size, 64));
  std::string What = std::string(Write ? "writing " : "reading ") +
                     std::to_string(Size) + (Size == 1 ? " byte" : " bytes");
  std::optional<int64_t> O = numeral(Off);
  std::string Msg = "packet access out of bounds: " + What;
  std::vector<Extra> Extras;
  if (O && *O >= 0)
    Msg += " at offset " + std::to_string(*O) + " requires " +
           std::to_string(*O) + " + " + std::to_string(Size) +
           " <= packet length";
  else if (O)
    Msg += " at offset " + std::to_string(*O) + " (before the packet start)";
  else {
    Msg += " at a variable offset requires 0 <= offset and offset + " +
           std::to_string(Size) + " <= packet length";
    cir::Type I64;
    I64.Bits = 64;
    I64.Signed = true;
    Extras.push_back({"offset", scalar(Off), I64});
  }
  obligation(St, Goal, L, Msg, varsOf(AddrE), Extras);
  return true;
}

Val Engine::load(const cir::Expr &E, State &St, const Val &A) {
  unsigned Size = E.Ty.isPtr() ? 8 : E.Ty.Bits / 8;
  switch (A.R) {
  case Region::Packet: {
    packetBounds(St, A.E, Size, E.L, false, *E.Ops[0]);
    z3::expr V = z3::select(St.Pkt, A.E);
    for (unsigned I = 1; I < Size; ++I)
      V = z3::concat(z3::select(St.Pkt, A.E + bv(I, 64)), V);
    return scalar(V);
  }
  case Region::Ctx: {
    ++R.Obligations;
    std::optional<int64_t> O = numeral(A.E);
    if (!O) {
      addFailure(E.L, "context access at a variable offset", "");
      return freshScalar(E.Ty);
    }
    if (*O == XdpDataMeta && Size == 4) {
      unsupported(E.L, "reading 'data_meta' of struct xdp_md");
      return freshScalar(E.Ty);
    }
    bool Field = *O == XdpData || *O == XdpDataEnd ||
                 *O == XdpIngressIfindex || *O == XdpRxQueueIndex ||
                 *O == XdpEgressIfindex;
    if (!Field || Size != 4) {
      violation(St, E.L,
                "invalid context access: reading " + std::to_string(Size) +
                    " bytes at offset " + std::to_string(*O) +
                    " of struct xdp_md",
                varsOf(*E.Ops[0]));
      return freshScalar(E.Ty);
    }
    switch (*O) {
    case XdpData:
      return Val{Region::Packet, bv(0, 64)};
    case XdpDataEnd:
      return Val{Region::Packet, N};
    case XdpIngressIfindex:
      return scalar(Ingress);
    case XdpRxQueueIndex:
      return scalar(RxQueue);
    default:
      return scalar(Egress);
    }
  }
  case Region::Scalar:
    violation(St, E.L,
              "dereference of a value that is not a valid pointer into the "
              "packet or the context",
              varsOf(*E.Ops[0]));
    return freshScalar(E.Ty);
  }
  return freshScalar(E.Ty);
}

void Engine::store(const cir::Stmt &S, State &St, const Val &A, const Val &V) {
  const cir::Type &Ty = S.Value->Ty;
  unsigned Size = Ty.isPtr() ? 8 : Ty.Bits / 8;
  switch (A.R) {
  case Region::Packet: {
    packetBounds(St, A.E, Size, S.L, true, *S.Addr);
    if (V.R != Region::Scalar) {
      unsupported(S.L, "storing a pointer into the packet");
      return;
    }
    for (unsigned I = 0; I < Size; ++I)
      St.Pkt = z3::store(St.Pkt, A.E + bv(I, 64),
                         V.E.extract(8 * I + 7, 8 * I));
    return;
  }
  case Region::Ctx:
    violation(St, S.L, "store to the context (struct xdp_md is read-only)",
              varsOf(*S.Addr));
    return;
  case Region::Scalar:
    violation(St, S.L,
              "dereference of a value that is not a valid pointer into the "
              "packet or the context",
              varsOf(*S.Addr));
    return;
  }
}

Val Engine::cast(const cir::Expr &E, const Val &V) {
  const cir::Type &To = E.Ty;
  const cir::Type &From = E.Ops[0]->Ty;
  unsigned TB = bits(To);
  if (V.R != Region::Scalar) {
    if (To.isPtr() || TB >= 32)
      return V;
    return scalar(fresh(TB, "ptrbits"));
  }
  unsigned FB = V.E.get_sort().bv_size();
  if (TB == FB)
    return V;
  if (TB < FB)
    return scalar(V.E.extract(TB - 1, 0));
  if (From.Signed && !From.isPtr())
    return scalar(z3::sext(V.E, TB - FB));
  return scalar(z3::zext(V.E, TB - FB));
}

Val Engine::arith(const cir::Expr &E, State &St, const Val &A, const Val &B) {
  const cir::Type &Ty = E.Ty;
  unsigned W = bits(Ty);
  cir::Loc L = E.L;
  std::set<unsigned> Vs = varsOf(E);
  bool PtrA = A.R != Region::Scalar, PtrB = B.R != Region::Scalar;

  if (E.Op == Op::PtrAdd) {
    if (PtrB) {
      addFailure(L, "pointer used as an offset", "");
      return freshScalar(Ty);
    }
    z3::expr Off = B.E;
    if (Off.get_sort().bv_size() < 64)
      Off = z3::sext(Off, 64 - Off.get_sort().bv_size());
    return Val{A.R, A.E + Off};
  }
  if (E.Op == Op::PtrDiff) {
    if (A.R != B.R) {
      violation(St, L, "difference of pointers into different objects", Vs);
      return freshScalar(Ty);
    }
    z3::expr D = A.E - B.E;
    return scalar(W < 64 ? D.extract(W - 1, 0) : D);
  }
  if (PtrA || PtrB) {
    auto ext64 = [&](const Val &X, const cir::Type &T) {
      unsigned XB = X.E.get_sort().bv_size();
      if (XB >= 64)
        return X.E;
      return T.Signed ? z3::sext(X.E, 64 - XB) : z3::zext(X.E, 64 - XB);
    };
    if (E.Op == Op::Add && PtrA != PtrB) {
      const Val &P = PtrA ? A : B;
      const Val &I = PtrA ? B : A;
      return Val{P.R, P.E + ext64(I, PtrA ? E.Ops[1]->Ty : E.Ops[0]->Ty)};
    }
    if (E.Op == Op::Sub && PtrA && !PtrB)
      return Val{A.R, A.E - ext64(B, E.Ops[1]->Ty)};
    if (E.Op == Op::Sub && PtrA && PtrB) {
      if (A.R != B.R) {
        violation(St, L, "difference of pointers into different objects", Vs);
        return freshScalar(Ty);
      }
      z3::expr D = A.E - B.E;
      return scalar(W < 64 ? D.extract(W - 1, 0) : D);
    }
    unsupported(L, "this arithmetic on a pointer value");
    return freshScalar(Ty);
  }

  const z3::expr &X = A.E;
  z3::expr Y = B.E;
  if (Y.get_sort().bv_size() != W) // defensive: operands should match
    Y = Y.get_sort().bv_size() < W ? z3::zext(Y, W - Y.get_sort().bv_size())
                                   : Y.extract(W - 1, 0);
  auto fits = [&](const z3::expr &Wide) {
    // Wide is the exact result in more bits; it fits if it equals its own
    // sign-extended truncation.
    unsigned WB = Wide.get_sort().bv_size();
    return z3::sext(Wide.extract(W - 1, 0), WB - W) == Wide;
  };
  std::string TyName = Ty.Spelling.empty() ? "int" : Ty.Spelling;
  switch (E.Op) {
  case Op::Add:
    if (Ty.Signed)
      obligation(St, fits(z3::sext(X, 1) + z3::sext(Y, 1)), L,
                 "signed overflow in addition of type '" + TyName + "'", Vs);
    return scalar(X + Y);
  case Op::Sub:
    if (Ty.Signed)
      obligation(St, fits(z3::sext(X, 1) - z3::sext(Y, 1)), L,
                 "signed overflow in subtraction of type '" + TyName + "'",
                 Vs);
    return scalar(X - Y);
  case Op::Mul:
    if (Ty.Signed)
      obligation(St, z3::bvmul_no_overflow(X, Y, true) &&
                         z3::bvmul_no_underflow(X, Y), L,
                 "signed overflow in multiplication of type '" + TyName + "'",
                 Vs);
    return scalar(X * Y);
  case Op::UDiv:
  case Op::URem:
  case Op::SDiv:
  case Op::SRem: {
    obligation(St, Y != bv(0, W), L, "division by zero", Vs);
    bool Signed = E.Op == Op::SDiv || E.Op == Op::SRem;
    if (Signed) {
      uint64_t Min = uint64_t(1) << (W - 1);
      obligation(St, !(X == bv(Min, W) && Y == bv(~uint64_t(0), W)), L,
                 "signed overflow in division of type '" + TyName + "'", Vs);
    }
    switch (E.Op) {
    case Op::UDiv: return scalar(z3::udiv(X, Y));
    case Op::URem: return scalar(z3::urem(X, Y));
    case Op::SDiv: return scalar(X / Y);
    default: return scalar(z3::srem(X, Y));
    }
  }
  case Op::And: return scalar(X & Y);
  case Op::Or: return scalar(X | Y);
  case Op::Xor: return scalar(X ^ Y);
  case Op::Shl:
  case Op::LShr:
  case Op::AShr: {
    obligation(St, z3::ult(Y, bv(W, W)), L,
               "shift amount out of range (must be less than " +
                   std::to_string(W) + ")",
               Vs);
    if (E.Op == Op::LShr)
      return scalar(z3::lshr(X, Y));
    if (E.Op == Op::AShr)
      return scalar(z3::ashr(X, Y));
    z3::expr Res = z3::shl(X, Y);
    if (Ty.Signed)
      obligation(St,
                 z3::sge(X, bv(0, W)) && z3::ashr(Res, Y) == X &&
                     z3::sge(Res, bv(0, W)),
                 L, "signed overflow in left shift of type '" + TyName + "'",
                 Vs);
    return scalar(Res);
  }
  default:
    unsupported(L, "binary operator");
    return freshScalar(Ty);
  }
}

Val Engine::compare(const cir::Expr &E, State &, const Val &A,
                    const Val &B) {
  unsigned W = bits(E.Ty);
  bool PtrA = A.R != Region::Scalar, PtrB = B.R != Region::Scalar;
  if (PtrA || PtrB) {
    bool Eq = E.Op == Op::Eq, Ne = E.Op == Op::Ne;
    if (A.R == B.R) {
      // Same region: compare offsets (the region does not wrap around).
      switch (E.Op) {
      case Op::Eq: return scalar(boolToInt(A.E == B.E, W));
      case Op::Ne: return scalar(boolToInt(A.E != B.E, W));
      case Op::ULt: case Op::SLt: return scalar(boolToInt(z3::slt(A.E, B.E), W));
      case Op::ULe: case Op::SLe: return scalar(boolToInt(z3::sle(A.E, B.E), W));
      case Op::UGt: case Op::SGt: return scalar(boolToInt(z3::sgt(A.E, B.E), W));
      default: return scalar(boolToInt(z3::sge(A.E, B.E), W));
      }
    }
    const Val &Other = PtrA ? B : A;
    if ((Eq || Ne) && (Other.R != Region::Scalar ||
                       (numeral(Other.E) && *numeral(Other.E) == 0)))
      return scalar(bv(Ne ? 1 : 0, W)); // distinct objects / non-null
    unsupported(E.L, "comparison of a pointer with an unrelated value");
    return freshScalar(E.Ty);
  }
  const z3::expr &X = A.E;
  z3::expr Y = B.E;
  z3::expr Cnd = C.bool_val(false);
  switch (E.Op) {
  case Op::Eq: Cnd = X == Y; break;
  case Op::Ne: Cnd = X != Y; break;
  case Op::ULt: Cnd = z3::ult(X, Y); break;
  case Op::ULe: Cnd = z3::ule(X, Y); break;
  case Op::UGt: Cnd = z3::ugt(X, Y); break;
  case Op::UGe: Cnd = z3::uge(X, Y); break;
  case Op::SLt: Cnd = z3::slt(X, Y); break;
  case Op::SLe: Cnd = z3::sle(X, Y); break;
  case Op::SGt: Cnd = z3::sgt(X, Y); break;
  case Op::SGe: Cnd = z3::sge(X, Y); break;
  default:
    unsupported(E.L, "comparison operator");
    return freshScalar(E.Ty);
  }
  return scalar(boolToInt(Cnd, W));
}

Outcomes Engine::evalBinary(const cir::Expr &E, const State &St) {
  Outcomes Out;
  for (auto &[S1, A] : eval(*E.Ops[0], St))
    for (auto &[S2, B] : eval(*E.Ops[1], S1)) {
      State S3 = S2;
      Val V = E.K == CK::Cmp ? compare(E, S3, A, B) : arith(E, S3, A, B);
      Out.emplace_back(std::move(S3), V);
    }
  return Out;
}

Outcomes Engine::eval(const cir::Expr &E, const State &St) {
  Outcomes Out;
  switch (E.K) {
  case CK::Const:
    Out.emplace_back(St, scalar(bv(E.Value, bits(E.Ty))));
    return Out;
  case CK::Var: {
    State S2 = St;
    if (E.VarId >= S2.Vars.size()) {
      unsupported(E.L, "unknown variable");
      Out.emplace_back(S2, freshScalar(E.Ty));
      return Out;
    }
    if (!S2.Vars[E.VarId]) // uninitialised: any value
      S2.Vars[E.VarId] =
          scalar(fresh(bits(F.Vars[E.VarId].Ty), F.Vars[E.VarId].Name));
    Val V = *S2.Vars[E.VarId];
    Out.emplace_back(std::move(S2), V);
    return Out;
  }
  case CK::Load:
    for (auto &[S1, A] : eval(*E.Ops[0], St)) {
      State S2 = S1;
      Val V = load(E, S2, A);
      Out.emplace_back(std::move(S2), V);
    }
    return Out;
  case CK::Cast:
    for (auto &[S1, V] : eval(*E.Ops[0], St))
      Out.emplace_back(S1, cast(E, V));
    return Out;
  case CK::Unary:
    for (auto &[S1, V] : eval(*E.Ops[0], St)) {
      State S2 = S1;
      unsigned W = bits(E.Ty);
      if (E.Op == Op::LNot) {
        Out.emplace_back(std::move(S2), scalar(boolToInt(!truth(V), W)));
        continue;
      }
      if (V.R != Region::Scalar) {
        unsupported(E.L, "this operation on a pointer value");
        Out.emplace_back(std::move(S2), freshScalar(E.Ty));
        continue;
      }
      if (E.Op == Op::Neg) {
        if (E.Ty.Signed)
          obligation(S2, V.E != bv(uint64_t(1) << (W - 1), W), E.L,
                     "signed overflow in negation of type '" +
                         E.Ty.Spelling + "'",
                     varsOf(E));
        Out.emplace_back(std::move(S2), scalar(-V.E));
      } else {
        Out.emplace_back(std::move(S2), scalar(~V.E));
      }
    }
    return Out;
  case CK::Binary:
  case CK::Cmp:
    return evalBinary(E, St);
  case CK::LAnd:
  case CK::LOr: {
    bool And = E.K == CK::LAnd;
    unsigned W = bits(E.Ty);
    for (auto &[S1, A] : eval(*E.Ops[0], St)) {
      std::optional<State> T, Fl;
      fork(S1, truth(A), T, Fl);
      // && : false left -> 0 ; || : true left -> 1
      std::optional<State> &Short = And ? Fl : T;
      std::optional<State> &Long = And ? T : Fl;
      if (Short)
        Out.emplace_back(std::move(*Short), scalar(bv(And ? 0 : 1, W)));
      if (Long)
        for (auto &[S2, B] : eval(*E.Ops[1], *Long))
          Out.emplace_back(S2, scalar(boolToInt(truth(B), W)));
    }
    return Out;
  }
  case CK::Cond:
    for (auto &[S1, Cv] : eval(*E.Ops[0], St)) {
      std::optional<State> T, Fl;
      fork(S1, truth(Cv), T, Fl);
      if (T)
        for (auto &P : eval(*E.Ops[1], *T))
          Out.push_back(std::move(P));
      if (Fl)
        for (auto &P : eval(*E.Ops[2], *Fl))
          Out.push_back(std::move(P));
    }
    return Out;
  }
  unsupported(E.L, "expression");
  Out.emplace_back(St, freshScalar(E.Ty));
  return Out;
}

//===----------------------------------------------------------------------===//
// Annotations: mathematical integers
//===----------------------------------------------------------------------===//

z3::expr Engine::term(const logic::Term &T, MathCtx &M) {
  using K = logic::Term::Kind;
  cir::Loc L{T.Pos.Line, T.Pos.Col};
  switch (T.K) {
  case K::IntLit:
    return intLit(T.Value);
  case K::Var: {
    if (T.Name == "__return") {
      if (!M.Ret) {
        unsupported(L, "'__return' outside an Ensure clause");
        M.Bad = true;
        return C.int_val(0);
      }
      if (M.Ret->R != Region::Scalar) {
        unsupported(L, "returning a pointer value");
        M.Bad = true;
        return C.int_val(0);
      }
      return math(*M.Ret, F.ReturnType);
    }
    for (unsigned I = 0; I < F.Vars.size(); ++I) {
      if (F.Vars[I].Name != T.Name)
        continue;
      M.Vars.insert(I);
      const auto &V = M.St.Vars[I];
      if (!V) // uninitialised: any value of its type
        return math(scalar(fresh(bits(F.Vars[I].Ty), T.Name)), F.Vars[I].Ty);
      if (V->R != Region::Scalar || F.Vars[I].Ty.isPtr()) {
        unsupported(L, "variable '" + T.Name +
                           "' holding a pointer in an annotation");
        M.Bad = true;
        return C.int_val(0);
      }
      return math(*V, F.Vars[I].Ty);
    }
    unsupported(L, "unknown variable '" + T.Name + "' in an annotation");
    M.Bad = true;
    return C.int_val(0);
  }
  case K::Unary: {
    z3::expr X = term(*T.Args[0], M);
    if (T.Op == "-")
      return -X;
    if (T.Op == "~")
      return -X - 1;
    break;
  }
  case K::Binary: {
    z3::expr X = term(*T.Args[0], M);
    z3::expr Y = term(*T.Args[1], M);
    const std::string &O = T.Op;
    if (O == "+") return X + Y;
    if (O == "-") return X - Y;
    if (O == "*") return X * Y;
    if (O == "/" || O == "%") {
      // C semantics: truncation toward zero.
      z3::expr AX = z3::ite(X >= 0, X, -X), AY = z3::ite(Y >= 0, Y, -Y);
      z3::expr Q0 = z3::to_expr(C, Z3_mk_div(C, AX, AY));
      z3::expr Q = z3::ite((X >= 0) == (Y >= 0), Q0, -Q0);
      return O == "/" ? Q : X - Y * Q;
    }
    if (O == "&" || O == "|" || O == "^") {
      z3::expr BX = z3::int2bv(128, X), BY = z3::int2bv(128, Y);
      z3::expr R = O == "&" ? (BX & BY) : O == "|" ? (BX | BY) : (BX ^ BY);
      return z3::bv2int(R, true);
    }
    if (O == "<<" || O == ">>") {
      const logic::Term &K2 = *T.Args[1];
      if (K2.K == K::IntLit && K2.Value >= 0 && K2.Value < 120) {
        z3::expr P = intLit((__int128)1 << unsigned(K2.Value));
        if (O == "<<")
          return X * P;
        return z3::to_expr(C, Z3_mk_div(C, X, P)); // floor for P > 0
      }
      z3::expr BX = z3::int2bv(128, X), BY = z3::int2bv(128, Y);
      return z3::bv2int(O == "<<" ? z3::shl(BX, BY) : z3::ashr(BX, BY), true);
    }
    break;
  }
  case K::Cast: {
    z3::expr X = term(*T.Args[0], M);
    csupport::IntTypeName I;
    if (csupport::lookupIntTypeName(T.Name, I))
      return wrap(X, I.Bits, I.Signed);
    break;
  }
  default:
    break;
  }
  unsupported(L, "this term in an annotation");
  M.Bad = true;
  return C.int_val(0);
}

z3::expr Engine::assertion(const logic::Assertion &A, MathCtx &M) {
  using K = logic::Assertion::Kind;
  switch (A.K) {
  case K::True:
    return C.bool_val(true);
  case K::False:
    return C.bool_val(false);
  case K::Cmp: {
    z3::expr X = term(*A.Terms[0], M), Y = term(*A.Terms[1], M);
    if (A.Op == "==") return X == Y;
    if (A.Op == "!=") return X != Y;
    if (A.Op == "<") return X < Y;
    if (A.Op == "<=") return X <= Y;
    if (A.Op == ">") return X > Y;
    if (A.Op == ">=") return X >= Y;
    break;
  }
  case K::Not:
    return !assertion(*A.Subs[0], M);
  case K::And:
    return assertion(*A.Subs[0], M) && assertion(*A.Subs[1], M);
  case K::Or:
    return assertion(*A.Subs[0], M) || assertion(*A.Subs[1], M);
  case K::Implies:
    return z3::implies(assertion(*A.Subs[0], M), assertion(*A.Subs[1], M));
  default:
    break;
  }
  unsupported({A.Pos.Line, A.Pos.Col}, "this assertion");
  M.Bad = true;
  return C.bool_val(true);
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

void Engine::checkReturn(const cir::Stmt &S, State St, const Val *V) {
  if (!F.Contract || !F.Contract->Post)
    return;
  MathCtx M{St, V, S.L, {}, false};
  z3::expr Goal = assertion(*F.Contract->Post, M);
  if (M.Bad)
    return;
  std::vector<Extra> Extras;
  if (V)
    Extras.push_back({"__return", *V, F.ReturnType});
  std::set<unsigned> Vs;
  if (S.Value)
    Vs = varsOf(*S.Value);
  obligation(St, Goal, S.L, "postcondition may not hold", Vs, Extras);
}

void Engine::execOne(const cir::Stmt &S, State St, std::vector<State> &Out) {
  switch (S.K) {
  case SK::Assign:
    for (auto &[S1, V] : eval(*S.Value, St)) {
      State S2 = S1;
      if (S.VarId < S2.Vars.size())
        S2.Vars[S.VarId] = V;
      Out.push_back(std::move(S2));
    }
    return;
  case SK::Store:
    for (auto &[S1, A] : eval(*S.Addr, St))
      for (auto &[S2, V] : eval(*S.Value, S1)) {
        State S3 = S2;
        store(S, S3, A, V);
        Out.push_back(std::move(S3));
      }
    return;
  case SK::ExprStmt:
    for (auto &P : eval(*S.Value, St))
      Out.push_back(std::move(P.first));
    return;
  case SK::If:
    for (auto &[S1, Cv] : eval(*S.Cond, St)) {
      std::optional<State> T, Fl;
      fork(S1, truth(Cv), T, Fl);
      if (T) {
        std::vector<State> TS{std::move(*T)};
        if (S.Then)
          exec(*S.Then, TS);
        for (auto &X : TS)
          Out.push_back(std::move(X));
      }
      if (Fl) {
        std::vector<State> FS{std::move(*Fl)};
        if (S.Else)
          exec(*S.Else, FS);
        for (auto &X : FS)
          Out.push_back(std::move(X));
      }
    }
    return;
  case SK::Return:
    if (!S.Value) {
      checkReturn(S, St, nullptr);
      return;
    }
    for (auto &[S1, V] : eval(*S.Value, St))
      checkReturn(S, S1, &V);
    return; // the path ends
  case SK::Block: {
    std::vector<State> States{std::move(St)};
    for (const auto &Child : S.Body) {
      if (States.empty())
        break;
      exec(*Child, States);
    }
    for (auto &X : States)
      Out.push_back(std::move(X));
    return;
  }
  case SK::Assert: {
    if (!S.Annot || !S.Annot->Pre) {
      Out.push_back(std::move(St));
      return;
    }
    MathCtx M{St, nullptr, S.L, {}, false};
    z3::expr Goal = assertion(*S.Annot->Pre, M);
    if (!M.Bad)
      obligation(St, Goal, S.L, "assertion may not hold", M.Vars);
    Out.push_back(std::move(St));
    return;
  }
  }
}

void Engine::exec(const cir::Stmt &S, std::vector<State> &States) {
  std::vector<State> Out;
  for (auto &St : States)
    execOne(S, std::move(St), Out);
  States = std::move(Out);
  limit(States, S.L);
}

void Engine::run() {
  if (F.ProgType != cir::ProgramType::XDP) {
    unsupported(F.L, "program type of section '" + F.Section + "'");
    return;
  }
  if (F.NumParams != 1 || F.Vars.empty() || !F.Vars[0].Ty.isPtr()) {
    unsupported(F.L, "XDP entry point without a 'struct xdp_md *' parameter");
    return;
  }
  State St{std::vector<std::optional<Val>>(F.Vars.size()),
           C.constant("packet", C.array_sort(C.bv_sort(64), C.bv_sort(8))),
           C.bool_val(true)};
  St.Vars[0] = Val{Region::Ctx, bv(0, 64)};
  std::vector<State> States{std::move(St)};
  if (F.Body)
    exec(*F.Body, States);
  // Paths that fall off the end of a function returning a value.
  for (State &S2 : States) {
    if (!feasible(S2.PC))
      continue;
    addFailure(F.L, "control may reach the end of the function without a "
                    "return",
               "");
    break;
  }
}

} // namespace

FunctionResult verifyFunction(const cir::Function &F, const Options &Opts) {
  FunctionResult R;
  R.Function = F.Name;
  auto T0 = std::chrono::steady_clock::now();
  try {
    Engine E(F, Opts, R);
    E.run();
  } catch (const z3::exception &Ex) {
    R.Failures.push_back(
        {F.L, std::string("internal solver error: ") + Ex.msg(), ""});
  }
  auto T1 = std::chrono::steady_clock::now();
  R.Millis = std::chrono::duration<double, std::milli>(T1 - T0).count();
  R.Verified = R.Failures.empty();
  return R;
}

FunctionResult verifyFunction(const cir::Function &F) {
  return verifyFunction(F, Options());
}

} // namespace vep::verifier
