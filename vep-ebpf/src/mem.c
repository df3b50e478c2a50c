/*===- mem.c - Load and store rules: mem_ctx, mem_packet, mem_stack ------===*/
#include "core.h"

typedef struct mem_args {
  vep_checker *c;
  const vep_insn *in;
  bool load, sx, atomic; /* LDX; sign-extending load; atomic operation */
  bool fetch;            /* an atomic that loads the old value */
  uint32_t size;
  vep_int off; /* base offset + insn offset */
  vep_val val; /* stores: the value written */
} mem_args;

/* What a load (or an atomic's fetch) gives: a fresh scalar of its width
 * (MEMSX: of 64 bits). */
static bool loaded(mem_args *a, vep_val *out) {
  bool wide = a->sx || a->size == 8;
  *out = scalar(vep_fresh(a->c, wide ? VEP_U64_MAX : (1ll << 8 * a->size) - 1));
  return out->form != NULL;
}

/* mem_ctx: tracing records are read-only, read by aligned loads at constant
 * offsets in their range; field tables allow loads and register stores of
 * a whole field (4 bytes, 8 for FIELD_SCALAR64) at constant offsets, of the
 * fields the program type may read or write; a store writes a scalar. The
 * kernel rewrites these accesses; before Linux 6.3 it refused BPF_ST
 * (immediate) ones, so they are refused here too. */
static bool mem_ctx(mem_args *a, const vep_val *base, vep_val *out) {
  vep_checker *c = a->c;
  const vep_ctx_field *f = NULL;
  vep_int lo = c->type->record_lo, end = c->type->record_end;
  if (end) { /* a record: the kernel's rule for tracing contexts */
    if (!a->load || a->sx || !lin_is_const(base->form) || a->off < lo ||
        a->off > end - a->size || a->off % a->size != 0)
      return vep_reject(c, "mem_ctx", "%s programs %s", c->type->name,
                        a->load ? "read their context by aligned loads at "
                                  "constant offsets inside it"
                                : "may not write their context");
    return loaded(a, out);
  }
  for (uint32_t i = 0; i < c->type->n_fields; i++) {
    const vep_ctx_field *g = &c->type->fields[i];
    vep_int w = g->kind == FIELD_SCALAR64 ? 8 : 4;
    vep_int d = a->off >= g->off ? a->off - g->off : -1; /* no wrap */
    if (d >= 0 && d < w * (g->more + 1) && d % w == 0)
      f = g;
  }
  if (a->size != (f && f->kind == FIELD_SCALAR64 ? 8u : 4u) || a->sx ||
      !lin_is_const(base->form) || insn_class(a->in->code) == CLS_ST)
    return vep_reject(c, "mem_ctx",
                      "the context is accessed by 4-byte loads and register "
                      "stores at constant offsets (8-byte: 64-bit fields)");
  if (!f)
    return vep_reject(c, "mem_ctx",
                      "%s programs have no context field at offset %lld",
                      c->type->name, (long long)a->off);
  if (!((a->load ? f->read : f->write) & c->type->bit))
    return vep_reject(c, "mem_ctx", "%s programs may not %s context field %s",
                      c->type->name, a->load ? "read" : "write", f->name);
  if (!a->load)
    return a->val.kind == V_SCALAR ||
           vep_reject(c, "mem_ctx", "pointer stored into context field %s",
                      f->name);
  if (f->kind >= FIELD_SCALAR32) /* a->size is the field's width */
    return loaded(a, out);
  /* data or data_end: a packet pointer at offset 0 */
  *out = pointer(f->kind == FIELD_PACKET ? RG_PACKET : RG_PACKET_END,
                 vep_lin_const(c, 0), 0);
  return out->form != NULL;
}

const vep_lin *vep_region_end(vep_checker *c, const vep_val *v, bool write) {
  const vep_binding *b = v->kind == RG_BUF ? vep_buffer_of(c, v->map) : NULL;
  const vep_map_def *m =
      v->kind == RG_MAP_VALUE ? &c->maps->maps[v->map] : NULL;
  if (v->kind == RG_PACKET || v->kind == RG_RINGBUF)
    return v->kind == RG_PACKET ? c->len : vep_lin_const(c, v->map);
  if (b && (!write || b->writes))
    return &b->form;
  if (!m || (write && (m->flags & 0x80 /* RDONLY_PROG */)))
    return NULL;
  return vep_lin_const(c, m->value_size);
}

