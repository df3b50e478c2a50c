// loop_test.cc - Cut points: loops with invariants and ranking terms, joins,
// the validation of cut point tables, and their byte encoding.
#include "interp.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace vt;

namespace {

// r6 = data; r7 = data_end; i = 0; `pre`;
// head: while (i < 32) { if (data + 14 + i + 1 > end) break;
//                        r0 = data[14 + i]; `inc` }   return XDP_PASS
// Without `pre` the head is insn 3 and the back edge insn 12.
Prog counting_loop(std::vector<Insn> pre = {},
                   std::vector<Insn> inc = {alu64_imm(ADD, 8, 1)}) {
  Prog p = {ldx(W, 6, 1, 0), ldx(W, 7, 1, 4), mov64_imm(8, 0)};
  p.insert(p.end(), pre.begin(), pre.end());
  size_t head = p.size();
  p.push_back(jmp_imm(JGE, 8, 32, 0)); // head: if i >= 32 -> out
  p.push_back(mov64_reg(2, 6));
  p.push_back(alu64_imm(ADD, 2, 14));
  p.push_back(alu64_reg(ADD, 2, 8)); // r2 = data + 14 + i
  p.push_back(mov64_reg(3, 2));
  p.push_back(alu64_imm(ADD, 3, 1));
  size_t check = p.size();
  p.push_back(jmp_reg(JGT, 3, 7, 0)); // if r2 + 1 > end -> out
  p.push_back(ldx(B, 0, 2, 0));
  p.insert(p.end(), inc.begin(), inc.end());
  p.push_back(ja((int16_t)((int)head - (int)p.size() - 1)));
  size_t out = p.size();
  p.push_back(mov64_imm(0, 2));
  p.push_back(exit_insn());
  p[head].off = (int16_t)(out - head - 1);
  p[check].off = (int16_t)(out - check - 1);
  return p;
}

// i = x_1 with 0 <= x_1 <= 32, rank 32 - x_1.
Cut counting_cut(uint32_t head = 3) {
  Cut k;
  k.insn = head;
  k.n_exists = 1;
  k.bindings = {bind(VEP_BIND_PACKET, 6, form(0)),
                bind(VEP_BIND_PACKET_END, 7, form(0)),
                bind(VEP_BIND_SCALAR, 8, var(1))};
  k.facts = {var(1), form(32, {{1, -1}})};
  k.has_rank = true;
  k.rank = form(32, {{1, -1}});
  return k;
}

std::vector<CutTable> table(std::vector<Cut> cuts) {
  CutTable t;
  t.cuts = std::move(cuts);
  return {t};
}

Outcome check_loop(const Prog &p, std::vector<Cut> cuts,
                   std::vector<Post> posts = {}) {
  return round_trip(xdp_object(p), std::move(posts), table(std::move(cuts)));
}

size_t count(const Outcome &o, vep_goal_kind k) {
  size_t n = 0;
  for (auto &q : o.log)
    n += q.kind == k;
  return n;
}

// p = data; while (p < data_end && *p != 0) p++; return p - data.
Prog strlen_loop() {
  Prog p;
  p.push_back(ldx(W, 2, 1, 0));       // 0: r2 = data
  p.push_back(ldx(W, 3, 1, 4));       // 1: r3 = data_end
  p.push_back(mov64_reg(4, 2));       // 2: p = data
  p.push_back(jmp_reg(JGE, 4, 3, 4)); // 3: loop head: if p >= end -> 8
  p.push_back(ldx(B, 5, 4, 0));       // 4: r5 = *p
  p.push_back(jmp_imm(JEQ, 5, 0, 2)); // 5: if *p == 0 -> 8
  p.push_back(alu64_imm(ADD, 4, 1));  // 6: p++
  p.push_back(ja(-5));                // 7: -> 3
  p.push_back(mov64_reg(0, 4));       // 8
  p.push_back(alu64_reg(SUB, 0, 2));  // 9: r0 = p - data
  p.push_back(exit_insn());           // 10
  return p;
}

// p = data + x_1, 0 <= x_1 <= len, rank len - x_1.
Cut strlen_cut() {
  Cut k;
  k.insn = 3;
  k.n_exists = 1;
  k.bindings = {bind(VEP_BIND_PACKET, 2, form(0)),
                bind(VEP_BIND_PACKET_END, 3, form(0)),
                bind(VEP_BIND_PACKET, 4, var(1))};
  k.facts = {var(1), form(0, {{0, 1}, {1, -1}})};
  k.has_rank = true;
  k.rank = form(0, {{0, 1}, {1, -1}});
  return k;
}

} // namespace

// ---- counting loop ------------------------------------------------------------
TEST(Loop, CountingLoopAccepted) {
  Prog p = counting_loop();
  ASSERT_EQ(p.size(), 15u);
  ASSERT_EQ(p[12].off, -10);
  Outcome o = check_loop(p, {counting_cut()});
  ASSERT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  // Entry -> head; head -> exit (i >= 32); head -> exit (short packet);
  // head -> head.
  EXPECT_EQ(o.paths, 4u);
  // The arrival from the entry is decided (constants). On the back edge the
  // binding of i (x_1 := i + 1) and the rank's decrease
  // (32 - x - (32 - (x + 1)) - 1 = 0) are decided; the facts x + 1 >= 0,
  // 32 - (x + 1) >= 0 and the rank 32 - (x + 1) >= 0 are asked.
  EXPECT_EQ(count(o, VEP_GOAL_CUT_BINDING), 0u);
  EXPECT_EQ(count(o, VEP_GOAL_CUT_FACT), 2u);
  EXPECT_EQ(count(o, VEP_GOAL_RANK_NONNEG), 1u);
  EXPECT_EQ(count(o, VEP_GOAL_RANK_DECREASE), 0u);
  for (int n : {0, 13, 14, 15, 20, 46, 47, 100}) {
    RunResult r = run_xdp(p, std::vector<uint8_t>(n, 1), 0);
    EXPECT_TRUE(r.ok) << r.error;
  }
}

