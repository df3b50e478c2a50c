// helpers_test.cc - The helpers of helper table version 10 beyond the map
// and process helpers: map types per helper, readable data buffers
// (trace_printk, trace_vprintk, perf_event_output, ringbuf_output,
// csum_diff), updated buffers that must hold data (probe_read_*_str,
// fib_lookup), written buffers in
// map values (get_current_comm, probe reads, skb_load_bytes), redirects and
// tail_call (docs/proof-format.md 9.3). Each accepted program has a rejected
// twin beside it.
#include "test_support.h"

#include <gtest/gtest.h>

#include <optional>

using namespace vt;

namespace {

enum : uint32_t {
  HASH = 1,
  ARRAY = 2,
  PROG_ARRAY = 3,
  PERF_EVENT_ARRAY = 4,
  DEVMAP = 14,
  CPUMAP = 16,
  XSKMAP = 17,
  DEVMAP_HASH = 25,
  RINGBUF = 27
};

Insn helper(int32_t id) { return raw(JMP | CALL, 0, 0, 0, id); }

// r<dst> = a map (relocated by the caller's Reloc at this index): two slots.
void load_map(Prog &p, uint8_t dst) {
  p.push_back(raw(LD | DW, dst, 0, 0, 0));
  p.push_back(raw(0, 0, 0, 0, 0));
}

// The program p of section `section` with the maps m, map k's symbol
// relocating the lddw at relocs[k].
Outcome run(const Prog &p, Maps m, std::vector<Reloc> relocs,
            const std::string &section = "xdp") {
  std::vector<Symbol> syms;
  for (auto &d : m.defs)
    syms.push_back({d.name, 2, 32 * syms.size()});
  return round_trip(map_object(p, relocs, syms, section), {}, {}, m.get());
}

Maps one(uint32_t type, uint32_t key = 4, uint32_t value = 4) {
  Maps m;
  m.add("m", type, key, value, type == RINGBUF ? 4096 : 16);
  return m;
}

// 0-1: r2 = m; 2: r3 = 0; 3: call tail_call (r1 is still the context);
// then `after`.
Prog tail_call(std::vector<Insn> after) {
  Prog p;
  load_map(p, 2);
  p.push_back(mov64_imm(3, 0));
  p.push_back(helper(12));
  p.insert(p.end(), after.begin(), after.end());
  return p;
}

// 0: *(u64 *)(r10 - 8) = 7 (or `first`); 1-2: r1 = m; 3-4: r2 = r10 - 8;
// 5: r3 = len; 6: r4 = 0; 7: call ringbuf_output; 8: exit.
Prog ringbuf_output(int32_t len, Insn first = st(DW, 10, -8, 7)) {
  Prog p = {first};
  load_map(p, 1);
  p.insert(p.end(), {mov64_reg(2, 10), alu64_imm(ADD, 2, -8), mov64_imm(3, len),
                     mov64_imm(4, 0), helper(130), exit_insn()});
  return p;
}

// 0: *(u64 *)(r10 - 8) = 0 (or `first`); 1-2: r1 = r10 - 8; 3: r2 = 8;
// 4: r3 = 0; 5: call `id`; 6: r0 = *(u64 *)(r10 - 8); 7: exit.
Prog read_into_stack(int32_t id, Insn first = st(DW, 10, -8, 0)) {
  return {
      first,           mov64_reg(1, 10), alu64_imm(ADD, 1, -8), mov64_imm(2, 8),
      mov64_imm(3, 0), helper(id),       ldx(DW, 0, 10, -8),    exit_insn()};
}

} // namespace

