/*===- alu.c - ALU and ALU64 rules -----------------------------------------===*
 *
 * A scalar's form always denotes its unsigned value, a number in
 * [0, 2^64) (ALU32 results: [0, 2^32)). A result is either an exact form,
 * kept only when it is provably in range (rule alu_exact), or a fresh
 * variable constrained by the operation's axiom schema. Constant operands
 * are folded with the exact RFC 9669 semantics (rule alu_const).
 *===----------------------------------------------------------------------===*/
#include "core.h"

typedef struct alu_args {
  vep_checker *c;
  const vep_insn *in;
  bool is64;   /* ALU64 class */
  vep_int max; /* 2^bits - 1 */
  const vep_lin *x, *y;
} alu_args;

/* ---- alu_const: concrete evaluation -------------------------------------- */
static uint64_t sext(uint64_t v, unsigned bits) {
  uint64_t m = 1ull << (bits - 1);
  v &= bits == 64 ? ~0ull : (m << 1) - 1;
  return (v ^ m) - m;
}

static uint64_t bswap(uint64_t v, unsigned bits) {
  uint64_t r = 0;
  for (unsigned i = 0; i < bits; i += 8)
    r = (r << 8) | ((v >> i) & 0xff);
  return r;
}

/* Sign-extended to 64 bits and shifted; the vacated bits take the sign. */
static uint64_t ashr(uint64_t v, unsigned k, unsigned bits) {
  uint64_t s = sext(v, bits);
  return (s >> k) | (s >> 63 ? ~(~0ull >> k) : 0);
}

static uint64_t sdiv(uint64_t x, uint64_t y, unsigned bits, bool mod) {
  int64_t a = (int64_t)sext(x, bits), b = (int64_t)sext(y, bits);
  if (b == -1) /* avoids INT_MIN / -1: quotient wraps to -a, remainder 0 */
    return mod ? 0 : 0 - (uint64_t)a;
  return mod ? (uint64_t)(a % b) : (uint64_t)(a / b);
}

/* The operation on bits-wide values x, y; the caller truncates. */
static uint64_t eval_op(const vep_insn *in, uint64_t x, uint64_t y,
                        unsigned bits) {
  unsigned k = (unsigned)(y & (bits - 1));
  bool s = in->off == 1;
  switch (insn_op(in->code)) {
  case OP_ADD:
    return x + y;
  case OP_SUB:
    return x - y;
  case OP_MUL:
    return x * y;
  case OP_DIV:
    return !y ? 0 : s ? sdiv(x, y, bits, false) : x / y;
  case OP_OR:
    return x | y;
  case OP_AND:
    return x & y;
  case OP_LSH:
    return x << k;
  case OP_RSH:
    return x >> k;
  case OP_NEG:
    return 0 - x;
  case OP_MOD:
    return !y ? x : s ? sdiv(x, y, bits, true) : x % y;
  case OP_XOR:
    return x ^ y;
  case OP_MOV:
    return in->off ? sext(y, (unsigned)in->off) : y;
  case OP_ARSH:
    return ashr(x, k, bits);
  default:
    return 0;
  }
}

static uint64_t alu_eval(const vep_insn *in, bool is64, uint64_t x,
                         uint64_t y) {
  unsigned w = (unsigned)in->imm;
  if (insn_op(in->code) == OP_END) {
    uint64_t low = w == 64 ? x : x & ((1ull << w) - 1);
    return (!is64 && !(in->code & SRC_X)) ? low : bswap(x, w);
  }
  uint64_t mask = is64 ? ~0ull : 0xffffffffull;
  return eval_op(in, x & mask, y & mask, is64 ? 64 : 32) & mask;
}

/* ---- helpers ------------------------------------------------------------- */
/* alu_fresh: OR, XOR, NEG, ARSH, SDIV/SMOD, MOVSX on unknown operands, and
 * the rules' fallback: a fresh value in [0, 2^bits - 1]. */
static const vep_lin *alu_fresh(alu_args *a) { return vep_fresh(a->c, a->max); }

/* Candidate forms are built "soft": one that would overflow or grow past
 * VEP_MAX_TERMS is NULL, and the rule falls back to a fresh variable or
 * drops the schema fact (less information, still sound). */
