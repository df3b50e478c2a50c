// interp.cc - see interp.h. Test-only; deliberately simple and separate
// from the checker's code.
#include "interp.h"

#include <algorithm>
#include <cstring>

namespace vt {
namespace {

const uint64_t CTX = 0x100000000ull, DATA = 0x200000000ull,
               STACK_TOP = 0x300000000ull, MAP_PTR = 0x400000000ull,
               MAP_VALUE = 0x500000000ull, MAP_STRIDE = 0x10000000ull,
               RESERVED = 0x600000000ull;

// The stacks of every frame, the entry's at the top: frame k's R10 is
// STACK_TOP - 512 * k.
const unsigned MAX_FRAMES = 8;

// A caller's state saved by a bpf-to-bpf call.
struct Frame {
  size_t return_pc;
  uint64_t reg[5]; // R6..R10
  bool init[5];
};

struct Machine {
  uint64_t reg[11] = {};
  bool init[11] = {};
  uint8_t stack[512 * MAX_FRAMES] = {};
  bool stack_init[512 * MAX_FRAMES] = {};
  std::vector<Frame> frames; // the callers of the running function
  std::vector<uint8_t> packet;
  // The packet's address: a packet-changing helper moves it (always, so
  // that every pointer into the old packet points nowhere).
  uint64_t data = DATA;
  ProgType type = ProgType::Xdp;
  uint32_t ifindex = 0;
  uint32_t skb[21] = {}; // __sk_buff len .. data_end (data, data_end unused)
  std::vector<uint8_t> record; // has_record types: the context's bytes
  std::string error;
  const MapEnv *env = nullptr;
  std::vector<std::vector<uint8_t>> values; // one per map
  unsigned lookups = 0;
  // Ringbuf reservation k at RESERVED + k * MAP_STRIDE: its bytes, and
  // whether it is still live (not submitted or discarded).
  std::vector<std::pair<std::vector<uint8_t>, bool>> reserved;
  size_t live = 0;

  bool fail(const std::string &e) {
    if (error.empty())
      error = e;
    return false;
  }

  // struct xdp_md: data, data_end, then u32s read as ifindex (data_meta
  // not readable); nothing writable.
  bool xdp_context(uint64_t off, bool store, uint64_t &v) {
    if (store || off >= 24 || off == 8)
      return fail("bad xdp_md access");
    v = off == 0 ? data : off == 4 ? data + packet.size() : ifindex;
    return true;
  }

  // struct __sk_buff, the kernel's rules for tc and socket filters.
  bool skb_context(uint64_t off, bool store, uint64_t &v) {
    enum {
      MARK = 2,
      QUEUE_MAPPING = 3,
      PRIORITY = 8,
      TC_INDEX = 11,
      CB0 = 12,
      CB4 = 16,
      HASH = 17,
      TC_CLASSID = 18,
      DATA_F = 19,
      DATA_END_F = 20
    };
    uint64_t f = off / 4;
    bool tc = type == ProgType::Tc, cb = f >= CB0 && f <= CB4;
    bool readable = f <= HASH || (tc && f <= DATA_END_F);
    bool writable =
        cb || (tc && (f == MARK || f == QUEUE_MAPPING || f == PRIORITY ||
                      f == TC_INDEX || f == TC_CLASSID));
    if (f > DATA_END_F || !(store ? writable : readable))
      return fail(std::string("bad __sk_buff ") + (store ? "store" : "load") +
                  " at " + std::to_string(off));
    if (store)
      skb[f] = (uint32_t)v;
    else
      v = f == DATA_F ? data : f == DATA_END_F ? data + packet.size() : skb[f];
    return true;
  }

  // A tracing record: aligned loads inside the type's range; no stores.
  bool record_context(uint64_t off, unsigned n, bool store, uint64_t &v) {
    uint64_t lo = type == ProgType::Tracepoint ? 8 : 0,
             end = type == ProgType::Kprobe       ? 168
                   : type == ProgType::Tracepoint ? 2048
                                                  : 96;
    if (store || off % n || off < lo || off + n > end)
      return fail("bad tracing context access at " + std::to_string(off));
    v = 0;
    for (unsigned i = 0; i < n; i++)
      v |= (uint64_t)record[off + i] << (8 * i);
    return true;
  }

