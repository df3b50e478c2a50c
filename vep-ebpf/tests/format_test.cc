// format_test.cc - The proof file format: encoder, reader, malformed input,
// and robustness of the checker against corrupted objects and proofs.
#include "test_support.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace vt;

namespace {

std::vector<uint8_t> bytes(const vep_proof_buf &b) {
  return std::vector<uint8_t>(b.data, b.data + b.len);
}

Prog bounded() {
  Prog p = xdp_prologue();
  p.push_back(mov64_reg(4, 2));
  p.push_back(alu64_imm(ADD, 4, 14));
  p.push_back(jmp_reg(JGT, 4, 3, 2));
  p.push_back(ldx(B, 0, 2, 13));
  p.push_back(exit_insn());
  p.push_back(mov64_imm(0, 1));
  p.push_back(exit_insn());
  return p;
}

struct Reader {
  vep_proof_reader r;
  vep_result res{};
  std::vector<uint8_t> mem = std::vector<uint8_t>(1 << 20);
  vep_arena arena;
  explicit Reader(const std::vector<uint8_t> &proof) {
    vep_arena_init(&arena, mem.data(), mem.size());
    status =
        vep_proof_reader_init(&r, proof.data(), proof.size(), &arena, &res);
  }
  vep_status status;
};

} // namespace

TEST(Format, EncoderOutputIsReadBack) {
  const __int128 big = ~((unsigned __int128)1 << 127); // INT128_MAX
  const __int128 values[] = {
      0, 1, -1, 63, 64, -64, -65, 1000000, big, -big - 1, (__int128)1 << 126};
  std::vector<vep_lin_term> terms;
  std::vector<vep_lin> facts;
  for (__int128 v : values)
    terms.push_back({1, v});
  for (size_t i = 0; i < terms.size(); i++)
    facts.push_back({values[i] / -3, 1, &terms[i]});
  vep_cut_point alternatives[2] = {};
  alternatives[0].n_facts = (uint32_t)facts.size();
  alternatives[0].facts = facts.data();
  vep_program_header h1{0x0123456789abcdefull, 2, alternatives, 0, nullptr};
  vep_program_header h2{42, 0, nullptr, 0, nullptr};
  vep_cert_entry entries[3] = {{0, 5}, {70000, big}, {3, -2}};
  vep_cert_step comb{VEP_STEP_COMB, 0, 0, (__int128)1 << 100, 3, entries};
  vep_cert cert{1, &comb};

  vep_proof_buf file;
  vep_enc_init(&file);
  enc_programs(file, {h1, h2});
  vep_enc_answer_cert(&file, &cert);
  vep_enc_answer_none(&file);
  ASSERT_FALSE(file.oom);
  std::vector<uint8_t> proof = bytes(file);  // the reader points into it
  Reader rd(proof);
  ASSERT_EQ(rd.status, VEP_ACCEPTED) << rd.res.reason;
  EXPECT_EQ(rd.r.headers.n_functions, 0u);
  ASSERT_EQ(rd.r.headers.n_programs, 2u);

  vep_program_header out = rd.r.headers.programs[0];
  EXPECT_EQ(out.insn_hash, h1.insn_hash);
  ASSERT_EQ(out.n_posts, 2u);
  ASSERT_EQ(out.posts[0].n_facts, facts.size());
  for (size_t i = 0; i < facts.size(); i++) {
    const vep_lin &f = out.posts[0].facts[i];
    ASSERT_EQ(f.n_terms, 1u) << i;
    EXPECT_TRUE(f.terms[0].coeff == values[i]) << i;
    EXPECT_TRUE(f.constant == values[i] / -3) << i;
  }
  EXPECT_EQ(out.posts[1].n_facts, 0u);
  out = rd.r.headers.programs[1];
  EXPECT_EQ(out.insn_hash, 42u);
  EXPECT_EQ(out.n_posts, 0u);

  vep_question q{};
  vep_cert c{};
  ASSERT_EQ(rd.r.source.prove(rd.r.source.self, &q, &c, &rd.arena), 1);
  ASSERT_EQ(c.n_steps, 1u);
  EXPECT_EQ(c.steps[0].op, VEP_STEP_COMB);
  EXPECT_TRUE(c.steps[0].goal_mult == comb.goal_mult);
  ASSERT_EQ(c.steps[0].n_entries, 3u);
  for (int i = 0; i < 3; i++) {
    EXPECT_EQ(c.steps[0].entries[i].hyp, entries[i].hyp);
    EXPECT_TRUE(c.steps[0].entries[i].mult == entries[i].mult);
  }
  EXPECT_EQ(rd.r.source.prove(rd.r.source.self, &q, &c, &rd.arena), 0);
  EXPECT_EQ(vep_proof_reader_finish(&rd.r, &rd.res), VEP_ACCEPTED);
  EXPECT_EQ(rd.r.source.prove(rd.r.source.self, &q, &c, &rd.arena), -1); // exhausted
  EXPECT_EQ(vep_proof_reader_finish(&rd.r, &rd.res), VEP_MALFORMED);
  vep_enc_free(&file);
}

