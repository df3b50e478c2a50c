// Front end: parsing, annotations, lowering to the CIR, bad input.
#include "TestUtil.h"

#include <gtest/gtest.h>

#include <optional>
#include <tuple>

using namespace vep;
using namespace vepc_test;
using CK = cir::Expr::Kind;
using Op = cir::Expr::OpKind;
using SK = cir::Stmt::Kind;

namespace {

unsigned varId(const cir::Function &F, const std::string &Name) {
  for (unsigned I = 0; I < F.Vars.size(); ++I)
    if (F.Vars[I].Name == Name)
      return I;
  ADD_FAILURE() << "no variable " << Name;
  return ~0u;
}

/// The value assigned by the first `Name = ...` (or its initialiser).
const cir::Expr *assigned(const cir::Function &F, const std::string &Name) {
  unsigned Id = varId(F, Name);
  const cir::Expr *Found = nullptr;
  forEachStmt(*F.Body, [&](const cir::Stmt &S) {
    if (!Found && S.K == SK::Assign && S.VarId == Id)
      Found = S.Value.get();
  });
  EXPECT_NE(Found, nullptr) << "no assignment to " << Name;
  return Found;
}

const cir::Expr *findLoad(const cir::Expr &E) {
  if (E.K == CK::Load)
    return &E;
  for (const auto &O : E.Ops)
    if (const cir::Expr *L = findLoad(*O))
      return L;
  return nullptr;
}

bool isVar(const cir::Expr &E, unsigned Id) {
  return E.K == CK::Var && E.VarId == Id;
}

/// Expects `A` to be `Var(Id) + Off` (PtrAdd), or just Var(Id) if Off == 0.
void expectAddr(const cir::Expr &A, unsigned Id, uint64_t Off) {
  if (Off == 0) {
    EXPECT_TRUE(isVar(A, Id));
    return;
  }
  ASSERT_EQ(A.K, CK::Binary);
  EXPECT_EQ(A.Op, Op::PtrAdd);
  ASSERT_EQ(A.Ops.size(), 2u);
  EXPECT_TRUE(isVar(*A.Ops[0], Id));
  ASSERT_EQ(A.Ops[1]->K, CK::Const);
  EXPECT_EQ(A.Ops[1]->Value, Off);
  EXPECT_EQ(A.Ops[1]->Ty.Bits, 64u);
  EXPECT_TRUE(A.Ops[1]->Ty.Signed);
}

TEST(Frontend, EntryPointAndLicense) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("eth_ok.c", M, Errs)) << show(Errs);
  EXPECT_EQ(M.License, "GPL");
  ASSERT_EQ(M.Functions.size(), 1u);
  const cir::Function &F = M.Functions[0];
  EXPECT_EQ(F.Name, "xdp_eth");
  EXPECT_EQ(F.Section, "xdp");
  EXPECT_EQ(F.ProgType, cir::ProgramType::XDP);
  EXPECT_EQ(F.NumParams, 1u);
  ASSERT_GE(F.Vars.size(), 4u);
  EXPECT_EQ(F.Vars[0].Name, "ctx");
  EXPECT_TRUE(F.Vars[0].IsParam);
  EXPECT_TRUE(F.Vars[0].Ty.isPtr());
  EXPECT_EQ(F.Vars[1].Name, "data");
  EXPECT_EQ(F.Vars[2].Name, "data_end");
  EXPECT_EQ(F.Vars[3].Name, "eth");
  EXPECT_EQ(F.Vars[3].Ty.PointeeSize, 14u);
  EXPECT_FALSE(F.Vars[1].IsParam);
  EXPECT_TRUE(F.ReturnType.Signed);
  EXPECT_EQ(F.ReturnType.Bits, 32u);
  EXPECT_EQ(F.Contract, nullptr);
  EXPECT_EQ(F.L.Line, 9u);
}

TEST(Frontend, ContextFieldsAreLoadsWithCasts) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("lowering.c", M, Errs)) << show(Errs);
  const cir::Function &F = M.Functions[0];
  // data = (void *)(long)ctx->data : Cast(Cast(Load u32 [ctx]))
  const cir::Expr *D = assigned(F, "data");
  ASSERT_TRUE(D);
  EXPECT_EQ(D->K, CK::Cast);
  EXPECT_TRUE(D->Ty.isPtr());
  ASSERT_EQ(D->Ops[0]->K, CK::Cast);
  EXPECT_EQ(D->Ops[0]->Ty.Bits, 64u);
  EXPECT_TRUE(D->Ops[0]->Ty.Signed);
  const cir::Expr *L = D->Ops[0]->Ops[0].get();
  ASSERT_EQ(L->K, CK::Load);
  EXPECT_EQ(L->Ty.Bits, 32u);
  EXPECT_FALSE(L->Ty.Signed);
  expectAddr(*L->Ops[0], 0, 0);
  const cir::Expr *DE = findLoad(*assigned(F, "data_end"));
  ASSERT_TRUE(DE);
  expectAddr(*DE->Ops[0], 0, 4);
}

TEST(Frontend, MemberOffsetsAndSizes) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("lowering.c", M, Errs)) << show(Errs);
  const cir::Function &F = M.Functions[0];
  unsigned Ip = varId(F, "ip"), Eth = varId(F, "eth"), Data = varId(F, "data");

  // ip = data + sizeof(*eth): PtrAdd(data, 14)
  const cir::Expr *IpInit = assigned(F, "ip");
  ASSERT_TRUE(IpInit);
  const cir::Expr *PA = IpInit->K == CK::Cast ? IpInit->Ops[0].get() : IpInit;
  expectAddr(*PA, Data, 14);

  const cir::Expr *Proto = assigned(F, "proto");
  ASSERT_EQ(Proto->K, CK::Load);
  EXPECT_EQ(Proto->Ty.Bits, 8u);
  expectAddr(*Proto->Ops[0], Ip, 9);

  const cir::Expr *Daddr = assigned(F, "daddr");
  ASSERT_EQ(Daddr->K, CK::Load);
  EXPECT_EQ(Daddr->Ty.Bits, 32u);
  expectAddr(*Daddr->Ops[0], Ip, 16);

  const cir::Expr *HP = assigned(F, "h_proto");
  ASSERT_EQ(HP->K, CK::Load);
  EXPECT_EQ(HP->Ty.Bits, 16u);
  EXPECT_EQ(HP->Ty.Spelling, "__be16");
  expectAddr(*HP->Ops[0], Eth, 12);

  // (void *)(ip + 1) scales by sizeof(struct iphdr) = 20.
  bool SawIpPlus20 = false;
  forEachExpr(*F.Body, [&](const cir::Expr &E) {
    if (E.K == CK::Binary && E.Op == Op::PtrAdd && isVar(*E.Ops[0], Ip) &&
        E.Ops[1]->K == CK::Const && E.Ops[1]->Value == 20)
      SawIpPlus20 = true;
  });
  EXPECT_TRUE(SawIpPlus20);
}

TEST(Frontend, BitFieldsAreShiftAndMaskOfTheStorageUnit) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("lowering.c", M, Errs)) << show(Errs);
  const cir::Function &F = M.Functions[0];
  unsigned Ip = varId(F, "ip");

  // ihl: bits 0..3 of the byte at offset 0 (little-endian bit-fields).
  const cir::Expr *Ihl = assigned(F, "ihl");
  ASSERT_EQ(Ihl->K, CK::Cast);
  EXPECT_EQ(Ihl->Ty.Bits, 8u);
  const cir::Expr *And = Ihl->Ops[0].get();
  ASSERT_EQ(And->K, CK::Binary);
  EXPECT_EQ(And->Op, Op::And);
  ASSERT_EQ(And->Ops[1]->K, CK::Const);
  EXPECT_EQ(And->Ops[1]->Value, 0xfu);
  const cir::Expr *Ld = findLoad(*And);
  ASSERT_TRUE(Ld);
  EXPECT_EQ(Ld->Ty.Bits, 8u);
  EXPECT_FALSE(Ld->Ty.Signed);
  expectAddr(*Ld->Ops[0], Ip, 0);
  EXPECT_EQ(And->Ops[0]->K, CK::Cast); // no shift for ihl

  // version: bits 4..7 of the same byte: (unit >> 4) & 0xf.
  const cir::Expr *Ver = assigned(F, "version");
  ASSERT_EQ(Ver->K, CK::Cast);
  const cir::Expr *And2 = Ver->Ops[0].get();
  ASSERT_EQ(And2->Op, Op::And);
  EXPECT_EQ(And2->Ops[1]->Value, 0xfu);
  const cir::Expr *Sh = And2->Ops[0].get();
  ASSERT_EQ(Sh->K, CK::Binary);
  EXPECT_EQ(Sh->Op, Op::LShr);
  ASSERT_EQ(Sh->Ops[1]->K, CK::Const);
  EXPECT_EQ(Sh->Ops[1]->Value, 4u);
  const cir::Expr *Ld2 = findLoad(*Sh);
  ASSERT_TRUE(Ld2);
  expectAddr(*Ld2->Ops[0], Ip, 0);
}

TEST(Frontend, ByteSwapOfConstantIsFolded) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("lowering.c", M, Errs)) << show(Errs);
  const cir::Function &F = M.Functions[0];
  unsigned HP = varId(F, "h_proto");
  // if (h_proto == bpf_htons(ETH_P_IP)): Cmp Eq (int) h_proto, 0x0008
  const cir::Expr *Cmp = nullptr;
  forEachExpr(*F.Body, [&](const cir::Expr &E) {
    if (E.K == CK::Cmp && E.Ops[0]->K == CK::Cast &&
        isVar(*E.Ops[0]->Ops[0], HP))
      Cmp = &E;
  });
  ASSERT_TRUE(Cmp);
  EXPECT_EQ(Cmp->Op, Op::Eq);
  EXPECT_EQ(Cmp->Ops[0]->Ty.Bits, 32u); // promoted to int
  ASSERT_EQ(Cmp->Ops[1]->K, CK::Const);
  EXPECT_EQ(Cmp->Ops[1]->Value, 0x0008u); // htons(0x0800), little-endian
  EXPECT_EQ(Cmp->Ty.Bits, 32u);
}

TEST(Frontend, VariableLengthHeaderArithmetic) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("ihl_ok.c", M, Errs)) << show(Errs);
  const cir::Function &F = M.Functions[0];
  // hlen = ip->ihl * 4: computed in int (signed multiply), converted to __u32.
  const cir::Expr *H = assigned(F, "hlen");
  ASSERT_EQ(H->K, CK::Cast);
  EXPECT_FALSE(H->Ty.Signed);
  const cir::Expr *Mul = H->Ops[0].get();
  ASSERT_EQ(Mul->K, CK::Binary);
  EXPECT_EQ(Mul->Op, Op::Mul);
  EXPECT_TRUE(Mul->Ty.Signed);
  EXPECT_EQ(Mul->Ty.Bits, 32u);
  // udp = (void *)ip + hlen: a byte offset (void * arithmetic), zero-extended.
  const cir::Expr *U = assigned(F, "udp");
  const cir::Expr *PA = U->K == CK::Cast ? U->Ops[0].get() : U;
  ASSERT_EQ(PA->K, CK::Binary);
  EXPECT_EQ(PA->Op, Op::PtrAdd);
  ASSERT_EQ(PA->Ops[1]->K, CK::Cast);
  EXPECT_EQ(PA->Ops[1]->Ty.Bits, 64u);
  EXPECT_TRUE(isVar(*PA->Ops[1]->Ops[0], varId(F, "hlen")));
}

