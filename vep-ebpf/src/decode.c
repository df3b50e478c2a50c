/*===- decode.c - Structural pass: rules insn_valid, insn_unsupported, -----===*
 *               jump_target, fall_through
 *
 * Runs over every instruction once, before symbolic execution, so that the
 * executor only meets well-formed instructions with in-range jump targets
 * that never land inside an lddw, go backward only to loop heads, and never
 * fall off the end.
 *===----------------------------------------------------------------------===*/
#include "core.h"

static bool invalid(vep_checker *c, const char *msg) {
  return vep_reject(c, "insn_valid", "%s", msg);
}

static bool unsupported(vep_checker *c, const char *msg) {
  return vep_reject(c, "insn_unsupported", "%s (not supported yet)", msg);
}

/* Source operand fields: K needs src_reg 0, X needs imm 0. */
static bool valid_source(const vep_insn *in) {
  return (in->code & SRC_X) ? in->imm == 0 : in->src == 0;
}

static bool valid_alu(vep_checker *c, const vep_insn *in) {
  bool is64 = insn_class(in->code) == CLS_ALU64, x = in->code & SRC_X;
  uint8_t op = insn_op(in->code);
  int16_t off = in->off;
  if (op > OP_END)
    return invalid(c, "unknown ALU operation");
  if (in->dst == 10)
    return invalid(c, "r10 is read-only");
  if (op == OP_NEG)
    return (!x && in->src == 0 && in->imm == 0 && off == 0) ||
           invalid(c, "bad NEG fields");
  if (op == OP_END)
    return (in->src == 0 && off == 0 && (!is64 || !x) &&
            (in->imm == 16 || in->imm == 32 || in->imm == 64)) ||
           invalid(c, "bad END fields");
  if (!valid_source(in))
    return invalid(c, "nonzero reserved source field");
  if (op == OP_DIV || op == OP_MOD)
    return off == 0 || off == 1 || invalid(c, "bad DIV/MOD offset");
  if (op == OP_MOV)
    return off == 0 || (x && (off == 8 || off == 16 || (is64 && off == 32))) ||
           invalid(c, "bad MOV/MOVSX offset");
  return off == 0 || invalid(c, "nonzero offset in ALU instruction");
}

/* lddw's pseudo sources: src 1 and 5 (BPF_PSEUDO_MAP_FD, _IDX) load a map
 * pointer, 2 and 6 (_MAP_VALUE, _MAP_IDX_VALUE) a pointer into a map's
 * value at offset next.imm; imm is the map's index in the caller's table
 * (whoever loads the program builds the table in its fd_array or
 * used-maps order). */
static bool valid_ld(vep_checker *c, const vep_insn *in) {
  uint8_t mode = in->code & 0xe0;
  if (mode == 0x20 || mode == 0x40)
    return unsupported(c, "legacy packet access (LD ABS/IND)");
  if (in->code != LDDW)
    return invalid(c, "unknown LD instruction");
  if (c->pc + 1 >= c->n_insns)
    return invalid(c, "lddw truncated at end of program");
  vep_insn next = vep_decode(c->insns, c->pc + 1);
  bool value = in->src == 2 || in->src == 6;
  if (in->dst == 10 || in->off != 0 || next.code || next.dst || next.src ||
      next.off || in->src > 6 || (in->src && !value && next.imm))
    return invalid(c, "bad lddw fields");
  if (in->src == 3 || in->src == 4)
    return unsupported(c, "lddw of a BTF object or function");
  const char *why =
      in->src ? vep_lddw_map(c, (uint32_t)in->imm, value, next.imm) : NULL;
  return !why || vep_reject(c, "lddw_pseudo", "%s", why);
}

/* Binds the lddw at c->pc to map m (rules elf_relocations, lddw_pseudo):
 * a map pointer, or (value) a pointer into the map's value at offset off,
 * for a map whose values are plain bytes (MAP_DATA), with off inside the
 * value as the kernel requires. NULL, or why not. */
const char *vep_lddw_map(vep_checker *c, uint32_t m, bool value, vep_int off) {
  if (m >= c->maps->n_maps)
    return "map index not in the map table";
  const vep_map_def *d = &c->maps->maps[m];
  if (value && (off < 0 || off >= d->value_size))
    return "offset outside the map value";
  if (value && (d->type >= 32 || !((MAP_DATA >> d->type) & 1)))
    return "pointer into the value of a map not of a plain-bytes type";
  c->reloc_of[c->pc + 1] = value ? (uint32_t)off + 1 : 0;
  c->reloc_of[c->pc] = m + 1;
  return NULL;
}

/* Atomic operations (imm): ADD, OR, AND, XOR, each with or without FETCH
 * (bit 0), and XCHG, CMPXCHG (always fetching). */
static bool valid_atomic(vep_checker *c, const vep_insn *in) {
  static const int32_t ops[] = {0x00, 0x01, 0x40, 0x41, 0x50,
                                0x51, 0xa0, 0xa1, 0xe1, 0xf1};
  if (insn_size(in->code) < 4)
    return invalid(c, "atomic operation of 1 or 2 bytes");
  if (in->src == 10 && (in->imm & A_FETCH))
    return invalid(c, "r10 is read-only");
  for (size_t i = 0; i < VEP_LEN(ops); i++)
    if (in->imm == ops[i])
      return true;
  return unsupported(c, "atomic operation other than ALU, xchg, cmpxchg");
}