TEST(Format, HeaderErrors) {
  auto obj = xdp_object(bounded());
  std::vector<uint8_t> good = write_proof(obj).proof;
  ASSERT_EQ(check_proof(obj, good).status, VEP_ACCEPTED);

  auto expect_malformed = [&](std::vector<uint8_t> p, const char *why) {
    Outcome o = check_proof(obj, p);
    EXPECT_EQ(o.status, VEP_MALFORMED) << why;
    EXPECT_TRUE(contains(o.reason, why)) << o.reason;
  };
  std::vector<uint8_t> p = good;
  p[0] = 'X';
  expect_malformed(p, "bad magic");
  p = good;
  p[8] = 6; // version 6 names the programs in its table
  expect_malformed(p, "major version");
  p[8] = 8;
  expect_malformed(p, "major version");
  p = good;
  p[12] = VEP_PROOF_HELPER_TABLE_VERSION + 1;
  expect_malformed(p, "helper table version");
  p = good;
  p[16] = 0x81; // 257 functions: 0x81 0x02
  p.insert(p.begin() + 17, 0x02);
  expect_malformed(p, "integer out of range");
  expect_malformed({}, "too short");
  p = good;
  p.push_back(0);
  expect_malformed(p, "trailing bytes after the last answer");
  p = good;
  p[10] = 7; // minor versions are compatible
  EXPECT_EQ(check_proof(obj, p).status, VEP_ACCEPTED);
}

TEST(Format, EveryTruncationIsMalformed) {
  auto obj = xdp_object(bounded());
  std::vector<uint8_t> good = write_proof(obj).proof;
  for (size_t n = 0; n < good.size(); n++) {
    std::vector<uint8_t> p(good.begin(), good.begin() + n);
    Outcome o = check_proof(obj, p);
    EXPECT_EQ(o.status, VEP_MALFORMED) << "prefix " << n << ": " << o.reason;
  }
}

TEST(Format, NonCanonicalAndBadTags) {
  auto obj = xdp_object({mov64_imm(0, 2), exit_insn()});
  vep_program_header h{};
  std::vector<uint8_t> code = encode({mov64_imm(0, 2), exit_insn()});
  h.insn_hash = vep_insn_hash(code.data(), code.size());
  vep_proof_buf b;
  vep_enc_init(&b);
  enc_programs(b, {h});
  std::vector<uint8_t> good = bytes(b);
  vep_enc_free(&b);
  ASSERT_EQ(check_proof(obj, good).status, VEP_ACCEPTED);
  // n_cuts 0 written as 0x80 0x00.
  std::vector<uint8_t> p = good;
  p.back() = 0x80;
  p.push_back(0x00);
  Outcome o = check_proof(obj, p);
  EXPECT_EQ(o.status, VEP_MALFORMED);
  EXPECT_TRUE(contains(o.reason, "shortest form")) << o.reason;
  // The count 2^64 (a tenth byte with more than bit 63) is out of range; a
  // 20th byte is too large for any integer (128 bits take 19).
  for (size_t n : {10, 20}) {
    p = good;
    p.back() = 0x80;
    p.insert(p.end(), n - 2, 0x80);
    p.push_back(n == 10 ? 0x02 : 0x01);
    o = check_proof(obj, p);
    EXPECT_EQ(o.status, VEP_MALFORMED);
    EXPECT_TRUE(contains(o.reason, n == 10 ? "integer out of range"
                                           : "LEB128 value too large"))
        << o.reason;
  }
  // A program table of more than 1024 headers.
  p = good;
  p[17] = 0x81; // header, empty function table, then 1025 as 0x81 0x08
  p.insert(p.begin() + 18, 0x08);
  o = check_proof(obj, p);
  EXPECT_EQ(o.status, VEP_MALFORMED);
  EXPECT_TRUE(contains(o.reason, "integer out of range")) << o.reason;

  // An answer claiming 7 steps, without them.
  auto obj2 = xdp_object(bounded());
  std::vector<uint8_t> q = write_proof(obj2).proof;
  q[q.size() - 1] = 7;
  o = check_proof(obj2, q);
  EXPECT_EQ(o.status, VEP_MALFORMED);
}

