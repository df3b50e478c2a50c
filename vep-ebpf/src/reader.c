/*===- reader.c - Checking mode: the proof file as a proof source ----------===*
 *
 * Layout (docs/proof-format.md, "Byte layout"): a fixed 16-byte header, the
 * function table, the program table, the answer stream. The tables are
 * parsed once, into the headers; the answers one at a time, when asked.
 * Every read is bounds-checked; integers are LEB128 in their shortest form
 * (anything else is malformed; signed ones zigzag-encoded), so one proof has
 * exactly one encoding.
 *===----------------------------------------------------------------------===*/
#include "core.h"

enum { HEADER_SIZE = 16 };

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

/* An unsigned number up to max (a count, an index, a variable, a flag). */
static bool get_u32(cursor *c, uint32_t max, uint32_t *out) {
  unsigned __int128 v = 0;
  bool ok = get_leb(c, max, &v);
  *out = (uint32_t)v;
  return ok;
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

/* Reads one item of an array into `out`; every failure sets c->why. */
typedef bool (*get_item)(cursor *c, vep_arena *a, void *out);

/* n:uleb (<= max) item[n]. Returns the items, in an array from `a` (NULL
 * when n == 0); c->why says whether it failed. */
static void *get_array(cursor *c, vep_arena *a, uint32_t max, size_t size,
                       size_t align, get_item get, uint32_t *n_out) {
  uint32_t n = 0;
  uint8_t *items = NULL;
  if (!c->why && get_u32(c, max, &n) && n &&
      !(items = vep_arena_alloc(a, n * size, align)))
    fail(c, "arena exhausted");
  for (uint32_t i = 0; i < n && !c->why; i++)
    get(c, a, items + i * size);
  *n_out = n;
  return items;
}
#define GET_ARRAY(c, a, max, type, get, n)                                     \
  get_array(c, a, max, sizeof(type), _Alignof(type), get, n)

static bool get_term(cursor *c, vep_arena *a, void *out) {
  vep_lin_term *t = out;
  (void)a;
  return get_u32(c, UINT32_MAX, &t->var) && get_sleb(c, &t->coeff);
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

/* binding := kind:uleb where:sleb [map:uleb, for kinds 5, 6 and 7]
 *            [writes:uleb, for kind 6] form */
static bool get_binding(cursor *c, vep_arena *a, void *out) {
  vep_binding *b = out;
  uint32_t kind, writes = 0;
  b->map = 0;
  if (!get_u32(c, UINT8_MAX, &kind) || !get_i16(c, &b->where) ||
      ((kind == VEP_BIND_MAP_VALUE || kind == VEP_BIND_BUF) &&
       !get_u32(c, VEP_MAX_MAPS - 1, &b->map)) ||
      (kind == VEP_BIND_RINGBUF && !get_u32(c, VEP_MAX_MAP_BYTES, &b->map)) ||
      (kind == VEP_BIND_BUF && !get_u32(c, 1, &writes)))
    return false;
  b->kind = (uint8_t)kind;
  b->writes = writes;
  return get_form(c, a, &b->form);
}

/* ghost := loop:uleb form */
static bool get_ghost(cursor *c, vep_arena *a, void *out) {
  vep_ghost *g = out;
  return get_u32(c, UINT32_MAX, &g->loop) && get_form(c, a, &g->form);
}

/* cut := insn:uleb n_exists:uleb n_bindings:uleb binding[n_bindings]
 *        n_facts:uleb form[n_facts] n_ghosts:uleb ghost[n_ghosts]
 *        has_rank:uleb [rank:form] init_lo:sleb init_hi:sleb */
static bool get_cut(cursor *c, vep_arena *a, void *out) {
  static const vep_lin zero;
  vep_cut_point *k = out;
  uint32_t has_rank = 0;
  if (!get_u32(c, UINT32_MAX, &k->insn) ||
      !get_u32(c, VEP_MAX_CUT_EXISTS, &k->n_exists))
    return false;
  k->bindings = GET_ARRAY(c, a, VEP_MAX_CUT_BINDINGS, vep_binding, get_binding,
                          &k->n_bindings);
  k->facts = GET_ARRAY(c, a, VEP_MAX_CUT_FACTS, vep_lin, get_form, &k->n_facts);
  k->ghosts =
      GET_ARRAY(c, a, VEP_MAX_LOOP_DEPTH, vep_ghost, get_ghost, &k->n_ghosts);
  if (c->why || !get_u32(c, 1, &has_rank))
    return false;
  k->has_rank = has_rank;
  k->rank = zero;
  return (!has_rank || get_form(c, a, &k->rank)) && get_i16(c, &k->init_lo) &&
         get_i16(c, &k->init_hi);
}

/* code := insn_hash:u64 n_posts:uleb cut[n_posts] n_cuts:uleb cut[n_cuts] */
static bool get_code(cursor *c, vep_arena *a, void *out) {
  vep_program_header *h = out;
  if (!get_u64(c, &h->insn_hash))
    return false;
  h->posts =
      GET_ARRAY(c, a, VEP_MAX_POSTS, vep_cut_point, get_cut, &h->n_posts);
  h->cuts = GET_ARRAY(c, a, VEP_MAX_CUTS, vep_cut_point, get_cut, &h->n_cuts);
  return !c->why;
}

/* function := text_insn:uleb pre:cut code */
static bool get_function(cursor *c, vep_arena *a, void *out) {
  vep_function_header *f = out;
  return get_u32(c, UINT32_MAX, &f->text_insn) && get_cut(c, a, &f->pre) &&
         get_code(c, a, &f->code);
}

static bool get_cert_entry(cursor *c, vep_arena *a, void *out) {
  vep_cert_entry *e = out;
  (void)a;
  return get_u32(c, UINT32_MAX, &e->hyp) && get_sleb(c, &e->mult);
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
    return get_u32(c, UINT32_MAX, &s->var) && get_sleb(c, &s->k);
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
  if (r->why)
    return -1;
  out->steps = GET_ARRAY(&c, scratch, VEP_MAX_CERT_STEPS, vep_cert_step,
                         get_step, &out->n_steps);
  r->why = c.why;
  r->pos = c.pos;
  return c.why ? -1 : out->n_steps != 0;
}

static vep_status malformed(vep_proof_reader *r, vep_result *res,
                            const char *why) {
  r->why = why;
  return vep_proof_reader_finish(r, res);
}

/* header := magic:8 major:u16 minor:u16 helper_table_version:u32, then
 * function_table := n:uleb function[n], program_table := n:uleb code[n] */
vep_status vep_proof_reader_init(vep_proof_reader *r, const uint8_t *proof,
                                 size_t len, vep_arena *arena,
                                 vep_result *res) {
  *r = (vep_proof_reader){.proof = proof, .len = proof ? len : 0};
  r->source = (vep_proof_source){r, reader_prove};
  if (!arena)
    return malformed(r, res, "no arena");
  if (r->len < HEADER_SIZE)
    return malformed(r, res, "proof too short for its header");
  for (int i = 0; i < 8; i++)
    if (proof[i] != (uint8_t)VEP_PROOF_MAGIC[i])
      return malformed(r, res, "bad magic (not a VEP proof)");
  if (read_le(proof + 8, 2) != VEP_PROOF_VERSION_MAJOR)
    return malformed(r, res, "unsupported proof format major version");
  if (read_le(proof + 12, 4) != VEP_PROOF_HELPER_TABLE_VERSION)
    return malformed(r, res, "unknown helper table version");
  cursor c = {proof, r->len, HEADER_SIZE, NULL};
  vep_proof_headers *h = &r->headers;
  h->functions = GET_ARRAY(&c, arena, VEP_MAX_FUNCTIONS, vep_function_header,
                           get_function, &h->n_functions);
  h->programs = GET_ARRAY(&c, arena, VEP_MAX_PROGRAMS, vep_program_header,
                          get_code, &h->n_programs);
  if (c.why)
    return malformed(r, res, c.why);
  r->pos = c.pos;
  return VEP_ACCEPTED;
}

vep_status vep_proof_reader_finish(const vep_proof_reader *r, vep_result *res) {
  if (r->why)
    return vep_set_reason(res, VEP_MALFORMED, "proof_format", r->why);
  if (r->pos != r->len)
    return vep_set_reason(res, VEP_MALFORMED, "proof_format",
                          "trailing bytes after the last answer");
  return VEP_ACCEPTED;
}
