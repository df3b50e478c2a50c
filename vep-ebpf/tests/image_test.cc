// image_test.cc - Rule image (docs/proof-format.md, "The image"):
// vep_check_image on hand-built images, without an ELF object. One image
// with a map, a global and a call relocation is accepted; each rejected
// twin differs from it in one relocation or one function.
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace vt;

namespace {

// The program: r1 = map 0 (0-1), r2 = &global + 4 (2-3), call f (4),
// r0 = 0, exit. The function f at instruction 10 of `.text`: r0 = 0, exit.
struct Image {
  std::vector<uint8_t> prog, fn;
  std::vector<vep_reloc> prog_relocs{{0, VEP_RELOC_MAP, 0, 0},
                                     {2, VEP_RELOC_GLOBAL, 1, 4},
                                     {4, VEP_RELOC_CALL, 10, 0}};
  std::vector<vep_code> programs, functions;
  Image() {
    Prog p;
    lddw(p, 1, 0);
    lddw(p, 2, 0);
    p.push_back(call_fn(-1));
    p.push_back(mov64_imm(0, 0));
    p.push_back(exit_insn());
    prog = encode(p);
    fn = encode({mov64_imm(0, 0), exit_insn()});
    programs = {{"xdp", prog.data(), (uint32_t)p.size(), 0, 0, nullptr}};
    functions = {{"f", fn.data(), 2, 10, 0, nullptr}};
  }
  vep_image get() {
    programs[0].n_relocs = (uint32_t)prog_relocs.size();
    programs[0].relocs = prog_relocs.data();
    return {(uint32_t)programs.size(), programs.data(),
            (uint32_t)functions.size(), functions.data()};
  }
};

// The proof: the program's hash, f's hash and empty contract at 10;
// certificates found by brute force.
struct Sources {
  vep_program_header program{};
  vep_function_header fn{};
  vep_proof_headers headers() {
    fn.text_insn = 10;
    return {1, &fn, 1, &program};
  }
  static int prove(void *, const vep_question *q, vep_cert *out,
                   vep_arena *scratch) {
    return prove_by_search(*q, out, scratch);
  }
};

Outcome check(Image &img) {
  Maps maps;
  maps.add("counts", 1 /* HASH */, 4, 8);
  maps.add(".data", 2 /* ARRAY */, 4, 16, 1);
  Sources s;
  s.program.insn_hash = vep_insn_hash(img.prog.data(), img.prog.size());
  s.fn.code.insn_hash = vep_insn_hash(img.fn.data(), img.fn.size());
  vep_proof_headers hs = s.headers();
  vep_proof_source ps{&s, Sources::prove};
  static std::vector<uint8_t> mem(8u << 20);
  vep_arena arena;
  vep_arena_init(&arena, mem.data(), mem.size());
  vep_result r;
  vep_image image = img.get();
  vep_check_image(&image, maps.get(), &hs, &ps, &arena, &r);
  EXPECT_EQ(arena.used, 0u);
  Outcome o;
  o.status = r.status;
  o.program = r.program;
  o.reason = r.reason;
  o.insn = r.insn;
  return o;
}

TEST(Image, AcceptedWithMapGlobalAndCall) {
  Image img;
  Outcome o = check(img);
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
}

TEST(Image, RelocationsRejected) {
  Image img;
  img.prog_relocs[0].insn = 7; // past the program's 7 instructions
  img.prog_relocs.push_back(img.prog_relocs[0]);
  img.prog_relocs.erase(img.prog_relocs.begin());
  EXPECT_REJECTED(check(img), 0, "image: relocation outside the code");

  img = Image();
  img.prog_relocs.push_back({5, VEP_RELOC_MAP, 0, 0}); // r0 = 0
  EXPECT_REJECTED(check(img), 5,
                  "image: relocated instruction is not an lddw with src 0");

  img = Image();
  img.prog_relocs[1] = img.prog_relocs[0]; // insn 0 twice
  EXPECT_REJECTED(check(img), 0, "image: instruction relocated twice");

  img = Image();
  img.prog_relocs[0].target = 2; // the table has two maps
  EXPECT_REJECTED(check(img), 0, "image: map index not in the map table");

  img = Image();
  img.prog_relocs[2].target = 11; // inside f, not its first instruction
  EXPECT_REJECTED(check(img), 4,
                  "image: call target is not the first instruction of a "
                  "function of the proof's function table");

  img = Image();
  img.prog_relocs[2].kind = VEP_RELOC_MAP; // a call relocated as a map
  EXPECT_REJECTED(check(img), 4, "image: relocated instruction is not an lddw");

  img = Image();
  img.prog_relocs[0].offset = 4; // a map pointer has no offset
  EXPECT_REJECTED(check(img), 0, "image: map relocation with an offset");

  img = Image();
  img.prog_relocs[1].offset = 16; // the value has 16 bytes
  EXPECT_REJECTED(check(img), 2, "image: offset outside the map value");
}

TEST(Image, FunctionsRejected) {
  Image img;
  img.functions.push_back({"g", img.fn.data(), 2, 10, 0, nullptr});
  EXPECT_REJECTED(check(img), 0,
                  "image: functions not by increasing first instruction");

  img = Image();
  img.functions[0].first = 12; // the proof's f at 10 is no function
  EXPECT_REJECTED(check(img), 0, "func_table: a function's text_insn");

  img = Image();
  img.functions[0].n_insns = 0;
  EXPECT_REJECTED(check(img), 0, "image: a code without");
}

} // namespace
