// Verifier: symbolic execution of the CIR with Z3, obligations, failures.
#include "TestUtil.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>

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
      return verifier::verifyFunction(M, F);
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

// With no delay between reports, the progress callback hears of every
// obligation posed to the solver, in order, with the line it was posed at
// (context reads count as obligations but are decided without a query).
TEST(Verifier, ProgressReportsEachSolverObligationWhenAskedTo) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(frontend::buildModule(example("tcp_low_mss.c"), {}, M, Errs))
      << show(Errs);
  std::vector<verifier::Progress> Seen;
  verifier::Options Opts;
  Opts.ProgressEveryMillis = 0;
  Opts.OnProgress = [&](const verifier::Progress &P) { Seen.push_back(P); };
  auto R = verifier::verifyFunction(M, M.Functions[0], Opts);
  EXPECT_TRUE(R.Verified) << show(R);
  ASSERT_GE(Seen.size(), 20u);
  EXPECT_LE(Seen.back().Obligations, R.Obligations);
  for (unsigned I = 0; I < Seen.size(); ++I) {
    EXPECT_EQ(Seen[I].Function, "tcp_low_mss");
    EXPECT_GT(Seen[I].Line, 0u);
    if (I > 0)
      EXPECT_GT(Seen[I].Obligations, Seen[I - 1].Obligations);
  }
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

