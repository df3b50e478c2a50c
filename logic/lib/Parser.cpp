//===- Parser.cpp - Parsing `/*@ ... */` annotations ----------------------===//
//
// Recursive descent over the token vector. Two places read ahead and back
// up, both forced by `*` and `(` meaning different things in terms and in
// assertions (docs/annotation-language.md, "Reading `*` and `(`"):
//  - in a term, `*` is multiplication only if a term follows it; otherwise
//    the term ends there and the `*` is left to the separating conjunction;
//  - an assertion atom starting with `(` is read as a comparison whose left
//    term starts with that parenthesis, and failing that as a parenthesised
//    assertion.
// A user predicate `P(args)` and a call term `f(args)` look alike; the call
// is a predicate when what follows it can only follow an assertion.
//
//===----------------------------------------------------------------------===//

#include "Lexer.h"

#include "vep/logic/Assertion.h"
#include "vep/logic/Predicates.h"

#include <algorithm>
#include <optional>
#include <string_view>

namespace vep::logic {
namespace {

using detail::Token;
using TokKind = Token::Kind;

/// Keeps hostile or runaway input from exhausting the stack.
constexpr unsigned MaxNesting = 200;

constexpr std::string_view ClauseKeywords[] = {
    "With", "Require", "Ensure", "Inv", "Variant", "Assert", "where", "Let"};
constexpr std::string_view AssertionKeywords[] = {"emp",   "TT",     "true",
                                                  "false", "exists", "forall"};
constexpr std::string_view BuiltinPredicates[] = {
    "data_at",           "undef_data_at",      "store_char_array",
    "store_uchar_array", "chars",              "store_short_array",
    "store_ushort_array", "store_int_array",   "store_uint_array",
    "store_long_array",  "store_ulong_array", "packet",
    "packet_end"};
constexpr std::string_view TypeKeywords[] = {
    "unsigned", "signed", "char",     "short",  "int",   "long", "void",
    "_Bool",    "const",  "volatile", "struct", "union", "enum"};
/// Typedef names a cast or a predicate's type argument may use. The
/// annotation parser sees no C declarations, so it recognises these, and any
/// identifier ending in `_t`, as type names.
constexpr std::string_view TypedefNames[] = {
    "__u8",   "__u16",   "__u32",  "__u64",  "__s8",   "__s16",  "__s32",
    "__s64",  "__be16",  "__be32", "__be64", "__le16", "__le32", "__le64",
    "__wsum", "__sum16", "u8",     "u16",    "u32",    "u64",    "s8",
    "s16",    "s32",     "s64",    "bool"};

template <size_t N>
bool contains(const std::string_view (&Set)[N], std::string_view Name) {
  return std::find(std::begin(Set), std::end(Set), Name) != std::end(Set);
}

bool isClauseKeyword(const std::string &Name) {
  return contains(ClauseKeywords, Name);
}

bool isKeyword(const std::string &Name) {
  return isClauseKeyword(Name) || contains(AssertionKeywords, Name);
}

bool isTypeName(const std::string &Name) {
  return contains(TypeKeywords, Name) || contains(TypedefNames, Name) ||
         (Name.size() > 2 && Name.compare(Name.size() - 2, 2, "_t") == 0);
}

/// Names that cannot be variables: reading them as terms would be wrong.
bool isReservedName(const std::string &Name) {
  return isKeyword(Name) || isBuiltinPredicate(Name) || isTypeName(Name);
}

bool startsTypeName(const Token &T) {
  return T.K == TokKind::Ident && isTypeName(T.Text);
}

bool isComparisonOperator(const Token &T) {
  if (T.K != TokKind::Punct)
    return false;
  return T.Text == "==" || T.Text == "!=" || T.Text == "<" || T.Text == "<=" ||
         T.Text == ">" || T.Text == ">=";
}

/// C's binary precedence, 0 for tokens that are no binary term operator.
unsigned binaryPrecedence(const Token &T) {
  return T.K == TokKind::Punct ? detail::binaryOperatorLevel(T.Text) : 0;
}

bool isPrefixOperator(const Token &T) {
  return T.isPunct("-") || T.isPunct("~") || T.isPunct("*") || T.isPunct("&");
}

bool canStartTerm(const Token &T) {
  if (T.K == TokKind::Int)
    return true;
  if (T.K == TokKind::Ident)
    return !isReservedName(T.Text);
  return T.isPunct("(") || isPrefixOperator(T);
}

/// Tokens that can follow a complete assertion but never a term. A call
/// followed by one of them is a predicate, not the left side of a comparison.
bool endsAssertion(const Token &T) {
  if (T.K == TokKind::End)
    return true;
  if (T.K == TokKind::Ident)
    return isClauseKeyword(T.Text);
  return T.isPunct(")") || T.isPunct("*") || T.isPunct("&&") ||
         T.isPunct("||") || T.isPunct("=>");
}

std::string describe(const Token &T) {
  if (T.K == TokKind::End)
    return "end of annotation";
  return "'" + T.Text + "'";
}

std::shared_ptr<Term> newTerm(Term::Kind K, SourcePos Pos) {
  auto T = std::make_shared<Term>();
  T->K = K;
  T->Pos = Pos;
  return T;
}

std::shared_ptr<Assertion> newAssertion(Assertion::Kind K, SourcePos Pos) {
  auto A = std::make_shared<Assertion>();
  A->K = K;
  A->Pos = Pos;
  return A;
}

AssertionPtr newConnective(Assertion::Kind K, SourcePos Pos, AssertionPtr L,
                           AssertionPtr R) {
  auto A = newAssertion(K, Pos);
  A->Subs = {std::move(L), std::move(R)};
  return A;
}

class Parser {
public:
  explicit Parser(std::vector<Token> Toks) : Toks(std::move(Toks)) {}