TEST(Frontend, ContractIsAttachedWithConstantsResolved) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("ensure_ok.c", M, Errs)) << show(Errs);
  const cir::Function &F = M.Functions[0];
  ASSERT_TRUE(F.Contract);
  EXPECT_EQ(F.Contract->K, logic::Annotation::Kind::Contract);
  ASSERT_TRUE(F.Contract->Post);
  EXPECT_EQ(logic::print(*F.Contract->Post),
            "__return == 2 || __return == 1");
}

TEST(Frontend, AssertionsBecomeStatements) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("assert.c", M, Errs)) << show(Errs);
  std::vector<const cir::Stmt *> Asserts;
  forEachStmt(*M.Functions[0].Body, [&](const cir::Stmt &S) {
    if (S.K == SK::Assert)
      Asserts.push_back(&S);
  });
  ASSERT_EQ(Asserts.size(), 3u);
  EXPECT_EQ(Asserts[0]->L.Line, 19u);
  EXPECT_EQ(Asserts[0]->L.Col, 13u); // `hlen <= 60` after "/*@ Assert "
  EXPECT_EQ(Asserts[1]->L.Line, 20u);
  EXPECT_EQ(Asserts[1]->L.Col, 6u); // bare `/*@ hlen % 4 == 0 */`
  EXPECT_EQ(Asserts[2]->L.Line, 23u);
}

TEST(Frontend, AnnotationParseErrorHasPrecisePosition) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("parse_error.c", M, Errs));
  ASSERT_EQ(Errs.size(), 1u) << show(Errs);
  EXPECT_EQ(Errs[0].Line, 10u);
  EXPECT_EQ(Errs[0].Col, 24u) << show(Errs); // the second `==`
  EXPECT_NE(Errs[0].File.find("parse_error.c"), std::string::npos);
}

TEST(Frontend, LoopWithoutInvariantLowers) {
  // A counting loop gets an inferred invariant; another loop none: the
  // verifier, not the front end, reports the missing invariant.
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("for_loop.c", M, Errs)) << show(Errs);
  const unsigned Lines[] = {13, 23};
  for (unsigned K = 0; K < 2; ++K) {
    const cir::Stmt *Loop = nullptr;
    forEachStmt(*M.Functions[K].Body, [&](const cir::Stmt &S) {
      if (S.K == SK::Loop)
        Loop = &S;
    });
    ASSERT_NE(Loop, nullptr);
    EXPECT_EQ(Loop->L.Line, Lines[K]);
    EXPECT_EQ(Loop->L.Col, 2u);
    EXPECT_EQ(bool(Loop->Annot), K == 0);
    EXPECT_EQ(Loop->InvInferred, K == 0);
    if (K == 0)
      EXPECT_EQ(logic::print(*Loop->Annot->Pre), "0 <= i && i <= 4");
  }
}

// The VLAN walk's cursor, moved by 4 bytes each iteration from eth + 1
// (eth = data), is stated over data: `vlh == data + 14 + 4 * i`, and the
// guard on eth is kept (the loop reads data_end). A while loop whose body
// ends with `r++` and whose condition has `r < 31` among its conjuncts
// counts; one whose `continue` skips `r++` does not. Guards before a loop
// give the facts the loop's variables keep, the copies of pointers too,
// not those of a variable the loop changes or of a signed one; so do the
// guards of the blocks around the loop's and the `if` it is inside. A
// packet pointer moved by nonnegative steps of at most m stays between
// data and data_end + m; one moved back gets no bounds. A loop without a
// counter whose iterations end by moving such a pointer gets its bounds
// and the variant data_end + m - p. A pointer nothing is read through
// gets no bounds.
TEST(Frontend, InferredInvariantStatesTheCursor) {
  std::vector<std::string> Invs;
  for (std::string File : {example("xdp_vlan_walk.c"), input("loop_inferred.c")}) {
    cir::Module M;
    std::vector<frontend::Diagnostic> Errs;
    ASSERT_TRUE(frontend::buildModule(File, {}, M, Errs)) << show(Errs);
    for (const cir::Function &F : M.Functions)
      forEachStmt(*F.Body, [&](const cir::Stmt &S) {
        if (S.K == SK::Loop)
          Invs.push_back(!S.InvInferred ? "none"
                         : S.Annot->Variant
                             ? logic::print(*S.Annot->Pre) + " Variant " +
                                   logic::print(*S.Annot->Variant)
                             : logic::print(*S.Annot->Pre));
      });
  }
  ASSERT_EQ(Invs.size(), 17u);
  EXPECT_EQ(Invs[0], "0 <= i && i <= 2 && vlh == data + 14 + 4 * i && "
                     "(void *)eth == data && (void *)eth + 14 <= data_end");
  EXPECT_EQ(Invs[1], "3 <= i && i <= 8 && data <= p && p <= data_end + 1");
  EXPECT_EQ(Invs[2], "0 <= r && r <= 31");
  EXPECT_EQ(Invs[3], "none");
  EXPECT_EQ(Invs[4], "0 <= i && i <= 10 && (void *)ip == data + 14 && "
                     "(void *)ip + 20 <= data_end && (void *)w == (void *)ip");
  EXPECT_EQ(Invs[5], "0 <= i && i <= 3 && k < 8"); // no `!=` (compiler.md)
  EXPECT_EQ(Invs[6], "0 <= i && i <= 3");
  EXPECT_EQ(Invs[7], "0 <= i && i <= 3"); // k is signed
  // From the block around the loop's, and from the `if` it is in.
  EXPECT_EQ(Invs[8], "0 <= i && i <= 10 && (void *)ip == data + 14 && "
                     "(void *)ip + 20 <= data_end && (void *)w == (void *)ip");
  EXPECT_EQ(Invs[9], "0 <= i && i <= 16 && p == data && p + 16 <= data_end");
  EXPECT_EQ(Invs[10], "0 <= i && i <= 10 && (void *)eth <= opt && opt <= "
                      "data_end + 255 && (void *)ip == (void *)eth + 14 && "
                      "(void *)ip + 20 <= data_end");
  EXPECT_EQ(Invs[11], "0 <= i && i <= 4"); // p-- steps back
  EXPECT_EQ(Invs[12], "0 <= i && i <= 4 && data <= p && p <= data_end + 255");
  EXPECT_EQ(Invs[13], "data <= p && p <= data_end + 1 Variant data_end + 1 - "
                      "p");
  EXPECT_EQ(Invs[14], "data <= p && p <= data_end + 2 Variant data_end + 2 - "
                      "p"); // the guard's p changes
  EXPECT_EQ(Invs[15], Invs[14]);
  EXPECT_EQ(Invs[16], "0 <= i && i <= 8"); // nothing read through p
}

/// The loops of a function, in source order.
std::vector<const cir::Stmt *> loops(const cir::Function &F) {
  std::vector<const cir::Stmt *> Out;
  forEachStmt(*F.Body, [&](const cir::Stmt &S) {
    if (S.K == SK::Loop)
      Out.push_back(&S);
  });
  return Out;
}

TEST(Frontend, LoopsLowerToCIR) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("loop_lowering.c", M, Errs)) << show(Errs);
  const cir::Function &F = M.Functions[0];
  std::vector<const cir::Stmt *> Ls = loops(F);
  ASSERT_EQ(Ls.size(), 4u);
  unsigned I = varId(F, "i"), J = varId(F, "j"), P = varId(F, "p"),
           K = varId(F, "k");

  // for (int i = 0, j = 1; i < ETH_HLEN; i += 2, j++) { continue; break; }
  const cir::Stmt &For = *Ls[0];
  EXPECT_EQ(For.L.Line, 14u);
  EXPECT_EQ(For.L.Col, 2u);
  EXPECT_TRUE(For.TestFirst);
  // The initialisation precedes the loop in the enclosing block.
  const auto &Top = F.Body->Body;
  size_t At = 0;
  while (At < Top.size() && Top[At].get() != &For)
    ++At;
  ASSERT_LT(At, Top.size());
  ASSERT_GE(At, 2u);
  EXPECT_EQ(Top[At - 2]->K, SK::Assign);
  EXPECT_EQ(Top[At - 2]->VarId, I);
  EXPECT_EQ(Top[At - 1]->K, SK::Assign);
  EXPECT_EQ(Top[At - 1]->VarId, J);
  ASSERT_TRUE(For.Cond);
  EXPECT_EQ(For.Cond->K, CK::Cmp);
  EXPECT_EQ(For.Cond->Op, Op::SLt);
  ASSERT_TRUE(For.Step);
  ASSERT_EQ(For.Step->K, SK::Block);
  ASSERT_EQ(For.Step->Body.size(), 2u);
  EXPECT_EQ(For.Step->Body[0]->K, SK::Assign);
  EXPECT_EQ(For.Step->Body[0]->VarId, I);
  EXPECT_EQ(For.Step->Body[1]->VarId, J);
  unsigned Breaks = 0, Continues = 0;
  ASSERT_TRUE(For.Then);
  forEachStmt(*For.Then, [&](const cir::Stmt &S) {
    Breaks += S.K == SK::Break;
    Continues += S.K == SK::Continue;
  });
  EXPECT_EQ(Breaks, 1u);
  EXPECT_EQ(Continues, 1u);
  // The invariant sees the `for` declaration; constants are resolved.
  ASSERT_TRUE(For.Annot);
  EXPECT_EQ(For.Annot->K, logic::Annotation::Kind::Inv);
  EXPECT_EQ(logic::print(*For.Annot->Pre), "0 <= i && i <= 14");
  ASSERT_TRUE(For.Annot->Variant);
  EXPECT_EQ(logic::print(*For.Annot->Variant), "14 - i");
  EXPECT_EQ(For.Annot->Pre->Pos.Line, 13u);
  EXPECT_EQ(For.Annot->Pre->Pos.Col, 10u);

  // while (p < data_end) p++;
  const cir::Stmt &While = *Ls[1];
  EXPECT_EQ(While.L.Line, 21u);
  EXPECT_TRUE(While.TestFirst);
  ASSERT_TRUE(While.Cond);
  EXPECT_EQ(While.Cond->K, CK::Cmp);
  EXPECT_FALSE(While.Step);
  ASSERT_TRUE(While.Then);
  ASSERT_EQ(While.Then->K, SK::Assign);
  EXPECT_EQ(While.Then->VarId, P);
  ASSERT_TRUE(While.Annot);
  EXPECT_EQ(logic::print(*While.Annot->Variant), "data_end - p");

  // do k++; while (k < 5);
  const cir::Stmt &Do = *Ls[2];
  EXPECT_EQ(Do.L.Line, 24u);
  EXPECT_FALSE(Do.TestFirst);
  ASSERT_TRUE(Do.Cond);
  ASSERT_TRUE(Do.Then);
  EXPECT_EQ(Do.Then->VarId, K);
  ASSERT_TRUE(Do.Annot);
  EXPECT_FALSE(Do.Annot->Variant);

  // for (;;) break;
  const cir::Stmt &Forever = *Ls[3];
  EXPECT_TRUE(Forever.TestFirst);
  EXPECT_FALSE(Forever.Cond);
  EXPECT_FALSE(Forever.Step);
  EXPECT_FALSE(Forever.Annot);
  ASSERT_TRUE(Forever.Then);
  EXPECT_EQ(Forever.Then->K, SK::Break);
}

