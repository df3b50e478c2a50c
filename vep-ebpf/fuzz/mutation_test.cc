// mutation_test.cc - vep_check_mutation: thousands of random edits of valid
// (object, proof) pairs, checked in-process with the checker core.
//
//   vep_check_mutation PAIRS_DIR [VEP_CHECK [MUTANTS_PER_PAIR [SEED]]]
//
// PAIRS_DIR holds <name>.o + <name>.proof pairs that vepcc wrote for the
// examples (make-corpus.sh). From each pair, with a fixed seed, the test
// derives MUTANTS_PER_PAIR mutants (default 3000), each one to three edits:
//  - object bytes: bit flips, byte overwrites, insertions and deletions;
//  - ELF header fields (e_type, e_machine, e_shoff, e_shentsize, e_shnum,
//    e_shstrndx, ident) and section header fields (name, type, flags,
//    offset, size, link, info);
//  - instructions of a program section (opcode, registers, offset (+-1,
//    +2, +-8, 0, -1, 1, random), immediate; swaps; overwrites with exit /
//    ja / a copy of another instruction), usually with the proof's
//    instruction hash re-bound to the edited bytes so that the checker
//    really checks the edited code;
//  - proof bytes: bit flips, byte overwrites, insertions and deletions;
//  - proof fields: any LEB128 integer of the table or the answers
//    re-encoded with another value (+-1, 0, -1, powers of two, negated,
//    random), an answer deleted, duplicated, swapped with another, turned
//    from a certificate into "no certificate" or back, a certificate
//    entry's hypothesis or multiplier edited, an entry deleted, duplicated
//    or added; answers of another example's proof spliced in.
// Every mutant is checked in-process (vep_proof_reader_init,
// vep_check_object, vep_proof_reader_finish, as vep-check runs them) with
// the map table libbpf reads from the ORIGINAL object of its pair
// (vep_map_table_from_object, once per pair): the maps exist before the
// check, as when a kernel checks a program against the maps it created, so
// a mutant that damages `.maps` or its BTF cannot change the table. This is
// under
// AddressSanitizer/UBSan when the build supports them (a memory error
// aborts the test), with a watchdog that fails the test if one check takes
// longer than 10 s. Required of every mutant: a status in {0, 1, 2}, equal
// to the result's, a reason when refused, and the arena released. Required
// of every ACCEPTED mutant: the oracle (oracle.h) runs each program of the
// mutated object in the independent test interpreter on ~600 packets (all
// lengths 0..80 and some longer ones, several contents) with three ifindex
// values, and programs with map relocations (read from the mutated object,
// bound by name to that table) with four patterns of NULL lookups: no
// out-of-bounds or uninitialised access, no unknown instruction or helper,
// termination within 2,000,000 steps, and a return value inside the
// post-condition the mutated proof claims. Every 100th mutant also goes
// through the vep-check binary (exit status in {0, 1, 2} within a 20 s
// timeout, and the verdict of an in-process check with the table vep-check
// builds: libbpf's reading of the MUTATED object when it has a `.maps`
// section, exit 2 when libbpf cannot read it, no maps otherwise).
// The failing mutant is written to mutant-<n>.o/.proof in the working
// directory.
#include "interp.h"
#include "oracle.h"
#include "test_support.h"
#include "vep/map_table.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define VEP_HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VEP_HAVE_ASAN 1
#endif
#endif
#ifdef VEP_HAVE_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

namespace {

using Bytes = std::vector<uint8_t>;
using Rng = std::mt19937_64;

// ---- files -------------------------------------------------------------------
Bytes read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

bool write_file(const std::string &path, const Bytes &b) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(b.data()), std::streamsize(b.size()));
  return bool(out);
}

struct Pair {
  std::string name;
  Bytes obj, proof;
};

// Whether vep-check reads a map table for `o` (has_maps in
// tools/vep-check.c): vep_object reads its section table and some section
// is named ".maps", ".data", ".bss" or ".rodata".
bool cli_reads_maps(const Bytes &o) {
  vep_elf e;
  if (vep_elf_read(&e, o.data(), o.size(), nullptr) != VEP_ACCEPTED)
    return false;
  for (const char *name : {".maps", ".data", ".bss", ".rodata"})
    if (vep_elf_find_section(&e, name, 0))
      return true;
  return false;
}

std::vector<Pair> load_pairs(const std::string &dir) {
  std::vector<Pair> pairs;
  DIR *d = opendir(dir.c_str());
  if (!d)
    return pairs;
  while (dirent *e = readdir(d)) {
    std::string n = e->d_name;
    if (n.size() > 2 && n.compare(n.size() - 2, 2, ".o") == 0) {
      std::string stem = n.substr(0, n.size() - 2);
      pairs.push_back({stem, read_file(dir + "/" + n),
                       read_file(dir + "/" + stem + ".proof")});
    }
  }
  closedir(d);
  std::sort(pairs.begin(), pairs.end(),
            [](const Pair &a, const Pair &b) { return a.name < b.name; });
  return pairs;
}

// ---- LEB128 --------------------------------------------------------------------
void put_uleb(Bytes &out, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out.push_back(uint8_t(b | (v ? 0x80 : 0)));
  } while (v);
}

// Signed numbers are zigzag-encoded (docs/proof-format.md 2).
void put_sleb(Bytes &out, __int128 v) {
  unsigned __int128 u =
      ((unsigned __int128)v << 1) ^ (unsigned __int128)(v >> 127);
  do {
    uint8_t b = uint8_t(u & 0x7f);
    u >>= 7;
    out.push_back(uint8_t(b | (u ? 0x80 : 0)));
  } while (u);
}

