//===- BtfExtTest.cpp - Func and line info: .BTF FUNCs and .BTF.ext -------===//
//
// The encoder against a decoder of its own here (the layout of
// include/uapi/linux/btf.h and libbpf's .BTF.ext), lineRecords' rules, and
// the kernel: it loads the info and refuses an object whose records break
// its rules, so a wrong encoder fails these tests.
//
//===----------------------------------------------------------------------===//

#include "CodeGenTestSupport.h"
#include "vep/compiler/ElfWriter.h"
#include "vep/compiler/ProofWriter.h"

#include <gelf.h>
#include <gtest/gtest.h>
#include <libelf.h>

#include <map>
#include <sstream>

using namespace cgtest;
using namespace vep::compiler;

namespace {

uint32_t le32(const std::vector<uint8_t> &B, size_t At) {
  return uint32_t(B.at(At)) | uint32_t(B.at(At + 1)) << 8 |
         uint32_t(B.at(At + 2)) << 16 | uint32_t(B.at(At + 3)) << 24;
}

/// The parts of a `.BTF` these tests read: each type's kind, name, linkage
/// or member count (vlen) and type, and each FUNC_PROTO's parameter names.
struct BtfView {
  struct Type {
    unsigned Kind = 0, Vlen = 0;
    std::string Name;
    uint32_t SizeOrType = 0;
    std::vector<std::string> ParamNames;
    std::vector<std::pair<std::string, uint32_t>> Members; // STRUCT
  };
  std::vector<Type> Types{Type()}; // ids from 1
  std::vector<uint8_t> Strings;
  std::string str(uint32_t Off) const {
    if (Off >= Strings.size())
      return "<bad offset>";
    return std::string(reinterpret_cast<const char *>(Strings.data() + Off));
  }
};

BtfView parseBtf(const std::vector<uint8_t> &B) {
  BtfView V;
  uint32_t HdrLen = le32(B, 4), TypeOff = le32(B, 8), TypeLen = le32(B, 12),
           StrOff = le32(B, 16), StrLen = le32(B, 20);
  V.Strings.assign(B.begin() + HdrLen + StrOff,
                   B.begin() + HdrLen + StrOff + StrLen);
  size_t P = HdrLen + TypeOff, End = P + TypeLen;
  while (P < End) {
    BtfView::Type T;
    T.Name = V.str(le32(B, P));
    uint32_t Info = le32(B, P + 4);
    T.Kind = (Info >> 24) & 0x1f;
    T.Vlen = Info & 0xffff;
    T.SizeOrType = le32(B, P + 8);
    P += 12;
    switch (T.Kind) {
    case 1:  // INT
    case 14: // VAR
      P += 4;
      break;
    case 3: // ARRAY
      P += 12;
      break;
    case 4: // STRUCT
      for (unsigned K = 0; K < T.Vlen; ++K, P += 12)
        T.Members.push_back({V.str(le32(B, P)), le32(B, P + 4)});
      break;
    case 15: // DATASEC
      P += 12 * T.Vlen;
      break;
    case 13: // FUNC_PROTO
      for (unsigned K = 0; K < T.Vlen; ++K, P += 8)
        T.ParamNames.push_back(V.str(le32(B, P)));
      break;
    default: // PTR, FWD, TYPEDEF, FUNC: nothing after the common part
      break;
    }
    V.Types.push_back(T);
  }
  return V;
}

/// `.BTF.ext` decoded: the header's words and, per info block, the records
/// of each section (by name) in order.
struct ExtView {
  uint32_t Magic = 0, Version = 0, Flags = 0, HdrLen = 0;
  uint32_t FuncOff = 0, FuncLen = 0, LineOff = 0, LineLen = 0, CoreOff = 0,
           CoreLen = 0;
  uint32_t FuncRecSize = 0, LineRecSize = 0;
  using Records = std::vector<std::vector<uint32_t>>;
  std::vector<std::pair<std::string, Records>> Funcs, Lines;
};

ExtView parseExt(const std::vector<uint8_t> &E, const BtfView &Btf) {
  ExtView V;
  V.Magic = uint32_t(E.at(0)) | uint32_t(E.at(1)) << 8;
  V.Version = E.at(2);
  V.Flags = E.at(3);
  V.HdrLen = le32(E, 4);
  V.FuncOff = le32(E, 8);
  V.FuncLen = le32(E, 12);
  V.LineOff = le32(E, 16);
  V.LineLen = le32(E, 20);
  V.CoreOff = le32(E, 24);
  V.CoreLen = le32(E, 28);
  auto Block = [&](uint32_t Off, uint32_t Len, uint32_t &RecSize,
                   std::vector<std::pair<std::string, ExtView::Records>> &Out) {
    size_t P = V.HdrLen + Off, End = P + Len;
    RecSize = le32(E, P);
    P += 4;
    while (P < End) {
      std::string Sec = Btf.str(le32(E, P));
      uint32_t N = le32(E, P + 4);
      P += 8;
      ExtView::Records R;
      for (uint32_t K = 0; K < N; ++K, P += RecSize) {
        std::vector<uint32_t> Words;
        for (uint32_t W = 0; W < RecSize / 4; ++W)
          Words.push_back(le32(E, P + 4 * W));
        R.push_back(Words);
      }
      Out.push_back({Sec, R});
    }
    EXPECT_EQ(P, End) << "records past the block's end";
  };
  Block(V.FuncOff, V.FuncLen, V.FuncRecSize, V.Funcs);
  Block(V.LineOff, V.LineLen, V.LineRecSize, V.Lines);
  return V;
}

/// Source text whose line N reads "line N".
SourceText numberedSource(unsigned Lines) {
  SourceText S{"prog.c", ""};
  for (unsigned N = 1; N <= Lines; ++N)
    S.Text += "line " + std::to_string(N) + "\n";
  return S;
}

/// A program of Insns with the locations Locs, for writeObjectBtf (which
/// needs no valid code).
CompiledProgram synthetic(const std::string &Name, const std::string &Section,
                          const std::vector<BpfInsn> &Insns,
                          const std::vector<Loc> &Locs) {
  CompiledProgram P;
  P.Name = Name;
  P.Section = Section;
  P.Insns = Insns;
  P.Locs = Locs;
  P.L = {1, 1};
  P.ReturnType = u32();
  Variable V;
  V.Name = "p";
  V.Ty = ptrTy();
  P.Params.push_back(V);
  return P;
}

} // namespace

