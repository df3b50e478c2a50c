//===- CodeGenPeepholeTest.cpp - Clean-ups of finished code ---------------===//
//
// lib/Peephole.cpp on hand-written instruction lists (labels symbolic, as
// the code generator hands them over): before and after, and what it must
// leave alone (values that differ on some path into a label, loop heads,
// stores, calls, redefined base registers).
//
//===----------------------------------------------------------------------===//

#include "../lib/CodeGenInternal.h"

#include <gtest/gtest.h>

using namespace vep::compiler;

namespace {

/// Instructions with labels: `L(n)` binds label n at the next instruction,
/// `J(insn, n)` is a jump to label n.
struct Prog {
  std::vector<MInsn> Code;
  std::vector<long> LabelPos;
  std::vector<bool> IsHead;

  Prog &I(const BpfInsn &X) {
    MInsn M;
    M.I = X;
    Code.push_back(M);
    return *this;
  }
  Prog &J(const BpfInsn &X, int Label) {
    MInsn M;
    M.I = X;
    M.Target = Label;
    Code.push_back(M);
    grow(Label);
    return *this;
  }
  Prog &L(int Label, bool Head = false) {
    grow(Label);
    LabelPos[size_t(Label)] = long(Code.size());
    IsHead[size_t(Label)] = Head;
    return *this;
  }
  void grow(int Label) {
    if (LabelPos.size() <= size_t(Label)) {
      LabelPos.resize(size_t(Label) + 1, -1);
      IsHead.resize(size_t(Label) + 1, false);
    }
  }
  /// Runs the peephole pass; the result with resolved jump offsets.
  std::string run() {
    peephole(Code, LabelPos, IsHead);
    std::vector<BpfInsn> Out;
    for (size_t K = 0; K < Code.size(); ++K) {
      BpfInsn X = Code[K].I;
      if (Code[K].Target >= 0)
        X.Off = int16_t(LabelPos[size_t(Code[K].Target)] - long(K) - 1);
      Out.push_back(X);
    }
    return disassemble(Out);
  }
};

using namespace bpf;

} // namespace

// `w0 = 2` again after `if ... goto exit` (R0 = 2 on the only path): gone,
// and then the jump, now to the next instruction.
TEST(CodeGenPeephole, RepeatedConstantMoveAndJumpToNext) {
  Prog P;
  P.I(movImm32(0, 2)).J(jmpReg(JGT, 1, 2, 0), 0).I(movImm32(0, 2)).L(0).I(exitInsn());
  EXPECT_EQ(P.run(), "    0: w0 = 2\n"
                     "    1: exit\n");
}

// Different values on the paths into a label: the move stays. w0 = -1 and
// r0 = -1 are different values (zero- vs sign-extended).
TEST(CodeGenPeephole, ValuesMeetAtLabels) {
  Prog P;
  P.I(movImm32(0, 1))
      .I(stx(8, 10, -16, 0))
      .J(jmpReg(JGT, 1, 2, 0), 0)
      .I(movImm32(0, 2))
      .I(stx(8, 10, -16, 0))
      .L(0)
      .I(movImm32(0, 2))
      .I(movImm32(3, -1))
      .I(stx(8, 10, -8, 3))
      .I(movImm64(3, -1))
      .I(movImm64(3, -1))
      .I(stx(8, 10, -8, 3))
      .I(exitInsn());
  EXPECT_EQ(P.run(), "    0: w0 = 1\n"
                     "    1: *(u64 *)(r10 - 16) = r0\n"
                     "    2: if r1 > r2 goto +2\n"
                     "    3: w0 = 2\n"
                     "    4: *(u64 *)(r10 - 16) = r0\n"
                     "    5: w0 = 2\n"
                     "    6: w3 = -1\n"
                     "    7: *(u64 *)(r10 - 8) = r3\n"
                     "    8: r3 = -1\n"
                     "    9: *(u64 *)(r10 - 8) = r3\n"
                     "   10: exit\n");
}

// A loop head is entered by its back edge too: nothing is known there.
TEST(CodeGenPeephole, LoopHeadsForget) {
  Prog P;
  P.I(movImm32(9, 0))
      .L(0, /*Head=*/true)
      .I(movImm32(9, 0))
      .I(aluImm(false, ADD, 8, 1))
      .J(jmpImm(JLT, 8, 4, 0), 0)
      .I(movImm32(9, 0))
      .I(exitInsn());
  EXPECT_EQ(P.run(), "    0: w9 = 0\n"
                     "    1: w9 = 0\n"
                     "    2: w8 += 1\n"
                     "    3: if r8 < 4 goto -3\n"
                     "    4: exit\n");
}

