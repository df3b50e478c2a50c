//===- CodeGenCheckerTest.cpp - Generated code meets the VEP checker ------===//
//
// The code generator is shaped for the trusted checker (vep/check.h): the
// sample programs, compiled, must get a proof from the proof writer that
// the checker accepts, with their lowered post-conditions; a post the code
// does not meet must not. Built only when vep_proofwriter exists.
//
//===----------------------------------------------------------------------===//

#include "CodeGenRandom.h"

#include <gtest/gtest.h>


#include "vep/check.h"
#include "vep/compiler/ProofWriter.h"

using namespace cgtest;
using namespace vep::compiler;

namespace {

/// Compiles F, writes its object and a proof; returns the writer's result.
ProofWriteResult prove(Function F, std::string &Asm) {
  CompiledProgram P;
  std::string Err;
  EXPECT_TRUE(compileFunction(F, P, Err)) << Err;
  Asm = P.Asm;
  return writeProof(writeObject({P}, "GPL"), {{P.Section, P.Post}});
}

} // namespace

TEST(CodeGenChecker, PassProgram) {
  std::string Asm;
  Function F = passProgram();
  F.Contract = ensureReturnIn({2});
  ProofWriteResult R = prove(std::move(F), Asm);
  EXPECT_TRUE(R.Ok) << R.Error << "\n" << Asm;
  F = passProgram();
  F.Contract = ensureReturnIn({1});
  R = prove(std::move(F), Asm);
  EXPECT_FALSE(R.Ok) << Asm;
}

TEST(CodeGenChecker, EthProgram) {
  std::string Asm;
  Function F = ethProgram();
  F.Contract = ensureReturnIn({1, 2});
  ProofWriteResult R = prove(std::move(F), Asm);
  EXPECT_TRUE(R.Ok) << R.Error << "\n" << Asm;
  F = ethProgram();
  F.Contract = ensureReturnIn({2});
  R = prove(std::move(F), Asm);
  EXPECT_FALSE(R.Ok) << Asm;
}

TEST(CodeGenChecker, IhlProgram) {
  std::string Asm;
  Function F = ihlProgram();
  F.Contract = ensureReturnIn({2, 1});
  ProofWriteResult R = prove(std::move(F), Asm);
  EXPECT_TRUE(R.Ok) << R.Error << "\n" << Asm;
}

// `__u32 len = ctx->data_end - ctx->data`: the two loads are packet
// pointers, which take 64-bit arithmetic only; the difference is taken in
// 64 bits, then truncated (a 32-bit subtraction was refused by ptr_alu).
TEST(CodeGenChecker, PacketLengthIn32Bits) {
  Function F = xdpFunction("xdp_len32");
  unsigned Len = addVar(F, "len", u32());
  auto Field = [](unsigned Off) {
    return load(u32(), ptrAdd(var(0, ptrTy(24, "struct xdp_md *")), Off));
  };
  F.Body = block(assign(Len, bin(OK::Sub, Field(4), Field(0))),
                 ifThen(cmp(OK::ULt, var(Len, u32()), cst(60, u32())),
                        retInt(1)),
                 retInt(2));
  F.Contract = ensureReturnIn({1, 2});
  std::string Asm;
  ProofWriteResult R = prove(std::move(F), Asm);
  EXPECT_TRUE(R.Ok) << R.Error << "\n" << Asm;
  EXPECT_NE(Asm.find(" -= r"), std::string::npos) << Asm;
}

