//===- AsmPrinter.cpp - eBPF instructions in clang's BPF asm syntax -------===//
//
// Prints instructions the way `llvm-objdump -d` / `clang -S -target bpf`
// do, so the annotated text of `vepcc -S` assembles with llvm-mc-14:
//   r1 = *(u32 *)(r1 + 0)     *(u64 *)(r10 - 8) = r6     w0 = 2
//   r0 = 4294967296 ll        if r2 > r3 goto .LBB_prog_1     exit
//
//===----------------------------------------------------------------------===//

#include "CodeGenInternal.h"
#include "vep/compiler/CodeGen.h"
#include "vep/compiler/ElfWriter.h"

#include <set>
#include <map>

namespace vep::compiler {

using namespace bpf;

std::string int128ToString(__int128 V) {
  if (V == 0)
    return "0";
  bool Neg = V < 0;
  unsigned __int128 U = Neg ? (unsigned __int128)0 - (unsigned __int128)V
                            : (unsigned __int128)V;
  std::string S;
  while (U) {
    S.push_back(char('0' + int(U % 10)));
    U /= 10;
  }
  if (Neg)
    S.push_back('-');
  return std::string(S.rbegin(), S.rend());
}

namespace {

/// Lit followed by the decimal N (appending, which also avoids a GCC 12
/// -Wrestrict false positive on `"lit" + std::to_string(n)`).
template <typename T> std::string cat(const char *Lit, T N) {
  std::string S = Lit;
  S += std::to_string(N);
  return S;
}

std::string reg(bool Is64, unsigned R) { return cat(Is64 ? "r" : "w", R); }

const char *sizeName(uint8_t Size) {
  switch (Size) {
  case W:
    return "u32";
  case H:
    return "u16";
  case B:
    return "u8";
  default:
    return "u64";
  }
}

std::string memRef(uint8_t Size, unsigned Base, int16_t Off) {
  std::string S = "*(";
  S += sizeName(Size);
  S += cat(" *)(r", Base);
  if (Off < 0)
    S += cat(" - ", -int(Off));
  else
    S += cat(" + ", int(Off));
  return S + ")";
}

const char *aluOpText(uint8_t Op, int16_t Off) {
  switch (Op) {
  case ADD:
    return "+=";
  case SUB:
    return "-=";
  case MUL:
    return "*=";
  case DIV:
    return Off == 1 ? "s/=" : "/=";
  case OR:
    return "|=";
  case AND:
    return "&=";
  case LSH:
    return "<<=";
  case RSH:
    return ">>=";
  case MOD:
    return Off == 1 ? "s%=" : "%=";
  case XOR:
    return "^=";
  case ARSH:
    return "s>>=";
  default:
    return nullptr;
  }
}

const char *jmpOpText(uint8_t Op) {
  switch (Op) {
  case JEQ:
    return "==";
  case JGT:
    return ">";
  case JGE:
    return ">=";
  case JSET:
    return "&";
  case JNE:
    return "!=";
  case JSGT:
    return "s>";
  case JSGE:
    return "s>=";
  case JLT:
    return "<";
  case JLE:
    return "<=";
  case JSLT:
    return "s<";
  case JSLE:
    return "s<=";
  default:
    return nullptr;
  }
}

std::string rawQuad(const BpfInsn &I);

/// An atomic in LLVM's syntax (BPFInstrInfo.td): `lock *(u64 *)(r1 + 0)
/// += r2`; the fetching forms, which llvm-objdump-14 prints but
/// llvm-mc-14 cannot parse, as their `.quad` with that text in a comment:
/// `r2 = atomic_fetch_or((u64 *)(r1 + 0), r2)`, `w2 = xchg32_32(r1 + 0,
/// w2)`, `r0 = cmpxchg_64(r1 + 0, r0, r2)`.
std::string atomicText(const BpfInsn &I) {
  static const char *const Names[] = {"add", "or", "and", "xor"};
  bool Is64 = sizeOf(I.Code) == DW;
  std::string Ref = memRef(sizeOf(I.Code), I.Dst, I.Off);
  std::string Addr = Ref.substr(Ref.find("(r") + 1);
  Addr.pop_back(); // "r1 + 0"
  std::string Src = reg(Is64, I.Src), Width = Is64 ? "_64(" : "32_32(";
  std::string Quad = rawQuad(I) + " # ";
  if (I.Imm == XCHG)
    return Quad + Src + " = xchg" + Width + Addr + ", " + Src + ")";
  if (I.Imm == CMPXCHG)
    return Quad + reg(Is64, 0) + " = cmpxchg" + Width + Addr + ", " +
           reg(Is64, 0) + ", " + Src + ")";
  int Alu = I.Imm & ~FETCH;
  int K = Alu == ADD ? 0 : Alu == OR ? 1 : Alu == AND ? 2 : Alu == XOR ? 3 : -1;
  if (K < 0)
    return rawQuad(I);
  if (!(I.Imm & FETCH)) // LLVM 14 prints the add's operand as r in both
    return "lock " + Ref + " " + aluOpText(uint8_t(Alu), 0) + " " +
           (Alu == ADD ? reg(true, I.Src) : Src);
  return Quad + Src + " = atomic_fetch_" + Names[K] + "(" + Ref.substr(1) +
         ", " + Src + ")";
}

std::string rawQuad(const BpfInsn &I) {
  std::vector<uint8_t> B = encodeInsns({I});
  uint64_t V = 0;
  for (int K = 7; K >= 0; --K)
    V = (V << 8) | B[K];
  char Buf[32];
  snprintf(Buf, sizeof Buf, ".quad 0x%016llx", (unsigned long long)V);
  return Buf;
}

std::string quoteIfNeeded(const std::string &S) {
  bool Plain = !S.empty();
  for (char C : S)
    if (!(isalnum((unsigned char)C) || C == '_' || C == '.'))
      Plain = false;
  if (Plain)
    return S;
  std::string Q = "\"";
  for (char C : S) {
    if (C == '"' || C == '\\')
      Q += '\\';
    Q += C;
  }
  return Q + "\"";
}

std::string asciz(const std::string &S) {
  std::string Q = "\"";
  for (unsigned char C : S) {
    if (C == '"' || C == '\\') {
      Q += '\\';
      Q += char(C);
    } else if (C < 0x20 || C >= 0x7f) {
      char Buf[8];
      snprintf(Buf, sizeof Buf, "\\%03o", C);
      Q += Buf;
    } else {
      Q += char(C);
    }
  }
  return Q + "\"";
}

} // namespace

std::string formatInsn(const std::vector<BpfInsn> &Insns, size_t Idx,
                       const std::function<std::string(size_t)> &LabelOf,
                       const std::function<std::string(size_t)> &SymbolOf) {
  const BpfInsn &I = Insns[Idx];
  if (Idx > 0 && isLddw(Insns[Idx - 1]) && I.Code == 0)
    return ""; // second slot of lddw (callers print the pair once)
  uint8_t Cls = insnClass(I.Code);
  uint8_t Op = opOf(I.Code);
  auto Target = [&]() -> std::string {
    long T = long(Idx) + 1 + I.Off;
    if (LabelOf && T >= 0)
      return LabelOf(size_t(T));
    return I.Off < 0 ? std::to_string(I.Off) : cat("+", I.Off);
  };
  switch (Cls) {
  case LD:
    if (isLddw(I) && Idx + 1 < Insns.size()) {
      if (std::string Sym = SymbolOf ? SymbolOf(Idx) : ""; !Sym.empty())
        return reg(true, I.Dst) + " = " + Sym + " ll";
      uint64_t V = uint64_t(uint32_t(I.Imm)) |
                   (uint64_t(uint32_t(Insns[Idx + 1].Imm)) << 32);
      return reg(true, I.Dst) + " = " + std::to_string(int64_t(V)) + " ll";
    }
    return rawQuad(I);
  case LDX:
    if (modeOf(I.Code) != MEM)
      return rawQuad(I);
    return reg(true, I.Dst) + " = " + memRef(sizeOf(I.Code), I.Src, I.Off);
  case ST:
    if (modeOf(I.Code) != MEM)
      return rawQuad(I);
    return memRef(sizeOf(I.Code), I.Dst, I.Off) + " = " +
           std::to_string(I.Imm);
  case STX:
    if (modeOf(I.Code) == ATOMIC &&
        (sizeOf(I.Code) == W || sizeOf(I.Code) == DW))
      return atomicText(I);
    if (modeOf(I.Code) != MEM)
      return rawQuad(I);
    return memRef(sizeOf(I.Code), I.Dst, I.Off) + " = " + reg(true, I.Src);
  case ALU:
  case ALU64: {
    bool Is64 = Cls == ALU64;
    std::string D = reg(Is64, I.Dst);
    std::string S = srcOf(I.Code) == X ? reg(Is64, I.Src)
                                        : std::to_string(I.Imm);
    if (Op == MOV)
      return D + " = " + S;
    if (Op == NEG)
      return D + " = -" + D;
    if (Op == END) {
      std::string Kind = Is64 ? "bswap" : (srcOf(I.Code) == X ? "be" : "le");
      return reg(true, I.Dst) + " = " + Kind + std::to_string(I.Imm) + " " +
             reg(true, I.Dst);
    }
    if (const char *T = aluOpText(Op, I.Off))
      return D + " " + T + " " + S;
    return rawQuad(I);
  }
  case JMP:
  case JMP32: {
    bool Is64 = Cls == JMP;
    if (Is64 && Op == JA)
      return "goto " + Target();
    if (Is64 && Op == EXIT)
      return "exit";
    if (Is64 && Op == CALL) {
      // A bpf-to-bpf call names its callee, as llvm-mc reads it.
      if (I.Src == 1)
        if (std::string Sym = SymbolOf ? SymbolOf(Idx) : ""; !Sym.empty())
          return "call " + Sym;
      return cat("call ", I.Imm);
    }
    const char *T = jmpOpText(Op);
    if (!T)
      return rawQuad(I);
    std::string S = srcOf(I.Code) == X ? reg(Is64, I.Src)
                                        : std::to_string(I.Imm);
    return "if " + reg(Is64, I.Dst) + " " + T + " " + S + " goto " + Target();
  }
  }
  return rawQuad(I);
}

std::string disassemble(const std::vector<BpfInsn> &Insns) {
  std::string Out;
  for (size_t I = 0; I < Insns.size(); ++I) {
    std::string T = formatInsn(Insns, I);
    if (T.empty())
      continue;
    char Buf[32];
    snprintf(Buf, sizeof Buf, "%5zu: ", I);
    Out += Buf + T + "\n";
  }
  return Out;
}

std::string printFunctionAsm(const std::string &Name,
                             const std::string &Section,
                             const std::vector<BpfInsn> &Insns,
                             const AsmFunctionInfo &Info) {
  // Jump targets get labels, numbered in order.
  std::set<size_t> Targets;
  for (size_t I = 0; I < Insns.size(); ++I) {
    if (I > 0 && isLddw(Insns[I - 1]))
      continue;
    if (isJump(Insns[I]))
      Targets.insert(size_t(long(I) + 1 + Insns[I].Off));
  }
  std::map<size_t, std::string> Labels;
  unsigned K = 0;
  for (size_t T : Targets)
    Labels[T] = ".LBB_" + Name + "_" + std::to_string(++K);
  auto LabelOf = [&](size_t T) -> std::string {
    auto It = Labels.find(T);
    return It == Labels.end() ? std::string("+?") : It->second;
  };
  auto SymbolOf = [&](size_t I) -> std::string {
    auto It = Info.Symbols.find(I);
    return It == Info.Symbols.end() ? std::string() : It->second;
  };

  std::string Out;
  for (const std::string &H : Info.Header)
    Out += "# " + H + "\n";
  if (Section.empty()) { // a function of .text, static as in C
    Out += "\t.text\n";
  } else {
    Out += "\t.section\t" + quoteIfNeeded(Section) + ",\"ax\",@progbits\n";
    Out += "\t.globl\t" + Name + "\n";
  }
  Out += "\t.p2align\t3\n";
  Out += "\t.type\t" + Name + ",@function\n";
  Out += Name + ":\n";
  for (size_t I = 0; I < Insns.size(); ++I) {
    if (I > 0 && isLddw(Insns[I - 1]))
      continue;
    auto L = Labels.find(I);
    if (L != Labels.end())
      Out += L->second + ":\n";
    if (I < Info.Notes.size())
      for (const std::string &N : Info.Notes[I])
        Out += "\t# " + N + "\n";
    std::string Text = "\t";
    Text += formatInsn(Insns, I, LabelOf, SymbolOf);
    // Pad to column 48 (tab = 8 columns).
    size_t Col = 8 + Text.size() - 1;
    if (Col < 48)
      Text.append(48 - Col, ' ');
    else
      Text += ' ';
    Text += cat("# ", I);
    if (I < Info.Trailing.size() && !Info.Trailing[I].empty())
      Text += ": " + Info.Trailing[I];
    Out += Text + "\n";
  }
  // A label at the end (not produced by the code generator, but keep the
  // text well formed for any instruction stream).
  auto L = Labels.find(Insns.size());
  if (L != Labels.end())
    Out += L->second + ":\n";
  Out += ".Lfunc_end_" + Name + ":\n";
  Out += "\t.size\t" + Name + ", .Lfunc_end_" + Name + "-" + Name + "\n";
  return Out;
}

std::string writeAssembly(const std::vector<CompiledProgram> &Progs,
                          const std::string &License,
                          const std::vector<cir::MapDef> &Maps,
                          const std::vector<cir::GlobalVar> &Globals) {
  std::string Out = "# Generated by the VEP compiler.\n\t.text\n";
  std::map<std::string, unsigned> Uses;
  for (const CompiledProgram &P : Progs) {
    std::string Text = P.Asm;
    // Like writeObject, a repeated SEC() name gets a section of its own.
    if (unsigned N = P.isTextFunction() ? 0 : Uses[P.Section]++) {
      std::string Dir = "\t.section\t" + quoteIfNeeded(P.Section) +
                        ",\"ax\",@progbits";
      size_t At = Text.find(Dir + "\n");
      if (At != std::string::npos)
        Text.insert(At + Dir.size(), cat(",unique,", N));
    }
    Out += "\n" + Text;
  }
  if (!Maps.empty())
    Out += "\n\t.section\t.maps,\"aw\",@progbits\n";
  for (const cir::MapDef &M : Maps) {
    uint64_t Size = mapSectionSize(M);
    Out += "\t.globl\t" + M.Name + "\n";
    Out += "\t.p2align\t3\n";
    Out += "\t.type\t" + M.Name + ",@object\n";
    Out += M.Name + ":\n";
    Out += cat("\t.zero\t", mapDefinitionSize(M)) + "\n";
    for (int Slot : M.InitialValues) // a map of maps' `.values`
      Out += Slot < 0 ? std::string("\t.quad\t0\n")
                      : "\t.quad\t" + Maps[size_t(Slot)].Name + "\n";
    Out += "\t.size\t" + M.Name + cat(", ", Size) + "\n";
  }
  for (const GlobalSection &G : globalSections(Globals)) {
    bool Bss = G.Sec == cir::GlobalVar::Section::Bss;
    Out += std::string("\n\t.section\t") + cir::sectionName(G.Sec) +
           (G.Sec == cir::GlobalVar::Section::Rodata ? ",\"a\"" : ",\"aw\"") +
           (Bss ? ",@nobits\n" : ",@progbits\n");
    unsigned Log2 = 0;
    while ((uint64_t(1) << Log2) < G.Align)
      ++Log2;
    Out += cat("\t.p2align\t", Log2) + "\n";
    uint64_t At = 0;
    for (const cir::GlobalVar &V : Globals) {
      if (V.Sec != G.Sec)
        continue;
      if (V.Offset > At)
        Out += cat("\t.zero\t", V.Offset - At) + "\n";
      if (!V.Static)
        Out += "\t.globl\t" + V.Name + "\n";
      Out += "\t.type\t" + V.Name + ",@object\n";
      Out += V.Name + ":\n";
      if (Bss)
        Out += cat("\t.zero\t", V.Size) + "\n";
      for (size_t I = 0; !Bss && I < V.Init.size(); ++I)
        Out += cat("\t.byte\t", unsigned(V.Init[I])) + "\n";
      Out += "\t.size\t" + V.Name + cat(", ", V.Size) + "\n";
      At = V.Offset + V.Size;
    }
  }
  Out += "\n\t.section\tlicense,\"aw\",@progbits\n";
  Out += "\t.globl\t_license\n";
  Out += "\t.type\t_license,@object\n";
  Out += "_license:\n";
  Out += "\t.asciz\t" + asciz(License) + "\n";
  Out += cat("\t.size\t_license, ", License.size() + 1) + "\n";
  return Out;
}

// ---- Annotation text for comments -------------------------------------

std::string printTermText(const logic::Term &T) {
  using TK = logic::Term::Kind;
  auto Arg = [&](size_t I) -> std::string {
    if (I >= T.Args.size() || !T.Args[I])
      return "?";
    const logic::Term &A = *T.Args[I];
    std::string S = printTermText(A);
    if (A.K == TK::Binary || A.K == TK::Cast)
      return "(" + S + ")";
    return S;
  };
  switch (T.K) {
  case TK::IntLit:
    return int128ToString(T.Value);
  case TK::Var:
    return T.Name + (T.AtPre ? "@pre" : "");
  case TK::Unary:
    return T.Op + Arg(0);
  case TK::Binary:
    return Arg(0) + " " + T.Op + " " + Arg(1);
  case TK::Member:
    return Arg(0) + (T.Arrow ? "->" : ".") + T.Name;
  case TK::Index:
    return Arg(0) + "[" + (T.Args.size() > 1 && T.Args[1]
                               ? printTermText(*T.Args[1])
                               : std::string("?")) +
           "]";
  case TK::Call: {
    std::string S = T.Name + "(";
    for (size_t I = 0; I < T.Args.size(); ++I)
      S += (I ? ", " : "") +
           (T.Args[I] ? printTermText(*T.Args[I]) : std::string("?"));
    return S + ")";
  }
  case TK::Cast:
    return "(" + T.Name + ") " + Arg(0);
  }
  return "?";
}

std::string printAssertionText(const logic::Assertion &A) {
  using AK = logic::Assertion::Kind;
  auto Sub = [&](size_t I) -> std::string {
    if (I >= A.Subs.size() || !A.Subs[I])
      return "?";
    const logic::Assertion &S = *A.Subs[I];
    std::string Text = printAssertionText(S);
    bool Atomic = S.K == AK::True || S.K == AK::False || S.K == AK::Emp ||
                  S.K == AK::TT || S.K == AK::Cmp || S.K == AK::Pred ||
                  S.K == AK::Not || S.K == A.K;
    return Atomic ? Text : "(" + Text + ")";
  };
  auto TermAt = [&](size_t I) -> std::string {
    return I < A.Terms.size() && A.Terms[I] ? printTermText(*A.Terms[I])
                                            : std::string("?");
  };
  switch (A.K) {
  case AK::True:
    return "true";
  case AK::False:
    return "false";
  case AK::Emp:
    return "emp";
  case AK::TT:
    return "TT";
  case AK::Cmp:
    return TermAt(0) + " " + A.Op + " " + TermAt(1);
  case AK::Not: {
    std::string S = "!";
    return S += Sub(0);
  }
  case AK::And:
    return Sub(0) + " && " + Sub(1);
  case AK::Or:
    return Sub(0) + " || " + Sub(1);
  case AK::Implies:
    return Sub(0) + " => " + Sub(1);
  case AK::Sep:
    return Sub(0) + " * " + Sub(1);
  case AK::Exists: {
    std::string S = "exists";
    for (const std::string &B : A.Binders)
      S += " " + B;
    return S + ", " + Sub(0);
  }
  case AK::Forall: {
    std::string S = "forall (";
    for (size_t I = 0; I < A.Binders.size(); ++I)
      S += (I ? " " : "") + A.Binders[I];
    return S + ": " + A.BinderType + "), " + Sub(0);
  }
  case AK::Pred: {
    std::string S = A.Name + "(";
    for (size_t I = 0; I < A.Terms.size(); ++I)
      S += (I ? ", " : "") + TermAt(I);
    return S + ")";
  }
  }
  return "?";
}

} // namespace vep::compiler