// Lenient decoders (the proofs parsed here are the valid originals or
// mutants; anything odd just stops the parse).
bool get_uleb(const Bytes &p, size_t &pos, uint64_t &v) {
  v = 0;
  for (unsigned shift = 0; pos < p.size() && shift < 64; shift += 7) {
    uint8_t b = p[pos++];
    v |= uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80))
      return true;
  }
  return false;
}

bool get_sleb(const Bytes &p, size_t &pos, __int128 &v) {
  unsigned __int128 u = 0;
  for (unsigned shift = 0; pos < p.size() && shift < 133; shift += 7) {
    uint8_t b = p[pos++];
    if (shift < 128)
      u |= (unsigned __int128)(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      v = (__int128)(u >> 1) ^ -(__int128)(u & 1);
      return true;
    }
  }
  return false;
}

// ---- the proof's structure ---------------------------------------------------------
struct Field {
  size_t begin, end;
  bool is_signed;
};
struct Entry {
  size_t begin, end, hash_at;
};
struct Answer {
  size_t begin, end;
  bool cert;                      // one COMB step (most certificates)
  size_t goal_at, n_at;           // its goal_mult and n_entries fields
  std::vector<size_t> entry_at;   // each entry's first byte
};
struct Parsed {
  bool ok = false;
  std::vector<Entry> entries;
  std::vector<Answer> answers;
  std::vector<Field> fields; // every LEB128 integer
  size_t answers_at = 0;
  bool binds_map_values = false; // a cut point has a MAP_VALUE binding
};

Parsed parse_proof(const Bytes &p) {
  Parsed r;
  if (p.size() < 16 || std::memcmp(p.data(), "VEPPROOF", 8) != 0)
    return r;
  size_t pos = 16;
  auto u = [&](uint64_t &v) {
    size_t b = pos;
    if (!get_uleb(p, pos, v))
      return false;
    r.fields.push_back({b, pos, false});
    return true;
  };
  auto s = [&](__int128 &v) {
    size_t b = pos;
    if (!get_sleb(p, pos, v))
      return false;
    r.fields.push_back({b, pos, true});
    return true;
  };
  auto form = [&]() {
    __int128 k;
    uint64_t n, var;
    if (!s(k) || !u(n) || n > 64)
      return false;
    for (uint64_t i = 0; i < n; i++)
      if (!u(var) || !s(k))
        return false;
    return true;
  };
  // One cut-point assertion (docs/proof-format.md): insn, existentials,
  // bindings (kind, where, the map for kinds 5, 6 and 7, the writes flag
  // for kind 6, the form), facts, ghosts (loop, form), an optional rank, the
  // initialised stack range.
  auto cut = [&]() {
    uint64_t insn, ne, nb, kind, map, nfacts, nghosts, loop;
    __int128 k;
    if (!u(insn) || !u(ne) || !u(nb) || nb > 74)
      return false;
    for (uint64_t b = 0; b < nb; b++) {
      if (!u(kind) || !s(k) || (kind >= 5 && kind <= 7 && !u(map)))
        return false;
      r.binds_map_values |= kind == 5;
      if (kind == 6 && (pos >= p.size() || p[pos++] > 1))
        return false;
      if (!form())
        return false;
    }
    if (!u(nfacts) || nfacts > 256)
      return false;
    for (uint64_t f = 0; f < nfacts; f++)
      if (!form())
        return false;
    if (!u(nghosts) || nghosts > 8)
      return false;
    for (uint64_t g = 0; g < nghosts; g++)
      if (!u(loop) || !form())
        return false;
    if (pos >= p.size() || p[pos] > 1)
      return false;
    bool has_rank = p[pos++];
    return (!has_rank || form()) && s(k) && s(k);
  };
  // A program's or function's code record: the hash, the exit assertion's
  // alternatives and the cut points, all cut-point records.
  auto code = [&](size_t &hash_at) {
    uint64_t n_posts, nc;
    if (pos + 8 > p.size())
      return false;
    hash_at = pos;
    pos += 8;
    if (!u(n_posts) || n_posts > 64)
      return false;
    for (uint64_t c = 0; c < n_posts; c++)
      if (!cut())
        return false;
    if (!u(nc) || nc > 4096)
      return false;
    for (uint64_t c = 0; c < nc; c++)
      if (!cut())
        return false;
    return true;
  };
  // The function table: text_insn, pre, code.
  uint64_t n_functions;
  if (!u(n_functions) || n_functions > 256)
    return r;
  for (uint64_t f = 0; f < n_functions; f++) {
    uint64_t text_insn;
    size_t hash_at;
    if (!u(text_insn) || !cut() || !code(hash_at))
      return r;
  }
  uint64_t n_programs;
  if (!u(n_programs) || n_programs > 64)
    return r;
  for (uint64_t i = 0; i < n_programs; i++) {
    Entry e;
    e.begin = pos;
    if (!code(e.hash_at))
      return r;
    e.end = pos;
    r.entries.push_back(e);
  }
  r.answers_at = pos;
  while (pos < p.size()) {
    Answer a;
    a.begin = pos;
    a.cert = false;
    a.goal_at = a.n_at = 0;
    uint64_t n_steps, n_entries, x;
    __int128 v;
    if (!u(n_steps) || n_steps > 1024)
      return r;
    for (uint64_t i = 0; i < n_steps; i++) { // section 7.7
      uint8_t op = pos < p.size() ? p[pos++] : 3;
      n_entries = 0;
      a.cert = n_steps == 1 && op == 0;
      a.goal_at = pos;
      if (op > 2 || (op == 2 ? !u(x) || !s(v) : !s(v)))
        return r;
      a.n_at = pos;
      if (op != 2 && (!u(n_entries) || n_entries > 65536))
        return r;
      for (uint64_t j = 0; j < n_entries; j++) {
        if (a.cert)
          a.entry_at.push_back(pos);
        if (!u(x) || !s(v))
          return r;
      }
    }
    a.end = pos;
    r.answers.push_back(a);
  }
  r.ok = true;
  return r;
}

