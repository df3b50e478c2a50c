// The C-level proof (docs/c-proof-format.md) as vep-c writes it, re-checked
// from its text alone with a fresh Z3: every entailment's axioms, uses and
// negated goal are unsatisfiable, every state's facts satisfiable.
#include "TestUtil.h"
#include "vep/verifier/Driver.h"

#include <gtest/gtest.h>
#include <z3++.h>

#include <sstream>

namespace {

/// One function's block of the text.
struct Block {
  std::string Name;
  std::string Declarations; // the symbol lines, as SMT-LIB
  std::vector<std::string> Axioms;
  struct Entailment {
    std::string At, Goal;
    std::vector<std::string> Uses;
  };
  std::vector<Entailment> Entailments;
  struct StateFacts {
    std::string At;
    std::vector<std::string> Facts;
  };
  std::vector<StateFacts> States;
};

std::vector<Block> parse(const std::string &Text) {
  std::vector<Block> Blocks;
  std::istringstream In(Text);
  std::string Line;
  auto Rest = [&](size_t Skip) { return Line.substr(Skip); };
  while (std::getline(In, Line)) {
    if (Line.rfind("function ", 0) == 0)
      Blocks.push_back({Rest(9)});
    else if (Line.rfind("symbol ", 0) == 0)
      Blocks.back().Declarations += Rest(7) + "\n";
    else if (Line.rfind("axiom ", 0) == 0)
      Blocks.back().Axioms.push_back(Rest(6));
    else if (Line.rfind("entail ", 0) == 0)
      Blocks.back().Entailments.push_back({Rest(7)});
    else if (Line.rfind("  goal ", 0) == 0)
      Blocks.back().Entailments.back().Goal = Rest(7);
    else if (Line.rfind("  uses ", 0) == 0)
      Blocks.back().Entailments.back().Uses.push_back(Rest(7));
    else if (Line.rfind("state ", 0) == 0)
      Blocks.back().States.push_back({Rest(6)});
    else if (Line.rfind("  fact ", 0) == 0)
      Blocks.back().States.back().Facts.push_back(Rest(7));
  }
  return Blocks;
}

/// Declarations, then `(assert F)` for each of Facts: Z3's answer.
z3::check_result check(const std::string &Declarations,
                       const std::vector<std::string> &Facts) {
  z3::context C;
  std::string Script = Declarations;
  for (const std::string &F : Facts)
    Script += "(assert " + F + ")\n";
  z3::solver S(C);
  z3::params P(C);
  P.set("timeout", 20000u);
  S.set(P);
  S.add(C.parse_string(Script.c_str()));
  return S.check();
}

std::string proofOf(const std::string &Example) {
  vep::cir::Module M;
  vep::verifier::Options Opts;
  Opts.RecordProof = true;
  std::string File = vepc_test::example(Example);
  vep::verifier::Report R = vep::verifier::verifyFile(File, {}, M, Opts);
  EXPECT_EQ(R.ExitCode, 0) << Example;
  std::ostringstream Out;
  vep::verifier::writeCProof(File, M, R, Out);
  return Out.str();
}

// Programs with loops, packet and map accesses, calls with With variables
// and contents, a packet-changing helper, a ringbuf reservation, a tracing
// context.
class CProofOfExample : public ::testing::TestWithParam<const char *> {};

TEST_P(CProofOfExample, EntailmentsHoldAndStatesAreReachable) {
  std::string Text = proofOf(GetParam());
  std::vector<Block> Blocks = parse(Text);
  ASSERT_FALSE(Blocks.empty());
  size_t Entailments = 0, States = 0;
  for (const Block &B : Blocks) {
    for (const Block::Entailment &E : B.Entailments) {
      std::vector<std::string> Facts = B.Axioms;
      Facts.insert(Facts.end(), E.Uses.begin(), E.Uses.end());
      Facts.push_back("(not " + E.Goal + ")");
      EXPECT_EQ(check(B.Declarations, Facts), z3::unsat)
          << B.Name << ": entail " << E.At;
      ++Entailments;
    }
    for (const Block::StateFacts &S : B.States) {
      std::vector<std::string> Facts = B.Axioms;
      Facts.insert(Facts.end(), S.Facts.begin(), S.Facts.end());
      EXPECT_NE(check(B.Declarations, Facts), z3::unsat)
          << B.Name << ": state " << S.At;
      ++States;
    }
  }
  EXPECT_GT(Entailments, 0u);
  EXPECT_GT(States, 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Examples, CProofOfExample,
    ::testing::Values("sum_payload.c", "string_copy.c", "conn_table_lookup.c",
                      "xdp_last_frame_summary.c", "vlan_pop.c",
                      "kprobe_last_opener.c", "parse_functions.c"),
    [](const ::testing::TestParamInfo<const char *> &I) {
      std::string N = I.param;
      return N.substr(0, N.find('.'));
    });

// The uses are what the proof needs: without them the bounds check of
// sum_payload's loop body does not follow.
TEST(CProof, UsesAreNeeded) {
  std::vector<Block> Blocks = parse(proofOf("sum_payload.c"));
  ASSERT_EQ(Blocks.size(), 1u);
  bool Seen = false;
  for (const Block::Entailment &E : Blocks[0].Entailments) {
    if (E.At.find("packet access out of bounds") == std::string::npos)
      continue;
    Seen = true;
    ASSERT_FALSE(E.Uses.empty()) << E.At;
    std::vector<std::string> Facts = Blocks[0].Axioms;
    Facts.push_back("(not " + E.Goal + ")");
    EXPECT_EQ(check(Blocks[0].Declarations, Facts), z3::sat) << E.At;
  }
  EXPECT_TRUE(Seen);
}

// A call's precondition names the instantiation of the callee's With
// variables and the caller's frame.
TEST(CProof, CallsHaveInstancesAndFrame) {
  std::string Text = proofOf("string_copy.c");
  size_t Pre = Text.find("may not hold\n", Text.find("precondition of '"));
  ASSERT_NE(Pre, std::string::npos);
  size_t Next = Text.find("\nentail ", Pre);
  std::string Witness = Text.substr(Pre, Next - Pre);
  EXPECT_NE(Witness.find("\n  with "), std::string::npos) << Witness;
  EXPECT_NE(Witness.find("\n  frame "), std::string::npos) << Witness;
  EXPECT_NE(Witness.find("except what '"), std::string::npos) << Witness;
}

} // namespace