static bool valid_mem(vep_checker *c, const vep_insn *in) {
  uint8_t cls = insn_class(in->code), mode = in->code & 0xe0;
  if (cls == CLS_STX && mode == MODE_ATOMIC)
    return valid_atomic(c, in);
  if (mode != MODE_MEM && !(cls == CLS_LDX && mode == MODE_MEMSX))
    return invalid(c, "unknown load/store mode");
  if (mode == MODE_MEMSX && insn_size(in->code) == 8)
    return invalid(c, "sign-extending 8-byte load");
  if (cls == CLS_LDX && in->dst == 10)
    return invalid(c, "r10 is read-only");
  if (cls != CLS_ST && in->imm != 0)
    return invalid(c, "nonzero imm in LDX/STX");
  if (cls == CLS_ST && in->src != 0)
    return invalid(c, "nonzero src in ST");
  return true;
}

/* The rules below check the instruction at c->pc. */

/* jump_target: inside the program, not into an lddw's second half; a
 * backward jump (target <= the jump) only to a loop head: a cut point with
 * a ranking term. */
static bool jump_target(vep_checker *c, int64_t delta,
                        const bool *second_half) {
  int64_t t = (int64_t)c->pc + 1 + delta;
  if (t < 0 || t >= (int64_t)c->n_insns)
    return vep_reject(c, "jump_target", "jump target out of range");
  if (second_half[t])
    return vep_reject(c, "jump_target", "jump into the middle of lddw");
  const vep_cut_point *k = vep_cut_find(c, (uint32_t)t);
  if (t > (int64_t)c->pc || (k && k->has_rank))
    return true;
  return vep_reject(c, "jump_target",
                    "backward jump to insn %lld which is not a loop head "
                    "(cut point with a ranking term)",
                    (long long)t);
}

static bool valid_jmp(vep_checker *c, const vep_insn *in,
                      const bool *second_half) {
  bool is32 = insn_class(in->code) == CLS_JMP32;
  uint8_t op = insn_op(in->code);
  if (op > J_SLE)
    return invalid(c, "unknown jump operation");
  if (op == J_CALL) {
    if (is32 || (in->code & SRC_X) || in->dst || in->off || in->src > 2)
      return invalid(c, "bad CALL fields");
    if (in->src == 1) /* rule elf_relocations found the function */
      return c->reloc_of[c->pc] ||
             vep_reject(c, "elf_relocations", "call without relocation");
    return in->src == 0 || unsupported(c, "kfunc call");
  }
  if (op == J_EXIT)
    return (!is32 && in->code == (CLS_JMP | J_EXIT) && !in->dst && !in->src &&
            !in->off && !in->imm) ||
           invalid(c, "bad EXIT fields");
  if (op == J_JA) {
    if ((in->code & SRC_X) || in->dst || in->src || (is32 ? in->off : in->imm))
      return invalid(c, "bad JA fields");
    return jump_target(c, is32 ? in->imm : in->off, second_half);
  }
  if (!valid_source(in))
    return invalid(c, "nonzero reserved source field");
  return jump_target(c, in->off, second_half);
}

/* The rule of each instruction class (NULL: the jumps, valid_jmp). */
static bool (*const valid_class[8])(vep_checker *, const vep_insn *) = {
    valid_ld,  valid_mem, valid_mem, valid_mem,
    valid_alu, NULL,      NULL,      valid_alu};

/* fall_through: an instruction that can continue to the next one has one. */
static bool fall_through(vep_checker *c, const vep_insn *in) {
  uint8_t cls = insn_class(in->code), op = insn_op(in->code);
  if ((cls == CLS_JMP || cls == CLS_JMP32) && (op == J_EXIT || op == J_JA))
    return true;
  if (c->pc + (in->code == LDDW ? 2u : 1u) < c->n_insns)
    return true;
  return vep_reject(c, "fall_through",
                    "execution falls off the end of the program");
}

bool vep_structural(vep_checker *c) {
  size_t mark = arena_mark(c->arena);
  bool *second_half = vep_alloc(c, c->n_insns + 1, 1);
  if (!second_half)
    return false;
  second_half[0] = false;
  for (uint32_t pc = 0; pc < c->n_insns; pc++)
    second_half[pc + 1] =
        !second_half[pc] && vep_decode(c->insns, pc).code == LDDW;
  if (!vep_cut_table(c, second_half))
    return false;
  for (c->pc = 0; c->pc < c->n_insns; c->pc++) {
    vep_insn in = vep_decode(c->insns, c->pc);
    bool (*valid)(vep_checker *, const vep_insn *) =
        valid_class[insn_class(in.code)];
    if (second_half[c->pc])
      continue;
    if (in.dst > 10 || in.src > 10)
      return invalid(c, "bad register number");
    if (!(valid ? valid(c, &in) : valid_jmp(c, &in, second_half)) ||
        !fall_through(c, &in))
      return false;
  }
  arena_release(c->arena, mark);
  c->pc = 0;
  return true;
}
