//===- CodeGenCallTest.cpp - bpf-to-bpf calls: code, object, kernel runs ---===//
//
// Modules of an XDP entry point and functions it calls (hand-built CIR),
// compiled by compileModule: the layout of `.text` (callers first), the
// calls' relocations and immediates, the -S text, and runs in the kernel
// (libbpf links the functions, BPF_PROG_TEST_RUN runs them) against values
// computed here from the packet.
//
//===----------------------------------------------------------------------===//

#include "CodeGenTestSupport.h"
#include "vep/compiler/ProofWriter.h"

#include <gtest/gtest.h>
#include <gelf.h>
#include <libelf.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <random>

using namespace cgtest;
using namespace vep::compiler;

namespace {

/// A function entry points call: `static Ret Name(params)`, parameters
/// first among its variables, each with its ParamSpec kind.
Function textFunction(const std::string &Name, Type Ret,
                      const std::vector<std::pair<std::string, Type>> &Params,
                      const std::vector<ParamSpec::Kind> &Kinds = {}) {
  Function F;
  F.Name = Name;
  F.ReturnType = std::move(Ret);
  for (size_t K = 0; K < Params.size(); ++K) {
    Variable V;
    V.Name = Params[K].first;
    V.Ty = Params[K].second;
    V.IsParam = true;
    F.Vars.push_back(V);
    ParamSpec S;
    S.K = K < Kinds.size() ? Kinds[K] : ParamSpec::Kind::Scalar;
    F.Params.push_back(S);
  }
  F.NumParams = unsigned(Params.size());
  return F;
}

/// The call of Module::Functions[Callee] with result type T.
template <typename... Args> ExprPtr funcCall(unsigned Callee, Type T, Args... A) {
  auto E = mk(EK::FuncCall, std::move(T));
  E->Value = Callee;
  (E->Ops.push_back(std::move(A)), ...);
  return E;
}

template <typename... Fs> Module moduleOf(Fs... F) {
  Module M;
  M.FileName = "calls.c";
  M.License = "GPL";
  (M.Functions.push_back(std::move(F)), ...);
  return M;
}

/// Packet byte K as a u32 (the caller has checked data + K < data_end).
ExprPtr byteAt(unsigned Data, int64_t K) {
  return cast(u32(), load(u8(), ptrAdd(var(Data, ptrTy()), K)));
}

/// An XDP entry point with data and data_end read and `data + N >
/// data_end` returning 0; Body follows. Variables: ctx 0, data 1, end 2.
Function xdpWithBytes(const std::string &Name, int64_t N) {
  Function F = xdpFunction(Name);
  unsigned D = addVar(F, "data", ptrTy());
  unsigned E = addVar(F, "data_end", ptrTy());
  F.Body = block(assign(D, ctxField(0)), assign(E, ctxField(4)),
                 ifThen(cmp(OK::UGt, ptrAdd(var(D, ptrTy()), N), var(E, ptrTy())),
                        retInt(0)));
  return F;
}
void append(Function &F, StmtPtr S) { F.Body->Body.push_back(std::move(S)); }

/// "x1 >= 0, ..." for a list of facts.
std::string factsText(const std::vector<LinForm> &Fs) {
  std::string S;
  for (const LinForm &F : Fs)
    S += (S.empty() ? "" : ", ") + formatCutFact(F);
  return S;
}

std::shared_ptr<const Annotation> contract(AssertionPtr Require, AssertionPtr Ensure) {
  auto A = std::make_shared<Annotation>();
  A->K = Annotation::Kind::Contract;
  A->Pre = Require;
  A->Post = Ensure;
  return A;
}

TermPtr binT(const std::string &Op, TermPtr A, TermPtr B) {
  auto T = std::make_shared<Term>();
  T->K = Term::Kind::Binary;
  T->Op = Op;
  T->Args = {A, B};
  return T;
}

AssertionPtr pred(const std::string &Name, std::vector<TermPtr> Args) {
  auto X = std::make_shared<Assertion>();
  X->K = Assertion::Kind::Pred;
  X->Name = Name;
  X->Terms = std::move(Args);
  return X;
}


// ---- The sample modules ------------------------------------------------------
// Each is a module and the function (of the packet) its entry point computes.

struct Sample {
  Module M;
  std::string Entry;
  std::function<uint32_t(const std::vector<uint8_t> &)> Expected;
  size_t MinLen = 0; ///< shorter packets return 0
};

/// static __u32 scale(__u32 x) { return x * 3 + 7; }
Function scaleFunction() {
  Function F = textFunction("scale", u32(), {{"x", u32()}});
  F.Body = block(ret(bin(OK::Add, bin(OK::Mul, var(0, u32()), cst(3, u32())),
                         cst(7, u32()))));
  return F;
}

/// int xdp_scalar(ctx) { ...; __u32 b = data[0]; return scale(b); }
Sample scalarSample() {
  Function E = xdpWithBytes("xdp_scalar", 1);
  unsigned B = addVar(E, "b", u32()), R = addVar(E, "r", u32());
  append(E, assign(B, byteAt(1, 0)));
  append(E, assign(R, funcCall(1, u32(), var(B, u32()))));
  append(E, ret(cast(i32(), var(R, u32()))));
  return {moduleOf(std::move(E), scaleFunction()), "xdp_scalar",
          [](const std::vector<uint8_t> &P) { return uint32_t(P[0] * 3 + 7); }, 1};
}

/// scale called twice; a, b and s live across the second call:
///   s = scale(a); t = scale(b); return (s * 256 + t) ^ a ^ b;
Sample twiceSample() {
  Function E = xdpWithBytes("xdp_twice", 2);
  unsigned A = addVar(E, "a", u32()), B = addVar(E, "b", u32());
  unsigned S = addVar(E, "s", u32()), T = addVar(E, "t", u32());
  append(E, assign(A, byteAt(1, 0)));
  append(E, assign(B, byteAt(1, 1)));
  append(E, assign(S, funcCall(1, u32(), var(A, u32()))));
  append(E, assign(T, funcCall(1, u32(), var(B, u32()))));
  append(E, ret(cast(i32(), bin(OK::Xor,
                                bin(OK::Xor,
                                    bin(OK::Add, bin(OK::Mul, var(S, u32()), cst(256, u32())),
                                        var(T, u32())),
                                    var(A, u32())),
                                var(B, u32())))));
  return {moduleOf(std::move(E), scaleFunction()), "xdp_twice",
          [](const std::vector<uint8_t> &P) {
            uint32_t A = P[0], B = P[1];
            return ((A * 3 + 7) * 256 + (B * 3 + 7)) ^ A ^ B;
          },
          2};
}

/// Six bytes live across a call (more than R6-R9 hold: some live on the
/// stack), each weighted in the result:
///   x = scale(v0 + v5); return x + v0 * 1 + v1 * 2 + ... + v5 * 6;
Sample liveAcrossSample() {
  Function E = xdpWithBytes("xdp_live", 6);
  std::vector<unsigned> V;
  for (int K = 0; K < 6; ++K) {
    V.push_back(addVar(E, "v" + std::to_string(K), u32()));
    append(E, assign(V.back(), byteAt(1, K)));
  }
  unsigned Arg = addVar(E, "arg", u32()), X = addVar(E, "x", u32());
  append(E, assign(Arg, bin(OK::Add, var(V[0], u32()), var(V[5], u32()))));
  append(E, assign(X, funcCall(1, u32(), var(Arg, u32()))));
  ExprPtr Sum = var(X, u32());
  for (int K = 0; K < 6; ++K)
    Sum = bin(OK::Add, std::move(Sum),
              bin(OK::Mul, var(V[size_t(K)], u32()), cst(uint64_t(K + 1), u32())));
  append(E, ret(cast(i32(), std::move(Sum))));
  return {moduleOf(std::move(E), scaleFunction()), "xdp_live",
          [](const std::vector<uint8_t> &P) {
            uint32_t S = (P[0] + P[5]) * 3 + 7;
            for (int K = 0; K < 6; ++K)
              S += P[size_t(K)] * uint32_t(K + 1);
            return S;
          },
          6};
}

/// A function calling a function, and the entry point calling both; outer's
/// second parameter is live across its call:
///   static __u64 inner(__u64 x) { return x ^ 0x5a; }
///   static __u64 outer(__u64 x, __u64 y) { __u64 t = inner(x); return t + y * 2; }
///   entry: __u64 p = outer(a, b); __u64 q = inner(b); return (__u32)(p * 1000 + q);
/// Functions are listed inner first: compileModule must put outer before it.
Sample chainSample() {
  Function Inner = textFunction("inner", u64(), {{"x", u64()}});
  Inner.Body = block(ret(bin(OK::Xor, var(0, u64()), cst(0x5a, u64()))));
  Function Outer = textFunction("outer", u64(), {{"x", u64()}, {"y", u64()}});
  unsigned T = addVar(Outer, "t", u64());
  Outer.Body = block(assign(T, funcCall(1, u64(), var(0, u64()))),
                     ret(bin(OK::Add, var(T, u64()),
                             bin(OK::Mul, var(1, u64()), cst(2, u64())))));
  Function E = xdpWithBytes("xdp_chain", 2);
  unsigned A = addVar(E, "a", u64()), B = addVar(E, "b", u64());
  unsigned Pv = addVar(E, "p", u64()), Q = addVar(E, "q", u64());
  append(E, assign(A, cast(u64(), byteAt(1, 0))));
  append(E, assign(B, cast(u64(), byteAt(1, 1))));
  append(E, assign(Pv, funcCall(2, u64(), var(A, u64()), var(B, u64()))));
  append(E, assign(Q, funcCall(1, u64(), var(B, u64()))));
  append(E, ret(cast(i32(), bin(OK::Add, bin(OK::Mul, var(Pv, u64()), cst(1000, u64())),
                                var(Q, u64())))));
  return {moduleOf(std::move(E), std::move(Inner), std::move(Outer)), "xdp_chain",
          [](const std::vector<uint8_t> &P) {
            uint64_t A = P[0], B = P[1];
            return uint32_t(((A ^ 0x5a) + B * 2) * 1000 + (B ^ 0x5a));
          },
          2};
}

/// Packet pointers as parameters:
///   static __u32 read16(void *p, void *end) {
///     if (p + 2 > end) return 0x10000; return *(__u16 *)p; }
///   entry (16 bytes checked, so p is inside the packet, as packet(p)
///   requires; p + 2 may not be):
///     void *p = data + data[0] % 16; return read16(p, data_end);
Sample packetSample() {
  Function R = textFunction("read16", u32(), {{"p", ptrTy()}, {"end", ptrTy()}},
                            {ParamSpec::Kind::Packet, ParamSpec::Kind::PacketEnd});
  R.Body = block(ifThen(cmp(OK::UGt, ptrAdd(var(0, ptrTy()), 2), var(1, ptrTy())),
                        ret(cst(0x10000, u32()))),
                 ret(cast(u32(), load(u16(), var(0, ptrTy())))));
  Function E = xdpWithBytes("xdp_packet", 16);
  unsigned Off = addVar(E, "off", u64()), Pv = addVar(E, "p", ptrTy());
  unsigned V = addVar(E, "v", u32());
  append(E, assign(Off, cast(u64(), bin(OK::URem, byteAt(1, 0), cst(16, u32())))));
  append(E, assign(Pv, ptrAdd(var(1, ptrTy()), var(Off, u64()))));
  append(E, assign(V, funcCall(1, u32(), var(Pv, ptrTy()), var(2, ptrTy()))));
  append(E, ret(cast(i32(), var(V, u32()))));
  return {moduleOf(std::move(E), std::move(R)), "xdp_packet",
          [](const std::vector<uint8_t> &P) {
            size_t O = P[0] % 16;
            if (O + 2 > P.size())
              return uint32_t(0x10000);
            return uint32_t(P[O] | P[O + 1] << 8);
          },
          16};
}

/// Five parameters, R1-R5:
///   static __u64 mix(a, b, c, d, e) { return ((a - b) + c * d) ^ e; }
///   entry: return (__u32)mix(data[0], data[1], data[2], data[3], data[4]);
Sample fiveSample() {
  std::vector<std::pair<std::string, Type>> Ps;
  for (const char *N : {"a", "b", "c", "d", "e"})
    Ps.push_back({N, u64()});
  Function Mix = textFunction("mix", u64(), Ps);
  auto P = [](unsigned K) { return var(K, u64()); };
  Mix.Body = block(ret(bin(OK::Xor, bin(OK::Add, bin(OK::Sub, P(0), P(1)), bin(OK::Mul, P(2), P(3))),
                           P(4))));
  Function E = xdpWithBytes("xdp_five", 5);
  std::vector<unsigned> V;
  for (int K = 0; K < 5; ++K) {
    V.push_back(addVar(E, "v" + std::to_string(K), u64()));
    append(E, assign(V.back(), cast(u64(), byteAt(1, K))));
  }
  unsigned X = addVar(E, "x", u64());
  append(E, assign(X, funcCall(1, u64(), var(V[0], u64()), var(V[1], u64()), var(V[2], u64()),
                               var(V[3], u64()), var(V[4], u64()))));
  append(E, ret(cast(i32(), var(X, u64()))));
  return {moduleOf(std::move(E), std::move(Mix)), "xdp_five",
          [](const std::vector<uint8_t> &P) {
            uint64_t A = P[0], B = P[1], C = P[2], D = P[3], E = P[4];
            return uint32_t(((A - B) + C * D) ^ E);
          },
          5};
}

/// A loop in a called function over the packet, bounded by a scalar
/// parameter; p and n are never assigned:
///   static __u32 odd(void *p, void *end, __u32 n) {   // Require n <= 16
///     __u32 i = 0, c = 0;                               // Ensure __return <= n
///     /*@ Inv 0 <= i && i <= n && c <= i Variant n - i */
///     while (i < n) {
///       if (p + i + 1 > end) break;
///       __u32 k = *(__u8 *)(p + i); c = c + k % 2; i = i + 1;
///     }
///     return c;
///   }
///   entry: void *p = data + 1; return odd(p, data_end, data[0] % 16);
Sample loopSample() {
  Function C = textFunction("odd", u32(), {{"p", ptrTy()}, {"end", ptrTy()}, {"n", u32()}},
                            {ParamSpec::Kind::Packet, ParamSpec::Kind::PacketEnd,
                             ParamSpec::Kind::Scalar});
  unsigned I = addVar(C, "i", u32()), Cn = addVar(C, "c", u32()), K = addVar(C, "k", u32());
  auto At = [&] { return ptrAdd(var(0, ptrTy()), cast(i64(), var(I, u32()))); };
  auto Body = block(
      ifThen(cmp(OK::UGt, ptrAdd(At(), 1), var(1, ptrTy())), mks(SK::Break)),
      assign(K, cast(u32(), load(u8(), At()))),
      assign(Cn, bin(OK::Add, var(Cn, u32()), bin(OK::URem, var(K, u32()), cst(2, u32())))),
      assign(I, bin(OK::Add, var(I, u32()), cst(1, u32()))));
  C.Body = block(assign(I, cst(0, u32())), assign(Cn, cst(0, u32())),
                 loopS(cmp(OK::ULt, var(I, u32()), var(2, u32())), std::move(Body), nullptr,
                       inv(andA(andA(cmpA("<=", lit(0), vr("i")), cmpA("<=", vr("i"), vr("n"))),
                                cmpA("<=", vr("c"), vr("i"))),
                           binT("-", vr("n"), vr("i")))),
                 ret(var(Cn, u32())));
  C.Contract = contract(cmpA("<=", vr("n"), lit(16)), cmpA("<=", vr(), vr("n")));
  Function E = xdpWithBytes("xdp_loop", 1);
  unsigned N = addVar(E, "n", u32()), Pv = addVar(E, "p", ptrTy());
  unsigned R = addVar(E, "r", u32());
  append(E, assign(N, bin(OK::URem, byteAt(1, 0), cst(16, u32()))));
  append(E, assign(Pv, ptrAdd(var(1, ptrTy()), 1)));
  append(E, assign(R, funcCall(1, u32(), var(Pv, ptrTy()), var(2, ptrTy()), var(N, u32()))));
  append(E, ret(cast(i32(), var(R, u32()))));
  return {moduleOf(std::move(E), std::move(C)), "xdp_loop",
          [](const std::vector<uint8_t> &P) {
            uint32_t N = P[0] % 16, I = 0, Odd = 0;
            for (size_t At = 1; I < N && At < P.size(); ++At, ++I)
              Odd += P[At] % 2;
            return Odd;
          },
          1};
}

std::vector<CompiledProgram> compileOrFail(const Module &M) {
  std::vector<CompiledProgram> Out;
  std::string Err;
  EXPECT_TRUE(compileModule(M, Out, Err)) << Err;
  return Out;
}

const CompiledProgram *find(const std::vector<CompiledProgram> &Ps, const std::string &Name) {
  for (const CompiledProgram &P : Ps)
    if (P.Name == Name)
      return &P;
  return nullptr;
}

// ---- Reading the object back (libelf) ----------------------------------------

struct ObjSymbol {
  std::string Name, Section;
  unsigned Bind = 0, Type = 0;
  uint64_t Value = 0, Size = 0;
};
struct ObjReloc {
  std::string Section; ///< the section relocated
  uint64_t Offset = 0;
  unsigned Type = 0;
  ObjSymbol Sym;
};
struct ObjView {
  std::map<std::string, std::vector<uint8_t>> Sections;
  std::vector<ObjSymbol> Symbols;
  std::vector<ObjReloc> Relocs;
  size_t FirstGlobal = 0;
};

ObjView readObject(const std::vector<uint8_t> &Bytes) {
  ObjView V;
  elf_version(EV_CURRENT);
  std::vector<uint8_t> Copy = Bytes;
  Elf *E = elf_memory(reinterpret_cast<char *>(Copy.data()), Copy.size());
  if (!E)
    return V;
  size_t ShStr = 0;
  elf_getshdrstrndx(E, &ShStr);
  auto SecName = [&](size_t Idx) -> std::string {
    GElf_Shdr Sh;
    Elf_Scn *S = elf_getscn(E, Idx);
    if (!S || !gelf_getshdr(S, &Sh))
      return "";
    const char *N = elf_strptr(E, ShStr, Sh.sh_name);
    return N ? N : "";
  };
  Elf_Scn *Scn = nullptr;
  while ((Scn = elf_nextscn(E, Scn))) {
    GElf_Shdr Sh;
    gelf_getshdr(Scn, &Sh);
    std::string Name = SecName(elf_ndxscn(Scn));
    Elf_Data *D = elf_getdata(Scn, nullptr);
    if (Sh.sh_type == SHT_PROGBITS && D && D->d_buf) {
      auto *B = static_cast<const uint8_t *>(D->d_buf);
      V.Sections[Name].assign(B, B + D->d_size);
    }
    if (Sh.sh_type == SHT_SYMTAB) {
      V.FirstGlobal = Sh.sh_info;
      for (size_t I = 0; I < Sh.sh_size / Sh.sh_entsize; ++I) {
        GElf_Sym S;
        gelf_getsym(D, int(I), &S);
        ObjSymbol O;
        const char *N = elf_strptr(E, Sh.sh_link, S.st_name);
        O.Name = N ? N : "";
        O.Section = S.st_shndx ? SecName(S.st_shndx) : "";
        O.Bind = GELF_ST_BIND(S.st_info);
        O.Type = GELF_ST_TYPE(S.st_info);
        O.Value = S.st_value;
        O.Size = S.st_size;
        V.Symbols.push_back(O);
      }
    }
  }
  Scn = nullptr;
  while ((Scn = elf_nextscn(E, Scn))) {
    GElf_Shdr Sh;
    gelf_getshdr(Scn, &Sh);
    if (Sh.sh_type != SHT_REL)
      continue;
    Elf_Data *D = elf_getdata(Scn, nullptr);
    for (size_t I = 0; I < Sh.sh_size / Sh.sh_entsize; ++I) {
      GElf_Rel R;
      gelf_getrel(D, int(I), &R);
      ObjReloc O;
      O.Section = SecName(Sh.sh_info);
      O.Offset = R.r_offset;
      O.Type = unsigned(GELF_R_TYPE(R.r_info));
      size_t SymIdx = GELF_R_SYM(R.r_info);
      if (SymIdx < V.Symbols.size())
        O.Sym = V.Symbols[SymIdx];
      V.Relocs.push_back(O);
    }
  }
  elf_end(E);
  return V;
}

BpfInsn insnAt(const std::vector<uint8_t> &Sec, uint64_t Offset) {
  BpfInsn I;
  I.Code = Sec[Offset];
  I.Dst = Sec[Offset + 1] & 0xf;
  I.Src = Sec[Offset + 1] >> 4;
  I.Off = int16_t(Sec[Offset + 2] | Sec[Offset + 3] << 8);
  I.Imm = int32_t(uint32_t(Sec[Offset + 4]) | uint32_t(Sec[Offset + 5]) << 8 |
                  uint32_t(Sec[Offset + 6]) << 16 | uint32_t(Sec[Offset + 7]) << 24);
  return I;
}

} // namespace