  bool parse(Annotation &Out, ParseError &Err) {
    if (parseAnnotation(Out))
      return true;
    Err = {Failed->Pos, Failed->Message};
    return false;
  }

private:
  struct Failure {
    size_t TokIdx;
    SourcePos Pos;
    std::string Message;
  };
  struct Checkpoint {
    size_t Idx;
    std::optional<Failure> Failed;
  };

  class NestingGuard {
  public:
    explicit NestingGuard(Parser &P) : P(P) { ++P.Depth; }
    ~NestingGuard() { --P.Depth; }
    bool tooDeep() const { return P.Depth > MaxNesting; }

  private:
    Parser &P;
  };

  std::vector<Token> Toks;
  size_t Idx = 0;
  std::optional<Failure> Failed;
  unsigned Depth = 0;

  const Token &peek(size_t Ahead = 0) const {
    return Toks[std::min(Idx + Ahead, Toks.size() - 1)];
  }

  /// Consumes a token; never moves past the final End or Error token.
  const Token &take() {
    const Token &T = Toks[Idx];
    if (Idx + 1 < Toks.size())
      ++Idx;
    return T;
  }

  bool acceptPunct(const char *Spelling) {
    if (!peek().isPunct(Spelling))
      return false;
    take();
    return true;
  }

  bool acceptIdent(const char *Spelling) {
    if (!peek().isIdent(Spelling))
      return false;
    take();
    return true;
  }

  Checkpoint save() const { return {Idx, Failed}; }
  void restore(const Checkpoint &C) {
    Idx = C.Idx;
    Failed = C.Failed;
  }

  /// What `fail` returns: false or null, whichever the caller returns.
  struct FailureResult {
    operator bool() const { return false; }
    template <typename T> operator std::shared_ptr<T>() const {
      return nullptr;
    }
  };

  /// Records a failure at `At` for the callers to pass up.
  /// A lexical error outranks the parser's complaint about that token.
  FailureResult fail(const Token &At, std::string Message) {
    if (At.K == TokKind::Error)
      Message = At.Text;
    else if (At.isPunct("=")) // a lone `=` belongs to `where` only
      Message = "'=' is not an operator; write '==' for equality";
    Failed = Failure{static_cast<size_t>(&At - Toks.data()), At.Pos,
                     std::move(Message)};
    return {};
  }

  //===--------------------------------------------------------------------===//
  // Annotations
  //===--------------------------------------------------------------------===//

