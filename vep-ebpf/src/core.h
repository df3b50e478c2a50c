/*===- core.h - Internal interfaces of the VEP-eBPF checker core ----------===*
 *
 * Shared by the core's translation units only. Rule names used in rejection
 * reasons are the section names of docs/proof-format.md.
 *===----------------------------------------------------------------------===*/
#ifndef VEP_CORE_H
#define VEP_CORE_H

#include "vep/check.h"
#include <stdarg.h>

#define VEP_STR_(x) #x
#define VEP_STR(x) VEP_STR_(x)
#define VEP_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define VEP_U64_MAX ((vep_int)UINT64_MAX)
#define VEP_U32_MAX ((vep_int)UINT32_MAX)

enum { VEP_NREGS = 11, VEP_STACK_SIZE = 512, VEP_SLOTS = VEP_STACK_SIZE / 8 };

/* ---- Instructions (RFC 9669) --------------------------------------------- */
/* Classes, source and mode bits, ALU and JMP operations, lddw's opcode. */
enum { CLS_LD, CLS_LDX, CLS_ST, CLS_STX, CLS_ALU, CLS_JMP, CLS_JMP32 };
enum { CLS_ALU64 = 7, SRC_X = 0x08, LDDW = 0x18 };
enum { MODE_MEM = 0x60, MODE_MEMSX = 0x80, MODE_ATOMIC = 0xc0 };
/* The map types (linux/bpf.h BPF_MAP_TYPE_*, as bits) whose values are
 * plain bytes: hash, array and their per-CPU and LRU variants. */
enum { MAP_DATA = 1 << 1 | 1 << 2 | 1 << 5 | 1 << 6 | 1 << 9 | 1 << 10 };
/* An atomic's imm: the fetch bit; CMPXCHG (compares and loads R0). */
enum { A_FETCH = 0x01, A_CMPXCHG = 0xf1 };
enum { OP_ADD = 0, OP_SUB = 0x10, OP_MUL = 0x20, OP_DIV = 0x30, OP_OR = 0x40 };
enum { OP_AND = 0x50, OP_LSH = 0x60, OP_RSH = 0x70, OP_NEG = 0x80 };
enum { OP_MOD = 0x90, OP_XOR = 0xa0, OP_MOV = 0xb0, OP_ARSH = 0xc0 };
enum { OP_END = 0xd0 };
enum { J_JA = 0x00, J_EQ = 0x10, J_GT = 0x20, J_GE = 0x30, J_SET = 0x40 };
enum { J_NE = 0x50, J_SGT = 0x60, J_SGE = 0x70, J_CALL = 0x80, J_EXIT = 0x90 };
enum { J_LT = 0xa0, J_LE = 0xb0, J_SLT = 0xc0, J_SLE = 0xd0 };

typedef struct vep_insn {
  uint8_t code, dst, src;
  int16_t off;
  int32_t imm;
} vep_insn;

static inline uint8_t insn_class(uint8_t code) { return code & 7; }
static inline uint8_t insn_op(uint8_t code) { return code & 0xf0; }
/* Access size in bytes of a load/store opcode. */
static inline uint32_t insn_size(uint8_t code) {
  static const uint8_t sizes[4] = {4, 2, 1, 8};
  return sizes[(code >> 3) & 3];
}
vep_insn vep_decode(const uint8_t *insns, uint32_t idx);

static inline bool same_name(const char *a, const char *b) {
  while (*a && *a == *b)
    a++, b++;
  return *a == *b;
}

/* The n-byte (n <= 8) little-endian number at p. */
static inline uint64_t read_le(const uint8_t *p, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n; i++)
    v |= (uint64_t)p[i] << (8 * i);
  return v;
}

/* ---- Program types ------------------------------------------------------- */
/* A type's bit in the read/write masks of its context fields and in a
 * helper's allowed-types mask. */
enum { PT_XDP = 1, PT_TC = 2, PT_SOCKET = 4, PT_SKB = PT_TC | PT_SOCKET };
enum { PT_KPROBE = 8, PT_TP = 16, PT_RAW_TP = 32, PT_PERF = 64 };
enum { PT_SOCK_OPS = 128 };
enum { PT_TRACING = PT_KPROBE | PT_TP | PT_RAW_TP | PT_PERF };
enum { PT_ALL = PT_XDP | PT_SKB | PT_TRACING | PT_SOCK_OPS }; /* every type */