// ---- ELF layout (the original objects are well formed) ---------------------------
uint64_t rd(const Bytes &b, size_t at, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n && at + i < b.size(); i++)
    v |= uint64_t(b[at + i]) << (8 * i);
  return v;
}

void wr(Bytes &b, size_t at, unsigned n, uint64_t v) {
  for (unsigned i = 0; i < n && at + i < b.size(); i++)
    b[at + i] = uint8_t(v >> (8 * i));
}

struct ProgSection {
  size_t offset, size;
  std::string name;
};

std::vector<ProgSection> program_sections(const Bytes &o) {
  std::vector<ProgSection> out;
  if (o.size() < 64)
    return out;
  uint64_t shoff = rd(o, 40, 8), shnum = rd(o, 60, 2), stridx = rd(o, 62, 2);
  if (shoff > o.size() || (o.size() - shoff) / 64 < shnum || stridx >= shnum)
    return out;
  uint64_t str_off = rd(o, shoff + stridx * 64 + 24, 8);
  for (uint64_t i = 1; i < shnum; i++) {
    size_t h = size_t(shoff + i * 64);
    uint64_t flags = rd(o, h + 8, 8), off = rd(o, h + 24, 8),
             size = rd(o, h + 32, 8), name = rd(o, h, 4);
    if (!(flags & 4) || size == 0 || off > o.size() || size > o.size() - off)
      continue;
    std::string n;
    for (size_t k = size_t(str_off + name); k < o.size() && o[k]; k++)
      n.push_back(char(o[k]));
    out.push_back({size_t(off), size_t(size), n});
  }
  return out;
}

// ---- mutations ---------------------------------------------------------------------
struct Mutant {
  Bytes obj, proof;
  std::string what; // the edits, for the failure message
};

template <class T> T pick(Rng &rng, std::initializer_list<T> xs) {
  return *(xs.begin() + rng() % xs.size());
}

uint64_t interesting_u(Rng &rng, uint64_t cur, uint64_t size_hint) {
  switch (rng() % 12) {
  case 0:
    return 0;
  case 1:
    return cur + 1;
  case 2:
    return cur - 1;
  case 3:
    return cur + 8;
  case 4:
    return cur - 8;
  case 5:
    return size_hint;
  case 6:
    return size_hint - 1 - rng() % 16;
  case 7:
    return ~0ull >> (rng() % 64);
  case 8:
    return 1ull << (rng() % 64);
  case 9:
    return cur ^ (1ull << (rng() % 64));
  case 10:
    return rng() % 256;
  default:
    return rng();
  }
}

// Wrapping arithmetic on 128-bit values (mutants may hold extreme ones).
__int128 wrap(unsigned __int128 v) { return (__int128)v; }
using u128 = unsigned __int128;

__int128 interesting_s(Rng &rng, __int128 cur) {
  u128 c = (u128)cur;
  switch (rng() % 12) {
  case 0:
    return 0;
  case 1:
    return wrap(c + 1);
  case 2:
    return wrap(c - 1);
  case 3:
    return wrap(0 - c);
  case 4:
    return -1;
  case 5:
    return 1;
  case 6:
    return wrap(c * 2);
  case 7:
    return (__int128)1 << (rng() % 127);
  case 8:
    return -((__int128)1 << (rng() % 127));
  case 9:
    return wrap(((u128)1 << 64) - 1 - c);
  case 10:
    return wrap(c + (u128)(rng() % 64) - 32);
  default:
    return (__int128)(int64_t)rng();
  }
}

void replace(Bytes &b, size_t begin, size_t end, const Bytes &with) {
  b.erase(b.begin() + long(begin), b.begin() + long(end));
  b.insert(b.begin() + long(begin), with.begin(), with.end());
}

void byte_edit(Rng &rng, Bytes &b, std::string &what, const char *part) {
  if (b.empty()) {
    b.push_back(uint8_t(rng()));
    what += std::string(part) + ": byte added; ";
    return;
  }
  size_t at = rng() % b.size();
  switch (rng() % 5) {
  case 0:
  case 1:
    b[at] ^= uint8_t(1u << (rng() % 8));
    what += std::string(part) + ": bit flip at " + std::to_string(at) + "; ";
    return;
  case 2:
    b[at] = pick<uint8_t>(rng, {0, 1, 0x7f, 0x80, 0xff, 0x40, 8, uint8_t(rng())});
    what += std::string(part) + ": byte set at " + std::to_string(at) + "; ";
    return;
  case 3: {
    size_t n = 1 + rng() % 8;
    for (size_t i = 0; i < n; i++)
      b.insert(b.begin() + long(at), uint8_t(rng() % 3 ? rng() : 0));
    what += std::string(part) + ": " + std::to_string(n) + " bytes inserted at " +
            std::to_string(at) + "; ";
    return;
  }
  default: {
    size_t n = std::min(b.size() - at, size_t(1 + rng() % 8));
    b.erase(b.begin() + long(at), b.begin() + long(at + n));
    what += std::string(part) + ": " + std::to_string(n) + " bytes deleted at " +
            std::to_string(at) + "; ";
  }
  }
}

