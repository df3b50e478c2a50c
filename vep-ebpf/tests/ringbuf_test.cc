// ringbuf_test.cc - ringbuf_reserve, ringbuf_submit and ringbuf_discard
// (helper table version 7): reserved memory's bounds, its null check, the
// release of every copy, the rule that no reservation is pending at an
// exit or a tail call, reservations kept across bpf-to-bpf calls or passed
// to them as buffers, and reservations bound at cut points (one binding
// each, cut_ringbuf; docs/proof-format.md 9.9).
// Each accepted program has a rejected twin beside it.
#include "test_support.h"

#include <gtest/gtest.h>

using namespace vt;

namespace {

enum : uint32_t { ARRAY = 2, PROG_ARRAY = 3, RINGBUF = 27 };
enum : int32_t { RESERVE = 131, SUBMIT = 132, DISCARD = 133, TAIL_CALL = 12 };

Insn helper(int32_t id) { return raw(JMP | CALL, 0, 0, 0, id); }

// 0-1: r1 = rb (relocated); 2: r2 = size; 3: r3 = 0; 4: call reserve.
Prog reserve(int32_t size = 8) {
  Prog p = {raw(LD | DW, 1, 0, 0, 0), raw(0, 0, 0, 0, 0)};
  p.insert(p.end(), {mov64_imm(2, size), mov64_imm(3, 0), helper(RESERVE)});
  return p;
}

// reserve(size); 5: if r0 == 0 goto null; 6..: `body` (r0 is the
// reservation); then r1 = r0, r2 = 0, call `release`; null: r0 = 0; exit.
Prog reserve_fill(std::vector<Insn> body, int32_t release = SUBMIT,
                  int32_t size = 8) {
  Prog p = reserve(size);
  p.push_back(jmp_imm(JEQ, 0, 0, (int16_t)(body.size() + 3)));
  p.insert(p.end(), body.begin(), body.end());
  p.insert(p.end(), {mov64_reg(1, 0), mov64_imm(2, 0), helper(release),
                     mov64_imm(0, 0), exit_insn()});
  return p;
}

Maps rb(uint32_t type = RINGBUF) {
  Maps m;
  m.add("rb", type, type == RINGBUF ? 0 : 4, type == RINGBUF ? 0 : 8, 4096);
  return m;
}

// p with rb's symbol relocating the lddw at `at`.
Outcome run(const Prog &p, const std::string &section = "xdp", Maps m = rb(),
            std::vector<CutTable> cuts = {}, uint64_t at = 0) {
  return round_trip(map_object(p, {{at, 1}}, map_symbols({"rb"}), section), {},
                    std::move(cuts), m.get());
}

} // namespace

// ---- mem_ringbuf ------------------------------------------------------------
TEST(Ringbuf, WritesInsideTheReservation) {
  for (const char *section : {"xdp", "tc", "socket", "kprobe/f",
                              "tracepoint/a/b", "perf_event", "sockops"}) {
    Outcome o = run(reserve_fill({st(DW, 0, 0, 7)}), section);
    EXPECT_EQ(o.status, VEP_ACCEPTED) << section << ": " << o.reason;
  }
  EXPECT_EQ(run(reserve_fill({st(W, 0, 4, 7), st(B, 0, 0, 1)}, DISCARD)).status,
            VEP_ACCEPTED);
  EXPECT_REJECTED(run(reserve_fill({st(DW, 0, 1, 7)})), 6,
                  "mem_ringbuf: ACCESS_HIGH not proved");
  EXPECT_EQ(run(reserve_fill({st(W, 0, 8, 7)}, SUBMIT, 12)).status,
            VEP_ACCEPTED);
  EXPECT_REJECTED(run(reserve_fill({st(W, 0, 9, 7)}, SUBMIT, 12)), 6,
                  "mem_ringbuf: ACCESS_HIGH not proved");
  EXPECT_REJECTED(run(reserve_fill({st(B, 0, -1, 7)})), 6,
                  "mem_ringbuf: ACCESS_LOW not proved");
}

