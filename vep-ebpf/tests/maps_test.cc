// maps_test.cc - Maps and helper calls: the map table, map relocations,
// helper contracts, null checks, map value accesses and map value bindings
// at cut points (docs/proof-format.md, "Maps and helper calls").
#include "test_support.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>

using namespace vt;

namespace {

enum : uint32_t { HASH = 1, ARRAY = 2 };
constexpr uint8_t ATOMIC = 0xc0;

Insn call(int32_t id, uint8_t src = 0) {
  return raw(JMP | CALL, 0, src, 0, id);
}
Insn atomic_add(uint8_t size, uint8_t dst, uint8_t src, int16_t off,
                int32_t op = 0) {
  return raw(STX | ATOMIC | size, dst, src, off, op);
}
// r<dst> = map (to be relocated): two slots.
void ld_map(Prog &p, uint8_t dst) {
  p.push_back(raw(LD | DW, dst, 0, 0, 0));
  p.push_back(raw(0, 0, 0, 0, 0));
}

// Map 0 "counts": an array with 4-byte keys and 8-byte values.
Maps counts() {
  Maps m;
  m.add("counts", ARRAY, 4, 8);
  return m;
}

// 0-1: r1 = counts; 2: *(u32 *)(r10 - 4) = key; 3: r2 = r10; 4: r2 += -4;
// 5: call map_lookup_elem.
Prog lookup(int32_t key = 0) {
  Prog p;
  ld_map(p, 1);
  p.push_back(st(W, 10, -4, key));
  p.push_back(mov64_reg(2, 10));
  p.push_back(alu64_imm(ADD, 2, -4));
  p.push_back(call(1));
  return p;
}

// lookup; 6: if r0 == 0 goto exit; 7..: body; r0 = 0; exit. The null side
// exits with r0 = 0 (the refined null pointer).
Prog lookup_then(std::vector<Insn> body) {
  Prog p = lookup();
  p.push_back(jmp_imm(JEQ, 0, 0, (int16_t)(body.size() + 1)));
  p.insert(p.end(), body.begin(), body.end());
  p.push_back(mov64_imm(0, 0));
  p.push_back(exit_insn());
  return p;
}

Outcome check_maps(const Prog &p, Maps m, std::vector<Reloc> relocs = {{0, 1}},
                   std::vector<Symbol> syms = {}, std::vector<Post> posts = {},
                   std::vector<CutTable> cuts = {}) {
  if (syms.empty())
    for (auto &d : m.defs)
      syms.push_back({d.name, 2, 32 * syms.size()});
  return round_trip(map_object(p, relocs, syms), std::move(posts),
                    std::move(cuts), m.get());
}

} // namespace

// ---- accepted
// -----------------------------------------------------------------
TEST(Maps, LookupNullCheckReadWriteAtomicAdd) {
  Prog p = lookup_then({
      ldx(DW, 1, 0, 0),        // 7: r1 = value[0..8)
      stx(DW, 0, 1, 0),        // 8: value[0..8) = r1
      st(B, 0, 7, 3),          // 9: value[7] = 3
      atomic_add(DW, 0, 1, 0), // 10: lock value[0..8) += r1
      atomic_add(W, 0, 1, 4),  // 11: lock value[4..8) += r1
      ldx(W, 2, 0, 4),         // 12: last 4 bytes
  });
  Outcome o = check_maps(p, counts());
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  EXPECT_EQ(o.paths, 2u);
}

TEST(Maps, NotEqualNullCheckAndSpilledCopies) {
  // The copy in r6 and the spilled copy are refined with r0: same id.
  Prog p = lookup();
  p.push_back(mov64_reg(6, 0));       // 6
  p.push_back(stx(DW, 10, 0, -16));   // 7: spill
  p.push_back(ldx(DW, 7, 10, -16));   // 8: fill
  p.push_back(jmp_imm(JNE, 7, 0, 2)); // 9: if r7 != 0 -> 12
  p.push_back(mov64_imm(0, 1));       // 10
  p.push_back(exit_insn());           // 11
  p.push_back(ldx(W, 0, 6, 0));       // 12: through the register copy
  p.push_back(ldx(DW, 8, 10, -16));   // 13: fill again: refined too
  p.push_back(ldx(W, 1, 8, 4));       // 14
  p.push_back(exit_insn());           // 15
  std::vector<Post> posts;
  posts.push_back(post_range(0, 0xffffffff));
  Outcome o = check_maps(p, counts(), {{0, 1}}, {}, posts);
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
}

TEST(Maps, NullSideIsScalarZero) {
  // if r0 == 0 the taken side holds scalar 0 in r0 and its copies.
  Prog p = lookup();
  p.push_back(mov64_reg(6, 0));       // 6
  p.push_back(jmp_imm(JEQ, 0, 0, 2)); // 7: -> 10
  p.push_back(mov64_imm(0, 5));       // 8
  p.push_back(exit_insn());           // 9
  p.push_back(mov64_reg(0, 6));       // 10: r0 = r6 = 0
  p.push_back(exit_insn());           // 11
  std::vector<Post> posts;
  posts.push_back(post_range(0, 5));
  EXPECT_EQ(check_maps(p, counts(), {{0, 1}}, {}, posts).status, VEP_ACCEPTED);
  posts.clear();
  posts.push_back(post_range(5, 5)); // the null side returns 0
  EXPECT_REJECTED(check_maps(p, counts(), {{0, 1}}, {}, posts), 11,
                  "postcondition of");
}