// The same load into the same register, base unchanged, no store between:
// the register still holds it. A store, a redefined base or a redefined
// destination keep the next load.
TEST(CodeGenPeephole, RepeatedLoads) {
  Prog P;
  P.I(ldx(1, 1, 6, 23))
      .I(movImm32(0, 1))
      .J(jmpImm(JEQ, 1, 1, 0), 0)
      .I(ldx(1, 1, 6, 23)) // gone
      .J(jmpImm(JEQ, 1, 6, 0), 0)
      .I(stx(1, 6, 30, 2))
      .I(ldx(1, 1, 6, 23)) // after a store: stays
      .I(aluImm(true, ADD, 6, 1))
      .I(ldx(1, 1, 6, 23)) // base moved: stays
      .I(movImm32(1, 0))
      .J(jmpImm(JEQ, 1, 7, 0), 0)
      .I(ldx(1, 1, 6, 23)) // destination overwritten: stays
      .I(ldx(1, 1, 1, 0))  // loads through itself: stays
      .I(ldx(1, 1, 1, 0))
      .L(0)
      .I(exitInsn());
  EXPECT_EQ(P.run(), "    0: r1 = *(u8 *)(r6 + 23)\n"
                     "    1: w0 = 1\n"
                     "    2: if r1 == 1 goto +10\n"
                     "    3: if r1 == 6 goto +9\n"
                     "    4: *(u8 *)(r6 + 30) = r2\n"
                     "    5: r1 = *(u8 *)(r6 + 23)\n"
                     "    6: r6 += 1\n"
                     "    7: r1 = *(u8 *)(r6 + 23)\n"
                     "    8: w1 = 0\n"
                     "    9: if r1 == 7 goto +3\n"
                     "   10: r1 = *(u8 *)(r6 + 23)\n"
                     "   11: r1 = *(u8 *)(r1 + 0)\n"
                     "   12: r1 = *(u8 *)(r1 + 0)\n"
                     "   13: exit\n");
}

// A helper call changes R0-R5 and memory: nothing known before it is
// known after it (the constant and the load are repeated).
TEST(CodeGenPeephole, CallsForgetEverything) {
  Prog P;
  P.I(movImm32(1, 2))
      .I(ldx(1, 7, 6, 23))
      .I(call(1))
      .I(movImm32(1, 2))
      .I(ldx(1, 7, 6, 23))
      .J(jmpReg(JEQ, 1, 7, 0), 0)
      .I(movImm32(0, 0))
      .L(0)
      .I(exitInsn());
  EXPECT_EQ(P.run(), "    0: w1 = 2\n"
                     "    1: r7 = *(u8 *)(r6 + 23)\n"
                     "    2: call 1\n"
                     "    3: w1 = 2\n"
                     "    4: r7 = *(u8 *)(r6 + 23)\n"
                     "    5: if r1 == r7 goto +1\n"
                     "    6: w0 = 0\n"
                     "    7: exit\n");
}

// An ALU result no path reads is removed (`r8 = r0` after a call whose
// result is then returned from R0); every register is read at a loop head,
// R0 at exit, R1-R5 by a call, and a value read on one path stays.
TEST(CodeGenPeephole, DeadResultsAreRemoved) {
  Prog P;
  P.I(call(1))
      .I(mov64(8, 0))      // dead
      .I(aluImm(false, MUL, 0, 4))
      .I(movImm32(2, 7))   // read by the call
      .I(movImm32(3, 1))   // read on one path
      .J(jmpImm(JEQ, 0, 0, 0), 0)
      .I(call(2))
      .I(movImm32(3, 5))   // dead: overwritten on the way to exit
      .L(0)
      .I(mov64(4, 3))      // dead: exit reads R0 only
      .I(aluImm(true, ADD, 0, 1))
      .I(exitInsn());
  EXPECT_EQ(P.run(), "    0: call 1\n"
                     "    1: w0 *= 4\n"
                     "    2: w2 = 7\n"
                     "    3: w3 = 1\n"
                     "    4: if r0 == 0 goto +1\n"
                     "    5: call 2\n"
                     "    6: r0 += 1\n"
                     "    7: exit\n");
  Prog Q; // loop head: everything is read there
  Q.I(movImm32(6, 0))
      .L(0, /*Head=*/true)
      .I(aluImm(false, ADD, 6, 1))
      .J(jmpImm(JLT, 6, 4, 0), 0)
      .I(movImm32(0, 0))
      .I(exitInsn());
  EXPECT_EQ(Q.run(), "    0: w6 = 0\n"
                     "    1: w6 += 1\n"
                     "    2: if r6 < 4 goto -2\n"
                     "    3: w0 = 0\n"
                     "    4: exit\n");
}

