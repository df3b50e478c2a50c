/*===- check.h - VEP-eBPF, the trusted load-time checker ------------------===*
 *
 * The checker is the only verification-condition generator of VEP. It
 * symbolically executes every path of every program in an eBPF object and,
 * whenever it needs a decision it does not make itself, asks a proof source.
 * In checking mode the proof source reads the answers from a proof file
 * (vep_proof_reader); in writing mode the compiler supplies one that finds
 * the answers and records them. Either way the checker verifies every answer
 * before using it, so nothing a proof source says is trusted.
 *
 * Freestanding C11: no allocation beyond the caller's arena, no recursion,
 * no floating point, no global mutable state. See docs/proof-format.md.
 *===----------------------------------------------------------------------===*/
#ifndef VEP_CHECK_H
#define VEP_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Exact integers of the certificate arithmetic. Every operation on them in
 * the checker is overflow-checked; overflow rejects the proof. */
typedef __int128 vep_int;

/* The one memory the checker uses, provided by the caller. */
typedef struct vep_arena {
  uint8_t *base;
  size_t size;
  size_t used;
  size_t peak;
} vep_arena;

/* Bump allocation from the arena; NULL when it is exhausted. `align` must
 * be a power of two. Everything a check allocates is released again before
 * vep_check_image returns; `peak` records the high-water mark. */
void vep_arena_init(vep_arena *a, void *mem, size_t size);
void *vep_arena_alloc(vep_arena *a, size_t size, size_t align);

/* A linear form  constant + sum(coeff[i] * var[i])  over the checker's
 * integer variables (numbered from 0 per path; every variable denotes a
 * mathematical integer). As a fact it means  form >= 0. */
typedef struct vep_lin_term {
  uint32_t var;
  vep_int coeff;
} vep_lin_term;

typedef struct vep_lin {
  vep_int constant;
  uint32_t n_terms;
  const vep_lin_term *terms; /* sorted by var, no zero coefficients */
} vep_lin;

/* Why the checker asks; printed in rejections and by the proof writer. */
typedef enum vep_goal_kind {
  VEP_GOAL_ACCESS_LOW,    /* offset + insn.off >= region low bound       */
  VEP_GOAL_ACCESS_HIGH,   /* offset + insn.off + size <= region high bound */
  VEP_GOAL_NO_WRAP_LOW,   /* exact ALU result >= 0 (keeps the exact term)  */
  VEP_GOAL_NO_WRAP_HIGH,  /* exact ALU result <= 2^bits - 1                */
  VEP_GOAL_CMP_RANGE,     /* a side condition of a branch fact (7.5)     */
  VEP_GOAL_DEAD_PATH,     /* the path's facts are contradictory            */
  VEP_GOAL_CUT_BINDING,   /* a register/slot equals its cut-point binding  */
  VEP_GOAL_CUT_FACT,      /* a pure fact of the target cut point           */
  VEP_GOAL_RANK_NONNEG,   /* the target loop head's ranking term is >= 0   */
  VEP_GOAL_RANK_DECREASE, /* rank(end) <= rank(start) - 1 on a back edge   */
  VEP_GOAL_RANK_GHOST,    /* a ghost <= the enclosing loop's rank/ghost    */
  VEP_GOAL_KIND_COUNT
} vep_goal_kind;

/* "ACCESS_LOW", "ACCESS_HIGH", ...; "?" for values out of range. */
const char *vep_goal_name(vep_goal_kind kind);

/* "Prove goal >= 0 from hyps[i] >= 0". For VEP_GOAL_DEAD_PATH goal is the
 * constant -1 (prove the hypotheses contradictory). Optional questions may be
 * answered "no certificate": the checker then proceeds without the fact. */
typedef struct vep_question {
  vep_goal_kind kind;
  uint32_t insn;      /* instruction index (within its program) asking */
  bool optional;
  vep_lin goal;
  uint32_t n_hyps;
  const vep_lin *hyps;
  const char *unit;   /* who asks: the program's section name or the
                         function's symbol (as vep_result.program) */
} vep_question;

