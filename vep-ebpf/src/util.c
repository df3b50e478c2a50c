/*===- util.c - Arena, failure reasons, names, hashing --------------------===*/
#include "core.h"

void vep_arena_init(vep_arena *a, void *mem, size_t size) {
  *a = (vep_arena){(uint8_t *)mem, mem ? size : 0, 0, 0};
}

void *vep_arena_alloc(vep_arena *a, size_t size, size_t align) {
  size_t start = (a->used + (align - 1)) & ~(align - 1);
  if (start < a->used || start > a->size || size > a->size - start)
    return NULL;
  a->used = start + size;
  if (a->used > a->peak)
    a->peak = a->used;
  return a->base + start;
}

void *vep_alloc(vep_checker *c, size_t size, size_t align) {
  void *p = vep_arena_alloc(c->arena, size, align);
  if (!p)
    vep_reject(c, "limits", "arena exhausted");
  return p;
}

/* Appends s (NULL: nothing) to buf, always NUL-terminating it. */
static void append(char *buf, size_t cap, size_t *len, const char *s) {
  while (s && *s && *len + 1 < cap)
    buf[(*len)++] = *s++;
  buf[*len] = 0;
}

vep_status vep_set_reason(vep_result *res, vep_status st, const char *rule,
                          const char *msg) {
  size_t n = 0;
  res->status = st;
  append(res->reason, sizeof res->reason, &n, rule);
  append(res->reason, sizeof res->reason, &n, ": ");
  append(res->reason, sizeof res->reason, &n, msg);
  return st;
}

static void msg_int(vep_msg *m, int64_t v) {
  char d[24];
  int i = 23;
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  d[i] = 0;
  do
    d[--i] = (char)('0' + u % 10);
  while (u /= 10);
  if (v < 0)
    d[--i] = '-';
  append(m->s, sizeof m->s, &m->n, d + i);
}

static void msg_vformat(vep_msg *m, const char *fmt, va_list ap) {
  for (; *fmt; fmt++) {
    char one[2] = {*fmt, 0};
    if (*fmt != '%') {
      append(m->s, sizeof m->s, &m->n, one);
    } else if (*++fmt == 's') {
      append(m->s, sizeof m->s, &m->n, va_arg(ap, const char *));
    } else if (*fmt == 'd') {
      msg_int(m, va_arg(ap, int));
    } else if (*fmt == 'l' && fmt[1] == 'l' && fmt[2] == 'd') {
      msg_int(m, va_arg(ap, long long));
      fmt += 2;
    } else {
      return; /* no other format is used (the compiler checks them) */
    }
  }
}

void vep_msg_addf(vep_msg *m, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  msg_vformat(m, fmt, ap);
  va_end(ap);
}

void vep_set_program(vep_result *res, const char *name) {
  size_t n = 0;
  append(res->program, sizeof res->program, &n, name);
}

bool vep_fail(vep_checker *c, vep_status st, const char *rule, const char *fmt,
              ...) {
  if (!c->failed) {
    vep_msg m = c->label; /* empty, or which assertion */
    va_list ap;
    va_start(ap, fmt);
    msg_vformat(&m, fmt, ap);
    va_end(ap);
    c->failed = true;
    c->res->insn = c->pc;
    vep_set_reason(c->res, st, rule, m.s);
  }
  return false;
}

const char *vep_goal_name(vep_goal_kind kind) {
  static const char *const names[VEP_GOAL_KIND_COUNT] = {
      "ACCESS_LOW",  "ACCESS_HIGH",   "NO_WRAP_LOW", "NO_WRAP_HIGH",
      "CMP_RANGE",   "DEAD_PATH",     "CUT_BINDING", "CUT_FACT",
      "RANK_NONNEG", "RANK_DECREASE", "RANK_GHOST"};
  return (unsigned)kind < VEP_GOAL_KIND_COUNT ? names[kind] : "?";
}

uint64_t vep_insn_hash(const uint8_t *insns, size_t len) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < len; i++) {
    h ^= insns[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

vep_insn vep_decode(const uint8_t *insns, uint32_t idx) {
  const uint8_t *p = insns + (size_t)idx * 8;
  return (vep_insn){p[0], p[1] & 0xf, p[1] >> 4,
                    (int16_t)(uint16_t)read_le(p + 2, 2),
                    (int32_t)(uint32_t)read_le(p + 4, 4)};
}
