// progtype_test.cc - The tc (SCHED_CLS) and socket filter program types:
// section names, the __sk_buff context's readable and writable fields, and
// helper 26 (skb_load_bytes) (docs/proof-format.md, "Program types" and
// "Maps and helper calls").
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace vt;

namespace {

Insn call(int32_t id) { return raw(JMP | CALL, 0, 0, 0, id); }

Outcome check(const Prog &p, const std::string &section) {
  return round_trip(xdp_object(p, section));
}

// r2 = skb->data, r3 = skb->data_end; data + 14 <= data_end checked, then
// a 1-byte read at `read_off`.
Prog tc_bounded_read(int16_t read_off) {
  return {ldx(W, 2, 1, 76),       // 0: r2 = data
          ldx(W, 3, 1, 80),       // 1: r3 = data_end
          mov64_reg(4, 2),        // 2
          alu64_imm(ADD, 4, 14),  // 3
          jmp_reg(JGT, 4, 3, 2),  // 4: if data + 14 > data_end goto 7
          ldx(B, 0, 2, read_off), // 5
          exit_insn(),            // 6
          mov64_imm(0, 2),        // 7: TC_ACT_SHOT
          exit_insn()};
}

// A 4-byte load of the context field at `off`, returned.
Prog load_field(int16_t off) { return {ldx(W, 0, 1, off), exit_insn()}; }

// A 4-byte register store of 7 into the context field at `off`.
Prog store_field(int16_t off) {
  return {mov64_imm(2, 7), stx(W, 1, 2, off), mov64_imm(0, 0), exit_insn()};
}

// skb_load_bytes(ctx, 14, r10 + buf_off, len); then `after`; r0 = 0; exit.
// The call is instruction 4.
Prog load_bytes(int16_t buf_off, int32_t len, std::vector<Insn> after = {}) {
  Prog p = {mov64_imm(2, 14), mov64_reg(3, 10), alu64_imm(ADD, 3, buf_off),
            mov64_imm(4, len), call(26)};
  p.insert(p.end(), after.begin(), after.end());
  p.push_back(mov64_imm(0, 0));
  p.push_back(exit_insn());
  return p;
}

} // namespace

// ---- section names ----------------------------------------------------------
TEST(ProgType, SectionNames) {
  Prog ok = {mov64_imm(0, 0), exit_insn()};
  for (const char *name : {"tc", "tc/ingress", "classifier", "classifier/x",
                           "socket", "socket/x", "xdp", "xdp/x", "xdp.frags"})
    EXPECT_EQ(check(ok, name).status, VEP_ACCEPTED) << name;
  // Only xdp takes a '.' suffix; tcx (a different attach API) and other
  // prefixes of longer names are not these types.
  for (const char *name :
       {"tc.x", "socket.x", "classifier.x", "tcx/ingress", "tcx", "tc_cls",
        "socketx", "sk_skb", "action", "classifierx"})
    EXPECT_REJECTED(check(ok, name), 0, "prog_type: unknown program type");
}

// ---- direct packet access ---------------------------------------------------
TEST(ProgType, TcBoundedPacketReadAccepted) {
  for (const char *name : {"tc", "classifier", "tc/egress"}) {
    Outcome o = check(tc_bounded_read(13), name);
    EXPECT_EQ(o.status, VEP_ACCEPTED) << name << ": " << o.reason;
    EXPECT_EQ(o.paths, 2u);
  }
  EXPECT_REJECTED(check(tc_bounded_read(14), "tc"), 5,
                  "mem_packet: ACCESS_HIGH not proved");
  // A store into the bounded packet is allowed too (tc may write packets).
  Prog store = tc_bounded_read(0);
  store[5] = st(B, 2, 13, 1);
  store[6] = mov64_imm(0, 0);
  store.push_back(exit_insn());
  EXPECT_EQ(check(store, "tc").status, VEP_ACCEPTED);
}

TEST(ProgType, SocketFilterHasNoPacketPointers) {
  EXPECT_REJECTED(check(tc_bounded_read(13), "socket"), 0,
                  "mem_ctx: socket filter programs may not read context "
                  "field data");
  EXPECT_REJECTED(check(load_field(80), "socket"), 0,
                  "socket filter programs may not read context field "
                  "data_end");
}

