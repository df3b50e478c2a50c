// test_support.cc - see test_support.h.
#include "test_support.h"
#include "vep/map_table.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <sys/wait.h>
#include <unistd.h>

namespace vt {

// Arena memory for one check, reused (not zeroed: the checker must not
// depend on the arena's initial contents).
static uint8_t *arena_memory(size_t &size) {
  static std::vector<uint8_t> *mem = new std::vector<uint8_t>(32u << 20, 0xa5);
  size = mem->size();
  return mem->data();
}

void lddw(Prog &p, uint8_t dst, uint64_t v) {
  p.push_back(raw(LD | DW | 0x00, dst, 0, 0, (int32_t)(uint32_t)v));
  p.push_back(raw(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32)));
}

std::vector<uint8_t> encode(const Prog &p) {
  std::vector<uint8_t> out;
  for (const Insn &i : p) {
    out.push_back(i.code);
    out.push_back((uint8_t)((i.src << 4) | (i.dst & 0xf)));
    out.push_back((uint8_t)(uint16_t)i.off);
    out.push_back((uint8_t)((uint16_t)i.off >> 8));
    for (int b = 0; b < 4; b++)
      out.push_back((uint8_t)((uint32_t)i.imm >> (8 * b)));
  }
  return out;
}

Prog xdp_prologue() { return {ldx(W, 2, 1, 0), ldx(W, 3, 1, 4)}; }

// ---- ELF --------------------------------------------------------------------
static void put(std::vector<uint8_t> &v, size_t at, uint64_t x, int n) {
  for (int i = 0; i < n; i++)
    v[at + i] = (uint8_t)(x >> (8 * i));
}

std::vector<uint8_t> build_elf(const std::vector<Section> &sections) {
  std::vector<uint8_t> out(64, 0);
  std::string strtab(1, '\0');
  std::vector<uint64_t> offsets, names;
  for (const Section &s : sections) {
    while (out.size() % 8)
      out.push_back(0);
    offsets.push_back(out.size());
    out.insert(out.end(), s.data.begin(), s.data.end());
    names.push_back(strtab.size());
    strtab += s.name + '\0';
  }
  uint64_t str_name = strtab.size();
  strtab += std::string(".shstrtab") + '\0';
  uint64_t str_off = out.size();
  out.insert(out.end(), strtab.begin(), strtab.end());
  while (out.size() % 8)
    out.push_back(0);
  uint64_t shoff = out.size();
  size_t n = sections.size() + 2;
  out.resize(out.size() + 64 * n, 0);
  for (size_t i = 0; i < sections.size(); i++) {
    size_t h = shoff + 64 * (i + 1);
    put(out, h, names[i], 4);
    put(out, h + 4, sections[i].type, 4);
    put(out, h + 8, sections[i].flags, 8);
    put(out, h + 24, offsets[i], 8);
    put(out, h + 32, sections[i].data.size(), 8);
    put(out, h + 40, sections[i].link, 4);
    put(out, h + 44, sections[i].info, 4);
    put(out, h + 48, 8, 8);
    put(out, h + 56, sections[i].entsize, 8);
  }
  size_t h = shoff + 64 * (n - 1);
  put(out, h, str_name, 4);
  put(out, h + 4, 3, 4);
  put(out, h + 24, str_off, 8);
  put(out, h + 32, strtab.size(), 8);
  const uint8_t ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
  memcpy(out.data(), ident, sizeof ident);
  put(out, 16, 1, 2);   // ET_REL
  put(out, 18, 247, 2); // EM_BPF
  put(out, 20, 1, 4);
  put(out, 40, shoff, 8);
  put(out, 52, 64, 2);
  put(out, 58, 64, 2);
  put(out, 60, n, 2);
  put(out, 62, n - 1, 2);
  return out;
}

std::vector<uint8_t> xdp_object(const Prog &p, const std::string &name) {
  Section s;
  s.name = name;
  s.data = encode(p);
  return build_elf({s});
}

std::vector<Symbol> map_symbols(const std::vector<std::string> &names) {
  std::vector<Symbol> syms;
  for (size_t i = 0; i < names.size(); i++)
    syms.push_back({names[i], 2, 32 * i});
  return syms;
}

