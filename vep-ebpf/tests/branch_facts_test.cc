// branch_facts_test.cc - Rules jmp_ne, jmp_signed and jmp32
// (docs/proof-format.md 7.5): the facts a branch learns under a certified
// side condition, each accepted program beside a rejected twin whose
// condition does not hold (the unsound fact would have accepted it).
#include "test_support.h"

#include <gtest/gtest.h>

using namespace vt;

namespace {

constexpr __int128 kU64 = ((__int128)1 << 64) - 1;
constexpr __int128 kS64 = ((__int128)1 << 63) - 1;
constexpr __int128 kU32 = ((__int128)1 << 32) - 1;
constexpr __int128 kS32 = ((__int128)1 << 31) - 1;
constexpr int32_t kMarker = 7777; // what the side not measured returns

// One side of a comparison: r0 = `load` from the packet (8 bytes bound
// checked), r5 = a packet byte, then `pre`, then the jump `j`. The side
// measured (`taken` or the fall-through) runs `after` and exits with r0,
// the other exits with kMarker.
struct Side {
  Insn load;
  Prog pre;
  Insn j;
  bool taken;
  Prog after = {};
};

Prog side_program(const Side &s) {
  Prog p = xdp_prologue();
  p.push_back(mov64_reg(4, 2));         // 2
  p.push_back(alu64_imm(ADD, 4, 8));    // 3
  size_t bound = p.size();
  p.push_back(jmp_reg(JGT, 4, 3, 0));   // 4: patched -> the marker exit
  p.push_back(s.load);                  // 5: r0
  p.push_back(ldx(B, 5, 2, 7));         // 6: r5 = data[7]
  p.insert(p.end(), s.pre.begin(), s.pre.end());
  Insn j = s.j;
  j.off = (int16_t)(s.taken ? 2 : s.after.size() + 1);
  p.push_back(j);
  Prog measured = s.after, other = {mov64_imm(0, kMarker), exit_insn()};
  measured.push_back(exit_insn());
  const Prog &first = s.taken ? other : measured;
  const Prog &second = s.taken ? measured : other;
  p.insert(p.end(), first.begin(), first.end());
  p.insert(p.end(), second.begin(), second.end());
  p[bound].off = (int16_t)(p.size() - bound - 1);
  p.push_back(mov64_imm(0, kMarker));
  p.push_back(exit_insn());
  return p;
}

// The measured side's r0 lies in [lo, hi].
Outcome side_in(const Side &s, __int128 lo, __int128 hi) {
  Post post = post_range(lo, hi);
  post.disjuncts.push_back({{1, -kMarker}, {-1, kMarker}});
  return round_trip(xdp_object(side_program(s)), {post});
}

// [lo, hi] is the exact range the checker knows: accepted, and neither
// end can be tightened.
void expect_exact(const Side &s, __int128 lo, __int128 hi, const char *what) {
  EXPECT_EQ(side_in(s, lo, hi).status, VEP_ACCEPTED) << what;
  EXPECT_EQ(side_in(s, lo + 1, hi).status, VEP_REJECTED) << what << " (lo)";
  EXPECT_EQ(side_in(s, lo, hi - 1).status, VEP_REJECTED) << what << " (hi)";
}

Insn byte_load() { return ldx(B, 0, 2, 0); }
Insn word_load() { return ldx(W, 0, 2, 0); }
Insn dword_load() { return ldx(DW, 0, 2, 0); }
Insn jmp32_imm(uint8_t op, uint8_t dst, int32_t imm) {
  return raw(JMP32 | K | op, dst, 0, 0, imm);
}
Insn jmp32_reg(uint8_t op, uint8_t dst, uint8_t src) {
  return raw(JMP32 | X | op, dst, src, 0, 0);
}
constexpr uint8_t JSLT = 0xc0, JSLE = 0xd0;

} // namespace

// ---- jmp_ne ----------------------------------------------------------------
TEST(BranchFacts, DisequalityTightensACertifiedOrder) {
  // r0 >= 0 is certified, so r0 != 0 gives r0 >= 1 (either jump).
  expect_exact({byte_load(), {}, jmp_imm(JEQ, 0, 0, 0), false}, 1, 255,
               "JEQ 0, fall-through");
  expect_exact({byte_load(), {}, jmp_imm(JNE, 0, 0, 0), true}, 1, 255,
               "JNE 0, taken");
  // r0 <= 15 is certified, so r0 != 15 gives r0 <= 14.
  expect_exact({byte_load(), {alu64_imm(AND, 0, 15)}, jmp_imm(JNE, 0, 15, 0),
                true},
               0, 14, "JNE 15 on r0 & 15");
  // Two registers: r5 = r0 & 15 <= r0 is certified, so r0 != r5 gives
  // r0 >= r5 + 1.
  expect_exact({byte_load(), {mov64_reg(5, 0), alu64_imm(AND, 5, 15)},
                jmp_reg(JEQ, 0, 5, 0), false},
               1, 255, "JEQ r5 on r5 = r0 & 15");
}

