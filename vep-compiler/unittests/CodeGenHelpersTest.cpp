//===- CodeGenHelpersTest.cpp - Variadic and string-reading helper calls --===//
//
// Hand-built CIR of the helper calls whose code differs from the others':
// bpf_trace_printk with fewer than three values gets 0 in the registers of
// the missing ones (cir::helperArgRegisters), and the string reads get v's
// value in their buffer even when they may write all of it
// (cir::helperWritesPrefixOnly), while bpf_probe_read_kernel does not. The
// checker accepts each proof; without the padding it would not.
//
//===----------------------------------------------------------------------===//

#include "CodeGenTestSupport.h"
#include "vep/compiler/ElfWriter.h"
#include "vep/compiler/ProofWriter.h"

#include <gtest/gtest.h>

using namespace cgtest;
using namespace vep::compiler;

namespace {

bool proved(const CompiledProgram &P) {
  std::vector<uint8_t> Obj = writeObject({P}, "GPL", {});
  ProofWriteResult R = writeProof(Obj, {{P.Section, P.Post, P.Cuts}});
  EXPECT_TRUE(R.Ok) << R.Error << "\n" << P.Asm;
  return R.Ok;
}

size_t callAt(const CompiledProgram &P) {
  for (size_t K = 0; K < P.Insns.size(); ++K)
    if (P.Insns[K].Code == (bpf::JMP | bpf::CALL))
      return K;
  ADD_FAILURE() << "no call\n" << P.Asm;
  return 0;
}

/// `mov rD, 0` (64-bit, immediate).
bool zeroes(const BpfInsn &I, uint8_t Reg) {
  return I.Code == (bpf::ALU64 | bpf::MOV | bpf::K) && I.Dst == Reg &&
         I.Imm == 0;
}

TEST(CodeGenHelpers, TracePrintkPassesZeroForMissingValues) {
  // __u64 format = 0x0a7525; bpf_trace_printk(&format, 8, 7); return 2;
  Function F = xdpFunction("printk");
  unsigned Fmt = addVar(F, "format", u64());
  F.Body = block(assign(Fmt, cst(0x0a7525, u64())),
                 exprStmt(helperCall(6, i64(), addrOf(Fmt, u64()),
                                     cst(8, u32()), cst(7, u64()))),
                 retInt(2));
  CompiledProgram P = compileOrDie(F);
  ASSERT_FALSE(P.Name.empty());
  size_t Call = callAt(P);
  ASSERT_GE(Call, 2u);
  EXPECT_TRUE(zeroes(P.Insns[Call - 2], bpf::R4)) << P.Asm;
  EXPECT_TRUE(zeroes(P.Insns[Call - 1], bpf::R5)) << P.Asm;
  EXPECT_TRUE(proved(P));
  // The checker requires R4 and R5: without the padding it refuses.
  P.Insns.erase(P.Insns.begin() + Call - 2, P.Insns.begin() + Call);
  std::vector<uint8_t> Obj = writeObject({P}, "GPL", {});
  ProofWriteResult R = writeProof(Obj, {{P.Section, P.Post, P.Cuts}});
  EXPECT_FALSE(R.Ok) << P.Asm;
}

TEST(CodeGenHelpers, StringReadsGetTheVariablesValueInTheirBuffer) {
  // raw tracepoint: __u64 name = 0; helper(&name, 8, 0); return name == 0;
  for (uint64_t Helper : {113u, 115u}) {
    SCOPED_TRACE(Helper);
    Function F = xdpFunction("read");
    F.Section = "raw_tp/sys_enter";
    F.ProgType = vep::cir::ProgramType::RawTracepoint;
    F.Vars[0].Ty = ptrTy(96, "struct bpf_raw_tracepoint_args *");
    unsigned Name = addVar(F, "name", u64());
    ExprPtr Buf = addrOf(Name, u64());
    Buf->Value = 8; // the helper writes (up to) all 8 bytes
    auto Output = mk(EK::CallOutput, u64());
    Output->VarId = Name;
    F.Body =
        block(assign(Name, cst(0, u64())),
              exprStmt(helperCall(Helper, i64(), std::move(Buf), cst(8, u32()),
                                  cst(0, u64()))),
              assign(Name, std::move(Output)),
              ret(cast(i32(), cmp(OK::Eq, var(Name, u64()), cst(0, u64())))));
    CompiledProgram P = compileOrDie(F);
    ASSERT_FALSE(P.Name.empty());
    size_t Call = callAt(P), Stores = 0;
    for (size_t K = 0; K < Call; ++K)
      Stores += bpf::insnClass(P.Insns[K].Code) == bpf::STX &&
                P.Insns[K].Dst == bpf::R10;
    EXPECT_EQ(Stores, Helper == 115 ? 1u : 0u) << P.Asm;
    EXPECT_TRUE(proved(P));
  }
}

} // namespace
