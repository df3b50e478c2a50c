//===- ElfWriterTest.cpp - The object file: libelf, llvm-readelf, kernel --===//

#include "CodeGenTestSupport.h"
#include "vep/compiler/ElfWriter.h"

#include <gtest/gtest.h>
#include <gelf.h>
#include <libelf.h>

#include <fstream>
#include <map>
#include <regex>
#include <sys/stat.h>

using namespace cgtest;
using namespace vep::compiler;

namespace {

struct ParsedSym {
  std::string Name, Section;
  uint64_t Value, Size;
  unsigned Bind, Type;
};

struct ParsedElf {
  bool Ok = false;
  GElf_Ehdr Ehdr{};
  std::vector<std::string> SectionNames; // index order, [0] = ""
  std::map<std::string, std::vector<std::vector<uint8_t>>> Contents;
  std::map<std::string, GElf_Shdr> Headers; // last section of each name
  std::vector<ParsedSym> Syms;
  size_t SymtabInfo = 0;
};

ParsedElf parse(std::vector<uint8_t> Obj) {
  ParsedElf P;
  elf_version(EV_CURRENT);
  Elf *E = elf_memory(reinterpret_cast<char *>(Obj.data()), Obj.size());
  if (!E || elf_kind(E) != ELF_K_ELF || !gelf_getehdr(E, &P.Ehdr)) {
    if (E)
      elf_end(E);
    return P;
  }
  size_t ShStrNdx = 0;
  elf_getshdrstrndx(E, &ShStrNdx);
  P.SectionNames.push_back("");
  Elf_Scn *Scn = nullptr;
  while ((Scn = elf_nextscn(E, Scn))) {
    GElf_Shdr Sh;
    gelf_getshdr(Scn, &Sh);
    std::string Name = elf_strptr(E, ShStrNdx, Sh.sh_name);
    P.SectionNames.push_back(Name);
    P.Headers[Name] = Sh;
    Elf_Data *D = elf_getdata(Scn, nullptr);
    const uint8_t *B = D && D->d_buf ? static_cast<const uint8_t *>(D->d_buf) : nullptr;
    P.Contents[Name].push_back(B ? std::vector<uint8_t>(B, B + D->d_size)
                                 : std::vector<uint8_t>());
    if (Sh.sh_type == SHT_SYMTAB) {
      P.SymtabInfo = Sh.sh_info;
      for (size_t I = 1; I < Sh.sh_size / Sh.sh_entsize; ++I) {
        GElf_Sym S;
        gelf_getsym(D, int(I), &S);
        ParsedSym PS;
        PS.Name = elf_strptr(E, Sh.sh_link, S.st_name);
        PS.Value = S.st_value;
        PS.Size = S.st_size;
        PS.Bind = GELF_ST_BIND(S.st_info);
        PS.Type = GELF_ST_TYPE(S.st_info);
        PS.Section = std::to_string(S.st_shndx);
        P.Syms.push_back(PS);
      }
    }
  }
  for (ParsedSym &S : P.Syms) {
    size_t I = std::stoul(S.Section);
    S.Section = I < P.SectionNames.size() ? P.SectionNames[I] : "?";
  }
  P.Ok = true;
  elf_end(E);
  return P;
}

std::vector<CompiledProgram> samples() {
  std::vector<CompiledProgram> V;
  V.push_back(compileOrDie(passProgram()));
  V.push_back(compileOrDie(ethProgram()));
  V.push_back(compileOrDie(ihlProgram()));
  return V;
}

std::string tempPath(const std::string &Name) {
  return testing::TempDir() + "/" + Name + "." + std::to_string(getpid());
}

int shell(const std::string &Cmd, std::string &Out) {
  Out.clear();
  FILE *F = popen((Cmd + " 2>&1").c_str(), "r");
  if (!F)
    return -1;
  char Buf[512];
  while (fgets(Buf, sizeof Buf, F))
    Out += Buf;
  int St = pclose(F);
  return WIFEXITED(St) ? WEXITSTATUS(St) : -1;
}

} // namespace

