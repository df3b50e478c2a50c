//===- CodeGenLoopTest.cpp - Loops: code shape, cut points, kernel, checker ===//
//
// Hand-built CIR loops (the two examples sum_payload.c and payload_strlen.c,
// a signed counter, do-while, break/continue):
//  * shape: one cut point per loop at the head H (never instruction 0), only
//    back edges jump backward and they all target H, and what is live at H
//    in the bytecode is exactly the bound registers and slots (no
//    temporaries);
//  * the cut-point assertions, field by field and as printed for -S, and
//    the reasons for refusing what is not supported yet;
//  * the kernel runs the loops and agrees with the reference interpreter;
//  * the checker accepts the proofs, and rejects deliberately wrong
//    translations of the invariant.
//
//===----------------------------------------------------------------------===//

#include "CodeGenRandom.h"

#include "vep/check.h"
#include "vep/compiler/ProofWriter.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <unistd.h>

using namespace cgtest;
using namespace vep::compiler;

namespace {

using i128 = __int128;

// ---- Building loops and annotations --------------------------------------

StmtPtr brk() { return mks(SK::Break); }
StmtPtr cont() { return mks(SK::Continue); }

TermPtr tb(const std::string &Op, TermPtr A, TermPtr B) {
  auto T = std::make_shared<Term>();
  T->K = Term::Kind::Binary;
  T->Op = Op;
  T->Args = {A, B};
  return T;
}
AssertionPtr leafA(Assertion::Kind K) {
  auto X = std::make_shared<Assertion>();
  X->K = K;
  return X;
}

Type bytePtr() { return ptrTy(1, "unsigned char *"); }

/// examples/sum_payload.c:
///   unsigned char *data = ..., *data_end = ...;
///   unsigned int sum = 0, i;
///   /*@ Inv 0 <= i && i <= 32 Variant 32 - i */
///   for (i = 0; i < 32; i++) {
///     unsigned char *b = data + ETH_HLEN + i;
///     if (b + 1 > data_end) break;
///     sum += *b;
///   }
///   return (sum & 1) ? cgtest::XDP_DROP : cgtest::XDP_PASS;      (ReturnSum: return sum;)
/// Ann replaces the invariant when given.
Function sumPayload(std::shared_ptr<const Annotation> Ann = nullptr,
                    bool ReturnSum = false, unsigned Limit = 32) {
  Function F = xdpFunction("sum_payload");
  unsigned D = addVar(F, "data", bytePtr()), E = addVar(F, "data_end", bytePtr());
  unsigned Sum = addVar(F, "sum", u32()), I = addVar(F, "i", u32());
  unsigned B = addVar(F, "b", bytePtr());
  if (!Ann)
    Ann = inv(andA(cmpA("<=", lit(0), vr("i")), cmpA("<=", vr("i"), lit(Limit))),
              tb("-", lit(Limit), vr("i")));
  auto Body = block(
      assign(B, ptrAdd(ptrAdd(var(D, bytePtr()), 14), cast(i64(), var(I, u32()))), 19),
      ifThen(cmp(OK::UGt, ptrAdd(var(B, bytePtr()), 1), var(E, bytePtr())), brk()),
      assign(Sum, bin(OK::Add, var(Sum, u32()), cast(u32(), load(u8(), var(B, bytePtr())))),
             22));
  F.Body = block(
      assign(D, retype(ctxField(0), bytePtr()), 12),
      assign(E, retype(ctxField(4), bytePtr()), 13), assign(Sum, cst(0, u32()), 14),
      assign(I, cst(0, u32()), 18),
      loopS(cmp(OK::ULt, var(I, u32()), cst(Limit, u32())), std::move(Body),
            assign(I, bin(OK::Add, var(I, u32()), cst(1, u32())), 18), Ann, true, 18),
      ReturnSum ? ret(cast(i32(), var(Sum, u32())), 24)
                : ret(cond(bin(OK::And, var(Sum, u32()), cst(1, u32())),
                           cst(cgtest::XDP_DROP, i32()), cst(cgtest::XDP_PASS, i32())),
                      24));
  F.Contract = ReturnSum ? nullptr : ensureReturnIn({cgtest::XDP_PASS, cgtest::XDP_DROP});
  return F;
}

/// examples/payload_strlen.c:
///   unsigned char *p = data;
///   /*@ Inv data <= p && p <= data_end Variant data_end - p */
///   while (p < data_end && *p != 0) p++;
///   return p - data >= 64 ? cgtest::XDP_DROP : cgtest::XDP_PASS;     (ReturnLen: p - data)
Function payloadStrlen(std::shared_ptr<const Annotation> Ann = nullptr,
                       bool ReturnLen = false) {
  Function F = xdpFunction("payload_strlen");
  unsigned D = addVar(F, "data", bytePtr()), E = addVar(F, "data_end", bytePtr());
  unsigned P = addVar(F, "p", bytePtr());
  if (!Ann)
    Ann = inv(andA(cmpA("<=", vr("data"), vr("p")), cmpA("<=", vr("p"), vr("data_end"))),
              tb("-", vr("data_end"), vr("p")));
  auto Cond = land(cmp(OK::ULt, var(P, bytePtr()), var(E, bytePtr())),
                   cmp(OK::Ne, cast(i32(), load(u8(), var(P, bytePtr()))), cst(0, i32())));
  auto Diff = bin(OK::PtrDiff, var(P, bytePtr()), var(D, bytePtr()));
  F.Body = block(
      assign(D, retype(ctxField(0), bytePtr()), 13),
      assign(E, retype(ctxField(4), bytePtr()), 14), assign(P, var(D, bytePtr()), 15),
      loopS(std::move(Cond), assign(P, ptrAdd(var(P, bytePtr()), 1), 19), nullptr, Ann,
            true, 18),
      ReturnLen ? ret(cast(i32(), std::move(Diff)), 20)
                : ret(cond(cmp(OK::SGe, std::move(Diff), cst(64, i64())),
                           cst(cgtest::XDP_DROP, i32()), cst(cgtest::XDP_PASS, i32())),
                      20));
  F.Contract = ReturnLen ? nullptr : ensureReturnIn({cgtest::XDP_PASS, cgtest::XDP_DROP});
  return F;
}

/// A signed counter: `int i; for (i = 0; i < 16; i++) { if (data + i + 1 >
/// data_end) break; sum += data[i]; } return sum;` with `Inv P`, no
/// Variant (inferred 16 - i).
Function signedCounter(AssertionPtr P) {
  Function F = xdpFunction("signed_counter");
  unsigned D = addVar(F, "data", bytePtr()), E = addVar(F, "data_end", bytePtr());
  unsigned Sum = addVar(F, "sum", u32()), I = addVar(F, "i", i32());
  auto At = [&] { return ptrAdd(var(D, bytePtr()), cast(i64(), var(I, i32()))); };
  auto Body = block(
      ifThen(cmp(OK::UGt, ptrAdd(At(), 1), var(E, bytePtr())), brk()),
      assign(Sum, bin(OK::Add, var(Sum, u32()), cast(u32(), load(u8(), At())))));
  F.Body = block(
      assign(D, retype(ctxField(0), bytePtr())), assign(E, retype(ctxField(4), bytePtr())),
      assign(Sum, cst(0, u32())), assign(I, cst(0, i32())),
      loopS(cmp(OK::SLt, var(I, i32()), cst(16, i32())), std::move(Body),
            assign(I, bin(OK::Add, var(I, i32()), cst(1, i32()))), inv(P)),
      ret(cast(i32(), var(Sum, u32()))));
  return F;
}

/// do { if (p + 1 > data_end) break; n += *p; p++; } while (p < data_end);
/// over the packet, returning n; Inv data <= p && p <= data_end Variant
/// data_end - p.
Function doWhileSum() {
  Function F = xdpFunction("do_while_sum");
  unsigned D = addVar(F, "data", bytePtr()), E = addVar(F, "data_end", bytePtr());
  unsigned P = addVar(F, "p", bytePtr()), N = addVar(F, "n", u32());
  auto Body = block(
      ifThen(cmp(OK::UGt, ptrAdd(var(P, bytePtr()), 1), var(E, bytePtr())), brk()),
      assign(N, bin(OK::Add, var(N, u32()), cast(u32(), load(u8(), var(P, bytePtr()))))),
      assign(P, ptrAdd(var(P, bytePtr()), 1)));
  F.Body = block(
      assign(D, retype(ctxField(0), bytePtr())), assign(E, retype(ctxField(4), bytePtr())),
      assign(P, var(D, bytePtr())), assign(N, cst(0, u32())),
      loopS(cmp(OK::ULt, var(P, bytePtr()), var(E, bytePtr())), std::move(Body), nullptr,
            inv(andA(cmpA("<=", vr("data"), vr("p")), cmpA("<=", vr("p"), vr("data_end"))),
                tb("-", vr("data_end"), vr("p"))),
            false),
      ret(cast(i32(), var(N, u32()))));
  return F;
}

/// i = 0; do { if (data + i + 1 > data_end) break; n += data[i]; i++; }
/// while (i < 20); return n;  with Inv 0 <= i && i <= 20 Variant 20 - i.
/// (Unlike doWhileSum, the kernel verifier can bound this loop.)
Function doWhileCount() {
  Function F = xdpFunction("do_while_count");
  unsigned D = addVar(F, "data", bytePtr()), E = addVar(F, "data_end", bytePtr());
  unsigned I = addVar(F, "i", u32()), N = addVar(F, "n", u32());
  auto At = [&] { return ptrAdd(var(D, bytePtr()), cast(i64(), var(I, u32()))); };
  auto Body = block(
      ifThen(cmp(OK::UGt, ptrAdd(At(), 1), var(E, bytePtr())), brk()),
      assign(N, bin(OK::Add, var(N, u32()), cast(u32(), load(u8(), At())))),
      assign(I, bin(OK::Add, var(I, u32()), cst(1, u32()))));
  F.Body = block(
      assign(D, retype(ctxField(0), bytePtr())), assign(E, retype(ctxField(4), bytePtr())),
      assign(I, cst(0, u32())), assign(N, cst(0, u32())),
      loopS(cmp(OK::ULt, var(I, u32()), cst(20, u32())), std::move(Body), nullptr,
            inv(andA(cmpA("<=", lit(0), vr("i")), cmpA("<=", vr("i"), lit(20))),
                tb("-", lit(20), vr("i"))),
            false),
      ret(cast(i32(), var(N, u32()))));
  return F;
}

/// A bound used only by the loop's test, and a temporary of the body that
/// must not share its register (n is live around the back edge; four
/// variables live in the loop fit R6-R9 exactly):
///   if (data + 17 > data_end) return 0;
///   n = data[0] & 15; k = 0;
///   /*@ Inv 0 <= k && k <= n && n <= 15 && data + 17 <= data_end
///       Variant n - k */
///   while (k < n) { t = k * 7 + 3; data[k + 1] = t; k++; }
///   return *(u64 *)(data + 1) ^ *(u64 *)(data + 9);
Function boundInCond() {
  Function F = xdpFunction("bound_in_cond");
  unsigned D = addVar(F, "data", bytePtr()), E = addVar(F, "data_end", bytePtr());
  unsigned N = addVar(F, "n", u32()), K = addVar(F, "k", u32());
  unsigned T = addVar(F, "t", u32());
  auto Dp = [&] { return var(D, bytePtr()); };
  auto Body = block(
      assign(T, bin(OK::Add, bin(OK::Mul, var(K, u32()), cst(7, u32())), cst(3, u32()))),
      store(ptrAdd(ptrAdd(Dp(), cast(i64(), var(K, u32()))), 1), cast(u8(), var(T, u32()))),
      assign(K, bin(OK::Add, var(K, u32()), cst(1, u32()))));
  auto P = andA(andA(andA(cmpA("<=", lit(0), vr("k")), cmpA("<=", vr("k"), vr("n"))),
                     cmpA("<=", vr("n"), lit(15))),
                cmpA("<=", tb("+", vr("data"), lit(17)), vr("data_end")));
  F.Body = block(
      assign(D, retype(ctxField(0), bytePtr())), assign(E, retype(ctxField(4), bytePtr())),
      ifThen(cmp(OK::UGt, ptrAdd(Dp(), 17), var(E, bytePtr())), retInt(0)),
      assign(N, bin(OK::And, cast(u32(), load(u8(), Dp())), cst(15, u32()))),
      assign(K, cst(0, u32())),
      loopS(cmp(OK::ULt, var(K, u32()), var(N, u32())), std::move(Body), nullptr,
            inv(P, tb("-", vr("n"), vr("k")))),
      ret(cast(i32(), bin(OK::Xor, load(u64(), ptrAdd(Dp(), 1)), load(u64(), ptrAdd(Dp(), 9))))));
  return F;
}

/// Two loops, the second inside an `if`; both counting loops with inferred
/// variants and the packet bound in the invariant:
///   if (data + 16 > data_end) return 0;
///   s = 0;
///   for (i = 0; i < 8; i++) s += data[i];
///   if (s & 1) for (j = 0; j < 8; j++) s = s * 3 + data[j + 8];
///   return s;
Function twoLoops() {
  Function F = xdpFunction("two_loops");
  unsigned D = addVar(F, "data", bytePtr()), E = addVar(F, "data_end", bytePtr());
  unsigned S = addVar(F, "s", u32()), I = addVar(F, "i", u32()), J = addVar(F, "j", u32());
  auto Dp = [&] { return var(D, bytePtr()); };
  auto Inv = [&](const char *V) {
    return inv(andA(andA(cmpA("<=", lit(0), vr(V)), cmpA("<=", vr(V), lit(8))),
                    cmpA("<=", tb("+", vr("data"), lit(16)), vr("data_end"))));
  };
  auto Byte = [&](unsigned V, int64_t Off) {
    return cast(u32(), load(u8(), ptrAdd(ptrAdd(Dp(), cast(i64(), var(V, u32()))), Off)));
  };
  auto Inc = [&](unsigned V) { return assign(V, bin(OK::Add, var(V, u32()), cst(1, u32()))); };
  F.Body = block(
      assign(D, retype(ctxField(0), bytePtr())), assign(E, retype(ctxField(4), bytePtr())),
      ifThen(cmp(OK::UGt, ptrAdd(Dp(), 16), var(E, bytePtr())), retInt(0)),
      assign(S, cst(0, u32())), assign(I, cst(0, u32())),
      loopS(cmp(OK::ULt, var(I, u32()), cst(8, u32())),
            assign(S, bin(OK::Add, var(S, u32()), Byte(I, 0))), Inc(I), Inv("i")),
      ifThen(bin(OK::And, var(S, u32()), cst(1, u32())),
             block(assign(J, cst(0, u32())),
                   loopS(cmp(OK::ULt, var(J, u32()), cst(8, u32())),
                         assign(S, bin(OK::Add, bin(OK::Mul, var(S, u32()), cst(3, u32())),
                                       Byte(J, 8))),
                         Inc(J), Inv("j")))),
      ret(cast(i32(), var(S, u32()))));
  return F;
}

/// for (i = 0; i < 40; i++) { if (i & 1) continue; if (data + i + 1 >
/// data_end) break; s += data[i] * (i + 1); }  return s;   (u64 s, u32 i)
Function evenBytes() {
  Function F = xdpFunction("even_bytes");
  unsigned D = addVar(F, "data", bytePtr()), E = addVar(F, "data_end", bytePtr());
  unsigned S = addVar(F, "s", u64()), I = addVar(F, "i", u32());
  auto At = [&] { return ptrAdd(var(D, bytePtr()), cast(i64(), var(I, u32()))); };
  auto Body = block(
      ifThen(bin(OK::And, var(I, u32()), cst(1, u32())), cont()),
      ifThen(cmp(OK::UGt, ptrAdd(At(), 1), var(E, bytePtr())), brk()),
      assign(S, bin(OK::Add, var(S, u64()),
                    bin(OK::Mul, cast(u64(), load(u8(), At())),
                        cast(u64(), bin(OK::Add, var(I, u32()), cst(1, u32())))))));
  F.Body = block(
      assign(D, retype(ctxField(0), bytePtr())), assign(E, retype(ctxField(4), bytePtr())),
      assign(S, cst(0, u64())), assign(I, cst(0, u32())),
      loopS(cmp(OK::ULt, var(I, u32()), cst(40, u32())), std::move(Body),
            assign(I, bin(OK::Add, var(I, u32()), cst(1, u32()))),
            inv(andA(cmpA("<=", lit(0), vr("i")), cmpA("<=", vr("i"), lit(40))))),
      ret(cast(i32(), bin(OK::Xor, var(S, u64()), bin(OK::LShr, var(S, u64()),
                                                      cst(32, u64()))))));
  return F;
}

/// A nested loop (the outer variant inferred, the inner one given):
///   s = 0;
///   /*@ Inv 0 <= i && i <= 8 */                               (line 30)
///   for (i = 0; i < 8; i++)
///     /*@ Inv 0 <= i && i < 8 && 0 <= j && j <= 4 Variant 4 - j */ (line 31)
///     for (j = 0; j < 4; j++) {
///       b = data + 14 + i + j;
///       if (b + 1 > data_end) break;
///       s += *b;                    (ResetOuter: also i = 0 -- never ends)
///     }
///   return s;
/// StepFirst: `while (i < 8) { i++; for (j ...) ... }` with Variant 8 - i
/// and `0 <= i && i <= 8` in the inner invariant (the ghost is then 9 - i).
/// BranchStep (with StepFirst): the step is `if (s & 1) i = 1 + i; else
/// i = i - 0xffffffff;` (both add 1 to the 32-bit i).
Function nestedSum(bool ResetOuter = false, bool StepFirst = false,
                   bool BranchStep = false) {
  Function F = xdpFunction("nested_sum");
  unsigned D = addVar(F, "data", bytePtr()), E = addVar(F, "data_end", bytePtr());
  unsigned S = addVar(F, "s", u32()), I = addVar(F, "i", u32()), J = addVar(F, "j", u32());
  unsigned B = addVar(F, "b", bytePtr());
  auto Inc = [&](unsigned V) { return assign(V, bin(OK::Add, var(V, u32()), cst(1, u32()))); };
  auto Inner = block(
      assign(B, ptrAdd(ptrAdd(ptrAdd(var(D, bytePtr()), 14), cast(i64(), var(I, u32()))),
                       cast(i64(), var(J, u32())))),
      ifThen(cmp(OK::UGt, ptrAdd(var(B, bytePtr()), 1), var(E, bytePtr())), brk()),
      assign(S, bin(OK::Add, var(S, u32()), cast(u32(), load(u8(), var(B, bytePtr()))))));
  if (ResetOuter)
    Inner->Body.push_back(assign(I, cst(0, u32())));
  auto InnerInv =
      inv(andA(andA(cmpA("<=", lit(0), vr("i")), cmpA(StepFirst ? "<=" : "<", vr("i"), lit(8))),
               andA(cmpA("<=", lit(0), vr("j")), cmpA("<=", vr("j"), lit(4)))),
          tb("-", lit(4), vr("j")));
  auto OuterBody = block(assign(J, cst(0, u32())),
                         loopS(cmp(OK::ULt, var(J, u32()), cst(4, u32())), std::move(Inner),
                               Inc(J), InnerInv, true, 31));
  if (StepFirst && BranchStep)
    OuterBody->Body.insert(
        OuterBody->Body.begin(),
        ifThen(bin(OK::And, var(S, u32()), cst(1, u32())),
               assign(I, bin(OK::Add, cst(1, u32()), var(I, u32()))),
               assign(I, bin(OK::Sub, var(I, u32()), cst(0xffffffff, u32())))));
  else if (StepFirst)
    OuterBody->Body.insert(OuterBody->Body.begin(), Inc(I));
  auto OuterInv = inv(andA(cmpA("<=", lit(0), vr("i")), cmpA("<=", vr("i"), lit(8))),
                      StepFirst ? tb("-", lit(8), vr("i")) : nullptr);
  F.Body = block(
      assign(D, retype(ctxField(0), bytePtr())), assign(E, retype(ctxField(4), bytePtr())),
      assign(S, cst(0, u32())), assign(I, cst(0, u32())),
      loopS(cmp(OK::ULt, var(I, u32()), cst(8, u32())), std::move(OuterBody),
            StepFirst ? nullptr : Inc(I), OuterInv, true, 30),
      ret(cast(i32(), var(S, u32()))));
  return F;
}

CompiledProgram compileOk(const Function &F) {
  CompiledProgram P;
  std::string Err;
  EXPECT_TRUE(compileFunction(F, P, Err)) << F.Name << ": " << Err;
  return P;
}

std::string compileErr(const Function &F) {
  CompiledProgram P;
  std::string Err;
  EXPECT_FALSE(compileFunction(F, P, Err)) << F.Name << " compiled:\n" << P.Asm;
  return Err;
}

// ---- Bytecode liveness ------------------------------------------------------

/// Registers (0..10) and stack slots (index k for R10 - 8(k+1)) live on
/// entry to each instruction: a plain backward dataflow over the bytecode,
/// independent of the code generator.
struct Live {
  std::set<int> Regs, Slots;
  bool operator==(const Live &) const = default;
};

std::vector<Live> bytecodeLiveness(const std::vector<BpfInsn> &In) {
  size_t N = In.size();
  std::vector<Live> LiveIn(N);
  auto SlotsOf = [](int16_t Off, unsigned Bytes) {
    std::set<int> S;
    for (int B = Off; B < Off + int(Bytes); ++B)
      if (B < 0)
        S.insert((-B - 1) / 8);
    return S;
  };
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (size_t K = N; K-- > 0;) {
      const BpfInsn &I = In[K];
      if (K > 0 && bpf::isLddw(In[K - 1]))
        continue; // second slot
      uint8_t Cls = bpf::insnClass(I.Code), Op = bpf::opOf(I.Code);
      std::vector<size_t> Succ;
      std::set<int> Use, Def, UseSlot, DefSlot;
      bool X = bpf::srcOf(I.Code) == bpf::X;
      switch (Cls) {
      case bpf::ALU:
      case bpf::ALU64:
        if (Op != bpf::MOV)
          Use.insert(I.Dst);
        if (X && Op != bpf::NEG && Op != bpf::END)
          Use.insert(I.Src);
        Def.insert(I.Dst);
        Succ.push_back(K + 1);
        break;
      case bpf::LDX: {
        Use.insert(I.Src);
        Def.insert(I.Dst);
        if (I.Src == bpf::R10)
          UseSlot = SlotsOf(I.Off, bpf::sizeBytes(bpf::sizeOf(I.Code)));
        Succ.push_back(K + 1);
        break;
      }
      case bpf::STX:
      case bpf::ST: {
        Use.insert(I.Dst);
        if (Cls == bpf::STX)
          Use.insert(I.Src);
        unsigned Bytes = bpf::sizeBytes(bpf::sizeOf(I.Code));
        if (I.Dst == bpf::R10 && Bytes == 8 && I.Off % 8 == 0)
          DefSlot = SlotsOf(I.Off, 8);
        Succ.push_back(K + 1);
        break;
      }
      case bpf::LD:
        Def.insert(I.Dst);
        Succ.push_back(K + 2);
        break;
      default: // jumps
        if (Op == bpf::EXIT) {
          Use.insert(0);
        } else if (Op == bpf::JA) {
          Succ.push_back(size_t(long(K) + 1 + I.Off));
        } else {
          Use.insert(I.Dst);
          if (X)
            Use.insert(I.Src);
          Succ.push_back(K + 1);
          Succ.push_back(size_t(long(K) + 1 + I.Off));
        }
      }
      Live Out;
      for (size_t S : Succ)
        if (S < N) {
          Out.Regs.insert(LiveIn[S].Regs.begin(), LiveIn[S].Regs.end());
          Out.Slots.insert(LiveIn[S].Slots.begin(), LiveIn[S].Slots.end());
        }
      Live New;
      for (int R : Out.Regs)
        if (!Def.count(R))
          New.Regs.insert(R);
      New.Regs.insert(Use.begin(), Use.end());
      for (int S : Out.Slots)
        if (!DefSlot.count(S))
          New.Slots.insert(S);
      New.Slots.insert(UseSlot.begin(), UseSlot.end());
      if (!(New == LiveIn[K])) {
        LiveIn[K] = New;
        Changed = true;
      }
    }
  }
  return LiveIn;
}

