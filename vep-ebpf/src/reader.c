/*===- reader.c - Checking mode: the proof file as a proof source ----------===*
 *
 * Layout (docs/proof-format.md, "Byte layout"): a fixed 20-byte header, the
 * function table, the program table, the answer stream. Every read is
 * bounds-checked; integers are LEB128 in their shortest form (anything else
 * is malformed; signed ones zigzag-encoded), so one proof has exactly one
 * encoding.
 *===----------------------------------------------------------------------===*/
#include "core.h"

enum { HEADER_SIZE = 20 };

typedef struct cursor {
  const uint8_t *p;
  size_t len, pos;
  const char *why;
} cursor;

static bool fail(cursor *c, const char *why) {
  if (!c->why)
    c->why = why;
  return false;
}

static bool get_u8(cursor *c, uint8_t *out) {
  if (c->pos >= c->len)
    return fail(c, "truncated proof");
  *out = c->p[c->pos++];
  return true;
}

static bool get_u64(cursor *c, uint64_t *out) {
  if (c->len - c->pos < 8)
    return fail(c, "truncated proof");
  *out = read_le(c->p + c->pos, 8);
  c->pos += 8;
  return true;
}

/* LEB128 of a number below 2^128, shortest form, value <= max. At most 19
 * bytes: the 19th holds bits 126 and 127 alone and ends the number. */
static bool get_leb(cursor *c, unsigned __int128 max, unsigned __int128 *out) {
  unsigned __int128 v = 0;
  uint8_t b = 0x80;
  for (unsigned shift = 0; b & 0x80; shift += 7) {
    if (!get_u8(c, &b))
      return false;
    if (shift == 126 && (b & 0xfc))
      return fail(c, "LEB128 value too large");
    if (b == 0 && shift > 0)
      return fail(c, "LEB128 value not in shortest form");
    v |= (unsigned __int128)(b & 0x7f) << shift;
  }
  if (v > max)
    return fail(c, "integer out of range");
  *out = v;
  return true;
}

/* An unsigned number up to max < 2^64. */
static bool get_uleb(cursor *c, uint64_t max, uint64_t *out) {
  unsigned __int128 v = 0;
  bool ok = get_leb(c, max, &v);
  *out = (uint64_t)v;
  return ok;
}

/* Unsigned LEB128 up to UINT32_MAX (an index or a variable). */
static bool get_u32(cursor *c, uint32_t *out) {
  uint64_t v;
  if (!get_uleb(c, UINT32_MAX, &v))
    return false;
  *out = (uint32_t)v;
  return true;
}

/* A signed 128-bit number, zigzag-encoded: n >= 0 as 2n, n < 0 as
 * -2n - 1 (so small magnitudes of either sign take few bytes). */
static bool get_sleb(cursor *c, vep_int *out) {
  unsigned __int128 v = 0;
  bool ok = get_leb(c, ~(unsigned __int128)0, &v);
  *out = (vep_int)(v >> 1) ^ -(vep_int)(v & 1);
  return ok;
}

/* A signed value that must fit in int16_t. */
static bool get_i16(cursor *c, int16_t *out) {
  vep_int v;
  if (!get_sleb(c, &v))
    return false;
  if (v < INT16_MIN || v > INT16_MAX)
    return fail(c, "integer out of range");
  *out = (int16_t)v;
  return true;
}

/* Reads one item of an array into `out` (nested arrays are stored only
 * when `a` is set); every failure sets c->why. */
typedef bool (*get_item)(cursor *c, vep_arena *a, void *out);
typedef union any_item {
  vep_lin_term term;
  vep_lin form;
  vep_binding binding;
  vep_ghost ghost;
  vep_cut_point cut;
  vep_function_header function;
  vep_cert_entry entry;
  vep_cert_step step;
} any_item;

/* n:uleb (<= max) item[n]. Returns the items, in an array from `a` when
 * storing (else NULL, as for n == 0); c->why says whether it failed. */
