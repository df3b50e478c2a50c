// object_test.cc - vep_object, the front ends' ELF reader
// (docs/proof-format.md 3.2): the exported section lookup and symbol walk,
// and which relocation entries of `.text` it reads. Every rejection has an
// accepted twin that differs only in the point the rejection names.
#include "test_support.h"

#include <gtest/gtest.h>

using namespace vt;

namespace {

// f: r0 = 2, with a contract binding r0 on return; `.text` continues with
// an lddw (insns 2-3) and an exit that no function symbol covers unless
// f's extent is `f_insns` = 5.
std::vector<uint8_t> text_with_orphan(uint32_t f_insns, uint64_t reloc_insn) {
  Prog text = {mov64_imm(0, 2), exit_insn()};
  lddw(text, 1, 0);
  text.push_back(exit_insn());
  // Symbols: 1 `.text`, 2 f, 3 the map "ghost" (in no map table).
  return call_object({call_fn(-1), exit_insn()}, text, {{"f", 0, f_insns}},
                     {{0, 2, R_BPF_64_32}}, {{reloc_insn, 3}}, "xdp",
                     {"ghost"});
}

Function f_fn(uint32_t n_insns) {
  Function f;
  f.n_insns = n_insns;
  f.post.n_exists = 1;
  f.post.bindings = {bind(VEP_BIND_SCALAR, 0, var(1))};
  return f;
}

} // namespace

// libbpf skips a `.text` relocation that lies in no function ("probably
// overridden weak function"): no program it loads holds that instruction.
// vep_object does not read it either; inside f it is read, and rejects.
TEST(ElfReader, TextRelocationInNoFunctionIsNotRead) {
  Outcome o = round_trip(text_with_orphan(2, 2), {}, {}, nullptr, {f_fn(2)});
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  o = round_trip(text_with_orphan(5, 2), {}, {}, nullptr, {f_fn(5)});
  EXPECT_REJECTED(o, 2,
                  "elf_relocations: relocation against a map that is "
                  "not in the map table");
  EXPECT_EQ(o.program, "f");
}

// An entry that is no instruction of `.text` (here: past its end) makes
// libbpf refuse the object; vep_object rejects it whatever the functions.
TEST(ElfReader, TextRelocationPastTheSectionRejects) {
  Outcome o = round_trip(text_with_orphan(2, 5), {}, {}, nullptr, {f_fn(2)});
  EXPECT_REJECTED(o, 0,
                  "elf_relocations: relocation offset is not an lddw "
                  "or a call of the code");
  EXPECT_EQ(o.program, ".text");
  // Twin: the last instruction of `.text`, in no function: not read.
  o = round_trip(text_with_orphan(2, 4), {}, {}, nullptr, {f_fn(2)});
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
}

TEST(ElfReader, SectionLookupAndSymbolWalk) {
  Section a, b, c;
  a.name = "xdp";
  a.data = encode({mov64_imm(0, 1), exit_insn()});
  b = a;
  b.data = encode({mov64_imm(0, 2), exit_insn()});
  c.name = "license";
  c.flags = 3;
  c.data = {'G', 'P', 'L', 0};
  std::vector<uint8_t> obj = build_elf({a, c, b});
  vep_elf e;
  ASSERT_EQ(vep_elf_read(&e, obj.data(), obj.size(), nullptr), VEP_ACCEPTED);
  // Sections 1 xdp, 2 license, 3 xdp: the occurrences in index order.
  uint32_t first = vep_elf_find_section(&e, "xdp", 0);
  EXPECT_EQ(first, 1u);
  EXPECT_EQ(vep_elf_find_section(&e, "xdp", first), 3u);
  EXPECT_EQ(vep_elf_find_section(&e, "xdp", 3), 0u);
  EXPECT_EQ(vep_elf_find_section(&e, "xd", 0), 0u);
  vep_elf_section s = vep_elf_section_at(&e, 3);
  EXPECT_STREQ(s.name, "xdp");
  ASSERT_EQ(s.size, b.data.size());
  EXPECT_EQ(memcmp(obj.data() + s.offset, b.data.data(), s.size), 0);
  EXPECT_EQ(vep_elf_n_symbols(&e, 1), 0u); // not a symbol table

  // The symbols of call_object: the null symbol, `.text`'s, f, ghost.
  obj = text_with_orphan(2, 2);
  ASSERT_EQ(vep_elf_read(&e, obj.data(), obj.size(), nullptr), VEP_ACCEPTED);
  uint32_t tab = vep_elf_find_section(&e, ".symtab", 0);
  ASSERT_EQ(vep_elf_n_symbols(&e, tab), 4u);
  vep_elf_symbol sym;
  ASSERT_EQ(vep_elf_symbol_at(&e, tab, 2, &sym), nullptr);
  EXPECT_STREQ(sym.name, "f");
  EXPECT_EQ(sym.shndx, e.text);
  EXPECT_EQ(sym.size, 16u);
  ASSERT_EQ(vep_elf_symbol_at(&e, tab, 3, &sym), nullptr);
  EXPECT_STREQ(sym.name, "ghost");
  EXPECT_STREQ(vep_elf_section_at(&e, sym.shndx).name, ".maps");
  EXPECT_STREQ(vep_elf_symbol_at(&e, tab, 4, &sym),
               "symbol index out of range");
  EXPECT_STREQ(vep_elf_symbol_at(&e, tab, 0, &sym),
               "symbol index out of range");
  EXPECT_STREQ(vep_elf_symbol_at(&e, 1, 1, &sym), "malformed symbol table");
}

// A malformed object gets the rule and reason vep_check_object reports.
TEST(ElfReader, ReadReportsTheRule) {
  std::vector<uint8_t> obj = xdp_object({mov64_imm(0, 1), exit_insn()});
  vep_elf e;
  vep_result r{};
  ASSERT_EQ(vep_elf_read(&e, obj.data(), obj.size(), &r), VEP_ACCEPTED);
  obj[18] = 0; // e_machine
  EXPECT_EQ(vep_elf_read(&e, obj.data(), obj.size(), &r), VEP_MALFORMED);
  EXPECT_STREQ(r.reason, "elf_header: not a relocatable eBPF object (ET_REL, "
                         "EM_BPF)");
  obj = xdp_object({mov64_imm(0, 1), exit_insn()});
  obj.resize(obj.size() - 1); // the section header table is last
  EXPECT_EQ(vep_elf_read(&e, obj.data(), obj.size(), &r), VEP_MALFORMED);
  EXPECT_STREQ(r.reason, "elf_header: section header table outside the file");
}