// A packet pointer compared while more than 2^31 bytes from the packet start
// tells nothing (found by mutating examples: vep-c verified this program
// and vepcc then failed, because the checker rightly learns nothing).
TEST(Verifier, FarPacketPointerComparisonIsNoBound) {
  auto R = verify("eth_far_bound.c");
  EXPECT_FALSE(R.Verified);
  ASSERT_EQ(R.Failures.size(), 1u) << show(R);
  EXPECT_EQ(R.Failures[0].L.Line, 20u);
  EXPECT_TRUE(contains(R.Failures[0].Obligation, "packet access out of bounds"))
      << show(R);
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

// -- loops --------------------------------------------------------------------

namespace {

/// Verifies a program of the repository's examples/ directory.
verifier::FunctionResult verifyExample(const std::string &Name) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  bool Ok = frontend::buildModule(example(Name), {}, M, Errs);
  EXPECT_TRUE(Ok) << show(Errs);
  if (!Ok || M.Functions.empty())
    return {};
  return verifier::verifyFunction(M, M.Functions[0]);
}

/// Expects exactly one failure, `Msg` at Line:Col; returns it.
verifier::Failure oneFailure(const verifier::FunctionResult &R, unsigned Line,
                             unsigned Col, const std::string &Msg) {
  EXPECT_FALSE(R.Verified);
  EXPECT_FALSE(R.Unsupported) << show(R);
  EXPECT_EQ(R.Failures.size(), 1u) << show(R);
  if (R.Failures.empty())
    return {};
  const verifier::Failure &F = R.Failures[0];
  EXPECT_EQ(F.L.Line, Line) << show(R);
  EXPECT_EQ(F.L.Col, Col) << show(R);
  EXPECT_EQ(F.Obligation, Msg) << show(R);
  return F;
}

TEST(VerifierLoops, ExamplesVerify) {
  auto S = verifyExample("sum_payload.c");
  EXPECT_TRUE(S.Verified) << show(S);
  auto P = verifyExample("payload_strlen.c");
  EXPECT_TRUE(P.Verified) << show(P);
}

TEST(VerifierLoops, CountingLoopVerifies) {
  auto R = verify("loops.c", "count_ok");
  EXPECT_TRUE(R.Verified) << show(R);
  // Entry: invariant, variant; the access in the body; back: invariant,
  // decrease, non-negative.
  EXPECT_GE(R.Obligations, 7u);
}

TEST(VerifierLoops, CountingLoopVariantIsInferred) {
  auto R = verify("loops.c", "count_inferred");
  EXPECT_TRUE(R.Verified) << show(R);
}

TEST(VerifierLoops, InferredVariantMustDecrease) {
  // c < 300 with an unsigned char c: 300 - c does not decrease at 255 -> 0.
  auto F = oneFailure(verify("loops.c", "inferred_wraps"), 157, 2,
                      "loop variant may not decrease (inferred variant "
                      "'300 - c'; write a Variant to choose another)");
  EXPECT_TRUE(contains(F.Counterexample, "variant at the head = 45"))
      << F.Counterexample;
  EXPECT_TRUE(contains(F.Counterexample, "variant after the iteration = 300"))
      << F.Counterexample;
}

TEST(VerifierLoops, StrlenOverThePacketVerifiesAndWrongInvariantFails) {
  auto R = verify("strlen_bad.c");
  EXPECT_FALSE(R.Verified);
  ASSERT_EQ(R.Failures.size(), 2u) << show(R);
  EXPECT_EQ(R.Failures[0].Obligation, "loop invariant may not hold on entry");
  EXPECT_EQ(R.Failures[0].L.Line, 11u);
  EXPECT_EQ(R.Failures[0].L.Col, 10u);
  // p < data_end fails on entry for the empty packet.
  EXPECT_TRUE(contains(R.Failures[0].Counterexample, "n = 0,"))
      << R.Failures[0].Counterexample;
  EXPECT_EQ(R.Failures[1].Obligation, "loop invariant may not be preserved");
  EXPECT_TRUE(contains(R.Failures[1].Counterexample, "p at the head = data + "))
      << R.Failures[1].Counterexample;
}

TEST(Verifier, EveryPacketReadIsAFreshValue) {
  // `if (data[0] < 5) return; end = data[0] - 5;`: the second read is not
  // the first (as in the bytecode checker, which could not prove the
  // program), so `end` may be 2^32 - 5 and the invariant fails on entry.
  auto F = oneFailure(verify("packet_reads.c", "read_twice"), 19, 10,
                      "loop invariant may not hold on entry");
  EXPECT_TRUE(contains(F.Counterexample, "end = 4294967291"))
      << F.Counterexample;
  // A check before a loop says nothing about a read after it (the head
  // forgets it, and an invariant cannot name the packet's contents).
  oneFailure(verify("packet_reads.c", "read_across_loop"), 39, 9,
             "packet access out of bounds: reading 1 byte at a variable "
             "offset requires 0 <= offset and offset + 1 <= packet length");
  // Read once into a variable, and the invariant carries its bound.
  auto R = verify("packet_reads.c", "read_once");
  EXPECT_TRUE(R.Verified) << show(R);
}

TEST(VerifierLoops, InvariantNotHoldingOnEntryFails) {
  auto F = oneFailure(verify("loops.c", "inv_entry_bad"), 45, 10,
                      "loop invariant may not hold on entry");
  EXPECT_TRUE(contains(F.Counterexample, "i = 0")) << F.Counterexample;
}

TEST(VerifierLoops, InvariantNotPreservedFails) {
  auto F = oneFailure(verify("loops.c", "inv_preserve_bad"), 60, 10,
                      "loop invariant may not be preserved");
  EXPECT_TRUE(contains(F.Counterexample, "i = 16")) << F.Counterexample;
  EXPECT_TRUE(contains(F.Counterexample, "i at the head = 15"))
      << F.Counterexample;
}

TEST(VerifierLoops, MissingBoundInTheBodyFailsAtTheAccess) {
  auto F = oneFailure(verify("loops.c", "body_nobound"), 74, 10,
                      "packet access out of bounds: reading 1 byte at a "
                      "variable offset requires 0 <= offset and offset + 1 "
                      "<= packet length");
  EXPECT_TRUE(contains(F.Counterexample, "i = ")) << F.Counterexample;
}

TEST(VerifierLoops, FactsBeforeTheLoopAreNotAvailableUnlessInTheInvariant) {
  // len >= 16 holds before the loop, but the loop head knows only the
  // invariant (and the values of the variables the loop does not assign).
  auto F = oneFailure(verify("loops.c", "fact_dropped"), 92, 10,
                      "packet access out of bounds: reading 1 byte at a "
                      "variable offset requires 0 <= offset and offset + 1 "
                      "<= packet length");
  EXPECT_TRUE(contains(F.Counterexample, "len = ")) << F.Counterexample;
  EXPECT_FALSE(contains(F.Counterexample, "len = 16")) << F.Counterexample;
  // Stated in the invariant, the same fact suffices.
  auto R = verify("loops.c", "fact_stated");
  EXPECT_TRUE(R.Verified) << show(R);
}

TEST(VerifierLoops, UnmodifiedVariablesKeepOnlyStaticallyKnownValues) {
  // len = data_end - data is not assigned by the loop, but its value is not
  // a constant: at the head it is any value, related to nothing (as at the
  // compiler's cut point), so `len >= 16` does not bound the packet.
  auto F = oneFailure(verify("loops.c", "len_not_kept"), 188, 10,
                      "packet access out of bounds: reading 1 byte at a "
                      "variable offset requires 0 <= offset and offset + 1 "
                      "<= packet length");
  EXPECT_TRUE(contains(F.Counterexample, "len = ")) << F.Counterexample;
  // A constant assigned once before the loop keeps its value ...
  auto K = verify("loops.c", "constant_kept");
  EXPECT_TRUE(K.Verified) << show(K);
  // ... but not one assigned on two paths.
  auto T = verify("loops.c", "constant_twice");
  EXPECT_FALSE(T.Verified);
  ASSERT_FALSE(T.Failures.empty());
  EXPECT_EQ(T.Failures[0].L.Line, 226u) << show(T);
}

TEST(VerifierLoops, MissingVariantFailsTermination) {
  auto R = verify("loops.c", "variant_missing");
  oneFailure(R, 120, 2,
             "loop termination: no variant (write 'Variant t' after the "
             "invariant: an integer term that each iteration decreases and "
             "that stays non-negative)");
  auto F = verify("loops_control.c", "forever_no_variant");
  ASSERT_EQ(F.Failures.size(), 1u) << show(F);
  EXPECT_EQ(F.Failures[0].L.Line, 132u);
  EXPECT_TRUE(contains(F.Failures[0].Obligation, "loop termination: no variant"));
  auto B = verify("loops.c", "bound_not_constant");
  ASSERT_EQ(B.Failures.size(), 1u) << show(B);
  EXPECT_EQ(B.Failures[0].L.Line, 237u);
  EXPECT_TRUE(contains(B.Failures[0].Obligation, "loop termination: no variant"));
}

TEST(VerifierLoops, VariantThatDoesNotDecreaseFails) {
  auto F = oneFailure(verify("loops.c", "variant_increases"), 132, 45,
                      "loop variant may not decrease");
  EXPECT_TRUE(contains(F.Counterexample, "variant at the head = "))
      << F.Counterexample;
}

TEST(VerifierLoops, VariantMustStayNonNegative) {
  auto F = oneFailure(verify("loops.c", "variant_negative"), 143, 36,
                      "loop variant may be negative at the next iteration");
  EXPECT_TRUE(contains(F.Counterexample, "variant after the iteration = -1"))
      << F.Counterexample;
  auto E = oneFailure(verify("loops.c", "variant_negative_on_entry"), 167, 36,
                      "loop variant may be negative on entry");
  EXPECT_TRUE(contains(E.Counterexample, "variant = -4")) << E.Counterexample;
}

TEST(VerifierLoops, ContinueGoesToTheStep) {
  auto R = verify("loops_control.c", "continue_ok");
  EXPECT_TRUE(R.Verified) << show(R);
  // 2 * seen == i is broken by the path through `continue`: i goes up by
  // one, seen stays (whichever values the solver picks).
  auto F = oneFailure(verify("loops_control.c", "continue_bad"), 34, 10,
                      "loop invariant may not be preserved");
  auto Value = [&](const std::string &Name) -> long {
    std::smatch M;
    std::regex Re("(^|, )" + Name + " = (-?[0-9]+)");
    return std::regex_search(F.Counterexample, M, Re) ? std::stol(M[2]) : -99;
  };
  long Seen = Value("seen"), I = Value("i");
  EXPECT_EQ(Seen, Value("seen at the head")) << F.Counterexample;
  EXPECT_EQ(I, Value("i at the head") + 1) << F.Counterexample;
  EXPECT_NE(2 * Seen, I) << F.Counterexample;
}

TEST(VerifierLoops, BreakLeavesTheLoopWithItsState) {
  // The first assertion after the loop holds (exits by the condition or by
  // `break`, and the break path does not return to the head, where
  // found == 0); the second is false on the break path.
  auto F = oneFailure(verify("loops_control.c", "break_ok"), 65, 13,
                      "assertion may not hold");
  EXPECT_TRUE(contains(F.Counterexample, "found = 1")) << F.Counterexample;
}

TEST(VerifierLoops, DoWhileHeadIsBeforeTheBody) {
  auto R = verify("loops_control.c", "do_while_ok");
  EXPECT_TRUE(R.Verified) << show(R);
  auto F = oneFailure(verify("loops_control.c", "do_while_bad"), 99, 10,
                      "packet access out of bounds: reading 1 byte at a "
                      "variable offset requires 0 <= offset and offset + 1 "
                      "<= packet length");
  EXPECT_TRUE(contains(F.Counterexample, "i = 8")) << F.Counterexample;
}

// A call right of && or || runs only when the left operand leaves the
// result open: small_odd's x < 10 holds under &&, not under ||.
TEST(VerifierCalls, ShortCircuitCallsRunOnlyWhenNeeded) {
  auto R = verify("calls_logic.c", "and_guards_call");
  EXPECT_TRUE(R.Verified) << show(R);
  auto F = oneFailure(verify("calls_logic.c", "or_calls_when_false"), 39, 16,
                      "precondition of 'small_odd' may not hold");
  EXPECT_TRUE(contains(F.Counterexample, "or.value = 0")) << F.Counterexample;
  // ?: evaluates the branch its condition chooses.
  auto C = verify("calls_logic.c", "cond_guards_call");
  EXPECT_TRUE(C.Verified) << show(C);
  oneFailure(verify("calls_logic.c", "cond_calls_other_branch"), 60, 22,
             "precondition of 'small_odd' may not hold");
}

// A union's members all start at its start (inputs/union.c).
TEST(VerifierUnion, MembersShareTheUnionsBytes) {
  auto R = verify("union.c", "union_ok");
  EXPECT_TRUE(R.Verified) << show(R);
  oneFailure(verify("union.c", "union_second_bad"), 37, 13,
             "packet access out of bounds: reading 2 bytes at offset 6 "
             "requires 6 + 2 <= packet length");
}

// _Bool (inputs/bool.c): conversions give 0 or 1; loads give any byte.
TEST(VerifierBool, ConversionsGiveZeroOrOneAndLoadsAnyByte) {
  auto R = verify("bool.c", "bool_ok");
  EXPECT_TRUE(R.Verified) << show(R);
  auto F = oneFailure(verify("bool.c", "bool_from_map"), 44, 14,
                      "assertion may not hold");
  std::smatch M;
  ASSERT_TRUE(std::regex_search(F.Counterexample, M,
                                std::regex("set = ([0-9]+)")))
      << F.Counterexample;
  EXPECT_GT(std::stoi(M[1]), 1) << F.Counterexample;
}

// switch (inputs/switch.c): a chain of ifs over the value, evaluated once.
TEST(VerifierSwitch, CasesKnowTheirValuesAndTheDefaultKnowsNone) {
  for (const char *Fn : {"switch_ok", "switch_in_loop", "switch_inline",
                         "switch_break_early"}) {
    auto R = verify("switch.c", Fn);
    EXPECT_TRUE(R.Verified) << show(R);
  }
  auto F = oneFailure(verify("switch.c", "switch_default_bad"), 57, 14,
                      "assertion may not hold");
  EXPECT_TRUE(contains(F.Counterexample, "proto = 17")) << F.Counterexample;
}

// A case without break or return falls into the next one; a break in the
// middle of a case keeps the cases after it from running.
TEST(VerifierSwitch, FallThroughRunsTheNextCases) {
  auto R = verify("switch_fallthrough.c", "falls_through");
  EXPECT_TRUE(R.Verified) << show(R);
  R = verify("switch_fallthrough.c", "break_before_falling");
  EXPECT_TRUE(R.Verified) << show(R);
  oneFailure(verify("switch_fallthrough.c", "default_reached_by_falling"), 59,
             2, "postcondition may not hold");
}

TEST(VerifierSwitch, AnOverreadInOneCaseIsReportedThere) {
  auto F = oneFailure(verify("switch.c", "switch_case_overread"), 78, 7,
                      "packet access out of bounds: reading 1 byte at offset "
                      "7 requires 7 + 1 <= packet length");
  EXPECT_TRUE(contains(F.Counterexample, "switch.value = 17"))
      << F.Counterexample;
  // Past a `break` in the middle of a case, only the path that did not
  // break reads.
  auto B = oneFailure(verify("switch.c", "switch_break_early_bad"), 194, 9,
                      "packet access out of bounds: reading 1 byte at offset "
                      "9 requires 9 + 1 <= packet length");
  EXPECT_TRUE(contains(B.Counterexample, "packet length n = 9"))
      << B.Counterexample;
}

TEST(VerifierLoops, ForeverWithBreakAndVariantVerifies) {
  auto R = verify("loops_control.c", "forever_ok");
  EXPECT_TRUE(R.Verified) << show(R);
}

TEST(VerifierLoops, LoopWithoutInvariantFails) {
  oneFailure(verify("for_loop.c", "while_loop"), 23, 2,
             "loop invariant missing: write /*@ Inv P Variant t */ "
             "immediately before the loop");
  // A counting loop has an inferred invariant, which says nothing of sum:
  // the failure names it.
  auto F = oneFailure(verify("for_loop.c", "xdp_prog"), 14, 3,
                      "signed overflow in addition of type 'int'");
  EXPECT_EQ(F.Note, "the loop at line 13 has no Inv: VEP-C inferred '0 <= i "
                    "&& i <= 4' (write /*@ Inv P */ to say more)");
}

// A counting loop without Inv: the VLAN walk verifies with its inferred
// cursor, a while loop counting with more in its condition with its
// inferred range, loops relying on guards before them with the facts
// kept, packet walks with their cursors' bounds; a cursor moved back gets
// none, and the failure notes what was inferred, as does an inferred
// bound that is not preserved; a `continue` that skips the increment
// makes no counting loop; a guard's fact on a variable the loop changes
// is not kept.
TEST(VerifierLoops, InferredInvariants) {
  auto V = verifyExample("xdp_vlan_walk.c");
  EXPECT_TRUE(V.Verified) << show(V);
  for (const char *Fn : {"cursor_moved_in_branch", "while_counter",
                         "header_words", "guarded_index", "signed_guard",
                         "guard_outside_if", "bound_by_if",
                         "walk_by_lengths", "scan_to_nul", "scan_pairs",
                         "cursor_not_read"}) {
    V = verify("loop_inferred.c", Fn);
    EXPECT_TRUE(V.Verified) << Fn << ": " << show(V);
  }
  oneFailure(verify("loop_inferred.c", "while_continue"), 49, 3,
             "loop invariant missing: write /*@ Inv P Variant t */ "
             "immediately before the loop");
  oneFailure(verify("loop_inferred.c", "guard_then_changed"), 94, 5,
             "index out of bounds: 'counts[k]' (8 elements)");
  auto F = oneFailure(verify("loop_inferred.c", "walk_back"), 175, 12,
                      "packet access out of bounds: reading 1 byte at a "
                      "variable offset requires 0 <= offset and offset + 1 "
                      "<= packet length");
  EXPECT_EQ(F.Note, "the loop at line 172 has no Inv: VEP-C inferred '0 <= i "
                    "&& i <= 4' (write /*@ Inv P */ to say more)");
  F = oneFailure(verify("loop_inferred.c", "walk_past_bound"), 189, 3,
                 "loop invariant may not be preserved");
  EXPECT_EQ(F.Note, "the loop at line 189 has no Inv: VEP-C inferred '0 <= i "
                    "&& i <= 4 && data <= p && p <= data_end + 255' (write "
                    "/*@ Inv P */ to say more)");
  F = oneFailure(verify("loop_inferred.c", "scan_start_unchecked"), 236, 3,
                 "loop invariant may not hold on entry");
  EXPECT_EQ(F.Note, "the loop at line 236 has no Inv: VEP-C inferred 'data <= "
                    "p && p <= data_end + 2 Variant data_end + 2 - p' (write "
                    "/*@ Inv P */ to say more)");
}

TEST(VerifierLoops, PointerChangingRegionAcrossIterationsIsNotSupportedYet) {
  auto R = verify("loop_region.c");
  EXPECT_TRUE(R.Unsupported) << show(R);
  ASSERT_EQ(R.Failures.size(), 1u) << show(R);
  EXPECT_EQ(R.Failures[0].Obligation,
            "not supported yet: variable 'p' may point into another region "
            "at the next iteration of the loop");
}

// -- nested loops (nested_loops.c) --------------------------------------------

TEST(VerifierNested, TwoLevelCountingLoopOverThePacketVerifies) {
  // Both variants inferred (8 - i, 8 - j); the inner head knows i < 8
  // from its own invariant only.
  auto R = verify("nested_loops.c", "two_level");
  EXPECT_TRUE(R.Verified) << show(R);
}

TEST(VerifierNested, InnerLoopWithoutProgressFails) {
  // The definition j = 0 of the outer body is carried (j == 0 at the
  // inner head: the inner loop never assigns j).
  auto F = oneFailure(verify("nested_loops.c", "inner_endless"), 38, 55,
                      "loop variant may not decrease");
  EXPECT_TRUE(contains(F.Counterexample, "j = 0,")) << F.Counterexample;
  EXPECT_TRUE(contains(F.Counterexample, "variant after the iteration = 4"))
      << F.Counterexample;
}

TEST(VerifierNested, InnerLoopUndoingTheOuterProgressFails) {
  // The outer body's i++ is a decrease of 4 - i before the inner loop;
  // the inner iteration's i-- takes it back, reported at the outer
  // variant.
  auto F = oneFailure(verify("nested_loops.c", "inner_undoes_outer"), 52, 25,
                      "loop variant may increase in an iteration of the "
                      "inner loop at line 56");
  // Any model will do (the solver picks one): the variant now exceeds
  // its value at the inner head, after the outer decrease.
  const std::string Head = "variant at the head of the loop at line 56 "
                           "(after a decrease) = ",
                    Now = "variant now = ";
  size_t H = F.Counterexample.find(Head), N = F.Counterexample.find(Now);
  ASSERT_NE(H, std::string::npos) << F.Counterexample;
  ASSERT_NE(N, std::string::npos) << F.Counterexample;
  EXPECT_GT(std::stoll(F.Counterexample.substr(N + Now.size())),
            std::stoll(F.Counterexample.substr(H + Head.size())))
      << F.Counterexample;
}

TEST(VerifierNested, InnerInvariantMustHoldOnEntryFromTheOuterBody) {
  auto F = oneFailure(verify("nested_loops.c", "inner_inv_entry_bad"), 74, 11,
                      "loop invariant may not hold on entry");
  EXPECT_TRUE(contains(F.Counterexample, "i = 0")) << F.Counterexample;
}

TEST(VerifierNested, AccessOutOfBoundsInALaterInnerIterationFails) {
  auto F =
      oneFailure(verify("nested_loops.c", "inner_second_iteration_oob"), 98, 11,
                 "packet access out of bounds: reading 1 byte at a "
                 "variable offset requires 0 <= offset and offset + 1 "
                 "<= packet length");
  EXPECT_TRUE(contains(F.Counterexample, "i = 1, j = 1")) << F.Counterexample;
  EXPECT_TRUE(contains(F.Counterexample, "offset = 23")) << F.Counterexample;
}

TEST(VerifierNested, BreakBindsToTheInnerLoop) {
  // The break leaves the inner loop only, with k == 3, and the outer
  // iteration continues to its back edge, where k <= 2 fails.
  auto F = oneFailure(verify("nested_loops.c", "inner_break_bad"), 110, 10,
                      "loop invariant may not be preserved");
  EXPECT_TRUE(contains(F.Counterexample, "k = 3")) << F.Counterexample;
  // Lowered after the inner loop, k satisfies it (continue, too, goes to
  // the inner loop's step).
  auto R = verify("nested_loops.c", "inner_break_ok");
  EXPECT_TRUE(R.Verified) << show(R);
}

TEST(VerifierNested, InnerLoopAdvancingTheOuterPointerVerifies) {
  // The outer body's p++ before the inner loop decreases data_end - p; the
  // inner loop only decreases it further.
  auto R = verify("nested_loops.c", "words");
  EXPECT_TRUE(R.Verified) << show(R);
  // Without it the path from the inner head that leaves at once returns to
  // the outer head with the variant it had at the inner head.
  auto F = oneFailure(verify("nested_loops.c", "words_bad"), 185, 45,
                      "loop variant may not decrease");
  EXPECT_TRUE(contains(F.Counterexample,
                       "variant at the head of the loop at line 193 = 0"))
      << F.Counterexample;
}

TEST(VerifierNested, ThreeLevels) {
  auto R = verify("nested_loops.c", "three_level");
  EXPECT_TRUE(R.Verified) << show(R);
  // i = 0 in the innermost loop: the outermost (inferred) variant grows
  // in an iteration of the innermost loop.
  auto F = oneFailure(verify("nested_loops.c", "three_level_restart"), 230, 2,
                      "loop variant may increase in an iteration of the "
                      "inner loop at line 235 (inferred variant '4 - i'; "
                      "write a Variant to choose another)");
  EXPECT_TRUE(contains(F.Counterexample, "variant now = 4"))
      << F.Counterexample;
}

TEST(VerifierNested, InlineFunctionWithALoopCalledInALoop) {
  // bits8's loop inside the caller's: i's facts and the test i < 16 are
  // carried to its head.
  auto R = verify("nested_loops.c", "popcount16");
  EXPECT_TRUE(R.Verified) << show(R);
  // A return in the inner of two loops of an inline function leaves both.
  auto C = verify("nested_loops.c", "common_bits");
  EXPECT_TRUE(C.Verified) << show(C);
  // The same function in a loop: three levels.
  auto L = verify("nested_loops.c", "common_bits_loop");
  EXPECT_TRUE(L.Verified) << show(L);
}

TEST(VerifierNested, DoLoopsWithContinueVerify) {
  auto R = verify("nested_loops.c", "do_while_rows");
  EXPECT_TRUE(R.Verified) << show(R);
}

TEST(VerifierNested, OuterFactsAreCarriedOnlyWhileTheyHold) {
  auto R = verify("nested_loops.c", "carried");
  EXPECT_TRUE(R.Verified) << show(R);
  // p++ before the inner loop: data <= p is not carried, so the outer
  // invariant cannot be shown again after the inner loop.
  auto F = oneFailure(verify("nested_loops.c", "not_carried"), 352, 10,
                      "loop invariant may not be preserved");
  EXPECT_TRUE(contains(F.Counterexample, "p at the head = data"))
      << F.Counterexample;
}

TEST(VerifierNested, BoundOverwrittenAfterTheInnerLoopIsCarried) {
  auto R = verify("nested_loops.c", "carried_past_overwrite");
  EXPECT_TRUE(R.Verified) << show(R);
  // A new bound of up to 15 breaks the outer invariant's limit <= 8.
  auto F = oneFailure(verify("nested_loops.c", "carried_past_overwrite_bad"),
                      446, 10, "loop invariant may not be preserved");
  EXPECT_TRUE(contains(F.Counterexample, "limit = ")) << F.Counterexample;
}

// -- definitions carried, inline loops in loops (inline_in_loop.c) -----------

TEST(VerifierDefinitions, InlineLoopKnowsWhatItsParametersPointTo) {
  // zeros.p == data + 8 * i, zeros.end == data + 8 * i + 8 at its head.
  auto R = verify("inline_in_loop.c", "rows");
  EXPECT_TRUE(R.Verified) << show(R);
  auto F = oneFailure(verify("inline_in_loop.c", "rows_bad"), 14, 7,
                      "packet access out of bounds: reading 1 byte at a "
                      "variable offset requires 0 <= offset and offset + 1 "
                      "<= packet length");
  EXPECT_TRUE(contains(F.Counterexample, "zeros.q = data + 32"))
      << F.Counterexample;
  // Passed variables, read by the inlined body itself.
  auto V = verify("inline_in_loop.c", "zeros_from_each");
  EXPECT_TRUE(V.Verified) << show(V);
  auto E = verifyExample("payload_string_lengths.c");
  EXPECT_TRUE(E.Verified) << show(E);
}

TEST(VerifierDefinitions, DefinitionHoldsOnlyUntilItsVariableChanges) {
  auto R = verify("inline_in_loop.c", "row_pointer");
  EXPECT_TRUE(R.Verified) << show(R);
  auto F = oneFailure(verify("inline_in_loop.c", "row_pointer_moved"), 93, 11,
                      "packet access out of bounds: reading 1 byte at a "
                      "variable offset requires 0 <= offset and offset + 1 "
                      "<= packet length");
}

TEST(VerifierDefinitions, AssignedParameterIsACopy) {
  auto F = oneFailure(verify("inline_in_loop.c", "copy_kept"), 134, 13,
                      "assertion may not hold");
  EXPECT_TRUE(contains(F.Counterexample, "s = data, t = data + 1"))
      << F.Counterexample;
}

// -- variables sharing a name (shadowed_names.c) -----------------------------

TEST(VerifierShadowed, SecondLoopOfTheSameNameCarriesItsFacts) {
  // The second i is i#2: its invariant and test reach the nested loop.
  auto R = verify("shadowed_names.c", "sequential_i");
  EXPECT_TRUE(R.Verified) << show(R);
  auto F = oneFailure(verify("shadowed_names.c", "sequential_i_bad"), 50, 11,
                      "packet access out of bounds: reading 1 byte at a "
                      "variable offset requires 0 <= offset and offset + 1 "
                      "<= packet length");
  EXPECT_TRUE(contains(F.Counterexample, "i#2 = 3, j = 3")) << F.Counterexample;
  EXPECT_TRUE(contains(F.Counterexample, "offset = 16")) << F.Counterexample;
}

TEST(VerifierShadowed, InnerNameDenotesTheInnerVariable) {
  auto R = verify("shadowed_names.c", "nested_i");
  EXPECT_TRUE(R.Verified) << show(R);
  // The inner invariant's i is the inner one (i#2): bounded by 9, it
  // reaches one past the row.
  auto F = oneFailure(verify("shadowed_names.c", "nested_i_bad"), 92, 11,
                      "packet access out of bounds: reading 1 byte at a "
                      "variable offset requires 0 <= offset and offset + 1 "
                      "<= packet length");
  EXPECT_TRUE(contains(F.Counterexample, "row = 56, i#2 = 8"))
      << F.Counterexample;
}

TEST(VerifierAnnotations, PointerComparisonsAndDifferences) {
  // Everything holds but the last assertion: only 16 bytes are known.
  auto F = oneFailure(verify("ptr_annot.c"), 17, 13, "assertion may not hold");
  EXPECT_TRUE(contains(F.Counterexample, "p = data + 14")) << F.Counterexample;
  EXPECT_TRUE(contains(F.Counterexample, "n = 16")) << F.Counterexample;
}

TEST(VerifierAnnotations, PointersIntoDifferentRegionsAreNotSupportedYet) {
  auto R = verify("ptr_regions.c");
  EXPECT_TRUE(R.Unsupported);
  ASSERT_EQ(R.Failures.size(), 1u) << show(R);
  EXPECT_EQ(R.Failures[0].Obligation,
            "not supported yet: comparison of pointers into different "
            "regions in an annotation");
  EXPECT_EQ(R.Failures[0].L.Line, 9u);
  EXPECT_EQ(R.Failures[0].L.Col, 13u);
}

} // namespace