/* What a load of a context field gives: a packet pointer or a scalar
 * (4 bytes wide, or 8 for FIELD_SCALAR64). */
typedef enum {
  FIELD_PACKET,
  FIELD_PACKET_END,
  FIELD_SCALAR32,
  FIELD_SCALAR64
} vep_field_kind;

typedef struct vep_ctx_field {
  uint16_t off;
  uint8_t kind;        /* vep_field_kind */
  uint8_t read, write; /* masks of the program types that may load, store */
  const char *name;
  uint8_t more; /* the row stands for 1 + more adjacent fields alike */
} vep_ctx_field;

typedef struct vep_prog_type {
  const char *section; /* the section name, or it followed by '/' ... */
  bool dot_suffix;     /* ... or by '.' */
  const char *name;    /* the type, in messages */
  uint32_t bit;        /* PT_* */
  vep_int max_len;     /* the packet length's bound (variable 0) */
  const vep_ctx_field *fields;
  uint32_t n_fields;
  /* A read-only record context (n_fields 0): aligned loads of 1, 2, 4 or 8
   * bytes inside [record_lo, record_end); 0, 0 for field tables. */
  uint16_t record_lo, record_end;
} vep_prog_type;

const vep_prog_type *vep_find_prog_type(const char *section);
/* The type functions are checked with (they run in programs of any type):
 * every type's bit (so only helpers every type may call), no context
 * fields, the largest packet length bound (an skb's u32 length). */
vep_prog_type vep_function_type(void);

/* A one-line message built from pieces (truncated when too long). */
typedef struct vep_msg {
  char s[192]; /* as long as vep_result.reason */
  size_t n;
} vep_msg;

/* ---- Abstract values and machine state ----------------------------------- */
/* What a value is: uninitialised (V_UNINIT; V_STALE: a packet pointer
 * before a packet-changing helper, V_RELEASED: reserved memory before its
 * submit or discard, so that the reason names it), a scalar, or (every
 * kind after V_SCALAR) a pointer into a region RG_*. CTX..RINGBUF follow the
 * binding kinds: VEP_BIND_k is V_SCALAR + k. MAP_VALUE: a value of map
 * `map` (offset form, bounds [0, value_size)); BUF: in a function, the
 * buffer its pre passes in register `map` (bounds [0, size)); MAP_PTR:
 * map `map` itself (only a helper's R1); MAP_OR_NULL: a map value or 0,
 * offset 0, shared by every copy with the same `id`; RINGBUF: reserved
 * ringbuf memory (bounds [0, map)); RINGBUF_OR_NULL: it or 0, offset 0;
 * both share the reservation's `id` with every copy. */
enum { V_UNINIT, V_STALE, V_RELEASED, V_SCALAR, RG_CTX, RG_PACKET };
enum { RG_PACKET_END = RG_PACKET + 1, RG_STACK, RG_MAP_VALUE, RG_BUF };
enum { RG_RINGBUF = RG_BUF + 1, RG_MAP_PTR, RG_MAP_OR_NULL };
enum { RG_RINGBUF_OR_NULL = RG_MAP_OR_NULL + 1, V_COUNT };

/* A register or spilled value: a scalar (form = its value in [0, 2^64)) or
 * a pointer (form = its offset from the region's base, a math integer). */
typedef struct vep_val {
  uint8_t kind; /* V_* or RG_* */
  const vep_lin *form;
  uint32_t map; /* map regions: index in the map table; RINGBUF: size */
  uint32_t id;  /* nullable regions: the call that produced it */
} vep_val;

typedef struct vep_mstate {
  vep_val reg[VEP_NREGS];
  vep_val slot[VEP_SLOTS]; /* 8-byte aligned spills; below V_SCALAR: none */
  uint64_t init[VEP_STACK_SIZE / 64]; /* bit i: byte at offset i - 512 set */
  uint32_t n_reserved; /* ringbuf reservations not yet released */
} vep_mstate;