// r6 = start (64 bits); w7 = 0; head: if r7 >= 2 -> out; r6 += 4; w7 += 1;
// back; out: return 2. The cut point claims r6 == start + 4 * i, which holds
// exactly when r6 += 4 never wraps.
static Outcome u64_step_loop(uint64_t start) {
  Prog p;
  lddw(p, 6, start);                  // 0-1
  p.push_back(mov32_imm(7, 0));       // 2
  p.push_back(jmp_imm(JGE, 7, 2, 3)); // 3: head
  p.push_back(alu64_imm(ADD, 6, 4));  // 4
  p.push_back(alu32_imm(ADD, 7, 1));  // 5
  p.push_back(ja(-4));                // 6
  p.push_back(mov64_imm(0, 2));       // 7
  p.push_back(exit_insn());
  Cut k;
  k.insn = 3;
  k.n_exists = 2;
  k.bindings = {bind(VEP_BIND_SCALAR, 6, var(1)),
                bind(VEP_BIND_SCALAR, 7, var(2))};
  __int128 s = start;
  k.facts = {var(2), form(2, {{2, -1}}), form(-s, {{1, 1}, {2, -4}}),
             form(s, {{1, -1}, {2, 4}})};
  k.has_rank = true;
  k.rank = form(2, {{2, -1}});
  return check_loop(p, {k});
}

TEST(Loop, SixtyFourBitStepKeptExactOnlyWithoutWrap) {
  // From 14 the sum stays below 2^64: r6 + 4 is exact and the invariant
  // is preserved.
  Outcome o = u64_step_loop(14);
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  // From 2^64 - 8 the second step wraps to 0: r6 + 4 must become a fresh
  // value, and `r6 == start + 4 * i` is then unprovable on the back edge.
  EXPECT_REJECTED(u64_step_loop(~0ull - 7), 3, "CUT_FACT not proved");
}

TEST(Loop, NoDecreaseRejected) {
  Prog p = counting_loop();
  p[11] = alu64_imm(ADD, 8, 0); // i is not incremented: runs forever
  EXPECT_REJECTED(check_loop(p, {counting_cut()}), 3,
                  "rank_decrease: cut point 3: RANK_DECREASE not proved");
  EXPECT_FALSE(run_xdp(p, std::vector<uint8_t>(64, 1), 0).ok);
  // A ranking term that does not decrease with i.
  Cut k = counting_cut();
  k.rank = form(32);
  EXPECT_REJECTED(check_loop(counting_loop(), {k}), 3,
                  "RANK_DECREASE not proved");
  // A ranking term that may be negative on the back edge.
  k.rank = form(31, {{1, -1}});
  EXPECT_REJECTED(check_loop(counting_loop(), {k}), 3,
                  "rank_nonneg: cut point 3: RANK_NONNEG not proved");
}

TEST(Loop, RankDecreaseAskedWhenNotSyntactic) {
  // i += (data[14 + i] & 1) + 1: the decrease of 33 - x_1 is r >= 0 with
  // r = byte & 1, a question.
  std::vector<Insn> inc = {mov64_reg(5, 0), alu64_imm(AND, 5, 1),
                           alu64_imm(ADD, 5, 1), alu64_reg(ADD, 8, 5)};
  Cut k = counting_cut();
  k.facts[1] = form(33, {{1, -1}});
  k.rank = form(33, {{1, -1}});
  Prog p = counting_loop({}, inc);
  Outcome o = check_loop(p, {k});
  ASSERT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  EXPECT_EQ(count(o, VEP_GOAL_RANK_DECREASE), 1u);
  EXPECT_TRUE(run_xdp(p, std::vector<uint8_t>(100, 0), 0).ok);
  // Without the + 1 the step may be 0: the loop may not terminate.
  inc.erase(inc.begin() + 2);
  p = counting_loop({}, inc);
  EXPECT_REJECTED(check_loop(p, {k}), 3,
                  "rank_decrease: cut point 3: RANK_DECREASE not proved");
  EXPECT_FALSE(run_xdp(p, std::vector<uint8_t>(100, 0), 0).ok);
  // A rank over len: its nonnegativity is asked on every arrival.
  k = counting_cut();
  k.rank = form(32, {{0, 1}, {1, -1}});
  o = check_loop(counting_loop(), {k});
  ASSERT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  EXPECT_EQ(count(o, VEP_GOAL_RANK_NONNEG), 2u);
}

TEST(Loop, LoopHeadWithoutRankRejected) {
  Cut k = counting_cut();
  k.has_rank = false;
  EXPECT_REJECTED(check_loop(counting_loop(), {k}), 12,
                  "jump_target: backward jump to insn 3 which is not a loop "
                  "head (cut point with a ranking term)");
}

TEST(Loop, BackwardJumpToNonCutPointRejected) {
  Prog p = counting_loop();
  p[12] = ja(-9); // -> 4, inside the body
  EXPECT_REJECTED(check_loop(p, {counting_cut()}), 12,
                  "backward jump to insn 4 which is not a loop head");
  EXPECT_REJECTED(check_loop(counting_loop(), {}), 12,
                  "backward jump to insn 3 which is not a loop head");
}

TEST(Loop, InvariantFalseOnEntryRejected) {
  Prog p = counting_loop();
  p[2] = mov64_imm(8, 40);
  EXPECT_REJECTED(check_loop(p, {counting_cut()}), 3,
                  "cut_fact: cut point 3: CUT_FACT not proved for fact 1");
  // Not a constant: i starts as a u32 context field, a question.
  p[2] = ldx(W, 8, 1, 12);
  Outcome o = check_loop(p, {counting_cut()});
  EXPECT_REJECTED(o, 3, "CUT_FACT not proved for fact 1");
  ASSERT_FALSE(o.log.empty());
  EXPECT_EQ(o.log.back().kind, VEP_GOAL_CUT_FACT);
  EXPECT_FALSE(o.log.back().answered);
}

TEST(Loop, InvariantNotPreservedRejected) {
  Cut k = counting_cut();
  k.facts[1] = form(31, {{1, -1}}); // i <= 31: true on entry, not after i++
  Outcome o = check_loop(counting_loop(), {k});
  EXPECT_REJECTED(o, 3, "CUT_FACT not proved for fact 1");
  // The entry's arrival passed: the failure is on the back edge.
  EXPECT_GE(o.paths, 2u);
}

TEST(Loop, WrongBindingKindRejected) {
  Cut k = counting_cut();
  k.bindings[2] = bind(VEP_BIND_PACKET, 8, var(1));
  EXPECT_REJECTED(check_loop(counting_loop(), {k}), 3,
                  "cut_match: cut point 3: r8 is a scalar, the assertion "
                  "binds a packet pointer");
  k = counting_cut();
  k.bindings[0] = bind(VEP_BIND_SCALAR, 6, var(1));
  k.bindings[2] = bind(VEP_BIND_SCALAR, 8, var(1));
  EXPECT_REJECTED(check_loop(counting_loop(), {k}), 3,
                  "r6 is a packet pointer, the assertion binds a scalar");
  k = counting_cut();
  k.bindings[1] = bind(VEP_BIND_PACKET, 7, form(0, {{0, 1}}));
  EXPECT_REJECTED(check_loop(counting_loop(), {k}), 3,
                  "r7 is a packet end pointer, the assertion binds a packet "
                  "pointer");
  k = counting_cut();
  k.bindings.push_back(bind(VEP_BIND_SCALAR, 5, form(0)));
  EXPECT_REJECTED(check_loop(counting_loop(), {k}), 3,
                  "r5 is uninitialised, the assertion binds a scalar");
}