// The packet length bound of a tc program is 2^32 - 1, not XDP's 65535:
// data_end - data <= 65535 is not provable there.
TEST(ProgType, TcPacketLengthIsNotBoundedBy64K) {
  Prog p = {ldx(W, 2, 1, 76), ldx(W, 3, 1, 80), alu64_reg(SUB, 3, 2),
            mov64_reg(0, 3), exit_insn()};
  std::vector<Post> posts;
  posts.push_back(post_range(0, 65535));
  EXPECT_REJECTED(round_trip(xdp_object(p, "tc"), posts), 4, "postcondition of");
  Prog x = p;
  x[0] = ldx(W, 2, 1, 0);
  x[1] = ldx(W, 3, 1, 4);
  EXPECT_EQ(round_trip(xdp_object(x, "xdp"), posts).status, VEP_ACCEPTED);
  posts.clear();
  posts.push_back(post_range(0, 0xffffffff));
  EXPECT_EQ(round_trip(xdp_object(p, "tc"), posts).status, VEP_ACCEPTED);
}

// ---- context fields ---------------------------------------------------------
TEST(ProgType, ReadableFields) {
  // len .. hash (offsets 0..68): both types; each a u32.
  for (int16_t off = 0; off <= 68; off += 4)
    for (const char *name : {"tc", "socket"}) {
      std::vector<Post> posts;
      posts.push_back(post_range(0, 0xffffffff));
      Outcome o = round_trip(xdp_object(load_field(off), name), posts);
      EXPECT_EQ(o.status, VEP_ACCEPTED) << name << " " << off << o.reason;
    }
  EXPECT_EQ(check(load_field(72), "tc").status, VEP_ACCEPTED);
  EXPECT_REJECTED(check(load_field(72), "socket"), 0,
                  "socket filter programs may not read context field "
                  "tc_classid");
  // Past data_end (napi_id, the sk_skb fields, data_meta, ...) and inside a
  // field: no field.
  for (int16_t off : {84, 140, 2})
    for (const char *name : {"tc", "socket"})
      EXPECT_REJECTED(check(load_field(off), name), 0,
                      "programs have no context field at offset " +
                          std::to_string(off));
  // Other sizes, sign-extending loads.
  EXPECT_REJECTED(check({ldx(H, 0, 1, 8), exit_insn()}, "tc"), 0,
                  "4-byte loads and register stores");
  EXPECT_REJECTED(check({ldx(DW, 0, 1, 48), exit_insn()}, "socket"), 0,
                  "4-byte loads and register stores");
  EXPECT_REJECTED(check({raw(LDX | MEMSX | W, 0, 1, 8, 0), exit_insn()}, "tc"),
                  0, "4-byte loads and register stores");
}

TEST(ProgType, WritableFields) {
  // tc: mark, priority, tc_index, cb[0..4], tc_classid.
  for (int16_t off : {8, 32, 44, 48, 52, 56, 60, 64, 72})
    EXPECT_EQ(check(store_field(off), "tc").status, VEP_ACCEPTED) << off;
  // socket filters: cb[0..4] only.
  for (int16_t off : {48, 52, 56, 60, 64})
    EXPECT_EQ(check(store_field(off), "socket").status, VEP_ACCEPTED) << off;
  EXPECT_REJECTED(check(store_field(0), "tc"), 1,
                  "mem_ctx: tc programs may not write context field len");
  EXPECT_REJECTED(check(store_field(68), "tc"), 1,
                  "tc programs may not write context field hash");
  EXPECT_REJECTED(check(store_field(76), "tc"), 1,
                  "tc programs may not write context field data");
  EXPECT_REJECTED(check(store_field(8), "socket"), 1,
                  "socket filter programs may not write context field mark");
  EXPECT_REJECTED(check(store_field(72), "socket"), 1,
                  "socket filter programs may not write context field "
                  "tc_classid");
  EXPECT_REJECTED(check(store_field(84), "tc"), 1,
                  "tc programs have no context field at offset 84");
  // A stored value can be read back only as some u32 (not tracked).
  Prog back = {mov64_imm(2, 7), stx(W, 1, 2, 48), ldx(W, 0, 1, 48),
               exit_insn()};
  std::vector<Post> posts;
  posts.push_back(post_range(7, 7));
  EXPECT_REJECTED(round_trip(xdp_object(back, "socket"), posts), 3,
                  "postcondition of");
}

