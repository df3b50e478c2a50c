//===- CodeGenSkbTest.cpp - Socket filters, tc and skb_load_bytes ---------===//
//
// Hand-built CIR of programs on an skb: a buffer bpf_skb_load_bytes writes
// (`&v` with AddrOf Value = bytes written, then `v = CallOutput`) is filled
// with v's value only when the helper writes part of it and is loaded back
// into v's home after the call (a buffer of several variables, AddrOf Span,
// in consecutive slots); the checker accepts the proof for a socket
// filter and for stores into a tc program's writable context fields; and
// malformed uses of CallOutput are refused.
//
//===----------------------------------------------------------------------===//

#include "CodeGenTestSupport.h"
#include "vep/compiler/ElfWriter.h"
#include "vep/compiler/ProofWriter.h"

#include <gtest/gtest.h>

using namespace cgtest;
using namespace vep::compiler;

namespace {

constexpr uint64_t HelperSkbLoadBytes = 26;

Function skbFunction(const std::string &Name, const std::string &Section,
                     vep::cir::ProgramType Type) {
  Function F = xdpFunction(Name);
  F.Section = Section;
  F.ProgType = Type;
  F.Vars[0].Name = "skb";
  F.Vars[0].Ty = ptrTy(192, "struct __sk_buff *");
  return F;
}

/// `&v` that the helper writes `Bytes` bytes into.
ExprPtr writtenAddrOf(unsigned Id, const Type &T, uint64_t Bytes) {
  ExprPtr E = addrOf(Id, T);
  E->Value = Bytes;
  return E;
}

StmtPtr callOutput(unsigned Id, const Type &T) {
  auto E = mk(EK::CallOutput, T);
  E->VarId = Id;
  return assign(Id, std::move(E));
}

/// bpf_skb_load_bytes(skb, Off, &v, Len) as a statement.
StmtPtr loadBytes(unsigned V, const Type &T, uint32_t Off, uint32_t Len) {
  return exprStmt(helperCall(
      HelperSkbLoadBytes, i64(), var(0, ptrTy(192, "struct __sk_buff *")),
      cst(Off, u32()), writtenAddrOf(V, T, Len), cst(Len, u32())));
}

/// socket filter: __u32 proto = 0; load(skb, 9, &proto, 1);
///                __u16 port; load(skb, 22, &port, 2); return proto + port;
Function protoAndPort() {
  Function F =
      skbFunction("proto_port", "socket", vep::cir::ProgramType::SocketFilter);
  unsigned Proto = addVar(F, "proto", u32());
  unsigned Port = addVar(F, "port", u16());
  F.Body = block(assign(Proto, cst(0, u32())), loadBytes(Proto, u32(), 9, 1),
                 callOutput(Proto, u32()), loadBytes(Port, u16(), 22, 2),
                 callOutput(Port, u16()),
                 ret(cast(i32(), bin(OK::Add, var(Proto, u32()),
                                     cast(u32(), var(Port, u16()))))));
  return F;
}

void expectProved(const CompiledProgram &P) {
  std::vector<uint8_t> Obj = writeObject({P}, "GPL", {});
  ProofWriteResult R = writeProof(Obj, {{P.Section, P.Post, P.Cuts}});
  EXPECT_TRUE(R.Ok) << R.Error << "\n" << P.Asm;
}

TEST(CodeGenSkb, WrittenBufferIsFilledOnlyWhenPartlyWrittenAndReloaded) {
  CompiledProgram P = compileOrDie(protoAndPort());
  ASSERT_FALSE(P.Name.empty());
  const auto &I = P.Insns;
  std::vector<size_t> Calls;
  for (size_t K = 0; K < I.size(); ++K)
    if (I[K].Code == (bpf::JMP | bpf::CALL))
      Calls.push_back(K);
  ASSERT_EQ(Calls.size(), 2u) << P.Asm;
  auto StoresToBuffer = [&](size_t From, size_t To) {
    unsigned N = 0;
    for (size_t K = From; K < To; ++K)
      N += bpf::insnClass(I[K].Code) == bpf::STX && I[K].Dst == bpf::R10;
    return N;
  };
  // proto: 1 of 4 bytes written, so its value goes into the buffer first;
  // port: all 2 bytes written, nothing stored before the call.
  EXPECT_EQ(StoresToBuffer(0, Calls[0]), 1u) << P.Asm;
  EXPECT_EQ(StoresToBuffer(Calls[0] + 1, Calls[1]), 0u) << P.Asm;
  // After each call, a load of the variable's size from the buffer (R3 was
  // R10 + offset) into a callee-saved home.
  for (size_t C : Calls) {
    ASSERT_LT(C + 1, I.size());
    const BpfInsn &L = I[C + 1];
    EXPECT_EQ(bpf::insnClass(L.Code), bpf::LDX) << P.Asm;
    EXPECT_EQ(L.Src, bpf::R10);
    EXPECT_GE(L.Dst, bpf::R6);
  }
  EXPECT_EQ(bpf::sizeOf(I[Calls[0] + 1].Code), bpf::W)
      << "4-byte reload of proto";
  EXPECT_EQ(bpf::sizeOf(I[Calls[1] + 1].Code), bpf::H)
      << "2-byte reload of port";
  EXPECT_NE(P.Asm.find("program type socket filter"), std::string::npos)
      << P.Asm;
  EXPECT_NE(P.Asm.find("no direct packet access"), std::string::npos) << P.Asm;
  expectProved(P);
}

/// socket filter: a 12-byte buffer (AddrOf Span 2: `head`, 8 bytes, then
/// `head+8`, 4 bytes, as the front end lays out a local struct), of which
/// bpf_skb_load_bytes writes the first 10; returns head+8 + head.
Function twelveByteBuffer() {
  Function F =
      skbFunction("twelve", "socket", vep::cir::ProgramType::SocketFilter);
  unsigned Head = addVar(F, "head", u64());
  unsigned Tail = addVar(F, "head+8", u32());
  ExprPtr Buf = writtenAddrOf(Head, u64(), 10);
  Buf->Span = 2;
  F.Body =
      block(assign(Tail, cst(0, u32())),
            exprStmt(helperCall(HelperSkbLoadBytes, i64(),
                                var(0, ptrTy(192, "struct __sk_buff *")),
                                cst(0, u32()), std::move(Buf), cst(10, u32()))),
            callOutput(Head, u64()), callOutput(Tail, u32()),
            ret(cast(i32(), bin(OK::Add, cast(u64(), var(Tail, u32())),
                                var(Head, u64())))));
  return F;
}

TEST(CodeGenSkb, BufferOfSeveralVariablesIsConsecutiveSlots) {
  CompiledProgram P = compileOrDie(twelveByteBuffer());
  ASSERT_FALSE(P.Name.empty());
  const auto &I = P.Insns;
  size_t Call = 0;
  while (Call < I.size() && I[Call].Code != (bpf::JMP | bpf::CALL))
    ++Call;
  ASSERT_LT(Call + 2, I.size()) << P.Asm;
  // R3 = R10 + Base: the buffer's start.
  int64_t Base = 1;
  for (size_t K = 0; K < Call; ++K)
    if (I[K].Dst == bpf::R3 && I[K].Code == (bpf::ALU64 | bpf::ADD | bpf::K))
      Base = I[K].Imm;
  ASSERT_LT(Base, 0) << P.Asm;
  // Only the partly written tail goes into the buffer before the call: a
  // 4-byte store at Base + 8.
  unsigned Stores = 0;
  for (size_t K = 0; K < Call; ++K)
    if (bpf::insnClass(I[K].Code) == bpf::STX && I[K].Dst == bpf::R10 &&
        I[K].Off < 0 && I[K].Off >= Base && I[K].Off < Base + 12) {
      ++Stores;
      EXPECT_EQ(I[K].Off, Base + 8) << P.Asm;
      EXPECT_EQ(bpf::sizeOf(I[K].Code), bpf::W) << P.Asm;
    }
  EXPECT_EQ(Stores, 1u) << P.Asm;
  // After the call, head and the tail reloaded from Base and Base + 8.
  EXPECT_EQ(bpf::insnClass(I[Call + 1].Code), bpf::LDX) << P.Asm;
  EXPECT_EQ(bpf::sizeOf(I[Call + 1].Code), bpf::DW) << P.Asm;
  EXPECT_EQ(I[Call + 1].Off, Base) << P.Asm;
  EXPECT_EQ(bpf::insnClass(I[Call + 2].Code), bpf::LDX) << P.Asm;
  EXPECT_EQ(bpf::sizeOf(I[Call + 2].Code), bpf::W) << P.Asm;
  EXPECT_EQ(I[Call + 2].Off, Base + 8) << P.Asm;
  expectProved(P);
}

TEST(CodeGenSkb, BufferVariableAtAnOffsetItsSizeDoesNotDivideIsRefused) {
  Function F = twelveByteBuffer();
  size_t N = F.Vars.size(); // head and head+8 are the last two
  std::swap(F.Vars[N - 2].Ty, F.Vars[N - 1].Ty); // 4 bytes, then 8 at 4
  CompiledProgram P;
  std::string Err;
  EXPECT_FALSE(compileFunction(F, P, Err, {}));
  EXPECT_NE(Err.find("at an offset of the buffer its size does not divide"),
            std::string::npos)
      << Err;
}

TEST(CodeGenSkb, TcStoresIntoWritableContextFieldsAreProved) {
  Function F = skbFunction("mark", "tc", vep::cir::ProgramType::SchedCls);
  auto Field = [](int64_t Off) {
    return ptrAdd(var(0, ptrTy(192, "struct __sk_buff *")), Off);
  };
  F.Body = block(store(Field(8), load(u32(), Field(0))), // mark = len
                 store(Field(48), cst(1, u32())),        // cb[0] = 1
                 retInt(0));
  CompiledProgram P = compileOrDie(F);
  ASSERT_FALSE(P.Name.empty());
  expectProved(P);
  // The same store in a socket filter is refused by the checker.
  F.ProgType = vep::cir::ProgramType::SocketFilter;
  F.Section = "socket";
  CompiledProgram S = compileOrDie(F);
  ASSERT_FALSE(S.Name.empty());
  std::vector<uint8_t> Obj = writeObject({S}, "GPL", {});
  EXPECT_FALSE(writeProof(Obj, {{S.Section, S.Post, S.Cuts}}).Ok) << S.Asm;
}

TEST(CodeGenSkb, CallOutputMustFollowItsCall) {
  auto Refused = [](Function F, const std::string &Why) {
    CompiledProgram P;
    std::string Err;
    EXPECT_FALSE(compileFunction(F, P, Err, {}));
    EXPECT_NE(Err.find(Why), std::string::npos) << Err;
  };
  Function NoOutput =
      skbFunction("a", "socket", vep::cir::ProgramType::SocketFilter);
  unsigned V = addVar(NoOutput, "v", u32());
  NoOutput.Body = block(loadBytes(V, u32(), 0, 4), retInt(0));
  Refused(std::move(NoOutput), "without 'v = CallOutput' after it");

  Function Stray =
      skbFunction("b", "socket", vep::cir::ProgramType::SocketFilter);
  V = addVar(Stray, "v", u32());
  Stray.Body = block(assign(V, cst(0, u32())), callOutput(V, u32()), retInt(0));
  Refused(std::move(Stray), "not right after the call");

  Function Inside =
      skbFunction("c", "socket", vep::cir::ProgramType::SocketFilter);
  V = addVar(Inside, "v", u32());
  auto Out = mk(EK::CallOutput, u32());
  Out->VarId = V;
  Inside.Body = block(ret(cast(i32(), std::move(Out))));
  Refused(std::move(Inside), "a call's output outside");
}

} // namespace
