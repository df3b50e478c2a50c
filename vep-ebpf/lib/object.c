/*===- object.c - An eBPF ELF object read into the checker's image --------===*
 *
 * Rules elf_header, elf_sections and elf_relocations and the function
 * symbols of func_table (docs/proof-format.md, "Objects"): programs are the
 * executable sections other than `.text`, functions the STT_FUNC symbols of
 * `.text`, relocations the SHT_REL entries against them, each bound to an
 * entry of the map table or to a function's first instruction. Every
 * offset read from the file is bounds-checked before use. The image's
 * arrays come from the heap and are freed before vep_check_object returns.
 * The reading of sections and symbols is exported (vep_elf_*), so that
 * the other front ends read objects the same way.
 *===----------------------------------------------------------------------===*/
#include "vep/object.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EHDR_SIZE = 64, SHDR_SIZE = 64, REL_SIZE = 16, SYM_SIZE = 24 };
enum { EM_BPF = 247, ET_REL = 1, SHF_EXECINSTR = 4, SHN_LORESERVE = 0xff00 };
enum { SHT_NULL, SHT_PROGBITS, SHT_SYMTAB, SHT_STRTAB, SHT_RELA };
enum { SHT_NOBITS = 8, SHT_REL = 9, STT_FUNC = 2, STT_SECTION = 3 };
enum { R_BPF_64_64 = 1, R_BPF_64_32 = 10, BPF_CALL = 0x85 };

/* The n-byte (n <= 8) little-endian number at p. */
static uint64_t read_le(const uint8_t *p, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n; i++)
    v |= (uint64_t)p[i] << (8 * i);
  return v;
}

/* Section i's header, its name an offset into the name table. */
static vep_elf_section raw_section(const vep_elf *e, uint32_t i) {
  const uint8_t *p = e->obj + e->shoff + (uint64_t)i * SHDR_SIZE;
  return (vep_elf_section){.name = NULL,
                           .type = (uint32_t)read_le(p + 4, 4),
                           .link = (uint32_t)read_le(p + 40, 4),
                           .info = (uint32_t)read_le(p + 44, 4),
                           .flags = read_le(p + 8, 8),
                           .offset = read_le(p + 24, 8),
                           .size = read_le(p + 32, 8)};
}

static uint64_t name_offset(const vep_elf *e, uint32_t i) {
  return read_le(e->obj + e->shoff + (uint64_t)i * SHDR_SIZE, 4);
}

vep_elf_section vep_elf_section_at(const vep_elf *e, uint32_t i) {
  vep_elf_section s = raw_section(e, i);
  s.name = e->names + name_offset(e, i);
  return s;
}

static bool executable(const vep_elf_section *s) {
  return (s->flags & SHF_EXECINSTR) && s->size > 0;
}

/* Sets res (if any) to the refusal "rule: why" at instruction insn of
 * `name` (NULL: none); returns its status. */
static vep_status fail(vep_result *res, vep_status st, const char *rule,
                       const char *name, uint32_t insn, const char *why) {
  if (!res)
    return st;
  res->status = st;
  res->insn = insn;
  snprintf(res->program, sizeof res->program, "%s", name ? name : "");
  snprintf(res->reason, sizeof res->reason, "%s: %s", rule, why);
  return st;
}

/* elf_header: identification, type, machine, section header table bounds.
 * NULL, or what is malformed. */