// The entry point first, then `.text` in call order: outer (which calls
// inner) before inner, although the module lists inner first.
TEST(CodeGenCall, FunctionsAreOrderedCallersFirst) {
  Sample S = chainSample();
  std::vector<CompiledProgram> Ps = compileOrFail(S.M);
  ASSERT_EQ(Ps.size(), 3u);
  EXPECT_EQ(Ps[0].Name, "xdp_chain");
  EXPECT_EQ(Ps[1].Name, "outer");
  EXPECT_EQ(Ps[2].Name, "inner");
  EXPECT_TRUE(Ps[1].isTextFunction() && Ps[2].isTextFunction());
  // Immediates: the callee's index in .text minus 1 (outer at 0, inner
  // after it).
  long InnerAt = long(Ps[1].Insns.size());
  ASSERT_EQ(Ps[0].CallRelocs.size(), 2u);
  EXPECT_EQ(Ps[0].CallRelocs[0].Name, "outer");
  EXPECT_EQ(Ps[0].Insns[Ps[0].CallRelocs[0].Insn].Imm, -1);
  EXPECT_EQ(Ps[0].CallRelocs[1].Name, "inner");
  EXPECT_EQ(Ps[0].Insns[Ps[0].CallRelocs[1].Insn].Imm, InnerAt - 1);
  ASSERT_EQ(Ps[1].CallRelocs.size(), 1u);
  EXPECT_EQ(Ps[1].Insns[Ps[1].CallRelocs[0].Insn].Imm, InnerAt - 1);
  for (const CompiledProgram &P : Ps)
    for (const CallRelocation &C : P.CallRelocs) {
      EXPECT_EQ(P.Insns[C.Insn].Code, bpf::JMP | bpf::CALL);
      EXPECT_EQ(P.Insns[C.Insn].Src, 1);
    }
}