// Appends a map symbol (STB_GLOBAL, STT_OBJECT, 32 bytes) of section
// `section` at `value`.
static void add_map_symbol(std::vector<uint8_t> &symtab, std::string &strtab,
                           const std::string &name, uint16_t section,
                           uint64_t value) {
  std::vector<uint8_t> e(24, 0);
  put(e, 0, strtab.size(), 4);
  e[4] = 0x11;
  put(e, 6, section, 2);
  put(e, 8, value, 8);
  put(e, 16, 32, 8);
  symtab.insert(symtab.end(), e.begin(), e.end());
  strtab += name + '\0';
}

std::vector<uint8_t> map_object(const Prog &p, const std::vector<Reloc> &relocs,
                                const std::vector<Symbol> &symbols,
                                const std::string &name,
                                const std::string &data_section) {
  Section prog{name, 1, 6, encode(p), 0};
  Section maps{data_section, 1, 3,
               std::vector<uint8_t>(32 * symbols.size() + 8, 0), 0};
  std::string strtab(1, '\0');
  std::vector<uint8_t> symtab(24, 0); // symbol 0: the null symbol
  for (const Symbol &sym : symbols)
    add_map_symbol(symtab, strtab, sym.name, sym.section, sym.value);
  Section sym{".symtab", 2, 0, symtab, 1, 4, 24};
  Section str{".strtab", 3, 0,
              std::vector<uint8_t>(strtab.begin(), strtab.end()), 0};
  std::vector<uint8_t> rel;
  for (const Reloc &r : relocs) {
    std::vector<uint8_t> e(16, 0);
    put(e, 0, r.insn * 8, 8);
    put(e, 8, ((uint64_t)r.sym << 32) | r.type, 8);
    rel.insert(rel.end(), e.begin(), e.end());
  }
  Section rels{".rel" + name, 9, 0, rel, 1, 3, 16};
  return build_elf({prog, maps, sym, str, rels});
}

std::vector<uint8_t> call_object(const Prog &prog, const Prog &text,
                                 const std::vector<FuncSym> &funcs,
                                 const std::vector<Reloc> &prog_relocs,
                                 const std::vector<Reloc> &text_relocs,
                                 const std::string &name,
                                 const std::vector<std::string> &maps) {
  std::string strtab(1, '\0');
  std::vector<uint8_t> symtab(48, 0); // the null symbol, .text's symbol
  symtab[24 + 4] = 0x03;              // STB_LOCAL, STT_SECTION
  put(symtab, 24 + 6, 2, 2);
  for (const FuncSym &f : funcs) {
    std::vector<uint8_t> e(24, 0);
    put(e, 0, strtab.size(), 4);
    e[4] = f.info;
    put(e, 6, 2, 2);
    put(e, 8, 8 * (uint64_t)f.insn, 8);
    put(e, 16, 8 * (uint64_t)f.n_insns, 8);
    symtab.insert(symtab.end(), e.begin(), e.end());
    strtab += f.name + '\0';
  }
  for (size_t k = 0; k < maps.size(); k++) // 32 bytes each in .maps
    add_map_symbol(symtab, strtab, maps[k], 7, 32 * k);
  auto rels = [](const std::vector<Reloc> &rs) {
    std::vector<uint8_t> out;
    for (const Reloc &r : rs) {
      std::vector<uint8_t> e(16, 0);
      put(e, 0, r.insn * 8, 8);
      put(e, 8, ((uint64_t)r.sym << 32) | r.type, 8);
      out.insert(out.end(), e.begin(), e.end());
    }
    return out;
  };
  std::vector<Section> sections = {
      {name, 1, 6, encode(prog), 0},
      {".text", 1, 6, encode(text), 0},
      {".symtab", 2, 0, symtab, 1, 4, 24},
      {".strtab", 3, 0, std::vector<uint8_t>(strtab.begin(), strtab.end()), 0},
      {".rel" + name, 9, 0, rels(prog_relocs), 1, 3, 16},
      {".rel.text", 9, 0, rels(text_relocs), 2, 3, 16}};
  if (!maps.empty()) // (libbpf refuses an empty .maps)
    sections.push_back(
        {".maps", 1, 3, std::vector<uint8_t>(32 * maps.size(), 0), 0});
  return build_elf(sections);
}