  bool parseAnnotation(Annotation &Out) {
    const Token &First = peek();
    if (First.K == TokKind::End)
      return fail(First, "empty annotation");
    Out.Pos = First.Pos;
    if (First.isIdent("With") || First.isIdent("Require") ||
        First.isIdent("Ensure")) {
      if (!parseContract(Out))
        return false;
    } else if (acceptIdent("Inv")) {
      Out.K = Annotation::Kind::Inv;
      Out.Pre = parseClauseAssertion("Inv");
      if (!Out.Pre)
        return false;
      if (acceptIdent("Variant")) {
        if (!canStartTerm(peek()))
          return fail(peek(), "expected term after 'Variant'");
        Out.Variant = parseTerm();
        if (!Out.Variant)
          return false;
      }
    } else if (acceptIdent("where")) {
      if (!parseWhere(Out))
        return false;
    } else if (acceptIdent("Let")) {
      if (!parseLet(Out))
        return false;
    } else if (acceptIdent("Assert")) {
      Out.K = Annotation::Kind::Assert;
      Out.Pre = parseClauseAssertion("Assert");
      if (!Out.Pre)
        return false;
    } else if ((First.isIdent("unfold") || First.isIdent("fold")) &&
               peek(1).K == TokKind::Ident) {
      // Not reserved words: only these two names juxtaposed with a
      // predicate's name make the statement.
      Out.K = take().Text == "fold" ? Annotation::Kind::Fold
                                    : Annotation::Kind::Unfold;
      const Token &At = peek();
      Out.Pre = parseAssertion();
      if (!Out.Pre)
        return false;
      if (!isUserPredicate(*Out.Pre))
        return fail(At,
                    std::string("expected an instance of a user "
                                "predicate after '") +
                        (Out.K == Annotation::Kind::Fold ? "fold" : "unfold") +
                        "'");
    } else if (First.isIdent("Variant")) {
      return fail(First, "'Variant' must follow an 'Inv' invariant");
    } else if (First.K == TokKind::Ident && !isReservedName(First.Text) &&
               (peek(1).K == TokKind::Ident || peek(1).K == TokKind::Int)) {
      // No assertion starts with two juxtaposed names, so this is a
      // misspelt keyword such as `Requires` or `invariant`.
      return fail(First, "unknown annotation keyword '" + First.Text + "'");
    } else {
      Out.K = Annotation::Kind::Assert;
      Out.Pre = parseAssertion();
      if (!Out.Pre)
        return false;
    }
    return expectEnd(Out);
  }

  bool parseContract(Annotation &Out) {
    Out.K = Annotation::Kind::Contract;
    if (acceptIdent("With")) {
      while (peek().K == TokKind::Ident && !isReservedName(peek().Text))
        Out.With.push_back(take().Text);
      if (Out.With.empty())
        return fail(peek(), "expected variable name after 'With'");
      if (!peek().isIdent("Require") && !peek().isIdent("Ensure"))
        return fail(peek(), "expected 'Require' or 'Ensure' after the 'With' "
                            "variables, found " +
                                describe(peek()));
    }
    if (acceptIdent("Require")) {
      Out.Pre = parseClauseAssertion("Require");
      if (!Out.Pre)
        return false;
    }
    if (acceptIdent("Ensure")) {
      Out.Post = parseClauseAssertion("Ensure");
      if (!Out.Post)
        return false;
    }
    return true;
  }

  /// where x = e (, y = f)*
  bool parseWhere(Annotation &Out) {
    Out.K = Annotation::Kind::Where;
    do {
      if (peek().K != TokKind::Ident || isReservedName(peek().Text))
        return fail(peek(), "expected variable name in 'where'");
      Out.With.push_back(take().Text);
      if (!acceptPunct("="))
        return fail(peek(), "expected '=' after '" + Out.With.back() +
                                "' in 'where'");
      if (!canStartTerm(peek()))
        return fail(peek(), "expected term after '='");
      TermPtr V = parseTerm();
      if (!V)
        return false;
      Out.Values.push_back(V);
    } while (acceptPunct(","));
    return true;
  }

