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
 * vep_check_object returns; `peak` records the high-water mark. */
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
  VEP_GOAL_PTR_CMP_RANGE, /* pointer offset small enough to compare        */
  VEP_GOAL_DEAD_PATH,     /* the path's facts are contradictory            */
  VEP_GOAL_POSTCONDITION, /* a fact of the exit assertion                  */
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
} vep_question;

/* A Farkas certificate: nonnegative integer multipliers such that
 *   sum(mult[j] * hyps[hyp[j]]) + goal_mult * (-goal - 1)
 * has all variable coefficients zero and a negative constant. goal_mult may
 * be 0 (the hypotheses alone are contradictory). */
typedef struct vep_cert_entry {
  uint32_t hyp;
  vep_int mult;
} vep_cert_entry;

typedef struct vep_cert {
  vep_int goal_mult;
  uint32_t n_entries;
  vep_cert_entry *entries;
} vep_cert;

/* Answers: return 1 = answered, 0 = no certificate (optional questions
 * only), -1 = malformed / exhausted source (the checker reports exit 2 when
 * reading a file). Certificate entries are allocated from `scratch`. */
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

/* The exit assertion of a program (its Ensure clause, lowered by the
 * compiler): a disjunction of conjunctions of facts  a*R0 + b >= 0  where
 * R0 is read as an unsigned 64-bit value. The checker proves it on every
 * exit: it tries the disjuncts in order, asking an optional question per
 * fact, and takes the first disjunct whose facts all get certificates. */
typedef struct vep_post_fact {
  vep_int a, b; /* a*R0 + b >= 0 */
} vep_post_fact;

typedef struct vep_post_disjunct {
  uint32_t n_facts;
  const vep_post_fact *facts;
} vep_post_disjunct;

typedef struct vep_post {
  uint32_t n_disjuncts; /* 0 means "true" (no constraint on R0) */
  const vep_post_disjunct *disjuncts;
} vep_post;

/* Per-program header information every proof source must provide before
 * the program's answers: the expected hash of its instructions (so a proof
 * paired with the wrong object is refused with a clear reason) and its
 * post-condition. */
typedef struct vep_program_header {
  uint64_t insn_hash; /* vep_insn_hash of the program's bytes */
  vep_post post;
} vep_program_header;

typedef struct vep_header_source {
  void *self;
  /* Returns 1 and fills `out` for the program in section `name`; 0 if the
   * proof has no entry for it; -1 if malformed. The checker asks once per
   * program, in section header order, before that program's first question,
   * and reads `out` (allocated from `scratch`) until that program is done. */
  int (*program)(void *self, const char *name, vep_program_header *out,
                 vep_arena *scratch);
} vep_header_source;

vep_status vep_check_object(const uint8_t *obj, size_t obj_len,
                            const vep_header_source *headers,
                            const vep_proof_source *src, vep_arena *arena,
                            vep_result *res);

/* FNV-1a 64 of a program's instruction bytes. */
uint64_t vep_insn_hash(const uint8_t *insns, size_t len);

/* Rule check_farkas on its own, for proof writers that want to test a
 * certificate before recording it (the checker runs the same code on every
 * answer). Returns VEP_ACCEPTED, or VEP_REJECTED with res->reason set. Uses
 * `scratch` for a coefficient table and releases it again. */
vep_status vep_check_cert(const vep_question *q, const vep_cert *c,
                          vep_arena *scratch, vep_result *res);

/* Hard limits (docs/proof-format.md, "Limits"). Exceeding one rejects. */
#define VEP_MAX_PROGRAMS 1024         /* programs per object and proof */
#define VEP_MAX_INSNS 1000000         /* instructions per program */
#define VEP_MAX_PATHS 65536           /* paths reaching exit, per object */
#define VEP_MAX_STEPS 1000000         /* executed instructions, per object */
#define VEP_MAX_QUESTIONS 4000000     /* questions asked, per object */
#define VEP_MAX_FACTS 32768           /* facts on one path */
#define VEP_MAX_VARS 32768            /* variables on one path */
#define VEP_MAX_TERMS 64              /* terms in one linear form */
#define VEP_MAX_CERT_ENTRIES 65536    /* entries in one certificate */
#define VEP_MAX_POST_DISJUNCTS 64     /* disjuncts in a post-condition */
#define VEP_MAX_POST_FACTS 64         /* facts in one disjunct */
#define VEP_MAX_NAME 63               /* bytes in a program's section name */

/* Proof file format identification (docs/proof-format.md). */
#define VEP_PROOF_MAGIC "VEPPROOF"
#define VEP_PROOF_VERSION_MAJOR 1
#define VEP_PROOF_VERSION_MINOR 0
#define VEP_PROOF_HELPER_TABLE_VERSION 0

/* ---- Checking mode: the proof-file reader -------------------------------
 * Parses the proof file format of docs/proof-format.md and serves it as both
 * sources. The reader keeps pointers into `proof`, which must outlive it. */
typedef struct vep_proof_reader {
  const uint8_t *proof;
  size_t len;
  size_t pos;          /* cursor in the answer stream */
  size_t programs_at;  /* start of the program table */
  uint32_t n_programs;
  bool error;
  size_t table_pos;    /* next unread program table entry */
  uint32_t n_used;     /* program table entries handed out so far */
  const char *why;     /* when `error`: what was wrong (static string) */
} vep_proof_reader;

/* Returns VEP_ACCEPTED when the header is well formed, else VEP_MALFORMED
 * with res->reason set. */
vep_status vep_proof_reader_init(vep_proof_reader *r, const uint8_t *proof,
                                 size_t len, vep_result *res);
void vep_proof_reader_sources(vep_proof_reader *r, vep_header_source *headers,
                              vep_proof_source *src);

/* After an accepted check: VEP_REJECTED if the program table lists programs
 * the object does not have, VEP_MALFORMED if bytes follow the last answer
 * the checker consumed; else VEP_ACCEPTED. */
vep_status vep_proof_reader_finish(const vep_proof_reader *r, vep_result *res);

#ifdef __cplusplus
}
#endif

#endif /* VEP_CHECK_H */