static const vep_lin *soft(alu_args *a, vep_int ka, const vep_lin *x,
                           vep_int kb, const vep_lin *y, vep_int k) {
  return vep_lin_comb_soft(a->c, ka, x, kb, y, k);
}

static bool schema_fact(alu_args *a, const vep_lin *f) {
  return f ? vep_add_fact(a->c, f) : !a->c->failed;
}

/* alu32_operand: the operand's value if it is below 2^bits. ALU64: the form
 * itself. ALU32: a constant's low 32 bits, or the form when NO_WRAP_HIGH
 * certifies 2^32-1 - f >= 0. NULL: unknown, or failure (c->failed). */
static const vep_lin *operand(alu_args *a, const vep_lin *f) {
  if (a->is64 || !f)
    return f;
  if (lin_is_const(f))
    return vep_lin_const(a->c, f->constant & VEP_U32_MAX);
  const vep_lin *g = soft(a, -1, f, 0, NULL, VEP_U32_MAX);
  return vep_ask(a->c, VEP_GOAL_NO_WRAP_HIGH, true, g) == 1 ? f : NULL;
}

/* alu_exact: e is the result if 0 <= e (asked when `low`) and
 * e <= 2^bits - 1 (asked when `high`); else (also when e is NULL: no exact
 * candidate) a fresh variable. NULL on failure. */
static const vep_lin *exact_or_fresh(alu_args *a, const vep_lin *e, bool low,
                                     bool high) {
  int r = e ? 1 : a->c->failed ? -1 : 0;
  if (r == 1 && low)
    r = vep_ask(a->c, VEP_GOAL_NO_WRAP_LOW, true, e);
  if (r == 1 && high)
    r = vep_ask(a->c, VEP_GOAL_NO_WRAP_HIGH, true,
                soft(a, -1, e, 0, NULL, a->max));
  return r < 0 ? NULL : r == 1 ? e : alu_fresh(a);
}

/* For commutative MUL and AND: the constant operand (NULL: neither is),
 * *other the other one. */
static const vep_lin *const_operand(const alu_args *a, const vep_lin **other) {
  *other = lin_is_const(a->y) ? a->x : a->y;
  return lin_is_const(a->y) ? a->y : lin_is_const(a->x) ? a->x : NULL;
}

/* ---- scalar rules (one per operation) ------------------------------------ */
/* alu_mov: dst = src exactly (ALU32: if src < 2^32); MOVSX: fresh. */
static const vep_lin *alu_mov(alu_args *a) {
  return exact_or_fresh(a, a->in->off ? NULL : operand(a, a->y), false, false);
}

/* alu_add_sub: x +- y exactly if in range. Adding a nonnegative amount can
 * only overflow (ask NO_WRAP_HIGH), subtracting one only underflow (ask
 * NO_WRAP_LOW); "+= negative imm" subtracts. */
static const vep_lin *alu_add_sub(alu_args *a) {
  vep_int sign = insn_op(a->in->code) == OP_SUB ? -1 : 1;
  const vep_lin *x = operand(a, a->x), *y;
  if (x && !(a->in->code & SRC_X)) {
    vep_int k = sign * (vep_int)a->in->imm;
    return exact_or_fresh(a, soft(a, 1, x, 0, NULL, k), (k < 0), (k > 0));
  }
  y = x ? operand(a, a->y) : NULL;
  return exact_or_fresh(a, y ? soft(a, 1, x, sign, y, 0) : NULL, (sign < 0),
                        (sign > 0));
}

/* alu_mul_const: k * x exactly if <= 2^bits - 1 (k, x >= 0). */
static const vep_lin *alu_mul(alu_args *a) {
  const vep_lin *o, *k = const_operand(a, &o), *x = k ? operand(a, o) : NULL;
  return exact_or_fresh(
      a, x ? soft(a, k->constant & a->max, x, 0, NULL, 0) : NULL, false, true);
}

/* alu_lsh_const: x << k is 2^k * x exactly if <= 2^bits - 1. */
static const vep_lin *alu_lsh(alu_args *a) {
  const vep_lin *x = operand(a, a->x);
  unsigned k = (unsigned)(a->y->constant & (a->is64 ? 63 : 31));
  return exact_or_fresh(a, x ? soft(a, (vep_int)1 << k, x, 0, NULL, 0) : NULL,
                        false, k > 0);
}

