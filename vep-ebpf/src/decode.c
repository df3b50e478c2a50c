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

static bool valid_ld(vep_checker *c, const vep_insn *in) {
  uint8_t mode = in->code & 0xe0;
  if (mode == 0x20 || mode == 0x40)
    return unsupported(c, "legacy packet access (LD ABS/IND)");
  if (in->code != LDDW)
    return invalid(c, "unknown LD instruction");
  if (c->pc + 1 >= c->n_insns)
    return invalid(c, "lddw truncated at end of program");
  vep_insn next = vep_decode(c->insns, c->pc + 1);
  if (in->dst == 10 || in->off != 0 || next.code || next.dst || next.src ||
      next.off)
    return invalid(c, "bad lddw fields");
  if (in->src != 0)
    return unsupported(c, "lddw with a pseudo source (map or BTF object)");
  return true;
}

static bool valid_mem(vep_checker *c, const vep_insn *in) {
  uint8_t cls = insn_class(in->code), mode = in->code & 0xe0;
  if (cls == CLS_STX && mode == MODE_ATOMIC) { /* only add, no fetch */
    uint32_t size = insn_size(in->code);
    if (size != 4 && size != 8)
      return invalid(c, "atomic operation of 1 or 2 bytes");
    return in->imm == OP_ADD ||
           unsupported(c, "atomic operation other than add without fetch");
  }
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

static bool valid_insn(vep_checker *c, const vep_insn *in,
                       const bool *second_half) {
  if (in->dst > 10 || in->src > 10)
    return invalid(c, "bad register number");
  switch (insn_class(in->code)) {
  case CLS_LD:
    return valid_ld(c, in);
  case CLS_LDX:
  case CLS_ST:
  case CLS_STX:
    return valid_mem(c, in);
  case CLS_JMP:
  case CLS_JMP32:
    return valid_jmp(c, in, second_half);
  default:
    return valid_alu(c, in);
  }
}

/* fall_through: an instruction that can continue to the next one has one. */
static bool fall_through(vep_checker *c, const vep_insn *in) {
  uint8_t cls = insn_class(in->code), op = insn_op(in->code);
  bool jumps = cls == CLS_JMP || cls == CLS_JMP32;
  if (jumps && (op == J_EXIT || op == J_JA))
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
  for (uint32_t pc = 0; pc < c->n_insns; pc++)
    second_half[pc] = false;
  for (uint32_t pc = 0; pc + 1 < c->n_insns; pc++)
    if (vep_decode(c->insns, pc).code == LDDW && !second_half[pc])
      second_half[pc + 1] = true;
  if (!vep_cut_table(c, second_half))
    return false;
  for (c->pc = 0; c->pc < c->n_insns; c->pc++) {
    if (second_half[c->pc])
      continue;
    vep_insn in = vep_decode(c->insns, c->pc);
    if (!valid_insn(c, &in, second_half) || !fall_through(c, &in))
      return false;
  }
  arena_release(c->arena, mark);
  c->pc = 0;
  return true;
}
