// soundness_test.cc - Random programs: whatever the checker accepts must run
// safely on concrete packets (independent interpreter), and its return value
// must satisfy the post-condition it was checked against.
#include "interp.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

using namespace vt;

namespace {

Insn call(int32_t id) { return raw(JMP | CALL, 0, 0, 0, id); }

// skb_load_bytes(r1, offset, r10 + at, len) with random, sometimes invalid
// arguments; then r1 = the context spilled at r10 - 72 (by skb_prologue),
// r2 = r8, r5 = r0 again.
void random_load_bytes(std::mt19937_64 &rng, Prog &p) {
  static const int32_t offsets[] = {0, 14, 60, 100, -1};
  static const int16_t ats[] = {-4, -8, -16, -64, -80, 0};
  static const int32_t lens[] = {1, 4, 8, 16, 65, 0};
  p.push_back(mov64_imm(2, offsets[rng() % 5]));
  p.push_back(mov64_reg(3, 10));
  p.push_back(alu64_imm(ADD, 3, ats[rng() % 6]));
  p.push_back(mov64_imm(4, lens[rng() % 6]));
  p.push_back(call(26));
  p.push_back(ldx(DW, 1, 10, -72));
  p.push_back(mov64_reg(2, 8));
  p.push_back(mov64_reg(5, 0));
}

// The start of a tc or socket filter program: the context spilled at
// r10 - 72; r2 and r3 the bounds of the bytes the program reads: the packet
// (tc), or 64 stack bytes that skb_load_bytes fills (socket filters, which
// have no packet pointers).
Prog skb_prologue(ProgType type) {
  Prog p = {stx(DW, 10, 1, -72)};
  if (type == ProgType::Tc) {
    p.push_back(ldx(W, 2, 1, 76));
    p.push_back(ldx(W, 3, 1, 80));
    return p;
  }
  p.insert(p.end(),
           {mov64_imm(2, 0), mov64_reg(3, 10), alu64_imm(ADD, 3, -64),
            mov64_imm(4, 64), call(26), ldx(DW, 1, 10, -72), mov64_reg(2, 10),
            alu64_imm(ADD, 2, -64), mov64_reg(3, 10)});
  return p;
}

// The start of a tracing program, which has no packet: the context
// spilled at r10 - 72; r2 and r3 the bounds of 64 stack bytes that
// get_current_comm or probe_read_kernel (from an address in the context)
// fill.
Prog tracing_prologue(std::mt19937_64 &rng) {
  return {stx(DW, 10, 1, -72),    ldx(DW, 3, 1, 8), mov64_reg(1, 10),
          alu64_imm(ADD, 1, -64), mov64_imm(2, 64), call(rng() % 2 ? 16 : 113),
          ldx(DW, 1, 10, -72),    mov64_reg(2, 10), alu64_imm(ADD, 2, -64),
          mov64_reg(3, 10)};
}

// The start of a sock_ops program, as tracing_prologue's but with the 64
// stack bytes zeroed by stores (sock_ops programs call no tracing helper).
Prog sock_ops_prologue() {
  Prog p = {stx(DW, 10, 1, -72), mov64_imm(3, 0)};
  for (int16_t at = -64; at < 0; at += 8)
    p.push_back(stx(DW, 10, 3, at));
  for (Insn in : {ldx(DW, 1, 10, -72), mov64_reg(2, 10), alu64_imm(ADD, 2, -64),
                  mov64_reg(3, 10)})
    p.push_back(in);
  return p;
}

// A tracing helper (or one not allowed there) with random, sometimes
// invalid arguments: get_current_comm(r10 + at, len),
// probe_read_{user,kernel}(r10 + at, len, r3) and their _str variants,
// which leave the bytes after the string as they were; then as
// random_load_bytes.
void random_tracing_call(std::mt19937_64 &rng, Prog &p) {
  static const int16_t ats[] = {-4, -8, -16, -64, -80, 0};
  static const int32_t lens[] = {1, 4, 8, 16, 65, 0};
  static const int32_t ids[] = {14, 15, 16, 113, 112, 26, 114, 115};
  p.push_back(mov64_reg(1, 10));
  p.push_back(alu64_imm(ADD, 1, ats[rng() % 6]));
  p.push_back(mov64_imm(2, lens[rng() % 6]));
  p.push_back(rng() % 4 ? mov64_reg(3, 5) : mov64_reg(3, 10));
  p.push_back(call(ids[rng() % 8]));
  p.push_back(ldx(DW, 1, 10, -72));
  p.push_back(mov64_reg(2, 8));
  p.push_back(mov64_reg(5, 0));
}

// A random, mostly well-formed program of `type` after a 64-byte bound
// check, with r0, r5..r9 initialised (r5: a packet byte, r6: a u32 context
// field, r8: data). For the __sk_buff types also: context fields at other
// offsets, and skb_load_bytes calls (random_load_bytes).
Prog random_program(std::mt19937_64 &rng, ProgType type = ProgType::Xdp) {
  static const uint8_t codes[] = {
      0x07, 0x0f, 0x17, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x47, 0x4f, 0x57, 0x5f,
      0x67, 0x6f, 0x77, 0x7f, 0x87, 0x97, 0x9f, 0xa7, 0xaf, 0xb7, 0xbf, 0xc7,
      0xcf, 0xd7, 0xd4, 0xdc, 0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c,
      0x44, 0x4c, 0x54, 0x5c, 0x64, 0x6c, 0x74, 0x7c, 0x84, 0x94, 0x9c, 0xa4,
      0xac, 0xb4, 0xbc, 0xc4, 0xcc, 0x61, 0x69, 0x71, 0x79, 0x81, 0x89, 0x91,
      0x62, 0x6a, 0x72, 0x7a, 0x63, 0x6b, 0x73, 0x7b, 0x05, 0x15, 0x1d, 0x25,
      0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x55, 0x5d, 0x65, 0x6d, 0xa5, 0xad, 0xb5,
      0xbd, 0x16, 0x1e, 0x26, 0x2e, 0xa6, 0x95, 0x18,
      // signed and 32-bit jumps (rules jmp_signed, jmp32)
      0x75, 0xc5, 0xdd, 0x66, 0x7e, 0xd6, 0x5e};
  static const int16_t offs[] = {0, 0, 0,  1,  2,  3,  -8, -16,
                                 4, 8, 12, 13, 14, 16, 32, 60};
  static const int32_t imms[] = {0,  1,   2,     5,         8,         14,
                                 16, 32,  64,    -1,        255,       65535,
                                 63, 100, -4096, INT32_MIN, 0x7fffffff};
  static const int16_t skb_offs[] = {0, 8, 12, 32, 44, 48, 64, 68, 72, 76};
  static const int16_t record_offs[] = {0,   4,   6,   8,   9,   12,   16,
                                        94,  95,  160, 164, 167, 168,  176,
                                        180, 184, 208, 212, 216, 2040, 2047};
  static const uint8_t sizes[] = {B, H, W, DW};
  bool tracing = is_tracing(type), sock_ops = type == ProgType::SockOps,
       record = has_record(type), skb = type != ProgType::Xdp && !record;
  Prog p = tracing    ? tracing_prologue(rng)
           : sock_ops ? sock_ops_prologue()
           : skb      ? skb_prologue(type)
                      : xdp_prologue();
  p.push_back(mov64_imm(0, 1));
  p.push_back(mov64_reg(4, 2));
  p.push_back(alu64_imm(ADD, 4, 64));
  size_t bound_check = p.size();
  p.push_back(jmp_reg(JGT, 4, 3, 0)); // patched: -> the final exit
  p.push_back(ldx(B, 5, 2, 0));
  p.push_back(ldx(type == ProgType::PerfEvent ? DW : W, 6, 1,
                  skb      ? skb_offs[rng() % 10]
                  : record ? 8
                           : 12));
  p.push_back(mov64_imm(7, 3));
  p.push_back(mov64_reg(8, 2));
  p.push_back(mov64_imm(9, -1));
  int n = 2 + (int)(rng() % 12);
  for (int i = 0; i < n; i++) {
    static const uint8_t scalars[] = {0, 5, 6, 7, 9}, bases[] = {2, 8, 10, 1};
    if (skb && rng() % 8 == 0) {
      random_load_bytes(rng, p);
      continue;
    }
    if (tracing && rng() % 8 == 0) {
      random_tracing_call(rng, p);
      continue;
    }
    if (record && rng() % 5 == 0) { // a record load (or a store)
      int16_t off = record_offs[rng() % 21];
      uint8_t size = sizes[rng() % 4], r = scalars[rng() % 5];
      if ((type == ProgType::PerfEvent || sock_ops) && rng() % 2)
        size = sock_ops ? W : DW; // the size of most of their fields
      p.push_back(rng() % (sock_ops ? 3 : 8) ? ldx(size, r, 1, off)
                                             : stx(size, 1, r, off));
      continue;
    }
    if (skb && rng() % 6 == 0) { // a context field load or store
      int16_t off = skb_offs[rng() % 10];
      uint8_t r = scalars[rng() % 5];
      p.push_back(rng() % 2 ? ldx(W, r, 1, off) : stx(W, 1, r, off));
      continue;
    }
    Insn in;
    in.code = codes[rng() % sizeof codes];
    in.dst = (uint8_t)(rng() % 10);
    in.src = (uint8_t)(rng() % 11);
    in.off = offs[rng() % (sizeof offs / sizeof offs[0])];
    in.imm = imms[rng() % (sizeof imms / sizeof imms[0])];
    uint8_t cls = in.code & 7, op = in.code & 0xf0;
    bool x = in.code & X;
    if (rng() % 4) { // mostly: arithmetic on scalars, memory through pointers
      if (cls == LDX)
        in.src = bases[rng() % 4], in.dst = scalars[rng() % 5];
      else if (cls == ST || cls == STX)
        in.dst = bases[rng() % 4];
      else
        in.dst = scalars[rng() % 5];
    }
    if (cls == ALU || cls == ALU64) {
      in.off = (op == DIV || op == MOD) && rng() % 4 == 0 ? 1 : 0;
      if (x)
        in.imm = 0;
      else
        in.src = 0;
      if (op == NEG)
        in.src = 0, in.imm = 0;
      if (op == END)
        in.src = 0, in.imm = 16 << (rng() % 3);
    }
    if (cls == LDX || cls == STX)
      in.imm = 0;
    if (cls == ST)
      in.src = 0;
    if (cls == JMP || cls == JMP32) {
      in.off = (int16_t)(rng() % 4);
      if (x)
        in.imm = 0;
      else
        in.src = 0;
    }
    if (in.code == (JMP | EXIT))
      in = exit_insn();
    if (in.code == (JMP | JA))
      in = ja((int16_t)(rng() % 4));
    if (in.code == (LD | DW)) {
      in.src = 0;
      in.off = 0;
      p.push_back(in);
      in = Insn{};
      in.imm = (int32_t)rng();
    }
    p.push_back(in);
  }
  for (int i = 0; i < 3; i++) // landing places for the last jumps
    p.push_back(ja(0));
  p.push_back(exit_insn());
  p[bound_check].off = (int16_t)(p.size() - 1 - bound_check - 1);
  return p;
}

// tc: r0 = the packet's first byte, bounds unchecked.
Prog tc_read_first_byte() {
  return {ldx(W, 2, 1, 76), ldx(B, 0, 2, 0), exit_insn()};
}

} // namespace