void elf_header_edit(Rng &rng, Mutant &m) {
  struct F {
    size_t at;
    unsigned n;
    const char *name;
  };
  static const F fields[] = {{4, 1, "EI_CLASS"},    {5, 1, "EI_DATA"},
                             {6, 1, "EI_VERSION"},  {16, 2, "e_type"},
                             {18, 2, "e_machine"},  {40, 8, "e_shoff"},
                             {58, 2, "e_shentsize"}, {60, 2, "e_shnum"},
                             {62, 2, "e_shstrndx"}};
  const F &f = fields[rng() % (sizeof fields / sizeof fields[0])];
  uint64_t cur = rd(m.obj, f.at, f.n);
  wr(m.obj, f.at, f.n, interesting_u(rng, cur, m.obj.size()));
  m.what += std::string("ELF header ") + f.name + "; ";
}

void section_header_edit(Rng &rng, Mutant &m) {
  uint64_t shoff = rd(m.obj, 40, 8), shnum = rd(m.obj, 60, 2);
  if (!shnum || shoff >= m.obj.size())
    return byte_edit(rng, m.obj, m.what, "object");
  struct F {
    size_t at;
    unsigned n;
    const char *name;
  };
  static const F fields[] = {{0, 4, "sh_name"},   {4, 4, "sh_type"},
                             {8, 8, "sh_flags"},  {24, 8, "sh_offset"},
                             {32, 8, "sh_size"},  {40, 4, "sh_link"},
                             {44, 4, "sh_info"}};
  const F &f = fields[rng() % (sizeof fields / sizeof fields[0])];
  uint64_t i = rng() % shnum;
  size_t at = size_t(shoff + i * 64 + f.at);
  uint64_t cur = rd(m.obj, at, f.n), v;
  if (f.at == 4 && rng() % 2)
    v = pick<uint64_t>(rng, {0, 1, 2, 3, 4, 8, 9}); // NULL..REL
  else if (f.at == 8 && rng() % 2)
    v = cur ^ 4; // SHF_EXECINSTR
  else
    v = interesting_u(rng, cur, m.obj.size());
  wr(m.obj, at, f.n, v);
  m.what += "section " + std::to_string(i) + " " + f.name + "; ";
}

// Re-binds the proof entry of executable section s of the object (the
// entries follow the programs, the executable sections but `.text`, in
// order) to the instruction bytes now in it.
void rebind_hash(Mutant &m, const std::vector<ProgSection> &sections,
                 size_t s, const Bytes &insns) {
  Parsed p = parse_proof(m.proof);
  size_t program = 0;
  for (size_t i = 0; i < s; i++)
    program += sections[i].name != ".text";
  if (sections[s].name == ".text" || program >= p.entries.size())
    return;
  wr(m.proof, p.entries[program].hash_at, 8,
     vep_insn_hash(insns.data(), insns.size()));
  m.what += "hash re-bound; ";
}

void insn_edit(Rng &rng, Mutant &m) {
  std::vector<ProgSection> progs = program_sections(m.obj);
  if (progs.empty())
    return byte_edit(rng, m.obj, m.what, "object");
  size_t section = rng() % progs.size();
  const ProgSection &s = progs[section];
  size_t n = s.size / 8;
  if (n == 0)
    return byte_edit(rng, m.obj, m.what, "object");
  size_t i = rng() % n, at = s.offset + 8 * i;
  uint8_t *in = &m.obj[at];
  std::string what = "insn " + std::to_string(i) + " of " + s.name + ": ";
  static const uint8_t codes[] = {
      0x07, 0x0f, 0x17, 0x1f, 0x27, 0x37, 0x47, 0x57, 0x5f, 0x67, 0x77, 0x87,
      0x97, 0xa7, 0xb7, 0xbf, 0xc7, 0xd4, 0xdc, 0x04, 0x0c, 0x14, 0xb4, 0xbc,
      0x61, 0x69, 0x71, 0x79, 0x81, 0x62, 0x63, 0x6b, 0x72, 0x73, 0x7a, 0x7b,
      0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x55, 0x5d, 0xa5, 0xad,
      0xb5, 0xbd, 0x16, 0x26, 0x2e, 0xa6, 0x95, 0x18, 0x85, 0xdb, 0x06, 0x65};
  switch (rng() % 9) {
  case 0:
    in[0] = rng() % 3 ? codes[rng() % sizeof codes] : uint8_t(rng());
    what += "opcode";
    break;
  case 1:
    in[1] = uint8_t((in[1] & 0xf0) | (rng() % (rng() % 8 ? 11 : 16)));
    what += "dst";
    break;
  case 2:
    in[1] = uint8_t((in[1] & 0x0f) | (rng() % (rng() % 8 ? 11 : 16)) << 4);
    what += "src";
    break;
  case 3: {
    int16_t off = int16_t(rd(m.obj, at + 2, 2));
    // +-8: past an 8-byte map value or counter, keeping an atomic add's
    // alignment.
    off = pick<int16_t>(rng, {int16_t(off + 1), int16_t(off - 1), 0, -1, 1,
                              int16_t(off + 2), int16_t(off - 8),
                              int16_t(off + 8), int16_t(rng())});
    wr(m.obj, at + 2, 2, uint16_t(off));
    what += "offset";
    break;
  }
  case 4:
  case 5: {
    int32_t imm = int32_t(rd(m.obj, at + 4, 4));
    uint32_t u = uint32_t(imm); // wrapping edits
    imm = pick<int32_t>(rng, {int32_t(u + 1), int32_t(u - 1), 0, -1,
                              int32_t(u * 2), imm / 2, INT32_MIN, INT32_MAX,
                              int32_t(rng() % 256), int32_t(rng())});
    wr(m.obj, at + 4, 4, uint32_t(imm));
    what += "immediate";
    break;
  }
  case 6: {
    size_t j = rng() % n;
    std::swap_ranges(in, in + 8, &m.obj[s.offset + 8 * j]);
    what += "swapped with insn " + std::to_string(j);
    break;
  }
  case 7: {
    size_t j = rng() % n;
    std::memmove(in, &m.obj[s.offset + 8 * j], 8);
    what += "overwritten by insn " + std::to_string(j);
    break;
  }
  default: {
    static const uint8_t exit_insn[8] = {0x95, 0, 0, 0, 0, 0, 0, 0};
    uint8_t ja[8] = {0x05, 0, uint8_t(rng() % 4), 0, 0, 0, 0, 0};
    std::memcpy(in, rng() % 2 ? exit_insn : ja, 8);
    what += "replaced by exit/ja";
  }
  }
  m.what += what + "; ";
  if (rng() % 10)
    rebind_hash(m, progs, section,
                Bytes(m.obj.begin() + long(s.offset),
                      m.obj.begin() + long(s.offset + s.size)));
}

