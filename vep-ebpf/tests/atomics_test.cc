// atomics_test.cc - The atomic operations (docs/proof-format.md 7.4
// mem_atomic, 9.5) and lddw's pseudo map sources (7.3, lddw_pseudo): each
// accepted program beside a rejected twin.
#include "test_support.h"

#include <gtest/gtest.h>

using namespace vt;

namespace {

enum : uint32_t { HASH = 1, ARRAY = 2, PERF_ARRAY = 4, RINGBUF = 27 };
constexpr uint8_t ATOMIC = 0xc0;
// imm of the atomic operations (RFC 9669): the ALU ones, each also with
// FETCH (| 1), and XCHG, CMPXCHG.
constexpr int32_t FETCH = 0x01, XCHG = 0xe1, CMPXCHG = 0xf1;
constexpr __int128 U32_MAX = 0xffffffff;

Insn atomic(uint8_t size, uint8_t dst, uint8_t src, int16_t off, int32_t op) {
  return raw(STX | ATOMIC | size, dst, src, off, op);
}

// r<dst> = the pseudo lddw with source `src` (1, 2, 5, 6), map index `map`
// and second imm `next`: two slots.
void ld_pseudo(Prog &p, uint8_t dst, uint8_t src, int32_t map, int32_t next) {
  p.push_back(raw(LD | DW, dst, src, 0, map));
  p.push_back(raw(0, 0, 0, 0, next));
}

// 0-1: r6 = &value of map 0 + off (BPF_PSEUDO_MAP_VALUE); 2: r1 = 5;
// 3..: body; r0 = r1 unless the body set r0; exit.
Prog on_value(std::vector<Insn> body, int32_t off = 0, bool set_r0 = true) {
  Prog p;
  ld_pseudo(p, 6, 2, 0, off);
  p.push_back(mov64_imm(1, 5));
  p.insert(p.end(), body.begin(), body.end());
  if (set_r0)
    p.push_back(mov64_reg(0, 1));
  p.push_back(exit_insn());
  return p;
}

// Map 0: an array of one 16-byte value.
Maps value16(uint32_t type = ARRAY, uint32_t flags = 0) {
  Maps m;
  m.add("v", type, type == RINGBUF ? 0 : 4, type == RINGBUF ? 0 : 16, 1);
  m.defs.back().flags = flags;
  return m;
}

Outcome check(const Prog &p, Maps m, std::vector<Post> posts = {}) {
  return round_trip(xdp_object(p), std::move(posts), {}, m.get());
}

const int32_t kOps[] = {0x00, 0x40, 0x50, 0xa0};

} // namespace

// ---- atomics on a map value
// --------------------------------------------------

TEST(Atomics, EveryOperationOnAMapValue) {
  for (uint8_t size : {W, DW}) {
    for (int32_t op : kOps)
      for (int32_t fetch : {0, FETCH})
        EXPECT_EQ(
            check(on_value({atomic(size, 6, 1, 8, op | fetch)}), value16())
                .status,
            VEP_ACCEPTED)
            << op << " " << fetch;
    EXPECT_EQ(check(on_value({atomic(size, 6, 1, 8, XCHG)}), value16()).status,
              VEP_ACCEPTED);
    EXPECT_EQ(check(on_value({mov64_imm(0, 0), atomic(size, 6, 1, 8, CMPXCHG)},
                             0, false),
                    value16())
                  .status,
              VEP_ACCEPTED);
  }
}

