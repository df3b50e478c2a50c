/*===- cut.c - Cut points: loops with invariants and ranking terms --------===*
 *
 * A cut point is an instruction where paths end and start, with an
 * assertion about the machine state there (docs/proof-format.md, "Cut
 * points"). The table comes from the proof and is validated before use
 * (rules cut_table, cut_assertion). A path starting at a cut point assumes
 * its assertion (cut_enter); a path reaching one proves it (cut_arrive:
 * cut_back_edge, cut_match, cut_stack, cut_instantiate, cut_binding,
 * cut_fact, cut_ringbuf, rank_nonneg, cut_ghost, rank_ghost,
 * rank_decrease).
 *
 * Assertion forms are over the assertion's own variables: 0 is `len`,
 * 1..n_exists the existentials. A path started at a cut point numbers its
 * first variables the same way, so there the forms are used as they are; on
 * arrival they are rewritten over the arriving path's variables.
 *===----------------------------------------------------------------------===*/
#include "core.h"

enum { CUT, PRE, POST }; /* what an assertion is */

/* The binding kinds (bit = kind) a cut point, a pre and a post may use. */
static const uint8_t kinds_of[3] = {0xff, 0x4d, 0x01};
/* By kind from V_SCALAR on (so by binding kind first). */
static const char *const kind_names[V_COUNT - V_SCALAR] = {
    "a scalar",
    "a context pointer",
    "a packet pointer",
    "a packet end pointer",
    "a stack pointer",
    "a map value pointer",
    "a buffer pointer",
    "ringbuf memory",
    "a map pointer",
    "a map value that may be null",
    "ringbuf memory that may be null"};

/* The first binding of k (may be NULL) of the register or slot `where`. */
static const vep_binding *binding_at(const vep_cut_point *k, int where) {
  for (uint32_t i = 0; k && i < k->n_bindings; i++)
    if (k->bindings[i].where == where)
      return &k->bindings[i];
  return NULL;
}

/* While func_table validates a pre, c->pre is it. (A pre binding a
 * register twice is rejected whatever this finds.) */
const vep_binding *vep_buffer_of(const vep_checker *c, uint32_t r) {
  const vep_binding *b = binding_at(c->pre, (int)r);
  return b && b->kind == VEP_BIND_BUF ? b : NULL;
}

/* Rejections while an assertion is validated or proved say which one:
 * "cut point 7: ", "precondition of f: ", "postcondition of f: ". */
static bool unlabel(vep_checker *c, bool ok) {
  c->label = (vep_msg){{0}, 0};
  return ok;
}
#define LABEL(c, ...) (unlabel(c, true), vep_msg_addf(&(c)->label, __VA_ARGS__))
#define LABEL_CUT(c, insn) LABEL(c, "cut point %lld: ", (long long)(insn))
#define LABEL_OF(c, what, name) LABEL(c, what " of %s: ", name)

/* A binding's location, numbered as state_value's: 0..9 a register,
 * VEP_NREGS + i stack slot i; -1 if `where` is neither r0..r9 nor an
 * aligned slot offset in [-512, -8]. */
static int loc_of(int16_t where) {
  if (where >= 0 && where <= 9)
    return where;
  if (where >= -VEP_STACK_SIZE && where <= -8 && where % 8 == 0)
    return VEP_NREGS + (where + VEP_STACK_SIZE) / 8;
  return -1;
}

/* Appends "r3" or "the stack slot at -16". */
static void loc_name(vep_msg *m, int16_t where) {
  vep_msg_addf(m, where >= 0 ? "r%d" : "the stack slot at %d", where);
}

/* ---- cut_table, cut_assertion ------------------------------------------- */
/* A form over len and the existentials: at most VEP_MAX_TERMS terms,
 * sorted by variable, distinct, nonzero coefficients. */
static bool form_ok(const vep_lin *f, uint32_t n_exists) {
  if (f->n_terms > VEP_MAX_TERMS || (f->n_terms && !f->terms))
    return false;
  for (uint32_t i = 0; i < f->n_terms; i++)
    if (f->terms[i].var > n_exists || f->terms[i].coeff == 0 ||
        (i && f->terms[i].var <= f->terms[i - 1].var))
      return false;
  return true;
}

