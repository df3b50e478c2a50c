// checker_test.cc - Semantics of the VEP-eBPF checker on hand-encoded
// programs, in writing mode (brute-force source) and checking mode (reader).
#include "test_support.h"

#include <gtest/gtest.h>

using namespace vt;

namespace {

// data + 14 <= data_end checked, then a 1-byte read at `read_off`.
Prog bounded_read(int16_t read_off, int32_t bound = 14) {
  Prog p = xdp_prologue();
  p.push_back(mov64_reg(4, 2));          // 2: r4 = data
  p.push_back(alu64_imm(ADD, 4, bound)); // 3: r4 += bound
  p.push_back(jmp_reg(JGT, 4, 3, 2));    // 4: if r4 > data_end goto 7
  p.push_back(ldx(B, 0, 2, read_off));   // 5: r0 = *(u8 *)(data + off)
  p.push_back(exit_insn());              // 6
  p.push_back(mov64_imm(0, 1));          // 7: XDP_DROP
  p.push_back(exit_insn());              // 8
  return p;
}

Post exactly(__int128 v) { return post_range(v, v); }

} // namespace

// ---- packet access ----------------------------------------------------------
TEST(Packet, BoundedReadAccepted) {
  Outcome o = round_trip(xdp_object(bounded_read(13)));
  ASSERT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  EXPECT_EQ(o.paths, 2u);
  // DEAD_PATH (fall-through), ACCESS_HIGH, DEAD_PATH (taken); ACCESS_LOW and
  // the pointer ranges have constant goals and are decided, not asked.
  ASSERT_EQ(o.log.size(), 3u);
  EXPECT_EQ(o.log[0].kind, VEP_GOAL_DEAD_PATH);
  EXPECT_EQ(o.log[1].kind, VEP_GOAL_ACCESS_HIGH);
  EXPECT_EQ(o.log[1].insn, 5u);
  EXPECT_TRUE(o.log[1].answered);
  EXPECT_EQ(o.log[2].kind, VEP_GOAL_DEAD_PATH);
}

TEST(Packet, UnboundedReadRejected) {
  Prog p = xdp_prologue();
  p.push_back(ldx(B, 0, 2, 0));
  p.push_back(exit_insn());
  Outcome o = round_trip(xdp_object(p));
  EXPECT_REJECTED(o, 2, "mem_packet: ACCESS_HIGH not proved");
  EXPECT_EQ(o.program, "xdp");
}

TEST(Packet, OffByOneRejected) {
  Outcome o = round_trip(xdp_object(bounded_read(14)));
  EXPECT_REJECTED(o, 5, "ACCESS_HIGH not proved");
}

TEST(Packet, NegativeOffsetRejected) {
  Outcome o = round_trip(xdp_object(bounded_read(-1)));
  EXPECT_REJECTED(o, 5, "ACCESS_LOW not proved");
}

TEST(Packet, StoreOfPointerIntoPacketRejected) {
  Prog p = bounded_read(0);
  p[5] = stx(DW, 2, 2, 0); // *(u64 *)data = data
  p[6] = mov64_imm(0, 0);
  p.push_back(exit_insn());
  Outcome o = round_trip(xdp_object(p));
  EXPECT_REJECTED(o, 5, "pointer stored into the packet");
}

TEST(Packet, VariableOffsetWithCertifiedCompare) {
  Prog p = xdp_prologue();
  p.push_back(mov64_reg(4, 2));       // 2
  p.push_back(alu64_imm(ADD, 4, 1));  // 3
  p.push_back(jmp_reg(JGT, 4, 3, 8)); // 4: -> 13
  p.push_back(ldx(B, 5, 2, 0));       // 5: r5 = data[0] (<= 255)
  p.push_back(mov64_reg(4, 2));       // 6
  p.push_back(alu64_reg(ADD, 4, 5));  // 7: r4 = data + r5
  p.push_back(mov64_reg(6, 4));       // 8
  p.push_back(alu64_imm(ADD, 6, 1));  // 9
  p.push_back(jmp_reg(JGT, 6, 3, 2)); // 10: -> 13
  p.push_back(ldx(B, 0, 4, 0));       // 11: data[r5]
  p.push_back(exit_insn());           // 12
  p.push_back(mov64_imm(0, 1));       // 13
  p.push_back(exit_insn());           // 14
  Outcome o = round_trip(xdp_object(p));
  ASSERT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  int range_questions = 0;
  for (auto &q : o.log)
    range_questions += q.kind == VEP_GOAL_CMP_RANGE;
  EXPECT_EQ(range_questions, 2); // r6's offset r5 + 1: low and high

  // A 32-bit offset is not certified small: the compare adds no fact.
  p[5] = ldx(W, 5, 1, 12); // r5 = ctx->ingress_ifindex
  o = round_trip(xdp_object(p));
  EXPECT_REJECTED(o, 11, "ACCESS_HIGH not proved");
}

TEST(Packet, PacketEndDereferenceRejected) {
  Prog p = xdp_prologue();
  p.push_back(ldx(B, 0, 3, -1));
  p.push_back(exit_insn());
  EXPECT_REJECTED(round_trip(xdp_object(p)), 2, "packet end pointer");
}

TEST(Packet, PointerDifferenceIsExactLength) {
  Prog p = xdp_prologue();
  p.push_back(mov64_reg(0, 3));
  p.push_back(alu64_reg(SUB, 0, 2)); // r0 = data_end - data = len
  p.push_back(exit_insn());
  std::vector<Post> posts;
  posts.push_back(post_range(0, 65535));
  Outcome o = round_trip(xdp_object(p), posts);
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  posts.clear();
  posts.push_back(post_range(0, 65534));
  EXPECT_REJECTED(round_trip(xdp_object(p), posts), 4, "postcondition");
  // data - data_end = -len wraps unless len == 0: not exact.
  p[2] = mov64_reg(0, 2);
  p[3] = alu64_reg(SUB, 0, 3);
  posts.clear();
  posts.push_back(post_range(0, 65535));
  EXPECT_REJECTED(round_trip(xdp_object(p), posts), 4, "postcondition");
}