  /// Let name(x, y, n) [Variant n] = assertion
  bool parseLet(Annotation &Out) {
    Out.K = Annotation::Kind::Let;
    if (peek().K != TokKind::Ident || isReservedName(peek().Text))
      return fail(peek(), "expected predicate name after 'Let'");
    Out.Name = take().Text;
    if (!acceptPunct("("))
      return fail(peek(), "expected '(' after '" + Out.Name + "'");
    if (!acceptPunct(")")) {
      do {
        if (peek().K != TokKind::Ident || isReservedName(peek().Text))
          return fail(peek(), "expected parameter name");
        Out.With.push_back(take().Text);
      } while (acceptPunct(","));
      if (!acceptPunct(")"))
        return fail(peek(), "expected ')' after the parameters, found " +
                                describe(peek()));
    }
    if (acceptIdent("Variant")) {
      if (!canStartTerm(peek()))
        return fail(peek(), "expected term after 'Variant'");
      Out.Variant = parseTerm();
      if (!Out.Variant)
        return false;
    }
    if (!acceptPunct("="))
      return fail(peek(), "expected '=' before the predicate's body");
    Out.Pre = parseClauseAssertion("=");
    return Out.Pre != nullptr;
  }

  AssertionPtr parseClauseAssertion(const std::string &Keyword) {
    const Token &Tok = peek();
    if (Tok.K == TokKind::End ||
        (Tok.K == TokKind::Ident && isClauseKeyword(Tok.Text)))
      return fail(Tok, "expected assertion after '" + Keyword + "'");
    return parseAssertion();
  }

  bool expectEnd(const Annotation &Out) {
    const Token &Tok = peek();
    if (Tok.K == TokKind::End)
      return true;
    if (Out.K == Annotation::Kind::Contract) {
      if (Tok.isIdent("Require") && Out.Post)
        return fail(Tok, "'Require' must come before 'Ensure'");
      if (Tok.isIdent("Require") || Tok.isIdent("Ensure"))
        return fail(Tok, "duplicate '" + Tok.Text + "' clause");
      if (Tok.isIdent("With"))
        return fail(Tok, "'With' must come first in a contract");
    }
    return fail(Tok, "unexpected token " + describe(Tok));
  }

  //===--------------------------------------------------------------------===//
  // Assertions
  //===--------------------------------------------------------------------===//

  /// assertion ::= or-assertion ['=>' assertion]
  AssertionPtr parseAssertion() {
    NestingGuard Guard(*this);
    if (Guard.tooDeep())
      return fail(peek(), "annotation is nested too deeply");
    SourcePos Start = peek().Pos;
    AssertionPtr Premise = parseOr();
    if (!Premise)
      return nullptr;
    if (!acceptPunct("=>"))
      return Premise;
    AssertionPtr Conclusion = parseAssertion();
    if (!Conclusion)
      return nullptr;
    return newConnective(Assertion::Kind::Implies, Start, Premise, Conclusion);
  }

  AssertionPtr parseLeftAssociative(Assertion::Kind K, const char *Op,
                                    AssertionPtr (Parser::*Operand)()) {
    SourcePos Start = peek().Pos;
    AssertionPtr Result = (this->*Operand)();
    while (Result && acceptPunct(Op)) {
      AssertionPtr Right = (this->*Operand)();
      if (!Right)
        return nullptr;
      Result = newConnective(K, Start, Result, Right);
    }
    return Result;
  }

  AssertionPtr parseOr() {
    return parseLeftAssociative(Assertion::Kind::Or, "||", &Parser::parseAnd);
  }
  AssertionPtr parseAnd() {
    return parseLeftAssociative(Assertion::Kind::And, "&&", &Parser::parseSep);
  }
  AssertionPtr parseSep() {
    return parseLeftAssociative(Assertion::Kind::Sep, "*",
                                &Parser::parseNegation);
  }

  AssertionPtr parseNegation() {
    NestingGuard Guard(*this);
    if (Guard.tooDeep())
      return fail(peek(), "annotation is nested too deeply");
    const Token &Tok = peek();
    if (!acceptPunct("!"))
      return parseAtom();
    AssertionPtr Sub = parseNegation();
    if (!Sub)
      return nullptr;
    auto Not = newAssertion(Assertion::Kind::Not, Tok.Pos);
    Not->Subs = {Sub};
    return Not;
  }

