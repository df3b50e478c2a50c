//===- CodeGenKernelTest.cpp - Generated code run in the kernel -----------===//
//
// Loads compiled programs with libbpf (so the kernel verifier accepts them)
// and runs them with BPF_PROG_TEST_RUN on crafted packets. Besides the
// sample programs, random CIR programs are compared against a reference
// interpreter of CIR written here, independently of the code generator.
//
//===----------------------------------------------------------------------===//

#include "CodeGenRandom.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <optional>
#include <random>

using namespace cgtest;
using namespace vep::compiler;

namespace {

std::vector<uint8_t> etherPacket(uint16_t EtherTypeBE, size_t Len) {
  std::vector<uint8_t> P(Len, 0);
  for (int I = 0; I < 12; ++I)
    P[size_t(I)] = uint8_t(0x10 + I);
  P[12] = uint8_t(EtherTypeBE >> 8);
  P[13] = uint8_t(EtherTypeBE);
  return P;
}

/// Ethernet + IPv4 (IHL words) + UDP with the given destination port.
std::vector<uint8_t> udpPacket(unsigned Ihl, uint16_t DPort, size_t Extra = 8,
                               uint8_t Proto = 17) {
  size_t L4 = 14 + Ihl * 4;
  std::vector<uint8_t> P = etherPacket(0x0800, std::max<size_t>(L4 + Extra, 34));
  P[14] = uint8_t(0x40 | Ihl);
  P[23] = Proto;
  if (L4 + 4 <= P.size()) {
    P[L4] = 0x30;
    P[L4 + 1] = 0x39;
    P[L4 + 2] = uint8_t(DPort >> 8);
    P[L4 + 3] = uint8_t(DPort);
  }
  return P;
}

struct Runner {
  Loaded L;
  bool load(const Function &F) {
    CompiledProgram P;
    std::string Err;
    if (!compileFunction(F, P, Err)) {
      ADD_FAILURE() << "compile " << F.Name << ": " << Err;
      return false;
    }
    std::string Why;
    if (!loadObject(writeObject({P}, "GPL"), F.Name, L, Why)) {
      ADD_FAILURE() << "kernel refused " << F.Name << ": " << Why << "\n"
                    << P.Asm;
      return false;
    }
    return true;
  }
  uint32_t run(const std::vector<uint8_t> &Pkt) {
    uint32_t R = 0xdeadbeef;
    EXPECT_TRUE(runXdp(L.Fd, Pkt, R)) << "BPF_PROG_TEST_RUN failed";
    return R;
  }
};

} // namespace

TEST(CodeGenKernel, PassProgram) {
  VEP_REQUIRE_KERNEL();
  Runner R;
  ASSERT_TRUE(R.load(passProgram()));
  EXPECT_EQ(R.run(etherPacket(0x0800, 64)), 2u);
  EXPECT_EQ(R.run(etherPacket(0x0806, 14)), 2u);
}

TEST(CodeGenKernel, EthProgramDropsIPv4) {
  VEP_REQUIRE_KERNEL();
  Runner R;
  ASSERT_TRUE(R.load(ethProgram()));
  EXPECT_EQ(R.run(etherPacket(0x0800, 14)), 1u); // IPv4: drop
  EXPECT_EQ(R.run(etherPacket(0x0800, 60)), 1u);
  EXPECT_EQ(R.run(etherPacket(0x0806, 60)), 2u); // ARP: pass
  EXPECT_EQ(R.run(etherPacket(0x86dd, 60)), 2u); // IPv6: pass
  EXPECT_EQ(R.run(etherPacket(0x0008, 60)), 2u); // byte order matters
}