// ---- map types
// ----------------------------------------------------------------
TEST(Helpers, MapTypesPerHelper) {
  // tail_call takes a program array only, and leaves R0 uninitialised.
  Prog tc = tail_call({mov64_imm(0, 2), exit_insn()});
  EXPECT_EQ(run(tc, one(PROG_ARRAY), {{0, 1}}).status, VEP_ACCEPTED);
  EXPECT_REJECTED(run(tc, one(HASH), {{0, 1}}), 3,
                  "tail_call: r2 is a map of a type the helper does not take");
  EXPECT_REJECTED(run(tail_call({exit_insn()}), one(PROG_ARRAY), {{0, 1}}), 4,
                  "read of uninitialised register r0");
  // Lookups take the maps with plain data values only.
  Prog lookup;
  load_map(lookup, 1);
  lookup.insert(lookup.end(),
                {st(W, 10, -4, 0), mov64_reg(2, 10), alu64_imm(ADD, 2, -4),
                 helper(1), mov64_imm(0, 0), exit_insn()});
  EXPECT_EQ(run(lookup, one(ARRAY), {{0, 1}}).status, VEP_ACCEPTED);
  for (uint32_t type : {PROG_ARRAY, PERF_EVENT_ARRAY, DEVMAP, RINGBUF}) {
    SCOPED_TRACE(type);
    EXPECT_REJECTED(
        run(lookup, type == RINGBUF ? one(type, 0, 0) : one(type), {{0, 1}}), 5,
        "map_lookup_elem: r1 is a map of a type");
  }
  // redirect_map takes the four redirect maps, in XDP only.
  Prog redirect_map;
  load_map(redirect_map, 1);
  redirect_map.insert(redirect_map.end(), {mov64_imm(2, 0), mov64_imm(3, 0),
                                           helper(51), exit_insn()});
  for (uint32_t type : {DEVMAP, CPUMAP, XSKMAP, DEVMAP_HASH})
    EXPECT_EQ(run(redirect_map, one(type), {{0, 1}}).status, VEP_ACCEPTED)
        << type;
  EXPECT_REJECTED(run(redirect_map, one(ARRAY), {{0, 1}}), 4,
                  "redirect_map: r1 is a map of a type");
  EXPECT_REJECTED(run(redirect_map, one(DEVMAP), {{0, 1}}, "tc"), 4,
                  "redirect_map is not allowed for this program type");
}

TEST(Helpers, RingBufferMapTable) {
  Prog p = ringbuf_output(8);
  EXPECT_EQ(run(p, one(RINGBUF, 0, 0), {{1, 1}}).status, VEP_ACCEPTED);
  // A ring buffer has no keys or values; every other map has both.
  for (auto [type, key, value] :
       {std::tuple{RINGBUF, 4u, 0u}, {RINGBUF, 0u, 8u}, {HASH, 0u, 0u}}) {
    Outcome o = run(p, one(type, key, value), {{1, 1}});
    EXPECT_EQ(o.status, VEP_REJECTED);
    EXPECT_TRUE(contains(o.reason, "map_table: a key or value size"))
        << o.reason;
  }
}

// ---- readable data buffers
// ----------------------------------------------------
TEST(Helpers, RingbufOutputReadsAnInitialisedBuffer) {
  Maps rb = one(RINGBUF, 0, 0);
  EXPECT_EQ(run(ringbuf_output(8), rb, {{1, 1}}, "socket").status,
            VEP_ACCEPTED);
  EXPECT_REJECTED(run(ringbuf_output(9), rb, {{1, 1}}), 7,
                  "ringbuf_output: r2: helper given a too-small or "
                  "uninitialised buffer (data)");
  EXPECT_REJECTED(run(ringbuf_output(8, st(W, 10, -8, 7)), rb, {{1, 1}}), 7,
                  "buffer (data)");
  EXPECT_REJECTED(run(ringbuf_output(8, stx(DW, 10, 10, -8)), rb, {{1, 1}}), 7,
                  "buffer (data)"); // a spilled pointer is no data
  EXPECT_REJECTED(run(ringbuf_output(0), rb, {{1, 1}}), 7,
                  "r3 is not a constant size from 1 to 2^20");
}