TEST(ProgType, StoresOfPointersAndOtherFormsRejected) {
  // A pointer (the stack pointer, the context, a packet pointer).
  EXPECT_REJECTED(
      check({stx(W, 1, 10, 48), mov64_imm(0, 0), exit_insn()}, "socket"), 0,
      "mem_ctx: pointer stored into context field cb[]");
  EXPECT_REJECTED(check({stx(W, 1, 1, 8), mov64_imm(0, 0), exit_insn()}, "tc"),
                  0, "pointer stored into context field mark");
  EXPECT_REJECTED(
      check({ldx(W, 2, 1, 76), stx(W, 1, 2, 52), mov64_imm(0, 0), exit_insn()},
            "tc"),
      1, "pointer stored into context field cb[]");
  // Immediate stores (the kernel refuses BPF_ST to the context), other
  // sizes, atomics.
  EXPECT_REJECTED(check({st(W, 1, 48, 0), mov64_imm(0, 0), exit_insn()}, "tc"),
                  0, "4-byte loads and register stores");
  EXPECT_REJECTED(
      check({mov64_imm(2, 0), stx(DW, 1, 2, 48), mov64_imm(0, 0), exit_insn()},
            "tc"),
      1, "4-byte loads and register stores");
  EXPECT_REJECTED(
      check({mov64_imm(2, 0), stx(B, 1, 2, 48), mov64_imm(0, 0), exit_insn()},
            "tc"),
      1, "4-byte loads and register stores");
  EXPECT_REJECTED(check({mov64_imm(2, 1), raw(STX | 0xc0 | W, 1, 2, 48, 0),
                         mov64_imm(0, 0), exit_insn()},
                        "tc"),
                  1, "atomic operation neither on a map value nor the stack");
}

// ---- helpers ----------------------------------------------------------------
TEST(ProgType, ScalarAndMapHelpersAllowed) {
  Prog p = {call(5), call(7), call(8), mov64_imm(0, 0), exit_insn()};
  for (const char *name : {"tc", "socket", "xdp"})
    EXPECT_EQ(check(p, name).status, VEP_ACCEPTED) << name;
}

TEST(ProgType, SkbLoadBytesFillsTheBuffer) {
  // Reading the buffer after the call; r6..r10 survive, r0 is a scalar.
  Prog p = load_bytes(-8, 8, {ldx(DW, 5, 10, -8), ldx(W, 5, 10, -4)});
  p.insert(p.begin(), mov64_imm(6, 3));
  p.insert(p.end() - 1, mov64_reg(0, 6));
  std::vector<Post> posts;
  posts.push_back(post_range(3, 3));
  for (const char *name : {"tc", "socket"}) {
    Outcome o = round_trip(xdp_object(p, name), posts);
    EXPECT_EQ(o.status, VEP_ACCEPTED) << name << ": " << o.reason;
  }
  // The whole rest of the frame.
  EXPECT_EQ(check(load_bytes(-512, 512, {ldx(B, 5, 10, -512)}), "tc").status,
            VEP_ACCEPTED);
  // Before the call the buffer is uninitialised; after it, only the bytes
  // the helper wrote are.
  Prog before = load_bytes(-8, 8);
  before.insert(before.begin() + 4, ldx(DW, 5, 10, -8));
  EXPECT_REJECTED(check(before, "tc"), 4, "read of uninitialised stack");
  EXPECT_REJECTED(check(load_bytes(-8, 4, {ldx(DW, 5, 10, -8)}), "tc"), 5,
                  "read of uninitialised stack");
  EXPECT_EQ(check(load_bytes(-8, 4, {ldx(W, 5, 10, -8)}), "tc").status,
            VEP_ACCEPTED);
  // R1..R5 are uninitialised after the call.
  EXPECT_REJECTED(check(load_bytes(-8, 8, {mov64_reg(0, 1)}), "tc"), 5,
                  "read of uninitialised register r1");
}