// -- maps and helper calls ----------------------------------------------------

namespace {

TEST(VerifierMaps, CheckedLookupAtomicAddAndOtherHelpersVerify) {
  auto R = verify("map_verify.c", "lookup_ok");
  EXPECT_TRUE(R.Verified) << show(R);
  // A lookup inside a loop body: its value is not live at the head.
  auto L = verify("map_verify.c", "lookup_in_loop");
  EXPECT_TRUE(L.Verified) << show(L);
}

TEST(VerifierMaps, DereferenceWithoutNullCheckFails) {
  auto F = oneFailure(verify("map_verify.c", "null_deref"), 42, 9,
                      "map value may be null (compare the result of "
                      "bpf_map_lookup_elem with NULL before using it)");
  EXPECT_TRUE(contains(F.Counterexample, "p = NULL")) << F.Counterexample;
  // Arithmetic on the pointer before the check is refused too (as by the
  // kernel).
  oneFailure(verify("map_verify.c", "arithmetic_before_check"), 128, 12,
             "map value may be null (compare the result of "
             "bpf_map_lookup_elem with NULL before using it)");
}

TEST(VerifierMaps, AccessesOutsideTheValueFail) {
  auto F = oneFailure(verify("map_verify.c", "value_overflow"), 53, 2,
                      "map value access out of bounds: writing 8 bytes at "
                      "offset 16 requires 16 + 8 <= value size 16 of map "
                      "'pairs'");
  EXPECT_TRUE(contains(F.Counterexample, "p = a value of map 'pairs'"))
      << F.Counterexample;
  oneFailure(verify("map_verify.c", "value_underflow"), 64, 9,
             "map value access out of bounds: reading 4 bytes at offset -4 "
             "(before the start of the value of map 'pairs')");
}

TEST(VerifierMaps, BuffersMustBeLargeEnoughAndInitialised) {
  oneFailure(verify("map_verify.c", "small_value"), 72, 36,
             "helper given a too-small buffer: the value of map 'pairs' has "
             "16 bytes, but '&value' points to 8 (__u64)");
  oneFailure(verify("map_verify.c", "uninitialised_key"), 192, 30,
             "helper given an uninitialised buffer: 'key' has no value here");
}

TEST(VerifierMaps, MapArgumentMustBeAMap) {
  oneFailure(verify("map_verify.c", "not_a_map"), 80, 32,
             "argument is not a map: argument 1 of bpf_map_lookup_elem must "
             "be '&m' of a map defined in section .maps or an inner map a "
             "map of maps gave");
}

TEST(VerifierMaps, PointersMustNotBeStoredIntoMapValues) {
  auto F = oneFailure(verify("map_verify.c", "pointer_in_value"), 91, 3,
                      "pointer stored into a map value");
  EXPECT_TRUE(contains(F.Counterexample, "data = data")) << F.Counterexample;
  oneFailure(verify("map_verify.c", "pointer_as_update_value"), 184, 36,
             "pointer stored into a map value");
  oneFailure(verify("map_verify.c", "pointer_as_key"), 209, 30,
             "pointer used as a map key");
}

TEST(VerifierMaps, AtomicAddOnlyAlignedInAMapValue) {
  oneFailure(verify("map_verify.c", "misaligned_atomic"), 101, 3,
             "atomic add at a misaligned offset: the offset of a 8-byte "
             "atomic add must be a multiple of 8");
  oneFailure(verify("map_verify.c", "atomic_on_packet"), 112, 2,
             "atomic add on a value that is not a pointer into a map value "
             "or a global variable");
}

// Every __sync atomic, its result used (inside expressions too) or not; the
// old value is unknown (a fetch after storing 0 may not return 0: another
// CPU may write in between) and of the value's width; each rejected twin.
TEST(VerifierMaps, AtomicsOfEveryKind) {
  auto R = verify("atomics_verify.c", "every_atomic");
  EXPECT_TRUE(R.Verified) << show(R);
  auto W = verify("atomics_verify.c", "fetched_within_width");
  EXPECT_TRUE(W.Verified) << show(W);
  oneFailure(verify("atomics_verify.c", "fetched_is_unknown"), 45, 2,
             "postcondition may not hold");
  oneFailure(verify("atomics_verify.c", "cmpxchg_pointer"), 66, 3,
             "pointer compared by an atomic cmpxchg");
  oneFailure(verify("atomics_verify.c", "misaligned_xchg"), 76, 3,
             "atomic xchg at a misaligned offset: the offset of a 8-byte "
             "atomic xchg must be a multiple of 8");
  oneFailure(verify("atomics_verify.c", "or_on_packet"), 87, 14,
             "atomic or on a value that is not a pointer into a map value "
             "or a global variable");
}

// The helpers every program type may call (so functions may).
const std::string EveryTypesHelpers =
    "bpf_map_lookup_elem, bpf_map_update_elem, bpf_map_delete_elem, "
    "bpf_ktime_get_ns, bpf_trace_printk, bpf_get_prandom_u32, "
    "bpf_get_smp_processor_id, bpf_tail_call, bpf_perf_event_output, "
    "bpf_ringbuf_output, bpf_ringbuf_reserve, bpf_ringbuf_submit, "
    "bpf_ringbuf_discard, bpf_trace_vprintk)";

/// The helpers VEP allows in XDP programs, as the rejection of another
/// one lists them.
const std::string XdpHelpers =
    "bpf_map_lookup_elem, bpf_map_update_elem, bpf_map_delete_elem, "
    "bpf_ktime_get_ns, bpf_trace_printk, bpf_get_prandom_u32, "
    "bpf_get_smp_processor_id, bpf_tail_call, bpf_redirect, "
    "bpf_perf_event_output, bpf_csum_diff, bpf_redirect_map, "
    "bpf_ringbuf_output, bpf_ringbuf_reserve, bpf_ringbuf_submit, "
    "bpf_ringbuf_discard, bpf_trace_vprintk, bpf_fib_lookup, "
    "bpf_xdp_adjust_head, bpf_xdp_adjust_tail)";

TEST(VerifierMaps, OtherHelpersAreRejected) {
  oneFailure(verify("map_verify.c", "helper_not_allowed"), 119, 13,
             "helper 14 is not supported/allowed for XDP programs (VEP "
             "allows " + XdpHelpers);
}

TEST(VerifierMaps, MapValueContentsAreNotRemembered) {
  // Other CPUs and user space may write the value between two accesses.
  oneFailure(verify("map_verify.c", "contents_not_remembered"), 169, 2,
             "postcondition may not hold");
}

// A map value pointer the loop does not assign is carried across its head,
// not null (an obligation on entry); one the loop moves is not supported.
TEST(VerifierMaps, MapValuePointerAcrossALoop) {
  auto R = verify("map_verify.c", "value_across_loop");
  EXPECT_TRUE(R.Verified) << show(R);
  oneFailure(verify("map_verify.c", "value_maybe_null_across_loop"), 219, 2,
             "map value pointer 'v' may be null on entry to the loop (the "
             "loop head carries it as not null: check it first)");
  R = verify("map_verify.c", "value_moved_in_loop");
  EXPECT_TRUE(R.Unsupported);
  ASSERT_EQ(R.Failures.size(), 1u) << show(R);
  EXPECT_EQ(R.Failures[0].Obligation,
            "not supported yet: variable 'v' holding a map value pointer at "
            "the head of a loop that the loop assigns or at a variable "
            "offset (look the value up inside the loop)");
  EXPECT_EQ(R.Failures[0].L.Line, 233u);
}

TEST(VerifierMaps, MapValuePointerInAnAnnotationIsNotSupportedYet) {
  auto R = verify("map_verify.c", "value_in_annotation");
  EXPECT_TRUE(R.Unsupported);
  ASSERT_FALSE(R.Failures.empty());
  for (const auto &F : R.Failures) { // one per occurrence of v
    EXPECT_EQ(F.Obligation, "not supported yet: variable 'v' holding a map "
                            "value pointer in an annotation");
    EXPECT_EQ(F.L.Line, 201u);
  }
}

TEST(VerifierMaps, ExamplesVerify) {
  for (const char *Name :
       {"count_protocols.c", "count_sources.c", "drop_blocked.c"}) {
    auto R = verifyExample(Name);
    EXPECT_TRUE(R.Verified) << Name << "\n" << show(R);
  }
}

//===-- tc and socket filter programs -------------------------------------===//

TEST(VerifierSkb, ContextFieldsPacketAndLoadBytesVerify) {
  for (const char *Fn : {"tc_ok", "socket_ok"}) {
    auto R = verify("skb_verify.c", Fn);
    EXPECT_TRUE(R.Verified) << Fn << "\n" << show(R);
  }
  for (const char *Name : {"tc_dscp_mark.c", "tc_proto_bytes.c",
                           "socket_count_protocols.c", "socket_tcp_syn.c"}) {
    auto R = verifyExample(Name);
    EXPECT_TRUE(R.Verified) << Name << "\n" << show(R);
  }
}

TEST(VerifierTracing, RecordReadsInsideTheRangeVerify) {
  for (const char *Fn :
       {"kprobe_args", "tp_reads", "raw_comm_probe", "tp_void_record"}) {
    auto R = verify("tracing_verify.c", Fn);
    EXPECT_TRUE(R.Verified) << Fn << ": " << show(R);
  }
}

TEST(VerifierTracing, RecordAccessesOutsideTheKernelsRulesFail) {
  oneFailure(verify("tracing_verify.c", "tp_reads_header"), 37, 10,
             "invalid context access: reading 8 bytes at offset 0 of the "
             "tracepoint's record (tracepoint programs read aligned 1, 2, 4 "
             "or 8 bytes at offsets from 8 to 2047)");
  oneFailure(verify("tracing_verify.c", "tp_reads_past_end"), 43, 10,
             "invalid context access: reading 4 bytes at offset 2048 of the "
             "tracepoint's record (tracepoint programs read aligned 1, 2, 4 or 8 "
             "bytes at offsets from 8 to 2047)");
  oneFailure(verify("tracing_verify.c", "tp_misaligned"), 49, 10,
             "invalid context access: reading 2 bytes at offset 17 of the "
             "tracepoint's record (tracepoint programs read aligned 1, 2, 4 or 8 "
             "bytes at offsets from 8 to 2047)");
  oneFailure(verify("tracing_verify.c", "raw_writes"), 55, 3,
             "store to the context (struct bpf_raw_tracepoint_args is "
             "read-only)");
  oneFailure(verify("tracing_verify.c", "raw_past_args"), 62, 10,
             "invalid context access: reading 8 bytes at offset 96 of struct "
             "bpf_raw_tracepoint_args (raw tracepoint programs read aligned "
             "1, 2, 4 or 8 bytes at offsets from 0 to 95)");
  oneFailure(verify("tracing_verify.c", "raw_variable_arg"), 69, 10,
             "context access at a variable offset");
  oneFailure(verify("tracing_verify.c", "tp_void_header"), 118, 10,
             "invalid context access: reading 4 bytes at offset 4 of the "
             "tracepoint's record (tracepoint programs read aligned 1, 2, 4 "
             "or 8 bytes at offsets from 8 to 2047)");
}

TEST(VerifierTracing, HelpersOfTheProgramType) {
  oneFailure(verify("tracing_verify.c", "raw_probe_from_ctx"), 87, 48,
             "argument 3 of bpf_probe_read_kernel must be an integer, not a "
             "pointer");
  oneFailure(verify("tracing_verify.c", "kretprobe_skb_helper"), 95, 3,
             "helper 26 is not supported/allowed for kprobe"
             " programs (VEP allows bpf_map_lookup_elem, bpf_map_update_elem, "
             "bpf_map_delete_elem, bpf_ktime_get_ns, bpf_trace_printk, "
             "bpf_get_prandom_u32, bpf_get_smp_processor_id, bpf_tail_call, "
             "bpf_perf_event_output, bpf_ringbuf_output, "
             "bpf_ringbuf_reserve, bpf_ringbuf_submit, bpf_ringbuf_discard, "
             "bpf_trace_vprintk, "
             "bpf_get_current_pid_tgid, bpf_get_current_uid_gid, "
             "bpf_get_current_comm, bpf_probe_read_user, "
             "bpf_probe_read_kernel, bpf_probe_read_user_str, "
             "bpf_probe_read_kernel_str)");
  oneFailure(verify("tracing_verify.c", "xdp_comm"), 103, 3,
             "helper 16 is not supported/allowed for XDP"
             " programs (VEP allows " +
                 XdpHelpers);
}

TEST(VerifierHelpers, HeaderDeclaresTheTablesHelpers) {
  // vep/helpers.h documents the contracts; its declarations (the ids and C
  // types) must be the helpers the table checks: a program calling each
  // through them verifies.
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(frontend::buildModule(input("helpers_header.c"),
                                    {"-I" VEPC_TEST_INPUTS "/../../include"}, M,
                                    Errs))
      << show(Errs);
  ASSERT_EQ(M.Functions.size(), 3u);
  for (const auto &F : M.Functions) {
    auto R = verifier::verifyFunction(M, F);
    EXPECT_TRUE(R.Verified) << F.Name << ": " << show(R);
  }
}

TEST(VerifierRingbuf, ReservationsAreBoundedCheckedAndReleased) {
  for (const char *Fn :
       {"reserve_ok", "reserve_in_loop_ok", "reserve_live_in_loop",
        "reserve_filled_in_loop", "reserve_across_call",
        "reserve_passed_to_function"}) {
    auto R = verify("ringbuf_verify.c", Fn);
    EXPECT_TRUE(R.Verified) << Fn << ": " << show(R);
  }
  oneFailure(verify("ringbuf_verify.c", "reserve_not_released"), 50, 5,
             "ringbuf reservation from line 45 not submitted or discarded");
  oneFailure(verify("ringbuf_verify.c", "reserve_past_end"), 61, 3,
             "ringbuf memory access out of bounds: writing 4 bytes at offset "
             "8 requires 8 + 4 <= the 8 bytes reserved at line 58");
  oneFailure(verify("ringbuf_verify.c", "reserve_may_be_null"), 70, 3,
             "reserved pointer may be null (compare the result of "
             "bpf_ringbuf_reserve with NULL before using it)");
  oneFailure(verify("ringbuf_verify.c", "reserve_use_after_submit"), 82, 10,
             "ringbuf memory reserved at line 78 used after its submit or "
             "discard");
  oneFailure(verify("ringbuf_verify.c", "reserve_twice_released"), 92, 23,
             "ringbuf memory reserved at line 88 used after its submit or "
             "discard");
  oneFailure(verify("ringbuf_verify.c", "reserve_variable_size"), 99, 39,
             "argument 2 of bpf_ringbuf_reserve must be a constant from 1 to "
             "2^20 (the kernel requires a known size)");
  oneFailure(verify("ringbuf_verify.c", "reserve_submit_moved"), 112, 22,
             "argument 1 of bpf_ringbuf_submit must point to the start of "
             "the reserved memory");
  oneFailure(verify("ringbuf_verify.c", "reserve_pointer_stored"), 122, 3,
             "pointer stored into ringbuf memory (user space reads it)");
  oneFailure(verify("ringbuf_verify.c", "reserve_then_tail_call"), 147, 3,
             "ringbuf reservation from line 144 not submitted or discarded "
             "before bpf_tail_call");
  oneFailure(verify("ringbuf_verify.c", "reserve_leaks_in_loop"), 173, 3,
             "ringbuf reservation from line 174 not submitted or discarded "
             "at the end of an iteration (one reserved in the loop is "
             "released in it)");
  // Passed to a function as its buffer: the reserved size bounds it, the
  // caller still owns it, the function cannot release it.
  oneFailure(verify("ringbuf_verify.c", "reserve_passed_too_small"), 358, 3,
             "precondition of 'fill_bytes' may not hold: 'buf' must point to "
             "n bytes the caller may access");
  oneFailure(verify("ringbuf_verify.c", "reserve_passed_after_submit"), 370, 3,
             "ringbuf memory reserved at line 366 used after its submit or "
             "discard");
  oneFailure(verify("ringbuf_verify.c", "submit_buffer"), 378, 22,
             "argument 1 of bpf_ringbuf_submit must be a pointer "
             "bpf_ringbuf_reserve returned");
  // A helper reading reserved memory: in bounds, written or not.
  auto Read = verify("ringbuf_verify.c", "reserve_as_read_buffer");
  EXPECT_TRUE(Read.Verified) << show(Read);
  auto Past = verify("ringbuf_verify.c", "reserve_read_past");
  EXPECT_FALSE(Past.Verified);
  EXPECT_FALSE(Past.Unsupported) << show(Past);
  ASSERT_FALSE(Past.Failures.empty()) << show(Past);
  EXPECT_EQ(Past.Failures[0].L.Line, 227u);
  EXPECT_NE(
      Past.Failures[0].Obligation.find("ringbuf memory access out of bounds"),
      std::string::npos)
      << show(Past);
  // Pending across a loop: carried by the one variable holding it, not
  // null on entry, still pending at the end of each iteration.
  oneFailure(verify("ringbuf_verify.c", "reserve_released_in_loop"), 261, 3,
             "ringbuf reservation from line 256 submitted or discarded "
             "inside the loop, which carries it to the next iteration "
             "(release it after the loop)");
  oneFailure(verify("ringbuf_verify.c", "reserve_null_at_loop"), 276, 3,
             "ringbuf reservation 's' may be null on entry to the loop (the "
             "loop head carries it as not null: check it first)");
  oneFailure(verify("ringbuf_verify.c", "reserve_unheld_at_loop"), 292, 3,
             "ringbuf reservation from line 287 not submitted or discarded "
             "before the loop (no variable the loop or the code after it "
             "reads holds it)");
  for (auto [Fn, Line, What] :
       {std::tuple{"reserve_moved_in_loop", 306u,
                   "variable 'p' holding a ringbuf reservation at the head "
                   "of a loop that the loop assigns or at a variable offset"},
        std::tuple{"reserve_two_holders", 323u,
                   "two variables holding the ringbuf reservation from line "
                   "317 at the head of a loop (keep one)"}}) {
    auto U = verify("ringbuf_verify.c", Fn);
    EXPECT_TRUE(U.Unsupported) << Fn << ": " << show(U);
    ASSERT_FALSE(U.Failures.empty()) << Fn;
    EXPECT_EQ(U.Failures[0].L.Line, Line) << Fn;
    EXPECT_NE(U.Failures[0].Obligation.find(What), std::string::npos)
        << Fn << ": " << show(U);
  }
}

TEST(VerifierHelpers, ReadBuffersMapTypesTailCallsAndStringReads) {
  for (const char *Fn : {"output_ok", "printk_values", "read_str_ok"}) {
    auto R = verify("helpers_verify.c", Fn);
    EXPECT_TRUE(R.Verified) << Fn << ": " << show(R);
  }
  oneFailure(verify("helpers_verify.c", "output_too_much"), 42, 27,
             "helper given a too-small buffer: bpf_ringbuf_output reads 8 "
             "bytes, but '&word' points to 4 (__u32)");
  oneFailure(verify("helpers_verify.c", "output_unassigned"), 50, 27,
             "helper given an uninitialised buffer: 'word' has no value "
             "here, and bpf_ringbuf_output reads it");
  oneFailure(verify("helpers_verify.c", "output_pointer"), 58, 27,
             "pointer leaked: 'data' holds a pointer, and bpf_ringbuf_output "
             "copies its bytes out");
  oneFailure(verify("helpers_verify.c", "output_past_value"), 68, 29,
             "map value access out of bounds: reading 16 bytes at offset 0 "
             "requires 0 + 16 <= value size 8 of map 'values'");
  oneFailure(verify("helpers_verify.c", "output_wrong_map"), 76, 22,
             "wrong map type: argument 1 of bpf_ringbuf_output must be a map "
             "of a type bpf_ringbuf_output takes, not 'values' (array)");
  oneFailure(verify("helpers_verify.c", "tail_call_result"), 83, 8,
             "the result of bpf_tail_call is undefined (it returns only when "
             "the call fails, leaving R0 unset): call it as a statement");
  oneFailure(verify("helpers_verify.c", "printk_pointer"), 101, 59,
             "argument 3 of bpf_trace_printk must be an integer, not a "
             "pointer");
  oneFailure(verify("helpers_verify.c", "read_str_unassigned"), 119, 29,
             "helper given an uninitialised buffer: 'name' has no value "
             "here, and bpf_probe_read_kernel_str writes only the string and "
             "its NUL, not all of its 8 bytes");
  // Safe in bounds, but no stage follows a packet buffer of a helper yet.
  auto R = verify("helpers_verify.c", "output_packet");
  EXPECT_TRUE(R.Unsupported);
  ASSERT_EQ(R.Failures.size(), 1u) << show(R);
  EXPECT_EQ(R.Failures[0].Obligation,
            "not supported yet: a packet or buffer pointer as the data "
            "bpf_ringbuf_output reads (copy the bytes into a variable "
            "first)");
  EXPECT_EQ(R.Failures[0].L.Line, 130u);
  // A precondition of csum_diff's contract that is no safety condition.
  oneFailure(verify("helpers_verify.c", "csum_odd_length"), 138, 41,
             "helper given a length that is not a multiple of 4: "
             "bpf_csum_diff fails on it");
}

// bpf_fib_lookup reads its parameters, a local struct with overlaid
// unions, and writes the route over part of them: every byte must hold a
// value before the call; XDP and tc only.
TEST(VerifierHelpers, FibLookupUpdatesItsParameters) {
  auto R = verify("helpers_verify.c", "fib_route_ok");
  EXPECT_TRUE(R.Verified) << show(R);
  oneFailure(verify("helpers_verify.c", "fib_params_unset"), 156, 30,
             "read of uninitialised variable 'fib.l4_protocol'");
  oneFailure(verify("helpers_verify.c", "fib_in_socket_filter"), 163, 10,
             "helper 69 is not supported/allowed for socket filter programs "
             "(VEP allows bpf_map_lookup_elem, bpf_map_update_elem, "
             "bpf_map_delete_elem, bpf_ktime_get_ns, bpf_trace_printk, "
             "bpf_get_prandom_u32, bpf_get_smp_processor_id, bpf_tail_call, "
             "bpf_perf_event_output, bpf_skb_load_bytes, bpf_ringbuf_output, "
             "bpf_ringbuf_reserve, bpf_ringbuf_submit, bpf_ringbuf_discard, "
             "bpf_trace_vprintk)");
}

TEST(VerifierHelpers, WrittenBuffersInMapValuesAndReservations) {
  for (const char *Fn : {"comm_into_reservation_ok", "reads_into_value_ok"}) {
    auto R = verify("output_buffers_verify.c", Fn);
    EXPECT_TRUE(R.Verified) << Fn << ": " << show(R);
  }
  oneFailure(verify("output_buffers_verify.c", "comm_past_reservation"), 71, 24,
             "helper given a too-small buffer: bpf_get_current_comm's ringbuf "
             "memory access out of bounds: writing 16 bytes at offset 4 "
             "requires 4 + 16 <= the 16 bytes reserved at line 68");
  oneFailure(verify("output_buffers_verify.c", "read_past_value"), 83, 25,
             "helper given a too-small buffer: bpf_probe_read_kernel's map "
             "value access out of bounds: writing 17 bytes at offset 4 "
             "requires 4 + 17 <= value size 20 of map 'last'");
  oneFailure(verify("output_buffers_verify.c", "comm_at_variable_offset"), 95,
             24,
             "helper given a too-small buffer: bpf_get_current_comm's map "
             "value access out of bounds: writing 4 bytes at a variable "
             "offset requires 0 <= offset and offset + 4 <= value size 20 of "
             "map 'last'");
  oneFailure(verify("output_buffers_verify.c", "comm_into_readonly_value"), 106,
             24,
             "write to a value of map 'names', which the program may only "
             "read (BPF_F_RDONLY_PROG)");
  oneFailure(verify("output_buffers_verify.c", "store_into_readonly_value"),
             160, 3,
             "write to a value of map 'names', which the program may only "
             "read (BPF_F_RDONLY_PROG)");
  oneFailure(verify("output_buffers_verify.c", "comm_after_submit"), 117, 24,
             "ringbuf memory reserved at line 113 used after its submit or "
             "discard");
  oneFailure(verify("output_buffers_verify.c", "comm_before_null_check"), 125,
             25,
             "reserved pointer may be null (compare the result of "
             "bpf_ringbuf_reserve with NULL before using it)");
  oneFailure(verify("output_buffers_verify.c", "comm_into_map"), 134, 24,
             "argument 1 of bpf_get_current_comm must be '&v' of a local "
             "variable or a pointer into a map value, a global variable or "
             "reserved ringbuf memory");
  // Map contents are never assumed, so after the helper's write neither
  // the 'b' stored before nor any byte of the name is known (a guard: were
  // stores into values ever tracked, the helper's write must forget them).
  oneFailure(verify("output_buffers_verify.c", "written_name_unknown"), 149, 3,
             "postcondition may not hold");
}

TEST(VerifierSkb, LoadBytesWritesAnUnknownValue) {
  oneFailure(verify("skb_verify.c", "written_value_unknown"), 47, 2,
             "postcondition may not hold");
}

TEST(VerifierSkb, OnlyTheProgramTypesWritableFieldsAreStored) {
  oneFailure(verify("skb_verify.c", "tc_writes_len"), 53, 2,
             "store to the context: writing 4 bytes at offset 0 of struct "
             "__sk_buff (tc programs write only the 4-byte fields mark, "
             "priority, tc_index, cb[0], cb[1], cb[2], cb[3], cb[4], "
             "tc_classid)");
  oneFailure(verify("skb_verify.c", "socket_writes_mark"), 60, 2,
             "store to the context: writing 4 bytes at offset 8 of struct "
             "__sk_buff (socket filter programs write only the 4-byte fields "
             "cb[0], cb[1], cb[2], cb[3], cb[4])");
  oneFailure(verify("skb_verify.c", "tc_pointer_into_ctx"), 85, 2,
             "pointer stored into the context");
}

TEST(VerifierSkb, OnlyTheProgramTypesReadableFieldsAreRead) {
  auto F = oneFailure(verify("skb_verify.c", "socket_reads_data"), 67, 9,
                      "context field 'data' is not readable in socket filter "
                      "programs (no direct packet access: read the packet "
                      "with bpf_skb_load_bytes)");
  // A socket filter has no packet length to show.
  EXPECT_FALSE(contains(F.Counterexample, "packet length")) << F.Counterexample;
  oneFailure(verify("skb_verify.c", "socket_reads_classid"), 73, 9,
             "context field 'tc_classid' is not readable in socket filter "
             "programs");
  auto N = oneFailure(verify("skb_verify.c", "tc_narrow_read"), 79, 9,
                      "invalid context access: reading 2 bytes at offset 8 of "
                      "struct __sk_buff (tc programs read the 4-byte fields "
                      "len, pkt_type, mark, queue_mapping, protocol, "
                      "vlan_present, vlan_tci, vlan_proto, priority, "
                      "ingress_ifindex, ifindex, tc_index, cb[0], cb[1], "
                      "cb[2], cb[3], cb[4], hash, tc_classid, data, "
                      "data_end)");
  EXPECT_TRUE(contains(N.Counterexample, "packet length")) << N.Counterexample;
}

TEST(VerifierSkb, LoadBytesNeedsContextLengthAndBuffer) {
  oneFailure(verify("skb_verify.c", "too_small"), 93, 29,
             "helper given a too-small buffer: bpf_skb_load_bytes writes 4 "
             "bytes, but '&v' points to 2 (__u16)");
  oneFailure(verify("skb_verify.c", "partly_written_uninitialised"), 101, 29,
             "helper given an uninitialised buffer: 'v' has no value here, "
             "and bpf_skb_load_bytes writes only 2 of its 4 bytes");
  oneFailure(verify("skb_verify.c", "zero_length"), 109, 33,
             "helper given a zero length: bpf_skb_load_bytes must write at "
             "least 1 byte");
  oneFailure(verify("skb_verify.c", "not_the_context"), 118, 21,
             "argument 1 of bpf_skb_load_bytes must be the context pointer");
}

TEST(VerifierSkb, LoadBytesIsNotForXdp) {
  oneFailure(verify("skb_verify.c", "xdp_load_bytes"), 126, 2,
             "helper 26 is not supported/allowed for XDP programs (VEP "
             "allows " + XdpHelpers);
}

// -- helpers that change the packet -------------------------------------------

TEST(VerifierPacketChange, PacketReadAgainAfterTheCallVerifies) {
  for (const char *Fn : {"reread", "tc_change_tail", "loop_after",
                         "reload_then_loop", "reload_in_branch"}) {
    auto R = verify("packet_change.c", Fn);
    EXPECT_TRUE(R.Verified) << Fn << "\n" << show(R);
  }
  for (const char *Name :
       {"icmp_echo_reply.c", "vlan_pop.c", "tc_snap_length.c"}) {
    auto R = verifyExample(Name);
    EXPECT_TRUE(R.Verified) << Name << "\n" << show(R);
  }
}

TEST(VerifierPacketChange, PointersFromBeforeTheCallAreStale) {
  oneFailure(verify("packet_change.c", "stale_read"), 27, 9,
             "packet pointer 'data' used after a packet-changing helper "
             "(bpf_xdp_adjust_tail at line 26 may move the packet: read "
             "ctx->data and ctx->data_end again)");
  // data_end too, even with data read again.
  oneFailure(verify("packet_change.c", "stale_end"), 35, 17,
             "packet pointer 'end' used after a packet-changing helper "
             "(bpf_xdp_adjust_head at line 33 may move the packet: read "
             "ctx->data and ctx->data_end again)");
  // At a loop head, when only data was read again.
  oneFailure(verify("packet_change.c", "stale_end_at_head"), 173, 2,
             "packet pointer 'data_end' used after a packet-changing helper "
             "(bpf_xdp_adjust_head at line 168 may move the packet: read "
             "ctx->data and ctx->data_end again)");
  // And in annotations.
  auto R = verify("packet_change.c", "stale_in_assert");
  ASSERT_EQ(R.Failures.size(), 2u) << show(R);
  EXPECT_EQ(R.Failures[0].L.Line, 57u);
  EXPECT_TRUE(contains(R.Failures[0].Obligation,
                       "packet pointer 'data' used after a packet-changing "
                       "helper"));
}

TEST(VerifierPacketChange, TheNewPacketHasAnyLength) {
  // The bound checked before the call says nothing about the new packet.
  auto F = oneFailure(verify("packet_change.c", "old_bound"), 48, 9,
                      "packet access out of bounds: reading 1 byte at offset "
                      "9 requires 9 + 1 <= packet length");
  // The counterexample shows the new packet's length (at most 9), not the
  // old one's (at least 14).
  std::smatch N;
  ASSERT_TRUE(std::regex_search(F.Counterexample, N,
                                std::regex("packet length n = ([0-9]+)")))
      << F.Counterexample;
  EXPECT_LE(std::stoul(N[1].str()), 9u) << F.Counterexample;
}

TEST(VerifierPacketChange, ProgramTypesFunctionsAndLoops) {
  oneFailure(verify("packet_change.c", "tc_adjust_head"), 84, 2,
             "helper 44 is not supported/allowed for tc programs (VEP allows "
             "bpf_map_lookup_elem, bpf_map_update_elem, bpf_map_delete_elem, "
             "bpf_ktime_get_ns, bpf_trace_printk, bpf_get_prandom_u32, "
             "bpf_get_smp_processor_id, bpf_tail_call, bpf_redirect, "
             "bpf_perf_event_output, bpf_skb_load_bytes, bpf_csum_diff, "
             "bpf_ringbuf_output, bpf_ringbuf_reserve, bpf_ringbuf_submit, "
             "bpf_ringbuf_discard, bpf_trace_vprintk, bpf_fib_lookup, "
             "bpf_skb_change_tail, bpf_skb_pull_data, bpf_skb_change_head, "
             "bpf_skb_store_bytes, "
             "bpf_l3_csum_replace, bpf_l4_csum_replace)");
  oneFailure(
      verify("packet_change.c", "xdp_change_tail"), 89, 2,
      "helper 38 is not supported/allowed for XDP programs (VEP allows " +
          XdpHelpers);
  // A function's caller would keep stale packet pointers.
  auto S = verify("packet_change.c", "shrink");
  ASSERT_FALSE(S.Failures.empty()) << show(S);
  EXPECT_EQ(S.Failures[0].Obligation,
            "helper 65 is not supported/allowed for bpf-to-bpf functions "
            "(VEP allows " + EveryTypesHelpers);
  auto L = verify("packet_change.c", "in_loop");
  EXPECT_TRUE(L.Unsupported) << show(L);
  ASSERT_FALSE(L.Failures.empty());
  EXPECT_EQ(L.Failures[0].Obligation,
            "not supported yet: bpf_xdp_adjust_head inside a loop");
}

} // namespace

