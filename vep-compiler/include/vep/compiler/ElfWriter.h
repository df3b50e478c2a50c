//===- ElfWriter.h - Relocatable EM_BPF objects -----------------*- C++ -*-===//
//
// The low-level object writer behind writeObject (CodeGen.h): sections of
// raw bytes plus global symbols, laid out as a little-endian ELF64 ET_REL
// file for EM_BPF. Also the embedded proof: writeObjectWithProof adds the
// proof file's bytes as the non-allocated section `.vep.proof`, and
// findEmbeddedProof reads it back (for vep-load and the tests; vep-check, in
// C, has its own lookup).
//
//===----------------------------------------------------------------------===//
#ifndef VEP_COMPILER_ELFWRITER_H
#define VEP_COMPILER_ELFWRITER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vep::compiler {

struct CompiledProgram; // CodeGen.h

constexpr uint16_t EM_BPF_MACHINE = 247;

/// The section that carries the proof inside the object: SHT_PROGBITS
/// without SHF_ALLOC, so loaders (libbpf, bpftool, the kernel) ignore it.
constexpr const char *ProofSectionName = ".vep.proof";

struct ElfSymbolSpec {
  std::string Name;
  uint64_t Value = 0; // offset within its section
  uint64_t Size = 0;
  bool IsFunc = true; // STT_FUNC, else STT_OBJECT; always STB_GLOBAL
};

struct ElfSectionSpec {
  std::string Name;
  std::vector<uint8_t> Data;
  bool Exec = false;   // SHF_ALLOC|SHF_EXECINSTR (code) ...
  bool Write = false;  // ... or SHF_ALLOC|SHF_WRITE (data)
  bool Alloc = true;   // false: no SHF_ALLOC (Exec and Write must be false);
                       // the section is not part of the program's image
  uint64_t Align = 1;
  std::vector<ElfSymbolSpec> Symbols;
};

/// Lays out the given PROGBITS sections (in order, section indices from 1),
/// then .symtab, .strtab and .shstrtab.
std::vector<uint8_t> writeElf(const std::vector<ElfSectionSpec> &Sections);

/// writeObject (CodeGen.h) followed by `Proof` as the non-allocated
/// PROGBITS section `.vep.proof` (after `license`, before .symtab). The
/// program sections, their order and their bytes are exactly writeObject's,
/// so a proof written for writeObject(Progs, License) (it binds programs by
/// the hash of their section bytes) holds for this object too.
std::vector<uint8_t> writeObjectWithProof(const std::vector<CompiledProgram> &Progs,
                                          const std::string &License,
                                          const std::vector<uint8_t> &Proof);

/// The embedded proof of an object, as found by findEmbeddedProof.
struct EmbeddedProof {
  enum Status {
    Found,    ///< Data/Size are the section's contents (inside the object)
    Missing,  ///< a readable ELF64 LSB object without a `.vep.proof` section
    Malformed ///< not a readable ELF64 LSB object, or a bad `.vep.proof`
  } St = Missing;
  const uint8_t *Data = nullptr;
  size_t Size = 0;
  std::string Why; ///< for Malformed: one line
};

/// Finds `.vep.proof` in an ELF64 little-endian object. Every offset is
/// bounds-checked; more than one `.vep.proof`, or one that is not
/// SHT_PROGBITS, is Malformed.
EmbeddedProof findEmbeddedProof(const uint8_t *Object, size_t Len);

} // namespace vep::compiler

#endif // VEP_COMPILER_ELFWRITER_H
