// The vep-c tool: exit status and diagnostics format.
#include "TestUtil.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sys/wait.h>

using namespace vepc_test;

namespace {

struct ToolRun {
  int Exit = -1;
  std::string Out; // stdout and stderr together
};

ToolRun runTool(const std::string &Args) {
  ToolRun R;
  std::string Cmd = std::string(VEPC_TOOL) + " " + Args + " 2>&1";
  FILE *P = popen(Cmd.c_str(), "r");
  if (!P)
    return R;
  char Buf[4096];
  size_t N;
  while ((N = fread(Buf, 1, sizeof Buf, P)) > 0)
    R.Out.append(Buf, N);
  int St = pclose(P);
  R.Exit = WIFEXITED(St) ? WEXITSTATUS(St) : -1;
  return R;
}

bool contains(const std::string &S, const std::string &Sub) {
  return S.find(Sub) != std::string::npos;
}

TEST(Tool, VerifiedExitsZeroWithSummary) {
  ToolRun R = runTool(input("eth_ok.c"));
  EXPECT_EQ(R.Exit, 0) << R.Out;
  EXPECT_TRUE(contains(R.Out, "vep-c: xdp_eth: verified, ")) << R.Out;
  EXPECT_TRUE(contains(R.Out, " obligations, ")) << R.Out;
  EXPECT_TRUE(contains(R.Out, " ms\n")) << R.Out;
}

TEST(Tool, NotVerifiedExitsOneWithCaretAndCounterexample) {
  ToolRun R = runTool(input("eth_offbyone.c"));
  EXPECT_EQ(R.Exit, 1) << R.Out;
  EXPECT_TRUE(contains(R.Out, "eth_offbyone.c:17:6: error: packet access out "
                              "of bounds: reading 2 bytes at offset 12 "
                              "requires 12 + 2 <= packet length\n"
                              "\tif (eth->h_proto == bpf_htons(ETH_P_IP))\n"
                              "\t    ^\n"))
      << R.Out;
  EXPECT_TRUE(contains(R.Out, "note: counterexample: with packet length n = 13"))
      << R.Out;
}

TEST(Tool, UnsupportedConstructExitsTwo) {
  ToolRun R = runTool(input("globals_unsupported.c"));
  EXPECT_EQ(R.Exit, 2) << R.Out;
  EXPECT_TRUE(contains(R.Out, "globals_unsupported.c:13:10: error: not "
                              "supported yet: global variable 'elsewhere'"))
      << R.Out;
}

// -D and -U reach clang as they do in clang's own command line: libbpf's
// BPF_KPROBE needs the target architecture.
TEST(Tool, MacrosFromTheCommandLine) {
  ToolRun R = runTool(input("kprobe_macros.c"));
  EXPECT_EQ(R.Exit, 2) << R.Out;
  EXPECT_TRUE(contains(R.Out, "Must specify a BPF target arch")) << R.Out;
  for (const char *Flags : {"-D__TARGET_ARCH_x86", "-D __TARGET_ARCH_x86"}) {
    R = runTool(std::string(Flags) + " " + input("kprobe_macros.c"));
    EXPECT_EQ(R.Exit, 0) << Flags << ": " << R.Out;
    EXPECT_TRUE(contains(R.Out, "vep-c: do_unlinkat: verified")) << R.Out;
  }
  R = runTool("-D__TARGET_ARCH_x86 -U__TARGET_ARCH_x86 " +
              input("kprobe_macros.c"));
  EXPECT_EQ(R.Exit, 2) << R.Out;
  R = runTool(input("kprobe_macros.c") + " -D");
  EXPECT_EQ(R.Exit, 2) << R.Out;
  EXPECT_TRUE(contains(R.Out, "missing argument after '-D'")) << R.Out;
}

TEST(Tool, LoopExamplesVerify) {
  for (const char *Name : {"sum_payload.c", "payload_strlen.c"}) {
    ToolRun R = runTool(example(Name));
    EXPECT_EQ(R.Exit, 0) << Name << "\n" << R.Out;
    EXPECT_TRUE(contains(R.Out, ": verified, ")) << R.Out;
  }
}

TEST(Tool, LoopFailuresExitOne) {
  ToolRun R = runTool(input("for_loop.c"));
  EXPECT_EQ(R.Exit, 1) << R.Out;
  EXPECT_TRUE(contains(R.Out, "for_loop.c:23:2: error: loop invariant "
                              "missing"))
      << R.Out;
  EXPECT_TRUE(contains(R.Out, "for_loop.c:14:3: note: the loop at line 13 "
                              "has no Inv: VEP-C inferred '0 <= i && i <= "
                              "4'"))
      << R.Out;
  ToolRun T = runTool(input("strlen_bad.c"));
  EXPECT_EQ(T.Exit, 1) << T.Out;
  EXPECT_TRUE(contains(T.Out, "strlen_bad.c:11:10: error: loop invariant may "
                              "not hold on entry\n"
                              "\t/*@ Inv data <= p && p < data_end Variant "
                              "data_end - p */\n"
                              "\t        ^\n"))
      << T.Out;
  EXPECT_TRUE(contains(T.Out, "note: counterexample: with packet length n = 0"))
      << T.Out;
}

TEST(Tool, AnnotationErrorExitsTwo) {
  ToolRun R = runTool(input("parse_error.c"));
  EXPECT_EQ(R.Exit, 2) << R.Out;
  EXPECT_TRUE(contains(R.Out, "parse_error.c:10:24: error: ")) << R.Out;
}

TEST(Tool, BadCExitsTwo) {
  ToolRun R = runTool(input("c_errors.c"));
  EXPECT_EQ(R.Exit, 2) << R.Out;
  EXPECT_TRUE(contains(R.Out, "c_errors.c:11:9: error: ")) << R.Out;
}

TEST(Tool, UnreadableFileAndUsageExitTwo) {
  ToolRun R = runTool(input("no_such_file.c"));
  EXPECT_EQ(R.Exit, 2) << R.Out;
  EXPECT_TRUE(contains(R.Out, "vep-c: error: cannot read '")) << R.Out;
  ToolRun U = runTool("");
  EXPECT_EQ(U.Exit, 2) << U.Out;
  EXPECT_TRUE(contains(U.Out, "usage: vep-c")) << U.Out;
  ToolRun O = runTool("--bogus " + input("eth_ok.c"));
  EXPECT_EQ(O.Exit, 2) << O.Out;
}

TEST(Tool, JsonOutput) {
  ToolRun R = runTool("--json " + input("eth_nobound.c"));
  EXPECT_EQ(R.Exit, 1) << R.Out;
  EXPECT_TRUE(contains(R.Out, "\"result\":\"not-verified\"")) << R.Out;
  EXPECT_TRUE(contains(R.Out, "\"line\":14,\"col\":6")) << R.Out;
}

} // namespace