TEST(Ringbuf, StoresScalarsOnlyAndReadsUnknownValues) {
  // A load gives a fresh scalar, which may be stored back.
  EXPECT_EQ(run(reserve_fill({ldx(W, 6, 0, 0), stx(W, 0, 6, 4)})).status,
            VEP_ACCEPTED);
  EXPECT_REJECTED(run(reserve_fill({stx(DW, 0, 10, 0)})), 6,
                  "mem_ringbuf: pointer stored into ringbuf memory");
  EXPECT_REJECTED(run(reserve_fill({stx(DW, 0, 0, 0)})), 6,
                  "pointer stored into ringbuf memory");
}

TEST(Ringbuf, ReserveTakesARingbufAndAConstantSize) {
  EXPECT_EQ(run(reserve_fill({}, SUBMIT, 1)).status, VEP_ACCEPTED);
  EXPECT_REJECTED(run(reserve_fill({}, SUBMIT, 0)), 4,
                  "ringbuf_reserve: r2 is not a constant size from 1 to 2^20");
  EXPECT_REJECTED(run(reserve_fill({}, SUBMIT, (1 << 20) + 1)), 4,
                  "r2 is not a constant size");
  // 0: r6 = ctx; 1-2: r1 = rb; 3: r2 = rx_queue_index (not a constant) ...
  Prog p = {mov64_reg(6, 1),       raw(LD | DW, 1, 0, 0, 0), raw(0, 0, 0, 0, 0),
            ldx(W, 2, 6, 16),      mov64_imm(3, 0),          helper(RESERVE),
            jmp_imm(JEQ, 0, 0, 3), mov64_reg(1, 0),          mov64_imm(2, 0),
            helper(SUBMIT),        mov64_imm(0, 0),          exit_insn()};
  EXPECT_REJECTED(run(p, "xdp", rb(), {}, 1), 5, "r2 is not a constant size");
  EXPECT_REJECTED(run(reserve_fill({}), "xdp", rb(ARRAY)), 4,
                  "ringbuf_reserve: r1 is a map of a type the helper does "
                  "not take");
}

TEST(Ringbuf, HelpersWriteInsideTheReservation) {
  // 6: r6 = r0; 7: r1 = r0 (+ off); 9: r2 = len; 10: call get_current_comm
  // (or a probe read, r3 = 0 its source); 11: r0 = r6.
  auto comm = [](int32_t off, int32_t len, int32_t id = 16) {
    return reserve_fill({mov64_reg(6, 0), mov64_reg(1, 0),
                         alu64_imm(ADD, 1, off), mov64_imm(2, len),
                         mov64_imm(3, 0), helper(id), mov64_reg(0, 6)},
                        SUBMIT, 16);
  };
  for (int32_t id : {16, 112, 113, 114, 115}) {
    SCOPED_TRACE(id);
    EXPECT_EQ(run(comm(4, 12, id), "kprobe/f").status, VEP_ACCEPTED);
    EXPECT_REJECTED(run(comm(4, 13, id), "kprobe/f"), 11,
                    "helper_call: ACCESS_HIGH not proved");
  }
  EXPECT_EQ(run(comm(0, 16), "tp/a/b").status, VEP_ACCEPTED);
  // After the submit, the copy in r6 is released: its read rejects.
  Prog p = reserve();
  p.insert(p.end(),
           {jmp_imm(JEQ, 0, 0, 8), mov64_reg(6, 0), mov64_reg(1, 0),
            mov64_imm(2, 0), helper(SUBMIT), mov64_reg(1, 6), mov64_imm(2, 16),
            helper(16), mov64_imm(0, 0), exit_insn()});
  EXPECT_REJECTED(run(p, "kprobe/f"), 10, "reg_read");
  // Before the null check the reservation may be null.
  p = reserve(16);
  p.insert(p.end(),
           {mov64_reg(6, 0), mov64_reg(1, 0), mov64_imm(2, 16), helper(16),
            jmp_imm(JEQ, 6, 0, 3), mov64_reg(1, 6), mov64_imm(2, 0),
            helper(SUBMIT), mov64_imm(0, 0), exit_insn()});
  EXPECT_REJECTED(run(p, "kprobe/f"), 8,
                  "r1 is not a pointer into the stack frame at a constant "
                  "offset, a writable map value or reserved ringbuf memory");
}