TEST(Loop, BindingValueMismatchRejected) {
  Cut k = counting_cut();
  k.bindings[0] = bind(VEP_BIND_PACKET, 6, form(1)); // data + 1: no
  EXPECT_REJECTED(check_loop(counting_loop(), {k}), 3,
                  "cut_binding: cut point 3: CUT_BINDING not proved for r6");
  // r9 = ifindex & 0 is 0 but not syntactically: both directions are asked.
  std::vector<Insn> pre = {ldx(W, 9, 1, 12), alu64_imm(AND, 9, 0)};
  k = counting_cut(5);
  k.bindings.push_back(bind(VEP_BIND_SCALAR, 9, form(0)));
  Outcome o = check_loop(counting_loop(pre), {k});
  ASSERT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  EXPECT_EQ(count(o, VEP_GOAL_CUT_BINDING), 2u);
  // ifindex & 1 may be 1: value - 0 >= 0 holds, 0 - value >= 0 does not.
  pre[1] = alu64_imm(AND, 9, 1);
  o = check_loop(counting_loop(pre), {k});
  EXPECT_REJECTED(o, 5, "CUT_BINDING not proved for r9");
  EXPECT_EQ(count(o, VEP_GOAL_CUT_BINDING), 2u);
  EXPECT_TRUE(o.log.back().kind == VEP_GOAL_CUT_BINDING &&
              !o.log.back().answered);
}

TEST(Loop, UndeterminedExistentialRejected) {
  for (Form f : {form(0, {{1, 2}}), form(0, {{0, 1}, {1, 1}}),
                 form(0, {{1, -1}})}) {
    Cut k = counting_cut();
    k.bindings[2] = bind(VEP_BIND_SCALAR, 8, f);
    EXPECT_REJECTED(check_loop(counting_loop(), {k}), 3,
                    "cut_instantiate: cut point 3: existential x1 is not "
                    "determined by a binding of the form x + c");
  }
  // x_2 appears only in a fact.
  Cut k = counting_cut();
  k.n_exists = 2;
  k.facts.push_back(var(2));
  EXPECT_REJECTED(check_loop(counting_loop(), {k}), 3, "existential x2");
}

TEST(Loop, InstantiationUsesTheFirstDeterminingBinding) {
  // r9 = i + 5 throughout: bound as x_1 + 5, after r8 = x_1.
  std::vector<Insn> pre = {mov64_imm(9, 5)};
  Cut k = counting_cut(4);
  k.bindings.push_back(bind(VEP_BIND_SCALAR, 9, var(1, 5)));
  Prog p =
      counting_loop(pre, {alu64_imm(ADD, 8, 1), alu64_imm(ADD, 9, 1)});
  EXPECT_EQ(check_loop(p, {k}).status, VEP_ACCEPTED);
  // r9 not incremented: x_1 := r8 = x + 1 wants r9 = x + 6, it is x + 5.
  p = counting_loop(pre, {alu64_imm(ADD, 8, 1)});
  EXPECT_REJECTED(check_loop(p, {k}), 4, "CUT_BINDING not proved for r9");
  // With r9 first, x_1 := r9 - 5 = x, and r8 = x + 1 is the one that fails.
  std::swap(k.bindings[2], k.bindings[3]);
  EXPECT_REJECTED(check_loop(p, {k}), 4, "CUT_BINDING not proved for r8");
}

// ---- nested loops: ghost ranks -----------------------------------------------
namespace {
// i = 0; `pre`; outer: while (i < 4) { j = 0;
//                                  inner: while (j < 4) { `inner` j++; }
//                                  i++; }  return XDP_PASS
// Without `pre` the outer head is insn 1, the inner head insn 3.
Prog nested_loop(std::vector<Insn> pre = {}, std::vector<Insn> inner = {}) {
  Prog p = {mov64_imm(6, 0)};
  p.insert(p.end(), pre.begin(), pre.end());
  size_t outer_head = p.size();
  p.push_back(jmp_imm(JGE, 6, 4, 0)); // outer head: if i >= 4 -> out
  p.push_back(mov64_imm(7, 0));
  size_t inner_head = p.size();
  p.push_back(jmp_imm(JGE, 7, 4, 0)); // inner head: if j >= 4 -> after
  p.insert(p.end(), inner.begin(), inner.end());
  p.push_back(alu64_imm(ADD, 7, 1));
  p.push_back(ja((int16_t)((int)inner_head - (int)p.size() - 1)));
  size_t after = p.size();
  p.push_back(alu64_imm(ADD, 6, 1));
  p.push_back(ja((int16_t)((int)outer_head - (int)p.size() - 1)));
  size_t out = p.size();
  p.push_back(mov64_imm(0, 2));
  p.push_back(exit_insn());
  p[outer_head].off = (int16_t)(out - outer_head - 1);
  p[inner_head].off = (int16_t)(after - inner_head - 1);
  return p;
}

// i = x_1 with 0 <= x_1 <= 4, rank 4 - x_1.
Cut outer_cut(uint32_t head = 1) {
  Cut k;
  k.insn = head;
  k.n_exists = 1;
  k.bindings = {bind(VEP_BIND_SCALAR, 6, var(1))};
  k.facts = {var(1), form(4, {{1, -1}})};
  k.has_rank = true;
  k.rank = form(4, {{1, -1}});
  return k;
}

// i = x_1 with 0 <= x_1 <= 3, j = x_2 with 0 <= x_2 <= 4, rank 4 - x_2;
// the ghost 4 - x_1 for the outer loop: at most its rank at its last visit.
Cut inner_cut(uint32_t head = 3, uint32_t outer_head = 1) {
  Cut k;
  k.insn = head;
  k.n_exists = 2;
  k.bindings = {bind(VEP_BIND_SCALAR, 6, var(1)),
                bind(VEP_BIND_SCALAR, 7, var(2))};
  k.facts = {var(1), form(3, {{1, -1}}), var(2), form(4, {{2, -1}})};
  k.has_rank = true;
  k.rank = form(4, {{2, -1}});
  k.ghosts = {{outer_head, form(4, {{1, -1}})}};
  return k;
}
} // namespace

