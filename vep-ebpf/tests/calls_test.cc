// calls_test.cc - bpf-to-bpf calls with contracts (docs/proof-format.md,
// "Functions"): the object rules (functions in .text, call relocations),
// call_enter, call_return, func_entry, func_exit. Every rejection has an
// accepted twin that differs only in the point the rejection names.
#include "test_support.h"

#include <gtest/gtest.h>

using namespace vt;

namespace {

Cut contract(uint32_t n_exists, std::vector<Binding> bindings,
             std::vector<Form> facts = {}) {
  Cut k;
  k.n_exists = n_exists;
  k.bindings = std::move(bindings);
  k.facts = std::move(facts);
  return k;
}

// x_a - x_b == k (a < b) as two facts.
std::vector<Form> equal(uint32_t a, uint32_t b, __int128 k) {
  return {form(-k, {{a, 1}, {b, -1}}), form(k, {{a, -1}, {b, 1}})};
}

// inc(x) = x + 1 for x <= 100: insns 0..2 of .text.
const Prog kInc = {mov64_reg(0, 1), alu64_imm(ADD, 0, 1), exit_insn()};
Function inc_fn() {
  return {0, 3,
          contract(1, {bind(VEP_BIND_SCALAR, 1, var(1))},
                   {form(100, {{1, -1}})}),
          contract(2, {bind(VEP_BIND_SCALAR, 0, var(2))}, equal(1, 2, -1)),
          {}};
}

// A program calling inc(arg) through the function symbol (symbol 2), then
// `after`.
std::vector<uint8_t> calls_inc(int32_t arg, Prog after, Prog before = {}) {
  Prog p = before;
  p.push_back(mov64_imm(1, arg));
  uint64_t at = p.size();
  p.push_back(call_fn(-1));
  p.insert(p.end(), after.begin(), after.end());
  return call_object(p, kInc, {{"inc", 0, 3}}, {{at, 2, R_BPF_64_32}});
}

Outcome check_calls(const std::vector<uint8_t> &obj,
                    std::vector<Function> fns, std::vector<Post> posts = {}) {
  return round_trip(obj, std::move(posts), {}, nullptr, std::move(fns));
}

} // namespace

// ---- call_enter, call_return, func_entry, func_exit ------------------------
TEST(Calls, PostFactsUsableAfterTheCall) {
  Outcome o = check_calls(calls_inc(7, {exit_insn()}), {inc_fn()},
                          {post_range(8, 8)});
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  // Twin: the post says 8, not 9.
  o = check_calls(calls_inc(7, {exit_insn()}), {inc_fn()}, {post_range(9, 9)});
  EXPECT_REJECTED(o, 2, "postcondition of xdp: CUT_FACT not proved");
}

TEST(Calls, PreconditionMustHold) {
  EXPECT_EQ(check_calls(calls_inc(100, {exit_insn()}), {inc_fn()}).status,
            VEP_ACCEPTED);
  Outcome o = check_calls(calls_inc(101, {exit_insn()}), {inc_fn()});
  EXPECT_REJECTED(o, 1, "cut_fact: precondition of inc: CUT_FACT not proved");
  EXPECT_EQ(o.program, "xdp");
}

TEST(Calls, CalleeIsCheckedAgainstItsContract) {
  // Without the pre's bound x <= 100, x + 1 may wrap: the post fails.
  Function f = inc_fn();
  f.pre.facts.clear();
  Outcome o = check_calls(calls_inc(7, {exit_insn()}), {f});
  EXPECT_REJECTED(o, 2, "postcondition of inc: CUT_FACT not proved");
  EXPECT_EQ(o.program, "inc");
}

TEST(Calls, CalleeSavedRegistersKept) {
  // r6 = 5 survives the call; r1 does not.
  Outcome o = check_calls(calls_inc(7, {mov64_reg(0, 6), exit_insn()},
                                    {mov64_imm(6, 5)}),
                          {inc_fn()}, {post_range(5, 5)});
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  o = check_calls(calls_inc(7, {mov64_reg(0, 1), exit_insn()},
                            {mov64_imm(6, 5)}),
                  {inc_fn()}, {post_range(5, 5)});
  EXPECT_REJECTED(o, 3, "reg_read: read of uninitialised register r1");
  for (uint8_t r = 2; r <= 5; r++) {
    o = check_calls(calls_inc(7, {mov64_reg(0, r), exit_insn()}), {inc_fn()});
    EXPECT_REJECTED(o, 2, "read of uninitialised register");
  }
}