// A random post-condition over R0 (a disjunction of ranges).
Post random_post(std::mt19937_64 &rng) {
  static const __int128 bounds[] = {0,
                                    1,
                                    2,
                                    3,
                                    4,
                                    7,
                                    64,
                                    255,
                                    256,
                                    0xffff,
                                    0xffffffff,
                                    0x100000000,
                                    ((__int128)1 << 64) - 1};
  Post p;
  int n = 1 + (int)(rng() % 2);
  for (int d = 0; d < n; d++) {
    __int128 lo = bounds[rng() % 13], hi = bounds[rng() % 13];
    if (lo > hi)
      std::swap(lo, hi);
    p.disjuncts.push_back({{1, -lo}, {-1, hi}});
  }
  return p;
}

bool satisfies(const Post &p, uint64_t r0) {
  for (const auto &d : p.disjuncts) {
    bool all = true;
    for (const PostFact &f : d)
      all = all && f.a * (__int128)r0 + f.b >= 0;
    if (all)
      return true;
  }
  return p.disjuncts.empty();
}

TEST(Soundness, AcceptedRandomProgramsRunSafely) {
  std::mt19937_64 rng(20250101);
  int accepted = 0, runs = 0;
  for (int it = 0; it < scaled(6000); it++) {
    Prog p = random_program(rng);
    Post post = random_post(rng);
    if (rng() % 4 == 0)
      post.disjuncts.clear();
    std::vector<Post> posts{post};
    Outcome o = round_trip(xdp_object(p), posts);
    if (o.status != VEP_ACCEPTED)
      continue;
    accepted++;
    for (int k = 0; k < 12; k++) {
      std::vector<uint8_t> packet(rng() % 100);
      for (auto &b : packet)
        b = (uint8_t)rng();
      uint32_t ifindex = k % 3 == 0 ? 0xffffffffu : (uint32_t)rng();
      RunResult r = run_xdp(p, packet, ifindex);
      runs++;
      ASSERT_TRUE(r.ok) << "program " << it << ", packet of " << packet.size()
                        << " bytes: " << r.error;
      ASSERT_TRUE(satisfies(post, r.r0))
          << "program " << it << " returned " << r.r0;
    }
  }
  // The generator must produce enough accepted programs to mean something.
  EXPECT_GT(accepted, scaled(500));
  EXPECT_GT(runs, scaled(6000));
}

// The same for tc and socket filter programs: __sk_buff context loads and
// stores, skb_load_bytes.
TEST(Soundness, AcceptedRandomSkbProgramsRunSafely) {
  std::mt19937_64 rng(20261121);
  for (ProgType type : {ProgType::Tc, ProgType::Socket}) {
    const char *section = type == ProgType::Tc ? "tc" : "socket";
    int accepted = 0, with_call = 0, with_ctx_store = 0;
    for (int it = 0; it < scaled(6000); it++) {
      Prog p = random_program(rng, type);
      Post post = random_post(rng);
      if (rng() % 4 == 0)
        post.disjuncts.clear();
      std::vector<Post> posts{post};
      Outcome o = round_trip(xdp_object(p, section), posts);
      if (o.status != VEP_ACCEPTED)
        continue;
      accepted++;
      // Beyond the prologue's: calls, and stores through the context.
      size_t body = type == ProgType::Tc ? 3 : 10;
      with_call += std::any_of(p.begin() + body, p.end(), [](const Insn &in) {
        return in.code == (JMP | CALL);
      });
      with_ctx_store += std::any_of(p.begin(), p.end(), [](const Insn &in) {
        return (in.code & 7) == STX && (in.code & 0xe0) == MEM && in.dst == 1;
      });
      for (int k = 0; k < 12; k++) {
        std::vector<uint8_t> packet(rng() % 100);
        for (auto &b : packet)
          b = (uint8_t)rng();
        uint32_t ifindex = k % 3 == 0 ? 0xffffffffu : (uint32_t)rng();
        RunResult r = run_program(p, type, packet, ifindex, MapEnv{});
        ASSERT_TRUE(r.ok) << section << " program " << it << ", packet of "
                          << packet.size() << " bytes: " << r.error;
        ASSERT_TRUE(satisfies(post, r.r0))
            << section << " program " << it << " returned " << r.r0;
      }
    }
    EXPECT_GT(accepted, scaled(200)) << section;
    // How many keep a call or a context store: too few to count in the
    // sanitizer build's eighth of the programs.
    if (kRandomScale == 1) {
      EXPECT_GT(with_call, 30) << section;
      EXPECT_GT(with_ctx_store, 30) << section;
    }
  }
}

namespace {
// random_program with the context saved at r10 - 128 first and a
// packet-changing helper call (xdp_adjust_head/tail, or skb_change_tail,
// skb_pull_data, skb_change_head) at a random place in its body, with a
// random delta; half of the time followed by a new load of data (r2, r8)
// and data_end (r3), a new 64-byte bound check (to the final exit) and a
// new packet byte in r5. Sets `reread`.
Prog random_packet_change(std::mt19937_64 &rng, ProgType type, bool &reread) {
  static const int32_t deltas[] = {-8, -4, -1, 0, 1, 4, 14, 64, 200};
  static const int32_t xdp_ids[] = {44, 65}, tc_ids[] = {38, 39, 43, 10, 11};
  bool xdp = type == ProgType::Xdp;
  int16_t data = xdp ? 0 : 76;
  Prog p = random_program(rng, type);
  p.insert(p.begin(), stx(DW, 10, 1, -128));
  size_t check = 0;
  while (!(p[check].code == (JMP | X | JGT) && p[check].dst == 4))
    check++;
  // After the packet byte load that follows the bound check, before the
  // landing places.
  size_t at = check + 2 + rng() % (p.size() - 4 - (check + 2) + 1);
  // r4, r5: l3/l4_csum_replace's `to` and flags (the others ignore them).
  Prog seq = {ldx(DW, 1, 10, -128), mov64_imm(2, deltas[rng() % 9]),
              mov64_imm(3, 0), mov64_imm(4, 2), mov64_imm(5, 0),
              call(xdp ? xdp_ids[rng() % 2] : tc_ids[rng() % 5])};
  reread = rng() % 2;
  size_t recheck = 0;
  if (reread) {
    seq.insert(seq.end(), {ldx(DW, 1, 10, -128), ldx(W, 2, 1, data),
                           ldx(W, 3, 1, data + 4), mov64_reg(8, 2),
                           mov64_reg(4, 2), alu64_imm(ADD, 4, 64)});
    recheck = at + seq.size();
    seq.insert(seq.end(), {jmp_reg(JGT, 4, 3, 0), ldx(B, 5, 2, 0)});
  }
  p.insert(p.begin() + (long)at, seq.begin(), seq.end());
  int16_t last = (int16_t)(p.size() - 1);
  p[check].off = (int16_t)(last - check - 1);
  if (reread)
    p[recheck].off = (int16_t)(last - recheck - 1);
  return p;
}
} // namespace

// The interpreter's packet-changing helpers: new lengths as the kernel's,
// -EINVAL below 14 bytes, and the old packet's addresses invalid after
// every call.
TEST(Soundness, InterpreterPacketChangingHelpers) {
  const std::vector<uint8_t> packet(60, 1);
  // r0 = the new length (data_end - data) after helper `id`(ctx, a, 0),
  // or the helper's result when `result`.
  auto after = [&](ProgType type, int32_t id, int32_t a, bool result) {
    int16_t data = type == ProgType::Xdp ? 0 : 76;
    Prog p = {mov64_reg(6, 1), mov64_imm(2, a),     mov64_imm(3, 0),
              call(id),        ldx(W, 2, 6, data),  ldx(W, 3, 6, data + 4),
              mov64_reg(4, 3), alu64_reg(SUB, 4, 2)};
    if (!result)
      p.push_back(mov64_reg(0, 4));
    p.push_back(exit_insn());
    RunResult r = run_program(p, type, packet, 0, MapEnv{});
    EXPECT_TRUE(r.ok) << r.error;
    return r.r0;
  };
  EXPECT_EQ(after(ProgType::Xdp, 44, 4, false), 56u);
  EXPECT_EQ(after(ProgType::Xdp, 44, -4, false), 64u);
  EXPECT_EQ(after(ProgType::Xdp, 65, -10, false), 50u);
  EXPECT_EQ(after(ProgType::Tc, 38, 20, false), 20u);
  EXPECT_EQ(after(ProgType::Tc, 39, 0, false), 60u);
  EXPECT_EQ(after(ProgType::Tc, 43, 4, false), 64u);
  EXPECT_EQ(after(ProgType::Xdp, 44, 50, true), (uint64_t)-22);
  EXPECT_EQ(after(ProgType::Xdp, 44, 50, false), 60u);
  // The old packet's addresses point nowhere, even after a failed call.
  for (int32_t a : {4, 50}) {
    Prog stale = {mov64_reg(6, 1), ldx(W, 7, 1, 0), mov64_reg(1, 6),
                  mov64_imm(2, a), call(44),        ldx(B, 0, 7, 0),
                  exit_insn()};
    RunResult r = run_program(stale, ProgType::Xdp, packet, 0, MapEnv{});
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, "access outside every region");
  }
  // Only for their program types.
  Prog tc_only = {mov64_imm(2, 4), mov64_imm(3, 0), call(38), exit_insn()};
  EXPECT_FALSE(run_program(tc_only, ProgType::Xdp, packet, 0, MapEnv{}).ok);
  EXPECT_FALSE(run_program(tc_only, ProgType::Socket, packet, 0, MapEnv{}).ok);
}