/// Checks the loop shape of P: cut points at loop heads (not 0, not inside
/// an lddw), every backward jump targets a cut point from inside its loop,
/// and at each head exactly the bound registers (plus R10) and bound slots
/// are live.
void expectLoopShape(const CompiledProgram &P, size_t NumLoops) {
  ASSERT_EQ(P.Cuts.size(), NumLoops) << P.Asm;
  std::set<uint32_t> Heads;
  for (const CutPoint &C : P.Cuts) {
    EXPECT_GT(C.Insn, 0u) << P.Asm;
    ASSERT_LT(C.Insn, P.Insns.size());
    EXPECT_FALSE(bpf::isLddw(P.Insns[C.Insn - 1])) << P.Asm;
    Heads.insert(C.Insn);
  }
  std::map<uint32_t, unsigned> BackEdges;
  for (size_t K = 0; K < P.Insns.size(); ++K) {
    if (K > 0 && bpf::isLddw(P.Insns[K - 1]))
      continue;
    if (!bpf::isJump(P.Insns[K]) || P.Insns[K].Off >= 0)
      continue;
    uint32_t T = uint32_t(long(K) + 1 + P.Insns[K].Off);
    EXPECT_TRUE(Heads.count(T)) << "backward jump at " << K << " to " << T
                                << ", not a loop head\n" << P.Asm;
    ++BackEdges[T];
  }
  std::vector<Live> L = bytecodeLiveness(P.Insns);
  for (const CutPoint &C : P.Cuts) {
    EXPECT_GT(BackEdges[C.Insn], 0u) << "no back edge to " << C.Insn << "\n" << P.Asm;
    Live Bound;
    Bound.Regs.insert(bpf::R10);
    for (const CutBinding &B : C.Bindings) {
      if (B.Where >= 0)
        Bound.Regs.insert(B.Where);
      else
        Bound.Slots.insert((-B.Where) / 8 - 1);
    }
    Live At = L[C.Insn];
    At.Regs.insert(bpf::R10);
    EXPECT_EQ(At.Regs, Bound.Regs) << "registers live at the head " << C.Insn
                                   << " vs. bound\n" << P.Asm;
    EXPECT_EQ(At.Slots, Bound.Slots) << "stack slots live at the head\n" << P.Asm;
  }
}

