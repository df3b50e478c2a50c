/*===- jump.c - Rules jmp_ja, jmp_cond, jmp_ne, jmp_signed, jmp32 ----------===*
 *
 * A conditional jump forks the path. Facts are added to a branch only when
 * they are sound: comparisons of scalars, or of packet pointers whose
 * offsets are certified small enough that their machine values do not
 * wrap (unsigned 64-bit and equality only). Signed and 32-bit comparisons
 * and disequalities add facts only under side conditions the proof
 * certifies (CMP_RANGE); JSET adds none. The jump class also holds exit
 * (rule exit_r0) and calls (helper.c, cut.c).
 *===----------------------------------------------------------------------===*/
#include "core.h"

/* A side's fact is  sign * (x - y) + k >= 0; EQ adds x - y >= 0 and
 * y - x >= 0; NE adds what rule jmp_ne allows; NONE adds nothing. */
enum { NONE = 0, EQ = 2, NE = 3 };

typedef struct cmp_rule {
  int8_t taken, taken_k, fall, fall_k;
} cmp_rule;

/* By op >> 4; JSET has no rule (all NONE). A signed jump has its unsigned
 * twin's facts under rule jmp_signed's condition. */
static const cmp_rule cmp_rules[16] = {
    [J_EQ >> 4] = {EQ, 0, NE, 0}, /* x == y      | x != y         */
    [J_NE >> 4] = {NE, 0, EQ, 0}, /* x != y      | x == y         */
    [J_GT >> 4] = {1, -1, -1, 0}, /* x - y - 1   | y - x          */
    [J_GE >> 4] = {1, 0, -1, -1}, /* x - y       | y - x - 1      */
    [J_LT >> 4] = {-1, -1, 1, 0}, /* y - x - 1   | x - y          */
    [J_LE >> 4] = {-1, 0, 1, -1}, /* y - x       | x - y - 1      */
    [J_SGT >> 4] = {1, -1, -1, 0}, [J_SGE >> 4] = {1, 0, -1, -1},
    [J_SLT >> 4] = {-1, -1, 1, 0}, [J_SLE >> 4] = {-1, 0, 1, -1},
};

/* Optional CMP_RANGE question  ka*a + kb*b + k >= 0  (a goal that cannot
 * be formed is not certified). Returns 1 certified, 0 not, -1 failure. */
static int ask_cmp(vep_checker *c, vep_int ka, const vep_lin *a, vep_int kb,
                   const vep_lin *b, vep_int k) {
  return vep_ask(c, VEP_GOAL_CMP_RANGE, true,
                 vep_lin_comb_soft(c, ka, a, kb, b, k));
}

/* Appends the fact  ka*a + kb*b + k >= 0  to out[*n]. Built soft: a fact
 * that cannot be formed is left out (fewer facts, sound). */
static bool add(vep_checker *c, vep_int ka, const vep_lin *a, vep_int kb,
                const vep_lin *b, vep_int k, vep_lin *out, uint32_t *n) {
  const vep_lin *f = vep_lin_comb_soft(c, ka, a, kb, b, k);
  if (f)
    out[(*n)++] = *f;
  return !c->failed;
}

/* The facts of one side of a comparison of x and y; `half` is 0 for an
 * unsigned one, else 2^(width - 1). */
static bool side_facts(vep_checker *c, int sign, int k, vep_int half,
                       const vep_lin *x, const vep_lin *y, vep_lin *out,
                       uint32_t *n) {
  if (sign == EQ)
    return add(c, 1, x, -1, y, 0, out, n) && add(c, -1, x, 1, y, 0, out, n);
  for (int s = 1; sign == NE && s >= -1; s -= 2) { /* jmp_ne */
    int r = ask_cmp(c, s, x, -s, y, 0);
    if (r != 0)
      return r > 0 && add(c, s, x, -s, y, -1, out, n);
  }
  if (sign == NE || sign == NONE)
    return true;
  const vep_lin *g = sign > 0 ? x : y, *l = sign > 0 ? y : x;
  if (half) { /* jmp_signed: the lesser operand is nonnegative */
    int r = ask_cmp(c, -1, l, 0, NULL, half - 1);
    if (r != 1)
      return r == 0;
  }
  return add(c, sign, x, -sign, y, k, out, n) &&
         (!half || add(c, -1, g, 0, NULL, half - 1, out, n));
}

/* jmp_ptr_cmp: -2^31 <= o <= 2^31 for a packet pointer's offset o, so its
 * machine value data + (len +) o lies inside [2^32 - 2^31, 2^64) without
 * wrapping (platform assumption). Returns 1 certified, 0 not, -1 failure. */
static int ptr_in_range(vep_checker *c, const vep_val *v) {
  for (int sign = 1; sign >= -1; sign -= 2) { /* o + 2^31, then 2^31 - o */
    int r = ask_cmp(c, sign, v->form, 0, NULL, (vep_int)1 << 31);
    if (r != 1)
      return r;
  }
  return 1;
}

/* The value compared: a scalar's form; a packet pointer's offset from
 * data (len + o for the packet end). */
static const vep_lin *compared(vep_checker *c, const vep_val *v) {
  if (v->kind == RG_PACKET_END)
    return vep_lin_comb_soft(c, 1, c->len, 1, v->form, 0);
  return v->form;
}