namespace {

// One summary line per function, called ones included; a violated
// precondition is "not verified" at the call, in JSON too.
TEST(Tool, FunctionsAndCalls) {
  ToolRun Ok = runTool(input("func_ok.c"));
  EXPECT_EQ(Ok.Exit, 0) << Ok.Out;
  EXPECT_TRUE(contains(Ok.Out, "vep-c: clamp: verified, ")) << Ok.Out;
  EXPECT_TRUE(contains(Ok.Out, "vep-c: prog: verified, ")) << Ok.Out;
  ToolRun Bad = runTool("--json " + input("func_pre_bad.c"));
  EXPECT_EQ(Bad.Exit, 1) << Bad.Out;
  EXPECT_TRUE(contains(Bad.Out, "\"result\":\"not-verified\"")) << Bad.Out;
  EXPECT_TRUE(contains(Bad.Out, "{\"name\":\"clamp\",\"verified\":true"))
      << Bad.Out;
  EXPECT_TRUE(contains(Bad.Out, "{\"line\":15,\"col\":12,\"obligation\":"
                                "\"precondition of 'clamp' may not hold\""))
      << Bad.Out;
  ToolRun Rec = runTool(input("func_recursion.c"));
  EXPECT_EQ(Rec.Exit, 2) << Rec.Out;
}

TEST(Tool, VerifierUnsupportedIsBadInput) {
  ToolRun R = runTool(input("data_meta.c"));
  EXPECT_EQ(R.Exit, 2) << R.Out;
  EXPECT_TRUE(contains(R.Out, "data_meta.c:7:29: error: not supported yet: "
                              "reading 'data_meta' of struct xdp_md"))
      << R.Out;
}

} // namespace

namespace {

std::string readAll(const std::string &Path) {
  std::string S;
  if (FILE *F = std::fopen(Path.c_str(), "rb")) {
    char Buf[4096];
    size_t N;
    while ((N = std::fread(Buf, 1, sizeof Buf, F)) > 0)
      S.append(Buf, N);
    std::fclose(F);
  }
  return S;
}

TEST(Tool, ProofIsWrittenWhenVerified) {
  std::string Path = testing::TempDir() + "eth_ok.cproof";
  std::remove(Path.c_str());
  ToolRun R = runTool(input("eth_ok.c") + " --proof " + Path);
  EXPECT_EQ(R.Exit, 0) << R.Out;
  std::string Proof = readAll(Path);
  EXPECT_EQ(Proof.rfind("vep-c-proof 1\nfile ", 0), 0u) << Proof;
  EXPECT_TRUE(contains(Proof, "\nfunction xdp_eth\n")) << Proof;
  EXPECT_TRUE(contains(Proof, "\nstate ")) << Proof;
  EXPECT_TRUE(contains(Proof, "\nentail ")) << Proof;
  EXPECT_TRUE(contains(Proof, "\nend xdp_eth\n")) << Proof;
}

TEST(Tool, ProofIsNotWrittenWhenNotVerified) {
  std::string Path = testing::TempDir() + "eth_offbyone.cproof";
  std::remove(Path.c_str());
  ToolRun R = runTool(input("eth_offbyone.c") + " --proof " + Path);
  EXPECT_EQ(R.Exit, 1) << R.Out;
  EXPECT_EQ(readAll(Path), "");
}

TEST(Tool, ProofWithoutFileExitsTwo) {
  ToolRun R = runTool(input("eth_ok.c") + " --proof");
  EXPECT_EQ(R.Exit, 2) << R.Out;
  EXPECT_TRUE(contains(R.Out, "missing file after '--proof'")) << R.Out;
}

} // namespace
