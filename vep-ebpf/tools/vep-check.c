/*===- vep-check.c - Load-time checker front end --------------------------===*
 *
 *   vep-check prog.o [prog.proof] [--stats]
 *   vep-check --help | -h | --version
 *
 * Without prog.proof the proof is read from the object's `.vep.proof`
 * section (SHT_PROGBITS, not allocated: vepcc embeds it there and loaders
 * ignore it). The proof binds each program by the hash of its section's
 * bytes, so where the proof travels does not change what it proves.
 *
 * Exit 0: accepted; 1: rejected (one line naming section, insn and reason);
 * 2: malformed input or usage error (one line).
 *===----------------------------------------------------------------------===*/
#define _POSIX_C_SOURCE 200809L
#include "vep/check.h"
#include "vep/map_table.h"
#include "vep/object.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_FILE = 1 << 30 };
static const size_t ARENA_SIZE = (size_t)256 << 20;

#define USAGE "usage: vep-check prog.o [prog.proof] [--stats]"

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

/* Whether libbpf makes maps of the object: it has a `.maps` section or a
 * section of global variables (libbpf's internal maps). */
static bool has_maps(const vep_elf *e) {
  static const char *const sections[] = {".maps", ".data", ".bss", ".rodata"};
  for (size_t i = 0; i < sizeof sections / sizeof *sections; i++)
    if (vep_elf_find_section(e, sections[i], 0))
      return true;
  return false;
}

/* Checks the object at `path` against `proof` (NULL: the embedded one) on
 * the arena memory `mem`; prints the verdict and returns the exit status. */
static int check(const char *path, const uint8_t *obj, size_t obj_len,
                 const uint8_t *proof, size_t proof_len, bool stats,
                 void *mem) {
  vep_result res;
  vep_elf elf;
  memset(&res, 0, sizeof res);
  /* The object's own faults first, as vep_check_object reports them. */
  if (vep_elf_read(&elf, obj, obj_len, &res) != VEP_ACCEPTED)
    return report(&res);
  const char *why =
      proof ? NULL : vep_elf_embedded_proof(&elf, &proof, &proof_len);
  if (why)
    return error(why, NULL);
  if (!proof) {
    fprintf(stderr,
            "vep-check: error: %s has no embedded proof (no %s section); "
            "give the proof file: " USAGE "\n",
            path, VEP_PROOF_SECTION);
    return 2;
  }

  /* The maps, as libbpf (the loader's parser) reads them; only for objects
   * it makes maps of, so that other objects get the core's verdict. */
  static vep_map_def defs[VEP_MAX_MAPS];
  vep_map_table maps = {0, defs};
  char reason[160];
  if (has_maps(&elf) &&
      vep_map_table_from_object(obj, obj_len, defs, &maps.n_maps, reason,
                                sizeof reason) != 0)
    return error("cannot read the map table: ", reason);

  vep_arena arena;
  vep_proof_reader reader;
  vep_arena_init(&arena, mem, ARENA_SIZE);
  uint64_t t0 = now_us();
  if (vep_proof_reader_init(&reader, proof, proof_len, &arena, &res) ==
      VEP_ACCEPTED) {
    vep_check_object(obj, obj_len, &maps, &reader.headers, &reader.source,
                     &arena, &res);
    if (res.status == VEP_ACCEPTED)
      vep_proof_reader_finish(&reader, &res);
    else if (res.status == VEP_MALFORMED && reader.why)
      snprintf(res.reason, sizeof res.reason, "proof_format: %s", reader.why);
  }
  uint64_t t1 = now_us();
  int rc = report(&res);
  if (stats)
    printf("vep-check: stats: check time %llu us, peak arena %zu bytes, "
           "proof size %zu bytes\n",
           (unsigned long long)(t1 - t0), arena.peak, proof_len);
  return rc;
}

int main(int argc, char **argv) {
  const char *paths[2] = {NULL, NULL};
  bool stats = false;
  int n_paths = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      printf("%s\n  Checks prog.o's proof (prog.proof, or the object's "
             "section .vep.proof).\n  Exit status: 0 accepted, 1 rejected, "
             "2 malformed input.\n",
             USAGE);
      return 0;
    }
    if (strcmp(argv[i], "--version") == 0) {
      printf("vep-check (VEP) %s\n", VEP_VERSION);
      return 0;
    }
    if (strcmp(argv[i], "--stats") == 0)
      stats = true;
    else if (n_paths < 2 && argv[i][0] != '-')
      paths[n_paths++] = argv[i];
    else
      n_paths = 3;
  }
  if (n_paths != 1 && n_paths != 2)
    return error(USAGE, NULL);

  size_t obj_len, proof_len = 0;
  const char *why;
  uint8_t *obj = read_file(paths[0], &obj_len, &why);
  if (!obj)
    return error(why, paths[0]);
  uint8_t *proof = NULL; /* NULL when the proof is embedded */
  if (paths[1] && !(proof = read_file(paths[1], &proof_len, &why)))
    return free(obj), error(why, paths[1]);
  void *mem = malloc(ARENA_SIZE);
  int rc = mem ? check(paths[0], obj, obj_len, proof, proof_len, stats, mem)
               : error("out of memory for the arena", NULL);
  free(mem);
  free(obj);
  free(proof);
  return rc;
}
