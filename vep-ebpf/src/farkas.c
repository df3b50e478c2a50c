/*===- farkas.c - Rules check_farkas, check_round, check_split -------------===*
 *
 * A certificate derives facts  form >= 0  over the integers, one step at a
 * time, and ends in a negative constant (docs/proof-format.md 7.7):
 *
 *   COMB   sum_j m_j*f_j + g*(-goal - 1)   (m_j, g >= 0; f_j hypotheses or
 *          earlier steps): a nonnegative combination of nonnegative values.
 *   ROUND  a COMB  sum a_i*x_i + c, divided by d = gcd(a_i) >= 1:
 *          sum (a_i/d)*x_i + floor(c/d); the sum is an integer >= -c/d.
 *   SPLIT  x <= k, then x >= k + 1 (one holds for every integer x); each
 *          case's steps end in a contradiction, which refutes the case.
 *
 * Most certificates are one COMB. If goal < 0 held, -goal - 1 >= 0 would
 * hold, and every step would derive a true fact, yet the last is false.
 * No recursion: open splits are an explicit stack (at most
 * VEP_MAX_SPLIT_DEPTH entries).
 *===----------------------------------------------------------------------===*/
#include "core.h"

#define OVERFLOW "arithmetic overflow in certificate"

/* acc[var] += k * t for every term; *constant += k * f->constant. */
static bool axpy(vep_int *acc, uint32_t n_acc, vep_int *constant, vep_int k,
                 const vep_lin *f, const char **why) {
  vep_int p;
  for (uint32_t i = 0; i < f->n_terms; i++) {
    if (f->terms[i].var >= n_acc)
      return *why = "variable out of range", false;
    if (__builtin_mul_overflow(k, f->terms[i].coeff, &p) ||
        __builtin_add_overflow(acc[f->terms[i].var], p, &acc[f->terms[i].var]))
      return *why = OVERFLOW, false;
  }
  if (__builtin_mul_overflow(k, f->constant, &p) ||
      __builtin_add_overflow(*constant, p, constant))
    return *why = OVERFLOW, false;
  return true;
}

/* Moves the coefficients of f's variables from acc (zeroing them) to the
 * terms of out; at most VEP_MAX_TERMS terms fit. */
static void collect(vep_int *acc, uint32_t n_acc, const vep_lin *f,
                    vep_lin *out, vep_lin_term *terms, const char **why) {
  for (uint32_t i = 0; i < f->n_terms; i++) {
    uint32_t v = f->terms[i].var;
    if (v >= n_acc || acc[v] == 0)
      continue;
    if (out->n_terms < VEP_MAX_TERMS)
      terms[out->n_terms++] = (vep_lin_term){v, acc[v]};
    else if (!*why)
      *why = "a derived fact has more than " VEP_STR(VEP_MAX_TERMS) " terms";
    acc[v] = 0;
  }
}

/* Hypothesis r, or live step r - n_hyps. */
static const vep_lin *form(const vep_question *q, const vep_lin *live,
                           uint32_t r) {
  return r < q->n_hyps ? &q->hyps[r] : &live[r - q->n_hyps];
}

/* Rule check_farkas: step s's combination into *out (terms at `terms`). */
static const char *combine(const vep_question *q, const vep_cert_step *s,
                           const vep_lin *live, uint32_t n_live, vep_int *acc,
                           uint32_t n_acc, vep_lin *out, vep_lin_term *terms) {
  const char *why = NULL;
  uint32_t used = 0;
  vep_int c = 0;
  if (s->goal_mult < 0)
    why = "negative goal multiplier";
  else if (s->n_entries && !s->entries)
    why = "entries missing";
  else if (axpy(acc, n_acc, &c, -s->goal_mult, &q->goal, &why) &&
           __builtin_sub_overflow(c, s->goal_mult, &c))
    why = OVERFLOW;
  for (; used < s->n_entries && !why; used++) {
    const vep_cert_entry *e = &s->entries[used];
    if (e->hyp >= (uint64_t)q->n_hyps + n_live)
      why = "hypothesis index out of range (or a later or closed step)";
    else if (e->mult < 0)
      why = "negative multiplier";
    else
      axpy(acc, n_acc, &c, e->mult, form(q, live, e->hyp), &why);
  }
  /* Move acc to out, zeroing it over every form that may have touched it. */
  *out = (vep_lin){c, 0, terms};
  collect(acc, n_acc, &q->goal, out, terms, &why);
  for (uint32_t j = 0; j < used; j++)
    if (s->entries[j].hyp < (uint64_t)q->n_hyps + n_live)
      collect(acc, n_acc, form(q, live, s->entries[j].hyp), out, terms, &why);
  return why;
}