TEST(Maps, VariableOffsetWithinBounds) {
  Prog p = lookup_then({
      ldx(B, 3, 0, 0),      // 7: r3 = value[0]
      alu64_imm(AND, 3, 7), // 8: r3 <= 7
      alu64_reg(ADD, 3, 0), // 9: r3 = value + r3 (scalar + pointer)
      ldx(B, 4, 3, 0),      // 10
  });
  Maps m = counts();
  EXPECT_EQ(check_maps(p, m).status, VEP_ACCEPTED);
  p[8] = alu64_imm(AND, 3, 8); // r3 <= 8: value[8] may be read
  EXPECT_REJECTED(check_maps(p, m), 10, "mem_map: ACCESS_HIGH not proved");
}

TEST(Maps, UpdateAndDeleteWithStackBuffers) {
  Prog p;
  ld_map(p, 1);                        // 0-1
  p.push_back(st(W, 10, -4, 1));       // 2: key
  p.push_back(st(DW, 10, -16, 42));    // 3: value
  p.push_back(mov64_reg(2, 10));       // 4
  p.push_back(alu64_imm(ADD, 2, -4));  // 5
  p.push_back(mov64_reg(3, 10));       // 6
  p.push_back(alu64_imm(ADD, 3, -16)); // 7
  p.push_back(mov64_imm(4, 0));        // 8: flags
  p.push_back(call(2));                // 9: map_update_elem
  ld_map(p, 1);                        // 10-11
  p.push_back(mov64_reg(2, 10));       // 12
  p.push_back(alu64_imm(ADD, 2, -4));  // 13: the stack is preserved
  p.push_back(call(3));                // 14: map_delete_elem
  p.push_back(mov64_imm(0, 2));        // 15
  p.push_back(exit_insn());            // 16
  Maps m = counts();
  EXPECT_EQ(check_maps(p, m, {{0, 1}, {10, 1}}).status, VEP_ACCEPTED);
  // The value buffer must hold value_size = 8 bytes.
  Prog q = p;
  q[3] = st(W, 10, -16, 42);
  EXPECT_REJECTED(check_maps(q, m, {{0, 1}, {10, 1}}), 9,
                  "too-small or uninitialised buffer (value)");
  // Flags must be a scalar.
  q = p;
  q[8] = mov64_reg(4, 10);
  EXPECT_REJECTED(check_maps(q, m, {{0, 1}, {10, 1}}), 9, "r4 is not a scalar");
}

TEST(Maps, ScalarHelpersAndCalleeSavedRegisters) {
  Prog p = {mov64_imm(6, 7),      // 0
            st(DW, 10, -8, 9),    // 1
            call(5),              // 2: ktime_get_ns
            call(8),              // 3: get_smp_processor_id
            mov64_reg(7, 0),      // 4
            call(7),              // 5: get_prandom_u32
            alu64_reg(ADD, 0, 6), // 6: r0 = rand + 7
            ldx(DW, 1, 10, -8),   // 7: stack preserved: 9
            alu64_reg(ADD, 0, 1), // 8: r0 = rand + 16
            exit_insn()};
  std::vector<Post> posts;
  posts.push_back(post_range(16, ((__int128)1 << 32) + 15));
  Outcome o = round_trip(xdp_object(p), posts);
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  posts.clear();
  posts.push_back(post_range(16, ((__int128)1 << 32) + 14));
  EXPECT_REJECTED(round_trip(xdp_object(p), posts), 9, "postcondition of");
}

// ---- rejected: null, bounds, leaks
// ----------------------------------------------
TEST(Maps, NullDereferenceRejected) {
  Prog p = lookup();
  p.push_back(ldx(DW, 0, 0, 0)); // 6: no null check
  p.push_back(exit_insn());
  EXPECT_REJECTED(check_maps(p, counts()), 6,
                  "mem_base: map value may be null");
  // On the null side r0 is the scalar 0.
  p = lookup();
  p.push_back(jmp_imm(JNE, 0, 0, 2)); // 6: if r0 != 0 -> 9
  p.push_back(ldx(DW, 0, 0, 0));      // 7: null side
  p.push_back(exit_insn());
  p.push_back(mov64_imm(0, 0));
  p.push_back(exit_insn());
  EXPECT_REJECTED(check_maps(p, counts()), 7, "memory access through a scalar");
}