// Whatever the checker accepts around a packet-changing helper runs safely
// in the interpreter, which moves the packet at every such call (so an
// access through a pointer from before the call is a violation there).
TEST(Soundness, AcceptedRandomPacketChangingProgramsRunSafely) {
  std::mt19937_64 rng(20261122);
  for (ProgType type : {ProgType::Xdp, ProgType::Tc}) {
    const char *section = type == ProgType::Xdp ? "xdp" : "tc";
    int accepted = 0, reread_accepted = 0;
    for (int it = 0; it < scaled(4000); it++) {
      bool reread = false;
      Prog p = random_packet_change(rng, type, reread);
      Outcome o = round_trip(xdp_object(p, section));
      if (o.status != VEP_ACCEPTED)
        continue;
      accepted++;
      reread_accepted += reread;
      for (int k = 0; k < 12; k++) {
        std::vector<uint8_t> packet(rng() % 100);
        for (auto &b : packet)
          b = (uint8_t)rng();
        RunResult r = run_program(p, type, packet, (uint32_t)rng(), MapEnv{});
        ASSERT_TRUE(r.ok) << section << " program " << it << ", packet of "
                          << packet.size() << " bytes: " << r.error;
      }
    }
    // About 450 and 300 accepted, three quarters of them with a re-read.
    EXPECT_GT(accepted, scaled(200)) << section;
    EXPECT_GT(reread_accepted, scaled(150)) << section;
  }
}

namespace {
// A program of a type whose context is a record (tracing, perf_event,
// sock_ops), checked against a random post (none a quarter of the time).
// If the checker accepts it, it runs on 12 random records; `violation` is
// then "" or the first run that was unsafe or broke the post. Returns
// whether it was accepted.
bool accepted_record_program(std::mt19937_64 &rng, ProgType type,
                             const char *section, const Prog &p,
                             std::string &violation) {
  Post post = random_post(rng);
  if (rng() % 4 == 0)
    post.disjuncts.clear();
  std::vector<Post> posts{post};
  if (round_trip(xdp_object(p, section), posts).status != VEP_ACCEPTED)
    return false;
  for (int k = 0; k < 12 && violation.empty(); k++) {
    std::vector<uint8_t> record(rng() % 100);
    for (auto &b : record)
      b = (uint8_t)rng();
    RunResult r = run_program(p, type, record, 0, MapEnv{});
    if (!r.ok)
      violation = r.error;
    else if (!satisfies(post, r.r0))
      violation = "returned " + std::to_string(r.r0);
  }
  return true;
}
} // namespace

TEST(Soundness, AcceptedRandomTracingProgramsRunSafely) {
  std::mt19937_64 rng(20261122);
  const std::pair<ProgType, const char *> types[] = {
      {ProgType::Kprobe, "kprobe/f"},
      {ProgType::Tracepoint, "tracepoint/a/b"},
      {ProgType::RawTp, "raw_tp/x"}};
  for (const auto &[type, section] : types) {
    int accepted = 0, with_call = 0, with_record_load = 0;
    for (int it = 0; it < scaled(4000); it++) {
      Prog p = random_program(rng, type);
      std::string violation;
      if (!accepted_record_program(rng, type, section, p, violation))
        continue;
      ASSERT_EQ(violation, "") << section << " program " << it;
      accepted++;
      // Beyond the prologue's: calls, and loads of other sizes than 4
      // through the context.
      with_call += std::any_of(p.begin() + 10, p.end(), [](const Insn &in) {
        return in.code == (JMP | CALL);
      });
      with_record_load += std::any_of(p.begin(), p.end(), [](const Insn &in) {
        return (in.code & 7) == LDX && in.src == 1 && (in.code & 0x18) != W;
      });
    }
    // Accepted helper calls are rarer than in packet programs (tracing
    // records are small): about 1 in 150 programs.
    EXPECT_GT(accepted, scaled(100)) << section;
    EXPECT_GT(with_call, scaled(10)) << section << ": " << with_call;
    EXPECT_GT(with_record_load, scaled(30)) << section;
  }
}

// perf_event and sock_ops programs: their contexts as the kernel's rules
// (the interpreter's, interp.h) allow; perf_event programs also call the
// tracing helpers.
TEST(Soundness, AcceptedRandomPerfEventAndSockOpsProgramsRunSafely) {
  std::mt19937_64 rng(20261123);
  const std::pair<ProgType, const char *> types[] = {
      {ProgType::PerfEvent, "perf_event"}, {ProgType::SockOps, "sockops"}};
  for (const auto &[type, section] : types) {
    int accepted = 0, with_field = 0;
    for (int it = 0; it < scaled(4000); it++) {
      Prog p = random_program(rng, type);
      std::string violation;
      if (!accepted_record_program(rng, type, section, p, violation))
        continue;
      ASSERT_EQ(violation, "") << section << " program " << it;
      accepted++;
      // perf_event: a load of sample_period or addr; sock_ops: a store to
      // reply or sk_txhash.
      with_field += std::any_of(p.begin(), p.end(), [&](const Insn &in) {
        return type == ProgType::PerfEvent
                   ? (in.code & 7) == LDX && in.src == 1 && in.off >= 168
                   : (in.code & 7) == STX && in.dst == 1;
      });
    }
    EXPECT_GT(accepted, scaled(100)) << section << ": " << accepted;
    if (kRandomScale == 1) // too few to count in the sanitizer build
      EXPECT_GT(with_field, 10) << section << ": " << with_field;
  }
}

TEST(Soundness, InterpreterPerfEventAndSockOpsContexts) {
  auto run = [](ProgType t, const Prog &p, std::vector<uint8_t> record = {}) {
    return run_program(p, t, record, 0, MapEnv{});
  };
  const ProgType pe = ProgType::PerfEvent, so = ProgType::SockOps;
  EXPECT_EQ(run(pe, {ldx(DW, 0, 1, 160), exit_insn()}, {7}).r0,
            0x0707070707070707u);
  EXPECT_EQ(run(pe, {ldx(B, 0, 1, 183), exit_insn()}, {7}).r0, 7u);
  EXPECT_FALSE(run(pe, {ldx(W, 0, 1, 160), exit_insn()}).ok);
  EXPECT_FALSE(run(pe, {ldx(DW, 0, 1, 184), exit_insn()}).ok);
  EXPECT_FALSE(run(pe, {st(DW, 1, 168, 0), mov64_imm(0, 0), exit_insn()}).ok);
  EXPECT_TRUE(run(pe, {call(14), exit_insn()}).ok);
  // sock_ops: a store to reply is read back; other stores and the
  // pointers are refused; no tracing helpers.
  EXPECT_EQ(
      run(so, {mov64_imm(2, 9), stx(W, 1, 2, 4), ldx(W, 0, 1, 4), exit_insn()})
          .r0,
      9u);
  EXPECT_FALSE(
      run(so, {mov64_imm(2, 9), stx(W, 1, 2, 8), mov64_imm(0, 0), exit_insn()})
          .ok);
  EXPECT_TRUE(run(so, {ldx(DW, 0, 1, 176), exit_insn()}).ok);
  EXPECT_FALSE(run(so, {ldx(W, 0, 1, 176), exit_insn()}).ok);
  EXPECT_FALSE(run(so, {ldx(DW, 0, 1, 184), exit_insn()}).ok);
  EXPECT_TRUE(run(so, {ldx(B, 0, 1, 212), exit_insn()}).ok);
  EXPECT_FALSE(run(so, {call(14), exit_insn()}).ok);
}

TEST(Soundness, InterpreterTracingContextAndHelpers) {
  auto run = [](ProgType t, const Prog &p, std::vector<uint8_t> record = {}) {
    return run_program(p, t, record, 0, MapEnv{});
  };
  const ProgType kp = ProgType::Kprobe, tp = ProgType::Tracepoint,
                 raw = ProgType::RawTp;
  // The record repeats the bytes given; aligned loads inside the range.
  EXPECT_EQ(run(tp, {ldx(H, 0, 1, 8), exit_insn()}, {1, 2, 3}).r0, 0x0103u);
  EXPECT_EQ(run(kp, {ldx(DW, 0, 1, 160), exit_insn()}, {7}).r0,
            0x0707070707070707u);
  EXPECT_FALSE(run(tp, {ldx(B, 0, 1, 7), exit_insn()}).ok);
  EXPECT_FALSE(run(kp, {ldx(DW, 0, 1, 168), exit_insn()}).ok);
  EXPECT_FALSE(run(raw, {ldx(W, 0, 1, 2), exit_insn()}).ok);
  EXPECT_TRUE(run(raw, {ldx(B, 0, 1, 95), exit_insn()}).ok);
  EXPECT_FALSE(run(raw, {st(B, 1, 0, 0), mov64_imm(0, 0), exit_insn()}).ok);
  // get_current_comm writes the name, zero-padded; probe_read_kernel zeros.
  Prog comm = {mov64_reg(1, 10), alu64_imm(ADD, 1, -16), mov64_imm(2, 16),
               call(16),         ldx(DW, 0, 10, -16),    exit_insn()};
  EXPECT_EQ(run(kp, comm).r0, 0x747365742d706576u); // "vep-test"
  EXPECT_FALSE(run_program(comm, ProgType::Xdp, {}, 0, MapEnv{}).ok);
  Prog probe = {mov64_imm(3, 4096), mov64_reg(1, 10), alu64_imm(ADD, 1, -8),
                mov64_imm(2, 8),    call(113),        ldx(DW, 0, 10, -8),
                exit_insn()};
  EXPECT_EQ(run(raw, probe).r0, 0u);
  probe[0] = mov64_imm(4, 0); // r3 uninitialised
  EXPECT_FALSE(run(raw, probe).ok);
  EXPECT_FALSE(run(tp, {call(26), exit_insn()}).ok);
  EXPECT_FALSE(
      run_program({call(14), exit_insn()}, ProgType::Tc, {}, 0, MapEnv{}).ok);
  EXPECT_TRUE(run(tp, {call(15), exit_insn()}).ok);
  // probe_read_*_str writes "x" and its NUL; the other bytes stay.
  Prog str = {st(DW, 10, -8, -1),    mov64_imm(3, 4096), mov64_reg(1, 10),
              alu64_imm(ADD, 1, -8), mov64_imm(2, 8),    call(115),
              ldx(DW, 0, 10, -8),    exit_insn()};
  EXPECT_EQ(run(raw, str).r0, 0xffffffffffff0078u);
  str[0] = mov64_imm(0, 0); // bytes 2..7 uninitialised: the load fails
  EXPECT_FALSE(run(raw, str).ok);
  EXPECT_FALSE(run_program(str, ProgType::Xdp, {}, 0, MapEnv{}).ok);
}

