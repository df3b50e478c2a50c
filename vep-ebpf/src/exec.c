/*===- exec.c - Paths, questions, facts, exit ------------------------------===*
 *
 * Depth-first symbolic execution of every path of one program. A pending
 * branch is a frame in the arena; frames are allocated and released in LIFO
 * order, so backtracking releases everything the explored branch
 * allocated. No recursion: the explicit frame stack is the only stack.
 *===----------------------------------------------------------------------===*/
#include "core.h"

bool vep_count(vep_checker *c, uint64_t *n, uint64_t k, uint64_t limit,
               const char *what) {
  *n += k;
  return *n <= limit ||
         vep_reject(c, "limits", "more than %lld %s", (long long)limit, what);
}

int vep_ask(vep_checker *c, vep_goal_kind kind, bool optional,
            const vep_lin *goal) {
  if (!goal) /* not formed: a failure, or a soft form that cannot exist */
    return c->failed ? -1 : 0;
  if (kind != VEP_GOAL_DEAD_PATH && lin_is_const(goal))
    return goal->constant >= 0; /* decided, not asked */
  if (!vep_count(c, &c->n_questions, 1, VEP_MAX_QUESTIONS, "questions"))
    return -1;
  vep_question q = {kind,        c->pc,    optional,        *goal,
                    c->n_facts, c->facts, c->res->program};
  vep_cert k = {0};
  size_t mark = arena_mark(c->arena);
  int r = c->src->prove(c->src->self, &q, &k, c->arena);
  if (r < 0 || r > 1)
    return vep_fail(c, VEP_MALFORMED, "proof_source",
                    "no valid answer (malformed or truncated proof) for %s",
                    vep_goal_name(kind)),
           -1;
  const char *why =
      r == 1 ? vep_farkas(&q, &k, c->arena, c->acc, c->n_acc) : NULL;
  arena_release(c->arena, mark);
  if (why)
    return vep_reject(c, "check_farkas", "%s: %s", vep_goal_name(kind), why),
           -1;
  return r;
}

bool vep_require(vep_checker *c, const char *rule, vep_goal_kind kind,
                 const vep_lin *goal, const char *what) {
  int r = vep_ask(c, kind, !rule, goal);
  return r == 1 ||
         (r == 0 && rule &&
          vep_reject(c, rule, "%s not proved%s", vep_goal_name(kind), what));
}

bool vep_add_fact(vep_checker *c, const vep_lin *f) {
  if (!f)
    return false;
  if (lin_is_const(f) && f->constant >= 0)
    return true; /* trivially true: not recorded */
  if (c->n_facts == c->path_capacity)
    return vep_reject(c, "limits", "too many facts on a path");
  c->facts[c->n_facts++] = *f;
  return true;
}

const vep_lin *vep_new_var(vep_checker *c) {
  if (c->n_vars == c->path_capacity)
    return vep_reject(c, "limits", "too many variables on a path"), NULL;
  if (c->n_vars == c->n_acc) /* first use of this variable number */
    c->acc[c->n_acc++] = 0;
  return vep_lin_var(c, c->n_vars++);
}

const vep_lin *vep_fresh(vep_checker *c, vep_int hi) {
  const vep_lin *r = vep_new_var(c);
  if (!r || !vep_add_fact(c, r) ||
      !vep_add_fact(c, vep_lin_comb(c, -1, r, 0, NULL, hi)))
    return NULL;
  return r;
}

bool vep_returned(vep_checker *c, vep_val r0) {
  for (uint8_t r = 1; r <= 5; r++)
    c->m.reg[r] = (vep_val){.kind = V_UNINIT};
  c->m.reg[0] = r0;
  c->pc++;
  return r0.form != NULL;
}

bool vep_read_reg(vep_checker *c, uint8_t r, vep_val *out) {
  static const char *const why[V_SCALAR] = {
      [V_UNINIT] = "read of uninitialised register ",
      [V_STALE] = "packet pointer used after a packet-changing helper: ",
      [V_RELEASED] = "ringbuf memory used after its submit or discard: "};
  *out = c->m.reg[r];
  return out->kind >= V_SCALAR ||
         vep_reject(c, "reg_read", "%sr%d", why[out->kind], r);
}

bool vep_read_src(vep_checker *c, const vep_insn *in, bool wide, vep_val *out) {
  if (in->code & SRC_X)
    return vep_read_reg(c, in->src, out);
  *out = scalar(vep_lin_const(c, wide ? (vep_int)(uint64_t)(int64_t)in->imm
                                      : (vep_int)(uint32_t)in->imm));
  return out->form != NULL;
}

/* ---- branches ------------------------------------------------------------ */
bool vep_push_branch(vep_checker *c, uint32_t target, const vep_lin *facts,
                     uint32_t n) {
  size_t mark = arena_mark(c->arena);
  vep_frame *f = vep_alloc(c, sizeof *f, _Alignof(vep_frame));
  if (!f)
    return false;
  *f = (vep_frame){.prev = c->top,
                   .mark = mark,
                   .m = c->m,
                   .pc = target,
                   .jump_pc = c->pc,
                   .n_facts = c->n_facts,
                   .n_vars = c->n_vars,
                   .n_branch = n,
                   .len = c->len};
  for (uint32_t i = 0; i < n; i++)
    f->branch[i] = facts[i];
  c->top = f;
  return true;
}

/* dead_path: a branch whose facts include a false constant is dead; else,
 * if it added facts, the optional DEAD_PATH question may certify that the
 * path's facts are contradictory. */
