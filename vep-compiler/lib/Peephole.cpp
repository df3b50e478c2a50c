//===- Peephole.cpp - Local clean-ups of generated eBPF code --------------===//
//
// Runs on the code generator's instruction list (labels still symbolic)
// after the whole function is emitted; see peephole() in CodeGenInternal.h.
// Every rewrite keeps the value of every register and memory byte on every
// path, so the assertions carried down to the bytecode (entry, exits, cut
// points) describe the new code exactly as they did the old one.
//
// The redundancy pass is a forward dataflow over the slots in order: every
// jump the code generator emits goes forward, except the back edges to loop
// heads, where nothing is assumed. A label's state is the meet of the states
// of the jumps to it seen so far and of the fall-through.
//
//===----------------------------------------------------------------------===//

#include "CodeGenInternal.h"

#include <array>
#include <map>

namespace vep::compiler {

void eraseInsn(std::vector<MInsn> &Code, std::vector<long> &LabelPos,
               size_t I) {
  if (I + 1 < Code.size()) {
    auto &N = Code[I + 1].Notes;
    N.insert(N.begin(), Code[I].Notes.begin(), Code[I].Notes.end());
  }
  Code.erase(Code.begin() + long(I));
  for (long &P : LabelPos)
    if (P > long(I))
      --P;
}

namespace {

/// What a register is known to hold.
struct Fact {
  enum Kind : uint8_t { Unknown, Const, Loaded, Copy } K = Unknown;
  uint64_t Value = 0;         ///< Const: the 64-bit value
  uint8_t Size = 0, Base = 0; ///< Loaded: *(Size *)(rBase + Off); Copy: rBase
  int16_t Off = 0;
  bool operator==(const Fact &) const = default;
};
using State = std::array<Fact, 11>;

void meet(State &A, const State &B) {
  for (size_t R = 0; R < A.size(); ++R)
    if (!(A[R] == B[R]))
      A[R] = Fact();
}

/// Register Dst receives a new value: loads through Dst and copies of it are
/// no longer known.
void assign(State &S, uint8_t Dst, Fact New) {
  for (Fact &F : S)
    if ((F.K == Fact::Loaded || F.K == Fact::Copy) && F.Base == Dst)
      F = Fact();
  if ((New.K == Fact::Loaded || New.K == Fact::Copy) && New.Base == Dst)
    New = Fact();
  S[Dst] = New;
}

void forgetLoads(State &S) {
  for (Fact &F : S)
    if (F.K == Fact::Loaded)
      F = Fact();
}

bool isExit(const BpfInsn &I) { return I.Code == (bpf::JMP | bpf::EXIT); }
bool isJa(const BpfInsn &I) { return I.Code == (bpf::JMP | bpf::JA); }

bool removeJumpsToNext(std::vector<MInsn> &Code, std::vector<long> &LabelPos) {
  bool Changed = false;
  for (size_t I = 0; I < Code.size();) {
    if (Code[I].Target >= 0 && LabelPos[size_t(Code[I].Target)] == long(I + 1)) {
      eraseInsn(Code, LabelPos, I);
      Changed = true;
      if (I > 0)
        --I; // a jump before may now target the next slot
      continue;
    }
    ++I;
  }
  return Changed;
}

bool isHead(const std::vector<bool> &IsHead, int L) {
  return L >= 0 && size_t(L) < IsHead.size() && IsHead[size_t(L)];
}

bool jumpsToExit(std::vector<MInsn> &Code, const std::vector<long> &LabelPos,
                 const std::vector<bool> &IsHead) {
  bool Changed = false;
  for (MInsn &M : Code) {
    if (!isJa(M.I) || M.Target < 0 || isHead(IsHead, M.Target))
      continue; // (a back edge stays one)
    long T = LabelPos[size_t(M.Target)];
    if (T < 0 || T >= long(Code.size()) || !isExit(Code[size_t(T)].I))
      continue;
    M.I = Code[size_t(T)].I;
    M.Trail = Code[size_t(T)].Trail;
    M.Target = -1;
    Changed = true;
  }
  return Changed;
}

bool redundantDefs(std::vector<MInsn> &Code, std::vector<long> &LabelPos,
                   const std::vector<bool> &IsHead) {
  std::vector<std::vector<int>> LabelsAt(Code.size() + 1);
  for (size_t L = 0; L < LabelPos.size(); ++L)
    if (LabelPos[L] >= 0 && LabelPos[L] <= long(Code.size()))
      LabelsAt[size_t(LabelPos[L])].push_back(int(L));
  std::map<int, State> AtLabel; // meet of the jumps to L seen so far
  std::vector<size_t> Dead;
  State S{};
  bool Reach = true; // the previous slot falls through into this one
  for (size_t I = 0; I < Code.size(); ++I) {
    bool Head = false, Joined = Reach;
    for (int L : LabelsAt[I]) {
      Head |= isHead(IsHead, L);
      auto It = AtLabel.find(L);
      if (It == AtLabel.end())
        continue;
      if (!Joined)
        S = It->second;
      else
        meet(S, It->second);
      Joined = true;
    }
    if (Head || !Joined)
      S = State{}; // a back edge arrives (or unreachable): nothing known
    Reach = true;
    const BpfInsn &In = Code[I].I;
    uint8_t Cls = bpf::insnClass(In.Code), Op = bpf::opOf(In.Code);
    switch (Cls) {
    case bpf::ALU:
    case bpf::ALU64: {
      bool Is64 = Cls == bpf::ALU64;
      Fact New;
      if (Op == bpf::MOV && bpf::srcOf(In.Code) == bpf::K && In.Off == 0) {
        New.K = Fact::Const;
        New.Value = Is64 ? uint64_t(int64_t(In.Imm)) : uint64_t(uint32_t(In.Imm));
        if (S[In.Dst] == New) {
          Dead.push_back(I);
          continue;
        }
      } else if (Op == bpf::MOV && Is64 && In.Off == 0 &&
                 S[In.Src].K == Fact::Const) {
        New = S[In.Src];
      } else if (Op == bpf::MOV && Is64 && In.Off == 0) {
        // `r7 = r0` then `r0 = r7` (a call's result to its home, then
        // returned): the second copies a value that is already there.
        Fact Forward{Fact::Copy, 0, 0, In.Src, 0},
            Back{Fact::Copy, 0, 0, In.Dst, 0};
        if (S[In.Dst] == Forward || S[In.Src] == Back) {
          Dead.push_back(I);
          continue;
        }
        New = Forward;
      }
      assign(S, In.Dst, New);
      break;
    }
    case bpf::LDX: {
      Fact New;
      if (bpf::modeOf(In.Code) == bpf::MEM) {
        New.K = Fact::Loaded;
        New.Size = bpf::sizeOf(In.Code);
        New.Base = In.Src;
        New.Off = In.Off;
        if (In.Dst != In.Src && S[In.Dst] == New) {
          Dead.push_back(I);
          continue;
        }
      }
      assign(S, In.Dst, New);
      break;
    }
    case bpf::LD: // lddw; its second slot follows
      assign(S, In.Dst, Fact());
      ++I;
      break;
    case bpf::ST:
    case bpf::STX: // memory changes (stores, atomics)
      forgetLoads(S);
      break;
    default: // jumps, calls, exit
      if (isExit(In)) {
        Reach = false;
      } else if (Code[I].Target >= 0) {
        auto It = AtLabel.find(Code[I].Target);
        if (It == AtLabel.end())
          AtLabel.emplace(Code[I].Target, S);
        else
          meet(It->second, S);
        if (isJa(In))
          Reach = false;
      } else {
        S = State{}; // a call: R0-R5 and memory change
      }
      break;
    }
  }
  for (size_t K = Dead.size(); K-- > 0;)
    eraseInsn(Code, LabelPos, Dead[K]);
  return !Dead.empty();
}

/// The registers slot I reads (Use) and writes (Def), one bit each. A call
/// reads R1-R5 (its arguments, as many as there may be) and writes R0-R5;
/// `exit` reads R0 (the result, which the exit assertion is about).
void usesAndDefs(const std::vector<MInsn> &Code, size_t I, unsigned &Use,
                 unsigned &Def) {
  Use = Def = 0;
  if (I > 0 && bpf::isLddw(Code[I - 1].I))
    return; // the second slot of an lddw
  const BpfInsn &In = Code[I].I;
  uint8_t Cls = bpf::insnClass(In.Code), Op = bpf::opOf(In.Code);
  bool RegSrc = bpf::srcOf(In.Code) == bpf::X;
  switch (Cls) {
  case bpf::ALU:
  case bpf::ALU64:
    if (Op != bpf::MOV)
      Use |= 1u << In.Dst;
    if (RegSrc && Op != bpf::END && Op != bpf::NEG)
      Use |= 1u << In.Src;
    Def |= 1u << In.Dst;
    break;
  case bpf::LDX:
    Use |= 1u << In.Src;
    Def |= 1u << In.Dst;
    break;
  case bpf::LD:
    Def |= 1u << In.Dst;
    break;
  case bpf::ST:
    Use |= 1u << In.Dst;
    break;
  case bpf::STX:
    Use |= 1u << In.Dst | 1u << In.Src;
    break;
  default: // JMP, JMP32
    if (Op == bpf::CALL) {
      Use |= 0x3eu;
      Def |= 0x3fu;
    } else if (Op == bpf::EXIT) {
      Use |= 1u;
    } else if (Op != bpf::JA) {
      Use |= 1u << In.Dst;
      if (RegSrc)
        Use |= 1u << In.Src;
    }
  }
}

} // namespace

Liveness liveness(const std::vector<MInsn> &Code, const std::vector<long> &LabelPos,
                  const std::vector<bool> &IsHead) {
  const unsigned All = (1u << 11) - 1;
  size_t N = Code.size();
  Liveness Live{std::vector<unsigned>(N + 1, 0), std::vector<unsigned>(N, 0),
                std::vector<bool>(N + 1, false)};
  for (size_t L = 0; L < LabelPos.size(); ++L)
    if (isHead(IsHead, int(L)) && LabelPos[L] >= 0 && LabelPos[L] <= long(N))
      Live.HeadAt[size_t(LabelPos[L])] = true;
  std::vector<unsigned> &In = Live.In;
  auto LiveAt = [&](long Slot) {
    if (Slot < 0 || Slot >= long(N))
      return 0u;
    return Live.HeadAt[size_t(Slot)] ? All : In[size_t(Slot)];
  };
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (size_t I = N; I-- > 0;) {
      const BpfInsn &X = Code[I].I;
      unsigned O = 0;
      if (Code[I].Target >= 0)
        O |= LiveAt(LabelPos[size_t(Code[I].Target)]);
      if (!isExit(X) && !(isJa(X) && Code[I].Target >= 0))
        O |= LiveAt(long(I + 1));
      unsigned Use, Def;
      usesAndDefs(Code, I, Use, Def);
      unsigned NewIn = Use | (O & ~Def);
      if (NewIn != In[I] || O != Live.Out[I]) {
        In[I] = NewIn;
        Live.Out[I] = O;
        Changed = true;
      }
    }
  }
  In.resize(N);
  for (size_t I = 0; I < N; ++I)
    if (Live.HeadAt[I])
      In[I] = All;
  return Live;
}

