// Global variables: the front end's sections, layout and initial bytes
// (cir::GlobalVar), their uses through GlobalAddr, and the verifier's
// checks (docs/vep-c.md, "Global variables").
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace vep;
using namespace vepc_test;
using Sec = cir::GlobalVar::Section;

namespace {

const cir::GlobalVar *global(const cir::Module &M, const std::string &Name) {
  for (const cir::GlobalVar &G : M.Globals)
    if (G.Name == Name)
      return &G;
  ADD_FAILURE() << "no global " << Name;
  return nullptr;
}

verifier::FunctionResult verifyNamed(const cir::Module &M,
                                     const std::string &Fn) {
  for (const auto &F : M.Functions)
    if (F.Name == Fn)
      return verifier::verifyFunction(M, F);
  ADD_FAILURE() << "no function " << Fn;
  return {};
}

bool usesGlobalAddr(const cir::Expr &E) {
  if (E.K == cir::Expr::Kind::GlobalAddr)
    return true;
  for (const auto &O : E.Ops)
    if (O && usesGlobalAddr(*O))
      return true;
  return false;
}

} // namespace

TEST(Globals, SectionsLayoutAndInitialBytesAsClang) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("globals.c", M, Errs)) << show(Errs);
  ASSERT_EQ(M.Globals.size(), 5u);
  struct Want {
    const char *Name;
    Sec S;
    uint64_t Offset, Size, Count;
    bool Static;
  } Wants[] = {{"flag", Sec::Bss, 0, 1, 0, false},
               {"hits", Sec::Bss, 8, 8, 0, false},
               {"table", Sec::Data, 0, 6, 3, true},
               {"zero_data", Sec::Bss, 16, 4, 0, false},
               {"limit", Sec::Rodata, 0, 4, 0, false}};
  for (const Want &W : Wants) {
    const cir::GlobalVar *G = global(M, W.Name);
    ASSERT_NE(G, nullptr);
    EXPECT_EQ(G->Sec, W.S) << W.Name;
    EXPECT_EQ(G->Offset, W.Offset) << W.Name;
    EXPECT_EQ(G->Size, W.Size) << W.Name;
    EXPECT_EQ(G->Count, W.Count) << W.Name;
    EXPECT_EQ(G->Static, W.Static) << W.Name;
    EXPECT_EQ(G->Init.size(), W.Size) << W.Name;
  }
  const cir::GlobalVar *T = global(M, "table");
  EXPECT_EQ(T->ElemBits, 16u);
  EXPECT_TRUE(T->ElemSigned);
  EXPECT_EQ(T->Init, (std::vector<uint8_t>{0, 0, 0xfe, 0xff, 0, 0}));
  bool Found = false;
  forEachStmt(*M.Functions[0].Body, [&](const cir::Stmt &S) {
    if (S.K == cir::Stmt::Kind::Atomic)
      Found = usesGlobalAddr(*S.Addr);
  });
  EXPECT_TRUE(Found) << "__sync_fetch_and_add(&hits, 1) through GlobalAddr";
}

// A function's static locals are globals named as clang names them:
// bpf_printk's format strings in .rodata (`f.____fmt`, the string's bytes
// and its NUL), a counter in .bss.
TEST(Globals, StaticLocalsAndFormatStrings) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("mem_builtins.c", M, Errs)) << show(Errs);
  const cir::GlobalVar *Fmt = global(M, "print_values.____fmt");
  const cir::GlobalVar *VFmt = global(M, "print_values.___fmt");
  const cir::GlobalVar *Calls = global(M, "print_values.calls");
  ASSERT_TRUE(Fmt && VFmt && Calls);
  EXPECT_EQ(Fmt->Sec, Sec::Rodata);
  EXPECT_TRUE(Fmt->Static);
  std::string Text = "len %u";
  std::vector<uint8_t> Want(Text.begin(), Text.end());
  Want.push_back(0);
  EXPECT_EQ(Fmt->Init, Want);
  EXPECT_EQ(VFmt->Size, sizeof("len %u call %u of %u, %u"));
  EXPECT_EQ(VFmt->Offset, Fmt->Size);
  EXPECT_EQ(Calls->Sec, Sec::Bss);
  EXPECT_EQ(Calls->Size, 4u);
}

