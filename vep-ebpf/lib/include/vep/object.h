/*===- object.h - An eBPF ELF object checked through its image ------------===*
 *
 * vep_object (vep-ebpf/lib/object.c): the front end's reading of an ELF
 * object (ELF64, little-endian, ET_REL, EM_BPF) into the image the checker
 * core checks (vep/check.h). Untrusted in the sense of docs/architecture.md
 * ("Trust"): the core checks whatever image it is given, so what this
 * reading decides is what the loader must apply (docs/proof-format.md,
 * "Objects").
 *===----------------------------------------------------------------------===*/
#ifndef VEP_OBJECT_H
#define VEP_OBJECT_H

#include "vep/check.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Checks every program of the ELF object `obj`: the arguments and the map
 * table as vep_check_image checks them, then rules elf_header, elf_sections
 * (malformed when violated) and elf_relocations (rejects), then the image:
 * the executable sections other than `.text` as programs in section header
 * order, the functions of `.text`, each code's relocations bound to map
 * table entries and functions. `maps` may be NULL: no maps (a relocation
 * against `.maps` then rejects). The image lives on the heap until the
 * check returns; `arena` is only the core's. */
vep_status vep_check_object(const uint8_t *obj, size_t obj_len,
                            const vep_map_table *maps,
                            const vep_header_source *headers,
                            const vep_proof_source *src, vep_arena *arena,
                            vep_result *res);

#ifdef __cplusplus
}
#endif

#endif /* VEP_OBJECT_H */
