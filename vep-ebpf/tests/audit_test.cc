// audit_test.cc - Adversarial inputs against the checker core's newest
// rules (an audit of vep-ebpf/src): each attack is a program the checker
// must refuse, beside an accepted twin that differs only in the point the
// attack exploits, so that the test fails if the rule stops biting.
#include "test_support.h"

#include <gtest/gtest.h>

using namespace vt;

namespace {

enum : uint32_t { ARRAY = 2, RDONLY_PROG = 0x80 };

// r<dst> = a pointer into the value of map `map` at offset `off`
// (BPF_PSEUDO_MAP_VALUE): two slots.
void ld_map_value(Prog &p, uint8_t dst, int32_t map, int32_t off) {
  p.push_back(raw(LD | DW, dst, 2, 0, map));
  p.push_back(raw(0, 0, 0, 0, off));
}

Cut contract(uint32_t n_exists, std::vector<Binding> bindings,
             std::vector<Form> facts = {}) {
  Cut k;
  k.n_exists = n_exists;
  k.bindings = std::move(bindings);
  k.facts = std::move(facts);
  return k;
}

} // namespace

// ---- call_enter (15.5), call_buffer: a read-only map value ----------------
// A store into a BPF_F_RDONLY_PROG map value is refused (9.7, mem_map), and
// so is a helper writing one (9.3, writable_end). A function whose pre lets
// it store through its buffer (`writes`) must not be handed such a value
// either: the store in the callee goes to the map all the same.
TEST(Audit, ReadOnlyMapValueIsNoWritableBuffer) {
  // put4(buf) stores 4 bytes at buf[0]; buf is 4 bytes, writes.
  const Prog put4 = {st(W, 1, 0, 7), mov64_imm(0, 0), exit_insn()};
  Prog prog;
  ld_map_value(prog, 1, 0, 0);
  prog.push_back(call_fn(-1));
  prog.push_back(exit_insn());
  auto obj = call_object(prog, put4, {{"put4", 0, 3}}, {{2, 2, R_BPF_64_32}});
  for (bool readonly : {false, true}) {
    Maps m;
    m.add(".rodata", ARRAY, 4, 8, 1);
    m.defs.back().flags = readonly ? RDONLY_PROG : 0;
    Function f{0, 3, contract(0, {buf(1, form(4), true)}), contract(0, {}), {}};
    Outcome o = round_trip(obj, {}, {}, m.get(), {f});
    if (!readonly)
      EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
    else
      EXPECT_REJECTED(o, 2, "read-only map value");
    // A buffer the callee only reads may be a read-only map's value.
    f.pre.bindings[0].writes = false;
    const Prog get4 = {ldx(W, 0, 1, 0), exit_insn()};
    auto obj2 =
        call_object(prog, get4, {{"get4", 0, 2}}, {{2, 2, R_BPF_64_32}});
    f.n_insns = 2;
    o = round_trip(obj2, {}, {}, m.get(), {f});
    EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  }
}