static const char *elf_header(vep_elf *e) {
  static const uint8_t ident[7] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
  const uint8_t *p = e->obj;
  if (e->len < EHDR_SIZE)
    return "file too short for ELF";
  if (memcmp(p, ident, sizeof ident))
    return "not an ELF64 little-endian version-1 file";
  if (read_le(p + 16, 2) != ET_REL || read_le(p + 18, 2) != EM_BPF)
    return "not a relocatable eBPF object (ET_REL, EM_BPF)";
  e->shoff = read_le(p + 40, 8);
  e->shnum = (uint32_t)read_le(p + 60, 2);
  uint32_t shstrndx = (uint32_t)read_le(p + 62, 2);
  if (read_le(p + 58, 2) != SHDR_SIZE || e->shnum == 0 ||
      e->shnum >= SHN_LORESERVE || shstrndx >= e->shnum)
    return "bad section header table size, count or string index";
  if (e->shoff > e->len || (e->len - e->shoff) / SHDR_SIZE < e->shnum)
    return "section header table outside the file";
  vep_elf_section str = raw_section(e, shstrndx);
  if (str.type != SHT_STRTAB || str.size == 0 || str.offset > e->len ||
      str.size > e->len - str.offset || e->obj[str.offset + str.size - 1] != 0)
    return "bad section name string table";
  e->names = (const char *)e->obj + str.offset;
  e->names_size = str.size;
  return NULL;
}

/* elf_sections: contents inside the file, names inside the string table,
 * executable sections PROGBITS with a size that is a multiple of 8, at
 * most one of them `.text` (functions), relocation sections with a valid
 * target. NULL, or what is malformed. */
static const char *elf_sections(vep_elf *e) {
  for (uint32_t i = 1; i < e->shnum; i++) {
    vep_elf_section s = raw_section(e, i);
    if (name_offset(e, i) >= e->names_size)
      return "section name outside the string table";
    if (s.type != SHT_NOBITS && s.type != SHT_NULL &&
        (s.offset > e->len || s.size > e->len - s.offset))
      return "section contents outside the file";
    if (executable(&s) && (s.type != SHT_PROGBITS || s.size % 8 != 0))
      return "executable section is not PROGBITS of 8-byte instructions";
    if ((s.type == SHT_REL || s.type == SHT_RELA) &&
        (s.info == 0 || s.info >= e->shnum))
      return "relocation section with a bad target section";
    if (executable(&s) && !strcmp(e->names + name_offset(e, i), ".text")) {
      if (e->text)
        return "two .text sections";
      e->text = i;
    }
  }
  return NULL;
}

vep_status vep_elf_read(vep_elf *e, const uint8_t *obj, size_t len,
                        vep_result *res) {
  *e = (vep_elf){.obj = obj, .len = obj ? len : 0};
  const char *why;
  if ((why = elf_header(e)))
    return fail(res, VEP_MALFORMED, "elf_header", NULL, 0, why);
  if ((why = elf_sections(e)))
    return fail(res, VEP_MALFORMED, "elf_sections", NULL, 0, why);
  return VEP_ACCEPTED;
}

/* Its contents lie inside the file: vep_elf_read checked every section's
 * (elf_sections). */
const char *vep_elf_embedded_proof(const vep_elf *e, const uint8_t **data,
                                   size_t *size) {
  uint32_t at = vep_elf_find_section(e, VEP_PROOF_SECTION, 0);
  *data = NULL;
  if (!at)
    return NULL;
  if (vep_elf_find_section(e, VEP_PROOF_SECTION, at))
    return "more than one .vep.proof section";
  vep_elf_section s = vep_elf_section_at(e, at);
  if (s.type != 1 /* SHT_PROGBITS */)
    return ".vep.proof is not SHT_PROGBITS";
  *data = e->obj + s.offset;
  *size = (size_t)s.size;
  return NULL;
}

uint32_t vep_elf_find_section(const vep_elf *e, const char *name,
                              uint32_t after) {
  for (uint32_t i = after + 1; i < e->shnum; i++)
    if (!strcmp(e->names + name_offset(e, i), name))
      return i;
  return 0;
}

uint64_t vep_elf_n_symbols(const vep_elf *e, uint32_t tab) {
  if (tab == 0 || tab >= e->shnum)
    return 0;
  vep_elf_section sym = raw_section(e, tab);
  if (sym.type != SHT_SYMTAB || sym.size % SYM_SIZE || sym.link == 0 ||
      sym.link >= e->shnum)
    return 0;
  return sym.size / SYM_SIZE;
}

/* NUL-terminated string at `off` of a string table section, or NULL. */
static const char *str_at(const vep_elf *e, const vep_elf_section *tab,
                          uint64_t off) {
  if (tab->type != SHT_STRTAB || off >= tab->size)
    return NULL;
  const char *s = (const char *)e->obj + tab->offset;
  return memchr(s + off, 0, tab->size - off) ? s + off : NULL;
}

