//===- CutPoint.h - A cut-point assertion over the machine state -*- C++ -*-===//
//
// The bytecode form of a loop invariant: what the compiler claims about the
// registers and stack slots at an instruction (a loop head), and the
// ranking term that decreases on every trip around the loop. The proof
// writer hands it to the checker as a vep_cut_point (vep/check.h), which
// this mirrors without depending on the checker's headers:
//
//   form variable 0     the packet length `len`
//   form variables 1..N the assertion's existentials x1..xN
//   binding             register/slot `Where` holds a value of kind `Kind`
//                       whose number (scalar) or offset (pointer) is `Form`
//   fact                Form >= 0
//   rank                a nonnegative term that decreases on each back edge
//   ghost               for an enclosing loop: its variant over this head's
//                       variables, at most its rank at its latest visit
//
// docs/compiler.md ("Loops and cut points") gives the lowering rules.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_COMPILER_CUTPOINT_H
#define VEP_COMPILER_CUTPOINT_H

#include <cstdint>
#include <string>
#include <vector>

namespace vep::compiler {

/// constant + sum(Coeff * var); Terms sorted by Var, no zero coefficients.
struct LinForm {
  struct Term {
    uint32_t Var = 0;
    __int128 Coeff = 0;
    bool operator==(const Term &) const = default;
  };
  __int128 Constant = 0;
  std::vector<Term> Terms;

  static LinForm constant(__int128 C) { return LinForm{C, {}}; }
  static LinForm var(uint32_t V, __int128 Coeff = 1) {
    return LinForm{0, {{V, Coeff}}};
  }
  bool isConstant() const { return Terms.empty(); }
  __int128 coeffOf(uint32_t V) const {
    for (const Term &T : Terms)
      if (T.Var == V)
        return T.Coeff;
    return 0;
  }
  bool operator==(const LinForm &) const = default;
};

/// Same numbering as vep_binding_kind in vep/check.h.
enum class BindKind : uint8_t {
  Scalar = 0,    ///< the value itself, in [0, 2^64)
  Ctx = 1,       ///< context pointer, Form = offset
  Packet = 2,    ///< data + Form
  PacketEnd = 3, ///< data + len + Form
  Stack = 4,     ///< R10 + Form
  MapValue = 5,  ///< a (non-null) value of map `Map` + Form
  Buf = 6,       ///< a called function's pre only: a pointer to Form bytes
  Ringbuf = 7,   ///< a pending ringbuf reservation of `Map` bytes + Form
};

struct CutBinding {
  BindKind Kind = BindKind::Scalar;
  int16_t Where = 0; ///< 0..9: that register; -512..-8 (multiple of 8): slot
  LinForm Form;
  uint32_t Map = 0; ///< MapValue: index in the map table (= cir::Module::Maps);
                    ///< Ringbuf: the reserved size
  bool Writes = false; ///< Buf: the function may store through it
};

/// An enclosing loop's variant lowered at an inner head (a nested loop).
struct CutGhost {
  uint32_t Loop = 0; ///< instruction index of the enclosing loop's head
  LinForm Form;
  unsigned Line = 0; ///< the enclosing loop's source line (0: unknown)
};

struct CutPoint {
  uint32_t Insn = 0; ///< instruction index of the head (never 0)
  uint32_t NumExists = 0;
  std::vector<CutBinding> Bindings;
  std::vector<LinForm> Facts; ///< each  Form >= 0
  bool HasRank = false;
  LinForm Rank;
  int16_t InitLo = 0, InitHi = 0; ///< stack bytes [InitLo, InitHi) hold scalars
  std::vector<CutGhost> Ghosts;   ///< one per enclosing loop, outermost first
  unsigned Line = 0; ///< the loop's source line (0: unknown), for messages
  /// The assertion as comment lines for `vepcc -S` (without "# ").
  std::vector<std::string> Text;
};

/// "32 - x1", "len - x2", "-1 + 3*x1": variable 0 prints as `len`, k >= 1
/// as `xk`.
std::string formatCutForm(const LinForm &F);
/// A fact `F >= 0` as a comparison: "x1 >= 0", "x1 <= 4294967295",
/// "x1 <= len", "x1 + 1 <= x2".
std::string formatCutFact(const LinForm &F);
/// A binding's right-hand side: "x1", "data + x2", "data + len", "ctx + 0",
/// "r10 - 8", "value of counts + 0", "reserved 36 bytes + 0" (Object: the
/// map of a MapValue, the size of a Ringbuf), "buffer of x1 bytes".
std::string formatCutValue(BindKind K, const LinForm &F,
                           const std::string &Object = "");
/// "r7" or "[r10-8]".
std::string formatCutWhere(int16_t Where);

} // namespace vep::compiler

#endif // VEP_COMPILER_CUTPOINT_H