/* `pre`: the pre of the function the assertion belongs to (NULL: a
 * program's), whose BUF bindings the assertion's may name. A pre binds
 * R1..R5, a post R0, each kind as kinds_of says. */
static const char *binding_error(const vep_checker *c, const vep_binding *b,
                                 uint32_t n_exists, int role, bool *seen) {
  int loc = loc_of(b->where);
  if (b->kind >= VEP_BIND_KIND_COUNT)
    return "unknown binding kind";
  if (!((kinds_of[role] >> b->kind) & 1) ||
      (role == PRE && (b->where < 1 || b->where > 5)) ||
      (role == POST && b->where != 0))
    return role == PRE ? "a pre binds other than R1..R5 as a scalar, packet "
                         "pointer or buffer"
                       : "a post binds other than R0 as a scalar";
  if (b->kind == VEP_BIND_MAP_VALUE ? b->map >= c->maps->n_maps
      : b->kind == VEP_BIND_BUF     ? !vep_buffer_of(c, b->map) ||
                                      (role == PRE && (int)b->map != b->where)
      : b->kind == VEP_BIND_RINGBUF ? b->map < 1 || b->map > VEP_MAX_MAP_BYTES
                                    : b->map != 0)
    return "map index not in the map table, buffer not a buffer of the "
           "function's pre, reserved size not in [1, 2^20] (or set for a "
           "kind without one)";
  if (b->writes && (role != PRE || b->kind != VEP_BIND_BUF))
    return "writes set on a binding other than a pre's buffer";
  if (loc < 0)
    return "a binding names neither r0..r9 nor an aligned stack slot";
  if (seen[loc])
    return "a register or stack slot is bound twice";
  seen[loc] = true;
  if (!form_ok(&b->form, n_exists))
    return "malformed binding form";
  if ((b->kind == VEP_BIND_CTX || b->kind == VEP_BIND_STACK) && b->form.n_terms)
    return "context and stack pointer offsets must be constants";
  if (b->kind == VEP_BIND_SCALAR && !b->form.n_terms &&
      (b->form.constant < 0 || b->form.constant > VEP_U64_MAX))
    return "scalar constant outside [0, 2^64)";
  return NULL;
}

/* Rules limits, then cut_assertion (*rule). A pre or post has no insn,
 * rank or initialised range; a function's cut point or post at least the
 * pre's existentials. */
static const char *assertion_error(const vep_checker *c, const vep_cut_point *k,
                                   int role, const char **rule) {
  const vep_cut_point *pre = c->pre;
  bool seen[VEP_NREGS + VEP_SLOTS] = {false};
  *rule = "limits";
  if (k->n_exists > VEP_MAX_CUT_EXISTS ||
      k->n_bindings > VEP_MAX_CUT_BINDINGS || k->n_facts > VEP_MAX_CUT_FACTS ||
      k->n_ghosts > VEP_MAX_LOOP_DEPTH)
    return "too many existentials, bindings, facts or ghosts";
  *rule = "cut_assertion";
  if ((k->n_bindings && !k->bindings) || (k->n_facts && !k->facts) ||
      (k->n_ghosts && !k->ghosts))
    return "bindings, facts or ghosts missing";
  if (role != CUT &&
      (k->insn || k->has_rank || k->init_lo || k->init_hi || k->n_ghosts))
    return "a pre or post with an insn, a rank, a stack range or ghosts";
  if (pre && k->n_exists < pre->n_exists)
    return "fewer existentials than the function's pre";
  for (uint32_t i = 0; i < k->n_bindings; i++) {
    const char *why =
        binding_error(c, &k->bindings[i], k->n_exists, role, seen);
    if (why)
      return why;
  }
  for (uint32_t i = 0; i < k->n_facts; i++)
    if (!form_ok(&k->facts[i], k->n_exists))
      return "malformed fact";
  if (k->has_rank && !form_ok(&k->rank, k->n_exists))
    return "malformed ranking term";
  for (uint32_t i = 0; i < k->n_ghosts; i++) {
    const vep_cut_point *loop = vep_cut_find(c, k->ghosts[i].loop);
    if (i && k->ghosts[i].loop <= k->ghosts[i - 1].loop)
      return "ghosts not sorted by loop or not distinct";
    if (!loop || !loop->has_rank || loop->insn >= k->insn)
      return "a ghost names no lower cut point with a ranking term";
    if (!form_ok(&k->ghosts[i].form, k->n_exists))
      return "malformed ghost form";
  }
  if (k->init_lo < -VEP_STACK_SIZE || k->init_lo > k->init_hi || k->init_hi > 0)
    return "initialised stack range not within [-512, 0]";
  return NULL;
}

