//===- CodeGenOptTest.cpp - The code generator's optimisations ------------===//
//
// Programs for each optimisation of CodeGen.cpp and CodeGenRewrite.cpp,
// often next to a variant where it must not apply: exact listings or the
// instructions that show it, and for every program the checker accepts the
// proof (cut points included) and the kernel's results on a set of packets
// are the reference interpreter's. (Peephole.cpp: CodeGenPeepholeTest.cpp.)
//
//===----------------------------------------------------------------------===//

#include "CodeGenRandom.h"

#include "vep/compiler/ProofWriter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>

using namespace cgtest;
using namespace vep::compiler;

namespace {

Type bytePtr() { return ptrTy(1, "unsigned char *"); }
ExprPtr D() { return var(1, bytePtr()); }
ExprPtr End() { return var(2, bytePtr()); }
ExprPtr byteAt(ExprPtr P, int64_t Off) {
  return cast(u32(), load(u8(), ptrAdd(std::move(P), Off)));
}

/// An XDP function whose variables 1 and 2 are data and data_end, assigned
/// first (the reference interpreter's layout).
Function packetFunction(const std::string &Name) {
  Function F = xdpFunction(Name);
  addVar(F, "data", bytePtr());
  addVar(F, "data_end", bytePtr());
  return F;
}
StmtPtr body(std::vector<StmtPtr> Rest) {
  std::vector<StmtPtr> B;
  B.push_back(assign(1, retype(ctxField(0), bytePtr()), 2));
  B.push_back(assign(2, retype(ctxField(4), bytePtr()), 3));
  for (auto &S : Rest)
    B.push_back(std::move(S));
  return blockOf(std::move(B));
}
template <typename... Ss> StmtPtr body(Ss... S) {
  std::vector<StmtPtr> V;
  addAll(V, std::move(S)...);
  return body(std::move(V));
}

/// Inv 0 <= i && i <= N && data + Need <= data_end (variant inferred).
std::shared_ptr<const Annotation> countInv(const std::string &I, unsigned N,
                                           unsigned Need) {
  auto Plus = std::make_shared<Term>();
  Plus->K = Term::Kind::Binary;
  Plus->Op = "+";
  Plus->Args = {vr("data"), lit(Need)};
  auto A = std::make_shared<Annotation>();
  A->K = Annotation::Kind::Inv;
  A->Pre = conn(Assertion::Kind::And,
                conn(Assertion::Kind::And, cmpA("<=", lit(0), vr(I)),
                     cmpA("<=", vr(I), lit(N))),
                cmpA("<=", Plus, vr("data_end")));
  return A;
}
/// i = 0; for (; i < N; i++) Body   (a block: i = 0 right before the loop)
StmtPtr countLoop(unsigned I, unsigned N, unsigned Need, StmtPtr Body) {
  auto L = mks(SK::Loop);
  L->Cond = cmp(OK::ULt, var(I, u32()), cst(N, u32()));
  L->Then = std::move(Body);
  L->Step = assign(I, bin(OK::Add, var(I, u32()), cst(1, u32())));
  L->Annot = countInv("i", N, Need);
  return block(assign(I, cst(0, u32())), std::move(L));
}

/// Compiles F; the checker accepts its proof; in the kernel it returns what
/// the reference interpreter does (or Expect, for programs reading the
/// context, which the interpreter does not model) on packets of many
/// lengths and contents.
CompiledProgram agrees(const Function &F,
                       std::function<uint32_t(const std::vector<uint8_t> &)> Expect = {}) {
  CompiledProgram P;
  std::string Err;
  EXPECT_TRUE(compileFunction(F, P, Err)) << F.Name << ": " << Err;
  if (P.Name.empty())
    return P;
  ProofWriteResult R = writeProof(writeObject({P}, "GPL"), {{P.Section, P.Post, P.Cuts}});
  EXPECT_TRUE(R.Ok) << F.Name << ": " << R.Error << "\n" << P.Asm;
  std::string Why;
  if (!kernelAcceptsBpf(Why))
    return P;
  Loaded L;
  if (!loadObject(writeObject({P}, "GPL"), F.Name, L, Why)) {
    ADD_FAILURE() << "kernel refused " << F.Name << ": " << Why << "\n" << P.Asm;
    return P;
  }
  std::mt19937_64 Rng(F.Name.size() * 131 + 7);
  for (size_t Len : {14, 15, 16, 20, 33, 34, 35, 40, 48, 60, 64, 72, 100}) {
    for (int K = 0; K < 4; ++K) {
      std::vector<uint8_t> Pkt(Len);
      for (auto &B : Pkt)
        B = uint8_t(Rng());
      if (K == 1)
        for (auto &B : Pkt)
          B &= 0x0f; // small values: 8 at 12, 7 at i, ...
      if (K == 2 && Len > 14) {
        Pkt[12] = 0x08, Pkt[13] = 0;
        Pkt[14] = uint8_t(0x40 | (Pkt[14] & 15));
      }
      bool Bad = false;
      uint32_t Want = Expect ? Expect(Pkt) : reference(F, Pkt, Bad);
      EXPECT_FALSE(Bad) << F.Name << ": reference hit UB, len " << Len;
      uint32_t Got = 0;
      EXPECT_TRUE(runXdp(L.Fd, Pkt, Got));
      EXPECT_EQ(Got, Want) << F.Name << " len " << Len << " run " << K << "\n" << P.Asm;
    }
  }
  return P;
}

unsigned countIf(const std::vector<BpfInsn> &I,
                 const std::function<bool(const BpfInsn &)> &P) {
  return unsigned(std::count_if(I.begin(), I.end(), P));
}

bool has(const std::string &Asm, const std::string &S) {
  return Asm.find(S) != std::string::npos;
}

} // namespace

