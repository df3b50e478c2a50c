//===- ParserTest.cpp - Trees and positions built by parseAnnotation ------===//

#include "TestHelpers.h"

using namespace vep::logic;
using namespace vep::logic::test;
using AK = Assertion::Kind;
using TK = Term::Kind;

namespace {

void expectPos(SourcePos Actual, unsigned Line, unsigned Col) {
  EXPECT_EQ(Actual.Line, Line);
  EXPECT_EQ(Actual.Col, Col);
}

TEST(ParserTest, ContractWithAllClauses) {
  auto A = parse("With data data_end l\n"
                 "Require store_uchar_array(data, data_end - data, l)\n"
                 "Ensure __return == 1 || __return == 2");
  ASSERT_TRUE(A);
  EXPECT_EQ(A->K, Annotation::Kind::Contract);
  EXPECT_EQ(A->With, (std::vector<std::string>{"data", "data_end", "l"}));
  ASSERT_TRUE(A->Pre);
  EXPECT_EQ(A->Pre->K, AK::Pred);
  EXPECT_EQ(A->Pre->Name, "store_uchar_array");
  ASSERT_EQ(A->Pre->Terms.size(), 3u);
  EXPECT_EQ(A->Pre->Terms[1]->K, TK::Binary);
  EXPECT_EQ(A->Pre->Terms[1]->Op, "-");
  ASSERT_TRUE(A->Post);
  EXPECT_EQ(A->Post->K, AK::Or);
  EXPECT_EQ(A->Post->Subs[0]->K, AK::Cmp);
  EXPECT_EQ(A->Post->Subs[0]->Terms[0]->Name, "__return");
  EXPECT_EQ(A->Post->Subs[1]->Terms[1]->Value, 2);
  EXPECT_FALSE(A->Variant);
}

TEST(ParserTest, ContractClausesAreOptional) {
  auto RequireOnly = parse("Require emp");
  ASSERT_TRUE(RequireOnly);
  EXPECT_EQ(RequireOnly->K, Annotation::Kind::Contract);
  EXPECT_TRUE(RequireOnly->With.empty());
  ASSERT_TRUE(RequireOnly->Pre);
  EXPECT_EQ(RequireOnly->Pre->K, AK::Emp);
  EXPECT_FALSE(RequireOnly->Post);

  auto EnsureOnly = parse("Ensure TT");
  ASSERT_TRUE(EnsureOnly);
  EXPECT_EQ(EnsureOnly->K, Annotation::Kind::Contract);
  EXPECT_FALSE(EnsureOnly->Pre);
  ASSERT_TRUE(EnsureOnly->Post);
  EXPECT_EQ(EnsureOnly->Post->K, AK::TT);
}

TEST(ParserTest, InvariantWithVariant) {
  auto A = parse("Inv 0 <= i && i <= n Variant n - i");
  ASSERT_TRUE(A);
  EXPECT_EQ(A->K, Annotation::Kind::Inv);
  ASSERT_TRUE(A->Pre);
  EXPECT_EQ(A->Pre->K, AK::And);
  ASSERT_TRUE(A->Variant);
  EXPECT_EQ(A->Variant->K, TK::Binary);
  EXPECT_EQ(A->Variant->Op, "-");
  EXPECT_EQ(A->Variant->Args[0]->Name, "n");
  EXPECT_FALSE(A->Post);
}

TEST(ParserTest, AssertKeywordAndBareAssertionAgree) {
  auto Keyword = parse("Assert x > 0");
  auto Bare = parse("x > 0");
  ASSERT_TRUE(Keyword && Bare);
  EXPECT_EQ(Keyword->K, Annotation::Kind::Assert);
  EXPECT_EQ(Bare->K, Annotation::Kind::Assert);
  EXPECT_TRUE(equal(*Keyword, *Bare));
}

TEST(ParserTest, UnfoldAndFoldStatements) {
  auto U = parse("unfold lseg(p, q, n - 1)");
  ASSERT_TRUE(U);
  EXPECT_EQ(U->K, Annotation::Kind::Unfold);
  ASSERT_TRUE(U->Pre);
  EXPECT_EQ(U->Pre->K, AK::Pred);
  EXPECT_EQ(U->Pre->Name, "lseg");
  EXPECT_EQ(print(*U), "unfold lseg(p, q, n - 1)");
  auto F = parse("fold twice(x, k)");
  ASSERT_TRUE(F);
  EXPECT_EQ(F->K, Annotation::Kind::Fold);
  EXPECT_EQ(print(*F), "fold twice(x, k)");
  // Not reserved: a variable may be named fold.
  auto V = parse("fold < unfold");
  ASSERT_TRUE(V);
  EXPECT_EQ(V->K, Annotation::Kind::Assert);
}

TEST(ParserTest, PositionsFollowLinesAndColumns) {
  auto A = parse("Require x > 0\n  Ensure  __return == x@pre + 1", {10, 5});
  ASSERT_TRUE(A);
  expectPos(A->Pos, 10, 5);
  expectPos(A->Pre->Pos, 10, 13);
  expectPos(A->Pre->Terms[1]->Pos, 10, 17);
  const Assertion &Post = *A->Post;
  expectPos(Post.Pos, 11, 11);
  expectPos(Post.Terms[0]->Pos, 11, 11);
  const Term &Sum = *Post.Terms[1];
  expectPos(Sum.Pos, 11, 23);
  expectPos(Sum.Args[0]->Pos, 11, 23);
  expectPos(Sum.Args[1]->Pos, 11, 31);
}

TEST(ParserTest, NodeStartsAtItsOpeningParenthesis) {
  TermPtr T = parseLeftTerm("(a + b) * c == d");
  ASSERT_TRUE(T);
  EXPECT_EQ(T->Op, "*");
  expectPos(T->Pos, 1, 1);
  expectPos(T->Args[0]->Pos, 1, 2);
  expectPos(T->Args[1]->Pos, 1, 11);

  AssertionPtr A = parseAssertion("(x == 1) && y == 2");
  ASSERT_TRUE(A);
  EXPECT_EQ(A->K, AK::And);
  expectPos(A->Pos, 1, 1);
  expectPos(A->Subs[0]->Pos, 1, 2);
}

TEST(ParserTest, ChainedComparisonSharesTheMiddleTerm) {
  AssertionPtr A = parseAssertion("0 <= i < n");
  ASSERT_TRUE(A);
  ASSERT_EQ(A->K, AK::And);
  const Assertion &Low = *A->Subs[0], &High = *A->Subs[1];
  EXPECT_EQ(Low.Op, "<=");
  EXPECT_EQ(Low.Terms[0]->Value, 0);
  EXPECT_EQ(High.Op, "<");
  EXPECT_EQ(High.Terms[1]->Name, "n");
  EXPECT_EQ(Low.Terms[1], High.Terms[0]);
  expectPos(A->Pos, 1, 1);
  expectPos(High.Pos, 1, 6);
}

TEST(ParserTest, LongChainNestsToTheLeft) {
  AssertionPtr A = parseAssertion("a < b < c < d");
  ASSERT_TRUE(A);
  ASSERT_EQ(A->K, AK::And);
  EXPECT_EQ(A->Subs[0]->K, AK::And);
  EXPECT_EQ(A->Subs[1]->K, AK::Cmp);
  EXPECT_EQ(A->Subs[1]->Terms[0]->Name, "c");
}

TEST(ParserTest, ConnectivePrecedence) {
  AssertionPtr A = parseAssertion("a == 1 || b == 2 && P(x) * Q(y) => emp");
  ASSERT_TRUE(A);
  ASSERT_EQ(A->K, AK::Implies);
  EXPECT_EQ(A->Subs[1]->K, AK::Emp);
  const Assertion &Or = *A->Subs[0];
  ASSERT_EQ(Or.K, AK::Or);
  const Assertion &And = *Or.Subs[1];
  ASSERT_EQ(And.K, AK::And);
  EXPECT_EQ(And.Subs[1]->K, AK::Sep);
  EXPECT_EQ(And.Subs[1]->Subs[0]->Name, "P");
}

TEST(ParserTest, ImplicationIsRightAssociative) {
  AssertionPtr A = parseAssertion("true => false => emp");
  ASSERT_TRUE(A);
  ASSERT_EQ(A->K, AK::Implies);
  EXPECT_EQ(A->Subs[0]->K, AK::True);
  ASSERT_EQ(A->Subs[1]->K, AK::Implies);
  EXPECT_EQ(A->Subs[1]->Subs[0]->K, AK::False);
}

TEST(ParserTest, NegationBindsToTheNextAtom) {
  AssertionPtr A = parseAssertion("!x == 1 * emp");
  ASSERT_TRUE(A);
  ASSERT_EQ(A->K, AK::Sep);
  ASSERT_EQ(A->Subs[0]->K, AK::Not);
  EXPECT_EQ(A->Subs[0]->Subs[0]->K, AK::Cmp);
}

TEST(ParserTest, QuantifierBodiesExtendToTheRight) {
  AssertionPtr A = parseAssertion("forall (i j: Z), 0 <= i && i < n => "
                                  "l[i] != 0");
  ASSERT_TRUE(A);
  ASSERT_EQ(A->K, AK::Forall);
  EXPECT_EQ(A->Binders, (std::vector<std::string>{"i", "j"}));
  EXPECT_EQ(A->BinderType, "Z");
  ASSERT_EQ(A->Subs[0]->K, AK::Implies);
  const Assertion &Conclusion = *A->Subs[0]->Subs[1];
  EXPECT_EQ(Conclusion.Op, "!=");
  EXPECT_EQ(Conclusion.Terms[0]->K, TK::Index);

  AssertionPtr E = parseAssertion("emp * exists x y, x < y * TT");
  ASSERT_TRUE(E);
  ASSERT_EQ(E->K, AK::Sep);
  ASSERT_EQ(E->Subs[1]->K, AK::Exists);
  EXPECT_EQ(E->Subs[1]->Binders, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(E->Subs[1]->Subs[0]->K, AK::Sep);
}

// The rules of docs/annotation-language.md, "Reading `*` and `(`".
TEST(ParserTest, StarBetweenTermsIsMultiplication) {
  AssertionPtr A = parseAssertion("x == a * b");
  ASSERT_TRUE(A);
  ASSERT_EQ(A->K, AK::Cmp);
  EXPECT_EQ(A->Terms[1]->Op, "*");
}

TEST(ParserTest, StarBeforeAnAssertionIsSeparatingConjunction) {
  for (const char *Text :
       {"x == 1 * TT", "x == 1 * !emp", "x == 1 * data_at(p, int, v)",
        "x == 1 * (y == 2)", "x == 1 * exists v, v == x"}) {
    AssertionPtr A = parseAssertion(Text);
    ASSERT_TRUE(A) << Text;
    ASSERT_EQ(A->K, AK::Sep) << Text;
    EXPECT_EQ(A->Subs[0]->K, AK::Cmp) << Text;
    EXPECT_EQ(A->Subs[0]->Terms[1]->K, TK::IntLit) << Text;
  }
}

TEST(ParserTest, StarAfterAPredicateIsSeparatingConjunction) {
  AssertionPtr A = parseAssertion("P(x) * Q(y) * f(z) * 2 == w");
  ASSERT_TRUE(A);
  ASSERT_EQ(A->K, AK::Sep);
  EXPECT_EQ(A->Subs[1]->K, AK::Cmp);
  ASSERT_EQ(A->Subs[0]->K, AK::Sep);
  EXPECT_EQ(A->Subs[0]->Subs[1]->K, AK::Pred);
  EXPECT_EQ(A->Subs[0]->Subs[1]->Name, "f");
}

TEST(ParserTest, CallFollowedByTermOperatorIsATerm) {
  for (const char *Text : {"f(x) + 1 == y", "f(x)[0] == y", "f(x)->a == y",
                           "f(x) == y", "(f(x) * 2) == y"}) {
    AssertionPtr A = parseAssertion(Text);
    ASSERT_TRUE(A) << Text;
    EXPECT_EQ(A->K, AK::Cmp) << Text;
  }
}

TEST(ParserTest, ParenthesisedGroupOfPredicatesIsAnAssertion) {
  AssertionPtr A = parseAssertion("!(P(x) * Q(y))");
  ASSERT_TRUE(A);
  ASSERT_EQ(A->K, AK::Not);
  EXPECT_EQ(A->Subs[0]->K, AK::Sep);
}

TEST(ParserTest, TermOperatorsFollowCPrecedence) {
  TermPtr T = parseLeftTerm("a | b ^ c & d << 1 + e * f == 0");
  ASSERT_TRUE(T);
  EXPECT_EQ(T->Op, "|");
  const Term &Xor = *T->Args[1];
  EXPECT_EQ(Xor.Op, "^");
  const Term &BitAnd = *Xor.Args[1];
  EXPECT_EQ(BitAnd.Op, "&");
  const Term &Shift = *BitAnd.Args[1];
  EXPECT_EQ(Shift.Op, "<<");
  const Term &Sum = *Shift.Args[1];
  EXPECT_EQ(Sum.Op, "+");
  EXPECT_EQ(Sum.Args[1]->Op, "*");

  TermPtr L = parseLeftTerm("a - b - c == 0");
  ASSERT_TRUE(L);
  EXPECT_EQ(L->Args[0]->Op, "-");
  EXPECT_EQ(L->Args[1]->Name, "c");
}

TEST(ParserTest, PrefixAndPostfixTerms) {
  TermPtr T = parseLeftTerm("-*p->next[i].val == 0");
  ASSERT_TRUE(T);
  ASSERT_EQ(T->K, TK::Unary);
  EXPECT_EQ(T->Op, "-");
  const Term &Deref = *T->Args[0];
  ASSERT_EQ(Deref.K, TK::Unary);
  EXPECT_EQ(Deref.Op, "*");
  const Term &Val = *Deref.Args[0];
  ASSERT_EQ(Val.K, TK::Member);
  EXPECT_EQ(Val.Name, "val");
  EXPECT_FALSE(Val.Arrow);
  const Term &Elem = *Val.Args[0];
  ASSERT_EQ(Elem.K, TK::Index);
  const Term &Next = *Elem.Args[0];
  ASSERT_EQ(Next.K, TK::Member);
  EXPECT_TRUE(Next.Arrow);
  EXPECT_EQ(Next.Args[0]->Name, "p");

  TermPtr Addr = parseLeftTerm("~&x == 0");
  ASSERT_TRUE(Addr);
  EXPECT_EQ(Addr->Op, "~");
  EXPECT_EQ(Addr->Args[0]->Op, "&");
}

TEST(ParserTest, MinusBeforeALiteralIsANegativeLiteral) {
  TermPtr T = parseLeftTerm("-5 == 0");
  ASSERT_TRUE(T);
  EXPECT_EQ(T->K, TK::IntLit);
  EXPECT_EQ(T->Value, -5);
  expectPos(T->Pos, 1, 1);

  TermPtr Paren = parseLeftTerm("-(5) == 0");
  ASSERT_TRUE(Paren);
  EXPECT_EQ(Paren->K, TK::Unary);

  TermPtr Indexed = parseLeftTerm("-5[i] == 0");
  ASSERT_TRUE(Indexed);
  EXPECT_EQ(Indexed->K, TK::Unary);
  EXPECT_EQ(Indexed->Args[0]->K, TK::Index);
}

TEST(ParserTest, IntegerLiterals) {
  struct Case {
    const char *Text;
    __int128 Value;
  } Cases[] = {{"0 == 0", 0},
               {"42 == 0", 42},
               {"0x1F == 0", 31},
               {"0XffU == 0", 255},
               {"10UL == 0", 10},
               {"7llu == 0", 7},
               {"18446744073709551615 == 0", 18446744073709551615ull},
               {"-18446744073709551615 == 0",
                -static_cast<__int128>(18446744073709551615ull)},
               {"0xFFFFFFFFFFFFFFFF == 0", 18446744073709551615ull}};
  for (const Case &C : Cases) {
    TermPtr T = parseLeftTerm(C.Text);
    ASSERT_TRUE(T) << C.Text;
    EXPECT_EQ(T->K, TK::IntLit) << C.Text;
    EXPECT_TRUE(T->Value == C.Value) << C.Text;
  }
}

TEST(ParserTest, VariablesAtPreAndReturn) {
  AssertionPtr A = parseAssertion("__return == x@pre + x");
  ASSERT_TRUE(A);
  EXPECT_EQ(A->Terms[0]->K, TK::Var);
  EXPECT_EQ(A->Terms[0]->Name, "__return");
  EXPECT_FALSE(A->Terms[0]->AtPre);
  const Term &Sum = *A->Terms[1];
  EXPECT_EQ(Sum.Args[0]->Name, "x");
  EXPECT_TRUE(Sum.Args[0]->AtPre);
  EXPECT_FALSE(Sum.Args[1]->AtPre);
}

TEST(ParserTest, CastsSpellTheirTypeCanonically) {
  TermPtr T = parseLeftTerm("(unsigned   char*)data + 14 == 0");
  ASSERT_TRUE(T);
  ASSERT_EQ(T->Op, "+");
  const Term &Cast = *T->Args[0];
  ASSERT_EQ(Cast.K, TK::Cast);
  EXPECT_EQ(Cast.Name, "unsigned char *");
  EXPECT_EQ(Cast.Args[0]->Name, "data");

  for (auto [Text, Spelling] :
       {std::pair{"(struct ethhdr *)p == 0", "struct ethhdr *"},
        std::pair{"(__u32)x == 0", "__u32"}, std::pair{"(int)x == 0", "int"},
        std::pair{"(uint8_t **)x == 0", "uint8_t **"},
        std::pair{"(const struct iphdr*)x == 0", "const struct iphdr *"}}) {
    TermPtr C = parseLeftTerm(Text);
    ASSERT_TRUE(C) << Text;
    ASSERT_EQ(C->K, TK::Cast) << Text;
    EXPECT_EQ(C->Name, Spelling);
  }
}

TEST(ParserTest, TypeArgumentsAreVariablesSpelledLikeTheType) {
  AssertionPtr A = parseAssertion("data_at(p, struct iphdr, v) * "
                                  "undef_data_at(q, unsigned int *)");
  ASSERT_TRUE(A);
  ASSERT_EQ(A->K, AK::Sep);
  const Assertion &DataAt = *A->Subs[0];
  EXPECT_EQ(DataAt.Name, "data_at");
  ASSERT_EQ(DataAt.Terms.size(), 3u);
  EXPECT_EQ(DataAt.Terms[1]->K, TK::Var);
  EXPECT_EQ(DataAt.Terms[1]->Name, "struct iphdr");
  expectPos(DataAt.Terms[1]->Pos, 1, 12);
  const Assertion &Undef = *A->Subs[1];
  EXPECT_EQ(Undef.Name, "undef_data_at");
  EXPECT_EQ(Undef.Terms[1]->Name, "unsigned int *");
}

TEST(ParserTest, ListFunctionsAreCalls) {
  AssertionPtr A =
      parseAssertion("l2 == app(sublist(0, i, l), replace_Znth(i, v, l)) && "
                     "Zlength(l2) == n");
  ASSERT_TRUE(A);
  ASSERT_EQ(A->K, AK::And);
  const Term &App = *A->Subs[0]->Terms[1];
  ASSERT_EQ(App.K, TK::Call);
  EXPECT_EQ(App.Name, "app");
  ASSERT_EQ(App.Args.size(), 2u);
  EXPECT_EQ(App.Args[0]->Name, "sublist");
  EXPECT_EQ(App.Args[0]->Args.size(), 3u);
  EXPECT_EQ(App.Args[1]->Name, "replace_Znth");
  EXPECT_EQ(A->Subs[1]->Terms[0]->K, TK::Call);
  EXPECT_EQ(A->Subs[1]->Terms[0]->Name, "Zlength");
}

TEST(ParserTest, CommentsAndNewlinesAreSkipped) {
  auto A = parse("Require x > 0 // x is positive\n"
                 "  // a whole comment line\n"
                 "  Ensure __return == x");
  ASSERT_TRUE(A);
  ASSERT_TRUE(A->Post);
  expectPos(A->Post->Pos, 3, 10);
}

TEST(ParserTest, BuiltinPredicatesAreKnown) {
  for (const char *Name :
       {"data_at", "undef_data_at", "store_char_array", "store_uchar_array",
        "chars", "store_short_array", "store_ushort_array", "store_int_array",
        "store_uint_array", "store_long_array", "store_ulong_array", "packet",
        "packet_end"})
    EXPECT_TRUE(isBuiltinPredicate(Name)) << Name;
  EXPECT_FALSE(isBuiltinPredicate("sublist"));
  EXPECT_FALSE(isBuiltinPredicate("Data_at"));
}

TEST(ParserTest, FailedParseLeavesOutputUntouched) {
  Annotation A;
  A.K = Annotation::Kind::Inv;
  ParseError Err;
  EXPECT_FALSE(parseAnnotation("Require", {1, 1}, A, Err));
  EXPECT_EQ(A.K, Annotation::Kind::Inv);
  EXPECT_FALSE(A.Pre);
}

} // namespace
