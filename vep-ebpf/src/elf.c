/*===- elf.c - Rules elf_header, elf_sections, elf_relocations, prog_type -===*
 *
 * ELF64, little-endian, EM_BPF, ET_REL. Every offset read from the file is
 * bounds-checked before use; loops run over e_shnum (at most 65535).
 *===----------------------------------------------------------------------===*/
#include "core.h"

enum { EHDR_SIZE = 64, SHDR_SIZE = 64, REL_SIZE = 16, SYM_SIZE = 24 };
enum { EM_BPF = 247, ET_REL = 1, SHF_EXECINSTR = 4, SHN_LORESERVE = 0xff00 };
enum { SHT_NULL, SHT_PROGBITS, SHT_SYMTAB, SHT_STRTAB, SHT_RELA };
enum { SHT_NOBITS = 8, SHT_REL = 9, STT_FUNC = 2, STT_SECTION = 3 };
enum { R_BPF_64_64 = 1, R_BPF_64_32 = 10 };

typedef struct shdr {
  uint32_t name, type, info, link;
  uint64_t flags, offset, size;
} shdr;

static shdr section(const vep_elf *e, uint32_t i) {
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
static const char *elf_header(vep_elf *e) {
  static const uint8_t ident[7] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
  const uint8_t *p = e->obj;
  if (e->len < EHDR_SIZE)
    return "file too short for ELF";
  for (int i = 0; i < 7; i++)
    if (p[i] != ident[i])
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
static const char *elf_sections(vep_elf *e) {
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
    if (executable(&s) && same_name(e->strtab + s.name, ".text")) {
      if (e->text)
        return "two .text sections";
      e->text = i;
    }
  }
  return NULL;
}

/* NUL-terminated string at `off` of a string table section, or NULL. */
static const char *str_at(const vep_elf *e, const shdr *tab, uint64_t off) {
  if (tab->type != SHT_STRTAB || off >= tab->size)
    return NULL;
  const char *s = (const char *)e->obj + tab->offset;
  for (uint64_t i = off; i < tab->size; i++)
    if (!s[i])
      return s + off;
  return NULL;
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
static const char *symbol_at(const vep_elf *e, uint32_t tab, uint64_t k,
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

/* The map a relocated lddw loads. A symbol in `.maps` names a map of the
 * table, of any type (a map pointer is only ever a helper's argument, and
 * each helper row names the types it takes): a pointer to the map (imm 0).
 * A symbol in `.data`, `.bss` or `.rodata` (a global variable, or the
 * section's symbol) is in libbpf's internal map of that section, which the
 * map table names by the section, a map whose values are plain bytes
 * (hash, array and their per-CPU and LRU variants): a pointer into its one
 * value at offset st_value + imm, inside the value as the kernel requires. */
static const char *reloc_map(vep_checker *c, const vep_elf *e, const symbol *s,
                             int32_t imm) {
  const char *sec = s->shndx && s->shndx < e->shnum
                        ? e->strtab + section(e, s->shndx).name
                        : "";
  bool global = same_name(sec, ".data") || same_name(sec, ".bss") ||
                same_name(sec, ".rodata");
  vep_int off = (vep_int)s->value + imm;
  if (!global && !same_name(sec, ".maps"))
    return "relocation symbol is not defined in section .maps, .data, .bss "
           "or .rodata";
  if ((c->n_work += c->maps->n_maps) > VEP_MAX_WORK) /* name comparisons */
    return "limits: more than " VEP_STR(VEP_MAX_WORK) " work units";
  for (uint32_t m = 0; m < c->maps->n_maps; m++) {
    if (!same_name(c->maps->maps[m].name, global ? sec : s->name))
      continue;
    if (!global && imm)
      return "map relocation with a nonzero imm";
    return vep_lddw_map(c, m, global, off);
  }
  return "relocation against a map that is not in the map table";
}

/* The function a relocated call calls: its symbol is `.text`'s section
 * symbol or a function in `.text`; the target st_value / 8 + imm + 1 is
 * the first instruction of a function of the proof's table. */
static const char *reloc_call(vep_checker *c, const vep_elf *e, const symbol *s,
                              int32_t imm) {
  if (!e->text || s->shndx != e->text ||
      (s->type != STT_FUNC && s->type != STT_SECTION) || s->value % 8)
    return "call relocation against a symbol that is neither .text nor a "
           "function in .text";
  int64_t target = (int64_t)(s->value / 8) + imm + 1;
  for (uint32_t k = 0; k < c->n_fns; k++)
    if (c->fns[k].text_insn == target)
      return c->reloc_of[c->pc] = k + 1, NULL;
  return "call target is not the first instruction of a function of the "
         "proof's function table";
}

/* One relocation entry against the code: an lddw with src 0 and the
 * second imm 0 loading a map pointer or a global, or a bpf-to-bpf call; each
 * instruction relocated once. Entries of `.text` outside a function's
 * extent belong to other functions (*skip). */
static const char *reloc_entry(vep_checker *c, const vep_elf *e,
                               const shdr *rel, const uint8_t *p,
                               const vep_program *code) {
  uint64_t off = read_le(p, 8), info = read_le(p + 8, 8);
  uint64_t at = off / 8 - code->first; /* wraps past n_insns if before */
  symbol s;
  if (off % 8 == 0 && at >= c->n_insns && code->section == e->text)
    return NULL;
  if (off % 8 || at >= c->n_insns)
    return "relocation offset is not an lddw or a call of the code";
  c->pc = (uint32_t)at;
  vep_insn in = vep_decode(c->insns, c->pc);
  bool call = in.code == (CLS_JMP | J_CALL) && in.src == 1;
  if (!call && (in.code != LDDW || at + 1 >= c->n_insns || in.src != 0 ||
                vep_decode(c->insns, c->pc + 1).imm != 0))
    return "relocated instruction is not an lddw with src 0 and second imm 0 "
           "(nor a bpf-to-bpf call)";
  if (c->reloc_of[c->pc])
    return "instruction relocated twice";
  if ((uint32_t)info != (call ? R_BPF_64_32 : R_BPF_64_64))
    return call ? "call relocation type is not R_BPF_64_32"
                : "relocation type is not R_BPF_64_64";
  const char *why = symbol_at(e, rel->link, info >> 32, &s);
  return why    ? why
         : call ? reloc_call(c, e, &s, in.imm)
                : reloc_map(c, e, &s, in.imm);
}

bool vep_elf_relocs(vep_checker *c, const vep_elf *e, const vep_program *p) {
  c->reloc_of = vep_alloc(c, (size_t)c->n_insns * sizeof *c->reloc_of, 4);
  if (!c->reloc_of)
    return false;
  for (uint32_t i = 0; i < c->n_insns; i++)
    c->reloc_of[i] = 0;
  for (uint32_t i = 1; i < e->shnum; i++) {
    shdr s = section(e, i);
    if ((s.type != SHT_REL && s.type != SHT_RELA) || s.info != p->section)
      continue;
    if (s.type == SHT_RELA)
      return vep_reject(c, "elf_relocations",
                        "SHT_RELA relocations against code are not supported");
    if (s.size % REL_SIZE)
      return vep_reject(c, "elf_relocations",
                        "relocation section size not a multiple of 16");
    for (uint64_t r = 0; r < s.size / REL_SIZE; r++) {
      const char *why =
          reloc_entry(c, e, &s, e->obj + s.offset + r * REL_SIZE, p);
      if (why)
        return vep_reject(c, "elf_relocations", "%s", why);
    }
  }
  c->pc = 0;
  return true;
}

/* func_table (objects): the first STT_FUNC symbol in `.text` at text_insn,
 * the only one there, its extent a nonempty whole number of instructions
 * inside `.text`. */
bool vep_elf_function(const vep_elf *e, uint32_t text_insn, vep_program *p) {
  uint32_t found = 0;
  for (uint32_t i = 1; i < e->shnum && e->text; i++) {
    shdr tab = section(e, i), text = section(e, e->text);
    symbol s;
    for (uint64_t k = 1; tab.type == SHT_SYMTAB && k < tab.size / SYM_SIZE;
         k++) {
      if (symbol_at(e, i, k, &s) || s.type != STT_FUNC || s.shndx != e->text ||
          s.value != (uint64_t)text_insn * 8)
        continue;
      if (found++ || s.size == 0 || s.size % 8 || s.size > text.size ||
          s.value > text.size - s.size || s.size / 8 > VEP_MAX_INSNS)
        return false;
      *p = (vep_program){.name = s.name,
                         .insns = e->obj + text.offset + s.value,
                         .n_insns = (uint32_t)(s.size / 8),
                         .section = e->text,
                         .first = text_insn};
    }
  }
  return found == 1;
}

/* prog_type: every program has a known type, a short name, a size limit. */
static vep_status prog_types(const vep_elf *e, vep_result *res) {
  uint32_t idx = 0, count = 0;
  vep_program p;
  while (vep_elf_next_program(e, &idx, &p)) {
    idx++;
    size_t len = 0;
    while (p.name[len] && len <= VEP_MAX_NAME)
      len++;
    vep_set_program(res, p.name);
    if (len > VEP_MAX_NAME)
      return vep_set_reason(
          res, VEP_REJECTED, "prog_type",
          "section name longer than " VEP_STR(VEP_MAX_NAME) " bytes");
    if (!vep_find_prog_type(p.name))
      return vep_set_reason(
          res, VEP_REJECTED, "prog_type",
          "unknown program type (docs/proof-format.md, section 3)");
    if (p.n_insns > VEP_MAX_INSNS)
      return vep_set_reason(
          res, VEP_REJECTED, "limits",
          "program longer than " VEP_STR(VEP_MAX_INSNS) " insns");
    if (++count > VEP_MAX_PROGRAMS)
      return vep_set_reason(res, VEP_REJECTED, "limits",
                            "more than " VEP_STR(VEP_MAX_PROGRAMS) " programs");
  }
  res->program[0] = 0;
  if (count == 0)
    return vep_set_reason(res, VEP_REJECTED, "prog_type",
                          "object contains no programs");
  return VEP_ACCEPTED;
}

vep_status vep_elf_open(vep_elf *e, const uint8_t *obj, size_t len,
                        vep_result *res) {
  const char *why;
  e->obj = obj;
  e->len = obj ? len : 0;
  e->text = 0;
  if ((why = elf_header(e)))
    return vep_set_reason(res, VEP_MALFORMED, "elf_header", why);
  if ((why = elf_sections(e)))
    return vep_set_reason(res, VEP_MALFORMED, "elf_sections", why);
  return prog_types(e, res);
}

bool vep_elf_next_program(const vep_elf *e, uint32_t *idx, vep_program *p) {
  for (uint32_t i = *idx ? *idx : 1; i < e->shnum; i++) {
    shdr s = section(e, i);
    if (!executable(&s) || i == e->text)
      continue;
    uint64_t n = s.size / 8 > UINT32_MAX ? UINT32_MAX : s.size / 8;
    *idx = i;
    *p = (vep_program){.name = e->strtab + s.name,
                       .insns = e->obj + s.offset,
                       .n_insns = (uint32_t)n,
                       .section = i};
    return true;
  }
  return false;
}

/* ---- Program types: data, not code paths --------------------------------
 * Section names as libbpf maps them to BPF_PROG_TYPE_XDP, _SCHED_CLS,
 * _SOCKET_FILTER, _KPROBE, _TRACEPOINT, _RAW_TRACEPOINT, _SOCK_OPS and
 * _PERF_EVENT. Contexts: struct
 * xdp_md { u32 data, data_end, data_meta, ingress_ifindex, rx_queue_index,
 * egress_ifindex; } and the u32 fields of struct __sk_buff up to data_end
 * (linux/bpf.h), readable and writable as net/core/filter.c allows
 * (tc_cls_act_is_valid_access, sk_filter_is_valid_access) or less. */
static const vep_ctx_field xdp_md[] = {
    {0, FIELD_PACKET, PT_XDP, 0, "data", 0},
    {4, FIELD_PACKET_END, PT_XDP, 0, "data_end", 0},
    {8, FIELD_SCALAR32, 0, 0, "data_meta", 0},
    {12, FIELD_SCALAR32, PT_XDP, 0, "ingress_ifindex", 0},
    {16, FIELD_SCALAR32, PT_XDP, 0, "rx_queue_index", 0},
    {20, FIELD_SCALAR32, PT_XDP, 0, "egress_ifindex", 0},
};

static const vep_ctx_field sk_buff[] = {
    {0, FIELD_SCALAR32, PT_SKB, 0, "len", 0},
    {4, FIELD_SCALAR32, PT_SKB, 0, "pkt_type", 0},
    {8, FIELD_SCALAR32, PT_SKB, PT_TC, "mark", 0},
    {12, FIELD_SCALAR32, PT_SKB, 0, "queue_mapping..vlan_proto", 4},
    {32, FIELD_SCALAR32, PT_SKB, PT_TC, "priority", 0},
    {36, FIELD_SCALAR32, PT_SKB, 0, "ingress_ifindex, ifindex", 1},
    {44, FIELD_SCALAR32, PT_SKB, PT_TC, "tc_index", 0},
    {48, FIELD_SCALAR32, PT_SKB, PT_SKB, "cb[]", 4},
    {68, FIELD_SCALAR32, PT_SKB, 0, "hash", 0},
    {72, FIELD_SCALAR32, PT_TC, PT_TC, "tc_classid", 0},
    {76, FIELD_PACKET, PT_TC, 0, "data", 0},
    {80, FIELD_PACKET_END, PT_TC, 0, "data_end", 0},
};

/* struct bpf_sock_ops as Linux 6.18 lets sock_ops programs access it
 * (sock_ops_is_valid_access, established by loading probes): 4-byte loads
 * of its u32 fields, 8-byte ones of its u64 fields, 4-byte stores of reply
 * and sk_txhash only (not of replylong[1..3]). Not modelled: the socket
 * and packet pointers (sk, skb_data, skb_data_end), the narrow loads of
 * skb_tcp_flags. Rows with a count stand for adjacent fields alike. */
static const vep_ctx_field bpf_sock_ops[] = {
    {0, FIELD_SCALAR32, PT_SOCK_OPS, 0, "op", 0},
    {4, FIELD_SCALAR32, PT_SOCK_OPS, PT_SOCK_OPS, "reply", 0},
    {8, FIELD_SCALAR32, PT_SOCK_OPS, 0, "replylong[1..3], family..sacked_out",
     38},
    {164, FIELD_SCALAR32, PT_SOCK_OPS, PT_SOCK_OPS, "sk_txhash", 0},
    {168, FIELD_SCALAR64, PT_SOCK_OPS, 0, "bytes_received, bytes_acked", 1},
    {208, FIELD_SCALAR32, PT_SOCK_OPS, 0, "skb_len, skb_tcp_flags", 1},
    {216, FIELD_SCALAR64, PT_SOCK_OPS, 0, "skb_hwtstamp", 0},
};

/* struct bpf_perf_event_data, read-only (pe_prog_is_valid_access): x86-64's
 * pt_regs by 8-byte loads, sample_period and addr (narrow loads of these
 * two, which the kernel allows, are not modelled). */
static const vep_ctx_field perf_event_data[] = {
    {0, FIELD_SCALAR64, PT_PERF, 0, "regs, sample_period, addr", 22},
};

#define FIELDS(t) t, VEP_LEN(t), 0, 0
#define RECORD(lo, end) NULL, 0, lo, end
/* XDP frames fit in a page (at most 64 KiB); an skb's linear part is
 * bounded only by its u32 length. */
static const vep_prog_type prog_type_table[] = {
    {"xdp", true, "xdp", PT_XDP, 65535, FIELDS(xdp_md)},
    {"tc", false, "tc", PT_TC, VEP_U32_MAX, FIELDS(sk_buff)},
    {"classifier", false, "tc", PT_TC, VEP_U32_MAX, FIELDS(sk_buff)},
    {"socket", false, "socket filter", PT_SOCKET, VEP_U32_MAX, FIELDS(sk_buff)},
    /* Tracing (kernel/trace/bpf_trace.c, *_prog_is_valid_access): x86-64's
     * struct pt_regs (168 bytes; other architectures' are larger), a
     * tracepoint's record after its 8-byte common header up to
     * PERF_MAX_TRACE_SIZE, and raw tracepoints' u64 args[12]. No packet. */
    {"kprobe", false, "kprobe", PT_KPROBE, 0, RECORD(0, 168)},
    {"kretprobe", false, "kprobe", PT_KPROBE, 0, RECORD(0, 168)},
    {"tracepoint", false, "tracepoint", PT_TP, 0, RECORD(8, 2048)},
    {"tp", false, "tracepoint", PT_TP, 0, RECORD(8, 2048)},
    {"raw_tracepoint", false, "raw tracepoint", PT_RAW_TP, 0, RECORD(0, 96)},
    {"raw_tp", false, "raw tracepoint", PT_RAW_TP, 0, RECORD(0, 96)},
    {"sockops", false, "sock_ops", PT_SOCK_OPS, 0, FIELDS(bpf_sock_ops)},
    {"perf_event", false, "perf_event", PT_PERF, 0, FIELDS(perf_event_data)},
};

const vep_prog_type *vep_find_prog_type(const char *section) {
  for (size_t t = 0; t < VEP_LEN(prog_type_table); t++) {
    const vep_prog_type *pt = &prog_type_table[t];
    const char *n = pt->section, *s = section;
    while (*n && *n == *s)
      n++, s++;
    if (!*n && (!*s || *s == '/' || (*s == '.' && pt->dot_suffix)))
      return pt;
  }
  return NULL;
}

vep_prog_type vep_function_type(void) {
  vep_prog_type f = {"", false, "function", 0, 0, NULL, 0, 0, 0};
  for (size_t t = 0; t < VEP_LEN(prog_type_table); t++) {
    f.bit |= prog_type_table[t].bit;
    if (prog_type_table[t].max_len > f.max_len)
      f.max_len = prog_type_table[t].max_len;
  }
  return f;
}