/* The exit assertion's alternatives (a function's: at most one, which its
 * calls assume); rejections say "postcondition of <code>: ". */
static bool posts_ok(vep_checker *c, const vep_program_header *h) {
  const char *rule = "cut_assertion", *why = NULL;
  LABEL_OF(c, "postcondition", c->res->program);
  if (h->n_posts > VEP_MAX_POSTS || (h->n_posts && !h->posts))
    return vep_reject(c, "limits", "more than %d alternatives, or none given",
                      VEP_MAX_POSTS);
  if (c->fn >= 0 && h->n_posts > 1)
    why = "a function with more than one postcondition";
  for (uint32_t i = 0; i < h->n_posts && !why; i++)
    why = assertion_error(c, &h->posts[i], POST, &rule);
  return why ? vep_reject(c, rule, "%s", why) : unlabel(c, true);
}

bool vep_cut_table(vep_checker *c, const bool *second_half) {
  if (!posts_ok(c, &c->code))
    return false;
  if (c->code.n_cuts > VEP_MAX_CUTS)
    return vep_reject(c, "limits",
                      "more than " VEP_STR(VEP_MAX_CUTS) " cut points");
  if (c->code.n_cuts && !c->code.cuts)
    return vep_reject(c, "cut_table", "cut points missing");
  for (uint32_t i = 0; i < c->code.n_cuts; i++) {
    const vep_cut_point *k = &c->code.cuts[i];
    const char *rule = "cut_table", *why = NULL;
    if (k->insn == 0 || k->insn >= c->n_insns)
      why = "instruction index out of range";
    else if (i && k->insn <= c->code.cuts[i - 1].insn)
      why = "cut points not sorted by instruction or not distinct";
    else if (second_half[k->insn])
      why = "cut point in the middle of lddw";
    else
      why = assertion_error(c, k, CUT, &rule);
    if (why) {
      c->pc = k->insn;
      LABEL_CUT(c, k->insn);
      return vep_reject(c, rule, "%s", why);
    }
  }
  return true;
}

const vep_cut_point *vep_cut_find(const vep_checker *c, uint32_t insn) {
  uint32_t lo = 0, hi = c->code.n_cuts;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (c->code.cuts[mid].insn < insn)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < c->code.n_cuts && c->code.cuts[lo].insn == insn
             ? &c->code.cuts[lo]
             : NULL;
}

bool vep_func_table(vep_checker *c) {
  for (c->fn = 0; c->fn < (int32_t)c->n_fns; c->fn++) {
    const vep_function_header *h = &c->fns[c->fn];
    const char *rule, *why;
    c->pre = &h->pre;
    vep_set_program(c->res, c->fn_code[c->fn].name);
    LABEL_OF(c, "precondition", c->res->program);
    if ((why = assertion_error(c, &h->pre, PRE, &rule)))
      return vep_reject(c, rule, "%s", why);
    if (!posts_ok(c, &h->code))
      return false;
  }
  c->fn = -1;
  return unlabel(c, true);
}

/* ---- cut_enter ----------------------------------------------------------- */
_Static_assert(V_SCALAR + VEP_BIND_BUF == RG_BUF &&
                   V_SCALAR + VEP_BIND_RINGBUF == RG_RINGBUF,
               "kinds follow bindings");
static vep_val bound_val(const vep_binding *b, const vep_lin *form) {
  return (vep_val){(uint8_t)(V_SCALAR + b->kind), form, b->map, 0};
}

/* The register or slot a (well-formed) binding names. */
static vep_val *located(vep_checker *c, const vep_binding *b) {
  return state_value(&c->m, (uint32_t)loc_of(b->where));
}