// ---- Forwarding (CodeGenRewrite.cpp) ----------------------------------------

// eth = data and ip = data + 14 cost nothing: ip->protocol is one load at
// data + 23 and the bound is data + 34. When ip is assigned twice it has a
// home and every use goes through it.
TEST(CodeGenOpt, CopiesAndOffsetsAreForwarded) {
  auto Make = [](bool Twice) {
    Function F = packetFunction(Twice ? "fwd_before" : "fwd_after");
    unsigned Eth = addVar(F, "eth", ptrTy(14, "struct ethhdr *"));
    unsigned Ip = addVar(F, "ip", ptrTy(20, "struct iphdr *"));
    auto IpP = [&] { return retype(var(Ip, ptrTy(20, "struct iphdr *")), bytePtr()); };
    std::vector<StmtPtr> B;
    B.push_back(assign(Eth, retype(D(), ptrTy(14, "struct ethhdr *")), 4));
    B.push_back(assign(Ip, retype(ptrAdd(D(), 14), ptrTy(20, "struct iphdr *")), 5));
    if (Twice)
      B.push_back(ifThen(cmp(OK::Eq, D(), End()),
                         assign(Ip, retype(ptrAdd(D(), 14), ptrTy(20, "struct iphdr *")))));
    B.push_back(ifThen(cmp(OK::UGt, ptrAdd(IpP(), 20), End()), retInt(0)));
    B.push_back(ifThen(cmp(OK::Ne, cast(u32(), load(u16(), ptrAdd(retype(var(Eth, ptrTy(14, "struct ethhdr *")), bytePtr()), 12))),
                           cst(8, u32())),
                       retInt(0)));
    B.push_back(ret(cast(i32(), byteAt(IpP(), 9))));
    F.Body = body(std::move(B));
    return F;
  };
  CompiledProgram After = agrees(Make(false));
  EXPECT_EQ(disassemble(After.Insns), "    0: r7 = *(u32 *)(r1 + 0)\n"
                                      "    1: r8 = *(u32 *)(r1 + 4)\n"
                                      "    2: w0 = 0\n"
                                      "    3: r1 = r7\n"
                                      "    4: r1 += 34\n"
                                      "    5: if r1 > r8 goto +3\n"
                                      "    6: r1 = *(u16 *)(r7 + 12)\n"
                                      "    7: if r1 != 8 goto +1\n"
                                      "    8: r0 = *(u8 *)(r7 + 23)\n"
                                      "    9: exit\n");
  EXPECT_TRUE(has(After.Asm, "# line 4: eth is forwarded: no code, its uses read its value\n"))
      << After.Asm;
  EXPECT_TRUE(has(After.Asm, "# line 5: ip is forwarded: no code, its uses read its value\n"))
      << After.Asm;
  CompiledProgram Before = agrees(Make(true));
  EXPECT_EQ(disassemble(Before.Insns), "    0: r7 = *(u32 *)(r1 + 0)\n"
                                       "    1: r8 = *(u32 *)(r1 + 4)\n"
                                       "    2: r6 = r7\n"
                                       "    3: r6 += 14\n"
                                       "    4: if r7 != r8 goto +2\n"
                                       "    5: r6 = r7\n"
                                       "    6: r6 += 14\n"
                                       "    7: w0 = 0\n"
                                       "    8: r1 = r6\n"
                                       "    9: r1 += 20\n"
                                       "   10: if r1 > r8 goto +3\n"
                                       "   11: r1 = *(u16 *)(r7 + 12)\n"
                                       "   12: if r1 != 8 goto +1\n"
                                       "   13: r0 = *(u8 *)(r6 + 9)\n"
                                       "   14: exit\n");
}

