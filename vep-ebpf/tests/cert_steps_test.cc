// cert_steps_test.cc - Certificates with steps (docs/proof-format.md 7.7):
// ROUND (divide by the gcd, round the constant down) and SPLIT (x <= k, then
// x >= k + 1), each accepted beside a rejected twin; the limits; the
// encoding of steps.
#include "test_support.h"

#include <gtest/gtest.h>

using namespace vt;

namespace {

constexpr uint32_t Vx = 0, Vy = 1, Vz = 2;
const __int128 Int128Max = ~((unsigned __int128)1 << 127);

// A fact c + sum coeff*var >= 0 that owns its terms.
struct Fact {
  std::vector<vep_lin_term> terms;
  __int128 constant;
  Fact(__int128 c, std::vector<vep_lin_term> t = {})
      : terms(std::move(t)), constant(c) {}
  vep_lin lin() const {
    return {constant, (uint32_t)terms.size(), terms.data()};
  }
};

vep_cert_step comb(std::vector<vep_cert_entry> &e, __int128 goal_mult = 0,
                   uint8_t op = VEP_STEP_COMB) {
  return {op, 0, 0, goal_mult, (uint32_t)e.size(), e.data()};
}
vep_cert_step round(std::vector<vep_cert_entry> &e) {
  return comb(e, 0, VEP_STEP_ROUND);
}
vep_cert_step split(uint32_t var, __int128 k) {
  return {VEP_STEP_SPLIT, var, k, 0, 0, nullptr};
}

// Checks the steps as the answer to "goal >= 0 from hyps"; "" if accepted,
// else the reason. The arena must be released again either way.
std::string check(const std::vector<Fact> &hyps, const Fact &goal,
                  std::vector<vep_cert_step> steps) {
  std::vector<vep_lin> h;
  for (const Fact &f : hyps)
    h.push_back(f.lin());
  vep_question q{VEP_GOAL_ACCESS_LOW, 3,        false, goal.lin(),
                 (uint32_t)h.size(),  h.data(), "xdp"};
  vep_cert c{(uint32_t)steps.size(), steps.data()};
  std::vector<uint8_t> mem(8 << 20);
  vep_arena a;
  vep_arena_init(&a, mem.data(), mem.size());
  vep_result r{};
  vep_status st = vep_check_cert(&q, &c, &a, &r);
  EXPECT_EQ(a.used, 0u);
  return st == VEP_ACCEPTED ? "" : r.reason;
}

const Fact Dead(-1); // the goal of a DEAD_PATH question

} // namespace

// 2x >= 1 and 2x <= 1 have a rational solution (x = 1/2) but no integer
// one: rounding each gives x >= 1 and x <= 0.
TEST(CertSteps, RoundRefutesHalfIntegers) {
  std::vector<Fact> hyps = {Fact(-1, {{Vx, 2}}), Fact(1, {{Vx, -2}})};
  std::vector<vep_cert_entry> e0 = {{0, 1}}, e1 = {{1, 1}},
                              sum = {{2, 1}, {3, 1}};
  EXPECT_EQ(check(hyps, Dead, {round(e0), round(e1), comb(sum)}), "");
  // The twin without rounding: x = 1/2 satisfies both.
  EXPECT_EQ(check(hyps, Dead, {comb(e0), comb(e1), comb(sum)}),
            "check_farkas: constant of the combination is not negative");
}

// 2x - 3 >= 0 rounds to x - 2 >= 0 (floor(-3/2) = -2): it proves x >= 2,
// and not x >= 3 (x = 2), which a constant rounded further down would.
TEST(CertSteps, RoundFloorsTheConstant) {
  std::vector<Fact> hyps = {Fact(-3, {{Vx, 2}})};
  std::vector<vep_cert_entry> e0 = {{0, 1}}, withGoal = {{1, 1}};
  EXPECT_EQ(check(hyps, Fact(-2, {{Vx, 1}}), {round(e0), comb(withGoal, 1)}),
            "");
  EXPECT_EQ(check(hyps, Fact(-3, {{Vx, 1}}), {round(e0), comb(withGoal, 1)}),
            "check_farkas: constant of the combination is not negative");
  // A positive constant rounds down too: 2x + 1 >= 0 gives x >= 0, not
  // x >= 1.
  hyps = {Fact(1, {{Vx, 2}})};
  EXPECT_EQ(check(hyps, Fact(0, {{Vx, 1}}), {round(e0), comb(withGoal, 1)}),
            "");
  EXPECT_NE(check(hyps, Fact(-1, {{Vx, 1}}), {round(e0), comb(withGoal, 1)}),
            "");
}