Maps &Maps::add(const std::string &name, uint32_t type, uint32_t key,
                uint32_t value, uint32_t entries) {
  vep_map_def d{};
  snprintf(d.name, sizeof d.name, "%s", name.c_str());
  d.type = type;
  d.key_size = key;
  d.value_size = value;
  d.max_entries = entries;
  defs.push_back(d);
  return *this;
}

// Test-only: the bytes of section i of an object vep_elf_read accepted.
static std::vector<uint8_t> section_bytes(const vep_elf &e, uint32_t i) {
  vep_elf_section s = vep_elf_section_at(&e, i);
  return std::vector<uint8_t>(e.obj + s.offset, e.obj + s.offset + s.size);
}

// ---- Posts ------------------------------------------------------------------
const vep_cut_point *Post::get(uint32_t &n) {
  alternatives.cuts.clear();
  for (const auto &d : disjuncts) {
    Cut c;
    c.n_exists = 1;
    c.bindings.push_back(bind(VEP_BIND_SCALAR, 0, var(1)));
    for (const PostFact &f : d)
      c.facts.push_back(f.a ? form(f.b, {{1, f.a}}) : form(f.b));
    alternatives.cuts.push_back(c);
  }
  return alternatives.get(n);
}

Post post_range(__int128 lo, __int128 hi) {
  Post p;
  p.disjuncts.push_back({{1, -lo}, {-1, hi}});
  return p;
}

std::string goal(vep_goal_kind k) { return vep_goal_name(k); }

// ---- Cut points
// ---------------------------------------------------------------
Form form(__int128 constant, std::vector<std::pair<uint32_t, __int128>> terms) {
  Form f;
  f.constant = constant;
  for (auto &t : terms)
    f.terms.push_back({t.first, t.second});
  return f;
}

static vep_lin view_of(const Form &f) {
  return {f.constant, (uint32_t)f.terms.size(),
          f.terms.empty() ? nullptr : f.terms.data()};
}

const vep_cut_point *CutTable::get(uint32_t &n) {
  bindings.assign(cuts.size(), {});
  facts.assign(cuts.size(), {});
  ghosts.assign(cuts.size(), {});
  view.clear();
  for (size_t i = 0; i < cuts.size(); i++) {
    const Cut &c = cuts[i];
    for (const Binding &b : c.bindings)
      bindings[i].push_back(
          {b.kind, b.where, view_of(b.value), b.map, b.writes});
    for (const Form &f : c.facts)
      facts[i].push_back(view_of(f));
    vep_cut_point k{};
    k.insn = c.insn;
    k.n_exists = c.n_exists;
    k.n_bindings = (uint32_t)bindings[i].size();
    k.bindings = bindings[i].empty() ? nullptr : bindings[i].data();
    k.n_facts = (uint32_t)facts[i].size();
    k.facts = facts[i].empty() ? nullptr : facts[i].data();
    k.has_rank = c.has_rank;
    k.rank = view_of(c.rank);
    k.init_lo = c.init_lo;
    k.init_hi = c.init_hi;
    for (const auto &[loop, f] : c.ghosts)
      ghosts[i].push_back({loop, view_of(f)});
    k.n_ghosts = (uint32_t)ghosts[i].size();
    k.ghosts = ghosts[i].empty() ? nullptr : ghosts[i].data();
    view.push_back(k);
  }
  n = (uint32_t)view.size();
  return view.empty() ? nullptr : view.data();
}