/* jmp_cond: the facts of each branch of a comparison. */
static bool cmp_facts(vep_checker *c, const vep_insn *in, const vep_val *d,
                      const vep_val *s, vep_lin *taken, uint32_t *nt,
                      vep_lin *fall, uint32_t *nf) {
  uint8_t op = insn_op(in->code);
  const cmp_rule *rule = &cmp_rules[op >> 4];
  bool is32 = insn_class(in->code) == CLS_JMP32;
  bool sgn = op == J_SGT || op == J_SGE || op == J_SLT || op == J_SLE;
  vep_int half = sgn ? (vep_int)1 << (is32 ? 31 : 63) : 0;
  if (rule->taken == NONE)
    return true;
  if (packetish(d) && packetish(s)) {
    int r = sgn || is32 ? 0 : ptr_in_range(c, d);
    if (r == 1)
      r = ptr_in_range(c, s);
    if (r != 1)
      return r == 0;
  } else if (d->kind != V_SCALAR || s->kind != V_SCALAR) {
    return true;
  }
  const vep_lin *x = compared(c, d), *y = compared(c, s);
  if (!x || !y)
    return !c->failed;
  for (int i = 0; is32 && i < 2; i++) { /* jmp32: operands below 2^32 */
    int r = ask_cmp(c, -1, i ? y : x, 0, NULL, VEP_U32_MAX);
    if (r != 1)
      return r == 0;
  }
  return side_facts(c, rule->taken, rule->taken_k, half, x, y, taken, nt) &&
         side_facts(c, rule->fall, rule->fall_k, half, x, y, fall, nf);
}

/* Every copy (register or spilled slot) of the nullable value d becomes
 * scalar 0 (`null`: a null reservation has nothing to release) or its
 * non-null side: for a lookup non_null (a value, or an inner map), for a
 * reservation RINGBUF memory at offset 0 keeping its id. */
static void refine(const vep_checker *c, vep_mstate *m, const vep_val *d,
                   bool null, const vep_lin *zero) {
  m->n_reserved -= null && d->kind == RG_RINGBUF_OR_NULL;
  for (uint32_t i = 0; i < VEP_NREGS + VEP_SLOTS; i++) {
    vep_val *v = state_value(m, i);
    if (!nullable(v) || v->id != d->id)
      continue;
    *v = null ? scalar(zero)
         : v->kind == RG_MAP_OR_NULL
             ? non_null(c->maps, v->map, zero)
             : (vep_val){RG_RINGBUF, zero, v->map, v->id};
  }
}

/* null_check: a 64-bit JEQ/JNE of a nullable map value with the immediate 0
 * forks into the null side and the non-null side, no facts, no questions.
 * Any other comparison involving a nullable value or a map pointer
 * rejects. Returns 1 done, 0 not a map comparison, -1 failure. */
static int null_check(vep_checker *c, const vep_insn *in, const vep_val *d,
                      const vep_val *s) {
  uint8_t op = insn_op(in->code);
  bool maybe_null = nullable(d);
  if (d->kind == RG_MAP_PTR || s->kind == RG_MAP_PTR)
    return vep_reject(c, "null_check", "comparison of a map pointer"), -1;
  if (!maybe_null && !nullable(s))
    return 0;
  if (!maybe_null || insn_class(in->code) != CLS_JMP || (in->code & SRC_X) ||
      in->imm != 0 || (op != J_EQ && op != J_NE))
    return vep_reject(c, "null_check",
                      "map value may be null (only a 64-bit JEQ/JNE with 0 "
                      "tests it)"),
           -1;
  const vep_lin *zero = vep_lin_const(c, 0);
  if (!zero ||
      !vep_push_branch(c, c->pc + 1 + (uint32_t)(int32_t)in->off, NULL, 0))
    return -1;
  refine(c, &c->top->m, d, op == J_EQ, zero); /* the taken side */
  refine(c, &c->m, d, op != J_EQ, zero);
  c->pc++;
  return 1;
}

static bool jmp_cond(vep_checker *c, const vep_insn *in) {
  vep_val d, s;
  vep_lin taken[2], fall[2];
  uint32_t nt = 0, nf = 0;
  /* JMP32 compares the immediate's 32 bits. */
  if (!vep_read_reg(c, in->dst, &d) ||
      !vep_read_src(c, in, insn_class(in->code) == CLS_JMP, &s))
    return false;
  int r = null_check(c, in, &d, &s);
  if (r != 0)
    return r > 0;
  if (!cmp_facts(c, in, &d, &s, taken, &nt, fall, &nf) ||
      !vep_push_branch(c, c->pc + 1 + (uint32_t)(int32_t)in->off, taken, nt))
    return false;
  r = vep_enter_branch(c, fall, nf);
  c->path_done = r == 0; /* false while the path runs */
  c->pc++;
  return r >= 0;
}

/* exit_r0: R0 is an initialised scalar, never a pointer. Then exit_post. */
static bool exec_exit(vep_checker *c) {
  vep_val r0;
  if (!vep_read_reg(c, 0, &r0))
    return false;
  if (r0.kind != V_SCALAR)
    return vep_reject(c, "exit_r0", "r0 holds a pointer at exit");
  return vep_no_reservation(c, "at exit") && vep_end_path(c) &&
         vep_exit_post(c);
}

bool vep_exec_jump(vep_checker *c, const vep_insn *in) {
  uint8_t op = insn_op(in->code);
  if (op == J_EXIT)
    return exec_exit(c);
  if (op == J_CALL)
    return vep_exec_call(c, in);
  if (op == J_JA) { /* jmp_ja */
    c->pc +=
        1 + (uint32_t)(insn_class(in->code) == CLS_JMP32 ? in->imm : in->off);
    return true;
  }
  return jmp_cond(c, in);
}
