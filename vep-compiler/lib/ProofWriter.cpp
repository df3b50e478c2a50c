//===- ProofWriter.cpp - Writing mode of the checker core -----------------===//
//
// writeProof runs vep_check_object with two sources of ours:
//  - the header source serves each program's instruction hash (computed
//    from the object's section bytes), post-condition and cut points, and
//    records the program table entry; and, when the object has `.text`,
//    the function table (each function's hash from its bytes in `.text`,
//    its contract and cut points);
//  - the proof source answers each arithmetic question with a Farkas
//    certificate from FarkasSearch and records the answer.
// The encoder's bytes are the proof. Afterwards the checker runs again, in
// checking mode on those bytes, and must accept them. Both runs get the
// caller's map table.
//
// Forging mode (ProofWriteOptions::ForgeUnprovable, for tests of the checker)
// answers an unprovable required question with a bogus certificate instead
// of giving up, and returns the proof as far as it got.
//
//===----------------------------------------------------------------------===//
#include "vep/compiler/ProofWriter.h"
#include "vep/compiler/CodeGen.h"
#include "vep/compiler/ElfWriter.h"

#include "vep/proof_encode.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <deque>
#include <map>
#include <optional>

namespace vep::compiler {
namespace {

/// Memory for one run of the checker core. The core allocates nothing else;
/// the limits in check.h keep it far below this.
constexpr size_t ArenaBytes = size_t(256) << 20;

/// The checker's arena over heap memory that is not touched before use.
class Arena {
public:
  Arena() : Mem(new uint8_t[ArenaBytes]) {
    vep_arena_init(&A, Mem.get(), ArenaBytes);
  }
  vep_arena *get() { return &A; }

private:
  std::unique_ptr<uint8_t[]> Mem;
  vep_arena A{};
};

/// The state of one writing run, behind the proof source's `self`.
class Writer {
public:
  Writer(const std::vector<uint8_t> &Object,
         const std::vector<ProgramSpec> &Programs,
         const std::vector<FunctionSpec> &Functions,
         const ProofWriteOptions &Options)
      : Object(Object), Programs(Programs), Functions(Functions),
        Options(Options) {
    vep_enc_init(&File);
  }
  ~Writer() { vep_enc_free(&File); }

  /// The headers of the object's programs, in section order as the
  /// checker's image lists them, and of its functions; false with Failure
  /// set when the object does not fit the specifications.
  bool programHeaders();
  bool functionHeaders();
  vep_proof_headers headers() const {
    return {uint32_t(FunctionHeaders.size()), FunctionHeaders.data(),
            uint32_t(ProgramHeaders.size()), ProgramHeaders.data()};
  }
  int prove(const vep_question &Q, vep_cert &Out, vep_arena &Scratch);
  std::string nestingNote(const char *Unit, uint32_t Insn,
                          vep_goal_kind Kind) const;

