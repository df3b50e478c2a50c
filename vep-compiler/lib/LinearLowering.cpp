//===- LinearLowering.cpp - Annotation terms to linear forms --------------===//
//
// See LinearLowering.h. A term denotes a mathematical integer: integer
// literals, + - and * by a constant, unary -, and / % & | ^ << >> ~ and
// integer casts on constants; variables denote what the caller's resolver
// says (an integer value, or data + offset for a packet pointer). A
// comparison must not depend on the unknown `data`.
//
//===----------------------------------------------------------------------===//

#include "LinearLowering.h"
#include "CodeGenInternal.h"
#include "vep/logic/TypeNames.h"

#include <algorithm>

namespace vep::compiler {

using i128 = __int128;
using logic::Assertion;
using logic::Term;

namespace {
bool fits(i128 V) { return V <= LinearLimit && V >= -LinearLimit; }
} // namespace

bool addScaled(LinForm &A, const LinForm &B, i128 K) {
  A.Constant += K * B.Constant;
  if (!fits(A.Constant))
    return false;
  for (const LinForm::Term &T : B.Terms) {
    i128 C = K * T.Coeff;
    auto It = std::lower_bound(
        A.Terms.begin(), A.Terms.end(), T.Var,
        [](const LinForm::Term &X, uint32_t V) { return X.Var < V; });
    if (It != A.Terms.end() && It->Var == T.Var) {
      It->Coeff += C;
      if (!fits(It->Coeff))
        return false;
      if (It->Coeff == 0)
        A.Terms.erase(It);
    } else if (C != 0) {
      if (!fits(C))
        return false;
      A.Terms.insert(It, LinForm::Term{T.Var, C});
    }
  }
  return true;
}

void addLinFact(std::vector<LinForm> &Facts, const LinForm &F) {
  if (F.isConstant() && F.Constant >= 0)
    return; // trivially true
  Facts.push_back(F);
}

void addRangeFacts(std::vector<LinForm> &Facts, const LinForm &X,
                   unsigned Bits, bool SignClear) {
  addLinFact(Facts, X);
  LinForm Hi = LinForm::constant((i128(1) << Bits) - 1);
  addScaled(Hi, X, -1);
  addLinFact(Facts, Hi);
  if (SignClear) {
    LinForm S = LinForm::constant((i128(1) << (Bits - 1)) - 1);
    addScaled(S, X, -1);
    addLinFact(Facts, S);
  }
}

std::optional<LinVal> LinearLowering::unsupported(const std::string &What) {
  fail("not supported yet: " + What + " in " + Context);
  return std::nullopt;
}

bool LinearLowering::flatten(const Assertion &A,
                             std::vector<const Assertion *> &Conj,
                             bool SkipPredicates) {
  using AK = Assertion::Kind;
  auto Unsupported = [&](const std::string &What) {
    return fail("not supported yet: " + What + " in " + Context +
                " (only comparisons joined by &&)");
  };
  switch (A.K) {
  case AK::And:
  case AK::Sep: // over pure facts, * is &&
    for (const auto &S : A.Subs) {
      if (!S)
        return fail("internal error: malformed assertion in " + Context);
      if (!flatten(*S, Conj, SkipPredicates))
        return false;
    }
    return true;
  case AK::True:
  case AK::TT:
  case AK::Cmp:
  case AK::False:
    Conj.push_back(&A);
    return true;
  case AK::Or:
    return Unsupported("'||'");
  case AK::Not:
    return Unsupported("'!'");
  case AK::Implies:
    return Unsupported("'=>'");
  case AK::Emp:
    if (SkipPredicates)
      return true;
    return Unsupported("'emp'");
  case AK::Exists:
  case AK::Forall:
    return Unsupported("a quantifier");
  case AK::Pred:
    if (SkipPredicates)
      return true;
    if (isPacketPredicate(A)) {
      Conj.push_back(&A);
      return true;
    }
    return Unsupported("the predicate '" + A.Name + "'");
  }
  return fail("internal error: malformed assertion in " + Context);
}

bool LinearLowering::facts(const std::vector<const Assertion *> &Conj,
                           std::vector<LinForm> &Out) {
  for (const Assertion *C : Conj) {
    switch (C->K) {
    case Assertion::Kind::True:
    case Assertion::Kind::TT:
      break;
    case Assertion::Kind::False:
      Out.push_back(LinForm::constant(-1));
      break;
    case Assertion::Kind::Pred:
      if (!packetPredicate(*C, Out))
        return false;
      break;
    default:
      if (!compare(*C, Out))
        return false;
    }
  }
  return true;
}

std::set<std::string>
LinearLowering::lowerBounded(const std::vector<const Assertion *> &Conj) {
  std::set<std::string> Names;
  for (const Assertion *C : Conj) {
    if (C->K != Assertion::Kind::Cmp || C->Terms.size() < 2 || !C->Terms[0] ||
        !C->Terms[1])
      continue;
    const Term *Lo = nullptr, *Hi = nullptr;
    if (C->Op == "<=" || C->Op == "<")
      Lo = C->Terms[0].get(), Hi = C->Terms[1].get();
    else if (C->Op == ">=" || C->Op == ">")
      Lo = C->Terms[1].get(), Hi = C->Terms[0].get();
    else
      continue;
    if (Hi->K != Term::Kind::Var || Hi->AtPre)
      continue;
    auto CV = constTerm(*Lo);
    if (!CV || *CV + (C->Op == "<" || C->Op == ">" ? 1 : 0) < 0)
      continue;
    Names.insert(Hi->Name);
  }
  return Names;
}

std::optional<i128> LinearLowering::constTerm(const Term &T) {
  std::string Saved = Err;
  auto V = term(T);
  Err = Saved; // only a probe
  if (!V || !V->F.isConstant() || V->Base != 0)
    return std::nullopt;
  return V->F.Constant;
}

std::optional<LinVal> LinearLowering::term(const Term &T) {
  using TK = Term::Kind;
  auto Unsupported = [&](const std::string &What) { return unsupported(What); };
  auto Checked = [&](LinVal V) -> std::optional<LinVal> {
    if (!fits(V.F.Constant) || !fits(V.Base))
      return Unsupported("a constant out of range");
    return V;
  };
  switch (T.K) {
  case TK::IntLit: {
    if (!fits(T.Value))
      return Unsupported("a constant out of range");
    LinVal V;
    V.F = LinForm::constant(T.Value);
    return V;
  }
  case TK::Var:
    return Var(T);
  case TK::Unary: {
    if (T.Args.empty() || !T.Args[0])
      break;
    if (T.Op == "*" || T.Op == "&")
      return Unsupported("'" + T.Op + "' (memory)");
    auto A = term(*T.Args[0]);
    if (!A)
      return std::nullopt;
    if (T.Op == "+")
      return A;
    if (T.Op == "-") {
      if (A->Wide)
        return Unsupported("arithmetic on the pointer '" + A->WideName + "'");
      LinVal R;
      addScaled(R.F, A->F, -1);
      R.Base = -A->Base;
      return R;
    }
    if (T.Op == "~" && A->F.isConstant() && A->Base == 0)
      return Checked(LinVal{LinForm::constant(-A->F.Constant - 1), 0, false, ""});
    return Unsupported("the operator '" + T.Op + "' on a variable");
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
    const std::string &Op = T.Op;
    if (A->Wide || B->Wide) // C scales such arithmetic, addresses do not
      return Unsupported("arithmetic on the pointer '" +
                         (A->Wide ? A->WideName : B->WideName) +
                         "' (only byte pointers)");
    if (Op == "+" || Op == "-") {
      i128 K = Op == "+" ? 1 : -1;
      LinVal R = *A;
      if (!addScaled(R.F, B->F, K))
        return Unsupported("a constant out of range");
      R.Base = A->Base + K * B->Base;
      return Checked(R);
    }
    bool AC = A->F.isConstant() && A->Base == 0;
    bool BC = B->F.isConstant() && B->Base == 0;
    if (Op == "*") {
      if (!AC && !BC)
        return Unsupported("a non-linear term");
      const LinVal &C = AC ? *A : *B, &X = AC ? *B : *A;
      i128 M = C.F.Constant;
      LinVal R;
      if (!addScaled(R.F, X.F, M))
        return Unsupported("a constant out of range");
      R.Base = X.Base * M;
      return Checked(R);
    }
    if (!AC || !BC)
      return Unsupported("the operator '" + Op + "' on a variable");
    i128 X = A->F.Constant, Y = B->F.Constant, V = 0;
    if ((Op == "/" || Op == "%") && Y == 0) {
      fail("division by zero in " + Context);
      return std::nullopt;
    }
    if (Op == "/")
      V = X / Y; // truncates toward zero, as C
    else if (Op == "%")
      V = X % Y;
    else if (Op == "&")
      V = X & Y;
    else if (Op == "|")
      V = X | Y;
    else if (Op == "^")
      V = X ^ Y;
    else if (Op == "<<" && Y >= 0 && Y <= 100 &&
             (X < 0 ? -X : X) <= (LinearLimit >> int(Y)))
      V = X * (i128(1) << int(Y));
    else if (Op == ">>" && Y >= 0)
      V = Y < 127 ? X >> int(Y) : (X < 0 ? -1 : 0);
    else
      return Unsupported("the operator '" + Op + "'");
    return Checked(LinVal{LinForm::constant(V), 0, false, ""});
  }
  case TK::Cast: {
    if (T.Args.empty() || !T.Args[0])
      break;
    auto A = term(*T.Args[0]);
    if (!A)
      return std::nullopt;
    if (logic::isBytePointerTypeName(T.Name)) {
      if (A->Base == 0 && !A->Wide)
        return Unsupported("a cast of an integer to '" + T.Name + "'");
      A->Wide = false; // the same address, counted in bytes
      return A;
    }
    if (!A->F.isConstant() || A->Base != 0)
      return Unsupported("a cast of a variable ('(" + T.Name + ")')");
    if (std::optional<logic::IntTypeName> Ty = logic::intTypeNamed(T.Name))
      return LinVal{LinForm::constant(logic::convertTo(A->F.Constant, *Ty)), 0,
                    false, ""};
    return Unsupported("the cast to '" + T.Name + "'");
  }
  case TK::Member:
  case TK::Index:
  case TK::Call: {
    std::string What = "'"; // (appending avoids a GCC 12 -Wrestrict false alarm)
    What += printTermText(T);
    return Unsupported(What + "' (memory or functions)");
  }
  }
  fail("internal error: malformed term in " + Context);
  return std::nullopt;
}

bool isPacketPredicate(const Assertion &A) {
  return A.K == Assertion::Kind::Pred && A.Terms.size() == 1 && A.Terms[0] &&
         (A.Name == "packet" || A.Name == "packet_end");
}

/// packet(p): p = data + o with o >= 0; packet_end(e): e = data + len.
bool LinearLowering::packetPredicate(const Assertion &A,
                                     std::vector<LinForm> &Out) {
  auto P = term(*A.Terms[0]);
  if (!P)
    return false;
  if (P->Base != 1 || P->Wide)
    return fail("not supported yet: " + A.Name + "(" +
                printTermText(*A.Terms[0]) + ") in " + Context +
                " (only of a byte pointer into the packet)");
  if (A.Name == "packet") {
    addLinFact(Out, P->F);
    return true;
  }
  LinForm D = P->F; // offset - len, both ways
  addScaled(D, LinForm::var(0), -1);
  LinForm Neg;
  addScaled(Neg, D, -1);
  addLinFact(Out, D);
  addLinFact(Out, Neg);
  return true;
}

bool LinearLowering::compare(const Assertion &A, std::vector<LinForm> &Out) {
  if (A.Terms.size() < 2 || !A.Terms[0] || !A.Terms[1])
    return fail("internal error: malformed comparison in " + Context);
  const std::string &Op = A.Op;
  if (Op == "!=")
    return fail("not supported yet: '!=' in " + Context +
                " (only < <= > >= ==)");
  auto L = term(*A.Terms[0]);
  if (!L)
    return false;
  auto R = term(*A.Terms[1]);
  if (!R)
    return false;
  LinForm D = L->F; // L - R
  if (!addScaled(D, R->F, -1))
    return fail("not supported yet: a constant out of range in " + Context);
  if (L->Base != R->Base)
    return fail("not supported yet: the comparison '" +
                printTermText(*A.Terms[0]) + " " + Op + " " +
                printTermText(*A.Terms[1]) + "' in " + Context +
                " compares a packet pointer with an integer");
  LinForm Neg;
  addScaled(Neg, D, -1);
  if (Op == ">=") {
    addLinFact(Out, D);
  } else if (Op == ">") {
    D.Constant -= 1;
    addLinFact(Out, D);
  } else if (Op == "<=") {
    addLinFact(Out, Neg);
  } else if (Op == "<") {
    Neg.Constant -= 1;
    addLinFact(Out, Neg);
  } else if (Op == "==") {
    addLinFact(Out, D);
    addLinFact(Out, Neg);
  } else {
    return fail("internal error: unknown comparison '" + Op + "'");
  }
  return true;
}

} // namespace vep::compiler