/* A certificate (docs/proof-format.md 7.7): steps[] each derive a fact,
 * the last one a negative constant. Most are one COMB step, a Farkas
 * combination: nonnegative integer multipliers such that
 *   sum(mult[j] * hyps[hyp[j]]) + goal_mult * (-goal - 1)
 * has all variable coefficients zero and a negative constant. goal_mult may
 * be 0 (the hypotheses alone are contradictory). */
typedef struct vep_cert_entry {
  uint32_t hyp; /* in a step: < n_hyps a hypothesis, else step hyp - n_hyps */
  vep_int mult;
} vep_cert_entry;

/* COMB: the combination of goal_mult and entries, as above;
 * ROUND: COMB, then divide by the coefficients' gcd and round down;
 * SPLIT: case x <= k, then case x >= k + 1 (x = var). */
enum { VEP_STEP_COMB, VEP_STEP_ROUND, VEP_STEP_SPLIT };

typedef struct vep_cert_step {
  uint8_t op;
  uint32_t var;      /* SPLIT */
  vep_int k;         /* SPLIT */
  vep_int goal_mult; /* COMB, ROUND */
  uint32_t n_entries;
  vep_cert_entry *entries;
} vep_cert_step;

typedef struct vep_cert {
  uint32_t n_steps; /* >= 1 */
  vep_cert_step *steps;
} vep_cert;

/* Answers: return 1 = answered, 0 = no certificate (optional questions
 * only), -1 = malformed / exhausted source (the checker reports exit 2 when
 * reading a file). A certificate's steps and entries are allocated from
 * `scratch`. */
typedef struct vep_proof_source {
  void *self;
  int (*prove)(void *self, const vep_question *q, vep_cert *out,
               vep_arena *scratch);
} vep_proof_source;

/* Outcome of a check. */
typedef enum vep_status {
  VEP_ACCEPTED = 0,
  VEP_REJECTED = 1,
  VEP_MALFORMED = 2,
} vep_status;

typedef struct vep_result {
  vep_status status;
  char program[64];   /* section name of the program at fault, if any */
  uint32_t insn;      /* instruction index at fault, if any */
  char reason[192];   /* one line: what failed */
  /* statistics */
  uint32_t n_programs, n_paths, n_questions;
} vep_result;

/* ---- Cut points ----------------------------------------------------------
 * A cut point is an instruction index where paths end and start, with an
 * assertion about the machine state there. Every target of a backward jump
 * (a loop head) must be one and must carry a ranking term; other cut points
 * (e.g. joins, to cap the number of paths) may carry none.
 *
 * Forms in a cut-point assertion are over the assertion's own variables:
 * variable 0 is the packet length `len` (the same value on every path of a
 * program), variables 1..n_exists are the assertion's existentials.
 *
 * Checking (docs/proof-format.md, "Cut points"):
 *  - A path starting at a cut point gets fresh variables for the
 *    existentials, the bindings as register/stack contents, the facts and
 *    (for a loop head) rank >= 0 as hypotheses; unbound registers and stack
 *    bytes are uninitialised, except stack bytes in [init_lo, init_hi) which
 *    hold unknown scalar bytes.
 *  - A path ends on reaching any cut point. The checker instantiates each
 *    existential from the first binding whose form is exactly `x_k + c`
 *    (kinds must agree; an existential no binding determines rejects), then
 *    proves every binding equal to the current value (two CUT_BINDING
 *    questions, decided directly when syntactically equal), every fact
 *    (CUT_FACT), checks [init_lo, init_hi) initialised and free of spilled
 *    pointers the assertion does not bind (their bytes would become
 *    scalar bytes), that the RINGBUF bindings hold the path's pending
 *    reservations, each once (a path from the cut point owns one per
 *    binding), and for a loop head proves rank >= 0 (RANK_NONNEG).
 *    These questions' insn is the cut point.
 *  - Ghosts (nested loops): a cut point C may carry ghosts (loop, form):
 *    `loop` the insn of a lower cut point L with a rank (L encloses C),
 *    `form` over C's variables, "at most L's rank at L's latest visit".
 *    Arriving at C from a path that started at S: for each ghost (L, g),
 *    RANK_GHOST m - g(end) >= 0, where m is rank_L(start) if S is L, else
 *    S's own ghost for L (none: rejected, the loop was entered other than
 *    through its head).
 *  - Arriving at a cut point by a backward jump is allowed only on a path
 *    that started at that same cut point or at one with a ghost for it, and
 *    needs RANK_DECREASE: rank(end) <= m - 1, m as above. An endless run
 *    would decrease the rank of the lowest cut point it visits infinitely
 *    often forever (docs/proof-format.md 8.4): so every run terminates.
 *  - Path starts: the entry, then each cut point in instruction order. */
