// map_of_maps_test.cc - Maps of maps (ARRAY_OF_MAPS, HASH_OF_MAPS): the
// inner template in the map table, lookups that give an inner map, and
// what a program may do with it (docs/proof-format.md 9.8). Every accepted
// program has rejected twins beside it.
#include "interp.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cstdio>

using namespace vt;

namespace {

enum : uint32_t { ARRAY = 2, ARRAY_OF_MAPS = 12, HASH_OF_MAPS = 13 };

Insn call(int32_t id) { return raw(JMP | CALL, 0, 0, 0, id); }

// Map 0 "outer" (`type`, 4-byte keys and values) whose inner template is
// map 1, an array with 4-byte keys and 8-byte values.
Maps outer(uint32_t type = ARRAY_OF_MAPS) {
  Maps m;
  m.add("outer", type, 4, 4, 2);
  m.add("outer.inner", ARRAY, 4, 8, 4);
  m.defs[0].inner = 1;
  return m;
}

// 0-1: r1 = outer; 2: *(u32 *)(r10 - 4) = 0; 3: r2 = r10; 4: r2 += -4;
// 5: call map_lookup_elem; 6: if r0 == 0 goto 13; 7: r1 = r0; 8: r2 = r10;
// 9: r2 += -4; 10: call map_lookup_elem; 11: if r0 == 0 goto 13;
// 12: `use` (r0: the inner value); 13: r0 = 0; 14: exit.
Prog two_lookups(Insn use = ldx(DW, 1, 0, 0)) {
  return {raw(LD | DW, 1, 0, 0, 0),
          raw(0, 0, 0, 0, 0),
          st(W, 10, -4, 0),
          mov64_reg(2, 10),
          alu64_imm(ADD, 2, -4),
          call(1),
          jmp_imm(JEQ, 0, 0, 6),
          mov64_reg(1, 0),
          mov64_reg(2, 10),
          alu64_imm(ADD, 2, -4),
          call(1),
          jmp_imm(JEQ, 0, 0, 1),
          use,
          mov64_imm(0, 0),
          exit_insn()};
}

Outcome check(const Prog &p, Maps m) {
  return round_trip(map_object(p, {{0, 1}}, map_symbols({"outer"})), {}, {},
                    m.get());
}

} // namespace

TEST(MapOfMaps, LookupGivesAnInnerMapOfTheTemplate) {
  EXPECT_EQ(check(two_lookups(), outer()).status, VEP_ACCEPTED);
  EXPECT_EQ(check(two_lookups(), outer(HASH_OF_MAPS)).status, VEP_ACCEPTED);
  // The inner value has the template's value size, 8 bytes.
  EXPECT_REJECTED(check(two_lookups(ldx(DW, 1, 0, 1)), outer()), 12,
                  "mem_map: ACCESS_HIGH not proved");
  Maps wide = outer();
  wide.defs[1].value_size = 9;
  EXPECT_EQ(check(two_lookups(ldx(DW, 1, 0, 1)), wide).status, VEP_ACCEPTED);
}

TEST(MapOfMaps, InnerMapNeedsTheNullCheck) {
  Prog p = two_lookups();
  p[6] = mov64_imm(3, 0); // no null check of the outer lookup
  EXPECT_REJECTED(check(p, outer()), 10,
                  "map_lookup_elem: r1 is not a map pointer");
  // The spilled copy of the nullable inner map is refined with r0.
  p = two_lookups();
  p[7] = ldx(DW, 1, 10, -16);
  p.insert(p.begin() + 6, stx(DW, 10, 0, -16));
  p[7].off = 6;
  EXPECT_EQ(check(p, outer()).status, VEP_ACCEPTED);
}

TEST(MapOfMaps, InnerMapIsOnlyAHelpersMapArgument) {
  auto at7 = [](Insn use) {
    Prog p = two_lookups();
    p[7] = use;
    return p;
  };
  // Its memory is not the program's, it cannot move, be compared or stored.
  EXPECT_REJECTED(check(at7(ldx(W, 3, 0, 0)), outer()), 7,
                  "access through a map pointer");
  EXPECT_REJECTED(check(at7(alu64_imm(ADD, 0, 8)), outer()), 7, "ptr_alu");
  EXPECT_REJECTED(check(at7(jmp_imm(JEQ, 0, 0, 0)), outer()), 7,
                  "null_check: comparison of a map pointer");
  EXPECT_REJECTED(check(at7(stx(DW, 10, 0, -16)), outer()), 7,
                  "map pointer spilled");
  // Nor returned.
  Prog p = two_lookups();
  p[7] = exit_insn();
  EXPECT_REJECTED(check(p, outer()), 7, "exit_r0");
}

TEST(MapOfMaps, ProgramsNeitherUpdateNorDeleteOuterElements) {
  // The kernel refuses maps of maps to these helpers ("cannot pass
  // map_type 12 into func bpf_map_delete_elem#3", Linux 6.18).
  Prog p = two_lookups();
  p[5] = call(3);
  EXPECT_REJECTED(check(p, outer()), 5,
                  "map_delete_elem: r1 is a map of a type the helper does not "
                  "take");
  p[5] = call(2); // r1 fails before r3 (no value buffer) is read
  EXPECT_REJECTED(check(p, outer()), 5,
                  "map_update_elem: r1 is a map of a type");
}