// ---- registers, stack, exit -------------------------------------------------
TEST(Exit, PointerLeakThroughR0Rejected) {
  Prog p = xdp_prologue();
  p.push_back(mov64_reg(0, 2));
  p.push_back(exit_insn());
  EXPECT_REJECTED(round_trip(xdp_object(p)), 3, "exit_r0: r0 holds a pointer");
}

TEST(Exit, UninitialisedR0Rejected) {
  EXPECT_REJECTED(round_trip(xdp_object({exit_insn()})), 0,
                  "reg_read: read of uninitialised register r0");
}

TEST(Registers, UninitialisedRegisterRejected) {
  Outcome o = round_trip(xdp_object({mov64_reg(0, 5), exit_insn()}));
  EXPECT_REJECTED(o, 0, "uninitialised register r5");
}

TEST(Registers, R10IsReadOnly) {
  Outcome o = round_trip(xdp_object({mov64_imm(10, 0), exit_insn()}));
  EXPECT_REJECTED(o, 0, "r10 is read-only");
}

TEST(Stack, UninitialisedReadRejected) {
  Outcome o = round_trip(xdp_object({ldx(DW, 0, 10, -8), exit_insn()}));
  EXPECT_REJECTED(o, 0, "mem_stack: read of uninitialised stack");
  // Initialising 4 of the 8 bytes is not enough.
  o = round_trip(
      xdp_object({st(W, 10, -8, 7), ldx(DW, 0, 10, -8), exit_insn()}));
  EXPECT_REJECTED(o, 1, "read of uninitialised stack");
}

TEST(Stack, OutOfBoundsRejected) {
  EXPECT_REJECTED(
      round_trip(xdp_object({st(B, 10, 0, 1), mov64_imm(0, 0), exit_insn()})),
      0, "stack access out of bounds");
  EXPECT_REJECTED(round_trip(xdp_object(
                      {st(DW, 10, -516, 1), mov64_imm(0, 0), exit_insn()})),
                  0, "stack access out of bounds");
}

TEST(Stack, ScalarSpillKeepsValue) {
  Prog p = {mov64_imm(1, 42), stx(DW, 10, 1, -512), ldx(DW, 0, 10, -512),
            exit_insn()};
  std::vector<Post> posts;
  posts.push_back(exactly(42));
  EXPECT_EQ(round_trip(xdp_object(p), posts).status, VEP_ACCEPTED);
  posts.clear();
  posts.push_back(exactly(43));
  EXPECT_REJECTED(round_trip(xdp_object(p), posts), 3, "postcondition");
}

TEST(Stack, PointerSpillAndFill) {
  Prog p = bounded_read(13);
  Prog q(p.begin(), p.begin() + 5);
  q.push_back(stx(DW, 10, 2, -8)); // 5: spill data
  q.push_back(ldx(DW, 5, 10, -8)); // 6: fill into r5
  q.push_back(ldx(B, 0, 5, 13));   // 7
  q.push_back(exit_insn());        // 8
  q.push_back(mov64_imm(0, 1));    // 9
  q.push_back(exit_insn());        // 10
  q[4].off = 4;
  EXPECT_EQ(round_trip(xdp_object(q)).status, VEP_ACCEPTED);

  Prog partial = q;
  partial[6] = ldx(W, 5, 10, -8);
  EXPECT_REJECTED(round_trip(xdp_object(partial)), 6,
                  "partial read of a spilled pointer");

  Prog misaligned = q;
  misaligned[5] = stx(DW, 10, 2, -12);
  EXPECT_REJECTED(round_trip(xdp_object(misaligned)), 5,
                  "aligned 8-byte spill");

  // Overwriting half of a spilled pointer makes the other half unreadable.
  Prog clobber = q;
  clobber[6] = st(W, 10, -8, 0);
  clobber[7] = ldx(W, 0, 10, -4);
  EXPECT_REJECTED(round_trip(xdp_object(clobber)), 7,
                  "read of uninitialised stack");
}

// ---- context ----------------------------------------------------------------
TEST(Context, FieldsAndRestrictions) {
  EXPECT_EQ(round_trip(xdp_object({ldx(W, 0, 1, 16), exit_insn()})).status,
            VEP_ACCEPTED);
  EXPECT_REJECTED(round_trip(xdp_object({ldx(W, 0, 1, 8), exit_insn()})), 0,
                  "mem_ctx: xdp programs may not read context field "
                  "data_meta");
  EXPECT_REJECTED(round_trip(xdp_object({ldx(DW, 0, 1, 0), exit_insn()})), 0,
                  "mem_ctx");
  EXPECT_REJECTED(round_trip(xdp_object({ldx(W, 0, 1, 2), exit_insn()})), 0,
                  "no context field");
  EXPECT_REJECTED(
      round_trip(xdp_object({st(W, 1, 12, 0), mov64_imm(0, 0), exit_insn()})),
      0, "4-byte loads and register stores");
  EXPECT_REJECTED(round_trip(xdp_object({mov64_imm(2, 0), stx(W, 1, 2, 12),
                                         mov64_imm(0, 0), exit_insn()})),
                  1,
                  "xdp programs may not write context field "
                  "ingress_ifindex");
}

// ---- certificates -----------------------------------------------------------
namespace {
// The proof of bounded_read(13) by hand: answers in question order.
std::vector<uint8_t> hand_proof(const std::vector<uint8_t> &obj, __int128 mult,
                                bool extra_byte = false) {
  Prog p = bounded_read(13);
  std::vector<uint8_t> bytes = encode(p);
  vep_program_header h{vep_insn_hash(bytes.data(), bytes.size()), 0, nullptr, 0,
                       nullptr};
  (void)obj;
  vep_proof_buf b;
  vep_enc_init(&b);
  enc_programs(b, {h});
  vep_enc_answer_none(&b); // insn 4: DEAD_PATH (fall-through)
  // insn 5: ACCESS_HIGH  len - 14 >= 0  from hyps [len, 65535 - len, len - 14]
  vep_cert_entry e{2, mult};
  vep_cert_step comb{VEP_STEP_COMB, 0, 0, 1, 1, &e};
  vep_cert c{1, &comb};
  vep_enc_answer_cert(&b, &c);
  vep_enc_answer_none(&b); // insn 4: DEAD_PATH (taken)
  if (extra_byte)
    vep_enc_answer_none(&b);
  std::vector<uint8_t> out(b.data, b.data + b.len);
  vep_enc_free(&b);
  return out;
}
} // namespace