typedef enum vep_binding_kind {
  VEP_BIND_SCALAR,     /* form is the value, in [0, 2^64)            */
  VEP_BIND_CTX,        /* context + form (a constant form)            */
  VEP_BIND_PACKET,     /* data + form                                 */
  VEP_BIND_PACKET_END, /* data + len + form                           */
  VEP_BIND_STACK,      /* R10 + form (a constant form)                */
  VEP_BIND_MAP_VALUE,  /* value of map `map` + form (non-null)         */
  VEP_BIND_BUF,        /* in a function's pre, R1..R5: a pointer to
                          `form` bytes (a form over the pre's variables)
                          the function may access, `map` = `where` (the
                          buffer is named by its register), `writes`:
                          whether it may store through it; in a cut point
                          of that function: a pointer into the buffer
                          the pre passes in register `map`, offset form
                          (see Functions below) */
  VEP_BIND_RINGBUF,    /* in a cut point: reserved ringbuf memory of
                          `map` bytes (1..2^20) + form, the one binding of
                          a reservation live there (non-null) */
  VEP_BIND_KIND_COUNT
} vep_binding_kind;

typedef struct vep_binding {
  uint8_t kind;  /* vep_binding_kind */
  int16_t where; /* 0..9: that register; -512..-8, a multiple of 8: the
                    aligned 8-byte stack slot at R10 + where */
  vep_lin form;
  uint32_t map;  /* VEP_BIND_MAP_VALUE: index in the map table;
                    VEP_BIND_BUF: the buffer's register (1..5);
                    VEP_BIND_RINGBUF: the reserved size; else 0 */
  bool writes;   /* VEP_BIND_BUF in a pre: the callee may store; else
                    false */
} vep_binding;

typedef struct vep_ghost {
  uint32_t loop; /* insn of the enclosing cut point */
  vep_lin form;  /* over the cut point's own variables */
} vep_ghost;

typedef struct vep_cut_point {
  uint32_t insn; /* 1..n_insns-1 (never the entry) */
  uint32_t n_exists;
  uint32_t n_bindings;
  const vep_binding *bindings; /* each register/slot at most once */
  uint32_t n_facts;
  const vep_lin *facts; /* each  form >= 0 */
  bool has_rank;
  vep_lin rank;
  int16_t init_lo, init_hi; /* -512 <= init_lo <= init_hi <= 0 */
  uint32_t n_ghosts;
  const vep_ghost *ghosts; /* distinct loops, each below insn */
} vep_cut_point;

/* What the proof says of a program or a function: the expected hash of its
 * instructions (which binds the header to its code, so a proof paired with
 * the wrong object is refused with a clear reason), its exit assertion and
 * its cut points. The exit assertion is a list of alternatives, each an assertion
 * like a cut point's with at most one binding, R0 (SCALAR), and no insn,
 * rank, stack range or ghosts; every `exit` proves the first alternative
 * that holds (docs/proof-format.md 7.6). A program's is the compiler's
 * lowering of its Ensure clause (none: "true"); a function's is its post,
 * at most one (a call assumes it). */