TEST(Helpers, DataBufferInAMapValue) {
  // 0-5: r0 = lookup(counts, 0); 6: if r0 == 0 goto 14; 7-8: r2 = r0 + off;
  // 9-10: r1 = rb; 11: r3 = 8; 12: r4 = 0; 13: call ringbuf_output;
  // 14: r0 = 0; 15: exit.
  auto prog = [](int32_t off) {
    Prog p;
    load_map(p, 1);
    p.insert(p.end(), {st(W, 10, -4, 0), mov64_reg(2, 10),
                       alu64_imm(ADD, 2, -4), helper(1), jmp_imm(JEQ, 0, 0, 7),
                       mov64_reg(2, 0), alu64_imm(ADD, 2, off)});
    load_map(p, 1);
    p.insert(p.end(), {mov64_imm(3, 8), mov64_imm(4, 0), helper(130),
                       mov64_imm(0, 0), exit_insn()});
    return p;
  };
  Maps m;
  m.add("counts", ARRAY, 4, 8).add("rb", RINGBUF, 0, 0, 4096);
  EXPECT_EQ(run(prog(0), m, {{0, 1}, {9, 2}}).status, VEP_ACCEPTED);
  EXPECT_REJECTED(run(prog(4), m, {{0, 1}, {9, 2}}), 13,
                  "ACCESS_HIGH not proved");
}

TEST(Helpers, PerfEventOutput) {
  // 0: *(u64 *)(r10 - 8) = 1; 1-2: r2 = m; 3: r3 = 0 (flags); 4-5: r4 =
  // r10 - 8; 6: r5 = 8; 7: call perf_event_output; 8: exit. r1 is the
  // context from the entry (or `r1 = r10` at 3).
  auto prog = [](Insn flags) {
    Prog p = {st(DW, 10, -8, 1)};
    load_map(p, 2);
    p.insert(p.end(), {flags, mov64_reg(4, 10), alu64_imm(ADD, 4, -8),
                       mov64_imm(5, 8), helper(25), exit_insn()});
    return p;
  };
  Prog ok = prog(mov64_imm(3, 0));
  for (const char *section : {"kprobe/f", "xdp", "tc", "socket"})
    EXPECT_EQ(run(ok, one(PERF_EVENT_ARRAY), {{1, 1}}, section).status,
              VEP_ACCEPTED)
        << section;
  // Declared without max_entries (0 in the object: libbpf sizes it at
  // load, 9.1); any other type with 0 entries is refused (maps_test).
  Maps sized_at_load;
  sized_at_load.add("m", PERF_EVENT_ARRAY, 4, 4, 0);
  EXPECT_EQ(run(ok, sized_at_load, {{1, 1}}, "xdp").status, VEP_ACCEPTED);
  EXPECT_REJECTED(run(ok, one(RINGBUF, 0, 0), {{1, 1}}, "kprobe/f"), 7,
                  "perf_event_output: r2 is a map of a type");
  Prog not_ctx = prog(mov64_reg(1, 10));
  not_ctx.insert(not_ctx.begin() + 3, mov64_imm(3, 0));
  EXPECT_REJECTED(run(not_ctx, one(PERF_EVENT_ARRAY), {{1, 1}}, "kprobe/f"), 8,
                  "r1 is not the context pointer");
}

TEST(Helpers, CsumDiffReadsTwoBuffers) {
  // 0-1: the 8 bytes at r10 - 8 (or a spilled pointer there); 2-3: r1 =
  // r10 - 8; 4: r2 = 4; 5-6: r3 = r10 - 8; 7: r4 = 8; 8: r5 = 0;
  // 9: call csum_diff; 10: exit.
  auto prog = [](Insn a, Insn b) {
    return Prog{a,
                b,
                mov64_reg(1, 10),
                alu64_imm(ADD, 1, -8),
                mov64_imm(2, 4),
                mov64_reg(3, 10),
                alu64_imm(ADD, 3, -8),
                mov64_imm(4, 8),
                mov64_imm(5, 0),
                helper(28),
                exit_insn()};
  };
  Prog ok = prog(st(W, 10, -8, 1), st(W, 10, -4, 2));
  for (const char *section : {"xdp", "tc"})
    EXPECT_EQ(round_trip(xdp_object(ok, section)).status, VEP_ACCEPTED)
        << section;
  EXPECT_REJECTED(round_trip(xdp_object(ok, "socket")), 9,
                  "csum_diff is not allowed for this program type");
  EXPECT_REJECTED(round_trip(xdp_object(ok, "kprobe/f")), 9,
                  "csum_diff is not allowed for this program type");
  // The second buffer's last 4 bytes are uninitialised.
  EXPECT_REJECTED(
      round_trip(xdp_object(prog(st(W, 10, -8, 1), mov64_imm(0, 0)))), 9,
      "csum_diff: r3: helper given a too-small or uninitialised buffer");
  EXPECT_REJECTED(
      round_trip(xdp_object(prog(stx(DW, 10, 10, -8), mov64_imm(0, 0)))), 9,
      "csum_diff: r1: helper given a too-small or uninitialised buffer");
}

