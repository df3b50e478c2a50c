// test_support.h - Hand-encoded eBPF, tiny ELF objects, and proof sources
// for the VEP-eBPF checker tests. Test-only code.
#ifndef VEP_EBPF_TEST_SUPPORT_H
#define VEP_EBPF_TEST_SUPPORT_H

#include "vep/map_table.h"
#include "vep/object.h"
#include "vep/proof_encode.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vt {

// Iterations of the randomised tests: all of them normally, an eighth in
// the ASan/UBSan build (vep_ebpf_tests_san defines VEP_SANITIZED), where the
// test helpers' own allocations (brute-force certificates, interpreter runs)
// would otherwise take minutes; thresholds on the counts scale alike.
#ifdef VEP_SANITIZED
constexpr int kRandomScale = 8;
#else
constexpr int kRandomScale = 1;
#endif
constexpr int scaled(int n) { return n / kRandomScale; }

// ---- Instructions (RFC 9669 encoding) --------------------------------------
struct Insn {
  uint8_t code = 0, dst = 0, src = 0;
  int16_t off = 0;
  int32_t imm = 0;
};
using Prog = std::vector<Insn>;

enum : uint8_t {
  LD = 0,
  LDX = 1,
  ST = 2,
  STX = 3,
  ALU = 4,
  JMP = 5,
  JMP32 = 6,
  ALU64 = 7,
  K = 0,
  X = 8,
  W = 0x00,
  H = 0x08,
  B = 0x10,
  DW = 0x18,
  MEM = 0x60,
  MEMSX = 0x80,
  ADD = 0x00,
  SUB = 0x10,
  MUL = 0x20,
  DIV = 0x30,
  OR = 0x40,
  AND = 0x50,
  LSH = 0x60,
  RSH = 0x70,
  NEG = 0x80,
  MOD = 0x90,
  XOR = 0xa0,
  MOV = 0xb0,
  ARSH = 0xc0,
  END = 0xd0,
  JA = 0x00,
  JEQ = 0x10,
  JGT = 0x20,
  JGE = 0x30,
  JSET = 0x40,
  JNE = 0x50,
  JSGT = 0x60,
  JSGE = 0x70,
  CALL = 0x80,
  EXIT = 0x90,
  JLT = 0xa0,
  JLE = 0xb0,
};

inline Insn raw(uint8_t code, uint8_t dst, uint8_t src, int16_t off,
                int32_t imm) {
  return Insn{code, dst, src, off, imm};
}
inline Insn alu64_imm(uint8_t op, uint8_t dst, int32_t imm) {
  return raw(ALU64 | K | op, dst, 0, 0, imm);
}
inline Insn alu64_reg(uint8_t op, uint8_t dst, uint8_t src) {
  return raw(ALU64 | X | op, dst, src, 0, 0);
}
inline Insn alu32_imm(uint8_t op, uint8_t dst, int32_t imm) {
  return raw(ALU | K | op, dst, 0, 0, imm);
}
inline Insn alu32_reg(uint8_t op, uint8_t dst, uint8_t src) {
  return raw(ALU | X | op, dst, src, 0, 0);
}
inline Insn mov64_imm(uint8_t dst, int32_t imm) {
  return alu64_imm(MOV, dst, imm);
}
inline Insn mov64_reg(uint8_t dst, uint8_t src) {
  return alu64_reg(MOV, dst, src);
}
inline Insn mov32_imm(uint8_t dst, int32_t imm) {
  return alu32_imm(MOV, dst, imm);
}
inline Insn ldx(uint8_t size, uint8_t dst, uint8_t src, int16_t off) {
  return raw(LDX | MEM | size, dst, src, off, 0);
}
inline Insn stx(uint8_t size, uint8_t dst, uint8_t src, int16_t off) {
  return raw(STX | MEM | size, dst, src, off, 0);
}
inline Insn st(uint8_t size, uint8_t dst, int16_t off, int32_t imm) {
  return raw(ST | MEM | size, dst, 0, off, imm);
}
inline Insn jmp_imm(uint8_t op, uint8_t dst, int32_t imm, int16_t off) {
  return raw(JMP | K | op, dst, 0, off, imm);
}
inline Insn jmp_reg(uint8_t op, uint8_t dst, uint8_t src, int16_t off) {
  return raw(JMP | X | op, dst, src, off, 0);
}
inline Insn ja(int16_t off) { return raw(JMP | JA, 0, 0, off, 0); }
inline Insn exit_insn() { return raw(JMP | EXIT, 0, 0, 0, 0); }
// A bpf-to-bpf call (src 1); the relocation names its target.
inline Insn call_fn(int32_t imm) { return raw(JMP | CALL, 0, 1, 0, imm); }
// lddw: two slots.
void lddw(Prog &p, uint8_t dst, uint64_t v);