/* Variables 0 = len (with its facts) and 1..n_exists (none); hypotheses:
 * the facts in order, then rank >= 0; registers and slots as bound, R10 =
 * STACK+0, bytes [init_lo, init_hi) initialised; all else uninitialised.
 * Each RINGBUF binding is a live reservation of its own, with an id no
 * helper call gives (those are step counts, at most VEP_MAX_STEPS).
 * func_entry is this for a function's pre (insn 0), whose BUF bindings
 * give pointers to offset 0 of their buffers, and rule entry for a
 * program's entry assertion (vep_program_entry). */
bool vep_cut_enter(vep_checker *c, const vep_cut_point *k) {
  const vep_lin *zero = vep_lin_const(c, 0);
  c->m = (vep_mstate){0};
  c->n_facts = c->n_vars = 0;
  c->top = NULL;
  c->pc = c->prev_pc = k->insn;
  c->at_start = true;
  c->start_cut = k;
  if (!zero || !(c->len = vep_fresh(c, c->type->max_len)))
    return false;
  c->m.reg[10] = pointer(RG_STACK, zero, 0);
  for (uint32_t i = 0; i < k->n_exists; i++)
    if (!vep_new_var(c))
      return false;
  for (uint32_t i = 0; i < k->n_facts; i++)
    if (!vep_add_fact(c, &k->facts[i]))
      return false;
  if (k->has_rank && !vep_add_fact(c, &k->rank))
    return false;
  for (int b = k->init_lo; b < k->init_hi; b++)
    set_init(&c->m, (uint32_t)(b + VEP_STACK_SIZE), true);
  for (uint32_t i = 0; i < k->n_bindings; i++) {
    const vep_binding *b = &k->bindings[i];
    vep_val *v = located(c, b);
    *v = bound_val(b, k->insn == 0 && b->kind == VEP_BIND_BUF ? zero : &b->form);
    if (b->kind == VEP_BIND_RINGBUF)
      v->id = VEP_MAX_STEPS + ++c->m.n_reserved;
    for (int j = 0; b->where < 0 && j < 8; j++) /* a slot's 8 bytes */
      set_init(&c->m, (uint32_t)(b->where + VEP_STACK_SIZE + j), true);
  }
  return true;
}

/* ---- cut_arrive ---------------------------------------------------------- */

/* cut_match: each bound register holds, each bound slot holds a whole
 * spilled value of, the binding's kind (and pointer region). At a call a
 * BUF binding matches a pointer into the packet, a map value, the stack, a
 * buffer or reserved memory (call_buffer checks the bytes). */
static bool cut_match(vep_checker *c, const vep_cut_point *k, bool call) {
  for (uint32_t i = 0; i < k->n_bindings; i++) {
    const vep_binding *b = &k->bindings[i];
    vep_val v = *located(c, b), want = bound_val(b, NULL);
    vep_msg m = {{0}, 0};
    if (call && b->kind == VEP_BIND_BUF &&
        (v.kind == RG_PACKET || v.kind == RG_MAP_VALUE || v.kind == RG_STACK ||
         v.kind == RG_BUF || v.kind == RG_RINGBUF))
      continue;
    if (v.kind == want.kind && v.map == want.map)
      continue;
    loc_name(&m, b->where);
    if (v.kind < V_SCALAR)
      vep_msg_addf(&m, b->where >= 0 ? " is uninitialised"
                                     : " holds no whole spilled value");
    else
      vep_msg_addf(&m, " is %s", kind_names[v.kind - V_SCALAR]);
    if (v.kind == RG_MAP_VALUE)
      vep_msg_addf(&m, " of map %d", v.map);
    return vep_reject(c, "cut_match", "%s, the assertion binds %s", m.s,
                      kind_names[b->kind]);
  }
  return true;
}

/* cut_stack: bytes [init_lo, init_hi) are initialised, and none belongs to
 * a spilled pointer the assertion does not bind (the path starting at the
 * cut point would read its bytes as a scalar). */
static bool cut_stack(vep_checker *c, const vep_cut_point *k) {
  for (int b = k->init_lo + VEP_STACK_SIZE; b < k->init_hi + VEP_STACK_SIZE;
       b++) {
    const char *why = NULL;
    if (!byte_init(&c->m, (uint32_t)b))
      why = "is not initialised";
    else if (c->m.slot[b / 8].kind > V_SCALAR &&
             !binding_at(k, b / 8 * 8 - VEP_STACK_SIZE))
      why = "belongs to a spilled pointer the assertion does not bind";
    if (why)
      return vep_reject(c, "cut_stack", "stack byte at %d %s",
                        b - VEP_STACK_SIZE, why);
  }
  return true;
}