// A function no entry point calls is not compiled; recursion is refused.
TEST(CodeGenCall, UnreachedFunctionsAndRecursion) {
  {
    Sample S = scalarSample();
    Function Unused = scaleFunction();
    Unused.Name = "unused";
    S.M.Functions.push_back(std::move(Unused));
    std::vector<CompiledProgram> Ps = compileOrFail(S.M);
    EXPECT_EQ(Ps.size(), 2u);
    EXPECT_EQ(find(Ps, "unused"), nullptr);
  }
  {
    // f calls g, g calls f.
    Function F = textFunction("f", u32(), {{"x", u32()}});
    unsigned TF = addVar(F, "t", u32());
    F.Body = block(assign(TF, funcCall(2, u32(), var(0, u32()))), ret(var(TF, u32())));
    Function G = textFunction("g", u32(), {{"x", u32()}});
    unsigned TG = addVar(G, "t", u32());
    G.Body = block(assign(TG, funcCall(1, u32(), var(0, u32()))), ret(var(TG, u32())));
    Function E = xdpWithBytes("xdp_rec", 1);
    unsigned R = addVar(E, "r", u32());
    append(E, assign(R, funcCall(1, u32(), cst(1, u32()))));
    append(E, ret(cast(i32(), var(R, u32()))));
    Module M = moduleOf(std::move(E), std::move(F), std::move(G));
    std::vector<CompiledProgram> Ps;
    std::string Err;
    const Function *At = nullptr;
    EXPECT_FALSE(compileModule(M, Ps, Err, &At));
    EXPECT_NE(Err.find("not supported yet: recursive call"), std::string::npos) << Err;
    EXPECT_TRUE(At && At->Name == "g") << Err;
  }
  {
    // A call inside an expression is malformed CIR.
    Sample S = scalarSample();
    Function &E = S.M.Functions[0];
    E.Body->Body.back() = ret(cast(i32(), bin(OK::Add, funcCall(1, u32(), cst(1, u32())),
                                               cst(1, u32()))));
    std::vector<CompiledProgram> Ps;
    std::string Err;
    EXPECT_FALSE(compileModule(S.M, Ps, Err));
    EXPECT_NE(Err.find("internal error: malformed CIR (a call inside"), std::string::npos)
        << Err;
  }
}

