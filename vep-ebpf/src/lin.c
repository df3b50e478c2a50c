/*===- lin.c - Linear forms over the checker's integer variables -----------===*
 *
 * Forms are immutable once built and live in the arena. Every coefficient
 * operation is overflow-checked; terms stay sorted by variable with no zero
 * coefficients, so a form with no terms is a constant.
 *===----------------------------------------------------------------------===*/
#include "core.h"

/* One allocation: the form, then its terms (aligned alike: both hold a
 * vep_int). */
static vep_lin *lin_alloc(vep_checker *c, uint32_t n_terms) {
  _Static_assert(_Alignof(vep_lin_term) <= _Alignof(vep_lin), "term align");
  vep_lin *f = vep_alloc(c, sizeof(vep_lin) + n_terms * sizeof(vep_lin_term),
                         _Alignof(vep_lin));
  if (f)
    *f = (vep_lin){0, n_terms, (const vep_lin_term *)(f + 1)};
  return f;
}

const vep_lin *vep_lin_const(vep_checker *c, vep_int k) {
  vep_lin *f = lin_alloc(c, 0);
  if (f)
    f->constant = k;
  return f;
}

const vep_lin *vep_lin_var(vep_checker *c, uint32_t var) {
  vep_lin *f = lin_alloc(c, 1);
  if (f)
    *(vep_lin_term *)f->terms = (vep_lin_term){var, 1};
  return f;
}

/* *out = ka * a + kb * b, overflow-checked. */
static bool axpby(vep_int ka, vep_int a, vep_int kb, vep_int b, vep_int *out) {
  vep_int u, v;
  return !__builtin_mul_overflow(ka, a, &u) &&
         !__builtin_mul_overflow(kb, b, &v) &&
         !__builtin_add_overflow(u, v, out);
}

/* ka*a + kb*b + k; NULL if a coefficient overflows or the form would have
 * more than VEP_MAX_TERMS terms (the reason is set unless `soft`). */
static const vep_lin *comb(vep_checker *c, vep_int ka, const vep_lin *a,
                           vep_int kb, const vep_lin *b, vep_int k, bool soft) {
  static const vep_lin zero = {0, 0, NULL};
  const vep_lin *x = a ? a : &zero, *y = b ? b : &zero;
  uint32_t i = 0, j = 0, n = 0;
  /* limits: building forms costs no proof bytes where nothing is asked
   * (e.g. a cut point's assertion, rewritten on every arrival), so its work
   * is bounded here, not by the proof's size. Hard even when `soft`. */
  if (!vep_count(c, &c->n_work, (uint64_t)x->n_terms + y->n_terms + 1,
                 VEP_MAX_WORK, "linear-form term operations"))
    return NULL;
  vep_lin *f = lin_alloc(c, x->n_terms + y->n_terms);
  vep_int sum;
  bool ok = true;
  if (!f)
    return NULL;
  vep_lin_term *out = (vep_lin_term *)f->terms;
  while (i < x->n_terms || j < y->n_terms) {
    uint32_t vx = i < x->n_terms ? x->terms[i].var : UINT32_MAX;
    uint32_t vy = j < y->n_terms ? y->terms[j].var : UINT32_MAX;
    uint32_t var = vx < vy ? vx : vy;
    vep_int cx = vx == var ? x->terms[i++].coeff : 0;
    vep_int cy = vy == var ? y->terms[j++].coeff : 0;
    if (!(ok = axpby(ka, cx, kb, cy, &sum)))
      break;
    if (sum == 0)
      continue;
    if (n == VEP_MAX_TERMS) {
      if (!soft)
        vep_reject(c, "limits",
                   "linear form exceeds " VEP_STR(VEP_MAX_TERMS) " terms");
      return NULL;
    }
    out[n++] = (vep_lin_term){var, sum};
  }
  f->n_terms = n;
  if (!ok || !axpby(ka, x->constant, kb, y->constant, &sum) ||
      __builtin_add_overflow(sum, k, &f->constant)) {
    if (!soft)
      vep_reject(c, "linear_form", "arithmetic overflow in linear form");
    return NULL;
  }
  return f;
}

const vep_lin *vep_lin_comb(vep_checker *c, vep_int ka, const vep_lin *a,
                            vep_int kb, const vep_lin *b, vep_int k) {
  return comb(c, ka, a, kb, b, k, false);
}

const vep_lin *vep_lin_comb_soft(vep_checker *c, vep_int ka, const vep_lin *a,
                                 vep_int kb, const vep_lin *b, vep_int k) {
  size_t mark = arena_mark(c->arena);
  const vep_lin *f = comb(c, ka, a, kb, b, k, true);
  if (!f && !c->failed)
    arena_release(c->arena, mark);
  return f;
}