// A loop in a loop's body is a Loop inside the outer Loop's Then, with
// its own invariant.
TEST(Frontend, NestedLoopsLower) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("nested_loop.c", M, Errs)) << show(Errs);
  std::vector<const cir::Stmt *> Ls = loops(M.Functions[0]);
  ASSERT_EQ(Ls.size(), 2u);
  EXPECT_EQ(Ls[0]->L.Line, 10u);
  EXPECT_EQ(Ls[1]->L.Line, 12u);
  EXPECT_EQ(Ls[1]->L.Col, 3u);
  ASSERT_TRUE(Ls[1]->Annot);
  // With the outer invariant's facts and the outer test, which hold at the
  // inner head (nothing assigns i from the outer head to there).
  EXPECT_EQ(logic::print(*Ls[1]->Annot->Pre),
            "0 <= j && j <= 4 && 0 <= i && i <= 4 && i < 4");
  bool Inside = false;
  forEachStmt(*Ls[0]->Then, [&](const cir::Stmt &S) { Inside |= &S == Ls[1]; });
  EXPECT_TRUE(Inside);
}

// limit is overwritten after the inner loop, which reads it: it is live at
// the inner head with its outer-head value, so limit <= 8 is carried (sum
// is not read there, and data + 16 <= data_end names no overwritten
// variable).
TEST(Frontend, FactAboutAVariableOverwrittenAfterTheInnerLoopIsCarried) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("nested_loops.c", M, Errs)) << show(Errs);
  for (const auto &F : M.Functions)
    if (F.Name == "carried_past_overwrite") {
      std::vector<const cir::Stmt *> Ls = loops(F);
      ASSERT_EQ(Ls.size(), 2u);
      EXPECT_EQ(logic::print(*Ls[1]->Annot->Pre),
                "j <= limit && i <= 8 && limit <= 8 && data + 16 <= data_end "
                "&& i < 8");
      return;
    }
  ADD_FAILURE() << "no function carried_past_overwrite";
}

// A variable whose name another variable shares gets a unique CIR name
// (the second i is i#2), which the verifier and the compiler read, so the
// outer test naming it is carried.
TEST(Frontend, ShadowedTestIsCarried) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("nested_loops.c", M, Errs)) << show(Errs);
  for (const auto &F : M.Functions)
    if (F.Name == "two_named_i") {
      std::vector<const cir::Stmt *> Ls = loops(F);
      ASSERT_EQ(Ls.size(), 3u);
      EXPECT_EQ(logic::print(*Ls[2]->Annot->Pre), "j <= 4 && i#2 < 4");
      return;
    }
  ADD_FAILURE() << "no function two_named_i";
}

TEST(Frontend, LoopHintsAreIgnored) {
  // `#pragma clang loop` and `#pragma unroll` wrap the loop in an
  // AttributedStmt; the loop lowers as without them and keeps its Inv,
  // written after or before the pragma.
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("loop_hints.c", M, Errs)) << show(Errs);
  std::vector<const cir::Stmt *> Ls = loops(M.Functions[0]);
  ASSERT_EQ(Ls.size(), 2u);
  for (const cir::Stmt *L : Ls) {
    ASSERT_TRUE(L->Annot);
    ASSERT_TRUE(L->Annot->Variant);
    EXPECT_TRUE(L->Cond);
    EXPECT_TRUE(L->Step);
  }
  EXPECT_EQ(logic::print(*Ls[0]->Annot->Variant), "4 - i");
  EXPECT_EQ(logic::print(*Ls[1]->Annot->Variant), "4 - j");
  EXPECT_EQ(Ls[0]->L.Line, 11u);
  EXPECT_EQ(Ls[1]->L.Line, 16u);
}

TEST(Frontend, InvariantMustImmediatelyPrecedeALoop) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("inv_misplaced.c", M, Errs));
  // Before an assignment, and before an assertion that precedes the loop.
  ASSERT_EQ(Errs.size(), 2u) << show(Errs);
  EXPECT_EQ(Errs[0].Line, 10u);
  EXPECT_EQ(Errs[0].Col, 6u);
  EXPECT_EQ(Errs[0].Message, "a loop invariant must immediately precede a loop");
  EXPECT_EQ(Errs[1].Line, 12u);
  EXPECT_EQ(Errs[1].Message, "a loop invariant must immediately precede a loop");
}

TEST(Frontend, PointerVariablesInAnnotations) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_TRUE(build("ptr_annot.c", M, Errs)) << show(Errs);
  Errs.clear();
  EXPECT_FALSE(build("ptr_annot_bad.c", M, Errs));
  ASSERT_EQ(Errs.size(), 5u) << show(Errs); // `eth <= data_end` is fine
  EXPECT_EQ(Errs[0].Line, 12u);
  EXPECT_EQ(Errs[0].Col, 13u);
  EXPECT_EQ(Errs[0].Message, "not supported yet: comparison of a pointer with "
                             "an integer in an annotation");
  EXPECT_EQ(Errs[1].Line, 13u);
  EXPECT_NE(Errs[1].Message.find("not supported yet: arithmetic on a pointer "
                                 "to objects larger than a byte"),
            std::string::npos)
      << Errs[1].Message;
  EXPECT_EQ(Errs[2].Line, 14u);
  EXPECT_EQ(Errs[2].Message,
            "not supported yet: a pointer as the operand of '*' in an "
            "annotation");
  // A cast to a byte pointer keeps a pointer's address (ptr_annot.c);
  // it makes no pointer of an integer, and no wider pointer.
  EXPECT_EQ(Errs[3].Line, 16u);
  EXPECT_EQ(Errs[3].Message, "not supported yet: a cast of an integer to a "
                             "pointer in an annotation");
  EXPECT_EQ(Errs[4].Line, 17u);
  EXPECT_EQ(Errs[4].Message,
            "not supported yet: cast to 'struct ethhdr *' in an annotation");
}

// A called function needs a contract; a call inside an expression is
// rejected as a helper call there is.
TEST(FrontendCalls, FunctionWithoutContractIsRejected) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("helper_call.c", M, Errs));
  ASSERT_EQ(Errs.size(), 1u) << show(Errs);
  EXPECT_EQ(Errs[0].Line, 4u);
  EXPECT_EQ(Errs[0].Col, 12u);
  EXPECT_EQ(Errs[0].Message, "function 'parity' needs a contract: bpf-to-bpf "
                             "calls use only the contract");
}

// A call inside an expression is evaluated into a temporary
// '<callee>.result' just before its statement (in a for-step: inside the
// step), and the expression reads the temporary.
TEST(FrontendCalls, CallsInsideExpressionsAreHoisted) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("calls_expr.c", M, Errs)) << show(Errs);
  const cir::Function &F = M.Functions[0];
  const auto &Body = F.Body->Body;
  auto IsCallInto = [&](const cir::Stmt &S, uint64_t Helper) {
    return S.K == SK::Assign && S.Value->K == CK::Call &&
           S.Value->Value == Helper &&
           F.Vars[S.VarId].Name.find(".result") != std::string::npos;
  };
  // __u32 key = bpf_get_smp_processor_id() & 3;
  ASSERT_GE(Body.size(), 4u);
  ASSERT_TRUE(IsCallInto(*Body[0], 8));
  ASSERT_EQ(Body[1]->K, SK::Assign);
  EXPECT_EQ(Body[1]->VarId, varId(F, "key"));
  const cir::Expr *Key = Body[1]->Value.get();
  ASSERT_EQ(Key->K, CK::Binary);
  EXPECT_EQ(Key->Op, Op::And);
  EXPECT_TRUE(isVar(*Key->Ops[0], Body[0]->VarId));
  // if (!bpf_map_lookup_elem(&counts, &key)) ...
  ASSERT_TRUE(IsCallInto(*Body[2], 1));
  ASSERT_EQ(Body[3]->K, SK::If);
  ASSERT_EQ(Body[3]->Cond->K, CK::Unary);
  EXPECT_EQ(Body[3]->Cond->Op, Op::LNot);
  EXPECT_TRUE(isVar(*Body[3]->Cond->Ops[0], Body[2]->VarId));
  // The for-step: the call, then i = i + (result & 1) + 1.
  const cir::Stmt *Loop = nullptr;
  forEachStmt(*F.Body, [&](const cir::Stmt &S) {
    if (S.K == SK::Loop)
      Loop = &S;
  });
  ASSERT_NE(Loop, nullptr);
  ASSERT_TRUE(Loop->Step && Loop->Step->K == SK::Block);
  ASSERT_EQ(Loop->Step->Body.size(), 2u);
  EXPECT_TRUE(IsCallInto(*Loop->Step->Body[0], 7));
  EXPECT_EQ(Loop->Step->Body[1]->VarId, varId(F, "i"));
  // Helper calls stay only as whole values of assignments or statements.
  forEachStmt(*F.Body, [&](const cir::Stmt &S) {
    for (const auto *E : {S.Cond.get(), S.Addr.get()})
      if (E)
        forEachExpr(*E, [](const cir::Expr &X) {
          EXPECT_NE(X.K, CK::Call);
        });
    if (S.Value && S.Value->K != CK::Call)
      forEachExpr(*S.Value,
                  [](const cir::Expr &X) { EXPECT_NE(X.K, CK::Call); });
  });
}

// A conversion to _Bool is `!= 0` converted to a byte, not a truncation:
// `bool big = data[0]`, `any |= ...` and `bool nonnull = data`.
TEST(FrontendBool, ConversionsCompareWithZero) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("bool.c", M, Errs)) << show(Errs);
  const cir::Function &F = M.Functions[0];
  ASSERT_EQ(F.Name, "bool_ok");
  for (const char *Name : {"big", "any", "nonnull"}) {
    const cir::Expr *V = assigned(F, Name);
    if (std::string(Name) == "any") { // the second assignment, the |=
      unsigned Id = varId(F, Name);
      forEachStmt(*F.Body, [&](const cir::Stmt &S) {
        if (S.K == SK::Assign && S.VarId == Id)
          V = S.Value.get();
      });
    }
    ASSERT_NE(V, nullptr);
    EXPECT_EQ(V->Ty.Bits, 8u) << Name;
    EXPECT_FALSE(V->Ty.Signed) << Name;
    ASSERT_EQ(V->K, CK::Cast) << Name;
    ASSERT_EQ(V->Ops[0]->K, CK::Cmp) << Name;
    EXPECT_EQ(V->Ops[0]->Op, Op::Ne) << Name;
  }
  const cir::Expr *Wide = assigned(F, "wide"); // (bool)256, folded
  ASSERT_NE(Wide, nullptr);
  EXPECT_EQ(Wide->K, CK::Const);
  EXPECT_EQ(Wide->Value, 1u);
  Errs.clear();
  cir::Module U;
  EXPECT_FALSE(build("bool_unsupported.c", U, Errs));
  ASSERT_EQ(Errs.size(), 1u) << show(Errs);
  EXPECT_EQ(Errs[0].Line, 10u);
  EXPECT_EQ(Errs[0].Message, "not supported yet: '++' or '--' of a _Bool");
}

