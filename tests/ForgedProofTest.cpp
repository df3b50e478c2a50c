//===- ForgedProofTest.cpp - Forged proofs for the unsafe examples --------===//
//
// An attacker skips vep-c, compiles an unsafe program anyway and ships a
// proof with a made-up answer for the obligation that cannot be proved. For
// every example in examples/unsafe/: the front end (buildModule), the code
// generator (compileFunction) and the ELF writer (writeObject) build the
// object without verification; the proof writer in forging mode
// (ProofWriteOptions::ForgeUnprovable) answers the unprovable packet bounds
// question with a bogus certificate, in both styles (the best attempt,
// which misses only by its constant, and an empty one); vep-check must
// reject the pair (exit 1) at the instruction of the unsafe access, which
// the compiler's line table maps to the example's expected-error line, with
// a check_farkas reason. Where the checker refuses by a rule rather than
// for an unproved obligation (a nullable map value dereferenced, a helper
// it does not allow), there is nothing to forge: the proof up to the
// refusal must be rejected at the expected-error line.
//
// Controls, so that the checks cannot pass vacuously: without forging the
// proof writer refuses each unsafe program; the same tooling on a safe
// example forges nothing and vep-check accepts its proof (exit 0).
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"
#include "vep/check.h"
#include "vep/compiler/CodeGen.h"
#include "vep/compiler/ProofWriter.h"
#include "vep/frontend/Frontend.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

namespace fs = std::filesystem;
using namespace vep;
using namespace vep::test;
using vep::compiler::ProofWriteOptions;

