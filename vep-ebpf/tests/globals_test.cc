// globals_test.cc - Global variables: an lddw relocated against a symbol of
// `.data`, `.bss` or `.rodata` loads a pointer into the value of libbpf's
// internal map of that section (docs/proof-format.md, "Global variables").
#include "test_support.h"

#include <gtest/gtest.h>

#include <cstdio>

using namespace vt;

namespace {

enum : uint32_t { ARRAY = 2, RDONLY_PROG = 0x80 };
constexpr uint8_t ATOMIC = 0xc0;

// libbpf's internal map of `section`: one value of `size` bytes.
Maps internal(const std::string &section, uint32_t size, uint32_t flags = 0) {
  Maps m;
  m.add(section, ARRAY, 4, size, 1);
  m.defs.back().flags = flags;
  return m;
}

// 0-1: r1 = the global (relocated, first imm `imm`); then `body`; r0 = 0;
// exit.
Prog global_then(std::vector<Insn> body, int32_t imm = 0) {
  Prog p = {raw(LD | DW, 1, 0, 0, imm), raw(0, 0, 0, 0, 0)};
  p.insert(p.end(), body.begin(), body.end());
  p.push_back(mov64_imm(0, 0));
  p.push_back(exit_insn());
  return p;
}

// The object: the program, section `section` holding one symbol `var` at
// `value`, the lddw at insn 0 relocated against it.
Outcome check_global(const Prog &p, Maps m, const std::string &section,
                     uint64_t value = 0, uint64_t lddw_at = 0) {
  return round_trip(
      map_object(p, {{lddw_at, 1}}, {{"var", 2, value}}, "xdp", section), {},
      {}, m.get());
}

} // namespace

// ---- accepted, each with its rejected twin -----------------------------------
TEST(Globals, BssReadWriteAtomicAdd) {
  Prog p = global_then({
      ldx(DW, 2, 1, 0),                          // 2: r2 = var
      stx(DW, 1, 2, 0),                          // 3: var = r2
      raw(STX | ATOMIC | DW, 1, 2, 0, 0),        // 4: lock var += r2
      ldx(W, 3, 1, 4),                           // 5: upper half
  });
  Outcome o = check_global(p, internal(".bss", 16), ".bss", 8);
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  // The variable at offset 12 of a 16-byte value: the 8-byte load at
  // insn 2 runs past its end.
  EXPECT_REJECTED(check_global(p, internal(".bss", 16), ".bss", 12), 2,
                  "mem_map: ACCESS_HIGH not proved");
}

TEST(Globals, DataSectionSymbolWithOffsetInImm) {
  // A static variable: relocated against `.data`'s symbol, its offset in
  // the lddw's imm; indexed by a masked context field.
  Prog p = global_then({alu64_reg(ADD, 1, 3), ldx(W, 2, 1, 0)}, 8);
  p.insert(p.begin(), {ldx(W, 3, 1, 16),      // r3 = ctx->rx_queue_index
                       alu64_imm(AND, 3, 3),  // r3 &= 3
                       alu64_imm(LSH, 3, 2)}); // r3 <<= 2; 3-4: lddw
  Outcome o = check_global(p, internal(".data", 24), ".data", 0, 3);
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  // Four 4-byte entries from offset 8 need 24 bytes; 20 are too few.
  EXPECT_REJECTED(check_global(p, internal(".data", 20), ".data", 0, 3), 6,
                  "mem_map: ACCESS_HIGH not proved");
}

TEST(Globals, RodataReadOnly) {
  Prog load = global_then({ldx(H, 2, 1, 0)});
  Maps ro = internal(".rodata", 2, RDONLY_PROG);
  Outcome o = check_global(load, ro, ".rodata");
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  EXPECT_REJECTED(check_global(global_then({st(H, 1, 0, 80)}), ro, ".rodata"),
                  2, "mem_map: store into a read-only map value");
  Maps ro8 = internal(".rodata", 8, RDONLY_PROG);
  EXPECT_REJECTED(check_global(global_then({mov64_imm(2, 1),
                                            raw(STX | ATOMIC | DW, 1, 2, 0, 0)}),
                               ro8, ".rodata"),
                  3, "store into a read-only map value");
  // The same store into a writable value is accepted.
  EXPECT_EQ(check_global(global_then({st(H, 1, 0, 80)}),
                         internal(".rodata", 2), ".rodata")
                .status,
            VEP_ACCEPTED);
}