std::vector<uint8_t> encode(const Prog &p);

// The usual XDP prologue: r2 = data, r3 = data_end (insns 0, 1).
Prog xdp_prologue();

// ---- Tiny ELF objects -------------------------------------------------------
struct Section {
  std::string name;
  uint32_t type = 1;  // SHT_PROGBITS
  uint64_t flags = 6; // SHF_ALLOC | SHF_EXECINSTR
  std::vector<uint8_t> data;
  uint32_t info = 0; // for SHT_REL: target section index
  uint32_t link = 0; // SHT_REL: symbol table; SHT_SYMTAB: string table
  uint64_t entsize = 0;
};
std::vector<uint8_t> build_elf(const std::vector<Section> &sections);
std::vector<uint8_t> xdp_object(const Prog &p, const std::string &name = "xdp");

// ---- Objects with maps ------------------------------------------------------
// A relocation of the program: insn index, symbol index (1-based into
// `symbols`), ELF relocation type.
struct Reloc {
  uint64_t insn;
  uint32_t sym;
  uint32_t type = 1; // R_BPF_64_64
};
// A symbol; `section` is a section index in the built object (0: undefined).
struct Symbol {
  std::string name;
  uint16_t section;
  uint64_t value = 0;
};
// Sections: 1 the program `name`, 2 `.maps` (32 bytes per symbol),
// 3 `.symtab`, 4 `.strtab`, 5 `.rel<name>`, then the section name table.
// Symbols default to one per map name, in .maps (section 2).
std::vector<uint8_t> map_object(const Prog &p, const std::vector<Reloc> &relocs,
                                const std::vector<Symbol> &symbols,
                                const std::string &name = "xdp",
                                const std::string &data_section = ".maps");
std::vector<Symbol> map_symbols(const std::vector<std::string> &names);

// ---- Objects with functions -------------------------------------------------
// A symbol of `.text`: by default a function (STT_FUNC, STB_GLOBAL) at
// instruction `insn` of n_insns instructions.
struct FuncSym {
  std::string name;
  uint32_t insn, n_insns;
  uint8_t info = 0x12;
};
constexpr uint32_t R_BPF_64_32 = 10;
// Sections: 1 the program `name`, 2 `.text`, 3 `.symtab` (symbol 1 is
// `.text`'s section symbol, then `funcs` in order), 4 `.strtab`,
// 5 `.rel<name>`, 6 `.rel.text`, 7 `.maps` with the symbols `maps` (after
// `funcs`).
std::vector<uint8_t> call_object(const Prog &prog, const Prog &text,
                                 const std::vector<FuncSym> &funcs,
                                 const std::vector<Reloc> &prog_relocs,
                                 const std::vector<Reloc> &text_relocs = {},
                                 const std::string &name = "xdp",
                                 const std::vector<std::string> &maps = {});

// Owns a map table: built by hand, or read from an object as vep-check
// reads it (read).
struct Maps : vep::MapTable {
  Maps &add(const std::string &name, uint32_t type, uint32_t key,
            uint32_t value, uint32_t entries = 16);
};

// ---- Cut points ------------------------------------------------------------
// A form over the assertion's variables: 0 = len, 1.. = existentials.
struct Form {
  __int128 constant = 0;
  std::vector<vep_lin_term> terms;
};
Form form(__int128 constant,
          std::vector<std::pair<uint32_t, __int128>> terms = {});
// x_k + c
inline Form var(uint32_t k, __int128 c = 0) { return form(c, {{k, 1}}); }

struct Binding {
  uint8_t kind = VEP_BIND_SCALAR;
  int16_t where = 0;
  Form value;
  uint32_t map = 0;
  bool writes = false;
};
inline Binding bind(uint8_t kind, int16_t where, Form f, uint32_t map = 0) {
  return Binding{kind, where, std::move(f), map, false};
}
// A function's buffer argument in register r (1..5) of `size` bytes.
inline Binding buf(int16_t r, Form size, bool writes = false) {
  return Binding{VEP_BIND_BUF, r, std::move(size), (uint32_t)r, writes};
}

struct Cut {
  uint32_t insn = 0;
  uint32_t n_exists = 0;
  std::vector<Binding> bindings;
  std::vector<Form> facts;
  bool has_rank = false;
  Form rank;
  int16_t init_lo = 0, init_hi = 0;
  std::vector<std::pair<uint32_t, Form>> ghosts; // (loop, form)
};