TEST(Soundness, InterpreterOutputHelpersAndMapTypes) {
  // ringbuf_output(m, r10 - 8, 8, 0): a ring buffer, initialised data.
  Prog out = {st(DW, 10, -8, 1),
              raw(LD | DW, 1, 0, 0, 0),
              raw(0, 0, 0, 0, 0),
              mov64_reg(2, 10),
              alu64_imm(ADD, 2, -8),
              mov64_imm(3, 8),
              mov64_imm(4, 0),
              call(130),
              exit_insn()};
  MapEnv ring;
  ring.maps = {MapModel{0, 0, 27}};
  ring.relocs = {{1, 0}};
  EXPECT_TRUE(run_program(out, ProgType::Xdp, {}, 0, ring).ok);
  MapEnv array = ring;
  array.maps[0].type = 2;
  EXPECT_FALSE(run_program(out, ProgType::Xdp, {}, 0, array).ok);
  out[5] = mov64_imm(3, 9); // one byte past the initialised ones
  EXPECT_FALSE(run_program(out, ProgType::Xdp, {}, 0, ring).ok);
  // tail_call returns with R0 unset when its slot is empty.
  Prog tail = {raw(LD | DW, 2, 0, 0, 0), raw(0, 0, 0, 0, 0),
               mov64_imm(3, 0),          call(12),
               mov64_imm(0, 2),          exit_insn()};
  MapEnv progs;
  progs.maps = {MapModel{4, 4, 3}};
  progs.relocs = {{0, 0}};
  EXPECT_TRUE(run_program(tail, ProgType::Xdp, {}, 0, progs).ok);
  tail.erase(tail.begin() + 4);
  EXPECT_FALSE(run_program(tail, ProgType::Xdp, {}, 0, progs).ok);
  // redirect and csum_diff are XDP and tc helpers.
  Prog redirect = {mov64_imm(1, 1), mov64_imm(2, 0), call(23), exit_insn()};
  EXPECT_EQ(run_program(redirect, ProgType::Tc, {}, 0, MapEnv{}).r0, 7u);
  EXPECT_FALSE(run_program(redirect, ProgType::Socket, {}, 0, MapEnv{}).ok);
}

// Programs computing on one packet byte b: the exact set of results over
// all 256 values of b (and the empty packet) is known by running them. A
// post-condition that excludes an attained value must be rejected; the
// exact range is often accepted.
namespace {
Prog byte_function(std::mt19937_64 &rng) {
  static const uint8_t alu_ops[] = {ADD, SUB, MUL, DIV, OR,   AND, LSH,
                                    RSH, NEG, MOD, XOR, ARSH, END, MOV};
  static const uint8_t jmp_ops[] = {JEQ,  JNE,  JGT,  JGE,  JLT, JLE,
                                    JSET, JSGT, JSGE, 0xc0, 0xd0};
  static const int32_t imms[] = {1,  2,   3,   4,   7,   8,          10,
                                 16, 31,  32,  63,  255, 256,        -1,
                                 -2, -16, 100, 128, 200, 0x7fffffff, INT32_MIN};
  Prog p = xdp_prologue();
  p.push_back(mov64_imm(0, 1));       // 2: the empty packet returns 1
  p.push_back(mov64_reg(4, 2));       // 3
  p.push_back(alu64_imm(ADD, 4, 1));  // 4
  p.push_back(jmp_reg(JGT, 4, 3, 0)); // 5: patched -> exit
  p.push_back(ldx(B, 0, 2, 0));       // 6: r0 = b
  if (rng() % 5 == 0) {               // or a constant (folding)
    p.back() = mov64_imm(0, imms[rng() % (sizeof imms / sizeof imms[0])]);
  } else if (rng() % 4 == 0) { // or b + 3 * 2^32: JMP32 sees only b (jmp32)
    lddw(p, 1, 3ull << 32);
    p.push_back(alu64_reg(ADD, 0, 1));
  }
  int n = 1 + (int)(rng() % 5);
  std::vector<size_t> jumps, probes;
  for (int i = 0; i < n; i++) {
    if (rng() % 3 == 0) { // a probe: if r0 OP c, return 2^64 - 1
      probes.push_back(p.size());
      p.push_back(raw((rng() % 4 ? JMP : JMP32) | K | jmp_ops[rng() % 11], 0, 0,
                      0, imms[rng() % (sizeof imms / sizeof imms[0])]));
    }
    uint8_t cls = rng() % 2 ? ALU64 : ALU;
    int32_t imm = imms[rng() % (sizeof imms / sizeof imms[0])];
    if (rng() % 4 == 0) { // a conditional jump over the following ops
      uint8_t jc = rng() % 4 ? JMP : JMP32;
      jumps.push_back(p.size());
      p.push_back(raw(jc | K | jmp_ops[rng() % 11], 0, 0, 0, imm));
      continue;
    }
    uint8_t op = alu_ops[rng() % (sizeof alu_ops / sizeof alu_ops[0])];
    Insn in = raw(cls | K | op, 0, 0, 0, imm);
    if (op == NEG)
      in.imm = 0;
    if (op == END)
      in = raw(cls | (rng() % 2 && cls == ALU ? X : K) | END, 0, 0, 0,
               16 << (rng() % 3));
    if (op == MOV) // MOVSX r0 = (s8/s16/s32) r0, or w0 = w0
      in = raw(cls | X | MOV, 0, 0, (int16_t)(rng() % 3 ? 8 << (rng() % 2) : 0),
               0);
    if ((op == DIV || op == MOD) && rng() % 3 == 0)
      in.off = 1; // signed
    if (rng() % 6 == 0 && op != END && op != NEG && op != MOV)
      in = raw(cls | X | op, 0, 0, in.off, 0); // r0 op= r0
    p.push_back(in);
  }
  p.push_back(exit_insn());
  size_t exit_at = p.size() - 1;
  p.push_back(mov64_imm(0, -1)); // the probes' target
  p.push_back(exit_insn());
  p[5].off = (int16_t)(exit_at - 6);
  for (size_t j : jumps)
    p[j].off = (int16_t)(rng() % (exit_at - j)); // forward, <= exit
  for (size_t j : probes)
    p[j].off = (int16_t)(exit_at - j);
  return p;
}
} // namespace

TEST(Soundness, ByteFunctionsRespectExactRanges) {
  std::mt19937_64 rng(7);
  int exact_accepted = 0, programs = 0;
  for (int it = 0; it < scaled(1200); it++) {
    Prog p = byte_function(rng);
    std::vector<uint64_t> results;
    RunResult empty = run_xdp(p, {}, 0);
    ASSERT_TRUE(empty.ok) << empty.error;
    results.push_back(empty.r0);
    for (int b = 0; b < 256; b++) {
      RunResult r = run_xdp(p, {(uint8_t)b}, 0);
      ASSERT_TRUE(r.ok) << r.error;
      results.push_back(r.r0);
    }
    __int128 lo = *std::min_element(results.begin(), results.end());
    __int128 hi = *std::max_element(results.begin(), results.end());
    programs++;
    std::vector<Post> posts{post_range(lo, hi)};
    Outcome o = round_trip(xdp_object(p), posts);
    ASSERT_NE(o.status, VEP_MALFORMED) << o.reason;
    exact_accepted += o.status == VEP_ACCEPTED;
    for (int side = 0; side < 2; side++) {
      __int128 l = lo + (side == 0), h = hi - (side == 1);
      if (l > h)
        l = h = hi + 1; // a single value: claim another one
      posts = {post_range(l, h)};
      o = round_trip(xdp_object(p), posts);
      ASSERT_EQ(o.status, VEP_REJECTED)
          << "program " << it << " claims [" << (uint64_t)l << ", "
          << (uint64_t)h << "]";
    }
  }
  EXPECT_GT(exact_accepted, programs / 5);
}

// The interpreter itself catches what the checker rejects.
TEST(Soundness, InterpreterDetectsViolations) {
  Prog unbounded = xdp_prologue();
  unbounded.push_back(ldx(B, 0, 2, 0));
  unbounded.push_back(exit_insn());
  EXPECT_FALSE(run_xdp(unbounded, {}, 0).ok);
  EXPECT_TRUE(run_xdp(unbounded, {7}, 0).ok);
  EXPECT_FALSE(run_xdp({ldx(DW, 0, 10, -8), exit_insn()}, {}, 0).ok);
  EXPECT_FALSE(run_xdp({exit_insn()}, {}, 0).ok);
}

// bpf-to-bpf calls in the interpreter (interp.h): frames, callee-saved
// registers, per-frame stacks.
TEST(Soundness, InterpreterCallsAndFrames) {
  auto run = [](const Prog &p) { return run_xdp(p, {}, 0); };
  // main: r6 = 5, r1 = 2, call f, r0 += r6, exit; f(r1): r0 = r1 * 3.
  Prog twice = {mov64_imm(6, 5),      mov64_imm(1, 2), call_fn(2),
                alu64_reg(ADD, 0, 6), exit_insn(),     mov64_reg(0, 1),
                alu64_imm(MUL, 0, 3), exit_insn()};
  RunResult r = run(twice);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.r0, 11u); // r6 kept across the call
  // The callee reads the caller's r6: uninitialised in its frame.
  Prog reads_r6 = twice;
  reads_r6[5] = mov64_reg(0, 6);
  EXPECT_FALSE(run(reads_r6).ok);
  // After the call r1 is clobbered.
  Prog uses_r1 = twice;
  uses_r1[3] = alu64_reg(ADD, 0, 1);
  EXPECT_FALSE(run(uses_r1).ok);
  // The callee's stack is its own: it cannot read what the caller stored
  // at the caller's r10 - 8 through its r10, and the caller's bytes are
  // addressable through a pointer argument.
  Prog own_stack = {st(DW, 10, -8, 7), mov64_reg(1, 10), alu64_imm(ADD, 1, -8),
                    call_fn(1),        exit_insn(),      ldx(DW, 0, 10, -8),
                    exit_insn()};
  EXPECT_FALSE(run(own_stack).ok);
  Prog through_arg = own_stack;
  through_arg[5] = ldx(DW, 0, 1, 0);
  r = run(through_arg);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.r0, 7u);
  // What a callee stored is gone after it returns: main calls f (stores
  // at its r10 - 8), then g (reads its r10 - 8, the same address).
  Prog stale = {call_fn(2),         call_fn(4),      exit_insn(),
                st(DW, 10, -8, 1),  mov64_imm(0, 0), exit_insn(),
                ldx(DW, 0, 10, -8), exit_insn()};
  EXPECT_FALSE(run(stale).ok);
  Prog fresh = stale;
  fresh.insert(fresh.begin() + 6, st(DW, 10, -8, 4)); // g stores first
  r = run(fresh);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.r0, 4u);
  // Unbounded recursion ends at the frame limit.
  EXPECT_FALSE(run({call_fn(-1), exit_insn()}).ok);
}