/* cut_instantiate: x_j := value - c, from the first binding whose form is
 * exactly 1*x_j + c (value: the scalar's form or the pointer's offset),
 * for j > fixed; x_1..x_fixed are the path's own (a function's pre
 * existentials, the same on all its paths). At a call the BUF bindings'
 * forms are sizes, not values, and determine nothing. Returns the map from
 * assertion variables to path forms (0 -> len). */
static const vep_lin **cut_instantiate(vep_checker *c, const vep_cut_point *k,
                                       bool call) {
  uint32_t fixed = call ? 0 : c->pre->n_exists;
  const vep_lin **map =
      vep_alloc(c, (k->n_exists + 1) * sizeof *map, _Alignof(const vep_lin *));
  if (!map)
    return NULL;
  for (uint32_t x = 0; x <= k->n_exists; x++)
    map[x] = x == 0 ? c->len : x <= fixed ? vep_lin_var(c, x) : NULL;
  if (c->failed) /* a vep_lin_var */
    return NULL;
  for (uint32_t i = 0; i < k->n_bindings; i++) {
    const vep_lin *f = &k->bindings[i].form;
    vep_lin kc = {f->constant, 0, NULL};
    if (f->n_terms != 1 || f->terms[0].var == 0 || f->terms[0].coeff != 1 ||
        map[f->terms[0].var] || (call && k->bindings[i].kind == VEP_BIND_BUF))
      continue;
    map[f->terms[0].var] =
        vep_lin_comb(c, 1, located(c, &k->bindings[i])->form, -1, &kc, 0);
    if (!map[f->terms[0].var])
      return NULL;
  }
  for (uint32_t x = 1; x <= k->n_exists; x++)
    if (!map[x])
      return vep_reject(c, "cut_instantiate",
                        "existential x%lld is not determined by a binding "
                        "of the form x + c",
                        (long long)x),
             NULL;
  return map;
}

/* An assertion form rewritten over the path's variables. */
static const vep_lin *subst(vep_checker *c, const vep_lin *f,
                            const vep_lin *const *map) {
  const vep_lin *r = vep_lin_const(c, f->constant);
  for (uint32_t i = 0; i < f->n_terms && r; i++)
    r = vep_lin_comb(c, 1, r, f->terms[i].coeff, map[f->terms[i].var], 0);
  return r;
}

/* cut_binding: value - bound >= 0, then bound - value >= 0 (optional
 * questions for an alternative of an exit assertion other than the last:
 * vep_require without a rule). */
static bool cut_binding(vep_checker *c, const vep_binding *b,
                        const vep_lin *const *map, bool optional) {
  const vep_lin *value = located(c, b)->form, *bound = subst(c, &b->form, map);
  vep_msg what = {" for ", 5};
  loc_name(&what, b->where);
  for (int s = 1; s >= -1; s -= 2)
    if (!bound ||
        !vep_require(c, optional ? NULL : "cut_binding", VEP_GOAL_CUT_BINDING,
                     vep_lin_comb(c, s, value, -s, bound, 0), what.s))
      return false;
  return true;
}

/* call_enter, for a BUF binding of the callee's pre: the argument points
 * to `size` bytes inside its region: the packet, a map value, reserved
 * memory or a buffer of the calling function, [0, vep_region_end) (which
 * the caller may write if this one is `writes`), or the caller's stack (a
 * constant size, the bytes initialised and free of spilled pointers). */