// A FETCH form loads the old value into src: not src's old value 5, and
// below 2^32 for a 32-bit operation (zero-extended). Without FETCH, src
// keeps its value.
TEST(Atomics, FetchLoadsAFreshValueIntoSrc) {
  std::vector<Post> five = {post_range(5, 5)};
  for (int32_t op : kOps) {
    EXPECT_EQ(
        check(on_value({atomic(DW, 6, 1, 8, op)}), value16(), five).status,
        VEP_ACCEPTED);
    EXPECT_REJECTED(
        check(on_value({atomic(DW, 6, 1, 8, op | FETCH)}), value16(), five), 5,
        "postcondition of");
  }
  EXPECT_REJECTED(check(on_value({atomic(DW, 6, 1, 8, XCHG)}), value16(), five),
                  5, "postcondition of");
  std::vector<Post> u32 = {post_range(0, U32_MAX)};
  EXPECT_EQ(check(on_value({atomic(W, 6, 1, 8, 0xa0 | FETCH)}), value16(), u32)
                .status,
            VEP_ACCEPTED);
  EXPECT_EQ(check(on_value({atomic(W, 6, 1, 8, XCHG)}), value16(), u32).status,
            VEP_ACCEPTED);
  EXPECT_REJECTED(
      check(on_value({atomic(DW, 6, 1, 8, 0xa0 | FETCH)}), value16(), u32), 5,
      "postcondition of");
}

// CMPXCHG compares R0 (an initialised scalar) and loads the old value into
// it: a fresh value (not R0's 0), below 2^32 for 32 bits.
TEST(Atomics, CmpxchgNeedsAScalarR0AndReloadsIt) {
  Prog w = on_value({mov64_imm(0, 0), atomic(W, 6, 1, 8, CMPXCHG)}, 0, false);
  Prog dw = on_value({mov64_imm(0, 0), atomic(DW, 6, 1, 8, CMPXCHG)}, 0, false);
  EXPECT_EQ(check(w, value16(), {post_range(0, U32_MAX)}).status, VEP_ACCEPTED);
  EXPECT_REJECTED(check(dw, value16(), {post_range(0, U32_MAX)}), 5,
                  "postcondition of");
  EXPECT_REJECTED(check(w, value16(), {post_range(0, 0)}), 5, "postcondition of");
  EXPECT_REJECTED(check(on_value({atomic(DW, 6, 1, 8, CMPXCHG)}), value16()), 3,
                  "cmpxchg: r0 is not a scalar"); // uninitialised
  EXPECT_REJECTED(
      check(on_value({mov64_reg(0, 10), atomic(DW, 6, 1, 8, CMPXCHG)}),
            value16()),
      4, "cmpxchg: r0 is not a scalar"); // a pointer
}

TEST(Atomics, MapValueRestrictions) {
  // src a pointer: it would leak into the map, whatever the operation.
  for (int32_t op : {0x00, 0x41, XCHG})
    EXPECT_REJECTED(check(on_value({atomic(DW, 6, 6, 8, op)}), value16()), 3,
                    "pointer leaked into a map value");
  EXPECT_REJECTED(
      check(on_value({mov64_imm(0, 0), atomic(DW, 6, 6, 8, CMPXCHG)}),
            value16()),
      4, "pointer leaked into a map value");
  // A fetch into r10, 1-byte atomics, load-acquire (imm 0x100).
  EXPECT_REJECTED(check(on_value({atomic(DW, 6, 10, 8, FETCH)}), value16()), 3,
                  "r10 is read-only");
  EXPECT_REJECTED(check(on_value({atomic(B, 6, 1, 8, XCHG)}), value16()), 3,
                  "atomic operation of 1 or 2 bytes");
  EXPECT_REJECTED(check(on_value({atomic(DW, 6, 1, 8, 0x100)}), value16()), 3,
                  "not supported yet");
  // Alignment: 4 is a multiple of 4, not of 8; 2 of neither.
  EXPECT_EQ(check(on_value({atomic(W, 6, 1, 4, XCHG)}), value16()).status,
            VEP_ACCEPTED);
  EXPECT_REJECTED(check(on_value({atomic(DW, 6, 1, 4, XCHG)}), value16()), 3,
                  "misaligned atomic operation");
  EXPECT_REJECTED(check(on_value({atomic(W, 6, 1, 2, 0x41)}), value16()), 3,
                  "misaligned atomic operation");
  // Bounds: [8, 16) fits the 16-byte value, [16, 24) does not.
  EXPECT_REJECTED(check(on_value({atomic(DW, 6, 1, 16, 0x41)}), value16()), 3,
                  "ACCESS_HIGH not proved");
  // A read-only map (BPF_F_RDONLY_PROG): loads only.
  EXPECT_EQ(check(on_value({ldx(DW, 1, 6, 8)}), value16(ARRAY, 0x80)).status,
            VEP_ACCEPTED);
  EXPECT_REJECTED(
      check(on_value({atomic(DW, 6, 1, 8, 0x01)}), value16(ARRAY, 0x80)), 3,
      "store into a read-only map value");
}

