/*===- check.c - vep_check_object, the checker's one entry point ---------===*
 *
 * Order of work (docs/proof-format.md, "Order of questions"): the whole ELF
 * object is validated first, then the proof's function table (rule
 * func_table); then each program, in section header order, gets its proof
 * table entry (rule proof_entry), its hash compared (rule proof_hash), its
 * relocations, its structural pass, and its symbolic execution; then each
 * function, in table order, the same from its contract.
 *===----------------------------------------------------------------------===*/
#include "core.h"

/* exit_post premise: the post-condition is within the format's limits. */
static bool post_ok(const vep_post *p) {
  if (p->n_disjuncts > VEP_MAX_POST_DISJUNCTS ||
      (p->n_disjuncts && !p->disjuncts))
    return false;
  for (uint32_t d = 0; d < p->n_disjuncts; d++)
    if (p->disjuncts[d].n_facts > VEP_MAX_POST_FACTS ||
        (p->disjuncts[d].n_facts && !p->disjuncts[d].facts))
      return false;
  return true;
}

/* map_table: at most VEP_MAX_MAPS maps; names NUL-terminated, nonempty and
 * distinct; key and value sizes in [1, VEP_MAX_MAP_BYTES] (so offsets into
 * a value stay small), both 0 for a ring buffer; max_entries >= 1; a map
 * of maps' inner template another entry, not a map of maps (9.8). */
static const char *map_table_error(const vep_map_table *t) {
  if (t->n_maps > VEP_MAX_MAPS)
    return "more than " VEP_STR(VEP_MAX_MAPS) " maps";
  if (t->n_maps && !t->maps)
    return "maps missing";
  for (uint32_t i = 0; i < t->n_maps; i++) {
    const vep_map_def *m = &t->maps[i];
    uint32_t n = 0;
    while (n < sizeof m->name && m->name[n])
      n++;
    if (n == 0 || n == sizeof m->name)
      return "a map name is empty or not NUL-terminated";
    if (m->type == 27 /* RINGBUF: no keys, no values */
            ? m->key_size || m->value_size
            : m->key_size == 0 || m->value_size == 0 ||
                  m->key_size > VEP_MAX_MAP_BYTES ||
                  m->value_size > VEP_MAX_MAP_BYTES)
      return "a key or value size is not in [1, " VEP_STR(
          VEP_MAX_MAP_BYTES) "] (0 for a ring buffer)";
    if (m->max_entries == 0)
      return "a map has max_entries 0";
    if (vep_map_of_maps(m) &&
        (m->inner >= t->n_maps || vep_map_of_maps(&t->maps[m->inner])))
      return "a map of maps' inner template is not a map of other type";
    for (uint32_t j = 0; j < i; j++) /* both NUL-terminated */
      if (same_name(t->maps[j].name, m->name))
        return "two maps have the same name";
  }
  return NULL;
}

/* Relocations, hash, structural pass and paths of a program or function
 * (its entry and cut points already in c). */
static bool check_code(vep_checker *c, const vep_elf *e, const vep_program *p,
                       uint64_t hash) {
  if (hash != vep_insn_hash(p->insns, (size_t)p->n_insns * 8))
    return vep_reject(c, "proof_hash", "proof is for a different program");
  return vep_elf_relocs(c, e, p) && vep_structural(c) && vep_exec_program(c);
}

static void enter_code(vep_checker *c, const vep_program *p) {
  vep_set_program(c->res, p->name);
  c->pc = 0;
  c->insns = p->insns;
  c->n_insns = p->n_insns;
}

static bool check_program(vep_checker *c, const vep_header_source *headers,
                          const vep_elf *e, const vep_program *p) {
  vep_program_header h = {0, {0, NULL}, 0, NULL};
  enter_code(c, p);
  c->type = vep_find_prog_type(p->name);
  int r = headers->program(headers->self, p->name, &h, c->arena);
  if (r < 0)
    return vep_fail(c, VEP_MALFORMED, "proof_entry",
                    "malformed program table entry");
  if (r == 0)
    return vep_reject(
        c, "proof_entry",
        "proof has no entry for this program (entries must follow "
        "section order)");
  if (!post_ok(&h.post))
    return vep_reject(c, "limits", "post-condition too large");
  c->post = h.post;
  c->n_cuts = h.n_cuts;
  c->cuts = h.cuts;
  return check_code(c, e, p, h.insn_hash);
}