bool vep_in_bounds(vep_checker *c, const char *rule, const vep_lin *o,
                   const vep_lin *end, const vep_lin *size, vep_int k) {
  if (!vep_require(c, rule, VEP_GOAL_ACCESS_LOW, o, NULL))
    return false;
  const vep_lin *hi = end ? vep_lin_comb(c, 1, end, -1, o, -k) : NULL;
  if (hi && size)
    hi = vep_lin_comb(c, 1, hi, -1, size, 0);
  return vep_require(c, rule, VEP_GOAL_ACCESS_HIGH, hi, NULL);
}

/* Each bounded region's rule and its reasons for a pointer stored there
 * and for a store into one the program may only read. */
typedef struct bounded_rule {
  const char *rule, *leak, *read_only;
} bounded_rule;

static const bounded_rule bounded_rules[V_COUNT] = {
    [RG_PACKET] = {"mem_packet", "pointer stored into the packet", NULL},
    [RG_MAP_VALUE] = {"mem_map", "pointer leaked into a map value",
                      "store into a read-only map value"},
    [RG_BUF] = {"mem_buf", "pointer stored into a buffer",
                "store through a buffer the function may only read"},
    [RG_RINGBUF] = {"mem_ringbuf", "pointer stored into ringbuf memory", NULL}};

/* mem_packet, mem_map, mem_buf, mem_ringbuf: the bytes
 * [o + off, o + off + size) lie in [0, end) (vep_in_bounds, end:
 * vep_region_end; a store into a region the program may only read
 * rejects). Contents are not tracked: a load gives a fresh scalar of its
 * width; a store needs a scalar (user space reads map values and ringbuf
 * memory; a pointer in the packet would leak it). */
static bool mem_bounded(mem_args *a, const vep_val *base, vep_val *out) {
  vep_checker *c = a->c;
  const bounded_rule *r = &bounded_rules[base->kind];
  const vep_lin *end = vep_region_end(c, base, !a->load);
  if (!end && !c->failed)
    return vep_reject(c, r->rule, "%s", r->read_only);
  if (!vep_in_bounds(c, r->rule,
                     vep_lin_comb(c, 1, base->form, 0, NULL, a->in->off), end,
                     NULL, a->size))
    return false;
  if (!a->load && a->val.kind != V_SCALAR)
    return vep_reject(c, r->rule, "%s", r->leak);
  return (!a->load && !a->fetch) || loaded(a, out);
}

/* ---- stack --------------------------------------------------------------- */
/* Stores: the bytes become initialised data (stack_write_data); an
 * aligned 8-byte store spills. */
static bool stack_store(mem_args *a, uint32_t i) {
  vep_mstate *m = &a->c->m;
  bool spill = !a->atomic && a->size == 8 && i % 8 == 0;
  if (a->val.kind == RG_MAP_PTR)
    return vep_reject(a->c, "mem_stack", "map pointer spilled (not supported)");
  if (a->val.kind > V_SCALAR && !spill)
    return vep_reject(a->c, "mem_stack",
                      a->val.kind == RG_MAP_OR_NULL
                          ? "map value may be null (stored other than as an "
                            "aligned 8-byte spill)"
                          : "pointer stored other than as an aligned 8-byte "
                            "spill");
  stack_write_data(m, i, a->size);
  if (spill)
    m->slot[i / 8] = a->val;
  return true;
}

/* Loads: every byte initialised; an aligned 8-byte load (not an atomic's)
 * of a spill gives the spilled value; any other read of a spilled pointer
 * is refused; any other read gives a fresh scalar of the load's width. */
static bool stack_load(mem_args *a, uint32_t i, vep_val *out) {
  const vep_mstate *m = &a->c->m;
  for (uint32_t b = i; b < i + a->size; b++)
    if (!byte_init(m, b))
      return vep_reject(a->c, "mem_stack", "read of uninitialised stack");
  if (!a->atomic && a->size == 8 && i % 8 == 0 &&
      m->slot[i / 8].kind >= V_SCALAR)
    return *out = m->slot[i / 8], true;
  for (uint32_t s = i / 8; s <= (i + a->size - 1) / 8; s++)
    if (m->slot[s].kind > V_SCALAR)
      return vep_reject(a->c, "mem_stack", "partial read of a spilled pointer");
  return loaded(a, out);
}

/* mem_stack: constant offset, -512 <= o + off, o + off + size <= 0; an
 * atomic reads its bytes as data (the old value), then stores data. */