/* A branch still to explore (depth-first, LIFO in the arena). */
typedef struct vep_frame {
  struct vep_frame *prev;
  size_t mark; /* arena use before this frame was allocated */
  vep_mstate m;
  uint32_t pc, jump_pc, n_facts, n_vars, n_branch;
  /* the packet length (a packet-changing helper gives the path a new one) */
  const vep_lin *len;
  vep_lin branch[2]; /* facts the branch adds */
} vep_frame;

typedef struct vep_checker {
  vep_arena *arena;
  const vep_proof_source *src;
  vep_result *res;
  bool failed;
  /* program */
  const uint8_t *insns;
  uint32_t n_insns;
  const vep_prog_type *type;
  const vep_map_table *maps; /* validated by rule map_table; never NULL */
  /* per insn: 0, or 1 + the map an lddw there loads, or 1 + the function
   * a call there calls (rule image); at an lddw's second half:
   * 0 (it loads the map), or 1 + the offset into the map's value it loads */
  uint32_t *reloc_of;
  /* functions (rule func_table); fn: the one being checked, -1 a program */
  uint32_t n_fns;
  const vep_function_header *fns;
  vep_code *fn_code;
  int32_t fn;
  /* prefix of rejections while an assertion is checked ("cut point 3: ") */
  vep_msg label;
  vep_int *acc;   /* path_capacity coefficients for check_farkas; the first */
  uint32_t n_acc; /* n_acc are zero between questions (n_acc >= n_vars) */
  uint32_t path_capacity; /* facts and variables one path may have */
  const vep_lin *len;     /* packet length (variable 0 at a path start) */
  /* the entry assertion: a function's pre, or a program's entry state */
  const vep_cut_point *pre;
  vep_program_header code; /* posts and cut points (rule cut_table) */
  /* path start: the cut point (NULL: the entry); its rank form, over the
   * path's first variables, is rank(start) */
  const vep_cut_point *start_cut;
  /* path */
  vep_mstate m;
  uint32_t pc, prev_pc;     /* prev_pc: the instruction executed last */
  bool path_done, at_start; /* at_start: nothing executed yet */
  vep_lin *facts;           /* path_capacity */
  uint32_t n_facts, n_vars;
  vep_frame *top;
  /* object-wide counters (n_work: terms combined into linear forms) */
  uint64_t n_steps, n_paths, n_questions, n_work;
} vep_checker;

/* ---- Failure reporting --------------------------------------------------- */
/* Messages are formatted with %s (a string; NULL adds nothing), %d (an
 * int) and %lld (a long long); the compiler checks the arguments. */
#define VEP_FORMAT(f, a) __attribute__((format(printf, f, a)))
/* Sets status and "rule: " + label + the message (first failure wins);
 * returns false. */
bool vep_fail(vep_checker *c, vep_status st, const char *rule, const char *fmt,
              ...) VEP_FORMAT(4, 5);
#define vep_reject(c, rule, ...) vep_fail(c, VEP_REJECTED, rule, __VA_ARGS__)
/* Appends the formatted message to m. */
void vep_msg_addf(vep_msg *m, const char *fmt, ...) VEP_FORMAT(2, 3);
/* Sets res's status and reason "rule: msg"; returns st. */
vep_status vep_set_reason(vep_result *res, vep_status st, const char *rule,
                          const char *msg);
void vep_set_program(vep_result *res, const char *name);

/* ---- Arena --------------------------------------------------------------- */
static inline size_t arena_mark(const vep_arena *a) { return a->used; }
static inline void arena_release(vep_arena *a, size_t mark) { a->used = mark; }
void *vep_alloc(vep_checker *c, size_t size, size_t align);

/* ---- Linear forms (lin.c): NULL on failure, with the reason set ---------- */
const vep_lin *vep_lin_const(vep_checker *c, vep_int k);
const vep_lin *vep_lin_var(vep_checker *c, uint32_t var);
/* ka*a + kb*b + k; a or b may be NULL (zero). Coefficient overflow or more
 * than VEP_MAX_TERMS terms rejects; the _soft variant just returns NULL
 * (still failing on arena exhaustion), for results that may fall back to a
 * fresh variable. */
const vep_lin *vep_lin_comb(vep_checker *c, vep_int ka, const vep_lin *a,
                            vep_int kb, const vep_lin *b, vep_int k);
const vep_lin *vep_lin_comb_soft(vep_checker *c, vep_int ka, const vep_lin *a,
                                 vep_int kb, const vep_lin *b, vep_int k);