TEST(BtfExt, LineRecordsFollowTheStatements) {
  BpfInsn Lo, Hi;
  bpf::lddw(1, 0, Lo, Hi);
  BpfInsn Mov = bpf::movImm64(0, 0), Exit = bpf::exitInsn();
  CompiledProgram P =
      synthetic("f", "xdp", {Mov, Mov, Lo, Hi, Mov, Mov, Mov, Exit},
                {{0, 0},
                 {5, 3},
                 {5, 3},
                 {9, 1},
                 {0, 0},
                 {6, 2},
                 {6, 4},
                 {7000000, 2000}});
  // Slot 0 has no location: the header's (P.L). Slot 2 repeats slot 1's,
  // slot 3 is the lddw's second half, slot 4 has none: no records there.
  std::vector<LineRecord> Want = {
      {0, 1, 1}, {1, 5, 3}, {5, 6, 2}, {6, 6, 4}, {7, (1u << 22) - 1, 1023}};
  EXPECT_EQ(lineRecords(P), Want);
  P.Locs[0] = {4, 2}; // a location at slot 0 wins over the header's
  EXPECT_EQ(lineRecords(P).front(), (LineRecord{0, 4, 2}));
}

TEST(BtfExt, LayoutOfOneProgram) {
  CompiledProgram P = compileOrDie(ihlProgram());
  SourceText Src = numberedSource(20);
  ObjectBtf O = writeObjectBtf({P}, {}, {}, Src);
  BtfView Btf = parseBtf(O.Btf);
  ExtView E = parseExt(O.Ext, Btf);
  EXPECT_EQ(E.Magic, 0xeb9fu);
  EXPECT_EQ(E.Version, 1u);
  EXPECT_EQ(E.Flags, 0u);
  EXPECT_EQ(E.HdrLen, 32u);
  const std::vector<LineRecord> Lines = lineRecords(P);
  ASSERT_GE(Lines.size(), 5u); // ihlProgram has a dozen statements
  EXPECT_EQ(E.FuncOff, 0u);
  EXPECT_EQ(E.FuncLen, 4u + 8 + 8);
  EXPECT_EQ(E.LineOff, E.FuncLen);
  EXPECT_EQ(E.LineLen, 4u + 8 + 16 * Lines.size());
  EXPECT_EQ(E.CoreOff, E.FuncLen + E.LineLen);
  EXPECT_EQ(E.CoreLen, 0u);
  EXPECT_EQ(O.Ext.size(), 32 + E.FuncLen + E.LineLen);
  EXPECT_EQ(E.FuncRecSize, 8u);
  EXPECT_EQ(E.LineRecSize, 16u);

  ASSERT_EQ(E.Funcs.size(), 1u);
  EXPECT_EQ(E.Funcs[0].first, "xdp");
  ASSERT_EQ(E.Funcs[0].second.size(), 1u);
  EXPECT_EQ(E.Funcs[0].second[0][0], 0u);
  uint32_t Func = E.Funcs[0].second[0][1];
  ASSERT_LT(Func, Btf.Types.size());
  EXPECT_EQ(Btf.Types[Func].Kind, 12u); // FUNC
  EXPECT_EQ(Btf.Types[Func].Name, "xdp_ihl");
  EXPECT_EQ(Btf.Types[Func].Vlen, 1u); // global linkage
  const BtfView::Type &Proto = Btf.Types.at(Btf.Types[Func].SizeOrType);
  EXPECT_EQ(Proto.Kind, 13u); // FUNC_PROTO
  EXPECT_EQ(Proto.ParamNames, std::vector<std::string>{"ctx"});
  EXPECT_EQ(Btf.Types.at(Proto.SizeOrType).Name, "int");

  ASSERT_EQ(E.Lines.size(), 1u);
  EXPECT_EQ(E.Lines[0].first, "xdp");
  const ExtView::Records &R = E.Lines[0].second;
  ASSERT_EQ(R.size(), Lines.size());
  for (size_t K = 0; K < R.size(); ++K) {
    EXPECT_EQ(R[K][0], 8 * Lines[K].Insn) << "insn_off is in bytes";
    EXPECT_EQ(Btf.str(R[K][1]), "prog.c");
    EXPECT_EQ(Btf.str(R[K][2]), "line " + std::to_string(Lines[K].Line));
    EXPECT_EQ(R[K][3], Lines[K].Line << 10 | Lines[K].Col);
    if (K)
      EXPECT_LT(R[K - 1][0], R[K][0]) << "strictly increasing";
  }
  EXPECT_EQ(R[0][0], 0u);
  // Without the source: the same records, no file name and no text.
  ObjectBtf Bare = writeObjectBtf({P}, {}, {});
  BtfView BareBtf = parseBtf(Bare.Btf);
  ExtView BareExt = parseExt(Bare.Ext, BareBtf);
  ASSERT_EQ(BareExt.Lines.size(), 1u);
  ASSERT_EQ(BareExt.Lines[0].second.size(), R.size());
  EXPECT_EQ(BareExt.Lines[0].second[1][1], 0u);
  EXPECT_EQ(BareExt.Lines[0].second[1][2], 0u);
  EXPECT_EQ(BareExt.Lines[0].second[1][3], R[1][3]);
}