  AssertionPtr parseAtom() {
    const Token &Tok = peek();
    if (Tok.K == TokKind::Ident) {
      static constexpr std::pair<std::string_view, Assertion::Kind>
          Constants[] = {{"emp", Assertion::Kind::Emp},
                         {"TT", Assertion::Kind::TT},
                         {"true", Assertion::Kind::True},
                         {"false", Assertion::Kind::False}};
      for (const auto &[Spelling, K] : Constants)
        if (Tok.Text == Spelling) {
          take();
          return newAssertion(K, Tok.Pos);
        }
      if (Tok.Text == "exists")
        return parseExists();
      if (Tok.Text == "forall")
        return parseForall();
      if (isBuiltinPredicate(Tok.Text))
        return parsePredicate();
      if (!isReservedName(Tok.Text) && peek(1).isPunct("(")) {
        Checkpoint BeforeCall = save();
        AssertionPtr Pred = parsePredicate();
        if (!Pred || endsAssertion(peek()))
          return Pred;
        restore(BeforeCall); // `f(x) + 1 == y`: the call begins a term
        return parseComparison();
      }
    }
    if (Tok.isPunct("("))
      return parseParenthesisedAtom();
    if (!canStartTerm(Tok))
      return fail(Tok, "expected an assertion, found " + describe(Tok));
    return parseComparison();
  }

  AssertionPtr parseParenthesisedAtom() {
    Checkpoint Start = save();
    if (AssertionPtr Comparison = parseComparison())
      return Comparison;
    Failure ComparisonFailure = *Failed;
    restore(Start);
    take(); // '('
    AssertionPtr Inner = parseAssertion();
    if (Inner && acceptPunct(")"))
      return Inner;
    if (Inner)
      fail(peek(), "expected ')' after assertion, found " + describe(peek()));
    // Both readings failed; the one that got further tells the user more.
    if (ComparisonFailure.TokIdx > Failed->TokIdx)
      Failed = ComparisonFailure;
    return nullptr;
  }

  /// comparison ::= term (cmp-op term)+ ; a chain `a < b <= c` means
  /// `a < b && b <= c`.
  AssertionPtr parseComparison() {
    SourcePos ChainStart = peek().Pos;
    SourcePos LeftStart = ChainStart;
    TermPtr Left = parseTerm();
    if (!Left)
      return nullptr;
    if (!isComparisonOperator(peek()))
      return fail(peek(), "expected comparison operator after term, found " +
                              describe(peek()));
    AssertionPtr Result;
    while (isComparisonOperator(peek())) {
      const Token &Op = take();
      SourcePos RightStart = peek().Pos;
      TermPtr Right = parseTerm();
      if (!Right)
        return nullptr;
      auto Cmp = newAssertion(Assertion::Kind::Cmp, LeftStart);
      Cmp->Op = Op.Text;
      Cmp->Terms = {Left, Right};
      Result =
          Result ? newConnective(Assertion::Kind::And, ChainStart, Result, Cmp)
                 : Cmp;
      Left = Right;
      LeftStart = RightStart;
    }
    return Result;
  }

  AssertionPtr parsePredicate() {
    const Token &Name = take();
    if (!peek().isPunct("("))
      return fail(peek(), "expected '(' after predicate '" + Name.Text + "'");
    auto Pred = newAssertion(Assertion::Kind::Pred, Name.Pos);
    Pred->Name = Name.Text;
    if (!parseArguments(Pred->Terms))
      return nullptr;
    return Pred;
  }

  bool parseBinders(std::vector<std::string> &Binders,
                    const std::string &After) {
    while (peek().K == TokKind::Ident && !isReservedName(peek().Text))
      Binders.push_back(take().Text);
    if (Binders.empty())
      return fail(peek(), "expected variable name after '" + After + "'");
    return true;
  }

  /// exists x y, P  -- the body extends as far right as possible.
  AssertionPtr parseExists() {
    auto Exists = newAssertion(Assertion::Kind::Exists, take().Pos);
    if (!parseBinders(Exists->Binders, "exists"))
      return nullptr;
    if (!acceptPunct(","))
      return fail(peek(), "expected ',' after the variables of 'exists'");
    AssertionPtr Body = parseAssertion();
    if (!Body)
      return nullptr;
    Exists->Subs = {Body};
    return Exists;
  }