LinForm lin(i128 C, std::initializer_list<std::pair<uint32_t, i128>> Terms) {
  LinForm F;
  F.Constant = C;
  for (auto [V, K] : Terms)
    F.Terms.push_back({V, K});
  return F;
}

// ---- The kernel and the checker ----------------------------------------

struct KernelProgram {
  Loaded L;
  bool load(const CompiledProgram &P, std::string &Why) {
    return loadObject(writeObject({P}, "GPL"), P.Name, L, Why);
  }
  uint32_t run(const std::vector<uint8_t> &Pkt) {
    uint32_t R = 0xdeadbeef;
    EXPECT_TRUE(runXdp(L.Fd, Pkt, R)) << "BPF_PROG_TEST_RUN failed";
    return R;
  }
};

std::vector<uint8_t> packet(size_t Len, uint8_t Seed) {
  std::vector<uint8_t> P(Len);
  for (size_t I = 0; I < Len; ++I)
    P[I] = uint8_t(Seed * 31 + I * 7 + (I >> 2));
  return P;
}

ProofWriteResult proveWith(const CompiledProgram &P, std::vector<CutPoint> Cuts) {
  return writeProof(writeObject({P}, "GPL"), {{P.Section, P.Post, std::move(Cuts)}});
}

} // namespace