// The base of a forwarded value must keep its value up to the last use: q =
// p then p++ before q's use gives q a home (a copy). A loop between the
// assignment and a use gives it a home too (a cut point names only
// variables with homes): q = data + 14 is then bound as `data + 14`.
TEST(CodeGenOpt, ForwardingNeedsAnUnchangedBaseAndNoLoop) {
  {
    Function F = packetFunction("fwd_base");
    unsigned P = addVar(F, "p", bytePtr()), Q = addVar(F, "q", bytePtr());
    F.Body = body(assign(P, ptrAdd(D(), 2)),
                  ifThen(cmp(OK::UGt, ptrAdd(D(), 8), End()), retInt(0)),
                  assign(Q, var(P, bytePtr())),
                  assign(P, ptrAdd(var(P, bytePtr()), 1)),
                  ret(cast(i32(), bin(OK::Add, byteAt(var(Q, bytePtr()), 0),
                                      byteAt(var(P, bytePtr()), 0)))));
    CompiledProgram C = agrees(F);
    EXPECT_EQ(disassemble(C.Insns), "    0: r7 = *(u32 *)(r1 + 0)\n"
                                    "    1: r8 = *(u32 *)(r1 + 4)\n"
                                    "    2: r6 = r7\n"
                                    "    3: r6 += 2\n"
                                    "    4: w0 = 0\n"
                                    "    5: r1 = r7\n"
                                    "    6: r1 += 8\n"
                                    "    7: if r1 > r8 goto +5\n"
                                    "    8: r7 = r6\n"
                                    "    9: r6 += 1\n"
                                    "   10: r0 = *(u8 *)(r7 + 0)\n"
                                    "   11: r1 = *(u8 *)(r6 + 0)\n"
                                    "   12: w0 += w1\n"
                                    "   13: exit\n");
  }
  {
    Function F = packetFunction("fwd_loop");
    unsigned Q = addVar(F, "q", bytePtr()), S = addVar(F, "s", u32());
    unsigned I = addVar(F, "i", u32());
    F.Body = body(
        ifThen(cmp(OK::UGt, ptrAdd(D(), 24), End()), retInt(0)),
        assign(Q, ptrAdd(D(), 14)), assign(S, cst(0, u32())),
        countLoop(I, 4, 24,
                  assign(S, bin(OK::Add, var(S, u32()),
                                byteAt(ptrAdd(var(Q, bytePtr()), cast(i64(), var(I, u32()))), 0)))),
        ret(cast(i32(), var(S, u32()))));
    CompiledProgram C = agrees(F);
    ASSERT_EQ(C.Cuts.size(), 1u);
    EXPECT_TRUE(has(C.Asm, "#   r6 = data + 14  (q)\n")) << C.Asm;
    EXPECT_FALSE(has(C.Asm, "q is forwarded")) << C.Asm;
  }
}