// Values live across a call are in R6-R9 or on the stack: after a call,
// R1-R5 are written before they are read (until the next call or exit; the
// samples' code after a call is straight-line but for early exits).
TEST(CodeGenCall, ValuesLiveAcrossCallsAreCalleeSaved) {
  // The registers an instruction reads.
  auto Reads = [](const BpfInsn &I) {
    std::vector<uint8_t> R;
    uint8_t Cls = bpf::insnClass(I.Code), Op = bpf::opOf(I.Code);
    bool RegSrc = bpf::srcOf(I.Code) == bpf::X;
    switch (Cls) {
    case bpf::ALU:
    case bpf::ALU64:
      if (Op != bpf::MOV)
        R.push_back(I.Dst);
      if (RegSrc)
        R.push_back(I.Src);
      break;
    case bpf::LDX:
      R.push_back(I.Src);
      break;
    case bpf::STX:
      R.push_back(I.Src);
      R.push_back(I.Dst);
      break;
    case bpf::ST:
      R.push_back(I.Dst);
      break;
    case bpf::JMP:
    case bpf::JMP32:
      if (Op != bpf::JA && Op != bpf::CALL && Op != bpf::EXIT) {
        R.push_back(I.Dst);
        if (RegSrc)
          R.push_back(I.Src);
      }
      break;
    }
    return R;
  };
  auto Writes = [](const BpfInsn &I) {
    uint8_t Cls = bpf::insnClass(I.Code);
    return Cls == bpf::ALU || Cls == bpf::ALU64 || Cls == bpf::LDX || Cls == bpf::LD;
  };
  for (auto Make : {twiceSample, liveAcrossSample, chainSample, fiveSample}) {
    Sample S = Make();
    std::vector<CompiledProgram> Ps = compileOrFail(S.M);
    unsigned Calls = 0;
    for (const CompiledProgram &P : Ps)
      for (const CallRelocation &C : P.CallRelocs) {
        ++Calls;
        bool Clobbered[11] = {false, true, true, true, true, true};
        for (size_t I = C.Insn + 1; I < P.Insns.size(); ++I) {
          const BpfInsn &In = P.Insns[I];
          for (uint8_t R : Reads(In))
            EXPECT_FALSE(Clobbered[R]) << P.Name << " reads r" << int(R) << " at " << I
                                       << " after the call at " << C.Insn << "\n"
                                       << P.Asm;
          if (Writes(In))
            Clobbered[In.Dst] = false;
          if (bpf::opOf(In.Code) == bpf::CALL || bpf::opOf(In.Code) == bpf::EXIT)
            break;
        }
      }
    EXPECT_GT(Calls, 0u);
  }
}

