//===- ProofWriter.h - The oracle that writes proof files -------*- C++ -*-===//
//
// The proof writer runs the trusted checker core (vep/check.h) in writing
// mode: it plugs in a proof source that *finds* the answers the checker asks
// for and records them, in order, with the proof encoder. The recorded bytes
// are the proof file. Because the checker asks the questions, writer and
// checker cannot disagree about which obligations exist; because the checker
// verifies every answer, a wrong answer here only causes a rejection.
//
// The arithmetic answers are Farkas certificates. FarkasSearch finds them by
// solving the dual linear program exactly with Z3 over the reals and scaling
// the rational multipliers to integers; it is exposed here for tests and
// tools.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_COMPILER_PROOFWRITER_H
#define VEP_COMPILER_PROOFWRITER_H

#include "vep/object.h"
#include "vep/cir/CIR.h"
#include "vep/compiler/CutPoint.h"
#include "vep/compiler/PostCondition.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vep::compiler {

/// What the writer serves as the header of one program: found by section
/// name; its instruction hash is computed from the object itself. Cuts are
/// the program's cut points (CompiledProgram::Cuts), handed to the checker
/// as vep_cut_point in the order of their instruction indices.
struct ProgramSpec {
  std::string Section;
  PostCondition Post;
  std::vector<CutPoint> Cuts;
};

/// What the writer serves as one entry of the checker's function table
/// (vep_function_header): the function at instructions [TextInsn, TextInsn
/// + NumInsns) of `.text` (its instruction hash is computed from the object
/// itself), its contract and its loops' cut points (instructions counted
/// from its first). The table lists them in `.text` order, which
/// compileModule makes an order where a function calls only later ones.
struct FunctionSpec {
  std::string Name;
  uint32_t TextInsn = 0, NumInsns = 0;
  CutPoint Pre, Post;
  std::vector<CutPoint> Cuts;
};

struct CompiledProgram; // CodeGen.h

/// The writer's specs of a compiled module (compileModule's output): one
/// ProgramSpec per entry point, one FunctionSpec per `.text` function.
void proofSpecs(const std::vector<CompiledProgram> &Compiled,
                std::vector<ProgramSpec> &Programs,
                std::vector<FunctionSpec> &Functions);

/// The checker's form of a linear form. Terms are stored in `Storage`,
/// which must outlive the result.
vep_lin toVepLin(const LinForm &F, std::vector<vep_lin_term> &Storage);

/// How writeProof runs. The default writes real proofs; everything else is
/// for testing the checker (tests/ForgedProofTest.cpp) and must never be
/// used to produce a proof for loading.
struct ProofWriteOptions {
  /// Forging mode: a *required* question (ACCESS_LOW/HIGH, CUT_*, RANK_*)
  /// that no certificate proves is answered with a bogus certificate, of
  /// style `Forgery`, instead of ending the run; the answer is recorded in
  /// ProofWriteResult::Forged. The checker runs rule check_farkas on it in
  /// writing mode too, so the run stops right there: the result then has
  /// Ok = false, exactly one forged answer, and in Proof the proof file up to
  /// and including that answer (what an attacker would ship), which the
  /// checker must reject at the question's instruction. A program whose
  /// questions are all provable is written as without forging. When the
  /// checker refuses by a rule rather than for an unproved obligation (a
  /// nullable map value dereferenced, a helper it does not allow), there is
  /// nothing to forge: Forged stays empty, Error is the internal error, and
  /// Proof is again the proof file up to the refusal.
  bool ForgeUnprovable = false;
  enum class ForgeStyle {
    /// The certificate of the smallest slack s >= 1 for which `goal + s >= 0`
    /// is provable: every variable cancels and the constant misses by s - 1
    /// (check_farkas: "constant of the combination is not negative"); when
    /// no slack below 2^126 helps, Empty.
    BestAttempt,
    /// goal_mult 1 and no entries ("variable coefficients do not cancel").
    Empty,
  };
  ForgeStyle Forgery = ForgeStyle::BestAttempt;
};