TEST(Certificate, HandWrittenProofAccepted) {
  auto obj = xdp_object(bounded_read(13));
  Outcome o = check_proof(obj, hand_proof(obj, 1));
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  // The writer produces the same bytes.
  EXPECT_EQ(write_proof(obj).proof, hand_proof(obj, 1));
}

TEST(Certificate, WrongMultiplierRejected) {
  auto obj = xdp_object(bounded_read(13));
  Outcome o = check_proof(obj, hand_proof(obj, 2));
  EXPECT_REJECTED(o, 5,
                  "check_farkas: ACCESS_HIGH: variable coefficients "
                  "do not cancel");
}

TEST(Certificate, ForgedOffByOneRejected) {
  // The certificate that proves the in-bounds read does not prove the read
  // one byte further: the combination's constant is 0, not negative.
  auto obj = xdp_object(bounded_read(14));
  std::vector<uint8_t> proof = hand_proof(obj, 1);
  std::vector<uint8_t> code = encode(bounded_read(14));
  uint64_t h = vep_insn_hash(code.data(), code.size());
  for (int i = 0; i < 8; i++)
    proof[18 + i] = (uint8_t)(h >> (8 * i)); // after the 16-byte header,
                                             // no functions, 1 program
  EXPECT_REJECTED(check_proof(obj, proof), 5,
                  "check_farkas: ACCESS_HIGH: constant of the combination is "
                  "not negative");
}

TEST(Certificate, NegativeMultiplierRejected) {
  auto obj = xdp_object(bounded_read(13));
  EXPECT_REJECTED(check_proof(obj, hand_proof(obj, -1)), 5,
                  "negative multiplier");
}

TEST(Certificate, OverflowRejected) {
  auto obj = xdp_object(bounded_read(13));
  Outcome o = check_proof(obj, hand_proof(obj, (__int128)1 << 126));
  EXPECT_REJECTED(o, 5, "arithmetic overflow in certificate");
}

TEST(Certificate, HypothesisIndexOutOfRange) {
  vep_lin_term t{0, 1};
  vep_lin hyp{0, 1, &t}, g{0, 1, &t};
  vep_question q{VEP_GOAL_ACCESS_LOW, 7, false, g, 1, &hyp, "xdp"};
  vep_cert_entry e{1, 1};
  vep_cert_step comb{VEP_STEP_COMB, 0, 0, 1, 1, &e};
  vep_cert c{1, &comb};
  std::vector<uint8_t> mem(1 << 16);
  vep_arena a;
  vep_arena_init(&a, mem.data(), mem.size());
  vep_result r{};
  EXPECT_EQ(vep_check_cert(&q, &c, &a, &r), VEP_REJECTED);
  EXPECT_TRUE(contains(r.reason, "hypothesis index out of range")) << r.reason;
  e.hyp = 0; // x >= 0 proves x >= 0
  EXPECT_EQ(vep_check_cert(&q, &c, &a, &r), VEP_ACCEPTED) << r.reason;
  comb.goal_mult = -1;
  EXPECT_EQ(vep_check_cert(&q, &c, &a, &r), VEP_REJECTED);
  EXPECT_EQ(a.used, 0u);
}

TEST(Certificate, NoneForMandatoryQuestionRejected) {
  auto obj = xdp_object(bounded_read(13));
  std::vector<uint8_t> proof = hand_proof(obj, 1);
  // Replace the certificate (1 step: COMB, goal_mult 1, 1 entry, hyp 2,
  // mult 1) by "no certificate" (no steps).
  size_t at = proof.size() - 7;
  ASSERT_EQ(proof[at], 1);
  proof.erase(proof.begin() + at + 1, proof.begin() + at + 6);
  proof[at] = 0;
  EXPECT_REJECTED(check_proof(obj, proof), 5, "ACCESS_HIGH not proved");
}

TEST(Certificate, DeadPathPrunesBranch) {
  Prog p = xdp_prologue();
  p.push_back(mov64_reg(4, 2));       // 2
  p.push_back(alu64_imm(ADD, 4, 14)); // 3
  p.push_back(jmp_reg(JGT, 4, 3, 5)); // 4: -> 10
  p.push_back(mov64_reg(5, 2));       // 5
  p.push_back(alu64_imm(ADD, 5, 10)); // 6
  p.push_back(jmp_reg(JGT, 5, 3, 1)); // 7: impossible after len >= 14
  p.push_back(ja(1));                 // 8: -> 10
  p.push_back(ldx(DW, 0, 2, 1000));   // 9: unsafe, but dead
  p.push_back(mov64_imm(0, 2));       // 10
  p.push_back(exit_insn());           // 11
  Outcome o = round_trip(xdp_object(p));
  ASSERT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  EXPECT_EQ(o.paths, 2u);
  bool pruned = false;
  for (auto &q : o.log)
    pruned =
        pruned || (q.kind == VEP_GOAL_DEAD_PATH && q.insn == 7 && q.answered);
  EXPECT_TRUE(pruned);
}

// ---- ALU --------------------------------------------------------------------
TEST(Alu32, ZeroExtensionConstant) {
  std::vector<Post> posts;
  posts.push_back(exactly(0xffffffff));
  EXPECT_EQ(
      round_trip(xdp_object({mov32_imm(0, -1), exit_insn()}), posts).status,
      VEP_ACCEPTED);
  // The 64-bit move gives all ones: the same bound fails.
  EXPECT_REJECTED(
      round_trip(xdp_object({mov64_imm(0, -1), exit_insn()}), posts), 1,
      "postcondition of xdp: CUT_FACT not proved");
}