typedef struct vep_program_header {
  uint64_t insn_hash; /* vep_insn_hash of the code's bytes */
  uint32_t n_posts;
  const vep_cut_point *posts; /* tried in order */
  uint32_t n_cuts;
  const vep_cut_point *cuts; /* sorted by insn, distinct */
} vep_program_header;

/* ---- Functions (bpf-to-bpf calls) ---------------------------------------
 * A function is a code of the image's functions (in an object: an
 * STT_FUNC symbol in `.text`, its instructions [st_value / 8, (st_value +
 * st_size) / 8) of it); a program (or a function) calls it with `call`
 * src = 1 (BPF_PSEUDO_CALL) and a VEP_RELOC_CALL relocation, and no path
 * leaves it except by `exit` (libbpf links each function separately).
 *
 * Each function has a contract, checked once (docs/proof-format.md,
 * "Functions"; docs/design-calls.md):
 *  - pre: an assertion like a cut point's (insn 0, no rank, init_lo ==
 *    init_hi == 0) whose bindings are of R1..R5 only: SCALAR, PACKET,
 *    PACKET_END or BUF. Variable 0 is the packet length `len`, shared with
 *    the caller; 1..pre.n_exists are its existentials. A BUF binding's form
 *    is the buffer's size, not a value: it determines no existential.
 *  - post: code.posts[0], if any (none: R0 is any scalar); its variables
 *    1..pre.n_exists are the pre's existentials (their values at the call)
 *    and pre.n_exists+1..post.n_exists its own. Without a binding R0 is
 *    any scalar.
 *  - cut points of a function: variables 1..pre.n_exists are the pre's
 *    existentials too (fixed for the whole call; n_exists >= pre.n_exists),
 *    and BUF bindings name a pre buffer by its register in `map`.
 * A call proves the pre at the call (the existentials instantiated as at a
 * cut point; for each BUF, that [o, o + size) lies inside the actual
 * argument's region: packet, map value, a buffer of the caller (which must
 * be `writes` if this one is), or the caller's stack, initialised (the
 * callee may read any byte of its buffer) and free of spilled pointers);
 * after it R0 satisfies the post with fresh existentials, R1..R5 are
 * uninitialised, R6..R10 and the caller's stack keep their contents except
 * the bytes of `writes` buffers (unknown initialised scalars then).
 * A function may call only functions after it in the table; programs may
 * call any. That ordering is the whole no-recursion argument.
 *
 * Functions are checked after every program, in table order, each from its
 * pre (R10 its own fresh frame), every `exit` proving its post; their cut
 * points' insn fields, and the insn of their questions and rejections, count
 * from the function's first instruction, and vep_result.program names the
 * function by its symbol. */
typedef struct vep_function_header {
  uint32_t text_insn; /* the function's first instruction in `.text` */
  vep_cut_point pre;
  vep_program_header code; /* cut points' insns relative to text_insn */
} vep_function_header;

/* The proof's headers: its function table and one program header for each
 * program of the image, in the image's order (programs[i] is for
 * image.programs[i], bound to it by its insn_hash). */
typedef struct vep_proof_headers {
  uint32_t n_functions;
  const vep_function_header *functions;
  uint32_t n_programs;
  const vep_program_header *programs;
} vep_proof_headers;

/* ---- Maps ----------------------------------------------------------------
 * The maps an object's programs may use. The caller supplies them — whoever
 * creates the maps: libbpf's bpf_object__open in vep-check and vep-load (the
 * same parser that will create them), the kernel from its map objects at
 * load time — never the proof: a proof that claimed a larger value than the
 * map has would be unsound. An `lddw` with a VEP_RELOC_MAP relocation
 * loads a pointer to entry `target` (in an object: an R_BPF_64_64
 * relocation against a symbol of section `.maps` names the entry whose
 * name equals the symbol's name, docs/proof-format.md, "Maps and helper
 * calls"). An lddw with a pseudo map source
 * (BPF_PSEUDO_MAP_FD/IDX, _MAP_VALUE/_IDX_VALUE) names its map by imm, an
 * index into this table: a caller checking such a program (the kernel)
 * builds the table in the order it resolves them (fd_array, used maps),
 * 7.3 lddw_pseudo. A map of maps (ARRAY_OF_MAPS 12, HASH_OF_MAPS 13) names
 * in `inner` the entry that describes its inner maps (the template every
 * map stored in it matches, as the kernel checks); a template is an entry
 * of its own (docs/proof-format.md 9.8). */