TEST(BranchFacts, DisequalityInsideTheRangeGivesNothing) {
  // r0 != 7 with r0 in [0, 255]: neither order is certified.
  expect_exact({byte_load(), {}, jmp_imm(JNE, 0, 7, 0), true}, 0, 255,
               "JNE 7");
  // r0 - 1 after r0 != 1 wraps at r0 = 0; after r0 != 0 it is exact.
  Side dec{byte_load(), {}, jmp_imm(JEQ, 0, 1, 0), false,
           {alu64_imm(ADD, 0, -1)}};
  EXPECT_EQ(side_in(dec, 0, 254).status, VEP_REJECTED);
  dec.j.imm = 0;
  expect_exact(dec, 0, 254, "r0 - 1 after r0 != 0");
}

// ---- jmp_signed --------------------------------------------------------------
TEST(BranchFacts, SignedCompareOfNonnegativeValuesIsUnsigned) {
  expect_exact({byte_load(), {}, jmp_imm(JSGT, 0, 5, 0), true}, 6, 255,
               "JSGT 5 taken");
  expect_exact({byte_load(), {}, jmp_imm(JSGT, 0, 5, 0), false}, 0, 5,
               "JSGT 5 fall");
  expect_exact({byte_load(), {}, jmp_imm(JSLT, 0, 5, 0), true}, 0, 4,
               "JSLT 5 taken");
  expect_exact({byte_load(), {}, jmp_imm(JSLE, 0, 5, 0), false}, 6, 255,
               "JSLE 5 fall");
  expect_exact({byte_load(), {}, jmp_reg(JSGE, 0, 5, 0), false}, 0, 254,
               "JSGE r5 fall");
}

TEST(BranchFacts, SignedCompareAboveANonnegativeBoundIsNonnegative) {
  // r0 may be >= 2^63 (negative), but r0 >s 5 >= 0 makes it nonnegative.
  expect_exact({dword_load(), {}, jmp_imm(JSGT, 0, 5, 0), true}, 6, kS64,
               "u64 JSGT 5 taken");
  expect_exact({dword_load(), {}, jmp_reg(JSGE, 0, 5, 0), true}, 0, kS64,
               "u64 JSGE r5 taken");
}

TEST(BranchFacts, SignedCompareOfPossiblyNegativeValueGivesNothing) {
  // r0 <=s 5 holds for every r0 >= 2^63: no unsigned fact r0 <= 5.
  Side s{dword_load(), {}, jmp_imm(JSGT, 0, 5, 0), false};
  EXPECT_EQ(side_in(s, 0, 5).status, VEP_REJECTED);
  expect_exact(s, 0, kU64, "u64 JSGT 5 fall");
  // r0 <s 0 means r0 >= 2^63: no fact r0 <= 2^63 - 1 (nor its negation).
  Side lt{dword_load(), {}, jmp_imm(JSLT, 0, 0, 0), true};
  EXPECT_EQ(side_in(lt, 0, kS64).status, VEP_REJECTED);
  // Both operands possibly negative: nothing on either side.
  Side both{dword_load(), {ldx(DW, 5, 2, 0)}, jmp_reg(JSGT, 0, 5, 0), true};
  expect_exact(both, 0, kU64, "u64 JSGT u64 taken");
}

// ---- jmp32 -------------------------------------------------------------------
TEST(BranchFacts, Jmp32OfValuesBelow2To32IsThe64BitCompare) {
  expect_exact({byte_load(), {}, jmp32_imm(JGT, 0, 5), true}, 6, 255,
               "JMP32 JGT 5 taken");
  expect_exact({byte_load(), {}, jmp32_imm(JGT, 0, 5), false}, 0, 5,
               "JMP32 JGT 5 fall");
  // The immediate is its 32 bits: -1 is 2^32 - 1.
  expect_exact({word_load(), {}, jmp32_imm(JLT, 0, -1), true}, 0, kU32 - 1,
               "JMP32 JLT 0xffffffff taken");
  expect_exact({word_load(), {}, jmp32_imm(JEQ, 0, -1), true}, kU32, kU32,
               "JMP32 JEQ 0xffffffff taken");
  // Signed: w0 >=s 0 is the sign test of a sign extension.
  expect_exact({word_load(), {}, jmp32_imm(JSGE, 0, 0), true}, 0, kS32,
               "JMP32 JSGE 0 taken");
}