  /// The proof file: the headers, then the answers as they are given.
  vep_proof_buf File;
  FarkasSearch Search;
  unsigned Questions = 0, Certificates = 0;
  std::string Failure; ///< the first required question left unproved
  /// The latest optional question answered "no certificate", for the error
  /// message when the checker then rejects at that instruction (e.g. no
  /// disjunct of the post-condition holds).
  std::string LastUnanswered;
  uint32_t LastUnansweredInsn = 0;
  std::vector<ForgedAnswer> Forged;

private:
  const std::vector<uint8_t> &Object;
  const std::vector<ProgramSpec> &Programs;
  const std::vector<FunctionSpec> &Functions;
  const ProofWriteOptions &Options;
  int forge(const vep_question &Q, vep_cert &Out, vep_arena &Scratch);
  int answer(const FarkasCertificate &C, vep_cert &Out, vep_arena &Scratch);
  /// Post-conditions and cut points handed to the checker; they live for
  /// the whole run.
  std::deque<std::vector<vep_lin_term>> Terms;
  std::deque<std::vector<vep_lin>> Lins;
  std::deque<std::vector<vep_binding>> Bindings;
  std::deque<std::vector<vep_ghost>> Ghosts;
  std::deque<std::vector<vep_cut_point>> CutPoints;
  std::vector<vep_function_header> FunctionHeaders;
  std::vector<vep_program_header> ProgramHeaders;
  vep_cut_point toVep(const CutPoint &C);
  bool cuts(const std::vector<CutPoint> &Cuts, uint32_t &N,
            const vep_cut_point *&Out);
};

// The mirror in CutPoint.h numbers binding kinds like check.h.
static_assert(uint8_t(BindKind::Scalar) == VEP_BIND_SCALAR &&
              uint8_t(BindKind::Ctx) == VEP_BIND_CTX &&
              uint8_t(BindKind::Packet) == VEP_BIND_PACKET &&
              uint8_t(BindKind::PacketEnd) == VEP_BIND_PACKET_END &&
              uint8_t(BindKind::Stack) == VEP_BIND_STACK &&
              uint8_t(BindKind::MapValue) == VEP_BIND_MAP_VALUE &&
              uint8_t(BindKind::Buf) == VEP_BIND_BUF &&
              uint8_t(BindKind::Ringbuf) == VEP_BIND_RINGBUF);

/// The checker's form of an assertion; its arrays live as long as the run.
vep_cut_point Writer::toVep(const CutPoint &C) {
  std::vector<vep_binding> &Bs = Bindings.emplace_back();
  for (const CutBinding &B : C.Bindings)
    Bs.push_back({uint8_t(B.Kind), B.Where,
                  toVepLin(B.Form, Terms.emplace_back()), B.Map, B.Writes});
  std::vector<vep_lin> &Fs = Lins.emplace_back();
  for (const LinForm &F : C.Facts)
    Fs.push_back(toVepLin(F, Terms.emplace_back()));
  vep_cut_point P{};
  P.insn = C.Insn;
  P.n_exists = C.NumExists;
  P.n_bindings = uint32_t(Bs.size());
  P.bindings = Bs.data();
  P.n_facts = uint32_t(Fs.size());
  P.facts = Fs.data();
  P.has_rank = C.HasRank;
  P.rank = C.HasRank ? toVepLin(C.Rank, Terms.emplace_back()) : vep_lin{};
  P.init_lo = C.InitLo;
  P.init_hi = C.InitHi;
  std::vector<vep_ghost> &Gs = Ghosts.emplace_back();
  for (const CutGhost &G : C.Ghosts)
    Gs.push_back({G.Loop, toVepLin(G.Form, Terms.emplace_back())});
  P.n_ghosts = uint32_t(Gs.size());
  P.ghosts = Gs.data();
  return P;
}

bool Writer::cuts(const std::vector<CutPoint> &Cuts, uint32_t &N,
                  const vep_cut_point *&Out) {
  std::vector<const CutPoint *> Sorted;
  for (const CutPoint &C : Cuts)
    Sorted.push_back(&C);
  std::stable_sort(Sorted.begin(), Sorted.end(),
                   [](const CutPoint *A, const CutPoint *B) {
                     return A->Insn < B->Insn;
                   });
  std::vector<vep_cut_point> &Cs = CutPoints.emplace_back();
  for (const CutPoint *C : Sorted) {
    if (!Cs.empty() && Cs.back().insn == C->Insn) {
      Failure = "two cut points at instruction " + std::to_string(C->Insn);
      return false;
    }
    Cs.push_back(toVep(*C));
  }
  N = uint32_t(Cs.size());
  Out = Cs.data();
  return true;
}

bool Writer::programHeaders() {
  vep_elf Elf;
  if (vep_elf_read(&Elf, Object.data(), Object.size(), nullptr) !=
      VEP_ACCEPTED)
    return true; // no programs: the checker refuses the object itself
  // Programs sharing a section name (two SEC("xdp") functions) are told
  // apart by their rank among them.
  std::map<std::string, unsigned> SectionsSeen;
  for (uint32_t I = 0; (I = vep_elf_next_program(&Elf, I));) {
    vep_elf_section S = vep_elf_section_at(&Elf, I);
    unsigned Rank = SectionsSeen[S.name]++;
    const ProgramSpec *Spec = nullptr;
    for (const ProgramSpec &P : Programs)
      if (!Spec && P.Section == S.name && Rank-- == 0)
        Spec = &P;
    if (!Spec) {
      Failure = "program section '" + std::string(S.name) +
                "' has no specification";
      return false;
    }
    vep_program_header Out{};
    Out.insn_hash = vep_insn_hash(Elf.obj + S.offset, S.size);
    // Each disjunct is an alternative of the exit assertion: R0 = x1 with
    // the facts a*x1 + b >= 0 (docs/proof-format.md 7.6).
    std::vector<vep_cut_point> &Alternatives = CutPoints.emplace_back();
    for (const PostDisjunct &D : Spec->Post) {
      CutPoint A;
      A.NumExists = 1;
      A.Bindings.push_back({BindKind::Scalar, 0, LinForm::var(1)});
      for (const PostFact &F : D)
        A.Facts.push_back(F.A ? LinForm{F.B, {{1, F.A}}}
                              : LinForm::constant(F.B));
      Alternatives.push_back(toVep(A));
    }
    Out.n_posts = uint32_t(Alternatives.size());
    Out.posts = Alternatives.data();
    if (!cuts(Spec->Cuts, Out.n_cuts, Out.cuts))
      return false;
    ProgramHeaders.push_back(Out);
  }
  return true;
}

bool Writer::functionHeaders() {
  std::optional<SectionBytes> Text = findElfSection(Object, ".text");
  if (!Text && !Functions.empty()) {
    Failure = "the object has functions but no .text section";
    return false;
  }
  for (const FunctionSpec &F : Functions) {
    if (uint64_t(F.TextInsn) + F.NumInsns > Text->Size / 8) {
      Failure = "function '" + F.Name + "' lies outside .text";
      return false;
    }
    vep_function_header H{};
    H.text_insn = F.TextInsn;
    H.code.insn_hash = vep_insn_hash(Text->Data + size_t(F.TextInsn) * 8,
                                     size_t(F.NumInsns) * 8);
    H.pre = toVep(F.Pre);
    std::vector<vep_cut_point> &Post = CutPoints.emplace_back();
    Post.push_back(toVep(F.Post));
    H.code.n_posts = 1;
    H.code.posts = Post.data();
    if (!cuts(F.Cuts, H.code.n_cuts, H.code.cuts))
      return false;
    FunctionHeaders.push_back(H);
  }
  return true;
}

const char *whyNot(const FarkasResult &R) {
  switch (R.Outcome) {
  case FarkasOutcome::NotFound:
    return "not implied by the path's facts";
  case FarkasOutcome::Overflow:
    return "certificate too large for 128-bit arithmetic";
  case FarkasOutcome::Error:
    return R.Detail.c_str();
  case FarkasOutcome::Found:
    break;
  }
  return "found";
}

/// Hands C to the checker and records it: 1, or -1 without memory.
int Writer::answer(const FarkasCertificate &C, vep_cert &Out,
                   vep_arena &Scratch) {
  // Copies into the checker's arena, where the answer must live.
  auto Copy = [&](const std::vector<vep_cert_entry> &From) {
    auto *To = static_cast<vep_cert_entry *>(
        vep_arena_alloc(&Scratch, sizeof(vep_cert_entry) * (From.size() + 1),
                        alignof(vep_cert_entry)));
    if (To)
      std::copy(From.begin(), From.end(), To);
    return To;
  };
  std::vector<FarkasStep> Plain;
  if (C.Steps.empty()) // a plain certificate is one COMB step
    Plain.push_back({VEP_STEP_COMB, 0, 0, C.GoalMult, C.Entries});
  const std::vector<FarkasStep> &From = C.Steps.empty() ? Plain : C.Steps;
  auto *Steps = static_cast<vep_cert_step *>(vep_arena_alloc(
      &Scratch, sizeof(vep_cert_step) * From.size(), alignof(vep_cert_step)));
  bool Ok = Steps;
  for (size_t I = 0; Ok && I < From.size(); ++I) {
    const FarkasStep &S = From[I];
    Steps[I] = {S.Op, S.Var, S.K, S.GoalMult, uint32_t(S.Entries.size()),
                Copy(S.Entries)};
    Ok = Steps[I].entries;
  }
  if (!Ok) {
    Failure = "out of checker memory for a certificate";
    return -1;
  }
  Out.n_steps = uint32_t(From.size());
  Out.steps = Steps;
  vep_enc_answer_cert(&File, &Out);
  return 1;
}

/// Forging mode: a bogus certificate for the unprovable required question
/// Q (ProofWriteOptions::ForgeStyle says which), recorded in Forged.
int Writer::forge(const vep_question &Q, vep_cert &Out, vep_arena &Scratch) {
  FarkasCertificate Bogus;
  Bogus.GoalMult = 1;
  if (Options.Forgery == ProofWriteOptions::ForgeStyle::BestAttempt) {
    // The least slack s with `goal + s >= 0` provable: doubling, then
    // bisection (provability is monotone in s). Its certificate cancels
    // every variable of Q's goal and hypotheses; only the constant, s - 1
    // too large, is wrong.
    auto Slacked = [&](__int128 S, FarkasCertificate &C) {
      vep_lin G = Q.goal;
      if (__builtin_add_overflow(G.constant, S, &G.constant))
        return false;
      vep_question Q2 = Q;
      Q2.goal = G;
      FarkasResult R = Search.find(Q2);
      if (R.Outcome != FarkasOutcome::Found || R.Cert.GoalMult <= 0)
        return false;
      C = std::move(R.Cert);
      return true;
    };
    __int128 Lo = 0, Hi = 1; // goal + Lo not provable; find a provable Hi
    FarkasCertificate C;
    bool Found = false;
    for (int K = 0; K < 126 && !(Found = Slacked(Hi, C)); ++K)
      Lo = Hi, Hi *= 2;
    if (Found) {
      Bogus = C;
      while (Hi - Lo > 1) {
        __int128 Mid = Lo + (Hi - Lo) / 2;
        if (Slacked(Mid, C))
          Hi = Mid, Bogus = C;
        else
          Lo = Mid;
      }
    }
  }
  if (checkFarkasCertificate(Q, Bogus)) // the search missed it after all
    return answer(Bogus, Out, Scratch);
  ForgedAnswer F;
  F.Section = Q.unit ? Q.unit : "";
  F.Insn = Q.insn;
  F.Kind = Q.kind;
  F.Question = describeQuestion(Q);
  F.GoalMult = Bogus.GoalMult;
  F.Entries = Bogus.Entries;
  Forged.push_back(std::move(F));
  return answer(Bogus, Out, Scratch);
}

int Writer::prove(const vep_question &Q, vep_cert &Out, vep_arena &Scratch) {
  ++Questions;
  FarkasResult R = Search.find(Q);
  if (R.Outcome == FarkasOutcome::Found) {
    ++Certificates;
    return answer(R.Cert, Out, Scratch);
  }
  if (!Q.optional && Options.ForgeUnprovable &&
      R.Outcome != FarkasOutcome::Error)
    return forge(Q, Out, Scratch);
  if (Q.optional && R.Outcome != FarkasOutcome::Error) {
    if (Q.kind != VEP_GOAL_DEAD_PATH) {
      LastUnanswered =
          std::string(vep_goal_name(Q.kind)) + " " + describeQuestion(Q);
      LastUnansweredInsn = Q.insn;
    }
    vep_enc_answer_none(&File);
    return 0;
  }
  if (Failure.empty())
    Failure = std::string(vep_goal_name(Q.kind)) + " not proved (" + whyNot(R) +
              "): " + describeQuestion(Q) + nestingNote(Q.unit, Q.insn, Q.kind);
  return -1;
}

/// For a RANK_GHOST question, or a RANK_DECREASE at a loop with loops
/// inside it: which loops it is about, by source line.
std::string Writer::nestingNote(const char *Unit, uint32_t Insn,
                                vep_goal_kind Kind) const {
  const std::vector<CutPoint> *Cuts = nullptr;
  for (const ProgramSpec &P : Programs)
    if (Unit && P.Section == Unit)
      Cuts = &P.Cuts;
  for (const FunctionSpec &F : Functions)
    if (Unit && F.Name == Unit)
      Cuts = &F.Cuts;
  if (!Cuts)
    return "";
  std::string Outer, Inner; // lines of the ghosts' loops / of their heads
  unsigned Line = 0;
  for (const CutPoint &C : *Cuts) {
    Line = C.Insn == Insn ? C.Line : Line;
    for (const CutGhost &G : C.Ghosts) {
      if (C.Insn == Insn)
        Outer += (Outer.empty() ? "" : ", ") + std::to_string(G.Line);
      if (G.Loop == Insn)
        Inner += (Inner.empty() ? "" : ", ") + std::to_string(C.Line);
    }
  }
  if (Kind == VEP_GOAL_RANK_GHOST && !Outer.empty())
    return "; the loop at line " + std::to_string(Line) +
           " may increase the variant of an enclosing loop (line " + Outer +
           "): the variant of a loop must not grow in a loop inside it";
  if (Kind == VEP_GOAL_RANK_DECREASE && !Inner.empty())
    return "; if the back edge comes from a loop inside the loop at line " +
           std::to_string(Line) + " (line " + Inner +
           "), its variant must drop after that loop, or before it by steps "
           "of known size on every path (`v += 4`), or through a variable "
           "live there that keeps v's value from the outer head (`row = v`; "
           "docs/compiler.md, \"Nested loops\")";
  return "";
}

int proveCallback(void *Self, const vep_question *Q, vep_cert *Out,
                  vep_arena *Scratch) {
  return static_cast<Writer *>(Self)->prove(*Q, *Out, *Scratch);
}

/// "<section> insn <i>: <what>", by default the checker's reason.
std::string describeFailure(const vep_result &Res, const char *What = nullptr) {
  std::string S = Res.program[0] ? std::string(Res.program) : "<object>";
  return S + " insn " + std::to_string(Res.insn) + ": " +
         (What ? What : Res.reason);
}

/// The table as vep_check_object takes it (NULL for none).
struct MapTableView {
  vep_map_table Table;
  explicit MapTableView(const std::vector<vep_map_def> &Maps)
      : Table{uint32_t(Maps.size()), Maps.data()} {}
  const vep_map_table *get() const { return Table.n_maps ? &Table : nullptr; }
};

/// Checking mode on the written bytes, exactly as vep-check runs it.
bool selfCheck(const std::vector<uint8_t> &Object,
               const std::vector<uint8_t> &Proof,
               const std::vector<vep_map_def> &Maps, std::string &Error,
               CheckerRefusal &Refusal) {
  vep_result Res{};
  Arena Mem;
  vep_proof_reader Reader{};
  if (vep_proof_reader_init(&Reader, Proof.data(), Proof.size(), Mem.get(),
                            &Res) != VEP_ACCEPTED) {
    Error =
        "internal error: self-check: proof header: " + std::string(Res.reason);
    return false;
  }
  MapTableView Table(Maps);
  vep_status St = vep_check_object(Object.data(), Object.size(), Table.get(),
                                   &Reader.headers, &Reader.source, Mem.get(),
                                   &Res);
  if (St == VEP_ACCEPTED)
    St = vep_proof_reader_finish(&Reader, &Res);
  if (St != VEP_ACCEPTED) {
    Error = "internal error: self-check: " + describeFailure(Res);
    Refusal = {Res.program, Res.insn, Res.reason};
    return false;
  }
  return true;
}

} // namespace

vep_lin toVepLin(const LinForm &F, std::vector<vep_lin_term> &Storage) {
  Storage.clear();
  for (const LinForm::Term &T : F.Terms)
    Storage.push_back({T.Var, T.Coeff});
  return vep_lin{F.Constant, uint32_t(Storage.size()), Storage.data()};
}

std::optional<SectionBytes> findElfSection(const std::vector<uint8_t> &Object,
                                           const std::string &Name,
                                           unsigned Occurrence) {
  vep_elf Elf;
  if (vep_elf_read(&Elf, Object.data(), Object.size(), nullptr) != VEP_ACCEPTED)
    return std::nullopt;
  uint32_t I = vep_elf_find_section(&Elf, Name.c_str(), 0);
  for (; I && Occurrence; --Occurrence)
    I = vep_elf_find_section(&Elf, Name.c_str(), I);
  if (!I)
    return std::nullopt;
  vep_elf_section S = vep_elf_section_at(&Elf, I);
  if (S.type == 8 /* SHT_NOBITS */)
    return SectionBytes{Object.data(), 0};
  return SectionBytes{Object.data() + S.offset, size_t(S.size)};
}

void proofSpecs(const std::vector<CompiledProgram> &Compiled,
                std::vector<ProgramSpec> &Programs,
                std::vector<FunctionSpec> &Functions) {
  Programs.clear();
  Functions.clear();
  uint32_t TextInsn = 0;
  for (const CompiledProgram &P : Compiled) {
    if (!P.isTextFunction()) {
      Programs.push_back({P.Section, P.Post, P.Cuts});
      continue;
    }
    Functions.push_back({P.Name, TextInsn, uint32_t(P.Insns.size()), P.FuncPre,
                         P.FuncPost, P.Cuts});
    TextInsn += uint32_t(P.Insns.size());
  }
}

namespace {

/// The instructions control can go to from I in one step within its unit
/// (a bpf-to-bpf call returns to the next one; the callee's paths are its
/// own).
std::vector<uint32_t> successorsOf(const std::vector<BpfInsn> &Insns, uint32_t I) {
  const BpfInsn &In = Insns[I];
  uint8_t Class = bpf::insnClass(In.Code), Op = bpf::opOf(In.Code);
  if (bpf::isLddw(In))
    return {I + 2};
  if ((Class != bpf::JMP && Class != bpf::JMP32) || Op == bpf::CALL)
    return {I + 1};
  if (Op == bpf::EXIT)
    return {};
  uint32_t Target = uint32_t(int64_t(I) + 1 + In.Off);
  return Op == bpf::JA ? std::vector<uint32_t>{Target}
                       : std::vector<uint32_t>{I + 1, Target};
}

bool isCutInsn(const CompiledProgram &P, uint32_t I) {
  return std::any_of(P.Cuts.begin(), P.Cuts.end(),
                     [&](const CutPoint &C) { return C.Insn == I; });
}

/// The cut points (0: the entry; else a loop head's instruction) a path
/// can start from to reach `To`: executing it, or with Arriving, arriving
/// at the cut point `To`; a path ends where it arrives at any cut point.
std::vector<uint32_t> pathStarts(const CompiledProgram &P, uint32_t To,
                                 bool Arriving) {
  std::vector<uint32_t> Starts{0};
  for (const CutPoint &C : P.Cuts)
    Starts.push_back(C.Insn);
  std::vector<uint32_t> Found;
  for (uint32_t S : Starts) {
    if (!Arriving && S == To)
      return {S}; // a path executes a cut point's instruction only from it
    std::vector<bool> Seen(P.Insns.size());
    std::vector<uint32_t> Work = successorsOf(P.Insns, S);
    bool Reached = false;
    while (!Work.empty() && !Reached) {
      uint32_t N = Work.back();
      Work.pop_back();
      if (N >= P.Insns.size() || Seen[N])
        continue;
      Seen[N] = true;
      Reached = N == To;
      if (isCutInsn(P, N))
        continue;
      for (uint32_t M : successorsOf(P.Insns, N))
        Work.push_back(M);
    }
    if (Reached)
      Found.push_back(S);
  }
  return Found;
}

/// The C location instruction I was generated for (a slot without one
/// belongs to the statement before it); the function's header for none.
cir::Loc locOf(const CompiledProgram &P, uint32_t I) {
  for (uint32_t K = std::min<uint32_t>(I + 1, uint32_t(P.Locs.size())); K-- > 0;)
    if (P.Locs[K].Line)
      return P.Locs[K];
  return P.L;
}

std::string at(const std::string &File, cir::Loc L) {
  return File + ":" + std::to_string(L.Line) + ":" + std::to_string(L.Col);
}

/// "the entry of f" or "the loop head at line 12 (Inv ... Variant ...)".
std::string describeCut(const CompiledProgram &P, uint32_t Insn) {
  if (Insn == 0)
    return "the entry of " + P.Name + " (line " + std::to_string(P.L.Line) + ")";
  for (const CutPoint &C : P.Cuts) {
    if (C.Insn != Insn)
      continue;
    std::string S = "the loop head at line " + std::to_string(C.Line);
    if (!C.Text.empty()) {
      // Text[0] is "loop head, line N: Inv ... Variant ..." (LoopLowering).
      size_t Colon = C.Text[0].find(": ");
      S += " (" + (Colon == std::string::npos ? C.Text[0] : C.Text[0].substr(Colon + 2)) + ")";
    }
    return S;
  }
  return "the cut point at insn " + std::to_string(Insn);
}

/// The number after `Prefix` in the checker's reason, if any.
std::optional<uint32_t> numberAfter(const std::string &Reason, const std::string &Prefix) {
  size_t At = Reason.find(Prefix);
  if (At == std::string::npos)
    return std::nullopt;
  At += Prefix.size();
  size_t End = At;
  while (End < Reason.size() && std::isdigit(static_cast<unsigned char>(Reason[End])))
    ++End;
  if (End == At || End - At > 9)
    return std::nullopt;
  return uint32_t(std::stoul(Reason.substr(At, End - At)));
}

} // namespace

std::string describeRefusalSite(const std::vector<CompiledProgram> &Compiled,
                                const CheckerRefusal &R,
                                const std::string &File) {
  auto Unit = std::find_if(Compiled.begin(), Compiled.end(), [&](const CompiledProgram &P) {
    return P.isTextFunction() ? P.Name == R.Unit : P.Section == R.Unit;
  });
  if (Unit == Compiled.end())
    return "";
  const CompiledProgram &P = *Unit;
  // The assertion the path was heading to: the checker's label before its
  // message (cut.c: "cut point N: ", "postcondition of U: ",
  // "precondition of f: ").
  std::string Target;
  uint32_t To = std::min<uint32_t>(R.Insn, uint32_t(P.Insns.size()));
  bool Arriving = false;
  cir::Loc L = locOf(P, To);
  if (std::optional<uint32_t> Cut = numberAfter(R.Reason, "cut point ");
      Cut && *Cut < P.Insns.size()) {
    To = *Cut;
    Arriving = true;
    Target = describeCut(P, To);
    L = locOf(P, To);
  } else if (R.Reason.find("postcondition of ") != std::string::npos) {
    Target = "the exit at line " + std::to_string(L.Line) + " (the postcondition of " + P.Name + ")";
  } else if (R.Reason.find("precondition of ") != std::string::npos && To < P.Insns.size()) {
    for (const CallRelocation &C : P.CallRelocs)
      if (C.Insn == To)
        Target = "the call of " + C.Name + " at line " + std::to_string(L.Line) +
                 " (its precondition)";
  }
  std::string Starts;
  if (To < P.Insns.size())
    for (uint32_t S : pathStarts(P, To, Arriving))
      Starts += (Starts.empty() ? "" : " or ") + describeCut(P, S);
  std::string Note = at(File, L) + ": note: ";
  Note += Target.empty() ? "in the statement at line " + std::to_string(L.Line) + ", on the path"
                         : "on the path to " + Target;
  return Note + (Starts.empty() ? "" : " from " + Starts);
}

/// The checker's row of a map declared in the program (its name already
/// checked to fit).
static vep_map_def mapDef(const cir::MapDef &M) {
  vep_map_def D{};
  std::memcpy(D.name, M.Name.data(), M.Name.size());
  D.type = M.MapType;
  D.key_size = M.KeySize;
  D.value_size = M.ValueSize;
  D.max_entries = M.MaxEntries;
  D.flags = M.Flags;
  return D;
}

bool mapTable(const std::vector<cir::MapDef> &Maps,
              std::vector<vep_map_def> &Out, std::string &Err,
              const std::vector<cir::GlobalVar> &Globals) {
  Out.clear();
  if (Maps.size() > VEP_MAX_MAPS) {
    Err = "not supported yet: more than " + std::to_string(VEP_MAX_MAPS) +
          " maps";
    return false;
  }
  for (const cir::MapDef &M : Maps) {
    if (M.Name.size() > VEP_MAX_NAME) {
      Err = "not supported yet: map name '" + M.Name + "' longer than " +
            std::to_string(VEP_MAX_NAME) + " bytes";
      return false;
    }
    Out.push_back(mapDef(M));
  }
  // libbpf's internal maps, after the others (vep_map_table_from_object
  // names them by section).
  for (const GlobalSection &G : globalSections(Globals)) {
    if (Out.size() == VEP_MAX_MAPS || G.Size > VEP_MAX_MAP_BYTES) {
      Err = "not supported yet: more than " + std::to_string(VEP_MAX_MAPS) +
            " maps or a section of globals larger than 1 MiB";
      return false;
    }
    vep_map_def D{};
    std::strcpy(D.name, cir::sectionName(G.Sec));
    D.type = 2; // BPF_MAP_TYPE_ARRAY
    D.key_size = 4;
    D.value_size = uint32_t(G.Size);
    D.max_entries = 1;
    // As libbpf sets them: BPF_F_RDONLY_PROG for `.rodata`, BPF_F_MMAPABLE
    // unless every variable is static.
    D.flags = G.Sec == cir::GlobalVar::Section::Rodata ? 0x80 : 0;
    for (const cir::GlobalVar &V : Globals)
      if (V.Sec == G.Sec && !V.Static)
        D.flags |= 0x400;
    Out.push_back(D);
  }
  // The inner templates of maps of maps, last, in the order of their maps
  // (as vep_map_table_from_object appends libbpf's).
  for (size_t I = 0; I < Maps.size(); ++I) {
    if (!Maps[I].Inner)
      continue;
    const cir::MapDef &T = *Maps[I].Inner;
    if (Out.size() == VEP_MAX_MAPS || T.Name.size() > VEP_MAX_NAME) {
      Err = "not supported yet: more than " + std::to_string(VEP_MAX_MAPS) +
            " maps with the inner maps' templates, or a template name "
            "longer than " +
            std::to_string(VEP_MAX_NAME) + " bytes";
      return false;
    }
    Out[I].inner = uint32_t(Out.size());
    Out.push_back(mapDef(T));
  }
  return true;
}

ProofWriteResult writeProof(const std::vector<uint8_t> &Object,
                            const std::vector<ProgramSpec> &Programs,
                            const std::vector<vep_map_def> &Maps,
                            const ProofWriteOptions &Options,
                            const std::vector<FunctionSpec> &Functions) {
  auto Start = std::chrono::steady_clock::now();
  ProofWriteResult Result;
  auto Finish = [&]() -> ProofWriteResult {
    Result.Millis = std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - Start)
                        .count();
    return std::move(Result);
  };

