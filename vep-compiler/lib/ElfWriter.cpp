//===- ElfWriter.cpp - Relocatable EM_BPF ELF objects, written by hand ----===//
//
// Layout: ELF header, section contents (each aligned), then the section
// header table. Sections: [0] null, [1..n] the given PROGBITS sections,
// the `.rel<name>` sections of those with relocations, then .symtab,
// .strtab, .shstrtab. Symbols: the null symbol, the local ones (`.text`'s
// section symbol and its functions), then the global ones (.symtab's
// sh_info is the index of the first global). Little-endian ELF64, ET_REL,
// EM_BPF.
//
// bpf-to-bpf calls: the functions entry points call live in `.text`, each
// with a local STT_FUNC symbol (C's static functions; global ones would be
// verified by the kernel on their own, from BTF types only); a call is
// `call imm` with src = 1 and an R_BPF_64_32 relocation against `.text`'s
// section symbol, imm = the callee's index in `.text` minus 1, as clang
// and llvm-mc write it for static functions.
//
// Maps: `.maps` holds one zero-filled struct per map with a global
// STT_OBJECT symbol named like the map; programs load a map's address with
// an lddw of 0 carrying an R_BPF_64_64 relocation against that symbol
// (libbpf patches in the map, the checker matches it by symbol name). libbpf
// only reads BTF-defined maps, so `.BTF` describes each map as clang does
// for `struct { __uint(type, ...); ... } m SEC(".maps");`. A map of maps'
// initial values follow its struct, one 8-byte slot each, relocated in
// `.rel.maps` (R_BPF_64_ABS64) against the inner map's symbol, as clang
// writes `= { .values = { &a, &b } }`.
//
// Functions: `.BTF` has a FUNC per program and `.text` function, and
// `.BTF.ext` their func info and line info (BtfWriter.cpp), which libbpf
// hands to the kernel: the kernel then names the functions and shows each
// instruction's C line (bpftool prog dump xlated ... linum, verifier
// logs). Neither is SHF_ALLOC; the checker reads neither.
//
// Global variables: `.data`, `.bss` (NOBITS) and `.rodata`, those that
// hold some, after `license`, each variable at its offset (cir::GlobalVar)
// with an STT_OBJECT symbol (local when `static`); an lddw of 0 with an
// R_BPF_64_64 relocation against that symbol loads its address (libbpf
// makes the section an internal array map and the lddw a pointer into its
// value; the checker binds the section to that map). `.BTF` has a DATASEC
// per section, which libbpf gives the map as its value type.
//
// An object written by vepcc carries its proof as the last given section,
// `.vep.proof`: SHT_PROGBITS without SHF_ALLOC. libbpf skips such a section
// (it logs "skipping unrecognized data section" at info level) and the
// kernel never sees it; the checker only reads executable sections, whose
// bytes the proof binds by hash, so embedding changes nothing it proves.
//
//===----------------------------------------------------------------------===//

#include "vep/compiler/ElfWriter.h"
#include "vep/compiler/CodeGen.h"
#include "vep/object.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <stdexcept>