static bool call_buffer(vep_checker *c, const vep_binding *b,
                        const vep_lin *const *map) {
  const vep_val *v = located(c, b);
  const vep_lin *size = subst(c, &b->form, map);
  if (!size)
    return false;
  if (v->kind == RG_STACK) {
    if (!lin_is_const(size) || !vep_stack_buffer(c, v, size->constant))
      return vep_reject(c, "call_enter",
                        "r%d: stack buffer outside the frame, of a size that "
                        "is not a constant, not initialised or holding a "
                        "spilled pointer",
                        b->where);
    /* call_return's part, done here: nothing the pre's later checks read
     * changes (the bytes were data already; only spilled scalars go) */
    if (b->writes)
      stack_write_data(&c->m, (uint32_t)(v->form->constant + VEP_STACK_SIZE),
                       (uint32_t)size->constant);
    return true;
  }
  const vep_lin *end = vep_region_end(c, v, b->writes);
  if (!end && !c->failed)
    return vep_reject(c, "call_enter",
                      "r%d: a read-only map value or a buffer the caller may "
                      "only read passed as writes",
                      b->where);
  return vep_in_bounds(c, "call_enter", v->form, end, size, 0);
}

/* The assertion k holds of the current state: cut_match, cut_stack,
 * cut_instantiate, then per binding in order cut_binding (call_buffer for
 * a BUF binding at a call), then cut_fact per fact (`optional`: their
 * questions are). Returns the instantiation, or NULL. */
static const vep_lin **holds(vep_checker *c, const vep_cut_point *k, bool call,
                             bool optional) {
  const vep_lin **map;
  if (!cut_match(c, k, call) || !cut_stack(c, k) ||
      !(map = cut_instantiate(c, k, call)))
    return NULL;
  for (uint32_t i = 0; i < k->n_bindings; i++) {
    const vep_binding *b = &k->bindings[i];
    if (!(call && b->kind == VEP_BIND_BUF ? call_buffer(c, b, map)
                                          : cut_binding(c, b, map, optional)))
      return NULL;
  }
  for (uint32_t i = 0; i < k->n_facts; i++) { /* cut_fact */
    vep_msg what = {{0}, 0};
    vep_msg_addf(&what, " for fact %lld", (long long)i);
    if (!vep_require(c, optional ? NULL : "cut_fact", VEP_GOAL_CUT_FACT,
                     subst(c, &k->facts[i], map), what.s))
      return NULL;
  }
  return map;
}

/* What the path's start knows of the rank of the loop at insn `loop`:
 * rank(start) if the path started there, else the start's ghost for it;
 * NULL if neither (the entry, a function's pre, other cut points). */
static const vep_lin *start_rank(const vep_checker *c, uint32_t loop) {
  const vep_cut_point *s = c->start_cut;
  for (uint32_t i = 0; s && i < s->n_ghosts; i++)
    if (s->ghosts[i].loop == loop)
      return &s->ghosts[i].form;
  return s && s->insn == loop && s->has_rank ? &s->rank : NULL;
}

/* cut_ringbuf: the reservations live on arrival are exactly those the
 * RINGBUF bindings hold (cut_match checked kind and size), one binding
 * each, so that a path from k releases each once (and one that may be
 * null, which no binding holds, is none of them). */
static bool cut_ringbuf(vep_checker *c, const vep_cut_point *k) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < k->n_bindings; i++) {
    if (k->bindings[i].kind != VEP_BIND_RINGBUF)
      continue;
    n++;
    for (uint32_t j = 0; j < i; j++)
      if (k->bindings[j].kind == VEP_BIND_RINGBUF &&
          located(c, &k->bindings[j])->id == located(c, &k->bindings[i])->id)
        return vep_reject(c, "cut_ringbuf",
                          "two bindings hold one ringbuf reservation");
  }
  return n == c->m.n_reserved ||
         vep_reject(c, "cut_ringbuf",
                    "%lld ringbuf reservation(s) not submitted or discarded, "
                    "the assertion binds %lld",
                    (long long)c->m.n_reserved, (long long)n);
}

/* A back edge is an arrival whose last instruction (the jump) is at or
 * after k. Order: cut_back_edge (only on a path that started at k or at a
 * cut point with a ghost for k), the assertion (holds), cut_ringbuf,
 * rank_nonneg, per ghost (L, g) cut_ghost (the path started at L or at a
 * cut point with a ghost for L) and rank_ghost (g(end) <= start_rank(L)),
 * rank_decrease (on a back edge: rank(end) <= start_rank(k) - 1; k has a
 * rank, as the structural pass and cut_table ensure). */