static inline bool lin_is_const(const vep_lin *f) { return f->n_terms == 0; }

/* ---- Symbolic execution (exec.c, alu.c, mem.c, jump.c) ------------------- */
/* limits: adds k to the object-wide counter *n; past `limit` rejects
 * ("more than <limit> <what>"). */
bool vep_count(vep_checker *c, uint64_t *n, uint64_t k, uint64_t limit,
               const char *what);
/* Asks the proof source; 1 certified, 0 not, -1 failure (reason set). A
 * NULL goal is not certified (-1 if the checker has failed: a mandatory
 * goal's form failed; else a soft form that could not be built). */
int vep_ask(vep_checker *c, vep_goal_kind kind, bool optional,
            const vep_lin *goal);
/* Mandatory question: false (reason names kind, then `what`) unless
 * certified. Without a rule (NULL) the question is optional: false, and
 * no rejection, unless certified. */
bool vep_require(vep_checker *c, const char *rule, vep_goal_kind kind,
                 const vep_lin *goal, const char *what);
bool vep_add_fact(vep_checker *c, const vep_lin *f);
/* A new variable without facts (a cut point's existential). */
const vep_lin *vep_new_var(vep_checker *c);
/* A fresh variable r with facts r >= 0 and hi - r >= 0. */
const vep_lin *vep_fresh(vep_checker *c, vep_int hi);
bool vep_read_reg(vep_checker *c, uint8_t r, vep_val *out);
/* An ALU or jump's source operand: register src (X source), or (K) imm
 * sign-extended to 64 bits (`wide`: ALU64, JMP) or as its 32 bits. */
bool vep_read_src(vep_checker *c, const vep_insn *in, bool wide, vep_val *out);
/* After a helper or function call: R0 = r0 (false if its form is NULL),
 * R1..R5 uninitialised (the calling convention clobbers them), next insn. */
bool vep_returned(vep_checker *c, vep_val r0);
static inline vep_val scalar(const vep_lin *f) {
  return (vep_val){V_SCALAR, f, 0, 0};
}
static inline vep_val pointer(uint8_t region, const vep_lin *f, uint32_t map) {
  return (vep_val){region, f, map, 0};
}
static inline bool vep_map_of_maps(const vep_map_def *m) {
  return m->type == 12 || m->type == 13; /* ARRAY_OF_MAPS, HASH_OF_MAPS */
}
/* The non-null side of a lookup in map k: a value of k at offset 0, or for
 * a map of maps a pointer to a map of its inner template (9.8). */
static inline vep_val non_null(const vep_map_table *t, uint16_t k,
                               const vep_lin *zero) {
  const vep_map_def *m = &t->maps[k];
  return vep_map_of_maps(m) ? pointer(RG_MAP_PTR, zero, (uint16_t)m->inner)
                            : pointer(RG_MAP_VALUE, zero, k);
}
/* A lookup's or a reservation's result before its null check. */
static inline bool nullable(const vep_val *v) {
  return v->kind == RG_MAP_OR_NULL || v->kind == RG_RINGBUF_OR_NULL;
}
static inline bool packetish(const vep_val *v) {
  return v->kind == RG_PACKET || v->kind == RG_PACKET_END;
}
/* Register i (i < VEP_NREGS), else spill slot i - VEP_NREGS: loops over
 * i < VEP_NREGS + VEP_SLOTS visit every value of the state. */
static inline vep_val *state_value(vep_mstate *m, uint32_t i) {
  return i < VEP_NREGS ? &m->reg[i] : &m->slot[i - VEP_NREGS];
}
/* Stack byte i (offset i - 512) initialised? */
static inline bool byte_init(const vep_mstate *m, uint32_t i) {
  return (m->init[i / 64] >> (i % 64)) & 1;
}
static inline void set_init(vep_mstate *m, uint32_t i, bool on) {
  if (on)
    m->init[i / 64] |= 1ull << (i % 64);
  else
    m->init[i / 64] &= ~(1ull << (i % 64));
}

/* Bytes [i, i + n) of the stack become initialised data: the spills they
 * overlap are gone, and a spilled pointer's other bytes become
 * uninitialised, so no part of a pointer can be read back as a scalar. */