TEST(ElfWriter, HeaderSectionsAndSymbols) {
  std::vector<CompiledProgram> Progs = {compileOrDie(passProgram())};
  ParsedElf P = parse(writeObject(Progs, "GPL"));
  ASSERT_TRUE(P.Ok);
  EXPECT_EQ(P.Ehdr.e_ident[EI_CLASS], ELFCLASS64);
  EXPECT_EQ(P.Ehdr.e_ident[EI_DATA], ELFDATA2LSB);
  EXPECT_EQ(P.Ehdr.e_type, ET_REL);
  EXPECT_EQ(P.Ehdr.e_machine, EM_BPF);
  EXPECT_EQ(P.SectionNames,
            (std::vector<std::string>{"", "xdp", "license", ".BTF", ".BTF.ext", ".symtab",
                                      ".strtab", ".shstrtab"}));
  EXPECT_EQ(P.Headers[".BTF.ext"].sh_flags, 0u) << "not loaded: libbpf reads it";
  const GElf_Shdr &X = P.Headers["xdp"];
  EXPECT_EQ(X.sh_type, SHT_PROGBITS);
  EXPECT_EQ(X.sh_flags, uint64_t(SHF_ALLOC | SHF_EXECINSTR));
  EXPECT_EQ(X.sh_addralign, 8u);
  EXPECT_EQ(P.Contents["xdp"][0], encodeInsns(Progs[0].Insns));
  EXPECT_EQ(P.Headers["license"].sh_flags, uint64_t(SHF_ALLOC | SHF_WRITE));
  EXPECT_EQ(P.Contents["license"][0], (std::vector<uint8_t>{'G', 'P', 'L', 0}));
  EXPECT_EQ(P.Headers[".symtab"].sh_entsize, 24u);
  EXPECT_EQ(P.SymtabInfo, 1u); // no local symbols besides the null one
  ASSERT_EQ(P.Syms.size(), 2u);
  EXPECT_EQ(P.Syms[0].Name, "xdp_pass");
  EXPECT_EQ(P.Syms[0].Section, "xdp");
  EXPECT_EQ(P.Syms[0].Bind, unsigned(STB_GLOBAL));
  EXPECT_EQ(P.Syms[0].Type, unsigned(STT_FUNC));
  EXPECT_EQ(P.Syms[0].Value, 0u);
  EXPECT_EQ(P.Syms[0].Size, 16u);
  EXPECT_EQ(P.Syms[1].Name, "_license");
  EXPECT_EQ(P.Syms[1].Section, "license");
  EXPECT_EQ(P.Syms[1].Type, unsigned(STT_OBJECT));
  EXPECT_EQ(P.Syms[1].Size, 4u);
}

TEST(ElfWriter, OneSectionPerProgram) {
  std::vector<CompiledProgram> Progs = samples();
  Progs[2].Section = "xdp/ihl";
  ParsedElf P = parse(writeObject(Progs, "Dual MIT/GPL"));
  ASSERT_TRUE(P.Ok);
  // Two programs named SEC("xdp") still get one section each.
  ASSERT_EQ(P.Contents["xdp"].size(), 2u);
  EXPECT_EQ(P.Contents["xdp"][0], encodeInsns(Progs[0].Insns));
  EXPECT_EQ(P.Contents["xdp"][1], encodeInsns(Progs[1].Insns));
  EXPECT_EQ(P.Contents["xdp/ihl"][0], encodeInsns(Progs[2].Insns));
  std::vector<uint8_t> Lic = P.Contents["license"][0];
  EXPECT_EQ(std::string(Lic.begin(), Lic.end()), std::string("Dual MIT/GPL", 13));
  ASSERT_EQ(P.Syms.size(), 4u);
  for (size_t I = 0; I < 3; ++I) {
    EXPECT_EQ(P.Syms[I].Name, Progs[I].Name);
    EXPECT_EQ(P.Syms[I].Size, Progs[I].Insns.size() * 8);
    EXPECT_EQ(P.Syms[I].Value, 0u);
  }
}

