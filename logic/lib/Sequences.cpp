//===- Sequences.cpp - Array contents as sequences in annotations ---------===//

#include "vep/logic/Sequences.h"

namespace vep::logic {

namespace {

/// The array predicates, by element: its name, bytes and signedness.
struct ArrayPredicateName {
  std::string_view Name;
  ArrayElement Elem;
};
constexpr ArrayPredicateName ArrayPredicates[] = {
    {"store_char_array", {1, true}},   {"store_uchar_array", {1, false}},
    {"store_short_array", {2, true}},  {"store_ushort_array", {2, false}},
    {"store_int_array", {4, true}},    {"store_uint_array", {4, false}},
    {"store_long_array", {8, true}},   {"store_ulong_array", {8, false}}};

} // namespace

std::optional<ArrayElement> arrayPredicateElement(const std::string &Name) {
  if (Name == "chars")
    return ArrayElement{1, false};
  for (const ArrayPredicateName &P : ArrayPredicates)
    if (P.Name == Name)
      return P.Elem;
  return std::nullopt;
}

std::optional<std::string> arrayPredicateName(ArrayElement Elem) {
  for (const ArrayPredicateName &P : ArrayPredicates)
    if (P.Elem.Bytes == Elem.Bytes && P.Elem.Signed == Elem.Signed)
      return std::string(P.Name);
  return std::nullopt;
}

bool isArrayPredicate(const Assertion &A) {
  return A.K == Assertion::Kind::Pred && A.Terms.size() == 3 &&
         arrayPredicateElement(A.Name);
}

bool isSequenceFunction(const std::string &Name) {
  return Name == "Zlength" || Name == "sublist" || Name == "app" ||
         Name == "replace_Znth";
}

void contentNames(const Assertion *A, std::set<std::string> &Out) {
  if (!A)
    return;
  if (A->K == Assertion::Kind::And || A->K == Assertion::Kind::Sep) {
    for (const auto &S : A->Subs)
      contentNames(S.get(), Out);
    return;
  }
  if (isArrayPredicate(*A) && A->Terms[2] &&
      A->Terms[2]->K == Term::Kind::Var)
    Out.insert(A->Terms[2]->Name);
}

std::set<std::string> contractLogicalNames(const Annotation &Contract) {
  std::set<std::string> Names(Contract.With.begin(), Contract.With.end());
  contentNames(Contract.Pre.get(), Names);
  contentNames(Contract.Post.get(), Names);
  return Names;
}

namespace {

bool mentionsBinder(const Term &T, const std::string &Binder) {
  if (T.K == Term::Kind::Var && T.Name == Binder)
    return true;
  for (const auto &A : T.Args)
    if (A && mentionsBinder(*A, Binder))
      return true;
  return false;
}

bool isBinder(const TermPtr &T, const std::string &Binder) {
  return T && T->K == Term::Kind::Var && T->Name == Binder && !T->AtPre;
}

/// Records a bound of Binder stated by the comparison C, if it is one.
void noteBound(const Assertion &C, const std::string &Binder,
               QuantifierRange &R) {
  if (C.K != Assertion::Kind::Cmp || C.Terms.size() != 2)
    return;
  const TermPtr &L = C.Terms[0], &Rt = C.Terms[1];
  std::string Op = C.Op;
  TermPtr Other;
  bool BinderLeft;
  if (isBinder(L, Binder) && Rt && !mentionsBinder(*Rt, Binder)) {
    Other = Rt;
    BinderLeft = true;
  } else if (isBinder(Rt, Binder) && L && !mentionsBinder(*L, Binder)) {
    Other = L;
    BinderLeft = false;
  } else {
    return;
  }
  // Normalise to `k Op Other`.
  if (!BinderLeft)
    Op = Op == "<" ? ">" : Op == "<=" ? ">=" : Op == ">" ? "<" : Op == ">="
                                                                   ? "<="
                                                                   : Op;
  if (Op == "<" || Op == "<=") {
    R.Hi = Other;
    R.HiStrict = Op == "<";
  } else if (Op == ">" || Op == ">=") {
    R.Lo = Other;
    R.LoStrict = Op == ">";
  }
}

void collectBounds(const Assertion &A, const std::string &Binder,
                   QuantifierRange &R) {
  if (A.K == Assertion::Kind::And) {
    for (const auto &S : A.Subs)
      if (S)
        collectBounds(*S, Binder, R);
    return;
  }
  noteBound(A, Binder, R);
}

bool termMentions(const Term &T, const std::set<std::string> &Logical) {
  switch (T.K) {
  case Term::Kind::Index:
    return true;
  case Term::Kind::Call:
    if (isSequenceFunction(T.Name))
      return true;
    break;
  case Term::Kind::Var:
    if (Logical.count(T.Name))
      return true;
    break;
  default:
    break;
  }
  for (const auto &A : T.Args)
    if (A && termMentions(*A, Logical))
      return true;
  return false;
}

} // namespace

std::optional<QuantifierRange> quantifierRange(const Assertion &Q,
                                               const std::string &Binder) {
  if ((Q.K != Assertion::Kind::Forall && Q.K != Assertion::Kind::Exists) ||
      Q.Subs.size() != 1 || !Q.Subs[0])
    return std::nullopt;
  const Assertion &Body = *Q.Subs[0];
  QuantifierRange R;
  if (Q.K == Assertion::Kind::Forall) {
    if (Body.K != Assertion::Kind::Implies || Body.Subs.size() != 2 ||
        !Body.Subs[0])
      return std::nullopt;
    collectBounds(*Body.Subs[0], Binder, R);
  } else {
    collectBounds(Body, Binder, R);
  }
  if (!R.Lo || !R.Hi)
    return std::nullopt;
  return R;
}

bool mentionsContents(const Assertion &A,
                      const std::set<std::string> &Logical) {
  switch (A.K) {
  case Assertion::Kind::Forall:
  case Assertion::Kind::Exists:
    return true;
  case Assertion::Kind::Pred:
    // User predicates (Predicates.h) are VEP-C's: the checker has none.
    if (arrayPredicateElement(A.Name) || !isBuiltinPredicate(A.Name))
      return true;
    break;
  default:
    break;
  }
  for (const auto &T : A.Terms)
    if (T && termMentions(*T, Logical))
      return true;
  for (const auto &S : A.Subs)
    if (S && mentionsContents(*S, Logical))
      return true;
  return false;
}

AssertionPtr eraseContentFacts(const AssertionPtr &A,
                               const std::set<std::string> &Logical) {
  if (!A)
    return nullptr;
  if (A->K == Assertion::Kind::And || A->K == Assertion::Kind::Sep) {
    std::vector<AssertionPtr> Kept;
    bool Changed = false;
    for (const auto &S : A->Subs) {
      AssertionPtr K = eraseContentFacts(S, Logical);
      Changed |= K != S;
      if (K && K->K != Assertion::Kind::True)
        Kept.push_back(K);
    }
    if (!Changed)
      return A; // nothing left out: the tree as written
    if (Kept.empty()) {
      auto T = std::make_shared<Assertion>();
      T->K = Assertion::Kind::True;
      T->Pos = A->Pos;
      return T;
    }
    if (Kept.size() == 1)
      return Kept[0];
    auto Both = std::make_shared<Assertion>(*A);
    Both->Subs = std::move(Kept);
    return Both;
  }
  if (!mentionsContents(*A, Logical))
    return A;
  auto T = std::make_shared<Assertion>();
  T->K = Assertion::Kind::True;
  T->Pos = A->Pos;
  return T;
}

AssertionPtr eraseContentFacts(const AssertionPtr &A,
                               const Annotation *Contract) {
  std::set<std::string> Logical;
  if (Contract)
    Logical = contractLogicalNames(*Contract);
  contentNames(A.get(), Logical);
  return eraseContentFacts(A, Logical);
}

} // namespace vep::logic
