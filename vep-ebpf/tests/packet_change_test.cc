// packet_change_test.cc - Helpers that change the packet (xdp_adjust_head,
// xdp_adjust_tail, skb_change_tail, skb_pull_data, skb_change_head, and
// tc's rewriting helpers skb_store_bytes, l3_csum_replace and
// l4_csum_replace): their
// program types and arguments, and the packet pointers they invalidate
// (docs/proof-format.md, "Maps and helper calls", helper_call). Every
// rejection has an accepted twin that differs only in the point the
// rejection names.
#include "test_support.h"

#include <gtest/gtest.h>

using namespace vt;

namespace {

enum : int32_t {
  ADJUST_HEAD = 44,
  ADJUST_TAIL = 65,
  CHANGE_TAIL = 38,
  PULL_DATA = 39,
  CHANGE_HEAD = 43,
  STORE_BYTES = 9,
  L3_CSUM = 10,
  L4_CSUM = 11
};

Insn call(int32_t id) { return raw(JMP | CALL, 0, 0, 0, id); }

Outcome check(const Prog &p, const std::string &section = "xdp") {
  return round_trip(xdp_object(p, section));
}

// The context's data and data_end fields for the section's type.
int16_t data_off(const std::string &section) {
  return section == "xdp" ? 0 : 76;
}

// r2 = data, r3 = data_end; if data + 14 > data_end goto the last exit; then
// `body` (r6 = ctx); r0 = 0; exit; the last exit returns 1. The bounds
// check is instructions 2..4, `body` starts at 6.
Prog bounded(std::vector<Insn> body, const std::string &section = "xdp") {
  int16_t d = data_off(section);
  Prog p = {ldx(W, 2, 1, d),       ldx(W, 3, 1, d + 4),   mov64_reg(4, 2),
            alu64_imm(ADD, 4, 14), jmp_reg(JGT, 4, 3, 0), mov64_reg(6, 1)};
  p.insert(p.end(), body.begin(), body.end());
  p.push_back(mov64_imm(0, 0));
  p.push_back(exit_insn());
  p[4].off = (int16_t)(p.size() - 5);
  p.push_back(mov64_imm(0, 1));
  p.push_back(exit_insn());
  return p;
}

// r1 = ctx (r6), r2 = delta (r7 kept: the bounded pointer r2 copied); the
// helper call. R2 and R3 are arguments or clobbered: the packet pointer
// survives the call only in r7 (or a spill).
std::vector<Insn> changing_call(int32_t id, int32_t delta = -4) {
  return {mov64_reg(1, 6), mov64_imm(2, delta), mov64_imm(3, 0), call(id)};
}

// After the call: data and data_end read again, bounded by `need` bytes,
// then a 1-byte read at `at`.
std::vector<Insn> reread(const std::string &section, int32_t need, int16_t at) {
  int16_t d = data_off(section);
  return {ldx(W, 2, 6, d),         ldx(W, 3, 6, d + 4),   mov64_reg(4, 2),
          alu64_imm(ADD, 4, need), jmp_reg(JGT, 4, 3, 1), ldx(B, 0, 2, at)};
}

template <typename... Parts> std::vector<Insn> seq(Parts... parts) {
  std::vector<Insn> out;
  (out.insert(out.end(), parts.begin(), parts.end()), ...);
  return out;
}

} // namespace

// ---- program types and arguments --------------------------------------------
// The kernel (Linux 6.18, probed by loading a call of each) allows 44 and 65
// in XDP only, 38, 39 and 43 in tc (SCHED_CLS) but not socket filters.
TEST(PacketChange, ProgramTypes) {
  struct Case {
    int32_t id;
    const char *name;
    std::vector<std::string> allowed, refused;
  };
  const Case cases[] = {
      {ADJUST_HEAD, "xdp_adjust_head", {"xdp"}, {"tc", "socket"}},
      {ADJUST_TAIL, "xdp_adjust_tail", {"xdp"}, {"tc", "socket"}},
      {CHANGE_TAIL, "skb_change_tail", {"tc"}, {"xdp", "socket"}},
      {PULL_DATA, "skb_pull_data", {"tc"}, {"xdp", "socket"}},
      {CHANGE_HEAD, "skb_change_head", {"tc"}, {"xdp", "socket"}},
  };
  for (const Case &k : cases) {
    Prog p = {mov64_imm(2, 4), mov64_imm(3, 0), call(k.id), mov64_imm(0, 0),
              exit_insn()};
    for (const std::string &s : k.allowed)
      EXPECT_EQ(check(p, s).status, VEP_ACCEPTED) << k.name << " " << s;
    for (const std::string &s : k.refused)
      EXPECT_REJECTED(check(p, s), 2,
                      std::string(k.name) +
                          " is not allowed for this program type");
  }
  for (const char *s : {"kprobe/f", "tracepoint/a/b", "raw_tp/x"})
    EXPECT_REJECTED(check({mov64_imm(2, 4), call(ADJUST_HEAD), exit_insn()}, s),
                    1, "xdp_adjust_head is not allowed for this program type");
}