// A switch is a chain of ifs over one evaluation of its value: no loop,
// no break of a loop; the default is the last else. A value that is not a
// variable is read once into `switch.value`.
TEST(FrontendSwitch, LowersToAChainOfIfs) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("switch.c", M, Errs)) << show(Errs);
  auto Function = [&](const std::string &Name) -> const cir::Function & {
    for (const auto &G : M.Functions)
      if (G.Name == Name)
        return G;
    ADD_FAILURE() << "no function " << Name;
    return M.Functions[0];
  };
  const cir::Function &F = Function("switch_ok");
  unsigned Proto = varId(F, "proto");
  unsigned Ifs = 0;
  forEachStmt(*F.Body, [&](const cir::Stmt &S) {
    EXPECT_NE(S.K, SK::Loop);
    EXPECT_NE(S.K, SK::Break);
    if (S.K != SK::If || !S.Cond)
      return;
    const cir::Expr *Cmp =
        S.Cond->K == CK::LOr ? S.Cond->Ops[0].get() : S.Cond.get();
    Ifs += Cmp->K == CK::Cmp && Cmp->Op == Op::Eq &&
           Cmp->Ops[0]->K == CK::Cast && Cmp->Ops[0]->Ops[0]->K == CK::Var &&
           Cmp->Ops[0]->Ops[0]->VarId == Proto;
  });
  EXPECT_EQ(Ifs, 2u); // TCP or UDP; ICMP; else the default
  const cir::Function &Read = Function("switch_case_overread");
  unsigned Value = varId(Read, "switch.value");
  unsigned Assigns = 0;
  forEachStmt(*Read.Body, [&](const cir::Stmt &S) {
    Assigns += S.K == SK::Assign && S.VarId == Value;
  });
  EXPECT_EQ(Assigns, 1u);
  // A signed char's case -1 compares with the promoted int -1.
  bool MinusOne = false;
  forEachExpr(*Function("switch_in_loop").Body, [&](const cir::Expr &E) {
    MinusOne |= E.K == CK::Cmp && E.Op == Op::Eq && E.Ops[1]->K == CK::Const &&
                E.Ops[1]->Ty.Bits == 32 && E.Ops[1]->Value == 0xffffffffu;
  });
  EXPECT_TRUE(MinusOne);
  // A break in the middle of a case sets switch.broke.
  const cir::Function &Early = Function("switch_break_early");
  unsigned Broke = varId(Early, "switch.broke");
  unsigned Sets = 0;
  forEachStmt(*Early.Body, [&](const cir::Stmt &S) {
    Sets += S.K == SK::Assign && S.VarId == Broke && S.Value->Value == 1;
  });
  EXPECT_EQ(Sets, 2u);
}

TEST(FrontendSwitch, LabelsInsideStatementsAreUnsupported) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("switch_unsupported.c", M, Errs));
  ASSERT_EQ(Errs.size(), 1u) << show(Errs);
  EXPECT_EQ(Errs[0].Line, 13u);
  EXPECT_EQ(Errs[0].Message,
            "not supported yet: a case label inside a statement of a switch");
}

// A call right of && or || runs in an if on the left operand's value:
// `t = a != 0; if (t) { r = call(); t = r != 0; }`, then t is the value.
TEST(FrontendCalls, ShortCircuitCalls) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("calls_logic.c", M, Errs)) << show(Errs);
  const cir::Function *F = nullptr;
  for (const auto &G : M.Functions)
    if (G.Name == "and_guards_call")
      F = &G;
  ASSERT_NE(F, nullptr);
  unsigned And = varId(*F, "and.value");
  unsigned CallsUnderAnd = 0, Guards = 0;
  forEachStmt(*F->Body, [&](const cir::Stmt &S) {
    if (S.K != SK::If || !S.Cond || S.Cond->K != CK::Var ||
        S.Cond->VarId != And)
      return;
    ++Guards;
    forEachExpr(*S.Then, [&](const cir::Expr &E) {
      CallsUnderAnd += E.K == CK::FuncCall;
    });
  });
  EXPECT_EQ(Guards, 2u); // the guard of the call, then the statement's if
  EXPECT_EQ(CallsUnderAnd, 1u);
  EXPECT_EQ(varId(*F, "or.value") != ~0u, true);
  EXPECT_EQ(varId(*F, "and.value#2") != ~0u, true); // the lookup's &&
  // ?: with a call in a branch: if (c) { call; t = r; } else { t = 2; }
  for (const auto &G : M.Functions)
    if (G.Name == "cond_guards_call") {
      unsigned Cond = varId(G, "cond.value");
      unsigned Branches = 0;
      forEachStmt(*G.Body, [&](const cir::Stmt &S) {
        if (S.K != SK::If || !S.Then || !S.Else)
          return;
        bool Calls = false;
        forEachExpr(*S.Then, [&](const cir::Expr &E) {
          Calls |= E.K == CK::FuncCall;
        });
        Branches += Calls && S.Then->Body.back()->VarId == Cond &&
                    S.Else->Body.back()->VarId == Cond;
      });
      EXPECT_EQ(Branches, 1u);
    }
}

// Calls C evaluates only under a condition, or at every iteration, and a
// helper writing a variable the expression uses in an unspecified order.
TEST(FrontendCalls, CallsInsideExpressionsThatCannotBeHoisted) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("calls_expr_bad.c", M, Errs));
  std::vector<std::tuple<unsigned, unsigned, std::string>> Expected = {
      {22, 9,
       "not supported yet: call to helper 'bpf_get_prandom_u32' in a loop "
       "condition (C evaluates it before every iteration; call it as a "
       "statement of its own and use a variable holding its result)"},
      {24, 10,
       "not supported yet: 'v' used in the expression that calls "
       "bpf_skb_load_bytes, which writes it (C leaves the order unspecified: "
       "call it as a statement first)"},
  };
  ASSERT_EQ(Errs.size(), Expected.size()) << show(Errs);
  for (size_t I = 0; I < Expected.size(); ++I) {
    EXPECT_EQ(Errs[I].Line, std::get<0>(Expected[I])) << show(Errs);
    EXPECT_EQ(Errs[I].Col, std::get<1>(Expected[I])) << show(Errs);
    EXPECT_EQ(Errs[I].Message, std::get<2>(Expected[I]));
  }
}

namespace {
const cir::Function *functionNamed(const cir::Module &M,
                                   const std::string &Name) {
  for (const auto &F : M.Functions)
    if (F.Name == Name)
      return &F;
  return nullptr;
}
} // namespace

// Called functions come in definition order, without a section, with
// their parameters' descriptions; calls are FuncCalls whose arguments are
// variables or constants (others go to '<f>.argN' temporaries).
TEST(FrontendCalls, CalledFunctionsAndCallsLower) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("func_ok.c", M, Errs)) << show(Errs);
  std::vector<std::string> Names;
  for (const auto &F : M.Functions)
    Names.push_back(F.Name);
  EXPECT_EQ(Names, (std::vector<std::string>{"parse_ipv4", "clamp",
                                             "proto_class", "clear_first",
                                             "sum5", "prog"}));
  using PK = cir::ParamSpec::Kind;
  const cir::Function &Parse = M.Functions[0];
  EXPECT_FALSE(Parse.isEntry());
  ASSERT_EQ(Parse.Params.size(), 2u);
  EXPECT_EQ(Parse.Params[0].K, PK::Packet);
  EXPECT_EQ(Parse.Params[1].K, PK::PacketEnd);
  ASSERT_TRUE(Parse.Contract && Parse.Contract->Post);
  const cir::Function &Clamp = M.Functions[1];
  ASSERT_EQ(Clamp.Params.size(), 2u);
  EXPECT_EQ(Clamp.Params[0].K, PK::Scalar);
  EXPECT_EQ(Clamp.ReturnType.Bits, 32u);
  EXPECT_TRUE(M.Functions[3].ReturnType.isVoid());
  EXPECT_EQ(M.Functions[4].NumParams, 5u);
  const cir::Function &Prog = M.Functions[5];
  EXPECT_TRUE(Prog.isEntry());
  EXPECT_TRUE(Prog.Params.empty());

  std::vector<const cir::Expr *> Calls;
  forEachExpr(*Prog.Body, [&](const cir::Expr &E) {
    if (E.K == cir::Expr::Kind::FuncCall)
      Calls.push_back(&E);
  });
  ASSERT_EQ(Calls.size(), 5u);
  EXPECT_EQ(Calls[0]->Value, 0u); // parse_ipv4(data + 14, data_end)
  EXPECT_EQ(Calls[1]->Value, 0u);
  EXPECT_EQ(Calls[2]->Value, 2u); // proto_class
  EXPECT_EQ(Calls[3]->Value, 3u); // clear_first
  EXPECT_TRUE(Calls[3]->Ty.isVoid());
  EXPECT_EQ(Calls[4]->Ops.size(), 5u);
  for (const cir::Expr *C : Calls)
    for (const auto &A : C->Ops) {
      const cir::Expr &Core = A->K == cir::Expr::Kind::Cast ? *A->Ops[0] : *A;
      EXPECT_TRUE(A->K == cir::Expr::Kind::Const ||
                  Core.K == cir::Expr::Kind::Var);
    }
  ASSERT_EQ(Calls[0]->Ops[0]->K, cir::Expr::Kind::Var);
  EXPECT_EQ(Prog.Vars[Calls[0]->Ops[0]->VarId].Name, "parse_ipv4.arg1");

  // proto_class calls clamp (index 1).
  bool CallsClamp = false;
  forEachExpr(*M.Functions[2].Body, [&](const cir::Expr &E) {
    CallsClamp |= E.K == cir::Expr::Kind::FuncCall && E.Value == 1;
  });
  EXPECT_TRUE(CallsClamp);
}

// Buffers: the size in bytes (n, or 2 * 4 for two ints) and whether the
// body stores through the pointer (zero_pair, through a copy w + 1).
TEST(FrontendCalls, BufferParametersHaveSizeAndWrites) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("func_buffer.c", M, Errs)) << show(Errs);
  const cir::Function *Last = functionNamed(M, "last_byte");
  const cir::Function *Zero = functionNamed(M, "zero_pair");
  ASSERT_TRUE(Last && Zero);
  ASSERT_EQ(Last->Params.size(), 2u);
  EXPECT_EQ(Last->Params[0].K, cir::ParamSpec::Kind::Buffer);
  ASSERT_TRUE(Last->Params[0].BufferBytes);
  EXPECT_EQ(logic::print(*Last->Params[0].BufferBytes), "n");
  EXPECT_FALSE(Last->Params[0].Writes);
  EXPECT_EQ(Last->Params[1].K, cir::ParamSpec::Kind::Scalar);
  ASSERT_EQ(Zero->Params.size(), 1u);
  EXPECT_EQ(logic::print(*Zero->Params[0].BufferBytes), "2 * 4");
  EXPECT_TRUE(Zero->Params[0].Writes);
}