namespace {

/// Removes ALU instructions whose result no path reads (`r8 = r0` for a
/// call's result that was then returned from R0; nothing at a loop head).
/// An ALU instruction only writes its destination, so removing a dead one
/// changes no value that is read.
bool deadDefs(std::vector<MInsn> &Code, std::vector<long> &LabelPos,
              const std::vector<bool> &IsHead) {
  const Liveness Live = liveness(Code, LabelPos, IsHead);
  std::vector<size_t> Dead;
  for (size_t I = 0; I < Code.size(); ++I) {
    uint8_t Cls = bpf::insnClass(Code[I].I.Code);
    if ((Cls != bpf::ALU && Cls != bpf::ALU64) || Live.HeadAt[I] ||
        (I > 0 && bpf::isLddw(Code[I - 1].I)))
      continue;
    unsigned Use, Def;
    usesAndDefs(Code, I, Use, Def);
    if (!(Def & Live.Out[I]))
      Dead.push_back(I);
  }
  for (size_t K = Dead.size(); K-- > 0;)
    eraseInsn(Code, LabelPos, Dead[K]);
  return !Dead.empty();
}

/// `rX = rS; ...; if rX op ... goto L` where the slots between write
/// neither register, no label is bound after the move up to the jump (so
/// every path to the jump comes through the move) and rX is dead after the
/// jump: the jump tests rS instead, which holds the same value there, so it
/// decides as before and every register read later keeps its value; the
/// move is then dead (deadDefs). This is a call's result moved to its
/// variable's home only to be compared (`r9 = r0; if r9 == 17`).
bool copiesIntoJumps(std::vector<MInsn> &Code, const std::vector<long> &LabelPos,
                     const std::vector<bool> &IsHead) {
  const Liveness Live = liveness(Code, LabelPos, IsHead);
  std::vector<bool> Bound(Code.size() + 1, false);
  for (long P : LabelPos)
    if (P >= 0 && P <= long(Code.size()))
      Bound[size_t(P)] = true;
  bool Changed = false;
  for (size_t I = 0; I < Code.size(); ++I) {
    const BpfInsn &Mov = Code[I].I;
    if (Mov.Code != (bpf::ALU64 | bpf::MOV | bpf::X) || Mov.Dst == Mov.Src ||
        (I > 0 && bpf::isLddw(Code[I - 1].I)))
      continue;
    const unsigned Both = 1u << Mov.Dst | 1u << Mov.Src;
    for (size_t J = I + 1; J < Code.size() && !Bound[J]; ++J) {
      BpfInsn &Jmp = Code[J].I;
      uint8_t Cls = bpf::insnClass(Jmp.Code), Op = bpf::opOf(Jmp.Code);
      bool Cond = (Cls == bpf::JMP || Cls == bpf::JMP32) && Op != bpf::JA &&
                  Op != bpf::CALL && Op != bpf::EXIT;
      if (Cond && Jmp.Dst == Mov.Dst && !(Live.Out[J] & 1u << Mov.Dst) &&
          !(bpf::srcOf(Jmp.Code) == bpf::X && Jmp.Src == Mov.Dst)) {
        Jmp.Dst = Mov.Src;
        Changed = true;
      }
      unsigned Use, Def;
      usesAndDefs(Code, J, Use, Def);
      if ((Def & Both) || Code[J].Target >= 0 || isExit(Jmp))
        break; // a write, or the end of the straight line
    }
  }
  return Changed;
}

} // namespace

void peephole(std::vector<MInsn> &Code, std::vector<long> &LabelPos,
              const std::vector<bool> &IsHead) {
  for (bool Changed = true; Changed;) {
    Changed = removeJumpsToNext(Code, LabelPos);
    Changed |= jumpsToExit(Code, LabelPos, IsHead);
    Changed |= redundantDefs(Code, LabelPos, IsHead);
    Changed |= copiesIntoJumps(Code, LabelPos, IsHead);
    Changed |= deadDefs(Code, LabelPos, IsHead);
  }
}

} // namespace vep::compiler