TEST(Maps, OtherUsesOfANullableValueRejected) {
  const char *why = "map value may be null";
  std::vector<std::pair<Insn, const char *>> uses = {
      {alu64_imm(ADD, 0, 4), why},  {alu32_reg(MOV, 1, 0), why},
      {stx(W, 10, 0, -16), why},    {raw(JMP32 | K | JEQ, 0, 0, 1, 0), why},
      {jmp_imm(JEQ, 0, 1, 1), why}, {jmp_imm(JGT, 0, 0, 1), why},
      {jmp_reg(JEQ, 0, 6, 1), why}, {jmp_reg(JEQ, 6, 0, 1), why},
  };
  for (auto &u : uses) {
    Prog p = lookup();
    p.push_back(mov64_imm(6, 0)); // 6
    p.push_back(u.first);         // 7
    p.push_back(mov64_imm(0, 0));
    p.push_back(exit_insn());
    EXPECT_REJECTED(check_maps(p, counts()), 7, u.second);
  }
  // Returning it.
  Prog p = lookup();
  p.push_back(exit_insn());
  EXPECT_REJECTED(check_maps(p, counts()), 6, "exit_r0");
}

TEST(Maps, OutOfBoundsAccessRejected) {
  Maps m = counts();
  // value_size - size + 1 = 5 for a 4-byte access.
  EXPECT_EQ(check_maps(lookup_then({ldx(W, 1, 0, 4)}), m).status, VEP_ACCEPTED);
  EXPECT_REJECTED(check_maps(lookup_then({ldx(W, 1, 0, 5)}), m), 7,
                  "mem_map: ACCESS_HIGH not proved");
  EXPECT_REJECTED(check_maps(lookup_then({st(DW, 0, 1, 0)}), m), 7,
                  "ACCESS_HIGH not proved");
  EXPECT_REJECTED(check_maps(lookup_then({ldx(B, 1, 0, -1)}), m), 7,
                  "mem_map: ACCESS_LOW not proved");
  EXPECT_REJECTED(check_maps(lookup_then({atomic_add(DW, 0, 6, 8)}), m), 7,
                  "reg_read"); // r6 uninitialised: read before bounds
  Prog p = lookup_then({mov64_imm(6, 1), atomic_add(DW, 0, 6, 8)});
  EXPECT_REJECTED(check_maps(p, m), 8, "ACCESS_HIGH not proved");
}

TEST(Maps, PointerLeakedIntoMapValueRejected) {
  Maps m = counts();
  EXPECT_REJECTED(check_maps(lookup_then({stx(DW, 0, 10, 0)}), m), 7,
                  "mem_map: pointer leaked into a map value");
  EXPECT_REJECTED(check_maps(lookup_then({atomic_add(DW, 0, 10, 0)}), m), 7,
                  "pointer leaked into a map value");
  EXPECT_REJECTED(check_maps(lookup_then({stx(DW, 0, 0, 0)}), m), 7,
                  "pointer leaked into a map value");
}

// `__sync_fetch_and_add(&h[i], 1)` with i = a byte & 15: r3 = i << shift,
// r3 += the value pointer, atomic add at r3 + off.
static Prog atomic_at_index(int32_t shift, int16_t off, uint8_t size = DW) {
  return lookup_then({ldx(B, 3, 0, 0), alu64_imm(AND, 3, 15),
                      alu64_imm(LSH, 3, shift), alu64_reg(ADD, 3, 0),
                      mov64_imm(6, 1), atomic_add(size, 3, 6, off)});
}

TEST(Maps, AtomicAddAtAVariableAlignedOffset) {
  Maps m;
  m.add("hist", ARRAY, 4, 256);
  // 8i and 8i + 128 are multiples of 8, 8i + 4 and 4i are multiples of 4.
  EXPECT_EQ(check_maps(atomic_at_index(3, 0), m).status, VEP_ACCEPTED);
  EXPECT_EQ(check_maps(atomic_at_index(3, 128), m).status, VEP_ACCEPTED);
  EXPECT_EQ(check_maps(atomic_at_index(3, 4, W), m).status, VEP_ACCEPTED);
  EXPECT_EQ(check_maps(atomic_at_index(2, 0, W), m).status, VEP_ACCEPTED);
  // 8i + 4 for 8 bytes, 4i for 8 bytes (odd i), 8i - 2 for 4 bytes: each
  // misaligned for some i, rejected before any question.
  EXPECT_REJECTED(check_maps(atomic_at_index(3, 4), m), 12,
                  "misaligned atomic operation");
  EXPECT_REJECTED(check_maps(atomic_at_index(2, 0), m), 12,
                  "misaligned atomic operation");
  EXPECT_REJECTED(check_maps(atomic_at_index(3, -2, W), m), 12,
                  "misaligned atomic operation");
  // Aligned but past the value's end for i = 15: 8*15 + 136 + 8 > 256.
  EXPECT_REJECTED(check_maps(atomic_at_index(3, 136), m), 12,
                  "ACCESS_HIGH not proved");
}

TEST(Maps, AtomicRestrictions) {
  Maps m = counts();
  Prog p = lookup_then({mov64_imm(6, 1), atomic_add(W, 0, 6, 2)});
  EXPECT_REJECTED(check_maps(p, m), 8, "misaligned atomic operation");
  p = lookup_then({ldx(B, 3, 0, 0), alu64_imm(AND, 3, 4), alu64_reg(ADD, 3, 0),
                   mov64_imm(6, 1), atomic_add(W, 3, 6, 0)});
  EXPECT_REJECTED(check_maps(p, m), 11, "misaligned atomic operation");
  p = lookup_then({mov64_imm(6, 1), atomic_add(B, 0, 6, 0)});
  EXPECT_REJECTED(check_maps(p, m), 8, "atomic operation of 1 or 2 bytes");
  // The other operations, the stack and CMPXCHG: atomics_test.cc.
}