void leb_edit(Rng &rng, Mutant &m, const Parsed &p) {
  if (p.fields.empty())
    return byte_edit(rng, m.proof, m.what, "proof");
  const Field &f = p.fields[rng() % p.fields.size()];
  size_t pos = f.begin;
  Bytes enc;
  if (f.is_signed) {
    __int128 v = 0;
    get_sleb(m.proof, pos, v);
    put_sleb(enc, interesting_s(rng, v));
  } else {
    uint64_t v = 0;
    get_uleb(m.proof, pos, v);
    put_uleb(enc, interesting_u(rng, v, 64));
  }
  replace(m.proof, f.begin, f.end, enc);
  m.what += std::string("proof ") + (f.begin < p.answers_at ? "table" : "answer") +
            " integer at " + std::to_string(f.begin) + "; ";
}

void answer_edit(Rng &rng, Mutant &m, const Parsed &p, const Pair *other) {
  if (p.answers.empty())
    return leb_edit(rng, m, p);
  size_t k = rng() % p.answers.size();
  const Answer &a = p.answers[k];
  Bytes ans(m.proof.begin() + long(a.begin), m.proof.begin() + long(a.end));
  std::string what = "answer " + std::to_string(k) + ": ";
  switch (rng() % 9) {
  case 0:
    replace(m.proof, a.begin, a.end, {});
    what += "deleted";
    break;
  case 1:
    m.proof.insert(m.proof.begin() + long(a.end), ans.begin(), ans.end());
    what += "duplicated";
    break;
  case 2: {
    size_t j = rng() % p.answers.size();
    if (j == k)
      j = (j + 1) % p.answers.size();
    const Answer &b = p.answers[std::max(j, k)], &c = p.answers[std::min(j, k)];
    Bytes bb(m.proof.begin() + long(b.begin), m.proof.begin() + long(b.end));
    Bytes cc(m.proof.begin() + long(c.begin), m.proof.begin() + long(c.end));
    replace(m.proof, b.begin, b.end, cc); // the later one first
    replace(m.proof, c.begin, c.end, bb);
    what += "swapped with answer " + std::to_string(j);
    break;
  }
  case 3:
    if (a.cert) {
      replace(m.proof, a.begin, a.end, {0});
      what += "certificate dropped";
    } else {
      Bytes c = {1, 0}; // one COMB step
      put_sleb(c, rng() % 2);
      put_uleb(c, 0);
      replace(m.proof, a.begin, a.end, c);
      what += "empty certificate instead of none";
    }
    break;
  case 4: { // a certificate entry's hypothesis or multiplier
    if (!a.cert || a.entry_at.empty())
      return leb_edit(rng, m, p);
    size_t e = a.entry_at[rng() % a.entry_at.size()], pos = e;
    uint64_t hyp;
    __int128 mult;
    get_uleb(m.proof, pos, hyp);
    size_t mid = pos;
    get_sleb(m.proof, pos, mult);
    Bytes enc;
    if (rng() % 2) {
      put_uleb(enc, pick<uint64_t>(rng, {hyp + 1, hyp - 1, 0, hyp + 2,
                                         uint64_t(rng() % 64)}));
      replace(m.proof, e, mid, enc);
      what += "entry hypothesis";
    } else {
      put_sleb(enc, interesting_s(rng, mult));
      replace(m.proof, mid, pos, enc);
      what += "entry multiplier";
    }
    break;
  }
  case 5: { // delete, duplicate or add an entry, fixing the count
    if (!a.cert)
      return leb_edit(rng, m, p);
    std::vector<Bytes> es;
    for (size_t i = 0; i < a.entry_at.size(); i++)
      es.emplace_back(m.proof.begin() + long(a.entry_at[i]),
                      m.proof.begin() +
                          long(i + 1 < a.entry_at.size() ? a.entry_at[i + 1]
                                                         : a.end));
    int how = int(rng() % 3);
    if (how == 0 && !es.empty()) {
      es.erase(es.begin() + long(rng() % es.size()));
      what += "entry deleted";
    } else if (how == 1 && !es.empty()) {
      es.push_back(es[rng() % es.size()]);
      what += "entry duplicated";
    } else {
      Bytes e;
      put_uleb(e, rng() % 16);
      put_sleb(e, 1 + rng() % 4);
      es.insert(es.begin() + long(rng() % (es.size() + 1)), e);
      what += "entry added";
    }
    Bytes enc;
    put_uleb(enc, es.size());
    for (const Bytes &e : es)
      enc.insert(enc.end(), e.begin(), e.end());
    replace(m.proof, a.n_at, a.end, enc);
    break;
  }
  case 6: { // goal multiplier
    if (!a.cert)
      return leb_edit(rng, m, p);
    size_t pos = a.goal_at;
    __int128 g;
    get_sleb(m.proof, pos, g);
    Bytes enc;
    put_sleb(enc, interesting_s(rng, g));
    replace(m.proof, a.goal_at, pos, enc);
    what += "goal multiplier";
    break;
  }
  case 7: { // splice in another proof's answers from here on
    if (!other)
      return leb_edit(rng, m, p);
    Parsed q = parse_proof(other->proof);
    if (!q.ok || q.answers.empty())
      return leb_edit(rng, m, p);
    size_t from = q.answers[rng() % q.answers.size()].begin;
    m.proof.resize(a.begin);
    m.proof.insert(m.proof.end(), other->proof.begin() + long(from),
                   other->proof.end());
    what += "answers from here on taken from " + other->name;
    break;
  }
  default: // truncate after this answer
    m.proof.resize(a.end);
    what += "proof truncated after it";
  }
  m.what += what + "; ";
}