// A function runs in programs of every type, so it calls only the helpers
// every type may: never one that changes the packet (no tracing type may),
// which would make its caller's packet pointers stale.
TEST(Calls, FunctionsCallNoPacketChangingHelper) {
  for (int32_t id : {5, 44}) { // ktime_get_ns, xdp_adjust_head
    // inc(x) = x + 1 with a helper call first; x kept in r6.
    Prog text = {
        mov64_reg(6, 1), mov64_imm(2, 4),      raw(JMP | CALL, 0, 0, 0, id),
        mov64_reg(0, 6), alu64_imm(ADD, 0, 1), exit_insn()};
    Function f = inc_fn();
    f.n_insns = (uint32_t)text.size();
    Outcome o = check_calls(
        call_object({mov64_imm(1, 7), call_fn(-1), exit_insn()}, text,
                    {{"inc", 0, (uint32_t)text.size()}}, {{1, 2, R_BPF_64_32}}),
        {f});
    if (id == 5) {
      EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
      continue;
    }
    EXPECT_REJECTED(o, 2,
                    "xdp_adjust_head is not allowed for this program "
                    "type");
    EXPECT_EQ(o.program, "inc");
  }
}

namespace {
// first(buf, n): returns buf[at] (a load of `size` bytes, or a store when
// `store`); pre: r1 a buffer of x1 bytes, r2 = x1, x1 >= 1 (or a buffer of
// the constant `fixed` bytes when fixed > 0).
Function buffer_fn(bool writes, int64_t fixed = 0) {
  Form size = fixed ? form(fixed) : var(1);
  return {3, 0,
          contract(1, {buf(1, size, writes), bind(VEP_BIND_SCALAR, 2, var(1))},
                   {form(-1, {{1, 1}})}),
          contract(1, {}), {}};
}

Prog buffer_body(uint8_t size, int16_t at, bool store) {
  if (store)
    return {st(size, 1, at, 0), mov64_imm(0, 0), exit_insn()};
  return {ldx(size, 0, 1, at), exit_insn()};
}

// .text: inc at 0..2, the buffer function at 3; the program passes a stack
// buffer of `n` bytes at r10 - 8 (initialised when `init`) through the
// section symbol (imm 3 - 1).
std::vector<uint8_t> stack_caller(const Prog &body, int32_t n, bool init,
                                  Prog after = {exit_insn()}) {
  Prog text = kInc;
  text.insert(text.end(), body.begin(), body.end());
  Prog p = {init ? st(DW, 10, -8, 0) : mov64_imm(0, 0), mov64_reg(1, 10),
            alu64_imm(ADD, 1, -8), mov64_imm(2, n), call_fn(2)};
  p.insert(p.end(), after.begin(), after.end());
  return call_object(p, text,
                     {{"inc", 0, 3}, {"first", 3, (uint32_t)body.size()}},
                     {{4, 1, R_BPF_64_32}});
}

Outcome check_buffer(const Prog &body, int32_t n, bool init, bool writes,
                     int64_t fixed = 0) {
  Function f = buffer_fn(writes, fixed);
  f.n_insns = (uint32_t)body.size();
  return check_calls(stack_caller(body, n, init), {inc_fn(), f});
}
} // namespace

TEST(Calls, StackBufferArguments) {
  Prog load = buffer_body(B, 0, false);
  EXPECT_EQ(check_buffer(load, 8, true, false).status, VEP_ACCEPTED);
  EXPECT_EQ(check_buffer(load, 1, true, false).status, VEP_ACCEPTED);
  // Uninitialised, as reads or as writes (the callee may read it).
  EXPECT_REJECTED(check_buffer(load, 8, false, false), 4,
                  "call_enter: precondition of first: r1: stack buffer");
  EXPECT_REJECTED(check_buffer(load, 8, false, true), 4,
                  "call_enter: precondition of first: r1: stack buffer");
  // Longer than the 8 bytes up to the frame's top.
  EXPECT_REJECTED(check_buffer(load, 9, true, false), 4,
                  "call_enter: precondition of first: r1: stack buffer");
  // Empty.
  EXPECT_REJECTED(check_buffer(load, 0, true, false), 4,
                  "call_enter: precondition of first: r1: stack buffer");
}

