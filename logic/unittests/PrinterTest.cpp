//===- PrinterTest.cpp - Canonical printing and round trips ---------------===//

#include "TestHelpers.h"

using namespace vep::logic;
using namespace vep::logic::test;
using AK = Assertion::Kind;
using TK = Term::Kind;

namespace {

struct RoundTripCase {
  const char *Input;
  const char *Canonical;
};

std::ostream &operator<<(std::ostream &OS, const RoundTripCase &C) {
  return OS << C.Input;
}

class RoundTripTest : public ::testing::TestWithParam<RoundTripCase> {};

// Printing gives the canonical text, which parses back to an equal tree and
// prints to itself.
TEST_P(RoundTripTest, PrintsCanonicallyAndParsesBack) {
  const RoundTripCase &C = GetParam();
  auto Parsed = parse(C.Input);
  ASSERT_TRUE(Parsed);
  std::string Printed = print(*Parsed);
  EXPECT_EQ(Printed, C.Canonical);
  auto Reparsed = parse(Printed);
  ASSERT_TRUE(Reparsed);
  EXPECT_TRUE(equal(*Parsed, *Reparsed)) << Printed;
  EXPECT_EQ(print(*Reparsed), Printed);
}

const RoundTripCase RoundTripCases[] = {
    // Contracts.
    {"With data data_end l\n"
     "Require store_uchar_array(data, data_end - data, l)\n"
     "Ensure __return == 1 || __return == 2",
     "With data data_end l Require store_uchar_array(data, data_end - data, "
     "l) Ensure __return == 1 || __return == 2"},
    {"Require x > 0 // positive\n  Ensure __return == x",
     "Require x > 0 Ensure __return == x"},
    {"Require emp Ensure emp", "Require emp Ensure emp"},
    {"Ensure exists v, data_at(p, unsigned int, v) * (v == 0) * TT",
     "Ensure exists v, data_at(p, unsigned int, v) * (v == 0) * TT"},
    {"With l Require store_char_array(p, n, l) * store_int_array(q, m, l2) "
     "* store_uint_array(r, k, l3) * undef_data_at(s, struct ethhdr) * "
     "chars(t, 4, l4)",
     "With l Require store_char_array(p, n, l) * store_int_array(q, m, l2) "
     "* store_uint_array(r, k, l3) * undef_data_at(s, struct ethhdr) * "
     "chars(t, 4, l4)"},
    {"Ensure XDP_ABORTED <= __return && __return <= XDP_PASS",
     "Ensure XDP_ABORTED <= __return && __return <= XDP_PASS"},
    {"Ensure __return == XDP_PASS || __return == XDP_DROP",
     "Ensure __return == XDP_PASS || __return == XDP_DROP"},
    // Invariants and assertions.
    {"Assert 20 <= hdr_len + 20 && hdr_len <= 60",
     "Assert 20 <= hdr_len + 20 && hdr_len <= 60"},
    {"Inv 0 <= i && i <= n Variant n - i",
     "Inv 0 <= i && i <= n Variant n - i"},
    {"Inv 0 <= i < n", "Inv 0 <= i && i < n"},
    {"Assert x > 0", "Assert x > 0"},
    {"0 <= i < n", "Assert 0 <= i && i < n"},
    // Quantifiers.
    {"forall (i: Z), 0 <= i && i < n => l[i] != 0",
     "Assert forall (i: Z), 0 <= i && i < n => l[i] != 0"},
    {"forall (i j : Z), i < j", "Assert forall (i j: Z), i < j"},
    {"exists x y, x < y && data_at(p, int, x) * TT",
     "Assert exists x y, x < y && data_at(p, int, x) * TT"},
    {"exists x, x == 1 && emp || TT", "Assert exists x, x == 1 && emp || TT"},
    {"emp * (exists x, x == 1) * TT", "Assert emp * (exists x, x == 1) * TT"},
    {"(exists x, x == 1) => (forall (i: Z), i == i)",
     "Assert (exists x, x == 1) => (forall (i: Z), i == i)"},
    // Sequence functions.
    {"l2 == app(sublist(0, i, l), sublist(i + 1, Zlength(l), l))",
     "Assert l2 == app(sublist(0, i, l), sublist(i + 1, Zlength(l), l))"},
    {"Zlength(l) == n", "Assert Zlength(l) == n"},
    {"replace_Znth(i, v, l) == l2", "Assert replace_Znth(i, v, l) == l2"},
    // Spatial predicates and `*`.
    {"data_at(p, struct iphdr, v) * TT",
     "Assert data_at(p, struct iphdr, v) * TT"},
    {"x == 1 * TT", "Assert (x == 1) * TT"},
    {"(x == 1) * (y == 2)", "Assert (x == 1) * (y == 2)"},
    {"P(x) * Q(y, z)", "Assert P(x) * Q(y, z)"},
    {"f(x) * 2 == y", "Assert f(x) * (2 == y)"},
    {"(f(x) * 2) == y", "Assert (f(x) * 2) == y"},
    {"(f(x) * 2 + 1) == y", "Assert (f(x) * 2 + 1) == y"},
    {"f(x)[0] == g()", "Assert f(x)[0] == g()"},
    {"x == y * (P(z) * TT)", "Assert (x == y) * (P(z) * TT)"},
    {"P(x) * (Q(y) * R(z))", "Assert P(x) * (Q(y) * R(z))"},
    {"!(P(x) * Q(y))", "Assert !(P(x) * Q(y))"},
    // Connectives.
    {"!(x == 1) || !emp", "Assert !(x == 1) || !emp"},
    {"!x == 1", "Assert !(x == 1)"},
    {"!!emp", "Assert !!emp"},
    {"a == 1 => b == 2 => c == 3", "Assert a == 1 => b == 2 => c == 3"},
    {"(a == 1 => b == 2) => c == 3", "Assert (a == 1 => b == 2) => c == 3"},
    {"true && false || TT", "Assert true && false || TT"},
    {"true && (false || TT)", "Assert true && (false || TT)"},
    {"(emp && TT) * emp", "Assert (emp && TT) * emp"},
    {"((((x == 1))))", "Assert x == 1"},
    // Terms.
    {"x == x@pre + 1", "Assert x == x@pre + 1"},
    {"(unsigned char *)data + 14 <= (unsigned char*)data_end",
     "Assert (unsigned char *)data + 14 <= (unsigned char *)data_end"},
    {"(struct ethhdr*)data->h_proto == ((struct ethhdr *)data)->h_proto",
     "Assert (struct ethhdr *)data->h_proto == ((struct ethhdr *)data)->"
     "h_proto"},
    {"p->next->val == q.f[2]", "Assert p->next->val == q.f[2]"},
    {"a + b * c == (a + b) * c", "Assert a + b * c == (a + b) * c"},
    {"a & b | c ^ d << 1 == ~e % 3", "Assert a & b | c ^ d << 1 == ~e % 3"},
    {"(a | b) & c == a - (b - c)", "Assert (a | b) & c == a - (b - c)"},
    {"-5 == - x", "Assert -5 == -x"},
    {"-(5) == x", "Assert -(5) == x"},
    {"- -x == - -5", "Assert -(-x) == -(-5)"},
    {"x - -5 == 0", "Assert x - -5 == 0"},
    {"(-5)[i] == -5[i]", "Assert (-5)[i] == -5[i]"},
    {"(int)-5 == (int)x", "Assert (int)-5 == (int)x"},
    {"__return == (__u32)x >> 2", "Assert __return == (__u32)x >> 2"},
    {"*p == &x", "Assert *p == &x"},
    {"data + sizeof(struct ethhdr) <= data_end",
     "Assert data + sizeof(struct ethhdr) <= data_end"},
    {"*(p + 1) == **q", "Assert *(p + 1) == **q"},
    {"0x10 == 16u", "Assert 16 == 16"},
    {"18446744073709551615 == -18446744073709551615",
     "Assert 18446744073709551615 == -18446744073709551615"},
};

INSTANTIATE_TEST_SUITE_P(Annotations, RoundTripTest,
                         ::testing::ValuesIn(RoundTripCases));

//===----------------------------------------------------------------------===//
// Trees the parser never builds still print to text that parses back.
//===----------------------------------------------------------------------===//

TermPtr var(const std::string &Name) {
  auto T = std::make_shared<Term>();
  T->K = TK::Var;
  T->Name = Name;
  return T;
}

TermPtr lit(__int128 Value) {
  auto T = std::make_shared<Term>();
  T->K = TK::IntLit;
  T->Value = Value;
  return T;
}

TermPtr unary(const std::string &Op, TermPtr Operand) {
  auto T = std::make_shared<Term>();
  T->K = TK::Unary;
  T->Op = Op;
  T->Args = {std::move(Operand)};
  return T;
}

TermPtr binary(const std::string &Op, TermPtr L, TermPtr R) {
  auto T = std::make_shared<Term>();
  T->K = TK::Binary;
  T->Op = Op;
  T->Args = {std::move(L), std::move(R)};
  return T;
}

TermPtr call(const std::string &Name, std::vector<TermPtr> Args) {
  auto T = std::make_shared<Term>();
  T->K = TK::Call;
  T->Name = Name;
  T->Args = std::move(Args);
  return T;
}

AssertionPtr cmp(TermPtr L, const std::string &Op, TermPtr R) {
  auto A = std::make_shared<Assertion>();
  A->K = AK::Cmp;
  A->Op = Op;
  A->Terms = {std::move(L), std::move(R)};
  return A;
}

AssertionPtr leaf(AK K) {
  auto A = std::make_shared<Assertion>();
  A->K = K;
  return A;
}

AssertionPtr node(AK K, std::vector<AssertionPtr> Subs) {
  auto A = std::make_shared<Assertion>();
  A->K = K;
  A->Subs = std::move(Subs);
  return A;
}

AssertionPtr exists(const std::string &Binder, AssertionPtr Body) {
  auto A = std::make_shared<Assertion>();
  A->K = AK::Exists;
  A->Binders = {Binder};
  A->Subs = {std::move(Body)};
  return A;
}

void expectPrintsAndParsesBack(const AssertionPtr &A, const char *Expected) {
  std::string Printed = print(*A);
  EXPECT_EQ(Printed, Expected);
  AssertionPtr Reparsed = parseAssertion(Printed);
  ASSERT_TRUE(Reparsed);
  EXPECT_TRUE(equal(*A, *Reparsed)) << Printed;
}

TEST(PrinterTest, ConstructedTerms) {
  expectPrintsAndParsesBack(cmp(unary("-", lit(5)), "==", lit(-5)),
                            "-(5) == -5");
  expectPrintsAndParsesBack(
      cmp(unary("-", lit(-5)), "==", unary("&", unary("&", var("x")))),
      "-(-5) == &(&x)");
  expectPrintsAndParsesBack(
      cmp(binary("-", var("a"), binary("+", var("b"), var("c"))),
          "==", binary("<<", binary("<<", var("a"), lit(1)), lit(2))),
      "a - (b + c) == a << 1 << 2");
  expectPrintsAndParsesBack(
      cmp(binary("+", binary("*", call("f", {var("x")}), lit(2)), lit(1)),
          "==", var("y")),
      "(f(x) * 2 + 1) == y");
  expectPrintsAndParsesBack(
      cmp(binary("*", binary("+", call("f", {}), lit(1)), lit(2)),
          "==", var("y")),
      "(f() + 1) * 2 == y");
}

TEST(PrinterTest, ConstructedAssertions) {
  AssertionPtr XIsOne = cmp(var("x"), "==", lit(1));
  expectPrintsAndParsesBack(
      node(AK::Sep, {node(AK::Sep, {leaf(AK::Emp), XIsOne}), leaf(AK::TT)}),
      "emp * (x == 1) * TT");
  expectPrintsAndParsesBack(
      node(AK::Sep, {leaf(AK::Emp), node(AK::Sep, {XIsOne, leaf(AK::TT)})}),
      "emp * ((x == 1) * TT)");
  expectPrintsAndParsesBack(
      node(AK::Implies, {exists("v", XIsOne), exists("w", XIsOne)}),
      "(exists v, x == 1) => (exists w, x == 1)");
  expectPrintsAndParsesBack(
      node(AK::Not, {node(AK::And, {XIsOne, leaf(AK::True)})}),
      "!(x == 1 && true)");
  expectPrintsAndParsesBack(
      node(AK::Or, {node(AK::Implies, {leaf(AK::True), leaf(AK::False)}),
                    node(AK::Or, {leaf(AK::Emp), leaf(AK::TT)})}),
      "(true => false) || (emp || TT)");
}

TEST(PrinterTest, AnnotationKinds) {
  Annotation Contract;
  Contract.K = Annotation::Kind::Contract;
  Contract.With = {"a", "b"};
  Contract.Post = leaf(AK::Emp);
  EXPECT_EQ(print(Contract), "With a b Ensure emp");

  Annotation Inv;
  Inv.K = Annotation::Kind::Inv;
  Inv.Pre = leaf(AK::TT);
  EXPECT_EQ(print(Inv), "Inv TT");
  Inv.Variant = binary("-", var("n"), var("i"));
  EXPECT_EQ(print(Inv), "Inv TT Variant n - i");
}

TEST(EqualTest, IgnoresPositionsOnly) {
  auto A = parse("Require x > 0 Ensure __return == x@pre", {1, 1});
  auto B = parse("Require\n  x >  0\nEnsure __return==x@pre", {7, 3});
  auto C = parse("Require x > 0 Ensure __return == x", {1, 1});
  ASSERT_TRUE(A && B && C);
  EXPECT_TRUE(equal(*A, *B));
  EXPECT_FALSE(equal(*A, *C));

  auto D = parse("Require x > 0", {1, 1});
  ASSERT_TRUE(D);
  EXPECT_FALSE(equal(*A, *D)); // a missing Ensure is no Ensure
}

TEST(EqualTest, DistinguishesEveryField) {
  const char *Texts[] = {"x == 1",
                         "x == 2",
                         "x != 1",
                         "y == 1",
                         "x@pre == 1",
                         "p->f == 1",
                         "p.f == 1",
                         "p->g == 1",
                         "-x == 1",
                         "~x == 1",
                         "(int)x == 1",
                         "(long)x == 1",
                         "x + y == 1",
                         "x - y == 1",
                         "f(x) == 1",
                         "g(x) == 1",
                         "f(x, y) == 1",
                         "l[0] == 1",
                         "P(x)",
                         "Q(x)",
                         "emp",
                         "TT",
                         "true",
                         "false",
                         "!emp",
                         "emp && emp",
                         "emp || emp",
                         "emp => emp",
                         "emp * emp",
                         "exists x, emp",
                         "exists y, emp",
                         "exists x y, emp",
                         "forall (x: Z), emp",
                         "forall (x: nat), emp"};
  std::vector<AssertionPtr> Parsed;
  for (const char *Text : Texts) {
    Parsed.push_back(parseAssertion(Text));
    ASSERT_TRUE(Parsed.back()) << Text;
  }
  for (size_t I = 0; I < Parsed.size(); ++I)
    for (size_t J = 0; J < Parsed.size(); ++J)
      EXPECT_EQ(equal(*Parsed[I], *Parsed[J]), I == J)
          << Texts[I] << " vs " << Texts[J];
}

} // namespace