// ---- cut_ghost, rank_ghost (8.4): a ghost carried through joins -----------
// The termination argument needs every cut point between two visits of an
// outer loop head L to carry a ghost for L, each at most the one before:
// a path from a cut point without one must not reach a cut point with one
// (cut_ghost) nor jump back to L (cut_back_edge). Joins (cut points without
// a rank) may carry ghosts too; these attacks go through two of them.
TEST(Audit, GhostsCarriedThroughJoins) {
  // 0: i = 0; 1: outer head: if i >= 4 goto 8; 2: j = 0 (join);
  // 3: inner head: if j >= 4 goto 6; 4: j++; 5: goto 3;
  // 6: i++ (join); 7: goto 1; 8: r0 = 2; 9: exit.
  const Prog p = {mov64_imm(6, 0),      jmp_imm(JGE, 6, 4, 6),
                  mov64_imm(7, 0),      jmp_imm(JGE, 7, 4, 2),
                  alu64_imm(ADD, 7, 1), ja(-3),
                  alu64_imm(ADD, 6, 1), ja(-7),
                  mov64_imm(0, 2),      exit_insn()};
  auto with_rank = [](Cut k, Form rank) {
    k.has_rank = true;
    k.rank = std::move(rank);
    return k;
  };
  // i = x_1 with 0 <= x_1 <= `hi`.
  auto i_is = [](uint32_t insn, __int128 hi) {
    Cut k;
    k.insn = insn;
    k.n_exists = 1;
    k.bindings = {bind(VEP_BIND_SCALAR, 6, var(1))};
    k.facts = {var(1), form(hi, {{1, -1}})};
    return k;
  };
  const Form outer_rank = form(4, {{1, -1}});
  Cut outer = with_rank(i_is(1, 4), outer_rank);
  Cut inner = i_is(3, 3);
  inner.n_exists = 2;
  inner.bindings.push_back(bind(VEP_BIND_SCALAR, 7, var(2)));
  inner.facts.insert(inner.facts.end(), {var(2), form(4, {{2, -1}})});
  inner = with_rank(inner, form(4, {{2, -1}}));
  inner.ghosts = {{1, outer_rank}};
  Cut before = i_is(2, 3), after = i_is(6, 3);
  before.ghosts = after.ghosts = {{1, outer_rank}};
  auto check = [&](Cut b, Cut a) {
    CutTable t;
    t.cuts = {outer, b, inner, a};
    return round_trip(xdp_object(p), {}, {t});
  };
  Outcome o = check(before, after);
  ASSERT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  // entry -> 1; 1 -> exit, 1 -> 2; 2 -> 3; 3 -> 3, 3 -> 6; 6 -> 1.
  EXPECT_EQ(o.paths, 7u);
  // The join before the inner loop forgets the outer rank: the inner head
  // may not claim it.
  Cut forgets = before;
  forgets.ghosts.clear();
  EXPECT_REJECTED(check(forgets, after), 3,
                  "cut_ghost: cut point 3: inside the loop at insn 1, but the "
                  "path from insn 2 did not come through it");
  // The join after the inner loop forgets it: no back edge from there.
  forgets = after;
  forgets.ghosts.clear();
  EXPECT_REJECTED(check(before, forgets), 7,
                  "cut_back_edge: cut point 1: backward jump from insn 7");
  // A join claiming more than the ghost it came with.
  Cut grows = after;
  grows.ghosts[0].second = form(5, {{1, -1}});
  EXPECT_REJECTED(check(before, grows), 6,
                  "rank_ghost: cut point 6: RANK_GHOST not proved");
  grows = before;
  grows.ghosts[0].second = form(5, {{1, -1}});
  EXPECT_REJECTED(check(grows, after), 2,
                  "rank_ghost: cut point 2: RANK_GHOST not proved");
}

// ---- call_enter (15.5), call_buffer: a stack buffer's size ----------------
// A stack buffer argument must lie in the frame: [o, o + n) inside
// [-512, 0). The pre's size form is any 128-bit constant; o + n must not
// wrap (o = 1, n = 2^127 - 1 did: the buffer above the frame's top was
// accepted, and the callee read 4 KiB past it).
TEST(Audit, StackBufferSizeDoesNotWrap) {
  // get(buf): r0 = buf[4096].
  const Prog get = {ldx(B, 0, 1, 4096), exit_insn()};
  const __int128 huge = ~(unsigned __int128)0 >> 1; // 2^127 - 1
  for (int32_t at : {-8, 1}) {
    for (__int128 size : {(__int128)8, huge - 8, huge}) {
      Prog prog = {st(DW, 10, -8, 0), mov64_reg(1, 10), alu64_imm(ADD, 1, at),
                   call_fn(-1), exit_insn()};
      auto obj = call_object(prog, get, {{"get", 0, 2}}, {{3, 2, R_BPF_64_32}});
      Function f{0, 2, contract(0, {buf(1, form(size))}), contract(0, {}), {}};
      Outcome o = round_trip(obj, {}, {}, nullptr, {f});
      if (at == -8 && size == 8)
        // Accepted but for the callee's read past its 8 bytes.
        EXPECT_REJECTED(o, 0, "mem_buf");
      else
        EXPECT_REJECTED(o, 3,
                        "call_enter: precondition of get: r1: stack "
                        "buffer outside the frame");
    }
  }
}