typedef struct vep_map_def {
  char name[64];        /* NUL-terminated, at most VEP_MAX_NAME bytes */
  uint32_t type;        /* BPF_MAP_TYPE_* (linux/bpf.h) */
  uint32_t key_size;    /* bytes, >= 1 (0 for a ring buffer) */
  uint32_t value_size;  /* bytes, >= 1 (0 for a ring buffer) */
  uint32_t max_entries; /* >= 1 (0: a perf event array libbpf sizes) */
  uint32_t flags;       /* BPF_F_* map flags */
  uint32_t inner;       /* maps of maps: index of the inner template */
} vep_map_def;

typedef struct vep_map_table {
  uint32_t n_maps; /* at most VEP_MAX_MAPS */
  const vep_map_def *maps;
} vep_map_table;

/* ---- The image -----------------------------------------------------------
 * What the checker checks: the programs and the functions of `.text` as
 * the loader presents them, with the relocations the loader resolves.
 * Reading an ELF object into an image is the front end's job (vep_object,
 * vep/object.h); the kernel's loader hands over resolved bytecode. The
 * checker trusts that the code it is given is the code that runs and that
 * each relocation is the one applied (docs/proof-format.md, "The image"). */
enum {
  VEP_RELOC_MAP,    /* lddw: a pointer to map `target` (map table index) */
  VEP_RELOC_GLOBAL, /* lddw: a pointer into the one value of map `target`,
                       at byte `offset` (libbpf's .data, .bss, .rodata) */
  VEP_RELOC_CALL    /* call: the function whose first instruction in
                       `.text` is `target` */
};

typedef struct vep_reloc {
  uint32_t insn; /* the relocated instruction, index within its code */
  uint8_t kind;  /* VEP_RELOC_* */
  uint32_t target;
  int64_t offset; /* VEP_RELOC_GLOBAL; 0 otherwise */
} vep_reloc;

typedef struct vep_code {
  const char *name; /* a program's section name, a function's symbol */
  const uint8_t *insns;
  uint32_t n_insns;
  uint32_t first; /* a function's first instruction in `.text`; 0 */
  uint32_t n_relocs;
  const vep_reloc *relocs; /* by increasing insn, each insn at most once */
} vep_code;

typedef struct vep_image {
  uint32_t n_programs;
  const vep_code *programs; /* in the proof headers' order */
  uint32_t n_functions;
  const vep_code *functions; /* by increasing first, distinct */
} vep_image;

/* Checks every program of the image. `maps` may be NULL: no maps (a map
 * relocation then rejects). The table is validated first (rule map_table:
 * at most VEP_MAX_MAPS maps, names nonempty, NUL-terminated and distinct,
 * key and value sizes in [1, VEP_MAX_MAP_BYTES], max_entries >= 1 (or 0 for
 * a perf event array), a map of
 * maps' template an entry that is not a map of maps). `headers` holds a
 * program header for each program of the image, in its order (rule
 * proof_entry). */
vep_status vep_check_image(const vep_image *img, const vep_map_table *maps,
                           const vep_proof_headers *headers,
                           const vep_proof_source *src, vep_arena *arena,
                           vep_result *res);

/* Rule map_table on its own, for a front end that names maps from the
 * table before the check: NULL, or what is wrong. */
const char *vep_map_table_error(const vep_map_table *t);

/* FNV-1a 64 of a program's instruction bytes. */
uint64_t vep_insn_hash(const uint8_t *insns, size_t len);