// ---- rejected: helper arguments
// ---------------------------------------------------
TEST(Maps, KeyBufferRejected) {
  Maps big; // 8-byte keys: 4 bytes at r10 - 4 are too few
  big.add("counts", HASH, 8, 8);
  EXPECT_REJECTED(check_maps(lookup_then({}), big), 5,
                  "r2: helper given a too-small or uninitialised buffer (key)");
  // Uninitialised key.
  Prog p = lookup_then({});
  p[2] = mov64_imm(0, 0);
  EXPECT_REJECTED(check_maps(p, counts()), 5,
                  "too-small or uninitialised buffer (key)");
  // Partly initialised 8-byte key.
  p = lookup_then({});
  p[4] = alu64_imm(ADD, 2, -8);
  EXPECT_REJECTED(check_maps(p, big), 5,
                  "too-small or uninitialised buffer (key)");
  // A key holding a spilled pointer.
  p = lookup_then({});
  p[2] = stx(DW, 10, 10, -8);
  p[4] = alu64_imm(ADD, 2, -8);
  EXPECT_REJECTED(check_maps(p, big), 5,
                  "too-small or uninitialised buffer (key)");
  // Not a stack pointer.
  p = lookup_then({});
  p[3] = mov64_imm(2, 0);
  p[4] = mov64_imm(2, 0);
  EXPECT_REJECTED(check_maps(p, counts()), 5, "buffer (key)");
}

TEST(Maps, MapValueAsHelperBuffer) {
  // Look up in map 0, then update map 1 with key and value inside the value
  // found (a 4-byte key at offset `key_off`, an 8-byte value at 0).
  auto prog = [](int32_t key_off, bool null_check = true) {
    Prog p = lookup();                  // 0-5
    p.push_back(jmp_imm(JEQ, 0, 0, 9)); // 6: -> 16
    if (!null_check)
      p.back() = mov64_imm(5, 0);
    p.push_back(mov64_reg(6, 0));          // 7
    p.push_back(raw(LD | DW, 1, 0, 0, 0)); // 8-9: r1 = map 1
    p.push_back(raw(0, 0, 0, 0, 0));
    p.push_back(mov64_reg(2, 6));            // 10
    p.push_back(alu64_imm(ADD, 2, key_off)); // 11
    p.push_back(mov64_reg(3, 6));            // 12
    p.push_back(mov64_imm(4, 0));            // 13
    p.push_back(call(2));                    // 14
    p.push_back(mov64_imm(0, 0));            // 15
    p.push_back(exit_insn());                // 16
    return p;
  };
  Maps m = counts();
  m.add("other", HASH, 4, 8);
  std::vector<Reloc> relocs = {{0, 1}, {8, 2}};
  EXPECT_EQ(check_maps(prog(0), m, relocs).status, VEP_ACCEPTED);
  EXPECT_EQ(check_maps(prog(4), m, relocs).status, VEP_ACCEPTED);
  EXPECT_REJECTED(check_maps(prog(5), m, relocs), 14,
                  "helper_call: ACCESS_HIGH not proved");
  EXPECT_REJECTED(check_maps(prog(-1), m, relocs), 14,
                  "helper_call: ACCESS_LOW not proved");
  // The value must fit too: map 1 with 16-byte values.
  Maps wide = counts();
  wide.add("other", HASH, 4, 16);
  EXPECT_REJECTED(check_maps(prog(0), wide, relocs), 14,
                  "helper_call: ACCESS_HIGH not proved");
  // A nullable value is not a buffer.
  Prog p = prog(0, false);
  p[10] = mov64_reg(2, 0); // r2 = r0, still nullable (r6 too)
  p[11] = mov64_imm(5, 0);
  p[12] = mov64_reg(3, 10);
  EXPECT_REJECTED(check_maps(p, m, relocs), 14,
                  "too-small or uninitialised buffer (key)");
}

TEST(Maps, MapArgumentRejected) {
  Prog p = lookup_then({});
  p[0] = mov64_imm(1, 0);
  p[1] = mov64_imm(1, 0);
  EXPECT_REJECTED(check_maps(p, counts(), {}), 5,
                  "map_lookup_elem: r1 is not a map pointer");
  // r1 as at the entry: the context.
  p = lookup_then({});
  p[0] = mov64_imm(3, 0);
  p[1] = mov64_imm(3, 0);
  EXPECT_REJECTED(check_maps(p, counts(), {}), 5, "r1 is not a map pointer");
  // Uninitialised r1: clobbered by an earlier call.
  p = lookup_then({});
  p[0] = mov64_imm(3, 0);
  p[1] = mov64_imm(3, 0);
  p.insert(p.begin(), call(5));
  EXPECT_REJECTED(check_maps(p, counts(), {}), 6,
                  "reg_read: read of uninitialised register r1");
}

