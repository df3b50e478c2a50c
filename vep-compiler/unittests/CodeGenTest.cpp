//===- CodeGenTest.cpp - Instruction streams and assembly of the codegen --===//

#include "CodeGenTestSupport.h"

#include <gtest/gtest.h>
#include <gelf.h>
#include <libelf.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>

using namespace cgtest;
using namespace vep::compiler;

namespace {

bool allJumpsForward(const std::vector<BpfInsn> &I) {
  for (size_t K = 0; K < I.size(); ++K) {
    if (K > 0 && bpf::isLddw(I[K - 1]))
      continue;
    if (bpf::isJump(I[K]) && (I[K].Off < 1 || K + 1 + I[K].Off >= I.size()))
      return false; // backward, to the next slot, or out of range
  }
  return true;
}

unsigned countIf(const std::vector<BpfInsn> &I,
                 const std::function<bool(const BpfInsn &)> &P) {
  unsigned N = 0;
  for (const BpfInsn &X : I)
    N += P(X);
  return N;
}

bool isCondJump(const BpfInsn &I) {
  return bpf::isJump(I) && bpf::opOf(I.Code) != bpf::JA;
}

/// A function whose locals a and b (u32) are read from ctx fields 12 and
/// 16 (ingress_ifindex, rx_queue_index); Body is appended.
Function twoScalars(const std::string &Name, unsigned &A, unsigned &B) {
  Function F = xdpFunction(Name);
  A = addVar(F, "a", u32());
  B = addVar(F, "b", u32());
  return F;
}
StmtPtr loadScalars(unsigned A, unsigned B) {
  auto Ctx = [] { return var(0, ptrTy(24, "struct xdp_md *")); };
  return block(assign(A, load(u32(), ptrAdd(Ctx(), 12))),
               assign(B, load(u32(), ptrAdd(Ctx(), 16))));
}

} // namespace

TEST(CodeGen, PassProgramExactAsm) {
  CompiledProgram P = compileOrDie(passProgram());
  ASSERT_EQ(P.Name, "xdp_pass");
  EXPECT_EQ(P.Asm,
            "# function xdp_pass: section \"xdp\", program type XDP\n"
            "# post: true (at every exit)\n"
            "# stack: 0 bytes (0 for variables, 0 for spills)\n"
            "\t.section\txdp,\"ax\",@progbits\n"
            "\t.globl\txdp_pass\n"
            "\t.p2align\t3\n"
            "\t.type\txdp_pass,@function\n"
            "xdp_pass:\n"
            "\t# entry: R1 = ctx; store_uchar_array(data, data_end - data, l)\n"
            "\t# homes: (none)\n"
            "\tw0 = 2                                  # 0\n"
            "\texit                                    # 1: post: true\n"
            ".Lfunc_end_xdp_pass:\n"
            "\t.size\txdp_pass, .Lfunc_end_xdp_pass-xdp_pass\n");
}