TEST(ProgType, SkbLoadBytesClobbersSpills) {
  // A spilled pointer partly overwritten: its other bytes become
  // uninitialised; wholly overwritten: the slot holds data, not a pointer.
  Prog part = load_bytes(-12, 4, {ldx(W, 5, 10, -12), ldx(W, 5, 10, -16)});
  part.insert(part.begin(), stx(DW, 10, 1, -16)); // spill the context
  EXPECT_REJECTED(check(part, "tc"), 7, "read of uninitialised stack");
  Prog whole = load_bytes(-16, 8, {ldx(DW, 6, 10, -16), ldx(W, 5, 6, 0)});
  whole.insert(whole.begin(), stx(DW, 10, 1, -16));
  EXPECT_REJECTED(check(whole, "tc"), 7, "memory access through a scalar");
  whole[6] = ldx(DW, 6, 10, -16);
  whole[7] = mov64_reg(5, 6);
  EXPECT_EQ(check(whole, "tc").status, VEP_ACCEPTED);
}

TEST(ProgType, SkbLoadBytesArgumentsChecked) {
  // Too long for the frame, zero, negative.
  EXPECT_REJECTED(check(load_bytes(-8, 9), "tc"), 4,
                  "skb_load_bytes: r4 is not a constant size from 1 to the "
                  "bytes between the buffer and the frame's top");
  EXPECT_REJECTED(check(load_bytes(-8, 0), "tc"), 4, "r4 is not a constant");
  EXPECT_REJECTED(check(load_bytes(-8, -1), "socket"), 4,
                  "r4 is not a constant");
  // A length that is not a constant (a bounded u32 from the context).
  Prog var = load_bytes(-8, 8);
  var[3] = ldx(W, 4, 1, 0);
  var.insert(var.begin() + 4, alu64_imm(AND, 4, 7));
  EXPECT_REJECTED(check(var, "tc"), 5, "r4 is not a constant size");
  // Buffers not on the stack, or at a variable stack offset.
  Prog ctx = load_bytes(-8, 8);
  ctx[1] = mov64_reg(3, 1);
  ctx[2] = mov64_imm(5, 0);
  EXPECT_REJECTED(check(ctx, "tc"), 4,
                  "r3 is not a pointer into the stack frame at a constant "
                  "offset");
  Prog pkt = load_bytes(-8, 8);
  pkt[1] = ldx(W, 3, 1, 76);
  pkt[2] = mov64_imm(5, 0);
  EXPECT_REJECTED(check(pkt, "tc"), 4, "r3 is not a pointer into the stack");
  Prog scalar = load_bytes(-8, 8);
  scalar[1] = mov64_imm(3, 0);
  EXPECT_REJECTED(check(scalar, "tc"), 4, "r3 is not a pointer into the stack");
  Prog varoff = load_bytes(-8, 8);
  varoff[1] = ldx(W, 5, 1, 0);
  varoff[2] = alu64_imm(AND, 5, 7);
  varoff.insert(varoff.begin() + 3, alu64_imm(ADD, 5, -16));
  varoff.insert(varoff.begin() + 4, mov64_reg(3, 10));
  varoff.insert(varoff.begin() + 5, alu64_reg(ADD, 3, 5));
  EXPECT_REJECTED(check(varoff, "tc"), 7,
                  "r3 is not a pointer into the stack frame at a constant");
  // Above the frame: r10 + 0.
  EXPECT_REJECTED(check(load_bytes(0, 1), "tc"), 4,
                  "r3 is not a pointer into the stack frame");
  // R1 the context at offset 0; R2 a scalar.
  Prog r1 = load_bytes(-8, 8);
  r1.insert(r1.begin(), mov64_reg(1, 10));
  EXPECT_REJECTED(check(r1, "tc"), 5, "r1 is not the context pointer");
  Prog moved = load_bytes(-8, 8);
  moved.insert(moved.begin(), alu64_imm(ADD, 1, 4));
  EXPECT_REJECTED(check(moved, "tc"), 5, "r1 is not the context pointer");
  Prog r2 = load_bytes(-8, 8);
  r2[0] = mov64_reg(2, 10);
  EXPECT_REJECTED(check(r2, "tc"), 4, "r2 is not a scalar");
  // Not an XDP helper.
  EXPECT_REJECTED(check(load_bytes(-8, 8), "xdp"), 4,
                  "skb_load_bytes is not allowed for this program type");
}

