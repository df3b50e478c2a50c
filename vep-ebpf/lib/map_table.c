/*===- map_table.c - The map table of an object, as libbpf reads it -------===*
 *
 * Untrusted front-end code (see vep/map_table.h): the trusted core never
 * parses BTF; it gets the maps from whoever creates them.
 *===----------------------------------------------------------------------===*/
#include "vep/map_table.h"
#include "vep/object.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap) {
  (void)level, (void)fmt, (void)ap;
  return 0;
}

/* The name of the map libbpf defines at offset `off` of `.maps` (from the
 * BTF DATASEC, as libbpf reads map definitions), or NULL. */
static const char *btf_map_at(const struct btf *btf, uint64_t off) {
  int id = btf ? btf__find_by_name_kind(btf, ".maps", BTF_KIND_DATASEC) : -1;
  if (id <= 0)
    return NULL;
  const struct btf_type *sec = btf__type_by_id(btf, (uint32_t)id);
  const struct btf_var_secinfo *vi = btf_var_secinfos(sec);
  for (unsigned i = 0; i < btf_vlen(sec); i++) {
    const struct btf_type *var = btf__type_by_id(btf, vi[i].type);
    if (var && vi[i].offset == off)
      return btf__name_by_offset(btf, var->name_off);
  }
  return NULL;
}

/* libbpf binds a relocation against a `.maps` symbol by the symbol's offset
 * (st_value); the checker binds it by the symbol's name. They agree when
 * every `.maps` symbol at the offset of a map has that map's name. Returns
 * NULL, or what is wrong: what vep_object finds malformed in the object
 * (rules elf_header, elf_sections: the checker would refuse it anyway), a
 * symbol table or a `.maps` symbol's name it cannot read, or a name that
 * differs. */
static const char *symbols_match(const uint8_t *obj, size_t len,
                                 const struct btf *btf, vep_result *res) {
  vep_elf e;
  if (vep_elf_read(&e, obj, len, res) != VEP_ACCEPTED)
    return res->reason;
  for (uint32_t tab = 1; tab < e.shnum; tab++) {
    if (vep_elf_section_at(&e, tab).type == 2 /* SHT_SYMTAB */ &&
        vep_elf_n_symbols(&e, tab) == 0)
      return "unreadable symbol table";
    for (uint64_t k = 1; k < vep_elf_n_symbols(&e, tab); k++) {
      vep_elf_symbol s = {0};
      const char *why = vep_elf_symbol_at(&e, tab, k, &s);
      if (s.shndx == 0 || s.shndx >= e.shnum ||
          strcmp(vep_elf_section_at(&e, s.shndx).name, ".maps") != 0)
        continue;
      if (why)
        return "a .maps symbol with a malformed name";
      const char *map = btf_map_at(btf, s.value);
      if (map && strcmp(map, s.name) != 0)
        return "a .maps symbol's name differs from the map at its offset";
    }
  }
  return NULL;
}

/* Appends libbpf's map `m` to the table. */
static vep_map_def *add_map(vep_map_def maps[VEP_MAX_MAPS], uint32_t *n_maps,
                            const struct bpf_map *m) {
  vep_map_def *d = &maps[(*n_maps)++];
  memset(d, 0, sizeof *d);
  const char *name = bpf_map__name(m);
  if (bpf_map__is_internal(m) && strchr(name, '.'))
    name = strchr(name, '.');
  snprintf(d->name, sizeof d->name, "%s", name);
  d->type = (uint32_t)bpf_map__type(m);
  d->key_size = bpf_map__key_size(m);
  d->value_size = bpf_map__value_size(m);
  d->max_entries = bpf_map__max_entries(m);
  d->flags = bpf_map__map_flags(m);
  return d;
}