TEST(Helpers, TracePrintkTakesThreeScalars) {
  // 0: the 4-byte format at r10 - 4; 1-2: r1 = r10 - 4; 3: r2 = 4;
  // 4-6: r3..r5 (or what `r3` says); 7: call trace_printk; 8: exit.
  auto prog = [](Insn r3, Insn r5) {
    return Prog{st(W, 10, -4, 0x006425),
                mov64_reg(1, 10),
                alu64_imm(ADD, 1, -4),
                mov64_imm(2, 4),
                r3,
                mov64_imm(4, 2),
                r5,
                helper(6),
                exit_insn()};
  };
  Prog ok = prog(mov64_imm(3, 1), mov64_imm(5, 3));
  for (const char *section : {"xdp", "tc", "socket", "kprobe/f"})
    EXPECT_EQ(round_trip(xdp_object(ok, section)).status, VEP_ACCEPTED)
        << section;
  EXPECT_REJECTED(
      round_trip(xdp_object(prog(mov64_reg(3, 10), mov64_imm(5, 3)))), 7,
      "trace_printk: r3 is not a scalar");
  EXPECT_REJECTED(
      round_trip(xdp_object(prog(mov64_imm(3, 1), mov64_imm(0, 3)))), 7,
      "read of uninitialised register r5");
}

TEST(Helpers, TraceVprintkReadsItsValuesFromABuffer) {
  // 0: the format at r10 - 16 (4 bytes); 1-2: the values at r10 - 8 (or a
  // spilled pointer there); 3-4: r1 = r10 - 16; 5: r2 = 4; 6-7: r3 = r10 -
  // 8; 8: r4 = len; 9: call trace_vprintk; 10: exit.
  auto prog = [](Insn a, Insn b, int32_t len) {
    return Prog{st(W, 10, -16, 0x006425),
                a,
                b,
                mov64_reg(1, 10),
                alu64_imm(ADD, 1, -16),
                mov64_imm(2, 4),
                mov64_reg(3, 10),
                alu64_imm(ADD, 3, -8),
                mov64_imm(4, len),
                helper(177),
                exit_insn()};
  };
  Prog ok = prog(st(W, 10, -8, 1), st(W, 10, -4, 2), 8);
  for (const char *section : {"xdp", "tc", "socket", "kprobe/f"})
    EXPECT_EQ(round_trip(xdp_object(ok, section)).status, VEP_ACCEPTED)
        << section;
  // A pointer among the values (it would reach the trace pipe).
  EXPECT_REJECTED(
      round_trip(xdp_object(prog(stx(DW, 10, 10, -8), mov64_imm(0, 0), 8))),
      9, "trace_vprintk: r3: helper given a too-small or uninitialised buffer");
  // The values' last 4 bytes are uninitialised.
  EXPECT_REJECTED(
      round_trip(xdp_object(prog(st(W, 10, -8, 1), mov64_imm(0, 0), 8))), 9,
      "trace_vprintk: r3: helper given a too-small or uninitialised buffer");
  // Past the frame's top.
  EXPECT_REJECTED(
      round_trip(xdp_object(prog(st(W, 10, -8, 1), st(W, 10, -4, 2), 16))),
      9, "trace_vprintk: r3: helper given a too-small or uninitialised buffer");
}