// The divisor is the gcd of all coefficients: 6x + 4y = 1 has no integer
// solution (gcd 2), 6x + 4y + 3z = 1 has one (gcd 1: x = 0, y = 1, z = -1).
TEST(CertSteps, RoundDividesByTheGcdOfAllCoefficients) {
  std::vector<vep_cert_entry> e0 = {{0, 1}}, e1 = {{1, 1}},
                              sum = {{2, 1}, {3, 1}};
  std::vector<Fact> hyps = {Fact(-1, {{Vx, 6}, {Vy, 4}}),
                            Fact(1, {{Vx, -6}, {Vy, -4}})};
  EXPECT_EQ(check(hyps, Dead, {round(e0), round(e1), comb(sum)}), "");
  hyps = {Fact(-1, {{Vx, 6}, {Vy, 4}, {Vz, 3}}),
          Fact(1, {{Vx, -6}, {Vy, -4}, {Vz, -3}})};
  EXPECT_NE(check(hyps, Dead, {round(e0), round(e1), comb(sum)}), "");
}

TEST(CertSteps, RoundRejectsConstantsAndOverflow) {
  std::vector<Fact> hyps = {Fact(-1), Fact(0, {{Vx, -Int128Max - 1}})};
  std::vector<vep_cert_entry> e0 = {{0, 1}}, e1 = {{1, 1}};
  EXPECT_EQ(check(hyps, Dead, {comb(e0)}), ""); // -1 >= 0 as it is
  EXPECT_EQ(check(hyps, Dead, {round(e0)}),
            "check_farkas: rounding a fact without variables");
  EXPECT_EQ(check(hyps, Dead, {round(e1)}),
            "check_farkas: arithmetic overflow in certificate");
}

// x >= 1/2 and x <= 1/2 as 2x - 1 >= 0, 1 - 2x >= 0: on x <= 0 the first
// fails, on x >= 1 the second.
TEST(CertSteps, SplitRefutesBothCases) {
  std::vector<Fact> hyps = {Fact(-1, {{Vx, 2}}), Fact(1, {{Vx, -2}})};
  std::vector<vep_cert_entry> lo = {{0, 1}, {2, 2}}, hi = {{1, 1}, {2, 2}};
  EXPECT_EQ(check(hyps, Dead, {split(Vx, 0), comb(lo), comb(hi)}), "");
  // A second case that is not refuted (1 - 2x + x - 1 = -x).
  std::vector<vep_cert_entry> weak = {{1, 1}, {2, 1}};
  EXPECT_EQ(check(hyps, Dead, {split(Vx, 0), comb(lo), comb(weak)}),
            "check_farkas: a case split is not refuted");
  // The first case alone is no refutation.
  EXPECT_EQ(check(hyps, Dead, {split(Vx, 0), comb(lo)}),
            "check_farkas: a case split is not refuted");
  // The split must be on a variable of the question.
  EXPECT_EQ(check(hyps, Dead, {split(7, 0), comb(lo), comb(hi)}),
            "check_farkas: variable out of range");
}