// ---- mem_stack, mem_ctx (7.4): offsets near 2^127 -------------------------
// A cut point binds a stack or context pointer with any constant offset
// (a 128-bit form); the path from it is explored whether or not any path
// arrives there. The bounds checks must not wrap when the offset is near
// 2^127 (o + size did: the store went to a slot index past the frame).
TEST(Audit, HugeConstantOffsetsDoNotWrap) {
  const __int128 huge = ~(unsigned __int128)0 >> 1; // 2^127 - 1
  // 0-1: exit; 2: the access (unreachable but for cut point 2); 3: exit.
  for (bool store : {true, false}) {
    for (__int128 at : {(__int128)-8, huge - 3, huge - 7, -huge - 1}) {
      Prog p = {mov64_imm(0, 0), exit_insn(),
                store ? stx(DW, 1, 0, 0) : ldx(DW, 0, 1, 0), exit_insn()};
      Cut k;
      k.insn = 2;
      k.bindings = {bind(VEP_BIND_STACK, 1, form(at)),
                    bind(VEP_BIND_SCALAR, 0, form(0))};
      k.init_lo = -8;
      CutTable t;
      t.cuts = {k};
      Outcome o = round_trip(xdp_object(p), {}, {t});
      if (at == -8)
        EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
      else
        EXPECT_REJECTED(o, 2, "mem_stack: stack access out of bounds");
      // The same offsets as a kprobe's context (a read-only record).
      k.bindings[0].kind = VEP_BIND_CTX;
      k.bindings[0].value = form(at == -8 ? 8 : at);
      t.cuts = {k};
      o = round_trip(xdp_object(p, "kprobe/f"), {}, {t});
      if (at == -8 && !store)
        EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
      else
        EXPECT_REJECTED(o, 2, "mem_ctx: kprobe programs");
    }
  }
}

// ---- Value kinds (7.1): stale and released values below V_SCALAR ----------
// Format 7.0 made V_STALE (a packet pointer before a packet-changing
// helper) and V_RELEASED (a reservation after its submit or discard) value
// kinds below V_SCALAR, beside V_UNINIT, and turned the old `kind == V_PTR`
// tests into `kind > V_SCALAR` and the spill test of an 8-byte stack load
// into `kind >= V_SCALAR`. A stale or released spill must stay unreadable
// whatever is written over part of it, and must match no binding.
namespace {
enum : int32_t { ADJUST_HEAD = 44, RESERVE = 131, SUBMIT = 132 };
constexpr uint8_t ATOMIC = 0xc0;

Insn helper_call(int32_t id) { return raw(JMP | CALL, 0, 0, 0, id); }
Insn atomic_add(uint8_t size, uint8_t dst, uint8_t src, int16_t off) {
  return raw(STX | ATOMIC | size, dst, src, off, 0);
}

// XDP: 0: r2 = data; 1: r3 = data_end; 2: r6 = ctx; 3: spill r2 at -8;
// 4: r7 = r2; 5-7: r1 = ctx, r2 = -4, r3 = 0; 8: xdp_adjust_head; then
// `tail` (from insn 9); r0 = 0; exit.
Prog stale_spill(std::vector<Insn> tail) {
  Prog p = {ldx(W, 2, 1, 0),    ldx(W, 3, 1, 4), mov64_reg(6, 1),
            stx(DW, 10, 2, -8), mov64_reg(7, 2), mov64_reg(1, 6),
            mov64_imm(2, -4),   mov64_imm(3, 0), helper_call(ADJUST_HEAD)};
  p.insert(p.end(), tail.begin(), tail.end());
  p.insert(p.end(), {mov64_imm(0, 0), exit_insn()});
  return p;
}

// 0-1: r1 = rb; 2: r2 = 8; 3: r3 = 0; 4: reserve; 5: if r0 == 0 goto the
// end; 6: spill r0 at -8; 7: r1 = r0; 8: r2 = 0; 9: submit; then `tail`
// (from insn 10); r0 = 0; exit.
Prog released_spill(std::vector<Insn> tail) {
  Prog p = {
      raw(LD | DW, 1, 0, 0, 0), raw(0, 0, 0, 0, 0),
      mov64_imm(2, 8),          mov64_imm(3, 0),
      helper_call(RESERVE),     jmp_imm(JEQ, 0, 0, (int16_t)(tail.size() + 4)),
      stx(DW, 10, 0, -8),       mov64_reg(1, 0),
      mov64_imm(2, 0),          helper_call(SUBMIT)};
  p.insert(p.end(), tail.begin(), tail.end());
  p.insert(p.end(), {mov64_imm(0, 0), exit_insn()});
  return p;
}

Outcome run_released(const Prog &p) {
  Maps m;
  m.add("rb", 27 /* RINGBUF */, 0, 0, 4096);
  return round_trip(map_object(p, {{0, 1}}, map_symbols({"rb"})), {}, {},
                    m.get());
}
} // namespace