Mutant mutate(Rng &rng, const Pair &base, const Pair *other) {
  Mutant m{base.obj, base.proof, ""};
  int edits = 1 + int(rng() % 3 == 0) + int(rng() % 6 == 0);
  for (int e = 0; e < edits; e++) {
    Parsed p = parse_proof(m.proof);
    unsigned kind = unsigned(rng() % 20);
    if (kind < 2)
      byte_edit(rng, m.obj, m.what, "object");
    else if (kind < 4)
      elf_header_edit(rng, m);
    else if (kind < 6)
      section_header_edit(rng, m);
    else if (kind < 11)
      insn_edit(rng, m);
    else if (kind < 13)
      byte_edit(rng, m.proof, m.what, "proof");
    else if (kind < 16)
      p.ok ? leb_edit(rng, m, p) : byte_edit(rng, m.proof, m.what, "proof");
    else
      p.ok ? answer_edit(rng, m, p, other)
           : byte_edit(rng, m.proof, m.what, "proof");
  }
  return m;
}

// ---- checking --------------------------------------------------------------------
constexpr size_t kArena = size_t(256) << 20; // as vep-check
uint8_t *g_arena;

// The mutant being checked, for the watchdog and the sanitizer's death
// callback.
std::atomic<const Mutant *> g_current{nullptr};
std::atomic<long> g_index{-1};
std::atomic<int64_t> g_started_ms{0};

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void save_current(const char *why) {
  const Mutant *m = g_current.load();
  long i = g_index.load();
  if (!m)
    return;
  std::string base = "mutant-" + std::to_string(i);
  write_file(base + ".o", m->obj);
  write_file(base + ".proof", m->proof);
  std::fprintf(stderr, "vep_check_mutation: %s on mutant %ld (%s), saved as %s.o/.proof\n",
               why, i, m->what.c_str(), base.c_str());
}

void on_sanitizer_death() { save_current("sanitizer report"); }

void watchdog() {
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    int64_t t = g_started_ms.load();
    if (t && now_ms() - t > 10000) {
      save_current("check took longer than 10 s (hang)");
      std::fflush(stderr);
      _exit(3);
    }
  }
}

// vep-check on the mutant: its exit status, or -1 if it did not exit
// normally within 20 s.
int run_vep_check(const std::string &vep_check, const Mutant &m) {
  char dir[] = "/tmp/vep-mutation-XXXXXX";
  if (!mkdtemp(dir))
    return -2;
  std::string o = std::string(dir) + "/m.o", p = std::string(dir) + "/m.proof";
  write_file(o, m.obj);
  write_file(p, m.proof);
  std::string cmd = "timeout -s KILL 20 '" + vep_check + "' " + o + " " + p +
                    " >/dev/null 2>&1";
  int raw = std::system(cmd.c_str());
  std::remove(o.c_str());
  std::remove(p.c_str());
  rmdir(dir);
  if (raw == -1 || !WIFEXITED(raw) || WEXITSTATUS(raw) >= 128)
    return -1;
  return WEXITSTATUS(raw);
}