int vep_enter_branch(vep_checker *c, const vep_lin *facts, uint32_t n) {
  uint32_t before = c->n_facts; /* vep_add_fact drops constant facts */
  for (uint32_t i = 0; i < n; i++) {
    if (lin_is_const(&facts[i]) && facts[i].constant < 0)
      return 0;
    if (!vep_add_fact(c, &facts[i]))
      return -1;
  }
  if (c->n_facts == before)
    return 1;
  /* A goal not formed (arena exhausted) is -1: c->failed is set. */
  int r = vep_ask(c, VEP_GOAL_DEAD_PATH, true, vep_lin_const(c, -1));
  return r < 0 ? -1 : !r;
}

/* Resumes the most recent pending branch that is not dead: 1 resumed,
 * 0 none left, -1 failure. */
static int pop_branch(vep_checker *c) {
  while (c->top) {
    vep_frame f = *c->top; /* a copy: the frame's memory is released */
    arena_release(c->arena, f.mark);
    c->top = f.prev;
    c->m = f.m;
    c->pc = c->prev_pc = f.jump_pc;
    c->n_facts = f.n_facts;
    c->n_vars = f.n_vars;
    c->len = f.len;
    int r = vep_enter_branch(c, f.branch, f.n_branch);
    c->pc = f.pc;
    if (r != 0)
      return r;
  }
  return 0;
}

/* ---- path end ------------------------------------------------------------ */
bool vep_end_path(vep_checker *c) {
  c->path_done = true;
  return vep_count(c, &c->n_paths, 1, VEP_MAX_PATHS, "paths");
}

/* ---- one program --------------------------------------------------------- */
/* lddw: src 0 loads the 64-bit constant imm | next.imm << 32, or, with a
 * map relocation (rule elf_relocations), a pointer to that map or into its
 * value (a global variable; never null). */
static bool exec_lddw(vep_checker *c, const vep_insn *in) {
  vep_insn next = vep_decode(c->insns, c->pc + 1);
  uint64_t v = (uint64_t)(uint32_t)in->imm | (uint64_t)(uint32_t)next.imm << 32;
  uint32_t map = c->reloc_of[c->pc], value = c->reloc_of[c->pc + 1];
  const vep_lin *k = vep_lin_const(c, value ? value - 1 : (vep_int)v);
  c->m.reg[in->dst] =
      map ? pointer(value ? RG_MAP_VALUE : RG_MAP_PTR, k, (uint16_t)(map - 1))
          : scalar(k);
  c->pc += 2;
  return k != NULL;
}

/* The executor of each instruction class (CLS_LD is lddw). */
static bool (*const by_class[8])(vep_checker *, const vep_insn *) = {
    exec_lddw,    vep_exec_mem,  vep_exec_mem,  vep_exec_mem,
    vep_exec_alu, vep_exec_jump, vep_exec_jump, vep_exec_alu};

static bool step(vep_checker *c) {
  if (c->pc >= c->n_insns)
    return vep_reject(c, "fall_through",
                      "execution falls off the end of the program");
  c->prev_pc = c->pc;
  if (!vep_count(c, &c->n_steps, 1, VEP_MAX_STEPS, "executed insns"))
    return false;
  vep_insn in = vep_decode(c->insns, c->pc);
  return by_class[insn_class(in.code)](c, &in);
}

/* Every path from the current start, depth-first. A path ends at exit, on
 * reaching a cut point (other than the one it starts at, before its first
 * instruction), or when its branch is dead. */
static bool run_paths(vep_checker *c) {
  for (;;) {
    c->path_done = false;
    while (!c->path_done) {
      const vep_cut_point *k = c->at_start ? NULL : vep_cut_find(c, c->pc);
      c->at_start = false;
      if (!(k ? vep_cut_arrive(c, k) : step(c)))
        return false;
    }
    int r = pop_branch(c);
    if (r <= 0)
      return r == 0;
  }
}

/* Facts and variables one path can need, so the arena holds what the
 * program needs rather than the hard limits. A path executes each
 * instruction at most once (it ends on reaching any cut point, and every
 * backward jump targets one); an instruction adds at most 4 facts (a
 * right shift: range and schema) and 2 variables (a packet-changing
 * helper: its result and the new length), a call a post's
 * existentials and facts; a path start adds len, a cut point's
 * existentials, facts and rank. Running out is a rejection, never an
 * unsound shortcut. */
static uint32_t path_capacity(const vep_checker *c) {
  uint64_t need =
      6 * (uint64_t)c->n_insns + VEP_MAX_CUT_FACTS + VEP_MAX_CUT_EXISTS + 16;
  for (uint32_t i = 0; i < c->n_insns; i++)
    if (c->reloc_of[i] && vep_decode(c->insns, i).code == (CLS_JMP | J_CALL))
      need += VEP_MAX_CUT_FACTS + VEP_MAX_CUT_EXISTS;
  uint64_t limit = VEP_MAX_FACTS < VEP_MAX_VARS ? VEP_MAX_FACTS : VEP_MAX_VARS;
  return (uint32_t)(need < limit ? need : limit);
}

/* Path starts: the entry (rule entry, or func_entry: c->pre), then each
 * cut point in instruction order. */
bool vep_exec_program(vep_checker *c) {
  c->path_capacity = path_capacity(c);
  c->facts =
      vep_alloc(c, c->path_capacity * sizeof(vep_lin), _Alignof(vep_lin));
  c->acc = vep_alloc(c, c->path_capacity * sizeof(vep_int), _Alignof(vep_int));
  if (!c->facts || !c->acc)
    return false;
  c->n_acc = 0;
  size_t mark = arena_mark(c->arena);
  for (uint32_t i = 0; i <= c->code.n_cuts; i++) {
    if (!vep_cut_enter(c, i ? &c->code.cuts[i - 1] : c->pre) || !run_paths(c))
      return false;
    arena_release(c->arena, mark);
  }
  return true;
}
