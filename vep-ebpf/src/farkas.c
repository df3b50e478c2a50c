/*===- farkas.c - Rule check_farkas ----------------------------------------===*
 *
 *   hyps[i] >= 0 (all i),  m_j >= 0,  g >= 0,
 *   sum_j m_j*hyps[h_j] + g*(-goal - 1) == c  (no variables),  c < 0
 *   ------------------------------------------------------------------
 *   goal >= 0
 *
 * If goal < 0 held, -goal - 1 >= 0 would hold, so the left side would be a
 * nonnegative combination of nonnegative values, yet it equals c < 0. With
 * g == 0 the hypotheses alone are contradictory (the path is dead).
 *===----------------------------------------------------------------------===*/
#include "core.h"

/* acc[var] += k * t for every term; *constant += k * f->constant. */
static bool axpy(vep_int *acc, uint32_t n_acc, vep_int *constant, vep_int k,
                 const vep_lin *f, const char **why) {
  vep_int p;
  for (uint32_t i = 0; i < f->n_terms; i++) {
    if (f->terms[i].var >= n_acc)
      return *why = "variable out of range", false;
    if (__builtin_mul_overflow(k, f->terms[i].coeff, &p) ||
        __builtin_add_overflow(acc[f->terms[i].var], p, &acc[f->terms[i].var]))
      return *why = "arithmetic overflow in certificate", false;
  }
  if (__builtin_mul_overflow(k, f->constant, &p) ||
      __builtin_add_overflow(*constant, p, constant))
    return *why = "arithmetic overflow in certificate", false;
  return true;
}

/* Zeroes the coefficients f touched; false if one was not zero. */
static bool cancelled(vep_int *acc, uint32_t n_acc, const vep_lin *f) {
  bool ok = true;
  for (uint32_t i = 0; i < f->n_terms; i++) {
    if (f->terms[i].var < n_acc) {
      ok = ok && acc[f->terms[i].var] == 0;
      acc[f->terms[i].var] = 0;
    }
  }
  return ok;
}

const char *vep_farkas(const vep_question *q, const vep_cert *k, vep_int *acc,
                       uint32_t n_acc) {
  const char *why = NULL;
  vep_int constant = 0;
  uint32_t n = k->n_entries;
  if (n > VEP_MAX_CERT_ENTRIES)
    return "more than " VEP_STR(VEP_MAX_CERT_ENTRIES) " entries";
  if (n && !k->entries)
    return "entries missing";
  if (k->goal_mult < 0)
    return "negative goal multiplier";
  uint32_t used = 0;
  for (; used < n && !why; used++) {
    const vep_cert_entry *e = &k->entries[used];
    if (e->hyp >= q->n_hyps)
      why = "hypothesis index out of range";
    else if (e->mult < 0)
      why = "negative multiplier";
    else
      axpy(acc, n_acc, &constant, e->mult, &q->hyps[e->hyp], &why);
  }
  if (!why && axpy(acc, n_acc, &constant, -k->goal_mult, &q->goal, &why) &&
      __builtin_sub_overflow(constant, k->goal_mult, &constant))
    why = "arithmetic overflow in certificate";
  /* Restore acc to zero over every form that may have touched it. */
  bool zero = cancelled(acc, n_acc, &q->goal);
  for (uint32_t j = 0; j < used; j++)
    if (k->entries[j].hyp < q->n_hyps)
      zero = cancelled(acc, n_acc, &q->hyps[k->entries[j].hyp]) && zero;
  if (why)
    return why;
  if (!zero)
    return "variable coefficients do not cancel";
  if (constant >= 0)
    return "constant of the combination is not negative";
  return NULL;
}

vep_status vep_check_cert(const vep_question *q, const vep_cert *k,
                          vep_arena *scratch, vep_result *res) {
  uint32_t n_acc = 0;
  size_t mark = arena_mark(scratch);
  for (uint32_t i = 0; i <= q->n_hyps; i++) {
    const vep_lin *f = i < q->n_hyps ? &q->hyps[i] : &q->goal;
    for (uint32_t t = 0; t < f->n_terms; t++)
      if (f->terms[t].var >= n_acc && f->terms[t].var < VEP_MAX_VARS)
        n_acc = f->terms[t].var + 1;
  }
  vep_int *acc = vep_arena_alloc(scratch, (n_acc + 1) * sizeof(vep_int),
                                 _Alignof(vep_int));
  if (!acc)
    return vep_set_reason(res, VEP_REJECTED, "limits", "arena exhausted");
  for (uint32_t i = 0; i < n_acc; i++)
    acc[i] = 0;
  const char *why = vep_farkas(q, k, acc, n_acc);
  arena_release(scratch, mark);
  if (!why)
    return VEP_ACCEPTED;
  res->insn = q->insn;
  return vep_set_reason(res, VEP_REJECTED, "check_farkas", why);
}