// ---- tracing: kprobe, tracepoint, raw tracepoint ----------------------------
namespace {

// The section name of each tracing type with its record's bounds [lo, end).
struct Record {
  const char *section;
  int16_t lo, end;
};
const Record Records[] = {{"kprobe/do_sys_open", 0, 168},
                          {"kretprobe/do_sys_open", 0, 168},
                          {"tracepoint/raw_syscalls/sys_enter", 8, 2048},
                          {"tp/sched/sched_switch", 8, 2048},
                          {"raw_tracepoint/sys_enter", 0, 96},
                          {"raw_tp/sys_enter", 0, 96}};

// A load of `size` (B, H, W, DW) from the context at `off`, returned.
Prog load_ctx(uint8_t size, int16_t off) {
  return {ldx(size, 0, 1, off), exit_insn()};
}

int bytes(uint8_t size) {
  return size == B ? 1 : size == H ? 2 : size == W ? 4 : 8;
}

// get_current_comm(r10 + buf_off, len); then `after`; r0 = 0; exit. The
// call is instruction 3.
Prog comm(int16_t buf_off, int32_t len, std::vector<Insn> after = {}) {
  Prog p = {mov64_reg(1, 10), alu64_imm(ADD, 1, buf_off), mov64_imm(2, len),
            call(16)};
  p.insert(p.end(), after.begin(), after.end());
  p.push_back(mov64_imm(0, 0));
  p.push_back(exit_insn());
  return p;
}

} // namespace

TEST(ProgType, TracingSectionNames) {
  Prog ok = {mov64_imm(0, 0), exit_insn()};
  for (const Record &r : Records)
    EXPECT_EQ(check(ok, r.section).status, VEP_ACCEPTED) << r.section;
  for (const char *name : {"kprobe", "kretprobe", "tracepoint", "tp",
                           "raw_tracepoint", "raw_tp"})
    EXPECT_EQ(check(ok, name).status, VEP_ACCEPTED) << name;
  // libbpf reads these as other types (writable raw tracepoints, BTF
  // tracing, kprobe.multi, uprobes) or not at all.
  for (const char *name :
       {"raw_tp.w/x", "raw_tracepoint.w/x", "tp_btf/x", "kprobe.multi/x",
        "kretprobe.multi/x", "uprobe/x", "tpx", "kprobex/f", "fentry/f"})
    EXPECT_REJECTED(check(ok, name), 0, "prog_type: unknown program type");
}

TEST(ProgType, TracingRecordReads) {
  // Every aligned load of every size at the record's ends, as a u(8s).
  for (const Record &r : Records)
    for (uint8_t size : {B, H, W, DW}) {
      int s = bytes(size);
      for (int16_t off : {r.lo, int16_t(r.end - s)}) {
        std::vector<Post> posts;
        posts.push_back(post_range(0, s == 8 ? ~0ull : (1ull << 8 * s) - 1));
        Outcome o = round_trip(xdp_object(load_ctx(size, off), r.section),
                               posts);
        EXPECT_EQ(o.status, VEP_ACCEPTED)
            << r.section << " " << s << "@" << off << ": " << o.reason;
      }
      // Out of range on either side, and misaligned.
      SCOPED_TRACE(std::string(r.section) + " size " + std::to_string(s));
      for (int16_t off : {int16_t(r.lo - s), r.end, int16_t(r.end - s + 1)})
        EXPECT_REJECTED(check(load_ctx(size, off), r.section), 0,
                        "programs read their context by aligned loads at "
                        "constant offsets inside it");
      if (s > 1)
        EXPECT_REJECTED(check(load_ctx(size, int16_t(r.lo + s / 2)), r.section),
                        0, "by aligned loads");
    }
  // The common header of a tracepoint record (offsets 0..7) is not readable.
  EXPECT_REJECTED(check(load_ctx(DW, 0), "tp/x/y"), 0, "by aligned loads");
  EXPECT_REJECTED(check(load_ctx(B, 7), "tracepoint/x/y"), 0,
                  "by aligned loads");
  // A variable offset, a sign-extending load.
  Prog var = {ldx(DW, 2, 1, 0), alu64_imm(AND, 2, 8), alu64_reg(ADD, 1, 2),
              ldx(DW, 0, 1, 0), exit_insn()};
  EXPECT_REJECTED(check(var, "kprobe/f"), 3, "by aligned loads");
  EXPECT_REJECTED(
      check({raw(LDX | MEMSX | W, 0, 1, 8, 0), exit_insn()}, "raw_tp/x"), 0,
      "by aligned loads");
  // No context field is a packet pointer: a load is a scalar.
  EXPECT_REJECTED(
      check({ldx(DW, 2, 1, 8), ldx(B, 0, 2, 0), exit_insn()}, "tp/a/b"), 1,
      "memory access through a scalar");
}