// ---- probe reads and redirects
// ------------------------------------------------
TEST(Helpers, StringReadsNeedAnInitialisedBuffer) {
  for (int32_t id : {114, 115}) {
    SCOPED_TRACE(id);
    EXPECT_EQ(round_trip(xdp_object(read_into_stack(id), "kprobe/f")).status,
              VEP_ACCEPTED);
    // Bytes past the string's NUL keep what they held: uninitialised bytes
    // or a spilled pointer's would become readable data.
    for (Insn first : {st(W, 10, -8, 0), stx(DW, 10, 10, -8)})
      EXPECT_REJECTED(
          round_trip(xdp_object(read_into_stack(id, first), "kprobe/f")), 5,
          "r1 does not hold initialised data in every byte the helper may "
          "write");
    EXPECT_REJECTED(round_trip(xdp_object(read_into_stack(id), "xdp")), 5,
                    "is not allowed for this program type");
  }
  // probe_read_user writes every byte (zeros on a fault): no need.
  EXPECT_EQ(
      round_trip(xdp_object(read_into_stack(112, mov64_imm(0, 0)), "tp/a/b"))
          .status,
      VEP_ACCEPTED);
  EXPECT_REJECTED(
      round_trip(xdp_object(read_into_stack(112, mov64_imm(0, 0)), "xdp")), 5,
      "probe_read_user is not allowed for this program type");
}

// A written buffer in a map value: 0-1: r1 = m; 2: *(u32 *)(r10 - 4) = 0;
// 3-4: r2 = r10 - 4; 5: call map_lookup_elem; 6: if r0 == 0 goto exit;
// 7..: `dst` sets r1 from r0; then r2 = len; r3 = 0; call `id`; r0 = 0;
// exit.
Prog write_into_value(std::vector<Insn> dst, int32_t len, int32_t id = 16) {
  Prog p;
  load_map(p, 1);
  p.insert(p.end(), {st(W, 10, -4, 0), mov64_reg(2, 10), alu64_imm(ADD, 2, -4),
                     helper(1), jmp_imm(JEQ, 0, 0, (int16_t)(dst.size() + 3))});
  p.insert(p.end(), dst.begin(), dst.end());
  p.insert(p.end(), {mov64_imm(2, len), mov64_imm(3, 0), helper(id),
                     mov64_imm(0, 0), exit_insn()});
  return p;
}

TEST(Helpers, WrittenBufferInAMapValue) {
  Maps m = one(ARRAY, 4, 16);
  auto at = [](int32_t off) {
    return std::vector<Insn>{mov64_reg(1, 0), alu64_imm(ADD, 1, off)};
  };
  for (int32_t id : {16, 112, 113, 114, 115}) {
    SCOPED_TRACE(id);
    EXPECT_EQ(
        run(write_into_value(at(0), 16, id), m, {{0, 1}}, "kprobe/f").status,
        VEP_ACCEPTED);
    EXPECT_EQ(
        run(write_into_value(at(4), 12, id), m, {{0, 1}}, "tp/a/b").status,
        VEP_ACCEPTED);
    // One byte past the value's end.
    EXPECT_REJECTED(
        run(write_into_value(at(4), 13, id), m, {{0, 1}}, "kprobe/f"), 11,
        "helper_call: ACCESS_HIGH not proved");
  }
  // An offset of 0..255: not proved in bounds; 0..3 is.
  std::vector<Insn> var = {ldx(B, 3, 0, 0), mov64_reg(1, 0),
                           alu64_reg(ADD, 1, 3)};
  EXPECT_REJECTED(run(write_into_value(var, 12), m, {{0, 1}}, "kprobe/f"), 12,
                  "helper_call: ACCESS_HIGH not proved");
  var.insert(var.begin() + 1, alu64_imm(AND, 3, 3));
  EXPECT_EQ(run(write_into_value(var, 12), m, {{0, 1}}, "kprobe/f").status,
            VEP_ACCEPTED);
  EXPECT_REJECTED(run(write_into_value(at(-1), 8), m, {{0, 1}}, "kprobe/f"), 11,
                  "helper_call: ACCESS_LOW not proved");
  // A map the program may only read (BPF_F_RDONLY_PROG), and the map
  // pointer rather than a value.
  Maps ro = one(ARRAY, 4, 16);
  ro.defs[0].flags = 0x80;
  EXPECT_REJECTED(run(write_into_value(at(0), 16), ro, {{0, 1}}, "kprobe/f"),
                  11,
                  "get_current_comm: r1 is not a pointer into the stack "
                  "frame at a constant offset, a writable map value or "
                  "reserved ringbuf memory");
  Prog map_ptr;
  load_map(map_ptr, 1);
  map_ptr.insert(map_ptr.end(),
                 {mov64_imm(2, 4), helper(16), mov64_imm(0, 0), exit_insn()});
  EXPECT_REJECTED(run(map_ptr, m, {{0, 1}}, "kprobe/f"), 3,
                  "r1 is not a pointer into the stack frame");
}

