// cli_test.cc - The vep-check front end: exit codes and its one-line output.
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace vt;

namespace {

class Cli : public ::testing::Test {
protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vep-check-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir = tmpl;
  }
  void TearDown() override {
    for (auto &f : files)
      std::remove(f.c_str());
    rmdir(dir.c_str());
  }
  std::string write(const std::string &name, const std::vector<uint8_t> &b) {
    std::string path = dir + "/" + name;
    std::ofstream(path, std::ios::binary)
        .write((const char *)b.data(), (std::streamsize)b.size());
    files.push_back(path);
    return path;
  }
  // Runs vep-check; returns its exit code, output in `out`.
  int run(const std::string &args, std::string &out) {
    std::string cmd = std::string(VEP_CHECK_BIN) + " " + args + " 2>&1";
    FILE *p = popen(cmd.c_str(), "r");
    out.clear();
    char buf[512];
    while (p && fgets(buf, sizeof buf, p))
      out += buf;
    int st = p ? pclose(p) : -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  }
  std::string dir;
  std::vector<std::string> files;
};

Prog program(int16_t read_off) {
  Prog p = xdp_prologue();
  p.push_back(mov64_reg(4, 2));
  p.push_back(alu64_imm(ADD, 4, 14));
  p.push_back(jmp_reg(JGT, 4, 3, 2));
  p.push_back(ldx(B, 0, 2, read_off));
  p.push_back(exit_insn());
  p.push_back(mov64_imm(0, 1));
  p.push_back(exit_insn());
  return p;
}

} // namespace

TEST_F(Cli, Accepted) {
  auto obj = xdp_object(program(13));
  auto o = write("p.o", obj), pf = write("p.proof", write_proof(obj).proof);
  std::string out;
  EXPECT_EQ(run(o + " " + pf, out), 0);
  EXPECT_EQ(out, "vep-check: accepted: 1 programs, 2 paths, 3 obligations\n");
  EXPECT_EQ(run(o + " " + pf + " --stats", out), 0);
  EXPECT_NE(out.find("vep-check: stats: check time "), std::string::npos)
      << out;
  EXPECT_NE(out.find("peak arena "), std::string::npos) << out;
}

TEST_F(Cli, Rejected) {
  auto obj = xdp_object(program(14));
  auto o = write("p.o", obj), pf = write("p.proof", write_proof(obj).proof);
  std::string out;
  EXPECT_EQ(run(o + " " + pf, out), 1);
  EXPECT_EQ(out, "vep-check: rejected: xdp insn 5: mem_packet: ACCESS_HIGH not "
                 "proved\n");
}

TEST_F(Cli, WrongObject) {
  auto obj = xdp_object(program(13));
  auto pf = write("p.proof", write_proof(obj).proof);
  auto other = write("q.o", xdp_object(program(12)));
  std::string out;
  EXPECT_EQ(run(other + " " + pf, out), 1);
  EXPECT_EQ(out, "vep-check: rejected: xdp insn 0: proof_hash: proof is for a "
                 "different program\n");
}

TEST_F(Cli, Malformed) {
  auto obj = xdp_object(program(13));
  std::vector<uint8_t> proof = write_proof(obj).proof;
  auto o = write("p.o", obj);
  std::string out;
  proof.pop_back();
  auto pf = write("t.proof", proof);
  EXPECT_EQ(run(o + " " + pf, out), 2);
  EXPECT_EQ(out, "vep-check: error: proof_format: truncated proof\n");
  proof.push_back(0);
  proof.push_back(0);
  pf = write("x.proof", proof);
  EXPECT_EQ(run(o + " " + pf, out), 2);
  EXPECT_EQ(out, "vep-check: error: proof_format: trailing bytes after the "
                 "last answer\n");
  EXPECT_EQ(run(pf + " " + pf, out), 2); // a proof is not an ELF object
  EXPECT_NE(out.find("vep-check: error: elf_header"), std::string::npos) << out;
  EXPECT_EQ(run(dir + "/missing.o " + pf, out), 2);
  EXPECT_NE(out.find("vep-check: error: cannot open"), std::string::npos)
      << out;
  EXPECT_EQ(run(o, out), 2);
  EXPECT_NE(out.find("usage"), std::string::npos) << out;
}

