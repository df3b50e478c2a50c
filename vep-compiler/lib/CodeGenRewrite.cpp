//===- CodeGenRewrite.cpp - CIR simplifications before code generation ----===//
//
// The code generator compiles a copy of the function body in which copies
// and pointer offsets are forwarded and dead assignments (never read, or
// assigned again before a read) dropped (see
// rewriteForCodeGen in CodeGenInternal.h). `eth = data; ip = data + 14;`
// then costs nothing: `ip->protocol` is one load at `data + 23` and
// `ip + 1 > data_end` compares `data + 34`.
//
// Why the cut points stay exact: a forwarded variable's uses all lie in the
// block of its assignment with no loop in between, so it is live at no loop
// head, and neither is its base variable made live at one (no loop between
// the assignment and the last use). The variables that keep their homes
// hold the same values at every point as before.
//
//===----------------------------------------------------------------------===//

#include "CodeGenInternal.h"

namespace vep::compiler {
namespace {

using namespace cirutil;
using cir::Expr;
using cir::ExprPtr;
using cir::Stmt;
using cir::StmtPtr;
using EK = Expr::Kind;
using OK = Expr::OpKind;
using SK = Stmt::Kind;

bool sameType(const cir::Type &A, const cir::Type &B) {
  return A.isPtr() == B.isPtr() && bitsOf(A) == bitsOf(B) &&
         isSignedInt(A) == isSignedInt(B);
}

/// Reads of V in E: `v` and `&v` (a helper reads v's value through it;
/// AddrOf Span: each variable of its buffer).
unsigned readsIn(const Expr &E, unsigned V) {
  unsigned N = (E.K == EK::Var || E.K == EK::AddrOf) && E.VarId <= V &&
               V < E.VarId + E.Span;
  for (const auto &O : E.Ops)
    if (O)
      N += readsIn(*O, V);
  return N;
}
unsigned readsIn(const Stmt &S, unsigned V) {
  unsigned N = 0;
  for (const ExprPtr *E : {&S.Addr, &S.Value, &S.Cond})
    if (*E)
      N += readsIn(**E, V);
  for (const StmtPtr *C : {&S.Then, &S.Else, &S.Step})
    if (*C)
      N += readsIn(**C, V);
  for (const auto &B : S.Body)
    if (B)
      N += readsIn(*B, V);
  return N;
}
/// Whether P holds of S or of a statement nested in it.
template <typename PredT> bool anyStmt(const Stmt &S, const PredT &P) {
  if (P(S))
    return true;
  for (const StmtPtr *C : {&S.Then, &S.Else, &S.Step})
    if (*C && anyStmt(**C, P))
      return true;
  for (const auto &B : S.Body)
    if (B && anyStmt(*B, P))
      return true;
  return false;
}
bool assigns(const Stmt &S, unsigned V) {
  return anyStmt(S, [&](const Stmt &X) {
    return X.K == SK::Assign && X.VarId == V;
  });
}
bool hasLoop(const Stmt &S) {
  return anyStmt(S, [](const Stmt &X) { return X.K == SK::Loop; });
}
bool callsFunction(const Expr &E) {
  if (E.K == EK::FuncCall)
    return true;
  for (const auto &O : E.Ops)
    if (O && callsFunction(*O))
      return true;
  return false;
}
/// Whether S may leave its block for more of the function (a break, a
/// continue) or holds a cut point (a loop head, a function call): past
/// those, what a local holds may be read elsewhere or is stated. (A
/// return reads only its value: nothing after it reads a local.)
bool leavesOrCuts(const Stmt &S) {
  return anyStmt(S, [](const Stmt &X) {
    if (X.K == SK::Break || X.K == SK::Continue || X.K == SK::Loop)
      return true;
    for (const ExprPtr *E : {&X.Addr, &X.Value, &X.Cond})
      if (*E && callsFunction(**E))
        return true;
    return false;
  });
}

class Rewriter {
public:
  Rewriter(const cir::Function &F, const FoldFn &Fold, RewrittenBody &Out)
      : F(F), Fold(Fold), Out(Out) {}

  void run() {
    const size_t N = F.Vars.size();
    Assigns.assign(N, 0);
    Reads.assign(N, 0);
    AddrTaken.assign(N, false);
    Subst.assign(N, nullptr);
    count(*F.Body);
    Out.Body = cloneStmt(*F.Body);
  }

private:
  const cir::Function &F;
  const FoldFn &Fold;
  RewrittenBody &Out;
  std::vector<unsigned> Assigns, Reads;
  std::vector<bool> AddrTaken;
  std::vector<const Expr *> Subst; // forwarded values (kept in Out.Keep)

