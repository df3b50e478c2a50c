// VEP-C's states at the statements, placed by the compiler at each
// statement's first instruction over the registers and stack slots that
// hold the variables (vepcc -S; docs/compiler.md section 3, "Statement
// boundaries"), checked against runs: the XDP examples without maps or
// calls are compiled in-process and run by the test interpreter
// (vep-ebpf/tests/interp.h) on varied packets, and whenever a run reaches
// an instruction with states, one of them must be satisfiable with its
// placed variables equal to what the machine holds there (and n, the
// packet length, equal to the packet's). A variable placed in the wrong
// register or slot, or a state VEP-C got wrong, fails here.
#include "TestSupport.h"
#include "interp.h"
#include "vep/compiler/CodeGen.h"
#include "vep/verifier/Driver.h"

#include <gtest/gtest.h>
#include <z3++.h>

#include <map>
#include <random>

namespace fs = std::filesystem;
using namespace vep;
using vep::test::safeExamples;

namespace {

std::vector<std::vector<uint8_t>> testPackets() {
  std::vector<std::vector<uint8_t>> Out;
  std::mt19937 Rng(7);
  for (size_t Len : {0, 6, 14, 20, 33, 34, 41, 42, 54, 60, 64, 90, 200})
    for (int Shape = 0; Shape < 5; ++Shape) {
      std::vector<uint8_t> P(Len);
      for (uint8_t &B : P)
        B = uint8_t(Rng());
      if (Shape && Len >= 14) { // Ethernet, IPv4 with IHL 5, then a protocol
        P[12] = 0x08, P[13] = 0x00;
        if (Len >= 34) {
          P[14] = 0x45;
          P[23] = Shape == 1 ? 17 : Shape == 2 ? 6 : Shape == 3 ? 1 : 47;
        }
      }
      Out.push_back(std::move(P));
    }
  return Out;
}

std::string bv(uint64_t V, unsigned Bits) {
  if (Bits < 64)
    V &= (uint64_t(1) << Bits) - 1;
  return "(_ bv" + std::to_string(V) + " " + std::to_string(Bits) + ")";
}

/// The value a placed variable's home holds at this step, or nullopt when
/// the home is not initialised.
std::optional<uint64_t> homeValue(int Where, const vt::StepView &V) {
  if (Where >= 0)
    return V.init[Where] ? std::optional<uint64_t>(V.reg[Where]) : std::nullopt;
  uint64_t X = 0;
  for (int K = 7; K >= 0; --K) {
    int At = 512 + Where + K;
    if (!V.stack_init[At])
      return std::nullopt;
    X = X << 8 | V.stack[At];
  }
  return X;
}

class StateRun : public testing::TestWithParam<fs::path> {};

TEST_P(StateRun, StatesHoldWhereRunsReachThem) {
  cir::Module M;
  verifier::Options Opts;
  Opts.RecordProof = true;
  verifier::Report R = verifier::verifyFile(GetParam().string(), {}, M, Opts);
  ASSERT_EQ(R.ExitCode, 0);
  std::vector<cir::FunctionProof> Proofs;
  for (verifier::FunctionResult &F : R.Functions)
    Proofs.push_back(std::move(F.Proof));
  std::vector<compiler::CompiledProgram> Progs;
  std::string Err;
  ASSERT_TRUE(compiler::compileModule(M, Progs, Err, nullptr, &Proofs)) << Err;
  if (Progs.size() != 1 || M.Functions.size() != 1 ||
      M.Functions[0].ProgType != cir::ProgramType::XDP ||
      !Progs[0].MapRelocs.empty() || !Progs[0].CallRelocs.empty())
    GTEST_SKIP() << "only XDP programs without maps, globals or calls run here";
  const compiler::CompiledProgram &P = Progs[0];
  const cir::Function &F = M.Functions[0];
  const cir::FunctionProof &Proof = Proofs[0];
  ASSERT_FALSE(P.States.empty());

  std::string Declarations;
  for (const std::string &S : Proof.Symbols)
    Declarations += S + "\n";
  for (const std::string &A : Proof.Axioms)
    Declarations += "(assert " + A + ")\n";
  bool HasN = false;
  for (const std::string &S : Proof.Symbols)
    HasN |= S.rfind("(declare-fun n ", 0) == 0;
  std::map<uint32_t, std::vector<const compiler::PlacedState *>> At;
  for (const compiler::PlacedState &S : P.States)
    At[S.Insn].push_back(&S);
  vt::Prog Prog;
  for (const compiler::BpfInsn &I : P.Insns)
    Prog.push_back({I.Code, I.Dst, I.Src, I.Off, I.Imm});

  z3::context C;
  unsigned Checked = 0;
  std::string Failure;
  for (const std::vector<uint8_t> &Packet : testPackets()) {
    std::map<size_t, unsigned> Visits;
    size_t Previous = 0;
    auto Observe = [&](const vt::StepView &V) {
      // Only back edges jump backwards: a loop's entry state holds when
      // the head is reached from before it.
      bool Entering = V.pc == 0 || Previous < V.pc;
      Previous = V.pc;
      auto It = At.find(uint32_t(V.pc));
      if (It == At.end() || ++Visits[V.pc] > 3 || !Failure.empty())
        return;
      std::string Tried;
      bool Applicable = false;
      for (const compiler::PlacedState *S : It->second) {
        if (S->LoopEntry && !Entering)
          continue;
        Applicable = true;
        std::string Script = Declarations;
        if (HasN)
          Script += "(assert (= n " + bv(Packet.size(), 64) + "))\n";
        for (const std::string &Fact : S->State.Facts)
          Script += "(assert " + Fact + ")\n";
        std::string Bound;
        bool Readable = true;
        for (size_t K = 0; K < S->State.Vars.size(); ++K) {
          const cir::ProofBinding &B = S->State.Vars[K];
          if (S->Where[K] == compiler::PlacedState::NoPlace)
            continue;
          std::optional<uint64_t> Held = homeValue(S->Where[K], V);
          if (!Held) {
            Readable = false;
            break;
          }
          const cir::Type &Ty = F.Vars[B.Var].Ty;
          std::string Value =
              B.Where == "scalar"   ? bv(*Held, Ty.isPtr() ? 64 : Ty.Bits)
              : B.Where == "packet" ? bv(*Held - V.data, 64)
              : B.Where == "ctx"    ? bv(*Held - V.ctx, 64)
                                    : "";
          if (!Value.empty())
            Bound += "(assert (= " + B.Value + " " + Value + ")) ; " +
                     F.Vars[B.Var].Name + "\n";
        }
        Script += Bound;
        if (Readable) {
          z3::solver Solver(C);
          Solver.add(C.parse_string(Script.c_str()));
          if (Solver.check() != z3::unsat)
            return void(++Checked);
        }
        Tried += "\n  path " + std::to_string(S->State.Path) + " (" +
                 S->State.Branches + ")" +
                 (Readable ? ", where\n" + Bound : ": a home is not initialised");
      }
      if (!Applicable)
        return;
      Failure = "insn " + std::to_string(V.pc) + " (line " +
                std::to_string(It->second[0]->State.L.Line) + "), packet of " +
                std::to_string(Packet.size()) + " bytes: no state holds" + Tried;
    };
    vt::MapEnv None;
    vt::run_program(Prog, vt::ProgType::Xdp, Packet, 1, None, 100000, Observe);
  }
  EXPECT_EQ(Failure, "");
  EXPECT_GT(Checked, 0u);
}

std::string testName(const testing::TestParamInfo<fs::path> &I) {
  return I.param.stem().string();
}

INSTANTIATE_TEST_SUITE_P(Examples, StateRun, testing::ValuesIn(safeExamples()), testName);

} // namespace
