/*===- object.c - An eBPF ELF object read into the checker's image --------===*
 *
 * Rules elf_header, elf_sections and elf_relocations and the function
 * symbols of func_table (docs/proof-format.md, "Objects"): programs are the
 * executable sections other than `.text`, functions the STT_FUNC symbols of
 * `.text`, relocations the SHT_REL entries against them, each bound to an
 * entry of the map table or to a function's first instruction. Every
 * offset read from the file is bounds-checked before use. The image's
 * arrays come from the heap and are freed before vep_check_object returns.
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

typedef struct elf {
  const uint8_t *obj;
  size_t len;
  uint64_t shoff;
  uint32_t shnum;
  const char *strtab; /* section name string table */
  uint64_t strtab_size;
  uint32_t text; /* the executable section `.text`, or 0 */
} elf;

typedef struct shdr {
  uint32_t name, type, info, link;
  uint64_t flags, offset, size;
} shdr;

/* The n-byte (n <= 8) little-endian number at p. */
static uint64_t read_le(const uint8_t *p, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n; i++)
    v |= (uint64_t)p[i] << (8 * i);
  return v;
}

static shdr section(const elf *e, uint32_t i) {
  const uint8_t *p = e->obj + e->shoff + (uint64_t)i * SHDR_SIZE;
  return (shdr){(uint32_t)read_le(p, 4),
                (uint32_t)read_le(p + 4, 4),
                (uint32_t)read_le(p + 44, 4),
                (uint32_t)read_le(p + 40, 4),
                read_le(p + 8, 8),
                read_le(p + 24, 8),
                read_le(p + 32, 8)};
}

static bool executable(const shdr *s) {
  return (s->flags & SHF_EXECINSTR) && s->size > 0;
}

/* elf_header: identification, type, machine, section header table bounds.
 * NULL, or what is malformed. */
static const char *elf_header(elf *e) {
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
  shdr str = section(e, shstrndx);
  if (str.type != SHT_STRTAB || str.size == 0 || str.offset > e->len ||
      str.size > e->len - str.offset || e->obj[str.offset + str.size - 1] != 0)
    return "bad section name string table";
  e->strtab = (const char *)e->obj + str.offset;
  e->strtab_size = str.size;
  return NULL;
}

/* elf_sections: contents inside the file, names inside the string table,
 * executable sections PROGBITS with a size that is a multiple of 8, at
 * most one of them `.text` (functions), relocation sections with a valid
 * target. NULL, or what is malformed. */
static const char *elf_sections(elf *e) {
  for (uint32_t i = 1; i < e->shnum; i++) {
    shdr s = section(e, i);
    if (s.name >= e->strtab_size)
      return "section name outside the string table";
    if (s.type != SHT_NOBITS && s.type != SHT_NULL &&
        (s.offset > e->len || s.size > e->len - s.offset))
      return "section contents outside the file";
    if (executable(&s) && (s.type != SHT_PROGBITS || s.size % 8 != 0))
      return "executable section is not PROGBITS of 8-byte instructions";
    if ((s.type == SHT_REL || s.type == SHT_RELA) &&
        (s.info == 0 || s.info >= e->shnum))
      return "relocation section with a bad target section";
    if (executable(&s) && !strcmp(e->strtab + s.name, ".text")) {
      if (e->text)
        return "two .text sections";
      e->text = i;
    }
  }
  return NULL;
}

/* NUL-terminated string at `off` of a string table section, or NULL. */
static const char *str_at(const elf *e, const shdr *tab, uint64_t off) {
  if (tab->type != SHT_STRTAB || off >= tab->size)
    return NULL;
  const char *s = (const char *)e->obj + tab->offset;
  return memchr(s + off, 0, tab->size - off) ? s + off : NULL;
}

typedef struct symbol {
  const char *name;
  uint64_t value, size;
  uint32_t shndx;
  uint8_t type; /* STT_* */
} symbol;

/* Symbol k of the symbol table section `tab`: a symbol table of 24-byte
 * entries with a string table, k in 1..n-1, a NUL-terminated name. NULL
 * and *why when not. */