// A constant is forwarded (`w0 += 5`); dead = a * 3 is never read and emits
// nothing; an unread load stays (it may fault); a variable whose address a
// helper call takes (`&k`) keeps its home and its store into the buffer.
TEST(CodeGenOpt, ConstantsForwardedDeadValuesDropped) {
  Function F = packetFunction("consts");
  unsigned A = addVar(F, "a", u32()), K = addVar(F, "k", u32());
  unsigned Dead = addVar(F, "dead", u32()), Ld = addVar(F, "ld", u32());
  F.Body = body(ifThen(cmp(OK::UGt, ptrAdd(D(), 16), End()), retInt(0)),
                assign(A, byteAt(D(), 3)), assign(K, cst(5, u32())),
                assign(Dead, bin(OK::Mul, var(A, u32()), cst(3, u32()))),
                assign(Ld, cast(u32(), load(u16(), ptrAdd(D(), 14)))),
                ret(cast(i32(), bin(OK::Add, var(A, u32()), var(K, u32())))));
  CompiledProgram C = agrees(F);
  EXPECT_EQ(disassemble(C.Insns), "    0: r7 = *(u32 *)(r1 + 0)\n"
                                  "    1: r8 = *(u32 *)(r1 + 4)\n"
                                  "    2: w0 = 0\n"
                                  "    3: r1 = r7\n"
                                  "    4: r1 += 16\n"
                                  "    5: if r1 > r8 goto +4\n"
                                  "    6: r6 = *(u8 *)(r7 + 3)\n"
                                  "    7: r8 = *(u16 *)(r7 + 14)\n"
                                  "    8: r0 = r6\n"
                                  "    9: w0 += 5\n"
                                  "   10: exit\n");
  EXPECT_TRUE(has(C.Asm, "k is forwarded: no code")) << C.Asm;
  EXPECT_TRUE(has(C.Asm, "dead is never read: no code\n")) << C.Asm;

  std::vector<MapDef> Maps = {mapDef("m", /*BPF_MAP_TYPE_ARRAY*/ 2, 4, 8, 16)};
  Function G = xdpFunction("addr_taken");
  unsigned Key = addVar(G, "key", u32()), Val = addVar(G, "val", ptrTy(8, "__u64 *"));
  G.Body = block(assign(Key, cst(3, u32())),
                 assign(Val, helperCall(HelperMapLookupElem, ptrTy(8, "__u64 *"), mapAddr(0),
                                        addrOf(Key, u32()))),
                 ifThen(cmp(OK::Eq, var(Val, ptrTy()), cst(0, ptrTy())), retInt(1)),
                 retInt(2));
  CompiledProgram H = compileOrDie(G, Maps);
  EXPECT_FALSE(has(H.Asm, "key is forwarded")) << H.Asm;
  EXPECT_TRUE(has(H.Asm, "*(u32 *)(r10 - 8) = r6")) << H.Asm;
}

// A value assigned again before any read emits nothing, across a guard
// that returns (a return reads no local); one read before the next
// assignment, or with a loop between (its head may state it), stays.
// (The function's last w is read by its return.)
TEST(CodeGenOpt, ValuesAssignedAgainBeforeAReadDropped) {
  Function F = packetFunction("again");
  unsigned V = addVar(F, "v", u32()), W = addVar(F, "w", u32());
  F.Body = body(assign(V, cst(3, u32())), assign(W, cst(4, u32())),
                ifThen(cmp(OK::UGt, ptrAdd(D(), 16), End()), retInt(0)),
                assign(V, byteAt(D(), 3)),
                ifThen(cmp(OK::Eq, var(W, u32()), var(V, u32())), retInt(1)),
                assign(W, byteAt(D(), 4)),
                ret(cast(i32(), bin(OK::Add, var(V, u32()), var(W, u32())))));
  CompiledProgram C = agrees(F);
  EXPECT_TRUE(has(C.Asm, "v is not read before it is assigned again or the "
                         "function returns: no code\n"))
      << C.Asm;
  EXPECT_FALSE(has(C.Asm, "w is not read before")) << C.Asm;

  Function G = packetFunction("again_loop");
  unsigned X = addVar(G, "x", u32()), I = addVar(G, "i", u32());
  unsigned S = addVar(G, "s", u32());
  G.Body = body(assign(X, cst(3, u32())),
                ifThen(cmp(OK::UGt, ptrAdd(D(), 16), End()), retInt(0)),
                countLoop(I, 4, 16, assign(S, var(I, u32()))),
                assign(X, byteAt(D(), 3)), ret(cast(i32(), var(X, u32()))));
  CompiledProgram H = agrees(G);
  EXPECT_FALSE(has(H.Asm, "x is not read before")) << H.Asm;
}