// Two programs and two `.text` functions: a section each for the programs,
// one for `.text` whose functions start at their byte offsets there (as
// writeObject lays `.text` out), static FUNCs for them.
TEST(BtfExt, TextFunctionsAtTheirOffsets) {
  BpfInsn Mov = bpf::movImm64(0, 0), Exit = bpf::exitInsn();
  std::vector<CompiledProgram> Ps = {
      synthetic("a", "xdp", {Mov, Exit}, {{3, 1}, {4, 1}}),
      synthetic("g", "", {Mov, Mov, Exit}, {{10, 1}, {11, 1}, {11, 1}}),
      synthetic("b", "tc", {Mov, Mov, Exit}, {{20, 1}, {21, 1}, {22, 1}}),
      synthetic("h", "", {Mov, Exit}, {{30, 1}, {30, 1}})};
  ObjectBtf O = writeObjectBtf(Ps, {}, {}, numberedSource(40));
  BtfView Btf = parseBtf(O.Btf);
  ExtView E = parseExt(O.Ext, Btf);
  std::map<std::string, std::vector<std::pair<uint32_t, std::string>>> Funcs;
  for (const auto &[Sec, Recs] : E.Funcs)
    for (const auto &R : Recs) {
      const BtfView::Type &T = Btf.Types.at(R[1]);
      EXPECT_EQ(T.Vlen, Sec == ".text" ? 0u : 1u) << T.Name << ": linkage";
      Funcs[Sec].push_back({R[0], T.Name});
    }
  using V = std::vector<std::pair<uint32_t, std::string>>;
  EXPECT_EQ(Funcs["xdp"], (V{{0, "a"}}));
  EXPECT_EQ(Funcs["tc"], (V{{0, "b"}}));
  EXPECT_EQ(Funcs[".text"], (V{{0, "g"}, {24, "h"}}));
  ASSERT_EQ(E.Funcs.size(), 3u);
  EXPECT_EQ(E.Funcs[2].first, ".text");
  std::map<std::string, std::vector<std::pair<uint32_t, unsigned>>> Lines;
  for (const auto &[Sec, Recs] : E.Lines)
    for (const auto &R : Recs)
      Lines[Sec].push_back({R[0], R[3] >> 10});
  using L = std::vector<std::pair<uint32_t, unsigned>>;
  EXPECT_EQ(Lines["xdp"], (L{{0, 3}, {8, 4}}));
  EXPECT_EQ(Lines["tc"], (L{{0, 20}, {8, 21}, {16, 22}}));
  // h repeats its first location but starts a function: a record of its own.
  EXPECT_EQ(Lines[".text"], (L{{0, 10}, {8, 11}, {24, 30}}));
}