static const char *symbol_at(const elf *e, uint32_t tab, uint64_t k,
                             symbol *out) {
  if (tab == 0 || tab >= e->shnum)
    return "relocation section without a symbol table";
  shdr sym = section(e, tab);
  if (sym.type != SHT_SYMTAB || sym.size % SYM_SIZE || sym.link == 0 ||
      sym.link >= e->shnum)
    return "malformed symbol table";
  if (k == 0 || k >= sym.size / SYM_SIZE)
    return "relocation symbol index out of range";
  const uint8_t *p = e->obj + sym.offset + k * SYM_SIZE;
  shdr names = section(e, sym.link);
  *out = (symbol){.name = str_at(e, &names, read_le(p, 4)),
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
static const char *reloc_map(const elf *e, const vep_map_table *maps,
                             const symbol *s, int32_t imm, vep_reloc *out) {
  const char *sec = s->shndx && s->shndx < e->shnum
                        ? e->strtab + section(e, s->shndx).name
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
static const char *reloc_call(const elf *e, const symbol *s, int32_t imm,
                              vep_reloc *out) {
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

/* One relocation entry against the code k, at an instruction of it (its
 * index in *out): a bpf-to-bpf call (R_BPF_64_32), else an lddw loading a
 * map or a global (R_BPF_64_64). The instruction's shape, and that no
 * instruction is relocated twice, the core checks. NULL, or why not. */
static const char *reloc_entry(const elf *e, const vep_map_table *maps,
                               const shdr *rel, const uint8_t *p,
                               const vep_code *k, vep_reloc *out) {
  uint64_t off = read_le(p, 8), info = read_le(p + 8, 8);
  uint64_t at = off / 8 - k->first; /* wraps past n_insns if before */
  symbol s;
  if (off % 8 || at >= k->n_insns)
    return "relocation offset is not an lddw or a call of the code";
  const uint8_t *insn = k->insns + at * 8;
  int32_t imm = (int32_t)(uint32_t)read_le(insn + 4, 4);
  bool call = insn[0] == BPF_CALL && insn[1] >> 4 == 1;
  out->insn = (uint32_t)at;
  if ((uint32_t)info != (call ? R_BPF_64_32 : R_BPF_64_64))
    return call ? "call relocation type is not R_BPF_64_32"
                : "relocation type is not R_BPF_64_64";
  const char *why = symbol_at(e, rel->link, info >> 32, &s);
  return why    ? why
         : call ? reloc_call(e, &s, imm, out)
                : reloc_map(e, maps, &s, imm, out);
}

/* Sets res to the rejection "rule: why" at instruction insn of `name`
 * (NULL: none); returns its status. */
static vep_status fail(vep_result *res, vep_status st, const char *rule,
                       const char *name, uint32_t insn, const char *why) {
  res->status = st;
  res->insn = insn;
  snprintf(res->program, sizeof res->program, "%s", name ? name : "");
  snprintf(res->reason, sizeof res->reason, "%s: %s", rule, why);
  return st;
}

static int by_insn(const void *a, const void *b) {
  uint32_t x = ((const vep_reloc *)a)->insn, y = ((const vep_reloc *)b)->insn;
  return (x > y) - (x < y);
}

/* Rule elf_relocations for code k of section sec: its relocations, sorted
 * by instruction, in k->relocs (heap). Entries of `.text` outside a
 * function's extent belong to other functions. */
static vep_status read_relocs(const elf *e, const vep_map_table *maps,
                              uint32_t sec, vep_code *k, vep_result *res) {
  vep_reloc *relocs = NULL;
  uint32_t n = 0, cap = 0;
  const char *why = NULL;
  uint32_t at = 0;
  for (uint32_t i = 1; i < e->shnum && !why; i++) {
    shdr s = section(e, i);
    if ((s.type != SHT_REL && s.type != SHT_RELA) || s.info != sec)
      continue;
    if (s.type == SHT_RELA)
      why = "SHT_RELA relocations against code are not supported";
    else if (s.size % REL_SIZE)
      why = "relocation section size not a multiple of 16";
    for (uint64_t r = 0; !why && r < s.size / REL_SIZE; r++) {
      const uint8_t *p = e->obj + s.offset + r * REL_SIZE;
      uint64_t off = read_le(p, 8);
      if (sec == e->text && off % 8 == 0 && off / 8 - k->first >= k->n_insns)
        continue;
      if (n == cap) {
        cap = cap ? 2 * cap : 8;
        vep_reloc *more = realloc(relocs, (size_t)cap * sizeof *relocs);
        if (!more) {
          free(relocs);
          return fail(res, VEP_REJECTED, "limits", k->name, 0,
                      "out of memory reading the object");
        }
        relocs = more;
      }
      relocs[n] = (vep_reloc){0}; /* insn 0 when the offset is bad */
      why = reloc_entry(e, maps, &s, p, k, &relocs[n]);
      at = relocs[n++].insn;
    }
  }
  if (why) {
    free(relocs);
    return fail(res, VEP_REJECTED, "elf_relocations", k->name, at, why);
  }
  if (n)
    qsort(relocs, n, sizeof *relocs, by_insn);
  k->relocs = relocs;
  k->n_relocs = n;
  return VEP_ACCEPTED;
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
static vep_status read_functions(const elf *e, const vep_map_table *maps,
                                 vep_image *img, vep_result *res) {
  size_t n = 0, cap = 0;
  for (uint32_t i = 1; i < e->shnum && e->text; i++) {
    shdr tab = section(e, i);
    cap += tab.type == SHT_SYMTAB ? tab.size / SYM_SIZE : 0;
  }
  fn_symbol *syms = malloc((cap ? cap : 1) * sizeof *syms);
  vep_code *fns = malloc((cap ? cap : 1) * sizeof *fns);
  if (!syms || !fns) {
    free(syms);
    free(fns);
    return fail(res, VEP_REJECTED, "limits", NULL, 0,
                "out of memory reading the object");
  }
  for (uint32_t i = 1; i < e->shnum && e->text; i++) {
    shdr tab = section(e, i);
    symbol s;
    for (uint64_t k = 1; tab.type == SHT_SYMTAB && k < tab.size / SYM_SIZE; k++)
      if (!symbol_at(e, i, k, &s) && s.type == STT_FUNC && s.shndx == e->text)
        syms[n++] = (fn_symbol){s.value, s.size, s.name};
  }
  qsort(syms, n, sizeof *syms, by_value);
  shdr text = e->text ? section(e, e->text) : (shdr){0};
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
  for (uint32_t i = 0; i < img->n_functions; i++)
    if (read_relocs(e, maps, e->text, &fns[i], res) != VEP_ACCEPTED)
      return res->status;
  return VEP_ACCEPTED;
}

/* The programs: the executable sections other than `.text`, in section
 * header order, with their relocations. */
static vep_status read_programs(const elf *e, const vep_map_table *maps,
                                vep_image *img, vep_result *res) {
  vep_code *progs = calloc(e->shnum, sizeof *progs);
  if (!progs)
    return fail(res, VEP_REJECTED, "limits", NULL, 0,
                "out of memory reading the object");
  img->programs = progs;
  for (uint32_t i = 1; i < e->shnum; i++) {
    shdr s = section(e, i);
    if (!executable(&s) || i == e->text)
      continue;
    uint64_t n = s.size / 8 > UINT32_MAX ? UINT32_MAX : s.size / 8;
    vep_code *p = &progs[img->n_programs++];
    *p = (vep_code){.name = e->strtab + s.name,
                    .insns = e->obj + s.offset,
                    .n_insns = (uint32_t)n};
    if (read_relocs(e, maps, i, p, res) != VEP_ACCEPTED)
      return res->status;
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
                            const vep_header_source *headers,
                            const vep_proof_source *src, vep_arena *arena,
                            vep_result *res) {
  static const vep_image none = {0, NULL, 0, NULL};
  /* The core's reasons for missing arguments and a bad map table, before
   * the object (whose relocations are named from the table). */
  if (!res || !headers || !src || !arena || !headers->program || !src->prove ||
      (maps && vep_map_table_error(maps)))
    return vep_check_image(&none, maps, headers, src, arena, res);
  elf e = {.obj = obj, .len = obj ? obj_len : 0};
  vep_image img = {0, NULL, 0, NULL};
  const char *why;
  *res = (vep_result){0};
  if ((why = elf_header(&e)))
    return fail(res, VEP_MALFORMED, "elf_header", NULL, 0, why);
  if ((why = elf_sections(&e)))
    return fail(res, VEP_MALFORMED, "elf_sections", NULL, 0, why);
  if (read_programs(&e, maps, &img, res) == VEP_ACCEPTED &&
      read_functions(&e, maps, &img, res) == VEP_ACCEPTED)
    vep_check_image(&img, maps, headers, src, arena, res);
  free_image(&img);
  return res->status;
}
