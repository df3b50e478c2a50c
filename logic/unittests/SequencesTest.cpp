//===- SequencesTest.cpp - Contents names, quantifier ranges, erasure -----===//

#include "TestHelpers.h"

#include "vep/logic/Sequences.h"

namespace vep::logic::test {
namespace {

TEST(Sequences, ArrayPredicatesNameTheirElements) {
  EXPECT_EQ(arrayPredicateElement("store_uchar_array")->Bytes, 1u);
  EXPECT_FALSE(arrayPredicateElement("chars")->Signed);
  EXPECT_TRUE(arrayPredicateElement("store_char_array")->Signed);
  EXPECT_EQ(arrayPredicateElement("store_uint_array")->Bytes, 4u);
  EXPECT_EQ(arrayPredicateElement("store_ushort_array")->Bytes, 2u);
  EXPECT_TRUE(arrayPredicateElement("store_long_array")->Signed);
  EXPECT_FALSE(arrayPredicateElement("packet"));
  // Each element width and signedness has its predicate, and back.
  for (unsigned Bytes : {1u, 2u, 4u, 8u})
    for (bool Signed : {false, true}) {
      std::optional<std::string> Name =
          arrayPredicateName(ArrayElement{Bytes, Signed});
      ASSERT_TRUE(Name) << Bytes;
      EXPECT_EQ(arrayPredicateElement(*Name)->Bytes, Bytes);
      EXPECT_EQ(arrayPredicateElement(*Name)->Signed, Signed);
    }
  EXPECT_FALSE(arrayPredicateName(ArrayElement{3, false}));
}

TEST(Sequences, ContractLogicalNamesAreWithAndContents) {
  std::optional<Annotation> A =
      parse("With x Require store_uchar_array(s, n, l) && n <= 16 "
            "Ensure store_uchar_array(s, n, l2) && __return <= n");
  ASSERT_TRUE(A);
  std::set<std::string> Names = contractLogicalNames(*A);
  EXPECT_EQ(Names, (std::set<std::string>{"l", "l2", "x"}));
}

TEST(Sequences, QuantifierRangeFromTheGuard) {
  AssertionPtr A =
      parseAssertion("forall (k: Z), 0 <= k && k < i => l[k] != 0");
  ASSERT_TRUE(A);
  std::optional<QuantifierRange> R = quantifierRange(*A, "k");
  ASSERT_TRUE(R);
  EXPECT_EQ(print(*R->Lo), "0");
  EXPECT_EQ(print(*R->Hi), "i");
  EXPECT_FALSE(R->LoStrict);
  EXPECT_TRUE(R->HiStrict);
  // Flipped comparisons and an inclusive upper bound.
  A = parseAssertion("exists j, i >= j && 1 < j && l[j] == 0");
  R = quantifierRange(*A, "j");
  ASSERT_TRUE(R);
  EXPECT_EQ(print(*R->Hi), "i");
  EXPECT_FALSE(R->HiStrict);
  EXPECT_TRUE(R->LoStrict);
}

TEST(Sequences, UnboundedQuantifierHasNoRange) {
  EXPECT_FALSE(quantifierRange(*parseAssertion("forall (k: Z), 0 <= k => "
                                               "l[k] != 0"),
                               "k"));
  EXPECT_FALSE(quantifierRange(
      *parseAssertion("forall (k: Z), 0 <= k && k < k + 1 => l[k] != 0"),
      "k"));
  EXPECT_FALSE(quantifierRange(*parseAssertion("forall (k: Z), l[k] != 0"),
                               "k"));
}

TEST(Sequences, ErasureKeepsOnlyFactsWithoutContents) {
  std::set<std::string> Logical{"l", "x"};
  auto Erased = [&](const std::string &Text) {
    return print(*eraseContentFacts(parseAssertion(Text), Logical));
  };
  EXPECT_EQ(Erased("store_uchar_array(s, n, l) && n <= 16"), "n <= 16");
  EXPECT_EQ(Erased("i <= n && (forall (k: Z), 0 <= k && k < i => l[k] != c)"),
            "i <= n");
  EXPECT_EQ(Erased("__return <= n && (__return < n => l[__return] == c)"),
            "__return <= n");
  EXPECT_EQ(Erased("Zlength(l) == n * x"), "true");
  EXPECT_EQ(Erased("a < b && b < c"), "a < b && b < c");
  // Nested conjunctions: a conjunct left out deep inside.
  EXPECT_EQ(Erased("store_uchar_array(s, n, l) && n <= 64 && x == m && "
                   "m <= 256"),
            "n <= 64 && m <= 256");
  EXPECT_EQ(Erased("a < b || sublist(0, 1, m) == app(m, m)"), "true");
  // Only top-level conjuncts go: a disjunct cannot be dropped alone.
  EXPECT_EQ(Erased("a < b || l[0] == 1"), "true");
  EXPECT_EQ(Erased("packet(p) && p + 1 <= e"), "packet(p) && p + 1 <= e");
  EXPECT_EQ(eraseContentFacts(nullptr, Logical), nullptr);
}

TEST(Sequences, WhereGivesWithVariablesTheirValues) {
  std::optional<Annotation> A = parse("where x = n + 1, m = (unsigned int) y");
  ASSERT_TRUE(A);
  EXPECT_EQ(A->K, Annotation::Kind::Where);
  EXPECT_EQ(A->With, (std::vector<std::string>{"x", "m"}));
  ASSERT_EQ(A->Values.size(), 2u);
  EXPECT_EQ(print(*A), "where x = n + 1, m = (unsigned int)y");
  std::optional<Annotation> Again = parse(print(*A));
  ASSERT_TRUE(Again);
  EXPECT_TRUE(equal(*A, *Again));
  EXPECT_EQ(parseError("where x == 1").Message,
            "expected '=' after 'x' in 'where'");
  EXPECT_EQ(parseError("where x = ").Message, "expected term after '='");
  EXPECT_EQ(parseError("x = 1").Message,
            "'=' is not an operator; write '==' for equality");
}

} // namespace
} // namespace vep::logic::test