TEST(Loop, NestedLoopWithGhostAccepted) {
  Prog p = nested_loop();
  ASSERT_EQ(p.size(), 10u);
  Outcome o = check_loop(p, {outer_cut(), inner_cut()});
  ASSERT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  // Entry -> outer; outer -> exit; outer -> inner; inner -> inner;
  // inner -> outer (the back edge whose decrease the ghost carries).
  EXPECT_EQ(o.paths, 5u);
  EXPECT_TRUE(run_xdp(p, {}, 0).ok);
  // A ghost below the outer rank (3 - x_1) passes the ghost questions but
  // is too weak for the outer back edge: 3 - x_1 - (4 - (x_1 + 1)) - 1 < 0.
  Cut loose = inner_cut();
  loose.ghosts[0].second = form(3, {{1, -1}});
  EXPECT_REJECTED(check_loop(p, {outer_cut(), loose}), 1,
                  "rank_decrease: cut point 1: RANK_DECREASE not proved");
}

TEST(Loop, NestedLoopWithoutGhostRejected) {
  // The outer back edge comes from a path that started at the inner head.
  Cut inner = inner_cut();
  inner.ghosts.clear();
  EXPECT_REJECTED(check_loop(nested_loop(), {outer_cut(), inner}), 7,
                  "cut_back_edge: cut point 1: backward jump from insn 7 on a "
                  "path that did not start in the loop");
}

TEST(Loop, InnerLoopResettingOuterCounterRejected) {
  // The inner body sets i = 0: the outer loop never ends. The ghost cannot
  // stay below the outer rank at its last visit.
  Prog p = nested_loop({}, {mov64_imm(6, 0)});
  EXPECT_REJECTED(check_loop(p, {outer_cut(), inner_cut()}), 3,
                  "rank_ghost: cut point 3: RANK_GHOST not proved");
  // i = 0 after the inner loop instead of i++: the outer rank does not
  // decrease on its back edge.
  p = nested_loop();
  p[6] = mov64_imm(6, 0);
  EXPECT_REJECTED(check_loop(p, {outer_cut(), inner_cut()}), 1,
                  "rank_decrease: cut point 1: RANK_DECREASE not proved");
}

TEST(Loop, GhostClaimingMoreThanOuterRankRejected) {
  Cut inner = inner_cut();
  inner.ghosts[0].second = form(5, {{1, -1}});
  EXPECT_REJECTED(check_loop(nested_loop(), {outer_cut(), inner}), 3,
                  "rank_ghost: cut point 3: RANK_GHOST not proved");
}

TEST(Loop, InnerLoopEnteredFromEntryRejected) {
  // r7 = 0; the entry jumps over the outer head straight to the inner head.
  Prog p = nested_loop({mov64_imm(7, 0), ja(2)});
  ASSERT_EQ(p[5].code, JMP | JGE | K);
  EXPECT_REJECTED(check_loop(p, {outer_cut(3), inner_cut(5, 3)}), 5,
                  "cut_ghost: cut point 5: inside the loop at insn 3, but the "
                  "path from insn 0 did not come through it");
  EXPECT_TRUE(run_xdp(p, {}, 0).ok); // it does terminate: refused by design
}

TEST(Loop, MalformedGhostsRejected) {
  Prog p = nested_loop();
  Cut inner = inner_cut();
  inner.ghosts[0].first = 2; // not a cut point
  EXPECT_REJECTED(check_loop(p, {outer_cut(), inner}), 3,
                  "cut_assertion: cut point 3: a ghost names no lower cut "
                  "point with a ranking term");
  Cut outer = outer_cut();
  outer.ghosts = {{3, form(4, {{1, -1}})}}; // a higher cut point
  EXPECT_REJECTED(check_loop(p, {outer, inner_cut()}), 1,
                  "a ghost names no lower cut point with a ranking term");
  inner = inner_cut();
  inner.ghosts[0].first = 3; // itself
  EXPECT_REJECTED(check_loop(p, {outer_cut(), inner}), 3,
                  "a ghost names no lower cut point with a ranking term");
  // A lower cut point without a rank: a join at insn 2 (i = x_1).
  Cut join = outer_cut(2);
  join.has_rank = false;
  inner = inner_cut();
  inner.ghosts[0].first = 2;
  EXPECT_REJECTED(check_loop(p, {outer_cut(), join, inner}), 3,
                  "a ghost names no lower cut point with a ranking term");
  inner = inner_cut();
  inner.ghosts.push_back(inner.ghosts[0]); // the outer loop twice
  EXPECT_REJECTED(check_loop(p, {outer_cut(), inner}), 3,
                  "cut_assertion: cut point 3: ghosts not sorted by loop or "
                  "not distinct");
  inner = inner_cut();
  inner.ghosts[0].second = var(3); // x_3: not a variable of the cut point
  EXPECT_REJECTED(check_loop(p, {outer_cut(), inner}), 3,
                  "cut_assertion: cut point 3: malformed ghost form");
}

TEST(Loop, LoopEnteredFromInsideItsBodyRejected) {
  // The entry jumps forward to the back edge (insn 13), which jumps back to
  // the head (insn 4): the path started at the entry, not at the head.
  Prog p = counting_loop({ja(9)});
  ASSERT_EQ(p[13].code, JMP | JA);
  EXPECT_REJECTED(check_loop(p, {counting_cut(4)}), 13,
                  "cut_back_edge: cut point 4: backward jump from insn 13 on a "
                  "path that did not start in the loop");
}

// ---- strlen -------------------------------------------------------------------
TEST(Loop, StrlenAccepted) {
  std::vector<Post> posts{post_range(0, 65535)};
  Outcome o = check_loop(strlen_loop(), {strlen_cut()}, posts);
  ASSERT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  // The entry's arrival asks len - 0 >= 0 (fact 1) and the rank len >= 0.
  ASSERT_GE(o.log.size(), 2u);
  EXPECT_EQ(o.log[0].kind, VEP_GOAL_CUT_FACT);
  EXPECT_EQ(o.log[0].insn, 3u);
  EXPECT_EQ(o.log[1].kind, VEP_GOAL_RANK_NONNEG);
  for (auto pkt : std::vector<std::vector<uint8_t>>{
           {}, {0}, {1, 2, 3}, {1, 2, 0, 4}, std::vector<uint8_t>(300, 7)}) {
    RunResult r = run_xdp(strlen_loop(), pkt, 0);
    ASSERT_TRUE(r.ok) << r.error;
  }
  // r0 <= len is provable too, but not r0 < len (the packet may have no 0).
  posts = {post_range(0, 65534)};
  EXPECT_REJECTED(check_loop(strlen_loop(), {strlen_cut()}, posts), 10,
                  "postcondition");
}

