/*===- check.c - vep_check_image, the checker's one entry point ----------===*
 *
 * Order of work (docs/proof-format.md, "Order of questions"): the map table
 * and the image are validated first (rules map_table, image, prog_type),
 * then the number of the proof's program headers (rule proof_entry) and its
 * function table (rule func_table); then each program, in image order, gets
 * its header's hash compared (rule proof_hash), its relocations bound (rule
 * image), its structural pass, and its symbolic execution; then each
 * function, in table order, the same from its contract.
 *===----------------------------------------------------------------------===*/
#include "core.h"

/* Rule entry: R1 = CTX+0, R10 = STACK+0, the packet length is variable 0
 * with 0 <= len <= the type's max_len; nothing else is initialised. A
 * program's paths from its entry start from this assertion. */
static const vep_binding context_arg = {
    VEP_BIND_CTX, 1, {0, 0, NULL}, 0, false};
static const vep_cut_point program_entry = {.n_bindings = 1,
                                            .bindings = &context_arg};

/* map_table: at most VEP_MAX_MAPS maps; names NUL-terminated, nonempty and
 * distinct; key and value sizes in [1, VEP_MAX_MAP_BYTES] (so offsets into
 * a value stay small), both 0 for a ring buffer; max_entries >= 1, but 0
 * for a perf event array (libbpf sizes it at load; no rule reads it); a
 * map of maps' inner template another entry, not a map of maps (9.8). */