TEST(Ringbuf, HelpersReadTheReservation) {
  // 6: r6 = r0; 7: r1 = r0 + off; 8: r2 = len; 9: r3 = r6; 10: r4 = 1;
  // 11: r5 = 0; 12: call csum_diff (its bytes need not be written: the
  // kernel hands the helper reserved memory as it is); 13: r0 = r6.
  auto csum = [](int32_t off, int32_t len) {
    return reserve_fill({mov64_reg(6, 0), mov64_reg(1, 0),
                         alu64_imm(ADD, 1, off), mov64_imm(2, len),
                         mov64_reg(3, 6), mov64_imm(4, 1), mov64_imm(5, 0),
                         helper(28), mov64_reg(0, 6)},
                        SUBMIT, 16);
  };
  EXPECT_EQ(run(csum(0, 16)).status, VEP_ACCEPTED);
  EXPECT_EQ(run(csum(12, 4)).status, VEP_ACCEPTED);
  EXPECT_REJECTED(run(csum(12, 8)), 13, "helper_call: ACCESS_HIGH not proved");
  EXPECT_REJECTED(run(csum(-1, 4)), 13, "helper_call: ACCESS_LOW not proved");
  // trace_printk (any program type) reads its format from a reservation.
  Prog p = reserve_fill({mov64_reg(6, 0), mov64_reg(1, 0), mov64_imm(2, 8),
                         mov64_imm(3, 0), mov64_imm(4, 0), mov64_imm(5, 0),
                         helper(6), mov64_reg(0, 6)});
  EXPECT_EQ(run(p, "kprobe/f").status, VEP_ACCEPTED);
  p[8] = mov64_imm(2, 9);
  EXPECT_REJECTED(run(p, "kprobe/f"), 12,
                  "helper_call: ACCESS_HIGH not proved");
  // Before the null check, the reservation is no read buffer (a released
  // copy fails at its first read, reg_read: SubmitAndDiscardReleaseEveryCopy).
  p = reserve(16);
  p.insert(p.end(),
           {mov64_reg(6, 0), mov64_reg(1, 0), mov64_imm(2, 8), helper(6),
            jmp_imm(JEQ, 6, 0, 3), mov64_reg(1, 6), mov64_imm(2, 0),
            helper(SUBMIT), mov64_imm(0, 0), exit_insn()});
  EXPECT_REJECTED(run(p, "kprobe/f"), 8,
                  "trace_printk: r1: helper given a too-small or "
                  "uninitialised buffer (data)");
}

// ---- null_check and ringbuf_release -----------------------------------------
TEST(Ringbuf, ReservationMayBeNull) {
  Prog p = reserve();
  p.insert(p.end(), {st(DW, 0, 0, 7), mov64_reg(1, 0), mov64_imm(2, 0),
                     helper(SUBMIT), mov64_imm(0, 0), exit_insn()});
  EXPECT_REJECTED(run(p), 5, "mem_base: ringbuf reservation may be null");
  p = reserve();
  p.insert(p.end(), {mov64_reg(1, 0), mov64_imm(2, 0), helper(SUBMIT),
                     mov64_imm(0, 0), exit_insn()});
  EXPECT_REJECTED(run(p), 7,
                  "ringbuf_submit: r1 is not reserved ringbuf memory at "
                  "offset 0, checked not null");
  p = reserve();
  p.insert(p.end(), {alu64_imm(ADD, 0, 1), mov64_imm(0, 0), exit_insn()});
  EXPECT_REJECTED(run(p), 5, "ptr_alu: map value may be null");
}