static void *get_array(cursor *c, vep_arena *a, uint64_t max, size_t size,
                       size_t align, get_item get, uint32_t *n_out) {
  uint64_t n = 0;
  any_item scratch;
  uint8_t *items = NULL;
  if (!c->why && get_uleb(c, max, &n) && a && n)
    items = vep_arena_alloc(a, n * size, align);
  if (a && n && !items)
    fail(c, "arena exhausted");
  for (uint64_t i = 0; i < n && !c->why; i++)
    get(c, a, items ? items + i * size : (uint8_t *)&scratch);
  *n_out = (uint32_t)n;
  return items;
}
#define GET_ARRAY(c, a, max, type, get, n)                                     \
  get_array(c, a, max, sizeof(type), _Alignof(type), get, n)

static bool get_term(cursor *c, vep_arena *a, void *out) {
  vep_lin_term *t = out;
  (void)a;
  return get_u32(c, &t->var) && get_sleb(c, &t->coeff);
}

/* form := constant:sleb n_terms:uleb (var:uleb coeff:sleb)[n_terms] */
static bool get_form(cursor *c, vep_arena *a, void *out) {
  vep_lin *f = out;
  if (!get_sleb(c, &f->constant))
    return false;
  f->terms =
      GET_ARRAY(c, a, VEP_MAX_TERMS, vep_lin_term, get_term, &f->n_terms);
  return !c->why;
}

/* binding := kind:uleb where:sleb [map:uleb, for kinds 5 and 6]
 *            [writes:u8, for kind 6] form */
static bool get_binding(cursor *c, vep_arena *a, void *out) {
  vep_binding *b = out;
  uint64_t kind, map = 0;
  uint8_t writes = 0;
  if (!get_uleb(c, UINT8_MAX, &kind) || !get_i16(c, &b->where) ||
      ((kind == VEP_BIND_MAP_VALUE || kind == VEP_BIND_BUF) &&
       !get_uleb(c, VEP_MAX_MAPS - 1, &map)) ||
      (kind == VEP_BIND_BUF && !get_u8(c, &writes)) ||
      !get_form(c, a, &b->form))
    return false;
  b->kind = (uint8_t)kind;
  b->map = (uint32_t)map;
  b->writes = writes;
  return writes <= 1 || fail(c, "writes is neither 0 nor 1");
}

/* ghost := loop:uleb form */
static bool get_ghost(cursor *c, vep_arena *a, void *out) {
  vep_ghost *g = out;
  uint64_t loop = 0;
  bool ok = get_uleb(c, UINT32_MAX, &loop) && get_form(c, a, &g->form);
  g->loop = (uint32_t)loop;
  return ok;
}

/* cut := insn:uleb n_exists:uleb n_bindings:uleb binding[n_bindings]
 *        n_facts:uleb form[n_facts] n_ghosts:uleb ghost[n_ghosts]
 *        has_rank:u8 [rank:form] init_lo:sleb init_hi:sleb */
static bool get_cut(cursor *c, vep_arena *a, void *out) {
  static const vep_lin zero;
  vep_cut_point *k = out;
  uint64_t insn, ne;
  uint8_t has_rank = 0;
  if (!get_uleb(c, UINT32_MAX, &insn) || !get_uleb(c, VEP_MAX_CUT_EXISTS, &ne))
    return false;
  k->insn = (uint32_t)insn;
  k->n_exists = (uint32_t)ne;
  k->bindings = GET_ARRAY(c, a, VEP_MAX_CUT_BINDINGS, vep_binding, get_binding,
                          &k->n_bindings);
  k->facts = GET_ARRAY(c, a, VEP_MAX_CUT_FACTS, vep_lin, get_form, &k->n_facts);
  k->ghosts =
      GET_ARRAY(c, a, VEP_MAX_LOOP_DEPTH, vep_ghost, get_ghost, &k->n_ghosts);
  if (c->why || !get_u8(c, &has_rank))
    return false;
  if (has_rank > 1)
    return fail(c, "has_rank is neither 0 nor 1");
  k->has_rank = has_rank;
  k->rank = zero;
  return (!has_rank || get_form(c, a, &k->rank)) && get_i16(c, &k->init_lo) &&
         get_i16(c, &k->init_hi);
}

