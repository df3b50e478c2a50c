/*===- reader.c - Checking mode: the proof file as a proof source ----------===*
 *
 * Layout (docs/proof-format.md, "Byte layout"): a fixed 20-byte header, the
 * function table, the program table, the answer stream. Every read is bounds-checked; integers
 * are LEB128 in their shortest form (anything else is malformed), so one
 * proof has exactly one encoding.
 *===----------------------------------------------------------------------===*/
#include "core.h"

enum { HEADER_SIZE = 20, TAG_NONE = 0, TAG_CERT = 1 };

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

/* Unsigned LEB128, shortest form, value <= max. */
static bool get_uleb(cursor *c, uint64_t max, uint64_t *out) {
  uint64_t v = 0;
  uint8_t b = 0;
  for (unsigned shift = 0;; shift += 7) {
    if (shift > 63)
      return fail(c, "LEB128 value too large");
    if (!get_u8(c, &b))
      return false;
    if (shift == 63 && (b & 0xfe))
      return fail(c, "LEB128 value too large");
    v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      if (b == 0 && shift > 0)
        return fail(c, "LEB128 value not in shortest form");
      break;
    }
  }
  if (v > max)
    return fail(c, "integer out of range");
  *out = v;
  return true;
}

/* Signed LEB128 of a 128-bit integer, shortest form. */
static bool get_sleb(cursor *c, vep_int *out) {
  unsigned __int128 v = 0;
  uint8_t b = 0, prev = 0;
  unsigned shift = 0;
  for (;; shift += 7) {
    prev = b;
    if (!get_u8(c, &b))
      return false;
    if (shift == 126) { /* bits 126, 127, and the sign extension beyond */
      uint8_t top = b & 0x7f;
      if ((b & 0x80) || (top > 0x01 && top < 0x7e))
        return fail(c, "LEB128 value too large");
    }
    v |= (unsigned __int128)(b & 0x7f) << shift;
    if (!(b & 0x80))
      break;
  }
  if (shift > 0 && ((b == 0 && !(prev & 0x40)) || (b == 0x7f && (prev & 0x40))))
    return fail(c, "LEB128 value not in shortest form");
  if (shift + 7 < 128 && (b & 0x40))
    v |= ~(unsigned __int128)0 << (shift + 7);
  *out = (vep_int)v;
  return true;
}

/* Room for n items of `size` bytes from the arena when storing (`a` set);
 * NULL when not storing, when n == 0, or on failure (then c->why is set). */