// -- uninitialised variables --------------------------------------------------

namespace {

TEST(VerifierUninitialised, ReadOnAPathWithoutAssignmentFailsAtTheRead) {
  auto F = oneFailure(verify("uninit.c", "missing_else"), 17, 9,
                      "read of uninitialised variable 'verdict'");
  // The note names the branches of the path that skipped the assignment.
  EXPECT_TRUE(contains(F.Counterexample,
                       "path: if at line 13 false, if at line 15 false"))
      << F.Counterexample;
}

TEST(VerifierUninitialised, AssignedOnEveryFeasiblePathVerifies) {
  auto B = verify("uninit.c", "both_branches");
  EXPECT_TRUE(B.Verified) << show(B);
  // The path skipping both assignments (b < 128 false and b >= 128 false)
  // is infeasible.
  auto I = verify("uninit.c", "infeasible_path");
  EXPECT_TRUE(I.Verified) << show(I);
}

TEST(VerifierUninitialised, PointersToo) {
  oneFailure(verify("uninit.c", "pointer_on_one_path"), 64, 10,
             "read of uninitialised variable 'p'");
}

TEST(VerifierUninitialised, LoopHeadKeepsUnassignedOnEntry) {
  // Assigned before it is read in each iteration: verifies.
  auto W = verify("uninit.c", "written_then_read_in_loop");
  EXPECT_TRUE(W.Verified) << show(W);
  // `prev` is read only when i > 0, but the head does not know which
  // iteration it is: the head state has `prev` unassigned (as it is on the
  // first iteration), so the read is reported.
  auto F = oneFailure(verify("uninit.c", "read_before_write_in_loop"), 79,
                      27, "read of uninitialised variable 'prev'");
  EXPECT_TRUE(contains(F.Counterexample, "path: loop head at line 78"))
      << F.Counterexample;
  // Leaving by the condition, `last` may never have been assigned.
  oneFailure(verify("uninit.c", "assigned_only_in_loop"), 116, 9,
             "read of uninitialised variable 'last'");
}

TEST(VerifierUninitialised, AnnotationsMayMentionThem) {
  // An annotation is not an execution: there an unassigned variable is
  // any value of its type (so only facts true of every value hold).
  auto R = verify("uninit.c", "unassigned_in_annotation");
  EXPECT_TRUE(R.Verified) << show(R);
}

} // namespace