// ===-- Code shape --------------------------------------------------------===

TEST(CodeGenLoop, SumPayloadShape) {
  CompiledProgram P = compileOk(sumPayload());
  expectLoopShape(P, 1);
  // The head is the test `i < 32`; its single back edge is a `goto`.
  const CutPoint &C = P.Cuts[0];
  EXPECT_EQ(bpf::opOf(P.Insns[C.Insn].Code), bpf::JGE) << P.Asm;
  unsigned Gotos = 0;
  for (size_t K = C.Insn; K < P.Insns.size(); ++K)
    if (P.Insns[K].Code == (bpf::JMP | bpf::JA) && long(K) + 1 + P.Insns[K].Off == C.Insn)
      ++Gotos;
  EXPECT_EQ(Gotos, 1u) << P.Asm;
  // `if (...) break;` is one conditional jump past the loop: the back edge
  // is the loop's only unconditional jump.
  unsigned Ja = 0;
  for (size_t K = C.Insn; K < P.Insns.size(); ++K) {
    Ja += P.Insns[K].Code == (bpf::JMP | bpf::JA);
    if (long(K) + 1 + P.Insns[K].Off == C.Insn)
      break; // the back edge ends the loop's code
  }
  EXPECT_EQ(Ja, 1u) << P.Asm;
}

TEST(CodeGenLoop, StrlenShape) {
  CompiledProgram P = compileOk(payloadStrlen());
  expectLoopShape(P, 1);
  // Both short-circuit exits of the condition leave the loop forward.
  const CutPoint &C = P.Cuts[0];
  EXPECT_EQ(P.Insns[C.Insn], bpf::jmpReg(bpf::JGE, 6, 8, P.Insns[C.Insn].Off)) << P.Asm;
}

TEST(CodeGenLoop, DoWhileBackEdgeIsConditional) {
  CompiledProgram P = compileOk(doWhileSum());
  expectLoopShape(P, 1);
  uint32_t H = P.Cuts[0].Insn;
  // The head is the body's first instruction; the back edge is the test.
  bool CondBack = false;
  for (size_t K = H; K < P.Insns.size(); ++K) {
    const BpfInsn &I = P.Insns[K];
    if (bpf::isJump(I) && I.Code != (bpf::JMP | bpf::JA) && long(K) + 1 + I.Off == H)
      CondBack = true;
  }
  EXPECT_TRUE(CondBack) << P.Asm;
}

TEST(CodeGenLoop, TwoLoops) {
  CompiledProgram P = compileOk(twoLoops());
  expectLoopShape(P, 2);
  EXPECT_LT(P.Cuts[0].Insn, P.Cuts[1].Insn);
  // data_end is dead in the loops but known: the invariant may use it.
  EXPECT_EQ(P.Cuts[1].Facts.back(), lin(-16, {{0, 1}})) << P.Asm;
}

TEST(CodeGenLoop, InvariantKeepsItsVariablesLive) {
  // junk is read nowhere after its assignment before the loop and is no
  // known constant: the invariant's mention keeps it live at the head (so
  // around the loop), and the cut point binds it, with the invariant's fact.
  auto Junk = [](bool Mentioned) {
    auto Bounds = andA(cmpA("<=", vr("data"), vr("p")), cmpA("<=", vr("p"), vr("data_end")));
    Function F = payloadStrlen(
        inv(Mentioned ? andA(Bounds, cmpA("<=", vr("junk"), lit(300))) : Bounds,
            tb("-", vr("data_end"), vr("p"))));
    unsigned J = addVar(F, "junk", u32());
    F.Body->Body.insert(F.Body->Body.begin() + 3,
                        assign(J, cast(u32(), load(u8(), var(1, bytePtr())))));
    return compileOk(F);
  };
  CompiledProgram Without = Junk(false), With = Junk(true);
  ASSERT_EQ(Without.Cuts.size(), 1u);
  ASSERT_EQ(With.Cuts.size(), 1u);
  EXPECT_EQ(With.Cuts[0].Bindings.size(), Without.Cuts[0].Bindings.size() + 1) << With.Asm;
  EXPECT_EQ(With.Cuts[0].NumExists, Without.Cuts[0].NumExists + 1) << With.Asm;
  EXPECT_EQ(With.Cuts[0].Facts.back(), lin(300, {{With.Cuts[0].NumExists, -1}})) << With.Asm;
}

TEST(CodeGenLoop, ContinueGoesToStep) {
  CompiledProgram P = compileOk(evenBytes());
  expectLoopShape(P, 1);
  // `if (i & 1) continue;` jumps forward to the increment, which is followed
  // by the back edge.
  uint32_t H = P.Cuts[0].Insn;
  size_t Back = 0;
  for (size_t K = H; K < P.Insns.size(); ++K)
    if (P.Insns[K].Code == (bpf::JMP | bpf::JA) && long(K) + 1 + P.Insns[K].Off == H)
      Back = K;
  ASSERT_GT(Back, H) << P.Asm;
  const BpfInsn &Inc = P.Insns[Back - 1];
  EXPECT_EQ(Inc, bpf::aluImm(false, bpf::ADD, Inc.Dst, 1)) << P.Asm;
  bool ToStep = false;
  for (size_t K = H; K + 1 < Back; ++K)
    ToStep |= bpf::isJump(P.Insns[K]) && long(K) + 1 + P.Insns[K].Off == long(Back - 1);
  EXPECT_TRUE(ToStep) << P.Asm;
}

TEST(CodeGenLoop, ManyLiveVariablesUseStackSlots) {
  // Eight accumulators live around the loop: four go to stack slots, which
  // are bindings of the cut point.
  Function F = xdpFunction("many");
  unsigned D = addVar(F, "data", bytePtr()), E = addVar(F, "data_end", bytePtr());
  unsigned I = addVar(F, "i", u32());
  std::vector<unsigned> Acc;
  std::vector<StmtPtr> Init, Body;
  Init.push_back(assign(D, retype(ctxField(0), bytePtr())));
  Init.push_back(assign(E, retype(ctxField(4), bytePtr())));
  Body.push_back(ifThen(cmp(OK::UGt, ptrAdd(var(D, bytePtr()), 8), var(E, bytePtr())), brk()));
  for (unsigned K = 0; K < 5; ++K) {
    Acc.push_back(addVar(F, "a" + std::to_string(K), u32()));
    Init.push_back(assign(Acc.back(), cst(K, u32())));
    Body.push_back(assign(Acc.back(), bin(OK::Add, var(Acc.back(), u32()),
                                          cast(u32(), load(u8(), ptrAdd(var(D, bytePtr()), K))))));
  }
  Init.push_back(assign(I, cst(0, u32())));
  ExprPtr Sum = var(Acc[0], u32());
  for (unsigned K = 1; K < Acc.size(); ++K)
    Sum = bin(OK::Xor, std::move(Sum), var(Acc[K], u32()));
  Init.push_back(loopS(cmp(OK::ULt, var(I, u32()), cst(10, u32())), blockOf(std::move(Body)),
                       assign(I, bin(OK::Add, var(I, u32()), cst(1, u32()))),
                       inv(andA(cmpA("<=", lit(0), vr("i")), cmpA("<=", vr("i"), lit(10))),
                           tb("-", lit(10), vr("i")))));
  Init.push_back(ret(cast(i32(), std::move(Sum))));
  F.Body = blockOf(std::move(Init));
  CompiledProgram P = compileOk(F);
  expectLoopShape(P, 1);
  unsigned Slots = 0;
  for (const CutBinding &B : P.Cuts[0].Bindings)
    Slots += B.Where < 0;
  EXPECT_GE(Slots, 2u) << P.Asm;
  ProofWriteResult R = proveWith(P, P.Cuts);
  EXPECT_TRUE(R.Ok) << R.Error << "\n" << P.Asm;
}

TEST(CodeGenLoop, HeadIsNeverInstructionZero) {
  // for (;;) { break; } return 2;  -- ctx unused, nothing before the loop.
  Function F = xdpFunction("first");
  F.Body = block(loopS(nullptr, block(brk()), nullptr, inv(leafA(Assertion::Kind::True), lit(0))),
                 retInt(cgtest::XDP_PASS));
  CompiledProgram P = compileOk(F);
  ASSERT_EQ(P.Cuts.size(), 1u) << P.Asm;
  EXPECT_EQ(P.Cuts[0].Insn, 1u) << P.Asm;
  EXPECT_EQ(P.Insns[0], bpf::movImm64(0, 0)) << P.Asm;
  ProofWriteResult R = proveWith(P, P.Cuts);
  EXPECT_TRUE(R.Ok) << R.Error << "\n" << P.Asm;
}