static void *room(cursor *c, vep_arena *a, uint64_t n, size_t size,
                  size_t align) {
  void *p = a && n ? vep_arena_alloc(a, n * size, align) : NULL;
  if (a && n && !p)
    fail(c, "arena exhausted");
  return p;
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

/* form := constant:sleb n_terms:uleb (var:uleb coeff:sleb)[n_terms] */
static bool get_form(cursor *c, vep_arena *a, vep_lin *f) {
  uint64_t n, var;
  vep_lin_term *t;
  if (!get_sleb(c, &f->constant) || !get_uleb(c, VEP_MAX_TERMS, &n) ||
      (t = room(c, a, n, sizeof *t, _Alignof(vep_lin_term)), c->why))
    return false;
  f->n_terms = (uint32_t)n;
  f->terms = t;
  for (uint64_t i = 0; i < n; i++) {
    vep_int k;
    if (!get_uleb(c, UINT32_MAX, &var) || !get_sleb(c, &k))
      return false;
    if (t)
      t[i].var = (uint32_t)var, t[i].coeff = k;
  }
  return true;
}

/* n forms into *out (allocated when storing). */
static bool get_forms(cursor *c, vep_arena *a, uint64_t max, uint32_t *n_out,
                      const vep_lin **out) {
  uint64_t n;
  vep_lin *fs, f;
  if (!get_uleb(c, max, &n) ||
      (fs = room(c, a, n, sizeof f, _Alignof(vep_lin)), c->why))
    return false;
  for (uint64_t i = 0; i < n; i++) {
    if (!get_form(c, a, &f))
      return false;
    if (fs)
      fs[i] = f;
  }
  *n_out = (uint32_t)n;
  *out = fs;
  return true;
}

/* cut := insn:uleb n_exists:uleb n_bindings:uleb binding[n_bindings]
 *        n_facts:uleb form[n_facts] has_rank:u8 [rank:form]
 *        init_lo:sleb init_hi:sleb
 * binding := kind:uleb where:sleb [map:uleb, for kinds 5 and 6]
 *            [writes:u8, for kind 6] form */
static bool get_cut(cursor *c, vep_arena *a, vep_cut_point *k) {
  uint64_t insn, ne, nb, kind, map;
  uint8_t has_rank;
  vep_binding *bs, b;
  if (!get_uleb(c, UINT32_MAX, &insn) ||
      !get_uleb(c, VEP_MAX_CUT_EXISTS, &ne) ||
      !get_uleb(c, VEP_MAX_CUT_BINDINGS, &nb) ||
      (bs = room(c, a, nb, sizeof b, _Alignof(vep_binding)), c->why))
    return false;
  for (uint64_t i = 0; i < nb; i++) {
    uint8_t writes = 0;
    map = 0;
    if (!get_uleb(c, UINT8_MAX, &kind) || !get_i16(c, &b.where) ||
        ((kind == VEP_BIND_MAP_VALUE || kind == VEP_BIND_BUF) &&
         !get_uleb(c, VEP_MAX_MAPS - 1, &map)) ||
        (kind == VEP_BIND_BUF && !get_u8(c, &writes)) ||
        !get_form(c, a, &b.form))
      return false;
    if (writes > 1)
      return fail(c, "writes is neither 0 nor 1");
    b.kind = (uint8_t)kind;
    b.map = (uint32_t)map;
    b.writes = writes;
    if (bs)
      bs[i] = b;
  }
  k->insn = (uint32_t)insn;
  k->n_exists = (uint32_t)ne;
  k->n_bindings = (uint32_t)nb;
  k->bindings = bs;
  if (!get_forms(c, a, VEP_MAX_CUT_FACTS, &k->n_facts, &k->facts) ||
      !get_u8(c, &has_rank))
    return false;
  if (has_rank > 1)
    return fail(c, "has_rank is neither 0 nor 1");
  k->has_rank = has_rank;
  k->rank.constant = 0;
  k->rank.n_terms = 0;
  k->rank.terms = NULL;
  return (!has_rank || get_form(c, a, &k->rank)) && get_i16(c, &k->init_lo) &&
         get_i16(c, &k->init_hi);
}

/* n_cuts:uleb cut[n_cuts] */
static bool get_cuts(cursor *c, vep_arena *a, uint32_t *n_out,
                     const vep_cut_point **out) {
  uint64_t n;
  vep_cut_point *ks, k;
  if (!get_uleb(c, VEP_MAX_CUTS, &n) ||
      (ks = room(c, a, n, sizeof k, _Alignof(vep_cut_point)), c->why))
    return false;
  for (uint64_t i = 0; i < n; i++) {
    if (!get_cut(c, a, &k))
      return false;
    if (ks)
      ks[i] = k;
  }
  *n_out = (uint32_t)n;
  *out = ks;
  return true;
}

/* One program table entry; arrays are stored only when `a` is set. */
static bool get_entry(cursor *c, const char **name, size_t *name_len,
                      vep_program_header *h, vep_arena *a) {
  uint64_t n, nd, nf;
  if (!get_uleb(c, VEP_MAX_NAME, &n) || n == 0 || c->len - c->pos < n)
    return fail(c, "bad or truncated program name");
  *name = (const char *)c->p + c->pos;
  *name_len = (size_t)n;
  for (size_t i = 0; i < n; i++)
    if (c->p[c->pos + i] == 0)
      return fail(c, "NUL byte in program name");
  c->pos += n;
  vep_post_disjunct *ds;
  if (!get_u64(c, &h->insn_hash))
    return false;
  if (!get_uleb(c, VEP_MAX_POST_DISJUNCTS, &nd) ||
      (ds = room(c, a, nd, sizeof *ds, _Alignof(vep_post_disjunct)), c->why))
    return false;
  h->post.n_disjuncts = (uint32_t)nd;
  h->post.disjuncts = ds;
  for (uint64_t d = 0; d < nd; d++) {
    vep_post_fact *fs;
    if (!get_uleb(c, VEP_MAX_POST_FACTS, &nf) ||
        (fs = room(c, a, nf, sizeof *fs, _Alignof(vep_post_fact)), c->why))
      return false;
    for (uint64_t i = 0; i < nf; i++) {
      vep_post_fact f;
      if (!get_sleb(c, &f.a) || !get_sleb(c, &f.b))
        return false;
      if (fs)
        fs[i] = f;
    }
    if (ds) {
      ds[d].n_facts = (uint32_t)nf;
      ds[d].facts = fs;
    }
  }
  return get_cuts(c, a, &h->n_cuts, &h->cuts);
}

/* function := text_insn:uleb insn_hash:u64 pre:cut post:cut
 *             n_cuts:uleb cut[n_cuts] */
static bool get_function(cursor *c, vep_arena *a, vep_function_header *f) {
  uint64_t insn;
  if (!get_uleb(c, UINT32_MAX, &insn) || !get_u64(c, &f->insn_hash) ||
      !get_cut(c, a, &f->pre) || !get_cut(c, a, &f->post))
    return false;
  f->text_insn = (uint32_t)insn;
  return get_cuts(c, a, &f->n_cuts, &f->cuts);
}

/* The function table: n_functions:uleb (<= 256) function[n_functions];
 * stored into *out when `a` is set. */
static bool get_functions(cursor *c, vep_arena *a, uint32_t *n_out,
                          const vep_function_header **out) {
  uint64_t n;
  vep_function_header *fs, f;
  if (!get_uleb(c, VEP_MAX_FUNCTIONS, &n) ||
      (fs = room(c, a, n, sizeof f, _Alignof(vep_function_header)), c->why))
    return false;
  for (uint64_t i = 0; i < n; i++) {
    if (!get_function(c, a, &f))
      return false;
    if (fs)
      fs[i] = f;
  }
  *n_out = (uint32_t)n;
  *out = fs;
  return true;
}

static vep_status malformed(vep_proof_reader *r, vep_result *res,
                            const char *why) {
  r->error = true;
  r->why = why;
  vep_set_reason(res, VEP_MALFORMED, "proof_format", why, "", NULL);
  return VEP_MALFORMED;
}

vep_status vep_proof_reader_init(vep_proof_reader *r, const uint8_t *proof,
                                 size_t len, vep_result *res) {
  static const vep_proof_reader clean;
  *r = clean;
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
  const vep_function_header *fns;
  if (!get_functions(&c, NULL, &r->n_functions, &fns))
    return malformed(r, res, c.why);
  r->programs_at = r->table_pos = c.pos;
  for (uint32_t i = 0; i < r->n_programs; i++) {
    const char *name;
    size_t n;
    vep_program_header h;
    if (!get_entry(&c, &name, &n, &h, NULL))
      return malformed(r, res, c.why);
  }
  r->pos = c.pos;
  return VEP_ACCEPTED;
}

static int reader_program(void *self, const char *name, vep_program_header *out,
                          vep_arena *scratch) {
  vep_proof_reader *r = self;
  const char *entry;
  size_t n, i;
  if (r->error)
    return -1;
  if (r->n_used == r->n_programs)
    return 0;
  cursor c = {r->proof, r->len, r->table_pos, NULL};
  if (!get_entry(&c, &entry, &n, out, scratch)) {
    r->error = true;
    r->why = c.why;
    return -1;
  }
  for (i = 0; i < n && name[i] == entry[i]; i++)
    ;
  if (i != n || name[n] != 0)
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
  if (r->error || !get_functions(&c, scratch, &n, out)) {
    r->error = true;
    r->why = r->why ? r->why : c.why;
    return -1;
  }
  return (int)n;
}

/* A certificate: goal_mult, entry count, then (hyp, mult) pairs. */
static bool get_cert(cursor *c, vep_cert *out, vep_arena *scratch) {
  uint64_t n, hyp;
  if (!get_sleb(c, &out->goal_mult) || !get_uleb(c, VEP_MAX_CERT_ENTRIES, &n))
    return false;
  if (n > (c->len - c->pos) / 2) /* an entry takes at least two bytes */
    return fail(c, "truncated certificate");
  if (n && !(out->entries = vep_arena_alloc(scratch, n * sizeof(vep_cert_entry),
                                            _Alignof(vep_cert_entry))))
    return fail(c, "arena exhausted");
  for (uint64_t j = 0; j < n; j++) {
    if (!get_uleb(c, UINT32_MAX, &hyp) || !get_sleb(c, &out->entries[j].mult))
      return false;
    out->entries[j].hyp = (uint32_t)hyp;
  }
  out->n_entries = (uint32_t)n;
  return true;
}

static int reader_prove(void *self, const vep_question *q, vep_cert *out,
                        vep_arena *scratch) {
  vep_proof_reader *r = self;
  cursor c = {r->proof, r->len, r->pos, NULL};
  uint8_t tag = TAG_NONE;
  (void)q;
  if (r->error)
    return -1;
  out->goal_mult = 0;
  out->n_entries = 0;
  out->entries = NULL;
  bool ok =
      get_u8(&c, &tag) &&
      (tag == TAG_NONE || tag == TAG_CERT || fail(&c, "unknown answer tag")) &&
      (tag == TAG_NONE || get_cert(&c, out, scratch));
  if (!ok) {
    r->error = true;
    r->why = c.why;
    return -1;
  }
  r->pos = c.pos;
  return tag == TAG_CERT;
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
  if (r->error) {
    vep_set_reason(res, VEP_MALFORMED, "proof_format", r->why, "", NULL);
  } else if (r->n_used != r->n_programs) {
    vep_set_reason(res, VEP_REJECTED, "proof_entry",
                   "proof lists programs the object does not have", "", NULL);
  } else if (r->pos != r->len) {
    vep_set_reason(res, VEP_MALFORMED, "proof_format",
                   "trailing bytes after the last answer", "", NULL);
  } else {
    return VEP_ACCEPTED;
  }
  return res->status;
}
