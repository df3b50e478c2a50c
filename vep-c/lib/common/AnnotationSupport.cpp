//===- AnnotationSupport.cpp - What VEP-C accepts in annotations ----------===//

#include "AnnotationSupport.h"

#include "vep/logic/Sequences.h"
#include "vep/logic/TypeNames.h"


namespace vep::csupport {

namespace {
struct Checker {
  PureContext C;
  const CheckVarFn &CheckVar;
  SupportError &Err;
  const VarSortFn *Sorts;
  /// Null: no contents language. Else the sequence names in scope.
  const std::set<std::string> *Sequences = nullptr;
  const logic::PredicateTable *Predicates = nullptr;
  std::set<std::string> LocalSequences;
  std::vector<std::string> Binders; // quantified integers in scope
  /// The top-level conjuncts of the assertion being checked.
  std::set<const logic::Assertion *> TopLevel;
  void topLevel(const logic::Assertion &A) {
    if (A.K == logic::Assertion::Kind::And ||
        A.K == logic::Assertion::Kind::Sep) {
      for (const auto &S : A.Subs)
        if (S)
          topLevel(*S);
      return;
    }
    TopLevel.insert(&A);
  }

  bool isSequence(const std::string &N) const {
    return Sequences && (Sequences->count(N) || LocalSequences.count(N));
  }
  bool isBinder(const std::string &N) const {
    for (const std::string &B : Binders)
      if (B == N)
        return true;
    return false;
  }
  bool noSequence(const logic::Term &T, TermSort S) {
    if (S != TermSort::Seq)
      return true;
    return fail(T.Pos, "a sequence where an annotation needs an integer");
  }
  bool intArg(const logic::Term &T) {
    TermSort S;
    return term(T, S) && noSequence(T, S) &&
           noPointer(T, S, "a sequence function");
  }
  bool seqArg(const logic::Term &T) {
    TermSort S;
    if (!term(T, S))
      return false;
    if (S != TermSort::Seq)
      return fail(T.Pos, "expected a sequence (the contents named by a "
                         "store_..._array predicate)");
    return true;
  }
  /// `Zlength(l)`, `sublist(lo, hi, l)`, `app(l1, l2)`,
  /// `replace_Znth(i, v, l)`.
  bool sequenceCall(const logic::Term &T, TermSort &Out) {
    const auto &A = T.Args;
    auto Arity = [&](size_t N) {
      return A.size() == N ||
             fail(T.Pos, "'" + T.Name + "' takes " + std::to_string(N) +
                             " arguments");
    };
    Out = TermSort::Seq;
    if (T.Name == "Zlength") {
      Out = TermSort::Int;
      return Arity(1) && seqArg(*A[0]);
    }
    if (T.Name == "sublist")
      return Arity(3) && intArg(*A[0]) && intArg(*A[1]) && seqArg(*A[2]);
    if (T.Name == "app")
      return Arity(2) && seqArg(*A[0]) && seqArg(*A[1]);
    return Arity(3) && intArg(*A[0]) && intArg(*A[1]) && seqArg(*A[2]);
  }
  /// The contents names of the top-level array predicates of A: in scope
  /// in the whole assertion.
  bool arrayPredicate(const logic::Assertion &A) {
    if (!logic::isArrayPredicate(A))
      return fail(A.Pos, "not supported yet: predicate '" + A.Name + "' in " +
                             where() + " (only store_..._array(p, n, l))");
    const logic::Term &P = *A.Terms[0], &L = *A.Terms[2];
    if (P.K != logic::Term::Kind::Var || P.AtPre)
      return fail(P.Pos, "the array of " + A.Name +
                             " must be a pointer variable");
    if (L.K != logic::Term::Kind::Var || L.AtPre)
      return fail(L.Pos, "the contents of " + A.Name + " must be a name");
    return intArg(*A.Terms[1]);
  }
  bool quantifier(const logic::Assertion &A) {
    bool Forall = A.K == logic::Assertion::Kind::Forall;
    if (!Sequences)
      return fail(A.Pos, std::string("not supported yet: '") +
                             (Forall ? "forall" : "exists") + "' in " +
                             where());
    if (Forall && A.BinderType != "Z")
      return fail(A.Pos, "a quantifier ranges over integers: write "
                         "'forall (k: Z), ...'");
    for (const std::string &B : A.Binders)
      if (!logic::quantifierRange(A, B) || A.Binders.size() != 1)
        return fail(A.Pos,
                    "a quantifier must bind one integer with bounds: "
                    "'forall (k: Z), lo <= k && k < hi => P' or 'exists k, "
                    "lo <= k && k < hi && P'");
    Binders.push_back(A.Binders[0]);
    bool Ok = A.Subs.size() == 1 && A.Subs[0] && assertion(*A.Subs[0]);
    Binders.pop_back();
    return Ok;
  }