// A local as a function's buffer argument: its bytes (chunks) packed
// before the call, and given back to its variables after it only where
// the callee writes the buffer (sum4 reads, zero_words and bump write).
// data_at and undef_data_at are one-element arrays of the type's width
// (the value a fact on element 0, or in Ensure a name for it); an
// undef_data_at argument gets a value before the call (the checker wants
// stack buffers initialised) and its variable a CallOutput after it.
TEST(FrontendCalls, DataAtIsAOneElementArray) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("func_data_at.c", M, Errs)) << show(Errs);
  const cir::Function *Add = functionNamed(M, "add_len");
  ASSERT_TRUE(Add && Add->Contract);
  EXPECT_EQ(logic::print(*Add->Contract->Pre),
            "store_ulong_array(acc, 1, *acc) && *acc[0] == a && a <= 1000000");
  EXPECT_EQ(logic::print(*Add->Contract->Post),
            "store_ulong_array(acc, 1, *acc') && *acc'[0] == a + n");
  EXPECT_FALSE(Add->Params[0].Undef);
  const cir::Function *Read = functionNamed(M, "read_port");
  ASSERT_TRUE(Read && Read->Contract);
  // The Ensure's own name p is element 0 of the contents at the return.
  EXPECT_EQ(logic::print(*Read->Contract->Post),
            "store_ushort_array(port, 1, *port') && (__return == 0 => "
            "*port'[0] != 0)");
  EXPECT_TRUE(Read->Params[2].Undef);
  EXPECT_FALSE(Read->Params[2].UndefOnReturn);
  EXPECT_EQ(logic::print(*Read->Params[2].BufferBytes), "1 * 2");

  const cir::Function *Prog = functionNamed(M, "prog");
  ASSERT_TRUE(Prog);
  std::vector<std::string> Steps; // for `port`: what assigns it, in order
  forEachStmt(*Prog->Body, [&](const cir::Stmt &S) {
    if (S.K == cir::Stmt::Kind::Assign && Prog->Vars[S.VarId].Name == "port")
      Steps.push_back(S.Value->K == CK::Const ? "zero"
                      : S.Value->K == CK::CallOutput ? "output"
                                                     : "other");
  });
  EXPECT_EQ(Steps, (std::vector<std::string>{"zero", "output"}));

  cir::Module Bad;
  ASSERT_TRUE(build("func_data_at_bad.c", Bad, Errs)) << show(Errs);
  const cir::Function *Forget = functionNamed(Bad, "forget");
  ASSERT_TRUE(Forget);
  EXPECT_TRUE(Forget->Params[0].Undef);
  EXPECT_TRUE(Forget->Params[0].UndefOnReturn);
  // `c => data_at(...)`: the footprint at the top level, c the WrittenIf.
  const cir::Function *When = functionNamed(Bad, "when_zero");
  ASSERT_TRUE(When && When->Contract && When->Params[0].WrittenIf);
  EXPECT_EQ(logic::print(*When->Params[0].WrittenIf), "__return == 0");
  EXPECT_FALSE(When->Params[0].UndefOnReturn);
  EXPECT_EQ(logic::print(*When->Contract->Post),
            "store_ushort_array(port, 1, *port') && true");
}

TEST(FrontendCalls, LocalBuffersArePackedAndWrittenBack) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("func_local_buffers.c", M, Errs)) << show(Errs);
  const cir::Function *F = functionNamed(M, "buffers");
  ASSERT_TRUE(F);
  std::vector<std::pair<std::string, uint64_t>> Args; // callee, AddrOf Value
  unsigned Outputs = 0;
  forEachStmt(*F->Body, [&](const cir::Stmt &S) {
    if (S.Value && S.Value->K == CK::CallOutput)
      ++Outputs;
    if (S.Value && S.Value->K == CK::FuncCall) {
      ASSERT_EQ(S.Value->Ops[0]->K, CK::AddrOf);
      Args.emplace_back(M.Functions[S.Value->Value].Name,
                        S.Value->Ops[0]->Value);
    }
  });
  const std::vector<std::pair<std::string, uint64_t>> Expected = {
      {"sum4", 0}, {"zero_words", 4}, {"zero_words", 8}, {"bump", 4}};
  EXPECT_EQ(Args, Expected);
  // p.a; p's one 8-byte chunk (p.a and p.b are assigned its bytes); x
  EXPECT_EQ(Outputs, 3u);

  // The chunks of a packing serve the next call of the block until a leaf
  // is written, and a branch's first call, not a call after a join.
  const cir::Function *R = functionNamed(M, "reuse");
  ASSERT_TRUE(R);
  std::vector<unsigned> Chunks;
  forEachExpr(*R->Body, [&](const cir::Expr &E) {
    if (E.K == CK::FuncCall)
      Chunks.push_back(E.Ops[0]->VarId);
  });
  ASSERT_EQ(Chunks.size(), 6u);
  EXPECT_EQ(Chunks[0], Chunks[1]);
  EXPECT_NE(Chunks[1], Chunks[2]); // b[0] = 9 in between
  EXPECT_EQ(Chunks[2], Chunks[3]); // the if's branch
  EXPECT_NE(Chunks[3], Chunks[4]); // b[1] = 5 in the branch
  EXPECT_NE(Chunks[3], Chunks[5]); // after the join
  EXPECT_NE(Chunks[4], Chunks[5]);
}

TEST(FrontendCalls, RecursionIsRejected) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("func_recursion.c", M, Errs));
  ASSERT_EQ(Errs.size(), 2u) << show(Errs);
  EXPECT_EQ(Errs[0].Line, 11u); // down calls down
  EXPECT_EQ(Errs[0].Col, 12u);
  EXPECT_EQ(Errs[0].Message, "recursive call: eBPF forbids recursion");
  EXPECT_EQ(Errs[1].Line, 31u); // odd calls even, which called odd
  EXPECT_EQ(Errs[1].Message, "recursive call: eBPF forbids recursion");
}

TEST(FrontendCalls, MoreThanFiveParametersAreRejected) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("func_six_params.c", M, Errs));
  ASSERT_GE(Errs.size(), 1u) << show(Errs);
  EXPECT_EQ(Errs[0].Line, 5u);
  EXPECT_EQ(Errs[0].Message,
            "not supported yet: function 'sum6' with 6 parameters (eBPF "
            "passes at most 5, in R1-R5)");
}

TEST(FrontendCalls, ContractErrors) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("func_contract_errors.c", M, Errs));
  std::vector<std::string> Msgs;
  for (const auto &D : Errs)
    Msgs.push_back(std::to_string(D.Line) + ": " + D.Message);
  EXPECT_EQ(
      Msgs,
      (std::vector<std::string>{
          "6: pointer parameter 'p' of 'untold' needs a Require saying what "
          "it points to: packet(p), packet_end(p), store_uchar_array(p, n, "
          "l) or data_at(p, T, v)",
          "12: not supported yet: the buffer parameter 'b' in a fact (only "
          "as the buffer of its store_..._array)",
          "18: '__return' in the Ensure of a function returning void",
          "23: not supported yet: data_at of type 'struct iphdr' in an "
          "annotation of a called function (an integer type)"}))
      << show(Errs);
}

// -- inline functions ----------------------------------------------------------

// Inline functions without contracts are not compiled on their own: their
// bodies are inlined at each call with renamed locals (first_zero.i, and
// classify.x#2 for the second copy), renamed annotations, a `returned`
// flag where code may follow a return (which the loop's invariant also
// states), and `break` for a return inside the body's loop.
TEST(FrontendInline, InlinedBodyShape) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("inline_flow.c", M, Errs)) << show(Errs);
  ASSERT_EQ(M.Functions.size(), 1u);
  const cir::Function &F = M.Functions[0];
  EXPECT_EQ(F.NumParams, 1u);
  for (const char *Name :
       {"score.p", "score.z", "first_zero.i", "first_zero.returned",
        "first_zero.result", "classify.x", "classify.x#2", "classify.result",
        "classify.result#2"})
    varId(F, Name);
  forEachExpr(*F.Body, [](const cir::Expr &E) { EXPECT_NE(E.K, CK::FuncCall); });
  const cir::Stmt *Loop = nullptr;
  std::vector<std::string> Asserts;
  forEachStmt(*F.Body, [&](const cir::Stmt &S) {
    if (S.K == SK::Loop)
      Loop = &S;
    if (S.K == SK::Assert)
      Asserts.push_back(logic::print(*S.Annot));
  });
  ASSERT_NE(Loop, nullptr);
  ASSERT_TRUE(Loop->Annot);
  EXPECT_EQ(logic::print(*Loop->Annot),
            "Inv first_zero.i <= 8 && first_zero.returned == 0 Variant 8 - "
            "first_zero.i");
  unsigned Breaks = 0;
  forEachStmt(*Loop->Then, [&](const cir::Stmt &S) { Breaks += S.K == SK::Break; });
  EXPECT_EQ(Breaks, 2u);
  EXPECT_EQ(Asserts, (std::vector<std::string>{
                         "Assert score.z <= 8",
                         "Assert 2 <= classify.x && classify.x < 20",
                         "Assert 0 <= s && s <= 2",
                         "Assert 2 <= classify.x#2 && classify.x#2 < 20",
                         "Assert 0 <= c && c <= 3"}));
}

// A return in the inner of two loops of an inlined body breaks out of the
// inner loop, and the outer loop's body continues only if it did not
// return: `if (g.returned < 1) {} else break;` after the inner loop.
TEST(FrontendInline, ReturnInANestedLoopLeavesBothLoops) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("nested_loops.c", M, Errs)) << show(Errs);
  const cir::Function *F = nullptr;
  for (const auto &G : M.Functions)
    if (G.Name == "common_bits")
      F = &G;
  ASSERT_NE(F, nullptr);
  std::vector<const cir::Stmt *> Ls = loops(*F);
  ASSERT_EQ(Ls.size(), 2u);
  unsigned Returned = varId(*F, "first_common_bit.returned");
  const cir::Stmt *Guard = nullptr;
  forEachStmt(*Ls[0]->Then, [&](const cir::Stmt &S) {
    if (S.K == SK::If && S.Else && S.Else->K == SK::Break)
      Guard = &S;
  });
  ASSERT_NE(Guard, nullptr);
  ASSERT_EQ(Guard->Cond->K, CK::Cmp);
  EXPECT_EQ(Guard->Cond->Op, cir::Expr::OpKind::ULt);
  EXPECT_EQ(Guard->Cond->Ops[0]->VarId, Returned);
  // Both invariants say the flag is 0 at their heads.
  for (const cir::Stmt *L : Ls)
    EXPECT_NE(
        logic::print(*L->Annot->Pre).find("first_common_bit.returned == 0"),
        std::string::npos)
        << logic::print(*L->Annot->Pre);
}

// A parameter the inlined body never assigns, passed a variable of its
// type, is that variable: no copy, and the body's loop (and its invariant)
// reads p and data_end, whose outer facts are carried into it.
TEST(FrontendInline, UnassignedParametersReadTheArgument) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("inline_in_loop.c", M, Errs)) << show(Errs);
  const cir::Function *F = functionNamed(M, "zeros_from_each");
  ASSERT_NE(F, nullptr);
  for (const char *Copy : {"zeros.p", "zeros.end"}) {
    unsigned V = varId(*F, Copy);
    forEachStmt(*F->Body, [&](const cir::Stmt &S) {
      EXPECT_FALSE(S.K == SK::Assign && S.VarId == V) << Copy;
    });
    forEachExpr(*F->Body, [&](const cir::Expr &E) {
      EXPECT_FALSE(E.K == CK::Var && E.VarId == V) << Copy;
    });
  }
  std::vector<const cir::Stmt *> Ls = loops(*F);
  ASSERT_EQ(Ls.size(), 2u);
  EXPECT_EQ(logic::print(*Ls[1]->Annot->Pre),
            "p <= zeros.q && zeros.q <= data_end && zeros.c <= zeros.q - p "
            "&& data <= p && p <= data_end && p < data_end");
  // next assigns its parameter: the copy stays.
  const cir::Function *G = functionNamed(M, "copy_kept");
  ASSERT_NE(G, nullptr);
  unsigned P = varId(*G, "next.p");
  bool Copied = false;
  forEachStmt(*G->Body, [&](const cir::Stmt &S) {
    Copied |= S.K == SK::Assign && S.VarId == P && S.Value->K == CK::Var &&
              S.Value->VarId == varId(*G, "s");
  });
  EXPECT_TRUE(Copied);
}

