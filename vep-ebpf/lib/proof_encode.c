/*===- proof_encode.c - Writing proof files (untrusted helper) ------------===*/
#include "vep/proof_encode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vep_enc_init(vep_proof_buf *b) {
  b->data = NULL;
  b->len = b->cap = 0;
  b->oom = false;
}

void vep_enc_free(vep_proof_buf *b) {
  free(b->data);
  vep_enc_init(b);
}

static bool reserve(vep_proof_buf *b, size_t n) {
  if (b->oom)
    return false;
  if (n <= b->cap - b->len)
    return true;
  size_t cap = b->cap ? b->cap : 256;
  while (cap - b->len < n) {
    if (cap > SIZE_MAX / 2)
      return b->oom = true, false;
    cap *= 2;
  }
  uint8_t *p = realloc(b->data, cap);
  if (!p)
    return b->oom = true, false;
  b->data = p;
  b->cap = cap;
  return true;
}

void vep_enc_bytes(vep_proof_buf *b, const void *p, size_t n) {
  if (n && reserve(b, n)) {
    memcpy(b->data + b->len, p, n);
    b->len += n;
  }
}

static void enc_u8(vep_proof_buf *b, uint8_t v) { vep_enc_bytes(b, &v, 1); }

static void enc_fixed(vep_proof_buf *b, uint64_t v, unsigned n) {
  for (unsigned i = 0; i < n; i++)
    enc_u8(b, (uint8_t)(v >> (8 * i)));
}

static void enc_leb(vep_proof_buf *b, unsigned __int128 v) {
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    enc_u8(b, byte | (v ? 0x80 : 0));
  } while (v);
}

void vep_enc_uleb(vep_proof_buf *b, uint64_t v) { enc_leb(b, v); }

/* Zigzag: n >= 0 as 2n, n < 0 as -2n - 1 (docs/proof-format.md 2). */
void vep_enc_sleb(vep_proof_buf *b, vep_int v) {
  enc_leb(b, ((unsigned __int128)v << 1) ^ (unsigned __int128)(v >> 127));
}

static void enc_form(vep_proof_buf *b, const vep_lin *f) {
  vep_enc_sleb(b, f->constant);
  vep_enc_uleb(b, f->n_terms);
  for (uint32_t i = 0; i < f->n_terms; i++) {
    vep_enc_uleb(b, f->terms[i].var);
    vep_enc_sleb(b, f->terms[i].coeff);
  }
}

static void enc_cut(vep_proof_buf *b, const vep_cut_point *k) {
  vep_enc_uleb(b, k->insn);
  vep_enc_uleb(b, k->n_exists);
  vep_enc_uleb(b, k->n_bindings);
  for (uint32_t i = 0; i < k->n_bindings; i++) {
    vep_enc_uleb(b, k->bindings[i].kind);
    vep_enc_sleb(b, k->bindings[i].where);
    if (k->bindings[i].kind == VEP_BIND_MAP_VALUE ||
        k->bindings[i].kind == VEP_BIND_BUF ||
        k->bindings[i].kind == VEP_BIND_RINGBUF)
      vep_enc_uleb(b, k->bindings[i].map);
    if (k->bindings[i].kind == VEP_BIND_BUF)
      vep_enc_uleb(b, k->bindings[i].writes);
    enc_form(b, &k->bindings[i].form);
  }
  vep_enc_uleb(b, k->n_facts);
  for (uint32_t i = 0; i < k->n_facts; i++)
    enc_form(b, &k->facts[i]);
  vep_enc_uleb(b, k->n_ghosts);
  for (uint32_t i = 0; i < k->n_ghosts; i++) {
    vep_enc_uleb(b, k->ghosts[i].loop);
    enc_form(b, &k->ghosts[i].form);
  }
  vep_enc_uleb(b, k->has_rank);
  if (k->has_rank)
    enc_form(b, &k->rank);
  vep_enc_sleb(b, k->init_lo);
  vep_enc_sleb(b, k->init_hi);
}

/* code := insn_hash posts cut points (docs/proof-format.md, section 2). */
static void enc_code(vep_proof_buf *b, const vep_program_header *h) {
  enc_fixed(b, h->insn_hash, 8);
  vep_enc_uleb(b, h->n_posts);
  for (uint32_t i = 0; i < h->n_posts; i++)
    enc_cut(b, &h->posts[i]);
  vep_enc_uleb(b, h->n_cuts);
  for (uint32_t i = 0; i < h->n_cuts; i++)
    enc_cut(b, &h->cuts[i]);
}

void vep_enc_headers(vep_proof_buf *b, const vep_proof_headers *h) {
  vep_enc_bytes(b, VEP_PROOF_MAGIC, 8);
  enc_fixed(b, VEP_PROOF_VERSION_MAJOR, 2);
  enc_fixed(b, VEP_PROOF_VERSION_MINOR, 2);
  enc_fixed(b, VEP_PROOF_HELPER_TABLE_VERSION, 4);
  vep_enc_uleb(b, h->n_functions);
  for (uint32_t f = 0; f < h->n_functions; f++) {
    vep_enc_uleb(b, h->functions[f].text_insn);
    enc_cut(b, &h->functions[f].pre);
    enc_code(b, &h->functions[f].code);
  }
  vep_enc_uleb(b, h->n_programs);
  for (uint32_t p = 0; p < h->n_programs; p++)
    enc_code(b, &h->programs[p]);
}

void vep_enc_answer_cert(vep_proof_buf *b, const vep_cert *c) {
  vep_enc_uleb(b, c->n_steps);
  for (uint32_t i = 0; i < c->n_steps; i++) {
    const vep_cert_step *s = &c->steps[i];
    enc_u8(b, (uint8_t)s->op);
    if (s->op == VEP_STEP_SPLIT) {
      vep_enc_uleb(b, s->var);
      vep_enc_sleb(b, s->k);
      continue;
    }
    vep_enc_sleb(b, s->goal_mult);
    vep_enc_uleb(b, s->n_entries);
    for (uint32_t j = 0; j < s->n_entries; j++) {
      vep_enc_uleb(b, s->entries[j].hyp);
      vep_enc_sleb(b, s->entries[j].mult);
    }
  }
}

/* No steps: "no certificate". */
void vep_enc_answer_none(vep_proof_buf *b) { vep_enc_uleb(b, 0); }

vep_status vep_check_cert(const vep_question *q, const vep_cert *k,
                          vep_arena *scratch, vep_result *res) {
  uint32_t n_acc = 0;
  size_t mark = scratch->used;
  const char *rule = "limits", *why = "arena exhausted";
  for (uint32_t i = 0; i <= q->n_hyps; i++) {
    const vep_lin *f = i < q->n_hyps ? &q->hyps[i] : &q->goal;
    for (uint32_t t = 0; t < f->n_terms; t++)
      if (f->terms[t].var >= n_acc && f->terms[t].var < VEP_MAX_VARS)
        n_acc = f->terms[t].var + 1;
  }
  vep_int *acc = vep_arena_alloc(scratch, (n_acc + 1) * sizeof(vep_int),
                                 _Alignof(vep_int));
  if (acc) {
    memset(acc, 0, n_acc * sizeof *acc);
    rule = "check_farkas";
    why = vep_farkas(q, k, scratch, acc, n_acc);
  }
  scratch->used = mark;
  if (!why)
    return VEP_ACCEPTED;
  res->status = VEP_REJECTED;
  res->insn = q->insn;
  snprintf(res->reason, sizeof res->reason, "%s: %s", rule, why);
  return VEP_REJECTED;
}