/* floor_div: r = x / p for a constant p >= 1 (unsigned):
 * p*r <= x <= p*r + p - 1, 0 <= r <= (2^bits-1) / p. */
static const vep_lin *floor_div(alu_args *a, vep_int p) {
  const vep_lin *x = operand(a, a->x), *r;
  if (a->c->failed || (x && p == 1))
    return x;
  if (!(r = vep_fresh(a->c, a->max / p)) || !x)
    return r;
  if (!schema_fact(a, soft(a, 1, x, -p, r, 0)) ||
      !schema_fact(a, soft(a, p, r, -1, x, p - 1)))
    return NULL;
  return r;
}

/* alu_rsh_const: x >> k is x / 2^k. */
static const vep_lin *alu_rsh(alu_args *a) {
  return floor_div(a, (vep_int)1 << (a->y->constant & (a->is64 ? 63 : 31)));
}

/* alu_and_const: r = x & c:  0 <= r <= c,  r <= x. */
static const vep_lin *alu_and(alu_args *a) {
  const vep_lin *o, *k = const_operand(a, &o), *x, *r;
  if (!k)
    return alu_fresh(a);
  x = operand(a, o);
  if (a->c->failed || !(r = vep_fresh(a->c, k->constant & a->max)))
    return NULL;
  return !x || schema_fact(a, soft(a, 1, x, -1, r, 0)) ? r : NULL;
}

/* alu_div, alu_mod: a divisor of constant 0 gives 0 (DIV) or leaves dst
 * (MOD; ALU32: its low 32 bits). By a constant c >= 1, unsigned DIV is
 * floor_div and MOD fresh in [0, c - 1]; SDIV, SMOD (and a variable
 * divisor, alu_scalar) fresh in range. */
static const vep_lin *alu_div_mod(alu_args *a) {
  bool mod = insn_op(a->in->code) == OP_MOD;
  vep_int k = a->y->constant & a->max;
  if (k == 0)
    return mod ? exact_or_fresh(a, operand(a, a->x), false, false)
               : vep_lin_const(a->c, 0);
  if (a->in->off)
    return alu_fresh(a);
  return mod ? vep_fresh(a->c, k - 1) : floor_div(a, k);
}

/* alu_end: to-little-endian 64 is the identity (little-endian target);
 * other byte swaps give a fresh value below 2^width. */
static const vep_lin *alu_end(alu_args *a) {
  unsigned w = (unsigned)a->in->imm;
  if (w == 64 && !a->is64 && !(a->in->code & SRC_X))
    return a->x;
  return vep_fresh(a->c, w == 64 ? VEP_U64_MAX : ((vep_int)1 << w) - 1);
}

/* clang-format off */
#define ALU_RULES(X)                                                          \
  X(OP_ADD, alu_add_sub) X(OP_SUB, alu_add_sub) X(OP_MUL, alu_mul)            \
  X(OP_DIV, alu_div_mod) X(OP_OR, alu_fresh)    X(OP_AND, alu_and)            \
  X(OP_LSH, alu_lsh)     X(OP_RSH, alu_rsh)     X(OP_NEG, alu_fresh)          \
  X(OP_MOD, alu_div_mod) X(OP_XOR, alu_fresh)   X(OP_MOV, alu_mov)            \
  X(OP_ARSH, alu_fresh)  X(OP_END, alu_end)
/* clang-format on */

typedef const vep_lin *(*alu_rule)(alu_args *);
#define ALU_ENTRY(op, fn) [(op) >> 4] = fn,
static const alu_rule alu_rules[16] = {ALU_RULES(ALU_ENTRY)};

static const vep_lin *alu_scalar(alu_args *a) {
  uint8_t op = insn_op(a->in->code);
  /* alu_const applies when every operand the operation reads is constant
   * (MOV does not read dst; NEG's y is imm 0, rule insn_valid; END's is
   * dst). */
  if ((op == OP_MOV || lin_is_const(a->x)) && lin_is_const(a->y)) {
    uint64_t x = a->x ? (uint64_t)a->x->constant : 0;
    return vep_lin_const(a->c,
                         alu_eval(a->in, a->is64, x, (uint64_t)a->y->constant));
  }
  /* alu_fresh: LSH, RSH, DIV, MOD by a variable (the rules below need a
   * constant y) */
  if (!lin_is_const(a->y) &&
      (op == OP_LSH || op == OP_RSH || op == OP_DIV || op == OP_MOD))
    return alu_fresh(a);
  return alu_rules[op >> 4](a);
}