static int read_map_table(const uint8_t *obj, size_t obj_len,
                          vep_map_def maps[VEP_MAX_MAPS], uint32_t *n_maps,
                          char *why, size_t why_size) {
  *n_maps = 0;
  /* libbpf names the internal map of section `.data` (`.bss`, `.rodata`)
   * "<object name>.data"; with an object name without dots, the table
   * names it by its section, as the checker binds relocations to it. */
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "vep");
  libbpf_print_fn_t old = libbpf_set_print(quiet);
  struct bpf_object *o = bpf_object__open_mem(obj, obj_len, &opts);
  libbpf_set_print(old);
  if (!o) {
    snprintf(why, why_size, "libbpf cannot open the object (%s)",
             strerror(errno));
    return -1;
  }
  int rc = 0;
  struct bpf_map *m;
  vep_result res;
  const char *mismatch = symbols_match(obj, obj_len, bpf_object__btf(o), &res);
  if (mismatch) {
    snprintf(why, why_size, "%s", mismatch);
    bpf_object__close(o);
    return -1;
  }
  /* The maps in libbpf's order, then the inner template of each map of
   * maps (libbpf's bpf_map__inner_map, from the `values` array's element
   * type) in the order of their maps, so that the other maps' indices do
   * not depend on them. libbpf names a template "<outer>.inner": no C
   * identifier, so no `.maps` symbol of an object libbpf opens names it
   * (libbpf refuses relocations against a `.maps` symbol that is not at a
   * map's offset). */
  bpf_object__for_each_map(m, o) {
    if (*n_maps == VEP_MAX_MAPS) {
      rc = -1;
      break;
    }
    add_map(maps, n_maps, m);
  }
  uint32_t k = 0;
  bpf_object__for_each_map(m, o) {
    struct bpf_map *inner = bpf_map__inner_map(m);
    if (rc == 0 && !inner && (maps[k].type == 12 || maps[k].type == 13)) {
      /* libbpf would need an fd set by bpf_map__set_inner_map_fd */
      snprintf(why, why_size,
               "map of maps '%s' without an inner map "
               "definition (__array(values, struct T))",
               maps[k].name);
      rc = -2;
    }
    if (rc == 0 && inner && *n_maps == VEP_MAX_MAPS)
      rc = -1;
    if (rc != 0)
      break;
    if (inner) {
      maps[k].inner = *n_maps;
      add_map(maps, n_maps, inner);
    }
    k++;
  }
  if (rc == -1)
    snprintf(why, why_size, "more than %d maps", VEP_MAX_MAPS);
  rc = rc ? -1 : 0;
  bpf_object__close(o);
  return rc;
}

/* What the child process reports through the pipe. */
typedef struct map_table_reply {
  int rc;
  uint32_t n_maps;
  char why[256];
  vep_map_def maps[VEP_MAX_MAPS];
} map_table_reply;

/* libbpf parses ELF and BTF that come straight from the user, and libbpf
 * 1.1 crashes on some malformed BTF (found by the mutation test). The
 * parse runs in a child process, so a malformed object is reported as bad
 * input instead of taking the tool down; the child sends its table back
 * through a pipe. */
int vep_map_table_from_object(const uint8_t *obj, size_t obj_len,
                              vep_map_def maps[VEP_MAX_MAPS],
                              uint32_t *n_maps, char *why, size_t why_size) {
  static map_table_reply reply;
  int fds[2];
  *n_maps = 0;
  fflush(NULL); /* the child must not flush the parent's buffers again */
  if (pipe(fds) != 0) {
    snprintf(why, why_size, "cannot create a pipe (%s)", strerror(errno));
    return -1;
  }
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]), close(fds[1]);
    snprintf(why, why_size, "cannot fork (%s)", strerror(errno));
    return -1;
  }
  if (pid == 0) {
    close(fds[0]);
    memset(&reply, 0, sizeof reply);
    reply.rc = read_map_table(obj, obj_len, reply.maps, &reply.n_maps,
                              reply.why, sizeof reply.why);
    const char *p = (const char *)&reply;
    size_t left = sizeof reply;
    while (left) {
      ssize_t w = write(fds[1], p, left);
      if (w <= 0)
        _exit(1);
      p += w, left -= (size_t)w;
    }
    _exit(0);
  }
  close(fds[1]);
  size_t got = 0;
  while (got < sizeof reply) {
    ssize_t r = read(fds[0], (char *)&reply + got, sizeof reply - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    got += (size_t)r;
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (got != sizeof reply || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    snprintf(why, why_size, "libbpf failed while reading the object (%s)",
             WIFSIGNALED(status) ? "it crashed: malformed ELF or BTF"
                                 : "no answer");
    return -1;
  }
  if (reply.n_maps > VEP_MAX_MAPS) {
    snprintf(why, why_size, "more than %d maps", VEP_MAX_MAPS);
    return -1;
  }
  memcpy(maps, reply.maps, reply.n_maps * sizeof *maps);
  *n_maps = reply.n_maps;
  reply.why[sizeof reply.why - 1] = 0;
  if (reply.rc != 0)
    snprintf(why, why_size, "%s", reply.why);
  return reply.rc;
}