TEST(Globals, OffsetOutsideTheValueRejected) {
  Prog p = global_then({ldx(B, 2, 1, 0)});
  Maps m = internal(".bss", 16);
  EXPECT_EQ(check_global(p, m, ".bss", 15).status, VEP_ACCEPTED);
  EXPECT_REJECTED(check_global(p, m, ".bss", 16), 0,
                  "offset outside the map value");
  EXPECT_REJECTED(check_global(global_then({ldx(B, 2, 1, 0)}, -1), m, ".bss"),
                  0, "offset outside the map value");
  EXPECT_EQ(check_global(global_then({ldx(B, 2, 1, 0)}, 15), m, ".bss").status,
            VEP_ACCEPTED);
}

TEST(Globals, SectionsAndTablesRejected) {
  Prog p = global_then({ldx(B, 2, 1, 0)});
  // No internal map for the section; another data-like section; a `.maps`
  // map relocated with an offset.
  EXPECT_REJECTED(check_global(p, internal(".data", 16), ".bss"), 0,
                  "relocation against a map that is not in the map table");
  EXPECT_REJECTED(check_global(p, internal(".data.x", 16), ".data.x"), 0,
                  "not defined in section .maps, .data, .bss or .rodata");
  Maps counts;
  counts.add("var", ARRAY, 4, 8);
  EXPECT_REJECTED(check_global(global_then({}, 8), counts, ".maps"), 0,
                  "map relocation with a nonzero imm");
  EXPECT_EQ(check_global(global_then({}), counts, ".maps").status,
            VEP_ACCEPTED);
  // The global's pointer is not a map pointer: no access through `.maps`
  // rules, no arithmetic refusal (it is a map value).
  EXPECT_REJECTED(check_global(global_then({ldx(B, 2, 1, 0)}), counts, ".maps"),
                  2, "access through a map pointer");
}

TEST(GlobalsCli, ClangObjectWithLibbpfTable) {
#ifndef VEP_GLOBALS_OBJ
  GTEST_SKIP() << "no clang for -target bpf";
#else
  std::vector<uint8_t> obj = read_bytes(VEP_GLOBALS_OBJ);
  ASSERT_FALSE(obj.empty());
  Maps m;
  std::string why;
  ASSERT_TRUE(m.read(obj, why)) << why;
  ASSERT_EQ(m.defs.size(), 3u);
  // libbpf's order: .rodata, .bss, .data; named by section; .rodata is
  // read-only for the program.
  const char *names[] = {".rodata", ".bss", ".data"};
  uint32_t sizes[] = {2, 8, 16};
  for (uint32_t i = 0; i < 3; i++) {
    EXPECT_STREQ(m.defs[i].name, names[i]);
    EXPECT_EQ(m.defs[i].type, ARRAY);
    EXPECT_EQ(m.defs[i].value_size, sizes[i]);
    EXPECT_EQ(m.defs[i].max_entries, 1u);
    EXPECT_EQ((m.defs[i].flags & RDONLY_PROG) != 0, i == 0);
  }
  Outcome o = round_trip(obj, {}, {}, m.get());
  ASSERT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  std::string obj_path = temp_file(obj), proof_path = temp_file(o.proof), out;
  EXPECT_EQ(vep_check(obj_path + " " + proof_path, out), 0) << out;
  // A smaller `.data` value in the table: the table's last entry no longer
  // fits.
  m.defs[2].value_size = 12;
  o = round_trip(obj, {}, {}, m.get());
  EXPECT_EQ(o.status, VEP_REJECTED) << o.reason;
  EXPECT_TRUE(contains(o.reason, "mem_map: ACCESS_HIGH not proved"))
      << o.reason;
  // `.rodata` writable in the table would not change the verdict (the
  // program only reads it); read-only `.data` rejects its store.
  m.defs[2].value_size = 16;
  m.defs[2].flags = RDONLY_PROG;
  o = round_trip(obj, {}, {}, m.get());
  EXPECT_TRUE(contains(o.reason, "store into a read-only map value"))
      << o.reason;
  for (auto &p : {obj_path, proof_path})
    std::remove(p.c_str());
#endif
}