TEST(Loop, StrlenWithoutInvariantRejected) {
  // Without 0 <= x_1 the load may be below data.
  Cut k = strlen_cut();
  k.facts.erase(k.facts.begin());
  EXPECT_REJECTED(check_loop(strlen_loop(), {k}), 4, "ACCESS_LOW not proved");
  // Without the p < end check the load is out of bounds.
  Prog p = strlen_loop();
  p[3] = ja(0);
  EXPECT_REJECTED(check_loop(p, {strlen_cut()}), 4, "ACCESS_HIGH not proved");
}

// ---- stack bindings -------------------------------------------------------------
namespace {
// A counter spilled at -8, a 4-byte value at -16 kept across the loop.
Prog stack_loop() {
  return {st(DW, 10, -8, 0),        // 0: *(u64 *)(fp - 8) = 0
          st(W, 10, -16, 7),        // 1: *(u32 *)(fp - 16) = 7
          ldx(DW, 1, 10, -8),       // 2: head: r1 = counter
          jmp_imm(JGE, 1, 10, 4),   // 3: -> 8
          alu64_imm(ADD, 1, 1),     // 4
          stx(DW, 10, 1, -8),       // 5
          ldx(W, 2, 10, -16),       // 6: reads the kept bytes
          ja(-6),                   // 7: -> 2
          ldx(W, 0, 10, -16),       // 8
          exit_insn()};             // 9
}

Cut stack_cut() {
  Cut k;
  k.insn = 2;
  k.n_exists = 1;
  k.bindings = {bind(VEP_BIND_SCALAR, -8, var(1))};
  k.facts = {var(1), form(10, {{1, -1}})};
  k.has_rank = true;
  k.rank = form(10, {{1, -1}});
  k.init_lo = -16;
  k.init_hi = -12;
  return k;
}
} // namespace

TEST(Loop, StackSlotsAndInitialisedRange) {
  Outcome o = check_loop(stack_loop(), {stack_cut()});
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  EXPECT_TRUE(run_xdp(stack_loop(), {}, 0).ok);
  // The bytes at -16 are not kept: reading them after the loop fails.
  Cut k = stack_cut();
  k.init_lo = k.init_hi = 0;
  EXPECT_REJECTED(check_loop(stack_loop(), {k}), 6,
                  "read of uninitialised stack");
  // Claiming more initialised bytes than there are.
  k = stack_cut();
  k.init_hi = -8;
  EXPECT_REJECTED(check_loop(stack_loop(), {k}), 2,
                  "cut_stack: cut point 2: stack byte at -12 is not "
                  "initialised");
  // The slot must hold a whole spilled value.
  Prog p = stack_loop();
  p[0] = st(W, 10, -8, 0);
  p.insert(p.begin() + 1, st(W, 10, -4, 0)); // two halves: no spill
  k = stack_cut();
  k.insn = 3;
  EXPECT_REJECTED(check_loop(p, {k}), 3,
                  "the stack slot at -8 holds no whole spilled value, the "
                  "assertion binds a scalar");
}

TEST(Loop, SpilledPointerNotLeakedThroughInitialisedRange) {
  // The context pointer is spilled at -8; a cut point that declares
  // [-8, 0) initialised without binding the slot would let the loop read
  // the pointer's bytes as a scalar.
  Prog p = {stx(DW, 10, 1, -8),        // 0
            mov64_imm(6, 0),           // 1
            jmp_imm(JGE, 6, 3, 2),     // 2: head -> 5
            alu64_imm(ADD, 6, 1),      // 3
            ja(-3),                    // 4: -> 2
            ldx(DW, 0, 10, -8),        // 5: r0 = the spilled slot
            exit_insn()};              // 6
  Cut k;
  k.insn = 2;
  k.n_exists = 1;
  k.bindings = {bind(VEP_BIND_SCALAR, 6, var(1))};
  k.facts = {var(1), form(3, {{1, -1}})};
  k.has_rank = true;
  k.rank = form(3, {{1, -1}});
  k.init_lo = -8;
  k.init_hi = 0;
  EXPECT_REJECTED(check_loop(p, {k}), 2,
                  "stack byte at -8 belongs to a spilled pointer the "
                  "assertion does not bind");
  // Bound as what it is, the pointer stays a pointer: exit_r0 rejects.
  k.bindings.push_back(bind(VEP_BIND_CTX, -8, form(0)));
  EXPECT_REJECTED(check_loop(p, {k}), 6, "exit_r0: r0 holds a pointer");
  // Bound as a scalar: the kinds disagree.
  k.bindings.back() = bind(VEP_BIND_SCALAR, -8, form(0));
  EXPECT_REJECTED(check_loop(p, {k}), 2,
                  "the stack slot at -8 is a context pointer, the assertion "
                  "binds a scalar");
  // R10 is always the stack pointer; a stack pointer binding in r9 works.
  Prog q = p;
  q[0] = mov64_reg(9, 10);
  q[5] = ldx(B, 0, 9, -1); // through r9 = fp: uninitialised byte
  k.bindings.back() = bind(VEP_BIND_STACK, 9, form(0));
  k.init_lo = k.init_hi = 0;
  EXPECT_REJECTED(check_loop(q, {k}), 5, "read of uninitialised stack");
}

// ---- joins ----------------------------------------------------------------------
TEST(Cut, JoinCapsPaths) {
  // Three diamonds: 8 paths without cut points; with a cut point at each
  // join (no ranking term: not a loop head) 2 + 2 + 2 + 1.
  Prog p = {ldx(W, 6, 1, 12), mov64_imm(0, 0)};
  for (int d = 0; d < 3; d++) {
    p.push_back(jmp_imm(JSET, 6, 1 << d, 1)); // skip the increment or not
    p.push_back(alu64_imm(ADD, 0, 1));
    p.push_back(ja(0)); // the join: 4, 7, 10
  }
  p.push_back(exit_insn());
  std::vector<Post> posts{post_range(0, 3)};
  Outcome plain = round_trip(xdp_object(p), posts);
  ASSERT_EQ(plain.status, VEP_ACCEPTED) << plain.reason;
  EXPECT_EQ(plain.paths, 8u);
  std::vector<Cut> cuts;
  for (int d = 0; d < 3; d++) {
    Cut k;
    k.insn = 4 + 3 * d;
    k.n_exists = 2;
    k.bindings = {bind(VEP_BIND_SCALAR, 0, var(1)),
                  bind(VEP_BIND_SCALAR, 6, var(2))};
    k.facts = {var(1), form(d + 1, {{1, -1}})};
    cuts.push_back(k);
  }
  Outcome o = check_loop(p, cuts, posts);
  ASSERT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  EXPECT_EQ(o.paths, 7u);
  // A join fact that does not hold (r0 <= 1 after two diamonds).
  std::vector<Cut> wrong = cuts;
  wrong[1].facts[1] = form(1, {{1, -1}});
  EXPECT_REJECTED(check_loop(p, wrong, posts), 7,
                  "cut_fact: cut point 7: CUT_FACT not proved for fact 1");
  // Without r6's binding r6 is uninitialised after the first join.
  wrong = {cuts[0]};
  wrong[0].bindings.pop_back();
  wrong[0].n_exists = 1;
  EXPECT_REJECTED(check_loop(p, wrong, posts), 5, "uninitialised register r6");
  // The post-condition needs the join facts: without them r0 is unknown.
  wrong = cuts;
  wrong[2].facts.clear();
  EXPECT_REJECTED(check_loop(p, wrong, posts), 11, "postcondition");
}