TEST(Maps, UnknownHelpersAndCallsRejected) {
  for (int32_t id : {0, 4, 13, 1000, -1}) {
    Outcome o = round_trip(xdp_object({call(id), exit_insn()}));
    EXPECT_REJECTED(o, 0, "helper_call: unknown helper id");
  }
  EXPECT_REJECTED(round_trip(xdp_object({call(1, 1), exit_insn()})), 0,
                  "elf_relocations: call without relocation");
  EXPECT_REJECTED(round_trip(xdp_object({call(1, 2), exit_insn()})), 0,
                  "kfunc call (not supported yet)");
  EXPECT_REJECTED(round_trip(xdp_object({call(1, 3), exit_insn()})), 0,
                  "bad CALL fields");
  EXPECT_REJECTED(
      round_trip(xdp_object({raw(JMP | CALL, 0, 0, 1, 5), exit_insn()})), 0,
      "bad CALL fields");
  EXPECT_REJECTED(
      round_trip(xdp_object({raw(JMP | CALL, 1, 0, 0, 5), exit_insn()})), 0,
      "bad CALL fields");
}

TEST(Maps, CallerSavedRegistersClobbered) {
  for (uint8_t r = 1; r <= 5; r++) {
    Prog p = {mov64_imm(1, 1), mov64_imm(2, 2), mov64_imm(3, 3),
              mov64_imm(4, 4), mov64_imm(5, 5), call(5),
              mov64_reg(0, r), exit_insn()};
    EXPECT_REJECTED(round_trip(xdp_object(p)), 6,
                    "reg_read: read of uninitialised register");
  }
}

// ---- rejected: map pointers
// ------------------------------------------------------
TEST(Maps, MapPointerMisuseRejected) {
  std::vector<std::pair<Insn, const char *>> uses = {
      {alu64_imm(ADD, 1, 8), "ptr_alu"},
      {alu64_reg(ADD, 3, 1), "ptr_alu"},
      {alu64_reg(SUB, 1, 3), "ptr_alu"},
      {ldx(DW, 0, 1, 0), "access through a map pointer"},
      {st(DW, 1, 0, 0), "access through a map pointer"},
      {stx(DW, 10, 1, -8), "map pointer spilled"},
      {jmp_imm(JEQ, 1, 0, 0), "null_check: comparison of a map pointer"},
      {jmp_reg(JGT, 3, 1, 0), "comparison of a map pointer"},
  };
  for (auto &u : uses) {
    Prog p;
    ld_map(p, 1);                 // 0-1
    p.push_back(mov64_imm(3, 1)); // 2
    p.push_back(u.first);         // 3
    p.push_back(mov64_imm(0, 0));
    p.push_back(exit_insn());
    EXPECT_REJECTED(check_maps(p, counts()), 3, u.second);
  }
  Prog p;
  ld_map(p, 1);
  p.push_back(mov64_reg(0, 1)); // a copy is fine; returning it is not
  p.push_back(exit_insn());
  EXPECT_REJECTED(check_maps(p, counts()), 3, "exit_r0");
}

// ---- relocations
// ------------------------------------------------------------------
TEST(Maps, RelocationsRejected) {
  Maps m = counts();
  Prog p = lookup_then({});
  EXPECT_EQ(check_maps(p, m).status, VEP_ACCEPTED);
  // Unknown map name.
  EXPECT_REJECTED(check_maps(p, m, {{0, 1}}, {{"other", 2, 0}}), 0,
                  "elf_relocations: relocation against a map that is not in "
                  "the map table");
  // Symbol defined elsewhere than .maps (the program section; undefined).
  EXPECT_REJECTED(check_maps(p, m, {{0, 1}}, {{"counts", 1, 0}}), 0,
                  "not defined in section .maps");
  EXPECT_REJECTED(check_maps(p, m, {{0, 1}}, {{"counts", 0, 0}}), 0,
                  "not defined in section .maps");
  EXPECT_REJECTED(check_maps(p, m, {{0, 1}}, {{"counts", 0xfff1, 0}}), 0,
                  "not defined in section .maps");
  // Wrong relocation type.
  EXPECT_REJECTED(check_maps(p, m, {{0, 1, 2}}), 0,
                  "relocation type is not R_BPF_64_64");
  EXPECT_REJECTED(check_maps(p, m, {{0, 1, 10}}), 0,
                  "relocation type is not R_BPF_64_64");
  // Not an lddw; the second slot; out of range; twice.
  EXPECT_REJECTED(check_maps(p, m, {{2, 1}}), 2,
                  "not an lddw with src 0 and second imm 0");
  EXPECT_REJECTED(check_maps(p, m, {{1, 1}}), 1, "not an lddw");
  EXPECT_REJECTED(check_maps(p, m, {{(uint64_t)p.size(), 1}}), 0,
                  "relocation offset is not an lddw");
  EXPECT_REJECTED(check_maps(p, m, {{0, 1}, {0, 1}}), 0,
                  "instruction relocated twice");
  // lddw with a nonzero immediate or source.
  Prog q = p;
  q[0].imm = 8;
  EXPECT_REJECTED(check_maps(q, m), 0, "map relocation with a nonzero imm");
  q = p;
  q[1].imm = 1;
  EXPECT_REJECTED(check_maps(q, m), 0, "not an lddw with src 0 and second imm 0");
  q = p;
  q[0].src = 1; // BPF_PSEUDO_MAP_FD
  EXPECT_REJECTED(check_maps(q, m), 0, "not an lddw with src 0 and second imm 0");
  // Symbol index 0 or out of range.
  EXPECT_REJECTED(check_maps(p, m, {{0, 0}}), 0, "symbol index out of range");
  EXPECT_REJECTED(check_maps(p, m, {{0, 2}}), 0, "symbol index out of range");
  // Maps of any type relocate; a helper refuses the types its row does not
  // name (an LPM trie; a type past 31), helpers_test.cc has the rest.
  for (uint32_t type : {11u, 40u}) {
    Maps other;
    other.add("counts", type, 4, 8);
    EXPECT_REJECTED(check_maps(p, other), 5,
                    "r1 is a map of a type the helper does not take");
  }
  // Without a table the relocation names no map.
  EXPECT_REJECTED(round_trip(map_object(p, {{0, 1}}, map_symbols({"counts"}))),
                  0, "not in the map table");
}

