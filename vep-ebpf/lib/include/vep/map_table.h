/*===- map_table.h - The map table of an object, as libbpf reads it -------===*
 *
 * Not part of the trusted core: the front ends (vep-check, vep-load, the
 * tests) build the vep_map_table that vep_check_object takes from the
 * object's `.maps` section with libbpf's own parser (bpf_object__open_mem),
 * which is the parser that creates the maps when the object is loaded. So
 * the checker and the kernel see the same key size, value size and entries.
 *===----------------------------------------------------------------------===*/
#ifndef VEP_MAP_TABLE_H
#define VEP_MAP_TABLE_H

#include "vep/check.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fills maps[0..*n_maps) (capacity VEP_MAX_MAPS) with the maps libbpf finds
 * in the ELF object `obj`, in libbpf's order; libbpf's internal maps of
 * global variables are named by their section (".data", ".bss",
 * ".rodata"; a section name longer than 15 bytes is cut there, as libbpf
 * cuts it); after them the inner template of each map of maps (in the
 * order of those), named "<outer>.inner" as libbpf names it, whose index
 * is the map of maps' `inner`.
 * Returns 0 on success; -1 if
 * libbpf cannot open the object, it has more than VEP_MAX_MAPS maps, or a
 * symbol of `.maps` lies at the offset of a map with another name (libbpf
 * binds relocations by offset, the checker by name), with
 * a one-line reason in `why` (NUL-terminated, at most why_size bytes). An
 * object without maps gives *n_maps = 0. Silences libbpf's own messages.
 * libbpf runs in a forked child, so that a crash of libbpf on a malformed
 * object is this function's -1 ("libbpf failed while reading the object"),
 * not a crash of the caller. */
int vep_map_table_from_object(const uint8_t *obj, size_t obj_len,
                              vep_map_def maps[VEP_MAX_MAPS],
                              uint32_t *n_maps, char *why, size_t why_size);

#ifdef __cplusplus
}

#include <string>
#include <vector>

namespace vep {

/* For the C++ front ends and tests: the map table libbpf reads from an
 * object, as vep-check reads it, owning its entries. */
struct MapTable {
  std::vector<vep_map_def> defs;
  vep_map_table table{0, nullptr};

  /* Reads the table of `obj` (vep_map_table_from_object); false, with the
   * one-line reason in `why` and no maps, when libbpf cannot. */
  bool read(const std::vector<uint8_t> &obj, std::string &why) {
    char reason[256] = "";
    uint32_t n = 0;
    defs.assign(VEP_MAX_MAPS, vep_map_def{});
    bool ok = vep_map_table_from_object(obj.data(), obj.size(), defs.data(), &n,
                                        reason, sizeof reason) == 0;
    defs.resize(ok ? n : 0);
    why = ok ? "" : reason;
    return ok;
  }

  /* The table as vep_check_object takes it (of `defs` as they are now). */
  const vep_map_table *get() {
    table = {(uint32_t)defs.size(), defs.empty() ? nullptr : defs.data()};
    return &table;
  }
};

} // namespace vep
#endif

#endif /* VEP_MAP_TABLE_H */