// Owns the arrays a program's cut table points to; get() rebuilds them.
struct CutTable {
  std::vector<Cut> cuts;
  std::vector<std::vector<vep_binding>> bindings;
  std::vector<std::vector<vep_lin>> facts;
  std::vector<std::vector<vep_ghost>> ghosts;
  std::vector<vep_cut_point> view;
  const vep_cut_point *get(uint32_t &n);
};

// ---- Posts -----------------------------------------------------------------
// a*R0 + b >= 0
struct PostFact {
  __int128 a, b;
};
// A program's exit assertion as the compiler writes it: a disjunction of
// conjunctions of facts over R0. get() gives the checker's form, one
// alternative per disjunct: R0 = x1 with the facts a*x1 + b >= 0.
struct Post {
  std::vector<std::vector<PostFact>> disjuncts;
  CutTable alternatives;
  const vep_cut_point *get(uint32_t &n);
};
// a <= R0 <= b as one disjunct.
Post post_range(__int128 lo, __int128 hi);

// A function of `.text` (instructions [text_insn, text_insn + n_insns),
// hashed by the writer) with its contract and cut points.
struct Function {
  uint32_t text_insn = 0, n_insns = 0;
  Cut pre, post;
  CutTable cuts;
};

// ---- Results ---------------------------------------------------------------
struct QuestionLog {
  vep_goal_kind kind;
  uint32_t insn;
  bool answered;
};

struct Outcome {
  vep_status status = VEP_MALFORMED;
  std::string program, reason;
  uint32_t insn = 0, paths = 0, questions = 0;
  std::vector<uint8_t> proof;   // writing mode: the proof written
  std::vector<QuestionLog> log; // writing mode: questions, in order
};

// Finds small Farkas certificates by brute force (tiny cases only).
bool find_certificate(const vep_question &q, std::vector<vep_cert_entry> &out,
                      __int128 &goal_mult);

// find_certificate as a proof source answers (vep_proof_source.prove): 1
// with the entries in `scratch`, 0 when none is found, -1 when `scratch` is
// exhausted.
int prove_by_search(const vep_question &q, vep_cert *out, vep_arena *scratch);

// Writing mode: the brute-force source answers every question and records
// the answers with the encoder. `posts` maps programs (in order) to posts;
// missing ones get "true". hash_xor perturbs the recorded hashes.
// `cuts` maps programs (in order) to cut tables; missing ones get none.
// `maps`: the map table passed to the checker (may be null).
// `fns`: the function table.
Outcome write_proof(const std::vector<uint8_t> &obj,
                    std::vector<Post> posts = {}, uint64_t hash_xor = 0,
                    std::vector<CutTable> cuts = {},
                    const vep_map_table *maps = nullptr,
                    std::vector<Function> fns = {});
// A proof file's header and tables into `b`: one header per entry of
// `programs`, no functions; the answers go after them.
void enc_programs(vep_proof_buf &b,
                  const std::vector<vep_program_header> &programs);
// Checking mode: vep_proof_reader over `proof`, then the trailing check.
Outcome check_proof(const std::vector<uint8_t> &obj,
                    const std::vector<uint8_t> &proof,
                    const vep_map_table *maps = nullptr);
// Both: writes the proof, checks it, and expects the same verdict.
Outcome round_trip(const std::vector<uint8_t> &obj,
                   std::vector<Post> posts = {},
                   std::vector<CutTable> cuts = {},
                   const vep_map_table *maps = nullptr,
                   std::vector<Function> fns = {});

std::string goal(vep_goal_kind k);

inline bool contains(const std::string &s, const std::string &part) {
  return s.find(part) != std::string::npos;
}

// ---- Files and the vep-check tool -------------------------------------------
// The bytes of a file (empty if unreadable); a new temporary file holding
// `bytes` (its path); a shell command's exit code, its output in `out`.
std::vector<uint8_t> read_bytes(const std::string &path);
std::string temp_file(const std::vector<uint8_t> &bytes);
int run_command(const std::string &command, std::string &out);
#ifdef VEP_CHECK_BIN
// vep-check (the tests' build of it) run with `args`.
inline int vep_check(const std::string &args, std::string &out) {
  return run_command(std::string(VEP_CHECK_BIN) + " " + args, out);
}
#endif

} // namespace vt

// A rejection at instruction `at` whose reason contains `text` (gtest).
#define EXPECT_REJECTED(o, at, text)                                           \
  do {                                                                         \
    EXPECT_EQ((o).status, VEP_REJECTED) << (o).reason;                         \
    EXPECT_EQ((o).insn, (uint32_t)(at)) << (o).reason;                         \
    EXPECT_TRUE(contains((o).reason, text)) << (o).reason;                     \
  } while (0)

#endif
