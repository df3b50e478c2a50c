//===- Predicates.cpp - User-defined predicates ---------------------------===//
//
// The definition rule and the unfolding of user predicates (Predicates.h).
//
//===----------------------------------------------------------------------===//
#include "vep/logic/Predicates.h"
#include "vep/logic/Sequences.h"

#include <algorithm>
#include <functional>

namespace vep::logic {

namespace {

bool isParameter(const Annotation &Def, const std::string &Name) {
  return std::find(Def.With.begin(), Def.With.end(), Name) != Def.With.end();
}

/// The position of the measure among Def's parameters (-1: not recursive).
int measureIndex(const Annotation &Def) {
  if (!Def.Variant || Def.Variant->K != Term::Kind::Var)
    return -1;
  auto It = std::find(Def.With.begin(), Def.With.end(), Def.Variant->Name);
  return It == Def.With.end() ? -1 : int(It - Def.With.begin());
}

/// `m - 1` for the measure m.
bool isMeasureStep(const Term &T, const std::string &Measure) {
  return T.K == Term::Kind::Binary && T.Op == "-" && T.Args.size() == 2 &&
         T.Args[0]->K == Term::Kind::Var && T.Args[0]->Name == Measure &&
         !T.Args[0]->AtPre && T.Args[1]->K == Term::Kind::IntLit &&
         T.Args[1]->Value == 1;
}

struct DefinitionChecker {
  const Annotation &Def;
  const PredicateTable &Earlier;
  ParseError &Err;
  bool fail(SourcePos P, std::string Message) {
    Err = {P, std::move(Message)};
    return false;
  }
  bool term(const Term &T) {
    if (T.K == Term::Kind::Var && (T.AtPre || T.Name == "__return"))
      return fail(T.Pos, "a predicate's body speaks only of its parameters: "
                         "no '@pre', no '__return'");
    for (const auto &A : T.Args)
      if (A && !term(*A))
        return false;
    return true;
  }
  bool use(const Assertion &A) {
    if (A.Name == Def.Name) {
      int M = measureIndex(Def);
      if (M < 0)
        return fail(A.Pos, "recursive predicate '" + Def.Name +
                               "' needs a measure: 'Let " + Def.Name +
                               "(...) Variant n = ...', n a parameter");
      if (A.Terms.size() != Def.With.size())
        return fail(A.Pos, "'" + Def.Name + "' takes " +
                               std::to_string(Def.With.size()) + " arguments");
      if (!isMeasureStep(*A.Terms[M], Def.With[M]))
        return fail(A.Terms[M]->Pos, "a recursive use of '" + Def.Name +
                                         "' must pass '" + Def.With[M] +
                                         " - 1' for the measure '" +
                                         Def.With[M] + "'");
      return true;
    }
    auto It = Earlier.find(A.Name);
    if (It == Earlier.end())
      return fail(A.Pos, "unknown predicate '" + A.Name +
                             "' (define it with 'Let' before this one)");
    if (A.Terms.size() != It->second->With.size())
      return fail(A.Pos, "'" + A.Name + "' takes " +
                             std::to_string(It->second->With.size()) +
                             " arguments");
    return true;
  }
  bool assertion(const Assertion &A) {
    for (const std::string &B : A.Binders)
      if (isParameter(Def, B))
        return fail(A.Pos, "the binder '" + B + "' shadows a parameter of '" +
                               Def.Name + "'");
    if (A.K == Assertion::Kind::Pred && !isUserPredicate(A))
      return fail(A.Pos, "not supported yet: '" + A.Name +
                             "' in a predicate's body (bodies are pure)");
    if (isUserPredicate(A) && !use(A))
      return false;
    for (const auto &T : A.Terms)
      if (T && !term(*T))
        return false;
    for (const auto &S : A.Subs)
      if (S && !assertion(*S))
        return false;
    return true;
  }
};

bool mentionsName(const Term &T, const std::string &Name) {
  if (T.K == Term::Kind::Var && T.Name == Name)
    return true;
  for (const auto &A : T.Args)
    if (A && mentionsName(*A, Name))
      return true;
  return false;
}

using Substitution = std::map<std::string, TermPtr>;

TermPtr substitute(const TermPtr &T, const Substitution &S) {
  if (T->K == Term::Kind::Var && !T->AtPre)
    if (auto It = S.find(T->Name); It != S.end())
      return It->second;
  if (T->Args.empty())
    return T;
  auto Out = std::make_shared<Term>(*T);
  for (auto &A : Out->Args)
    A = substitute(A, S);
  return Out;
}

AssertionPtr substitute(const AssertionPtr &A, Substitution S,
                        unsigned &Renamed) {
  auto Out = std::make_shared<Assertion>(*A);
  for (std::string &B : Out->Binders) {
    bool Captures = false;
    for (const auto &[Name, Value] : S)
      Captures |= Name != B && mentionsName(*Value, B);
    if (!Captures) {
      S.erase(B); // shadowed
      continue;
    }
    // A binder named like a variable of an argument: renamed apart (a name
    // no annotation can write).
    auto Var = std::make_shared<Term>();
    Var->K = Term::Kind::Var;
    Var->Pos = A->Pos;
    Var->Name = B + "'" + std::to_string(++Renamed);
    S[B] = Var;
    B = Var->Name;
  }
  for (auto &T : Out->Terms)
    T = substitute(T, S);
  for (auto &Sub : Out->Subs)
    Sub = substitute(Sub, S, Renamed);
  return Out;
}

} // namespace

bool isUserPredicate(const Assertion &A) {
  return A.K == Assertion::Kind::Pred && !isBuiltinPredicate(A.Name);
}

bool checkPredicateDefinition(const Annotation &Def,
                              const PredicateTable &Earlier, ParseError &Err) {
  DefinitionChecker Ch{Def, Earlier, Err};
  if (isBuiltinPredicate(Def.Name) || isSequenceFunction(Def.Name))
    return Ch.fail(Def.Pos, "'" + Def.Name + "' is a built-in name");
  if (Earlier.count(Def.Name))
    return Ch.fail(Def.Pos, "predicate '" + Def.Name + "' is already defined");
  for (size_t I = 0; I < Def.With.size(); ++I)
    for (size_t J = 0; J < I; ++J)
      if (Def.With[I] == Def.With[J])
        return Ch.fail(Def.Pos,
                       "parameter '" + Def.With[I] + "' is named twice");
  if (Def.Variant && measureIndex(Def) < 0)
    return Ch.fail(Def.Variant->Pos,
                   "the measure of a recursive predicate must be one of its "
                   "parameters");
  return Def.Pre && Ch.assertion(*Def.Pre);
}

std::set<std::string> sequenceParameters(const Annotation &Def,
                                         const PredicateTable &Table) {
  std::set<std::string> Out;
  auto Param = [&](const TermPtr &T) {
    if (T && T->K == Term::Kind::Var && isParameter(Def, T->Name))
      Out.insert(T->Name);
  };
  std::function<void(const Term &)> InTerm = [&](const Term &T) {
    if (T.K == Term::Kind::Index)
      Param(T.Args[0]);
    if (T.K == Term::Kind::Call && isSequenceFunction(T.Name)) {
      if (T.Name == "app")
        for (const auto &A : T.Args)
          Param(A);
      else if (!T.Args.empty())
        Param(T.Args.back());
    }
    for (const auto &A : T.Args)
      if (A)
        InTerm(*A);
  };
  // Uses of Def itself pass sequences on: until nothing changes.
  for (size_t Before = size_t(-1); Before != Out.size();) {
    Before = Out.size();
    std::function<void(const Assertion &)> InAssertion =
        [&](const Assertion &A) {
          if (isUserPredicate(A)) {
            const Annotation *Callee = A.Name == Def.Name ? &Def : nullptr;
            if (auto It = Table.find(A.Name); !Callee && It != Table.end())
              Callee = It->second.get();
            std::set<std::string> Seqs =
                Callee == &Def ? Out
                : Callee       ? sequenceParameters(*Callee, Table)
                               : std::set<std::string>{};
            for (size_t I = 0;
                 Callee && I < A.Terms.size() && I < Callee->With.size(); ++I)
              if (Seqs.count(Callee->With[I]))
                Param(A.Terms[I]);
          }
          for (const auto &T : A.Terms)
            if (T)
              InTerm(*T);
          for (const auto &S : A.Subs)
            if (S)
              InAssertion(*S);
        };
    if (Def.Pre)
      InAssertion(*Def.Pre);
  }
  return Out;
}

AssertionPtr substituteNames(const AssertionPtr &A,
                             const std::map<std::string, TermPtr> &Values) {
  unsigned Renamed = 0;
  return substitute(A, Values, Renamed);
}

AssertionPtr unfoldPredicate(const Annotation &Def,
                             const std::vector<TermPtr> &Args) {
  Substitution S;
  for (size_t I = 0; I < Def.With.size() && I < Args.size(); ++I)
    S[Def.With[I]] = Args[I];
  unsigned Renamed = 0;
  AssertionPtr Body = substitute(Def.Pre, S, Renamed);
  int M = measureIndex(Def);
  if (M < 0 || size_t(M) >= Args.size())
    return Body;
  auto Zero = std::make_shared<Term>();
  Zero->K = Term::Kind::IntLit;
  Zero->Pos = Def.Pos;
  auto NonNegative = std::make_shared<Assertion>();
  NonNegative->K = Assertion::Kind::Cmp;
  NonNegative->Pos = Def.Pos;
  NonNegative->Op = "<=";
  NonNegative->Terms = {Zero, Args[M]};
  auto Both = std::make_shared<Assertion>();
  Both->K = Assertion::Kind::And;
  Both->Pos = Def.Pos;
  Both->Subs = {NonNegative, Body};
  return Both;
}

} // namespace vep::logic