/// A bogus answer written in forging mode.
struct ForgedAnswer {
  std::string Section; ///< who asked: a section, or a function's symbol
  uint32_t Insn = 0;   ///< the question's instruction
  vep_goal_kind Kind = VEP_GOAL_ACCESS_LOW;
  std::string Question; ///< describeQuestion of it
  __int128 GoalMult = 0;
  std::vector<vep_cert_entry> Entries; ///< the certificate written
};

/// The checker's refusal of a unit: who (a program's section or a `.text`
/// function's symbol, as vep_result.program), at which instruction (counted
/// from the unit's first) and why (vep_result.reason).
struct CheckerRefusal {
  std::string Unit;
  uint32_t Insn = 0;
  std::string Reason;
};

struct ProofWriteResult {
  bool Ok = false;
  std::vector<uint8_t> Proof; ///< the proof file bytes (complete only if Ok)
  /// When !Ok: "internal error: <section> insn <i>: <what>", where <what> is
  /// the checker's reason, followed by the unproved obligation if one caused
  /// it; in forging mode with a forged answer: "forged: <section> insn <i>:
  /// <the checker's reason>".
  std::string Error;
  /// When !Ok because the checker refused the program (not for a forged
  /// answer): what it said, for describeRefusalSite; Unit empty otherwise.
  CheckerRefusal Refusal;
  unsigned Questions = 0;    ///< questions the checker asked
  unsigned Certificates = 0; ///< of those, answered with a certificate
  double Millis = 0;         ///< wall time of writing plus the self-check
  /// Forging mode only: the forged answers (at most one, see
  /// ProofWriteOptions::ForgeUnprovable).
  std::vector<ForgedAnswer> Forged;
};

/// Runs the checker core on `Object` with a searching proof source and
/// returns the recorded proof. Maps is the map table the checker gets (the
/// maps of the object's `.maps`, as mapTable gives them for the module the
/// object was written from); Functions the function table (empty without
/// `.text`). Ok only if the checker accepted while writing and the checker,
/// re-run in checking mode on the produced bytes with the same table,
/// accepts them too.
ProofWriteResult writeProof(const std::vector<uint8_t> &Object,
                            const std::vector<ProgramSpec> &Programs,
                            const std::vector<vep_map_def> &Maps = {},
                            const ProofWriteOptions &Options = {},
                            const std::vector<FunctionSpec> &Functions = {});

/// Where in the C source a refusal of the compiler's own output lies, as
/// one line "<File>:<line>:<col>: note: ..." naming the cut point the
/// failing path was heading to (a loop head with its invariant, the exit's
/// postcondition, the precondition of a called function: the checker's
/// reason names it) and the cut points it may have started from (the entry,
/// loop heads: those that reach the refused instruction without passing
/// another cut point), or, when the path failed between cut points, the
/// statement the refused instruction was generated for. The location is the
/// target's, or the statement's when there is none. Compiled is what
/// compileModule produced (instructions and CompiledProgram::Locs); empty
/// when R names no unit of it.
std::string describeRefusalSite(const std::vector<CompiledProgram> &Compiled,
                                const CheckerRefusal &R,
                                const std::string &File);

/// The checker's map table for a module's maps (name, type, sizes, entries,
/// flags), in definition order, which is the order of `.maps`, followed by
/// libbpf's internal map of each section of Globals (globalSections: named
/// by the section, one value of its size, flags as libbpf sets them:
/// `.rodata` BPF_F_RDONLY_PROG, BPF_F_MMAPABLE unless all its variables
/// are static), then the inner template of each map of maps, in the order
/// of those (named "<map>.inner", as libbpf names it; the map's `inner`).
/// False with Err "not supported yet: ..." for a name longer than
/// VEP_MAX_NAME bytes or more than VEP_MAX_MAPS maps.
bool mapTable(const std::vector<cir::MapDef> &Maps,
              std::vector<vep_map_def> &Out, std::string &Err,
              const std::vector<cir::GlobalVar> &Globals = {});

//===-- Farkas certificates -----------------------------------------------===//