TEST(Audit, StaleAndReleasedSpillsStayUnreadable) {
  // Twins: a whole 8-byte store replaces the spill; its fill is data.
  const std::vector<Insn> whole = {st(DW, 10, -8, 1), ldx(DW, 8, 10, -8)};
  EXPECT_EQ(round_trip(xdp_object(stale_spill(whole))).status, VEP_ACCEPTED);
  EXPECT_EQ(run_released(released_spill(whole)).status, VEP_ACCEPTED);
  // One byte written over the stale or released spill: the other seven
  // are no data (the slot's kind is below V_SCALAR: no spill to fill).
  for (int16_t at : {-8, -1}) {
    const std::vector<Insn> part = {st(B, 10, at, 1), ldx(DW, 8, 10, -8)};
    EXPECT_REJECTED(round_trip(xdp_object(stale_spill(part))), 10,
                    "mem_stack: read of uninitialised stack");
    EXPECT_REJECTED(run_released(released_spill(part)), 11,
                    "mem_stack: read of uninitialised stack");
  }
  // An atomic reads the bytes first (twin: over a whole scalar store).
  const std::vector<Insn> add = {mov64_imm(8, 1), atomic_add(DW, 10, 8, -8)};
  EXPECT_REJECTED(round_trip(xdp_object(stale_spill(add))), 10,
                  "mem_stack: read of uninitialised stack");
  EXPECT_REJECTED(run_released(released_spill(add)), 11,
                  "mem_stack: read of uninitialised stack");
  std::vector<Insn> add_after = {st(DW, 10, -8, 1)};
  add_after.insert(add_after.end(), add.begin(), add.end());
  EXPECT_EQ(round_trip(xdp_object(stale_spill(add_after))).status,
            VEP_ACCEPTED);
  // As a helper's read buffer (csum_diff of the 8 bytes at -8).
  std::vector<Insn> csum = {
      mov64_reg(1, 10), alu64_imm(ADD, 1, -8), mov64_imm(2, 8), mov64_reg(3, 1),
      mov64_imm(4, 8),  mov64_imm(5, 0),       helper_call(28)};
  EXPECT_REJECTED(round_trip(xdp_object(stale_spill(csum))), 15,
                  "csum_diff: r1: helper given a too-small or uninitialised "
                  "buffer");
  csum.insert(csum.begin(), st(DW, 10, -8, 1));
  Outcome o = round_trip(xdp_object(stale_spill(csum)));
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
}

// A cut point after the call binding the stale register or spill as a
// packet pointer (twin: the same cut point before the call).
TEST(Audit, StaleValuesMatchNoBinding) {
  const Prog p = stale_spill({mov64_imm(0, 0)}); // 9: the cut point
  for (uint32_t insn : {5u, 9u}) {
    for (int16_t where : {(int16_t)7, (int16_t)-8}) {
      Cut k;
      k.insn = insn;
      k.bindings = {bind(VEP_BIND_CTX, 6, form(0)),
                    bind(VEP_BIND_PACKET, where, form(0))};
      CutTable t;
      t.cuts = {k};
      Outcome o = round_trip(xdp_object(p), {}, {t});
      if (insn == 5)
        EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
      else
        EXPECT_REJECTED(o, 9,
                        where == 7 ? "cut_match: cut point 9: r7 is "
                                     "uninitialised, the assertion binds a "
                                     "packet pointer"
                                   : "cut_match: cut point 9: the stack slot "
                                     "at -8 holds no whole spilled value");
    }
  }
}