// ---- validation of cut point tables ----------------------------------------------
TEST(Cut, TableValidation) {
  Prog p = counting_loop();
  Prog wide = counting_loop();
  lddw(wide, 9, 1); // 15, 16: unreachable
  wide.push_back(exit_insn());
  struct Case {
    std::vector<Cut> cuts;
    const char *why;
    Prog prog;
  };
  auto with = [](auto f) {
    Cut k = counting_cut();
    f(k);
    return std::vector<Cut>{k};
  };
  Cut other = counting_cut();
  other.insn = 13;
  other.has_rank = false;
  std::vector<Case> cases = {
      {with([](Cut &k) { k.insn = 0; }), "instruction index out of range", p},
      {with([](Cut &k) { k.insn = 15; }), "instruction index out of range",
       p},
      {{other, counting_cut()}, "not sorted by instruction or not distinct",
       p},
      {{counting_cut(), counting_cut()}, "not sorted", p},
      {with([](Cut &k) { k.insn = 16; }), "cut point in the middle of lddw",
       wide},
      {with([](Cut &k) { k.facts[0] = var(2); }), "malformed fact", p},
      {with([](Cut &k) { k.facts[0] = form(0, {{1, 0}}); }), "malformed fact",
       p},
      {with([](Cut &k) { k.facts[0] = form(0, {{1, 1}, {0, 1}}); }),
       "malformed fact", p},
      {with([](Cut &k) { k.facts[0] = form(0, {{1, 1}, {1, 1}}); }),
       "malformed fact", p},
      {with([](Cut &k) { k.rank = form(0, {{3, 1}}); }),
       "malformed ranking term", p},
      {with([](Cut &k) { k.bindings[0].kind = VEP_BIND_KIND_COUNT; }),
       "unknown binding kind", p},
      {with([](Cut &k) { k.bindings[0].where = 10; }),
       "neither r0..r9 nor an aligned stack slot", p},
      {with([](Cut &k) { k.bindings[0].where = -4; }),
       "neither r0..r9 nor an aligned stack slot", p},
      {with([](Cut &k) { k.bindings[0].where = -520; }),
       "neither r0..r9 nor an aligned stack slot", p},
      {with([](Cut &k) { k.bindings[0].where = 7; }),
       "a register or stack slot is bound twice", p},
      {with([](Cut &k) {
         k.bindings.push_back(bind(VEP_BIND_SCALAR, -8, form(0)));
         k.bindings.push_back(bind(VEP_BIND_SCALAR, -8, form(1)));
       }),
       "bound twice", p},
      {with([](Cut &k) { k.bindings[0].value = form(0, {{2, 1}}); }),
       "malformed binding form", p},
      {with([](Cut &k) {
         k.bindings.push_back(bind(VEP_BIND_STACK, 5, var(1)));
       }),
       "context and stack pointer offsets must be constants", p},
      {with([](Cut &k) {
         k.bindings.push_back(bind(VEP_BIND_CTX, 5, form(0, {{0, 1}})));
       }),
       "context and stack pointer offsets must be constants", p},
      {with([](Cut &k) {
         k.bindings.push_back(
             bind(VEP_BIND_SCALAR, 5, form((__int128)1 << 64)));
       }),
       "scalar constant outside [0, 2^64)", p},
      {with([](Cut &k) {
         k.bindings.push_back(bind(VEP_BIND_SCALAR, 5, form(-1)));
       }),
       "scalar constant outside [0, 2^64)", p},
      {with([](Cut &k) { k.init_lo = -8, k.init_hi = -16; }),
       "initialised stack range", p},
      {with([](Cut &k) { k.init_lo = -520; }), "initialised stack range", p},
      {with([](Cut &k) { k.init_hi = 8; }), "initialised stack range", p},
  };
  for (size_t i = 0; i < cases.size(); i++) {
    Outcome o = check_loop(cases[i].prog, cases[i].cuts);
    EXPECT_EQ(o.status, VEP_REJECTED) << "case " << i << ": " << o.reason;
    EXPECT_TRUE(contains(o.reason, cases[i].why))
        << "case " << i << ": " << o.reason;
    EXPECT_TRUE(contains(o.reason, "cut_table: cut point ") ||
                contains(o.reason, "cut_assertion: cut point "))
        << o.reason;
  }
  // r0 is a valid location (but uninitialised at the head here).
  EXPECT_REJECTED(check_loop(p, with([](Cut &k) { k.bindings[0].where = 0; })),
                  3, "r0 is uninitialised");
  // A valid table with two cut points (one not a loop head) is accepted.
  EXPECT_EQ(check_loop(p, {counting_cut(), other}).status, VEP_ACCEPTED);
}