// writeObject: `.text` after the programs with the functions' bytes, a
// section symbol and a local STT_FUNC symbol each (value = offset, size),
// and an R_BPF_64_32 relocation against `.text` at every call, whose
// st_value / 8 + imm + 1 is the callee's first instruction.
TEST(CodeGenCall, ObjectHasTextSymbolsAndCallRelocations) {
  Sample S = chainSample();
  std::vector<CompiledProgram> Ps = compileOrFail(S.M);
  ObjView O = readObject(writeObject(Ps, "GPL"));
  ASSERT_TRUE(O.Sections.count(".text"));
  std::vector<uint8_t> Text;
  for (const CompiledProgram &P : Ps)
    if (P.isTextFunction()) {
      auto B = encodeInsns(P.Insns);
      Text.insert(Text.end(), B.begin(), B.end());
    }
  EXPECT_EQ(O.Sections[".text"], Text);
  EXPECT_EQ(O.Sections["xdp"], encodeInsns(Ps[0].Insns));
  std::map<std::string, ObjSymbol> Funcs;
  bool SectionSym = false;
  for (size_t I = 0; I < O.Symbols.size(); ++I) {
    const ObjSymbol &Sy = O.Symbols[I];
    EXPECT_EQ(Sy.Bind == STB_LOCAL, I < O.FirstGlobal) << Sy.Name;
    if (Sy.Type == STT_SECTION && Sy.Section == ".text")
      SectionSym = true;
    if (Sy.Type == STT_FUNC && Sy.Section == ".text") {
      EXPECT_EQ(Sy.Bind, unsigned(STB_LOCAL)) << Sy.Name;
      Funcs[Sy.Name] = Sy;
    }
  }
  EXPECT_TRUE(SectionSym);
  ASSERT_EQ(Funcs.size(), 2u);
  EXPECT_EQ(Funcs["outer"].Value, 0u);
  EXPECT_EQ(Funcs["outer"].Size, Ps[1].Insns.size() * 8);
  EXPECT_EQ(Funcs["inner"].Value, Ps[1].Insns.size() * 8);
  EXPECT_EQ(Funcs["inner"].Size, Ps[2].Insns.size() * 8);
  unsigned Calls = 0;
  for (const ObjReloc &R : O.Relocs) {
    if (R.Type != R_BPF_64_32)
      continue;
    ++Calls;
    EXPECT_EQ(R.Sym.Type, unsigned(STT_SECTION));
    EXPECT_EQ(R.Sym.Section, ".text");
    BpfInsn I = insnAt(O.Sections[R.Section], R.Offset);
    EXPECT_EQ(I.Src, 1);
    uint64_t Target = R.Sym.Value / 8 + uint64_t(int64_t(I.Imm) + 1);
    EXPECT_TRUE(Target == Funcs["outer"].Value / 8 || Target == Funcs["inner"].Value / 8)
        << R.Section << " +" << R.Offset;
  }
  EXPECT_EQ(Calls, 3u);
}

