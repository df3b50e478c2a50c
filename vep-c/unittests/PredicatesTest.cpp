// User predicates (Let): definitions in the front end, folding and
// unfolding in the verifier, and the measure.
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace vep;
using namespace vepc_test;

namespace {

verifier::FunctionResult verifyIn(const cir::Module &M, const std::string &Fn) {
  for (const auto &F : M.Functions)
    if (F.Name == Fn)
      return verifier::verifyFunction(M, F);
  ADD_FAILURE() << "no function " << Fn;
  return {};
}

TEST(Predicates, DefinitionsReachTheModuleWithConstantsResolved) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("preds_ok.c", M, Errs)) << show(Errs);
  ASSERT_EQ(M.Predicates.size(), 3u);
  const logic::Annotation &Small = *M.Predicates.at("small");
  EXPECT_EQ(logic::print(Small), "Let small(x) = 0 <= x && x <= 2 * 10");
  const logic::Annotation &Twice = *M.Predicates.at("twice");
  ASSERT_TRUE(Twice.Variant);
  EXPECT_EQ(logic::print(*Twice.Variant), "n");
}

TEST(Predicates, FoldedAtTheLoopHeadAndUnfoldedAfterIt) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("preds_ok.c", M, Errs)) << show(Errs);
  auto R = verifyIn(M, "fold_at_head");
  EXPECT_TRUE(R.Verified) << show(R);
  EXPECT_FALSE(R.Unsupported);
}

TEST(Predicates, ANegativeMeasureMakesAnInstanceFalse) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("preds_ok.c", M, Errs)) << show(Errs);
  auto R = verifyIn(M, "negative_measure");
  EXPECT_TRUE(R.Verified) << show(R);
}

// `unfold p(a)` and `fold p(a)` name the instances one level further
// down (preds_fold.c); each has a failing twin.
TEST(Predicates, ExplicitUnfoldAndFold) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("preds_fold.c", M, Errs)) << show(Errs);
  for (const char *Fn : {"unfold_twice", "fold_up"}) {
    auto R = verifyIn(M, Fn);
    EXPECT_TRUE(R.Verified) << Fn << show(R);
  }
  struct Want {
    const char *Fn;
    unsigned Line, Col;
    const char *Obligation;
  } Wants[] = {
      {"unfold_once", 40, 14, "assertion may not hold"},
      {"unfold_false", 54, 14, "predicate instance to unfold may not hold"},
      {"fold_skipped", 78, 12,
       "definition of the predicate to fold may not hold"},
      {"fold_false", 88, 12,
       "definition of the predicate to fold may not hold"}};
  for (const Want &W : Wants) {
    auto R = verifyIn(M, W.Fn);
    EXPECT_FALSE(R.Verified) << W.Fn;
    EXPECT_FALSE(R.Unsupported) << W.Fn;
    ASSERT_EQ(R.Failures.size(), 1u) << show(R);
    EXPECT_EQ(R.Failures[0].L.Line, W.Line) << W.Fn;
    EXPECT_EQ(R.Failures[0].L.Col, W.Col) << W.Fn;
    EXPECT_EQ(R.Failures[0].Obligation, W.Obligation) << W.Fn;
  }
}

TEST(Predicates, AnUnfoldingBeyondTheMeasureIsRejected) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("preds_bad.c", M, Errs)) << show(Errs);
  // twice(x, 0) is x == 0: there is no twice(x - 2, -1) under it, as the
  // measure is negative there.
  auto R = verifyIn(M, "beyond_the_measure");
  EXPECT_FALSE(R.Verified);
  EXPECT_FALSE(R.Unsupported);
  ASSERT_EQ(R.Failures.size(), 1u) << show(R);
  EXPECT_EQ(R.Failures[0].L.Line, 19u);
  EXPECT_EQ(R.Failures[0].L.Col, 14u);
  EXPECT_EQ(R.Failures[0].Obligation, "assertion may not hold");
  EXPECT_NE(R.Failures[0].Counterexample.find("k = 0"), std::string::npos)
      << R.Failures[0].Counterexample;
}

TEST(Predicates, AFoldThatDoesNotFollowIsRejected) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("preds_bad.c", M, Errs)) << show(Errs);
  auto R = verifyIn(M, "wrong_fold");
  EXPECT_FALSE(R.Verified);
  ASSERT_EQ(R.Failures.size(), 1u) << show(R);
  EXPECT_EQ(R.Failures[0].Obligation, "loop invariant may not be preserved");
}

TEST(Predicates, InACalledFunctionsRequire) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("preds_ok.c", M, Errs)) << show(Errs);
  auto R = verifyIn(M, "halve");
  EXPECT_TRUE(R.Verified) << show(R);
  cir::Module Bad;
  ASSERT_TRUE(build("preds_bad.c", Bad, Errs)) << show(Errs);
  R = verifyIn(Bad, "odd_argument");
  EXPECT_FALSE(R.Verified);
  ASSERT_EQ(R.Failures.size(), 1u) << show(R);
  EXPECT_EQ(R.Failures[0].Obligation, "precondition of 'halve' may not hold");
}

TEST(Predicates, BadDefinitionsAndUsesAreReportedWhereWritten) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("preds_errors.c", M, Errs));
  ASSERT_EQ(Errs.size(), 4u) << show(Errs);
  EXPECT_EQ(Errs[0].Line, 5u);
  EXPECT_EQ(Errs[0].Col, 40u);
  EXPECT_EQ(Errs[0].Message,
            "a recursive use of 'spin' must pass 'n - 1' for the measure 'n'");
  EXPECT_EQ(Errs[1].Line, 6u);
  EXPECT_EQ(Errs[1].Message, "unknown variable 'y' in the definition of "
                             "'stray' (a body speaks of its parameters)");
  EXPECT_EQ(Errs[2].Line, 14u);
  EXPECT_EQ(Errs[2].Message, "'pair' takes 2 arguments");
  EXPECT_EQ(Errs[3].Line, 15u);
  EXPECT_EQ(Errs[3].Message,
            "not supported yet: predicate 'nothing' in Assert");
}

TEST(Predicates, ConnectionTableMissHasItsFunctionalPostcondition) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(
      frontend::buildModule(example("conn_table_lookup.c"), {}, M, Errs))
      << show(Errs);
  auto R = verifyIn(M, "find_node");
  EXPECT_TRUE(R.Verified) << show(R);
}

} // namespace