TEST(ProgType, TracingContextIsReadOnly) {
  for (const Record &r : Records) {
    SCOPED_TRACE(r.section);
    EXPECT_REJECTED(check({mov64_imm(2, 7), stx(DW, 1, 2, r.lo),
                           mov64_imm(0, 0), exit_insn()},
                          r.section),
                    1, "programs may not write their context");
    EXPECT_REJECTED(
        check({st(W, 1, r.lo, 0), mov64_imm(0, 0), exit_insn()}, r.section), 0,
        "programs may not write their context");
  }
  EXPECT_REJECTED(check({st(B, 1, 8, 0), mov64_imm(0, 0), exit_insn()},
                        "tracepoint/raw_syscalls/sys_enter"),
                  0, "tracepoint programs may not write their context");
}

TEST(ProgType, TracingHelpers) {
  // Allowed in every tracing type: map and scalar helpers, the current
  // task's pid/tgid and uid/gid.
  Prog scalars = {call(5),  call(7),         call(8),   call(14),
                  call(15), mov64_reg(0, 0), exit_insn()};
  for (const Record &r : Records) {
    Outcome o = check(scalars, r.section);
    EXPECT_EQ(o.status, VEP_ACCEPTED) << r.section << ": " << o.reason;
  }
  // Not for XDP or skb programs.
  for (int32_t id : {14, 15})
    for (const char *name : {"xdp", "tc", "socket"}) {
      SCOPED_TRACE(std::string(name) + " " + std::to_string(id));
      EXPECT_REJECTED(check({call(id), exit_insn()}, name), 0,
                      "is not allowed for this program type");
    }
  EXPECT_REJECTED(check(comm(-16, 16), "xdp"), 3,
                  "get_current_comm is not allowed for this program type");
  // skb_load_bytes is not a tracing helper.
  for (const Record &r : Records)
    EXPECT_REJECTED(check(load_bytes(-8, 8), r.section), 4,
                    "skb_load_bytes is not allowed for this program type");
  // A helper without a row.
  EXPECT_REJECTED(check({call(13), exit_insn()}, "kprobe/f"), 0,
                  "unknown helper id 13");
}

TEST(ProgType, CurrentCommFillsTheBuffer) {
  std::vector<Post> posts;
  posts.push_back(post_range(0, 0));
  Outcome o = round_trip(
      xdp_object(comm(-16, 16, {ldx(DW, 5, 10, -16), ldx(DW, 5, 10, -8)}),
                 "tp/x/y"),
      posts);
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  // Only the bytes written are initialised.
  EXPECT_REJECTED(check(comm(-16, 8, {ldx(DW, 5, 10, -8)}), "kprobe/f"), 4,
                  "read of uninitialised stack");
  // Too large for the frame above the buffer, zero, not a constant.
  EXPECT_REJECTED(check(comm(-8, 16), "kprobe/f"), 3,
                  "get_current_comm: r2 is not a constant size from 1 to the "
                  "bytes between the buffer and the frame's top");
  EXPECT_REJECTED(check(comm(-16, 0), "kprobe/f"), 3, "r2 is not a constant");
  Prog var = comm(-16, 16);
  var[2] = mov64_reg(2, 6);
  var.insert(var.begin(), ldx(B, 6, 1, 0)); // a byte of the context
  EXPECT_REJECTED(check(var, "kprobe/f"), 4, "r2 is not a constant size");
  // Not a stack buffer: the context, a scalar address.
  Prog ctx = comm(-16, 16);
  ctx[0] = mov64_imm(5, 0);
  ctx[1] = mov64_imm(5, 0);
  EXPECT_REJECTED(check(ctx, "raw_tp/x"), 3,
                  "r1 is not a pointer into the stack frame at a constant "
                  "offset");
  Prog scalar = comm(-16, 16);
  scalar[0] = mov64_imm(1, 4096);
  scalar[1] = mov64_imm(5, 0);
  EXPECT_REJECTED(check(scalar, "raw_tp/x"), 3, "r1 is not a pointer into");
}