/* code := insn_hash:u64 n_posts:uleb cut[n_posts] n_cuts:uleb cut[n_cuts] */
static bool get_code(cursor *c, vep_arena *a, vep_program_header *h) {
  if (!get_u64(c, &h->insn_hash))
    return false;
  h->posts =
      GET_ARRAY(c, a, VEP_MAX_POSTS, vep_cut_point, get_cut, &h->n_posts);
  h->cuts = GET_ARRAY(c, a, VEP_MAX_CUTS, vep_cut_point, get_cut, &h->n_cuts);
  return !c->why;
}

/* One program table entry, in *same whether its name is `name` (NULL:
 * none); arrays are stored only when `a` is set. */
static bool get_entry(cursor *c, const char *name, bool *same,
                      vep_program_header *h, vep_arena *a) {
  uint64_t n;
  if (!get_uleb(c, VEP_MAX_NAME, &n) || n == 0 || c->len - c->pos < n)
    return fail(c, "bad or truncated program name");
  *same = name != NULL;
  for (size_t i = 0; i < n; i++, c->pos++) {
    if (c->p[c->pos] == 0)
      return fail(c, "NUL byte in program name");
    *same = *same && name[i] == (char)c->p[c->pos];
  }
  *same = *same && name[n] == 0;
  return get_code(c, a, h);
}

/* function := text_insn:uleb pre:cut code */
static bool get_function(cursor *c, vep_arena *a, void *out) {
  vep_function_header *f = out;
  return get_u32(c, &f->text_insn) && get_cut(c, a, &f->pre) &&
         get_code(c, a, &f->code);
}

/* The function table: n_functions:uleb (<= 256) function[n_functions]. */
#define GET_FUNCTIONS(c, a, n)                                                 \
  GET_ARRAY(c, a, VEP_MAX_FUNCTIONS, vep_function_header, get_function, n)

/* The reader stays failed; the first reason is kept. */
static int reader_fail(vep_proof_reader *r, const char *why) {
  r->error = true;
  r->why = r->why ? r->why : why;
  return -1;
}

static vep_status malformed(vep_proof_reader *r, vep_result *res,
                            const char *why) {
  reader_fail(r, why);
  return vep_proof_reader_finish(r, res);
}

vep_status vep_proof_reader_init(vep_proof_reader *r, const uint8_t *proof,
                                 size_t len, vep_result *res) {
  *r = (vep_proof_reader){0};
  r->proof = proof;
  r->len = proof ? len : 0;
  if (r->len < HEADER_SIZE)
    return malformed(r, res, "proof too short for its header");
  for (int i = 0; i < 8; i++)
    if (proof[i] != (uint8_t)VEP_PROOF_MAGIC[i])
      return malformed(r, res, "bad magic (not a VEP proof)");
  if (read_le(proof + 8, 2) != VEP_PROOF_VERSION_MAJOR)
    return malformed(r, res, "unsupported proof format major version");
  if (read_le(proof + 12, 4) != VEP_PROOF_HELPER_TABLE_VERSION)
    return malformed(r, res, "unknown helper table version");
  r->n_programs = (uint32_t)read_le(proof + 16, 4);
  if (r->n_programs > VEP_MAX_PROGRAMS)
    return malformed(r, res,
                     "more than " VEP_STR(VEP_MAX_PROGRAMS) " programs");
  cursor c = {proof, r->len, HEADER_SIZE, NULL};
  uint32_t n_functions;
  GET_FUNCTIONS(&c, NULL, &n_functions);
  if (c.why)
    return malformed(r, res, c.why);
  r->table_pos = c.pos;
  for (uint32_t i = 0; i < r->n_programs; i++) {
    bool same;
    vep_program_header h;
    if (!get_entry(&c, NULL, &same, &h, NULL))
      return malformed(r, res, c.why);
  }
  r->pos = c.pos;
  return VEP_ACCEPTED;
}