// A call's result moved to a home only to be compared: the jump tests R0
// and the move goes. Not when the home is read after the jump, a label
// lets another path reach the jump, or a slot between writes either
// register.
TEST(CodeGenPeephole, CopiesIntoJumps) {
  auto Chain = [](Prog &P) -> Prog & {
    return P.I(call(1)).I(mov64(9, 0)).I(movImm32(6, 1));
  };
  Prog P;
  Chain(P).J(jmpImm(JEQ, 9, 17, 0), 0).I(movImm32(6, 0)).L(0).I(mov64(0, 6)).I(exitInsn());
  EXPECT_EQ(P.run(), "    0: call 1\n"
                     "    1: w6 = 1\n"
                     "    2: if r0 == 17 goto +1\n"
                     "    3: w6 = 0\n"
                     "    4: r0 = r6\n"
                     "    5: exit\n");
  Prog Read; // r9 read after the jump
  Chain(Read).J(jmpImm(JEQ, 9, 17, 0), 0).I(movImm32(6, 0)).L(0).I(aluReg(true, ADD, 9, 6))
      .I(mov64(0, 9)).I(exitInsn());
  std::string R = Read.run();
  EXPECT_NE(R.find("if r9 == 17"), std::string::npos) << R;
  Prog Joined; // another path reaches the jump with r9 = 4
  Joined.I(call(1)).I(mov64(9, 0)).J(jmpImm(JNE, 9, 3, 0), 1).I(movImm32(9, 4))
      .L(1).J(jmpImm(JEQ, 9, 17, 0), 0).I(movImm32(0, 0)).L(0).I(exitInsn());
  EXPECT_NE(Joined.run().find("if r9 == 17"), std::string::npos);
  Prog Written; // r0 changes before the jump
  Written.I(call(1)).I(mov64(9, 0)).I(movImm32(0, 2)).J(jmpImm(JEQ, 9, 17, 0), 0)
      .I(movImm32(0, 1)).L(0).I(exitInsn());
  EXPECT_NE(Written.run().find("if r9 == 17"), std::string::npos);
}

// `goto L` with `exit` at L is that exit (R0 is set); a back edge to a loop
// head stays a jump.
TEST(CodeGenPeephole, GotoExitIsExit) {
  Prog P;
  P.J(jmpImm(JEQ, 1, 0, 0), 1)
      .I(movImm32(0, 1))
      .J(ja(0), 0)
      .L(1)
      .I(movImm32(0, 2))
      .L(0)
      .I(exitInsn());
  EXPECT_EQ(P.run(), "    0: if r1 == 0 goto +2\n"
                     "    1: w0 = 1\n"
                     "    2: exit\n"
                     "    3: w0 = 2\n"
                     "    4: exit\n");
  Prog Q;
  Q.I(movImm32(8, 0))
      .L(0, /*Head=*/true)
      .I(aluImm(false, ADD, 8, 1))
      .J(jmpImm(JGE, 8, 4, 0), 1)
      .J(ja(0), 0)
      .L(1)
      .I(exitInsn());
  EXPECT_EQ(Q.run(), "    0: w8 = 0\n"
                     "    1: w8 += 1\n"
                     "    2: if r8 >= 4 goto +1\n"
                     "    3: goto -3\n"
                     "    4: exit\n");
}

// Notes of a removed instruction go to the next one.
TEST(CodeGenPeephole, NotesMoveOn) {
  Prog P;
  P.I(movImm32(0, 2)).I(movImm32(0, 2)).I(exitInsn());
  P.Code[1].Notes = {"line 7: x -> r0"};
  P.run();
  ASSERT_EQ(P.Code.size(), 2u);
  EXPECT_EQ(P.Code[1].Notes, std::vector<std::string>{"line 7: x -> r0"});
}