/* func_table: at most VEP_MAX_FUNCTIONS functions, each at an instruction
 * of `.text` where a function symbol starts (its extent is the symbol's),
 * with well-formed contracts. (A function listed twice is checked against
 * both contracts; calls use the first.) */
static bool function_table(vep_checker *c, const vep_header_source *headers,
                           const vep_elf *e) {
  int n = headers->functions
              ? headers->functions(headers->self, &c->fns, c->arena)
              : 0;
  if (n < 0)
    return vep_fail(c, VEP_MALFORMED, "proof_entry",
                    "malformed function table");
  if (n > VEP_MAX_FUNCTIONS || (n && !c->fns))
    return vep_reject(
        c, "limits",
        "more than " VEP_STR(VEP_MAX_FUNCTIONS) " functions, or none given");
  c->n_fns = (uint32_t)n;
  if (n && !(c->fn_code = vep_alloc(c, (size_t)n * sizeof *c->fn_code,
                                    _Alignof(vep_program))))
    return false;
  for (uint32_t f = 0; f < c->n_fns; f++)
    if (!vep_elf_function(e, c->fns[f].text_insn, &c->fn_code[f]))
      return vep_reject(c, "func_table",
                        "a function's text_insn is not where exactly one "
                        "function symbol of .text starts");
  return vep_func_table(c);
}

/* Functions after the programs, in table order (func_entry, func_exit). */
static void check_functions(vep_checker *c, const vep_elf *e) {
  vep_prog_type type = vep_function_type();
  for (uint32_t f = 0; f < c->n_fns && !c->failed; f++) {
    size_t mark = arena_mark(c->arena);
    enter_code(c, &c->fn_code[f]);
    c->type = &type;
    c->fn = (int32_t)f;
    c->n_cuts = c->fns[f].n_cuts;
    c->cuts = c->fns[f].cuts;
    check_code(c, e, &c->fn_code[f], c->fns[f].insn_hash);
    arena_release(c->arena, mark);
  }
}

vep_status vep_check_object(const uint8_t *obj, size_t obj_len,
                            const vep_map_table *maps,
                            const vep_header_source *headers,
                            const vep_proof_source *src, vep_arena *arena,
                            vep_result *res) {
  vep_elf elf;
  vep_program p;
  uint32_t idx = 0;
  if (!res)
    return VEP_MALFORMED;
  *res = (vep_result){0};
  if (!headers || !src || !arena || !headers->program || !src->prove)
    return vep_set_reason(res, VEP_MALFORMED, "api", "missing argument");
  static const vep_map_table no_maps = {0, NULL};
  if (!maps)
    maps = &no_maps;
  const char *why = map_table_error(maps);
  if (why)
    return vep_set_reason(res, VEP_REJECTED, "map_table", why);
  if (vep_elf_open(&elf, obj, obj_len, res) != VEP_ACCEPTED)
    return res->status;
  vep_checker c = {
      .arena = arena, .src = src, .res = res, .maps = maps, .fn = -1};
  size_t base = arena_mark(arena);
  function_table(&c, headers, &elf);
  while (!c.failed && vep_elf_next_program(&elf, &idx, &p)) {
    size_t mark = arena_mark(arena);
    if (check_program(&c, headers, &elf, &p))
      res->n_programs++;
    idx++;
    arena_release(arena, mark);
  }
  check_functions(&c, &elf);
  arena_release(arena, base);
  res->n_paths = (uint32_t)c.n_paths;
  res->n_questions = (uint32_t)c.n_questions;
  if (!c.failed) {
    res->program[0] = 0;
    res->insn = 0;
  }
  return res->status;
}