static int reader_program(void *self, const char *name, vep_program_header *out,
                          vep_arena *scratch) {
  vep_proof_reader *r = self;
  bool same;
  if (r->error)
    return -1;
  if (r->n_used == r->n_programs)
    return 0;
  cursor c = {r->proof, r->len, r->table_pos, NULL};
  if (!get_entry(&c, name, &same, out, scratch))
    return reader_fail(r, c.why);
  if (!same)
    return 0;
  r->table_pos = c.pos;
  r->n_used++;
  return 1;
}

static int reader_functions(void *self, const vep_function_header **out,
                            vep_arena *scratch) {
  vep_proof_reader *r = self;
  uint32_t n;
  cursor c = {r->proof, r->len, HEADER_SIZE, NULL};
  if (r->error)
    return -1;
  *out = GET_FUNCTIONS(&c, scratch, &n);
  return c.why ? reader_fail(r, c.why) : (int)n;
}

static bool get_cert_entry(cursor *c, vep_arena *a, void *out) {
  vep_cert_entry *e = out;
  (void)a;
  return get_u32(c, &e->hyp) && get_sleb(c, &e->mult);
}

/* step := op:u8 (COMB, ROUND) goal_mult:sleb n_entries:uleb
 *           (hyp:uleb mult:sleb)[n_entries]
 *         | op:u8 (SPLIT) var:uleb k:sleb */
static bool get_step(cursor *c, vep_arena *a, void *out) {
  vep_cert_step *s = out;
  *s = (vep_cert_step){0};
  if (!get_u8(c, &s->op) || (s->op > VEP_STEP_SPLIT && fail(c, "unknown step")))
    return false;
  if (s->op == VEP_STEP_SPLIT)
    return get_u32(c, &s->var) && get_sleb(c, &s->k);
  if (!get_sleb(c, &s->goal_mult))
    return false;
  s->entries = GET_ARRAY(c, a, VEP_MAX_CERT_ENTRIES, vep_cert_entry,
                         get_cert_entry, &s->n_entries);
  return !c->why;
}

/* answer := n_steps:uleb step[n_steps]; no steps: "no certificate" */
static int reader_prove(void *self, const vep_question *q, vep_cert *out,
                        vep_arena *scratch) {
  vep_proof_reader *r = self;
  cursor c = {r->proof, r->len, r->pos, NULL};
  (void)q;
  if (r->error)
    return -1;
  out->steps = GET_ARRAY(&c, scratch, VEP_MAX_CERT_STEPS, vep_cert_step,
                         get_step, &out->n_steps);
  if (c.why)
    return reader_fail(r, c.why);
  r->pos = c.pos;
  return out->n_steps != 0;
}

void vep_proof_reader_sources(vep_proof_reader *r, vep_header_source *headers,
                              vep_proof_source *src) {
  headers->self = r;
  headers->program = reader_program;
  headers->functions = reader_functions;
  src->self = r;
  src->prove = reader_prove;
}

vep_status vep_proof_reader_finish(const vep_proof_reader *r, vep_result *res) {
  if (r->error)
    return vep_set_reason(res, VEP_MALFORMED, "proof_format", r->why);
  if (r->n_used != r->n_programs)
    return vep_set_reason(res, VEP_REJECTED, "proof_entry",
                          "proof lists programs the object does not have");
  if (r->pos != r->len)
    return vep_set_reason(res, VEP_MALFORMED, "proof_format",
                          "trailing bytes after the last answer");
  return VEP_ACCEPTED;
}