TEST(Maps, MalformedSymbolTablesRejected) {
  Maps m = counts();
  Prog p = lookup_then({});
  auto obj = map_object(p, {{0, 1}}, map_symbols({"counts"}));
  // Section headers: index 3 is .symtab, 5 the relocations.
  auto shdr = [&](int i) {
    uint64_t shoff = 0;
    for (int b = 0; b < 8; b++)
      shoff |= (uint64_t)obj[40 + b] << (8 * b);
    return shoff + 64 * i;
  };
  auto o = obj;
  o[shdr(5) + 40] = 0; // sh_link = 0: no symbol table
  EXPECT_REJECTED(
      check_proof(o, write_proof(o, {}, 0, {}, m.get()).proof, m.get()), 0,
      "without a symbol table");
  o = obj;
  o[shdr(5) + 40] = 1; // sh_link: the program, not a symbol table
  EXPECT_REJECTED(round_trip(o, {}, {}, m.get()), 0, "malformed symbol table");
  o = obj;
  o[shdr(3) + 32] -= 1; // symtab size not a multiple of 24
  EXPECT_REJECTED(round_trip(o, {}, {}, m.get()), 0, "malformed symbol table");
  o = obj;
  o[shdr(3) + 40] = 1; // symtab's string table: the program
  EXPECT_REJECTED(round_trip(o, {}, {}, m.get()), 0, "malformed symbol name");
  o = obj;
  o[shdr(5) + 32] = 15; // relocation section size 15
  EXPECT_REJECTED(round_trip(o, {}, {}, m.get()), 0, "multiple of 16");
  // A relocation for a program as SHT_RELA.
  o = obj;
  o[shdr(5) + 4] = 4;
  EXPECT_REJECTED(round_trip(o, {}, {}, m.get()), 0, "SHT_RELA");
}

// ---- the map table
// -------------------------------------------------------------
TEST(Maps, MapTableValidated) {
  Prog p = lookup_then({});
  auto bad = [&](Maps m, const char *why) {
    Outcome o = round_trip(map_object(p, {{0, 1}}, map_symbols({"counts"})), {},
                           {}, m.get());
    EXPECT_EQ(o.status, VEP_REJECTED) << o.reason;
    EXPECT_TRUE(contains(o.reason, std::string("map_table: ") + why))
        << o.reason;
  };
  Maps m = counts();
  m.add("counts", HASH, 4, 4);
  bad(m, "two maps have the same name");
  m = Maps();
  m.add("counts", ARRAY, 0, 8);
  bad(m, "a key or value size");
  m = Maps();
  m.add("counts", ARRAY, 4, 0);
  bad(m, "a key or value size");
  m = Maps();
  m.add("counts", ARRAY, 4, VEP_MAX_MAP_BYTES + 1);
  bad(m, "a key or value size");
  m = Maps();
  m.add("counts", ARRAY, VEP_MAX_MAP_BYTES + 1, 4);
  bad(m, "a key or value size");
  m = Maps();
  m.add("counts", ARRAY, 4, 8, 0);
  bad(m, "a map has max_entries 0");
  m = Maps();
  m.add("counts", 27 /* RINGBUF */, 0, 0, 0);
  bad(m, "a map has max_entries 0");
  m = Maps();
  m.add("", ARRAY, 4, 8);
  bad(m, "a map name is empty or not NUL-terminated");
  m = counts();
  memset(m.defs[0].name, 'a', sizeof m.defs[0].name);
  bad(m, "a map name is empty or not NUL-terminated");
  m = Maps();
  for (int i = 0; i <= VEP_MAX_MAPS; i++)
    m.add("m" + std::to_string(i), ARRAY, 4, 8);
  bad(m, "more than 256 maps");
  vep_map_table missing{1, nullptr};
  Outcome o = round_trip(map_object(p, {{0, 1}}, map_symbols({"counts"})), {},
                         {}, &missing);
  EXPECT_TRUE(contains(o.reason, "map_table: maps missing")) << o.reason;
  // The largest sizes are fine; the second of two maps is found by name.
  m = Maps();
  m.add("other", HASH, VEP_MAX_MAP_BYTES, VEP_MAX_MAP_BYTES);
  m.add("counts", ARRAY, 4, 8);
  o = round_trip(map_object(lookup_then({ldx(DW, 1, 0, 0)}), {{0, 2}},
                            map_symbols({"other", "counts"})),
                 {}, {}, m.get());
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  // ... and its value size is the one used.
  o = round_trip(map_object(lookup_then({ldx(DW, 1, 0, 8)}), {{0, 2}},
                            map_symbols({"other", "counts"})),
                 {}, {}, m.get());
  EXPECT_REJECTED(o, 7, "ACCESS_HIGH not proved");
}