TEST(CodeGenKernel, IhlProgramVariableLengthHeader) {
  VEP_REQUIRE_KERNEL();
  Runner R;
  ASSERT_TRUE(R.load(ihlProgram()));
  EXPECT_EQ(R.run(etherPacket(0x0800, 14)), 2u);  // shorter than eth + ip
  EXPECT_EQ(R.run(etherPacket(0x0800, 33)), 2u);  // one byte short
  EXPECT_EQ(R.run(udpPacket(5, 53)), 1u);         // UDP to port 53: drop
  EXPECT_EQ(R.run(udpPacket(5, 54)), 2u);         // other port: pass
  EXPECT_EQ(R.run(udpPacket(5, 53, 8, 6)), 2u);   // TCP: pass
  EXPECT_EQ(R.run(udpPacket(4, 53)), 1u);         // IHL < 5: drop
  EXPECT_EQ(R.run(udpPacket(0, 53)), 1u);
  EXPECT_EQ(R.run(udpPacket(6, 53)), 1u);         // options: port at 14+24+2
  EXPECT_EQ(R.run(udpPacket(6, 54)), 2u);
  EXPECT_EQ(R.run(udpPacket(15, 53)), 1u);        // 60-byte IP header
  EXPECT_EQ(R.run(udpPacket(15, 53, 3)), 2u);     // l4 + 4 > data_end
  EXPECT_EQ(R.run(udpPacket(15, 53, 4)), 1u);     // exactly fits
  std::vector<uint8_t> Arp = udpPacket(5, 53);
  Arp[12] = 0x08, Arp[13] = 0x06;
  EXPECT_EQ(R.run(Arp), 2u);
}

// The load on the right of && is only bounds-checked on the path where the
// left side holds; the kernel verifier refuses the program unless && is
// compiled as a short circuit.
TEST(CodeGenKernel, ShortCircuitGuardsLoad) {
  VEP_REQUIRE_KERNEL();
  Function F = xdpFunction("xdp_sc");
  unsigned D = addVar(F, "data", ptrTy()), E = addVar(F, "data_end", ptrTy());
  F.Body = block(
      assign(D, ctxField(0)), assign(E, ctxField(4)),
      ifThen(land(cmp(OK::ULe, ptrAdd(var(D, ptrTy()), 41), var(E, ptrTy())),
                  cmp(OK::Eq, cast(i32(), load(u8(), ptrAdd(var(D, ptrTy()), 40))),
                      cst(7, i32()))),
             retInt(1)),
      ifThen(lor(cmp(OK::UGt, ptrAdd(var(D, ptrTy()), 31), var(E, ptrTy())),
                 cmp(OK::Ne, cast(i32(), load(u8(), ptrAdd(var(D, ptrTy()), 30))),
                     cst(9, i32()))),
             retInt(2)),
      retInt(3));
  Runner R;
  ASSERT_TRUE(R.load(F));
  std::vector<uint8_t> P = etherPacket(0x0800, 41);
  P[40] = 7;
  EXPECT_EQ(R.run(P), 1u);
  P[40] = 8;
  EXPECT_EQ(R.run(P), 2u);
  P[30] = 9;
  EXPECT_EQ(R.run(P), 3u);
  std::vector<uint8_t> Short = etherPacket(0x0800, 30);
  EXPECT_EQ(R.run(Short), 2u);
  Short.push_back(9);
  EXPECT_EQ(R.run(Short), 3u);
}