// ---- atomics on the stack and elsewhere -------------------------------------

// r1 = 5; *(u64 *)(r10 - 8) = 0 (a spilled constant); body; r0 = r1; exit.
static Prog on_stack(std::vector<Insn> body) {
  Prog p = {mov64_imm(1, 5), st(DW, 10, -8, 0)};
  p.insert(p.end(), body.begin(), body.end());
  p.push_back(mov64_reg(0, 1));
  p.push_back(exit_insn());
  return p;
}

TEST(Atomics, StackBytesAreReadAndWrittenAsData) {
  // After r1 = 5 is added to the spilled 0, the slot is no longer a spill of
  // 0: a load of it is fresh (accepting [0, 0] would be unsound).
  Prog add = on_stack({atomic(DW, 10, 1, -8, 0x00), ldx(DW, 1, 10, -8)});
  EXPECT_EQ(check(add, {}).status, VEP_ACCEPTED);
  EXPECT_REJECTED(check(add, {}, {post_range(0, 0)}), 5, "postcondition of");
  // A fetch from 4 data bytes gives a fresh value below 2^32.
  Prog fetch = on_stack({atomic(W, 10, 1, -4, 0x01)});
  EXPECT_EQ(check(fetch, {}, {post_range(0, U32_MAX)}).status, VEP_ACCEPTED);
  EXPECT_REJECTED(check(fetch, {}, {post_range(5, 5)}), 4, "postcondition of");
  EXPECT_EQ(check(on_stack({mov64_imm(0, 0), atomic(DW, 10, 1, -8, CMPXCHG),
                            mov64_reg(1, 0)}),
                  {})
                .status,
            VEP_ACCEPTED);
}

TEST(Atomics, StackRestrictions) {
  // Uninitialised bytes, a spilled pointer's bytes, a pointer operand,
  // misalignment, out of the frame.
  EXPECT_REJECTED(check(on_stack({atomic(DW, 10, 1, -16, 0x00)}), {}), 2,
                  "read of uninitialised stack");
  EXPECT_REJECTED(
      check(on_stack({stx(DW, 10, 10, -8), atomic(DW, 10, 1, -8, 0x00)}), {}),
      3, "partial read of a spilled pointer");
  EXPECT_REJECTED(
      check(on_stack({stx(DW, 10, 10, -8), atomic(W, 10, 1, -4, XCHG)}), {}), 3,
      "partial read of a spilled pointer");
  EXPECT_REJECTED(check(on_stack({atomic(DW, 10, 10, -8, 0x00)}), {}), 2,
                  "pointer stored other than as an aligned 8-byte spill");
  EXPECT_REJECTED(
      check(on_stack({st(DW, 10, -16, 0), atomic(DW, 10, 1, -12, 0x00)}), {}),
      3, "misaligned atomic operation");
  EXPECT_REJECTED(check(on_stack({atomic(DW, 10, 1, 0, 0x00)}), {}), 2,
                  "stack access out of bounds");
}