TEST(Alu32, ZeroExtensionThenAdd) {
  Prog p = {mov32_imm(1, -1), alu64_imm(ADD, 1, 1), mov64_reg(0, 1),
            exit_insn()};
  std::vector<Post> posts;
  posts.push_back(exactly((__int128)1 << 32));
  EXPECT_EQ(round_trip(xdp_object(p), posts).status, VEP_ACCEPTED);
  p[0] = mov64_imm(1, -1); // 2^64 - 1 + 1 wraps to 0
  EXPECT_REJECTED(round_trip(xdp_object(p), posts), 3, "postcondition");
  posts.clear();
  posts.push_back(exactly(0));
  EXPECT_EQ(round_trip(xdp_object(p), posts).status, VEP_ACCEPTED);
}

TEST(Alu32, SymbolicAddIsExactWhenCertified) {
  Prog p = bounded_read(13);
  p.insert(p.begin() + 6, alu32_imm(ADD, 0, 10)); // 6: w0 += 10
  p[4].off = 3;
  p[8] = mov64_imm(0, 10);
  std::vector<Post> posts;
  posts.push_back(post_range(10, 265));
  Outcome o = round_trip(xdp_object(p), posts);
  ASSERT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  // w0 -= 1 may wrap (r0 may be 0): the result is only known below 2^32.
  p[6] = alu32_imm(SUB, 0, 1);
  posts.clear();
  posts.push_back(post_range(0, 265));
  EXPECT_REJECTED(round_trip(xdp_object(p), posts), 7, "postcondition");
}

TEST(Alu32, TruncatesOperandNotCertifiedBelow2To32) {
  auto prog = [](Insn move) {
    Prog p = xdp_prologue();
    p.push_back(mov64_reg(4, 2));       // 2
    p.push_back(alu64_imm(ADD, 4, 1));  // 3
    p.push_back(jmp_reg(JGT, 4, 3, 6)); // 4: -> 11
    p.push_back(ldx(B, 0, 2, 0));       // 5: r0 in [0, 255]
    lddw(p, 1, 1ull << 32);             // 6, 7
    p.push_back(alu64_reg(ADD, 0, 1));  // 8: r0 + 2^32, exact
    p.push_back(move);                  // 9
    p.push_back(exit_insn());           // 10
    lddw(p, 0, 1ull << 32);             // 11, 12
    p.push_back(exit_insn());           // 13
    return p;
  };
  const __int128 two32 = (__int128)1 << 32;
  std::vector<Post> posts;
  posts.push_back(post_range(two32, two32 + 255));
  // r0 = r0 keeps the value ...
  Outcome o = round_trip(xdp_object(prog(alu64_reg(MOV, 0, 0))), posts);
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  // ... w0 = w0 keeps only the low 32 bits: the operand is not below 2^32.
  posts.clear();
  posts.push_back(post_range(two32, two32 + 255));
  o = round_trip(xdp_object(prog(alu32_reg(MOV, 0, 0))), posts);
  EXPECT_REJECTED(o, 10, "postcondition");
  // ALU32 modulo by zero also keeps only the low 32 bits.
  posts.clear();
  posts.push_back(post_range(two32, two32 + 255));
  o = round_trip(xdp_object(prog(alu32_imm(MOD, 0, 0))), posts);
  EXPECT_REJECTED(o, 10, "postcondition");
  posts.clear();
  posts.push_back(post_range(two32, two32 + 255));
  o = round_trip(xdp_object(prog(alu64_imm(MOD, 0, 0))), posts);
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
}

// A byte loaded from the packet (after a 1-byte bound check), then `op`,
// then exit; the drop path returns `drop`.
static Prog byte_then(std::vector<Insn> ops, int32_t drop = 0) {
  Prog p = xdp_prologue();
  p.push_back(mov64_reg(4, 2));                               // 2
  p.push_back(alu64_imm(ADD, 4, 1));                          // 3
  p.push_back(jmp_reg(JGT, 4, 3, (int16_t)(2 + ops.size()))); // 4
  p.push_back(ldx(B, 0, 2, 0));                               // 5
  p.insert(p.end(), ops.begin(), ops.end());
  p.push_back(exit_insn());
  p.push_back(mov64_imm(0, drop));
  p.push_back(exit_insn());
  return p;
}

TEST(Alu, AddThatMayWrapIsNotExact) {
  const __int128 top = ((__int128)1 << 64) - 100;
  Prog p = byte_then({}, 0);
  Prog ops;
  lddw(ops, 1, (uint64_t)top);
  ops.push_back(alu64_reg(ADD, 0, 1)); // wraps when the byte is >= 100
  p = byte_then(ops, 0);
  Post post;
  post.disjuncts.push_back({{1, -top}}); // R0 >= 2^64 - 100
  post.disjuncts.push_back({{-1, 0}});   // R0 == 0 (drop path)
  std::vector<Post> posts{post};
  EXPECT_REJECTED(round_trip(xdp_object(p), posts), 9, "postcondition");
  // With the byte below 100 first, the sum is exact.
  Prog guarded = {jmp_imm(JGT, 0, 99, (int16_t)(ops.size() + 1))};
  guarded.insert(guarded.end(), ops.begin(), ops.end());
  guarded.push_back(exit_insn()); // r0 + 2^64 - 100
  p = byte_then(guarded, 0);      // byte > 99: exits with the byte itself
  post.disjuncts.push_back({{1, -100}, {-1, 255}});
  posts = {post};
  EXPECT_EQ(round_trip(xdp_object(p), posts).status, VEP_ACCEPTED);
}