// -- bpf-to-bpf functions with contracts ---------------------------------------

namespace {

/// Lowers inputs/Name and verifies every function (entry points and the
/// functions they call), by name.
std::map<std::string, verifier::FunctionResult>
verifyAll(const std::string &Name) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  bool Ok = build(Name, M, Errs);
  EXPECT_TRUE(Ok) << show(Errs);
  std::map<std::string, verifier::FunctionResult> Out;
  if (Ok)
    for (const auto &F : M.Functions)
      Out[F.Name] = verifier::verifyFunction(M, F);
  return Out;
}

} // namespace

// A scalar contract, a packet parser called twice with different cursors,
// a void function, a function calling another, five parameters: each
// function verified once, each caller using only the contracts (prog's
// Assert holds only through clamp's and proto_class's Ensure).
TEST(VerifierCalls, FunctionsWithContractsVerify) {
  auto Rs = verifyAll("func_ok.c");
  for (const char *Fn :
       {"parse_ipv4", "clamp", "proto_class", "clear_first", "sum5", "prog"}) {
    ASSERT_TRUE(Rs.count(Fn)) << Fn;
    EXPECT_TRUE(Rs[Fn].Verified) << show(Rs[Fn]);
    EXPECT_GE(Rs[Fn].Obligations, 1u) << Fn;
  }
}