TEST(MapOfMaps, InnerMapUpdate) {
  // 0-1: r1 = outer; 2-3: key 0 at r10 - 4, value 0 at r10 - 16; 4-6:
  // lookup; 7: if r0 == 0 goto 15; 8: r1 = r0; 9-10: r2 = r10 - 4; 11-12:
  // r3 = r10 - 16; 13: r4 = 0; 14: call map_update_elem; 15-16: return 0.
  Prog p = {raw(LD | DW, 1, 0, 0, 0),
            raw(0, 0, 0, 0, 0),
            st(W, 10, -4, 0),
            st(DW, 10, -16, 0),
            mov64_reg(2, 10),
            alu64_imm(ADD, 2, -4),
            call(1),
            jmp_imm(JEQ, 0, 0, 7),
            mov64_reg(1, 0),
            mov64_reg(2, 10),
            alu64_imm(ADD, 2, -4),
            mov64_reg(3, 10),
            alu64_imm(ADD, 3, -16),
            mov64_imm(4, 0),
            call(2),
            mov64_imm(0, 0),
            exit_insn()};
  EXPECT_EQ(check(p, outer()).status, VEP_ACCEPTED);
  // The template's value is 8 bytes: [r10 - 8, r10) is not all initialised.
  p[12] = alu64_imm(ADD, 3, -8);
  EXPECT_REJECTED(check(p, outer()), 14,
                  "helper given a too-small or uninitialised buffer (value)");
}

TEST(MapOfMaps, MapTableTemplateValidated) {
  auto bad = [](Maps m) {
    Outcome o = check(two_lookups(), m);
    EXPECT_EQ(o.status, VEP_REJECTED);
    EXPECT_TRUE(contains(o.reason, "map_table: a map of maps' inner template"))
        << o.reason;
  };
  Maps m = outer();
  m.defs[0].inner = 2; // out of the table
  bad(m);
  m.defs[0].inner = 0; // itself
  bad(m);
  m = outer();
  m.defs[1].type = HASH_OF_MAPS; // two levels: the kernel has one
  m.defs[1].inner = 0;
  bad(m);
  // `inner` of other maps is not read.
  m = outer();
  m.defs[1].inner = 7;
  EXPECT_EQ(check(two_lookups(), m).status, VEP_ACCEPTED);
}

TEST(MapOfMapsCli, ClangObjectWithLibbpfTable) {
#ifndef VEP_MAP_OF_MAPS_OBJ
  GTEST_SKIP() << "no clang for -target bpf";
#else
  std::vector<uint8_t> obj = read_bytes(VEP_MAP_OF_MAPS_OBJ);
  ASSERT_FALSE(obj.empty());
  Maps m;
  std::string why;
  ASSERT_TRUE(m.read(obj, why)) << why;
  // libbpf's order, then the template.
  ASSERT_EQ(m.defs.size(), 4u);
  EXPECT_STREQ(m.defs[2].name, "outer");
  EXPECT_EQ(m.defs[2].type, ARRAY_OF_MAPS);
  EXPECT_EQ(m.defs[2].value_size, 4u);
  EXPECT_EQ(m.defs[2].inner, 3u);
  EXPECT_STREQ(m.defs[3].name, "outer.inner");
  EXPECT_EQ(m.defs[3].type, ARRAY);
  EXPECT_EQ(m.defs[3].key_size, 4u);
  EXPECT_EQ(m.defs[3].value_size, 8u);
  EXPECT_EQ(m.defs[3].max_entries, 4u);
  Outcome o = round_trip(obj, {}, {}, m.get());
  ASSERT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  std::string obj_path = temp_file(obj), proof_path = temp_file(o.proof), out;
  EXPECT_EQ(vep_check(obj_path + " " + proof_path, out), 0) << out;
  EXPECT_NE(out.find("vep-check: accepted"), std::string::npos) << out;
  // A smaller template value: the atomic add into the inner value no
  // longer fits.
  m.defs[3].value_size = 4;
  o = round_trip(obj, {}, {}, m.get());
  EXPECT_EQ(o.status, VEP_REJECTED) << o.reason;
  EXPECT_TRUE(contains(o.reason, "mem_map: ACCESS_HIGH not proved"))
      << o.reason;
  for (auto &p : {obj_path, proof_path})
    std::remove(p.c_str());
#endif
}

TEST(MapOfMaps, AcceptedProgramsRunSafelyInTheInterpreter) {
  // The interpreter's map of maps gives its template's map (or NULL, by
  // lookup_null); accepted programs run without a violation on every
  // combination of the two lookups' results, the twin without the null
  // check does not.
  MapEnv env;
  env.maps = {{4, 4, ARRAY_OF_MAPS, false, 1}, {4, 8, ARRAY, false}};
  env.relocs = {{0, 0}};
  Prog ok = two_lookups(), twin = two_lookups();
  twin[6] = mov64_imm(3, 0);
  ASSERT_EQ(check(ok, outer()).status, VEP_ACCEPTED);
  for (uint64_t nulls = 0; nulls < 4; nulls++) {
    env.lookup_null = nulls;
    RunResult r = run_xdp_maps(ok, {}, 0, env);
    EXPECT_TRUE(r.ok) << nulls << ": " << r.error;
  }
  env.lookup_null = 1;
  RunResult r = run_xdp_maps(twin, {}, 0, env);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(contains(r.error, "is not a map")) << r.error;
}
