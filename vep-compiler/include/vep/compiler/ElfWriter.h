//===- ElfWriter.h - Relocatable EM_BPF objects -----------------*- C++ -*-===//
//
// The low-level object writer behind writeObject (CodeGen.h): sections of
// raw bytes plus global symbols and relocations against them, laid out as a
// little-endian ELF64 ET_REL file for EM_BPF; and the `.BTF` that describes
// the maps of `.maps` and the functions for libbpf, with the `.BTF.ext`
// that gives the kernel each function's start and each instruction's
// source line. Also the embedded proof: writeObjectWithProof adds the
// proof file's bytes as the non-allocated section `.vep.proof`, and
// findEmbeddedProof reads it back (for vep-load and the tests) through
// vep_object's lookup, the one vep-check uses.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_COMPILER_ELFWRITER_H
#define VEP_COMPILER_ELFWRITER_H

#include "vep/cir/CIR.h"

#include <cstddef>
#include <cstdint>
#include <optional>
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
  bool IsFunc = true; // STT_FUNC, else STT_OBJECT
  bool Local = false; // STB_LOCAL (written before the globals), else STB_GLOBAL
  /// The STT_SECTION symbol of its section (local, st_name 0, value 0);
  /// relocations refer to it by Name.
  bool IsSection = false;
};

/// R_BPF_64_64: the 64-bit immediate of an lddw gets the symbol's address
/// (for a map in `.maps`, libbpf puts the map there).
constexpr uint32_t R_BPF_64_64 = 1;
/// R_BPF_64_32: a bpf-to-bpf `call` (src = 1); the callee is the
/// instruction st_value / 8 + imm + 1 of the symbol's section.
constexpr uint32_t R_BPF_64_32 = 10;

struct ElfRelocSpec {
  uint64_t Offset = 0; // byte offset in the section (an lddw's first slot)
  std::string Symbol;  // one of the Symbols of the given sections
  uint32_t Type = R_BPF_64_64;
};

struct ElfSectionSpec {
  std::string Name;
  std::vector<uint8_t> Data;
  bool Exec = false;   // SHF_ALLOC|SHF_EXECINSTR (code) ...
  bool Write = false;  // ... or SHF_ALLOC|SHF_WRITE (data)
  bool Alloc = true;   // false: no SHF_ALLOC (Exec and Write must be false);
                       // the section is not part of the program's image
  bool NoBits = false; // SHT_NOBITS (`.bss`): Data.size() zero bytes, not
                       // stored in the file
  uint64_t Align = 1;
  std::vector<ElfSymbolSpec> Symbols;
  std::vector<ElfRelocSpec> Relocs; // written as the section `.rel<Name>`
};

/// Lays out the given PROGBITS sections (in order, section indices from 1),
/// then a SHT_REL section `.rel<Name>` for each given section with
/// relocations (in the same order), then .symtab, .strtab and .shstrtab.
/// Throws std::invalid_argument for a relocation against a symbol that no
/// section defines.
std::vector<uint8_t> writeElf(const std::vector<ElfSectionSpec> &Sections);

/// The bytes a map occupies in `.maps`: one zero-filled 8-byte field per
/// member of its BTF struct (type, max_entries, key_size, value_size and,
/// when not 0, map_flags), as clang lays out libbpf's `__uint` members.
uint64_t mapDefinitionSize(const cir::MapDef &M);
/// The bytes a map occupies in `.maps`: its definition, then for a map of
/// maps one 8-byte slot per initial value (`.values = { &a, &b }`), which
/// `.rel.maps` relocates against the inner map's symbol.
uint64_t mapSectionSize(const cir::MapDef &M);
/// R_BPF_64_ABS64: a 64-bit address in data (a slot of `.values`).
constexpr uint32_t R_BPF_64_ABS64 = 2;

/// The C source the programs were compiled from: the line info of
/// `.BTF.ext` names the file and quotes the line of each record. Empty:
/// the records have no file name and no line text.
struct SourceText {
  std::string FileName; ///< as given to the compiler
  std::string Text;     ///< the file's contents
};

/// The lines of Text (without their line ends): line N is element N - 1.
std::vector<std::string> splitLines(const std::string &Text);

/// One line info record of a function: the first slot of the instructions
/// of one C statement, and its location (Line 0: unknown).
struct LineRecord {
  uint32_t Insn = 0;
  unsigned Line = 0, Col = 0;

  bool operator==(const LineRecord &O) const = default;
};