namespace {

/// An example compiled without verification: its programs and object.
struct Unverified {
  std::vector<compiler::CompiledProgram> Progs;
  std::vector<compiler::ProgramSpec> Specs;
  std::vector<uint8_t> Object;
  std::vector<vep_map_def> Maps;
};

Unverified compileUnverified(const fs::path &Source) {
  Unverified U;
  cir::Module M;
  std::vector<frontend::Diagnostic> Errors;
  bool Built = frontend::buildModule(Source.string(), {}, M, Errors);
  EXPECT_TRUE(Built) << (Errors.empty() ? "" : Errors[0].Message);
  EXPECT_FALSE(M.Functions.empty());
  for (const cir::Function &F : M.Functions) {
    compiler::CompiledProgram P;
    std::string Err;
    EXPECT_TRUE(compiler::compileFunction(F, P, Err, M.Maps)) << Err;
    U.Specs.push_back({P.Section, P.Post, P.Cuts});
    U.Progs.push_back(std::move(P));
  }
  U.Object = compiler::writeObject(U.Progs, M.License, M.Maps);
  std::string Err;
  EXPECT_TRUE(compiler::mapTable(M.Maps, U.Maps, Err)) << Err;
  return U;
}

ProofWriteOptions forging(ProofWriteOptions::ForgeStyle Style) {
  ProofWriteOptions O;
  O.ForgeUnprovable = true;
  O.Forgery = Style;
  return O;
}

/// vep-check on (Object, Proof) written into a scratch directory.
CommandResult vepCheck(const std::string &Scratch,
                       const std::vector<uint8_t> &Object,
                       const std::vector<uint8_t> &Proof) {
  fs::path Dir = scratchDir(Scratch);
  writeBytes(Dir / "prog.o", Object);
  writeBytes(Dir / "prog.proof", Proof);
  return run(quote((binDir() / "vep-check").string()) + " " +
             quote((Dir / "prog.o").string()) + " " +
             quote((Dir / "prog.proof").string()));
}

struct Param {
  fs::path Source;
  ProofWriteOptions::ForgeStyle Style;
};

void PrintTo(const Param &P, std::ostream *OS) {
  *OS << P.Source.filename().string() << ", "
      << (P.Style == ProofWriteOptions::ForgeStyle::BestAttempt ? "best attempt"
                                                                : "empty certificate");
}

std::string paramName(const testing::TestParamInfo<Param> &Info) {
  std::string N = Info.param.Source.stem().string();
  std::replace_if(N.begin(), N.end(), [](char C) { return !isalnum(C); }, '_');
  return N + (Info.param.Style == ProofWriteOptions::ForgeStyle::BestAttempt
                  ? "_best_attempt"
                  : "_empty_certificate");
}

std::vector<Param> unsafeParams() {
  std::vector<Param> Ps;
  for (const fs::path &S : unsafeExamples())
    for (auto Style : {ProofWriteOptions::ForgeStyle::BestAttempt,
                       ProofWriteOptions::ForgeStyle::Empty})
      Ps.push_back({S, Style});
  return Ps;
}

class ForgedProof : public testing::TestWithParam<Param> {};

TEST_P(ForgedProof, VepCheckRejectsAtTheUnsafeAccess) {
  const fs::path &Source = GetParam().Source;
  ExpectedError Expected = expectedError(Source);
  ASSERT_NE(Expected.Line, 0u) << "unsafe example without an expected-error marker";
  Unverified U = compileUnverified(Source);
  ASSERT_FALSE(U.Progs.empty());

  // Control: the honest proof writer cannot prove it.
  compiler::ProofWriteResult Honest = compiler::writeProof(U.Object, U.Specs, U.Maps);
  EXPECT_FALSE(Honest.Ok) << "the unsafe example " << Source << " got a proof";
  EXPECT_TRUE(Honest.Forged.empty());

  compiler::ProofWriteResult R =
      compiler::writeProof(U.Object, U.Specs, U.Maps, forging(GetParam().Style));
  EXPECT_FALSE(R.Ok);
  std::string Scratch = "forged-" + paramName(testing::TestParamInfo<Param>(GetParam(), 0));
  if (R.Forged.empty()) {
    // Refused by a rule: the shipped proof ends there, and vep-check must
    // refuse it at an instruction of the expected-error line.
    ASSERT_FALSE(R.Proof.empty()) << R.Error;
    CommandResult C = vepCheck(Scratch, U.Object, R.Proof);
    EXPECT_EQ(C.Status, 1) << C.Output;
    std::smatch At;
    static const std::regex Rejected(R"(rejected: (\S+) insn (\d+): )");
    ASSERT_TRUE(std::regex_search(C.Output, At, Rejected)) << C.Output;
    auto Prog = std::find_if(U.Progs.begin(), U.Progs.end(),
                             [&](const auto &P) { return P.Section == At[1].str(); });
    ASSERT_NE(Prog, U.Progs.end()) << C.Output;
    size_t Insn = std::stoul(At[2].str());
    ASSERT_LT(Insn, Prog->Lines.size());
    EXPECT_EQ(Prog->Lines[Insn], Expected.Line) << C.Output;
    return;
  }
  ASSERT_EQ(R.Forged.size(), 1u) << R.Error;
  const compiler::ForgedAnswer &F = R.Forged[0];
  EXPECT_TRUE(F.Kind == VEP_GOAL_ACCESS_LOW || F.Kind == VEP_GOAL_ACCESS_HIGH)
      << "forged " << vep_goal_name(F.Kind) << ": " << F.Question;
  ASSERT_FALSE(R.Proof.empty());

  // The forged question is asked at a memory access the compiler generated
  // for the expected-error line.
  auto Prog = std::find_if(U.Progs.begin(), U.Progs.end(),
                           [&](const auto &P) { return P.Section == F.Section; });
  ASSERT_NE(Prog, U.Progs.end()) << F.Section;
  ASSERT_LT(F.Insn, Prog->Lines.size());
  EXPECT_EQ(Prog->Lines[F.Insn], Expected.Line)
      << "the forged question is at insn " << F.Insn << ": " << F.Question;
  uint8_t Class = Prog->Insns[F.Insn].Code & 7;
  EXPECT_TRUE(Class == 1 || Class == 2 || Class == 3) // LDX, ST, STX
      << "insn " << F.Insn << " is not a memory access";

  // vep-check refuses the shipped pair there, for the forged certificate.
  CommandResult C = vepCheck(Scratch, U.Object, R.Proof);
  EXPECT_EQ(C.Status, 1) << C.Output;
  std::string Where = "rejected: " + F.Section + " insn " + std::to_string(F.Insn) +
                      ": check_farkas: " + vep_goal_name(F.Kind) + ": ";
  EXPECT_NE(C.Output.find(Where), std::string::npos)
      << "expected '" << Where << "' in\n" << C.Output;
  const char *Why = GetParam().Style == ProofWriteOptions::ForgeStyle::BestAttempt
                        ? "constant of the combination is not negative"
                        : "variable coefficients do not cancel";
  EXPECT_NE(C.Output.find(Why), std::string::npos) << C.Output;
}

INSTANTIATE_TEST_SUITE_P(Unsafe, ForgedProof, testing::ValuesIn(unsafeParams()),
                         paramName);

// Control: the same path on a safe example forges nothing, and vep-check
// accepts the proof (so the exit 1 above is not an artifact of the tooling).
TEST(ForgedProofControl, SafeExampleIsAcceptedWithoutForgery) {
  Unverified U = compileUnverified(sourceDir() / "examples" / "drop_ipv4.c");
  compiler::ProofWriteResult R = compiler::writeProof(
      U.Object, U.Specs, U.Maps, forging(ProofWriteOptions::ForgeStyle::BestAttempt));
  ASSERT_TRUE(R.Ok) << R.Error;
  EXPECT_TRUE(R.Forged.empty());
  CommandResult C = vepCheck("forged-control", U.Object, R.Proof);
  EXPECT_EQ(C.Status, 0) << C.Output;
  EXPECT_NE(C.Output.find("accepted"), std::string::npos) << C.Output;
}

} // namespace