TEST(Ringbuf, TheNullCheckOfACopyRefinesEveryCopy) {
  // 5: r6 = r0; 6: if r6 != 0 goto 9; 7: r0 = 0; 8: exit;
  // 9: *(u8 *)(r0 + 0) = 1; 10-12: submit(r0); 13: r0 = 0; 14: exit.
  Prog p = reserve();
  p.insert(p.end(),
           {mov64_reg(6, 0), jmp_imm(JNE, 6, 0, 2), mov64_imm(0, 0),
            exit_insn(), st(B, 0, 0, 1), mov64_reg(1, 0), mov64_imm(2, 0),
            helper(SUBMIT), mov64_imm(0, 0), exit_insn()});
  EXPECT_EQ(run(p).status, VEP_ACCEPTED);
  p[7] = mov64_reg(0, 6); // the null side returns the copy: scalar 0
  EXPECT_EQ(run(p).status, VEP_ACCEPTED);
  p[7] = mov64_imm(0, 0);
  p[6] = jmp_imm(JNE, 6, 0, 0); // the non-null side exits too: unreleased
  EXPECT_REJECTED(run(p), 8,
                  "ringbuf_live: ringbuf reservation not submitted or "
                  "discarded at exit");
}

TEST(Ringbuf, SubmitTakesOffsetZero) {
  EXPECT_EQ(
      run(reserve_fill({alu64_imm(ADD, 0, 4), alu64_imm(ADD, 0, -4)})).status,
      VEP_ACCEPTED);
  EXPECT_REJECTED(run(reserve_fill({alu64_imm(ADD, 0, 4)})), 9,
                  "ringbuf_submit: r1 is not reserved ringbuf memory at "
                  "offset 0");
}

TEST(Ringbuf, SubmitAndDiscardReleaseEveryCopy) {
  // 6: r6 = r0; 7: *(u64 *)(r10 - 8) = r0; submit(r0); then `use`.
  auto prog = [](Insn use) {
    Prog p = reserve_fill({mov64_reg(6, 0), stx(DW, 10, 0, -8)});
    p.insert(p.end() - 2, use);
    return p;
  };
  EXPECT_EQ(run(prog(mov64_imm(7, 0))).status, VEP_ACCEPTED);
  EXPECT_REJECTED(run(prog(st(B, 6, 0, 1))), 11,
                  "reg_read: ringbuf memory used after its submit or "
                  "discard: r6");
  EXPECT_REJECTED(run(prog(ldx(DW, 7, 10, -8))), 11,
                  "mem_stack: read of uninitialised stack");
  // Submitting twice.
  Prog p = prog(mov64_reg(1, 6));
  p.insert(p.end() - 2, helper(DISCARD));
  EXPECT_REJECTED(run(p), 11, "ringbuf memory used after its submit");
}

TEST(Ringbuf, EveryReservationIsReleasedOnEveryPath) {
  // Discarded on one side of a branch on its contents, submitted on the
  // other: 6: r7 = *(u8 *)(r0 + 0); 7: if r7 > 3 goto 13; 8-10: discard;
  // 11: r0 = 1; 12: exit; 13-15: submit (reserve_fill's tail) ...
  Prog p = reserve_fill({ldx(B, 7, 0, 0), jmp_imm(JGT, 7, 3, 5),
                         mov64_reg(1, 0), mov64_imm(2, 0), helper(DISCARD),
                         mov64_imm(0, 1), exit_insn()});
  EXPECT_EQ(run(p).status, VEP_ACCEPTED);
  p[10] = mov64_imm(2, 0); // that side no longer releases it
  EXPECT_REJECTED(run(p), 12, "ringbuf_live");
  // Dropping the only copy does not release it.
  p = reserve();
  p.insert(p.end(), {mov64_imm(0, 0), exit_insn()});
  EXPECT_REJECTED(run(p), 6, "not submitted or discarded at exit");
}