// `x = t` in an outer body is carried into a nested loop as x == t while
// it holds: an inline function's parameter copies, a row pointer; not
// after the pointer moved.
TEST(Frontend, DefinitionsAreCarriedIntoNestedLoops) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("inline_in_loop.c", M, Errs)) << show(Errs);
  const cir::Function *Rows = functionNamed(M, "rows");
  ASSERT_NE(Rows, nullptr);
  std::vector<const cir::Stmt *> Ls = loops(*Rows);
  ASSERT_EQ(Ls.size(), 2u);
  EXPECT_EQ(logic::print(*Ls[1]->Annot->Pre),
            "zeros.p <= zeros.q && zeros.q <= zeros.end && zeros.c <= "
            "zeros.q - zeros.p && 0 <= i && i <= 4 && data + 32 <= data_end "
            "&& i < 4 && zeros.p == data + 8 * i && zeros.end == data + 8 * "
            "i + 8");
  const cir::Function *Row = functionNamed(M, "row_pointer");
  ASSERT_NE(Row, nullptr);
  Ls = loops(*Row);
  ASSERT_EQ(Ls.size(), 2u);
  EXPECT_NE(logic::print(*Ls[1]->Annot->Pre).find("row == data + 8 * i"),
            std::string::npos)
      << logic::print(*Ls[1]->Annot->Pre);
  const cir::Function *Moved = functionNamed(M, "row_pointer_moved");
  ASSERT_NE(Moved, nullptr);
  Ls = loops(*Moved);
  ASSERT_EQ(Ls.size(), 2u);
  EXPECT_EQ(logic::print(*Ls[1]->Annot->Pre).find("row"), std::string::npos)
      << logic::print(*Ls[1]->Annot->Pre);
}

// With a contract, an inline function is a bpf-to-bpf function as before:
// lowered on its own and called with FuncCall.
// A pointer parameter given a local's address is no variable: the body's
// *p, p->f and p[i] are the caller's local (a struct cursor's fields, an
// out-parameter, an array's elements), and p passed on is its address.
TEST(FrontendInline, ParametersGivenALocalsAddressNameIt) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("inline_address_args.c", M, Errs)) << show(Errs);
  const cir::Function &F = M.Functions[0];
  std::set<std::string> Names;
  for (const cir::Variable &V : F.Vars)
    Names.insert(V.Name);
  for (const char *Param : {"take_byte.c", "take_byte.out", "step.c",
                            "fill.a", "pick.a", "known.key"})
    EXPECT_FALSE(Names.count(Param)) << Param;
  // c.pos and c.hops are assigned in the inlined bodies (step), b0 and b1
  // by take_byte's `*out = ...`, four's elements by fill's a[k] = ...
  std::set<std::string> Assigned;
  forEachStmt(*F.Body, [&](const cir::Stmt &S) {
    if (S.K == cir::Stmt::Kind::Assign)
      Assigned.insert(F.Vars[S.VarId].Name);
  });
  for (const char *V : {"c.pos", "c.hops", "b0", "b1", "four[0]", "four[3]"})
    EXPECT_TRUE(Assigned.count(V)) << V;
  // known(&key) passes key's address on to the map lookup.
  bool KeyBuffer = false;
  forEachExpr(*F.Body, [&](const cir::Expr &E) {
    if (E.K == CK::AddrOf && F.Vars[E.VarId].Name == "key")
      KeyBuffer = true;
  });
  EXPECT_TRUE(KeyBuffer);
}

TEST(FrontendInline, InlineFunctionWithAContract) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("inline_contract.c", M, Errs)) << show(Errs);
  ASSERT_EQ(M.Functions.size(), 2u);
  EXPECT_EQ(M.Functions[0].Name, "halve");
  EXPECT_FALSE(M.Functions[0].isEntry());
  bool Calls = false;
  forEachExpr(*M.Functions[1].Body, [&](const cir::Expr &E) {
    Calls |= E.K == CK::FuncCall && E.Value == 0;
  });
  EXPECT_TRUE(Calls);
}

// Recursion, a caller's name in an inlined
// annotation, inlining deeper than 8: reported inside the inline function,
// naming the calls that inlined it.
TEST(FrontendInline, InliningErrors) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("inline_errors.c", M, Errs));
  std::vector<std::tuple<unsigned, unsigned, std::string>> Expected = {
      {8, 10, "recursive call: eBPF forbids recursion"},
      {23, 13,
       "unknown variable 'key' in annotation (in 'unknown_name' inlined at "
       "line 47)"},
      {28, 47,
       "not supported yet: inline functions inlined into each other more "
       "than 8 deep (in 'd8' inlined at line 29; in 'd7' inlined at line 30; "
       "in 'd6' inlined at line 31; in 'd5' inlined at line 32; in 'd4' "
       "inlined at line 33; in 'd3' inlined at line 34; in 'd2' inlined at "
       "line 35; in 'd1' inlined at line 48)"},
      {54, 7,
       "not supported yet: the parameter 'p', given the address of a local, "
       "other than as *p, p->f, p[i] or a call's argument (in 'null_check' "
       "inlined at line 63)"},
  };
  ASSERT_EQ(Errs.size(), Expected.size()) << show(Errs);
  for (size_t I = 0; I < Expected.size(); ++I) {
    EXPECT_EQ(Errs[I].Line, std::get<0>(Expected[I])) << show(Errs);
    EXPECT_EQ(Errs[I].Col, std::get<1>(Expected[I])) << show(Errs);
    EXPECT_EQ(Errs[I].Message, std::get<2>(Expected[I]));
  }
}

// -- maps and helper calls ----------------------------------------------------

TEST(Frontend, MapDefinitionsBecomeModuleMaps) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("map_lowering.c", M, Errs)) << show(Errs);
  ASSERT_EQ(M.Maps.size(), 2u);
  const cir::MapDef &Counts = M.Maps[0];
  EXPECT_EQ(Counts.Name, "counts");
  EXPECT_EQ(Counts.MapType, 2u); // BPF_MAP_TYPE_ARRAY
  EXPECT_EQ(Counts.MaxEntries, 256u);
  EXPECT_EQ(Counts.KeySize, 4u);
  EXPECT_EQ(Counts.ValueSize, 8u);
  EXPECT_EQ(Counts.Flags, 0u);
  EXPECT_EQ(Counts.KeySpelling, "__u32");
  EXPECT_EQ(Counts.ValueSpelling, "__u64");
  EXPECT_EQ(Counts.L.Line, 11u);
  EXPECT_EQ(Counts.L.Col, 3u);
  const cir::MapDef &Sized = M.Maps[1];
  EXPECT_EQ(Sized.Name, "sized");
  EXPECT_EQ(Sized.MapType, 1u); // BPF_MAP_TYPE_HASH
  EXPECT_EQ(Sized.MaxEntries, 64u);
  EXPECT_EQ(Sized.KeySize, 4u);
  EXPECT_EQ(Sized.ValueSize, 8u);
  EXPECT_EQ(Sized.Flags, 1u); // BPF_F_NO_PREALLOC
  EXPECT_EQ(Sized.KeySpelling, "");
}

TEST(Frontend, HelperCallsLowerToCallWithMapAndAddressArguments) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("map_lowering.c", M, Errs)) << show(Errs);
  const cir::Function &F = M.Functions[0];
  unsigned Key = varId(F, "key");

  // count = bpf_map_lookup_elem(&counts, &key): the Call is the whole
  // value, retyped from void * to __u64 *.
  const cir::Expr *Lookup = assigned(F, "count");
  ASSERT_TRUE(Lookup);
  ASSERT_EQ(Lookup->K, CK::Call);
  EXPECT_EQ(Lookup->Value, 1u);
  EXPECT_TRUE(Lookup->Ty.isPtr());
  EXPECT_EQ(Lookup->Ty.PointeeSize, 8u);
  ASSERT_EQ(Lookup->Ops.size(), 2u);
  EXPECT_EQ(Lookup->Ops[0]->K, CK::MapAddr);
  EXPECT_EQ(Lookup->Ops[0]->Value, 0u);
  EXPECT_TRUE(Lookup->Ops[0]->Ty.isPtr());
  EXPECT_EQ(Lookup->Ops[1]->K, CK::AddrOf);
  EXPECT_EQ(Lookup->Ops[1]->VarId, Key);

  // err = bpf_map_update_elem(&sized, &key, &one, key + 1): the flags are
  // assigned to a temporary first, the long result to another, and err
  // converts it.
  const cir::Expr *Flags = assigned(F, "bpf_map_update_elem.arg4");
  ASSERT_TRUE(Flags);
  EXPECT_EQ(Flags->Ty.Bits, 64u);
  const cir::Expr *Update = assigned(F, "bpf_map_update_elem.result");
  ASSERT_TRUE(Update);
  ASSERT_EQ(Update->K, CK::Call);
  EXPECT_EQ(Update->Value, 2u);
  EXPECT_EQ(Update->Ty.Bits, 64u);
  EXPECT_TRUE(Update->Ty.Signed);
  ASSERT_EQ(Update->Ops.size(), 4u);
  EXPECT_EQ(Update->Ops[0]->Value, 1u);
  EXPECT_EQ(Update->Ops[2]->K, CK::AddrOf);
  EXPECT_EQ(Update->Ops[2]->VarId, varId(F, "one"));
  EXPECT_TRUE(isVar(*Update->Ops[3], varId(F, "bpf_map_update_elem.arg4")));
  const cir::Expr *Err = assigned(F, "err");
  ASSERT_EQ(Err->K, CK::Cast);
  EXPECT_EQ(Err->Ty.Bits, 32u);
  EXPECT_TRUE(isVar(*Err->Ops[0], varId(F, "bpf_map_update_elem.result")));

  // r = bpf_get_prandom_u32(); as an assignment statement.
  const cir::Expr *Rand = assigned(F, "r");
  ASSERT_EQ(Rand->K, CK::Call);
  EXPECT_EQ(Rand->Value, 7u);
  EXPECT_EQ(Rand->Ty.Bits, 32u);
  EXPECT_TRUE(Rand->Ops.empty());

  // The atomic add and the delete whose result is unused.
  const cir::Stmt *Atomic = nullptr, *Delete = nullptr;
  forEachStmt(*F.Body, [&](const cir::Stmt &S) {
    if (S.K == SK::Atomic)
      Atomic = &S;
    if (S.K == SK::ExprStmt && S.Value->K == CK::Call)
      Delete = &S;
  });
  ASSERT_TRUE(Atomic);
  EXPECT_TRUE(isVar(*Atomic->Addr, varId(F, "count")));
  ASSERT_EQ(Atomic->Value->K, CK::Const);
  EXPECT_EQ(Atomic->Value->Value, 2u);
  EXPECT_EQ(Atomic->Value->Ty.Bits, 64u);
  EXPECT_EQ(Atomic->L.Line, 27u);
  ASSERT_TRUE(Delete);
  EXPECT_EQ(Delete->Value->Value, 3u);
  EXPECT_EQ(Delete->Value->Ops[0]->Value, 1u); // &sized
}

TEST(Frontend, SectionsSelectTcAndSocketFilterPrograms) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("skb_lowering.c", M, Errs));
  auto TypeOf = [&](const std::string &Name) {
    for (const auto &F : M.Functions)
      if (F.Name == Name)
        return std::optional<cir::ProgramType>(F.ProgType);
    return std::optional<cir::ProgramType>();
  };
  EXPECT_EQ(TypeOf("sock"), cir::ProgramType::SocketFilter);
  EXPECT_EQ(TypeOf("cls"), cir::ProgramType::SchedCls);
  EXPECT_EQ(TypeOf("tc"), cir::ProgramType::SchedCls);
  // libbpf 1.1 knows "tc" only exactly; the context must be the type's.
  ASSERT_EQ(Errs.size(), 4u) << show(Errs);
  EXPECT_EQ(Errs[0].Message, "not supported yet: program type 'tc/ingress'");
  EXPECT_EQ(Errs[1].Message,
            "not supported yet: socket filter entry point 'sock_xdp_ctx' must "
            "have the signature 'int sock_xdp_ctx(struct __sk_buff *ctx)'");
  EXPECT_EQ(Errs[2].Line, 45u);
  EXPECT_EQ(Errs[2].Message,
            "not supported yet: the result of a helper call assigned to the "
            "variable whose address it writes");
  EXPECT_EQ(Errs[3].Line, 53u);
  EXPECT_EQ(Errs[3].Message, "not supported yet: a length of "
                             "bpf_skb_load_bytes that is not a constant");
}