// ---- vep_region_end (7.4, 9.3, 15.5): the shared end and its write test ---
// Loads, stores, atomics, helper destinations and call buffers now share
// one end; `write` must hold for every path that writes. An atomic is a
// store (and a read): not into a read-only map value; a helper writing its
// destination: not into one either (twins: the writable map).
TEST(Audit, ReadOnlyMapValueRefusesEveryWrite) {
  for (bool readonly : {false, true}) {
    Maps m;
    m.add(".rodata", ARRAY, 4, 8, 1);
    m.defs.back().flags = readonly ? RDONLY_PROG : 0;
    Prog add;
    ld_map_value(add, 1, 0, 0);
    add.insert(add.end(), {mov64_imm(2, 1), atomic_add(DW, 1, 2, 0),
                           mov64_imm(0, 0), exit_insn()});
    Outcome o = round_trip(xdp_object(add), {}, {}, m.get());
    if (readonly)
      EXPECT_REJECTED(o, 3, "mem_map: store into a read-only map value");
    else
      EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
    // probe_read_kernel(value, 8, 0): the helper writes the value.
    Prog read;
    ld_map_value(read, 1, 0, 0);
    read.insert(read.end(), {mov64_imm(2, 8), mov64_imm(3, 0), helper_call(113),
                             mov64_imm(0, 0), exit_insn()});
    o = round_trip(xdp_object(read, "kprobe/f"), {}, {}, m.get());
    if (readonly)
      EXPECT_REJECTED(o, 4,
                      "probe_read_kernel: r1 is not a pointer into the "
                      "stack frame at a constant offset, a writable "
                      "map value");
    else
      EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
    // Reading 9 bytes of the 8-byte value: the end is value_size.
    read[3] = mov64_imm(2, 9);
    if (!readonly)
      EXPECT_REJECTED(round_trip(xdp_object(read, "kprobe/f"), {}, {}, m.get()),
                      4, "helper_call: ACCESS_HIGH not proved");
  }
}

// A function's buffer: the end is its pre's size form; a buffer the
// function may only read takes no atomic, and is no `writes` buffer of a
// function it calls (twins: `writes`).
TEST(Audit, ReadOnlyFunctionBufferRefusesEveryWrite) {
  // The program: *(u64 *)(r10 - 8) = 0; r1 = r10 - 8; call f; exit.
  const Prog prog = {st(DW, 10, -8, 0), mov64_reg(1, 10), alu64_imm(ADD, 1, -8),
                     call_fn(-1), exit_insn()};
  for (bool writes : {false, true}) {
    // f(buf): buf[0] = 1 (4 bytes), a 4-byte buffer (atomics take only
    // map values and the stack: mem_atomic).
    const Prog inc = {mov64_imm(2, 1), stx(W, 1, 2, 0), mov64_imm(0, 0),
                      exit_insn()};
    auto obj = call_object(prog, inc, {{"f", 0, 4}}, {{3, 2, R_BPF_64_32}});
    Function f{
        0, 4, contract(0, {buf(1, form(4), writes)}), contract(0, {}), {}};
    Outcome o = round_trip(obj, {}, {}, nullptr, {f});
    if (writes)
      EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
    else
      EXPECT_REJECTED(o, 1,
                      "mem_buf: store through a buffer the function "
                      "may only read");
    // The store at offset 1 of the 4-byte buffer: past its end.
    const Prog past = {mov64_imm(2, 1), stx(W, 1, 2, 1), mov64_imm(0, 0),
                       exit_insn()};
    obj = call_object(prog, past, {{"f", 0, 4}}, {{3, 2, R_BPF_64_32}});
    f.pre.bindings[0].writes = true;
    EXPECT_REJECTED(round_trip(obj, {}, {}, nullptr, {f}), 1,
                    "mem_buf: ACCESS_HIGH not proved");
    // f(buf) calls g(buf), g's pre: 4 bytes, writes; f's buffer: `writes`.
    const Prog text = {call_fn(-1), exit_insn(), st(W, 1, 0, 7),
                       mov64_imm(0, 0), exit_insn()};
    obj = call_object(prog, text, {{"f", 0, 2}, {"g", 2, 3}},
                      {{3, 2, R_BPF_64_32}}, {{0, 3, R_BPF_64_32}});
    Function ff{
        0, 2, contract(0, {buf(1, form(8), writes)}), contract(0, {}), {}};
    Function g{2, 3, contract(0, {buf(1, form(4), true)}), contract(0, {}), {}};
    o = round_trip(obj, {}, {}, nullptr, {ff, g});
    if (writes)
      EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
    else
      EXPECT_REJECTED(o, 0,
                      "call_enter: precondition of g: r1: a read-only "
                      "map value or a buffer the caller may only read "
                      "passed as writes");
    // g's buffer larger than f's.
    g.pre.bindings[0].value = form(9);
    ff.pre.bindings[0].writes = true;
    EXPECT_REJECTED(round_trip(obj, {}, {}, nullptr, {ff, g}), 0,
                    "call_enter: precondition of g: ACCESS_HIGH not proved");
  }
}