  /// forall (i j: Z), P  -- the body extends as far right as possible.
  AssertionPtr parseForall() {
    auto Forall = newAssertion(Assertion::Kind::Forall, take().Pos);
    if (!acceptPunct("("))
      return fail(peek(), "expected '(' after 'forall'");
    if (!parseBinders(Forall->Binders, "forall ("))
      return nullptr;
    if (!acceptPunct(":"))
      return fail(peek(), "expected ':' after the variables of 'forall'");
    std::vector<std::string> TypeWords;
    while (peek().K == TokKind::Ident)
      TypeWords.push_back(take().Text);
    if (TypeWords.empty())
      return fail(peek(), "expected type after ':' in 'forall'");
    for (const std::string &Word : TypeWords)
      Forall->BinderType += (Forall->BinderType.empty() ? "" : " ") + Word;
    if (!acceptPunct(")"))
      return fail(peek(), "expected ')' after the type of 'forall'");
    if (!acceptPunct(","))
      return fail(peek(), "expected ',' after 'forall (...)'");
    AssertionPtr Body = parseAssertion();
    if (!Body)
      return nullptr;
    Forall->Subs = {Body};
    return Forall;
  }

  //===--------------------------------------------------------------------===//
  // Terms
  //===--------------------------------------------------------------------===//

  TermPtr parseTerm() { return parseBinaryTerm(1); }

  /// Precedence climbing over C's binary operators.
  TermPtr parseBinaryTerm(unsigned MinPrecedence) {
    SourcePos Start = peek().Pos;
    TermPtr Left = parsePrefixTerm();
    while (Left) {
      const Token &Op = peek();
      unsigned Precedence = binaryPrecedence(Op);
      if (Precedence == 0 || Precedence < MinPrecedence)
        return Left;
      Checkpoint BeforeOp = save();
      take();
      TermPtr Right = parseBinaryTerm(Precedence + 1);
      if (!Right) {
        if (!Op.isPunct("*"))
          return nullptr;
        // No term after `*`: the term ends here and the `*` is the
        // separating conjunction, as in `x == 1 * TT`.
        restore(BeforeOp);
        return Left;
      }
      auto Binary = newTerm(Term::Kind::Binary, Start);
      Binary->Op = Op.Text;
      Binary->Args = {Left, Right};
      Left = Binary;
    }
    return nullptr;
  }

  TermPtr parsePrefixTerm() {
    NestingGuard Guard(*this);
    if (Guard.tooDeep())
      return fail(peek(), "annotation is nested too deeply");
    const Token &Tok = peek();
    if (isPrefixOperator(Tok)) {
      take();
      size_t OperandIdx = Idx;
      TermPtr Operand = parsePrefixTerm();
      if (!Operand)
        return nullptr;
      // `-5` is the literal -5, so constants stay constants; `-(5)` and
      // `-5[i]` keep their negation node.
      if (Tok.isPunct("-") && Toks[OperandIdx].K == TokKind::Int &&
          Idx == OperandIdx + 1) {
        auto Literal = newTerm(Term::Kind::IntLit, Tok.Pos);
        Literal->Value = -Operand->Value;
        return Literal;
      }
      auto Unary = newTerm(Term::Kind::Unary, Tok.Pos);
      Unary->Op = Tok.Text;
      Unary->Args = {Operand};
      return Unary;
    }
    if (Tok.isPunct("(") && startsTypeName(peek(1))) {
      take();
      auto Cast = newTerm(Term::Kind::Cast, Tok.Pos);
      if (!parseTypeName(Cast->Name))
        return nullptr;
      if (!acceptPunct(")"))
        return fail(peek(), "expected ')' after type name in cast, found " +
                                describe(peek()));
      TermPtr Operand = parsePrefixTerm();
      if (!Operand)
        return nullptr;
      Cast->Args = {Operand};
      return Cast;
    }
    return parsePostfixTerm();
  }

  TermPtr parsePostfixTerm() {
    SourcePos Start = peek().Pos;
    TermPtr Base = parsePrimaryTerm();
    while (Base) {
      const Token &Tok = peek();
      if (Tok.isPunct("->") || Tok.isPunct(".")) {
        take();
        const Token &Field = peek();
        if (Field.K != TokKind::Ident)
          return fail(Field, "expected field name after '" + Tok.Text + "'");
        take();
        auto Member = newTerm(Term::Kind::Member, Start);
        Member->Name = Field.Text;
        Member->Arrow = Tok.isPunct("->");
        Member->Args = {Base};
        Base = Member;
      } else if (acceptPunct("[")) {
        TermPtr Index = parseTerm();
        if (!Index)
          return nullptr;
        if (!acceptPunct("]"))
          return fail(peek(),
                      "expected ']' after index, found " + describe(peek()));
        auto Element = newTerm(Term::Kind::Index, Start);
        Element->Args = {Base, Index};
        Base = Element;
      } else {
        return Base;
      }
    }
    return nullptr;
  }