static bool mem_stack(mem_args *a, const vep_val *base, vep_val *out) {
  if (!lin_is_const(base->form))
    return vep_reject(a->c, "mem_stack", "variable stack offset");
  if (a->off < -VEP_STACK_SIZE || a->off > -(vep_int)a->size) /* no wrap */
    return vep_reject(a->c, "mem_stack", "stack access out of bounds");
  uint32_t i = (uint32_t)(a->off + VEP_STACK_SIZE);
  if (a->atomic && !stack_load(a, i, out))
    return false;
  return a->load ? stack_load(a, i, out) : stack_store(a, i);
}

typedef bool (*mem_rule)(mem_args *, const vep_val *, vep_val *);

/* The rule of each base region; mem_base rejects the others. */
static const mem_rule mem_rules[V_COUNT] = {
    [RG_CTX] = mem_ctx,     [RG_PACKET] = mem_bounded,
    [RG_STACK] = mem_stack, [RG_MAP_VALUE] = mem_bounded,
    [RG_BUF] = mem_bounded, [RG_RINGBUF] = mem_bounded};
static const char *const bad_bases[V_COUNT] = {
    [V_SCALAR] = "memory access through a scalar",
    [RG_PACKET_END] = "access through the packet end pointer",
    [RG_MAP_PTR] = "access through a map pointer",
    [RG_MAP_OR_NULL] = "map value may be null",
    [RG_RINGBUF_OR_NULL] = "ringbuf reservation may be null"};

/* mem_atomic: on a map value or the stack (the kernel refuses the context
 * and the packet), at an offset that is a multiple of the size (a power of
 * two): the offset's constant plus the insn offset and every coefficient
 * are (the variables are integers; map values and the stack frame are
 * 8-aligned; low bits are exact in uint64_t arithmetic). CMPXCHG compares
 * R0, an initialised scalar, with memory. Src is stored as a store's
 * value is: never a pointer (mem_map's leak check; mem_stack: no spill). */
static bool mem_atomic(vep_checker *c, const vep_insn *in, const vep_val *b) {
  uint64_t low = (uint64_t)b->form->constant + (uint64_t)(int64_t)in->off;
  for (uint32_t i = 0; i < b->form->n_terms; i++)
    low |= (uint64_t)b->form->terms[i].coeff;
  if (b->kind != RG_MAP_VALUE && b->kind != RG_STACK)
    return vep_reject(c, "mem_atomic",
                      "atomic operation neither on a map value nor the stack");
  if (in->imm == A_CMPXCHG && c->m.reg[0].kind != V_SCALAR)
    return vep_reject(c, "mem_atomic", "cmpxchg: r0 is not a scalar");
  return !(low & (insn_size(in->code) - 1)) ||
         vep_reject(c, "mem_atomic", "misaligned atomic operation");
}

bool vep_exec_mem(vep_checker *c, const vep_insn *in) {
  uint8_t cls = insn_class(in->code), mode = in->code & 0xe0;
  mem_args a = {.c = c,
                .in = in,
                .load = cls == CLS_LDX,
                .sx = mode == MODE_MEMSX,
                .atomic = mode == MODE_ATOMIC,
                .fetch = mode == MODE_ATOMIC && (in->imm & A_FETCH),
                .size = insn_size(in->code)}; /* .val: V_UNINIT */
  vep_val base, out = {.kind = V_UNINIT};
  if (!vep_read_reg(c, a.load ? in->src : in->dst, &base))
    return false;
  if (cls == CLS_STX && !vep_read_reg(c, in->src, &a.val))
    return false;
  if (cls == CLS_ST &&
      !(a.val = scalar(vep_lin_const(c, (vep_int)(uint64_t)(int64_t)in->imm)))
           .form)
    return false;
  if (lin_is_const(base.form) &&
      __builtin_add_overflow(base.form->constant, (vep_int)in->off, &a.off))
    return vep_reject(c, "linear_form", "arithmetic overflow in linear form");
  if (!mem_rules[base.kind])
    return vep_reject(c, "mem_base", "%s", bad_bases[base.kind]);
  if (a.atomic && !mem_atomic(c, in, &base))
    return false;
  if (!mem_rules[base.kind](&a, &base, &out))
    return false;
  if (a.load || a.fetch) /* CMPXCHG loads into R0, other fetches into src */
    c->m.reg[!a.atomic ? in->dst : in->imm == A_CMPXCHG ? 0 : in->src] = out;
  c->pc++;
  return true;
}