const char *vep_elf_symbol_at(const vep_elf *e, uint32_t tab, uint64_t k,
                              vep_elf_symbol *out) {
  uint64_t n = vep_elf_n_symbols(e, tab);
  if (n == 0)
    return "malformed symbol table";
  if (k == 0 || k >= n)
    return "symbol index out of range";
  vep_elf_section sym = raw_section(e, tab);
  const uint8_t *p = e->obj + sym.offset + k * SYM_SIZE;
  vep_elf_section names = raw_section(e, sym.link);
  *out = (vep_elf_symbol){.name = str_at(e, &names, read_le(p, 4)),
                          .value = read_le(p + 8, 8),
                          .size = read_le(p + 16, 8),
                          .shndx = (uint32_t)read_le(p + 6, 2),
                          .type = p[4] & 0xf};
  return out->name ? NULL : "malformed symbol name";
}

/* The map a relocated lddw loads. A symbol in `.maps` names the map of the
 * table with its name: a pointer to the map (imm 0). A symbol in `.data`,
 * `.bss` or `.rodata` (a global variable, or the section's symbol) is in
 * libbpf's internal map of that section, which the table names by the
 * section: a pointer into its one value at offset st_value + imm (the core
 * checks that it is inside the value). */
static const char *reloc_map(const vep_elf *e, const vep_map_table *maps,
                             const vep_elf_symbol *s, int32_t imm,
                             vep_reloc *out) {
  const char *sec = s->shndx && s->shndx < e->shnum
                        ? vep_elf_section_at(e, s->shndx).name
                        : "";
  bool global =
      !strcmp(sec, ".data") || !strcmp(sec, ".bss") || !strcmp(sec, ".rodata");
  if (!global && strcmp(sec, ".maps"))
    return "relocation symbol is not defined in section .maps, .data, .bss "
           "or .rodata";
  for (uint32_t m = 0; maps && m < maps->n_maps; m++) {
    if (strcmp(maps->maps[m].name, global ? sec : s->name))
      continue;
    if (!global && imm)
      return "map relocation with a nonzero imm";
    /* An offset past int64 is outside every value: -1 says so. */
    __int128 off = (__int128)s->value + imm;
    out->kind = global ? VEP_RELOC_GLOBAL : VEP_RELOC_MAP;
    out->target = m;
    out->offset = !global ? 0 : off > INT64_MAX ? -1 : (int64_t)off;
    return NULL;
  }
  return "relocation against a map that is not in the map table";
}

/* The function a relocated call calls: its symbol is `.text`'s section
 * symbol or a function in `.text`; the target, instruction st_value / 8 +
 * imm + 1 of `.text`, must be a function's first (the core checks it
 * against the proof's function table). */
static const char *reloc_call(const vep_elf *e, const vep_elf_symbol *s,
                              int32_t imm, vep_reloc *out) {
  if (!e->text || s->shndx != e->text ||
      (s->type != STT_FUNC && s->type != STT_SECTION) || s->value % 8)
    return "call relocation against a symbol that is neither .text nor a "
           "function in .text";
  int64_t target = (int64_t)(s->value / 8) + imm + 1;
  if (target < 0 || target > UINT32_MAX)
    return "call target is not the first instruction of a function of the "
           "proof's function table";
  out->kind = VEP_RELOC_CALL;
  out->target = (uint32_t)target;
  return NULL;
}

/* An SHT_REL entry applied to a code section: the entry's 16 bytes and the
 * symbol table its relocation section names. */
typedef struct rel_entry {
  uint64_t offset;
  const uint8_t *p;
  uint32_t symtab;
} rel_entry;

/* One relocation entry against the code k, at an instruction of it (its
 * index in *out): a bpf-to-bpf call (R_BPF_64_32), else an lddw loading a
 * map or a global (R_BPF_64_64). The instruction's shape, and that no
 * instruction is relocated twice, the core checks. NULL, or why not. */
