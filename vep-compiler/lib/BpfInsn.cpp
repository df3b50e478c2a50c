//===- BpfInsn.cpp - Raw eBPF instructions: builders and encoding --------===//

#include "vep/compiler/BpfInsn.h"

namespace vep::compiler {
namespace bpf {

unsigned sizeBytes(uint8_t Size) {
  switch (Size & 0x18) {
  case W:
    return 4;
  case H:
    return 2;
  case B:
    return 1;
  default:
    return 8;
  }
}

uint8_t sizeForBytes(unsigned Bytes) {
  switch (Bytes) {
  case 1:
    return B;
  case 2:
    return H;
  case 4:
    return W;
  default:
    return DW;
  }
}

static BpfInsn make(uint8_t Code, uint8_t Dst, uint8_t Src, int16_t Off,
                    int32_t Imm) {
  BpfInsn I;
  I.Code = Code;
  I.Dst = Dst;
  I.Src = Src;
  I.Off = Off;
  I.Imm = Imm;
  return I;
}

BpfInsn aluImm(bool Is64, uint8_t Op, uint8_t Dst, int32_t Imm) {
  return make(uint8_t((Is64 ? ALU64 : ALU) | Op | K), Dst, 0, 0, Imm);
}
BpfInsn aluReg(bool Is64, uint8_t Op, uint8_t Dst, uint8_t Src) {
  return make(uint8_t((Is64 ? ALU64 : ALU) | Op | X), Dst, Src, 0, 0);
}
BpfInsn mov64(uint8_t Dst, uint8_t Src) { return aluReg(true, MOV, Dst, Src); }
BpfInsn mov32(uint8_t Dst, uint8_t Src) { return aluReg(false, MOV, Dst, Src); }
BpfInsn movImm64(uint8_t Dst, int32_t Imm) {
  return aluImm(true, MOV, Dst, Imm);
}
BpfInsn movImm32(uint8_t Dst, int32_t Imm) {
  return aluImm(false, MOV, Dst, Imm);
}
BpfInsn neg(bool Is64, uint8_t Dst) {
  return make(uint8_t((Is64 ? ALU64 : ALU) | NEG | K), Dst, 0, 0, 0);
}
void lddw(uint8_t Dst, uint64_t Value, BpfInsn &Lo, BpfInsn &Hi) {
  Lo = make(LD | IMM | DW, Dst, 0, 0, int32_t(uint32_t(Value)));
  Hi = make(0, 0, 0, 0, int32_t(uint32_t(Value >> 32)));
}
BpfInsn ldx(unsigned Bytes, uint8_t Dst, uint8_t Src, int16_t Off) {
  return make(uint8_t(LDX | MEM | sizeForBytes(Bytes)), Dst, Src, Off, 0);
}
BpfInsn stx(unsigned Bytes, uint8_t Dst, int16_t Off, uint8_t Src) {
  return make(uint8_t(STX | MEM | sizeForBytes(Bytes)), Dst, Src, Off, 0);
}
BpfInsn jmpImm(uint8_t Op, uint8_t Dst, int32_t Imm, int16_t Off) {
  return make(uint8_t(JMP | Op | K), Dst, 0, Off, Imm);
}
BpfInsn jmpReg(uint8_t Op, uint8_t Dst, uint8_t Src, int16_t Off) {
  return make(uint8_t(JMP | Op | X), Dst, Src, Off, 0);
}
BpfInsn jmp32Imm(uint8_t Op, uint8_t Dst, int32_t Imm, int16_t Off) {
  return make(uint8_t(JMP32 | Op | K), Dst, 0, Off, Imm);
}
BpfInsn jmp32Reg(uint8_t Op, uint8_t Dst, uint8_t Src, int16_t Off) {
  return make(uint8_t(JMP32 | Op | X), Dst, Src, Off, 0);
}
BpfInsn ja(int16_t Off) { return make(JMP | JA, 0, 0, Off, 0); }
BpfInsn exitInsn() { return make(JMP | EXIT, 0, 0, 0, 0); }
BpfInsn call(int32_t HelperId) { return make(JMP | CALL, 0, 0, 0, HelperId); }
BpfInsn pseudoCall(int32_t Imm) { return make(JMP | CALL, 0, 1, 0, Imm); }
BpfInsn atomic(unsigned Bytes, uint8_t Dst, int16_t Off, uint8_t Src,
               int32_t Op) {
  return make(uint8_t(STX | ATOMIC | sizeForBytes(Bytes)), Dst, Src, Off, Op);
}

bool isJump(const BpfInsn &I) {
  uint8_t C = insnClass(I.Code);
  if (C != JMP && C != JMP32)
    return false;
  uint8_t Op = opOf(I.Code);
  return Op != CALL && Op != EXIT;
}

} // namespace bpf

std::vector<uint8_t> encodeInsns(const std::vector<BpfInsn> &Insns) {
  std::vector<uint8_t> Out;
  Out.reserve(Insns.size() * 8);
  for (const BpfInsn &I : Insns) {
    Out.push_back(I.Code);
    Out.push_back(uint8_t((I.Dst & 0x0f) | ((I.Src & 0x0f) << 4)));
    uint16_t Off = uint16_t(I.Off);
    Out.push_back(uint8_t(Off));
    Out.push_back(uint8_t(Off >> 8));
    uint32_t Imm = uint32_t(I.Imm);
    for (int K = 0; K < 4; ++K)
      Out.push_back(uint8_t(Imm >> (8 * K)));
  }
  return Out;
}

bool decodeInsns(const uint8_t *Bytes, size_t Len, std::vector<BpfInsn> &Out) {
  if (Len % 8)
    return false;
  Out.clear();
  for (size_t P = 0; P < Len; P += 8) {
    BpfInsn I;
    I.Code = Bytes[P];
    I.Dst = Bytes[P + 1] & 0x0f;
    I.Src = Bytes[P + 1] >> 4;
    I.Off = int16_t(uint16_t(Bytes[P + 2] | (Bytes[P + 3] << 8)));
    uint32_t Imm = 0;
    for (int K = 0; K < 4; ++K)
      Imm |= uint32_t(Bytes[P + 4 + K]) << (8 * K);
    I.Imm = int32_t(Imm);
    Out.push_back(I);
  }
  return true;
}

} // namespace vep::compiler