static inline void stack_write_data(vep_mstate *m, uint32_t i, uint32_t n) {
  for (uint32_t s = i / 8; s <= (i + n - 1) / 8; s++) {
    if (m->slot[s].kind > V_SCALAR)
      for (uint32_t b = 0; b < 8; b++)
        set_init(m, s * 8 + b, false);
    m->slot[s].kind = V_UNINIT;
  }
  for (uint32_t b = i; b < i + n; b++)
    set_init(m, b, true);
}

bool vep_exec_alu(vep_checker *c, const vep_insn *in);
bool vep_exec_mem(vep_checker *c, const vep_insn *in);
bool vep_exec_jump(vep_checker *c, const vep_insn *in);
bool vep_exec_call(vep_checker *c, const vep_insn *in);
/* ringbuf_live: no reservation is live (`where`: the place, for the
 * reason). */
bool vep_no_reservation(vep_checker *c, const char *where);
/* Counts a finished path (limit VEP_MAX_PATHS) and ends it. */
bool vep_end_path(vep_checker *c);
/* Pushes the branch to `target` with its facts (rule jmp_cond). */
bool vep_push_branch(vep_checker *c, uint32_t target, const vep_lin *facts,
                     uint32_t n);
/* Adds branch facts; 1 alive, 0 dead (rule dead_path), -1 failure. */
int vep_enter_branch(vep_checker *c, const vep_lin *facts, uint32_t n);

/* Binds the lddw at c->pc to map m's pointer, or (value) a pointer into
 * its value at offset off (rules image, lddw_pseudo): NULL, or
 * why not. */
const char *vep_lddw_map(vep_checker *c, uint32_t m, bool value, vep_int off);
/* Structural pass (decode.c): rules cut_table, insn_valid,
 * insn_unsupported, jump_target, fall_through. */
bool vep_structural(vep_checker *c);

/* ---- Cut points (cut.c) ---------------------------------------------------
 */
/* cut_table, cut_assertion: the proof's exit assertion and cut points are
 * well formed. */
bool vep_cut_table(vep_checker *c, const bool *second_half);
/* The cut point at insn, or NULL. */
const vep_cut_point *vep_cut_find(const vep_checker *c, uint32_t insn);
/* cut_enter: starts a path at k assuming its assertion (c->pre: the
 * entry). */
bool vep_cut_enter(vep_checker *c, const vep_cut_point *k);
/* cut_arrive: the path reached k (at c->pc, from c->prev_pc): proves the
 * assertion (and the rank's decrease on a back edge) and ends the path. */
bool vep_cut_arrive(vep_checker *c, const vep_cut_point *k);
/* The BUF binding of the checked function's pre in register r, or NULL. */
const vep_binding *vep_buffer_of(const vep_checker *c, uint32_t r);
/* func_table: the functions' pre and post are well formed. */
bool vep_func_table(vep_checker *c);
/* exit_post: R0 (a scalar) at an exit proves the exit assertion. */
bool vep_exit_post(vep_checker *c);
/* call_enter, call_return: a call of function `fn` (rule image). */
bool vep_call(vep_checker *c, uint32_t fn);
/* The end of a bounded region, v's bytes [0, end): the packet's len, a map
 * value's value_size, a function's buffer's size (its pre's binding), a
 * reservation's size; NULL for other values, and when `write` for a map
 * value the program may only read (BPF_F_RDONLY_PROG) or a buffer the
 * function may only read. */
const vep_lin *vep_region_end(vep_checker *c, const vep_val *v, bool write);
/* The bytes [o, o + size + k) lie in [0, end) (size may be NULL: 0):
 * required ACCESS_LOW o >= 0, then ACCESS_HIGH end - o - size - k >= 0. */
bool vep_in_bounds(vep_checker *c, const char *rule, const vep_lin *o,
                   const vep_lin *end, const vep_lin *size, vep_int k);
/* A stack pointer at a constant offset o with [o, o + n) in the frame,
 * n >= 1, every byte initialised and none part of a spilled pointer (the
 * bytes are read as data). */
bool vep_stack_buffer(const vep_checker *c, const vep_val *v, vep_int n);
/* Symbolic execution of one program (exec.c). */
bool vep_exec_program(vep_checker *c);

#endif /* VEP_CORE_H */