// ---- Brute-force certificates -----------------------------------------------
namespace {
struct Dense {
  std::vector<__int128> coeff;
  __int128 constant = 0;
};

Dense dense(const vep_lin &f, size_t n) {
  Dense d;
  d.coeff.assign(n, 0);
  for (uint32_t i = 0; i < f.n_terms; i++)
    d.coeff[f.terms[i].var] = f.terms[i].coeff;
  d.constant = f.constant;
  return d;
}

// sum m_i * h_i + base has zero coefficients and a negative constant?
bool refutes(const Dense &base, const std::vector<const Dense *> &hs,
             const std::vector<__int128> &ms) {
  __int128 c = base.constant;
  for (size_t i = 0; i < hs.size(); i++)
    c += ms[i] * hs[i]->constant;
  if (c >= 0)
    return false;
  for (size_t v = 0; v < base.coeff.size(); v++) {
    __int128 s = base.coeff[v];
    for (size_t i = 0; i < hs.size(); i++)
      s += ms[i] * hs[i]->coeff[v];
    if (s != 0)
      return false;
  }
  return true;
}
} // namespace

bool find_certificate(const vep_question &q, std::vector<vep_cert_entry> &out,
                      __int128 &goal_mult) {
  size_t n = 0;
  for (uint32_t i = 0; i <= q.n_hyps; i++) {
    const vep_lin &f = i < q.n_hyps ? q.hyps[i] : q.goal;
    for (uint32_t t = 0; t < f.n_terms; t++)
      n = std::max<size_t>(n, f.terms[t].var + 1);
  }
  std::vector<Dense> hyps;
  for (uint32_t i = 0; i < q.n_hyps; i++)
    hyps.push_back(dense(q.hyps[i], n));
  const __int128 mults[] = {1, 2, 3, 4, 8, 16, 256, 65536};
  std::vector<__int128> goal_mults = {1, 2, 10, 16, 256, 0};
  if (q.kind == VEP_GOAL_DEAD_PATH)
    goal_mults = {0};
  for (__int128 g : goal_mults) {
    // base = g * (-goal - 1)
    Dense base = dense(q.goal, n);
    for (auto &c : base.coeff)
      c = -g * c;
    base.constant = -g * base.constant - g;
    if (refutes(base, {}, {})) {
      out.clear();
      goal_mult = g;
      return true;
    }
    uint32_t m = q.n_hyps;
    for (uint32_t i = 0; i < m; i++)
      for (__int128 a : mults) {
        if (refutes(base, {&hyps[i]}, {a})) {
          out = {{i, a}};
          goal_mult = g;
          return true;
        }
      }
    for (uint32_t i = 0; i < m; i++)
      for (uint32_t j = i + 1; j < m; j++)
        for (__int128 a : mults)
          for (__int128 b : mults)
            if (refutes(base, {&hyps[i], &hyps[j]}, {a, b})) {
              out = {{i, a}, {j, b}};
              goal_mult = g;
              return true;
            }
    for (uint32_t i = 0; i < m && g <= 1; i++)
      for (uint32_t j = i + 1; j < m; j++)
        for (uint32_t k = j + 1; k < m; k++)
          for (__int128 a : {1, 2, 256})
            for (__int128 b : {1, 2, 256})
              for (__int128 c : {1, 2, 256})
                if (refutes(base, {&hyps[i], &hyps[j], &hyps[k]}, {a, b, c})) {
                  out = {{i, a}, {j, b}, {k, c}};
                  goal_mult = g;
                  return true;
                }
  }
  return false;
}

int prove_by_search(const vep_question &q, vep_cert *out, vep_arena *scratch) {
  std::vector<vep_cert_entry> entries;
  __int128 g = 0;
  if (!find_certificate(q, entries, g))
    return 0;
  auto *e = (vep_cert_entry *)vep_arena_alloc(
      scratch, entries.size() * sizeof(vep_cert_entry) + 1,
      alignof(vep_cert_entry));
  auto *s = (vep_cert_step *)vep_arena_alloc(scratch, sizeof(vep_cert_step),
                                             alignof(vep_cert_step));
  if (!e || !s)
    return -1;
  std::copy(entries.begin(), entries.end(), e);
  *s = {VEP_STEP_COMB, 0, 0, g, (uint32_t)entries.size(), e};
  *out = {1, s};
  return 1;
}