  // struct bpf_perf_event_data and struct bpf_sock_ops (interp.h).
  bool perf_event_context(uint64_t off, unsigned n, bool store, uint64_t &v) {
    if (store || off % n || off + n > 184 || (off < 168 && n != 8))
      return fail("bad perf_event context access at " + std::to_string(off));
    return bytes(off, n, false, v);
  }
  bool sock_ops_context(uint64_t off, unsigned n, bool store, uint64_t &v) {
    bool ok = off % n == 0 && (store    ? n == 4 && (off == 4 || off == 164)
                               : n == 4 ? off < 168 || off == 208 || off == 212
                               : n == 8 ? off == 168 || off == 176 || off == 216
                                        : off == 212);
    if (!ok)
      return fail("bad sock_ops context access at " + std::to_string(off));
    return bytes(off, n, store, v);
  }
  bool bytes(uint64_t off, unsigned n, bool store, uint64_t &v) {
    if (store) {
      for (unsigned i = 0; i < n; i++)
        record[off + i] = (uint8_t)(v >> (8 * i));
      return true;
    }
    v = 0;
    for (unsigned i = 0; i < n; i++)
      v |= (uint64_t)record[off + i] << (8 * i);
    return true;
  }

  bool context(uint64_t off, unsigned n, bool store, uint64_t &v) {
    if (type == ProgType::PerfEvent)
      return perf_event_context(off, n, store, v);
    if (type == ProgType::SockOps)
      return sock_ops_context(off, n, store, v);
    if (is_tracing(type))
      return record_context(off, n, store, v);
    if (n != 4 || off % 4)
      return fail("context access not 4 aligned bytes");
    return type == ProgType::Xdp ? xdp_context(off, store, v)
                                 : skb_context(off, store, v);
  }

  // The lowest address of the running function's stack frame.
  uint64_t stack_bottom() const {
    return STACK_TOP - 512 * (frames.size() + 1);
  }

  // A bpf-to-bpf call: R1..R5 are the arguments, R6..R9 the callee's own
  // (uninitialised), R10 its frame's top.
  bool call(size_t return_pc) {
    if (frames.size() + 1 == MAX_FRAMES)
      return fail("more than 8 call frames");
    Frame f{return_pc, {}, {}};
    for (int r = 6; r <= 10; r++) {
      f.reg[r - 6] = reg[r];
      f.init[r - 6] = init[r];
      init[r] = false;
    }
    frames.push_back(f);
    reg[10] = STACK_TOP - 512 * frames.size();
    init[0] = false;
    init[10] = true;
    return true;
  }

  // exit in a callee: R0 is the result, the caller's R6..R10 come back,
  // R1..R5 are clobbered, the callee's stack is gone.
  size_t ret() {
    Frame f = frames.back();
    size_t bottom = sizeof stack - 512 * (frames.size() + 1);
    std::fill(stack_init + bottom, stack_init + bottom + 512, false);
    frames.pop_back();
    for (int r = 6; r <= 10; r++) {
      reg[r] = f.reg[r - 6];
      init[r] = f.init[r - 6];
    }
    for (int r = 1; r <= 5; r++)
      init[r] = false;
    return f.return_pc;
  }

  bool get(int r, uint64_t &v) {
    if (!init[r])
      return fail("uninitialised r" + std::to_string(r));
    v = reg[r];
    return true;
  }