  void countExpr(const Expr &E) {
    if (E.K == EK::Var || E.K == EK::AddrOf)
      for (unsigned V = E.VarId; V < E.VarId + E.Span && V < Reads.size();
           ++V) {
        ++Reads[V];
        if (E.K == EK::AddrOf)
          AddrTaken[V] = true;
      }
    for (const auto &O : E.Ops)
      if (O)
        countExpr(*O);
  }
  void count(const Stmt &S) {
    if (S.K == SK::Assign && S.VarId < Assigns.size())
      ++Assigns[S.VarId];
    // What a loop's cut point states is read at its head (the code
    // generator keeps it live there): neither forwarded nor dropped.
    if (S.K == SK::Loop) {
      std::vector<bool> Stated = stateAtLoopHead(F, S, Fold);
      for (size_t V = 0; V < Stated.size() && V < Reads.size(); ++V)
        Reads[V] += Stated[V];
    }
    for (const ExprPtr *E : {&S.Addr, &S.Value, &S.Cond})
      if (*E)
        countExpr(**E);
    for (const StmtPtr *C : {&S.Then, &S.Else, &S.Step})
      if (*C)
        count(**C);
    for (const auto &B : S.Body)
      if (B)
        count(*B);
  }

  /// A read of the element past the end of a local array (cir::Variable::
  /// PastEndOf): VEP-C proved every branch that holds one unreachable.
  bool readsPastEnd(const Expr &E) const {
    return E.K == EK::Var && E.VarId < F.Vars.size() &&
           F.Vars[E.VarId].PastEndOf;
  }
  bool readsPastEnd(const Stmt &S) const {
    return S.K == SK::ExprStmt && S.Value && readsPastEnd(*S.Value);
  }

  ExprPtr cloneExpr(const Expr &E) {
    // `i == n-1 ? a[n-1] : past-the-end` is a[n-1].
    if (E.K == EK::Cond && readsPastEnd(*E.Ops[2]))
      return cloneExpr(*E.Ops[1]);
    if (E.K == EK::Var && E.VarId < Subst.size() && Subst[E.VarId]) {
      ExprPtr C = cir::cloneExpr(*Subst[E.VarId]);
      if (sameType(C->Ty, E.Ty))
        return C;
      auto Cast = std::make_unique<Expr>();
      Cast->K = EK::Cast;
      Cast->Ty = E.Ty;
      Cast->L = E.L;
      Cast->Ops.push_back(std::move(C));
      return Cast;
    }
    ExprPtr C = cir::copyNode(E);
    for (const auto &O : E.Ops)
      C->Ops.push_back(O ? cloneExpr(*O) : nullptr);
    return C;
  }
  ExprPtr cloneOpt(const ExprPtr &E) { return E ? cloneExpr(*E) : nullptr; }

  StmtPtr shell(const Stmt &S) {
    auto C = std::make_unique<Stmt>();
    C->K = S.K;
    C->L = S.L;
    C->VarId = S.VarId;
    C->TestFirst = S.TestFirst;
    C->Op = S.Op;
    C->Fetch = S.Fetch;
    C->Annot = S.Annot;
    return C;
  }

  StmtPtr cloneStmt(const Stmt &S) {
    if (S.K == SK::Block)
      return cloneBlock(S);
    // `if (i == n-1) a[n-1] = v; else past-the-end;` is `a[n-1] = v;`.
    if (S.K == SK::If && S.Else && readsPastEnd(*S.Else))
      return cloneStmt(*S.Then);
    StmtPtr C = shell(S);
    C->Addr = cloneOpt(S.Addr);
    C->Value = cloneOpt(S.Value);
    C->Cond = cloneOpt(S.Cond);
    if (S.Then)
      C->Then = cloneStmt(*S.Then);
    if (S.Else)
      C->Else = cloneStmt(*S.Else);
    if (S.Step)
      C->Step = cloneStmt(*S.Step);
    if (S.K == SK::Loop)
      Out.OrigLoop[C.get()] = &S;
    return C;
  }

  /// A constant, w, or w plus constant pointer offsets (through casts that
  /// keep the value); Base is w.
  bool forwardable(const Expr &Val, std::optional<unsigned> &Base) {
    if (Fold(Val))
      return true;
    const Expr *P = &stripNoop(Val);
    while (P->K == EK::Binary && P->Op == OK::PtrAdd && Fold(*P->Ops[1]))
      P = &stripNoop(*P->Ops[0]);
    if (P->K != EK::Var || P->VarId >= F.Vars.size())
      return false;
    Base = P->VarId;
    return true;
  }