/// An owned vep_cert: nonnegative multipliers such that
///   sum(Mult * hyps[Hyp]) + GoalMult * (-goal - 1)
/// has all variable coefficients zero and a negative constant.
/// When Steps is not empty the certificate is a derivation instead
/// (docs/proof-format.md 7.7: COMB, ROUND and SPLIT steps, in order) and
/// GoalMult and Entries are unused.
struct FarkasStep {
  uint8_t Op = VEP_STEP_COMB;
  uint32_t Var = 0; ///< SPLIT
  __int128 K = 0;   ///< SPLIT
  __int128 GoalMult = 0;
  std::vector<vep_cert_entry> Entries;
};

struct FarkasCertificate {
  __int128 GoalMult = 0;
  std::vector<vep_cert_entry> Entries; ///< sorted by hypothesis, Mult > 0
  std::vector<FarkasStep> Steps;
};

enum class FarkasOutcome {
  Found,    ///< a certificate was found (and checked)
  NotFound, ///< the rational relaxation does not imply the goal
  Overflow, ///< implied, but the certificate overflows 128-bit arithmetic
  Error,    ///< malformed question or solver failure
};

struct FarkasResult {
  FarkasOutcome Outcome = FarkasOutcome::NotFound;
  FarkasCertificate Cert; ///< valid when Outcome == Found
  std::string Detail;     ///< for Error: what went wrong
};

/// Searches Farkas certificates. Holds one Z3 context and solver (reused
/// with push/pop for speed), so it is not thread-safe. An answer depends on
/// the question and, through the solver's internal state, on the sequence of
/// earlier questions asked of this object: two searches fed the same
/// sequence give the same answers (no time limits, no addresses, no hashing
/// order), which is what makes written proofs reproducible.
class FarkasSearch {
public:
  FarkasSearch();
  ~FarkasSearch();
  FarkasSearch(const FarkasSearch &) = delete;
  FarkasSearch &operator=(const FarkasSearch &) = delete;

  FarkasResult find(const vep_question &Q);

  struct Stats {
    unsigned Questions = 0;
    unsigned FastPath = 0;   ///< answered without Z3
    unsigned SolverRuns = 0; ///< linear programs sent to Z3
    unsigned Derivations = 0; ///< certificates with ROUND or SPLIT steps
  };
  const Stats &stats() const { return St; }

private:
  struct Impl;
  struct Node;
  /// A plain Farkas certificate (shortcuts, then the linear programs).
  FarkasResult findPlain(const vep_question &Q);
  /// Over the integers, when the rational relaxation has no certificate:
  /// ROUND steps for the facts that rounding tightens, then branch and
  /// bound on a fractional variable of the relaxation's solution.
  FarkasResult findInteger(const vep_question &Q);
  bool refute(Node &N, unsigned Depth);
  std::unique_ptr<Impl> P;
  std::unique_ptr<FarkasSearch> Sub; ///< where findInteger searches
  Stats St;
};

/// True iff the checker accepts C as an answer to Q: a thin wrapper over
/// vep_check_cert (rule check_farkas), so certificates are tested with the
/// very code, and the same overflow-checked arithmetic in the same order,
/// that the checker runs on them.
bool checkFarkasCertificate(const vep_question &Q, const FarkasCertificate &C);

/// Readable forms for diagnostics: "3 + 2*v1 - v4" and
/// "prove -14 - v1 + v2 >= 0 from v1 >= 0, ..." (the goal's kind is named
/// by vep_goal_name).
std::string formatLin(const vep_lin &L);
std::string describeQuestion(const vep_question &Q);
std::string formatInt128(__int128 V);

/// The bytes of the section named `Name` in an eBPF object (the
/// `Occurrence`-th one, from 0, when several have that name, as two
/// `SEC("xdp")` programs do), or nullopt if the object has no such section
/// or is malformed: read by vep_object's reader (vep_elf_read), as the
/// checker reads it.
struct SectionBytes {
  const uint8_t *Data = nullptr;
  size_t Size = 0;
};
std::optional<SectionBytes> findElfSection(const std::vector<uint8_t> &Object,
                                           const std::string &Name,
                                           unsigned Occurrence = 0);

} // namespace vep::compiler

#endif // VEP_COMPILER_PROOFWRITER_H