TEST(Ringbuf, TwoReservations) {
  // 5: r6 = r0; 6-7: r1 = rb; 8-11: r7 = reserve(rb, 16, 0); then r7
  // submitted if not null, r6 discarded if not null.
  Prog p = reserve();
  p.insert(p.end(),
           {mov64_reg(6, 0), raw(LD | DW, 1, 0, 0, 0), raw(0, 0, 0, 0, 0),
            mov64_imm(2, 16), mov64_imm(3, 0), helper(RESERVE), mov64_reg(7, 0),
            // 12: if r7 == 0 goto 17
            jmp_imm(JEQ, 7, 0, 4), st(DW, 7, 8, 1), mov64_reg(1, 7),
            mov64_imm(2, 0), helper(SUBMIT),
            // 17: if r6 == 0 goto 21
            jmp_imm(JEQ, 6, 0, 3), mov64_reg(1, 6), mov64_imm(2, 0),
            helper(DISCARD), mov64_imm(0, 0), exit_insn()});
  Outcome o =
      round_trip(map_object(p, {{0, 1}, {6, 1}}, map_symbols({"rb"}), "xdp"),
                 {}, {}, rb().get());
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  p[18] = mov64_reg(1, 7); // discards the submitted one, not r6's
  o = round_trip(map_object(p, {{0, 1}, {6, 1}}, map_symbols({"rb"}), "xdp"),
                 {}, {}, rb().get());
  EXPECT_REJECTED(o, 18, "ringbuf memory used after its submit or discard");
}

// ---- cut_ringbuf: reservations live at cut points ---------------------------
namespace {
// One cut point at `insn` binding `b`; for reserve_fill({st(DW, 0, 0, 7)}),
// insn 8 is the submit's r2 = 0, where r0 and r1 hold the reservation.
std::vector<CutTable> cut_at(uint32_t insn, std::vector<Binding> b) {
  Cut k;
  k.insn = insn;
  k.bindings = std::move(b);
  CutTable t;
  t.cuts = {k};
  return {t};
}
Binding ringbuf(int16_t where, uint32_t size = 8, Form off = form(0)) {
  return bind(VEP_BIND_RINGBUF, where, std::move(off), size);
}
} // namespace

TEST(Ringbuf, ReservationBoundOnceAtACutPoint) {
  Prog p = reserve_fill({st(DW, 0, 0, 7)});
  EXPECT_EQ(run(p, "xdp", rb(), cut_at(8, {ringbuf(1)})).status,
            VEP_ACCEPTED);
  // Unbound, it would leak: the path from the cut point has no copy.
  EXPECT_REJECTED(run(p, "xdp", rb(), cut_at(8, {})), 8,
                  "cut_ringbuf: cut point 8: 1 ringbuf reservation(s) not "
                  "submitted or discarded, the assertion binds 0");
  // Bound twice, it would be two reservations, each to release.
  EXPECT_REJECTED(run(p, "xdp", rb(), cut_at(8, {ringbuf(0), ringbuf(1)})), 8,
                  "cut_ringbuf: cut point 8: two bindings hold one ringbuf "
                  "reservation");
  // Another size, another offset, before the null check.
  EXPECT_REJECTED(run(p, "xdp", rb(), cut_at(8, {ringbuf(1, 16)})), 8,
                  "cut_match: cut point 8: r1 is ringbuf memory, the "
                  "assertion binds ringbuf memory");
  EXPECT_REJECTED(run(p, "xdp", rb(), cut_at(8, {ringbuf(1, 8, form(1))})), 8,
                  "cut_binding");
  EXPECT_REJECTED(run(p, "xdp", rb(), cut_at(5, {ringbuf(0)})), 5,
                  "cut_match: cut point 5: r0 is ringbuf memory that may be "
                  "null");
  // The size is that of a reservation.
  EXPECT_REJECTED(run(p, "xdp", rb(), cut_at(8, {ringbuf(1, 0)})), 8,
                  "reserved size not in [1, 2^20]");
  // (Larger is not expressible in a file: the reader bounds the number.)
  EXPECT_REJECTED(
      write_proof(map_object(p, {{0, 1}}, map_symbols({"rb"}), "xdp"), {}, 0,
                  cut_at(8, {ringbuf(1, VEP_MAX_MAP_BYTES + 1)}), rb().get()),
      8, "reserved size not in [1, 2^20]");
  // The path from the cut point owns the reservation: dropping it leaks it,
  // its bounds are the binding's size.
  Prog drop = p;
  drop[9] = mov64_imm(1, 0);
  EXPECT_REJECTED(run(drop, "xdp", rb(), cut_at(8, {ringbuf(1)})), 11,
                  "not submitted or discarded at exit");
  Prog far = p;
  far[8] = st(DW, 1, 8, 7);
  EXPECT_REJECTED(run(far, "xdp", rb(), cut_at(8, {ringbuf(1, 16)})), 8,
                  "cut_match");
  EXPECT_REJECTED(run(far, "xdp", rb(), cut_at(7, {ringbuf(0)})), 8,
                  "mem_ringbuf: ACCESS_HIGH not proved");
}

