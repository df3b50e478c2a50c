/*===- vep-check.c - Load-time checker front end --------------------------===*
 *
 *   vep-check prog.o prog.proof [--stats]
 *
 * Exit 0: accepted; 1: rejected (one line naming section, insn and reason);
 * 2: malformed input or usage error (one line).
 *===----------------------------------------------------------------------===*/
#define _POSIX_C_SOURCE 200809L
#include "vep/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_FILE = 1 << 30 };
static const size_t ARENA_SIZE = (size_t)256 << 20;

static int error(const char *what, const char *detail) {
  fprintf(stderr, "vep-check: error: %s%s\n", what, detail ? detail : "");
  return 2;
}

/* Reads a whole file; NULL (and *why) on failure. */
static uint8_t *read_file(const char *path, size_t *len, const char **why) {
  FILE *f = fopen(path, "rb");
  uint8_t *buf = NULL;
  size_t cap = 0;
  *len = 0;
  *why = "cannot open ";
  if (!f)
    return NULL;
  for (;;) {
    if (*len == cap) {
      uint8_t *p = cap >= MAX_FILE ? NULL : realloc(buf, cap ? cap * 2 : 4096);
      if (!p) {
        *why = cap >= MAX_FILE ? "file too large: " : "out of memory reading ";
        break;
      }
      buf = p;
      cap = cap ? cap * 2 : 4096;
    }
    size_t n = fread(buf + *len, 1, cap - *len, f);
    *len += n;
    if (n == 0) {
      if (!ferror(f)) {
        fclose(f);
        return buf ? buf : malloc(1);
      }
      *why = "cannot read ";
      break;
    }
  }
  fclose(f);
  free(buf);
  return NULL;
}

static uint64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int report(const vep_result *res) {
  switch (res->status) {
  case VEP_ACCEPTED:
    printf("vep-check: accepted: %u programs, %u paths, %u obligations\n",
           res->n_programs, res->n_paths, res->n_questions);
    return 0;
  case VEP_REJECTED:
    if (res->program[0])
      printf("vep-check: rejected: %s insn %u: %s\n", res->program, res->insn,
             res->reason);
    else
      printf("vep-check: rejected: %s\n", res->reason);
    return 1;
  default:
    return error(res->reason, NULL);
  }
}

int main(int argc, char **argv) {
  const char *paths[2] = {NULL, NULL};
  bool stats = false;
  int n_paths = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--stats") == 0)
      stats = true;
    else if (n_paths < 2 && argv[i][0] != '-')
      paths[n_paths++] = argv[i];
    else
      n_paths = 3;
  }
  if (n_paths != 2)
    return error("usage: vep-check prog.o prog.proof [--stats]", NULL);

  size_t obj_len, proof_len;
  const char *why;
  uint8_t *obj = read_file(paths[0], &obj_len, &why);
  if (!obj)
    return error(why, paths[0]);
  uint8_t *proof = read_file(paths[1], &proof_len, &why);
  if (!proof)
    return free(obj), error(why, paths[1]);
  void *mem = malloc(ARENA_SIZE);
  if (!mem)
    return free(obj), free(proof), error("out of memory for the arena", NULL);

  vep_arena arena;
  vep_result res;
  vep_proof_reader reader;
  vep_header_source headers;
  vep_proof_source src;
  memset(&res, 0, sizeof res);
  vep_arena_init(&arena, mem, ARENA_SIZE);
  uint64_t t0 = now_us();
  if (vep_proof_reader_init(&reader, proof, proof_len, &res) == VEP_ACCEPTED) {
    vep_proof_reader_sources(&reader, &headers, &src);
    vep_check_object(obj, obj_len, &headers, &src, &arena, &res);
    if (res.status == VEP_ACCEPTED)
      vep_proof_reader_finish(&reader, &res);
    else if (res.status == VEP_MALFORMED && reader.error && reader.why)
      snprintf(res.reason, sizeof res.reason, "proof_format: %s", reader.why);
  }
  uint64_t t1 = now_us();
  int rc = report(&res);
  if (stats)
    printf("vep-check: stats: check time %llu us, peak arena %zu bytes, "
           "proof size %zu bytes\n",
           (unsigned long long)(t1 - t0), arena.peak, proof_len);
  free(mem);
  free(obj);
  free(proof);
  return rc;
}