const char *vep_map_table_error(const vep_map_table *t) {
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
    if (m->max_entries == 0 && m->type != 4 /* PERF_EVENT_ARRAY */)
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

/* image: every code named, with instructions and its relocations given, a
 * function at most VEP_MAX_INSNS long; functions by increasing first
 * instruction, so each is listed once. NULL, or what is wrong. */
static const char *image_error(const vep_image *img) {
  if ((img->n_programs && !img->programs) ||
      (img->n_functions && !img->functions))
    return "programs or functions missing";
  for (uint64_t i = 0; i < (uint64_t)img->n_programs + img->n_functions; i++) {
    bool fn = i >= img->n_programs;
    const vep_code *k =
        fn ? &img->functions[i - img->n_programs] : &img->programs[i];
    if (!k->name || !k->insns || !k->n_insns || (k->n_relocs && !k->relocs))
      return "a code without a name, instructions or relocations";
    if (fn && k->n_insns > VEP_MAX_INSNS)
      return "a function longer than " VEP_STR(VEP_MAX_INSNS) " insns";
    if (fn && k > img->functions && k->first <= k[-1].first)
      return "functions not by increasing first instruction (one listed "
             "twice?)";
  }
  return NULL;
}

/* prog_type: every program has a known type, a short name, a size limit. */
static vep_status prog_types(const vep_image *img, vep_result *res) {
  for (uint32_t i = 0; i < img->n_programs; i++) {
    const vep_code *p = &img->programs[i];
    size_t len = 0;
    while (p->name[len] && len <= VEP_MAX_NAME)
      len++;
    vep_set_program(res, p->name);
    if (len > VEP_MAX_NAME)
      return vep_set_reason(
          res, VEP_REJECTED, "prog_type",
          "section name longer than " VEP_STR(VEP_MAX_NAME) " bytes");
    if (!vep_find_prog_type(p->name))
      return vep_set_reason(
          res, VEP_REJECTED, "prog_type",
          "unknown program type (docs/proof-format.md, section 3)");
    if (p->n_insns > VEP_MAX_INSNS)
      return vep_set_reason(
          res, VEP_REJECTED, "limits",
          "program longer than " VEP_STR(VEP_MAX_INSNS) " insns");
    if (i >= VEP_MAX_PROGRAMS)
      return vep_set_reason(res, VEP_REJECTED, "limits",
                            "more than " VEP_STR(VEP_MAX_PROGRAMS) " programs");
  }
  res->program[0] = 0;
  if (img->n_programs == 0)
    return vep_set_reason(res, VEP_REJECTED, "prog_type",
                          "object contains no programs");
  return VEP_ACCEPTED;
}

/* image (relocation r of the code k, c->pc at its instruction): inside the
 * code, by increasing instruction (so each instruction relocated once); a
 * call relocation at a bpf-to-bpf call of a function of the proof's
 * table; a map or global one at an lddw with src 0 and second imm 0,
 * loading map `target` (offset 0) or a pointer into its value. NULL, or
 * why not. */
static const char *reloc_error(vep_checker *c, const vep_code *k, uint32_t r) {
  const vep_reloc *x = &k->relocs[r];
  c->pc = x->insn < k->n_insns ? x->insn : 0;
  if (x->insn >= k->n_insns)
    return "relocation outside the code";
  if (r && x->insn <= k->relocs[r - 1].insn)
    return "instruction relocated twice, or relocations out of order";
  vep_insn in = vep_decode(k->insns, c->pc);
  if (x->kind > VEP_RELOC_CALL)
    return "unknown relocation kind";
  if (x->kind == VEP_RELOC_CALL) {
    if (in.code != (CLS_JMP | J_CALL) || in.src != 1)
      return "call relocation at an instruction that is not a bpf-to-bpf call";
    for (uint32_t f = 0; f < c->n_fns; f++)
      if (c->fns[f].text_insn == x->target)
        return c->reloc_of[c->pc] = f + 1, NULL;
    return "call target is not the first instruction of a function of the "
           "proof's function table";
  }
  if (in.code != LDDW || x->insn + 1 >= k->n_insns || in.src != 0 ||
      vep_decode(k->insns, c->pc + 1).imm != 0)
    return "relocated instruction is not an lddw with src 0 and second imm 0 "
           "(nor a bpf-to-bpf call)";
  if (x->kind == VEP_RELOC_MAP && x->offset)
    return "map relocation with an offset";
  return vep_lddw_map(c, x->target, x->kind == VEP_RELOC_GLOBAL, x->offset);
}

/* Hash, relocations, structural pass and paths of a program or function
 * (its entry assertion `pre`, its proof entry h). */
static bool check_code(vep_checker *c, const vep_code *k,
                       const vep_cut_point *pre, const vep_program_header *h) {
  vep_set_program(c->res, k->name);
  c->pc = 0;
  c->insns = k->insns;
  c->n_insns = k->n_insns;
  c->pre = pre;
  c->code = *h;
  if (h->insn_hash != vep_insn_hash(k->insns, (size_t)k->n_insns * 8))
    return vep_reject(c, "proof_hash", "proof is for a different program");
  c->reloc_of = vep_alloc(c, (size_t)k->n_insns * sizeof *c->reloc_of, 4);
  if (!c->reloc_of)
    return false;
  for (uint32_t i = 0; i < k->n_insns; i++)
    c->reloc_of[i] = 0;
  for (uint32_t r = 0; r < k->n_relocs; r++) {
    const char *why = reloc_error(c, k, r);
    if (why)
      return vep_reject(c, "image", "%s", why);
  }
  c->pc = 0;
  return vep_structural(c) && vep_exec_program(c);
}

/* func_table: at most VEP_MAX_FUNCTIONS functions, each at the first
 * instruction of a function of the image, with well-formed contracts. (A
 * function listed twice is checked against both contracts; calls use the
 * first.) */
static bool function_table(vep_checker *c, const vep_proof_headers *headers,
                           const vep_image *img) {
  if (headers->n_functions > VEP_MAX_FUNCTIONS)
    return vep_reject(c, "limits",
                      "more than " VEP_STR(VEP_MAX_FUNCTIONS) " functions");
  c->n_fns = headers->n_functions;
  c->fns = headers->functions;
  if (c->n_fns && !(c->fn_code = vep_alloc(c, c->n_fns * sizeof *c->fn_code,
                                           _Alignof(vep_code))))
    return false;
  for (uint32_t f = 0; f < c->n_fns; f++) {
    uint32_t k = 0;
    if ((c->n_work += img->n_functions) > VEP_MAX_WORK)
      return vep_reject(c, "limits",
                        "more than " VEP_STR(VEP_MAX_WORK) " work units");
    while (k < img->n_functions &&
           img->functions[k].first != c->fns[f].text_insn)
      k++;
    if (k == img->n_functions)
      return vep_reject(c, "func_table",
                        "a function's text_insn is not the first instruction "
                        "of a function of the image");
    c->fn_code[f] = img->functions[k];
  }
  return vep_func_table(c);
}

/* Functions after the programs, in table order (func_entry, func_exit). */
static void check_functions(vep_checker *c) {
  vep_prog_type type = vep_function_type();
  for (uint32_t f = 0; f < c->n_fns && !c->failed; f++) {
    size_t mark = arena_mark(c->arena);
    c->type = &type;
    c->fn = (int32_t)f;
    check_code(c, &c->fn_code[f], &c->fns[f].pre, &c->fns[f].code);
    arena_release(c->arena, mark);
  }
}

vep_status vep_check_image(const vep_image *img, const vep_map_table *maps,
                           const vep_proof_headers *headers,
                           const vep_proof_source *src, vep_arena *arena,
                           vep_result *res) {
  if (!res)
    return VEP_MALFORMED;
  *res = (vep_result){0};
  if (!img || !headers || !src || !arena || !src->prove ||
      (headers->n_functions && !headers->functions) ||
      (headers->n_programs && !headers->programs))
    return vep_set_reason(res, VEP_MALFORMED, "api", "missing argument");
  static const vep_map_table no_maps = {0, NULL};
  if (!maps)
    maps = &no_maps;
  const char *why = vep_map_table_error(maps);
  if (why)
    return vep_set_reason(res, VEP_REJECTED, "map_table", why);
  if ((why = image_error(img)))
    return vep_set_reason(res, VEP_REJECTED, "image", why);
  if (prog_types(img, res) != VEP_ACCEPTED)
    return res->status;
  vep_checker c = {
      .arena = arena, .src = src, .res = res, .maps = maps, .fn = -1};
  size_t base = arena_mark(arena);
  if (headers->n_programs != img->n_programs)
    vep_reject(&c, "proof_entry",
               "proof has headers for %lld programs, the object %lld",
               (long long)headers->n_programs, (long long)img->n_programs);
  else
    function_table(&c, headers, img);
  for (uint32_t i = 0; i < img->n_programs && !c.failed; i++) {
    size_t mark = arena_mark(arena);
    c.type = vep_find_prog_type(img->programs[i].name);
    if (check_code(&c, &img->programs[i], &program_entry,
                   &headers->programs[i]))
      res->n_programs++;
    arena_release(arena, mark);
  }
  check_functions(&c);
  arena_release(arena, base);
  res->n_paths = (uint32_t)c.n_paths;
  res->n_questions = (uint32_t)c.n_questions;
  if (!c.failed) {
    res->program[0] = 0;
    res->insn = 0;
  }
  return res->status;
}