/* Rule check_farkas (docs/proof-format.md 7.7), which the checker runs on
 * every answer: NULL if the certificate answers q, else what is wrong.
 * `acc` holds n_acc zero coefficients, n_acc above every variable of q, and
 * is zero again on return; the steps' facts are allocated from `scratch`
 * (the caller releases them). Proof writers test a certificate with it
 * before recording it (vep_check_cert, vep/proof_encode.h). */
const char *vep_farkas(const vep_question *q, const vep_cert *k,
                       vep_arena *scratch, vep_int *acc, uint32_t n_acc);

/* Hard limits (docs/proof-format.md, "Limits"). Exceeding one rejects. */
#define VEP_MAX_PROGRAMS 1024         /* programs per object and proof */
#define VEP_MAX_FUNCTIONS 256         /* functions per object and proof */
#define VEP_MAX_INSNS 1000000         /* instructions per program */
#define VEP_MAX_PATHS 65536           /* paths (to exit or a cut), per object */
#define VEP_MAX_STEPS 1000000         /* executed instructions, per object */
#define VEP_MAX_QUESTIONS 4000000     /* questions asked, per object */
#define VEP_MAX_FACTS 32768           /* facts on one path */
#define VEP_MAX_VARS 32768            /* variables on one path */
#define VEP_MAX_TERMS 64              /* terms in one linear form */
#define VEP_MAX_CERT_ENTRIES 65536    /* entries in one certificate */
#define VEP_MAX_CERT_STEPS 1024       /* steps in one certificate */
#define VEP_MAX_SPLIT_DEPTH 16        /* case splits open at once */
#define VEP_MAX_POSTS 64              /* alternatives of an exit assertion */
#define VEP_MAX_NAME 63               /* bytes in a program's section name
                                         or a map's name */
#define VEP_MAX_MAPS 256              /* maps in a map table */
#define VEP_MAX_MAP_BYTES 1048576     /* a map's key_size and value_size */
#define VEP_MAX_CUTS 4096             /* cut points per program */
#define VEP_MAX_CUT_EXISTS 64         /* existentials of one cut point */
#define VEP_MAX_CUT_BINDINGS 74       /* bindings: r0..r9 and 64 stack slots */
#define VEP_MAX_CUT_FACTS 256         /* facts of one cut point */
#define VEP_MAX_LOOP_DEPTH 8          /* ghosts of one cut point */
#define VEP_MAX_WORK 67108864         /* linear-form term operations, per
                                         object (2^26) */

/* Proof file format identification (docs/proof-format.md). */
#define VEP_PROOF_MAGIC "VEPPROOF"
#define VEP_PROOF_VERSION_MAJOR 7
#define VEP_PROOF_VERSION_MINOR 1
/* The helper table (docs/proof-format.md, "Maps and helper calls"). */
#define VEP_PROOF_HELPER_TABLE_VERSION 10

/* ---- Checking mode: the proof-file reader -------------------------------
 * Parses the proof file format of docs/proof-format.md into the headers and
 * serves its answers as the proof source. The reader keeps pointers into
 * `proof`, which must outlive it. */
typedef struct vep_proof_reader {
  const uint8_t *proof;
  size_t len;
  size_t pos;              /* cursor in the answer stream */
  const char *why;         /* NULL, or what was malformed (static string) */
  vep_proof_headers headers; /* the tables, parsed by init */
  vep_proof_source source;   /* the answer stream */
} vep_proof_reader;

/* Parses the header and both tables into `arena` (they stay there; a check
 * with the same arena releases only what it allocates). Returns
 * VEP_ACCEPTED when they are well formed, else VEP_MALFORMED with
 * res->reason set. */
vep_status vep_proof_reader_init(vep_proof_reader *r, const uint8_t *proof,
                                 size_t len, vep_arena *arena,
                                 vep_result *res);

/* After an accepted check: VEP_MALFORMED if bytes follow the last answer
 * the checker consumed; else VEP_ACCEPTED. */
vep_status vep_proof_reader_finish(const vep_proof_reader *r, vep_result *res);

#ifdef __cplusplus
}
#endif

#endif /* VEP_CHECK_H */