/* Rule check_round: f := f / d, d the gcd of its coefficients, constant
 * rounded down. */
static const char *round_down(vep_lin *f, vep_lin_term *terms) {
  vep_int d = 0, a, r;
  for (uint32_t i = 0; i < f->n_terms; d = a, i++) {
    a = terms[i].coeff;
    if (a < 0 && __builtin_sub_overflow((vep_int)0, a, &a))
      return OVERFLOW;
    for (; d; a = d, d = r) /* Euclid: a := gcd(a, d) */
      r = a % d;
  }
  if (d == 0)
    return "rounding a fact without variables";
  for (uint32_t i = 0; i < f->n_terms; i++)
    terms[i].coeff /= d;
  f->constant = f->constant / d - (f->constant % d < 0); /* floor */
  return NULL;
}

const char *vep_farkas(const vep_question *q, const vep_cert *k,
                       vep_arena *scratch, vep_int *acc, uint32_t n_acc) {
  const vep_cert_step *steps = k->steps;
  uint32_t n = k->n_steps, n_live = 0, depth = 0;
  uint32_t open[VEP_MAX_SPLIT_DEPTH];
  uint64_t n_entries = 0;
  if (n == 0 || !steps)
    return "a certificate without steps";
  for (uint32_t s = 0; s < n && n <= VEP_MAX_CERT_STEPS; s++)
    n_entries += steps[s].n_entries;
  if (n > VEP_MAX_CERT_STEPS || n_entries > VEP_MAX_CERT_ENTRIES)
    return "more than " VEP_STR(VEP_MAX_CERT_STEPS) " steps or " VEP_STR(
        VEP_MAX_CERT_ENTRIES) " entries";
  /* live[i]: step i's fact, its terms at terms[i * VEP_MAX_TERMS]; open[]:
   * the live steps that are the cases of the open splits. */
  vep_lin *live = vep_arena_alloc(scratch, n * sizeof(vep_lin), 16);
  vep_lin_term *terms = vep_arena_alloc(
      scratch, (size_t)n * VEP_MAX_TERMS * sizeof(vep_lin_term), 16);
  if (!live || !terms)
    return "arena exhausted";
  const char *why = NULL;
  vep_lin *f = live;
  for (uint32_t s = 0; s < n && !why; s++) {
    if (s && !depth && lin_is_const(f) && f->constant < 0)
      return "steps after the final contradiction";
    vep_lin_term *t = &terms[(size_t)n_live * VEP_MAX_TERMS];
    f = &live[n_live++];
    if (steps[s].op == VEP_STEP_SPLIT) {
      if (depth == VEP_MAX_SPLIT_DEPTH || steps[s].var >= n_acc)
        return depth == VEP_MAX_SPLIT_DEPTH
                   ? "more than " VEP_STR(VEP_MAX_SPLIT_DEPTH) " nested splits"
                   : "variable out of range";
      open[depth++] = n_live - 1;
      t[0] = (vep_lin_term){steps[s].var, -1};
      *f = (vep_lin){steps[s].k, 1, t};
      continue;
    }
    if (steps[s].op != VEP_STEP_COMB && steps[s].op != VEP_STEP_ROUND)
      return "unknown step";
    why = combine(q, &steps[s], live, n_live - 1, acc, n_acc, f, t);
    if (!why && steps[s].op == VEP_STEP_ROUND)
      why = round_down(f, t);
    /* Rule check_split. A contradiction refutes the innermost open case.
     * Refuting the first, x <= k (k - x >= 0, coefficient -1), opens the
     * second, x >= k + 1 (x - k - 1 >= 0), in its place; refuting the
     * second refutes the split's context, so the contradiction cascades. */
    for (; !why && depth && lin_is_const(f) && f->constant < 0; depth--) {
      n_live = open[depth - 1] + 1;
      if (live[n_live - 1].terms[0].coeff < 0) {
        f = &live[n_live - 1];
        if (__builtin_add_overflow(f->constant, 1, &f->constant))
          return OVERFLOW;
        f->constant = -f->constant;
        terms[(size_t)(n_live - 1) * VEP_MAX_TERMS].coeff = 1;
        break;
      }
    }
  }
  if (why || depth)
    return why ? why : "a case split is not refuted";
  if (!lin_is_const(f))
    return "variable coefficients do not cancel";
  return f->constant < 0 ? NULL : "constant of the combination is not negative";
}