TEST(CodeGen, PassProgramInsns) {
  CompiledProgram P = compileOrDie(passProgram());
  ASSERT_EQ(P.Insns.size(), 2u);
  EXPECT_EQ(P.Insns[0], bpf::movImm32(0, 2)); // w0 = 2: zero-extended int
  EXPECT_EQ(P.Insns[1], bpf::exitInsn());
  EXPECT_EQ(P.Section, "xdp");
  EXPECT_TRUE(P.Post.empty());
  ASSERT_EQ(P.Locs.size(), 2u);
  EXPECT_EQ(P.Locs[0].Line, 3u);
  EXPECT_EQ(P.Locs[1].Line, 3u);
  EXPECT_EQ(encodeInsns(P.Insns),
            (std::vector<uint8_t>{0xb4, 0, 0, 0, 2, 0, 0, 0, //
                                  0x95, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(CodeGen, EthProgramInsns) {
  CompiledProgram P = compileOrDie(ethProgram());
  ASSERT_FALSE(P.Name.empty());
  // ctx stays in R1 until its last use; eth = data is forwarded (no copy,
  // its uses read data); each `if (c) return K` sets R0 and jumps to the
  // one exit.
  EXPECT_EQ(disassemble(P.Insns), "    0: r7 = *(u32 *)(r1 + 0)\n"
                                  "    1: r8 = *(u32 *)(r1 + 4)\n"
                                  "    2: w0 = 2\n"
                                  "    3: r1 = r7\n"
                                  "    4: r1 += 14\n"
                                  "    5: if r1 > r8 goto +4\n"
                                  "    6: w0 = 1\n"
                                  "    7: r1 = *(u16 *)(r7 + 12)\n"
                                  "    8: if r1 == 8 goto +1\n"
                                  "    9: w0 = 2\n"
                                  "   10: exit\n");
  EXPECT_NE(P.Asm.find("# line 4: eth is forwarded: no code"), std::string::npos)
      << P.Asm;
  EXPECT_TRUE(allJumpsForward(P.Insns));
}

TEST(CodeGen, IhlProgramShape) {
  CompiledProgram P = compileOrDie(ihlProgram());
  ASSERT_FALSE(P.Name.empty());
  EXPECT_TRUE(allJumpsForward(P.Insns));
  // ctx is read only by 4-byte loads at offsets 0 and 4 of its home, R1,
  // where it arrives.
  EXPECT_EQ(P.Insns[0], bpf::ldx(4, 7, 1, 0));
  EXPECT_EQ(P.Insns[1], bpf::ldx(4, 8, 1, 4));
  // ihl * 4 in 32 bits; data + 14 + hlen in 64 bits; no stack.
  EXPECT_EQ(countIf(P.Insns, [](const BpfInsn &I) {
              return I == bpf::aluImm(false, bpf::MUL, I.Dst, 4);
            }), 1u);
  EXPECT_EQ(countIf(P.Insns, [](const BpfInsn &I) {
              return I.Code == (bpf::ALU64 | bpf::ADD | bpf::X);
            }), 1u);
  EXPECT_EQ(countIf(P.Insns, [](const BpfInsn &I) {
              return I.Dst == 10 || I.Src == 10;
            }), 0u);
  // Packet bounds: 64-bit unsigned register compares against data_end,
  // jumping to the exit with R0 = XDP_PASS.
  EXPECT_EQ(countIf(P.Insns, [](const BpfInsn &I) {
              return I.Code == (bpf::JMP | bpf::JGT | bpf::X) && I.Src == 8;
            }), 2u);
  // One exit; the verdicts reach R0 by 32-bit moves of constants only, and
  // no move repeats the constant R0 already holds (`w0 = 2` before the
  // first test serves the second one too: 3 moves of 2 for 4 returns).
  EXPECT_EQ(countIf(P.Insns, [](const BpfInsn &I) { return I == bpf::exitInsn(); }),
            1u);
  EXPECT_EQ(countIf(P.Insns, [](const BpfInsn &I) {
              return I.Dst == 0 && bpf::insnClass(I.Code) != bpf::JMP &&
                     I.Code != (bpf::ALU | bpf::MOV | bpf::K);
            }), 0u);
  EXPECT_EQ(countIf(P.Insns, [](const BpfInsn &I) { return I == bpf::movImm32(0, 2); }),
            3u);
  // (__u32)(load & 15) needs no truncation: `w6 &= 15` and nothing else.
  EXPECT_EQ(countIf(P.Insns, [](const BpfInsn &I) {
              return bpf::insnClass(I.Code) == bpf::ALU64 &&
                     bpf::opOf(I.Code) == bpf::AND;
            }), 0u);
  // The home map is in the text at entry and at each assignment.
  EXPECT_NE(P.Asm.find("# homes: ctx -> r1, data -> r7, data_end -> r8, "
                       "ihl -> r6, hlen -> r9, l4 -> r6"),
            std::string::npos)
      << P.Asm;
  EXPECT_NE(P.Asm.find("# line 9: l4 -> r6"), std::string::npos);
  EXPECT_EQ(P.Locs.size(), P.Insns.size());
}

TEST(CodeGen, ConstantsAreFolded) {
  Function F = xdpFunction("xdp_fold");
  // return ((2 + 3) * 4 == 20 && !(0 || 0)) ? XDP_DROP : XDP_PASS;
  F.Body = block(ret(cond(
      land(cmp(OK::Eq,
               bin(OK::Mul, bin(OK::Add, cst(2, i32()), cst(3, i32())),
                   cst(4, i32())),
               cst(20, i32())),
           un(OK::LNot, lor(cst(0, i32()), cst(0, i32())))),
      cst(1, i32()), cst(2, i32()))));
  CompiledProgram P = compileOrDie(F);
  EXPECT_EQ(disassemble(P.Insns), "    0: w0 = 1\n    1: exit\n");

  // A constant condition selects its branch; what follows a return is dead.
  Function G = xdpFunction("xdp_dead");
  unsigned X = addVar(G, "x", u32());
  G.Body = block(
      ifThen(cmp(OK::SGt, cst(7, i32()), cst(3, i32())), retInt(1), retInt(3)),
      assign(X, load(u32(), ptrAdd(var(0, ptrTy()), 12))), ret(var(X, u32())));
  P = compileOrDie(G);
  EXPECT_EQ(disassemble(P.Insns), "    0: w0 = 1\n    1: exit\n");

  // Wrapping at the type's width: (u8)250 + (u8)10 == 4; (int)-1 as int.
  Function H = xdpFunction("xdp_wrap");
  H.Body = block(ret(cast(i32(), bin(OK::Add, cst(250, u8()), cst(10, u8())))));
  P = compileOrDie(H);
  EXPECT_EQ(P.Insns[0], bpf::movImm32(0, 4));
}

TEST(CodeGen, ShortCircuitConditionsAreBranches) {
  unsigned A, B;
  Function F = twoScalars("xdp_sc", A, B);
  // if (a > 5 && b < 3) return 1; if (a == 1 || !(b != 2)) return 3; return 2;
  F.Body = block(loadScalars(A, B),
                 ifThen(land(cmp(OK::UGt, var(A, u32()), cst(5, u32())),
                             cmp(OK::ULt, var(B, u32()), cst(3, u32()))),
                        retInt(1)),
                 ifThen(lor(cmp(OK::Eq, var(A, u32()), cst(1, u32())),
                            un(OK::LNot, cmp(OK::Ne, var(B, u32()), cst(2, u32())))),
                        retInt(3)),
                 retInt(2));
  CompiledProgram P = compileOrDie(F);
  EXPECT_EQ(disassemble(P.Insns), "    0: r7 = *(u32 *)(r1 + 12)\n"
                                  "    1: r8 = *(u32 *)(r1 + 16)\n"
                                  "    2: w0 = 1\n"
                                  "    3: if r7 <= 5 goto +1\n"
                                  "    4: if r8 < 3 goto +4\n"
                                  "    5: w0 = 3\n"
                                  "    6: if r7 == 1 goto +2\n"
                                  "    7: if r8 == 2 goto +1\n"
                                  "    8: w0 = 2\n"
                                  "    9: exit\n");
}

TEST(CodeGen, ConditionValuesAreMaterialised) {
  unsigned A, B;
  Function F = twoScalars("xdp_val", A, B);
  unsigned X = addVar(F, "x", i32());
  // int x = a > b; return x + (a != 0 && b != 0);
  F.Body = block(loadScalars(A, B),
                 assign(X, cmp(OK::UGt, var(A, u32()), var(B, u32()))),
                 ret(bin(OK::Add, var(X, i32()),
                         land(cmp(OK::Ne, var(A, u32()), cst(0, u32())),
                              cmp(OK::Ne, var(B, u32()), cst(0, u32()))))));
  CompiledProgram P = compileOrDie(F);
  std::string D = disassemble(P.Insns);
  EXPECT_NE(D.find("w6 = 1\n    3: if r7 > r8 goto +1\n    4: w6 = 0\n"),
            std::string::npos)
      << D;
  EXPECT_NE(D.find("if r7 == 0 goto"), std::string::npos) << D;
  EXPECT_NE(D.find("if r8 != 0 goto"), std::string::npos) << D;
  EXPECT_NE(D.find("w0 += w1"), std::string::npos) << D;
  EXPECT_TRUE(allJumpsForward(P.Insns));
  // Each value is `d = 1; if (c) skip; d = 0`: no jump over an else part.
  EXPECT_EQ(countIf(P.Insns, [](const BpfInsn &I) { return I == bpf::ja(I.Off); }), 0u)
      << D;
}

TEST(CodeGen, CastsTruncateAndExtendExactly) {
  unsigned A, B;
  Function F = twoScalars("xdp_cast", A, B);
  unsigned W = addVar(F, "w", u64());
  unsigned S = addVar(F, "s", i64());
  F.Body = block(
      loadScalars(A, B),
      // w = (u64)a << 32 | b : zero extension emits nothing
      assign(W, bin(OK::Or, bin(OK::Shl, cast(u64(), var(A, u32())), cst(32, u64())),
                    cast(u64(), var(B, u32())))),
      // s = (long)(int)a : sign extension
      assign(S, cast(i64(), cast(i32(), var(A, u32())))),
      // return (int)(u8)(a + b) + (int)(u32)w + (int)s
      ret(bin(OK::Add,
              bin(OK::Add,
                  cast(i32(), cast(u8(), bin(OK::Add, var(A, u32()), var(B, u32())))),
                  cast(i32(), cast(u32(), var(W, u64())))),
              cast(i32(), var(S, i64())))));
  CompiledProgram P = compileOrDie(F);
  std::string D = disassemble(P.Insns);
  EXPECT_NE(D.find(" <<= 32\n"), std::string::npos) << D;
  // Sign extension the checker can follow: a nonnegative value stays
  // itself (w9 < 2^31), a negative one gets its high bits set.
  EXPECT_NE(D.find("r9 = r7\n    6: if w9 < -2147483648 goto +1\n"
                   "    7: r9 |= -2147483648\n"),
            std::string::npos)
      << D;
  EXPECT_EQ(D.find(" s>>= "), std::string::npos) << D;
  EXPECT_NE(D.find(" &= 255\n"), std::string::npos) << D;
  EXPECT_NE(D.find(" = w9\n"), std::string::npos) << D; // (u32)w
  EXPECT_NE(D.find(" = w6\n"), std::string::npos) << D; // (int)s
}

TEST(CodeGen, SignedComparisons) {
  unsigned A, B;
  Function F = twoScalars("xdp_signed", A, B);
  // if ((int)a < (int)b) return 1;            signed: JMP32 s<
  // if ((int)(u16)a < 5) return 3;            non-negative: unsigned <
  // if ((s8)a < 5) return 4;                  sign-extended to 32 bits
  // return 2;
  F.Body = block(
      loadScalars(A, B),
      ifThen(cmp(OK::SLt, cast(i32(), var(A, u32())), cast(i32(), var(B, u32()))),
             retInt(1)),
      ifThen(cmp(OK::SLt, cast(i32(), cast(u16(), var(A, u32()))), cst(5, i32())),
             retInt(3)),
      ifThen(cmp(OK::SLt, cast(intTy(8, true), var(A, u32())),
                 cst(5, intTy(8, true))),
             retInt(4)),
      retInt(2));
  CompiledProgram P = compileOrDie(F);
  std::string D = disassemble(P.Insns);
  // 32-bit operands are compared as they are, on their low 32 bits (the
  // checker's rules jmp32 and jmp_signed give facts for it).
  EXPECT_NE(D.find("if w7 s< w8 goto"), std::string::npos) << D;
  EXPECT_EQ(D.find(" s>>= "), std::string::npos) << D;
  EXPECT_NE(D.find("r1 &= 65535\n"), std::string::npos) << D;
  EXPECT_NE(D.find("if r1 < 5 goto"), std::string::npos) << D;
  EXPECT_EQ(D.find(" s>= 5"), std::string::npos) << D;
  // (s8)a: its low byte, to 32 bits only when negative, then JMP32.
  EXPECT_NE(D.find("r1 &= 255\n   11: if r1 < 128 goto +1\n"
                   "   12: w1 |= -128\n   13: if w1 s< 5 goto"),
            std::string::npos)
      << D;
}

TEST(CodeGen, BigConstantsUseLddw) {
  unsigned A, B;
  Function F = twoScalars("xdp_lddw", A, B);
  unsigned X = addVar(F, "x", u64());
  F.Body = block(loadScalars(A, B),
                 assign(X, bin(OK::Add, cast(u64(), var(A, u32())),
                               cst(0x123456789ull, u64()))),
                 ifThen(cmp(OK::UGt, var(X, u64()), cst(0xffffffffull, u64())),
                        retInt(1)),
                 ret(cast(i32(), bin(OK::And, var(X, u64()), cst(0xffffffffull, u64())))));
  CompiledProgram P = compileOrDie(F);
  std::string D = disassemble(P.Insns);
  EXPECT_NE(D.find(" = 4886718345 ll\n"), std::string::npos) << D;
  EXPECT_NE(D.find("w1 = -1\n"), std::string::npos) << D; // 0xffffffff, zero-extended
  EXPECT_TRUE(allJumpsForward(P.Insns));
}

TEST(CodeGen, RemainderIsDivideMultiplySubtract) {
  unsigned A, B;
  Function F = twoScalars("xdp_rem", A, B);
  // return a % 10 + a % 8 (the latter a mask)
  F.Body = block(loadScalars(A, B),
                 ret(cast(i32(), bin(OK::Add, bin(OK::URem, var(A, u32()), cst(10, u32())),
                                     bin(OK::URem, var(A, u32()), cst(8, u32()))))));
  CompiledProgram P = compileOrDie(F);
  std::string D = disassemble(P.Insns);
  EXPECT_NE(D.find("r0 = r7\n    3: r1 = r0\n    4: w1 /= 10\n    5: w1 *= 10\n"
                   "    6: w0 -= w1\n"),
            std::string::npos)
      << D;
  EXPECT_NE(D.find("w1 &= 7\n"), std::string::npos) << D;
  EXPECT_EQ(D.find("%="), std::string::npos) << D;
}

TEST(CodeGen, ManyLiveVariablesGetStackHomes) {
  Function F = xdpFunction("xdp_many");
  std::vector<unsigned> V;
  std::vector<StmtPtr> Body;
  for (unsigned K = 0; K < 8; ++K) {
    V.push_back(addVar(F, "v" + std::to_string(K), u32()));
    Body.push_back(assign(V.back(), load(u32(), ptrAdd(var(0, ptrTy()), 12 + 4 * (K % 3)))));
  }
  ExprPtr Sum = var(V[0], u32());
  for (unsigned K = 1; K < 8; ++K)
    Sum = bin(OK::Add, std::move(Sum), var(V[K], u32()));
  Body.push_back(ret(cast(i32(), std::move(Sum))));
  F.Body = blockOf(std::move(Body));
  CompiledProgram P = compileOrDie(F);
  // ctx is live until v7 is loaded: nine values live, four in R6-R9, two in
  // scratch registers (R5, R4: no call, no loop, the statements' needs
  // leave room), three on the stack.
  EXPECT_NE(P.Asm.find("v3 -> r5, v4 -> r4, "), std::string::npos) << P.Asm;
  EXPECT_NE(P.Asm.find("-> [r10-8]"), std::string::npos) << P.Asm;
  EXPECT_NE(P.Asm.find("-> [r10-16]"), std::string::npos) << P.Asm;
  EXPECT_NE(P.Asm.find("-> [r10-24]"), std::string::npos) << P.Asm;
  EXPECT_EQ(P.Asm.find("-> [r10-32]"), std::string::npos) << P.Asm;
  // Stack homes are written and read as whole 8-byte words.
  unsigned Stores = countIf(P.Insns, [](const BpfInsn &I) {
    return bpf::insnClass(I.Code) == bpf::STX && I.Dst == 10;
  });
  unsigned Loads = countIf(P.Insns, [](const BpfInsn &I) {
    return bpf::insnClass(I.Code) == bpf::LDX && I.Src == 10;
  });
  EXPECT_EQ(Stores, 3u);
  EXPECT_EQ(Loads, 3u);
  for (const BpfInsn &I : P.Insns)
    if (I.Dst == 10 || I.Src == 10) {
      EXPECT_EQ(bpf::sizeOf(I.Code), bpf::DW);
      EXPECT_EQ(I.Off % 8, 0);
      EXPECT_LT(I.Off, 0);
    }
}

TEST(CodeGen, ExpressionStatementsKeepLoadsOnly) {
  Function F = xdpFunction("xdp_expr");
  F.Body = block(exprStmt(bin(OK::Add, cst(1, i32()), cst(2, i32()))),
                 exprStmt(load(u32(), ptrAdd(var(0, ptrTy()), 16))),
                 retInt(2));
  CompiledProgram P = compileOrDie(F);
  EXPECT_EQ(disassemble(P.Insns), "    0: r0 = *(u32 *)(r1 + 16)\n"
                                  "    1: w0 = 2\n"
                                  "    2: exit\n");
}

TEST(CodeGen, ExitsCarryThePostCondition) {
  // The code generator does not prove the post; it lowers and records it.
  Function F = passProgram();
  F.Contract = ensureReturnIn({2});
  CompiledProgram P;
  std::string Err;
  ASSERT_TRUE(compileFunction(F, P, Err)) << Err;
  ASSERT_EQ(P.Post.size(), 1u);
  EXPECT_NE(P.Asm.find("# ensure: __return == 2\n"), std::string::npos) << P.Asm;
  EXPECT_NE(P.Asm.find("exit                                    # 1: post: R0 == 2\n"),
            std::string::npos)
      << P.Asm;
}

TEST(CodeGen, UnsupportedInputsAreReported) {
  CompiledProgram P;
  std::string Err;
  {
    unsigned A, B;
    Function F = twoScalars("xdp_sdiv", A, B);
    F.Body = block(loadScalars(A, B),
                   ret(bin(OK::SDiv, cast(i32(), var(A, u32())),
                           cast(i32(), var(B, u32())))));
    EXPECT_FALSE(compileFunction(F, P, Err));
    EXPECT_EQ(Err.rfind("not supported yet: signed division", 0), 0u) << Err;
  }
  {
    Function F = xdpFunction("xdp_noret");
    unsigned A = addVar(F, "a", u32());
    F.Body = block(assign(A, cst(1, u32())));
    Err.clear();
    EXPECT_FALSE(compileFunction(F, P, Err));
    EXPECT_NE(Err.find("without a return"), std::string::npos) << Err;
  }
  {
    Function F = xdpFunction("xdp_twoparams");
    addVar(F, "x", u32());
    F.NumParams = 2;
    F.Body = block(retInt(2));
    Err.clear();
    EXPECT_FALSE(compileFunction(F, P, Err));
    EXPECT_EQ(Err.rfind("not supported yet:", 0), 0u) << Err;
  }
  {
    Function F = passProgram();
    auto Ann = std::make_shared<Annotation>();
    auto Pred = std::make_shared<Assertion>();
    Pred->K = Assertion::Kind::Pred;
    Pred->Name = "store_uchar_array";
    Ann->K = Annotation::Kind::Contract;
    Ann->Post = Pred;
    F.Contract = Ann;
    Err.clear();
    EXPECT_FALSE(compileFunction(F, P, Err));
    EXPECT_EQ(Err.rfind("not supported yet: predicate 'store_uchar_array'", 0), 0u)
        << Err;
  }
  {
    Function F = xdpFunction("xdp_badtype");
    F.Body = block(ret(cst(1, intTy(24, false))));
    Err.clear();
    EXPECT_FALSE(compileFunction(F, P, Err));
    EXPECT_EQ(Err.rfind("not supported yet:", 0), 0u) << Err;
  }
  {
    Function F = xdpFunction("xdp_malformed");
    auto E = mk(EK::Binary, i32());
    E->Op = OK::Add;
    E->Ops.push_back(cst(1, i32())); // one operand only
    F.Body = block(ret(std::move(E)));
    Err.clear();
    EXPECT_FALSE(compileFunction(F, P, Err));
    EXPECT_EQ(Err.rfind("internal error:", 0), 0u) << Err;
  }
}

// ---- The assembly text assembles to the same instructions ------------------

namespace {

/// Section contents of every function symbol in an object file.
std::map<std::string, std::vector<uint8_t>> functionBytes(const std::string &Path) {
  std::map<std::string, std::vector<uint8_t>> Out;
  elf_version(EV_CURRENT);
  int Fd = open(Path.c_str(), O_RDONLY);
  if (Fd < 0)
    return Out;
  Elf *E = elf_begin(Fd, ELF_C_READ, nullptr);
  Elf_Scn *Scn = nullptr;
  while (E && (Scn = elf_nextscn(E, Scn))) {
    GElf_Shdr Sh;
    gelf_getshdr(Scn, &Sh);
    if (Sh.sh_type != SHT_SYMTAB)
      continue;
    Elf_Data *D = elf_getdata(Scn, nullptr);
    for (size_t I = 0; I < Sh.sh_size / Sh.sh_entsize; ++I) {
      GElf_Sym Sym;
      gelf_getsym(D, int(I), &Sym);
      if (GELF_ST_BIND(Sym.st_info) != STB_GLOBAL || Sym.st_shndx == 0 ||
          Sym.st_shndx >= SHN_LORESERVE)
        continue;
      Elf_Scn *Target = elf_getscn(E, Sym.st_shndx);
      GElf_Shdr TSh;
      gelf_getshdr(Target, &TSh);
      if (!(TSh.sh_flags & SHF_EXECINSTR))
        continue;
      Elf_Data *TD = elf_getdata(Target, nullptr);
      const uint8_t *B = static_cast<const uint8_t *>(TD->d_buf);
      Out[elf_strptr(E, Sh.sh_link, Sym.st_name)] =
          std::vector<uint8_t>(B + Sym.st_value, B + TD->d_size);
    }
  }
  if (E)
    elf_end(E);
  close(Fd);
  return Out;
}

} // namespace

TEST(CodeGen, AsmAssemblesToTheSameInstructions) {
  if (access(VEP_LLVM_MC, X_OK) != 0)
    GTEST_SKIP() << VEP_LLVM_MC << " not found";
  std::vector<CompiledProgram> Progs;
  Progs.push_back(compileOrDie(passProgram()));
  Progs.push_back(compileOrDie(ethProgram()));
  Progs.push_back(compileOrDie(ihlProgram()));
  {
    unsigned A, B;
    Function F = twoScalars("xdp_mix", A, B);
    unsigned X = addVar(F, "x", u64());
    F.Section = "xdp/mix";
    F.Body = block(
        loadScalars(A, B),
        assign(X, bin(OK::Add, cast(u64(), var(A, u32())), cst(0x123456789ull, u64()))),
        ifThen(cmp(OK::SLt, cast(i32(), var(A, u32())), cst(uint64_t(-3), i32())),
               ret(cast(i32(), bin(OK::AShr, cast(i64(), var(X, u64())), cst(3, i64()))))),
        ret(cast(i32(), cond(land(cmp(OK::Ne, var(A, u32()), var(B, u32())),
                                  cmp(OK::UGe, var(X, u64()), cst(7, u64()))),
                             bin(OK::Xor, un(OK::Neg, var(X, u64())),
                                 bin(OK::UDiv, var(X, u64()), cst(16, u64()))),
                             cast(u64(), bin(OK::URem, un(OK::Not, var(B, u32())),
                                             var(A, u32())))))));
    Progs.push_back(compileOrDie(F));
  }
  for (const CompiledProgram &P : Progs)
    ASSERT_FALSE(P.Name.empty());
  std::string Dir = testing::TempDir();
  std::string S = Dir + "/vep_cg_asm_test.s", O = Dir + "/vep_cg_asm_test.o";
  {
    std::ofstream Out(S);
    Out << writeAssembly(Progs, "Dual BSD/GPL");
  }
  std::string Cmd = std::string(VEP_LLVM_MC) + " -triple bpf -filetype=obj -o " +
                    O + " " + S + " 2>&1";
  ASSERT_EQ(system(Cmd.c_str()), 0) << Cmd;
  auto Bytes = functionBytes(O);
  ASSERT_EQ(Bytes.size(), Progs.size());
  for (const CompiledProgram &P : Progs)
    EXPECT_EQ(Bytes[P.Name], encodeInsns(P.Insns)) << P.Name << "\n" << P.Asm;
  unlink(S.c_str());
  unlink(O.c_str());
}

TEST(CodeGen, FormatInsnMatchesObjdumpSyntax) {
  std::vector<BpfInsn> I = {
      bpf::ldx(4, 1, 1, 0),     bpf::ldx(8, 2, 10, -8),
      bpf::stx(2, 3, 12, 4),    bpf::aluImm(true, bpf::ADD, 3, 14),
      bpf::aluReg(false, bpf::ARSH, 1, 2), bpf::movImm32(0, -1),
      bpf::neg(true, 5),        bpf::jmpReg(bpf::JGT, 2, 3, 1),
      bpf::jmpImm(bpf::JSLE, 2, -7, 0), bpf::aluImm(true, bpf::MOD, 1, 3),
      bpf::ja(0),               bpf::exitInsn()};
  EXPECT_EQ(disassemble(I), "    0: r1 = *(u32 *)(r1 + 0)\n"
                            "    1: r2 = *(u64 *)(r10 - 8)\n"
                            "    2: *(u16 *)(r3 + 12) = r4\n"
                            "    3: r3 += 14\n"
                            "    4: w1 s>>= w2\n"
                            "    5: w0 = -1\n"
                            "    6: r5 = -r5\n"
                            "    7: if r2 > r3 goto +1\n"
                            "    8: if r2 s<= -7 goto +0\n"
                            "    9: r1 %= 3\n"
                            "   10: goto +0\n"
                            "   11: exit\n");
  BpfInsn Lo, Hi;
  bpf::lddw(3, 0x100000000ull, Lo, Hi);
  EXPECT_EQ(formatInsn({Lo, Hi}, 0), "r3 = 4294967296 ll");
  EXPECT_EQ(formatInsn({Lo, Hi}, 1), "");
  std::vector<BpfInsn> Round;
  ASSERT_TRUE(decodeInsns(encodeInsns(I).data(), I.size() * 8, Round));
  EXPECT_EQ(Round, I);
}
