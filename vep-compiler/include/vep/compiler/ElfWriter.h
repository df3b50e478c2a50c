//===- ElfWriter.h - Relocatable EM_BPF objects -----------------*- C++ -*-===//
//
// The low-level object writer behind writeObject (CodeGen.h): sections of
// raw bytes plus global symbols, laid out as a little-endian ELF64 ET_REL
// file for EM_BPF.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_COMPILER_ELFWRITER_H
#define VEP_COMPILER_ELFWRITER_H

#include <cstdint>
#include <string>
#include <vector>

namespace vep::compiler {

constexpr uint16_t EM_BPF_MACHINE = 247;

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
  uint64_t Align = 1;
  std::vector<ElfSymbolSpec> Symbols;
};

/// Lays out the given PROGBITS sections (in order, section indices from 1),
/// then .symtab, .strtab and .shstrtab.
std::vector<uint8_t> writeElf(const std::vector<ElfSectionSpec> &Sections);

} // namespace vep::compiler

#endif // VEP_COMPILER_ELFWRITER_H
