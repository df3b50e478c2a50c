/*===- check.c - vep_check_object, the checker's one entry point ---------===*
 *
 * Order of work (docs/proof-format.md, "Order of questions"): the whole ELF
 * object is validated first; then each program, in section header order,
 * gets its proof table entry (rule proof_entry), its hash compared (rule
 * proof_hash), its structural pass, and its symbolic execution.
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

static bool check_program(vep_checker *c, const vep_header_source *headers,
                          const vep_program *p) {
  vep_program_header h = {0, {0, NULL}, 0, NULL};
  vep_set_program(c->res, p->name);
  c->pc = 0;
  c->insns = p->insns;
  c->n_insns = p->n_insns;
  c->type = vep_find_prog_type(p->name);
  int r = headers->program(headers->self, p->name, &h, c->arena);
  if (r < 0)
    return vep_fail(c, VEP_MALFORMED, "proof_entry",
                    "malformed program table entry", "");
  if (r == 0)
    return vep_fail(c, VEP_REJECTED, "proof_entry",
                    "proof has no entry for this program (entries must follow "
                    "section order)",
                    "");
  if (h.insn_hash != vep_insn_hash(p->insns, (size_t)p->n_insns * 8))
    return vep_fail(c, VEP_REJECTED, "proof_hash",
                    "proof is for a different program", "");
  if (!post_ok(&h.post))
    return vep_fail(c, VEP_REJECTED, "limits", "post-condition too large", "");
  c->post = h.post;
  c->n_cuts = h.n_cuts;
  c->cuts = h.cuts;
  return vep_structural(c) && vep_exec_program(c);
}

vep_status vep_check_object(const uint8_t *obj, size_t obj_len,
                            const vep_map_table *maps,
                            const vep_header_source *headers,
                            const vep_proof_source *src, vep_arena *arena,
                            vep_result *res) {
  static const vep_result clean;
  vep_elf elf;
  vep_program p;
  uint32_t idx = 0;
  if (!res)
    return VEP_MALFORMED;
  *res = clean;
  if (!headers || !src || !arena || !headers->program || !src->prove) {
    vep_set_reason(res, VEP_MALFORMED, "api", "missing argument", "", NULL);
    return VEP_MALFORMED;
  }
  if (maps && maps->n_maps != 0) {
    /* Not implemented yet: rule map_table (docs/proof-format.md). */
    vep_set_reason(res, VEP_REJECTED, "map_table", "maps not supported yet",
                   "", NULL);
    return VEP_REJECTED;
  }
  if (vep_elf_open(&elf, obj, obj_len, res) != VEP_ACCEPTED)
    return res->status;
  static const vep_checker zero;
  vep_checker c = zero;
  c.arena = arena;
  c.src = src;
  c.res = res;
  size_t base = arena_mark(arena);
  while (!c.failed && vep_elf_next_program(&elf, &idx, &p)) {
    idx++;
    size_t mark = arena_mark(arena);
    if (check_program(&c, headers, &p))
      res->n_programs++;
    arena_release(arena, mark);
  }
  arena_release(arena, base);
  res->n_paths = (uint32_t)c.n_paths;
  res->n_questions = (uint32_t)c.n_questions;
  if (!c.failed) {
    res->program[0] = 0;
    res->insn = 0;
  }
  return res->status;
}