namespace vep::compiler {
namespace {

// The few ELF constants we need (values from the System V gABI).
constexpr uint8_t ELFCLASS64 = 2, ELFDATA2LSB = 1, EV_CURRENT = 1;
constexpr uint16_t ET_REL = 1;
constexpr uint32_t SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3,
                   SHT_NOBITS = 8, SHT_REL = 9;
constexpr uint64_t SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4,
                   SHF_INFO_LINK = 0x40;
constexpr uint8_t STB_LOCAL = 0, STB_GLOBAL = 1, STT_OBJECT = 1, STT_FUNC = 2,
                  STT_SECTION = 3;
constexpr size_t EhdrSize = 64, ShdrSize = 64, SymSize = 24, RelSize = 16;

class Buf {
public:
  std::vector<uint8_t> B;
  void u8(uint8_t V) { B.push_back(V); }
  void u16(uint16_t V) { le(V, 2); }
  void u32(uint32_t V) { le(V, 4); }
  void u64(uint64_t V) { le(V, 8); }
  void bytes(const std::vector<uint8_t> &D) { B.insert(B.end(), D.begin(), D.end()); }
  void align(uint64_t A) {
    while (A > 1 && B.size() % A)
      B.push_back(0);
  }
  void put32(size_t At, uint32_t V) {
    for (int K = 0; K < 4; ++K)
      B[At + K] = uint8_t(V >> (8 * K));
  }
  void put64(size_t At, uint64_t V) {
    for (int K = 0; K < 8; ++K)
      B[At + K] = uint8_t(V >> (8 * K));
  }
  void put16(size_t At, uint16_t V) {
    B[At] = uint8_t(V);
    B[At + 1] = uint8_t(V >> 8);
  }

private:
  void le(uint64_t V, int N) {
    for (int K = 0; K < N; ++K)
      B.push_back(uint8_t(V >> (8 * K)));
  }
};

class StrTab {
public:
  std::vector<uint8_t> Data{0};
  uint32_t add(const std::string &S) {
    if (S.empty())
      return 0;
    auto It = Index.find(S);
    if (It != Index.end())
      return It->second;
    uint32_t Off = uint32_t(Data.size());
    Data.insert(Data.end(), S.begin(), S.end());
    Data.push_back(0);
    Index[S] = Off;
    return Off;
  }

private:
  std::map<std::string, uint32_t> Index;
};

struct Shdr {
  uint32_t Name = 0, Type = 0;
  uint64_t Flags = 0, Addr = 0, Offset = 0, Size = 0;
  uint32_t Link = 0, Info = 0;
  uint64_t AddrAlign = 0, EntSize = 0;
};

} // namespace

std::vector<uint8_t> writeElf(const std::vector<ElfSectionSpec> &Sections) {
  StrTab ShStr, Str;
  Buf Out;
  Out.B.resize(EhdrSize, 0);

  std::vector<Shdr> Headers(1); // [0] null
  for (const ElfSectionSpec &S : Sections) {
    uint64_t Align = S.Align ? S.Align : 1;
    Out.align(Align);
    Shdr H;
    H.Name = ShStr.add(S.Name);
    H.Type = S.NoBits ? SHT_NOBITS : SHT_PROGBITS;
    H.Flags = S.Alloc ? SHF_ALLOC | (S.Exec ? SHF_EXECINSTR : 0) | (S.Write ? SHF_WRITE : 0)
                      : 0;
    H.Offset = Out.B.size();
    H.Size = S.Data.size();
    H.AddrAlign = Align;
    if (!S.NoBits)
      Out.bytes(S.Data);
    Headers.push_back(H);
  }

  // Symbols: null, the locals, then the globals.
  Buf Sym;
  for (size_t K = 0; K < SymSize; ++K)
    Sym.u8(0);
  std::map<std::string, uint32_t> SymIndex;
  uint32_t FirstGlobal = 1;
  for (bool Locals : {true, false}) {
    if (!Locals)
      FirstGlobal = uint32_t(Sym.B.size() / SymSize);
    for (size_t SI = 0; SI < Sections.size(); ++SI) {
      for (const ElfSymbolSpec &S : Sections[SI].Symbols) {
        bool Local = S.Local || S.IsSection;
        if (Local != Locals)
          continue;
        SymIndex.emplace(S.Name, uint32_t(Sym.B.size() / SymSize));
        uint8_t Type = S.IsSection ? STT_SECTION
                                   : S.IsFunc ? STT_FUNC : STT_OBJECT;
        Sym.u32(S.IsSection ? 0 : Str.add(S.Name));
        Sym.u8(uint8_t(((Local ? STB_LOCAL : STB_GLOBAL) << 4) | Type));
        Sym.u8(0); // STV_DEFAULT
        Sym.u16(uint16_t(SI + 1));
        Sym.u64(S.IsSection ? 0 : S.Value);
        Sym.u64(S.IsSection ? 0 : S.Size);
      }
    }
  }
  size_t NumRelSections = 0;
  for (const ElfSectionSpec &S : Sections)
    NumRelSections += !S.Relocs.empty();
  uint32_t SymtabIdx = uint32_t(Headers.size() + NumRelSections);
  uint32_t StrtabIdx = SymtabIdx + 1;
  uint32_t ShStrtabIdx = SymtabIdx + 2;

  for (size_t SI = 0; SI < Sections.size(); ++SI) {
    const ElfSectionSpec &S = Sections[SI];
    if (S.Relocs.empty())
      continue;
    Out.align(8);
    Shdr H;
    H.Name = ShStr.add(".rel" + S.Name);
    H.Type = SHT_REL;
    H.Flags = SHF_INFO_LINK; // sh_info is a section index
    H.Offset = Out.B.size();
    H.Size = S.Relocs.size() * RelSize;
    H.Link = SymtabIdx;
    H.Info = uint32_t(SI + 1);
    H.AddrAlign = 8;
    H.EntSize = RelSize;
    for (const ElfRelocSpec &R : S.Relocs) {
      auto It = SymIndex.find(R.Symbol);
      if (It == SymIndex.end())
        throw std::invalid_argument("ELF writer: relocation against unknown "
                                    "symbol '" + R.Symbol + "'");
      Out.u64(R.Offset);
      Out.u64(uint64_t(It->second) << 32 | R.Type); // ELF64_R_INFO
    }
    Headers.push_back(H);
  }

  Out.align(8);
  Shdr SymH;
  SymH.Name = ShStr.add(".symtab");
  SymH.Type = SHT_SYMTAB;
  SymH.Offset = Out.B.size();
  SymH.Size = Sym.B.size();
  SymH.Link = StrtabIdx;
  SymH.Info = FirstGlobal;
  SymH.AddrAlign = 8;
  SymH.EntSize = SymSize;
  Out.bytes(Sym.B);
  Headers.push_back(SymH);

  Shdr StrH;
  StrH.Name = ShStr.add(".strtab");
  StrH.Type = SHT_STRTAB;
  StrH.Offset = Out.B.size();
  StrH.Size = Str.Data.size();
  StrH.AddrAlign = 1;
  Out.bytes(Str.Data);
  Headers.push_back(StrH);

  Shdr ShStrH;
  ShStrH.Name = ShStr.add(".shstrtab");
  ShStrH.Type = SHT_STRTAB;
  ShStrH.Offset = Out.B.size();
  ShStrH.Size = ShStr.Data.size(); // final: no names added after this
  ShStrH.AddrAlign = 1;
  Out.bytes(ShStr.Data);
  Headers.push_back(ShStrH);

  Out.align(8);
  uint64_t ShOff = Out.B.size();
  for (const Shdr &H : Headers) {
    Out.u32(H.Name);
    Out.u32(H.Type);
    Out.u64(H.Flags);
    Out.u64(H.Addr);
    Out.u64(H.Offset);
    Out.u64(H.Size);
    Out.u32(H.Link);
    Out.u32(H.Info);
    Out.u64(H.AddrAlign);
    Out.u64(H.EntSize);
  }

  // ELF header.
  std::vector<uint8_t> &B = Out.B;
  B[0] = 0x7f;
  B[1] = 'E';
  B[2] = 'L';
  B[3] = 'F';
  B[4] = ELFCLASS64;
  B[5] = ELFDATA2LSB;
  B[6] = EV_CURRENT;
  B[7] = 0; // ELFOSABI_NONE
  Out.put16(16, ET_REL);
  Out.put16(18, EM_BPF_MACHINE);
  Out.put32(20, EV_CURRENT);
  Out.put64(24, 0);     // e_entry
  Out.put64(32, 0);     // e_phoff
  Out.put64(40, ShOff); // e_shoff
  Out.put32(48, 0);     // e_flags
  Out.put16(52, EhdrSize);
  Out.put16(54, 0); // e_phentsize
  Out.put16(56, 0); // e_phnum
  Out.put16(58, ShdrSize);
  Out.put16(60, uint16_t(Headers.size()));
  Out.put16(62, uint16_t(ShStrtabIdx));
  return B;
}

namespace {

/// writeObject's sections: one per program, `license`, those of the global
/// variables, with maps `.maps`, then `.BTF` and (with programs) `.BTF.ext`.
std::vector<ElfSectionSpec> objectSections(const std::vector<CompiledProgram> &Progs,
                                           const std::string &License,
                                           const std::vector<cir::MapDef> &Maps,
                                           const std::vector<cir::GlobalVar> &Globals,
                                           const SourceText &Source) {
  // One section per program, even when two programs name the same SEC():
  // the checker treats every executable section as one program entered at
  // its first instruction, so programs must never share a section.
  std::vector<ElfSectionSpec> Secs;
  ElfSectionSpec Text;
  Text.Name = ".text";
  Text.Exec = true;
  Text.Align = 8;
  // A function's relocations, in instruction order.
  auto AddRelocs = [](const CompiledProgram &P, uint64_t Base,
                      ElfSectionSpec &S) {
    size_t First = S.Relocs.size();
    for (const MapRelocation &R : P.MapRelocs)
      S.Relocs.push_back({Base + uint64_t(R.Insn) * 8, R.Map, R_BPF_64_64});
    for (const CallRelocation &C : P.CallRelocs)
      S.Relocs.push_back({Base + uint64_t(C.Insn) * 8, ".text", R_BPF_64_32});
    std::stable_sort(S.Relocs.begin() + long(First), S.Relocs.end(),
                     [](const ElfRelocSpec &A, const ElfRelocSpec &B) {
                       return A.Offset < B.Offset;
                     });
  };
  for (const CompiledProgram &P : Progs) {
    if (!P.isTextFunction())
      continue;
    ElfSymbolSpec Sym;
    Sym.Name = P.Name;
    Sym.Value = Text.Data.size();
    Sym.Size = P.Insns.size() * 8;
    Sym.Local = true;
    Text.Symbols.push_back(Sym);
    AddRelocs(P, Text.Data.size(), Text);
    std::vector<uint8_t> Bytes = encodeInsns(P.Insns);
    Text.Data.insert(Text.Data.end(), Bytes.begin(), Bytes.end());
  }
  if (!Text.Symbols.empty()) {
    ElfSymbolSpec SecSym;
    SecSym.Name = ".text";
    SecSym.IsSection = true;
    Text.Symbols.insert(Text.Symbols.begin(), SecSym);
  }
  for (const CompiledProgram &P : Progs) {
    if (P.isTextFunction())
      continue;
    ElfSectionSpec S;
    S.Name = P.Section;
    S.Exec = true;
    S.Align = 8;
    S.Data = encodeInsns(P.Insns);
    ElfSymbolSpec Sym;
    Sym.Name = P.Name;
    Sym.Size = S.Data.size();
    Sym.IsFunc = true;
    S.Symbols.push_back(Sym);
    AddRelocs(P, 0, S);
    Secs.push_back(std::move(S));
  }
  // After the programs: their section indices stay what they were without
  // calls.
  if (!Text.Symbols.empty())
    Secs.push_back(std::move(Text));
  ElfSectionSpec Lic;
  Lic.Name = "license";
  Lic.Write = true;
  Lic.Align = 1;
  Lic.Data.assign(License.begin(), License.end());
  Lic.Data.push_back(0);
  ElfSymbolSpec LicSym;
  LicSym.Name = LicenseSymbol;
  LicSym.Size = Lic.Data.size();
  LicSym.IsFunc = false;
  Lic.Symbols.push_back(LicSym);
  Secs.push_back(std::move(Lic));
  for (const GlobalSection &G : globalSections(Globals)) {
    ElfSectionSpec S;
    S.Name = cir::sectionName(G.Sec);
    S.Write = G.Sec != cir::GlobalVar::Section::Rodata;
    S.NoBits = G.Sec == cir::GlobalVar::Section::Bss;
    S.Align = G.Align;
    S.Data.assign(G.Size, 0);
    for (const cir::GlobalVar &V : Globals) {
      if (V.Sec != G.Sec)
        continue;
      std::copy(V.Init.begin(), V.Init.end(), S.Data.begin() + long(V.Offset));
      ElfSymbolSpec Sym;
      Sym.Name = V.Name;
      Sym.Value = V.Offset;
      Sym.Size = V.Size;
      Sym.IsFunc = false;
      Sym.Local = V.Static;
      S.Symbols.push_back(Sym);
    }
    Secs.push_back(std::move(S));
  }
  ElfSectionSpec MapSec;
  MapSec.Name = ".maps";
  MapSec.Write = true;
  MapSec.Align = 8;
  for (const cir::MapDef &M : Maps) {
    ElfSymbolSpec Sym;
    Sym.Name = M.Name;
    Sym.Value = MapSec.Data.size();
    Sym.Size = mapSectionSize(M);
    Sym.IsFunc = false;
    MapSec.Symbols.push_back(Sym);
    // A map of maps' initial values: libbpf stores the map whose symbol a
    // slot's relocation names.
    for (size_t I = 0; I < M.InitialValues.size(); ++I)
      if (M.InitialValues[I] >= 0)
        MapSec.Relocs.push_back({Sym.Value + mapDefinitionSize(M) + 8 * I,
                                 Maps[size_t(M.InitialValues[I])].Name,
                                 R_BPF_64_ABS64});
    MapSec.Data.resize(MapSec.Data.size() + Sym.Size, 0);
  }
  if (!Maps.empty())
    Secs.push_back(std::move(MapSec));
  ObjectBtf Info = writeObjectBtf(Progs, Maps, Globals, Source, License);
  const std::pair<const char *, std::vector<uint8_t> *> Parts[] = {
      {".BTF", &Info.Btf}, {".BTF.ext", &Info.Ext}};
  for (const auto &[Name, Data] : Parts) {
    if (Data->empty())
      continue;
    ElfSectionSpec S;
    S.Name = Name;
    S.Alloc = false;
    S.Align = 4;
    S.Data = std::move(*Data);
    Secs.push_back(std::move(S));
  }
  return Secs;
}

} // namespace

std::vector<GlobalSection> globalSections(const std::vector<cir::GlobalVar> &Globals) {
  std::vector<GlobalSection> Out;
  for (auto Sec : {cir::GlobalVar::Section::Data, cir::GlobalVar::Section::Bss,
                   cir::GlobalVar::Section::Rodata}) {
    GlobalSection G{Sec};
    for (const cir::GlobalVar &V : Globals)
      if (V.Sec == Sec) {
        G.Size = std::max(G.Size, V.Offset + V.Size);
        G.Align = std::max(G.Align, V.Align);
      }
    if (G.Size)
      Out.push_back(G);
  }
  return Out;
}

std::vector<uint8_t> writeObject(const std::vector<CompiledProgram> &Progs,
                                 const std::string &License,
                                 const std::vector<cir::MapDef> &Maps,
                                 const std::vector<cir::GlobalVar> &Globals,
                                 const SourceText &Source) {
  return writeElf(objectSections(Progs, License, Maps, Globals, Source));
}

std::vector<uint8_t> writeObjectWithProof(const std::vector<CompiledProgram> &Progs,
                                          const std::string &License,
                                          const std::vector<uint8_t> &Proof,
                                          const std::vector<cir::MapDef> &Maps,
                                          const std::vector<cir::GlobalVar> &Globals,
                                          const SourceText &Source) {
  std::vector<ElfSectionSpec> Secs = objectSections(Progs, License, Maps, Globals, Source);
  ElfSectionSpec P;
  P.Name = ProofSectionName;
  P.Alloc = false;
  P.Align = 1;
  P.Data = Proof;
  Secs.push_back(std::move(P));
  return writeElf(Secs);
}

EmbeddedProof findEmbeddedProof(const uint8_t *O, size_t Len) {
  EmbeddedProof R;
  vep_result Res{};
  vep_elf Elf;
  const char *Why = nullptr;
  if (vep_elf_read(&Elf, O, Len, &Res) != VEP_ACCEPTED)
    Why = Res.reason;
  else
    Why = vep_elf_embedded_proof(&Elf, &R.Data, &R.Size);
  if (Why) {
    R.St = EmbeddedProof::Malformed;
    R.Why = Why;
    R.Data = nullptr;
    R.Size = 0;
  } else {
    R.St = R.Data ? EmbeddedProof::Found : EmbeddedProof::Missing;
  }
  return R;
}

} // namespace vep::compiler