TEST(VerifierCalls, CallerViolatingRequireFailsAtTheCall) {
  auto Rs = verifyAll("func_pre_bad.c");
  EXPECT_TRUE(Rs["clamp"].Verified) << show(Rs["clamp"]);
  auto F = oneFailure(Rs["prog"], 15, 12, "precondition of 'clamp' may not hold");
  // The counterexample gives an argument hi above 1000.
  std::smatch Mt;
  ASSERT_TRUE(std::regex_search(F.Counterexample, Mt,
                                std::regex("argument 'hi' = ([0-9]+)")))
      << F.Counterexample;
  EXPECT_GT(std::stoull(Mt[1]), 1000u) << F.Counterexample;
}

TEST(VerifierCalls, CalleeViolatingEnsureFailsAtItsReturn) {
  auto Rs = verifyAll("func_post_bad.c");
  auto F = oneFailure(Rs["clamp"], 8, 2, "postcondition may not hold");
  EXPECT_TRUE(contains(F.Counterexample, "hi at the entry")) << F.Counterexample;
  // The caller relies on the contract only.
  EXPECT_TRUE(Rs["prog"].Verified) << show(Rs["prog"]);
}

TEST(VerifierCalls, CalleeReadingPastItsEndFails) {
  auto Rs = verifyAll("func_overread_bad.c");
  oneFailure(Rs["parse_ipv4"], 11, 9,
             "packet access out of bounds: reading 1 byte at a variable "
             "offset requires 0 <= offset and offset + 1 <= packet length");
  EXPECT_TRUE(Rs["prog"].Verified) << show(Rs["prog"]);
}

