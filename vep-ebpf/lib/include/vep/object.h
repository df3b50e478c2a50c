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
                            const vep_proof_headers *headers,
                            const vep_proof_source *src, vep_arena *arena,
                            vep_result *res);

/* ---- The ELF reader of the front ends ----------------------------------
 * vep_check_object, the map table's symbol check (vep/map_table.h),
 * vep-check's embedded proof and vepcc's proof writer all read objects
 * through these functions: one reading of the header, sections and symbols.
 * Every function but vep_elf_read takes an object vep_elf_read accepted.
 */

/* An object whose header and section table passed rules elf_header and
 * elf_sections: a view into the caller's bytes. */
typedef struct vep_elf {
  const uint8_t *obj;
  size_t len;
  uint64_t shoff;
  uint32_t shnum;
  const char *names; /* the section name string table */
  uint64_t names_size;
  uint32_t text; /* the executable section `.text`, or 0 */
} vep_elf;

/* A section header. `name` is NUL-terminated; the contents
 * [offset, offset + size) lie inside the file unless type is SHT_NOBITS
 * (8) or SHT_NULL (0). */
typedef struct vep_elf_section {
  const char *name;
  uint32_t type, link, info;
  uint64_t flags, offset, size;
} vep_elf_section;

typedef struct vep_elf_symbol {
  const char *name; /* NUL-terminated */
  uint64_t value, size;
  uint32_t shndx;
  uint8_t type; /* STT_* */
} vep_elf_symbol;

/* Reads the header and section table of `obj` into *e: rules elf_header
 * and elf_sections (docs/proof-format.md 3.2). VEP_ACCEPTED, or
 * VEP_MALFORMED with "rule: why" in res->reason (res may be NULL). */
vep_status vep_elf_read(vep_elf *e, const uint8_t *obj, size_t len,
                        vep_result *res);

/* Section i, 0 < i < e->shnum. */
vep_elf_section vep_elf_section_at(const vep_elf *e, uint32_t i);

/* The index of the first section after section `after` (0: from the
 * start) named `name`, or 0 if none. */
uint32_t vep_elf_find_section(const vep_elf *e, const char *name,
                              uint32_t after);

/* The index of the first program section after section `after` (0: from
 * the start): an executable section with contents other than `.text`, in
 * section header order as the image lists programs; 0 if none. */
uint32_t vep_elf_next_program(const vep_elf *e, uint32_t after);

/* The proof vepcc embeds in an object: the one section `.vep.proof`, of
 * type SHT_PROGBITS. NULL with *data the contents (NULL: no such
 * section), or what is wrong ("more than one .vep.proof section",
 * ".vep.proof is not SHT_PROGBITS"). */
#define VEP_PROOF_SECTION ".vep.proof"
const char *vep_elf_embedded_proof(const vep_elf *e, const uint8_t **data,
                                   size_t *size);

/* The number of entries of the symbol table section `tab`, the null
 * symbol included: 0 unless `tab` is an SHT_SYMTAB section of 24-byte
 * entries whose sh_link is a section. */
uint64_t vep_elf_n_symbols(const vep_elf *e, uint32_t tab);

/* Symbol k (0 < k < vep_elf_n_symbols) of the symbol table `tab` in *out:
 * NULL, or why not ("malformed symbol table", "symbol index out of
 * range", "malformed symbol name": not a NUL-terminated string of an
 * SHT_STRTAB section). */
const char *vep_elf_symbol_at(const vep_elf *e, uint32_t tab, uint64_t k,
                              vep_elf_symbol *out);

#ifdef __cplusplus
}
#endif

#endif /* VEP_OBJECT_H */