TEST(PacketChange, ContextAndScalarArguments) {
  // R1 must be the context at offset 0, R2 (and R3 for the skb helpers) an
  // initialised scalar.
  EXPECT_REJECTED(check({mov64_reg(1, 10), mov64_imm(2, 4), call(ADJUST_HEAD),
                         exit_insn()}),
                  2, "xdp_adjust_head: r1 is not the context pointer");
  EXPECT_REJECTED(check({call(ADJUST_TAIL), exit_insn()}), 0,
                  "reg_read: read of uninitialised register r2");
  EXPECT_REJECTED(
      check({mov64_imm(2, 4), call(CHANGE_TAIL), exit_insn()}, "tc"), 1,
      "reg_read: read of uninitialised register r3");
  EXPECT_REJECTED(
      check({mov64_reg(2, 10), mov64_imm(3, 0), call(CHANGE_HEAD), exit_insn()},
            "tc"),
      2, "skb_change_head: r2 is not a scalar");
}

// skb_store_bytes(ctx, offset, from, len, flags) reads `len` bytes of data
// at `from`; l3/l4_csum_replace(ctx, offset, from, to, flags) take
// scalars. All three are tc's only, and may move the skb's data.
TEST(PacketChange, TcRewritingHelpers) {
  // The byte 63 at r10 - 1 (or `first`); r1 = ctx; r2 = 22; r3 = r10 - 1;
  // r4 = 1; r5 = 0; call skb_store_bytes.
  auto store = [](Insn first) {
    return std::vector<Insn>{first,           mov64_reg(1, 6),
                             mov64_imm(2, 22), mov64_reg(3, 10),
                             alu64_imm(ADD, 3, -1), mov64_imm(4, 1),
                             mov64_imm(5, 0),  call(STORE_BYTES)};
  };
  auto csum = [](int32_t id) {
    return std::vector<Insn>{mov64_reg(1, 6),  mov64_imm(2, 24),
                             mov64_imm(3, 1),  mov64_imm(4, 2),
                             mov64_imm(5, 2),  call(id)};
  };
  std::vector<Insn> keep = {mov64_reg(7, 2)}, old = {ldx(B, 0, 7, 13)};
  const std::pair<std::vector<Insn>, const char *> calls[] = {
      {store(st(B, 10, -1, 63)), "skb_store_bytes"},
      {csum(L3_CSUM), "l3_csum_replace"},
      {csum(L4_CSUM), "l4_csum_replace"}};
  for (const auto &[c, name] : calls) {
    Outcome o = check(bounded(seq(c, reread("tc", 14, 13)), "tc"), "tc");
    EXPECT_EQ(o.status, VEP_ACCEPTED) << name << ": " << o.reason;
    Prog alone = seq(std::vector<Insn>{mov64_reg(6, 1)}, c,
                     std::vector<Insn>{mov64_imm(0, 0), exit_insn()});
    for (const char *s : {"xdp", "socket"})
      EXPECT_REJECTED(check(alone, s), int(c.size()),
                      std::string(name) +
                          " is not allowed for this program type");
    // The packet may have moved: a pointer kept from before is stale.
    EXPECT_REJECTED(check(bounded(seq(keep, c, old), "tc"), "tc"),
                    int(6 + 1 + c.size()),
                    "reg_read: packet pointer used after a packet-changing "
                    "helper: r7");
  }
  // The bytes stored are data: initialised, and no pointer.
  EXPECT_REJECTED(check(bounded(store(mov64_imm(0, 0)), "tc"), "tc"), 13,
                  "skb_store_bytes: r3: helper given a too-small or "
                  "uninitialised buffer");
  EXPECT_REJECTED(check(bounded(store(stx(DW, 10, 10, -8)), "tc"), "tc"), 13,
                  "skb_store_bytes: r3: helper given a too-small or "
                  "uninitialised buffer");
}