TEST(Frontend, SectionsSelectTracingPrograms) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("tracing_sections.c", M, Errs));
  auto TypeOf = [&](const std::string &Name) {
    for (const auto &F : M.Functions)
      if (F.Name == Name)
        return std::optional<cir::ProgramType>(F.ProgType);
    return std::optional<cir::ProgramType>();
  };
  EXPECT_EQ(TypeOf("kp"), cir::ProgramType::Kprobe);
  EXPECT_EQ(TypeOf("kretp"), cir::ProgramType::Kprobe);
  EXPECT_EQ(TypeOf("tp_long"), cir::ProgramType::Tracepoint);
  EXPECT_EQ(TypeOf("tp_short"), cir::ProgramType::Tracepoint);
  EXPECT_EQ(TypeOf("raw_long"), cir::ProgramType::RawTracepoint);
  EXPECT_EQ(TypeOf("raw_short"), cir::ProgramType::RawTracepoint);
  // libbpf reads raw_tp.w (writable) and tp_btf as other types; a
  // tracepoint's context is any struct, a kprobe's struct pt_regs.
  ASSERT_EQ(Errs.size(), 4u) << show(Errs);
  EXPECT_EQ(Errs[0].Message,
            "not supported yet: program type 'raw_tp.w/sys_enter'");
  EXPECT_EQ(Errs[1].Message,
            "not supported yet: program type 'tp_btf/sched_switch'");
  EXPECT_EQ(Errs[2].Message,
            "not supported yet: kprobe entry point 'kp_xdp_ctx' must have the "
            "signature 'int kp_xdp_ctx(struct pt_regs *ctx)'");
  EXPECT_EQ(Errs[3].Message,
            "not supported yet: tracepoint entry point 'tp_int_ctx' must have "
            "the signature 'int tp_int_ctx(struct <record> *ctx)' or 'int "
            "tp_int_ctx(void *ctx)'");
}

TEST(Frontend, LoadBytesBufferIsWrittenThenReassigned) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  build("skb_lowering.c", M, Errs);
  ASSERT_FALSE(M.Functions.empty());
  const cir::Function &F = M.Functions[0];
  ASSERT_EQ(F.Name, "sock");
  unsigned Proto = varId(F, "proto"), Port = varId(F, "port");
  // The statements in order: each call is followed by `v = CallOutput`.
  std::vector<const cir::Stmt *> Flat;
  forEachStmt(*F.Body, [&](const cir::Stmt &S) {
    if (S.K != SK::Block)
      Flat.push_back(&S);
  });
  auto CallAt = [&](size_t I) -> const cir::Expr * {
    const cir::Stmt &S = *Flat[I];
    return (S.K == SK::ExprStmt || S.K == SK::Assign) && S.Value &&
                   S.Value->K == CK::Call
               ? S.Value.get()
               : nullptr;
  };
  std::vector<std::pair<unsigned, uint64_t>> Seen; // variable, bytes
  for (size_t I = 0; I + 1 < Flat.size(); ++I) {
    const cir::Expr *C = CallAt(I);
    if (!C)
      continue;
    ASSERT_EQ(C->Value, 26u);
    ASSERT_EQ(C->Ops.size(), 4u);
    const cir::Expr &Buf = *C->Ops[2];
    ASSERT_EQ(Buf.K, CK::AddrOf);
    Seen.push_back({Buf.VarId, Buf.Value});
    const cir::Stmt &Next = *Flat[I + 1];
    EXPECT_EQ(Next.K, SK::Assign);
    EXPECT_EQ(Next.VarId, Buf.VarId);
    ASSERT_TRUE(Next.Value);
    EXPECT_EQ(Next.Value->K, CK::CallOutput);
    EXPECT_EQ(Next.Value->VarId, Buf.VarId);
  }
  // proto: 1 of its 4 bytes; port: sizeof(port) = 2, the result to a
  // temporary (long to int) after which port is reassigned.
  std::vector<std::pair<unsigned, uint64_t>> Want{{Proto, 1}, {Port, 2}};
  EXPECT_EQ(Seen, Want);
}

TEST(Frontend, MapAndHelperFormsOutsideTheSubsetAreNotSupportedYet) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("map_errors.c", M, Errs));
  std::vector<std::tuple<unsigned, unsigned, std::string>> Expected = {
      {14, 3,
       "not supported yet: map type 11 of map 'events' (supported: hash, "
       "array, per-CPU and LRU hash and array maps, prog arrays, perf event "
       "arrays, arrays and hashes of maps, devmaps, cpumaps, xskmaps and "
       "ring buffers)"},
      {19, 2, "not supported yet: map attribute 'pinning'"},
      {29, 3, "map 'empty' has max_entries 0 (a map needs at least one entry)"},
      {35, 13,
       "not supported yet: map 'counts' used other than as '&counts', the "
       "map argument of a helper call"},
      {41, 14,
       "not supported yet: call to '__sync_add_and_fetch_8'"},
      {42, 31,
       "not supported yet: address of the pointer variable 'v' as a call "
       "argument (only '&v' of an integer variable)"},
      {43, 2,
       "not supported yet: '__sync_fetch_and_add' on a value of other than "
       "32 or 64 bits"},
      {52, 3,
       "ring buffer 'small_ring' needs max_entries a power of 2 and a "
       "multiple of 4096, and no key or value"},
      {57, 3,
       "ring buffer 'empty_ring' needs max_entries a power of 2 and a "
       "multiple of 4096, and no key or value"},
  };
  ASSERT_EQ(Errs.size(), Expected.size()) << show(Errs);
  for (size_t I = 0; I < Expected.size(); ++I) {
    EXPECT_EQ(Errs[I].Line, std::get<0>(Expected[I])) << show(Errs);
    EXPECT_EQ(Errs[I].Col, std::get<1>(Expected[I])) << show(Errs);
    EXPECT_EQ(Errs[I].Message, std::get<2>(Expected[I]));
  }
}

TEST(Frontend, MapOfMapsDefinitions) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("map_of_maps.c", M, Errs)) << show(Errs);
  ASSERT_EQ(M.Maps.size(), 3u);
  const cir::MapDef &Outer = M.Maps[2];
  EXPECT_TRUE(Outer.isMapOfMaps());
  EXPECT_EQ(Outer.ValueSize, 4u);
  ASSERT_TRUE(Outer.Inner);
  EXPECT_EQ(Outer.Inner->Name, "tables.inner");
  EXPECT_EQ(Outer.Inner->MapType, 2u);
  EXPECT_EQ(Outer.Inner->KeySize, 4u);
  EXPECT_EQ(Outer.Inner->ValueSize, 8u);
  EXPECT_EQ(Outer.Inner->MaxEntries, 4u);
  EXPECT_EQ(Outer.InitialValues, (std::vector<int>{0, 1}));
  EXPECT_FALSE(M.Maps[0].Inner);

  M = cir::Module();
  Errs.clear();
  EXPECT_FALSE(build("map_of_maps_errors.c", M, Errs));
  std::vector<std::tuple<unsigned, unsigned, std::string>> Expected = {
      {24, 3,
       "map of maps 'no_template' needs __array(values, struct T) with T a "
       "map that is not a map of maps, and no value other than 4 bytes"},
      {31, 3,
       "map 'not_of_maps' has __array(values, ...) but is not an array or "
       "hash of maps"},
      {38, 47,
       "map 'large' does not match the inner maps of 'mismatch' (type, key "
       "and value sizes, max_entries and flags must be the template's)"},
      {45, 3,
       "not supported yet: initial values of map 'too_many' other than "
       "'.values = { &m, ... }' with at most max_entries maps"},
  };
  ASSERT_EQ(Errs.size(), Expected.size()) << show(Errs);
  for (size_t I = 0; I < Expected.size(); ++I) {
    EXPECT_EQ(Errs[I].Line, std::get<0>(Expected[I])) << show(Errs);
    EXPECT_EQ(Errs[I].Col, std::get<1>(Expected[I])) << show(Errs);
    EXPECT_EQ(Errs[I].Message, std::get<2>(Expected[I]));
  }
}

TEST(Frontend, OtherProgramTypesAreNotSupportedYet) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("unsupported_section.c", M, Errs));
  ASSERT_EQ(Errs.size(), 1u) << show(Errs);
  EXPECT_EQ(Errs[0].Message, "not supported yet: program type 'sk_skb'");
  EXPECT_EQ(Errs[0].Line, 9u);
}

TEST(Frontend, SpatialEnsureIsNotSupportedYet) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("spatial_ensure.c", M, Errs));
  ASSERT_EQ(Errs.size(), 1u) << show(Errs);
  EXPECT_EQ(Errs[0].Line, 10u);
  EXPECT_EQ(Errs[0].Col, 36u) << show(Errs); // `emp`
  EXPECT_EQ(Errs[0].Message, "not supported yet: 'emp' in Ensure");
}

TEST(Frontend, CErrorsAreReported) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("c_errors.c", M, Errs));
  ASSERT_FALSE(Errs.empty());
  EXPECT_EQ(Errs[0].Line, 11u);
  EXPECT_EQ(Errs[0].Col, 9u);
  EXPECT_NE(Errs[0].Message.find("undeclared_thing"), std::string::npos);
}

TEST(Frontend, UnreadableFile) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("does_not_exist.c", M, Errs));
  ASSERT_EQ(Errs.size(), 1u);
  EXPECT_EQ(Errs[0].Line, 0u);
  EXPECT_NE(Errs[0].Message.find("cannot read"), std::string::npos);
}

} // namespace

TEST(Frontend, SectionsSelectSockOpsAndPerfEvent) {
  // libbpf 1.1 takes exactly "sockops" and "perf_event" (no "/..." forms).
  EXPECT_EQ(cir::programTypeOfSection("sockops"), cir::ProgramType::SockOps);
  EXPECT_EQ(cir::programTypeOfSection("perf_event"),
            cir::ProgramType::PerfEvent);
  for (const char *Sec : {"sockops/x", "sock_ops", "perf_event/x", "sockops.x"})
    EXPECT_FALSE(cir::programTypeOfSection(Sec)) << Sec;
  EXPECT_STREQ(cir::contextStructName(cir::ProgramType::SockOps),
               "struct bpf_sock_ops");
  EXPECT_STREQ(cir::contextStructName(cir::ProgramType::PerfEvent),
               "struct bpf_perf_event_data");
}