TEST(VerifierCalls, PacketArgumentOutsideThePacketFails) {
  auto Rs = verifyAll("func_outside_bad.c");
  EXPECT_TRUE(Rs["parse_ipv4"].Verified) << show(Rs["parse_ipv4"]);
  auto F = oneFailure(Rs["prog"], 22, 14,
                      "precondition of 'parse_ipv4' may not hold: packet(p) "
                      "requires data <= p <= data_end and p <= data + 2^30");
  EXPECT_TRUE(contains(F.Counterexample, "argument 'p' = data + 14"))
      << F.Counterexample;
}

TEST(VerifierCalls, BufferParametersVerify) {
  auto Rs = verifyAll("func_buffer.c");
  for (const char *Fn : {"last_byte", "zero_pair", "prog"})
    EXPECT_TRUE(Rs[Fn].Verified) << show(Rs[Fn]);
}

TEST(VerifierCalls, BufferOverrunsFail) {
  auto Rs = verifyAll("func_buffer_bad.c");
  oneFailure(Rs["past_end"], 17, 9,
             "buffer access out of bounds: reading 1 byte at a variable "
             "offset requires 0 <= offset and offset + 1 <= the size of "
             "buffer 'buf'");
  const auto &P = Rs["prog"];
  ASSERT_EQ(P.Failures.size(), 2u) << show(P);
  EXPECT_EQ(P.Failures[0].L.Line, 40u);
  EXPECT_EQ(P.Failures[0].Obligation,
            "precondition of 'last_byte' may not hold: 'buf' must point to n "
            "bytes the caller may access");
  EXPECT_TRUE(contains(P.Failures[0].Counterexample, "size = 9"))
      << P.Failures[0].Counterexample;
  EXPECT_EQ(P.Failures[1].L.Line, 45u);
  EXPECT_EQ(P.Failures[1].Obligation,
            "precondition of 'zero_pair' may not hold: 'w' must point to "
            "2 * 4 bytes the caller may access");
}

// Locals as buffers of functions: the callee's contents are their bytes
// (sum4 of {1, 2, 3, 4}), and a callee that writes them gives them back as
// its Ensure says, the bytes past its buffer unchanged (p.b after
// zero_words of one word).
TEST(VerifierCalls, LocalBuffersVerify) {
  auto Rs = verifyAll("func_local_buffers.c");
  for (const char *Fn : {"sum4", "zero_words", "bump", "buffers", "reuse"})
    EXPECT_TRUE(Rs[Fn].Verified) << show(Rs[Fn]);
}

TEST(VerifierCalls, LocalBufferMisusesFail) {
  auto Rs = verifyAll("func_local_buffers_bad.c");
  oneFailure(Rs["too_small"], 40, 9,
             "precondition of 'sum4' may not hold: 's' must point to 4 bytes "
             "the caller may access, 4 here, but '&c.bytes' points to 2 "
             "(__u8[2])");
  // The checker wants a stack buffer's bytes initialised, even one the
  // callee only writes.
  oneFailure(Rs["unwritten"], 47, 7,
             "read of uninitialised variable 'y': 'bump' may read its "
             "buffer 'w'");
  const auto &V = Rs["variable_size"];
  EXPECT_TRUE(V.Unsupported) << show(V);
  ASSERT_EQ(V.Failures.size(), 1u) << show(V);
  EXPECT_EQ(V.Failures[0].Obligation,
            "not supported yet: a local buffer passed to 'first_zero' with a "
            "size that is not a constant ('s' must point to n bytes)");
}

// data_at(p, T, v) of 1-, 2-, 4- and 8-byte integers (signed too) gives
// the callee the value and the caller the Ensure's; undef_data_at lets the
// caller pass a variable it never set, also on to another function, and
// `c => data_at(p, T, v)` in Ensure splits the caller's path on c.
TEST(VerifierCalls, DataAtVerifies) {
  auto Rs = verifyAll("func_data_at.c");
  for (const char *Fn : {"add_len", "negate", "read_port", "set_seven",
                         "set_via", "port_if_any", "prog", "count_zeros",
                         "counted"})
    EXPECT_TRUE(Rs[Fn].Verified) << Fn << ": " << show(Rs[Fn]);
}

// The callee may not read an undef_data_at object before writing it and
// must write it on every path where Ensure says data_at (`c => data_at`:
// where c holds); the caller may not read what a function leaves
// undefined, and Require's facts over the value are proved at the call.
TEST(VerifierCalls, DataAtMisusesFail) {
  auto Rs = verifyAll("func_data_at_bad.c");
  oneFailure(Rs["peek"], 10, 14,
             "read of uninitialised memory: 'port' is undef_data_at in the "
             "Require (write it first)");
  oneFailure(Rs["sometimes"], 21, 2,
             "postcondition may not hold: 'port' is undef_data_at in the "
             "Require and data_at in the Ensure, but the function may not "
             "write it");
  oneFailure(Rs["when_zero"], 43, 2,
             "postcondition may not hold: 'port' is undef_data_at in the "
             "Require and data_at in the Ensure, but the function may not "
             "write it where __return == 0");
  EXPECT_TRUE(Rs["callee_misuses"].Verified) << show(Rs["callee_misuses"]);
  oneFailure(Rs["result_ignored"], 61, 9,
             "read of uninitialised variable 'port'");
  oneFailure(Rs["read_after_forget"], 69, 9,
             "read of uninitialised variable 'w'");
  oneFailure(Rs["precondition_on_contents"], 76, 2,
             "precondition of 'add_one' may not hold");
  // A loop counting into an out-parameter it never zeroed: the read, and
  // the end of the function, where it may still be unwritten.
  const auto &Loop = Rs["count_unzeroed"];
  ASSERT_EQ(Loop.Failures.size(), 2u) << show(Loop);
  EXPECT_EQ(Loop.Failures[0].L.Line, 90u) << show(Loop);
  EXPECT_EQ(Loop.Failures[0].Obligation,
            "read of uninitialised memory: 'zeros' is undef_data_at in the "
            "Require (write it first)");
  EXPECT_EQ(Loop.Failures[1].Obligation,
            "postcondition may not hold: 'zeros' is undef_data_at in the "
            "Require and data_at in the Ensure, but the function may not "
            "write it");
}

// Ensure speaks of a parameter's value at the call (successor assigns x);
// Require's facts over packet parameters are proved at the call, here in a
// tc program.
TEST(VerifierCalls, ParametersInContractsAreTheValuesAtTheCall) {
  auto Ok = verifyAll("func_params.c");
  for (const char *Fn : {"successor", "proto_at", "prog"})
    EXPECT_TRUE(Ok[Fn].Verified) << show(Ok[Fn]);
  auto Bad = verifyAll("func_params_bad.c");
  auto F = oneFailure(Bad["successor"], 12, 2, "postcondition may not hold");
  EXPECT_TRUE(contains(F.Counterexample, "__return = ")) << F.Counterexample;
  EXPECT_TRUE(Bad["proto_at"].Verified) << show(Bad["proto_at"]);
  auto P = oneFailure(Bad["prog"], 30, 14,
                      "precondition of 'proto_at' may not hold");
  EXPECT_TRUE(contains(P.Counterexample, "argument 'p' = data + 14"))
      << P.Counterexample;
}

// Helper and bpf-to-bpf calls inside expressions verify; the twin shows
// the expressions use the hoisted results: the masked value reaches 8, the
// divisor 0, and the dereferenced lookup may be null.
TEST(VerifierCalls, CallsInsideExpressionsAreHoisted) {
  auto R = verify("calls_expr.c");
  EXPECT_TRUE(R.Verified) << show(R);
  auto Fs = verifyAll("calls_expr_func.c");
  for (const char *Fn : {"parse_ipv4", "clamp", "prog"})
    EXPECT_TRUE(Fs[Fn].Verified) << show(Fs[Fn]);
  auto Bad = verify("calls_expr_unsafe.c");
  ASSERT_EQ(Bad.Failures.size(), 3u) << show(Bad);
  EXPECT_EQ(Bad.Failures[0].L.Line, 20u);
  EXPECT_EQ(Bad.Failures[0].Obligation, "assertion may not hold");
  EXPECT_TRUE(contains(Bad.Failures[0].Counterexample, "r = 8"))
      << Bad.Failures[0].Counterexample;
  EXPECT_EQ(Bad.Failures[1].L.Line, 21u);
  EXPECT_EQ(Bad.Failures[1].Obligation, "division by zero");
  EXPECT_EQ(Bad.Failures[2].L.Line, 22u);
  EXPECT_EQ(Bad.Failures[2].Obligation,
            "map value may be null (compare the result of "
            "bpf_map_lookup_elem with NULL before using it)");
}

// Inline functions without contracts, inlined (docs/vep-c.md, "Inline
// functions"): a parser split into them; loops, early returns, copies.
TEST(VerifierInline, ParserSplitIntoInlineFunctions) {
  auto R = verify("inline_parser.c");
  EXPECT_TRUE(R.Verified) << show(R);
  auto C = verify("inline_ctx.c");
  EXPECT_TRUE(C.Verified) << show(C);
}

// Parameters given a local's address: the cursor, out-parameters and an
// array's elements the bodies write are the caller's; its assertions
// about them are proved.
TEST(VerifierInline, ParametersGivenALocalsAddress) {
  auto R = verify("inline_address_args.c");
  EXPECT_TRUE(R.Verified) << show(R);
}

TEST(VerifierInline, ControlFlowOfInlinedBodies) {
  auto R = verify("inline_flow.c");
  EXPECT_TRUE(R.Verified) << show(R);
  auto C = verifyAll("inline_contract.c");
  for (const char *Fn : {"halve", "prog"})
    EXPECT_TRUE(C[Fn].Verified) << show(C[Fn]);
}

// The twin without the bound: the failure is at the inline function's
// line, and the counterexample names the inlined copies' variables.
TEST(VerifierInline, MissingBoundInAnInlinedBodyFailsThere) {
  auto F = oneFailure(verify("inline_bound_bad.c"), 14, 7,
                      "packet access out of bounds: reading 1 byte at a "
                      "variable offset requires 0 <= offset and offset + 1 "
                      "<= packet length");
  EXPECT_TRUE(contains(F.Counterexample, "first_zero.i = ")) << F.Counterexample;
}

TEST(VerifierSockOpsPerfEvent, FieldsOfTheirSizeVerify) {
  for (const char *Fn : {"sockops_fields", "perf_fields"}) {
    auto R = verify("sockops_perf_verify.c", Fn);
    EXPECT_TRUE(R.Verified) << Fn << ": " << show(R);
  }
}