TEST(ProgType, ProbeReadKernel) {
  // probe_read_kernel(r10 - 8, 8, ctx->di): any scalar source address.
  Prog p = {ldx(DW, 3, 1, 112),  mov64_reg(1, 10),   alu64_imm(ADD, 1, -8),
            mov64_imm(2, 8),     call(113),          ldx(DW, 0, 10, -8),
            exit_insn()};
  EXPECT_EQ(check(p, "kprobe/f").status, VEP_ACCEPTED);
  // The source must be a scalar (not the stack or context pointer).
  Prog ptr = p;
  ptr[0] = mov64_reg(3, 1);
  EXPECT_REJECTED(check(ptr, "kprobe/f"), 4,
                  "probe_read_kernel: r3 is not a scalar");
  Prog uninit = p;
  uninit[0] = mov64_imm(4, 0);
  EXPECT_REJECTED(check(uninit, "kprobe/f"), 4,
                  "read of uninitialised register r3");
  p[0] = mov64_imm(3, 0);
  EXPECT_REJECTED(check(p, "xdp"), 4,
                  "probe_read_kernel is not allowed for this program type");
}

// ---- sock_ops and perf_event ------------------------------------------------
namespace {

// The accesses Linux 6.18 accepts (probed by loading one program per
// offset, size and access with bpftool: a load, a register store, an
// immediate store), by size 1, 2, 4, 8.
struct KernelAccesses {
  const char *section;
  std::vector<int> reads[4], writes[4];
};

std::vector<int> every(int from, int to, int step) {
  std::vector<int> v;
  for (int off = from; off <= to; off += step)
    v.push_back(off);
  return v;
}

std::vector<int> joined(std::vector<int> a, const std::vector<int> &b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const KernelAccesses &sockOpsAccesses() {
  static const KernelAccesses k = {
      "sockops",
      {{212}, {212}, joined(every(0, 164, 4), {208, 212}),
       {168, 176, 184, 192, 200, 216}},
      {{}, {}, {4, 164}, {}}};
  return k;
}

const KernelAccesses &perfEventAccesses() {
  static const KernelAccesses k = {"perf_event",
                                   {every(168, 183, 1), every(168, 182, 2),
                                    every(168, 180, 4), every(0, 176, 8)},
                                   {{}, {}, {}, {}}};
  return k;
}

bool has(const std::vector<int> &v, int off) {
  return std::find(v.begin(), v.end(), off) != v.end();
}

// What VEP models: a subset of what the kernel accepts (docs/proof-format.md
// section 3): no socket or packet pointers, no narrow loads.
bool sockOpsModelled(int off, int size, bool write) {
  if (write)
    return size == 4 && (off == 4 || off == 164);
  if (size == 4)
    return off % 4 == 0 && ((off >= 0 && off <= 164) || off == 208 ||
                            off == 212);
  return size == 8 && (off == 168 || off == 176 || off == 216);
}

bool perfEventModelled(int off, int size, bool write) {
  return !write && size == 8 && off % 8 == 0 && off >= 0 && off <= 176;
}

void expectModelledAccesses(const KernelAccesses &k,
                            bool (*modelled)(int, int, bool)) {
  const uint8_t sizes[4] = {B, H, W, DW};
  for (int i = 0; i < 4; i++)
    for (int off = -8; off <= 232; off++) {
      int s = bytes(sizes[i]);
      SCOPED_TRACE(std::string(k.section) + " size " + std::to_string(s) +
                   " at " + std::to_string(off));
      bool read = modelled(off, s, false), write = modelled(off, s, true);
      // Never more than the kernel.
      EXPECT_TRUE(!read || has(k.reads[i], off));
      EXPECT_TRUE(!write || has(k.writes[i], off));
      Outcome r = check(load_ctx(sizes[i], int16_t(off)), k.section);
      EXPECT_EQ(r.status, read ? VEP_ACCEPTED : VEP_REJECTED) << r.reason;
      Outcome w = check({mov64_imm(2, 7), stx(sizes[i], 1, 2, int16_t(off)),
                         mov64_imm(0, 0), exit_insn()},
                        k.section);
      EXPECT_EQ(w.status, write ? VEP_ACCEPTED : VEP_REJECTED) << w.reason;
      // Immediate stores: never (the kernel refused them before 6.3).
      Outcome imm = check({st(sizes[i], 1, int16_t(off), 0), mov64_imm(0, 0),
                           exit_insn()},
                          k.section);
      EXPECT_EQ(imm.status, VEP_REJECTED) << imm.reason;
    }
}

} // namespace

TEST(ProgType, SockOpsAndPerfEventSectionNames) {
  Prog ok = {mov64_imm(0, 1), exit_insn()};
  for (const char *name : {"sockops", "perf_event"})
    EXPECT_EQ(check(ok, name).status, VEP_ACCEPTED) << name;
  for (const char *name : {"sock_ops", "sockopsx", "perf_eventx", "perf",
                           "sk_msg", "sockops.x"})
    EXPECT_REJECTED(check(ok, name), 0, "prog_type: unknown program type");
}

TEST(ProgType, SockOpsContextAsTheKernelAllows) {
  expectModelledAccesses(sockOpsAccesses(), sockOpsModelled);
  // A u32 field is a u32, a u64 field any u64; both change between reads.
  std::vector<Post> u32;
  u32.push_back(post_range(0, 0xffffffffull));
  EXPECT_EQ(round_trip(xdp_object(load_ctx(W, 72), "sockops"), u32).status,
            VEP_ACCEPTED);
  EXPECT_REJECTED(round_trip(xdp_object(load_ctx(DW, 168), "sockops"), u32),
                  1, "postcondition of");
  // Messages name the field or the rule.
  EXPECT_REJECTED(check({mov64_imm(2, 7), stx(W, 1, 2, 64), mov64_imm(0, 0),
                         exit_insn()},
                        "sockops"),
                  1, "sock_ops programs may not write context field "
                     "replylong[1..3], family..sacked_out");
  EXPECT_REJECTED(check(load_ctx(W, 184), "sockops"), 0,
                  "sock_ops programs have no context field at offset 184");
  EXPECT_REJECTED(check(load_ctx(W, 168), "sockops"), 0,
                  "(8-byte: 64-bit fields)");
  EXPECT_REJECTED(check({stx(W, 1, 10, 4), mov64_imm(0, 0), exit_insn()},
                        "sockops"),
                  0, "pointer stored into context field reply");
}

TEST(ProgType, PerfEventContextAsTheKernelAllows) {
  expectModelledAccesses(perfEventAccesses(), perfEventModelled);
  EXPECT_REJECTED(check({mov64_imm(2, 7), stx(DW, 1, 2, 168), mov64_imm(0, 0),
                         exit_insn()},
                        "perf_event"),
                  1, "perf_event programs may not write context field regs, "
                     "sample_period, addr");
  EXPECT_REJECTED(check(load_ctx(DW, 184), "perf_event"), 0,
                  "(8-byte: 64-bit fields)");
  EXPECT_REJECTED(check(load_ctx(W, 184), "perf_event"), 0,
                  "perf_event programs have no context field at offset 184");
}

TEST(ProgType, SockOpsAndPerfEventHelpers) {
  // Both: the map and scalar helpers. perf_event programs are tracing
  // programs (14, 15, 16, 113); sock_ops programs are not (the kernel lets
  // them call those only with CAP_PERFMON), and neither calls
  // skb_load_bytes.
  Prog scalars = {call(5), call(7), call(8), mov64_reg(0, 0), exit_insn()};
  for (const char *name : {"sockops", "perf_event"})
    EXPECT_EQ(check(scalars, name).status, VEP_ACCEPTED) << name;
  EXPECT_EQ(check(comm(-16, 16), "perf_event").status, VEP_ACCEPTED);
  EXPECT_EQ(check({call(14), call(15), exit_insn()}, "perf_event").status,
            VEP_ACCEPTED);
  for (int32_t id : {14, 15})
    EXPECT_REJECTED(check({call(id), exit_insn()}, "sockops"), 0,
                    "is not allowed for this program type");
  EXPECT_REJECTED(check(comm(-16, 16), "sockops"), 3,
                  "get_current_comm is not allowed for this program type");
  for (const char *name : {"sockops", "perf_event"})
    EXPECT_REJECTED(check(load_bytes(-8, 8), name), 4,
                    "skb_load_bytes is not allowed for this program type");
}