  Writer W(Object, Programs, Functions, Options);
  if (!W.programHeaders() || !W.functionHeaders()) {
    Result.Error = "internal error: " + W.Failure;
    return Finish();
  }
  vep_proof_headers Headers = W.headers();
  vep_enc_headers(&W.File, &Headers);
  vep_proof_source Src{&W, proveCallback};
  vep_result Res{};
  Arena Mem;
  MapTableView Table(Maps);
  vep_status St = vep_check_object(Object.data(), Object.size(), Table.get(),
                                   &Headers, &Src, Mem.get(), &Res);
  Result.Questions = W.Questions;
  Result.Certificates = W.Certificates;
  Result.Forged = W.Forged;
  auto Assemble = [&]() {
    if (!W.File.oom)
      Result.Proof.assign(W.File.data, W.File.data + W.File.len);
    return !W.File.oom;
  };
  if (St != VEP_ACCEPTED) {
    if (!W.Forged.empty()) {
      // The checker refused the forged answer (the last one written).
      Result.Error = "forged: " + describeFailure(Res);
    } else {
      // When our source gave up, the checker only knows the source failed;
      // say which obligation could not be proved instead.
      Result.Error = "internal error: " +
                     describeFailure(Res, W.Failure.empty() ? nullptr
                                                            : W.Failure.c_str());
      Result.Refusal = {Res.program, Res.insn, Res.reason};
      if (W.Failure.empty() && !W.LastUnanswered.empty() &&
          W.LastUnansweredInsn == Res.insn)
        Result.Error += " (no certificate for " + W.LastUnanswered + ")";
      // A rank question the checker decided itself (a constant goal).
      std::string Rule(Res.reason);
      if (W.Failure.empty() && Rule.rfind("rank_ghost:", 0) == 0)
        Result.Error +=
            W.nestingNote(Res.program, Res.insn, VEP_GOAL_RANK_GHOST);
      if (W.Failure.empty() && Rule.rfind("rank_decrease:", 0) == 0)
        Result.Error +=
            W.nestingNote(Res.program, Res.insn, VEP_GOAL_RANK_DECREASE);
    }
    // Forging mode hands out the proof up to the rejection: what an
    // attacker would ship.
    if (Options.ForgeUnprovable && !Assemble())
      Result.Error = "internal error: out of memory while encoding the proof";
    return Finish();
  }
  if (!Assemble()) {
    Result.Error = "internal error: out of memory while encoding the proof";
    return Finish();
  }
  if (!selfCheck(Object, Result.Proof, Maps, Result.Error, Result.Refusal))
    return Finish();
  Result.Ok = true;
  return Finish();
}

} // namespace vep::compiler