TEST(ElfWriter, LlvmReadelfIsHappy) {
  std::string Tool = std::string(VEP_LLVM_MC);
  Tool.replace(Tool.rfind("llvm-mc"), 7, "llvm-readelf");
  if (access(Tool.c_str(), X_OK) != 0)
    GTEST_SKIP() << Tool << " not found";
  std::string Path = tempPath("vep_cg_readelf.o");
  {
    std::vector<uint8_t> Obj = writeObject(samples(), "GPL");
    std::ofstream(Path, std::ios::binary)
        .write(reinterpret_cast<const char *>(Obj.data()), std::streamsize(Obj.size()));
  }
  std::string Out;
  ASSERT_EQ(shell(Tool + " -h -S -s " + Path, Out), 0) << Out;
  EXPECT_EQ(Out.find("warning"), std::string::npos) << Out;
  EXPECT_NE(Out.find("EM_BPF"), std::string::npos) << Out;
  EXPECT_NE(Out.find("FUNC    GLOBAL DEFAULT     1 xdp_pass"), std::string::npos) << Out;
  std::string Objdump = Tool;
  Objdump.replace(Objdump.rfind("llvm-readelf"), 12, "llvm-objdump");
  ASSERT_EQ(shell(Objdump + " -d " + Path, Out), 0) << Out;
  // The context load of xdp_md.data, in whatever registers the code
  // generator picked.
  EXPECT_TRUE(std::regex_search(Out, std::regex(R"(r[0-9] = \*\(u32 \*\)\(r[0-9] \+ 0\))")))
      << Out;
  unlink(Path.c_str());
}

TEST(ElfWriter, BpftoolLoadsTheObject) {
  VEP_REQUIRE_KERNEL();
  std::string Out;
  if (shell("bpftool version", Out) != 0)
    GTEST_SKIP() << "bpftool not available: " << Out;
  std::vector<CompiledProgram> Progs = samples(); // three times SEC("xdp")
  std::string Path = tempPath("vep_cg_load.o");
  std::string Pin = "/sys/fs/bpf/vepcg_test_" + std::to_string(getpid());
  {
    std::vector<uint8_t> Obj = writeObject(Progs, "GPL");
    std::ofstream(Path, std::ios::binary)
        .write(reinterpret_cast<const char *>(Obj.data()), std::streamsize(Obj.size()));
  }
  int Rc = shell("bpftool prog loadall " + Path + " " + Pin, Out);
  std::string Shown;
  int ShowRc = Rc == 0 ? shell("bpftool prog show pinned " + Pin + "/xdp_ihl", Shown) : -1;
  std::string Ignored;
  shell("rm -rf " + Pin, Ignored);
  unlink(Path.c_str());
  ASSERT_EQ(Rc, 0) << Out;
  EXPECT_EQ(Out.find("libbpf: "), std::string::npos) << Out;
  EXPECT_EQ(ShowRc, 0) << Shown;
  EXPECT_NE(Shown.find("xdp  name xdp_ihl"), std::string::npos) << Shown;
  EXPECT_NE(Shown.find("gpl"), std::string::npos) << Shown;
  struct stat St;
  EXPECT_NE(stat(Pin.c_str(), &St), 0) << "pin directory left behind";
}

TEST(ElfWriter, LibbpfLoadsEveryProgram) {
  VEP_REQUIRE_KERNEL();
  std::vector<CompiledProgram> Progs = samples();
  Loaded L;
  std::string Why;
  ASSERT_TRUE(loadObject(writeObject(Progs, "GPL"), "xdp_ihl", L, Why)) << Why;
  for (const CompiledProgram &P : Progs) {
    bpf_program *Prog = bpf_object__find_program_by_name(L.Obj, P.Name.c_str());
    ASSERT_NE(Prog, nullptr) << P.Name;
    EXPECT_EQ(bpf_program__type(Prog), BPF_PROG_TYPE_XDP);
    EXPECT_EQ(bpf_program__insn_cnt(Prog), P.Insns.size());
    std::vector<uint8_t> Pkt(64, 0);
    Pkt[12] = 0x08; // IPv4, IHL 0: eth drops, ihl drops
    uint32_t Ret = 0;
    ASSERT_TRUE(runXdp(bpf_program__fd(Prog), Pkt, Ret));
    EXPECT_EQ(Ret, P.Name == "xdp_pass" ? 2u : 1u) << P.Name;
  }
}