// -S: `call name`, `.text` functions without .globl. llvm-mc assembles it
// to the same bytes, except that it resolves a call from `.text` to `.text`
// itself (a relative immediate, no relocation; libbpf reads both forms),
// where the object has the relocation the checker requires.
TEST(CodeGenCall, AsmAssemblesToTheSameObject) {
  if (access(VEP_LLVM_MC, X_OK) != 0)
    GTEST_SKIP() << VEP_LLVM_MC << " not found";
  Sample S = chainSample();
  std::vector<CompiledProgram> Ps = compileOrFail(S.M);
  std::string Asm = writeAssembly(Ps, "GPL");
  EXPECT_NE(Asm.find("call outer"), std::string::npos) << Asm;
  EXPECT_NE(Asm.find("call inner"), std::string::npos) << Asm;
  EXPECT_EQ(Asm.find(".globl\tinner"), std::string::npos) << Asm;
  std::string Dir = testing::TempDir();
  std::string Src = Dir + "/vep_call_asm.s", Obj = Dir + "/vep_call_asm.o";
  {
    std::ofstream Out(Src);
    Out << Asm;
  }
  std::string Cmd = std::string(VEP_LLVM_MC) + " -triple bpf -filetype=obj -o " + Obj +
                    " " + Src + " 2>&1";
  ASSERT_EQ(system(Cmd.c_str()), 0) << Cmd << "\n" << Asm;
  std::ifstream In(Obj, std::ios::binary);
  std::vector<uint8_t> Bytes{std::istreambuf_iterator<char>(In), std::istreambuf_iterator<char>()};
  ObjView Theirs = readObject(Bytes), Ours = readObject(writeObject(Ps, "GPL"));
  std::vector<uint8_t> &Text = Theirs.Sections[".text"];
  unsigned Relocated = 0, Resolved = 0;
  for (const ObjReloc &R : Theirs.Relocs)
    if (R.Type == R_BPF_64_32) {
      ++Relocated;
      EXPECT_EQ(R.Sym.Type, unsigned(STT_SECTION));
      EXPECT_EQ(R.Section, "xdp");
    }
  for (size_t Off = 0; Off + 8 <= Text.size(); Off += 8) {
    BpfInsn I = insnAt(Text, Off);
    if (I.Code != (bpf::JMP | bpf::CALL) || I.Src != 1)
      continue;
    // Relative to absolute: the target is index + imm + 1.
    int32_t Abs = int32_t(Off / 8) + I.Imm;
    for (int K = 0; K < 4; ++K)
      Text[Off + 4 + size_t(K)] = uint8_t(uint32_t(Abs) >> (8 * K));
    ++Resolved;
  }
  EXPECT_EQ(Relocated, 2u);
  EXPECT_EQ(Resolved, 1u);
  for (const char *Sec : {"xdp", ".text"})
    EXPECT_EQ(Theirs.Sections[Sec], Ours.Sections[Sec]) << Sec << "\n" << Asm;
  unlink(Src.c_str());
  unlink(Obj.c_str());
}

// The kernel loads every sample (libbpf appends the functions to the
// program and resolves the calls) and computes what the test computes.
TEST(CodeGenCall, KernelRunsMatchTheExpectedValues) {
  VEP_REQUIRE_KERNEL();
  std::mt19937 Rng(20261121);
  for (auto Make : {scalarSample, twiceSample, liveAcrossSample, chainSample, packetSample,
                    fiveSample, loopSample}) {
    Sample S = Make();
    std::vector<CompiledProgram> Ps = compileOrFail(S.M);
    ASSERT_FALSE(Ps.empty());
    std::string Asm;
    for (const CompiledProgram &P : Ps)
      Asm += P.Asm;
    Loaded L;
    std::string Why;
    ASSERT_TRUE(loadObject(writeObject(Ps, "GPL"), S.Entry, L, Why))
        << S.Entry << ": " << Why << "\n" << Asm;
    for (int Round = 0; Round < 40; ++Round) {
      // Lengths around the checks (XDP test runs need 14 bytes at least).
      std::vector<uint8_t> Pkt(size_t(14 + Rng() % 24));
      for (uint8_t &B : Pkt)
        B = uint8_t(Rng());
      uint32_t Got = 0;
      ASSERT_TRUE(runXdp(L.Fd, Pkt, Got)) << S.Entry;
      uint32_t Want = Pkt.size() >= S.MinLen ? S.Expected(Pkt) : 0;
      EXPECT_EQ(Got, Want) << S.Entry << " on a packet of " << Pkt.size() << " bytes\n"
                           << Asm;
    }
  }
}


// The checker's function table entry of each function: the pre binds
// R1..R5 by the parameters' kinds with an existential per scalar and
// packet parameter, the Require's comparisons as facts (its predicates are
// the bindings); the post binds R0 to its own existential, within the
// return type, with the Ensure's comparisons over it and the parameters'
// values at the call.
TEST(CodeGenCall, ContractsBecomeFunctionTableAssertions) {
  Sample S = scalarSample();
  S.M.Functions[1].Contract =
      contract(cmpA("<=", vr("x"), lit(1000)),
               cmpA("==", vr(), binT("+", binT("*", vr("x"), lit(3)), lit(7))));
  std::vector<CompiledProgram> Ps = compileOrFail(S.M);
  ASSERT_EQ(Ps.size(), 2u);
  const CompiledProgram &Scale = Ps[1];
  EXPECT_EQ(Scale.FuncPre.NumExists, 1u);
  ASSERT_EQ(Scale.FuncPre.Bindings.size(), 1u);
  EXPECT_EQ(Scale.FuncPre.Bindings[0].Where, 1);
  EXPECT_EQ(Scale.FuncPre.Bindings[0].Kind, BindKind::Scalar);
  EXPECT_EQ(factsText(Scale.FuncPre.Facts), "x1 >= 0, x1 <= 4294967295, x1 <= 1000");
  EXPECT_EQ(Scale.FuncPost.NumExists, 2u);
  ASSERT_EQ(Scale.FuncPost.Bindings.size(), 1u);
  EXPECT_EQ(Scale.FuncPost.Bindings[0].Where, 0);
  EXPECT_EQ(Scale.FuncPost.Bindings[0].Form, LinForm::var(2));
  EXPECT_EQ(factsText(Scale.FuncPost.Facts),
            "x2 >= 0, x2 <= 4294967295, 3*x1 + 7 <= x2, x2 <= 3*x1 + 7");
  EXPECT_NE(Scale.Asm.find("# contract, pre (at the call): exists x1 (x)"), std::string::npos)
      << Scale.Asm;
  EXPECT_NE(Scale.Asm.find("#   r1 = x1  (x)"), std::string::npos) << Scale.Asm;
  EXPECT_EQ(Ps[0].FuncPre.Bindings.size(), 0u); // entry points have none

  // Packet pointers and buffers: read16(p, end) and a buffer of n bytes.
  Sample P = packetSample();
  P.M.Functions[1].Contract = contract(
      andA(pred("packet", {vr("p")}), pred("packet_end", {vr("end")})),
      cmpA("<=", vr(), lit(0x10000)));
  Ps = compileOrFail(P.M);
  ASSERT_EQ(Ps.size(), 2u);
  const CutPoint &Pre = Ps[1].FuncPre;
  EXPECT_EQ(Pre.NumExists, 1u);
  ASSERT_EQ(Pre.Bindings.size(), 2u);
  EXPECT_EQ(Pre.Bindings[0].Kind, BindKind::Packet);
  EXPECT_EQ(Pre.Bindings[0].Form, LinForm::var(1));
  EXPECT_EQ(Pre.Bindings[1].Kind, BindKind::PacketEnd);
  EXPECT_EQ(Pre.Bindings[1].Where, 2);
  EXPECT_EQ(factsText(Pre.Facts), "x1 >= 0, x1 <= len, x1 <= 1073741824");
  EXPECT_EQ(factsText(Ps[1].FuncPost.Facts), "x2 >= 0, x2 <= 4294967295, x2 <= 65536");

  Function Sum = textFunction("sum", u32(), {{"buf", ptrTy()}, {"n", u32()}},
                              {ParamSpec::Kind::Buffer, ParamSpec::Kind::Scalar});
  Sum.Params[0].BufferBytes = binT("+", vr("n"), lit(2));
  Sum.Params[0].Writes = true;
  Sum.Body = block(retInt(0));
  std::string Err;
  CompiledProgram C;
  ASSERT_TRUE(compileFunction(Sum, C, Err)) << Err;
  ASSERT_EQ(C.FuncPre.Bindings.size(), 2u);
  EXPECT_EQ(C.FuncPre.Bindings[0].Kind, BindKind::Buf);
  EXPECT_TRUE(C.FuncPre.Bindings[0].Writes);
  EXPECT_EQ(formatCutForm(C.FuncPre.Bindings[0].Form), "x1 + 2");
  EXPECT_NE(C.Asm.find("r1 = buffer of x1 + 2 bytes, writes  (buf)"), std::string::npos)
      << C.Asm;

  // A comparison of a signed value that may be negative is left out (not
  // linear in its pattern); a name that is no parameter is refused.
  Function Neg = textFunction("neg", i32(), {{"v", i32()}});
  Neg.Body = block(ret(var(0, i32())));
  Neg.Contract = contract(andA(cmpA("<=", vr("v"), lit(5)), cmpA("<=", lit(1), lit(2))),
                          nullptr);
  EXPECT_TRUE(compileFunction(Neg, C, Err = "")) << Err;
  EXPECT_EQ(factsText(C.FuncPre.Facts), "x1 >= 0, x1 <= 4294967295");
  EXPECT_NE(C.Asm.find("left out of the pre: v <= 5 (the signed 'v' may be negative"),
            std::string::npos)
      << C.Asm;
  Neg.Contract = contract(andA(cmpA("<=", lit(0), vr("v")), cmpA("<=", vr("v"), lit(5))),
                          cmpA("<=", vr(), lit(5)));
  EXPECT_TRUE(compileFunction(Neg, C, Err = "")) << Err;
  EXPECT_EQ(factsText(C.FuncPost.Facts), "x2 >= 0, x2 <= 4294967295");
  EXPECT_NE(C.Asm.find("left out of the post: __return <= 5"), std::string::npos) << C.Asm;
  Neg.Contract = contract(cmpA("<=", lit(0), vr("v")),
                          andA(cmpA("<=", lit(0), vr()), cmpA("<=", vr(), vr("v"))));
  EXPECT_TRUE(compileFunction(Neg, C, Err = "")) << Err;
  EXPECT_EQ(factsText(C.FuncPre.Facts), "x1 >= 0, x1 <= 4294967295, x1 <= 2147483647, x1 >= 0");
  Neg.Contract = contract(cmpA("<=", vr("w"), lit(5)), nullptr);
  EXPECT_FALSE(compileFunction(Neg, C, Err = ""));
  EXPECT_NE(Err.find("unknown name 'w' in the Require of 'neg'"), std::string::npos) << Err;
}