// Stores to the packet, then reads back through a different width.
TEST(CodeGenKernel, PacketStores) {
  VEP_REQUIRE_KERNEL();
  Function F = xdpFunction("xdp_store");
  unsigned D = addVar(F, "data", ptrTy()), E = addVar(F, "data_end", ptrTy());
  auto Dp = [&] { return var(D, ptrTy()); };
  F.Body = block(
      assign(D, ctxField(0)), assign(E, ctxField(4)),
      ifThen(cmp(OK::UGt, ptrAdd(Dp(), 24), var(E, ptrTy())), retInt(0)),
      store(ptrAdd(Dp(), 16), cst(0x11223344, u32())),
      store(ptrAdd(Dp(), 20), cast(u16(), load(u32(), ptrAdd(Dp(), 0)))),
      store(ptrAdd(Dp(), 22), cst(0xab, u8())),
      store(ptrAdd(Dp(), 8), cst(0x0102030405060708ull, u64())),
      ret(cast(i32(), bin(OK::Add, load(u64(), ptrAdd(Dp(), 16)),
                          load(u64(), ptrAdd(Dp(), 8))))));
  Runner R;
  ASSERT_TRUE(R.load(F));
  std::vector<uint8_t> P(24, 0);
  for (size_t I = 0; I < P.size(); ++I)
    P[I] = uint8_t(0xc0 + I);
  // u64 at 16 = 44 33 22 11 | c0 c1 | ab | 0 -> low 32 bits 0x11223344
  EXPECT_EQ(R.run(P), uint32_t(0x11223344u + 0x05060708u));
}

TEST(CodeGenKernel, RandomProgramsMatchReference) {
  VEP_REQUIRE_KERNEL();
  const unsigned Programs = 150;
  std::mt19937_64 PktRng(12345);
  unsigned Ran = 0;
  // Features the generated code should exercise across the run.
  std::map<std::string, unsigned> Seen;
  const char *Features[] = {"(r10 - ", " ll", " s>", " s<", " *= ", " /= ",
                            " >>= ", " s>>= ", " = -", " ^= -1", " &= 255",
                            "= w", " |= -2147483648", "if w", "goto"};
  for (unsigned Seed = 1; Seed <= Programs; ++Seed) {
    Function F = randomProgram(Seed * 7919, 2 + Seed % 5);
    CompiledProgram P;
    std::string Err;
    ASSERT_TRUE(compileFunction(F, P, Err)) << "seed " << Seed << ": " << Err;
    for (const char *Feat : Features)
      if (P.Asm.find(Feat) != std::string::npos)
        ++Seen[Feat];
    for (const BpfInsn &I : P.Insns) // LLVM 14 tools do not know BPF_MOD
      ASSERT_NE(bpf::opOf(I.Code) == bpf::MOD &&
                    (bpf::insnClass(I.Code) == bpf::ALU ||
                     bpf::insnClass(I.Code) == bpf::ALU64),
                true)
          << P.Asm;
    Loaded L;
    std::string Why;
    ASSERT_TRUE(loadObject(writeObject({P}, "GPL"), F.Name, L, Why))
        << "seed " << Seed << ": " << Why << "\n" << P.Asm;
    for (int K = 0; K < 4; ++K) {
      std::vector<uint8_t> Pkt(PktLen);
      for (auto &Byte : Pkt)
        Byte = uint8_t(PktRng());
      if (K == 1) // many small values
        for (auto &Byte : Pkt)
          Byte &= 0x83;
      bool Bad = false;
      uint32_t Want = reference(F, Pkt, Bad);
      ASSERT_FALSE(Bad) << "seed " << Seed << ": reference hit UB";
      uint32_t Got = 0;
      ASSERT_TRUE(runXdp(L.Fd, Pkt, Got));
      ASSERT_EQ(Got, Want) << "seed " << Seed << " packet " << K << "\n"
                           << P.Asm;
      ++Ran;
    }
  }
  EXPECT_EQ(Ran, Programs * 4);
  for (const char *Feat : Features)
    EXPECT_GT(Seen[Feat], 0u) << "no random program used '" << Feat << "'";
}