TEST(Alu, SubtractionThatMayWrapIsNotExact) {
  Prog p = byte_then({alu64_imm(SUB, 0, 1)});
  Post at_most_254;
  at_most_254.disjuncts.push_back({{-1, 254}}); // byte 0 gives 2^64 - 1
  std::vector<Post> posts{at_most_254};
  EXPECT_REJECTED(round_trip(xdp_object(p), posts), 7, "postcondition");
  p[6] = alu64_imm(ADD, 0, -1); // the same as "+= negative imm"
  posts = {at_most_254};
  EXPECT_REJECTED(round_trip(xdp_object(p), posts), 7, "postcondition");
  p[6] = alu32_imm(ADD, 0, -1); // ALU32: byte 0 gives 2^32 - 1
  posts = {at_most_254};
  EXPECT_REJECTED(round_trip(xdp_object(p), posts), 7, "postcondition");
  // After "if r0 == 0 goto drop" the subtraction is exact.
  p = byte_then({jmp_imm(JLT, 0, 1, 2), alu64_imm(SUB, 0, 1), exit_insn()});
  posts.clear();
  posts.push_back(post_range(0, 254));
  EXPECT_EQ(round_trip(xdp_object(p), posts).status, VEP_ACCEPTED);
}

TEST(Alu, RshUpperSchemaIsTight) {
  // byte >= 31 then byte >> 4 is at least 1, and can be exactly 1.
  Prog p =
      byte_then({jmp_imm(JLT, 0, 31, 3), alu64_imm(RSH, 0, 4), exit_insn()},
                1); // byte < 31 goes to the drop path: r0 = 1
  std::vector<Post> posts;
  posts.push_back(post_range(1, 255));
  Outcome o = round_trip(xdp_object(p), posts);
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  posts.clear();
  Post post;
  post.disjuncts.push_back({{1, -2}, {-1, 15}}); // only 2..15 after the shift
  post.disjuncts.push_back({{1, -1}, {-1, 1}});  // the drop path
  posts.push_back(post);
  EXPECT_REJECTED(round_trip(xdp_object(p), posts), 8, "postcondition");
}

TEST(Alu, AndWithConstantBoundsResult) {
  Prog p = bounded_read(13);
  p.insert(p.begin() + 6, alu64_imm(AND, 0, 3));
  p[4].off = 3;
  std::vector<Post> posts;
  posts.push_back(post_range(0, 4)); // XDP actions
  EXPECT_EQ(round_trip(xdp_object(p), posts).status, VEP_ACCEPTED);
  p[6] = alu64_imm(OR, 0, 3);
  EXPECT_REJECTED(round_trip(xdp_object(p), posts), 7, "postcondition");
  // r & c <= r: a wide mask keeps the byte's bound.
  p[6] = alu64_imm(AND, 0, 0xffff);
  posts.clear();
  posts.push_back(post_range(0, 255));
  EXPECT_EQ(round_trip(xdp_object(p), posts).status, VEP_ACCEPTED);
  posts.clear();
  posts.push_back(post_range(0, 254));
  EXPECT_REJECTED(round_trip(xdp_object(p), posts), 7, "postcondition");
}

TEST(Alu, RshAndModSchemas) {
  Prog p = bounded_read(13);
  p.insert(p.begin() + 6, alu64_imm(RSH, 0, 4)); // r0 = byte >> 4 <= 15
  p[4].off = 3;
  std::vector<Post> posts;
  posts.push_back(post_range(0, 15));
  EXPECT_EQ(round_trip(xdp_object(p), posts).status, VEP_ACCEPTED);
  p[6] = alu64_imm(MOD, 0, 7); // <= 6
  posts.clear();
  posts.push_back(post_range(0, 6));
  EXPECT_EQ(round_trip(xdp_object(p), posts).status, VEP_ACCEPTED);
  posts.clear();
  posts.push_back(post_range(0, 5));
  EXPECT_REJECTED(round_trip(xdp_object(p), posts), 7, "postcondition");
}

// Unsigned DIV by a constant c is the floor division schema (as RSH by k
// with c = 2^k); SDIV and an immediate that reads as a huge unsigned
// divisor are not mistaken for small ones.
TEST(Alu, DivByConstantSchema) {
  Prog p = bounded_read(13);
  p.insert(p.begin() + 6, alu64_imm(DIV, 0, 10)); // r0 = byte / 10 <= 25
  p[4].off = 3;
  std::vector<Post> posts;
  posts.push_back(post_range(0, 25));
  { auto o = round_trip(xdp_object(p), posts); EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason; }
  posts.clear();
  posts.push_back(post_range(0, 24));
  EXPECT_REJECTED(round_trip(xdp_object(p), posts), 7, "postcondition");
  posts.clear();
  posts.push_back(post_range(0, 25));
  p[6] = raw(ALU64 | DIV, 0, 0, 1, 10); // SDIV: no schema
  EXPECT_REJECTED(round_trip(xdp_object(p), posts), 7, "postcondition");
  // DIV by the immediate -1 divides by 2^64 - 1 (ALU64) or 2^32 - 1
  // (ALU32), not by 1: the quotient is at most 1 (its bound 2^bits-1 / c).
  posts.clear();
  posts.push_back(post_range(0, 1));
  p[6] = alu64_imm(DIV, 0, -1);
  { auto o = round_trip(xdp_object(p), posts); EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason; }
  p[6] = alu32_imm(DIV, 0, -1);
  { auto o = round_trip(xdp_object(p), posts); EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason; }
}

