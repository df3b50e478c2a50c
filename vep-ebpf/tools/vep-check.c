/*===- vep-check.c - Load-time checker front end --------------------------===*
 *
 *   vep-check prog.o [prog.proof] [--stats]
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

/* ---- The embedded proof ---------------------------------------------------
 * A section lookup of its own (vep_object exposes none). Every offset
 * read from the file is bounds-checked; vep_check_object validates the
 * object fully afterwards (docs/proof-format.md, section 3.2). */
static const char PROOF_SECTION[] = ".vep.proof";

static uint64_t rd(const uint8_t *p, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n; i++)
    v |= (uint64_t)p[i] << (8 * i);
  return v;
}

enum lookup { FOUND, MISSING, UNREADABLE, BAD_SECTION };

/* Finds the section `want` (`.vep.proof`). UNREADABLE: no readable ELF64
 * LSB section table; BAD_SECTION (*why set): two such sections, not
 * PROGBITS, or contents outside the file. */
static enum lookup find_section(const uint8_t *obj, size_t len,
                                const char *want, const uint8_t **data,
                                size_t *size, const char **why) {
  size_t want_size = strlen(want) + 1;
  static const uint8_t ident[6] = {0x7f, 'E', 'L', 'F', 2, 1};
  enum lookup found = MISSING;
  if (len < 64 || memcmp(obj, ident, sizeof ident) != 0)
    return UNREADABLE;
  uint64_t shoff = rd(obj + 40, 8), shentsize = rd(obj + 58, 2);
  uint64_t shnum = rd(obj + 60, 2), shstrndx = rd(obj + 62, 2);
  if (shentsize != 64 || shnum == 0 || shstrndx >= shnum || shoff > len ||
      (len - shoff) / 64 < shnum)
    return UNREADABLE;
  const uint8_t *str = obj + shoff + shstrndx * 64;
  uint64_t str_off = rd(str + 24, 8), str_size = rd(str + 32, 8);
  if (rd(str + 4, 4) != 3 /* SHT_STRTAB */ || str_off > len ||
      str_size > len - str_off)
    return UNREADABLE;
  for (uint64_t i = 1; i < shnum; i++) {
    const uint8_t *h = obj + shoff + i * 64;
    uint64_t name = rd(h, 4);
    if (name >= str_size || str_size - name < want_size ||
        memcmp(obj + str_off + name, want, want_size) != 0)
      continue;
    uint64_t off = rd(h + 24, 8), sz = rd(h + 32, 8);
    static char msg[96];
    *why = msg;
    if (found == FOUND)
      return snprintf(msg, sizeof msg, "more than one %s section", want),
             BAD_SECTION;
    if (rd(h + 4, 4) != 1 /* SHT_PROGBITS */)
      return snprintf(msg, sizeof msg, "%s is not SHT_PROGBITS", want),
             BAD_SECTION;
    if (off > len || sz > len - off)
      return snprintf(msg, sizeof msg, "%s contents outside the file", want),
             BAD_SECTION;
    *data = obj + off;
    *size = (size_t)sz;
    found = FOUND;
  }
  return found;
}

/* A header source with no entries: running the core with it reports what
 * is wrong with the object itself (elf_header, elf_sections, ...), which
 * the core validates before asking for any proof entry. */
static int no_entry(void *self, const char *name, vep_program_header *out,
                    vep_arena *scratch) {
  (void)self, (void)name, (void)out, (void)scratch;
  return 0;
}
static int no_answer(void *self, const vep_question *q, vep_cert *out,
                     vep_arena *scratch) {
  (void)self, (void)q, (void)out, (void)scratch;
  return -1;
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
  if (n_paths != 1 && n_paths != 2)
    return error(USAGE, NULL);

  size_t obj_len, proof_len = 0;
  const char *why;
  uint8_t *obj = read_file(paths[0], &obj_len, &why);
  if (!obj)
    return error(why, paths[0]);
  uint8_t *proof_file = NULL; /* owned; NULL when the proof is embedded */
  const uint8_t *proof = NULL;
  if (paths[1]) {
    proof_file = read_file(paths[1], &proof_len, &why);
    if (!proof_file)
      return free(obj), error(why, paths[1]);
    proof = proof_file;
  }
  void *mem = malloc(ARENA_SIZE);
  if (!mem)
    return free(obj), free(proof_file),
           error("out of memory for the arena", NULL);

  vep_arena arena;
  vep_result res;
  vep_proof_reader reader;
  vep_header_source headers;
  vep_proof_source src;
  memset(&res, 0, sizeof res);
  vep_arena_init(&arena, mem, ARENA_SIZE);

  if (!proof) {
    enum lookup l =
        find_section(obj, obj_len, PROOF_SECTION, &proof, &proof_len, &why);
    if (l != FOUND) {
      int rc;
      vep_header_source none = {NULL, no_entry, NULL};
      vep_proof_source nothing = {NULL, no_answer};
      /* An object vep_check_object finds malformed gets its reason, as with
       * a proof file; otherwise say what is missing. */
      if (l != BAD_SECTION &&
          vep_check_object(obj, obj_len, NULL, &none, &nothing, &arena, &res) ==
              VEP_MALFORMED)
        rc = error(res.reason, NULL);
      else if (l == BAD_SECTION)
        rc = error(why, NULL);
      else if (l == UNREADABLE)
        rc = error("cannot read the section table of ", paths[0]);
      else {
        fprintf(stderr,
                "vep-check: error: %s has no embedded proof (no %s section); "
                "give the proof file: " USAGE "\n",
                paths[0], PROOF_SECTION);
        rc = 2;
      }
      free(mem);
      free(obj);
      return rc;
    }
  }

  /* The maps, as libbpf (the loader's parser) reads them; only for objects
   * with a `.maps` section or a section of global variables (libbpf's
   * internal maps), so that other objects get the core's verdict. */
  static vep_map_def defs[VEP_MAX_MAPS];
  static const char *const map_sections[] = {".maps", ".data", ".bss",
                                             ".rodata"};
  vep_map_table maps = {0, defs};
  const uint8_t *maps_data;
  size_t maps_size;
  const char *maps_why;
  enum lookup has_maps = MISSING;
  for (size_t i = 0; i < 4 && has_maps == MISSING; i++)
    has_maps = find_section(obj, obj_len, map_sections[i], &maps_data,
                            &maps_size, &maps_why);
  if (has_maps == FOUND || has_maps == BAD_SECTION) {
    char reason[160];
    if (vep_map_table_from_object(obj, obj_len, defs, &maps.n_maps, reason,
                                  sizeof reason) != 0) {
      free(mem);
      free(obj);
      free(proof_file);
      return error("cannot read the map table: ", reason);
    }
  }

  uint64_t t0 = now_us();
  if (vep_proof_reader_init(&reader, proof, proof_len, &res) == VEP_ACCEPTED) {
    vep_proof_reader_sources(&reader, &headers, &src);
    vep_check_object(obj, obj_len, &maps, &headers, &src, &arena, &res);
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
  free(proof_file);
  return rc;
}