// Shapes the samples do not cover: packet pointers in stack homes,
// materialised conditions, signed comparisons, lddw, stores, spills.
TEST(CodeGenChecker, StackHomesStoresSpills) {
  std::string Asm;
  {
    Function F = xdpFunction("xdp_ptrs");
    unsigned D = addVar(F, "data", ptrTy()), E = addVar(F, "data_end", ptrTy());
    std::vector<unsigned> Ps;
    std::vector<StmtPtr> B;
    B.push_back(assign(D, ctxField(0)));
    B.push_back(assign(E, ctxField(4)));
    B.push_back(ifThen(cmp(OK::UGt, ptrAdd(var(D, ptrTy()), 40), var(E, ptrTy())),
                       retInt(2)));
    // p_k = data + (data[k] & 3): seven packet pointers live at once (a
    // constant offset would be forwarded to the uses instead).
    for (int K = 0; K < 7; ++K) {
      Ps.push_back(addVar(F, "p" + std::to_string(K), ptrTy()));
      B.push_back(assign(Ps.back(),
                         ptrAdd(var(D, ptrTy()),
                                bin(OK::And, cast(i64(), load(u8(), ptrAdd(var(D, ptrTy()), K))),
                                    cst(3, i64())))));
    }
    ExprPtr Sum = cst(0, u32());
    for (int K = 0; K < 7; ++K)
      Sum = bin(OK::Add, std::move(Sum), load(u32(), ptrAdd(var(Ps[size_t(K)], ptrTy()), 2)));
    B.push_back(ret(cast(i32(), std::move(Sum))));
    F.Body = blockOf(std::move(B));
    ProofWriteResult R = prove(std::move(F), Asm);
    EXPECT_TRUE(R.Ok) << R.Error << "\n" << Asm;
    EXPECT_NE(Asm.find("-> [r10-8]"), std::string::npos) << Asm;
  }
  {
    Function F = xdpFunction("xdp_mix");
    unsigned D = addVar(F, "data", ptrTy()), E = addVar(F, "data_end", ptrTy());
    unsigned X = addVar(F, "x", i32()), Y = addVar(F, "y", u64());
    auto Dp = [&] { return var(D, ptrTy()); };
    F.Body = block(
        assign(D, ctxField(0)), assign(E, ctxField(4)),
        ifThen(cmp(OK::UGt, ptrAdd(Dp(), 16), var(E, ptrTy())), retInt(2)),
        assign(X, cmp(OK::UGt, load(u8(), ptrAdd(Dp(), 3)), cst(7, u8()))),
        assign(Y, bin(OK::Add, cast(u64(), load(u32(), Dp())),
                      cst(0x123456789ull, u64()))),
        ifThen(cmp(OK::SLt, cast(i32(), load(u32(), ptrAdd(Dp(), 4))),
                   cst(uint64_t(-5), i32())),
               retInt(1)),
        store(ptrAdd(Dp(), 8), cast(u32(), var(Y, u64()))),
        ret(bin(OK::Add, var(X, i32()), cst(1, i32()))));
    F.Contract = ensureReturnIn({1, 2});
    ProofWriteResult R = prove(std::move(F), Asm);
    EXPECT_TRUE(R.Ok) << R.Error << "\n" << Asm;
  }
  {
    Function F = xdpFunction("xdp_deep");
    unsigned D = addVar(F, "data", ptrTy()), E = addVar(F, "data_end", ptrTy());
    unsigned Leaf = 0;
    std::function<ExprPtr(unsigned)> Tree = [&](unsigned Depth) -> ExprPtr {
      if (!Depth)
        return cast(u32(), load(u8(), ptrAdd(var(D, ptrTy()), (Leaf++ * 5) % 60)));
      return bin(Depth % 2 ? OK::Add : OK::Xor, Tree(Depth - 1), Tree(Depth - 1));
    };
    F.Body = block(assign(D, ctxField(0)), assign(E, ctxField(4)),
                   ifThen(cmp(OK::UGt, ptrAdd(var(D, ptrTy()), 64), var(E, ptrTy())),
                          retInt(0)),
                   ret(cast(i32(), Tree(7))));
    ProofWriteResult R = prove(std::move(F), Asm);
    EXPECT_TRUE(R.Ok) << R.Error << "\n" << Asm;
    EXPECT_EQ(Asm.find("0 for spills)"), std::string::npos) << Asm;
  }
}

// A few of the differential tests' random programs (every integer type,
// casts, division, shifts, short circuits, stores, early returns).
TEST(CodeGenChecker, RandomPrograms) {
  for (unsigned Seed : {3u, 8u, 21u}) {
    Function F = randomProgram(Seed * 7919, 1 + Seed % 2);
    CompiledProgram P;
    std::string Err;
    ASSERT_TRUE(compileFunction(F, P, Err)) << Err;
    ProofWriteResult R = writeProof(writeObject({P}, "GPL"), {{P.Section, P.Post}});
    EXPECT_TRUE(R.Ok) << "seed " << Seed << ": " << R.Error << "\n" << P.Asm;
  }
}


// Random programs with the optimisations' idioms (forwarded copies and
// pointer offsets, dead values, constant early returns, counting loops with
// break / continue): every one is proved, loops' cut points included.
TEST(CodeGenChecker, RandomIdiomPrograms) {
  unsigned Loops = 0;
  for (unsigned Seed : {2u, 5u, 9u, 14u, 17u, 23u}) {
    Function F = randomProgram(Seed * 7919, 1 + Seed % 3, /*Idioms=*/true);
    CompiledProgram P;
    std::string Err;
    ASSERT_TRUE(compileFunction(F, P, Err)) << Err;
    Loops += unsigned(P.Cuts.size());
    ProofWriteResult R =
        writeProof(writeObject({P}, "GPL"), {{P.Section, P.Post, P.Cuts}});
    EXPECT_TRUE(R.Ok) << "seed " << Seed << ": " << R.Error << "\n" << P.Asm;
  }
  EXPECT_GT(Loops, 0u);
}