  bool fail(logic::SourcePos P, std::string M) {
    Err.Pos = P;
    Err.Message = std::move(M);
    return false;
  }

  static bool isPtr(TermSort S) {
    return S == TermSort::BytePtr || S == TermSort::Ptr;
  }

  bool noPointer(const logic::Term &T, TermSort S, const std::string &What) {
    if (!isPtr(S))
      return true;
    return fail(T.Pos, "not supported yet: a pointer as the operand of " +
                           What + " in an annotation");
  }

  bool bytePointer(const logic::Term &T, TermSort S) {
    if (S != TermSort::Ptr)
      return true;
    return fail(T.Pos, "not supported yet: arithmetic on a pointer to "
                       "objects larger than a byte in an annotation "
                       "(annotations count in bytes: cast it, "
                       "'(void *)p + 4')");
  }

  bool term(const logic::Term &T, TermSort &Out) {
    using K = logic::Term::Kind;
    Out = TermSort::Int;
    switch (T.K) {
    case K::IntLit:
      return true;
    case K::Var: {
      if (T.AtPre)
        return fail(T.Pos, "not supported yet: '" + T.Name + "@pre'");
      if (isBinder(T.Name))
        return true;
      if (isSequence(T.Name)) {
        Out = TermSort::Seq;
        return true;
      }
      std::string M = CheckVar(T.Name, T.Pos);
      if (!M.empty())
        return fail(T.Pos, M);
      if (Sorts)
        Out = (*Sorts)(T.Name);
      return true;
    }
    case K::Unary: {
      if (T.Op != "-" && T.Op != "~")
        return fail(T.Pos, "not supported yet: operator '" + T.Op +
                               "' in an annotation");
      TermSort S;
      return T.Args.size() == 1 && term(*T.Args[0], S) &&
             noSequence(*T.Args[0], S) &&
             noPointer(*T.Args[0], S, "unary '" + T.Op + "'");
    }
    case K::Binary: {
      TermSort A, B;
      if (T.Args.size() != 2 || !term(*T.Args[0], A) || !term(*T.Args[1], B) ||
          !noSequence(*T.Args[0], A) || !noSequence(*T.Args[1], B))
        return false;
      if (!isPtr(A) && !isPtr(B))
        return true;
      if (T.Op == "+" && isPtr(A) != isPtr(B)) {
        Out = isPtr(A) ? A : B;
        return bytePointer(isPtr(A) ? *T.Args[0] : *T.Args[1], Out);
      }
      if (T.Op == "-" && isPtr(A) && !isPtr(B)) {
        Out = A;
        return bytePointer(*T.Args[0], A);
      }
      if (T.Op == "-" && isPtr(A) && isPtr(B))
        return bytePointer(*T.Args[0], A) && bytePointer(*T.Args[1], B);
      const logic::Term &P = isPtr(A) ? *T.Args[0] : *T.Args[1];
      return fail(P.Pos, "not supported yet: a pointer as the operand of '" +
                             T.Op + "' in an annotation");
    }
    case K::Cast: {
      bool ToBytes = logic::isBytePointerTypeName(T.Name);
      if (!ToBytes && !logic::intTypeNamed(T.Name))
        return fail(T.Pos, "not supported yet: cast to '" + T.Name +
                               "' in an annotation");
      TermSort S;
      if (T.Args.size() != 1 || !term(*T.Args[0], S) ||
          !noSequence(*T.Args[0], S))
        return false;
      if (!ToBytes)
        return noPointer(*T.Args[0], S, "a cast");
      if (!isPtr(S))
        return fail(T.Pos, "not supported yet: a cast of an integer to a "
                           "pointer in an annotation");
      Out = TermSort::BytePtr; // the same address, counted in bytes
      return true;
    }
    case K::Member:
      return fail(T.Pos, "not supported yet: member access in an annotation");
    case K::Index:
      if (!Sequences)
        return fail(T.Pos,
                    "not supported yet: list indexing in an annotation");
      return T.Args.size() == 2 && seqArg(*T.Args[0]) && intArg(*T.Args[1]);
    case K::Call:
      if (Sequences && logic::isSequenceFunction(T.Name))
        return sequenceCall(T, Out);
      return fail(T.Pos, "not supported yet: function '" + T.Name +
                             "' in an annotation");
    }
    return fail(T.Pos, "not supported yet: term in an annotation");
  }