// Without a proof argument, vep-check reads the proof from the object's
// non-allocated `.vep.proof` section (where vepcc embeds it).
// An object whose BTF crashes libbpf 1.1's parser (found by the mutation
// test: one byte of a tc program's .BTF changed): vep-check reads the map
// table through libbpf, which must not take vep-check down with it.
TEST_F(Cli, ObjectThatCrashesLibbpfIsMalformed) {
  std::string out;
  EXPECT_EQ(run(std::string(VEP_EBPF_TEST_DATA) + "/libbpf_crash_btf.o", out),
            2);
  EXPECT_NE(out.find("libbpf failed while reading the object"),
            std::string::npos)
      << out;
}

TEST_F(Cli, EmbeddedProof) {
  Prog p = program(13);
  std::vector<uint8_t> proof = write_proof(xdp_object(p)).proof;
  Section code, embedded;
  code.name = "xdp";
  code.data = encode(p);
  embedded.name = ".vep.proof";
  embedded.flags = 0; // not SHF_ALLOC
  embedded.data = proof;
  auto o = write("e.o", build_elf({code, embedded}));
  std::string out;
  EXPECT_EQ(run(o, out), 0);
  EXPECT_EQ(out, "vep-check: accepted: 1 programs, 2 paths, 3 obligations\n");
  EXPECT_EQ(run(o + " --stats", out), 0);
  EXPECT_NE(out.find("proof size " + std::to_string(proof.size()) + " bytes"),
            std::string::npos)
      << out;
  // A proof file on the command line takes precedence.
  auto bad = write("bad.proof", {'x'});
  EXPECT_EQ(run(o + " " + bad, out), 2);

  // Truncated: malformed, as for a proof file.
  embedded.data.pop_back();
  o = write("t.o", build_elf({code, embedded}));
  EXPECT_EQ(run(o, out), 2);
  EXPECT_EQ(out, "vep-check: error: proof_format: truncated proof\n");

  // The proof of another program: rejected.
  Section other = code;
  other.data = encode(program(12));
  embedded.data = proof;
  o = write("o.o", build_elf({other, embedded}));
  EXPECT_EQ(run(o, out), 1);
  EXPECT_EQ(out, "vep-check: rejected: xdp insn 0: proof_hash: proof is for a "
                 "different program\n");

  // Two embedded proofs, or none: malformed, with the reason.
  o = write("two.o", build_elf({code, embedded, embedded}));
  EXPECT_EQ(run(o, out), 2);
  EXPECT_EQ(out, "vep-check: error: more than one .vep.proof section\n");
  o = write("none.o", xdp_object(p));
  EXPECT_EQ(run(o, out), 2);
  EXPECT_NE(out.find("has no embedded proof (no .vep.proof section)"),
            std::string::npos)
      << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
}

TEST_F(Cli, Functions) {
  // A program calling f(x) = x + 1 (x <= 100) of .text; the callee's
  // rejection names the function.
  Prog text = {mov64_reg(0, 1), alu64_imm(ADD, 0, 1), exit_insn()};
  auto obj = call_object({mov64_imm(1, 7), call_fn(-1), exit_insn()}, text,
                         {{"inc", 0, 3}}, {{1, 2, R_BPF_64_32}});
  auto contract = [](bool bounded) {
    Function f{0, 3, {}, {}, {}};
    f.pre.n_exists = 1;
    f.pre.bindings = {bind(VEP_BIND_SCALAR, 1, var(1))};
    if (bounded)
      f.pre.facts = {form(100, {{1, -1}})};
    f.post.n_exists = 2;
    f.post.bindings = {bind(VEP_BIND_SCALAR, 0, var(2))};
    f.post.facts = {form(1, {{1, 1}, {2, -1}}), form(-1, {{1, -1}, {2, 1}})};
    return f;
  };
  auto o = write("f.o", obj);
  auto pf = write("f.proof",
                  write_proof(obj, {}, 0, {}, nullptr, {contract(true)}).proof);
  auto bad = write("g.proof",
                   write_proof(obj, {}, 0, {}, nullptr, {contract(false)})
                       .proof);
  std::string out;
  EXPECT_EQ(run(o + " " + pf, out), 0) << out;
  EXPECT_EQ(run(o + " " + bad, out), 1);
  EXPECT_EQ(out, "vep-check: rejected: inc insn 2: cut_fact: postcondition of "
                 "inc: CUT_FACT not proved for fact 0\n");
}
