//===- Printer.cpp - Canonical concrete syntax
//-----------------------------===//
//
// Parentheses are inserted from precedences, plus three rules that keep the
// output unambiguous for the parser (docs/annotation-language.md):
//  - a comparison that is an operand of `*` is parenthesised, or its right
//    term would swallow the `*` as multiplication;
//  - a comparison whose left term starts with `f(...) *` parenthesises that
//    term, or `f(...)` would be read as a predicate followed by `*`;
//  - `-` before a literal is written `-(5)`, since `-5` is the literal -5.
//
//===----------------------------------------------------------------------===//

#include "Lexer.h"

#include "vep/logic/Assertion.h"

#include <algorithm>

namespace vep::logic {
namespace {

//===----------------------------------------------------------------------===//
// Terms
//===----------------------------------------------------------------------===//

// Binary operators use C's levels 1 (`|`) to 6 (`*`).
constexpr unsigned PrefixLevel = 7;
constexpr unsigned PostfixLevel = 8;
constexpr unsigned PrimaryLevel = 9;

unsigned levelOf(const Term &T) {
  switch (T.K) {
  case Term::Kind::IntLit:
    return T.Value < 0 ? PrefixLevel : PrimaryLevel;
  case Term::Kind::Var:
  case Term::Kind::Call:
    return PrimaryLevel;
  case Term::Kind::Member:
  case Term::Kind::Index:
    return PostfixLevel;
  case Term::Kind::Unary:
  case Term::Kind::Cast:
    return PrefixLevel;
  case Term::Kind::Binary:
    return detail::binaryOperatorLevel(T.Op); // 0 (never parsed): parenthesise
  }
  return 0;
}

std::string parenthesised(const std::string &Text) {
  std::string Result = "(";
  Result += Text;
  Result += ')';
  return Result;
}

std::string integerToString(__int128 Value) {
  unsigned __int128 Magnitude =
      Value < 0 ? -static_cast<unsigned __int128>(Value) : Value;
  std::string Digits;
  do {
    Digits += static_cast<char>('0' + static_cast<int>(Magnitude % 10));
    Magnitude /= 10;
  } while (Magnitude);
  if (Value < 0)
    Digits += '-';
  std::reverse(Digits.begin(), Digits.end());
  return Digits;
}

std::string printTerm(const Term &T, unsigned MinLevel);

std::string printArguments(const std::vector<TermPtr> &Args) {
  std::string S = "(";
  for (size_t I = 0; I < Args.size(); ++I)
    S += (I ? ", " : "") + printTerm(*Args[I], 1);
  return S + ")";
}

std::string printBareTerm(const Term &T) {
  switch (T.K) {
  case Term::Kind::IntLit:
    return integerToString(T.Value);
  case Term::Kind::Var:
    return T.AtPre ? T.Name + "@pre" : T.Name;
  case Term::Kind::Call:
    return T.Name + printArguments(T.Args);
  case Term::Kind::Member:
    return printTerm(*T.Args[0], PostfixLevel) + (T.Arrow ? "->" : ".") +
           T.Name;
  case Term::Kind::Index:
    return printTerm(*T.Args[0], PostfixLevel) + "[" +
           printTerm(*T.Args[1], 1) + "]";
  case Term::Kind::Unary: {
    const Term &Operand = *T.Args[0];
    std::string OperandText = printTerm(Operand, PrefixLevel);
    // `-5` would be re-read as a literal, `--x` reads like C's decrement and
    // `&&x` would lex as `&&`.
    bool NeedsParens = (T.Op == "-" && (Operand.K == Term::Kind::IntLit ||
                                        OperandText[0] == '-')) ||
                       (T.Op == "&" && OperandText[0] == '&');
    return T.Op + (NeedsParens ? parenthesised(OperandText) : OperandText);
  }
  case Term::Kind::Cast:
    return parenthesised(T.Name) + printTerm(*T.Args[0], PrefixLevel);
  case Term::Kind::Binary: {
    unsigned Level = detail::binaryOperatorLevel(T.Op);
    return printTerm(*T.Args[0], Level) + " " + T.Op + " " +
           printTerm(*T.Args[1], Level + 1);
  }
  }
  return "";
}

std::string printTerm(const Term &T, unsigned MinLevel) {
  std::string S = printBareTerm(T);
  return levelOf(T) < MinLevel ? parenthesised(S) : S;
}

/// Whether T, printed at MinLevel, starts with a call directly followed by
/// `*`, which the parser would take for a predicate and a separating `*`.
bool startsWithCallThenStar(const Term &T, unsigned MinLevel) {
  if (levelOf(T) < MinLevel)
    return false; // parenthesised: starts with '('
  switch (T.K) {
  case Term::Kind::Binary:
    if (T.Args[0]->K == Term::Kind::Call)
      return T.Op == "*";
    return startsWithCallThenStar(*T.Args[0], levelOf(T));
  case Term::Kind::Member:
  case Term::Kind::Index:
    return T.Args[0]->K != Term::Kind::Call &&
           startsWithCallThenStar(*T.Args[0], PostfixLevel);
  default:
    return false;
  }
}

//===----------------------------------------------------------------------===//
// Assertions
//===----------------------------------------------------------------------===//

// A quantifier's body extends to the right as far as possible, so a
// quantifier gets parentheses wherever anything could follow it.
enum AssertionLevel : unsigned {
  QuantifierLevel,
  ImpliesLevel,
  OrLevel,
  AndLevel,
  SepLevel,
  NotLevel,
  AtomLevel,
};

unsigned levelOf(const Assertion &A) {
  switch (A.K) {
  case Assertion::Kind::Exists:
  case Assertion::Kind::Forall:
    return QuantifierLevel;
  case Assertion::Kind::Implies:
    return ImpliesLevel;
  case Assertion::Kind::Or:
    return OrLevel;
  case Assertion::Kind::And:
    return AndLevel;
  case Assertion::Kind::Sep:
    return SepLevel;
  case Assertion::Kind::Not:
    return NotLevel;
  default:
    return AtomLevel;
  }
}

std::string printAssertion(const Assertion &A, unsigned MinLevel);

std::string printComparison(const Assertion &A) {
  const Term &Left = *A.Terms[0];
  std::string LeftText = printTerm(Left, 1);
  if (startsWithCallThenStar(Left, 1))
    LeftText = parenthesised(LeftText);
  return LeftText + " " + A.Op + " " + printTerm(*A.Terms[1], 1);
}

/// Operand of `*` or `!`: comparisons always get parentheses there.
std::string printTightOperand(const Assertion &A, unsigned MinLevel) {
  if (A.K == Assertion::Kind::Cmp)
    return parenthesised(printComparison(A));
  return printAssertion(A, MinLevel);
}

std::string printBinders(const std::vector<std::string> &Binders) {
  std::string S;
  for (const std::string &B : Binders)
    S += (S.empty() ? "" : " ") + B;
  return S;
}

std::string printBareAssertion(const Assertion &A) {
  auto Infix = [&A](const char *Op, unsigned LeftLevel, unsigned RightLevel) {
    return printAssertion(*A.Subs[0], LeftLevel) + " " + Op + " " +
           printAssertion(*A.Subs[1], RightLevel);
  };
  switch (A.K) {
  case Assertion::Kind::True:
    return "true";
  case Assertion::Kind::False:
    return "false";
  case Assertion::Kind::Emp:
    return "emp";
  case Assertion::Kind::TT:
    return "TT";
  case Assertion::Kind::Cmp:
    return printComparison(A);
  case Assertion::Kind::Not:
    return std::string("!") + printTightOperand(*A.Subs[0], NotLevel);
  case Assertion::Kind::And:
    return Infix("&&", AndLevel, AndLevel + 1);
  case Assertion::Kind::Or:
    return Infix("||", OrLevel, OrLevel + 1);
  case Assertion::Kind::Implies:
    return Infix("=>", ImpliesLevel + 1, ImpliesLevel);
  case Assertion::Kind::Sep:
    return printTightOperand(*A.Subs[0], SepLevel) + " * " +
           printTightOperand(*A.Subs[1], SepLevel + 1);
  case Assertion::Kind::Exists:
    return "exists " + printBinders(A.Binders) + ", " +
           printAssertion(*A.Subs[0], QuantifierLevel);
  case Assertion::Kind::Forall:
    return "forall (" + printBinders(A.Binders) + ": " + A.BinderType + "), " +
           printAssertion(*A.Subs[0], QuantifierLevel);
  case Assertion::Kind::Pred:
    return A.Name + printArguments(A.Terms);
  }
  return "";
}

std::string printAssertion(const Assertion &A, unsigned MinLevel) {
  std::string S = printBareAssertion(A);
  return levelOf(A) < MinLevel ? parenthesised(S) : S;
}

} // namespace

std::string print(const Term &T) { return printTerm(T, 1); }

std::string print(const Assertion &A) {
  return printAssertion(A, QuantifierLevel);
}

std::string print(const Annotation &A) {
  std::string S;
  auto Clause = [&S](const std::string &Keyword, const std::string &Body) {
    S += (S.empty() ? "" : " ") + Keyword + " " + Body;
  };
  switch (A.K) {
  case Annotation::Kind::Contract:
    if (!A.With.empty())
      Clause("With", printBinders(A.With));
    if (A.Pre)
      Clause("Require", print(*A.Pre));
    if (A.Post)
      Clause("Ensure", print(*A.Post));
    break;
  case Annotation::Kind::Inv:
    Clause("Inv", A.Pre ? print(*A.Pre) : "");
    if (A.Variant)
      Clause("Variant", print(*A.Variant));
    break;
  case Annotation::Kind::Assert:
    Clause("Assert", A.Pre ? print(*A.Pre) : "");
    break;
  case Annotation::Kind::Unfold:
  case Annotation::Kind::Fold:
    Clause(A.K == Annotation::Kind::Fold ? "fold" : "unfold",
           A.Pre ? print(*A.Pre) : "");
    break;
  case Annotation::Kind::Let: {
    std::string Params;
    for (size_t I = 0; I < A.With.size(); ++I)
      Params += (I ? ", " : "") + A.With[I];
    Clause("Let", A.Name + "(" + Params + ")");
    if (A.Variant)
      Clause("Variant", print(*A.Variant));
    Clause("=", A.Pre ? print(*A.Pre) : "");
    break;
  }
  case Annotation::Kind::Where: {
    std::string Bindings;
    for (size_t I = 0; I < A.With.size(); ++I)
      Bindings += (I ? ", " : "") + A.With[I] + " = " +
                  (I < A.Values.size() && A.Values[I] ? print(*A.Values[I])
                                                      : "");
    Clause("where", Bindings);
    break;
  }
  }
  return S;
}

} // namespace vep::logic