TEST(Calls, CalleeStoresOnlyThroughWritesBuffers) {
  Prog store = buffer_body(B, 0, true);
  EXPECT_EQ(check_buffer(store, 8, true, true).status, VEP_ACCEPTED);
  Outcome o = check_buffer(store, 8, true, false);
  EXPECT_REJECTED(o, 0, "mem_buf: store through a buffer the function may "
                        "only read");
  EXPECT_EQ(o.program, "first");
}

TEST(Calls, CalleeAccessesStayInsideTheBuffer) {
  EXPECT_EQ(check_buffer(buffer_body(DW, 0, false), 8, true, false, 8).status,
            VEP_ACCEPTED);
  EXPECT_REJECTED(check_buffer(buffer_body(DW, 1, false), 8, true, false, 8),
                  0, "mem_buf: ACCESS_HIGH not proved");
  EXPECT_REJECTED(check_buffer(buffer_body(B, -1, false), 8, true, false, 8),
                  0, "mem_buf: ACCESS_LOW not proved");
  // Size x1 >= 1: byte 0 is inside, byte 1 may not be.
  EXPECT_EQ(check_buffer(buffer_body(B, 0, false), 8, true, false).status,
            VEP_ACCEPTED);
  EXPECT_REJECTED(check_buffer(buffer_body(B, 1, false), 8, true, false), 0,
                  "mem_buf: ACCESS_HIGH not proved");
}

TEST(Calls, WritesBufferForgetsSpilledValues) {
  // r6 = 5 spilled at r10 - 8, the buffer; reloaded after the call.
  Prog reload = {ldx(DW, 0, 10, -8), exit_insn()};
  for (bool writes : {false, true}) {
    Prog body = buffer_body(B, 0, writes);
    Function f = buffer_fn(writes);
    f.n_insns = (uint32_t)body.size();
    Prog text = kInc;
    text.insert(text.end(), body.begin(), body.end());
    Prog p = {mov64_imm(6, 5), stx(DW, 10, 6, -8), mov64_reg(1, 10),
              alu64_imm(ADD, 1, -8), mov64_imm(2, 8), call_fn(2),
              ldx(DW, 0, 10, -8), exit_insn()};
    auto obj = call_object(p, text,
                           {{"inc", 0, 3}, {"first", 3, f.n_insns}},
                           {{5, 1, R_BPF_64_32}});
    Outcome o = check_calls(obj, {inc_fn(), f}, {post_range(5, 5)});
    if (writes)
      EXPECT_REJECTED(o, 7, "postcondition of xdp: CUT_FACT not proved");
    else
      EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  }
}

TEST(Calls, PacketBufferArguments) {
  // first(data, 8) after a bound check of 8 bytes; without it (or with 7)
  // the buffer may be too short.
  for (int bound : {8, 7, 0}) {
    Prog p = xdp_prologue();
    p.push_back(mov64_reg(4, 2));
    p.push_back(alu64_imm(ADD, 4, bound));
    p.push_back(jmp_reg(JGT, 4, 3, 4)); // 4: data + bound > data_end: 9
    p.push_back(mov64_reg(1, 2));
    p.push_back(mov64_imm(2, 8));
    p.push_back(call_fn(2)); // 7
    p.push_back(exit_insn());
    p.push_back(mov64_imm(0, 0));
    p.push_back(exit_insn());
    Prog body = buffer_body(B, 0, false);
    Function f = buffer_fn(false);
    f.n_insns = (uint32_t)body.size();
    Prog text = kInc;
    text.insert(text.end(), body.begin(), body.end());
    auto obj = call_object(p, text, {{"inc", 0, 3}, {"first", 3, f.n_insns}},
                           {{7, 1, R_BPF_64_32}});
    Outcome o = check_calls(obj, {inc_fn(), f});
    if (bound == 8)
      EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
    else
      EXPECT_REJECTED(o, 7, "call_enter: precondition of first: ACCESS_HIGH not proved");
  }
}

// ---- call order -------------------------------------------------------------
namespace {
// .text: f0 = [0, 2) calls the function at `target`, f1 = [2, 4) returns 0;
// the program calls f0. `order`: the text_insns of the table, in order.
Outcome call_chain(uint32_t target, std::vector<uint32_t> order) {
  Prog text = {call_fn(-1), exit_insn(), mov64_imm(0, 0), exit_insn()};
  auto obj = call_object({call_fn(-1), exit_insn()}, text,
                         {{"f0", 0, 2}, {"f1", 2, 2}}, {{0, 2, R_BPF_64_32}},
                         {{0, target == 0 ? 2u : 3u, R_BPF_64_32}});
  std::vector<Function> fns;
  for (uint32_t at : order)
    fns.push_back({at, 2, contract(0, {}), contract(0, {}), {}});
  return check_calls(obj, fns);
}
} // namespace