TEST(Soundness, InterpreterSkbContextAndLoadBytes) {
  auto run = [](ProgType t, const Prog &p, std::vector<uint8_t> packet = {}) {
    return run_program(p, t, packet, 5, MapEnv{});
  };
  const ProgType tc = ProgType::Tc, sock = ProgType::Socket;
  // Fields: len is the packet's size, others ifindex until written.
  EXPECT_EQ(run(tc, {ldx(W, 0, 1, 0), exit_insn()}, {1, 2, 3}).r0, 3u);
  EXPECT_EQ(run(sock, {ldx(W, 0, 1, 68), exit_insn()}).r0, 5u);
  Prog mark = {mov64_imm(2, 9), stx(W, 1, 2, 8), ldx(W, 0, 1, 8), exit_insn()};
  EXPECT_EQ(run(tc, mark).r0, 9u);
  EXPECT_FALSE(run(sock, mark).ok); // socket filters write cb[] only
  EXPECT_TRUE(run(sock, {st(W, 1, 64, 1), ldx(W, 0, 1, 64), exit_insn()}).ok);
  EXPECT_FALSE(run(tc, {st(W, 1, 0, 1), mov64_imm(0, 0), exit_insn()}).ok);
  // data and data_end: tc only; tc_classid: tc only.
  Prog data = tc_read_first_byte();
  EXPECT_EQ(run(tc, data, {42}).r0, 42u);
  EXPECT_FALSE(run(tc, data, {}).ok);
  EXPECT_FALSE(run(sock, data, {42}).ok);
  EXPECT_TRUE(run(tc, {ldx(W, 0, 1, 72), exit_insn()}).ok);
  EXPECT_FALSE(run(sock, {ldx(W, 0, 1, 72), exit_insn()}).ok);
  EXPECT_FALSE(run(tc, {ldx(W, 0, 1, 84), exit_insn()}).ok);
  EXPECT_FALSE(run(tc, {ldx(H, 0, 1, 0), exit_insn()}).ok);
  // skb_load_bytes: a copy and 0, or zeros and -EFAULT; the buffer
  // initialised either way; r1..r5 not.
  auto load = [](int32_t offset, int32_t len, Insn after) {
    return Prog{mov64_imm(2, offset), mov64_reg(3, 10), alu64_imm(ADD, 3, -8),
                mov64_imm(4, len),    call(26),         after,
                exit_insn()};
  };
  RunResult ok = run(sock, load(1, 2, ldx(H, 0, 10, -8)), {1, 2, 3});
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.r0, 0x0302u);
  Prog rc = load(2, 2, mov64_imm(0, 0));
  rc.erase(rc.begin() + 5); // return the helper's result: bytes 2..3 of 3
  EXPECT_EQ(run(tc, rc, {1, 2, 3}).r0, (uint64_t)-14);
  RunResult zeros = run(tc, load(2, 2, ldx(H, 0, 10, -8)), {1, 2, 3});
  EXPECT_TRUE(zeros.ok);
  EXPECT_EQ(zeros.r0, 0u);
  EXPECT_FALSE(run(tc, load(0, 9, mov64_imm(0, 0)), {1}).ok); // past r10
  EXPECT_FALSE(run(tc, load(0, 0, mov64_imm(0, 0)), {1}).ok);
  EXPECT_FALSE(run(tc, load(0, 1, mov64_reg(0, 1)), {1}).ok);
  EXPECT_FALSE(run_xdp(load(0, 1, mov64_imm(0, 0)), {1}, 0).ok);
}

// Random programs with one loop and a random (often wrong) cut point
// assertion at its head: whatever the checker accepts must run safely and
// terminate (the interpreter's step limit catches endless loops) on
// concrete packets, and satisfy its post-condition.
namespace {
struct LoopCase {
  Prog prog;
  Cut cut;
  Post post;
};

LoopCase random_loop(std::mt19937_64 &rng) {
  auto pick = [&](std::initializer_list<int> xs) {
    return *(xs.begin() + rng() % xs.size());
  };
  int start = pick({0, 0, 1, 3}), n = pick({1, 4, 16, 32, 40});
  int step = pick({1, 1, 1, 1, 1, 2, 3, 0, -1});
  LoopCase c;
  Prog &p = c.prog;
  bool tail = rng() % 4 == 0; // r7 == i, re-established at the back edge
  p = {ldx(W, 2, 1, 0), ldx(W, 3, 1, 4), mov64_imm(6, start), mov64_imm(9, 0),
       mov64_imm(7, start)};
  const size_t head = p.size();
  std::vector<size_t> to_out; // jumps to patch: -> out
  uint8_t exit_op = (uint8_t)pick({JGE, JGE, JGE, JGT, JEQ});
  to_out.push_back(p.size());
  p.push_back(jmp_imm(exit_op, 6, exit_op == JGT ? n - 1 : n, 0));
  int items = 1 + (int)(rng() % 3);
  for (int i = 0; i < items; i++) {
    int kind = (int)(rng() % 6);
    if (kind <= 2) { // a read at data + off + i, bound-checked (mostly)
      int off = pick({0, 0, 1, 14, 30}), size = pick({1, 1, 2, 4});
      int slack = kind == 2 ? pick({-1, 0, 1}) : 0;
      uint8_t sz = size == 1 ? B : size == 2 ? H : W;
      p.push_back(mov64_reg(4, 2));
      p.push_back(alu64_imm(ADD, 4, off));
      p.push_back(alu64_reg(ADD, 4, 6));
      p.push_back(mov64_reg(5, 4));
      p.push_back(alu64_imm(ADD, 5, size + slack));
      to_out.push_back(p.size());
      p.push_back(jmp_reg(pick({JGT, JGT, JGE}), 5, 3, 0));
      p.push_back(ldx(sz, 5, 4, 0));
      p.push_back(alu64_reg(pick({ADD, ADD, XOR, MOV}), 9, 5));
    } else if (kind == 3) { // arithmetic on the accumulator
      p.push_back(alu64_imm(pick({ADD, AND, RSH, MOD}), 9, pick({1, 3, 255})));
    } else if (kind == 4) { // a scratch register used before/after set
      if (rng() % 3)
        p.push_back(mov64_imm(7, pick({0, 5})));
      p.push_back(alu64_reg(ADD, 7, 6));
    } else { // an early exit
      to_out.push_back(p.size());
      p.push_back(jmp_imm(pick({JEQ, JGT}), 9, pick({0, 7, 300}), 0));
    }
  }
  p.push_back(alu64_imm(ADD, 6, step));
  if (tail) { // r7 = r6 ^ 0 (a fresh value); if r7 != r6 goto out
    p.push_back(mov64_reg(7, 6));
    p.push_back(alu64_imm(XOR, 7, 0));
    to_out.push_back(p.size());
    p.push_back(jmp_reg(JNE, 7, 6, 0));
  }
  p.push_back(ja((int16_t)((int)head - (int)p.size() - 1)));
  const size_t out = p.size();
  p.push_back(pick({0, 1, 2}) == 0 ? mov64_imm(0, 2) : mov64_reg(0, 9));
  if (rng() % 4 == 0)
    p.back() = mov64_reg(0, 6);
  p.push_back(exit_insn());
  for (size_t j : to_out)
    p[j].off = (int16_t)(out - j - 1);

  Cut &k = c.cut;
  k.insn = (uint32_t)head;
  k.n_exists = 2;
  k.bindings = {
      bind(VEP_BIND_PACKET, 2, form(0)), bind(VEP_BIND_PACKET_END, 3, form(0)),
      bind(VEP_BIND_SCALAR, 6, var(1)), bind(VEP_BIND_SCALAR, 9, var(2))};
  if (rng() % 8 == 0)
    std::swap(k.bindings[2], k.bindings[3]);
  if (rng() % 8 == 0)
    k.bindings.pop_back(), k.n_exists = 1;
  if (tail || rng() % 8 == 0) // r7 = x_1 (+ 1: wrong)
    k.bindings.push_back(bind(VEP_BIND_SCALAR, 7, var(1, rng() % 4 == 0)));
  int lo = start + pick({0, 0, 0, 0, 0, -1, 1});
  int hi = n + pick({0, 0, 0, 0, 0, 1, -1, 2});
  if (rng() % 5)
    k.facts.push_back(form(-lo, {{1, 1}})); // x1 >= lo
  if (rng() % 5)
    k.facts.push_back(form(hi, {{1, -1}})); // x1 <= hi
  if (k.n_exists == 2 && rng() % 2)
    k.facts.push_back(var(2));
  if (k.n_exists == 2 && rng() % 4 == 0)
    k.facts.push_back(rng() % 2 ? form(0, {{1, 255}, {2, -1}})
                                : form(pick({255, 65535}), {{2, -1}}));
  k.has_rank = rng() % 10 != 0;
  k.rank = form(n + pick({0, 0, 1, -1, 2}), {{1, -1}});
  if (rng() % 6 == 0)
    k.rank = form(n + 1, {{1, 1}}); // increasing: wrong
  c.post = random_post(rng);
  if (rng() % 3 == 0)
    c.post.disjuncts.clear();
  return c;
}
} // namespace

TEST(Soundness, AcceptedRandomLoopsRunSafelyAndTerminate) {
  std::mt19937_64 rng(42);
  int accepted = 0, runs = 0;
  std::map<std::string, int> reasons;
  for (int it = 0; it < scaled(6000); it++) {
    LoopCase c = random_loop(rng);
    CutTable t;
    t.cuts = {c.cut};
    std::vector<Post> posts{c.post};
    Outcome o = round_trip(xdp_object(c.prog), posts, {t});
    ASSERT_NE(o.status, VEP_MALFORMED) << o.reason;
    if (o.status != VEP_ACCEPTED) {
      reasons[o.reason.substr(0, o.reason.find(':'))]++;
      continue;
    }
    accepted++;
    for (int k = 0; k < 8; k++) {
      std::vector<uint8_t> packet(rng() % 90);
      for (auto &b : packet)
        b = (uint8_t)(k % 2 ? rng() : rng() % 3);
      RunResult r = run_xdp(c.prog, packet, (uint32_t)rng());
      runs++;
      ASSERT_TRUE(r.ok) << "program " << it << ", packet of " << packet.size()
                        << " bytes: " << r.error;
      ASSERT_TRUE(satisfies(c.post, r.r0))
          << "program " << it << " returned " << r.r0;
    }
  }
  // Enough accepted loops, and enough rejected for each reason, to mean
  // something.
  EXPECT_GT(accepted, scaled(150));
  EXPECT_GT(runs, scaled(1200));
  for (const char *rule : {"rank_decrease", "rank_nonneg", "cut_fact",
                           "cut_binding", "mem_packet", "jump_target"})
    EXPECT_GT(reasons[rule], scaled(10)) << rule;
}