TEST(VerifierSockOpsPerfEvent, AccessesOutsideTheKernelsRulesFail) {
  oneFailure(verify("sockops_perf_verify.c", "sockops_writes_replylong"), 21,
             3,
             "store to the context: writing 4 bytes at offset 8 of struct "
             "bpf_sock_ops (sock_ops programs write only the 4-byte fields "
             "reply, sk_txhash)");
  auto Low = verify("sockops_perf_verify.c", "sockops_reads_acked_low");
  ASSERT_EQ(Low.Failures.size(), 1u) << show(Low);
  EXPECT_EQ(Low.Failures[0].L.Line, 28u);
  EXPECT_EQ(Low.Failures[0].Obligation.rfind(
                "invalid context access: reading 4 bytes at offset 176 of "
                "struct bpf_sock_ops (sock_ops programs read the fields op, "
                "reply, replylong[], family, ",
                0),
            0u)
      << show(Low);
  EXPECT_NE(Low.Failures[0].Obligation.find(
                "bytes_received (8 bytes), bytes_acked (8 bytes), skb_len"),
            std::string::npos);
  oneFailure(verify("sockops_perf_verify.c", "perf_narrow"), 57, 10,
             "invalid context access: reading 4 bytes at offset 128 of struct "
             "bpf_perf_event_data (perf_event programs read the fields regs[] "
             "(8 bytes), sample_period (8 bytes), addr (8 bytes))");
  auto Sk = verify("sockops_perf_verify.c", "sockops_reads_sk");
  EXPECT_TRUE(Sk.Unsupported) << show(Sk);
  EXPECT_FALSE(Sk.Verified);
}

TEST(VerifierSockOpsPerfEvent, HelpersOfTheProgramType) {
  oneFailure(verify("sockops_perf_verify.c", "sockops_pid"), 40, 10,
             "helper 14 is not supported/allowed for sock_ops programs (VEP "
             "allows " + EveryTypesHelpers);
}

// -- contents as sequences ------------------------------------------------------

// Reads return elements, writes update them (bytes and 4-byte ints), a
// call through a window of the caller's buffer writes back what the
// callee's Ensure says, and the sequence functions, equality and a
// bounded existential are interpreted (docs/vep-c.md, "Contents").
TEST(VerifierContents, FunctionalContractsVerify) {
  auto Rs = verifyAll("contents_ok.c");
  for (const char *Fn : {"first_byte", "set_first", "write_window", "sum2",
                         "fill_and_sum", "prog"}) {
    ASSERT_TRUE(Rs.count(Fn)) << Fn;
    EXPECT_TRUE(Rs[Fn].Verified) << show(Rs[Fn]);
  }
}

TEST(VerifierContents, ViolationsAreReported) {
  auto Rs = verifyAll("contents_bad.c");
  // second_byte returns element 0 where its Ensure says element 1.
  oneFailure(Rs["second_byte"], 16, 3, "postcondition may not hold");
  // A loop that writes the buffer forgets its contents: the invariant
  // says nothing of byte 3.
  auto F = oneFailure(Rs["zero_loop"], 32, 39, "postcondition may not hold");
  // The counterexample shows the contents at the entry.
  EXPECT_TRUE(std::regex_search(F.Counterexample,
                                std::regex("ld = \\[-?[0-9]+(, -?[0-9]+){3}\\]")))
      << F.Counterexample;
  EXPECT_TRUE(Rs["copy4"].Verified) << show(Rs["copy4"]);
  // The written buffer and the read one overlap in the map value.
  oneFailure(Rs["prog"], 49, 3,
             "precondition of 'copy4' may not hold: 'd' and 's' must not "
             "overlap");
  // Two lookups in one map may find the same element.
  oneFailure(Rs["two_lookups"], 62, 3,
             "precondition of 'copy4' may not hold: 'd' and 's' must not "
             "overlap");
}

TEST(VerifierContents, UnsupportedFormsAreRejected) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("contents_errors.c", M, Errs));
  std::vector<std::string> Msgs;
  for (const auto &D : Errs)
    Msgs.push_back(std::to_string(D.Line) + ": " + D.Message);
  EXPECT_EQ(Msgs,
            (std::vector<std::string>{
                "6: a quantifier must bind one integer with bounds: 'forall "
                "(k: Z), lo <= k && k < hi => P' or 'exists k, lo <= k && k < "
                "hi && P'",
                "14: comparison of a sequence with an integer",
                "21: a sequence where an annotation needs an integer",
                "28: not supported yet: list indexing in an annotation"}))
      << show(Errs);
}

// Integer With variables: from a Require conjunct `lo == lim` at each call,
// or from `/*@ where m = e */` before it; a call without either is not
// supported, and a where value that breaks Require fails the precondition.
TEST(VerifierContents, WithVariablesAreInstantiatedAtCalls) {
  auto Rs = verifyAll("with_where.c");
  EXPECT_TRUE(Rs["count_below"].Verified) << show(Rs["count_below"]);
  EXPECT_TRUE(Rs["below"].Verified) << show(Rs["below"]);
  // The body's Inv and Assert name m; the caller learns upto(3) == 3.
  EXPECT_TRUE(Rs["upto"].Verified) << show(Rs["upto"]);
  auto F = oneFailure(Rs["prog"], 56, 7, "precondition of 'below' may not hold");
  EXPECT_TRUE(contains(F.Counterexample, "With 'm' = 200")) << F.Counterexample;
  const verifier::FunctionResult &N = Rs["no_where"];
  EXPECT_TRUE(N.Unsupported) << show(N);
  ASSERT_EQ(N.Failures.size(), 1u) << show(N);
  EXPECT_EQ(N.Failures[0].Obligation,
            "not supported yet: the With variable 'm' of 'below' (write /*@ "
            "where m = e */ before the call)");
}

TEST(VerifierMapOfMaps, InnerMapIsOnlyAHelpersMapArgument) {
  // The lookup in the hash of maps gives a map of the template: its
  // lookups, updates and atomic adds verify.
  auto R = verify("map_of_maps.c", "count_ok");
  EXPECT_TRUE(R.Verified) << show(R);
  oneFailure(verify("map_of_maps.c", "unchecked"), 36, 23,
             "inner map may be null (compare the result of "
             "bpf_map_lookup_elem on 'tables' with NULL before using it)");
  oneFailure(verify("map_of_maps.c", "past_template_value"), 47, 5,
             "map value access out of bounds: writing 4 bytes at offset 8 "
             "requires 8 + 4 <= value size 8 of map 'tables.inner'");
  oneFailure(verify("map_of_maps.c", "reads_inner_map"), 56, 10,
             "access to the memory of an inner map: a value of the map of "
             "maps 'tables' is a map, usable only as a helper's map argument");
  oneFailure(verify("map_of_maps.c", "moves_inner_map"), 64, 23,
             "arithmetic on an inner map (a value of the map of maps "
             "'tables')");
  oneFailure(verify("map_of_maps.c", "updates_outer"), 70, 23,
             "wrong map type: argument 1 of bpf_map_update_elem must be a map "
             "of a type bpf_map_update_elem takes, not 'tables' (hash of "
             "maps)");
}

// Local structs and arrays of any size as helper buffers: a 16-byte key,
// a 13-byte array a helper writes (its elements hold values after), a
// packed struct's leaf across two chunks; a helper writing only part of a
// struct leaves the rest as it was, so the rest must hold values.
TEST(VerifierLocals, LocalBuffers) {
  for (const char *Fn : {"wide_key", "written_array", "straddling_leaf"}) {
    auto R = verify("local_buffers.c", Fn);
    EXPECT_TRUE(R.Verified) << Fn << ": " << show(R);
  }
  oneFailure(verify("local_buffers.c", "partly_written_needs_rest"), 51, 25,
             "read of uninitialised variable 'w.b'");
}

// memcpy and memset are their loads and stores: a key zeroed and filled
// from the packet, MACs swapped through a stack copy verify; a fill that
// leaves the padding, a copy past the packet's bound and a fill past a
// map value fail once each, at the last chunk; bpf_printk verifies.
TEST(VerifierLocals, MemBuiltins) {
  for (const char *Fn : {"key_from_packet", "swap_macs", "print_values"}) {
    auto R = verify("mem_builtins.c", Fn);
    EXPECT_TRUE(R.Verified) << Fn << ": " << show(R);
  }
  oneFailure(verify("mem_builtins.c", "padding_unset"), 49, 43,
             "read of uninitialised variable 'k.(padding 9)'");
  oneFailure(verify("mem_builtins.c", "copy_past_bound"), 80, 3,
             "packet access out of bounds: reading 1 byte at offset 11 "
             "requires 11 + 1 <= packet length");
  oneFailure(verify("mem_builtins.c", "fill_past_value"), 91, 3,
             "map value access out of bounds: writing 1 byte at offset 19 "
             "requires 19 + 1 <= value size 16 of map 'bytes16'");
}

// Bit-fields: headers read into locals, a struct of odd widths whose
// Ensure pins every wrap and sign extension, and stores into the packet's
// header verify; a bit-field of a header never loaded is an uninitialised
// read, and so is a store's read of its byte in a struct never written.
// Unions whose members lay out differently are their bytes: a member's
// read and write are exact (an Ensure over values read through other
// members), and a byte no member wrote is an uninitialised read.
TEST(VerifierLocals, OverlaidUnions) {
  for (const char *Fn : {"overlaid_values", "fib_fields"}) {
    auto R = verify("overlaid_unions.c", Fn);
    EXPECT_TRUE(R.Verified) << Fn << ": " << show(R);
  }
  oneFailure(verify("overlaid_unions.c", "union_byte_unwritten"), 48, 10,
             "read of uninitialised variable 'u.(union 2)'");
}

TEST(VerifierLocals, BitFields) {
  for (const char *Fn : {"loaded_headers", "local_widths", "header_stores"}) {
    auto R = verify("bit_fields.c", Fn);
    EXPECT_TRUE(R.Verified) << Fn << ": " << show(R);
  }
  oneFailure(verify("bit_fields.c", "unloaded_header"), 69, 10,
             "read of uninitialised variable 'ip.(bits 0)'");
  oneFailure(verify("bit_fields.c", "store_before_init"), 76, 3,
             "read of uninitialised variable 'o.(bits 0)'");
}

// Local structs and arrays: fields, elements, copies and a packed key
// verify; an unwritten padding byte or field is an uninitialised read.
TEST(VerifierLocals, LocalStructsAndArrays) {
  auto R = verify("local_aggregates.c", "fields_and_elements");
  EXPECT_TRUE(R.Verified) << show(R);
  R = verify("local_aggregates.c", "key_written");
  EXPECT_TRUE(R.Verified) << show(R);
  oneFailure(verify("local_aggregates.c", "key_padding_unwritten"), 52, 43,
             "read of uninitialised variable 'k.(padding 7)'");
  oneFailure(verify("local_aggregates.c", "key_field_unwritten"), 62, 3,
             "read of uninitialised variable 'j.port'");
}

// A variable index into a local array selects among the elements (reads,
// writes, `+=`, `++`, a field of a struct element); VEP-C proves it within
// the array (a negative int index is out of bounds too) and an unwritten
// element it may select is an uninitialised read.
TEST(VerifierLocals, VariableIndex) {
  for (const char *Fn : {"histogram", "struct_elements", "index_reads_packet"}) {
    auto R = verify("local_index.c", Fn);
    EXPECT_TRUE(R.Verified) << Fn << ": " << show(R);
  }
  oneFailure(verify("local_index.c", "negative_index"), 49, 10,
             "index out of bounds: 'a[k - 1]' (4 elements)");
  oneFailure(verify("local_index.c", "unbounded_write"), 57, 3,
             "index out of bounds: 'a[i]' (4 elements)");
  oneFailure(verify("local_index.c", "element_unwritten"), 67, 10,
             "read of uninitialised variable 'a[1]'");
}

// Annotations name fields and constant-index elements of local structs
// and arrays as C does (`t.small`, `t.seen[1]`).
TEST(VerifierLocals, AnnotationsNameFieldsAndElements) {
  auto R = verify("local_paths_annot.c", "fields_in_invariant");
  EXPECT_TRUE(R.Verified) << show(R);
  oneFailure(verify("local_paths_annot.c", "field_assert_fails"), 35, 14,
             "assertion may not hold");
}