  bool assertion(const logic::Assertion &A) {
    using K = logic::Assertion::Kind;
    switch (A.K) {
    case K::True:
    case K::False:
      return true;
    case K::Cmp: {
      TermSort X, Y;
      if (A.Terms.size() != 2 || !term(*A.Terms[0], X) ||
          !term(*A.Terms[1], Y))
        return false;
      if (isPtr(X) != isPtr(Y))
        return fail(A.Pos, "not supported yet: comparison of a pointer with "
                           "an integer in an annotation");
      if ((X == TermSort::Seq) != (Y == TermSort::Seq))
        return fail(A.Pos, "comparison of a sequence with an integer");
      if (X == TermSort::Seq && A.Op != "==" && A.Op != "!=")
        return fail(A.Pos, "sequences compare with '==' and '!=' only");
      return true;
    }
    case K::Not:
    case K::And:
    case K::Or:
    case K::Implies:
      for (const auto &S : A.Subs)
        if (!S || !assertion(*S))
          return false;
      return true;
    case K::Emp:
      return fail(A.Pos, "not supported yet: 'emp' in " + where());
    case K::TT:
      return fail(A.Pos, "not supported yet: 'TT' in " + where());
    case K::Sep:
      if (Sequences) // over pure facts and array predicates, * is &&
        return A.Subs.size() == 2 && A.Subs[0] && A.Subs[1] &&
               assertion(*A.Subs[0]) && assertion(*A.Subs[1]);
      return fail(A.Pos, "not supported yet: separating conjunction in " +
                             where());
    case K::Exists:
    case K::Forall:
      return quantifier(A);
    case K::Pred:
      if (Predicates && Predicates->count(A.Name))
        return userPredicate(A, *Predicates->at(A.Name));
      if (Sequences && TopLevel.count(&A))
        return arrayPredicate(A);
      return fail(A.Pos, "not supported yet: predicate '" + A.Name + "' in " +
                             where() +
                             (Sequences ? " (an array predicate must be a "
                                          "top-level conjunct)"
                                        : ""));
    }
    return fail(A.Pos, "not supported yet: assertion");
  }

  /// An instance of a user predicate: its arguments are integers, or
  /// sequences at the definition's sequence parameters.
  bool userPredicate(const logic::Assertion &A, const logic::Annotation &Def) {
    if (A.Terms.size() != Def.With.size())
      return fail(A.Pos, "'" + A.Name + "' takes " +
                             std::to_string(Def.With.size()) + " arguments");
    std::set<std::string> Seqs = logic::sequenceParameters(Def, *Predicates);
    for (size_t I = 0; I < A.Terms.size(); ++I)
      if (!(Seqs.count(Def.With[I]) ? seqArg(*A.Terms[I])
                                    : intArg(*A.Terms[I])))
        return false;
    return true;
  }

  std::string where() const {
    switch (C) {
    case PureContext::Ensure: return "Ensure";
    case PureContext::Inv: return "Inv";
    case PureContext::Require: return "Require";
    default: return "Assert";
    }
  }
};
} // namespace

bool checkPureAssertion(const logic::Assertion &A, PureContext C,
                        const CheckVarFn &CheckVar, SupportError &Err,
                        const VarSortFn *Sorts,
                        const std::set<std::string> *Sequences,
                        const logic::PredicateTable *Predicates) {
  Checker Ch{C, CheckVar, Err, Sorts, Sequences, Predicates, {}, {}, {}};
  if (Sequences) {
    Ch.topLevel(A);
    logic::contentNames(&A, Ch.LocalSequences);
  }
  return Ch.assertion(A);
}

bool checkPureIntTerm(const logic::Term &T, PureContext C,
                      const CheckVarFn &CheckVar, SupportError &Err,
                      const VarSortFn *Sorts, const std::string &What) {
  Checker Ch{C, CheckVar, Err, Sorts, nullptr, nullptr, {}, {}, {}};
  TermSort S;
  if (!Ch.term(T, S))
    return false;
  if (S != TermSort::Int)
    return Ch.fail(T.Pos, What + " must be an integer, not a pointer (write "
                                 "a difference such as 'data_end - p')");
  return true;
}

bool isDefaultRequire(const logic::Assertion *Pre) {
  return !Pre || Pre->K == logic::Assertion::Kind::True ||
         Pre->K == logic::Assertion::Kind::TT;
}

} // namespace vep::csupport
