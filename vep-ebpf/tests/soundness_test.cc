// soundness_test.cc - Random programs: whatever the checker accepts must run
// safely on concrete packets (independent interpreter), and its return value
// must satisfy the post-condition it was checked against.
#include "interp.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <random>

using namespace vt;

namespace {

// A random, mostly well-formed program after a 64-byte bound check, with
// r0, r5..r9 initialised (r5: a packet byte, r6: a u32 context field,
// r8: data).
Prog random_program(std::mt19937_64 &rng) {
  static const uint8_t codes[] = {
      0x07, 0x0f, 0x17, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x47, 0x4f, 0x57, 0x5f,
      0x67, 0x6f, 0x77, 0x7f, 0x87, 0x97, 0x9f, 0xa7, 0xaf, 0xb7, 0xbf, 0xc7,
      0xcf, 0xd7, 0xd4, 0xdc, 0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c,
      0x44, 0x4c, 0x54, 0x5c, 0x64, 0x6c, 0x74, 0x7c, 0x84, 0x94, 0x9c, 0xa4,
      0xac, 0xb4, 0xbc, 0xc4, 0xcc, 0x61, 0x69, 0x71, 0x79, 0x81, 0x89, 0x91,
      0x62, 0x6a, 0x72, 0x7a, 0x63, 0x6b, 0x73, 0x7b, 0x05, 0x15, 0x1d, 0x25,
      0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x55, 0x5d, 0x65, 0x6d, 0xa5, 0xad, 0xb5,
      0xbd, 0x16, 0x1e, 0x26, 0x2e, 0xa6, 0x95, 0x18};
  static const int16_t offs[] = {0,  0,  0,  1,  2,  3,  -8, -16,
                                 4,  8,  12, 13, 14, 16, 32, 60};
  static const int32_t imms[] = {0,  1,   2,     5,         8,         14,
                                 16, 32,  64,    -1,        255,       65535,
                                 63, 100, -4096, INT32_MIN, 0x7fffffff};
  Prog p = xdp_prologue();
  p.push_back(mov64_reg(4, 2));
  p.push_back(alu64_imm(ADD, 4, 64));
  size_t bound_check = p.size();
  p.push_back(jmp_reg(JGT, 4, 3, 0));  // patched: -> the final exit
  p.push_back(ldx(B, 5, 2, 0));
  p.push_back(ldx(W, 6, 1, 12));
  p.push_back(mov64_imm(0, 1));
  p.push_back(mov64_imm(7, 3));
  p.push_back(mov64_reg(8, 2));
  p.push_back(mov64_imm(9, -1));
  int n = 2 + (int)(rng() % 12);
  for (int i = 0; i < n; i++) {
    Insn in;
    in.code = codes[rng() % sizeof codes];
    in.dst = (uint8_t)(rng() % 10);
    in.src = (uint8_t)(rng() % 11);
    in.off = offs[rng() % (sizeof offs / sizeof offs[0])];
    in.imm = imms[rng() % (sizeof imms / sizeof imms[0])];
    uint8_t cls = in.code & 7, op = in.code & 0xf0;
    bool x = in.code & X;
    if (cls == ALU || cls == ALU64) {
      in.off = (op == DIV || op == MOD) && rng() % 4 == 0 ? 1 : 0;
      if (x)
        in.imm = 0;
      else
        in.src = 0;
      if (op == NEG)
        in.src = 0, in.imm = 0;
      if (op == END)
        in.src = 0, in.imm = 16 << (rng() % 3);
    }
    if (cls == LDX || cls == STX)
      in.imm = 0;
    if (cls == ST)
      in.src = 0;
    if (cls == JMP || cls == JMP32) {
      in.off = (int16_t)(rng() % 4);
      if (x)
        in.imm = 0;
      else
        in.src = 0;
    }
    if (in.code == (JMP | EXIT))
      in = exit_insn();
    if (in.code == (LD | DW)) {
      in.src = 0;
      in.off = 0;
      p.push_back(in);
      in = Insn{};
      in.imm = (int32_t)rng();
    }
    p.push_back(in);
  }
  p.push_back(exit_insn());
  p[bound_check].off = (int16_t)(p.size() - 1 - bound_check - 1);
  return p;
}

}  // namespace

TEST(Soundness, AcceptedRandomProgramsRunSafely) {
  std::mt19937_64 rng(20250101);
  int accepted = 0, runs = 0;
  for (int it = 0; it < 3000; it++) {
    Prog p = random_program(rng);
    bool with_post = rng() % 2;
    std::vector<Post> posts;
    if (with_post)
      posts.push_back(post_range(0, 4));
    Outcome o = round_trip(xdp_object(p), posts);
    if (o.status != VEP_ACCEPTED)
      continue;
    accepted++;
    for (int k = 0; k < 12; k++) {
      std::vector<uint8_t> packet(rng() % 100);
      for (auto &b : packet)
        b = (uint8_t)rng();
      uint32_t ifindex = k % 3 == 0 ? 0xffffffffu : (uint32_t)rng();
      RunResult r = run_xdp(p, packet, ifindex);
      runs++;
      ASSERT_TRUE(r.ok) << "program " << it << ", packet of " << packet.size()
                        << " bytes: " << r.error;
      if (with_post)
        ASSERT_LE(r.r0, 4u) << "program " << it;
    }
  }
  // The generator must produce enough accepted programs to mean something.
  EXPECT_GT(accepted, 50);
  EXPECT_GT(runs, 600);
}

// The interpreter itself catches what the checker rejects.
TEST(Soundness, InterpreterDetectsViolations) {
  Prog unbounded = xdp_prologue();
  unbounded.push_back(ldx(B, 0, 2, 0));
  unbounded.push_back(exit_insn());
  EXPECT_FALSE(run_xdp(unbounded, {}, 0).ok);
  EXPECT_TRUE(run_xdp(unbounded, {7}, 0).ok);
  EXPECT_FALSE(run_xdp({ldx(DW, 0, 10, -8), exit_insn()}, {}, 0).ok);
  EXPECT_FALSE(run_xdp({exit_insn()}, {}, 0).ok);
}