TEST(CodeGenLoop, NestedLoopsCarryGhosts) {
  CompiledProgram P = compileOk(nestedSum());
  expectLoopShape(P, 2);
  ASSERT_EQ(P.Cuts.size(), 2u);
  const CutPoint &Outer = P.Cuts[0], &Inner = P.Cuts[1];
  ASSERT_LT(Outer.Insn, Inner.Insn) << P.Asm;
  EXPECT_TRUE(Outer.Ghosts.empty());
  // The inner head's ghost: the outer variant 8 - i over the inner head's
  // existential for i.
  ASSERT_EQ(Inner.Ghosts.size(), 1u) << P.Asm;
  EXPECT_EQ(Inner.Ghosts[0].Loop, Outer.Insn);
  EXPECT_EQ(Inner.Ghosts[0].Line, 30u);
  EXPECT_EQ(Inner.Ghosts[0].Form.Constant, 8);
  ASSERT_EQ(Inner.Ghosts[0].Form.Terms.size(), 1u);
  EXPECT_EQ(Inner.Ghosts[0].Form.Terms[0].Coeff, -1);
  EXPECT_NE(P.Asm.find("ghost for the loop (loop at line 30): 8 - x"), std::string::npos)
      << P.Asm;
  ProofWriteResult R = proveWith(P, P.Cuts);
  EXPECT_TRUE(R.Ok) << R.Error << "\n" << P.Asm;
  // Without the ghost the outer back edge comes from the inner head.
  auto Cuts = P.Cuts;
  Cuts[1].Ghosts.clear();
  R = proveWith(P, Cuts);
  EXPECT_FALSE(R.Ok);
  EXPECT_NE(R.Error.find("cut_back_edge"), std::string::npos) << R.Error;
}

TEST(CodeGenLoop, OuterStepBeforeInnerLoopRaisesTheGhost) {
  // while (i < 8) { i++; for (j ...) ... }: at the inner head the outer
  // variant 8 - i is already one below its value at the outer head, and
  // nothing decreases it after the inner loop: the ghost is 9 - i.
  CompiledProgram P = compileOk(nestedSum(false, true));
  ASSERT_EQ(P.Cuts.size(), 2u) << P.Asm;
  ASSERT_EQ(P.Cuts[1].Ghosts.size(), 1u) << P.Asm;
  EXPECT_EQ(P.Cuts[1].Ghosts[0].Form.Constant, 9) << P.Asm;
  ProofWriteResult R = proveWith(P, P.Cuts);
  EXPECT_TRUE(R.Ok) << R.Error << "\n" << P.Asm;
  // With the ghost 8 - i the outer back edge does not decrease it.
  auto Cuts = P.Cuts;
  Cuts[1].Ghosts[0].Form.Constant = 8;
  R = proveWith(P, Cuts);
  EXPECT_FALSE(R.Ok);
  EXPECT_NE(R.Error.find("RANK_DECREASE"), std::string::npos) << R.Error;
  EXPECT_NE(R.Error.find("if the back edge comes from a loop inside the loop at line 30 "
                         "(line 31)"),
            std::string::npos)
      << R.Error;
}

TEST(CodeGenLoop, OuterStepsInBothBranchesRaiseTheGhost) {
  // The ghost follows the steps by their values: `i = 1 + i` and
  // `i = i - 0xffffffff` (the 32-bit i + 1), one in each branch of an if,
  // both take 1 off the outer variant 8 - i before the inner loop.
  CompiledProgram P = compileOk(nestedSum(false, true, true));
  ASSERT_EQ(P.Cuts.size(), 2u) << P.Asm;
  ASSERT_EQ(P.Cuts[1].Ghosts.size(), 1u) << P.Asm;
  EXPECT_EQ(P.Cuts[1].Ghosts[0].Form.Constant, 9) << P.Asm;
  ProofWriteResult R = proveWith(P, P.Cuts);
  EXPECT_TRUE(R.Ok) << R.Error << "\n" << P.Asm;
  // A step in one branch only (the other keeps i) does not raise it.
  Function F = nestedSum(false, true, true);
  Stmt &Outer = *F.Body->Body[4];
  Outer.Then->Body[0]->Else = block();
  P = compileOk(F);
  ASSERT_EQ(P.Cuts.size(), 2u) << P.Asm;
  EXPECT_EQ(P.Cuts[1].Ghosts.at(0).Form.Constant, 8) << P.Asm;
}

TEST(CodeGenLoop, InnerLoopIncreasingOuterVariantNamesBothLoops) {
  // The inner loop resets i: the outer loop never ends, and the ghost
  // question fails with both loops named.
  CompiledProgram P = compileOk(nestedSum(true));
  ProofWriteResult R = proveWith(P, P.Cuts);
  EXPECT_FALSE(R.Ok) << P.Asm;
  EXPECT_NE(R.Error.find("RANK_GHOST not proved"), std::string::npos) << R.Error;
  EXPECT_NE(R.Error.find("the loop at line 31 may increase the variant of an enclosing "
                         "loop (line 30)"),
            std::string::npos)
      << R.Error;
}

TEST(CodeGenLoop, ConstantFalseLoopEmitsNothing) {
  Function F = sumPayload();
  F.Body->Body[4]->Cond = cst(0, i32());
  CompiledProgram P = compileOk(F);
  EXPECT_TRUE(P.Cuts.empty()) << P.Asm;
  for (size_t K = 0; K < P.Insns.size(); ++K)
    EXPECT_FALSE(bpf::isJump(P.Insns[K]) && P.Insns[K].Off < 0) << P.Asm;
}

// ===-- Cut-point assertions ----------------------------------------------===

TEST(CodeGenLoop, SumPayloadCutPoint) {
  CompiledProgram P = compileOk(sumPayload());
  ASSERT_EQ(P.Cuts.size(), 1u);
  const CutPoint &C = P.Cuts[0];
  EXPECT_EQ(C.NumExists, 2u);
  // data and data_end keep their constant offsets; sum and i are x1, x2.
  ASSERT_EQ(C.Bindings.size(), 4u);
  EXPECT_EQ(C.Bindings[0].Kind, BindKind::Packet);
  EXPECT_EQ(C.Bindings[0].Form, LinForm::constant(0));
  EXPECT_EQ(C.Bindings[1].Kind, BindKind::PacketEnd);
  EXPECT_EQ(C.Bindings[1].Form, LinForm::constant(0));
  EXPECT_EQ(C.Bindings[2].Kind, BindKind::Scalar);
  EXPECT_EQ(C.Bindings[2].Form, LinForm::var(1));
  EXPECT_EQ(C.Bindings[3].Kind, BindKind::Scalar);
  EXPECT_EQ(C.Bindings[3].Form, LinForm::var(2));
  const i128 U32 = (i128(1) << 32) - 1;
  std::vector<LinForm> Facts = {lin(0, {{1, 1}}),   lin(U32, {{1, -1}}),
                                lin(0, {{2, 1}}),   lin(U32, {{2, -1}}),
                                lin(0, {{2, 1}}),   lin(32, {{2, -1}})};
  EXPECT_EQ(C.Facts, Facts);
  EXPECT_TRUE(C.HasRank);
  EXPECT_EQ(C.Rank, lin(32, {{2, -1}}));
  EXPECT_EQ(C.InitLo, 0);
  EXPECT_EQ(C.InitHi, 0);
  std::vector<std::string> Text = {
      "loop head, line 18: Inv 0 <= i && i <= 32 Variant 32 - i",
      "cut point: exists x1 (sum), x2 (i)",
      "  r7 = data  (data)",
      "  r8 = data + len  (data_end)",
      "  r6 = x1  (sum)",
      "  r9 = x2  (i)",
      "  facts: x1 >= 0, x1 <= 4294967295, x2 >= 0, x2 <= 4294967295, x2 >= 0, x2 <= 32",
      "  rank: 32 - x2"};
  EXPECT_EQ(C.Text, Text) << P.Asm;
  // -S prints it at the head, after the label.
  std::string Block = ".LBB_sum_payload_1:\n";
  for (const std::string &L : Text)
    Block += "\t# " + L + "\n";
  EXPECT_NE(P.Asm.find(Block + "\tif r9 >= 32 goto"), std::string::npos) << P.Asm;
  EXPECT_NE(P.Asm.find("# cut points: 1"), std::string::npos) << P.Asm;
  EXPECT_NE(P.Asm.find("# homes: "), std::string::npos) << P.Asm;
}

TEST(CodeGenLoop, StrlenCutPoint) {
  CompiledProgram P = compileOk(payloadStrlen());
  ASSERT_EQ(P.Cuts.size(), 1u);
  const CutPoint &C = P.Cuts[0];
  EXPECT_EQ(C.NumExists, 1u);
  ASSERT_EQ(C.Bindings.size(), 3u);
  EXPECT_EQ(C.Bindings[2].Kind, BindKind::Packet);
  EXPECT_EQ(C.Bindings[2].Form, LinForm::var(1));
  // data <= p: x1 >= 0; p <= data_end: len - x1 >= 0; rank len - x1.
  std::vector<LinForm> Facts = {lin(0, {{1, 1}}), lin(0, {{0, 1}, {1, -1}})};
  EXPECT_EQ(C.Facts, Facts);
  EXPECT_EQ(C.Rank, lin(0, {{0, 1}, {1, -1}}));
  std::vector<std::string> Text = {
      "loop head, line 18: Inv data <= p && p <= data_end Variant data_end - p",
      "cut point: exists x1 (p)",
      "  r7 = data  (data)",
      "  r8 = data + len  (data_end)",
      "  r6 = data + x1  (p)",
      "  facts: x1 >= 0, x1 <= len",
      "  rank: len - x1"};
  EXPECT_EQ(C.Text, Text) << P.Asm;
}