TEST(Format, SignedLeb128Of128Bits) {
  // An exit assertion's fact x1 >= 0 whose coefficient is replaced by a
  // 19-byte LEB128: a last byte up to 0x03 ends a 128-bit number (zigzag:
  // 0x03 is -2^127); any other high bits, or a continuation, do not.
  auto obj = xdp_object({mov64_imm(0, 2), exit_insn()});
  std::vector<uint8_t> code = encode({mov64_imm(0, 2), exit_insn()});
  vep_lin_term x1{1, 1};
  vep_lin fact{0, 1, &x1};
  vep_binding r0{VEP_BIND_SCALAR, 0, fact, 0, false};
  vep_cut_point post{};
  post.n_exists = 1;
  post.n_bindings = 1;
  post.bindings = &r0;
  post.n_facts = 1;
  post.facts = &fact;
  vep_program_header h{vep_insn_hash(code.data(), code.size()), 1, &post, 0,
                       nullptr};
  vep_proof_buf b;
  vep_enc_init(&b);
  enc_programs(b, {h});
  std::vector<uint8_t> good = bytes(b);
  vep_enc_free(&b);
  // header, no functions, 1 program: hash, 1 post: its insn, n_exists,
  // 1 binding (kind, where, form of 4 bytes), 1 fact: constant, 1 term,
  // var, then the coefficient
  const size_t at = 16 + 1 + 1 + 8 + 1 + 1 + 1 + 1 + 6 + 1 + 3;
  ASSERT_EQ(good[at], 2); // zigzag: 1 as 2
  for (uint8_t last : {0x01, 0x03, 0x04, 0x7f, 0x81}) {
    std::vector<uint8_t> p(good.begin(), good.begin() + at);
    p.insert(p.end(), 18, 0x80);
    p.push_back(last);
    p.insert(p.end(), good.begin() + at + 1, good.end());
    Outcome o = check_proof(obj, p);
    bool fits = last <= 0x03;
    EXPECT_EQ(contains(o.reason, "LEB128 value too large"), !fits)
        << (int)last << ": " << o.reason;
    if (!fits)
      EXPECT_EQ(o.status, VEP_MALFORMED) << (int)last;
  }
}

// One program header per program of the object, matched by order and bound
// by its hash.
TEST(Format, ProgramTableMustMatchObject) {
  auto obj = xdp_object({mov64_imm(0, 2), exit_insn()});
  std::vector<uint8_t> code = encode({mov64_imm(0, 2), exit_insn()});
  vep_program_header h{vep_insn_hash(code.data(), code.size()), 0, nullptr, 0,
                       nullptr};
  auto proof = [&](std::vector<vep_program_header> programs) {
    vep_proof_buf b;
    vep_enc_init(&b);
    enc_programs(b, programs);
    std::vector<uint8_t> out = bytes(b);
    vep_enc_free(&b);
    return out;
  };
  EXPECT_EQ(check_proof(obj, proof({h})).status, VEP_ACCEPTED);
  EXPECT_REJECTED(check_proof(obj, proof({})), 0,
                  "proof_entry: proof has headers for 0 programs, the "
                  "object 1");
  EXPECT_REJECTED(check_proof(obj, proof({h, h})), 0,
                  "proof_entry: proof has headers for 2 programs, the "
                  "object 1");
  vep_program_header other = h;
  other.insn_hash ^= 1;
  EXPECT_REJECTED(check_proof(obj, proof({other})), 0,
                  "proof_hash: proof is for a different program");
}

TEST(Format, MalformedElf) {
  auto expect = [](std::vector<uint8_t> obj, const char *why) {
    Outcome o = check_proof(obj, write_proof(obj).proof);
    EXPECT_EQ(o.status, VEP_MALFORMED) << why;
    EXPECT_TRUE(contains(o.reason, why)) << o.reason;
  };
  auto good = xdp_object(bounded());
  expect({}, "file too short");
  auto p = good;
  p[4] = 1; // ELFCLASS32
  expect(p, "not an ELF64");
  p = good;
  p[18] = 62; // EM_X86_64
  expect(p, "not a relocatable eBPF object");
  p = good;
  p[40] = 0xf0;
  p[41] = 0xff; // e_shoff far away
  expect(p, "outside the file");
  p = good;
  p.resize(p.size() - 1);
  expect(p, "section header table outside the file");
  Section odd{"xdp", 1, 6, std::vector<uint8_t>(12, 0), 0};
  expect(build_elf({odd}), "8-byte instructions");
}

// Corrupted objects and proofs never crash the checker and always yield a
// verdict; a corrupted byte that the check reads cannot make it accept a
// different program (the hash covers the instructions).
TEST(Format, RandomCorruption) {
  auto obj = xdp_object(bounded());
  std::vector<uint8_t> proof = write_proof(obj).proof;
  uint64_t seed = 0x9e3779b97f4a7c15ull;
  auto next = [&]() {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
  };
  for (int i = 0; i < 3000; i++) {
    auto o2 = obj;
    auto p2 = proof;
    int flips = 1 + (int)(next() % 3);
    for (int f = 0; f < flips; f++) {
      if (i % 2)
        o2[next() % o2.size()] ^= (uint8_t)(1 + next() % 255);
      else
        p2[next() % p2.size()] ^= (uint8_t)(1 + next() % 255);
    }
    Outcome o = check_proof(o2, p2);
    EXPECT_TRUE(o.status == VEP_ACCEPTED || o.status == VEP_REJECTED ||
                o.status == VEP_MALFORMED);
    EXPECT_FALSE(o.reason.empty() && o.status != VEP_ACCEPTED);
  }
}