// ---- Writing mode -----------------------------------------------------------
namespace {
struct Writer {
  const std::vector<uint8_t> *obj;
  std::vector<Post> posts;
  uint64_t hash_xor;
  std::vector<CutTable> cuts;
  std::vector<Function> fns;
  vep_proof_buf file;
  std::vector<QuestionLog> log;
  std::vector<CutTable> contracts; // per function: its pre and post
  std::vector<vep_function_header> functions;
  std::vector<vep_program_header> programs;

  // The headers of the object's programs (in section order) and of `fns`;
  // none when the object is malformed (the checker refuses it first).
  vep_proof_headers headers() {
    vep_elf e;
    if (vep_elf_read(&e, obj->data(), obj->size(), nullptr) != VEP_ACCEPTED)
      return {};
    std::vector<uint8_t> text;
    if (e.text)
      text = section_bytes(e, e.text);
    contracts.assign(fns.size(), {});
    for (size_t i = 0; i < fns.size(); i++) {
      Function &f = fns[i];
      vep_function_header h{};
      uint32_t n;
      size_t at = 8 * (size_t)f.text_insn, len = 8 * (size_t)f.n_insns;
      if (at + len <= text.size())
        h.code.insn_hash = vep_insn_hash(text.data() + at, len);
      h.text_insn = f.text_insn;
      contracts[i].cuts = {f.pre, f.post};
      const vep_cut_point *pp = contracts[i].get(n);
      h.pre = pp[0];
      h.code.n_posts = 1;
      h.code.posts = &pp[1];
      h.code.cuts = f.cuts.get(h.code.n_cuts);
      functions.push_back(h);
    }
    for (uint32_t i = 0; (i = vep_elf_next_program(&e, i));) {
      std::vector<uint8_t> bytes = section_bytes(e, i);
      vep_program_header h{};
      size_t k = programs.size();
      h.insn_hash = vep_insn_hash(bytes.data(), bytes.size()) ^ hash_xor;
      if (k < posts.size())
        h.posts = posts[k].get(h.n_posts);
      if (k < cuts.size())
        h.cuts = cuts[k].get(h.n_cuts);
      programs.push_back(h);
    }
    return {(uint32_t)functions.size(), functions.data(),
            (uint32_t)programs.size(), programs.data()};
  }

  static int prove(void *self, const vep_question *q, vep_cert *out,
                   vep_arena *scratch) {
    Writer *w = (Writer *)self;
    int r = prove_by_search(*q, out, scratch);
    w->log.push_back({q->kind, q->insn, r != 0});
    if (r == 0)
      vep_enc_answer_none(&w->file);
    else if (r == 1)
      vep_enc_answer_cert(&w->file, out);
    return r;
  }
};

Outcome outcome(const vep_result &r) {
  Outcome o;
  o.status = r.status;
  o.program = r.program;
  o.reason = r.reason;
  o.insn = r.insn;
  o.paths = r.n_paths;
  o.questions = r.n_questions;
  return o;
}
} // namespace

Outcome write_proof(const std::vector<uint8_t> &obj, std::vector<Post> posts,
                    uint64_t hash_xor, std::vector<CutTable> cuts,
                    const vep_map_table *maps, std::vector<Function> fns) {
  Writer w{&obj, std::move(posts), hash_xor, std::move(cuts), std::move(fns),
           {},   {},
           {},   {},
           {}};
  vep_enc_init(&w.file);
  size_t size;
  uint8_t *mem = arena_memory(size);
  vep_arena arena;
  vep_arena_init(&arena, mem, size);
  vep_proof_headers hs = w.headers();
  vep_enc_headers(&w.file, &hs);
  vep_proof_source ps{&w, Writer::prove};
  vep_result r;
  vep_check_object(obj.data(), obj.size(), maps, &hs, &ps, &arena, &r);
  Outcome o = outcome(r);
  EXPECT_FALSE(w.file.oom);
  o.proof.assign(w.file.data, w.file.data + w.file.len);
  o.log = w.log;
  vep_enc_free(&w.file);
  return o;
}