// ---- Returns ------------------------------------------------------------------

// `if (c) return 3;` inside a loop: R0 = 3, then a jump to the exit after
// the loop (no exit inside the loop).
TEST(CodeGenOpt, EarlyReturnInALoopJumpsToTheExitAfterIt) {
  Function F = packetFunction("ret_loop");
  unsigned S = addVar(F, "s", u32()), I = addVar(F, "i", u32());
  auto At = [&] { return ptrAdd(D(), cast(i64(), var(I, u32()))); };
  F.Body = body(
      ifThen(cmp(OK::UGt, ptrAdd(D(), 8), End()), retInt(0)), assign(S, cst(0, u32())),
      countLoop(I, 8, 8,
                block(ifThen(cmp(OK::Eq, byteAt(At(), 0), cst(7, u32())), retInt(3)),
                      assign(S, bin(OK::Add, var(S, u32()), byteAt(At(), 0))))),
      ret(cast(i32(), bin(OK::And, var(S, u32()), cst(1, u32())))));
  CompiledProgram C = agrees(F);
  EXPECT_EQ(disassemble(C.Insns), "    0: r7 = *(u32 *)(r1 + 0)\n"
                                  "    1: r8 = *(u32 *)(r1 + 4)\n"
                                  "    2: w0 = 0\n"
                                  "    3: r1 = r7\n"
                                  "    4: r1 += 8\n"
                                  "    5: if r1 > r8 goto +16\n"
                                  "    6: w6 = 0\n"
                                  "    7: w8 = 0\n"
                                  "    8: if r8 >= 8 goto +11\n"
                                  "    9: w0 = 3\n"
                                  "   10: r1 = r7\n"
                                  "   11: r1 += r8\n"
                                  "   12: r1 = *(u8 *)(r1 + 0)\n"
                                  "   13: if r1 == 7 goto +8\n"
                                  "   14: r0 = r7\n"
                                  "   15: r0 += r8\n"
                                  "   16: r0 = *(u8 *)(r0 + 0)\n"
                                  "   17: w6 += w0\n"
                                  "   18: w8 += 1\n"
                                  "   19: goto -12\n"
                                  "   20: r0 = r6\n"
                                  "   21: w0 &= 1\n"
                                  "   22: exit\n");
  ASSERT_EQ(C.Cuts.size(), 1u);
  EXPECT_EQ(countIf(C.Insns, [](const BpfInsn &X) { return X == bpf::exitInsn(); }), 1u);
}

// x = c ? 7 : y is `x = 7; if c skip; x = y`, and return c ? 1 : 2 ends in
// `w0 = 1; if c skip; w0 = 2; exit` (no jump over an else part); a bit
// test (x >> k) & 1, also through the truncation of a bit-field read, is
// `x & (1 << k)` against zero (no shift).
TEST(CodeGenOpt, SelectsWithAConstantArmAndBitTests) {
  Function F = packetFunction("selects");
  unsigned A = addVar(F, "a", u32()), B = addVar(F, "b", u32());
  unsigned X = addVar(F, "x", u32());
  auto Bit = [](ExprPtr V, unsigned K) {
    return bin(OK::And, bin(OK::LShr, std::move(V), cst(K, u32())), cst(1, u32()));
  };
  F.Body = body(
      ifThen(cmp(OK::UGt, ptrAdd(D(), 16), End()), retInt(0)),
      assign(A, byteAt(D(), 3)), assign(B, byteAt(D(), 5)),
      ifThen(Bit(var(A, u32()), 3), retInt(3)),
      ifThen(un(OK::LNot, cast(u16(), Bit(cast(u32(), load(u16(), ptrAdd(D(), 12))), 9))),
             retInt(4)),
      assign(X, cond(cmp(OK::ULt, var(A, u32()), var(B, u32())), cst(7, u32()),
                     var(B, u32()))),
      ret(cond(cmp(OK::UGt, var(X, u32()), cst(9, u32())), cst(1, i32()), cst(2, i32()))));
  CompiledProgram C = agrees(F);
  EXPECT_EQ(countIf(C.Insns, [](const BpfInsn &I) { return I == bpf::ja(I.Off); }), 0u)
      << C.Asm;
  EXPECT_EQ(countIf(C.Insns, [](const BpfInsn &I) {
              return (bpf::insnClass(I.Code) == bpf::ALU ||
                      bpf::insnClass(I.Code) == bpf::ALU64) &&
                     bpf::opOf(I.Code) == bpf::RSH;
            }), 0u)
      << C.Asm;
  EXPECT_EQ(countIf(C.Insns, [](const BpfInsn &I) {
              return I == bpf::aluImm(false, bpf::AND, I.Dst, 8) ||
                     I == bpf::aluImm(false, bpf::AND, I.Dst, 512);
            }), 2u)
      << C.Asm;
  EXPECT_TRUE(has(C.Asm, "w0 = 1 ")) << C.Asm;
}