TEST(CodeGenLoop, PointerArithmeticAndDifferences) {
  // p - data >= 0 && p + 1 <= data_end + 1 && data_end - p >= 0 == the
  // example's facts, differently written; == gives two facts.
  auto P1 = andA(andA(cmpA(">=", tb("-", vr("p"), vr("data")), lit(0)),
                      cmpA("<=", tb("+", vr("p"), lit(1)), tb("+", vr("data_end"), lit(1)))),
                 cmpA("==", tb("-", vr("data"), vr("data")), lit(0)));
  CompiledProgram P = compileOk(payloadStrlen(inv(P1, tb("-", vr("data_end"), vr("p")))));
  ASSERT_EQ(P.Cuts.size(), 1u);
  std::vector<LinForm> Facts = {lin(0, {{1, 1}}), lin(0, {{0, 1}, {1, -1}})};
  EXPECT_EQ(P.Cuts[0].Facts, Facts) << P.Asm; // (data - data == 0 is trivial)
  auto P2 = andA(cmpA("<", vr("p"), tb("+", vr("data"), lit(100))),
                 cmpA("==", tb("*", lit(2), tb("-", vr("p"), vr("data"))), lit(6)));
  P = compileOk(payloadStrlen(inv(P2, tb("-", vr("data_end"), vr("p")))));
  ASSERT_EQ(P.Cuts.size(), 1u);
  Facts = {lin(99, {{1, -1}}), lin(-6, {{1, 2}}), lin(6, {{1, -2}})};
  EXPECT_EQ(P.Cuts[0].Facts, Facts) << P.Asm;
}

TEST(CodeGenLoop, CountingLoopVariantInferred) {
  Function F = sumPayload(inv(andA(cmpA("<=", lit(0), vr("i")), cmpA("<=", vr("i"), lit(32)))));
  CompiledProgram P = compileOk(F);
  ASSERT_EQ(P.Cuts.size(), 1u);
  EXPECT_EQ(P.Cuts[0].Rank, lin(32, {{2, -1}}));
  EXPECT_EQ(P.Cuts[0].Text[0],
            "loop head, line 18: Inv 0 <= i && i <= 32 (variant 32 - x2, inferred)");
  // The while form: the increment ends the body, and `i < 32` is one
  // conjunct of the condition.
  F = sumPayload(inv(andA(cmpA("<=", lit(0), vr("i")), cmpA("<=", vr("i"), lit(32)))));
  Stmt &Loop = *F.Body->Body[4];
  Loop.Then->Body.push_back(std::move(Loop.Step));
  Loop.Cond = land(cmp(OK::UGt, var(1, bytePtr()), var(0, bytePtr())), std::move(Loop.Cond));
  P = compileOk(F);
  ASSERT_EQ(P.Cuts.size(), 1u);
  EXPECT_EQ(P.Cuts[0].Rank, lin(32, {{2, -1}}));
  // Not a counting loop: `i < 32` became `i != 32`.
  F = sumPayload(inv(andA(cmpA("<=", lit(0), vr("i")), cmpA("<=", vr("i"), lit(32)))));
  F.Body->Body[4]->Cond->Op = OK::Ne;
  EXPECT_NE(compileErr(F).find("not supported yet: loop without a variant (loop at line 18)"),
            std::string::npos);
}

TEST(CodeGenLoop, SignedCounterNeedsLowerBound) {
  auto Good = andA(cmpA("<=", lit(0), vr("i")), cmpA("<=", vr("i"), lit(16)));
  CompiledProgram P = compileOk(signedCounter(Good));
  ASSERT_EQ(P.Cuts.size(), 1u);
  const CutPoint &C = P.Cuts[0];
  // i is x2: its type range, the sign bit clear, then the invariant.
  const i128 U32 = (i128(1) << 32) - 1, S32 = (i128(1) << 31) - 1;
  std::vector<LinForm> Facts = {lin(0, {{1, 1}}), lin(U32, {{1, -1}}), lin(0, {{2, 1}}),
                                lin(U32, {{2, -1}}), lin(S32, {{2, -1}}), lin(0, {{2, 1}}),
                                lin(16, {{2, -1}})};
  EXPECT_EQ(C.Facts, Facts) << P.Asm;
  EXPECT_EQ(C.Rank, lin(16, {{2, -1}}));
  // `i >= 0` written the other way round counts too.
  P = compileOk(signedCounter(andA(cmpA("<=", vr("i"), lit(16)), cmpA(">=", vr("i"), lit(0)))));
  EXPECT_EQ(P.Cuts.size(), 1u);
  // Without a lower bound the value of a signed i is not x2.
  std::string Err = compileErr(signedCounter(cmpA("<=", vr("i"), lit(16))));
  EXPECT_NE(Err.find("not supported yet: the signed variable 'i' in a loop invariant"),
            std::string::npos) << Err;
  EXPECT_NE(Err.find("needs a conjunct 'c <= i' with c >= 0"), std::string::npos) << Err;
  // A negative lower bound does not say the sign bit is clear.
  Err = compileErr(signedCounter(andA(cmpA("<=", lit(-1), vr("i")), cmpA("<=", vr("i"), lit(16)))));
  EXPECT_NE(Err.find("the signed variable 'i'"), std::string::npos) << Err;
  // A lower bound under || is no top-level conjunct (and || is refused).
  Err = compileErr(signedCounter(orA(cmpA("<=", lit(0), vr("i")), cmpA("<=", vr("i"), lit(16)))));
  EXPECT_NE(Err.find("'||'"), std::string::npos) << Err;
}

TEST(CodeGenLoop, UnsupportedInvariantsRejectedWithReason) {
  auto Strlen = [](AssertionPtr P, TermPtr V = tb("-", vr("data_end"), vr("p"))) {
    return compileErr(payloadStrlen(inv(P, V)));
  };
  auto Le = [](const char *A, const char *B) { return cmpA("<=", vr(A), vr(B)); };
  auto Has = [](const std::string &Err, const std::string &What) {
    EXPECT_NE(Err.find(What), std::string::npos) << "error: " << Err << "\nwanted: " << What;
  };
  Has(Strlen(orA(Le("data", "p"), Le("p", "data_end"))),
      "not supported yet: '||' in a loop invariant (loop at line 18) (only comparisons "
      "joined by &&)");
  Has(Strlen(conn(Assertion::Kind::Not, Le("data_end", "p"))), "not supported yet: '!'");
  Has(Strlen(conn(Assertion::Kind::Implies, Le("data", "p"), Le("p", "data_end"))),
      "not supported yet: '=>'");
  Has(Strlen(cmpA("!=", vr("p"), vr("data_end"))),
      "not supported yet: '!=' in a loop invariant");
  {
    // Content facts (a quantifier, an array predicate) are left out
    // (logic::eraseContentFacts): the cut point is the one without them.
    auto Ex = conn(Assertion::Kind::Exists, Le("data", "p"));
    auto X = std::make_shared<Assertion>(*Ex);
    X->Binders = {"k"};
    auto Pred = std::make_shared<Assertion>();
    Pred->K = Assertion::Kind::Pred;
    Pred->Name = "store_uchar_array";
    Pred->Terms = {vr("data"), tb("-", vr("data_end"), vr("data")), vr("l")};
    auto Bounds = andA(Le("data", "p"), Le("p", "data_end"));
    TermPtr V = tb("-", vr("data_end"), vr("p"));
    auto Plain = compileOk(payloadStrlen(inv(Bounds, V)));
    auto WithContents =
        compileOk(payloadStrlen(inv(andA(Bounds, andA(X, Pred)), V)));
    ASSERT_EQ(Plain.Cuts.size(), 1u);
    ASSERT_EQ(WithContents.Cuts.size(), 1u);
    EXPECT_EQ(WithContents.Cuts[0].Facts, Plain.Cuts[0].Facts);
    EXPECT_EQ(WithContents.Cuts[0].Rank, Plain.Cuts[0].Rank);
  }
  Has(Strlen(cmpA("<=", vr("p"), lit(100))),
      "not supported yet: the comparison 'p <= 100' in a loop invariant (loop at line 18) "
      "compares a packet pointer with an integer");
  Has(Strlen(Le("data", "p"), vr("p")), "not supported yet: the variant 'p' (loop at line 18) "
                                        "is a pointer");
  Has(Strlen(Le("data", "p"), nullptr), "not supported yet: loop without a variant");
  Has(Strlen(Le("ctx", "p")), "not supported yet: the context pointer 'ctx' in a loop invariant");
  {
    auto Pre = std::make_shared<Term>(*vr("p"));
    Pre->AtPre = true;
    Has(Strlen(cmpA("<=", Pre, vr("p"))), "not supported yet: 'p@pre' in a loop invariant");
  }
  Has(Strlen(cmpA("<=", tb("*", tb("-", vr("p"), vr("data")), tb("-", vr("p"), vr("data"))),
                  lit(100))),
      "not supported yet: a non-linear term in a loop invariant");
  Has(Strlen(Le("data", "q")), "unknown variable 'q' in a loop invariant");
  {
    // Arithmetic on a pointer to something wider than a byte: C would scale
    // it, addresses do not.
    Function F = payloadStrlen(inv(cmpA("<=", tb("+", vr("p"), lit(1)), vr("data_end")),
                                   tb("-", vr("data_end"), vr("p"))));
    F.Vars[3].Ty = ptrTy(4, "__u32 *");
    Has(compileErr(F), "arithmetic on the pointer '__u32 * p' (only byte pointers)");
    // A cast to a byte pointer keeps the address and allows the arithmetic:
    // the cut point of `(void *)p + 1 <= data_end` is that of the byte
    // pointer's `p + 1 <= data_end`. A cast of an integer is refused.
    auto Cast = [](const char *Type, TermPtr X) {
      auto C = std::make_shared<Term>();
      C->K = Term::Kind::Cast;
      C->Name = Type;
      C->Args = {std::move(X)};
      return C;
    };
    F.Body->Body[3]->Annot = inv(cmpA("<=", tb("+", Cast("void *", vr("p")), lit(1)),
                                      vr("data_end")),
                                 tb("-", vr("data_end"), Cast("char *", vr("p"))));
    CompiledProgram Wide = compileOk(F);
    CompiledProgram Byte = compileOk(payloadStrlen(
        inv(cmpA("<=", tb("+", vr("p"), lit(1)), vr("data_end")),
            tb("-", vr("data_end"), vr("p")))));
    ASSERT_EQ(Wide.Cuts.size(), 1u);
    ASSERT_EQ(Byte.Cuts.size(), 1u);
    EXPECT_EQ(Wide.Cuts[0].Facts, Byte.Cuts[0].Facts);
    F.Body->Body[3]->Annot = inv(cmpA("<=", Cast("unsigned char *", lit(5)), vr("data_end")),
                                 tb("-", vr("data_end"), vr("p")));
    Has(compileErr(F), "not supported yet: a cast of an integer to 'unsigned char *'");
  }
}