// A loop in a called function: its cut point keeps the pre's existentials
// (x1 = p, x2 = n at the call) and facts, and numbers its own after them;
// p and n, never assigned, are bound to x1 and x2 themselves, end to
// data + len; i and c get x3 and x4.
TEST(CodeGenCall, CutPointsOfFunctionsKeepThePreExistentials) {
  Sample S = loopSample();
  std::vector<CompiledProgram> Ps = compileOrFail(S.M);
  ASSERT_EQ(Ps.size(), 2u);
  const CompiledProgram &C = Ps[1];
  ASSERT_EQ(C.Cuts.size(), 1u) << C.Asm;
  const CutPoint &Cut = C.Cuts[0];
  EXPECT_EQ(C.FuncPre.NumExists, 2u);
  EXPECT_EQ(Cut.NumExists, 4u) << C.Asm;
  std::map<std::string, std::string> Bound;
  for (const CutBinding &B : Cut.Bindings)
    Bound[formatCutValue(B.Kind, B.Form)] = formatCutWhere(B.Where);
  EXPECT_TRUE(Bound.count("data + x1")) << C.Asm;  // p
  EXPECT_TRUE(Bound.count("x2")) << C.Asm;         // n
  EXPECT_TRUE(Bound.count("data + len")) << C.Asm; // end
  EXPECT_EQ(formatCutForm(Cut.Rank), "x2 - x3") << C.Asm; // n - i
  ASSERT_GE(Cut.Facts.size(), C.FuncPre.Facts.size());
  EXPECT_TRUE(std::equal(C.FuncPre.Facts.begin(), C.FuncPre.Facts.end(), Cut.Facts.begin()));
}

namespace {

/// The samples with contracts: each function's proof is written from its
/// contract, each caller's from the callees' contracts.
Sample withContracts(Sample S) {
  for (Function &F : S.M.Functions) {
    if (F.isEntry() || F.Contract)
      continue;
    if (F.Name == "scale") // callers pass at most 255 + 255
      F.Contract = contract(cmpA("<=", vr("x"), lit(1000)),
                            cmpA("==", vr(), binT("+", binT("*", vr("x"), lit(3)), lit(7))));
    else if (F.Name == "read16")
      F.Contract = contract(andA(pred("packet", {vr("p")}), pred("packet_end", {vr("end")})),
                            cmpA("<=", vr(), lit(0x10000)));
  }
  return S;
}

ProofWriteResult proveModule(const std::vector<CompiledProgram> &Ps,
                             const ProofWriteOptions &O = {}) {
  std::vector<ProgramSpec> Programs;
  std::vector<FunctionSpec> Functions;
  proofSpecs(Ps, Programs, Functions);
  return writeProof(writeObject(Ps, "GPL"), Programs, {}, O, Functions);
}

} // namespace

// Every sample gets a proof the checker accepts (writeProof self-checks
// it): the functions against their contracts, the callers with the callees'
// contracts at each call.
TEST(CodeGenCall, ProofsOfEverySampleAreAccepted) {
  for (auto Make : {scalarSample, twiceSample, liveAcrossSample, chainSample, packetSample,
                    fiveSample, loopSample}) {
    Sample S = withContracts(Make());
    std::vector<CompiledProgram> Ps = compileOrFail(S.M);
    ASSERT_FALSE(Ps.empty());
    std::string Asm;
    for (const CompiledProgram &P : Ps)
      Asm += P.Asm;
    ProofWriteResult R = proveModule(Ps);
    EXPECT_TRUE(R.Ok) << S.Entry << ": " << R.Error << "\n" << Asm;
  }
}