/* ---- pointer rules ------------------------------------------------------- */
/* The pointer p moved to offset `off` (same region and map). */
static bool ptr_to(const vep_val *p, const vep_lin *off, vep_val *out) {
  *out = *p;
  out->form = off;
  return off != NULL;
}

/* Map pointers and nullable values admit no arithmetic. */
static bool movable(const vep_val *v) {
  return v->kind > V_SCALAR && v->kind != RG_MAP_PTR && !nullable(v);
}

/* ptr_diff: same base, so the machine difference is (o1 - o2) mod 2^64;
 * it is exact when 0 <= o1 - o2 <= 2^64 - 1 is certified. */
static bool ptr_diff(vep_checker *c, const vep_val *d, const vep_val *s,
                     vep_val *out) {
  alu_args a = {c, NULL, true, VEP_U64_MAX, NULL, NULL};
  vep_int k_len = (d->kind == RG_PACKET_END) - (s->kind == RG_PACKET_END);
  const vep_lin *e = vep_lin_comb_soft(c, 1, d->form, -1, s->form, 0);
  if (e && k_len)
    e = vep_lin_comb_soft(c, 1, e, k_len, c->len, 0);
  *out = scalar(exact_or_fresh(&a, e, true, true));
  return out->form != NULL;
}

/* ptr_add / ptr_sub: pointer +- scalar moves the offset exactly (the
 * machine value stays base + offset mod 2^64); imm is sign-extended. */
static bool alu_ptr(vep_checker *c, const vep_insn *in, const vep_val *d,
                    const vep_val *s, vep_val *out) {
  uint8_t op = insn_op(in->code);
  bool imm = !(in->code & SRC_X);
  const vep_lin *k = imm ? NULL : s->form;
  vep_int ki = imm ? in->imm : 0, sign = op == OP_SUB ? -1 : 1;
  bool copy = insn_class(in->code) == CLS_ALU64 && op == OP_MOV && !in->off;
  if (!copy && (nullable(d) || nullable(s)))
    return vep_reject(c, "ptr_alu", "map value may be null");
  if (insn_class(in->code) != CLS_ALU64)
    return vep_reject(c, "ptr_alu", "32-bit arithmetic on a pointer");
  if (copy)
    return *out = *s, true;
  if ((op == OP_ADD || op == OP_SUB) && movable(d) && s->kind == V_SCALAR)
    return ptr_to(d, vep_lin_comb(c, 1, d->form, sign, k, sign * ki), out);
  if (op == OP_ADD && d->kind == V_SCALAR && movable(s))
    return ptr_to(s, vep_lin_comb(c, 1, s->form, 1, d->form, 0), out);
  if (op == OP_SUB && packetish(d) && packetish(s))
    return ptr_diff(c, d, s, out);
  return vep_reject(c, "ptr_alu", "operation not allowed on a pointer");
}

bool vep_exec_alu(vep_checker *c, const vep_insn *in) {
  uint8_t op = insn_op(in->code);
  bool is64 = insn_class(in->code) == CLS_ALU64;
  vep_val d = {V_UNINIT, NULL, 0, 0}, s, out;
  if (op != OP_MOV && !vep_read_reg(c, in->dst, &d))
    return false;
  /* END's source bit selects the byte order; its only operand is dst. */
  if (op == OP_END)
    s = d;
  else if (!vep_read_src(c, in, is64, &s))
    return false;
  if (d.kind > V_SCALAR || s.kind > V_SCALAR) {
    if (!alu_ptr(c, in, &d, &s, &out))
      return false;
  } else {
    vep_int max = is64 ? VEP_U64_MAX : VEP_U32_MAX;
    alu_args a = {c, in, is64, max, d.form, s.form};
    if (!(out = scalar(alu_scalar(&a))).form)
      return false;
  }
  c->m.reg[in->dst] = out;
  c->pc++;
  return true;
}
