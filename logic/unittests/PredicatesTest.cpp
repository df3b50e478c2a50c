//===- PredicatesTest.cpp - Let definitions, the rule, unfolding ----------===//

#include "TestHelpers.h"

#include "vep/logic/Predicates.h"
#include "vep/logic/Sequences.h"

namespace vep::logic::test {
namespace {

const char *ListSeg =
    "Let seg(next, h, j, n) Variant n = "
    "n == 0 && h == j || "
    "0 < n && exists p, 0 <= p && p < 8 && seg(next, h, p, n - 1) && "
    "next[p] == j";

TEST(Predicates, LetParsesAndPrintsBack) {
  std::optional<Annotation> A = parse(ListSeg);
  ASSERT_TRUE(A);
  EXPECT_EQ(A->K, Annotation::Kind::Let);
  EXPECT_EQ(A->Name, "seg");
  EXPECT_EQ(A->With, (std::vector<std::string>{"next", "h", "j", "n"}));
  ASSERT_TRUE(A->Variant);
  EXPECT_EQ(print(*A->Variant), "n");
  std::optional<Annotation> Again = parse(print(*A));
  ASSERT_TRUE(Again);
  EXPECT_TRUE(equal(*A, *Again)) << print(*A);

  std::optional<Annotation> Plain = parse("Let small(x) = 0 <= x && x < 8");
  ASSERT_TRUE(Plain);
  EXPECT_FALSE(Plain->Variant);
  EXPECT_EQ(print(*Plain), "Let small(x) = 0 <= x && x < 8");
  EXPECT_FALSE(equal(*Plain, *parse("Let tiny(x) = 0 <= x && x < 8")));
}

TEST(Predicates, LetSyntaxErrors) {
  EXPECT_EQ(parseError("Let (x) = true").Message,
            "expected predicate name after 'Let'");
  EXPECT_EQ(parseError("Let p(x) true").Message,
            "expected '=' before the predicate's body");
  EXPECT_EQ(parseError("Let p(x, ) = true").Message, "expected parameter name");
  EXPECT_EQ(parseError("Let p(x) =").Message, "expected assertion after '='");
}

ParseError definitionError(const std::string &Text,
                           const PredicateTable &Earlier = {}) {
  std::optional<Annotation> A = parse(Text);
  ParseError Err;
  if (A && checkPredicateDefinition(*A, Earlier, Err))
    ADD_FAILURE() << "'" << Text << "' passes the definition rule";
  return Err;
}

TEST(Predicates, TheRecursionRule) {
  std::optional<Annotation> A = parse(ListSeg);
  ParseError Err;
  EXPECT_TRUE(checkPredicateDefinition(*A, {}, Err)) << Err.Message;
  // No measure, a measure that does not decrease by one, a measure that is
  // no parameter.
  EXPECT_EQ(definitionError("Let loop(x) = loop(x)").Message,
            "recursive predicate 'loop' needs a measure: 'Let loop(...) "
            "Variant n = ...', n a parameter");
  EXPECT_EQ(definitionError("Let loop(x, n) Variant n = loop(x, n)").Message,
            "a recursive use of 'loop' must pass 'n - 1' for the measure 'n'");
  EXPECT_EQ(
      definitionError("Let loop(x, n) Variant n = loop(x, n + 1 - 2)").Message,
      "a recursive use of 'loop' must pass 'n - 1' for the measure 'n'");
  EXPECT_EQ(definitionError("Let loop(x) Variant y = x == 0").Message,
            "the measure of a recursive predicate must be one of its "
            "parameters");
  // Mutual recursion cannot be written: a body uses earlier predicates.
  EXPECT_EQ(definitionError("Let even(n) = n == 0 || odd(n - 1)").Message,
            "unknown predicate 'odd' (define it with 'Let' before this one)");
  EXPECT_EQ(definitionError("Let p(x) = x@pre == x").Message,
            "a predicate's body speaks only of its parameters: no '@pre', no "
            "'__return'");
  EXPECT_EQ(definitionError("Let p(x) = exists x, 0 <= x && x < 2").Message,
            "the binder 'x' shadows a parameter of 'p'");
  EXPECT_EQ(definitionError("Let p(x) = data_at(x, int, 0)").Message,
            "not supported yet: 'data_at' in a predicate's body (bodies are "
            "pure)");
  EXPECT_EQ(definitionError("Let sublist(x) = true").Message,
            "'sublist' is a built-in name");
  PredicateTable Earlier{
      {"p", std::make_shared<Annotation>(*parse("Let p(x) = 0 <= x"))}};
  EXPECT_EQ(definitionError("Let p(y) = true", Earlier).Message,
            "predicate 'p' is already defined");
  EXPECT_EQ(definitionError("Let q(y) = p(y, y)", Earlier).Message,
            "'p' takes 1 arguments");
}

TEST(Predicates, UnfoldingSubstitutesAndGuardsTheMeasure) {
  std::optional<Annotation> A = parse(ListSeg);
  std::optional<Annotation> Use = parse("seg(ln, head, cur, steps + 1)");
  AssertionPtr U = unfoldPredicate(*A, Use->Pre->Terms);
  EXPECT_EQ(print(*U),
            "0 <= steps + 1 && (steps + 1 == 0 && head == cur || 0 < steps + "
            "1 && (exists p, 0 <= p && p < 8 && seg(ln, head, p, steps + 1 - "
            "1) && ln[p] == cur))");
  // A binder named like an argument's variable is renamed apart.
  Use = parse("seg(ln, p, cur, 2)");
  U = unfoldPredicate(*A, Use->Pre->Terms);
  EXPECT_EQ(print(*U),
            "0 <= 2 && (2 == 0 && p == cur || 0 < 2 && (exists p'1, 0 <= p'1 "
            "&& p'1 < 8 && seg(ln, p, p'1, 2 - 1) && ln[p'1] == cur))");
  // A non-recursive predicate is its body.
  std::optional<Annotation> Small = parse("Let small(x) = 0 <= x && x < 8");
  Use = parse("small(i + 1)");
  EXPECT_EQ(print(*unfoldPredicate(*Small, Use->Pre->Terms)),
            "0 <= i + 1 && i + 1 < 8");
}

TEST(Predicates, SequenceParametersAreInferredFromUse) {
  std::optional<Annotation> A = parse(ListSeg);
  EXPECT_EQ(sequenceParameters(*A, {}), (std::set<std::string>{"next"}));
  PredicateTable T{{"seg", std::make_shared<Annotation>(*A)}};
  std::optional<Annotation> B =
      parse("Let whole(l, h) = seg(l, h, 8, Zlength(l))");
  EXPECT_EQ(sequenceParameters(*B, T), (std::set<std::string>{"l"}));
}

TEST(Predicates, ErasureLeavesUserPredicatesOut) {
  AssertionPtr A = parseAssertion("i < 8 && seg(ln, h, i, s) && s <= i");
  EXPECT_EQ(print(*eraseContentFacts(A, std::set<std::string>{})),
            "i < 8 && s <= i");
}

} // namespace
} // namespace vep::logic::test