TEST(Atomics, OtherRegionsRejected) {
  // The context (r1 at entry) and the packet: the kernel refuses both.
  Prog ctx = {mov64_imm(2, 1), atomic(W, 1, 2, 12, 0x00), mov64_imm(0, 0),
              exit_insn()};
  EXPECT_REJECTED(check(ctx, {}), 1,
                  "atomic operation neither on a map value nor the stack");
  Prog pkt = {ldx(W, 2, 1, 0),           ldx(W, 3, 1, 4),       mov64_reg(4, 2),
              alu64_imm(ADD, 4, 8),      jmp_reg(JGT, 4, 3, 2), mov64_imm(5, 1),
              atomic(DW, 2, 5, 0, 0x00), mov64_imm(0, 0),       exit_insn()};
  EXPECT_REJECTED(check(pkt, {}), 6,
                  "atomic operation neither on a map value nor the stack");
}

// ---- lddw pseudo sources
// -------------------------------------------------------

TEST(LddwPseudo, MapValueInsideAPlainBytesValue) {
  for (uint8_t src : {2, 6}) { // MAP_VALUE, MAP_IDX_VALUE
    Prog p;
    ld_pseudo(p, 1, src, 0, 15);
    p.push_back(ldx(B, 0, 1, 0));
    p.push_back(exit_insn());
    EXPECT_EQ(check(p, value16(), {post_range(0, 255)}).status, VEP_ACCEPTED);
    EXPECT_EQ(check(p, value16(HASH)).status, VEP_ACCEPTED);
    p[1].imm = 16; // the value's end
    EXPECT_REJECTED(check(p, value16()), 0,
                    "lddw_pseudo: offset outside the map value");
    p[1].imm = -1;
    EXPECT_REJECTED(check(p, value16()), 0, "offset outside the map value");
    p[1].imm = 0;
    EXPECT_REJECTED(check(p, value16(PERF_ARRAY)), 0,
                    "pointer into the value of a map not of a plain-bytes "
                    "type");
    EXPECT_REJECTED(check(p, value16(RINGBUF)), 0, "lddw_pseudo");
    p[0].imm = 1; // one map: index 0 only
    EXPECT_REJECTED(check(p, value16()), 0, "map index not in the map table");
    p[0].imm = -1;
    EXPECT_REJECTED(check(p, value16()), 0, "map index not in the map table");
  }
  // The pointer is the value's plus 15: one byte is left.
  Prog p;
  ld_pseudo(p, 1, 2, 0, 15);
  p.push_back(ldx(H, 0, 1, 0));
  p.push_back(exit_insn());
  EXPECT_REJECTED(check(p, value16()), 2, "ACCESS_HIGH not proved");
}

// MAP_FD and MAP_IDX load the map pointer a helper takes, never memory.
TEST(LddwPseudo, MapPointer) {
  for (uint8_t src : {1, 5}) {
    Prog p;
    ld_pseudo(p, 1, src, 0, 0);
    p.push_back(st(W, 10, -4, 0));
    p.push_back(mov64_reg(2, 10));
    p.push_back(alu64_imm(ADD, 2, -4));
    p.push_back(raw(JMP | CALL, 0, 0, 0, 1)); // map_lookup_elem
    p.push_back(mov64_imm(0, 0));
    p.push_back(exit_insn());
    EXPECT_EQ(check(p, value16()).status, VEP_ACCEPTED);
    EXPECT_EQ(check(p, value16(RINGBUF)).status, VEP_REJECTED);
    Prog deref;
    ld_pseudo(deref, 1, src, 0, 0);
    deref.push_back(ldx(W, 0, 1, 0));
    deref.push_back(exit_insn());
    EXPECT_REJECTED(check(deref, value16()), 2, "access through a map pointer");
    deref[1].imm = 4; // a map pointer has no offset
    EXPECT_REJECTED(check(deref, value16()), 0, "bad lddw fields");
  }
  for (uint8_t src : {3, 4}) { // BTF_ID, FUNC
    Prog p;
    ld_pseudo(p, 0, src, 0, 0);
    p.push_back(exit_insn());
    EXPECT_REJECTED(check(p, value16()), 0, "lddw of a BTF object or function");
  }
  Prog p;
  ld_pseudo(p, 0, 7, 0, 0);
  p.push_back(exit_insn());
  EXPECT_REJECTED(check(p, value16()), 0, "bad lddw fields");
}