// ---- cut points
// -------------------------------------------------------------------
namespace {
// lookup; 6: if r0 == 0 -> exit; 7: r6 = r0; 8: ja +0; 9 (cut): r1 = *(u64 *)
// (r6 + 0); 10: r0 = 0; 11: exit.
Prog join_prog() {
  Prog p = lookup();
  p.push_back(jmp_imm(JEQ, 0, 0, 4)); // 6: -> 11
  p.push_back(mov64_reg(6, 0));       // 7
  p.push_back(ja(0));                 // 8
  p.push_back(ldx(DW, 1, 6, 0));      // 9: cut point
  p.push_back(mov64_imm(0, 0));       // 10
  p.push_back(exit_insn());           // 11
  return p;
}
std::vector<CutTable> map_cut(uint32_t map, Form off = form(0)) {
  Cut k;
  k.insn = 9;
  k.bindings = {bind(VEP_BIND_MAP_VALUE, 6, std::move(off), map)};
  CutTable t;
  t.cuts = {k};
  return {t};
}
} // namespace

TEST(Maps, MapValueBindingAtCutPoint) {
  Maps m = counts();
  Outcome o = check_maps(join_prog(), m, {{0, 1}}, {}, {}, map_cut(0));
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  // An offset the path cannot prove.
  o = check_maps(join_prog(), m, {{0, 1}}, {}, {}, map_cut(0, form(1)));
  EXPECT_REJECTED(o, 9, "cut_binding");
  // Offset 1 is bound and proved when r6 = r0 + 1; the access then fails.
  Prog p = join_prog();
  p[8] = alu64_imm(ADD, 6, 1);
  o = check_maps(p, m, {{0, 1}}, {}, {}, map_cut(0, form(1)));
  EXPECT_REJECTED(o, 9, "mem_map: ACCESS_HIGH not proved");
  // Index out of the table.
  o = check_maps(join_prog(), m, {{0, 1}}, {}, {}, map_cut(1));
  EXPECT_REJECTED(o, 9, "cut_assertion: cut point 9: map index not in the map");
  // Another map's value does not match.
  Maps two = counts();
  two.add("other", HASH, 4, 64);
  o = check_maps(join_prog(), two, {{0, 1}}, {}, {}, map_cut(1));
  EXPECT_REJECTED(o, 9,
                  "r6 is a map value pointer of map 0, the assertion "
                  "binds a map value pointer");
  // A map index on another kind.
  auto cuts = map_cut(0);
  cuts[0].cuts[0].bindings[0].kind = VEP_BIND_SCALAR;
  o = check_maps(join_prog(), m, {{0, 1}}, {}, {}, cuts);
  EXPECT_EQ(o.status, VEP_REJECTED);
  EXPECT_TRUE(contains(o.reason, "cut_match")) << o.reason;
  // (Not expressible in a file: the index is encoded for map values only.)
  cuts[0].cuts[0].bindings[0].map = 1;
  o = write_proof(map_object(join_prog(), {{0, 1}}, map_symbols({"counts"})),
                  {}, 0, cuts, two.get());
  EXPECT_REJECTED(o, 9, "set for a kind without one");
}

TEST(Maps, MapValueBindingEncoding) {
  // The map index is encoded for map value bindings only; one past the
  // largest index is malformed in a file.
  Maps m = counts();
  auto obj = map_object(join_prog(), {{0, 1}}, map_symbols({"counts"}));
  Outcome w = write_proof(obj, {}, 0, map_cut(0), m.get());
  ASSERT_EQ(w.status, VEP_ACCEPTED) << w.reason;
  EXPECT_EQ(check_proof(obj, w.proof, m.get()).status, VEP_ACCEPTED);
  Maps many;
  for (int i = 0; i < VEP_MAX_MAPS; i++)
    many.add(i ? "m" + std::to_string(i) : "counts", ARRAY, 4, 8);
  Outcome big = write_proof(obj, {}, 0, map_cut(VEP_MAX_MAPS - 1), many.get());
  // Map 255 is an array of 8-byte values too, but r6 points into map 0.
  EXPECT_EQ(big.status, VEP_REJECTED);
  EXPECT_TRUE(contains(big.reason, "cut_match")) << big.reason;
  // The reader decodes index 255 the same way.
  Outcome back = check_proof(obj, big.proof, many.get());
  EXPECT_EQ(back.reason, big.reason);
  // Binding: kind 5, where 6 (zigzag 12), map 255 (0xff 0x01), form 0
  // (0x00 0x00). Patch the index to 256 (0x80 0x02).
  std::vector<uint8_t> proof = big.proof;
  const uint8_t pattern[] = {5, 12, 0xff, 0x01, 0, 0};
  bool patched = false;
  for (size_t i = 0; i + sizeof pattern <= proof.size() && !patched; i++)
    if (memcmp(&proof[i], pattern, sizeof pattern) == 0)
      proof[i + 2] = 0x80, proof[i + 3] = 0x02, patched = true;
  ASSERT_TRUE(patched);
  Outcome o = check_proof(obj, proof, many.get());
  EXPECT_EQ(o.status, VEP_MALFORMED) << o.reason;
}