// A local struct or array is one variable per leaf, named by its C path,
// plus a byte variable per padding byte; a copy copies the fields only.
TEST(Frontend, LocalStructsAndArraysAreOneVariablePerLeaf) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("local_aggregates.c", M, Errs)) << show(Errs);
  const cir::Function &F = M.Functions[0];
  ASSERT_EQ(F.Name, "fields_and_elements");
  for (const char *Leaf :
       {"p.k.addr", "p.k.port", "p.k.proto", "p.(padding 7)", "p.delta[0]",
        "p.delta[1]", "counts[0]", "counts[2]", "q.(padding 7)"})
    varId(F, Leaf);
  EXPECT_EQ(F.Vars[varId(F, "p.delta[0]")].Ty.Bits, 16u);
  EXPECT_TRUE(F.Vars[varId(F, "p.delta[0]")].Ty.Signed);
  const cir::Expr *Port = assigned(F, "p.k.port"); // designated: 3
  ASSERT_NE(Port, nullptr);
  EXPECT_EQ(Port->K, CK::Const);
  EXPECT_EQ(Port->Value, 3u);
  const cir::Expr *Proto = assigned(F, "p.k.proto"); // left out: 0
  ASSERT_NE(Proto, nullptr);
  EXPECT_EQ(Proto->K, CK::Const);
  EXPECT_EQ(Proto->Value, 0u);
  const cir::Expr *Copy = assigned(F, "q.k.addr"); // q = p, leaf by leaf
  ASSERT_NE(Copy, nullptr);
  EXPECT_TRUE(isVar(*Copy, varId(F, "p.k.addr")));
  // Padding is not copied: q's is never assigned.
  unsigned QPad = varId(F, "q.(padding 7)");
  forEachStmt(*F.Body, [&](const cir::Stmt &S) {
    EXPECT_FALSE(S.K == SK::Assign && S.VarId == QPad);
  });
}

// The bytes of a local struct's bit-fields are byte variables of their own
// ("(bits N)", not padding: an initialiser writes them from its
// constants); a bit-field's read puts its bytes together, a store merges
// into them. A union whose members lay out alike (iphdr's __struct_group)
// is its first member's leaves, which every member names.
TEST(Frontend, LocalBitFieldsAreTheirBytes) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("bit_fields.c", M, Errs)) << show(Errs);
  const cir::Function *Headers = functionNamed(M, "loaded_headers");
  ASSERT_NE(Headers, nullptr);
  for (const char *Leaf : {"ip.(bits 0)", "ip.tos", "ip.saddr", "ip.daddr",
                           "th.(bits 12)", "th.(bits 13)"})
    varId(*Headers, Leaf);
  for (const cir::Variable &V : Headers->Vars)
    EXPECT_EQ(V.Name.find("addrs"), std::string::npos) << V.Name;
  const cir::Function *Widths = functionNamed(M, "local_widths");
  ASSERT_NE(Widths, nullptr);
  // o = {.a = 5, .c = -3, .tail = 7}: byte 0 holds a's 5, byte 1 c's
  // 0xd in its top four bits; d's bytes 4..6 are zero.
  const cir::Expr *Byte0 = assigned(*Widths, "o.(bits 0)");
  const cir::Expr *Byte1 = assigned(*Widths, "o.(bits 1)");
  const cir::Expr *Byte4 = assigned(*Widths, "o.(bits 4)");
  ASSERT_TRUE(Byte0 && Byte1 && Byte4);
  ASSERT_EQ(Byte0->K, CK::Const);
  EXPECT_EQ(Byte0->Value, 5u);
  ASSERT_EQ(Byte1->K, CK::Const);
  EXPECT_EQ(Byte1->Value, 0xd0u);
  ASSERT_EQ(Byte4->K, CK::Const);
  EXPECT_EQ(Byte4->Value, 0u);
  varId(*Widths, "o.(padding 2)");
}

TEST(Frontend, LocalAggregatesRefusedClearly) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("local_aggregates_unsupported.c", M, Errs));
  ASSERT_EQ(Errs.size(), 4u) << show(Errs);
  const std::tuple<unsigned, const char *> Expected[] = {
      // evaluated only when C evaluates it, once per element compared
      {8, "not supported yet: an index of 'a[ctx->rx_queue_index & 3]' "
          "that reads memory in an expression (assign it to a variable "
          "first)"},
      {15, "index 4 out of the bounds of 'a' (4 elements)"},
      {22, "not supported yet: the local struct or array 'a' used other than "
           "through its fields and constant-index elements"},
      // each buffer argument is a copy of the local's bytes
      {36, "not supported yet: two buffer arguments of 'copy4' in the local "
           "'a'"}};
  for (size_t I = 0; I < 4; ++I) {
    EXPECT_EQ(Errs[I].Line, std::get<0>(Expected[I]));
    EXPECT_EQ(Errs[I].Message, std::get<1>(Expected[I]));
  }
}

// memcpy and memset: a local side's leaves set the chunks (k.daddr, then
// k.saddr: the last chunk first), a memory side's alignment the width
// (six 1-byte chunks of a MAC address); the padding is filled too.
TEST(Frontend, MemBuiltinsAreChunkedLastChunkFirst) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("mem_builtins.c", M, Errs)) << show(Errs);
  const cir::Function &Key = M.Functions[0];
  std::vector<const cir::Stmt *> Assigns;
  forEachStmt(*Key.Body, [&](const cir::Stmt &S) {
    if (S.K == SK::Assign && S.L.Line == 38)
      Assigns.push_back(&S);
  });
  ASSERT_EQ(Assigns.size(), 2u);
  EXPECT_EQ(Assigns[0]->VarId, varId(Key, "k.daddr"));
  EXPECT_EQ(Assigns[1]->VarId, varId(Key, "k.saddr"));
  for (unsigned I = 0; I < 2; ++I) {
    const cir::Expr *L = findLoad(*Assigns[I]->Value);
    ASSERT_NE(L, nullptr);
    EXPECT_EQ(L->Ty.Bits, 32u);
  }
  unsigned Zeroed = 0;
  forEachStmt(*Key.Body, [&](const cir::Stmt &S) {
    Zeroed += S.K == SK::Assign && S.L.Line == 37 &&
              S.Value->K == CK::Const && S.Value->Value == 0;
  });
  EXPECT_EQ(Zeroed, 6u); // saddr, daddr, proto and three padding bytes

  const cir::Function &Swap = M.Functions[2];
  std::vector<const cir::Stmt *> Stores;
  forEachStmt(*Swap.Body, [&](const cir::Stmt &S) {
    if (S.K == SK::Store)
      Stores.push_back(&S);
  });
  ASSERT_EQ(Stores.size(), 12u);
  for (unsigned I = 0; I < 6; ++I) {
    EXPECT_EQ(Stores[I]->Value->Ty.Bits, 8u);
    expectAddr(*Stores[I]->Addr, varId(Swap, "eth"), 11 - I);
  }
}

TEST(Frontend, MemBuiltinsRefusedClearly) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  EXPECT_FALSE(build("mem_builtins_errors.c", M, Errs));
  const std::pair<unsigned, const char *> Expected[] = {
      {16, "not supported yet: a length of __builtin_memset that is not an "
           "integer constant"},
      {24, "__builtin_memset of 8 bytes past the end of 'x' (4 bytes)"},
      {36, "not supported yet: __builtin_memcpy of part of a field or "
           "element of 'k' (byte 0 on)"},
      {44, "not supported yet: the value of '__builtin_memcpy' (call it as a "
           "statement of its own)"}};
  ASSERT_EQ(Errs.size(), 4u) << show(Errs);
  for (size_t I = 0; I < 4; ++I) {
    EXPECT_EQ(Errs[I].Line, Expected[I].first);
    EXPECT_EQ(Errs[I].Message, Expected[I].second);
  }
}

/// The helper call that is the whole value of a statement of F (the first).
const cir::Expr *firstCall(const cir::Function &F) {
  const cir::Expr *Found = nullptr;
  forEachStmt(*F.Body, [&](const cir::Stmt &S) {
    for (const cir::Expr *V : {S.Value.get(), S.Cond.get()})
      if (!Found && V && V->K == CK::Call)
        Found = V;
  });
  EXPECT_NE(Found, nullptr) << "no call in " << F.Name;
  return Found;
}

/// Whether E mentions the variable Id.
bool mentionsVar(const cir::Expr &E, unsigned Id) {
  if (isVar(E, Id))
    return true;
  for (const auto &O : E.Ops)
    if (mentionsVar(*O, Id))
      return true;
  return false;
}

// `&k` of a local struct or array of any size is a buffer of consecutive
// chunk variables (AddrOf Span): packed from the leaves before a call that
// reads it, each chunk's CallOutput and then the leaves after one that
// writes it.
TEST(Frontend, LocalBuffersAreConsecutiveChunks) {
  cir::Module M;
  std::vector<frontend::Diagnostic> Errs;
  ASSERT_TRUE(build("local_buffers.c", M, Errs)) << show(Errs);
  ASSERT_EQ(M.Functions.size(), 4u);

  const cir::Function &Key = M.Functions[0];
  const cir::Expr *Lookup = firstCall(Key);
  ASSERT_NE(Lookup, nullptr);
  const cir::Expr &W = *Lookup->Ops[1];
  ASSERT_EQ(W.K, CK::AddrOf);
  EXPECT_EQ(W.Span, 2u);
  EXPECT_EQ(W.Value, 0u); // only read
  EXPECT_EQ(W.VarId, varId(Key, "w.bytes"));
  EXPECT_EQ(W.VarId + 1, varId(Key, "w.bytes+8"));
  EXPECT_EQ(Key.Vars[W.VarId + 1].Ty.Bits, 64u);
  const cir::Expr *High = assigned(Key, "w.bytes+8");
  ASSERT_NE(High, nullptr);
  EXPECT_TRUE(mentionsVar(*High, varId(Key, "w.b")));
  EXPECT_FALSE(mentionsVar(*High, varId(Key, "w.a")));

  const cir::Function &Comm = M.Functions[1];
  const cir::Expr *Get = firstCall(Comm);
  ASSERT_NE(Get, nullptr);
  const cir::Expr &C = *Get->Ops[0];
  ASSERT_EQ(C.K, CK::AddrOf);
  ASSERT_EQ(C.Span, 3u);
  EXPECT_EQ(C.Value, 13u);
  const unsigned Bits[] = {64, 32, 8};
  for (unsigned I = 0; I < 3; ++I)
    EXPECT_EQ(Comm.Vars[C.VarId + I].Ty.Bits, Bits[I]);
  // The call, the three outputs in order, then every element.
  std::vector<const cir::Stmt *> Seq;
  forEachStmt(*Comm.Body, [&](const cir::Stmt &S) {
    if (S.K == SK::Assign || S.K == SK::ExprStmt)
      Seq.push_back(&S);
  });
  size_t At = 0;
  while (At < Seq.size() && !(Seq[At]->Value && Seq[At]->Value.get() == Get))
    ++At;
  ASSERT_LT(At + 3, Seq.size());
  for (unsigned I = 0; I < 3; ++I) {
    EXPECT_EQ(Seq[At + 1 + I]->VarId, C.VarId + I);
    EXPECT_EQ(Seq[At + 1 + I]->Value->K, CK::CallOutput);
  }
  const cir::Expr *Last = assigned(Comm, "comm[12]");
  ASSERT_NE(Last, nullptr);
  EXPECT_TRUE(mentionsVar(*Last, C.VarId + 2));

  // b's low 7 bytes from the first chunk, its high byte from the second.
  const cir::Function &Odd = M.Functions[2];
  unsigned B = varId(Odd, "o.b");
  const cir::Expr *First = assigned(Odd, "o.bytes");
  const cir::Expr *Second = assigned(Odd, "o.bytes+8");
  ASSERT_NE(First, nullptr);
  ASSERT_NE(Second, nullptr);
  EXPECT_TRUE(mentionsVar(*First, B));
  ASSERT_EQ(Second->K, CK::Cast); // (u8)(b >> 56)
  ASSERT_EQ(Second->Ops[0]->K, CK::Binary);
  EXPECT_EQ(Second->Ops[0]->Op, Op::LShr);
  EXPECT_TRUE(isVar(*Second->Ops[0]->Ops[0], B));
  EXPECT_EQ(Second->Ops[0]->Ops[1]->Value, 56u);
}