namespace {
// reserve(8); 5: if r0 == 0 goto 17; 6: r6 = r0; 7: r7 = 0; 8 (loop
// head): if r7 >= 8 goto 14; 9-11: *(u8 *)(r6 + r7) = 1; 12: r7 += 1; 13:
// goto 8; 14-16: submit r6; 17: r0 = 0; 18: exit.
Prog fill_loop() {
  Prog p = reserve();
  p.insert(p.end(),
           {jmp_imm(JEQ, 0, 0, 11), mov64_reg(6, 0), mov64_imm(7, 0),
            jmp_imm(JGE, 7, 8, 5), mov64_reg(1, 6), alu64_reg(ADD, 1, 7),
            st(B, 1, 0, 1), alu64_imm(ADD, 7, 1), ja(-6), mov64_reg(1, 6),
            mov64_imm(2, 0), helper(SUBMIT), mov64_imm(0, 0), exit_insn()});
  return p;
}
// The head: r6 = the reservation, r7 = x1 with 0 <= x1 <= 8, rank 8 - x1.
std::vector<CutTable> fill_head(uint32_t size = 8) {
  std::vector<CutTable> t = cut_at(8, {ringbuf(6, size), bind(0, 7, var(1))});
  Cut &k = t[0].cuts[0];
  k.n_exists = 1;
  k.facts = {var(1), form(8, {{1, -1}})};
  k.has_rank = true;
  k.rank = form(8, {{1, -1}});
  return t;
}
} // namespace

TEST(Ringbuf, ReservationFilledInALoop) {
  EXPECT_EQ(run(fill_loop(), "xdp", rb(), fill_head()).status, VEP_ACCEPTED);
  // Larger than the reservation, the loop writes past its end.
  EXPECT_REJECTED(run(fill_loop(), "xdp", rb(), fill_head(16)), 8,
                  "cut_match");
  Prog p = fill_loop();
  p[8] = jmp_imm(JGE, 7, 9, 5); // one byte too many
  EXPECT_REJECTED(run(p, "xdp", rb(), fill_head(9)), 8, "cut_match");
  EXPECT_REJECTED(run(p, "xdp", rb(), fill_head()), 11,
                  "mem_ringbuf: ACCESS_HIGH not proved");
  // Submitted inside the loop: the next iteration would write released
  // memory; the back edge finds the copy released.
  p = fill_loop();
  p[11] = helper(SUBMIT); // r1 = r6 + r7, r2 = r7: not offset 0
  EXPECT_EQ(run(p, "xdp", rb(), fill_head()).status, VEP_REJECTED);
  p = fill_loop();
  p[9] = mov64_reg(1, 6);
  p[10] = mov64_imm(2, 0);
  p[11] = helper(SUBMIT);
  EXPECT_REJECTED(run(p, "xdp", rb(), fill_head()), 8,
                  "cut_match: cut point 8: r6 is uninitialised, the "
                  "assertion binds ringbuf memory");
}