// `c != 0` and `c == 0` of a condition c (VEP-C's value of a `&&` with a
// call in it) branch on c itself: no 0/1 value of c in a register first.
// The only `wN = 1` left are v's own and the returned value's.
TEST(CodeGenOpt, ConditionsAgainstZeroBranchDirectly) {
  Function F = packetFunction("cond_zero");
  unsigned A = addVar(F, "a", u32()), B = addVar(F, "b", u32());
  unsigned V = addVar(F, "v", i32());
  auto Va = [&] { return var(A, u32()); };
  auto Vb = [&] { return var(B, u32()); };
  F.Body = body(
      ifThen(cmp(OK::UGt, ptrAdd(D(), 16), End()), retInt(0)),
      assign(A, byteAt(D(), 3)), assign(B, byteAt(D(), 5)),
      ifThen(cmp(OK::Eq, lor(cmp(OK::Eq, Va(), cst(1, u32())), cmp(OK::Eq, Vb(), cst(2, u32()))),
                 cst(0, i32())),
             retInt(3)),
      assign(V, cmp(OK::Ne, land(cmp(OK::ULt, Va(), Vb()), cmp(OK::ULt, Vb(), cst(9, u32()))),
                    cst(0, i32()))),
      ret(cond(var(V, i32()), cst(1, i32()), cst(2, i32()))));
  CompiledProgram C = agrees(F);
  EXPECT_EQ(countIf(C.Insns, [](const BpfInsn &I) { return I == bpf::movImm32(I.Dst, 1); }), 2u)
      << C.Asm;
}

// A local array at a variable index (the front end's `i == 0 ? a[0] : ...
// : past-the-end`, and `if (i == 0) a[0] = v; else ... else past-the-end;`,
// cir::Variable::PastEndOf): the branches that read past the end are gone
// with their tests, so the index is compared with 0, 1 and 2 only and the
// last element is taken when those fail.
TEST(CodeGenOpt, ElementPastTheEndEmitsNothing) {
  Function F = packetFunction("elements");
  std::vector<unsigned> A;
  for (int K = 0; K < 4; ++K)
    A.push_back(addVar(F, "a[" + std::to_string(K) + "]", u32()));
  unsigned I = addVar(F, "i", u32()), Past = addVar(F, "a[i]", u32());
  F.Vars[Past].PastEndOf = 4;
  auto Is = [&](unsigned K) { return cmp(OK::Eq, var(I, u32()), cst(K, u32())); };
  ExprPtr Read = var(Past, u32());
  StmtPtr Write = exprStmt(var(Past, u32()));
  for (unsigned K = 4; K-- > 0;) {
    Read = cond(Is(K), var(A[K], u32()), std::move(Read));
    Write = ifThen(Is(K), assign(A[K], cst(9, u32())), std::move(Write));
  }
  F.Body = body(ifThen(cmp(OK::UGt, ptrAdd(D(), 8), End()), retInt(0)),
                assign(I, bin(OK::And, byteAt(D(), 3), cst(3, u32()))),
                assign(A[0], byteAt(D(), 4)), assign(A[1], byteAt(D(), 5)),
                assign(A[2], byteAt(D(), 6)), assign(A[3], byteAt(D(), 7)),
                std::move(Write), ret(cast(i32(), std::move(Read))));
  CompiledProgram C = agrees(F);
  auto ComparesWith = [&](int32_t K) {
    return countIf(C.Insns, [&](const BpfInsn &X) {
      uint8_t Cls = bpf::insnClass(X.Code);
      return (Cls == bpf::JMP || Cls == bpf::JMP32) &&
             bpf::srcOf(X.Code) == bpf::K && bpf::opOf(X.Code) != bpf::JA &&
             X.Imm == K;
    });
  };
  EXPECT_EQ(ComparesWith(2), 2u) << C.Asm;
  EXPECT_EQ(ComparesWith(3), 0u) << C.Asm;
}