TEST(Calls, FunctionsCallOnlyLaterFunctions) {
  EXPECT_EQ(call_chain(2, {0, 2}).status, VEP_ACCEPTED);
  Outcome o = call_chain(2, {2, 0}); // f1 is listed first: f0 calls back
  EXPECT_REJECTED(o, 0, "call_enter: a function may call only functions "
                        "after it in the function table, not f1");
  EXPECT_EQ(o.program, "f0");
  EXPECT_REJECTED(call_chain(0, {0, 2}), 0, "not f0"); // recursion
}

// ---- object rules -----------------------------------------------------------
TEST(Calls, CallRelocations) {
  Prog p = {mov64_imm(1, 7), call_fn(-1), exit_insn()};
  auto with = [&](std::vector<FuncSym> syms, std::vector<Reloc> relocs,
                  Prog prog) {
    return check_calls(call_object(prog, kInc, syms, relocs), {inc_fn()});
  };
  EXPECT_EQ(with({{"inc", 0, 3}}, {{1, 2, R_BPF_64_32}}, p).status,
            VEP_ACCEPTED);
  // Missing relocation.
  EXPECT_REJECTED(with({{"inc", 0, 3}}, {}, p), 1,
                  "elf_relocations: call without relocation");
  // Wrong relocation type.
  EXPECT_REJECTED(with({{"inc", 0, 3}}, {{1, 2}}, p), 1,
                  "call relocation type is not R_BPF_64_32");
  // A symbol of .text that is not a function (STT_OBJECT).
  EXPECT_REJECTED(with({{"inc", 0, 3}, {"obj", 0, 3, 0x11}},
                       {{1, 3, R_BPF_64_32}}, p),
                  1, "neither .text nor a function in .text");
  // The target is not the first instruction of a listed function.
  Prog mid = p;
  mid[1].imm = 0; // .text + 0 + 1: inside inc
  EXPECT_REJECTED(with({{"inc", 0, 3}}, {{1, 1, R_BPF_64_32}}, mid), 1,
                  "call target is not the first instruction of a function");
  mid[1].imm = -1; // through the section symbol: insn 0, inc
  EXPECT_EQ(with({{"inc", 0, 3}}, {{1, 1, R_BPF_64_32}}, mid).status,
            VEP_ACCEPTED);
  // A function symbol that the proof does not list.
  auto obj = call_object({mov64_imm(1, 7), call_fn(-1), exit_insn()},
                         {mov64_imm(0, 0), exit_insn(), mov64_reg(0, 1),
                          alu64_imm(ADD, 0, 1), exit_insn()},
                         {{"zero", 0, 2}, {"inc", 2, 3}},
                         {{1, 2, R_BPF_64_32}});
  Function f = inc_fn();
  f.text_insn = 2;
  EXPECT_REJECTED(check_calls(obj, {f}), 1,
                  "call target is not the first instruction of a function");
}

TEST(Calls, FunctionTableNamesFunctions) {
  auto obj = calls_inc(7, {exit_insn()});
  Function f = inc_fn();
  f.text_insn = 1; // no function symbol starts there
  EXPECT_REJECTED(check_calls(obj, {f}), 0, "func_table:");
  // Listed twice: both contracts are checked.
  EXPECT_EQ(check_calls(obj, {inc_fn(), inc_fn()}).status, VEP_ACCEPTED);
  f = inc_fn();
  f.post.facts = equal(1, 2, -2);
  EXPECT_REJECTED(check_calls(obj, {inc_fn(), f}), 2,
                  "postcondition of inc: CUT_FACT not proved");
  // A pre binding r0, a post binding r1.
  f = inc_fn();
  f.pre.bindings.push_back(bind(VEP_BIND_SCALAR, 0, form(0)));
  EXPECT_REJECTED(check_calls(obj, {f}), 0, "cut_assertion: precondition of inc: a pre binds");
  f = inc_fn();
  f.post.bindings.push_back(bind(VEP_BIND_SCALAR, 1, form(0)));
  EXPECT_REJECTED(check_calls(obj, {f}), 0, "cut_assertion: postcondition of inc: a post binds");
  // A buffer must be named by its own register.
  f = inc_fn();
  f.pre.bindings = {buf(1, form(1)), buf(2, form(1))};
  f.pre.bindings[0].map = 2;
  EXPECT_REJECTED(check_calls(obj, {f}), 0,
                  "cut_assertion: precondition of inc: map index not in the "
                  "map table, buffer not a buffer");
  // Buffers only in functions.
  CutTable t;
  t.cuts.push_back(contract(0, {buf(1, form(1))}));
  t.cuts[0].insn = 1;
  EXPECT_REJECTED(round_trip(obj, {}, {t}, nullptr, {inc_fn()}), 1,
                  "cut_assertion: cut point 1: map index not in the map "
                  "table, buffer not a buffer");
}