TEST(ElfWriter, WriteElfLayout) {
  ElfSectionSpec Data;
  Data.Name = "data";
  Data.Write = true;
  Data.Align = 4;
  Data.Data = {1, 2, 3};
  Data.Symbols.push_back({"obj", 1, 2, false});
  ElfSectionSpec Code;
  Code.Name = "xdp/x";
  Code.Exec = true;
  Code.Align = 8;
  Code.Data = encodeInsns({bpf::movImm64(0, 1), bpf::exitInsn()});
  Code.Symbols.push_back({"f", 0, 16, true});
  std::vector<uint8_t> Obj = writeElf({Data, Code});
  ParsedElf P = parse(Obj);
  ASSERT_TRUE(P.Ok);
  EXPECT_EQ(P.Headers["xdp/x"].sh_offset % 8, 0u);
  EXPECT_EQ(P.Headers["data"].sh_offset % 4, 0u);
  EXPECT_EQ(P.Ehdr.e_shoff % 8, 0u);
  EXPECT_EQ(P.Ehdr.e_shstrndx, 5u);
  ASSERT_EQ(P.Syms.size(), 2u);
  EXPECT_EQ(P.Syms[0].Name, "obj");
  EXPECT_EQ(P.Syms[0].Value, 1u);
  EXPECT_EQ(P.Syms[0].Section, "data");
  EXPECT_EQ(P.Syms[1].Section, "xdp/x");
}

//===-- The embedded proof (.vep.proof) -----------------------------------===//

namespace {

std::vector<uint8_t> someProof() {
  std::vector<uint8_t> P = {'V', 'E', 'P', 'P', 'R', 'O', 'O', 'F', 2, 0, 0, 0};
  for (int K = 0; K < 37; ++K)
    P.push_back(uint8_t(K * 7));
  return P;
}

/// Offset of the section header of the (first) section named `Name`.
size_t headerOf(const std::vector<uint8_t> &Obj, const std::string &Name) {
  ParsedElf P = parse(Obj);
  for (size_t I = 1; I < P.SectionNames.size(); ++I)
    if (P.SectionNames[I] == Name)
      return size_t(P.Ehdr.e_shoff + I * 64);
  return 0;
}

} // namespace

TEST(ElfWriter, ProofSectionIsNotAllocatedAndKeepsProgramsAsTheyAre) {
  std::vector<CompiledProgram> Progs = samples();
  std::vector<uint8_t> Plain = writeObject(Progs, "GPL");
  std::vector<uint8_t> With = writeObjectWithProof(Progs, "GPL", someProof());
  ParsedElf A = parse(Plain), B = parse(With);
  ASSERT_TRUE(A.Ok);
  ASSERT_TRUE(B.Ok);
  // No .BTF.ext: three programs in sections named "xdp" (BtfExt tests).
  EXPECT_EQ(B.SectionNames, (std::vector<std::string>{"", "xdp", "xdp", "xdp", "license",
                                                      ".BTF", ".vep.proof", ".symtab",
                                                      ".strtab", ".shstrtab"}));
  const GElf_Shdr &H = B.Headers[".vep.proof"];
  EXPECT_EQ(H.sh_type, SHT_PROGBITS);
  EXPECT_EQ(H.sh_flags, 0u) << "no SHF_ALLOC: loaders skip it";
  EXPECT_EQ(B.Contents[".vep.proof"][0], someProof());
  // The programs (what the proof's hashes bind) are byte for byte the same,
  // in the same order; so are the symbols.
  EXPECT_EQ(A.Contents["xdp"], B.Contents["xdp"]);
  EXPECT_EQ(A.Contents["license"], B.Contents["license"]);
  ASSERT_EQ(A.Syms.size(), B.Syms.size());
  for (size_t I = 0; I < A.Syms.size(); ++I) {
    EXPECT_EQ(A.Syms[I].Name, B.Syms[I].Name);
    EXPECT_EQ(A.Syms[I].Section, B.Syms[I].Section);
  }

  EmbeddedProof E = findEmbeddedProof(With.data(), With.size());
  ASSERT_EQ(E.St, EmbeddedProof::Found) << E.Why;
  EXPECT_EQ(std::vector<uint8_t>(E.Data, E.Data + E.Size), someProof());
  EXPECT_EQ(findEmbeddedProof(Plain.data(), Plain.size()).St, EmbeddedProof::Missing);
  // An empty proof is still a section (of size 0).
  std::vector<uint8_t> Empty = writeObjectWithProof(Progs, "GPL", {});
  E = findEmbeddedProof(Empty.data(), Empty.size());
  EXPECT_EQ(E.St, EmbeddedProof::Found);
  EXPECT_EQ(E.Size, 0u);
}