// libbpf finds a program's records by its section name: with two programs
// in sections of one name there is no telling them apart, so no .BTF.ext.
TEST(BtfExt, NoExtWhenSectionNamesRepeat) {
  std::vector<CompiledProgram> Ps = {compileOrDie(passProgram()),
                                     compileOrDie(ethProgram())};
  ObjectBtf O = writeObjectBtf(Ps, {}, {});
  EXPECT_TRUE(O.Ext.empty());
  BtfView Btf = parseBtf(O.Btf);
  unsigned Funcs = 0;
  for (const BtfView::Type &T : Btf.Types)
    Funcs += T.Kind == 12;
  EXPECT_EQ(Funcs, 2u) << "the FUNCs are there all the same";
  Ps[1].Section = "xdp/eth";
  EXPECT_FALSE(writeObjectBtf(Ps, {}, {}).Ext.empty());
}

// The checker reads neither section: the proof for an object is the same
// whatever its line info quotes (the proof binds the program sections by
// hash), and the checker core, which the proof writer runs, accepts it.
TEST(BtfExt, ProofDoesNotDependOnTheInfo) {
  CompiledProgram P = compileOrDie(ihlProgram());
  const std::vector<uint8_t> Bare = writeObject({P}, "GPL"),
                             Quoted = writeObject({P}, "GPL", {}, {},
                                                  numberedSource(20));
  ASSERT_NE(Bare, Quoted);
  ProofWriteResult A = writeProof(Bare, {{P.Section, P.Post}}),
                   B = writeProof(Quoted, {{P.Section, P.Post}});
  ASSERT_TRUE(A.Ok) << A.Error;
  ASSERT_TRUE(B.Ok) << B.Error;
  EXPECT_EQ(A.Proof, B.Proof);
}

//===-- The kernel
//---------------------------------------------------------===//

namespace {

/// The file offset of the section Name's contents in Obj (0 if none).
size_t sectionOffset(std::vector<uint8_t> Obj, const std::string &Name) {
  elf_version(EV_CURRENT);
  Elf *E = elf_memory(reinterpret_cast<char *>(Obj.data()), Obj.size());
  size_t ShStrNdx = 0, Off = 0;
  if (!E || elf_getshdrstrndx(E, &ShStrNdx) != 0) {
    if (E)
      elf_end(E);
    return 0;
  }
  for (Elf_Scn *S = elf_nextscn(E, nullptr); S; S = elf_nextscn(E, S)) {
    GElf_Shdr H;
    gelf_getshdr(S, &H);
    if (Name == elf_strptr(E, ShStrNdx, H.sh_name))
      Off = H.sh_offset;
  }
  elf_end(E);
  return Off;
}

void put32(std::vector<uint8_t> &B, size_t At, uint32_t V) {
  for (int K = 0; K < 4; ++K)
    B.at(At + K) = uint8_t(V >> (8 * K));
}

} // namespace

