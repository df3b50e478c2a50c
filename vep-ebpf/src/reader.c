/*===- reader.c - Checking mode: the proof file as a proof source ----------===*
 *
 * Layout (docs/proof-format.md, "Byte layout"): a fixed 20-byte header, the
 * program table, the answer stream. Every read is bounds-checked; integers
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

static uint64_t fixed(const uint8_t *p, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n; i++)
    v |= (uint64_t)p[i] << (8 * i);
  return v;
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

/* One program table entry; post-condition arrays only when `a` is set. */
static bool get_entry(cursor *c, const char **name, size_t *name_len,
                      vep_program_header *h, vep_arena *a) {
  uint64_t n, nd, nf;
  if (!get_uleb(c, VEP_MAX_NAME, &n) || n == 0 || c->len - c->pos < n + 8)
    return fail(c, "bad or truncated program name");
  *name = (const char *)c->p + c->pos;
  *name_len = (size_t)n;
  for (size_t i = 0; i < n; i++)
    if (c->p[c->pos + i] == 0)
      return fail(c, "NUL byte in program name");
  c->pos += n;
  h->insn_hash = fixed(c->p + c->pos, 8);
  c->pos += 8;
  if (!get_uleb(c, VEP_MAX_POST_DISJUNCTS, &nd))
    return false;
  vep_post_disjunct *ds = NULL;
  if (a && nd &&
      !(ds = vep_arena_alloc(a, nd * sizeof *ds, _Alignof(vep_post_disjunct))))
    return fail(c, "arena exhausted");
  h->post.n_disjuncts = (uint32_t)nd;
  h->post.disjuncts = ds;
  for (uint64_t d = 0; d < nd; d++) {
    vep_post_fact *fs = NULL;
    if (!get_uleb(c, VEP_MAX_POST_FACTS, &nf))
      return false;
    if (a && nf &&
        !(fs = vep_arena_alloc(a, nf * sizeof *fs, _Alignof(vep_post_fact))))
      return fail(c, "arena exhausted");
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
  if (fixed(proof + 8, 2) != VEP_PROOF_VERSION_MAJOR)
    return malformed(r, res, "unsupported proof format major version");
  if (fixed(proof + 12, 4) != VEP_PROOF_HELPER_TABLE_VERSION)
    return malformed(r, res, "unknown helper table version");
  r->n_programs = (uint32_t)fixed(proof + 16, 4);
  if (r->n_programs > VEP_MAX_PROGRAMS)
    return malformed(r, res,
                     "more than " VEP_STR(VEP_MAX_PROGRAMS) " programs");
  cursor c = {proof, r->len, HEADER_SIZE, NULL};
  for (uint32_t i = 0; i < r->n_programs; i++) {
    const char *name;
    size_t n;
    vep_program_header h;
    if (!get_entry(&c, &name, &n, &h, NULL))
      return malformed(r, res, c.why);
  }
  r->programs_at = r->table_pos = HEADER_SIZE;
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