void enc_programs(vep_proof_buf &b,
                  const std::vector<vep_program_header> &programs) {
  vep_proof_headers h{0, nullptr, (uint32_t)programs.size(), programs.data()};
  vep_enc_headers(&b, &h);
}

namespace {
// Forwards to the reader and logs the questions it is asked.
struct LoggingSource {
  vep_proof_source inner;
  std::vector<QuestionLog> log;
  static int prove(void *self, const vep_question *q, vep_cert *out,
                   vep_arena *scratch) {
    LoggingSource *l = (LoggingSource *)self;
    int r = l->inner.prove(l->inner.self, q, out, scratch);
    l->log.push_back({q->kind, q->insn, r == 1});
    return r;
  }
};
} // namespace

Outcome check_proof(const std::vector<uint8_t> &obj,
                    const std::vector<uint8_t> &proof,
                    const vep_map_table *maps) {
  size_t size;
  uint8_t *mem = arena_memory(size);
  vep_arena arena;
  vep_arena_init(&arena, mem, size);
  vep_proof_reader reader;
  vep_result r;
  std::vector<QuestionLog> log;
  memset(&r, 0, sizeof r);
  if (vep_proof_reader_init(&reader, proof.data(), proof.size(), &arena, &r) ==
      VEP_ACCEPTED) {
    size_t tables = arena.used;
    LoggingSource logger{reader.source, {}};
    vep_proof_source ps{&logger, LoggingSource::prove};
    if (vep_check_object(obj.data(), obj.size(), maps, &reader.headers, &ps,
                         &arena, &r) == VEP_ACCEPTED)
      vep_proof_reader_finish(&reader, &r);
    log = logger.log;
    EXPECT_EQ(arena.used, tables);
  }
  Outcome o = outcome(r);
  o.log = log;
  return o;
}

Outcome round_trip(const std::vector<uint8_t> &obj, std::vector<Post> posts,
                   std::vector<CutTable> cuts, const vep_map_table *maps,
                   std::vector<Function> fns) {
  Outcome w = write_proof(obj, std::move(posts), 0, std::move(cuts), maps,
                          std::move(fns));
  Outcome c = check_proof(obj, w.proof, maps);
  EXPECT_EQ(w.status, c.status)
      << "writer: " << w.reason << "\nreader: " << c.reason;
  EXPECT_EQ(w.reason, c.reason);
  EXPECT_EQ(w.insn, c.insn);
  EXPECT_EQ(w.questions, c.questions);
  // One VC generator: both modes ask exactly the same questions.
  EXPECT_EQ(w.log.size(), c.log.size());
  for (size_t i = 0; i < w.log.size() && i < c.log.size(); i++) {
    EXPECT_EQ(w.log[i].kind, c.log[i].kind) << "question " << i;
    EXPECT_EQ(w.log[i].insn, c.log[i].insn) << "question " << i;
    EXPECT_EQ(w.log[i].answered, c.log[i].answered) << "question " << i;
  }
  c.proof = w.proof;
  return c;
}

// ---- Files and the vep-check tool ----------------------------------------
std::vector<uint8_t> read_bytes(const std::string &path) {
  std::vector<uint8_t> b;
  FILE *f = fopen(path.c_str(), "rb");
  if (!f)
    return b;
  int c;
  while ((c = fgetc(f)) != EOF)
    b.push_back((uint8_t)c);
  fclose(f);
  return b;
}

std::string temp_file(const std::vector<uint8_t> &bytes) {
  char tmpl[] = "/tmp/vep-ebpf-test-XXXXXX";
  int fd = mkstemp(tmpl);
  EXPECT_GE(fd, 0);
  FILE *f = fdopen(fd, "wb");
  fwrite(bytes.data(), 1, bytes.size(), f);
  fclose(f);
  return tmpl;
}

// Runs `command` in a shell; returns its exit code, its output (stdout
// and stderr) in `out`.
int run_command(const std::string &command, std::string &out) {
  FILE *p = popen((command + " 2>&1").c_str(), "r");
  char buf[512];
  out.clear();
  while (p && fgets(buf, sizeof buf, p))
    out += buf;
  int st = p ? pclose(p) : -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

} // namespace vt