TEST(Calls, PathsStayInsideTheFunction) {
  // f = [0, 3): jumps to insn 2 (its exit) or 3 (g's first insn).
  for (int16_t off : {0, 1}) {
    Prog text = {mov64_imm(0, 0), ja(off), exit_insn(), mov64_imm(0, 1),
                 exit_insn()};
    auto obj = call_object({call_fn(-1), exit_insn()}, text,
                           {{"f", 0, 3}, {"g", 3, 2}}, {{0, 2, R_BPF_64_32}});
    Outcome o = check_calls(obj, {{0, 3, contract(0, {}), contract(0, {}), {}}});
    if (off == 0)
      EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
    else
      EXPECT_REJECTED(o, 1, "jump_target: jump target out of range");
  }
  // Falling through f's last instruction into g.
  Prog text = {mov64_imm(0, 0), mov64_imm(0, 1), exit_insn()};
  auto obj = call_object({call_fn(-1), exit_insn()}, text,
                         {{"f", 0, 2}, {"g", 2, 1}}, {{0, 2, R_BPF_64_32}});
  EXPECT_REJECTED(
      check_calls(obj, {{0, 2, contract(0, {}), contract(0, {}), {}}}), 1,
      "fall_through");
}

namespace {
// scan(buf r1, n r2): reads buf[i] for i < n in a loop with its head (a cut
// point binding the buffer pointer and the index) at relative insn 1;
// `reach` is the offset read past buf + i. Pre: 0 <= x1 <= 1000.
Outcome scan(int16_t reach, uint32_t cut_buf = 1) {
  Prog body = {mov64_imm(3, 0),       jmp_reg(JGE, 3, 2, 5),
               mov64_reg(4, 1),       alu64_reg(ADD, 4, 3),
               ldx(B, 0, 4, reach),   alu64_imm(ADD, 3, 1),
               ja(-6),                mov64_imm(0, 0),
               exit_insn()};
  Function f = {3, (uint32_t)body.size(),
                contract(1, {buf(1, var(1)), bind(VEP_BIND_SCALAR, 2, var(1))},
                         {var(1), form(1000, {{1, -1}})}),
                contract(1, {}), {}};
  Cut head = contract(2,
                      {Binding{VEP_BIND_BUF, 1, form(0), cut_buf, false},
                       bind(VEP_BIND_SCALAR, 2, var(1)),
                       bind(VEP_BIND_SCALAR, 3, var(2))},
                      {var(2), form(0, {{1, 1}, {2, -1}}),
                       form(1000, {{1, -1}})});
  head.insn = 1;
  head.has_rank = true;
  head.rank = form(0, {{1, 1}, {2, -1}});
  f.cuts.cuts = {head};
  Prog text = kInc;
  text.insert(text.end(), body.begin(), body.end());
  Prog p = {st(DW, 10, -8, 0), mov64_reg(1, 10), alu64_imm(ADD, 1, -8),
            mov64_imm(2, 8), call_fn(2), exit_insn()};
  return check_calls(call_object(p, text,
                                 {{"inc", 0, 3}, {"scan", 3, f.n_insns}},
                                 {{4, 1, R_BPF_64_32}}),
                     {inc_fn(), f});
}
} // namespace

TEST(Calls, LoopOverABufferInAFunction) {
  // The cut point keeps the pre's x1 (the size) and binds the buffer.
  Outcome o = scan(0);
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  o = scan(1);
  EXPECT_REJECTED(o, 4, "mem_buf: ACCESS_HIGH not proved");
  EXPECT_EQ(o.program, "scan");
  EXPECT_REJECTED(scan(0, 2), 1, "cut_assertion: cut point 1: map index not "
                                 "in the map table, buffer not a buffer");
}