  // Memory access at addr of n bytes; the bytes are read or written in
  // little-endian order through `v`.
  bool access(uint64_t addr, unsigned n, bool store, uint64_t &v) {
    uint8_t *p = nullptr;
    bool *inits = nullptr;
    if (addr >= data && addr - data <= packet.size() &&
        n <= packet.size() - (addr - data)) {
      p = packet.data() + (addr - data);
    } else if (addr >= MAP_VALUE &&
               (addr - MAP_VALUE) / MAP_STRIDE < values.size()) {
      std::vector<uint8_t> &v = values[(addr - MAP_VALUE) / MAP_STRIDE];
      uint64_t at = (addr - MAP_VALUE) % MAP_STRIDE;
      if (at > v.size() || n > v.size() - at)
        return fail("map value access out of bounds");
      if (store && env->maps[(addr - MAP_VALUE) / MAP_STRIDE].read_only)
        return fail("store into a read-only map value");
      p = v.data() + at;
    } else if (addr >= RESERVED &&
               (addr - RESERVED) / MAP_STRIDE < reserved.size()) {
      auto &[bytes, is_live] = reserved[(addr - RESERVED) / MAP_STRIDE];
      uint64_t at = (addr - RESERVED) % MAP_STRIDE;
      if (!is_live)
        return fail("ringbuf memory used after its submit or discard");
      if (at > bytes.size() || n > bytes.size() - at)
        return fail("ringbuf memory access out of bounds");
      p = bytes.data() + at;
    } else if (addr >= stack_bottom() && addr + n <= STACK_TOP) {
      p = stack + (addr - (STACK_TOP - sizeof stack));
      inits = stack_init + (addr - (STACK_TOP - sizeof stack));
    } else if (addr >= CTX && addr < CTX + 2048) {
      return context(addr - CTX, n, store, v);
    } else {
      return fail("access outside every region");
    }
    for (unsigned i = 0; i < n; i++) {
      if (store) {
        p[i] = (uint8_t)(v >> (8 * i));
        if (inits)
          inits[i] = true;
      } else if (inits && !inits[i]) {
        return fail("uninitialised stack byte");
      }
    }
    if (!store) {
      v = 0;
      for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    }
    return true;
  }
};

// The atomic operation `in` on the n bytes at addr: the ALU ones (ADD, OR,
// AND, XOR) with or without FETCH (the old value into src), XCHG (src
// stored, the old value into src) and CMPXCHG (src stored if the old value
// equals R0's low n bytes; the old value into R0), naturally aligned, not
// on the context or the packet (the kernel refuses both). False on a
// violation.
bool atomic(Machine &m, const Insn &in, uint64_t addr, unsigned n) {
  uint64_t old = 0, s = 0, r0 = 0, v = 0;
  uint64_t mask = n == 8 ? ~0ull : (1ull << (8 * n)) - 1;
  if (addr % n)
    return m.fail("misaligned atomic operation");
  if ((addr >= CTX && addr < CTX + 2048) ||
      (addr >= m.data && addr - m.data <= m.packet.size()))
    return m.fail("atomic operation on the context or the packet");
  if ((in.code & 7) != STX || (n != 4 && n != 8) || !m.get(in.src, s) ||
      (in.imm == 0xf1 && !m.get(0, r0)) || !m.access(addr, n, false, old))
    return false;
  switch (in.imm) {
  case 0x00:
  case 0x01:
    v = old + s;
    break;
  case 0x40:
  case 0x41:
    v = old | s;
    break;
  case 0x50:
  case 0x51:
    v = old & s;
    break;
  case 0xa0:
  case 0xa1:
    v = old ^ s;
    break;
  case 0xe1:
    v = s;
    break;
  case 0xf1:
    v = old == (r0 & mask) ? s : old;
    break;
  default:
    return m.fail("unknown atomic operation");
  }
  if (!m.access(addr, n, true, v))
    return false;
  if (in.imm & 1) {
    int to = in.imm == 0xf1 ? 0 : in.src;
    if (to == 10)
      return m.fail("fetch into r10");
    m.reg[to] = old;
    m.init[to] = true;
  }
  return true;
}

// Helper 26 (see run_program): false on a violation.
bool skb_load_bytes(Machine &m) {
  uint64_t ctx, offset, to, len;
  if (m.type != ProgType::Tc && m.type != ProgType::Socket)
    return m.fail("skb_load_bytes in a program without an __sk_buff");
  if (!m.get(1, ctx) || !m.get(2, offset) || !m.get(3, to) || !m.get(4, len))
    return false;
  if (ctx != CTX)
    return m.fail("skb_load_bytes: r1 is not the context");
  offset = (uint32_t)offset, len = (uint32_t)len;
  if (len == 0)
    return m.fail("skb_load_bytes: length 0");
  bool inside = offset <= 0x7fffffff && offset + len <= m.packet.size();
  for (uint64_t i = 0; i < len; i++) {
    uint64_t byte = inside ? m.packet[offset + i] : 0;
    if (!m.access(to + i, 1, true, byte))
      return false;
  }
  m.reg[0] = inside ? 0 : (uint64_t)-14; // -EFAULT
  return true;
}

bool readable_arg(Machine &m, int r);

// Helpers 44, 65 (XDP) and 38, 39, 43, 9, 10, 11 (tc), see interp.h: false
// on a violation.
bool change_packet(Machine &m, int32_t id) {
  bool xdp = id == 44 || id == 65;
  if (m.type != (xdp ? ProgType::Xdp : ProgType::Tc))
    return m.fail("helper " + std::to_string(id) + " not for this type");
  uint64_t ctx, a, flags;
  if (!m.get(1, ctx) || !m.get(2, a) ||
      ((id == 38 || id == 43) && !m.get(3, flags)) ||
      (id == 9 && (!readable_arg(m, 3) || !m.get(5, flags))) ||
      ((id == 10 || id == 11) &&
       (!m.get(3, flags) || !m.get(4, flags) || !m.get(5, flags))))
    return false;
  if (ctx != CTX)
    return m.fail("helper " + std::to_string(id) + ": r1 is not the context");
  std::vector<uint8_t> &pk = m.packet;
  int64_t delta = (int32_t)a, size = (int64_t)pk.size();
  uint64_t result = 0;
  if (id >= 9 && id <= 11) { // the length stays; 9 copies its bytes in
    uint64_t off = (uint32_t)a, n = id == 9 ? (uint32_t)m.reg[4] : 0, byte;
    bool inside = off + n <= pk.size();
    for (uint64_t i = 0; inside && i < n; i++)
      if (m.access(m.reg[3] + i, 1, false, byte))
        pk[off + i] = (uint8_t)byte;
    result = inside ? 0 : (uint64_t)-14; // -EFAULT
  } else {
    int64_t len = xdp            ? size - (id == 44 ? delta : -delta)
                  : id == 38     ? (int64_t)(uint32_t)a
                  : id == 43     ? size + (uint32_t)a
                                 : size;
    bool ok = len >= 14 && len <= 4096;
    if (ok && (id == 44 || id == 43)) { // at the head
      int64_t grow = len - size;
      if (grow > 0)
        pk.insert(pk.begin(), (size_t)grow, 0);
      else
        pk.erase(pk.begin(), pk.begin() + (size_t)-grow);
    } else if (ok) { // at the tail
      pk.resize((size_t)len, 0);
    }
    result = ok ? 0 : (uint64_t)-22; // -EINVAL
  }
  m.data += 0x100000; // the old packet's addresses point nowhere now
  m.skb[0] = (uint32_t)pk.size();
  m.reg[0] = result;
  m.init[0] = true;
  for (int i = 1; i <= 5; i++)
    m.init[i] = false;
  return true;
}

// Helpers 16, 112 and 113 (see interp.h): false on a violation.
bool tracing_write(Machine &m, int32_t id) {
  uint64_t to, len, src;
  if (!m.get(1, to) || !m.get(2, len) || (id != 16 && !m.get(3, src)))
    return false;
  len = (uint32_t)len;
  if (id == 16 && len == 0)
    return m.fail("get_current_comm: length 0");
  static const char name[16] = "vep-test";
  for (uint64_t i = 0; i < len; i++) {
    uint64_t byte = id == 16 && i + 1 < len && i < 16 ? (uint8_t)name[i] : 0;
    if (!m.access(to + i, 1, true, byte))
      return false;
  }
  m.reg[0] = id == 16 ? 0 : (uint64_t)-14; // -EFAULT
  return true;
}

// Helpers 114 and 115 (see interp.h): the string "x" and its NUL, cut to
// the length; the buffer's other bytes keep what they held.
bool string_read(Machine &m) {
  uint64_t to, len, src;
  if (!m.get(1, to) || !m.get(2, len) || !m.get(3, src))
    return false;
  len = (uint32_t)len;
  if (len == 0)
    return m.fail("probe_read_*_str: length 0");
  uint64_t x = 'x', nul = 0;
  if ((len > 1 && !m.access(to, 1, true, x)) ||
      !m.access(to + (len > 1), 1, true, nul))
    return false;
  m.reg[0] = len > 1 ? 2 : 1; // the bytes written, NUL included
  return true;
}

// Map types (linux/bpf.h) as bits: those the map helpers take.
const uint32_t DATA_MAPS =
    1u << 1 | 1u << 2 | 1u << 5 | 1u << 6 | 1u << 9 | 1u << 10;

// The map register r holds, of one of the map types `types`.
bool map_arg(Machine &m, int r, uint32_t types, const MapModel *&mm) {
  uint64_t v;
  if (!m.get(r, v))
    return false;
  if (v < MAP_PTR || v - MAP_PTR >= m.values.size())
    return m.fail("helper: r" + std::to_string(r) + " is not a map");
  mm = &m.env->maps[v - MAP_PTR];
  if (mm->type >= 32 || !(types >> mm->type & 1))
    return m.fail("helper: r" + std::to_string(r) + " is a map of type " +
                  std::to_string(mm->type));
  return true;
}

// n bytes at addr, each readable (initialised stack, packet, map value).
bool readable(Machine &m, uint64_t addr, uint64_t n) {
  uint64_t v;
  for (uint64_t i = 0; i < n; i++) // byte by byte: initialised, in bounds
    if (!m.access(addr + i, 1, false, v))
      return false;
  // No part of a pointer: not modelled (the interpreter has no types).
  return true;
}

// The readable buffer of register r whose length is register r + 1.
bool readable_arg(Machine &m, int r) {
  uint64_t addr, n;
  return m.get(r, addr) && m.get(r + 1, n) && readable(m, addr, n);
}

// ringbuf_reserve (131) and ringbuf_submit, ringbuf_discard (132, 133).
bool ringbuf_helper(Machine &m, int32_t id, bool &ret) {
  const MapModel *mm = nullptr;
  uint64_t r1, r2, r3;
  if (id == 131) {
    if (!map_arg(m, 1, 1u << 27, mm) || !m.get(2, r2) || !m.get(3, r3))
      return false;
    if (r2 == 0 || r2 > MAP_STRIDE)
      return m.fail("ringbuf_reserve of " + std::to_string(r2) + " bytes");
    m.reg[0] = 0;
    if (!((m.env->lookup_null >> (m.lookups++ % 64)) & 1)) {
      m.reg[0] = RESERVED + m.reserved.size() * MAP_STRIDE;
      m.reserved.push_back({std::vector<uint8_t>(r2), true});
      m.live++;
    }
    return true;
  }
  if (!m.get(1, r1) || !m.get(2, r2))
    return false;
  uint64_t k = (r1 - RESERVED) / MAP_STRIDE;
  if (r1 < RESERVED || k >= m.reserved.size() ||
      r1 != RESERVED + k * MAP_STRIDE || !m.reserved[k].second)
    return m.fail("ringbuf_submit/discard of no live reservation");
  m.reserved[k].second = false;
  m.live--;
  ret = false;
  return true;
}

// Helpers 6, 12, 23, 25, 28, 51, 69, 130 and 177 (see interp.h): false on
// a violation; *ret false when R0 is left unset.
bool other_helper(Machine &m, int32_t id, bool &ret) {
  const MapModel *mm = nullptr;
  uint64_t r1, r3, r5;
  bool xdp = m.type == ProgType::Xdp, tc = m.type == ProgType::Tc;
  switch (id) {
  case 6: // trace_printk(fmt, size, a, b, c)
    if (!readable_arg(m, 1) || !m.get(3, r3) || !m.get(4, r3) || !m.get(5, r5))
      return false;
    m.reg[0] = 4;
    return true;
  case 12: // tail_call(ctx, progs, index): the slot is empty
    if (!m.get(1, r1) || !map_arg(m, 2, 1u << 3, mm) || !m.get(3, r3))
      return false;
    if (r1 != CTX)
      return m.fail("tail_call: r1 is not the context");
    if (m.live) // a successful tail call would leak the reservation
      return m.fail("tail_call with a live ringbuf reservation");
    ret = false;
    return true;
  case 23: // redirect(ifindex, flags)
    if (!xdp && !tc)
      return m.fail("redirect outside XDP and tc");
    if (!m.get(1, r1) || !m.get(2, r1))
      return false;
    m.reg[0] = xdp ? 4 : 7; // XDP_REDIRECT, TC_ACT_REDIRECT
    return true;
  case 25: // perf_event_output(ctx, map, flags, data, size)
    if (!m.get(1, r1) || !map_arg(m, 2, 1u << 4, mm) || !m.get(3, r3) ||
        !readable_arg(m, 4))
      return false;
    if (r1 != CTX)
      return m.fail("perf_event_output: r1 is not the context");
    m.reg[0] = (uint64_t)-2; // -ENOENT: no perf event open
    return true;
  case 28: // csum_diff(from, from_size, to, to_size, seed)
    if (!xdp && !tc)
      return m.fail("csum_diff outside XDP and tc");
    if (!readable_arg(m, 1) || !readable_arg(m, 3) || !m.get(5, r5))
      return false;
    m.reg[0] = (m.reg[2] | m.reg[4]) & 3 ? (uint64_t)-22 : r5 & 0xffffffff;
    return true;
  case 51: // redirect_map(map, key, flags): the key has no target
    if (!xdp)
      return m.fail("redirect_map outside XDP");
    if (!map_arg(m, 1, 1u << 14 | 1u << 16 | 1u << 17 | 1u << 25, mm) ||
        !m.get(2, r1) || !m.get(3, r3))
      return false;
    m.reg[0] = r3 & 3; // the action in the flags' low bits
    return true;
  case 69: { // fib_lookup(ctx, params, plen, flags)
    if (!xdp && !tc)
      return m.fail("fib_lookup outside XDP and tc");
    uint64_t to = 0, len = 0;
    if (!m.get(1, r1) || !m.get(2, to) || !m.get(3, len) ||
        !readable(m, to, len) || !m.get(4, r3))
      return false;
    if (r1 != CTX)
      return m.fail("fib_lookup: r1 is not the context");
    m.reg[0] = (uint64_t)-22; // -EINVAL
    if (len < 64)
      return true;
    uint64_t one = 1, mac = 0x02;
    if (!m.access(to + 8, 4, true, one))
      return false;
    for (uint64_t i = 52; i < 64; i++)
      if (!m.access(to + i, 1, true, mac))
        return false;
    m.reg[0] = 0;
    return true;
  }
  case 177: // trace_vprintk(fmt, size, data, data_len)
    if (!readable_arg(m, 1) || !readable_arg(m, 3))
      return false;
    m.reg[0] = 4;
    return true;
  case 130: // ringbuf_output(ringbuf, data, size, flags)
    if (!map_arg(m, 1, 1u << 27, mm) || !readable_arg(m, 2) || !m.get(4, r1))
      return false;
    m.reg[0] = 0;
    return true;
  default:
    return m.fail("unknown helper " + std::to_string(id));
  }
}

// A helper call (MapEnv): returns false on a violation.
bool helper(Machine &m, int32_t id) {
  const MapModel *mm = nullptr;
  uint64_t r[6];
  bool tracing_only =
      id == 14 || id == 15 || id == 16 || (id >= 112 && id <= 115);
  bool ret = true; // R0 set
  if (tracing_only && !is_tracing(m.type))
    return m.fail("helper " + std::to_string(id) + " in a non-tracing program");
  if (id == 1 || id == 2 || id == 3) {
    const uint32_t of_maps = id == 1 ? 1u << 12 | 1u << 13 : 0;
    if (!map_arg(m, 1, DATA_MAPS | of_maps, mm) || !m.get(2, r[2]) ||
        !readable(m, r[2], mm->key_size))
      return false;
    if (id == 2 && (!m.get(3, r[3]) || !readable(m, r[3], mm->value_size) ||
                    !m.get(4, r[4])))
      return false;
    m.reg[0] = 0;
    if (id == 1)
      m.reg[0] = (m.env->lookup_null >> (m.lookups++ % 64)) & 1 ? 0
                 : mm->type == 12 || mm->type == 13
                     ? MAP_PTR + mm->inner
                     : MAP_VALUE + (m.reg[1] - MAP_PTR) * MAP_STRIDE;
  } else if (id == 26) {
    if (!skb_load_bytes(m))
      return false;
  } else if (id == 16 || id == 112 || id == 113) {
    if (!tracing_write(m, id))
      return false;
  } else if (id == 114 || id == 115) {
    if (!string_read(m))
      return false;
  } else if (id == 44 || id == 65 || id == 38 || id == 39 || id == 43 ||
             (id >= 9 && id <= 11)) {
    if (!change_packet(m, id))
      return false;
  } else if (id >= 131 && id <= 133) {
    if (!ringbuf_helper(m, id, ret))
      return false;
  } else if (id == 5) {
    m.reg[0] = 0x123456789abcdefull;
  } else if (id == 14 || id == 15) {
    m.reg[0] = 0x000003e8000004d2ull; // tgid/gid 1000, pid/uid 1234
  } else if (id == 7 || id == 8) {
    m.reg[0] = 0xfffffffeu;
  } else if (!other_helper(m, id, ret)) {
    return false;
  }
  m.init[0] = ret;
  for (int i = 1; i <= 5; i++)
    m.init[i] = false;
  return true;
}

int64_t sx(uint64_t v, unsigned bits) {
  if (bits == 64)
    return (int64_t)v;
  uint64_t m = 1ull << (bits - 1);
  v &= (m << 1) - 1;
  return (int64_t)((v ^ m) - m);
}

uint64_t swap(uint64_t v, unsigned bits) {
  uint64_t r = 0;
  for (unsigned i = 0; i < bits / 8; i++)
    r |= ((v >> (8 * i)) & 0xff) << (bits - 8 - 8 * i);
  return r;
}

// One ALU operation on values of `bits` bits (results not yet truncated).
uint64_t alu(uint8_t op, int16_t off, uint64_t d, uint64_t s, unsigned bits) {
  uint64_t mask = bits == 64 ? ~0ull : 0xffffffffull;
  d &= mask;
  s &= mask;
  unsigned sh = (unsigned)(s & (bits - 1));
  switch (op) {
  case ADD:
    return d + s;
  case SUB:
    return d - s;
  case MUL:
    return d * s;
  case DIV:
    if (off == 0)
      return s ? d / s : 0;
    if (s == 0)
      return 0;
    if (sx(s, bits) == -1)
      return 0 - d;
    return (uint64_t)(sx(d, bits) / sx(s, bits));
  case MOD:
    if (off == 0)
      return s ? d % s : d;
    if (s == 0)
      return d;
    if (sx(s, bits) == -1)
      return 0;
    return (uint64_t)(sx(d, bits) % sx(s, bits));
  case OR:
    return d | s;
  case AND:
    return d & s;
  case LSH:
    return d << sh;
  case RSH:
    return d >> sh;
  case NEG:
    return 0 - d;
  case XOR:
    return d ^ s;
  case MOV:
    return off ? (uint64_t)sx(s, (unsigned)off) : s;
  case ARSH:
    return (uint64_t)(sx(d, bits) >> sh);
  }
  return 0;
}

bool cond(uint8_t op, uint64_t a, uint64_t b, unsigned bits) {
  uint64_t mask = bits == 64 ? ~0ull : 0xffffffffull;
  a &= mask;
  b &= mask;
  int64_t sa = sx(a, bits), sb = sx(b, bits);
  switch (op) {
  case JEQ:
    return a == b;
  case JNE:
    return a != b;
  case JGT:
    return a > b;
  case JGE:
    return a >= b;
  case JLT:
    return a < b;
  case JLE:
    return a <= b;
  case JSET:
    return (a & b) != 0;
  case JSGT:
    return sa > sb;
  case JSGE:
    return sa >= sb;
  case 0xc0:
    return sa < sb;
  case 0xd0:
    return sa <= sb;
  }
  return false;
}

} // namespace

RunResult run_xdp(const Prog &p, const std::vector<uint8_t> &packet,
                  uint32_t ifindex, uint64_t max_steps) {
  static const MapEnv none;
  return run_xdp_maps(p, packet, ifindex, none, max_steps);
}

RunResult run_xdp_maps(const Prog &p, const std::vector<uint8_t> &packet,
                       uint32_t ifindex, const MapEnv &env,
                       uint64_t max_steps) {
  return run_program(p, ProgType::Xdp, packet, ifindex, env, max_steps);
}

RunResult run_program(const Prog &p, ProgType type,
                      const std::vector<uint8_t> &packet, uint32_t ifindex,
                      const MapEnv &env, uint64_t max_steps,
                      const StepObserver &observe) {
  Machine m;
  m.type = type;
  if (has_record(type)) {
    m.record = packet.empty() ? std::vector<uint8_t>(1) : packet;
    while (m.record.size() < 2048) // repeated, by doubling
      m.record.insert(m.record.end(), m.record.begin(), m.record.end());
  } else {
    m.packet = packet;
  }
  m.ifindex = ifindex;
  for (uint32_t &f : m.skb)
    f = ifindex;
  m.skb[0] = (uint32_t)packet.size();
  m.env = &env;
  for (const MapModel &mm : env.maps)
    m.values.emplace_back(mm.value_size, 0);
  m.reg[1] = CTX;
  m.reg[10] = STACK_TOP;
  m.init[1] = m.init[10] = true;
  RunResult res;
  size_t pc = 0;
  for (uint64_t step = 0; step < max_steps; step++) {
    if (pc >= p.size()) {
      res.error = "fell off the end";
      return res;
    }
    if (observe) {
      size_t low = m.reg[10] - 512 - (STACK_TOP - sizeof m.stack);
      observe({pc, m.reg, m.init, m.data, CTX, m.stack + low,
               m.stack_init + low});
    }
    const Insn &in = p[pc];
    uint8_t cls = in.code & 7, op = in.code & 0xf0;
    bool x = in.code & X;
    uint64_t d = 0, s = 0, v = 0;
    if (cls == ALU || cls == ALU64) {
      unsigned bits = cls == ALU64 ? 64 : 32;
      if (op != MOV && !m.get(in.dst, d))
        break;
      if (op == END) {
        unsigned w = (unsigned)in.imm;
        uint64_t low = w == 64 ? d : d & ((1ull << w) - 1);
        v = (cls == ALU && !x) ? low : swap(d, w);
      } else {
        if (x && !m.get(in.src, s))
          break;
        if (!x)
          s = (uint64_t)(int64_t)in.imm;
        v = alu(op, in.off, d, s, bits);
        if (bits == 32)
          v &= 0xffffffffull;
      }
      m.reg[in.dst] = v;
      m.init[in.dst] = true;
      pc++;
    } else if (cls == LD) {
      m.reg[in.dst] =
          (uint64_t)(uint32_t)in.imm | (uint64_t)(uint32_t)p[pc + 1].imm << 32;
      for (auto &r : env.relocs)
        if (r.first == pc)
          m.reg[in.dst] = MAP_PTR + r.second;
      for (const GlobalReloc &g : env.globals)
        if (g.insn == pc)
          m.reg[in.dst] = MAP_VALUE + g.map * MAP_STRIDE + g.offset;
      // Pseudo sources: map imm (an index in the map table) itself, or its
      // value at offset next.imm (each map has one value).
      if (in.src == 1 || in.src == 5)
        m.reg[in.dst] = MAP_PTR + (uint32_t)in.imm;
      if (in.src == 2 || in.src == 6)
        m.reg[in.dst] = MAP_VALUE + (uint32_t)in.imm * MAP_STRIDE +
                        (uint64_t)(int64_t)p[pc + 1].imm;
      m.init[in.dst] = true;
      pc += 2;
    } else if (cls == LDX || cls == ST || cls == STX) {
      unsigned n = (in.code & 0x18) == W   ? 4
                   : (in.code & 0x18) == H ? 2
                   : (in.code & 0x18) == B ? 1
                                           : 8;
      int base = cls == LDX ? in.src : in.dst;
      if (!m.get(base, d))
        break;
      uint64_t addr = d + (uint64_t)(int64_t)in.off;
      if ((in.code & 0xe0) == 0xc0) { // atomic: RFC 9669 5.3
        if (!atomic(m, in, addr, n))
          break;
      } else if (cls == LDX) {
        if (!m.access(addr, n, false, v))
          break;
        if ((in.code & 0xe0) == MEMSX)
          v = (uint64_t)sx(v, 8 * n);
        m.reg[in.dst] = v;
        m.init[in.dst] = true;
      } else {
        if (cls == STX ? !m.get(in.src, v) : false)
          break;
        if (cls == ST)
          v = (uint64_t)(int64_t)in.imm;
        if (!m.access(addr, n, true, v))
          break;
      }
      pc++;
    } else if (op == CALL && in.src == 1) {
      if (!m.call(pc + 1))
        break;
      pc += 1 + in.imm;
    } else if (op == CALL) {
      if (in.src != 0 || !helper(m, in.imm))
        break;
      pc++;
    } else if (op == EXIT) {
      if (!m.get(0, res.r0))
        break;
      if (m.frames.empty()) {
        res.ok = m.live == 0;
        res.error = res.ok ? "" : "ringbuf reservation not released at exit";
        return res;
      }
      pc = m.ret();
    } else if (op == JA) {
      pc += 1 + (cls == JMP32 ? in.imm : in.off);
    } else {
      if (!m.get(in.dst, d) || (x && !m.get(in.src, s)))
        break;
      if (!x)
        s = (uint64_t)(int64_t)in.imm;
      pc += 1 + (cond(op, d, s, cls == JMP32 ? 32 : 64) ? in.off : 0);
    }
  }
  res.error = m.error.empty() ? "step limit" : m.error;
  return res;
}

} // namespace vt