  /// Every read of V is in B.Body[K+1..M], none of which contains a loop or
  /// assigns Base.
  bool forwardOk(const Stmt &B, size_t K, unsigned V,
                 std::optional<unsigned> Base) {
    if (Base && *Base == V)
      return false;
    unsigned Seen = 0;
    size_t M = K;
    for (size_t J = K + 1; J < B.Body.size(); ++J)
      if (B.Body[J])
        if (unsigned U = readsIn(*B.Body[J], V)) {
          Seen += U;
          M = J;
        }
    if (Seen != Reads[V] || M == K)
      return false;
    for (size_t J = K + 1; J <= M; ++J)
      if (B.Body[J] &&
          (hasLoop(*B.Body[J]) || (Base && assigns(*B.Body[J], *Base))))
        return false;
    return true;
  }

  /// The value B.Body[K] gives V is never read: B.Body[K+1..] assign V
  /// again (a statement `V = ...` of their own) or return, or end the
  /// function's body, before any of them reads V, leaves the block for
  /// more of the function or holds a cut point.
  bool overwrittenUnread(const Stmt &B, size_t K, unsigned V) {
    // The statements after B.Body[K], nested blocks' in their place.
    std::vector<const Stmt *> After;
    for (size_t J = B.Body.size(); J-- > K + 1;)
      if (B.Body[J])
        After.push_back(B.Body[J].get());
    while (!After.empty()) {
      const Stmt *S = After.back();
      After.pop_back();
      if (S->K == SK::Block) {
        for (auto It = S->Body.rbegin(); It != S->Body.rend(); ++It)
          if (*It)
            After.push_back(It->get());
        continue;
      }
      if (readsIn(*S, V) || leavesOrCuts(*S))
        return false;
      if ((S->K == SK::Assign && S->VarId == V) || S->K == SK::Return)
        return true;
      if (assigns(*S, V))
        return false;
    }
    return &B == F.Body.get();
  }

  /// An empty block carrying the note Text (for -S) in place of S.
  StmtPtr noteStmt(const Stmt &S, std::string Text) {
    auto C = std::make_unique<Stmt>();
    C->K = SK::Block;
    C->L = S.L;
    if (S.L.Line)
      Text = "line " + std::to_string(S.L.Line) + ": " + Text;
    Out.Notes[C.get()] = std::move(Text);
    return C;
  }

  StmtPtr cloneBlock(const Stmt &B) {
    StmtPtr NB = shell(B);
    for (size_t K = 0; K < B.Body.size(); ++K) {
      const Stmt *S = B.Body[K].get();
      if (!S || S->K != SK::Assign || !S->Value || S->VarId >= F.Vars.size()) {
        NB->Body.push_back(S ? cloneStmt(*S) : nullptr);
        continue;
      }
      unsigned V = S->VarId;
      ExprPtr Val = cloneExpr(*S->Value);
      const std::string &Name = F.Vars[V].Name;
      bool Local = V >= F.NumParams && Assigns[V] == 1 && !AddrTaken[V] &&
                   readsIn(*S->Value, V) == 0;
      if (Local && Reads[V] == 0 && !hasEffects(*Val)) {
        NB->Body.push_back(noteStmt(*S, Name + " is never read: no code"));
        Out.Keep.push_back(std::move(Val));
        continue;
      }
      if (V >= F.NumParams && !AddrTaken[V] && !hasEffects(*Val) &&
          overwrittenUnread(B, K, V)) {
        NB->Body.push_back(
            noteStmt(*S, Name + " is not read before it is assigned again "
                                "or the function returns: no code"));
        Out.Keep.push_back(std::move(Val));
        Out.Overwritten.insert(V);
        continue;
      }
      std::optional<unsigned> Base;
      if (Local && forwardable(*Val, Base) && forwardOk(B, K, V, Base)) {
        if (auto C = Fold(*Val)) { // the constant, of the value's type
          auto Cst = std::make_unique<Expr>();
          Cst->K = EK::Const;
          Cst->Ty = Val->Ty;
          Cst->L = Val->L;
          Cst->Value = *C;
          Out.Keep.push_back(std::move(Val));
          Val = std::move(Cst);
        }
        Subst[V] = Val.get();
        Out.Keep.push_back(std::move(Val));
        NB->Body.push_back(noteStmt(
            *S, Name + " is forwarded: no code, its uses read its value"));
        continue;
      }
      StmtPtr C = shell(*S);
      C->Value = std::move(Val);
      NB->Body.push_back(std::move(C));
    }
    return NB;
  }
};

} // namespace

void rewriteForCodeGen(const cir::Function &F, const FoldFn &Fold,
                       RewrittenBody &Out) {
  Out = RewrittenBody();
  Rewriter(F, Fold, Out).run();
}

} // namespace vep::compiler