TEST(CertSteps, StepsReferOnlyToEarlierLiveSteps) {
  std::vector<Fact> hyps = {Fact(-1, {{Vx, 2}}), Fact(1, {{Vx, -2}})};
  // Case x <= 0 derives -x >= 0 (step 3) and refutes with it.
  std::vector<vep_cert_entry> neg = {{2, 1}}, lo = {{0, 1}, {3, 2}},
                              hi = {{1, 1}, {2, 2}};
  EXPECT_EQ(check(hyps, Dead, {split(Vx, 0), comb(neg), comb(lo), comb(hi)}),
            "");
  // Step 3 belongs to the closed case: case x >= 1 may not use it.
  std::vector<vep_cert_entry> stale = {{1, 1}, {3, 2}};
  EXPECT_EQ(check(hyps, Dead, {split(Vx, 0), comb(neg), comb(lo), comb(stale)}),
            "check_farkas: hypothesis index out of range (or a later or closed "
            "step)");
  // A step may not use itself or a later step.
  std::vector<vep_cert_entry> self = {{2, 1}}, later = {{3, 1}},
                              first = {{0, 1}};
  EXPECT_NE(check(hyps, Dead, {comb(self)}), "");
  EXPECT_NE(check(hyps, Dead, {comb(later), comb(first)}), "");
}

// Splits nest up to VEP_MAX_SPLIT_DEPTH: n splits on x at 0, the innermost
// case x <= 0 refuted by 2x - 1 >= 0, then every case x >= 1 from the
// innermost out by 1 - 2x >= 0 (each case's assumption is live step d).
std::vector<vep_cert_step>
nested(uint32_t n, std::vector<vep_cert_entry> &lo,
       std::vector<std::vector<vep_cert_entry>> &hi) {
  std::vector<vep_cert_step> steps(n, split(Vx, 0));
  lo = {{0, 1}, {2 + n - 1, 2}};
  steps.push_back(comb(lo));
  hi.assign(n, {});
  for (uint32_t d = n; d-- > 0;) {
    hi[d] = {{1, 1}, {2 + d, 2}};
    steps.push_back(comb(hi[d]));
  }
  return steps;
}

TEST(CertSteps, Limits) {
  std::vector<Fact> hyps = {Fact(-1, {{Vx, 2}}), Fact(1, {{Vx, -2}})};
  std::vector<vep_cert_entry> lo;
  std::vector<std::vector<vep_cert_entry>> hi;
  EXPECT_EQ(check(hyps, Dead, nested(VEP_MAX_SPLIT_DEPTH, lo, hi)), "");
  EXPECT_EQ(check(hyps, Dead, nested(VEP_MAX_SPLIT_DEPTH + 1, lo, hi)),
            "check_farkas: more than 16 nested splits");
  // VEP_MAX_CERT_STEPS steps are fine, one more is not.
  std::vector<vep_cert_entry> none, e0 = {{0, 1}}, e1 = {{1, 1}},
                                    sum = {{2, 1}, {3, 1}};
  std::vector<vep_cert_step> steps(VEP_MAX_CERT_STEPS - 3, comb(none));
  steps.insert(steps.end(), {round(e0), round(e1), comb(sum)});
  for (auto &e : sum)
    e.hyp += VEP_MAX_CERT_STEPS - 3;
  EXPECT_EQ(check(hyps, Dead, steps), "");
  steps.insert(steps.begin(), comb(none));
  EXPECT_EQ(check(hyps, Dead, steps),
            "check_farkas: more than 1024 steps or 65536 entries");
  // Entries of all steps count towards VEP_MAX_CERT_ENTRIES.
  std::vector<vep_cert_entry> many(VEP_MAX_CERT_ENTRIES / 2, {0, 0});
  EXPECT_EQ(check(hyps, Dead, {comb(many), comb(many), comb(e0)}),
            "check_farkas: more than 1024 steps or 65536 entries");
}

TEST(CertSteps, MalformedSteps) {
  std::vector<Fact> hyps = {Fact(-1, {{Vx, 2}}), Fact(1, {{Vx, -2}})};
  std::vector<vep_cert_entry> lo = {{0, 1}, {2, 2}}, hi = {{1, 1}, {2, 2}};
  // The second case of a split at k = INT128_MAX would be x >= 2^127.
  std::vector<Fact> falsum = {Fact(-1), Fact(0, {{Vx, 1}})};
  std::vector<vep_cert_entry> minusOne = {{0, 1}};
  EXPECT_EQ(check(falsum, Dead, {split(Vx, 0), comb(minusOne), comb(minusOne)}),
            "")
      << "refuting both cases without their assumptions";
  EXPECT_EQ(check(falsum, Dead,
                  {split(Vx, Int128Max), comb(minusOne), comb(minusOne)}),
            "check_farkas: arithmetic overflow in certificate");
  // Nothing may follow the final contradiction.
  std::vector<vep_cert_entry> first = {{0, 1}};
  EXPECT_EQ(check(hyps, Dead, {split(Vx, 0), comb(lo), comb(hi), comb(first)}),
            "check_farkas: steps after the final contradiction");
  vep_cert_step bad = comb(first);
  bad.op = 3;
  EXPECT_EQ(check(hyps, Dead, {bad}), "check_farkas: unknown step");
  std::vector<vep_cert_entry> negative = {{0, -1}};
  EXPECT_EQ(check(hyps, Dead, {round(negative)}),
            "check_farkas: negative multiplier");
}