TEST(Cut, LimitsInWritingModeAreMalformedInFiles) {
  auto obj = xdp_object(counting_loop());
  Cut k = counting_cut();
  k.n_exists = VEP_MAX_CUT_EXISTS + 1;
  Outcome w = write_proof(obj, {}, 0, table({k}));
  EXPECT_REJECTED(w, 3, "limits: cut point 3: too many existentials");
  Outcome c = check_proof(obj, w.proof);
  EXPECT_EQ(c.status, VEP_MALFORMED) << c.reason;
  EXPECT_TRUE(contains(c.reason, "integer out of range")) << c.reason;
  k = counting_cut();
  k.facts.assign(VEP_MAX_CUT_FACTS + 1, var(1));
  w = write_proof(obj, {}, 0, table({k}));
  EXPECT_REJECTED(w, 3, "limits");
  EXPECT_EQ(check_proof(obj, w.proof).status, VEP_MALFORMED);
  // More terms than a form may have.
  k = counting_cut();
  k.facts[0].terms.assign(VEP_MAX_TERMS + 1, {1, 1});
  w = write_proof(obj, {}, 0, table({k}));
  EXPECT_REJECTED(w, 3, "cut_assertion: cut point 3: malformed fact");
  EXPECT_EQ(check_proof(obj, w.proof).status, VEP_MALFORMED);
  // More ghosts than loops may nest.
  k = counting_cut();
  k.ghosts.assign(VEP_MAX_LOOP_DEPTH + 1, {0, form(0)});
  w = write_proof(obj, {}, 0, table({k}));
  EXPECT_REJECTED(w, 3, "limits: cut point 3: too many existentials, "
                        "bindings, facts or ghosts");
  EXPECT_EQ(check_proof(obj, w.proof).status, VEP_MALFORMED);
  CutTable many;
  many.cuts.assign(VEP_MAX_CUTS + 1, counting_cut());
  w = write_proof(obj, {}, 0, {many});
  EXPECT_REJECTED(w, 0, "limits: more than 4096 cut points");
  EXPECT_EQ(check_proof(obj, w.proof).status, VEP_MALFORMED);
}

// Rewriting a cut point's assertion on arrival costs no proof bytes when
// every rewritten form comes out constant (decided, not asked). 15 forks
// without facts (JSET) make 2^15 paths arrive at a cut point whose 16 facts
// of 64 terms each rewrite to 0 over 64-term values: ~1.2e5 term operations
// per arrival, no questions at all. Before the work limit this 2 KB object
// with a 2.5 KB proof took 15 s to check and was accepted (with 256 facts
// and 2^16 paths, a 34 KB proof: about 13 minutes); now the limit ends it
// after ~0.2 s.
TEST(Cut, ArrivalWorkIsBounded) {
  Prog p = {ldx(W, 6, 1, 0)}; // r6 = data
  for (int i = 0; i < 64; i++) { // r6 += 64 fresh u32s: a 64-term offset
    p.push_back(ldx(W, 2, 1, 12));
    p.push_back(alu64_reg(ADD, 6, 2));
  }
  for (int s = 1; s <= 64; s++) // spilled into every stack slot
    p.push_back(stx(DW, 10, 6, (int16_t)(-8 * s)));
  for (int j = 0; j < 15; j++)
    p.push_back(jmp_imm(JSET, 2, 1, 0));
  Cut k;
  k.insn = (uint32_t)p.size();
  p.push_back(mov64_imm(0, 2));
  p.push_back(exit_insn());
  k.n_exists = 64;
  std::vector<std::pair<uint32_t, __int128>> alternating;
  for (int s = 1; s <= 64; s++) {
    k.bindings.push_back(bind(VEP_BIND_PACKET, (int16_t)(-8 * s), var(s)));
    alternating.push_back({(uint32_t)s, s % 2 ? 1 : -1});
  }
  k.bindings.push_back(bind(VEP_BIND_PACKET, 6, var(1)));
  k.facts.assign(16, form(0, alternating)); // x1 - x2 + ... - x64 >= 0
  auto obj = xdp_object(p);
  Outcome w = write_proof(obj, {}, 0, table({k}));
  EXPECT_REJECTED(w, k.insn, "limits: cut point 208: more than 67108864 "
                             "linear-form term operations");
  EXPECT_EQ(w.questions, 0u);
  Outcome c = check_proof(obj, w.proof);
  EXPECT_REJECTED(c, k.insn, "limits: cut point 208: more than 67108864 "
                             "linear-form term operations");
  // The same with 2^4 paths is well within the limit.
  p.erase(p.begin() + (long)k.insn - 11, p.begin() + (long)k.insn);
  k.insn -= 11;
  EXPECT_EQ(round_trip(xdp_object(p), {}, table({k})).status, VEP_ACCEPTED);
}

// ---- the encoding ---------------------------------------------------------------
TEST(Cut, EncodingRoundTrips) {
  Cut k = counting_cut();
  k.bindings.push_back(bind(VEP_BIND_STACK, -512, form(-16)));
  k.bindings.push_back(bind(VEP_BIND_CTX, 1, form(0)));
  k.facts.push_back(form(-((__int128)1 << 120), {{0, 3}, {1, -((__int128)1 << 100)}}));
  k.init_lo = -512;
  k.init_hi = -7;
  Cut j;
  j.insn = 13;
  j.ghosts = {{3, form(7, {{0, -2}})}, {9, form(-1)}};
  CutTable t;
  t.cuts = {k, j};
  uint32_t n;
  const vep_cut_point *cuts = t.get(n);
  vep_program_header h{};
  h.insn_hash = 77;
  h.n_cuts = n;
  h.cuts = cuts;
  vep_proof_buf b;
  vep_enc_init(&b);
  enc_programs(b, {h});
  std::vector<uint8_t> proof(b.data, b.data + b.len);
  vep_enc_free(&b);
  std::vector<uint8_t> mem(1 << 16);
  vep_arena a;
  vep_arena_init(&a, mem.data(), mem.size());
  vep_proof_reader r;
  vep_result res{};
  ASSERT_EQ(vep_proof_reader_init(&r, proof.data(), proof.size(), &a, &res),
            VEP_ACCEPTED)
      << res.reason;
  ASSERT_EQ(r.headers.n_programs, 1u);
  const vep_program_header &out = r.headers.programs[0];
  ASSERT_EQ(out.n_cuts, 2u);
  auto same_form = [](const vep_lin &x, const vep_lin &y) {
    if (x.constant != y.constant || x.n_terms != y.n_terms)
      return false;
    for (uint32_t i = 0; i < x.n_terms; i++)
      if (x.terms[i].var != y.terms[i].var ||
          x.terms[i].coeff != y.terms[i].coeff)
        return false;
    return true;
  };
  for (uint32_t i = 0; i < 2; i++) {
    const vep_cut_point &x = out.cuts[i], &y = cuts[i];
    EXPECT_EQ(x.insn, y.insn);
    EXPECT_EQ(x.n_exists, y.n_exists);
    ASSERT_EQ(x.n_bindings, y.n_bindings);
    for (uint32_t j = 0; j < x.n_bindings; j++) {
      EXPECT_EQ(x.bindings[j].kind, y.bindings[j].kind);
      EXPECT_EQ(x.bindings[j].where, y.bindings[j].where);
      EXPECT_TRUE(same_form(x.bindings[j].form, y.bindings[j].form));
    }
    ASSERT_EQ(x.n_facts, y.n_facts);
    for (uint32_t j = 0; j < x.n_facts; j++)
      EXPECT_TRUE(same_form(x.facts[j], y.facts[j])) << j;
    EXPECT_EQ(x.has_rank, y.has_rank);
    if (x.has_rank)
      EXPECT_TRUE(same_form(x.rank, y.rank));
    EXPECT_EQ(x.init_lo, y.init_lo);
    EXPECT_EQ(x.init_hi, y.init_hi);
    ASSERT_EQ(x.n_ghosts, y.n_ghosts);
    for (uint32_t j = 0; j < x.n_ghosts; j++) {
      EXPECT_EQ(x.ghosts[j].loop, y.ghosts[j].loop);
      EXPECT_TRUE(same_form(x.ghosts[j].form, y.ghosts[j].form));
    }
  }
  EXPECT_EQ(out.cuts[1].n_ghosts, 2u);
  EXPECT_EQ(vep_proof_reader_finish(&r, &res), VEP_ACCEPTED);
}