// The same with the idioms the optimisations look for (forwarded copies,
// pointer offsets and constants, dead values, constant early returns,
// selects with a constant arm, counting loops with break / continue): the
// kernel's results are the reference interpreter's.
TEST(CodeGenKernel, RandomIdiomProgramsMatchReference) {
  VEP_REQUIRE_KERNEL();
  const unsigned Programs = 150;
  std::mt19937_64 PktRng(777);
  std::map<std::string, unsigned> Seen;
  const char *Features[] = {"is forwarded: no code", "is never read: no code",
                            "cut point", "\tw0 = 0 ", "\tw0 = 3 "};
  for (unsigned Seed = 1; Seed <= Programs; ++Seed) {
    Function F = randomProgram(Seed * 7919, 2 + Seed % 5, /*Idioms=*/true);
    CompiledProgram P;
    std::string Err;
    ASSERT_TRUE(compileFunction(F, P, Err)) << "seed " << Seed << ": " << Err;
    for (const char *Feat : Features)
      if (P.Asm.find(Feat) != std::string::npos)
        ++Seen[Feat];
    Loaded L;
    std::string Why;
    ASSERT_TRUE(loadObject(writeObject({P}, "GPL"), F.Name, L, Why))
        << "seed " << Seed << ": " << Why << "\n" << P.Asm;
    for (int K = 0; K < 4; ++K) {
      std::vector<uint8_t> Pkt(PktLen);
      for (auto &Byte : Pkt)
        Byte = uint8_t(PktRng());
      if (K == 1)
        for (auto &Byte : Pkt)
          Byte &= 0x83;
      bool Bad = false;
      uint32_t Want = reference(F, Pkt, Bad);
      ASSERT_FALSE(Bad) << "seed " << Seed << ": reference hit UB";
      uint32_t Got = 0;
      ASSERT_TRUE(runXdp(L.Fd, Pkt, Got));
      ASSERT_EQ(Got, Want) << "seed " << Seed << " packet " << K << "\n" << P.Asm;
    }
  }
  for (const char *Feat : Features)
    EXPECT_GT(Seen[Feat], 0u) << "no random program has '" << Feat << "'";
}

// A balanced tree of 128 packet loads needs more than the six scratch
// registers: intermediate values are spilled to the stack and reloaded.
TEST(CodeGenKernel, DeepExpressionSpills) {
  VEP_REQUIRE_KERNEL();
  Function F = xdpFunction("xdp_deep");
  unsigned D = addVar(F, "data", ptrTy()), E = addVar(F, "data_end", ptrTy());
  unsigned Leaf = 0;
  std::function<ExprPtr(unsigned)> Tree = [&](unsigned Depth) -> ExprPtr {
    if (Depth == 0) {
      unsigned Off = (Leaf++ * 5) % 60;
      return cast(u32(), load(u32(), ptrAdd(var(D, ptrTy()), Off)));
    }
    static const OK Ops[] = {OK::Sub, OK::Xor, OK::Add, OK::Mul};
    return bin(Ops[Depth % 4], Tree(Depth - 1), Tree(Depth - 1));
  };
  F.Body = block(assign(D, ctxField(0)), assign(E, ctxField(4)),
                 ifThen(cmp(OK::UGt, ptrAdd(var(D, ptrTy()), 64),
                            var(E, ptrTy())),
                        retInt(0)),
                 ret(cast(i32(), Tree(7))));
  CompiledProgram P = compileOrDie(F);
  ASSERT_FALSE(P.Name.empty());
  EXPECT_NE(P.Asm.find(" for spills)"), std::string::npos);
  EXPECT_EQ(P.Asm.find("0 for spills)"), std::string::npos) << P.Asm;
  Loaded L;
  std::string Why;
  ASSERT_TRUE(loadObject(writeObject({P}, "GPL"), F.Name, L, Why)) << Why;
  std::vector<uint8_t> Pkt(64);
  for (size_t I = 0; I < Pkt.size(); ++I)
    Pkt[I] = uint8_t(I * 37 + 11);
  bool Bad = false;
  uint32_t Want = reference(F, Pkt, Bad);
  ASSERT_FALSE(Bad);
  uint32_t Got = 0;
  ASSERT_TRUE(runXdp(L.Fd, Pkt, Got));
  EXPECT_EQ(Got, Want);
}