static const char *reloc_entry(const vep_elf *e, const vep_map_table *maps,
                               const rel_entry *r, const vep_code *k,
                               vep_reloc *out) {
  uint64_t info = read_le(r->p + 8, 8);
  uint64_t at = r->offset / 8 - k->first; /* wraps past n_insns if before */
  vep_elf_symbol s;
  if (r->offset % 8 || at >= k->n_insns)
    return "relocation offset is not an lddw or a call of the code";
  const uint8_t *insn = k->insns + at * 8;
  int32_t imm = (int32_t)(uint32_t)read_le(insn + 4, 4);
  bool call = insn[0] == BPF_CALL && insn[1] >> 4 == 1;
  out->insn = (uint32_t)at;
  if ((uint32_t)info != (call ? R_BPF_64_32 : R_BPF_64_64))
    return call ? "call relocation type is not R_BPF_64_32"
                : "relocation type is not R_BPF_64_64";
  if (r->symtab == 0 || r->symtab >= e->shnum)
    return "relocation section without a symbol table";
  const char *why = vep_elf_symbol_at(e, r->symtab, info >> 32, &s);
  return why    ? why
         : call ? reloc_call(e, &s, imm, out)
                : reloc_map(e, maps, &s, imm, out);
}

static const char OUT_OF_MEMORY[] = "out of memory reading the object";

/* Sets res to the refusal of reading code `name`'s relocations. */
static vep_status reloc_fail(vep_result *res, const char *name, uint32_t insn,
                             const char *why) {
  return fail(res, VEP_REJECTED,
              why == OUT_OF_MEMORY ? "limits" : "elf_relocations", name, insn,
              why);
}

static int by_offset(const void *a, const void *b) {
  const rel_entry *x = a, *y = b;
  if (x->offset != y->offset)
    return (x->offset > y->offset) - (x->offset < y->offset);
  return (x->p > y->p) - (x->p < y->p);
}

/* The entries of the SHT_REL sections applied to section sec, by
 * increasing offset, in *out (heap, *out NULL when there are none). NULL,
 * or why not: an SHT_RELA section applied to sec, a size that is not a
 * whole number of entries, no memory. */
static const char *rel_entries(const vep_elf *e, uint32_t sec, rel_entry **out,
                               uint64_t *n) {
  uint64_t count = 0;
  *out = NULL;
  *n = 0;
  for (uint32_t i = 1; i < e->shnum; i++) {
    vep_elf_section s = raw_section(e, i);
    if ((s.type != SHT_REL && s.type != SHT_RELA) || s.info != sec)
      continue;
    if (s.type == SHT_RELA)
      return "SHT_RELA relocations against code are not supported";
    if (s.size % REL_SIZE)
      return "relocation section size not a multiple of 16";
    count += s.size / REL_SIZE;
  }
  if (count == 0)
    return NULL;
  if (!(*out = malloc(count * sizeof **out)))
    return OUT_OF_MEMORY;
  for (uint32_t i = 1; i < e->shnum; i++) {
    vep_elf_section s = raw_section(e, i);
    if (s.type != SHT_REL || s.info != sec)
      continue;
    for (uint64_t r = 0; r < s.size / REL_SIZE; r++) {
      const uint8_t *p = e->obj + s.offset + r * REL_SIZE;
      (*out)[(*n)++] = (rel_entry){read_le(p, 8), p, s.link};
    }
  }
  qsort(*out, *n, sizeof **out, by_offset);
  return NULL;
}

static int by_insn(const void *a, const void *b) {
  uint32_t x = ((const vep_reloc *)a)->insn, y = ((const vep_reloc *)b)->insn;
  return (x > y) - (x < y);
}

/* Rule elf_relocations for code k: the n entries `rels` are its
 * relocations, bound in k->relocs (heap), sorted by instruction. */
