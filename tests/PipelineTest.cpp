//===- PipelineTest.cpp - The three commands' contracts, end to end -------===//
//
// vep-c, vepcc and vep-check on every example: verdicts and exit codes as the
// command-line contract in README.md states them, and the checker's refusal
// of proofs that do not belong to, or no longer fit, their object; the proof
// embedded in the object (.vep.proof); vep-load's checking half (what it
// refuses before anything reaches the kernel; loading is in KernelTest.cpp).
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"
#include "vep/check.h"
#include "vep/compiler/ProofWriter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <regex>

namespace fs = std::filesystem;
using namespace vep::test;

namespace {

std::string tool(const char *Name) { return quote((binDir() / Name).string()); }

std::string testName(const testing::TestParamInfo<fs::path> &Info) {
  std::string N = Info.param.stem().string();
  std::replace_if(N.begin(), N.end(), [](char C) { return !isalnum(C); }, '_');
  return N;
}

class SafeExample : public testing::TestWithParam<fs::path> {};
class UnsafeExample : public testing::TestWithParam<fs::path> {};

TEST_P(SafeExample, VepCVerifies) {
  CommandResult R = run(tool("vep-c") + " " + quote(GetParam()));
  EXPECT_EQ(R.Status, 0) << R.Output;
  EXPECT_NE(R.Output.find("verified"), std::string::npos) << R.Output;
}

TEST_P(SafeExample, VepccWritesObjectAndProofTheCheckerAccepts) {
  fs::path Dir = scratchDir("pipeline-" + GetParam().stem().string());
  fs::path Obj = Dir / "prog.o", Proof = Dir / "prog.proof";
  CommandResult R = run(tool("vepcc") + " " + quote(GetParam()) + " -o " + quote(Obj));
  ASSERT_EQ(R.Status, 0) << R.Output;
  ASSERT_TRUE(fs::exists(Obj));
  ASSERT_TRUE(fs::exists(Proof));
  std::vector<unsigned char> Bytes = readBytes(Obj);
  ASSERT_GT(Bytes.size(), 64u);
  EXPECT_EQ(std::string(Bytes.begin(), Bytes.begin() + 4), "\x7f" "ELF");
  EXPECT_EQ(Bytes[18] | (Bytes[19] << 8), 247) << "e_machine must be EM_BPF";

  R = run(tool("vep-check") + " " + quote(Obj) + " " + quote(Proof));
  EXPECT_EQ(R.Status, 0) << R.Output;
  EXPECT_NE(R.Output.find("accepted"), std::string::npos) << R.Output;

  // The same proof travels inside the object, in a section loaders ignore,
  // and `vep-check prog.o` alone reads it from there.
  std::optional<ElfSection> Embedded = findSection(Bytes, ".vep.proof");
  ASSERT_TRUE(Embedded) << "no .vep.proof section";
  EXPECT_EQ(Embedded->Type, 1u) << "SHT_PROGBITS";
  EXPECT_EQ(Embedded->Flags, 0u) << "not SHF_ALLOC, so libbpf and the kernel ignore it";
  EXPECT_EQ(std::vector<unsigned char>(Bytes.begin() + Embedded->Offset,
                                       Bytes.begin() + Embedded->Offset + Embedded->Size),
            readBytes(Proof));
  R = run(tool("vep-check") + " " + quote(Obj));
  EXPECT_EQ(R.Status, 0) << R.Output;
  EXPECT_NE(R.Output.find("accepted"), std::string::npos) << R.Output;
}

TEST_P(SafeExample, VepccPrintsAnnotatedAssembly) {
  fs::path Dir = scratchDir("asm-" + GetParam().stem().string());
  CommandResult R = run(tool("vepcc") + " " + quote(GetParam()) + " -o " +
                        quote(Dir / "prog.o") + " -S");
  ASSERT_EQ(R.Status, 0) << R.Output;
  EXPECT_NE(R.Output.find("exit"), std::string::npos) << R.Output;
  EXPECT_TRUE(std::regex_search(R.Output, std::regex(R"(= \*\(u(8|16|32|64) \*\)\(r)")))
      << "loads in clang's BPF syntax\n" << R.Output;
  EXPECT_NE(R.Output.find("# entry: R1 = ctx"), std::string::npos)
      << "the entry assertion is shown\n" << R.Output;
  // Socket filters, tracing, sock_ops and perf_event programs have no
  // packet in their entry assertion (a function's contract may still
  // name arrays).
  bool NoPacket = false;
  for (const char *Type : {"socket filter", "kprobe", "tracepoint",
                           "raw tracepoint", "sock_ops", "perf_event"})
    NoPacket |= R.Output.find(std::string("program type ") + Type + "\n") != std::string::npos;
  EXPECT_EQ(std::regex_search(R.Output,
                              std::regex("# entry: [^\n]*store_uchar_array")),
            !NoPacket)
      << R.Output;
  // VEP-C's states at the statements, over the homes (compiler.md 5).
  EXPECT_NE(R.Output.find("# VEP-C states: "), std::string::npos) << R.Output;
  EXPECT_NE(R.Output.find("\t# state (VEP-C)"), std::string::npos) << R.Output;
}

// The states -S notes bind each variable to its home while the home holds
// it, and make it an existential elsewhere: in sum_payload's loop body, i
// and sum (loop-carried, after the head) are in r9 and r6, b in r5 once
// assigned, and ctx, not kept after the first two loads, has no home.
TEST(Assembly, StatesBindVariablesToTheirHomes) {
  fs::path Dir = scratchDir("asm-states");
  CommandResult R = run(tool("vepcc") + " " +
                        quote(sourceDir() / "examples" / "sum_payload.c") + " -o " +
                        quote(Dir / "prog.o") + " -S");
  ASSERT_EQ(R.Status, 0) << R.Output;
  size_t Body = R.Output.find("sum_payload.c:20:5:");
  ASSERT_NE(Body, std::string::npos) << R.Output;
  std::string State = R.Output.substr(Body, R.Output.find("goto", Body) - Body);
  EXPECT_NE(State.find("#   r9 = i = i!"), std::string::npos) << State;
  EXPECT_NE(State.find("#   r6 = sum = sum!"), std::string::npos) << State;
  EXPECT_NE(State.find("#   r5 = b = packet + (bvadd"), std::string::npos) << State;
  EXPECT_NE(State.find("#   exists ctx (no home here) = ctx + "), std::string::npos) << State;
  EXPECT_NE(State.find("#   fact "), std::string::npos) << State;
}

TEST_P(UnsafeExample, VepCRejectsAtTheOffendingLine) {
  ExpectedError E = expectedError(GetParam());
  ASSERT_NE(E.Line, 0u) << "unsafe example without an expected-error marker";
  CommandResult R = run(tool("vep-c") + " " + quote(GetParam()));
  EXPECT_EQ(R.Status, 1) << R.Output;
  std::string Where = GetParam().filename().string() + ":" + std::to_string(E.Line) + ":";
  EXPECT_NE(R.Output.find(Where), std::string::npos) << "expected " << Where << "\n" << R.Output;
  EXPECT_NE(R.Output.find("error: " + E.Message), std::string::npos) << R.Output;
}

TEST_P(UnsafeExample, VepccRefusesToCompile) {
  fs::path Dir = scratchDir("unsafe-" + GetParam().stem().string());
  CommandResult R = run(tool("vepcc") + " " + quote(GetParam()) + " -o " + quote(Dir / "prog.o"));
  EXPECT_EQ(R.Status, 1) << R.Output;
  EXPECT_FALSE(fs::exists(Dir / "prog.o"));
  EXPECT_FALSE(fs::exists(Dir / "prog.proof"));
}

INSTANTIATE_TEST_SUITE_P(Examples, SafeExample, testing::ValuesIn(safeExamples()), testName);
INSTANTIATE_TEST_SUITE_P(Examples, UnsafeExample, testing::ValuesIn(unsafeExamples()), testName);

/// A program vep-c verifies must compile, and its proof must check: an
/// internal error of vepcc (exit 3) on one is a compiler bug. Each file in
/// tests/data/regressions says which bug it once exposed.
class VerifiedProgram : public testing::TestWithParam<fs::path> {};

TEST_P(VerifiedProgram, CompilesAndItsProofChecks) {
  CommandResult R = run(tool("vep-c") + " " + quote(GetParam()));
  ASSERT_EQ(R.Status, 0) << R.Output;
  fs::path Obj = scratchDir("regression-" + GetParam().stem().string()) / "prog.o";
  R = run(tool("vepcc") + " " + quote(GetParam()) + " -o " + quote(Obj));
  ASSERT_EQ(R.Status, 0) << R.Output;
  R = run(tool("vep-check") + " " + quote(Obj));
  EXPECT_EQ(R.Status, 0) << R.Output;
}

INSTANTIATE_TEST_SUITE_P(Regressions, VerifiedProgram,
                         testing::ValuesIn(regressionPrograms()), testName);

/// Compiles an example with vepcc into a scratch directory.
struct Built {
  fs::path Obj, Proof;
};
Built buildExample(const std::string &Stem, const std::string &Scratch) {
  fs::path Dir = scratchDir(Scratch);
  Built B{Dir / (Stem + ".o"), Dir / (Stem + ".proof")};
  CommandResult R = run(tool("vepcc") + " " +
                        quote(sourceDir() / "examples" / (Stem + ".c")) + " -o " + quote(B.Obj));
  EXPECT_EQ(R.Status, 0) << R.Output;
  return B;
}

TEST(VepCheck, TruncatedProofIsMalformed) {
  Built B = buildExample("drop_ipv4", "truncated");
  std::vector<unsigned char> Proof = readBytes(B.Proof);
  ASSERT_GT(Proof.size(), 8u);
  for (size_t Keep : {size_t(0), size_t(4), Proof.size() / 2, Proof.size() - 1}) {
    fs::path Cut = B.Proof.parent_path() / ("cut" + std::to_string(Keep) + ".proof");
    writeBytes(Cut, std::vector<unsigned char>(Proof.begin(), Proof.begin() + Keep));
    CommandResult R = run(tool("vep-check") + " " + quote(B.Obj) + " " + quote(Cut));
    EXPECT_EQ(R.Status, 2) << "kept " << Keep << " bytes\n" << R.Output;
    EXPECT_EQ(std::count(R.Output.begin(), R.Output.end(), '\n'), 1) << R.Output;
  }
}

TEST(VepCheck, ProofOfAnotherProgramIsRejected) {
  Built Drop = buildExample("drop_ipv4", "other-a");
  Built Proto = buildExample("ipv4_proto", "other-b");
  CommandResult R = run(tool("vep-check") + " " + quote(Drop.Obj) + " " + quote(Proto.Proof));
  EXPECT_EQ(R.Status, 1) << R.Output;
  EXPECT_NE(R.Output.find("rejected"), std::string::npos) << R.Output;
}

/// Replaces the 8 little-endian bytes of `From` in `Bytes` by those of `To`;
/// false unless `From` occurs exactly once.
bool replaceU64(std::vector<unsigned char> &Bytes, uint64_t From, uint64_t To) {
  unsigned char F[8], T[8];
  std::memcpy(F, &From, 8);
  std::memcpy(T, &To, 8);
  auto At = std::search(Bytes.begin(), Bytes.end(), F, F + 8);
  if (At == Bytes.end() || std::search(At + 1, Bytes.end(), F, F + 8) != Bytes.end())
    return false;
  std::copy(T, T + 8, At);
  return true;
}

uint64_t sectionHash(const std::vector<unsigned char> &Obj, const char *Name) {
  auto S = vep::compiler::findElfSection(Obj, Name);
  return S ? vep_insn_hash(S->Data, S->Size) : 0;
}

// The bound check `eth + 1 > data_end` compiles to `r0 += 14` before the
// compare; making it 13 admits a packet one byte short of the h_proto read.
TEST(VepCheck, BoundCheckEditedOneByteShortIsRejected) {
  Built B = buildExample("drop_ipv4", "edited");
  std::vector<unsigned char> Obj = readBytes(B.Obj);
  auto Sec = vep::compiler::findElfSection(Obj, "xdp");
  ASSERT_TRUE(Sec);
  size_t SecOff = static_cast<size_t>(Sec->Data - Obj.data());
  const unsigned char AddImm = 0x07; // BPF_ALU64 | BPF_ADD | BPF_K
  std::vector<size_t> Adds;
  for (size_t I = 0; I + 8 <= Sec->Size; I += 8) {
    int32_t Imm;
    std::memcpy(&Imm, Sec->Data + I + 4, 4);
    if (Sec->Data[I] == AddImm && Imm == 14)
      Adds.push_back(SecOff + I);
  }
  ASSERT_EQ(Adds.size(), 1u) << "expected one `+= 14` for the Ethernet bound";
  // The h_proto load: LDX half-word (0x69) at offset 12.
  std::vector<size_t> Loads;
  for (size_t I = 0; I + 8 <= Sec->Size; I += 8) {
    int16_t Off;
    std::memcpy(&Off, Sec->Data + I + 2, 2);
    if (Sec->Data[I] == 0x69 && Off == 12)
      Loads.push_back(I / 8);
  }
  ASSERT_EQ(Loads.size(), 1u) << "expected one 2-byte load of h_proto";
  uint64_t OldHash = sectionHash(Obj, "xdp");
  int32_t Short = 13;
  std::memcpy(&Obj[Adds[0] + 4], &Short, 4);
  uint64_t NewHash = sectionHash(Obj, "xdp");
  fs::path Edited = B.Obj.parent_path() / "edited.o";
  writeBytes(Edited, Obj);

  // With its own proof: refused as the proof of another program.
  CommandResult R = run(tool("vep-check") + " " + quote(Edited) + " " + quote(B.Proof));
  EXPECT_EQ(R.Status, 1) << R.Output;
  EXPECT_NE(R.Output.find("different program"), std::string::npos) << R.Output;

  // With the proof re-bound to the edited bytes, the bounds certificate of
  // the h_proto load no longer derives its goal.
  std::vector<unsigned char> Proof = readBytes(B.Proof);
  ASSERT_TRUE(replaceU64(Proof, OldHash, NewHash));
  fs::path Rebound = B.Proof.parent_path() / "rebound.proof";
  writeBytes(Rebound, Proof);
  R = run(tool("vep-check") + " " + quote(Edited) + " " + quote(Rebound));
  EXPECT_EQ(R.Status, 1) << R.Output;
  EXPECT_NE(R.Output.find("rejected: xdp insn " + std::to_string(Loads[0]) + ":"),
            std::string::npos)
      << R.Output;
  EXPECT_EQ(std::count(R.Output.begin(), R.Output.end(), '\n'), 1) << R.Output;

  // The unedited pair is still accepted: the edit, not the tooling, is refused.
  R = run(tool("vep-check") + " " + quote(B.Obj) + " " + quote(B.Proof));
  EXPECT_EQ(R.Status, 0) << R.Output;
}

TEST(VepCheck, MalformedObjectIsMalformed) {
  Built B = buildExample("drop_ipv4", "badobj");
  fs::path NotElf = B.Obj.parent_path() / "not-elf.o";
  writeBytes(NotElf, {'n', 'o', 't', ' ', 'e', 'l', 'f'});
  CommandResult R = run(tool("vep-check") + " " + quote(NotElf) + " " + quote(B.Proof));
  EXPECT_EQ(R.Status, 2) << R.Output;
  R = run(tool("vep-check") + " " + quote(B.Obj.parent_path() / "missing.o") + " " + quote(B.Proof));
  EXPECT_EQ(R.Status, 2) << R.Output;
}

TEST(VepCheck, TruncatedEmbeddedProofIsMalformed) {
  Built B = buildExample("drop_ipv4", "truncated-embedded");
  std::vector<unsigned char> Obj = readBytes(B.Obj);
  std::optional<ElfSection> Sec = findSection(Obj, ".vep.proof");
  ASSERT_TRUE(Sec);
  ASSERT_GT(Sec->Size, 8u);
  for (size_t Keep : {size_t(0), size_t(4), Sec->Size / 2, Sec->Size - 1}) {
    std::vector<unsigned char> Cut = Obj;
    setSectionSize(Cut, Sec->Header, Keep);
    fs::path CutObj = B.Obj.parent_path() / ("cut" + std::to_string(Keep) + ".o");
    writeBytes(CutObj, Cut);
    CommandResult R = run(tool("vep-check") + " " + quote(CutObj));
    EXPECT_EQ(R.Status, 2) << "kept " << Keep << " bytes\n" << R.Output;
    EXPECT_NE(R.Output.find("proof_format"), std::string::npos) << R.Output;
    EXPECT_EQ(std::count(R.Output.begin(), R.Output.end(), '\n'), 1) << R.Output;
    R = run(tool("vep-load") + " " + quote(CutObj));
    EXPECT_EQ(R.Status, 2) << "kept " << Keep << " bytes\n" << R.Output;
    // A proof file given on the command line is used instead.
    R = run(tool("vep-check") + " " + quote(CutObj) + " " + quote(B.Proof));
    EXPECT_EQ(R.Status, 0) << "kept " << Keep << " bytes\n" << R.Output;
  }
}

/// Renames the object's .vep.proof section (in the section name table), so
/// that it has no embedded proof.
std::vector<unsigned char> withoutEmbeddedProof(std::vector<unsigned char> Obj) {
  const std::string From = ".vep.proof";
  auto At = std::search(Obj.begin(), Obj.end(), From.begin(), From.end());
  EXPECT_NE(At, Obj.end());
  if (At != Obj.end())
    At[From.size() - 1] = 'g';
  EXPECT_FALSE(findSection(Obj, From));
  return Obj;
}

TEST(VepCheck, ObjectWithoutEmbeddedProofNeedsTheProofFile) {
  Built B = buildExample("drop_ipv4", "no-embedded");
  fs::path Bare = B.Obj.parent_path() / "bare.o";
  writeBytes(Bare, withoutEmbeddedProof(readBytes(B.Obj)));
  CommandResult R = run(tool("vep-check") + " " + quote(Bare));
  EXPECT_EQ(R.Status, 2) << R.Output;
  EXPECT_NE(R.Output.find("has no embedded proof"), std::string::npos) << R.Output;
  EXPECT_EQ(std::count(R.Output.begin(), R.Output.end(), '\n'), 1) << R.Output;
  R = run(tool("vep-check") + " " + quote(Bare) + " " + quote(B.Proof));
  EXPECT_EQ(R.Status, 0) << R.Output;

  // Not an object at all: the checker's own reason, as with a proof file.
  fs::path NotElf = B.Obj.parent_path() / "not-elf.o";
  writeBytes(NotElf, {'n', 'o', 't', ' ', 'e', 'l', 'f'});
  R = run(tool("vep-check") + " " + quote(NotElf));
  EXPECT_EQ(R.Status, 2) << R.Output;
  EXPECT_NE(R.Output.find("elf_header"), std::string::npos) << R.Output;
  R = run(tool("vep-check"));
  EXPECT_EQ(R.Status, 2) << R.Output;
  EXPECT_NE(R.Output.find("usage: vep-check prog.o [prog.proof]"), std::string::npos) << R.Output;
}

/// Finds the one `r0 = K` / `w0 = K` in `Sec` and returns its file offset.
std::optional<size_t> findMovR0(const std::vector<unsigned char> &Obj, const ElfSection &Sec,
                                int32_t K) {
  std::optional<size_t> Found;
  for (size_t I = Sec.Offset; I + 8 <= Sec.Offset + Sec.Size; I += 8) {
    int32_t Imm;
    std::memcpy(&Imm, &Obj[I + 4], 4);
    bool Mov = Obj[I] == 0xb7 || Obj[I] == 0xb4; // BPF_MOV | BPF_K, ALU64 or ALU
    if (Mov && (Obj[I + 1] & 0x0f) == 0 && Imm == K) {
      if (Found)
        return std::nullopt;
      Found = I;
    }
  }
  return Found;
}

// An attacker's edit the kernel would take (XDP_DROP becomes XDP_TX: still
// memory safe) with the embedded proof re-bound to the edited bytes: the
// checker refuses it (the post-condition no longer holds), so vep-load stops
// before libbpf or the kernel see the object.
TEST(VepLoad, TamperedObjectIsRefusedAndNothingIsLoaded) {
  Built B = buildExample("drop_ipv4", "tampered");
  std::vector<unsigned char> Obj = readBytes(B.Obj);
  std::optional<ElfSection> Xdp = findSection(Obj, "xdp");
  ASSERT_TRUE(Xdp);
  std::optional<size_t> Drop = findMovR0(Obj, *Xdp, 1);
  ASSERT_TRUE(Drop) << "expected one `r0 = 1` (XDP_DROP)";
  uint64_t OldHash = vep_insn_hash(&Obj[Xdp->Offset], Xdp->Size);
  int32_t Tx = 3;
  std::memcpy(&Obj[*Drop + 4], &Tx, 4);
  uint64_t NewHash = vep_insn_hash(&Obj[Xdp->Offset], Xdp->Size);

  // Edited only: the embedded proof is for another program.
  fs::path Edited = B.Obj.parent_path() / "edited.o";
  writeBytes(Edited, Obj);
  fs::path Pins = B.Obj.parent_path() / "pins";
  CommandResult R = run(tool("vep-load") + " " + quote(Edited) + " --pin " + quote(Pins));
  EXPECT_EQ(R.Status, 1) << R.Output;
  EXPECT_NE(R.Output.find("different program"), std::string::npos) << R.Output;

  // Edited and re-bound: the proof no longer proves the post-condition.
  ASSERT_TRUE(replaceU64(Obj, OldHash, NewHash)) << "the hash occurs once, in .vep.proof";
  fs::path Tampered = B.Obj.parent_path() / "tampered.o";
  writeBytes(Tampered, Obj);
  R = run(tool("vep-check") + " " + quote(Tampered));
  EXPECT_EQ(R.Status, 1) << R.Output;
  EXPECT_NE(R.Output.find("rejected: xdp insn"), std::string::npos) << R.Output;
  R = run(tool("vep-load") + " " + quote(Tampered) + " --pin " + quote(Pins));
  EXPECT_EQ(R.Status, 1) << R.Output;
  EXPECT_NE(R.Output.find("vep-load: rejected: xdp insn"), std::string::npos) << R.Output;
  EXPECT_NE(R.Output.find("postcondition"), std::string::npos) << R.Output;
  EXPECT_NE(R.Output.find("nothing loaded"), std::string::npos) << R.Output;
  EXPECT_EQ(R.Output.find("loaded drop_ipv4"), std::string::npos) << R.Output;
  EXPECT_EQ(R.Output.find("libbpf"), std::string::npos) << "libbpf must not run\n" << R.Output;
  EXPECT_FALSE(fs::exists(Pins)) << "nothing may be pinned";
}

// Every tool: -h and --help print its usage, --version its version, and
// exit 0 (a user's first try); an unknown option is a usage error.
TEST(Tools, HelpAndVersion) {
  for (const char *Name : {"vep-c", "vepcc", "vep-check", "vep-load"}) {
    SCOPED_TRACE(Name);
    for (const char *Flag : {"-h", "--help"}) {
      CommandResult R = run(tool(Name) + " " + Flag);
      EXPECT_EQ(R.Status, 0) << R.Output;
      EXPECT_EQ(R.Output.rfind(std::string("usage: ") + Name + " prog.", 0), 0u) << R.Output;
    }
    CommandResult R = run(tool(Name) + " --version");
    EXPECT_EQ(R.Status, 0) << R.Output;
    EXPECT_EQ(R.Output.rfind(std::string(Name) + " (VEP) ", 0), 0u) << R.Output;
    R = run(tool(Name) + " --frobnicate");
    EXPECT_EQ(R.Status, 2) << R.Output;
    EXPECT_NE(R.Output.find("usage: "), std::string::npos) << R.Output;
  }
}

TEST(VepLoad, MalformedInputAndUsage) {
  Built B = buildExample("drop_ipv4", "load-malformed");
  CommandResult R = run(tool("vep-load"));
  EXPECT_EQ(R.Status, 2) << R.Output;
  EXPECT_NE(R.Output.find("usage: vep-load prog.o [prog.proof] [--pin DIR]"), std::string::npos)
      << R.Output;
  R = run(tool("vep-load") + " " + quote(B.Obj) + " --pin");
  EXPECT_EQ(R.Status, 2) << R.Output;
  R = run(tool("vep-load") + " " + quote(B.Obj) + " --frobnicate");
  EXPECT_EQ(R.Status, 2) << R.Output;
  R = run(tool("vep-load") + " " + quote(B.Obj.parent_path() / "missing.o"));
  EXPECT_EQ(R.Status, 2) << R.Output;
  fs::path NotElf = B.Obj.parent_path() / "not-elf.o";
  writeBytes(NotElf, {'n', 'o', 't', ' ', 'e', 'l', 'f'});
  R = run(tool("vep-load") + " " + quote(NotElf));
  EXPECT_EQ(R.Status, 2) << R.Output;
  fs::path Bare = B.Obj.parent_path() / "bare.o";
  writeBytes(Bare, withoutEmbeddedProof(readBytes(B.Obj)));
  R = run(tool("vep-load") + " " + quote(Bare));
  EXPECT_EQ(R.Status, 2) << R.Output;
  EXPECT_NE(R.Output.find("has no embedded proof"), std::string::npos) << R.Output;
  // A truncated proof file is malformed, as for vep-check.
  std::vector<unsigned char> Proof = readBytes(B.Proof);
  Proof.pop_back();
  fs::path Cut = B.Obj.parent_path() / "cut.proof";
  writeBytes(Cut, Proof);
  R = run(tool("vep-load") + " " + quote(B.Obj) + " " + quote(Cut));
  EXPECT_EQ(R.Status, 2) << R.Output;
  EXPECT_NE(R.Output.find("proof_format"), std::string::npos) << R.Output;
}

TEST(VepC, BadAnnotationIsBadInputWithItsLocation) {
  CommandResult R = run(tool("vep-c") + " " + quote(sourceDir() / "tests/data/bad_annotation.c"));
  EXPECT_EQ(R.Status, 2) << R.Output;
  EXPECT_NE(R.Output.find("bad_annotation.c:7:"), std::string::npos) << R.Output;
}

TEST(VepC, BadCIsBadInput) {
  CommandResult R = run(tool("vep-c") + " " + quote(sourceDir() / "tests/data/bad_c.c"));
  EXPECT_EQ(R.Status, 2) << R.Output;
  EXPECT_NE(R.Output.find("bad_c.c:8:"), std::string::npos) << R.Output;
}

// vepcc takes -D (and -I, -U) as clang does: libbpf's BPF_KPROBE needs the
// target architecture.
TEST(Vepcc, MacrosFromTheCommandLine) {
  std::filesystem::path Dir = scratchDir("vepcc_macros");
  std::string Src =
      quote(sourceDir() / "vep-c/unittests/inputs/kprobe_macros.c");
  std::string Obj = quote(Dir / "kprobe.o");
  CommandResult R = run(tool("vepcc") + " " + Src + " -o " + Obj);
  EXPECT_EQ(R.Status, 2) << R.Output;
  R = run(tool("vepcc") + " -D__TARGET_ARCH_x86 " + Src + " -o " + Obj);
  EXPECT_EQ(R.Status, 0) << R.Output;
  EXPECT_NE(R.Output.find("vep-check: accepted"), std::string::npos)
      << R.Output;
}

// `vepcc -S prog.c -o -` prints the annotated assembly alone on standard
// output (VEP-C's verdict and the summary go to standard error) and writes
// no file; `-o -` without -S is a usage error (the object is binary).
TEST(Vepcc, AssemblyAloneToStandardOutput) {
  fs::path Dir = scratchDir("vepcc_stdout");
  std::string Src = quote(sourceDir() / "examples/drop_ipv4.c");
  CommandResult R = run("cd " + quote(Dir) + " && " + tool("vepcc") + " -S " + Src +
                        " -o - 2>/dev/null");
  EXPECT_EQ(R.Status, 0) << R.Output;
  EXPECT_NE(R.Output.find("drop_ipv4:"), std::string::npos) << R.Output;
  EXPECT_NE(R.Output.find("exit"), std::string::npos) << R.Output;
  EXPECT_EQ(R.Output.find("vep-c:"), std::string::npos) << R.Output;
  EXPECT_EQ(R.Output.find("vepcc:"), std::string::npos) << R.Output;
  EXPECT_TRUE(fs::is_empty(Dir));
  R = run(tool("vepcc") + " -S " + Src + " -o - >/dev/null");
  EXPECT_EQ(R.Status, 0) << R.Output;
  EXPECT_NE(R.Output.find("vep-check: accepted"), std::string::npos) << R.Output;
  EXPECT_NE(R.Output.find("no file written"), std::string::npos) << R.Output;
  R = run("cd " + quote(Dir) + " && " + tool("vepcc") + " " + Src + " -o -");
  EXPECT_EQ(R.Status, 2) << R.Output;
  EXPECT_NE(R.Output.find("the object is binary"), std::string::npos) << R.Output;
  EXPECT_TRUE(fs::is_empty(Dir));
}

TEST(VepC, UnreadableFileIsBadInput) {
  CommandResult R = run(tool("vep-c") + " /nonexistent/prog.c");
  EXPECT_EQ(R.Status, 2) << R.Output;
}

} // namespace
