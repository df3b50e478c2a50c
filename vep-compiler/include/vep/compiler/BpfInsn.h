//===- BpfInsn.h - Raw eBPF instructions ------------------------*- C++ -*-===//
//
// The 8-byte eBPF instruction as the kernel and the checker see it, opcode
// constants, builders for the forms the VEP code generator emits, and a
// printer in the syntax of clang's BPF assembler / llvm-objdump
// (`r1 = *(u32 *)(r1 + 0)`, `if r2 > r3 goto +5`, `w0 = 2`, `exit`).
//
//===----------------------------------------------------------------------===//
#ifndef VEP_COMPILER_BPFINSN_H
#define VEP_COMPILER_BPFINSN_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace vep::compiler {

/// One eBPF instruction slot. `lddw` (BPF_LD|BPF_IMM|BPF_DW) occupies two
/// slots: the second has Code 0 and carries the upper 32 bits in Imm.
struct BpfInsn {
  uint8_t Code = 0;
  uint8_t Dst = 0; // 0..10
  uint8_t Src = 0; // 0..10
  int16_t Off = 0;
  int32_t Imm = 0;

  bool operator==(const BpfInsn &O) const = default;
};

namespace bpf {
// Instruction classes.
constexpr uint8_t LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04,
                  JMP = 0x05, JMP32 = 0x06, ALU64 = 0x07;
// Sizes (load/store).
constexpr uint8_t W = 0x00, H = 0x08, B = 0x10, DW = 0x18;
// Modes (load/store). ATOMIC with STX: a read-modify-write of memory whose
// operation is in Imm: ADD, OR, AND, XOR, each maybe | FETCH (the old value
// into Src), XCHG, CMPXCHG (compares R0, the old value into R0).
constexpr uint8_t IMM = 0x00, MEM = 0x60, ATOMIC = 0xc0;
constexpr int32_t FETCH = 0x01, XCHG = 0xe1, CMPXCHG = 0xf1;
// ALU operations.
constexpr uint8_t ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40,
                  AND = 0x50, LSH = 0x60, RSH = 0x70, NEG = 0x80, MOD = 0x90,
                  XOR = 0xa0, MOV = 0xb0, ARSH = 0xc0, END = 0xd0;
// Jump operations.
constexpr uint8_t JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40,
                  JNE = 0x50, JSGT = 0x60, JSGE = 0x70, CALL = 0x80,
                  EXIT = 0x90, JLT = 0xa0, JLE = 0xb0, JSLT = 0xc0,
                  JSLE = 0xd0;
// Operand source.
constexpr uint8_t K = 0x00, X = 0x08;
// Registers.
constexpr uint8_t R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6,
                  R7 = 7, R8 = 8, R9 = 9, R10 = 10;

inline uint8_t insnClass(uint8_t Code) { return Code & 0x07; }
inline uint8_t opOf(uint8_t Code) { return Code & 0xf0; }
inline uint8_t srcOf(uint8_t Code) { return Code & 0x08; }
inline uint8_t sizeOf(uint8_t Code) { return Code & 0x18; }
inline uint8_t modeOf(uint8_t Code) { return Code & 0xe0; }
/// Bytes accessed by a load/store of size field `Size` (W/H/B/DW).
unsigned sizeBytes(uint8_t Size);
/// Size field for an access of 1, 2, 4 or 8 bytes.
uint8_t sizeForBytes(unsigned Bytes);

// Builders.
BpfInsn aluImm(bool Is64, uint8_t Op, uint8_t Dst, int32_t Imm);
BpfInsn aluReg(bool Is64, uint8_t Op, uint8_t Dst, uint8_t Src);
BpfInsn mov64(uint8_t Dst, uint8_t Src);
BpfInsn mov32(uint8_t Dst, uint8_t Src);
BpfInsn movImm64(uint8_t Dst, int32_t Imm); // sign-extends Imm
BpfInsn movImm32(uint8_t Dst, int32_t Imm); // zero-extends (uint32_t)Imm
BpfInsn neg(bool Is64, uint8_t Dst);
/// Both slots of `Dst = Value ll`.
void lddw(uint8_t Dst, uint64_t Value, BpfInsn &Lo, BpfInsn &Hi);
BpfInsn ldx(unsigned Bytes, uint8_t Dst, uint8_t Src, int16_t Off);
BpfInsn stx(unsigned Bytes, uint8_t Dst, int16_t Off, uint8_t Src);
BpfInsn jmpImm(uint8_t Op, uint8_t Dst, int32_t Imm, int16_t Off);
BpfInsn jmpReg(uint8_t Op, uint8_t Dst, uint8_t Src, int16_t Off);
/// JMP32: the same jumps on the low 32 bits (the immediate is 32 bits).
BpfInsn jmp32Imm(uint8_t Op, uint8_t Dst, int32_t Imm, int16_t Off);
BpfInsn jmp32Reg(uint8_t Op, uint8_t Dst, uint8_t Src, int16_t Off);
BpfInsn ja(int16_t Off);
BpfInsn exitInsn();
/// `call HelperId`: a call of the kernel helper BPF_FUNC_<...> = HelperId.
BpfInsn call(int32_t HelperId);
/// `call Imm` with src = 1 (BPF_PSEUDO_CALL): a bpf-to-bpf call; with its
/// R_BPF_64_32 relocation the callee is instruction st_value / 8 + Imm + 1
/// of the symbol's section.
BpfInsn pseudoCall(int32_t Imm);
/// The atomic operation `Op` (see ATOMIC) on *(uN *)(Dst + Off) with Src
/// (Bytes 4 or 8).
BpfInsn atomic(unsigned Bytes, uint8_t Dst, int16_t Off, uint8_t Src,
               int32_t Op);

inline bool isLddw(const BpfInsn &I) {
  return I.Code == (bpf::LD | bpf::IMM | bpf::DW);
}
/// Conditional or unconditional jump with an offset (not call/exit).
bool isJump(const BpfInsn &I);
} // namespace bpf

/// Little-endian 8-byte encoding of every slot, as stored in an ELF section.
std::vector<uint8_t> encodeInsns(const std::vector<BpfInsn> &Insns);
/// The inverse; false if Len is not a multiple of 8.
bool decodeInsns(const uint8_t *Bytes, size_t Len, std::vector<BpfInsn> &Out);

/// Prints slot Idx of Insns in clang/llvm-objdump BPF syntax (no index, no
/// indentation). For jumps, LabelOf(targetIndex) gives the target's label;
/// when LabelOf is empty the relative form `goto +3` is printed. An lddw
/// whose SymbolOf(Idx) is not empty loads that symbol's address (it has a
/// relocation) and prints as `r1 = counts ll`. The second slot of an lddw
/// prints as an empty string.
std::string formatInsn(const std::vector<BpfInsn> &Insns, size_t Idx,
                       const std::function<std::string(size_t)> &LabelOf = {},
                       const std::function<std::string(size_t)> &SymbolOf = {});

/// One line per instruction: "%5u: <insn>" (relative jump offsets).
std::string disassemble(const std::vector<BpfInsn> &Insns);

} // namespace vep::compiler

#endif // VEP_COMPILER_BPFINSN_H
