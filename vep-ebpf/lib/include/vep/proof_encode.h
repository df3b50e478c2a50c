/*===- proof_encode.h - Writing proof files (untrusted helper) ------------===*
 *
 * Builds the byte layout of docs/proof-format.md. Not part of the trusted
 * checker: whatever it writes is read back and checked by vep_proof_reader.
 * Also the writers' wrapper of the checker's rule check_farkas.
 *
 * A proof file is
 *   vep_enc_headers(...) ; answers in question order (programs' first,
 *   then functions')
 * No marker separates the tables from the answers. The headers are what
 * the checker is given (vep_check_image), so a writer encodes them before
 * the check and records the answers after them as they are asked.
 *
 * Allocation failure sets `oom` and turns later calls into no-ops; check it
 * once at the end. The buffer owns `data` (libc malloc); free it with
 * vep_enc_free.
 *===----------------------------------------------------------------------===*/
#ifndef VEP_PROOF_ENCODE_H
#define VEP_PROOF_ENCODE_H

#include "vep/check.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vep_proof_buf {
  uint8_t *data;
  size_t len, cap;
  bool oom;
} vep_proof_buf;

void vep_enc_init(vep_proof_buf *b);
void vep_enc_free(vep_proof_buf *b);

/* Magic, format version, helper table version, the function table and the
 * program table. */
void vep_enc_headers(vep_proof_buf *b, const vep_proof_headers *h);
/* One answer: a certificate, or "no certificate". */
void vep_enc_answer_cert(vep_proof_buf *b, const vep_cert *c);
void vep_enc_answer_none(vep_proof_buf *b);

/* Rule check_farkas (vep_farkas, the checker's own code) on one
 * certificate, for proof writers that test it before recording it. Returns
 * VEP_ACCEPTED, or VEP_REJECTED with res->reason set ("check_farkas: ...").
 * Uses `scratch` for a coefficient table and releases it again. */
vep_status vep_check_cert(const vep_question *q, const vep_cert *c,
                          vep_arena *scratch, vep_result *res);

/* Building blocks, exposed for tests and tools. */
void vep_enc_bytes(vep_proof_buf *b, const void *p, size_t n);
void vep_enc_uleb(vep_proof_buf *b, uint64_t v);
void vep_enc_sleb(vep_proof_buf *b, vep_int v);

#ifdef __cplusplus
}
#endif

#endif /* VEP_PROOF_ENCODE_H */
