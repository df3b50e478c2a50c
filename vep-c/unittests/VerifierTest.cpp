// Verifier: symbolic execution of the CIR with Z3, obligations, failures.
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace vep;
using namespace vepc_test;

namespace {

/// Lowers inputs/Name and verifies its entry point `Fn` (the first if empty).
verifier::FunctionResult verify(const std::string &Name,
                                const std::string &Fn = "") {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  bool Ok = build(Name, M, Errs);
  EXPECT_TRUE(Ok) << show(Errs);
  if (!Ok || M.Functions.empty())
    return {};
  for (const auto &F : M.Functions)
    if (Fn.empty() || F.Name == Fn)
      return verifier::verifyFunction(F);
  ADD_FAILURE() << "no function " << Fn;
  return {};
}

bool contains(const std::string &S, const std::string &Sub) {
  return S.find(Sub) != std::string::npos;
}

TEST(Verifier, BoundedEthernetReadVerifies) {
  auto R = verify("eth_ok.c");
  EXPECT_TRUE(R.Verified) << show(R);
  EXPECT_FALSE(R.Unsupported);
  EXPECT_EQ(R.Function, "xdp_eth");
  EXPECT_GE(R.Obligations, 3u); // ctx->data, ctx->data_end, eth->h_proto
}

TEST(Verifier, MissingBoundFailsAtTheAccess) {
  auto R = verify("eth_nobound.c");
  EXPECT_FALSE(R.Verified);
  EXPECT_FALSE(R.Unsupported);
  ASSERT_EQ(R.Failures.size(), 1u) << show(R);
  const auto &F = R.Failures[0];
  EXPECT_EQ(F.L.Line, 14u);
  EXPECT_EQ(F.L.Col, 6u);
  EXPECT_EQ(F.Obligation, "packet access out of bounds: reading 2 bytes at "
                          "offset 12 requires 12 + 2 <= packet length");
  EXPECT_TRUE(contains(F.Counterexample, "with packet length n = "))
      << F.Counterexample;
}

TEST(Verifier, OffByOneBoundFailsWithLength13) {
  auto R = verify("eth_offbyone.c");
  EXPECT_FALSE(R.Verified);
  ASSERT_EQ(R.Failures.size(), 1u) << show(R);
  EXPECT_EQ(R.Failures[0].L.Line, 17u);
  EXPECT_EQ(R.Failures[0].L.Col, 6u);
  EXPECT_TRUE(contains(R.Failures[0].Counterexample,
                       "with packet length n = 13"))
      << R.Failures[0].Counterexample;
}

TEST(Verifier, VariableLengthIpHeaderWithBoundVerifies) {
  auto R = verify("ihl_ok.c");
  EXPECT_TRUE(R.Verified) << show(R);
}

TEST(Verifier, VariableLengthIpHeaderWithoutBoundFails) {
  auto R = verify("ihl_nobound.c");
  EXPECT_FALSE(R.Verified);
  ASSERT_EQ(R.Failures.size(), 1u) << show(R);
  const auto &F = R.Failures[0];
  EXPECT_EQ(F.L.Line, 34u);
  EXPECT_EQ(F.L.Col, 6u);
  EXPECT_TRUE(contains(F.Obligation, "reading 2 bytes at a variable offset"))
      << F.Obligation;
  // The header length must be more than 20 bytes for the read to escape.
  EXPECT_TRUE(contains(F.Counterexample, "hlen = ")) << F.Counterexample;
  EXPECT_FALSE(contains(F.Counterexample, "hlen = 20,")) << F.Counterexample;
}

TEST(Verifier, EnsureOverReturnValueVerifies) {
  auto R = verify("ensure_ok.c");
  EXPECT_TRUE(R.Verified) << show(R);
}

TEST(Verifier, WrongEnsureFailsAtTheReturn) {
  auto R = verify("ensure_bad.c");
  EXPECT_FALSE(R.Verified);
  ASSERT_EQ(R.Failures.size(), 1u) << show(R);
  EXPECT_EQ(R.Failures[0].Obligation, "postcondition may not hold");
  EXPECT_EQ(R.Failures[0].L.Line, 17u);
  EXPECT_EQ(R.Failures[0].L.Col, 3u);
  EXPECT_TRUE(contains(R.Failures[0].Counterexample, "__return = 0"))
      << R.Failures[0].Counterexample;
}

TEST(Verifier, AssertionsAreCheckedWhereTheyAre) {
  auto R = verify("assert.c");
  EXPECT_FALSE(R.Verified);
  ASSERT_EQ(R.Failures.size(), 1u) << show(R);
  EXPECT_EQ(R.Failures[0].Obligation, "assertion may not hold");
  EXPECT_EQ(R.Failures[0].L.Line, 23u);
  EXPECT_TRUE(contains(R.Failures[0].Counterexample, "hlen = 20"))
      << R.Failures[0].Counterexample;
}

TEST(Verifier, DivisionByZero) {
  auto R = verify("arith.c", "xdp_div");
  EXPECT_FALSE(R.Verified);
  ASSERT_EQ(R.Failures.size(), 1u) << show(R);
  EXPECT_EQ(R.Failures[0].Obligation, "division by zero");
  EXPECT_EQ(R.Failures[0].L.Line, 20u);
  EXPECT_EQ(R.Failures[0].L.Col, 6u);
  EXPECT_TRUE(contains(R.Failures[0].Counterexample, "y = 0"))
      << R.Failures[0].Counterexample;
}

TEST(Verifier, SignedOverflow) {
  auto R = verify("arith.c", "xdp_ovf");
  EXPECT_FALSE(R.Verified);
  ASSERT_EQ(R.Failures.size(), 1u) << show(R);
  EXPECT_TRUE(contains(R.Failures[0].Obligation, "signed overflow"))
      << R.Failures[0].Obligation;
  EXPECT_EQ(R.Failures[0].L.Line, 36u);
  EXPECT_EQ(R.Failures[0].L.Col, 6u);
}

TEST(Verifier, GuardedArithmeticVerifies) {
  auto R = verify("arith.c", "xdp_safe");
  EXPECT_TRUE(R.Verified) << show(R);
}

TEST(Verifier, PacketWritesVerify) {
  auto R = verify("packet_write.c");
  EXPECT_TRUE(R.Verified) << show(R);
}

TEST(Verifier, ContextIsReadOnly) {
  auto R = verify("ctx_store.c");
  EXPECT_FALSE(R.Verified);
  ASSERT_EQ(R.Failures.size(), 1u) << show(R);
  EXPECT_TRUE(contains(R.Failures[0].Obligation, "store to the context"))
      << R.Failures[0].Obligation;
  EXPECT_EQ(R.Failures[0].L.Line, 11u);
}

} // namespace

namespace {

TEST(Verifier, MachineSemanticsOfCasesThatDifferFromMath) {
  // Bit-fields, byte order, byte swaps, C division, conversions, shifts:
  // every assertion holds exactly under C semantics.
  auto R = verify("semantics.c");
  EXPECT_TRUE(R.Verified) << show(R);
  EXPECT_GE(R.Obligations, 10u);
}

TEST(Verifier, DataMetaIsNotSupportedYet) {
  auto R = verify("data_meta.c");
  EXPECT_FALSE(R.Verified);
  EXPECT_TRUE(R.Unsupported);
  ASSERT_EQ(R.Failures.size(), 1u) << show(R);
  EXPECT_EQ(R.Failures[0].Obligation,
            "not supported yet: reading 'data_meta' of struct xdp_md");
  EXPECT_EQ(R.Failures[0].L.Line, 7u);
  EXPECT_EQ(R.Failures[0].L.Col, 29u);
}

} // namespace