TEST(CodeGenLoop, ConstantVariablesAndProvenance) {
  // n = 8 (never modified) is bound to its constant and may be used in the
  // invariant even though its value is known; a pointer assigned both a
  // packet pointer and data_end is refused.
  Function F = sumPayload(inv(andA(cmpA("<=", lit(0), vr("i")), cmpA("<=", vr("i"), vr("n"))),
                              tb("-", vr("n"), vr("i"))));
  unsigned N = addVar(F, "n", i32());
  F.Body->Body.insert(F.Body->Body.begin() + 3, assign(N, cst(8, i32())));
  F.Body->Body[5]->Cond = cmp(OK::ULt, var(4, u32()), cast(u32(), var(N, i32())));
  CompiledProgram P = compileOk(F);
  ASSERT_EQ(P.Cuts.size(), 1u);
  bool Found = false;
  for (const std::string &L : P.Cuts[0].Text)
    Found |= L.find(" = 8  (n)") != std::string::npos;
  EXPECT_TRUE(Found) << P.Asm;
  EXPECT_EQ(P.Cuts[0].Rank, lin(8, {{2, -1}}));
  ProofWriteResult R = proveWith(P, P.Cuts);
  EXPECT_TRUE(R.Ok) << R.Error << "\n" << P.Asm;

  Function G = payloadStrlen();
  G.Body->Body.insert(G.Body->Body.begin() + 3,
                      ifThen(cmp(OK::Eq, var(1, bytePtr()), var(2, bytePtr())),
                             assign(3, var(2, bytePtr()))));
  // p may be data (PACKET) or data_end (PACKET_END) at the head.
  std::string Err = compileErr(G);
  EXPECT_NE(Err.find("not supported yet: 'p' may hold a packet pointer, a pointer relative "
                     "to data_end at the loop head"),
            std::string::npos) << Err;
}

TEST(CodeGenLoop, LoopCarriedUnassignedIntegerStartsAtZero) {
  // last is read in the loop before being assigned there; it has no value
  // on entry. Its home gets 0 before the loop, so the cut point's SCALAR
  // binding holds on entry and the checker accepts.
  Function F = sumPayload();
  unsigned Last = addVar(F, "last", u32());
  Stmt &Loop = *F.Body->Body[4];
  Loop.Then->Body.push_back(assign(3, bin(OK::Add, var(3, u32()), var(Last, u32()))));
  Loop.Then->Body.push_back(assign(Last, var(4, u32())));
  CompiledProgram P = compileOk(F);
  EXPECT_NE(P.Asm.find(": 0 (live at the loop head, unassigned before it)"),
            std::string::npos)
      << P.Asm;
  ProofWriteResult R = proveWith(P, P.Cuts);
  EXPECT_TRUE(R.Ok) << R.Error << "\n" << P.Asm;

  // Assigned before the loop on one path only: zeroed at the entry.
  Function G = sumPayload();
  Last = addVar(G, "last", u32());
  Stmt &GLoop = *G.Body->Body[4];
  GLoop.Then->Body.push_back(assign(3, bin(OK::Add, var(3, u32()), var(Last, u32()))));
  GLoop.Then->Body.push_back(assign(Last, var(4, u32())));
  G.Body->Body.insert(G.Body->Body.begin() + 4,
                      ifThen(cmp(OK::UGt, var(2, bytePtr()), var(1, bytePtr())),
                             assign(Last, cst(7, u32()))));
  P = compileOk(G);
  EXPECT_NE(P.Asm.find(": 0 (live at a loop head, may be unassigned before it)"),
            std::string::npos)
      << P.Asm;
  R = proveWith(P, P.Cuts);
  EXPECT_TRUE(R.Ok) << R.Error << "\n" << P.Asm;
}

TEST(CodeGenLoop, LoopCarriedUnassignedPointerRejected) {
  // A pointer has no value to start with that the cut point could bind.
  Function F = sumPayload();
  unsigned Prev = addVar(F, "prev", bytePtr());
  Stmt &Loop = *F.Body->Body[4];
  Loop.Then->Body.push_back(
      ifThen(cmp(OK::UGt, var(Prev, bytePtr()), var(2, bytePtr())), brk()));
  Loop.Then->Body.push_back(assign(Prev, var(5, bytePtr())));
  std::string Err = compileErr(F);
  EXPECT_NE(Err.find("not supported yet: the pointer 'prev' is live at the "
                     "loop head (line 18) but may be unassigned when the "
                     "loop is entered"),
            std::string::npos)
      << Err;
}

// ===-- The kernel ---------------------------------------------------------===

TEST(CodeGenLoopKernel, LoopsMatchReference) {
  VEP_REQUIRE_KERNEL();
  struct Case {
    const char *Name;
    Function F;
  };
  std::vector<Case> Cases;
  Cases.push_back({"sum parity", sumPayload()});
  Cases.push_back({"sum", sumPayload(nullptr, true)});
  Cases.push_back({"signed counter",
                   signedCounter(andA(cmpA("<=", lit(0), vr("i")), cmpA("<=", vr("i"), lit(16))))});
  Cases.push_back({"do-while", doWhileCount()});
  Cases.push_back({"continue", evenBytes()});
  Cases.push_back({"bound in the test", boundInCond()});
  Cases.push_back({"two loops", twoLoops()});
  Cases.push_back({"nested loops", nestedSum()});
  Cases.push_back({"nested loops, outer step first", nestedSum(false, true)});
  for (Case &C : Cases) {
    CompiledProgram P = compileOk(C.F);
    KernelProgram K;
    std::string Why;
    ASSERT_TRUE(K.load(P, Why)) << C.Name << ": " << Why << "\n" << P.Asm;
    for (size_t Len : {14, 15, 16, 17, 30, 45, 46, 47, 64, 100, 300}) {
      for (uint8_t Seed : {1, 2, 3}) {
        std::vector<uint8_t> Pkt = packet(Len, Seed);
        if (Seed == 3 && Len > 5)
          Pkt[Len / 2] = 0; // a terminator for the string loops
        if (Seed == 2)
          Pkt[0] |= 15; // the longest loop of boundInCond
        bool Bad = false;
        uint32_t Want = reference(C.F, Pkt, Bad);
        ASSERT_FALSE(Bad) << C.Name << " len " << Len;
        EXPECT_EQ(K.run(Pkt), Want) << C.Name << " len " << Len << " seed " << int(Seed);
      }
    }
  }
}

TEST(CodeGenLoopKernel, SumPayloadValues) {
  VEP_REQUIRE_KERNEL();
  // Independently of the reference interpreter: the sum of bytes 14..45.
  CompiledProgram P = compileOk(sumPayload(nullptr, true));
  KernelProgram K;
  std::string Why;
  ASSERT_TRUE(K.load(P, Why)) << Why;
  for (size_t Len : {14, 15, 20, 46, 80}) {
    std::vector<uint8_t> Pkt = packet(Len, 9);
    uint32_t Want = 0;
    for (size_t I = 14; I < std::min<size_t>(Len, 46); ++I)
      Want += Pkt[I];
    EXPECT_EQ(K.run(Pkt), Want) << "len " << Len;
  }
}