/// P's line info: a record at slot 0 (P's first statement's location, or
/// P.L, its header, when code comes before that statement), then one at
/// each slot whose location (CompiledProgram::Locs) is known and differs
/// from the last record's; never at the second slot of an lddw. Hence
/// strictly increasing slots, as the kernel requires. Lines above 2^22 - 1
/// and columns above 1023 (what line_col holds) are clamped.
std::vector<LineRecord> lineRecords(const CompiledProgram &P);

/// An object's `.BTF` and `.BTF.ext` (BtfWriter.cpp).
struct ObjectBtf {
  std::vector<uint8_t> Btf, Ext;
};

/// `.BTF`: INT "int", for each `__uint(name, N)` value N of a map an ARRAY
/// of N ints and a PTR to it, per map an anonymous STRUCT of those members
/// (`key` and `value` PTRs to the declared types, cir::MapDef::KeyType and
/// ValueType, when they have the map's sizes, else `key_size` and
/// `value_size`; a map of maps' with a last member `values`, an empty
/// ARRAY of a PTR to its inner template's STRUCT), a VAR (global,
/// allocated) named like the map, and the DATASEC ".maps" placing the VARs
/// at their offsets (in map order, mapSectionSize bytes each; none without
/// maps) as libbpf reads BTF-defined maps. Then per section of global
/// variables (globalSections) a DATASEC of its size placing a VAR per
/// variable (static or global allocated linkage, as its ELF symbol is
/// local or global) of its declared type (GlobalVar::DeclaredType, without
/// one an INT named by its spelling or an ARRAY of them). Then per program
/// of Progs a FUNC named like it (linkage global for an entry point,
/// static for a `.text` function) of the FUNC_PROTO of its declared
/// signature (CompiledProgram::Proto; without one its parameters' names
/// and INT types, a pointer to `struct S` a PTR to a FWD `S`, other
/// pointers PTRs to void). Declared types are written as clang writes
/// them (docs/compiler.md section 7, "Declared types"), equal records once.
///
/// `.BTF.ext` (empty when Progs is, or when two programs share a section
/// name, which makes libbpf's lookup by name ambiguous): per program
/// section, then `.text` with its functions in Progs' order, the func info
/// (the function's first byte, its FUNC) and the line info (lineRecords,
/// byte offsets in the section, Source's file name and line text).
///
/// With a License (the `license` section's text, without its NUL), a VAR
/// LicenseSymbol of `char[size + 1]` in a DATASEC `license`, as clang
/// describes `char LICENSE[] SEC("license")`.
ObjectBtf writeObjectBtf(const std::vector<CompiledProgram> &Progs,
                         const std::vector<cir::MapDef> &Maps,
                         const std::vector<cir::GlobalVar> &Globals,
                         const SourceText &Source = {},
                         const std::optional<std::string> &License = std::nullopt);

/// The object's symbol of its license (section `license`).
inline constexpr const char *LicenseSymbol = "_license";

/// A section holding global variables: libbpf makes it an internal array
/// map of one value of Size bytes, named by the section.
struct GlobalSection {
  cir::GlobalVar::Section Sec;
  uint64_t Size = 0, Align = 1; // its variables' end; their largest alignment
};
/// The sections that hold some of Globals, in the order writeObject writes
/// them (`.data`, `.bss`, `.rodata`), which is the order of libbpf's
/// internal maps.
std::vector<GlobalSection> globalSections(const std::vector<cir::GlobalVar> &Globals);

/// writeObject (CodeGen.h) followed by `Proof` as the non-allocated
/// PROGBITS section `.vep.proof` (after the other PROGBITS sections, before
/// the relocation sections and .symtab). The
/// program sections, their order and their bytes are exactly writeObject's,
/// so a proof written for writeObject(Progs, License) (it binds programs by
/// the hash of their section bytes) holds for this object too.
std::vector<uint8_t> writeObjectWithProof(const std::vector<CompiledProgram> &Progs,
                                          const std::string &License,
                                          const std::vector<uint8_t> &Proof,
                                          const std::vector<cir::MapDef> &Maps = {},
                                          const std::vector<cir::GlobalVar> &Globals = {},
                                          const SourceText &Source = {});

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

/// Finds `.vep.proof` in an ELF64 little-endian object, read by vep_object's
/// reader (vep_elf_read, vep_elf_embedded_proof in vep/object.h), as
/// vep-check reads it: an object that reader refuses, more than one
/// `.vep.proof`, or one that is not SHT_PROGBITS, is Malformed.
EmbeddedProof findEmbeddedProof(const uint8_t *Object, size_t Len);

} // namespace vep::compiler

#endif // VEP_COMPILER_ELFWRITER_H