// Random nested loops: an outer loop over r6 (i), an inner one over r8 (j)
// reading data[i + j], with random (often wrong) assertions at both heads
// and a random ghost at the inner head; the inner body may move i (an
// inner loop that resets or lowers i never lets the outer loop end), and
// the entry may jump straight to the inner head. Whatever the checker
// accepts must run safely and terminate in the interpreter.
namespace {
struct NestedCase {
  Prog prog;
  Cut outer, inner;
};

NestedCase random_nested(std::mt19937_64 &rng) {
  auto pick = [&](std::initializer_list<int> xs) {
    return *(xs.begin() + rng() % xs.size());
  };
  int n = pick({1, 3, 8}), m = pick({1, 2, 5});
  int move_i = pick({0, 0, 0, 0, 1, 2, 3}); // none, i++, i = 0, i--
  bool into_body = rng() % 8 == 0;
  NestedCase c;
  Prog &p = c.prog;
  p = {ldx(W, 2, 1, 0), ldx(W, 3, 1, 4), mov64_imm(6, 0), mov64_imm(9, 0),
       mov64_imm(8, 0)};
  size_t skip = p.size();
  if (into_body)
    p.push_back(ja(0)); // -> the inner head
  const size_t outer = p.size();
  std::vector<size_t> to_out{outer}, to_after;
  p.push_back(jmp_imm(JGE, 6, n, 0));
  p.push_back(mov64_imm(8, 0));
  const size_t inner = p.size();
  if (into_body)
    p[skip].off = (int16_t)(inner - skip - 1);
  to_after.push_back(inner);
  p.push_back(jmp_imm(JGE, 8, m, 0));
  p.push_back(mov64_reg(4, 2));
  p.push_back(alu64_reg(ADD, 4, 6));
  p.push_back(alu64_reg(ADD, 4, 8));
  p.push_back(mov64_reg(5, 4));
  p.push_back(alu64_imm(ADD, 5, 1));
  to_out.push_back(p.size());
  p.push_back(jmp_reg(JGT, 5, 3, 0));
  p.push_back(ldx(B, 5, 4, 0));
  p.push_back(alu64_reg(ADD, 9, 5));
  if (move_i == 1)
    p.push_back(alu64_imm(ADD, 6, 1));
  else if (move_i == 2)
    p.push_back(mov64_imm(6, 0));
  else if (move_i == 3)
    p.push_back(alu64_imm(SUB, 6, 1));
  p.push_back(alu64_imm(ADD, 8, pick({1, 1, 1, 2, 0})));
  p.push_back(ja((int16_t)((int)inner - (int)p.size() - 1)));
  const size_t after = p.size();
  p.push_back(alu64_imm(ADD, 6, pick({1, 1, 1, 2, 0})));
  p.push_back(ja((int16_t)((int)outer - (int)p.size() - 1)));
  const size_t out = p.size();
  p.push_back(mov64_reg(0, 9));
  p.push_back(exit_insn());
  for (size_t j : to_out)
    p[j].off = (int16_t)(out - j - 1);
  for (size_t j : to_after)
    p[j].off = (int16_t)(after - j - 1);

  // Outer: i = x_1, s = x_2, 0 <= x_1 <= n, rank n - x_1.
  Cut &o = c.outer;
  o.insn = (uint32_t)outer;
  o.n_exists = 2;
  o.bindings = {
      bind(VEP_BIND_PACKET, 2, form(0)), bind(VEP_BIND_PACKET_END, 3, form(0)),
      bind(VEP_BIND_SCALAR, 6, var(1)), bind(VEP_BIND_SCALAR, 9, var(2))};
  o.facts = {var(1), form(n + pick({0, 0, 0, 1}), {{1, -1}})};
  o.has_rank = true;
  o.rank = form(n + pick({0, 0, 0, 1, -1}), {{1, -1}});
  // Inner: i = x_1, j = x_2, s = x_3, 0 <= x_1 < n, 0 <= x_2 <= m + 1,
  // rank m + 1 - x_2 (j steps may be 2), ghost n - x_1 (+ noise).
  Cut &k = c.inner;
  k.insn = (uint32_t)inner;
  k.n_exists = 3;
  k.bindings = {
      bind(VEP_BIND_PACKET, 2, form(0)), bind(VEP_BIND_PACKET_END, 3, form(0)),
      bind(VEP_BIND_SCALAR, 6, var(1)), bind(VEP_BIND_SCALAR, 8, var(2)),
      bind(VEP_BIND_SCALAR, 9, var(3))};
  k.facts = {var(1), form(n - pick({1, 1, 1, 0}), {{1, -1}}), var(2),
             form(m + 1, {{2, -1}})};
  k.has_rank = true;
  k.rank = form(m + pick({1, 1, 1, 0, -1}), {{2, -1}});
  if (rng() % 8)
    k.ghosts = {{(uint32_t)outer,
                 form(n + pick({0, 0, 0, 0, 1, -1}), {{1, -1}})}};
  return c;
}
} // namespace

TEST(Soundness, AcceptedRandomNestedLoopsRunSafelyAndTerminate) {
  std::mt19937_64 rng(7);
  int accepted = 0;
  std::map<std::string, int> reasons;
  for (int it = 0; it < scaled(2000); it++) {
    NestedCase c = random_nested(rng);
    CutTable t;
    t.cuts = {c.outer, c.inner};
    Outcome o = round_trip(xdp_object(c.prog), {}, {t});
    ASSERT_NE(o.status, VEP_MALFORMED) << o.reason;
    if (o.status != VEP_ACCEPTED) {
      reasons[o.reason.substr(0, o.reason.find(':'))]++;
      continue;
    }
    accepted++;
    for (int k = 0; k < 4; k++) {
      std::vector<uint8_t> packet(rng() % 20);
      for (auto &b : packet)
        b = (uint8_t)rng();
      RunResult r = run_xdp(c.prog, packet, 0);
      ASSERT_TRUE(r.ok) << "program " << it << ", packet of " << packet.size()
                        << " bytes: " << r.error;
    }
  }
  EXPECT_GT(accepted, scaled(60));
  for (const char *rule : {"rank_ghost", "rank_decrease", "cut_ghost",
                           "cut_back_edge", "cut_fact"})
    EXPECT_GT(reasons[rule], scaled(10)) << rule;
}

// Random programs on a map value: a lookup whose result is copied, spilled,
// null-checked (or not) and accessed at random offsets and sizes, with
// pointer moves, atomic operations (every kind, on the value and the
// stack), pseudo lddws of the map (by index) and of its value, and helper
// calls in between. Whatever the checker accepts must run safely in the
// interpreter, whichever lookups return NULL. With `ringbuf`, the value is
// a ringbuf reservation of value_size bytes instead, submitted or
// discarded (through either copy, maybe moved) at random places and,
// usually, at the end of the non-null side, and read by trace_printk.
namespace {
// r1 = r6 or r9 (the copies); r2 = 0; call ringbuf_submit or _discard.
void random_release(std::mt19937_64 &rng, Prog &p) {
  p.push_back(mov64_reg(1, rng() % 4 ? 6 : 9));
  p.push_back(mov64_imm(2, 0));
  p.push_back(raw(JMP | CALL, 0, 0, 0, rng() % 2 ? 132 : 133));
}

Prog random_map_program(std::mt19937_64 &rng, uint32_t value_size,
                        std::vector<size_t> &lddws, bool ringbuf = false) {
  static const uint8_t sizes[] = {B, H, W, DW};
  static const uint8_t bases[] = {6, 6, 6, 9, 0};
  static const int32_t atomics[] = {0x00, 0x01, 0x40, 0x41, 0x50,
                                    0x51, 0xa0, 0xa1, 0xe1, 0xf1};
  static const uint8_t pseudo_map[] = {0, 0, 1, 5}, pseudo_value[] = {2, 6};
  Prog p;
  uint8_t src = pseudo_map[rng() % 4]; // 0: relocated
  if (!src)
    lddws.push_back(0);
  p.push_back(raw(LD | DW, 1, src, 0, 0)); // 0-1: r1 = map 0
  p.push_back(raw(0, 0, 0, 0, 0));
  if (ringbuf) { // 2: r2 = size; 3: r3 = 0; 4: call ringbuf_reserve
    p.push_back(mov64_imm(2, (int32_t)value_size - (rng() % 8 == 0)));
    p.push_back(mov64_imm(3, 0));
    p.push_back(raw(JMP | CALL, 0, 0, 0, 131));
  } else {
    p.push_back(st(W, 10, -4, (int32_t)(rng() % 3)));
    p.push_back(st(DW, 10, -24, (int32_t)rng())); // data for stack atomics
    p.push_back(mov64_reg(2, 10));
    p.push_back(alu64_imm(ADD, 2, rng() % 8 ? -4 : -2)); // 5: maybe too small
    p.push_back(raw(JMP | CALL, 0, 0, 0, 1));            // 6
  }
  p.push_back(mov64_reg(6, 0));
  p.push_back(mov64_imm(7, 3));
  p.push_back(mov64_imm(8, 0));
  p.push_back(mov64_reg(9, 0));
  size_t null_check = p.size();
  p.push_back(jmp_imm(JEQ, 6, 0, 0)); // patched -> the final exit
  if (rng() % 6 == 0)
    p.back() = mov64_imm(1, 0); // no null check
  int n = 1 + (int)(rng() % 8);
  for (int i = 0; i < n; i++) {
    uint8_t size = sizes[rng() % 4], base = bases[rng() % 5];
    int16_t off = (int16_t)((int)(rng() % (value_size + 6)) - 3);
    switch (rng() % 14) {
    case 0:
    case 1:
      p.push_back(ldx(size, rng() % 2 ? 7 : 8, base, off));
      break;
    case 2:
      p.push_back(st(size, base, off, (int32_t)rng()));
      break;
    case 3:
      p.push_back(stx(size, base, rng() % 6 ? 7 : 10, off));
      break;
    case 4: // on the value, mostly 8-aligned (r0: cmpxchg's R0, maybe a
            // pointer)
      p.push_back(raw(STX | 0xc0 | (rng() % 2 ? W : DW), base,
                      rng() % 6 ? 8 : 6, rng() % 4 ? off & ~7 : off,
                      atomics[rng() % 10]));
      break;
    case 11: // on the stack: data at -24 and the key, the spill slot (a
             // pointer), uninitialised bytes
      p.push_back(raw(STX | 0xc0 | (rng() % 2 ? W : DW), 10, rng() % 6 ? 8 : 6,
                      (int16_t)(-4 * (int)(1 + rng() % 6)),
                      atomics[rng() % 10]));
      break;
    case 12: // r6 = the value + k, by a pseudo lddw
      p.push_back(raw(LD | DW, 6, pseudo_value[rng() % 2], 0, 0));
      p.push_back(raw(0, 0, 0, 0, off));
      break;
    case 5:
      p.push_back(alu64_imm(ADD, 6, (int32_t)(rng() % 9) - 4));
      break;
    case 6:
      p.push_back(alu64_imm(AND, 7, rng() % 2 ? 7 : 15));
      p.push_back(alu64_reg(ADD, 6, 7));
      break;
    case 7:
      p.push_back(stx(DW, 10, 9, -16)); // spill and fill the nullable copy
      p.push_back(ldx(DW, 9, 10, -16));
      break;
    case 8:
      p.push_back(jmp_imm(rng() % 2 ? JEQ : JNE, 9, 0, (int16_t)(rng() % 3)));
      break;
    case 9:
      p.push_back(raw(JMP | CALL, 0, 0, 0, rng() % 2 ? 5 : 7));
      break;
    case 10:
      if (ringbuf && rng() % 3 == 0) {
        random_release(rng, p);
      } else if (ringbuf && rng() % 2) { // trace_printk(r6 + k, len): reads
        // k + len usually within the size, sometimes 1 past it
        int32_t k = (int32_t)(rng() % value_size);
        p.push_back(mov64_reg(1, 6));
        p.push_back(alu64_imm(ADD, 1, rng() % 6 ? k : off));
        p.push_back(mov64_imm(2, 1 + (int32_t)(rng() % (value_size - k)) +
                                     (rng() % 6 == 0)));
        for (uint8_t r = 3; r <= 5; r++)
          p.push_back(mov64_imm(r, 0));
        p.push_back(raw(JMP | CALL, 0, 0, 0, 6));
      } else if (ringbuf) {
        p.push_back(ldx(B, 7, 6, 0));
      } else if (rng() % 2) { // map_update_elem(map, r6 + k, r6, 0)
        lddws.push_back(p.size());
        p.push_back(raw(LD | DW, 1, 0, 0, 0));
        p.push_back(raw(0, 0, 0, 0, 0));
        p.push_back(mov64_reg(2, 6));
        p.push_back(alu64_imm(ADD, 2, (int32_t)(rng() % (value_size + 2)) - 1));
        p.push_back(mov64_reg(3, 6));
        p.push_back(mov64_imm(4, 0));
        p.push_back(raw(JMP | CALL, 0, 0, 0, 2));
      } else {
        p.push_back(ldx(B, 7, 6, 0));
      }
      break;
    default:
      p.push_back(mov64_reg(9, 6));
    }
  }
  for (int i = 0; i < 3; i++) // landing places for the last jumps
    p.push_back(ja(0));
  if (ringbuf && rng() % 5)
    random_release(rng, p);
  p.push_back(mov64_imm(0, 2));
  p.push_back(exit_insn());
  if (p[null_check].code == (JMP | K | JEQ))
    p[null_check].off = (int16_t)(p.size() - 1 - null_check - 1);
  return p;
}
} // namespace