// Steps survive the encoder and the reader; an answer without steps is "no
// certificate"; a truncated answer and an unknown step are malformed.
TEST(CertSteps, EncodedAndReadBack) {
  std::vector<vep_cert_entry> lo = {{0, 1}, {2, 2}}, hi = {{1, 1}, {2, 2}};
  std::vector<vep_cert_step> steps = {split(Vx, -5), comb(lo, 3), round(hi)};
  vep_cert cert{3, steps.data()};
  auto read = [](const std::vector<uint8_t> &answer, vep_cert &c,
                 vep_arena &a) {
    vep_proof_buf b;
    vep_enc_init(&b);
    enc_programs(b, {});
    vep_enc_bytes(&b, answer.data(), answer.size());
    std::vector<uint8_t> proof(b.data, b.data + b.len);
    vep_enc_free(&b);
    vep_proof_reader r;
    vep_result res{};
    EXPECT_EQ(vep_proof_reader_init(&r, proof.data(), proof.size(), &a, &res),
              VEP_ACCEPTED);
    vep_question q{};
    int got = r.source.prove(r.source.self, &q, &c, &a);
    return got == 1 && vep_proof_reader_finish(&r, &res) == VEP_ACCEPTED;
  };
  vep_proof_buf b;
  vep_enc_init(&b);
  vep_enc_answer_cert(&b, &cert);
  std::vector<uint8_t> answer(b.data, b.data + b.len);
  vep_enc_free(&b);
  std::vector<uint8_t> mem(1 << 20);
  vep_arena a;
  vep_arena_init(&a, mem.data(), mem.size());
  vep_cert c{};
  ASSERT_TRUE(read(answer, c, a));
  ASSERT_EQ(c.n_steps, 3u);
  for (uint32_t i = 0; i < 3; i++) {
    EXPECT_EQ(c.steps[i].op, steps[i].op) << i;
    EXPECT_EQ(c.steps[i].var, steps[i].var) << i;
    EXPECT_TRUE(c.steps[i].k == steps[i].k) << i;
    EXPECT_TRUE(c.steps[i].goal_mult == steps[i].goal_mult) << i;
    ASSERT_EQ(c.steps[i].n_entries, steps[i].n_entries) << i;
    for (uint32_t j = 0; j < c.steps[i].n_entries; j++) {
      EXPECT_EQ(c.steps[i].entries[j].hyp, steps[i].entries[j].hyp);
      EXPECT_TRUE(c.steps[i].entries[j].mult == steps[i].entries[j].mult);
    }
  }
  // 3 steps, op SPLIT: the answer's bytes start so.
  ASSERT_EQ(answer[0], 3);
  ASSERT_EQ(answer[1], VEP_STEP_SPLIT);
  for (size_t cut = 1; cut < answer.size(); cut++)
    EXPECT_FALSE(read({answer.begin(), answer.begin() + cut}, c, a)) << cut;
  std::vector<uint8_t> bad = answer;
  bad[1] = 3; // an unknown step
  EXPECT_FALSE(read(bad, c, a));
  EXPECT_FALSE(read({0}, c, a)); // no steps: "no certificate"
  EXPECT_EQ(c.n_steps, 0u);
  EXPECT_TRUE(read({1, 0, 0, 0}, c, a)); // COMB, goal_mult 0, no entries
  EXPECT_EQ(c.n_steps, 1u);
}