TEST(BranchFacts, Jmp32OfValuesThatMayExceed32BitsGivesNothing) {
  // r0 = 2^32 has low 32 bits 0 <= 5: no fact r0 <= 5.
  Side fall{dword_load(), {}, jmp32_imm(JGT, 0, 5), false};
  EXPECT_EQ(side_in(fall, 0, 5).status, VEP_REJECTED);
  expect_exact(fall, 0, kU64, "u64 JMP32 JGT 5 fall");
  // The source may exceed 32 bits: r5 >u low32(r0) does not bound r0.
  Side src{dword_load(), {}, jmp32_reg(JLE, 5, 0), false};
  EXPECT_EQ(side_in(src, 0, 254).status, VEP_REJECTED);
  expect_exact(src, 0, kU64, "byte JMP32 JLE u64 fall");
  // Signed: a u64 whose low 32 bits are >=s 0 may be >= 2^31.
  Side sgn{dword_load(), {}, jmp32_imm(JSGE, 0, 0), true};
  EXPECT_EQ(side_in(sgn, 0, kS32).status, VEP_REJECTED);
  // A 32-bit value whose signed 32-bit reading may be negative.
  Side neg{word_load(), {}, jmp32_imm(JSGT, 0, 5), false};
  EXPECT_EQ(side_in(neg, 0, 5).status, VEP_REJECTED);
}

// ---- packet pointers -----------------------------------------------------------
TEST(BranchFacts, SignedAnd32BitPointerComparesGiveNothing) {
  // data + 1 > data_end guards a 1-byte read only as an unsigned 64-bit
  // compare.
  for (Insn j : {jmp_reg(JSGT, 4, 3, 2), jmp32_reg(JGT, 4, 3)}) {
    j.off = 2;
    Prog p = xdp_prologue();
    p.push_back(mov64_reg(4, 2));      // 2
    p.push_back(alu64_imm(ADD, 4, 1)); // 3
    p.push_back(j);                    // 4: -> 7
    p.push_back(ldx(B, 0, 2, 0));      // 5
    p.push_back(exit_insn());          // 6
    p.push_back(mov64_imm(0, 1));      // 7
    p.push_back(exit_insn());          // 8
    EXPECT_REJECTED(round_trip(xdp_object(p)), 5, "ACCESS_HIGH not proved");
    p[4] = jmp_reg(JGT, 4, 3, 2);
    EXPECT_EQ(round_trip(xdp_object(p)).status, VEP_ACCEPTED);
  }
}

// ---- question order (section 6, 7.5) ----------------------------------------
TEST(BranchFacts, SideConditionsAreAskedInTheDocumentedOrder) {
  // JMP32 JSGT r0, r5 (two bytes): jmp32's dst then src, then jmp_signed's
  // lesser operand of the taken branch (r5) and of the fall-through (r0).
  Side s{byte_load(), {}, jmp32_reg(JSGT, 0, 5), true};
  Prog p = side_program(s);
  const uint32_t jump = 7;
  ASSERT_EQ(p[jump].code, (uint8_t)(JMP32 | X | JSGT));
  Outcome o = round_trip(xdp_object(p));
  ASSERT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  std::vector<vep_goal_kind> at_jump;
  for (const QuestionLog &q : o.log)
    if (q.insn == jump)
      at_jump.push_back(q.kind);
  // Then DEAD_PATH entering the fall-through, and the taken branch when it
  // is resumed (both add facts).
  std::vector<vep_goal_kind> want(4, VEP_GOAL_CMP_RANGE);
  want.push_back(VEP_GOAL_DEAD_PATH);
  want.push_back(VEP_GOAL_DEAD_PATH);
  EXPECT_EQ(at_jump, want);
  // jmp_ne: x - y >= 0 (not certified for r0 != r5), then y - x >= 0
  // (neither: the taken branch adds no fact, so no DEAD_PATH for it).
  s.j = jmp_reg(JNE, 0, 5, 0);
  o = round_trip(xdp_object(side_program(s)));
  ASSERT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  at_jump.clear();
  for (const QuestionLog &q : o.log)
    if (q.insn == jump)
      at_jump.push_back(q.kind);
  want = {VEP_GOAL_CMP_RANGE, VEP_GOAL_CMP_RANGE, VEP_GOAL_DEAD_PATH};
  EXPECT_EQ(at_jump, want);
}