// ---- ctx in R1 ------------------------------------------------------------------

// ctx stays in R1, where it arrives, while nothing else needs R1: not
// across a helper call (which writes R1-R5) nor a loop (ctx would be bound
// at the head), where it gets a callee-saved home as before.
TEST(CodeGenOpt, CtxStaysInR1UntilACallOrALoop) {
  {
    Function F = packetFunction("ctx_r1");
    F.Body = body(ifThen(cmp(OK::UGt, ptrAdd(D(), 4), End()), retInt(0)),
                  ret(cast(i32(), byteAt(D(), 3))));
    CompiledProgram C = agrees(F);
    EXPECT_EQ(C.Insns[0], bpf::ldx(4, 7, 1, 0)) << C.Asm;
    EXPECT_TRUE(has(C.Asm, "# homes: ctx -> r1,")) << C.Asm;
  }
  {
    std::vector<MapDef> Maps = {mapDef("m", /*BPF_MAP_TYPE_ARRAY*/ 2, 4, 8, 16)};
    Function F = xdpFunction("ctx_call");
    unsigned Key = addVar(F, "key", u32()), Val = addVar(F, "val", ptrTy(8, "__u64 *"));
    unsigned Data = addVar(F, "data", ptrTy());
    F.Body = block(assign(Key, cst(3, u32())),
                   assign(Val, helperCall(HelperMapLookupElem, ptrTy(8, "__u64 *"),
                                          mapAddr(0), addrOf(Key, u32()))),
                   assign(Data, ctxField(0)),
                   ifThen(cmp(OK::Eq, var(Val, ptrTy()), cst(0, ptrTy())), retInt(1)),
                   ret(cast(i32(), cast(u32(), var(Data, ptrTy())))));
    CompiledProgram C = compileOrDie(F, Maps);
    EXPECT_EQ(C.Insns[0], bpf::mov64(6, 1)) << C.Asm;
  }
  {
    Function F = packetFunction("ctx_loop");
    unsigned S = addVar(F, "s", u32()), I = addVar(F, "i", u32());
    F.Body = body(ifThen(cmp(OK::UGt, ptrAdd(D(), 8), End()), retInt(0)),
                  assign(S, cst(0, u32())),
                  countLoop(I, 4, 8,
                            assign(S, bin(OK::Add, var(S, u32()),
                                          cast(u32(), load(u32(), ptrAdd(var(0, ptrTy()), 12)))))),
                  ret(cast(i32(), bin(OK::And, var(S, u32()), cst(1, u32())))));
    // (the sum of four equal ingress_ifindex values is even: 0)
    CompiledProgram C = agrees(F, [](const std::vector<uint8_t> &) { return 0u; });
    EXPECT_EQ(C.Insns[0], bpf::mov64(6, 1)) << C.Asm;
  }
}

// ---- Values -------------------------------------------------------------------