  TermPtr parsePrimaryTerm() {
    const Token &Tok = peek();
    if (Tok.K == TokKind::Int) {
      take();
      auto Literal = newTerm(Term::Kind::IntLit, Tok.Pos);
      Literal->Value = Tok.Value;
      return Literal;
    }
    if (Tok.isPunct("(")) {
      take();
      TermPtr Inner = parseTerm();
      if (!Inner)
        return nullptr;
      if (!acceptPunct(")"))
        return fail(peek(), "expected ')' after parenthesised term, found " +
                                describe(peek()));
      return Inner;
    }
    if (Tok.K != TokKind::Ident)
      return fail(Tok, "expected a term, found " + describe(Tok));
    if (isKeyword(Tok.Text))
      return fail(Tok, "expected a term, found keyword '" + Tok.Text + "'");
    if (isBuiltinPredicate(Tok.Text))
      return fail(Tok, "'" + Tok.Text + "' is a predicate, not a term");
    if (isTypeName(Tok.Text))
      return fail(Tok, "expected a term, found type name '" + Tok.Text + "'");
    take();
    if (peek().isPunct("(")) {
      auto Call = newTerm(Term::Kind::Call, Tok.Pos);
      Call->Name = Tok.Text;
      if (!parseArguments(Call->Args))
        return nullptr;
      return Call;
    }
    auto Var = newTerm(Term::Kind::Var, Tok.Pos);
    Var->Name = Tok.Text;
    if (acceptPunct("@")) {
      if (!peek().isIdent("pre"))
        return fail(peek(), "expected 'pre' after '@'");
      take();
      Var->AtPre = true;
    }
    return Var;
  }

  /// '(' [argument (',' argument)*] ')' where an argument is a term or a C
  /// type name; a type becomes a Var spelled like the type.
  bool parseArguments(std::vector<TermPtr> &Args) {
    take(); // '('
    if (acceptPunct(")"))
      return true;
    while (true) {
      TermPtr Arg;
      if (startsTypeName(peek())) {
        auto Type = newTerm(Term::Kind::Var, peek().Pos);
        if (!parseTypeName(Type->Name))
          return false;
        Arg = Type;
      } else {
        Arg = parseTerm();
        if (!Arg)
          return false;
      }
      Args.push_back(Arg);
      if (acceptPunct(")"))
        return true;
      if (!acceptPunct(","))
        return fail(peek(), "expected ')' after argument list, found " +
                                describe(peek()));
    }
  }

  /// Specifiers then `*`s, spelled canonically: words separated by one
  /// space, then a space and the stars ("unsigned char *", "struct s **").
  bool parseTypeName(std::string &Spelling) {
    std::string Words;
    auto Append = [&Words](const std::string &Word) {
      Words += (Words.empty() ? "" : " ") + Word;
    };
    while (startsTypeName(peek())) {
      const Token &Word = take();
      Append(Word.Text);
      if (Word.Text == "struct" || Word.Text == "union" ||
          Word.Text == "enum") {
        if (peek().K != TokKind::Ident)
          return fail(peek(), "expected tag name after '" + Word.Text + "'");
        Append(take().Text);
      }
    }
    std::string Stars;
    while (acceptPunct("*"))
      Stars += '*';
    Spelling = Stars.empty() ? Words : Words + " " + Stars;
    return true;
  }
};

} // namespace

bool isBuiltinPredicate(const std::string &Name) {
  return contains(BuiltinPredicates, Name);
}

bool parseAnnotation(const std::string &Text, SourcePos Start, Annotation &Out,
                     ParseError &Err) {
  Parser P(detail::lex(Text, Start));
  Annotation Result;
  if (!P.parse(Result, Err))
    return false;
  Out = std::move(Result);
  return true;
}

} // namespace vep::logic