// ===-- The checker ---------------------------------------------------------===

TEST(CodeGenLoopChecker, LoopProgramsProved) {
  std::vector<Function> Fs;
  Fs.push_back(sumPayload());
  Fs.push_back(sumPayload(nullptr, true));
  Fs.push_back(payloadStrlen());
  Fs.push_back(payloadStrlen(nullptr, true));
  Fs.push_back(signedCounter(andA(cmpA("<=", lit(0), vr("i")), cmpA("<=", vr("i"), lit(16)))));
  Fs.push_back(doWhileSum());
  Fs.push_back(doWhileCount());
  Fs.push_back(evenBytes());
  Fs.push_back(boundInCond());
  Fs.push_back(twoLoops());
  Fs.push_back(nestedSum());
  Fs.push_back(nestedSum(false, true));
  for (const Function &F : Fs) {
    CompiledProgram P = compileOk(F);
    ProofWriteResult R = proveWith(P, P.Cuts);
    EXPECT_TRUE(R.Ok) << F.Name << ": " << R.Error << "\n" << P.Asm;
    // Without its cut point the loop is refused.
    R = proveWith(P, {});
    EXPECT_FALSE(R.Ok) << F.Name;
  }
}

TEST(CodeGenLoopChecker, WrongTranslationsRejected) {
  CompiledProgram P = compileOk(sumPayload());
  ASSERT_EQ(P.Cuts.size(), 1u);
  ASSERT_TRUE(proveWith(P, P.Cuts).Ok);
  auto Rejected = [&](const char *What, std::vector<CutPoint> Cuts, const char *Why) {
    ProofWriteResult R = proveWith(P, std::move(Cuts));
    EXPECT_FALSE(R.Ok) << What;
    EXPECT_NE(R.Error.find(Why), std::string::npos) << What << ": " << R.Error;
  };
  {
    auto Cuts = P.Cuts; // i <= 31 instead of i <= 32: fails on the back edge
    Cuts[0].Facts.back() = lin(31, {{2, -1}});
    Rejected("i <= 31", Cuts, "CUT_FACT");
  }
  {
    auto Cuts = P.Cuts; // rank 31 - i: not >= 0 after the last iteration
    Cuts[0].Rank = lin(31, {{2, -1}});
    Rejected("rank 31 - i", Cuts, "RANK_NONNEG");
  }
  {
    auto Cuts = P.Cuts; // rank i + 0: does not decrease
    Cuts[0].Rank = lin(0, {{2, 1}});
    Rejected("rank i", Cuts, "RANK_DECREASE");
  }
  {
    auto Cuts = P.Cuts; // sum >= 1: false on entry
    Cuts[0].Facts.push_back(lin(-1, {{1, 1}}));
    Rejected("sum >= 1", Cuts, "CUT_FACT");
  }
  {
    auto Cuts = P.Cuts; // data_end bound as data + 0
    Cuts[0].Bindings[1].Kind = BindKind::Packet;
    Rejected("data_end as data", Cuts, "cut_match");
  }
  {
    auto Cuts = P.Cuts; // data bound at offset 1
    Cuts[0].Bindings[0].Form = LinForm::constant(1);
    Rejected("data + 1", Cuts, "CUT_BINDING");
  }
  {
    auto Cuts = P.Cuts; // the registers of sum and i swapped
    std::swap(Cuts[0].Bindings[2].Where, Cuts[0].Bindings[3].Where);
    Rejected("sum and i swapped", Cuts, "not proved");
  }
  CompiledProgram Q = compileOk(payloadStrlen());
  ASSERT_EQ(Q.Cuts.size(), 1u);
  {
    auto Cuts = Q.Cuts; // p < data_end (strict): false when the loop ends
    Cuts[0].Facts[1] = lin(-1, {{0, 1}, {1, -1}});
    ProofWriteResult R = proveWith(Q, Cuts);
    EXPECT_FALSE(R.Ok);
    EXPECT_NE(R.Error.find("CUT_FACT"), std::string::npos) << R.Error;
  }
  {
    auto Cuts = Q.Cuts; // without data <= p the load is not provably in bounds
    Cuts[0].Facts.erase(Cuts[0].Facts.begin());
    ProofWriteResult R = proveWith(Q, Cuts);
    EXPECT_FALSE(R.Ok);
    EXPECT_NE(R.Error.find("ACCESS_LOW"), std::string::npos) << R.Error;
  }
}

// A refusal of the compiler's own output names its cut point in C terms
// (vepcc prints it with the internal error): the assertion the failing path
// was heading to, with the invariant, and where the path started; or the
// statement where a path failed between cut points.
TEST(CodeGenLoopChecker, RefusalNamesTheCutPoint) {
  CompiledProgram P = compileOk(sumPayload());
  ASSERT_EQ(P.Cuts.size(), 1u);
  auto SiteOf = [](const CompiledProgram &Q, std::vector<CutPoint> Cuts) {
    ProofWriteResult R = proveWith(Q, std::move(Cuts));
    EXPECT_FALSE(R.Ok);
    EXPECT_EQ(R.Refusal.Unit, "xdp") << R.Error;
    return describeRefusalSite({Q}, R.Refusal, "prog.c");
  };
  const std::string Head =
      "the loop head at line 18 (Inv 0 <= i && i <= 32 Variant 32 - i)";
  // The loop head is reached from the entry and around the loop: the
  // checker's result does not say which path failed, so both are named.
  const std::string ToHead = "prog.c:18:0: note: on the path to " + Head +
                             " from the entry of sum_payload (line 0) or " + Head;
  {
    auto Cuts = P.Cuts; // sum >= 1: false on entry
    Cuts[0].Facts.push_back(lin(-1, {{1, 1}}));
    EXPECT_EQ(SiteOf(P, Cuts), ToHead);
  }
  {
    auto Cuts = P.Cuts; // i <= 31: fails on the back edge
    Cuts[0].Facts.back() = lin(31, {{2, -1}});
    EXPECT_EQ(SiteOf(P, Cuts), ToHead);
  }
  {
    CompiledProgram Q = P; // only XDP_DROP (1) allowed: the exit at line 24
    Q.Post = {{{-1, 1}}};
    EXPECT_EQ(SiteOf(Q, Q.Cuts), "prog.c:24:0: note: on the path to the exit at line 24 (the "
                                 "postcondition of sum_payload) from " + Head);
  }
  CompiledProgram S = compileOk(payloadStrlen());
  ASSERT_EQ(S.Cuts.size(), 1u);
  {
    auto Cuts = S.Cuts; // without data <= p the load in the condition fails
    Cuts[0].Facts.erase(Cuts[0].Facts.begin());
    EXPECT_EQ(SiteOf(S, Cuts),
              "prog.c:18:0: note: in the statement at line 18, on the path from the loop head "
              "at line 18 (Inv data <= p && p <= data_end Variant data_end - p)");
  }
  // A unit the compiled programs do not have: nothing to say.
  EXPECT_EQ(describeRefusalSite({P}, {"tc", 3, "cut point 3: x"}, "prog.c"), "");
}

// ===-- Assembly ------------------------------------------------------------===

// `vepcc -S` output with loops (backward jumps to labels, cut-point comments)
// assembles to the very same instructions.
TEST(CodeGenLoop, AsmAssemblesToTheSameInstructions) {
  if (access(VEP_LLVM_MC, X_OK) != 0)
    GTEST_SKIP() << VEP_LLVM_MC << " not found";
  std::vector<Function> Fs;
  Fs.push_back(sumPayload());
  Fs.push_back(payloadStrlen());
  Fs.push_back(doWhileSum());
  Fs.push_back(evenBytes());
  std::vector<CompiledProgram> Progs;
  for (size_t K = 0; K < Fs.size(); ++K) {
    Fs[K].Section = "xdp/loop" + std::to_string(K);
    Progs.push_back(compileOk(Fs[K]));
  }
  std::string Dir = testing::TempDir();
  std::string S = Dir + "/vep_cg_loop_asm.s", O = Dir + "/vep_cg_loop_asm.o";
  {
    std::ofstream Out(S);
    Out << writeAssembly(Progs, "GPL");
  }
  std::string Cmd = std::string(VEP_LLVM_MC) + " -triple bpf -filetype=obj -o " + O + " " +
                    S + " 2>&1";
  ASSERT_EQ(system(Cmd.c_str()), 0) << Cmd;
  std::ifstream In(O, std::ios::binary);
  std::vector<uint8_t> Obj{std::istreambuf_iterator<char>(In), std::istreambuf_iterator<char>()};
  for (const CompiledProgram &P : Progs) {
    auto Sec = findElfSection(Obj, P.Section);
    ASSERT_TRUE(Sec) << P.Section;
    EXPECT_EQ(std::vector<uint8_t>(Sec->Data, Sec->Data + Sec->Size), encodeInsns(P.Insns))
        << P.Asm;
  }
  unlink(S.c_str());
  unlink(O.c_str());
}
