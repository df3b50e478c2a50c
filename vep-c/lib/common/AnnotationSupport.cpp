//===- AnnotationSupport.cpp - What VEP-C accepts in annotations ----------===//

#include "AnnotationSupport.h"

#include <map>
#include <sstream>

namespace vep::csupport {

static std::string normalise(const std::string &S) {
  std::istringstream In(S);
  std::string W, Out;
  while (In >> W) {
    if (!Out.empty())
      Out += ' ';
    Out += W;
  }
  return Out;
}

bool lookupIntTypeName(const std::string &Name, IntTypeName &Out) {
  static const std::map<std::string, IntTypeName> Table = {
      {"char", {8, true}},
      {"signed char", {8, true}},
      {"unsigned char", {8, false}},
      {"short", {16, true}},
      {"short int", {16, true}},
      {"signed short", {16, true}},
      {"unsigned short", {16, false}},
      {"unsigned short int", {16, false}},
      {"int", {32, true}},
      {"signed", {32, true}},
      {"signed int", {32, true}},
      {"unsigned", {32, false}},
      {"unsigned int", {32, false}},
      {"long", {64, true}},
      {"long int", {64, true}},
      {"signed long", {64, true}},
      {"unsigned long", {64, false}},
      {"unsigned long int", {64, false}},
      {"long long", {64, true}},
      {"signed long long", {64, true}},
      {"unsigned long long", {64, false}},
      {"__u8", {8, false}},   {"__s8", {8, true}},
      {"__u16", {16, false}}, {"__s16", {16, true}},
      {"__u32", {32, false}}, {"__s32", {32, true}},
      {"__u64", {64, false}}, {"__s64", {64, true}},
      {"__be16", {16, false}}, {"__le16", {16, false}},
      {"__be32", {32, false}}, {"__le32", {32, false}},
      {"__be64", {64, false}}, {"__le64", {64, false}},
      {"u8", {8, false}},     {"s8", {8, true}},
      {"u16", {16, false}},   {"s16", {16, true}},
      {"u32", {32, false}},   {"s32", {32, true}},
      {"u64", {64, false}},   {"s64", {64, true}},
      {"uint8_t", {8, false}},  {"int8_t", {8, true}},
      {"uint16_t", {16, false}}, {"int16_t", {16, true}},
      {"uint32_t", {32, false}}, {"int32_t", {32, true}},
      {"uint64_t", {64, false}}, {"int64_t", {64, true}},
      {"size_t", {64, false}},  {"ssize_t", {64, true}},
  };
  auto It = Table.find(normalise(Name));
  if (It == Table.end())
    return false;
  Out = It->second;
  return true;
}

namespace {
struct Checker {
  PureContext C;
  const std::function<std::string(const std::string &, logic::SourcePos)>
      &CheckVar;
  SupportError &Err;

  bool fail(logic::SourcePos P, std::string M) {
    Err.Pos = P;
    Err.Message = std::move(M);
    return false;
  }

  bool term(const logic::Term &T) {
    using K = logic::Term::Kind;
    switch (T.K) {
    case K::IntLit:
      return true;
    case K::Var: {
      if (T.AtPre)
        return fail(T.Pos, "not supported yet: '" + T.Name + "@pre'");
      std::string M = CheckVar(T.Name, T.Pos);
      if (!M.empty())
        return fail(T.Pos, M);
      return true;
    }
    case K::Unary:
      if (T.Op != "-" && T.Op != "~")
        return fail(T.Pos, "not supported yet: operator '" + T.Op +
                               "' in an annotation");
      return T.Args.size() == 1 && term(*T.Args[0]);
    case K::Binary:
      return T.Args.size() == 2 && term(*T.Args[0]) && term(*T.Args[1]);
    case K::Cast: {
      IntTypeName I;
      if (!lookupIntTypeName(T.Name, I))
        return fail(T.Pos, "not supported yet: cast to '" + T.Name +
                               "' in an annotation");
      return T.Args.size() == 1 && term(*T.Args[0]);
    }
    case K::Member:
      return fail(T.Pos, "not supported yet: member access in an annotation");
    case K::Index:
      return fail(T.Pos, "not supported yet: list indexing in an annotation");
    case K::Call:
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
    case K::Cmp:
      return A.Terms.size() == 2 && term(*A.Terms[0]) && term(*A.Terms[1]);
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
      return fail(A.Pos, "not supported yet: separating conjunction in " +
                             where());
    case K::Exists:
      return fail(A.Pos, "not supported yet: 'exists' in " + where());
    case K::Forall:
      return fail(A.Pos, "not supported yet: 'forall' in " + where());
    case K::Pred:
      return fail(A.Pos, "not supported yet: predicate '" + A.Name + "' in " +
                             where());
    }
    return fail(A.Pos, "not supported yet: assertion");
  }

  std::string where() const {
    return C == PureContext::Ensure ? "Ensure" : "Assert";
  }
};
} // namespace

bool checkPureAssertion(
    const logic::Assertion &A, PureContext C,
    const std::function<std::string(const std::string &, logic::SourcePos)>
        &CheckVar,
    SupportError &Err) {
  Checker Ch{C, CheckVar, Err};
  return Ch.assertion(A);
}

bool isDefaultRequire(const logic::Assertion *Pre) {
  return !Pre || Pre->K == logic::Assertion::Kind::True ||
         Pre->K == logic::Assertion::Kind::TT;
}

} // namespace vep::csupport