// bswap16/32/64 as the front end spells them (bpf_ntohs and friends) are one
// `be16`/`be32`/`be64` each; a near miss (a wrong shift) is not.
TEST(CodeGenOpt, ByteSwaps) {
  auto Swap = [](ExprPtr X, unsigned Bits, unsigned BadShift) {
    Type T = Bits == 16 ? u16() : Bits == 32 ? u32() : u64();
    unsigned N = Bits / 8;
    ExprPtr R;
    for (unsigned I = 0; I < N; ++I) {
      ExprPtr Byte = vep::cir::cloneExpr(*X);
      if (I)
        Byte = bin(OK::LShr, std::move(Byte), cst(8 * I, T));
      Byte = bin(OK::And, std::move(Byte), cst(0xff, T));
      unsigned To = N - 1 - I;
      if (To)
        Byte = bin(OK::Shl, std::move(Byte), cst(To == 1 && BadShift ? BadShift : 8 * To, T));
      R = R ? bin(OK::Or, std::move(R), std::move(Byte)) : std::move(Byte);
    }
    return R;
  };
  Function F = packetFunction("swaps");
  unsigned A = addVar(F, "a", u16()), B = addVar(F, "b", u32()), C = addVar(F, "c", u64());
  unsigned W = addVar(F, "w", u16());
  F.Body = body(
      ifThen(cmp(OK::UGt, ptrAdd(D(), 24), End()), retInt(0)),
      assign(A, Swap(load(u16(), ptrAdd(D(), 2)), 16, 0)),
      assign(B, Swap(load(u32(), ptrAdd(D(), 4)), 32, 0)),
      assign(C, Swap(load(u64(), ptrAdd(D(), 8)), 64, 0)),
      assign(W, Swap(load(u16(), ptrAdd(D(), 16)), 16, 4)),
      ret(cast(i32(), bin(OK::Xor, bin(OK::Add, cast(u32(), var(A, u16())), var(B, u32())),
                          bin(OK::Add, cast(u32(), var(C, u64())),
                              cast(u32(), var(W, u16())))))));
  CompiledProgram P = agrees(F);
  for (int32_t Bits : {16, 32, 64})
    EXPECT_EQ(countIf(P.Insns, [&](const BpfInsn &X) {
                return X.Code == (bpf::ALU | bpf::END | bpf::X) && X.Imm == Bits;
              }), 1u) << Bits << "\n" << P.Asm;
}

// (u8)(a & 15) needs no AND 255, (u8)(a & 300) does; x + 0, x * 1, x | 0
// are x; ((p + 3) + 4) - 2 is one += 5. (w, with five variables in R6-R9
// at once, lives in the scratch register R5.)
TEST(CodeGenOpt, MasksIdentitiesAndConstantChains) {
  Function F = packetFunction("values");
  unsigned A = addVar(F, "a", u32()), P = addVar(F, "p", bytePtr());
  unsigned V = addVar(F, "v", u32()), W = addVar(F, "w", u32());
  F.Body = body(
      ifThen(cmp(OK::UGt, ptrAdd(D(), 24), End()), retInt(0)),
      assign(A, load(u32(), ptrAdd(D(), 4))),
      assign(V, cast(u32(), cast(u8(), bin(OK::And, var(A, u32()), cst(15, u32()))))),
      assign(W, cast(u32(), cast(u8(), bin(OK::And, var(A, u32()), cst(300, u32()))))),
      assign(P, ptrAdd(ptrAdd(ptrAdd(ptrAdd(D(), cast(i64(), var(V, u32()))), 3), 4), -2)),
      // (the kernel verifier wants a bound check on p itself)
      ifThen(cmp(OK::UGt, ptrAdd(var(P, bytePtr()), 1), End()), retInt(0)),
      ret(cast(i32(), bin(OK::Add,
                          bin(OK::Mul, bin(OK::Add, var(W, u32()), cst(0, u32())), cst(1, u32())),
                          bin(OK::Or, byteAt(var(P, bytePtr()), 0), cst(0, u32()))))));
  CompiledProgram C = agrees(F);
  EXPECT_EQ(disassemble(C.Insns), "    0: r7 = *(u32 *)(r1 + 0)\n"
                                  "    1: r8 = *(u32 *)(r1 + 4)\n"
                                  "    2: w0 = 0\n"
                                  "    3: r1 = r7\n"
                                  "    4: r1 += 24\n"
                                  "    5: if r1 > r8 goto +15\n"
                                  "    6: r6 = *(u32 *)(r7 + 4)\n"
                                  "    7: r9 = r6\n"
                                  "    8: w9 &= 15\n"
                                  "    9: r5 = r6\n"
                                  "   10: w5 &= 300\n"
                                  "   11: r5 &= 255\n"
                                  "   12: r6 = r7\n"
                                  "   13: r6 += r9\n"
                                  "   14: r6 += 5\n"
                                  "   15: r1 = r6\n"
                                  "   16: r1 += 1\n"
                                  "   17: if r1 > r8 goto +3\n"
                                  "   18: r0 = r5\n"
                                  "   19: r1 = *(u8 *)(r6 + 0)\n"
                                  "   20: w0 += w1\n"
                                  "   21: exit\n");
}