// The oracle must see a violation where there is one: an unchecked packet
// read and a return value outside the claim.
bool oracle_self_test() {
  using namespace vt;
  Prog unchecked = xdp_prologue();
  unchecked.push_back(ldx(B, 0, 2, 20)); // r0 = data[20], no bound check
  unchecked.push_back(exit_insn());
  Bytes obj = xdp_object(unchecked);
  vf::CheckRun run;
  run.status = VEP_ACCEPTED;
  run.claims.push_back({});
  if (vf::soundness_violation(obj.data(), obj.size(), run).empty())
    return false;
  Prog two = {mov64_imm(0, 2), exit_insn()};
  obj = xdp_object(two);
  run.claims[0].disjuncts = {{{1, -3}}}; // claims r0 >= 3
  if (vf::soundness_violation(obj.data(), obj.size(), run).empty())
    return false;
  run.claims[0].disjuncts = {{{1, -2}, {-1, 2}}}; // r0 == 2: fine
  if (!vf::soundness_violation(obj.data(), obj.size(), run).empty())
    return false;
  // Maps: a lookup's result used without a null check, an access past the
  // value's end and a relocation against a map the table lacks must be
  // seen; the null-checked in-bounds access must pass.
  auto lookup = [](int16_t off, bool null_check) {
    Prog p = {st(W, 10, -4, 0)};                   // key = 0
    lddw(p, 1, 0);                                 // r1 = &m (relocated)
    p.push_back(mov64_reg(2, 10));
    p.push_back(alu64_imm(ADD, 2, -4));
    p.push_back(raw(JMP | CALL, 0, 0, 0, 1));      // map_lookup_elem
    if (null_check)
      p.push_back(jmp_imm(JEQ, 0, 0, 1));
    p.push_back(ldx(DW, 1, 0, off));
    p.push_back(mov64_imm(0, 2));
    p.push_back(exit_insn());
    return map_object(p, {{1, 1}}, map_symbols({"m"}));
  };
  run.claims[0].disjuncts = {};
  run.maps.assign(1, vep_map_def{"m", 1 /* HASH */, 4, 8, 16, 0, 0});
  Bytes ok = lookup(0, true), unchecked_null = lookup(0, false),
        past_end = lookup(1, true);
  if (!vf::soundness_violation(ok.data(), ok.size(), run).empty() ||
      vf::soundness_violation(unchecked_null.data(), unchecked_null.size(), run)
          .empty() ||
      vf::soundness_violation(past_end.data(), past_end.size(), run).empty())
    return false;
  std::snprintf(run.maps[0].name, sizeof run.maps[0].name, "n");
  return !vf::soundness_violation(ok.data(), ok.size(), run).empty();
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: %s PAIRS_DIR [VEP_CHECK [MUTANTS_PER_PAIR [SEED]]]\n",
                 argv[0]);
    return 2;
  }
  std::string vep_check = argc > 2 ? argv[2] : "";
  long per_pair = argc > 3 ? std::atol(argv[3]) : 3000;
  uint64_t seed = argc > 4 ? std::strtoull(argv[4], nullptr, 0) : 20240401;
  std::vector<Pair> pairs = load_pairs(argv[1]);
  if (pairs.empty()) {
    std::fprintf(stderr, "vep_check_mutation: no pairs in %s\n", argv[1]);
    return 1;
  }
  if (!oracle_self_test()) {
    std::fprintf(stderr, "vep_check_mutation: the oracle misses violations\n");
    return 1;
  }
#ifdef VEP_HAVE_ASAN
  __sanitizer_set_death_callback(on_sanitizer_death);
