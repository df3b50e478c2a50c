//===- ProofWriterTest.cpp - Writing proofs with the checker core ---------===//
//
// Hand-built ELF objects with hand-encoded XDP programs go through
// writeProof; every proof produced is checked again here with the proof
// reader, independently of writeProof's own self-check.
//
//===----------------------------------------------------------------------===//
#include "vep/compiler/ProofWriter.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>

using namespace vep::compiler;

namespace {

//===-- Instructions (RFC 9669) -------------------------------------------===//

struct Insn {
  uint8_t Code, Dst, Src;
  int16_t Off;
  int32_t Imm;
};

void put(std::vector<uint8_t> &Out, const Insn &I) {
  Out.push_back(I.Code);
  Out.push_back(uint8_t(I.Dst | I.Src << 4));
  Out.push_back(uint8_t(I.Off));
  Out.push_back(uint8_t(uint16_t(I.Off) >> 8));
  for (int B = 0; B < 4; ++B)
    Out.push_back(uint8_t(uint32_t(I.Imm) >> (8 * B)));
}

// dst = *(u32 *)(src + off), *(u8 *), dst = src, dst += imm, dst = imm,
// if dst > src goto +off, exit.
Insn ldxw(uint8_t D, uint8_t S, int16_t Off) { return {0x61, D, S, Off, 0}; }
Insn ldxb(uint8_t D, uint8_t S, int16_t Off) { return {0x71, D, S, Off, 0}; }
Insn movReg(uint8_t D, uint8_t S) { return {0xbf, D, S, 0, 0}; }
Insn addImm(uint8_t D, int32_t K) { return {0x07, D, 0, 0, K}; }
Insn movImm(uint8_t D, int32_t K) { return {0xb7, D, 0, 0, K}; }
Insn jgtReg(uint8_t D, uint8_t S, int16_t Off) { return {0x2d, D, S, Off, 0}; }
Insn exitInsn() { return {0x95, 0, 0, 0, 0}; }

std::vector<uint8_t> code(std::initializer_list<Insn> Insns) {
  std::vector<uint8_t> Out;
  for (const Insn &I : Insns)
    put(Out, I);
  return Out;
}

/// Reads packet bytes 12..13 after checking data + 14 <= data_end:
///   0: r2 = *(u32 *)(r1 + 0)     data
///   1: r3 = *(u32 *)(r1 + 4)     data_end
///   2: r4 = r2
///   3: r4 += 14
///   4: if r4 > r3 goto +2
///   5: r0 = *(u8 *)(r2 + 12)
///   6: exit
///   7: r0 = 2
///   8: exit
std::vector<uint8_t> boundedRead(int32_t Bound = 14, int16_t Offset = 12) {
  return code({ldxw(2, 1, 0), ldxw(3, 1, 4), movReg(4, 2), addImm(4, Bound),
               jgtReg(4, 3, 2), ldxb(0, 2, Offset), exitInsn(), movImm(0, 2),
               exitInsn()});
}

/// The same read without the bound check; insn 4 is the load.
std::vector<uint8_t> uncheckedRead() {
  return code({ldxw(2, 1, 0), ldxw(3, 1, 4), movReg(4, 2), addImm(4, 14),
               ldxb(0, 2, 12), exitInsn()});
}

//===-- A minimal relocatable ELF64 object for EM_BPF ---------------------===//

void putLE(std::vector<uint8_t> &Out, uint64_t V, int Bytes) {
  for (int B = 0; B < Bytes; ++B)
    Out.push_back(uint8_t(V >> (8 * B)));
}

struct Section {
  std::string Name;
  uint32_t Type;
  uint64_t Flags;
  std::vector<uint8_t> Data;
  uint32_t Link = 0, Info = 0;
  uint64_t Align = 1, EntSize = 0;
};

/// ELF header, section contents, then the section header table; section 0
/// is the null section and the last one .shstrtab.
std::vector<uint8_t> buildElf(std::vector<Section> Sections) {
  Section ShStr{".shstrtab", 3 /* SHT_STRTAB */, 0, {0}};
  std::vector<uint32_t> NameOff;
  for (Section &S : Sections) {
    NameOff.push_back(uint32_t(ShStr.Data.size()));
    ShStr.Data.insert(ShStr.Data.end(), S.Name.begin(), S.Name.end());
    ShStr.Data.push_back(0);
  }
  NameOff.push_back(uint32_t(ShStr.Data.size()));
  ShStr.Data.insert(ShStr.Data.end(), ShStr.Name.begin(), ShStr.Name.end());
  ShStr.Data.push_back(0);
  Sections.push_back(ShStr);

  std::vector<uint8_t> Out(64, 0);
  std::vector<uint64_t> Offsets;
  for (const Section &S : Sections) {
    while (Out.size() % 8)
      Out.push_back(0);
    Offsets.push_back(Out.size());
    Out.insert(Out.end(), S.Data.begin(), S.Data.end());
  }
  while (Out.size() % 8)
    Out.push_back(0);
  uint64_t ShOff = Out.size();
  Out.resize(Out.size() + 64, 0); // null section header
  for (size_t I = 0; I < Sections.size(); ++I) {
    const Section &S = Sections[I];
    putLE(Out, NameOff[I], 4);
    putLE(Out, S.Type, 4);
    putLE(Out, S.Flags, 8);
    putLE(Out, 0, 8); // sh_addr
    putLE(Out, Offsets[I], 8);
    putLE(Out, S.Data.size(), 8);
    putLE(Out, S.Link, 4);
    putLE(Out, S.Info, 4);
    putLE(Out, S.Align, 8);
    putLE(Out, S.EntSize, 8);
  }
  std::vector<uint8_t> H;
  const uint8_t Ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
  H.insert(H.end(), Ident, Ident + 16);
  putLE(H, 1, 2);   // ET_REL
  putLE(H, 247, 2); // EM_BPF
  putLE(H, 1, 4);   // EV_CURRENT
  putLE(H, 0, 8);   // e_entry
  putLE(H, 0, 8);   // e_phoff
  putLE(H, ShOff, 8);
  putLE(H, 0, 4);  // e_flags
  putLE(H, 64, 2); // e_ehsize
  putLE(H, 0, 2);  // e_phentsize
  putLE(H, 0, 2);  // e_phnum
  putLE(H, 64, 2); // e_shentsize
  putLE(H, Sections.size() + 1, 2);
  putLE(H, Sections.size(), 2); // .shstrtab is last
  std::copy(H.begin(), H.end(), Out.begin());
  return Out;
}

/// An object with one program in section `Sec`, a license and a symbol
/// table naming the program, as a C compiler would emit it.
std::vector<uint8_t> xdpObject(const std::vector<uint8_t> &Code,
                               const std::string &Sec = "xdp") {
  const uint64_t ShfAlloc = 2, ShfExec = 4, ShfWrite = 1;
  std::vector<uint8_t> StrTab = {0};
  const char *Sym = "prog";
  StrTab.insert(StrTab.end(), Sym, Sym + 5);
  std::vector<uint8_t> SymTab(24, 0); // null symbol
  putLE(SymTab, 1, 4);                // st_name
  SymTab.push_back(0x12);             // STB_GLOBAL, STT_FUNC
  SymTab.push_back(0);                // st_other
  putLE(SymTab, 1, 2);                // st_shndx: the program section
  putLE(SymTab, 0, 8);                // st_value
  putLE(SymTab, Code.size(), 8);      // st_size
  return buildElf({
      {Sec, 1 /* SHT_PROGBITS */, ShfAlloc | ShfExec, Code, 0, 0, 8},
      {"license", 1, ShfAlloc | ShfWrite, {'G', 'P', 'L', 0}},
      {".strtab", 3, 0, StrTab},
      {".symtab", 2 /* SHT_SYMTAB */, 0, SymTab, 3 /* .strtab */, 1, 8, 24},
  });
}

/// Checking mode on (object, proof), as vep-check runs it.
vep_status checkProof(const std::vector<uint8_t> &Object,
                      const std::vector<uint8_t> &Proof, vep_result &Res) {
  const size_t Size = size_t(64) << 20;
  std::unique_ptr<uint8_t[]> Mem(new uint8_t[Size]); // untouched until used
  vep_arena Arena{};
  vep_arena_init(&Arena, Mem.get(), Size);
  vep_proof_reader Reader{};
  vep_status St =
      vep_proof_reader_init(&Reader, Proof.data(), Proof.size(), &Arena, &Res);
  if (St != VEP_ACCEPTED)
    return St;
  St = vep_check_object(Object.data(), Object.size(), nullptr, &Reader.headers,
                        &Reader.source, &Arena, &Res);
  return St == VEP_ACCEPTED ? vep_proof_reader_finish(&Reader, &Res) : St;
}

//===-- Tests -------------------------------------------------------------===//

TEST(ProofWriter, FindsSectionsInTheObject) {
  std::vector<uint8_t> Code = boundedRead();
  std::vector<uint8_t> Obj = xdpObject(Code);
  std::optional<SectionBytes> S = findElfSection(Obj, "xdp");
  ASSERT_TRUE(S.has_value());
  ASSERT_EQ(S->Size, Code.size());
  EXPECT_EQ(std::memcmp(S->Data, Code.data(), Code.size()), 0);
  std::optional<SectionBytes> L = findElfSection(Obj, "license");
  ASSERT_TRUE(L.has_value());
  EXPECT_EQ(L->Size, 4u);
  EXPECT_FALSE(findElfSection(Obj, "xd").has_value());
  EXPECT_FALSE(findElfSection(Obj, "tc").has_value());
  std::vector<uint8_t> Cut(Obj.begin(), Obj.end() - 1);
  EXPECT_FALSE(findElfSection(Cut, "xdp").has_value());
  std::vector<uint8_t> NotElf = Obj;
  NotElf[1] = 'X';
  EXPECT_FALSE(findElfSection(NotElf, "xdp").has_value());
}

TEST(ProofWriter, BoundedPacketReadGetsAProofTheReaderAccepts) {
  std::vector<uint8_t> Obj = xdpObject(boundedRead());
  ProofWriteResult R = writeProof(Obj, {{"xdp", {}}});
  ASSERT_TRUE(R.Ok) << R.Error;
  EXPECT_TRUE(R.Error.empty());
  EXPECT_FALSE(R.Proof.empty());
  EXPECT_GT(R.Questions, 0u);
  EXPECT_GT(R.Certificates, 0u);
  EXPECT_LE(R.Certificates, R.Questions);
  std::printf("  [bounded read] %u questions, %u certificates, %zu proof "
              "bytes, %.2f ms\n",
              R.Questions, R.Certificates, R.Proof.size(), R.Millis);

  vep_result Res{};
  EXPECT_EQ(checkProof(Obj, R.Proof, Res), VEP_ACCEPTED) << Res.reason;

  // Writing is deterministic.
  ProofWriteResult Again = writeProof(Obj, {{"xdp", {}}});
  ASSERT_TRUE(Again.Ok) << Again.Error;
  EXPECT_EQ(Again.Proof, R.Proof);

  // The proof is bound to this object: the same proof for a program that
  // returns 1 instead of 2 is refused.
  std::vector<uint8_t> Other = xdpObject(code(
      {ldxw(2, 1, 0), ldxw(3, 1, 4), movReg(4, 2), addImm(4, 14),
       jgtReg(4, 3, 2), ldxb(0, 2, 12), exitInsn(), movImm(0, 1), exitInsn()}));
  vep_result Res2{};
  EXPECT_NE(checkProof(Other, R.Proof, Res2), VEP_ACCEPTED);
}

TEST(ProofWriter, MissingBoundCheckNamesTheInstruction) {
  std::vector<uint8_t> Obj = xdpObject(uncheckedRead());
  ProofWriteResult R = writeProof(Obj, {{"xdp", {}}});
  EXPECT_FALSE(R.Ok);
  EXPECT_EQ(
      R.Error.rfind("internal error: xdp insn 4: ACCESS_HIGH not proved", 0),
      0u)
      << R.Error;
  EXPECT_GT(R.Questions, 0u);
  EXPECT_TRUE(R.Proof.empty());
}

TEST(ProofWriter, OffByOneIsRejected) {
  // Reads byte 14 after checking only 14 bytes.
  std::vector<uint8_t> Obj = xdpObject(boundedRead(14, 14));
  ProofWriteResult R = writeProof(Obj, {{"xdp", {}}});
  EXPECT_FALSE(R.Ok);
  EXPECT_EQ(R.Error.rfind("internal error: xdp insn 5: ", 0), 0u) << R.Error;
}

TEST(ProofWriter, PostConditions) {
  std::vector<uint8_t> Obj = xdpObject(boundedRead());
  // R0 <= 255 holds on both exits (a byte, or 2).
  PostCondition Byte = {{{-1, 255}}};
  ProofWriteResult R = writeProof(Obj, {{"xdp", Byte}});
  ASSERT_TRUE(R.Ok) << R.Error;
  vep_result Res{};
  EXPECT_EQ(checkProof(Obj, R.Proof, Res), VEP_ACCEPTED) << Res.reason;
  // R0 == 2 fails on the path returning the loaded byte (exit at insn 6).
  PostCondition Two = {{{1, -2}, {-1, 2}}};
  R = writeProof(Obj, {{"xdp", Two}});
  EXPECT_FALSE(R.Ok);
  EXPECT_EQ(R.Error.rfind("internal error: xdp insn 6: ", 0), 0u) << R.Error;
  EXPECT_NE(R.Error.find("CUT_FACT not proved"), std::string::npos)
      << R.Error;
  // A second disjunct saves it: R0 == 2 or R0 <= 255.
  PostCondition Either = {{{1, -2}, {-1, 2}}, {{-1, 255}}};
  R = writeProof(Obj, {{"xdp", Either}});
  ASSERT_TRUE(R.Ok) << R.Error;
  EXPECT_EQ(checkProof(Obj, R.Proof, Res), VEP_ACCEPTED) << Res.reason;
}

/// Checks 34 bytes, then adds them all up; every fourth byte is added only
/// if it is at most 100, so there are 2^Branches paths.
std::vector<uint8_t> sumOfBytes(int Bytes, int Branches) {
  std::vector<Insn> I = {ldxw(2, 1, 0),    ldxw(3, 1, 4),   movReg(4, 2),
                         addImm(4, Bytes), jgtReg(4, 3, 0), movImm(0, 0)};
  size_t Check = 4;
  for (int B = 0; B < Bytes; ++B) {
    I.push_back(ldxb(5, 2, int16_t(B)));
    if (B % 4 == 0 && B / 4 < Branches)
      I.push_back({0x25 /* jgt imm */, 5, 0, 1, 100});
    I.push_back({0x0f /* add reg */, 0, 5, 0, 0});
  }
  I.push_back(exitInsn());
  I[Check].Off = int16_t(I.size() - Check - 1);
  I.push_back(movImm(0, 2));
  I.push_back(exitInsn());
  std::vector<uint8_t> Out;
  for (const Insn &X : I)
    put(Out, X);
  return Out;
}

TEST(ProofWriter, SumOfPacketBytes) {
  std::vector<uint8_t> Obj = xdpObject(sumOfBytes(34, 5));
  // 29 bytes up to 255 and 5 up to 100.
  const __int128 Max = 29 * 255 + 5 * 100;
  PostCondition AtMost = {{{-1, Max}}};
  ProofWriteResult R = writeProof(Obj, {{"xdp", AtMost}});
  ASSERT_TRUE(R.Ok) << R.Error;
  std::printf("  [sum of 34 bytes, 32 paths] %u questions, %u certificates, "
              "%zu proof bytes, %.2f ms\n",
              R.Questions, R.Certificates, R.Proof.size(), R.Millis);
  vep_result Res{};
  EXPECT_EQ(checkProof(Obj, R.Proof, Res), VEP_ACCEPTED) << Res.reason;
  // One less is not enough.
  PostCondition Less = {{{-1, Max - 1}}};
  R = writeProof(Obj, {{"xdp", Less}});
  EXPECT_FALSE(R.Ok);
  EXPECT_NE(R.Error.find("CUT_FACT not proved"), std::string::npos)
      << R.Error;
}

//===-- Forging mode (for tests of the checker) ---------------------------===//

ProofWriteOptions forging(ProofWriteOptions::ForgeStyle Style) {
  ProofWriteOptions O;
  O.ForgeUnprovable = true;
  O.Forgery = Style;
  return O;
}

// The unchecked read (insn 4) gets a forged ACCESS_HIGH answer in either
// style; the proof ends with it, and the checker refuses it there.
TEST(ProofWriter, ForgingModeAnswersTheUnprovableAccessAndTheCheckerRefusesIt) {
  std::vector<uint8_t> Obj = xdpObject(uncheckedRead());
  struct Case {
    ProofWriteOptions::ForgeStyle Style;
    const char *Why;
  };
  for (Case C : {Case{ProofWriteOptions::ForgeStyle::BestAttempt,
                      "constant of the combination is not negative"},
                 Case{ProofWriteOptions::ForgeStyle::Empty,
                      "variable coefficients do not cancel"}}) {
    ProofWriteResult R = writeProof(Obj, {{"xdp", {}}}, {}, forging(C.Style));
    EXPECT_FALSE(R.Ok);
    ASSERT_EQ(R.Forged.size(), 1u) << R.Error;
    EXPECT_EQ(R.Forged[0].Section, "xdp");
    EXPECT_EQ(R.Forged[0].Insn, 4u);
    EXPECT_EQ(R.Forged[0].Kind, VEP_GOAL_ACCESS_HIGH);
    EXPECT_EQ(R.Error.rfind("forged: xdp insn 4: check_farkas: ACCESS_HIGH: ", 0),
              0u)
        << R.Error;
    EXPECT_NE(R.Error.find(C.Why), std::string::npos) << R.Error;
    ASSERT_FALSE(R.Proof.empty());
    vep_result Res{};
    EXPECT_EQ(checkProof(Obj, R.Proof, Res), VEP_REJECTED);
    EXPECT_EQ(Res.insn, 4u);
    EXPECT_EQ(std::string(Res.reason),
              std::string("check_farkas: ACCESS_HIGH: ") + C.Why);
  }
}

// Best attempt on an off-by-one read (byte 14 after checking 14 bytes): the
// least slack is 1, so the certificate cancels every variable and its
// constant is exactly 0, one short of what check_farkas needs.
TEST(ProofWriter, BestAttemptForgeryMissesOnlyByTheConstant) {
  std::vector<uint8_t> Obj = xdpObject(boundedRead(14, 14));
  ProofWriteResult R = writeProof(
      Obj, {{"xdp", {}}}, {}, forging(ProofWriteOptions::ForgeStyle::BestAttempt));
  ASSERT_EQ(R.Forged.size(), 1u) << R.Error;
  const ForgedAnswer &F = R.Forged[0];
  EXPECT_EQ(F.Insn, 5u);
  EXPECT_EQ(F.GoalMult, 1);
  ASSERT_EQ(F.Entries.size(), 1u);
  EXPECT_EQ(F.Entries[0].mult, 1);
  vep_result Res{};
  EXPECT_EQ(checkProof(Obj, R.Proof, Res), VEP_REJECTED);
  EXPECT_EQ(Res.insn, 5u);
  EXPECT_STREQ(Res.reason, "check_farkas: ACCESS_HIGH: constant of the "
                           "combination is not negative");
}

// A provable program is written exactly as without forging.
TEST(ProofWriter, ForgingModeChangesNothingForProvablePrograms) {
  std::vector<uint8_t> Obj = xdpObject(boundedRead());
  ProofWriteResult Plain = writeProof(Obj, {{"xdp", {}}});
  ProofWriteResult Forging = writeProof(
      Obj, {{"xdp", {}}}, {}, forging(ProofWriteOptions::ForgeStyle::BestAttempt));
  ASSERT_TRUE(Plain.Ok) << Plain.Error;
  ASSERT_TRUE(Forging.Ok) << Forging.Error;
  EXPECT_TRUE(Forging.Forged.empty());
  EXPECT_EQ(Forging.Proof, Plain.Proof);
}

TEST(ProofWriter, ProgramWithoutSpecIsAnError) {
  std::vector<uint8_t> Obj = xdpObject(boundedRead());
  ProofWriteResult R = writeProof(Obj, {{"xdp/other", {}}});
  EXPECT_FALSE(R.Ok);
  EXPECT_NE(R.Error.find("internal error: "), std::string::npos) << R.Error;
  EXPECT_TRUE(R.Proof.empty());
}

} // namespace