// ---- packet pointers after the call -----------------------------------------
TEST(PacketChange, PacketReadAgainAfterTheCall) {
  for (auto [id, section] : {std::pair{ADJUST_HEAD, "xdp"},
                             {ADJUST_TAIL, "xdp"},
                             {CHANGE_TAIL, "tc"},
                             {PULL_DATA, "tc"},
                             {CHANGE_HEAD, "tc"}}) {
    // Bounded again after the call: byte 13 of the new packet.
    Prog ok = bounded(seq(changing_call(id), reread(section, 14, 13)), section);
    Outcome o = check(ok, section);
    EXPECT_EQ(o.status, VEP_ACCEPTED) << id << ": " << o.reason;
    // Twin: the old bound says nothing about the new packet: a read at
    // byte 13 of the new packet bounded by 13 bytes fails.
    Prog past =
        bounded(seq(changing_call(id), reread(section, 13, 13)), section);
    EXPECT_REJECTED(check(past, section), 15,
                    "mem_packet: ACCESS_HIGH not proved");
  }
}

TEST(PacketChange, OldPacketPointerInARegisterIsStale) {
  // r7 = data, checked for 14 bytes before the call; reading byte 13
  // through it is safe before the call ...
  std::vector<Insn> keep = {mov64_reg(7, 2)};
  std::vector<Insn> read = {ldx(B, 0, 7, 13)};
  Outcome o = check(bounded(seq(keep, read, changing_call(ADJUST_HEAD))));
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  // ... and not after it: the packet may have moved (r7 is stale).
  EXPECT_REJECTED(check(bounded(seq(keep, changing_call(ADJUST_HEAD), read))),
                  11,
                  "reg_read: packet pointer used after a packet-changing "
                  "helper: r7");
  // The packet end pointer too, and in every use (a copy, a comparison).
  std::vector<Insn> end = {mov64_reg(8, 3)};
  EXPECT_REJECTED(check(bounded(seq(end, changing_call(ADJUST_TAIL),
                                    std::vector<Insn>{mov64_reg(4, 8)}))),
                  11, "packet pointer used after a packet-changing helper: r8");
  // Other pointers survive: the context (r6), the stack (r10).
  o = check(
      bounded(seq(changing_call(ADJUST_TAIL),
                  std::vector<Insn>{ldx(W, 0, 6, 12), st(W, 10, -8, 1)})));
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
}

TEST(PacketChange, OldPacketPointerSpilledIsUninitialised) {
  // data spilled at r10 - 8 and filled: a pointer before the call, bytes
  // without a value after it (no part of the old pointer is readable).
  std::vector<Insn> spill = {stx(DW, 10, 2, -8)};
  std::vector<Insn> fill = {ldx(DW, 7, 10, -8), ldx(B, 0, 7, 13)};
  Outcome o = check(
      bounded(seq(spill, fill, changing_call(CHANGE_TAIL, 64)), "tc"), "tc");
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  EXPECT_REJECTED(
      check(bounded(seq(spill, changing_call(CHANGE_TAIL, 64), fill), "tc"),
            "tc"),
      11, "mem_stack: read of uninitialised stack");
  std::vector<Insn> byte = {ldx(B, 0, 10, -5)};
  EXPECT_REJECTED(
      check(bounded(seq(spill, changing_call(PULL_DATA, 0), byte), "tc"), "tc"),
      11, "mem_stack: read of uninitialised stack");
}

// A path that never calls the helper keeps the packet length of its start:
// the branch explored after the path through the call restores it.
TEST(PacketChange, OtherBranchesKeepTheirPacketLength) {
  // r7 = data; if r0 (random) != 0 goto the read (explored second); else
  // the call (explored first). The read is instruction 13.
  std::vector<Insn> body = {mov64_reg(7, 2),           call(7),
                            jmp_imm(JNE, 0, 0, 4),     mov64_reg(1, 6),
                            mov64_imm(2, 8),           call(ADJUST_HEAD),
                            raw(JMP | JA, 0, 0, 1, 0), ldx(B, 0, 7, 13)};
  Outcome o = check(bounded(body));
  EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  EXPECT_EQ(o.paths, 3u);
  // Twin: byte 14 is past the bound on the branch without the call.
  body.back() = ldx(B, 0, 7, 14);
  EXPECT_REJECTED(check(bounded(body)), 13,
                  "mem_packet: ACCESS_HIGH not proved");
}