TEST(Soundness, AcceptedRandomMapProgramsRunSafely) {
  std::mt19937_64 rng(4242);
  static const uint32_t value_sizes[] = {4, 8, 12, 16, 64};
  int accepted = 0, runs = 0, fetches = 0, stack_atomics = 0, pseudo_values = 0;
  for (int it = 0; it < scaled(3000); it++) {
    uint32_t vs = value_sizes[rng() % 5];
    std::vector<size_t> lddws;
    Prog p = random_map_program(rng, vs, lddws);
    Maps maps;
    maps.add("m", rng() % 2 ? 1 : 2, 4, vs);
    std::vector<Reloc> relocs;
    for (size_t at : lddws)
      relocs.push_back({at, 1});
    Outcome o = round_trip(map_object(p, relocs, map_symbols({"m"})), {}, {},
                           maps.get());
    if (o.status != VEP_ACCEPTED)
      continue;
    accepted++;
    for (const Insn &in : p) { // what the accepted programs exercise
      bool atomic = (in.code & 0xe7) == (STX | 0xc0);
      fetches += atomic && (in.imm & 1) && in.dst != 10;
      stack_atomics += atomic && in.dst == 10;
      pseudo_values += in.code == (LD | DW) && in.src % 4 == 2;
    }
    MapEnv env;
    env.maps = {MapModel{4, vs}};
    for (size_t at : lddws)
      env.relocs.push_back({at, 0});
    for (int k = 0; k < 4; k++) {
      env.lookup_null = k < 2 ? (uint64_t)k : rng();
      RunResult r = run_xdp_maps(p, {}, 0, env);
      runs++;
      ASSERT_TRUE(r.ok) << "program " << it << ": " << r.error;
    }
  }
  RecordProperty("accepted", accepted);
  EXPECT_GT(accepted, scaled(300));
  EXPECT_GT(runs, scaled(1200));
  EXPECT_GT(fetches, scaled(20));
  EXPECT_GT(stack_atomics, scaled(25));
  EXPECT_GT(pseudo_values, scaled(60));
}

TEST(Soundness, InterpreterRingbufReservations) {
  // 0-1: r1 = rb; 2: r2 = 8; 3: r3 = 0; 4: reserve; 5: if r0 == 0 goto 10;
  // 6: *(u64 *)(r0 + 0) = 1; 7: r1 = r0; 8: r2 = 0; 9: submit; 10: r0 = 0;
  // 11: exit.
  Prog p = {raw(LD | DW, 1, 0, 0, 0),
            raw(0, 0, 0, 0, 0),
            mov64_imm(2, 8),
            mov64_imm(3, 0),
            call(131),
            jmp_imm(JEQ, 0, 0, 4),
            st(DW, 0, 0, 1),
            mov64_reg(1, 0),
            mov64_imm(2, 0),
            call(132),
            mov64_imm(0, 0),
            exit_insn()};
  MapEnv env;
  env.maps = {MapModel{0, 0, 27}};
  env.relocs = {{0, 0}};
  EXPECT_TRUE(run_xdp_maps(p, {}, 0, env).ok);
  env.lookup_null = 1; // the null side releases nothing
  EXPECT_TRUE(run_xdp_maps(p, {}, 0, env).ok);
  env.lookup_null = 0;
  std::vector<std::vector<std::pair<size_t, Insn>>> unsafe = {
      {{6, st(DW, 0, 1, 1)}}, // past the 8 reserved bytes
      {{9, mov64_imm(0, 0)}}, // not released at exit
      {{6, mov64_reg(6, 0)}, {10, ldx(B, 0, 6, 0)}}, // read after submit
      {{7, mov64_reg(1, 10)}}};                      // submits a stack pointer
  for (auto &changes : unsafe) {
    Prog q = p;
    for (auto &[at, insn] : changes)
      q[at] = insn;
    EXPECT_FALSE(run_xdp_maps(q, {}, 0, env).ok) << changes[0].first;
  }
}

namespace {
// p run in the interpreter with one ring buffer (relocated at `lddws`),
// its reservations null and not: "" or the first violation.
std::string ringbuf_run_violation(const Prog &p,
                                  const std::vector<size_t> &lddws) {
  MapEnv env;
  env.maps = {MapModel{0, 0, 27}};
  for (size_t at : lddws)
    env.relocs.push_back({at, 0});
  for (uint64_t null = 0; null < 2; null++) {
    env.lookup_null = null;
    RunResult r = run_xdp_maps(p, {}, 0, env);
    if (!r.ok)
      return r.error;
  }
  return "";
}
} // namespace

TEST(Soundness, AcceptedRandomRingbufProgramsRunSafely) {
  std::mt19937_64 rng(2727);
  static const uint32_t sizes[] = {4, 8, 12, 16, 64};
  int accepted = 0, runs = 0, reads = 0; // reads: with a trace_printk
  for (int it = 0; it < scaled(3000); it++) {
    uint32_t size = sizes[rng() % 5];
    std::vector<size_t> lddws; // relocated (the rest: pseudo lddws)
    Prog p = random_map_program(rng, size, lddws, true);
    Maps maps;
    maps.add("rb", 27, 0, 0, 4096);
    std::vector<Reloc> relocs;
    for (size_t at : lddws)
      relocs.push_back({at, 1});
    Outcome o = round_trip(map_object(p, relocs, map_symbols({"rb"})), {}, {},
                           maps.get());
    if (o.status != VEP_ACCEPTED)
      continue;
    accepted++;
    reads += std::any_of(p.begin(), p.end(), [](const Insn &in) {
      return in.code == (JMP | CALL) && in.imm == 6;
    });
    std::string bad = ringbuf_run_violation(p, lddws);
    runs += 2;
    ASSERT_EQ(bad, "") << "program " << it;
  }
  RecordProperty("accepted", accepted);
  EXPECT_GT(accepted, scaled(150));
  EXPECT_GT(runs, scaled(300));
  EXPECT_GT(reads, scaled(5));
}