bool vep_cut_arrive(vep_checker *c, const vep_cut_point *k) {
  bool back = k->insn <= c->prev_pc;
  const vep_lin **map, *end = NULL, *from = start_rank(c, k->insn);
  LABEL_CUT(c, k->insn);
  if (back && !from) {
    c->pc = c->prev_pc;
    return vep_reject(c, "cut_back_edge",
                      "backward jump from insn %lld on a path that did not "
                      "start in the loop (at its head or at a cut point with "
                      "a ghost for it)",
                      (long long)c->prev_pc);
  }
  if (!vep_end_path(c) || !(map = holds(c, k, false, false)) ||
      !cut_ringbuf(c, k))
    return false;
  if (k->has_rank &&
      (!(end = subst(c, &k->rank, map)) ||
       !vep_require(c, "rank_nonneg", VEP_GOAL_RANK_NONNEG, end, NULL)))
    return false;
  for (uint32_t i = 0; i < k->n_ghosts; i++) {
    const vep_lin *bound = start_rank(c, k->ghosts[i].loop), *ghost;
    if (!bound)
      return vep_reject(c, "cut_ghost",
                        "inside the loop at insn %lld, but the path from insn "
                        "%lld did not come through it",
                        (long long)k->ghosts[i].loop,
                        (long long)c->start_cut->insn);
    if (!(ghost = subst(c, &k->ghosts[i].form, map)) ||
        !vep_require(c, "rank_ghost", VEP_GOAL_RANK_GHOST,
                     vep_lin_comb(c, 1, bound, -1, ghost, 0), NULL))
      return false;
  }
  return unlabel(
      c, !back || vep_require(c, "rank_decrease", VEP_GOAL_RANK_DECREASE,
                              vep_lin_comb(c, 1, from, -1, end, -1), NULL));
}

/* ---- Functions ----------------------------------------------------------- */
/* exit_post: the first alternative of the exit assertion that holds
 * proves the exit, the questions of all but the last optional; none:
 * "true". A function's post has as its first existentials the pre's. */
bool vep_exit_post(vep_checker *c) {
  LABEL_OF(c, "postcondition", c->res->program);
  for (uint32_t i = 0; i < c->code.n_posts && !c->failed; i++)
    if (holds(c, &c->code.posts[i], false, i + 1 < c->code.n_posts))
      break;
  return unlabel(c, !c->failed);
}

/* call_return (after call_buffer made the bytes of `writes` stack buffers
 * initialised data, the spills they overlap gone): R0 holds the post's
 * binding (any
 * scalar without one) over the pre's instantiation and fresh variables for
 * the post's own existentials, with the post's facts; R1..R5 are
 * uninitialised; everything else is kept. */
static bool call_return(vep_checker *c, const vep_function_header *h,
                        const vep_lin *const *pre_map) {
  static const vep_cut_point any_r0; /* no post */
  const vep_cut_point *post = h->code.n_posts ? h->code.posts : &any_r0;
  const vep_lin **map = vep_alloc(c, (post->n_exists + 1) * sizeof *map,
                                  _Alignof(const vep_lin *));
  if (!map)
    return false;
  for (uint32_t x = 0; x <= post->n_exists; x++)
    if (!(map[x] = x <= h->pre.n_exists ? pre_map[x] : vep_new_var(c)))
      return false;
  const vep_binding *r0 = post->n_bindings ? post->bindings : NULL;
  vep_val out =
      scalar(r0 ? subst(c, &r0->form, map) : vep_fresh(c, VEP_U64_MAX));
  for (uint32_t i = 0; i < post->n_facts && out.form; i++)
    if (!vep_add_fact(c, subst(c, &post->facts[i], map)))
      return false;
  return vep_returned(c, out);
}

/* call_enter: a function calls only functions after it in the table (so
 * no call chain repeats a function); the callee's pre holds (holds, with
 * its BUF bindings checked by call_buffer). Then call_return. */
bool vep_call(vep_checker *c, uint32_t fn) {
  const vep_lin **map;
  if (c->fn >= 0 && fn <= (uint32_t)c->fn)
    return vep_reject(c, "call_enter",
                      "a function may call only functions after it in the "
                      "function table, not %s",
                      c->fn_code[fn].name);
  LABEL_OF(c, "precondition", c->fn_code[fn].name);
  map = holds(c, &c->fns[fn].pre, true, false);
  return unlabel(c, map != NULL) && call_return(c, &c->fns[fn], map);
}