// A call whose arguments violate the callee's pre is refused: scale
// requires x <= 100 but gets a byte; the writer finds no certificate, and
// a forged one is refused by the checker at the call. A callee that breaks
// its own post is refused too.
TEST(CodeGenCall, CallsViolatingThePreAndFunctionsBreakingThePostAreRefused) {
  Sample S = scalarSample();
  S.M.Functions[1].Contract = contract(cmpA("<=", vr("x"), lit(100)), nullptr);
  std::vector<CompiledProgram> Ps = compileOrFail(S.M);
  ASSERT_EQ(Ps.size(), 2u);
  uint32_t CallAt = Ps[0].CallRelocs.at(0).Insn;
  ProofWriteResult R = proveModule(Ps);
  EXPECT_FALSE(R.Ok);
  EXPECT_EQ(R.Error.rfind("internal error: xdp insn " + std::to_string(CallAt) + ": ", 0), 0u)
      << R.Error;
  ProofWriteOptions Forge;
  Forge.ForgeUnprovable = true;
  R = proveModule(Ps, Forge);
  EXPECT_FALSE(R.Ok);
  ASSERT_EQ(R.Forged.size(), 1u) << R.Error;
  EXPECT_EQ(R.Forged[0].Insn, CallAt);
  EXPECT_EQ(R.Error.rfind("forged: xdp insn " + std::to_string(CallAt) + ": ", 0), 0u)
      << R.Error;

  S = scalarSample();
  S.M.Functions[1].Contract = contract(cmpA("<=", vr("x"), lit(1000)),
                                       cmpA("==", vr(), binT("*", vr("x"), lit(3))));
  Ps = compileOrFail(S.M);
  R = proveModule(Ps);
  EXPECT_FALSE(R.Ok);
  EXPECT_EQ(R.Error.rfind("internal error: scale insn ", 0), 0u) << R.Error;
}

namespace {

/// The instruction count of each STT_FUNC symbol of an object file.
std::map<std::string, uint64_t> functionSizes(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::vector<uint8_t> Bytes{std::istreambuf_iterator<char>(In), std::istreambuf_iterator<char>()};
  std::map<std::string, uint64_t> Sizes;
  for (const ObjSymbol &S : readObject(Bytes).Symbols)
    if (S.Type == STT_FUNC)
      Sizes[S.Name] = S.Size / 8;
  return Sizes;
}

} // namespace

// inputs/calls.c through vepcc (VEP-C, code, proof, self-check) and clang:
// both objects load (libbpf links the functions, creates the map) and
// return the same value on every packet (the map value is zero: its
// strlen is 0 in both). The instruction counts are printed for comparison.
// data_at and undef_data_at arguments (vep-c/unittests/inputs/
// func_data_at.c): an out-parameter the caller never set is stored as zero
// before the call, since the checker wants a stack buffer's bytes
// initialised; vepcc's own check accepts every function.
TEST(CodeGenCall, DataAtArgumentsCompileAndCheck) {
  std::string Dir = testing::TempDir();
  std::string Out = Dir + "/vep_data_at.o";
  std::string Cmd = std::string(VEP_VEPCC) +
                    " " VEP_UNITTEST_INPUTS "/../../../vep-c/unittests/inputs/"
                    "func_data_at.c -o " + Out + " > /dev/null 2>&1";
  EXPECT_EQ(system(Cmd.c_str()), 0) << Cmd;
  unlink(Out.c_str());
  unlink((Dir + "/vep_data_at.proof").c_str());
}

TEST(CodeGenCall, CSourceMatchesClangInTheKernel) {
  if (access(VEP_CLANG, X_OK) != 0)
    GTEST_SKIP() << VEP_CLANG << " not found";
  VEP_REQUIRE_KERNEL();
  std::string Dir = testing::TempDir();
  std::string Ours = Dir + "/vep_calls_vepcc.o", Theirs = Dir + "/vep_calls_clang.o";
  std::string Src = VEP_UNITTEST_INPUTS "/calls.c";
  std::string Cmd = std::string(VEP_VEPCC) + " " + Src + " -o " + Ours + " > /dev/null 2>&1";
  ASSERT_EQ(system(Cmd.c_str()), 0) << Cmd;
  Cmd = std::string(VEP_CLANG) + " -O2 -g -target bpf -I" VEP_MULTIARCH_INCLUDE " -c " + Src +
        " -o " + Theirs + " 2>&1";
  ASSERT_EQ(system(Cmd.c_str()), 0) << Cmd;
  auto Load = [](const std::string &Path, Loaded &L) {
    std::ifstream In(Path, std::ios::binary);
    std::vector<uint8_t> Bytes{std::istreambuf_iterator<char>(In),
                               std::istreambuf_iterator<char>()};
    std::string Why;
    EXPECT_TRUE(loadObject(Bytes, "calls", L, Why)) << Path << ": " << Why;
  };
  Loaded A, B;
  Load(Ours, A);
  Load(Theirs, B);
  ASSERT_GE(A.Fd, 0);
  ASSERT_GE(B.Fd, 0);
  std::mt19937 Rng(7);
  for (int Round = 0; Round < 200; ++Round) {
    std::vector<uint8_t> Pkt(size_t(14 + Rng() % 24));
    for (uint8_t &X : Pkt)
      X = uint8_t(Rng());
    uint32_t RA = 0, RB = 0;
    ASSERT_TRUE(runXdp(A.Fd, Pkt, RA));
    ASSERT_TRUE(runXdp(B.Fd, Pkt, RB));
    EXPECT_EQ(RA, RB) << "packet of " << Pkt.size() << " bytes";
  }
  std::map<std::string, uint64_t> SA = functionSizes(Ours), SB = functionSizes(Theirs);
  uint64_t TA = 0, TB = 0;
  for (const auto &[Name, N] : SB) {
    EXPECT_TRUE(SA.count(Name)) << Name;
    printf("  %-10s vepcc %3llu  clang %3llu\n", Name.c_str(), (unsigned long long)SA[Name],
           (unsigned long long)N);
    TA += SA[Name];
    TB += N;
  }
  printf("  %-10s vepcc %3llu  clang %3llu\n", "total", (unsigned long long)TA,
         (unsigned long long)TB);
  unlink(Ours.c_str());
  unlink(Theirs.c_str());
  unlink((Dir + "/vep_calls_vepcc.proof").c_str());
}