TEST(Cut, BadEncodingsAreMalformed) {
  auto obj = xdp_object(counting_loop());
  std::vector<uint8_t> good =
      write_proof(obj, {}, 0, table({counting_cut()})).proof;
  ASSERT_EQ(check_proof(obj, good).status, VEP_ACCEPTED);
  // The cut point table of the entry: after the 16-byte header, no
  // functions, 1 program, the hash, 0 posts and 1 cut point.
  const size_t at = 16 + 1 + 1 + 8 + 1 + 1;
  ASSERT_EQ(good[at - 1], 1);
  const std::vector<uint8_t> layout = {
      3, 1, 3,            // insn, n_exists, n_bindings
      2, 12, 0, 0,        // PACKET r6 = 0 (signed: zigzag, 6 as 12)
      3, 14, 0, 0,        // PACKET_END r7 = 0
      0, 16, 0, 1, 1, 2,  // SCALAR r8 = 0 + 1*x1
      2, 0, 1, 1, 2,      // 2 facts: x1
      64, 1, 1, 1,        //          32 - x1 (-1 as 1)
      0,                  // n_ghosts
      1, 64, 1, 1, 1,     // has_rank, rank 32 - x1
      0, 0};              // init_lo, init_hi
  ASSERT_GE(good.size(), at + layout.size());
  EXPECT_EQ(std::vector<uint8_t>(good.begin() + at,
                                 good.begin() + at + layout.size()),
            layout);
  auto malformed = [&](std::vector<uint8_t> p, const char *why) {
    Outcome o = check_proof(obj, p);
    EXPECT_EQ(o.status, VEP_MALFORMED) << why;
    EXPECT_TRUE(contains(o.reason, why)) << o.reason;
  };
  std::vector<uint8_t> p = good;
  p[at + 27] = 2; // has_rank is at most 1
  malformed(p, "integer out of range");
  // where = 0x8000 (zigzag 0x10000: 0x80 0x80 0x04) does not fit int16.
  p = good;
  p[at + 4] = 0x80;
  p.insert(p.begin() + at + 5, {0x80, 0x04});
  malformed(p, "integer out of range");
  // kind 256.
  p = good;
  p[at + 3] = 0x80;
  p.insert(p.begin() + at + 4, 0x02);
  malformed(p, "integer out of range");
  // A non-shortest n_bindings.
  p = good;
  p[at + 2] = 0x83;
  p.insert(p.begin() + at + 3, 0x00);
  malformed(p, "shortest form");
  // More terms than allowed.
  p = good;
  p[at + 14] = VEP_MAX_TERMS + 1;
  malformed(p, "integer out of range");
  // More ghosts than allowed.
  p = good;
  p[at + 26] = VEP_MAX_LOOP_DEPTH + 1;
  malformed(p, "integer out of range");
  // A valid encoding the checker rejects: kind 6.
  p = good;
  p[at + 3] = VEP_BIND_KIND_COUNT;
  EXPECT_REJECTED(check_proof(obj, p), 3,
                  "cut_assertion: cut point 3: unknown binding kind");
}

TEST(Cut, EveryTruncationOfALoopProofIsMalformed) {
  for (int which = 0; which < 2; which++) {
    auto obj = xdp_object(which ? strlen_loop() : counting_loop());
    std::vector<uint8_t> good =
        write_proof(obj, {}, 0, table({which ? strlen_cut() : counting_cut()}))
            .proof;
    ASSERT_EQ(check_proof(obj, good).status, VEP_ACCEPTED);
    for (size_t n = 0; n < good.size(); n++) {
      std::vector<uint8_t> p(good.begin(), good.begin() + n);
      Outcome o = check_proof(obj, p);
      EXPECT_EQ(o.status, VEP_MALFORMED) << "prefix " << n << ": " << o.reason;
    }
  }
}

TEST(Cut, RandomCorruptionOfALoopProof) {
  for (int which = 0; which < 2; which++) {
    auto obj = xdp_object(which ? strlen_loop() : counting_loop());
    std::vector<uint8_t> proof =
        write_proof(obj, {}, 0,
                    table({which ? strlen_cut() : counting_cut()}))
            .proof;
    ASSERT_EQ(check_proof(obj, proof).status, VEP_ACCEPTED);
    uint64_t seed = 0x2545f4914f6cdd1dull + which;
    auto next = [&]() {
      seed ^= seed << 13;
      seed ^= seed >> 7;
      seed ^= seed << 17;
      return seed;
    };
    int verdicts[3] = {0, 0, 0};
    for (int i = 0; i < 3000; i++) {
      auto p2 = proof;
      auto o2 = obj;
      int flips = 1 + (int)(next() % 3);
      for (int f = 0; f < flips; f++) {
        if (i % 4 == 3)
          o2[next() % o2.size()] ^= (uint8_t)(1 + next() % 255);
        else
          p2[next() % p2.size()] ^= (uint8_t)(1 + next() % 255);
      }
      Outcome o = check_proof(o2, p2);
      ASSERT_TRUE(o.status == VEP_ACCEPTED || o.status == VEP_REJECTED ||
                  o.status == VEP_MALFORMED);
      EXPECT_FALSE(o.reason.empty() && o.status != VEP_ACCEPTED);
      verdicts[o.status]++;
    }
    // Both kinds of failure occur: the corruption reaches the checker.
    EXPECT_GT(verdicts[VEP_REJECTED], 100);
    EXPECT_GT(verdicts[VEP_MALFORMED], 100);
  }
}