TEST(Helpers, SkbLoadBytesWritesAMapValueNotThePacket) {
  // 0: r6 = r1; 1-6: r0 = lookup(m, 0); 7: if r0 == 0 goto 13;
  // 8: r3 = r0 (or the packet's start); 9: r1 = r6; 10: r2 = 0;
  // 11: r4 = 16; 12: call skb_load_bytes; 13: r0 = 0; 14: exit.
  auto prog = [](Insn dst) {
    Prog p = {mov64_reg(6, 1)};
    load_map(p, 1);
    p.insert(p.end(), {st(W, 10, -4, 0), mov64_reg(2, 10),
                       alu64_imm(ADD, 2, -4), helper(1), jmp_imm(JEQ, 0, 0, 5),
                       dst, mov64_reg(1, 6), mov64_imm(2, 0), mov64_imm(4, 16),
                       helper(26), mov64_imm(0, 0), exit_insn()});
    return p;
  };
  Maps m = one(ARRAY, 4, 16);
  EXPECT_EQ(run(prog(mov64_reg(3, 0)), m, {{1, 1}}, "tc").status, VEP_ACCEPTED);
  EXPECT_REJECTED(run(prog(ldx(W, 3, 6, 76)), m, {{1, 1}}, "tc"), 12,
                  "skb_load_bytes: r3 is not a pointer into the stack frame");
}

// fib_lookup reads its parameters and writes the route over part of them:
// 0..7: the 64 bytes at r10 - 64 set to 0 (or `first` at slot k); 8-9:
// r2 = r10 - 64; 10: r3 = len; 11: r4 = 0; 12: call fib_lookup (r1 still
// the context); 13: r0 = *(u32 *)(r10 - 52) (ifindex); 14: exit.
Prog fib_lookup(int32_t len, std::optional<std::pair<int, Insn>> first = {}) {
  Prog p;
  for (int k = 0; k < 8; k++)
    p.push_back(first && first->first == k ? first->second
                                           : st(DW, 10, int16_t(-64 + 8 * k), 0));
  p.insert(p.end(), {mov64_reg(2, 10), alu64_imm(ADD, 2, -64),
                     mov64_imm(3, len), mov64_imm(4, 0), helper(69),
                     ldx(W, 0, 10, -52), exit_insn()});
  return p;
}

TEST(Helpers, FibLookupUpdatesAnInitialisedBuffer) {
  for (const char *section : {"xdp", "tc"})
    EXPECT_EQ(round_trip(xdp_object(fib_lookup(64), section)).status,
              VEP_ACCEPTED)
        << section;
  // The parameters are read: a byte never written, a spilled pointer.
  for (Insn first : {st(W, 10, -40, 0), stx(DW, 10, 10, -40)})
    EXPECT_REJECTED(round_trip(xdp_object(fib_lookup(64, {{3, first}}))), 12,
                    "r2 does not hold initialised data in every byte the "
                    "helper may write");
  EXPECT_REJECTED(round_trip(xdp_object(fib_lookup(72))), 12,
                  "r3 is not a constant size from 1 to the bytes between "
                  "the buffer and the frame's top");
  EXPECT_REJECTED(round_trip(xdp_object(fib_lookup(64), "socket")), 12,
                  "fib_lookup is not allowed for this program type");
}

TEST(Helpers, RedirectInXdpAndTcOnly) {
  Prog p = {mov64_imm(1, 1), mov64_imm(2, 0), helper(23), exit_insn()};
  for (const char *section : {"xdp", "tc"})
    EXPECT_EQ(round_trip(xdp_object(p, section)).status, VEP_ACCEPTED)
        << section;
  for (const char *section : {"socket", "raw_tp/a"})
    EXPECT_REJECTED(round_trip(xdp_object(p, section)), 2,
                    "redirect is not allowed for this program type");
}