#endif
  g_arena = new uint8_t[kArena];
  std::thread(watchdog).detach();

  int failures = 0;
  long total = 0, accepted = 0, accepted_code = 0, accepted_maps = 0,
       cli_runs = 0;
  long status_count[3] = {0, 0, 0};
  std::map<std::string, long> rules;
  auto t0 = now_ms();
  long map_pairs = 0;
  for (size_t pi = 0; pi < pairs.size(); pi++) {
    const Pair &base = pairs[pi];
    // The maps, created once from the original object; every mutant of
    // this pair is checked against them.
    vep::MapTable maps;
    std::string why;
    if (!maps.read(base.obj, why)) {
      std::fprintf(stderr, "vep_check_mutation: %s: libbpf cannot read the "
                           "original object's maps: %s\n",
                   base.name.c_str(), why.c_str());
      return 1;
    }
    map_pairs += !maps.defs.empty();
    // The fuzz target's fixed table must hold this example's maps, or its
    // seed would be rejected there at the first relocation. A global
    // section (`.rodata`, ...) is one entry for every example: its value
    // may be larger than this example's section, and only the read-only
    // flag must agree (libbpf adds BPF_F_MMAPABLE when a variable of the
    // section is not static).
    const vep_map_table &fixed = vf::fuzz_map_table();
    for (const vep_map_def &d : maps.defs) {
      const uint32_t kReadOnly = 0x80; // BPF_F_RDONLY_PROG
      bool section = d.name[0] == '.';
      if (std::none_of(fixed.maps, fixed.maps + fixed.n_maps,
                       [&](const vep_map_def &f) {
                         return std::strcmp(f.name, d.name) == 0 &&
                                f.type == d.type && f.key_size == d.key_size &&
                                f.max_entries == d.max_entries &&
                                (section ? f.value_size >= d.value_size &&
                                               (f.flags & kReadOnly) ==
                                                   (d.flags & kReadOnly)
                                         : f.value_size == d.value_size &&
                                               f.flags == d.flags);
                       })) {
        std::fprintf(stderr,
                     "vep_check_mutation: %s: map '%s' (type %u, key %u, "
                     "value %u, %u entries, flags %u) is not in the fuzz "
                     "target's fixed table: add it to vf::fuzz_map_table() "
                     "(vep-ebpf/fuzz/oracle.cc)\n",
                     base.name.c_str(), d.name, d.type, d.key_size,
                     d.value_size, d.max_entries, d.flags);
        return 1;
      }
    }
    vf::CheckRun run = vf::check_pair(base.obj.data(), base.obj.size(),
                                      maps.get(), base.proof.data(),
                                      base.proof.size(), g_arena, kArena);
    const Parsed parsed = parse_proof(base.proof);
    if (run.status != VEP_ACCEPTED || !parsed.ok) {
      std::fprintf(stderr, "vep_check_mutation: %s: the original pair is not "
                           "accepted or not parsed: %s\n",
                   base.name.c_str(), run.res.reason);
      return 1;
    }
    // ... and accept the seed with it, unless a cut point binds a map value:
    // the binding names its map by its index in the object's own table,
    // which the fixed table orders otherwise (the fuzz target then rejects
    // that seed at cut_match; the mutants here use the object's table).
    vf::CheckRun fixed_run = vf::check_pair(base.obj.data(), base.obj.size(),
                                            &fixed, base.proof.data(),
                                            base.proof.size(), g_arena, kArena);
    if (fixed_run.status != VEP_ACCEPTED && !parsed.binds_map_values) {
      std::fprintf(stderr, "vep_check_mutation: %s: the fuzz target's fixed "
                           "map table (vf::fuzz_map_table(), "
                           "vep-ebpf/fuzz/oracle.cc) refuses the pair: %s\n",
                   base.name.c_str(), fixed_run.res.reason);
      return 1;
    }
    std::string orig_bad = vf::soundness_violation(base.obj.data(),
                                                   base.obj.size(), run);
    if (!orig_bad.empty()) {
      std::fprintf(stderr, "vep_check_mutation: %s: the original pair fails "
                           "the oracle: %s\n",
                   base.name.c_str(), orig_bad.c_str());
      return 1;
    }
    std::vector<ProgSection> base_progs = program_sections(base.obj);
    Rng rng(seed + pi);
    const Pair *other = pairs.size() > 1 ? &pairs[(pi + 1) % pairs.size()] : nullptr;
    for (long i = 0; i < per_pair && failures < 5; i++, total++) {
      Mutant m = mutate(rng, base, other);
      g_current = &m;
      g_index = total;
      g_started_ms = now_ms();
      run = vf::check_pair(m.obj.data(), m.obj.size(), maps.get(),
                           m.proof.data(), m.proof.size(), g_arena, kArena);
      g_started_ms = 0;
      std::string bad;
      if (run.status != VEP_ACCEPTED && run.status != VEP_REJECTED &&
          run.status != VEP_MALFORMED)
        bad = "status outside {0, 1, 2}";
      else if (run.status != run.res.status)
        bad = "returned status differs from the result's";
      else if (run.arena_left)
        bad = "arena not released";
      else if (run.status != VEP_ACCEPTED && !run.res.reason[0])
        bad = "refused without a reason";
      if (bad.empty() && run.status == VEP_ACCEPTED) {
        accepted++;
        bool code_changed = program_sections(m.obj).size() != base_progs.size();
        for (const ProgSection &s : program_sections(m.obj))
          code_changed = code_changed ||
                         std::none_of(base_progs.begin(), base_progs.end(),
                                      [&](const ProgSection &b) {
                                        return b.size == s.size &&
                                               std::equal(
                                                   base.obj.begin() + long(b.offset),
                                                   base.obj.begin() + long(b.offset + b.size),
                                                   m.obj.begin() + long(s.offset));
                                      });
        accepted_code += code_changed;
        vf::ElfProgram text;
        for (const vf::ElfProgram &p :
             vf::elf_programs(m.obj.data(), m.obj.size(), &text))
          if (!p.relocs.empty()) {
            accepted_maps++;
            break;
          }
        bad = vf::soundness_violation(m.obj.data(), m.obj.size(), run);
        if (!bad.empty())
          bad = "ACCEPTED AN UNSAFE PAIR: " + bad;
      }
      if (bad.empty() && run.status >= 0 && run.status <= 2) {
        status_count[run.status]++;
        std::string reason = run.res.reason;
        rules[reason.substr(0, reason.find(':'))]++;
      }
      if (bad.empty() && !vep_check.empty() && total % 100 == 0) {
        cli_runs++;
        // vep-check reads the table from the mutant itself.
        int expect;
        vep::MapTable cli_maps;
        std::string cli_why;
        if (cli_reads_maps(m.obj) && !cli_maps.read(m.obj, cli_why)) {
          expect = 2; // "cannot read the map table"
        } else {
          g_started_ms = now_ms();
          expect = int(vf::check_pair(m.obj.data(), m.obj.size(),
                                      cli_maps.get(), m.proof.data(),
                                      m.proof.size(), g_arena, kArena)
                           .status);
          g_started_ms = 0;
        }
        int st = run_vep_check(vep_check, m);
        if (st < 0 || st > 2)
          bad = "vep-check exited with " + std::to_string(st) +
                " (not 0, 1 or 2: crashed, killed or timed out)";
        else if (st != expect)
          bad = "vep-check says " + std::to_string(st) +
                ", in-process with its map table " + std::to_string(expect);
      }
      if (!bad.empty()) {
        failures++;
        std::fprintf(stderr, "FAIL: %s: %s (checker: %s)\n", base.name.c_str(),
                     bad.c_str(), run.res.reason);
        save_current("failure");
      }
    }
    g_current = nullptr;
  }
  std::printf("vep_check_mutation: %ld mutants of %zu pairs (%ld with maps) "
              "in %.1f s: %ld accepted (%ld with changed program bytes, %ld "
              "with map relocations), %ld rejected, %ld malformed; %ld also "
              "through vep-check\n",
              total, pairs.size(), map_pairs, double(now_ms() - t0) / 1000,
              accepted, accepted_code, accepted_maps, status_count[1],
              status_count[2], cli_runs);
  std::printf("refusals by rule:");
  for (const auto &[rule, n] : rules)
    if (!rule.empty())
      std::printf(" %s %ld,", rule.c_str(), n);
  std::printf("\n");
  if (failures) {
    std::printf("vep_check_mutation: %d failures (stopped after 5)\n", failures);
    return 1;
  }
  std::printf("vep_check_mutation: every accepted mutant ran safely in the "
              "oracle\n");
  return 0;
}