TEST(Alu, ConstantSemantics) {
  struct Case {
    Prog p;
    uint64_t expect;
  };
  std::vector<Case> cases = {
      {{mov64_imm(0, 5), mov64_imm(2, 0), alu64_reg(DIV, 0, 2)}, 0},
      {{mov64_imm(0, 5), mov64_imm(2, 0), alu64_reg(MOD, 0, 2)}, 5},
      {{mov64_imm(0, -7), raw(ALU64 | K | DIV, 0, 0, 1, 2)}, (uint64_t)-3},
      {{mov64_imm(0, -7), raw(ALU64 | K | MOD, 0, 0, 1, 2)}, (uint64_t)-1},
      {{mov64_imm(0, -8), alu64_imm(ARSH, 0, 1)}, (uint64_t)-4},
      {{mov32_imm(0, -8), alu32_imm(ARSH, 0, 1)}, 0xfffffffcu},
      {{mov64_imm(0, 0x1234), raw(ALU | X | END, 0, 0, 0, 16)}, 0x3412},
      {{mov64_imm(0, 0x1234), raw(ALU | K | END, 0, 0, 0, 16)}, 0x1234},
      {{mov64_imm(0, 0x12345678), raw(ALU | K | END, 0, 0, 0, 16)}, 0x5678},
      {{mov64_imm(0, -2), raw(ALU | K | END, 0, 0, 0, 32)}, 0xfffffffeu},
      {{mov64_imm(0, -2), raw(ALU | K | END, 0, 0, 0, 64)}, (uint64_t)-2},
      {{mov64_imm(0, 0x12345678), raw(ALU | X | END, 0, 0, 0, 32)}, 0x78563412},
      {{mov64_imm(0, 0x12345678), raw(ALU64 | K | END, 0, 0, 0, 16)}, 0x7856},
      {{mov64_imm(0, 0x80), raw(ALU64 | X | MOV, 0, 0, 8, 0)}, (uint64_t)-128},
      {{mov64_imm(0, 0x8000), raw(ALU | X | MOV, 0, 0, 16, 0)}, 0xffff8000u},
      {{mov64_imm(0, 1), alu64_imm(LSH, 0, 65)}, 2}, // shift masked to 1
      {{mov64_imm(0, 3), alu64_imm(NEG, 0, 0)}, (uint64_t)-3},
      {{mov64_imm(0, 1), alu64_imm(SUB, 0, 2)}, (uint64_t)-1},
      {{mov64_imm(0, 1), alu32_imm(SUB, 0, 2)}, 0xffffffffu},
      {{mov64_imm(0, 7), alu64_imm(XOR, 0, 2)}, 5},
      {{mov64_imm(0, -5), raw(ALU64 | K | DIV, 0, 0, 1, -1)}, 5},
      {{mov64_imm(0, -5), raw(ALU64 | K | MOD, 0, 0, 1, -1)}, 0},
      {{mov32_imm(0, INT32_MIN), raw(ALU | K | DIV, 0, 0, 1, -1)}, 0x80000000u},
      {{mov64_imm(0, 5), raw(ALU64 | K | DIV, 0, 0, 1, 0)}, 0},
      {{mov64_imm(0, 5), raw(ALU64 | K | MOD, 0, 0, 1, 0)}, 5},
      {{mov64_imm(0, 5), alu64_imm(DIV, 0, -1)}, 0}, // imm is 2^64 - 1
      {{mov64_imm(0, 5), alu32_imm(DIV, 0, -1)}, 0}, // imm is 2^32 - 1
  };
  Prog wide;
  lddw(wide, 0, 0x0102030405060708ull);
  wide.push_back(raw(ALU64 | K | END, 0, 0, 0, 64));
  cases.push_back({wide, 0x0807060504030201ull});
  Prog mod32; // modulo by zero truncates to 32 bits in ALU32
  lddw(mod32, 0, 0x100000005ull);
  mod32.push_back(mov64_imm(2, 0));
  mod32.push_back(alu32_reg(MOD, 0, 2));
  cases.push_back({mod32, 5});
  Prog mod64; // ... and leaves the register unchanged in ALU64
  lddw(mod64, 0, 0x100000005ull);
  mod64.push_back(mov64_imm(2, 0));
  mod64.push_back(alu64_reg(MOD, 0, 2));
  cases.push_back({mod64, 0x100000005ull});
  for (size_t i = 0; i < cases.size(); i++) {
    Prog p = cases[i].p;
    p.push_back(exit_insn());
    std::vector<Post> posts;
    posts.push_back(exactly(cases[i].expect));
    Outcome o = round_trip(xdp_object(p), posts);
    EXPECT_EQ(o.status, VEP_ACCEPTED) << "case " << i << ": " << o.reason;
    posts.clear();
    posts.push_back(exactly((__int128)cases[i].expect + 1));
    EXPECT_EQ(round_trip(xdp_object(p), posts).status, VEP_REJECTED)
        << "case " << i;
  }
}

TEST(Alu, PointerRules) {
  Prog p = xdp_prologue();
  p.push_back(alu32_imm(ADD, 2, 1));
  p.push_back(mov64_imm(0, 0));
  p.push_back(exit_insn());
  EXPECT_REJECTED(round_trip(xdp_object(p)), 2, "ptr_alu: 32-bit arithmetic");
  p[2] = alu64_imm(MUL, 2, 2);
  EXPECT_REJECTED(round_trip(xdp_object(p)), 2, "operation not allowed");
  p[2] = alu64_reg(ADD, 2, 3);
  EXPECT_REJECTED(round_trip(xdp_object(p)), 2, "operation not allowed");
  p[2] = alu64_reg(SUB, 2, 10); // packet - stack
  EXPECT_REJECTED(round_trip(xdp_object(p)), 2, "operation not allowed");
}

// ---- jumps and post-conditions ----------------------------------------------
TEST(Jumps, EqualityFactsAndDisjuncts) {
  Prog p = bounded_read(13);
  p[4].off = 5;                                   // -> 10
  p.insert(p.begin() + 6, jmp_imm(JNE, 0, 7, 1)); // 6: if r0 != 7 goto 8
  p.insert(p.begin() + 7, exit_insn());           // 7: r0 == 7
  p.insert(p.begin() + 8, mov64_imm(0, 0));       // 8
  // 9: exit (old 6), 10: r0 = 1, 11: exit
  p[10] = mov64_imm(0, 0);
  Post post;
  post.disjuncts.push_back({{1, -7}, {-1, 7}}); // R0 == 7
  post.disjuncts.push_back({{-1, 0}});          // R0 == 0
  std::vector<Post> posts{post};
  Outcome o = round_trip(xdp_object(p), posts);
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  p[6] = jmp_imm(JSGT, 0, 7, 1); // signed compares add no facts
  posts = {post};
  EXPECT_REJECTED(round_trip(xdp_object(p), posts), 7, "postcondition");
}