static vep_status read_relocs(const vep_elf *e, const vep_map_table *maps,
                              const rel_entry *rels, uint64_t n, vep_code *k,
                              vep_result *res) {
  if (n == 0)
    return VEP_ACCEPTED;
  vep_reloc *relocs = n <= UINT32_MAX ? calloc(n, sizeof *relocs) : NULL;
  if (!relocs)
    return reloc_fail(res, k->name, 0, OUT_OF_MEMORY);
  k->relocs = relocs; /* freed with the image */
  for (uint64_t i = 0; i < n; i++) {
    /* insn 0 when the offset is bad */
    const char *why = reloc_entry(e, maps, &rels[i], k, &relocs[i]);
    if (why)
      return reloc_fail(res, k->name, relocs[i].insn, why);
  }
  qsort(relocs, n, sizeof *relocs, by_insn);
  k->n_relocs = (uint32_t)n;
  return VEP_ACCEPTED;
}

/* The first of the n entries (by increasing offset) at or after `offset`. */
static uint64_t first_at(const rel_entry *rels, uint64_t n, uint64_t offset) {
  uint64_t lo = 0, hi = n;
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (rels[mid].offset < offset)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The relocations of `.text`, read once and given to each function by its
 * extent. An entry that is not an instruction of `.text` rejects, as libbpf
 * refuses it; one in no function's extent is not read, as libbpf skips it
 * (no code it loads holds that instruction; docs/proof-format.md 3.2). */
static vep_status read_text_relocs(const vep_elf *e, const vep_map_table *maps,
                                   vep_code *fns, uint32_t n_fns,
                                   vep_result *res) {
  rel_entry *rels;
  uint64_t n;
  const char *why = rel_entries(e, e->text, &rels, &n);
  uint64_t text_size = raw_section(e, e->text).size;
  for (uint64_t i = 0; !why && i < n; i++)
    if (rels[i].offset % 8 || rels[i].offset >= text_size)
      why = "relocation offset is not an lddw or a call of the code";
  for (uint32_t f = 0; !why && n > 0 && f < n_fns; f++) {
    vep_code *k = &fns[f];
    uint64_t lo = first_at(rels, n, (uint64_t)k->first * 8);
    uint64_t hi = first_at(rels, n, ((uint64_t)k->first + k->n_insns) * 8);
    if (read_relocs(e, maps, rels + lo, hi - lo, k, res) != VEP_ACCEPTED) {
      free(rels);
      return res->status;
    }
  }
  free(rels);
  return why ? reloc_fail(res, ".text", 0, why) : VEP_ACCEPTED;
}

typedef struct fn_symbol {
  uint64_t value, size;
  const char *name;
} fn_symbol;

static int by_value(const void *a, const void *b) {
  uint64_t x = ((const fn_symbol *)a)->value;
  uint64_t y = ((const fn_symbol *)b)->value;
  return (x > y) - (x < y);
}

/* func_table (objects): the functions are the STT_FUNC symbols of `.text`
 * that are the only one at their st_value, with an extent that is a
 * nonempty whole number of instructions inside `.text`; by increasing
 * first instruction, with their relocations. A proof function at any
 * other instruction finds no function (the core rejects it). */
static vep_status read_functions(const vep_elf *e, const vep_map_table *maps,
                                 vep_image *img, vep_result *res) {
  size_t n = 0, cap = 0;
  for (uint32_t i = 1; i < e->shnum && e->text; i++)
    cap += vep_elf_n_symbols(e, i);
  fn_symbol *syms = malloc((cap ? cap : 1) * sizeof *syms);
  vep_code *fns = calloc(cap ? cap : 1, sizeof *fns);
  if (!syms || !fns) {
    free(syms);
    free(fns);
    return fail(res, VEP_REJECTED, "limits", NULL, 0, OUT_OF_MEMORY);
  }
  for (uint32_t i = 1; i < e->shnum && e->text; i++) {
    vep_elf_symbol s;
    for (uint64_t k = 1; k < vep_elf_n_symbols(e, i); k++)
      if (!vep_elf_symbol_at(e, i, k, &s) && s.type == STT_FUNC &&
          s.shndx == e->text)
        syms[n++] = (fn_symbol){s.value, s.size, s.name};
  }
  qsort(syms, n, sizeof *syms, by_value);
  vep_elf_section text =
      e->text ? raw_section(e, e->text) : (vep_elf_section){0};
  img->n_functions = 0;
  for (size_t i = 0; i < n; i++) {
    const fn_symbol *f = &syms[i];
    bool alone = (i == 0 || syms[i - 1].value != f->value) &&
                 (i + 1 == n || syms[i + 1].value != f->value);
    if (!alone || f->value % 8 || f->size == 0 || f->size % 8 ||
        f->size > text.size || f->value > text.size - f->size ||
        f->size / 8 > VEP_MAX_INSNS || f->value / 8 > UINT32_MAX)
      continue;
    fns[img->n_functions++] =
        (vep_code){.name = f->name,
                   .insns = e->obj + text.offset + f->value,
                   .n_insns = (uint32_t)(f->size / 8),
                   .first = (uint32_t)(f->value / 8)};
  }
  free(syms);
  img->functions = fns;
  return img->n_functions
             ? read_text_relocs(e, maps, fns, img->n_functions, res)
             : VEP_ACCEPTED;
}

uint32_t vep_elf_next_program(const vep_elf *e, uint32_t after) {
  for (uint32_t i = after + 1; i < e->shnum; i++) {
    vep_elf_section s = vep_elf_section_at(e, i);
    if (executable(&s) && i != e->text)
      return i;
  }
  return 0;
}

/* The programs: the executable sections other than `.text`, in section
 * header order, with their relocations. */
static vep_status read_programs(const vep_elf *e, const vep_map_table *maps,
                                vep_image *img, vep_result *res) {
  vep_code *progs = calloc(e->shnum, sizeof *progs);
  if (!progs)
    return fail(res, VEP_REJECTED, "limits", NULL, 0, OUT_OF_MEMORY);
  img->programs = progs;
  for (uint32_t i = 0; (i = vep_elf_next_program(e, i));) {
    vep_elf_section s = vep_elf_section_at(e, i);
    uint64_t n = s.size / 8 > UINT32_MAX ? UINT32_MAX : s.size / 8;
    vep_code *p = &progs[img->n_programs++];
    *p = (vep_code){
        .name = s.name, .insns = e->obj + s.offset, .n_insns = (uint32_t)n};
    rel_entry *rels;
    uint64_t n_rels;
    const char *why = rel_entries(e, i, &rels, &n_rels);
    vep_status st = why ? reloc_fail(res, p->name, 0, why)
                        : read_relocs(e, maps, rels, n_rels, p, res);
    free(rels);
    if (st != VEP_ACCEPTED)
      return st;
  }
  return VEP_ACCEPTED;
}

static void free_image(vep_image *img) {
  for (uint32_t i = 0; img->programs && i < img->n_programs; i++)
    free((void *)img->programs[i].relocs);
  for (uint32_t i = 0; img->functions && i < img->n_functions; i++)
    free((void *)img->functions[i].relocs);
  free((void *)img->programs);
  free((void *)img->functions);
}

vep_status vep_check_object(const uint8_t *obj, size_t obj_len,
                            const vep_map_table *maps,
                            const vep_proof_headers *headers,
                            const vep_proof_source *src, vep_arena *arena,
                            vep_result *res) {
  static const vep_image none = {0, NULL, 0, NULL};
  /* The core's reasons for missing arguments and a bad map table, before
   * the object (whose relocations are named from the table). */
  if (!res || !headers || !src || !arena || !src->prove ||
      (maps && vep_map_table_error(maps)))
    return vep_check_image(&none, maps, headers, src, arena, res);
  vep_elf e;
  vep_image img = {0, NULL, 0, NULL};
  *res = (vep_result){0};
  if (vep_elf_read(&e, obj, obj_len, res) != VEP_ACCEPTED)
    return res->status;
  if (read_programs(&e, maps, &img, res) == VEP_ACCEPTED &&
      read_functions(&e, maps, &img, res) == VEP_ACCEPTED)
    vep_check_image(&img, maps, headers, src, arena, res);
  free_image(&img);
  return res->status;
}