// The kernel takes the info (bpf_prog_info counts it) and refuses records
// that break its rules: the tests of the kernel loads elsewhere (all
// examples, tests/KernelTest.cpp) would catch a wrong encoder.
TEST(BtfExt, KernelLoadsTheInfoAndRefusesWrongRecords) {
  VEP_REQUIRE_KERNEL();
  CompiledProgram P = compileOrDie(ihlProgram());
  const std::vector<uint8_t> Obj =
      writeObject({P}, "GPL", {}, {}, numberedSource(20));
  {
    Loaded L;
    std::string Why;
    ASSERT_TRUE(loadObject(Obj, "xdp_ihl", L, Why)) << Why;
    bpf_prog_info Info{};
    uint32_t Len = sizeof Info;
    ASSERT_EQ(bpf_obj_get_info_by_fd(L.Fd, &Info, &Len), 0) << strerror(errno);
    EXPECT_EQ(Info.nr_func_info, 1u);
    EXPECT_EQ(Info.nr_line_info, lineRecords(P).size());
  }
  const size_t Ext = sectionOffset(Obj, ".BTF.ext");
  ASSERT_NE(Ext, 0u);
  // (A record past the program's end is no case: libbpf keeps only the
  // records inside the program's section range.)
  // Offsets into the section: the func record's insn_off and type_id; the
  // first two line records' insn_off (after the func block, the line
  // block's record size and its section's name and count).
  const size_t FuncRec = Ext + 32 + 4 + 8,
               LineRec = Ext + 32 + (4 + 8 + 8) + 4 + 8;
  struct Corruption {
    const char *What;
    size_t At;
    uint32_t Value;
  } Cases[] = {
      {"first line record not at instruction 0", LineRec, 8},
      {"line records out of order", LineRec + 16, 0},
      {"func record not at instruction 0", FuncRec, 8},
      {"func record naming no FUNC", FuncRec + 4, 1}, // type 1 is INT "int"
  };
  for (const Corruption &C : Cases) {
    std::vector<uint8_t> Bad = Obj;
    put32(Bad, C.At, C.Value);
    Loaded L;
    std::string Why;
    EXPECT_FALSE(loadObject(Bad, "xdp_ihl", L, Why)) << C.What;
  }
}

TEST(BtfExt, AssemblyQuotesTheSourceLineOfEachRecord) {
  CompiledProgram P, Plain;
  std::string Err;
  ASSERT_TRUE(compileFunction(ihlProgram(), P, Err, {}, {}, {},
                              numberedSource(20)))
      << Err;
  std::vector<LineRecord> Records = lineRecords(P);
  ASSERT_GT(Records.size(), 2u);
  size_t From = 0; // the quotes come in slot order; a line may recur
  for (const LineRecord &R : Records) {
    const std::string L = std::to_string(R.Line);
    const std::string Quote =
        "\t# prog.c:" + L + ":" + std::to_string(R.Col) + ": line " + L + "\n";
    size_t At = P.Asm.find(Quote, From);
    ASSERT_NE(At, std::string::npos) << Quote << P.Asm;
    From = At + Quote.size();
    // The first instruction printed after the quote is the record's slot
    // (notes, `# ...`, and labels may come between).
    std::istringstream Rest(P.Asm.substr(At + Quote.size()));
    std::string Line;
    while (std::getline(Rest, Line) && (Line.rfind("\t#", 0) == 0 ||
                                        Line.rfind("\t", 0) != 0))
      ;
    size_t Hash = Line.find("# ");
    ASSERT_NE(Hash, std::string::npos) << Line;
    EXPECT_EQ(std::stoul(Line.substr(Hash + 2)), R.Insn) << Quote << P.Asm;
  }
  // Without the source, no quotes.
  ASSERT_TRUE(compileFunction(ihlProgram(), Plain, Err)) << Err;
  EXPECT_EQ(Plain.Asm.find("prog.c"), std::string::npos) << Plain.Asm;
}