TEST(Calls, NestedLoopInAFunction) {
  // nest(): i = 0; outer head (1): i >= 4 -> 8; j = 0; inner head (3):
  // j >= 4 -> 6; j++; -> 3; i++; -> 1; return 0. A function's cut points
  // take ghosts as a program's do, over insns relative to the function.
  Prog body = {mov64_imm(6, 0),       jmp_imm(JGE, 6, 4, 6),
               mov64_imm(7, 0),       jmp_imm(JGE, 7, 4, 2),
               alu64_imm(ADD, 7, 1),  ja(-3),
               alu64_imm(ADD, 6, 1),  ja(-7),
               mov64_imm(0, 0),       exit_insn()};
  Cut outer = contract(1, {bind(VEP_BIND_SCALAR, 6, var(1))},
                       {var(1), form(4, {{1, -1}})});
  outer.insn = 1;
  outer.has_rank = true;
  outer.rank = form(4, {{1, -1}});
  Cut inner = contract(
      2, {bind(VEP_BIND_SCALAR, 6, var(1)), bind(VEP_BIND_SCALAR, 7, var(2))},
      {var(1), form(3, {{1, -1}}), var(2), form(4, {{2, -1}})});
  inner.insn = 3;
  inner.has_rank = true;
  inner.rank = form(4, {{2, -1}});
  inner.ghosts = {{1, form(4, {{1, -1}})}};
  auto check = [&](const Cut &in) {
    Function f = {0, (uint32_t)body.size(), contract(0, {}), contract(0, {}),
                  {}};
    f.cuts.cuts = {outer, in};
    return check_calls(call_object({call_fn(-1), exit_insn()}, body,
                                   {{"nest", 0, (uint32_t)body.size()}},
                                   {{0, 2, R_BPF_64_32}}),
                       {f});
  };
  Outcome o = check(inner);
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  Cut no_ghost = inner;
  no_ghost.ghosts.clear();
  o = check(no_ghost);
  EXPECT_REJECTED(o, 7, "cut_back_edge: cut point 1: backward jump from insn 7");
  EXPECT_EQ(o.program, "nest");
  Cut too_high = inner;
  too_high.ghosts[0].second = form(5, {{1, -1}});
  EXPECT_REJECTED(check(too_high), 3, "rank_ghost: cut point 3: RANK_GHOST");
}

namespace {
// f0(buf r1 of x1 bytes, r2 = x1) passes its buffer on to f1 (which reads
// or writes byte 0): a buffer of the calling function as an argument.
Outcome pass_on(bool f0_writes, bool f1_writes, int32_t size) {
  Prog text = {mov64_imm(2, size), call_fn(-1), exit_insn(),
               f1_writes ? st(B, 1, 0, 0) : ldx(B, 0, 1, 0),
               mov64_imm(0, 0), exit_insn()};
  auto pre = [](bool writes) {
    return contract(1, {buf(1, var(1), writes),
                        bind(VEP_BIND_SCALAR, 2, var(1))},
                    {form(-1, {{1, 1}})});
  };
  Prog p = {st(DW, 10, -8, 0), mov64_reg(1, 10), alu64_imm(ADD, 1, -8),
            mov64_imm(2, 8), call_fn(-1), exit_insn()};
  auto obj = call_object(p, text, {{"f0", 0, 3}, {"f1", 3, 3}},
                         {{4, 2, R_BPF_64_32}}, {{1, 3, R_BPF_64_32}});
  return check_calls(obj, {{0, 3, pre(f0_writes), contract(1, {}), {}},
                           {3, 3, pre(f1_writes), contract(1, {}), {}}});
}
} // namespace

TEST(Calls, FunctionsPassTheirBuffersOn) {
  // f0's buffer has x1 >= 1 bytes: passing 1 byte on is in bounds, 2 not.
  EXPECT_EQ(pass_on(false, false, 1).status, VEP_ACCEPTED);
  EXPECT_REJECTED(pass_on(false, false, 2), 1,
                  "call_enter: precondition of f1: ACCESS_HIGH not proved");
  EXPECT_EQ(pass_on(true, true, 1).status, VEP_ACCEPTED);
  Outcome o = pass_on(false, true, 1);
  EXPECT_REJECTED(o, 1, "a buffer the caller may only read passed as writes");
  EXPECT_EQ(o.program, "f0");
}