// call_buffer now makes a `writes` stack buffer's bytes data before the
// pre's later checks (it did so in call_return): a scalar spilled there
// is forgotten; the caller may not keep its old value (twin: a buffer the
// callee only reads keeps it).
TEST(Audit, WritesStackBufferForgetsItsSpills) {
  // *(u64 *)(r10 - 8) = 5; r1 = r10 - 8; call f; r0 = *(u64 *)(r10 - 8);
  // exit, the post: r0 == 5.
  const Prog prog = {st(DW, 10, -8, 5),     mov64_reg(1, 10),
                     alu64_imm(ADD, 1, -8), call_fn(-1),
                     ldx(DW, 0, 10, -8),    exit_insn()};
  const Prog get = {ldx(W, 0, 1, 0), exit_insn()};
  auto obj = call_object(prog, get, {{"f", 0, 2}}, {{3, 2, R_BPF_64_32}});
  for (bool writes : {false, true}) {
    Function f{
        0, 2, contract(0, {buf(1, form(8), writes)}), contract(0, {}), {}};
    Outcome o = round_trip(obj, {post_range(5, 5)}, {}, nullptr, {f});
    if (writes)
      EXPECT_REJECTED(o, 5,
                      "cut_fact: postcondition of xdp: CUT_FACT not "
                      "proved");
    else
      EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  }
}

// ---- proof_entry, proof_hash (format 7.0): headers matched by order -------
// Program headers carry no name: header i goes with program i, bound by
// the hash of its code only. Two programs with the same code share a hash,
// so their headers are interchangeable; each program must still be
// checked as its own section's type. r0 = *(u32 *)(ctx + 0) is a scalar
// in a kprobe (twin) and the packet pointer `data` in XDP (exit_r0).
TEST(Audit, IdenticalCodeIsCheckedPerProgramType) {
  const Prog code = {ldx(W, 0, 1, 0), exit_insn()};
  auto object = [&](std::vector<std::string> names) {
    std::vector<Section> sections;
    for (const std::string &name : names) {
      Section s;
      s.name = name;
      s.data = encode(code);
      sections.push_back(s);
    }
    return build_elf(sections);
  };
  Outcome o = round_trip(object({"kprobe/a", "kprobe/b"}));
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  for (auto names : {std::vector<std::string>{"kprobe/a", "xdp"},
                     std::vector<std::string>{"xdp", "kprobe/a"}}) {
    o = round_trip(object(names));
    EXPECT_REJECTED(o, 1, "exit_r0: r0 holds a pointer at exit");
    EXPECT_EQ(o.program, "xdp");
    // The kprobe's proof, header for header, does not help the XDP one.
    Outcome k = write_proof(object({"kprobe/a", "kprobe/b"}));
    o = check_proof(object(names), k.proof);
    EXPECT_REJECTED(o, 1, "exit_r0: r0 holds a pointer at exit");
  }
}

// cut_match names the kind a bound register holds from V_SCALAR on. While
// no reservation could reach an assertion the ringbuf kinds had no name
// there; now that a cut point may bind one (cut_ringbuf), both have one. A
// cut point binding the reservation's register as a scalar before and
// after its null check is refused by name.
TEST(Audit, ReservationsAtAssertionsAreNamed) {
  // released_spill's program; r0: the reservation at 5 (before the null
  // check) and 6 (after it); the twin: a cut point at 10 (after the
  // submit, none live) binding no register.
  const Prog p = released_spill({});
  for (uint32_t insn : {5u, 6u, 10u}) {
    Cut k;
    k.insn = insn;
    if (insn != 10) {
      k.n_exists = 1;
      k.bindings = {bind(VEP_BIND_SCALAR, 0, var(1))};
    }
    CutTable t;
    t.cuts = {k};
    Maps m;
    m.add("rb", 27 /* RINGBUF */, 0, 0, 4096);
    Outcome o = round_trip(map_object(p, {{0, 1}}, map_symbols({"rb"})), {},
                           {t}, m.get());
    if (insn == 10)
      EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
    else
      EXPECT_REJECTED(o, insn,
                      insn == 5 ? "r0 is ringbuf memory that may be null, "
                                  "the assertion binds a scalar"
                                : "r0 is ringbuf memory, the assertion "
                                  "binds a scalar");
  }
}