TEST(BtfExt, IntegerTypesHaveTheirCNames) {
  // As clang writes them: C's names for INTs, typedef names as TYPEDEFs of
  // them, and a map's `__type(key, __u32)` as a member `key`.
  CompiledProgram P = synthetic("f", "xdp", {bpf::exitInsn()}, {{1, 1}});
  P.Params[0].Ty = u32(); // spelled __u32
  Variable Q;
  Q.Name = "q";
  Q.Ty = i64(); // spelled long
  Q.Ty.Spelling = "const long";
  P.Params.push_back(Q);
  MapDef Counts, Flows;
  Counts.Name = "counts";
  Counts.MapType = 2; // array
  Counts.KeySize = 4, Counts.ValueSize = 8, Counts.MaxEntries = 4;
  Counts.KeySpelling = "__u32", Counts.ValueSpelling = "__u64";
  Flows.Name = "flows";
  Flows.MapType = 1; // hash
  Flows.KeySize = 8, Flows.ValueSize = 4, Flows.MaxEntries = 4;
  Flows.KeySpelling = "struct flow", Flows.ValueSpelling = "int";
  GlobalVar Port;
  Port.Name = "port";
  Port.Sec = GlobalVar::Section::Rodata;
  Port.Size = Port.Align = 2;
  Port.ElemBits = 16;
  Port.Init = {53, 0};
  Port.Spelling = "const volatile __u16";
  BtfView Btf =
      parseBtf(writeObjectBtf({P}, {Counts, Flows}, {Port}, {}).Btf);

  auto Named = [&](const std::string &N) -> const BtfView::Type * {
    for (const BtfView::Type &T : Btf.Types)
      if (T.Name == N)
        return &T;
    return nullptr;
  };
  for (const char *Old : {"u32", "s32", "s64", "u64"})
    EXPECT_EQ(Named(Old), nullptr) << Old;
  const BtfView::Type *U32 = Named("__u32");
  ASSERT_NE(U32, nullptr);
  EXPECT_EQ(U32->Kind, 8u); // TYPEDEF
  EXPECT_EQ(Btf.Types.at(U32->SizeOrType).Name, "unsigned int");
  EXPECT_EQ(Btf.Types.at(U32->SizeOrType).Kind, 1u);
  const BtfView::Type *Long = Named("long");
  ASSERT_NE(Long, nullptr);
  EXPECT_EQ(Long->Kind, 1u);
  EXPECT_EQ(Long->SizeOrType, 8u);
  // A loader-set `.rodata` value keeps its qualifiers, as clang's.
  const BtfView::Type *PortVar = Named("port");
  ASSERT_NE(PortVar, nullptr);
  std::vector<unsigned> Chain;
  for (uint32_t T = PortVar->SizeOrType; Btf.Types.at(T).Kind != 1;
       T = Btf.Types.at(T).SizeOrType)
    Chain.push_back(Btf.Types.at(T).Kind);
  EXPECT_EQ(Chain, (std::vector<unsigned>{10, 9, 8})); // CONST VOLATILE TYPEDEF

  // The maps' STRUCTs: counts has key and value types; flows' key is a
  // struct the front end does not describe, so it keeps key_size.
  std::vector<std::vector<std::string>> Members;
  std::vector<std::string> PointedTo;
  for (const BtfView::Type &T : Btf.Types)
    if (T.Kind == 4) {
      Members.emplace_back();
      for (const auto &[Name, Type] : T.Members) {
        Members.back().push_back(Name);
        if (Name == "key" || Name == "value")
          PointedTo.push_back(
              Btf.Types.at(Btf.Types.at(Type).SizeOrType).Name);
      }
    }
  using Names = std::vector<std::string>;
  EXPECT_EQ(Members, (std::vector<Names>{
                         {"type", "max_entries", "key", "value"},
                         {"type", "max_entries", "key_size", "value"}}));
  EXPECT_EQ(PointedTo, (Names{"__u32", "__u64", "int"}));
}
