/*===- map_table.c - The map table of an object, as libbpf reads it -------===*
 *
 * Untrusted front-end code (see vep/map_table.h): the trusted core never
 * parses BTF; it gets the maps from whoever creates them.
 *===----------------------------------------------------------------------===*/
#include "vep/map_table.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap) {
  (void)level, (void)fmt, (void)ap;
  return 0;
}

int vep_map_table_from_object(const uint8_t *obj, size_t obj_len,
                              vep_map_def maps[VEP_MAX_MAPS],
                              uint32_t *n_maps, char *why, size_t why_size) {
  *n_maps = 0;
  libbpf_print_fn_t old = libbpf_set_print(quiet);
  struct bpf_object *o = bpf_object__open_mem(obj, obj_len, NULL);
  libbpf_set_print(old);
  if (!o) {
    snprintf(why, why_size, "libbpf cannot open the object (%s)",
             strerror(errno));
    return -1;
  }
  int rc = 0;
  struct bpf_map *m;
  bpf_object__for_each_map(m, o) {
    if (*n_maps == VEP_MAX_MAPS) {
      snprintf(why, why_size, "more than %d maps", VEP_MAX_MAPS);
      rc = -1;
      break;
    }
    vep_map_def *d = &maps[(*n_maps)++];
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "%s", bpf_map__name(m));
    d->type = (uint32_t)bpf_map__type(m);
    d->key_size = bpf_map__key_size(m);
    d->value_size = bpf_map__value_size(m);
    d->max_entries = bpf_map__max_entries(m);
    d->flags = bpf_map__map_flags(m);
  }
  bpf_object__close(o);
  return rc;
}