// ---- ringbuf_live at tail calls; reservations across calls ----------------
TEST(Ringbuf, NoReservationLiveAtATailCall) {
  // A tail call with a live reservation would leak it.
  Maps m = rb();
  m.add("jt", PROG_ARRAY, 4, 4, 4);
  Prog q = reserve_fill({mov64_reg(6, 0), mov64_reg(1, 9),
                         raw(LD | DW, 2, 0, 0, 0), raw(0, 0, 0, 0, 0),
                         mov64_imm(3, 0), helper(TAIL_CALL), mov64_reg(0, 6)});
  q.insert(q.begin(), mov64_reg(9, 1)); // keep the context
  Outcome o = round_trip(
      map_object(q, {{1, 1}, {9, 2}}, map_symbols({"rb", "jt"}), "xdp"), {}, {},
      m.get());
  EXPECT_REJECTED(o, 12,
                  "ringbuf_live: ringbuf reservation not submitted or "
                  "discarded before a tail call");
}

TEST(Ringbuf, ReservationLiveAcrossABpfToBpfCall) {
  // reserve(size); 5: if r0 == 0 goto 12; 6: r6 = r0; 7, 8: `around`
  // (one of them the call of f); 9-11: submit r6; 12: r0 = 0; 13: exit.
  auto prog = [](Insn a, Insn b, int32_t size = 8) {
    Prog p = reserve(size);
    p.insert(p.end(), {jmp_imm(JEQ, 0, 0, 6), mov64_reg(6, 0), a, b,
                       mov64_reg(1, 6), mov64_imm(2, 0), helper(SUBMIT),
                       mov64_imm(0, 0), exit_insn()});
    return p;
  };
  auto run_with = [](const Prog &p, uint64_t call_at, const Prog &text,
                     Function f) {
    Maps m = rb();
    f.n_insns = (uint32_t)text.size();
    return round_trip(call_object(p, text, {{"f", 0, f.n_insns}},
                                  {{0, 3, 1}, {call_at, 2, R_BPF_64_32}}, {},
                                  "xdp", {"rb"}),
                      {}, {}, m.get(), {f});
  };
  // Kept in r6 across the call: the callee cannot see it, the caller keeps
  // it (callee-saved) and submits it after. one(): r0 = 1.
  const Prog one = {mov64_imm(0, 1), exit_insn()};
  Outcome o = run_with(prog(call_fn(-1), st(DW, 6, 0, 7)), 7, one, {});
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  // Not released after it: pending at exit.
  Prog kept = prog(call_fn(-1), st(DW, 6, 0, 7));
  kept[11] = ja(0);
  EXPECT_REJECTED(run_with(kept, 7, one, {}), 13,
                  "not submitted or discarded at exit");

  // Passed as a buffer (8: call fill with r1 = r0): fill(buf) writes 8
  // bytes of it, which the reservation must hold.
  const Prog fill = {st(DW, 1, 0, 9), mov64_imm(0, 0), exit_insn()};
  Function writes8;
  writes8.pre.bindings = {buf(1, form(8), true)};
  o = run_with(prog(mov64_reg(1, 0), call_fn(-1)), 8, fill, writes8);
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  EXPECT_REJECTED(run_with(prog(mov64_reg(1, 0), call_fn(-1), 4), 8, fill,
                           writes8),
                  8, "call_enter: precondition of f: ACCESS_HIGH not proved");
  // The callee cannot release it: a buffer is not reserved memory.
  const Prog release = {mov64_imm(2, 0), helper(SUBMIT), mov64_imm(0, 0),
                        exit_insn()};
  EXPECT_REJECTED(run_with(prog(mov64_reg(1, 0), call_fn(-1)), 8, release,
                           writes8),
                  1, "helper_call");
}