// Each comparison adds exactly its facts: a post-condition that needs the
// exact range on each branch is proved, one that is one tighter is not.
TEST(Jumps, ComparisonFactsAreExact) {
  struct Case {
    Insn jump;
    int t_lo, t_hi, f_lo, f_hi; // r0's range when taken / not taken
  };
  const Case cases[] = {
      {jmp_imm(JGT, 0, 5, 1), 6, 255, 0, 5},
      {jmp_imm(JGE, 0, 5, 1), 5, 255, 0, 4},
      {jmp_imm(JLT, 0, 5, 1), 0, 4, 5, 255},
      {jmp_imm(JLE, 0, 5, 1), 0, 5, 6, 255},
      {jmp_imm(JEQ, 0, 5, 1), 5, 5, 0, 255},
      {jmp_imm(JNE, 0, 5, 1), 0, 255, 5, 5}, // jmp_ne: 5 is inside [0, 255]
      {jmp_imm(JSGT, 0, 5, 1), 6, 255, 0, 5},       // jmp_signed
      {jmp_imm(JSET, 0, 5, 1), 0, 255, 0, 255},     // no facts
      {raw(JMP32 | JGT, 0, 0, 1, 5), 6, 255, 0, 5}, // jmp32
  };
  auto prog = [](const Insn &j) {
    Prog p = xdp_prologue();
    p.push_back(mov64_reg(4, 2));         // 2
    p.push_back(alu64_imm(ADD, 4, 1));    // 3
    p.push_back(jmp_reg(JGT, 4, 3, 5));   // 4: -> 10
    p.push_back(ldx(B, 0, 2, 0));         // 5: r0 in [0, 255]
    p.push_back(j);                       // 6: -> 8
    p.push_back(exit_insn());             // 7: not taken
    p.push_back(alu64_imm(ADD, 0, 1000)); // 8: taken, shifted by 1000
    p.push_back(exit_insn());             // 9
    p.push_back(mov64_imm(0, 2000));      // 10
    p.push_back(exit_insn());             // 11
    return p;
  };
  auto post = [](int tl, int th, int fl, int fh) {
    Post p;
    p.disjuncts.push_back({{1, -(tl + 1000)}, {-1, th + 1000}});
    p.disjuncts.push_back({{1, -fl}, {-1, fh}});
    p.disjuncts.push_back({{1, -2000}, {-1, 2000}});
    return std::vector<Post>{p};
  };
  for (const Case &c : cases) {
    std::string name = std::to_string(c.jump.code);
    Outcome o = round_trip(xdp_object(prog(c.jump)),
                           post(c.t_lo, c.t_hi, c.f_lo, c.f_hi));
    EXPECT_EQ(o.status, VEP_ACCEPTED) << name << ": " << o.reason;
    int tighter[4][4] = {{c.t_lo + 1, c.t_hi, c.f_lo, c.f_hi},
                         {c.t_lo, c.t_hi - 1, c.f_lo, c.f_hi},
                         {c.t_lo, c.t_hi, c.f_lo + 1, c.f_hi},
                         {c.t_lo, c.t_hi, c.f_lo, c.f_hi - 1}};
    for (auto &t : tighter) {
      if (t[0] > t[1] || t[2] > t[3])
        continue;
      Outcome r =
          round_trip(xdp_object(prog(c.jump)), post(t[0], t[1], t[2], t[3]));
      EXPECT_EQ(r.status, VEP_REJECTED)
          << name << ": " << t[0] << " " << t[1] << " " << t[2] << " " << t[3];
    }
  }
}

TEST(Jumps, ConstantConditionPrunesBranch) {
  Prog p = {mov64_imm(0, 1), jmp_imm(JGT, 0, 5, 1), exit_insn(),
            mov64_reg(0, 10), exit_insn()}; // 3: would leak r10
  Outcome o = round_trip(xdp_object(p));
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  EXPECT_EQ(o.paths, 1u);
  EXPECT_EQ(o.log.size(), 0u); // decided without questions
  p[0] = mov64_imm(0, 6);
  EXPECT_REJECTED(round_trip(xdp_object(p)), 4, "exit_r0");
}

TEST(Jumps, BackEdgeRejected) {
  Outcome o = round_trip(
      xdp_object({mov64_imm(0, 0), jmp_imm(JEQ, 0, 0, -2), exit_insn()}));
  EXPECT_REJECTED(o, 1, "backward jump to insn 0 which is not a loop head");
  o = round_trip(xdp_object({mov64_imm(0, 0), ja(-1), exit_insn()}));
  EXPECT_REJECTED(o, 1, "backward jump to insn 1 which is not a loop head");
  // Before the program's start: out of range.
  o = round_trip(xdp_object({mov64_imm(0, 0), ja(-3), exit_insn()}));
  EXPECT_REJECTED(o, 1, "jump target out of range");
}

TEST(Jumps, StructuralErrors) {
  EXPECT_REJECTED(round_trip(xdp_object({mov64_imm(0, 0), ja(5), exit_insn()})),
                  1, "jump target out of range");
  Prog into_lddw = {mov64_imm(0, 0), ja(1)};
  lddw(into_lddw, 1, 5);
  into_lddw.push_back(exit_insn());
  EXPECT_REJECTED(round_trip(xdp_object(into_lddw)), 1, "middle of lddw");
  EXPECT_REJECTED(round_trip(xdp_object({mov64_imm(0, 0)})), 0,
                  "falls off the end");
  EXPECT_REJECTED(
      round_trip(xdp_object({mov64_imm(0, 0), exit_insn(), mov64_imm(0, 1)})),
      2, "falls off the end");
  // A conditional jump in the last slot has no valid target.
  EXPECT_REJECTED(
      round_trip(xdp_object({mov64_imm(0, 0), jmp_imm(JEQ, 0, 0, 0)})), 1,
      "jump target out of range");
}