TEST(ElfWriter, FindEmbeddedProofRefusesMalformedObjects) {
  std::vector<CompiledProgram> Progs = samples();
  std::vector<uint8_t> Obj = writeObjectWithProof(Progs, "GPL", someProof());
  const uint8_t NotElf[] = {'n', 'o', 't', ' ', 'e', 'l', 'f'};
  EXPECT_EQ(findEmbeddedProof(NotElf, sizeof NotElf).St, EmbeddedProof::Malformed);
  EXPECT_EQ(findEmbeddedProof(nullptr, 0).St, EmbeddedProof::Malformed);
  // Every truncation of the file: never a read outside it.
  for (size_t Len = 0; Len < Obj.size(); ++Len) {
    std::vector<uint8_t> Cut(Obj.begin(), Obj.begin() + Len);
    EmbeddedProof E = findEmbeddedProof(Cut.data(), Cut.size());
    if (E.St == EmbeddedProof::Found)
      EXPECT_LE(E.Data + E.Size, Cut.data() + Cut.size());
  }
  // Contents outside the file.
  size_t H = headerOf(Obj, ".vep.proof");
  ASSERT_NE(H, 0u);
  std::vector<uint8_t> Big = Obj;
  Big[H + 32 + 5] = 1; // sh_size += 2^40
  EmbeddedProof E = findEmbeddedProof(Big.data(), Big.size());
  EXPECT_EQ(E.St, EmbeddedProof::Malformed);
  EXPECT_NE(E.Why.find("outside the file"), std::string::npos) << E.Why;
  // Not PROGBITS.
  std::vector<uint8_t> NoBits = Obj;
  NoBits[H + 4] = 8; // SHT_NOBITS
  E = findEmbeddedProof(NoBits.data(), NoBits.size());
  EXPECT_EQ(E.St, EmbeddedProof::Malformed);
  EXPECT_NE(E.Why.find("SHT_PROGBITS"), std::string::npos) << E.Why;
  // Two of them: which one would be meant?
  ElfSectionSpec P1, P2;
  P1.Name = P2.Name = ProofSectionName;
  P1.Alloc = P2.Alloc = false;
  P1.Data = P2.Data = someProof();
  std::vector<uint8_t> Two = writeElf({P1, P2});
  E = findEmbeddedProof(Two.data(), Two.size());
  EXPECT_EQ(E.St, EmbeddedProof::Malformed);
  EXPECT_NE(E.Why.find("more than one"), std::string::npos) << E.Why;
}

TEST(ElfWriter, LlvmReadelfIsHappyWithTheProofSection) {
  std::string Tool = std::string(VEP_LLVM_MC);
  Tool.replace(Tool.rfind("llvm-mc"), 7, "llvm-readelf");
  if (access(Tool.c_str(), X_OK) != 0)
    GTEST_SKIP() << Tool << " not found";
  std::string Path = tempPath("vep_cg_readelf_proof.o");
  {
    std::vector<uint8_t> Obj = writeObjectWithProof(samples(), "GPL", someProof());
    std::ofstream(Path, std::ios::binary)
        .write(reinterpret_cast<const char *>(Obj.data()), std::streamsize(Obj.size()));
  }
  std::string Out;
  ASSERT_EQ(shell(Tool + " -S " + Path, Out), 0) << Out;
  EXPECT_EQ(Out.find("warning"), std::string::npos) << Out;
  EXPECT_NE(Out.find(".vep.proof        PROGBITS"), std::string::npos) << Out;
  unlink(Path.c_str());
}

TEST(ElfWriter, LibbpfLoadsTheObjectWithItsProof) {
  VEP_REQUIRE_KERNEL();
  std::vector<CompiledProgram> Progs = samples();
  Loaded L;
  std::string Why;
  ASSERT_TRUE(loadObject(writeObjectWithProof(Progs, "GPL", someProof()), "xdp_ihl", L, Why))
      << Why;
  for (const CompiledProgram &P : Progs) {
    bpf_program *Prog = bpf_object__find_program_by_name(L.Obj, P.Name.c_str());
    ASSERT_NE(Prog, nullptr) << P.Name;
    EXPECT_EQ(bpf_program__insn_cnt(Prog), P.Insns.size());
  }
}