// ---- a clang-compiled object, libbpf's map table, vep-check
// ---------------------

TEST(MapsCli, ClangObjectWithLibbpfTable) {
#ifndef VEP_MAP_COUNTER_OBJ
  GTEST_SKIP() << "no clang for -target bpf";
#else
  std::vector<uint8_t> obj = read_bytes(VEP_MAP_COUNTER_OBJ);
  ASSERT_FALSE(obj.empty());
  Maps m;
  std::string why;
  ASSERT_TRUE(m.read(obj, why)) << why;
  ASSERT_EQ(m.defs.size(), 1u);
  EXPECT_STREQ(m.defs[0].name, "counts");
  EXPECT_EQ(m.defs[0].type, ARRAY);
  EXPECT_EQ(m.defs[0].key_size, 4u);
  EXPECT_EQ(m.defs[0].value_size, 8u);
  EXPECT_EQ(m.defs[0].max_entries, 256u);
  Outcome o = round_trip(obj, {}, {}, m.get());
  ASSERT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  std::string obj_path = temp_file(obj), proof_path = temp_file(o.proof), out;
  EXPECT_EQ(vep_check(obj_path + " " + proof_path, out), 0) << out;
  EXPECT_NE(out.find("vep-check: accepted"), std::string::npos) << out;
  // A smaller value in the table: the atomic add no longer fits.
  m.defs[0].value_size = 4;
  o = round_trip(obj, {}, {}, m.get());
  EXPECT_EQ(o.status, VEP_REJECTED) << o.reason;
  EXPECT_TRUE(contains(o.reason, "mem_map: ACCESS_HIGH not proved"))
      << o.reason;

  // The map's ELF symbol renamed: the relocation's symbol no longer names
  // the map at its offset. The front end refuses the object (libbpf 1.1
  // already does, finding no symbol for the BTF variable `counts`; else
  // vep_map_table_from_object's own name/offset check would).
  std::string table_why = "differs from the map at its offset";
  std::vector<uint8_t> renamed = obj;
  const char name[] = "counts";
  size_t at = std::string::npos;
  for (size_t i = 0; i + sizeof name <= renamed.size(); i++)
    if (memcmp(&renamed[i], name, sizeof name) == 0)
      at = i; // the last one: the symbol string table follows .BTF
  ASSERT_NE(at, std::string::npos);
  renamed[at + 5] = 'z';
  Maps from_renamed;
  EXPECT_FALSE(from_renamed.read(renamed, why));
  EXPECT_TRUE(contains(why, table_why) || contains(why, "libbpf cannot open"))
      << why;
  std::string renamed_path = temp_file(renamed);
  EXPECT_EQ(vep_check(renamed_path + " " + proof_path, out), 2) << out;
  EXPECT_NE(out.find("cannot read the map table"), std::string::npos) << out;

  // A hand-built object with `.maps` but no BTF: libbpf refuses it.
  std::string bare =
      temp_file(map_object(lookup_then({}), {{0, 1}}, map_symbols({"counts"})));
  EXPECT_EQ(vep_check(bare + " " + proof_path, out), 2) << out;
  EXPECT_NE(out.find("cannot read the map table"), std::string::npos) << out;
  for (auto &p : {obj_path, proof_path, renamed_path, bare})
    std::remove(p.c_str());
#endif
}

TEST(Maps, NullCheckRefinesOnlyItsOwnLookup) {
  Prog p = lookup();            // 0-5
  p.push_back(mov64_reg(6, 0)); // 6: first value (may be null)
  Prog again = lookup();        // 7-12: second lookup
  p.insert(p.end(), again.begin(), again.end());
  p.push_back(jmp_imm(JEQ, 0, 0, 2)); // 13: checks the second only
  p.push_back(ldx(DW, 1, 0, 0));      // 14: fine
  p.push_back(ldx(DW, 1, 6, 0));      // 15: the first may still be null
  p.push_back(mov64_imm(0, 0));
  p.push_back(exit_insn());
  Outcome o = check_maps(p, counts(), {{0, 1}, {7, 1}});
  EXPECT_REJECTED(o, 15, "mem_base: map value may be null");
  p[15] = mov64_imm(1, 0);
  EXPECT_EQ(check_maps(p, counts(), {{0, 1}, {7, 1}}).status, VEP_ACCEPTED);
}