TEST(Globals, AccessesAreCheckedAndContentsUnknown) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("globals.c", M, Errs)) << show(Errs);
  auto Ok = verifyNamed(M, "globals");
  EXPECT_TRUE(Ok.Verified) << show(Ok);
  // A store then a load of the same global: the load is not assumed to
  // read what was stored (user space and other CPUs write globals).
  auto Reread = verifyNamed(M, "reread");
  EXPECT_FALSE(Reread.Verified);
  ASSERT_EQ(Reread.Failures.size(), 1u) << show(Reread);
  auto Ro = verifyNamed(M, "rodata_store");
  ASSERT_EQ(Ro.Failures.size(), 1u) << show(Ro);
  EXPECT_NE(Ro.Failures[0].Obligation.find(
                "store to the read-only global variable 'limit'"),
            std::string::npos);
  auto Over = verifyNamed(M, "overrun");
  ASSERT_EQ(Over.Failures.size(), 1u) << show(Over);
  EXPECT_NE(Over.Failures[0].Obligation.find(
                "global variable access out of bounds"),
            std::string::npos)
      << Over.Failures[0].Obligation;
  // The 4-byte add at table + 2 (offset 2 of `.data`) is misaligned.
  auto Mis = verifyNamed(M, "misaligned");
  ASSERT_EQ(Mis.Failures.size(), 1u) << show(Mis);
  EXPECT_NE(Mis.Failures[0].Obligation.find("atomic add at a misaligned"),
            std::string::npos);
}

TEST(Globals, OtherGlobalsAreNotSupportedYet) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("globals_unsupported.c", M, Errs));
  std::string All = show(Errs);
  for (const char *Want :
       {"global variable 'pair' of type 'struct pair'",
        "global variable 'pointer' of type 'int *'",
        "global variable 'matrix' of type 'int[2][2]'",
        "not supported yet: global variable 'elsewhere'"})
    EXPECT_NE(All.find(Want), std::string::npos) << Want << "\n" << All;
}

// A helper's output buffer may be a global (its section is a writable map
// value): inside the variable, not in .rodata.
TEST(Globals, HelpersWriteIntoGlobals) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("globals_helpers.c", M, Errs)) << show(Errs);
  auto Ok = verifyNamed(M, "into_globals");
  EXPECT_TRUE(Ok.Verified) << show(Ok);
  struct Want {
    const char *Fn;
    unsigned Line, Col;
    const char *Obligation;
  } Wants[] = {
      {"too_small", 30, 23,
       "helper given a too-small buffer: bpf_get_current_comm's global "
       "variable access out of bounds: writing 16 bytes at offset 0 "
       "requires 0 + 16 <= size 8 of 'short_name'"},
      {"past_the_end", 38, 24,
       "helper given a too-small buffer: bpf_get_current_comm's global "
       "variable access out of bounds: writing 16 bytes at offset 9 "
       "requires 9 + 16 <= size 24 of 'names'"},
      {"into_rodata", 46, 23,
       "store to the read-only global variable 'fixed_name' (const: in "
       ".rodata, which the program may not write)"}};
  for (const Want &W : Wants) {
    auto R = verifyNamed(M, W.Fn);
    EXPECT_FALSE(R.Verified) << W.Fn;
    EXPECT_FALSE(R.Unsupported) << W.Fn;
    ASSERT_EQ(R.Failures.size(), 1u) << show(R);
    EXPECT_EQ(R.Failures[0].L.Line, W.Line) << W.Fn;
    EXPECT_EQ(R.Failures[0].L.Col, W.Col) << W.Fn;
    EXPECT_EQ(R.Failures[0].Obligation, W.Obligation) << W.Fn;
  }
}

// A helper may read a global's bytes (data to output), inside it.
TEST(Globals, HelpersReadGlobals) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("globals_helpers.c", M, Errs)) << show(Errs);
  auto Ok = verifyNamed(M, "out_of_global");
  EXPECT_TRUE(Ok.Verified) << show(Ok);
  auto Past = verifyNamed(M, "out_past_global");
  EXPECT_FALSE(Past.Unsupported);
  ASSERT_EQ(Past.Failures.size(), 1u) << show(Past);
  EXPECT_EQ(Past.Failures[0].L.Line, 68u);
  EXPECT_EQ(Past.Failures[0].L.Col, 35u);
  EXPECT_EQ(Past.Failures[0].Obligation,
            "global variable access out of bounds: reading 24 bytes at "
            "offset 0 requires 0 + 24 <= size 16 of 'comm'");
}