// Random loops over a pending reservation (format 7.1): reserve n bytes,
// null check, r6 = r0 (and a copy in r8), r7 = 0; head (the cut point at
// 9): if r7 >= bound leave; *(u8 *)(r6 + r7 + off) = 1; maybe a release
// in the body; r7 += 1; back. After the loop a release through r6 or r8,
// through both, or none. The head binds r7 = x1 with 0 <= x1 <= b and rank b - x1, and
// the reservation in r6, r8, both or neither, of a random size and
// offset. Every accepted program runs safely in the interpreter: no access
// outside or after the reservation, none pending at exit, none released
// twice.
TEST(Soundness, AcceptedRandomRingbufLoopsRunSafely) {
  std::mt19937_64 rng(3131);
  static const int32_t sizes[] = {4, 8, 16};
  int accepted = 0, bound_twice = 0;
  for (int it = 0; it < scaled(6000); it++) {
    int32_t size = sizes[rng() % 3], bound = (int32_t)(rng() % 18);
    int16_t off = (int16_t)(rng() % 3) - 1;
    bool release_in_body = rng() % 6 == 0;
    int release_after = (int)(rng() % 8); // 0: none, 1: r8, 2: both, r6
    Prog p = {raw(LD | DW, 1, 0, 0, 0), raw(0, 0, 0, 0, 0), mov64_imm(2, size),
              mov64_imm(3, 0), call(131), jmp_imm(JEQ, 0, 0, 18),
              mov64_reg(6, 0), mov64_reg(8, 0), mov64_imm(7, 0),
              jmp_imm(JGE, 7, bound, 8), mov64_reg(1, 6), alu64_reg(ADD, 1, 7),
              st(B, 1, off, 1)};
    if (release_in_body)
      p.insert(p.end(), {mov64_reg(1, 6), mov64_imm(2, 0), call(133)});
    else
      p.insert(p.end(), {ja(0), ja(0), ja(0)});
    p.insert(p.end(), {alu64_imm(ADD, 7, 1), ja(-9)});
    for (int k = 0; k < 2; k++) // two releases' places after the loop
      if ((k == 0 && release_after == 2) ||
          (k == 1 && release_after != 0))
        p.insert(p.end(), {mov64_reg(1, k == 0 || release_after == 1 ? 8 : 6),
                           mov64_imm(2, 0), call(132)});
      else
        p.insert(p.end(), {ja(0), ja(0), ja(0)});
    p.insert(p.end(), {mov64_imm(0, 0), exit_insn()});
    Cut k;
    k.insn = 9;
    k.n_exists = 1;
    __int128 b = bound + (int)(rng() % 3) - 1;
    k.bindings = {bind(VEP_BIND_SCALAR, 7, var(1))};
    static const int bound_in[] = {0, 1, 1, 1, 2, 3}; // bit 0: r6, 1: r8
    int which = bound_in[rng() % 6];
    for (int16_t r : {6, 8})
      if (which >> (r == 8) & 1)
        k.bindings.push_back(bind(VEP_BIND_RINGBUF, r,
                                  form(rng() % 5 ? 0 : 1),
                                  rng() % 5 ? (uint32_t)size : 8));
    k.facts = {var(1), form(b, {{1, -1}})};
    k.has_rank = true;
    k.rank = form(b, {{1, -1}});
    CutTable t;
    t.cuts = {k};
    Maps maps;
    maps.add("rb", 27, 0, 0, 4096);
    Outcome o = round_trip(map_object(p, {{0, 1}}, map_symbols({"rb"})), {},
                           {t}, maps.get());
    if (o.status != VEP_ACCEPTED)
      continue;
    accepted++;
    bound_twice += which == 3;
    ASSERT_EQ(ringbuf_run_violation(p, {0}), "") << "program " << it;
  }
  RecordProperty("accepted", accepted);
  EXPECT_GT(accepted, scaled(100));
  EXPECT_EQ(bound_twice, 0); // cut_ringbuf: one binding per reservation
}

// ---- Random bpf-to-bpf calls ----------------------------------------------
namespace {

// A random function f at `.text` 0 with a random contract, and a program
// calling it once. f takes r1 and r2: either two scalars (pre: x1 and x2,
// each maybe bounded) or a buffer of a constant or variable size x1 with
// r2 = x1; its post binds r0 to a fresh existential, maybe bounded or
// related to x1. The bodies are random ALU, memory (through r1, the
// buffer, and r10) and forward jumps; the caller passes constants, packet
// bytes, or stack buffers of random size and initialisation.
struct CallCase {
  Prog main, text;
  size_t call_at; // the call instruction in main
  Function f;
  Post post;
};

CallCase random_call_case(std::mt19937_64 &rng) {
  static const __int128 bounds[] = {0, 1, 7, 8, 64, 255, 0xffffffff};
  static const int32_t args[] = {0, 1, 7, 8, 16, 64, 255, -1};
  static const int16_t offs[] = {0, 1, 4, 7, 8, 15, -1, -8, -16, -9};
  static const uint8_t sizes[] = {B, H, W, DW};
  CallCase c;
  bool buffer = rng() % 2;
  int32_t fixed = rng() % 2 ? 8 << (rng() % 2) : 0; // the buffer's size
  Cut &pre = c.f.pre, &post = c.f.post;
  if (buffer) {
    pre.n_exists = 1;
    pre.bindings = {buf(1, fixed ? form(fixed) : var(1), rng() % 2 == 0),
                    bind(VEP_BIND_SCALAR, 2, var(1))};
    if (rng() % 4) // x1 >= 1
      pre.facts.push_back(form(-1, {{1, 1}}));
    if (rng() % 2) // x1 <= bound
      pre.facts.push_back(form(bounds[rng() % 7], {{1, -1}}));
  } else {
    pre.n_exists = 2;
    pre.bindings = {bind(VEP_BIND_SCALAR, 1, var(1)),
                    bind(VEP_BIND_SCALAR, 2, var(2))};
    for (uint32_t x = 1; x <= 2; x++)
      if (rng() % 2)
        pre.facts.push_back(form(bounds[rng() % 7], {{x, -1}}));
  }
  post.n_exists = pre.n_exists + 1;
  uint32_t r = post.n_exists;
  post.bindings = {bind(VEP_BIND_SCALAR, 0, var(r))};
  switch (rng() % 4) {
  case 0: // r0 <= bound
    post.facts.push_back(form(bounds[rng() % 7], {{r, -1}}));
    break;
  case 1: // r0 <= x1 + k
    post.facts.push_back(form(rng() % 3, {{1, 1}, {r, -1}}));
    break;
  case 2: // r0 >= x1
    post.facts.push_back(form(0, {{1, -1}, {r, 1}}));
    break;
  }
  // The body: r0 from r1 (a scalar) or 0, r3 = r2, then random steps
  // (memory through r1 when it is the buffer, else r10), exit.
  Prog &t = c.text;
  t.push_back(buffer ? mov64_imm(0, 0) : mov64_reg(0, 1));
  t.push_back(mov64_reg(3, 2));
  uint8_t base = buffer ? 1 : 10;
  int n = 1 + (int)(rng() % 6);
  for (int i = 0; i < n; i++) {
    static const uint8_t regs[] = {0, 2, 3, 0, 2, 3, 0, 2, 3, 4, 5, 6};
    uint8_t d = regs[rng() % 12], s = regs[rng() % 12];
    switch (rng() % 6) {
    case 0:
      t.push_back(alu64_imm(rng() % 2 ? ADD : AND, 0, args[rng() % 8]));
      break;
    case 1:
      t.push_back(alu64_reg(rng() % 2 ? ADD : SUB, d, s));
      break;
    case 2: // a load through r1 or r10
      t.push_back(
          ldx(sizes[rng() % 4], d, rng() % 8 ? base : 10, offs[rng() % 10]));
      break;
    case 3: // a store through r1 or r10
      t.push_back(rng() % 2 ? st(sizes[rng() % 4], rng() % 8 ? base : 10,
                                 offs[rng() % 10], args[rng() % 8])
                            : stx(sizes[rng() % 4], rng() % 8 ? base : 10, s,
                                  offs[rng() % 10]));
      break;
    case 4: // a forward jump over at most 2 instructions
      t.push_back(jmp_imm(rng() % 2 ? JGT : JLE, d, args[rng() % 8],
                          (int16_t)(rng() % 3)));
      break;
    default:
      t.push_back(mov64_reg(d, rng() % 4 ? 2 : 0));
    }
  }
  t.push_back(ja(0));
  t.push_back(ja(0));
  t.push_back(exit_insn());
  c.f.n_insns = (uint32_t)t.size();
  // The caller: packet bound checked, a stack buffer at r10 - 16 of 16
  // bytes (initialised or not), r6 kept across the call.
  Prog &m = c.main;
  m = xdp_prologue();
  m.push_back(mov64_imm(0, 1));
  m.push_back(mov64_reg(4, 2));
  m.push_back(alu64_imm(ADD, 4, 8));
  size_t bound_check = m.size();
  m.push_back(jmp_reg(JGT, 4, 3, 0)); // patched: -> the final exit
  if (rng() % 8)
    m.push_back(st(DW, 10, -16, 0));
  if (rng() % 8)
    m.push_back(st(DW, 10, -8, 0));
  m.push_back(mov64_imm(6, args[rng() % 8]));
  if (buffer) {
    static const int16_t ats[] = {-16, -8, -4, 0};
    static const int32_t lens[] = {1, 4, 8, 16, 17};
    int32_t len = fixed && rng() % 4 ? fixed : lens[rng() % 5];
    if (rng() % 4) {
      m.push_back(mov64_reg(1, 10));
      m.push_back(alu64_imm(
          ADD, 1, rng() % 4 ? (len <= 8 ? -8 : -16) : ats[rng() % 4]));
    } else {
      m.push_back(mov64_reg(1, 2)); // the packet: 8 bytes are checked
    }
    m.push_back(mov64_imm(2, len));
  } else {
    for (uint8_t a = 1; a <= 2; a++)
      m.push_back(rng() % 2   ? mov64_imm(a, (int32_t)(rng() % 9))
                  : rng() % 2 ? mov64_imm(a, args[rng() % 8])
                              : ldx(sizes[rng() % 3], a, 2, 0));
  }
  c.call_at = m.size();
  m.push_back(call_fn(-1));
  if (rng() % 2)
    m.push_back(alu64_reg(ADD, 0, 6));
  if (rng() % 4 == 0)
    m.push_back(ldx(DW, 0, 10, -8 * (int16_t)(1 + rng() % 2)));
  m.push_back(exit_insn());
  m[bound_check].off = (int16_t)(m.size() - 1 - bound_check - 1);
  c.post = random_post(rng);
  return c;
}

} // namespace

TEST(Soundness, AcceptedRandomCallProgramsRunSafely) {
  std::mt19937_64 rng(20261122);
  int accepted = 0, runs = 0;
  for (int it = 0; it < scaled(6000); it++) {
    CallCase c = random_call_case(rng);
    if (rng() % 3)
      c.post.disjuncts.clear();
    auto obj = call_object(c.main, c.text, {{"f", 0, c.f.n_insns}},
                           {{c.call_at, 2, R_BPF_64_32}});
    Outcome o = round_trip(obj, {c.post}, {}, nullptr, {c.f});
    if (o.status != VEP_ACCEPTED)
      continue;
    accepted++;
    // The interpreter runs .text after the program (interp.h).
    Prog p = c.main;
    p[c.call_at].imm = (int32_t)(p.size() - c.call_at - 1);
    p.insert(p.end(), c.text.begin(), c.text.end());
    for (int k = 0; k < 8; k++) {
      std::vector<uint8_t> packet(rng() % 24);
      for (auto &b : packet)
        b = k % 2 ? (uint8_t)rng() : (uint8_t)(rng() % 9);
      RunResult r = run_xdp(p, packet, 0);
      runs++;
      ASSERT_TRUE(r.ok) << "program " << it << ", packet of " << packet.size()
                        << " bytes: " << r.error;
      ASSERT_TRUE(satisfies(c.post, r.r0))
          << "program " << it << " returned " << r.r0;
    }
  }
  // About 5% are accepted (the rest fail a pre, a bound or the post).
  RecordProperty("accepted", accepted);
  EXPECT_GT(accepted, scaled(160));
  EXPECT_GT(runs, scaled(1280));
}