TEST(Insns, UnknownAndUnsupported) {
  EXPECT_REJECTED(round_trip(xdp_object({mov64_imm(0, 0), mov64_imm(1, 0),
                                         raw(0xe7, 0, 0, 0, 0), exit_insn()})),
                  2, "insn_valid: unknown ALU operation");
  EXPECT_REJECTED(
      round_trip(xdp_object({raw(ALU64 | K | ADD, 0, 1, 0, 0), exit_insn()})),
      0, "nonzero reserved source field");
  EXPECT_REJECTED(
      round_trip(xdp_object({raw(JMP | CALL, 0, 2, 0, 1), exit_insn()})), 0,
      "kfunc call (not supported yet)");
  EXPECT_REJECTED(
      round_trip(
          xdp_object({raw(STX | 0xc0 | DW, 10, 1, -8, 0x100), exit_insn()})),
      0, "atomic operation other than ALU, xchg, cmpxchg (not supported yet)");
  EXPECT_REJECTED(
      round_trip(xdp_object({raw(LD | 0x20 | W, 0, 0, 0, 0), exit_insn()})), 0,
      "legacy packet access");
  Prog map = {raw(LD | DW, 1, 1, 0, 3), raw(0, 0, 0, 0, 0), mov64_imm(0, 0),
              exit_insn()};
  EXPECT_REJECTED(round_trip(xdp_object(map)), 0,
                  "lddw_pseudo: map index not in the map table");
  map[0].src = 3; // BPF_PSEUDO_BTF_ID
  EXPECT_REJECTED(round_trip(xdp_object(map)), 0,
                  "lddw of a BTF object or function (not supported yet)");
  EXPECT_REJECTED(
      round_trip(xdp_object({raw(ALU64 | K | MOV, 11, 0, 0, 0), exit_insn()})),
      0, "bad register number");
}

TEST(Insns, LddwConstant) {
  Prog p;
  lddw(p, 0, 0x100000000ull);
  p.push_back(exit_insn());
  std::vector<Post> posts;
  posts.push_back(exactly((__int128)1 << 32));
  EXPECT_EQ(round_trip(xdp_object(p), posts).status, VEP_ACCEPTED);
}

// ---- objects ----------------------------------------------------------------
TEST(Object, ProgramTypesAndRelocations) {
  Prog ok = {mov64_imm(0, 2), exit_insn()};
  EXPECT_EQ(round_trip(xdp_object(ok, "xdp/prog")).status, VEP_ACCEPTED);
  EXPECT_EQ(round_trip(xdp_object(ok, "xdp.frags")).status, VEP_ACCEPTED);
  Outcome o = round_trip(xdp_object(ok, "xdpx"));
  EXPECT_REJECTED(o, 0, "prog_type: unknown program type");
  EXPECT_EQ(o.program, "xdpx");
  EXPECT_REJECTED(round_trip(xdp_object(ok, "sk_skb")), 0, "unknown program");

  Section prog{"xdp", 1, 6, encode(ok), 0};
  Section rel{".relxdp", 9, 0, std::vector<uint8_t>(16, 0), 1};
  o = round_trip(build_elf({prog, rel}));
  EXPECT_REJECTED(o, 0, "elf_relocations");
  EXPECT_EQ(o.program, "xdp");
}

TEST(Object, SeveralProgramsAndWrongHash) {
  Section a{"xdp/a", 1, 6, encode({mov64_imm(0, 2), exit_insn()}), 0};
  Section data{".data", 1, 3, std::vector<uint8_t>(8, 1), 0};
  Section b{"xdp/b", 1, 6, encode(bounded_read(13)), 0};
  auto obj = build_elf({a, data, b});
  Outcome o = round_trip(obj);
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  EXPECT_EQ(o.paths, 3u);

  Outcome w = write_proof(obj, {}, 1);
  EXPECT_REJECTED(w, 0, "proof_hash: proof is for a different program");
  // A proof for another object is refused with the same reason, or for
  // one with another number of programs by that.
  Section a12{"xdp/a", 1, 6, encode(bounded_read(12)), 0};
  Outcome other = write_proof(build_elf({a12, data, b}));
  EXPECT_REJECTED(check_proof(obj, other.proof), 0,
                  "proof_hash: proof is for a different program");
  other = write_proof(xdp_object(bounded_read(12), "xdp/a"));
  EXPECT_REJECTED(check_proof(obj, other.proof), 0,
                  "proof_entry: proof has headers for 1 programs, the "
                  "object 2");
}

// ---- limits -----------------------------------------------------------------
TEST(Limits, PointerOffsetTermLimit) {
  Prog p = xdp_prologue();
  p.push_back(mov64_reg(4, 2));          // 2
  p.push_back(alu64_imm(ADD, 4, 1));     // 3
  p.push_back(jmp_reg(JGT, 4, 3, 0));    // 4: patched below
  for (int i = 0; i < VEP_MAX_TERMS + 1; i++) {
    p.push_back(ldx(B, 5, 2, 0));        // a new variable each time
    p.push_back(alu64_reg(ADD, 4, 5));   // offset gains a term
  }
  p.push_back(mov64_imm(0, 0));
  p.push_back(exit_insn());
  p[4].off = (int16_t)(p.size() - 7);    // -> mov r0, 0
  Outcome o = round_trip(xdp_object(p));
  EXPECT_REJECTED(o, 6 + 2 * VEP_MAX_TERMS,
                  "limits: linear form exceeds 64 terms");
}

TEST(Limits, ArenaExhaustedRejects) {
  auto obj = xdp_object({mov64_imm(0, 2), exit_insn()});
  std::vector<uint8_t> proof = write_proof(obj).proof;
  vep_proof_reader reader;
  vep_result r{};
  std::vector<uint8_t> small(1 << 10); // far below what any program needs
  vep_arena arena;
  vep_arena_init(&arena, small.data(), small.size());
  ASSERT_EQ(vep_proof_reader_init(&reader, proof.data(), proof.size(), &arena,
                                  &r),
            VEP_ACCEPTED);
  size_t tables = arena.used;
  EXPECT_EQ(vep_check_object(obj.data(), obj.size(), nullptr, &reader.headers,
                             &reader.source, &arena, &r),
            VEP_REJECTED);
  EXPECT_TRUE(contains(r.reason, "arena exhausted")) << r.reason;
  EXPECT_EQ(arena.used, tables);
}
