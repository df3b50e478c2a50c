//===- ForgedProofTest.cpp - Forged proofs for the unsafe examples --------===//
//
// An attacker skips vep-c, compiles an unsafe program anyway and ships a
// proof with a made-up answer for the obligation that cannot be proved. For
// every example in examples/unsafe/: the front end (buildModule), the code
// generator (compileFunction) and the ELF writer (writeObject) build the
// object without verification; the proof writer in forging mode
// (ProofWriteOptions::ForgeUnprovable) answers the unprovable question with
// a bogus certificate, in both styles (the best attempt, which misses only
// by its constant, and an empty one); vep-check must reject the pair
// (exit 1) where the example's expected-error marker says, with a
// check_farkas reason. Where the checker refuses by a rule rather than for
// an unproved obligation (a nullable map value dereferenced, a helper it
// does not allow), or the obligation is a false constant (an access at a
// fixed offset past the end), there is nothing to forge: the proof up to
// the refusal must be rejected at the expected-error line.
//
// Not every unsafe example is unsafe bytecode: some are undefined in C but
// defined in eBPF (division by zero gives 0, shift amounts are masked,
// signed arithmetic wraps). vep-c rightly rejects them (the C program has
// no meaning), but their bytecode is safe, so the checker rightly accepts
// it with an honest proof. The table Classified says which example is
// which, and why; every example must be in it.
//
// Controls, so that the checks cannot pass vacuously: without forging the
// proof writer refuses each bytecode-unsafe program; the same tooling on a
// safe example forges nothing and vep-check accepts its proof (exit 0).
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"
#include "vep/check.h"
#include "vep/compiler/CodeGen.h"
#include "vep/compiler/ProofWriter.h"
#include "vep/frontend/Frontend.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

namespace fs = std::filesystem;
using namespace vep;
using namespace vep::test;
using vep::compiler::ProofWriteOptions;

namespace {

/// An example compiled without verification: its programs and object.
struct Unverified {
  std::vector<compiler::CompiledProgram> Progs;
  std::vector<compiler::ProgramSpec> Specs;
  std::vector<compiler::FunctionSpec> Functions;
  std::vector<uint8_t> Object;
  std::vector<vep_map_def> Maps;
};

Unverified compileUnverified(const fs::path &Source) {
  Unverified U;
  cir::Module M;
  std::vector<frontend::Diagnostic> Errors;
  bool Built = frontend::buildModule(Source.string(), {}, M, Errors);
  EXPECT_TRUE(Built) << (Errors.empty() ? "" : Errors[0].Message);
  EXPECT_FALSE(M.Functions.empty());
  std::string Err;
  EXPECT_TRUE(compiler::compileModule(M, U.Progs, Err)) << Err;
  compiler::proofSpecs(U.Progs, U.Specs, U.Functions);
  U.Object = compiler::writeObject(U.Progs, M.License, M.Maps, M.Globals);
  EXPECT_TRUE(compiler::mapTable(M.Maps, U.Maps, Err, M.Globals)) << Err;
  return U;
}

/// The compiled entry point or `.text` function the checker names `Name`
/// in its reasons (a section name, or a function's symbol).
const compiler::CompiledProgram *compiledNamed(const Unverified &U,
                                               const std::string &Name) {
  for (const compiler::CompiledProgram &P : U.Progs)
    if ((P.isTextFunction() ? P.Name : P.Section) == Name)
      return &P;
  return nullptr;
}

ProofWriteOptions forging(ProofWriteOptions::ForgeStyle Style) {
  ProofWriteOptions O;
  O.ForgeUnprovable = true;
  O.Forgery = Style;
  return O;
}

/// vep-check on (Object, Proof) written into a scratch directory.
CommandResult vepCheck(const std::string &Scratch,
                       const std::vector<uint8_t> &Object,
                       const std::vector<uint8_t> &Proof) {
  fs::path Dir = scratchDir(Scratch);
  writeBytes(Dir / "prog.o", Object);
  writeBytes(Dir / "prog.proof", Proof);
  return run(quote((binDir() / "vep-check").string()) + " " +
             quote((Dir / "prog.o").string()) + " " +
             quote((Dir / "prog.proof").string()));
}

/// What vep-check must do with an unsafe example's bytecode.
enum class Bytecode {
  /// A memory access that may be out of bounds: the forged answer is an
  /// ACCESS_LOW/HIGH question at a load or store of the marker's line.
  UnsafeAccess,
  /// A loop that may not end: the forged answer is a RANK_* question,
  /// asked where the loop returns to its head, which the line table maps
  /// to the loop statement: the line after the marker (the examples write
  /// the invariant, where vep-c reports, on the line before the loop).
  UnsafeTermination,
  /// A bpf-to-bpf call whose callee's precondition may not hold: the
  /// forged answer is a CUT_FACT or CUT_BINDING question of the callee's
  /// pre, asked at the call instruction of the marker's line.
  UnsafeCall,
  /// Refused with nothing to forge: by a checker rule, or for a bounds
  /// goal that is a false constant (a fixed offset past the end, which no
  /// certificate proves; the forger leaves it unanswered). vep-check
  /// rejects the proof up to the refusal at an instruction of the
  /// marker's line.
  UnsafeRefused,
  /// Undefined in C, defined in eBPF: the honest proof writer proves the
  /// bytecode and vep-check accepts it.
  CLevelOnly,
};

struct Classification {
  const char *File;
  Bytecode Kind;
  const char *Why;
};

const Classification Classified[] = {
    {"average_size_div_zero.c", Bytecode::CLevelOnly,
     "eBPF defines division by zero: an unsigned quotient of 0"},
    {"byte_counter_int_overflow.c", Bytecode::CLevelOnly,
     "eBPF arithmetic wraps modulo 2^32 / 2^64; the sum is a scalar"},
    {"protocol_mask_shift.c", Bytecode::CLevelOnly,
     "eBPF masks a 32-bit shift amount to its low 5 bits"},
    {"udp_port_result_ignored.c", Bytecode::CLevelOnly,
     "vepcc sets an undef_data_at argument to zero before the call (the "
     "checker wants a stack buffer's bytes initialised), so the value C "
     "leaves indeterminate is 0"},
    {"memchr_off_by_one.c", Bytecode::CLevelOnly,
     "a functional contract fails; the checker sees the contract without "
     "its content facts, which the bytecode meets"},
    {"helper_not_allowed.c", Bytecode::UnsafeRefused,
     "the helper is not in the checker's helper table for XDP"},
    {"map_arguments_swapped.c", Bytecode::UnsafeRefused,
     "the helper's map argument is a stack pointer, not a map"},
    {"map_key_too_small.c", Bytecode::UnsafeRefused,
     "the helper reads key_size bytes of stack, two of them uninitialised"},
    {"null_map_value.c", Bytecode::UnsafeRefused,
     "a map value that may be null is dereferenced"},
    {"inner_map_unchecked.c", Bytecode::UnsafeRefused,
     "a map of maps' lookup result that may be null is a helper's map "
     "argument"},
    {"inner_value_overflow.c", Bytecode::UnsafeRefused,
     "an atomic add past the value size of the inner maps' template"},
    {"atomic_on_null_value.c", Bytecode::UnsafeRefused,
     "an atomic compare-and-swap on a map value that may be null"},
    {"pointer_into_map.c", Bytecode::UnsafeRefused,
     "a pointer is stored into a map value"},
    {"timestamp_truncated.c", Bytecode::UnsafeRefused,
     "the helper reads value_size bytes of stack, four uninitialised"},
    {"precedence_nibble_index.c", Bytecode::CLevelOnly,
     "an index past a local array: vepcc's code compares it with each "
     "element's index but the last, which it takes for every other value "
     "(VEP-C proved no other one reaches it)"},
    {"flow_field_unwritten.c", Bytecode::UnsafeRefused,
     "the field is a variable no statement wrote: vep-check refuses its "
     "read at the compare"},
    {"lowercase_name_unwritten.c", Bytecode::UnsafeRefused,
     "the name's variables are packed into the function's stack buffer on "
     "a path where no statement wrote them: vep-check refuses the read"},
    {"flow_key_padding.c", Bytecode::UnsafeRefused,
     "the helper reads key_size bytes of stack, the padding byte "
     "uninitialised"},
    {"flow_tuple_padding.c", Bytecode::UnsafeRefused,
     "the helper reads the 16 bytes of the key's stack buffer, the padding "
     "bytes uninitialised"},
    {"probe_read_size_in_bits.c", Bytecode::UnsafeRefused,
     "bpf_probe_read_kernel would write past the top of the stack frame"},
    {"verdict_uninitialised.c", Bytecode::UnsafeRefused,
     "the unassigned variable's register holds whatever it last held (a "
     "pointer, with vepcc's allocation), and R0 must be a scalar at exit"},
    {"skb_load_too_small.c", Bytecode::UnsafeRefused,
     "bpf_skb_load_bytes would write past the top of the stack frame"},
    {"socket_reads_data.c", Bytecode::UnsafeRefused,
     "socket filters may not read __sk_buff's data field (no packet access)"},
    {"tc_writes_len.c", Bytecode::UnsafeRefused,
     "__sk_buff's len field is read-only for tc programs"},
    {"kprobe_skb_load_bytes.c", Bytecode::UnsafeRefused,
     "skb_load_bytes is not a helper of kprobes (no skb context)"},
    {"tracepoint_writes_record.c", Bytecode::UnsafeRefused,
     "a tracepoint's record is read-only"},
    {"rodata_written.c", Bytecode::UnsafeRefused,
     "a store into `.rodata`'s map value, which is BPF_F_RDONLY_PROG"},
    {"tracepoint_reads_header.c", Bytecode::UnsafeRefused,
     "a tracepoint record's first 8 bytes (the common header) are not "
     "readable"},
    {"sockops_sets_cwnd.c", Bytecode::UnsafeRefused,
     "bpf_sock_ops's snd_cwnd is read-only (only reply and sk_txhash are "
     "writable)"},
    {"perf_event_scales_period.c", Bytecode::UnsafeRefused,
     "a perf_event program's context is read-only"},
    {"perf_event_reads_past_regs.c", Bytecode::UnsafeRefused,
     "a load past the end of struct bpf_perf_event_data"},
    {"comm_buffer_too_small.c", Bytecode::UnsafeRefused,
     "bpf_get_current_comm would write past the top of the stack frame"},
    {"packet_after_adjust_head.c", Bytecode::UnsafeRefused,
     "a packet pointer loaded before bpf_xdp_adjust_head is used after it "
     "(stale: the checker forgets every packet pointer at the call)"},
    {"ttl_read_after_store.c", Bytecode::UnsafeRefused,
     "a packet pointer loaded before bpf_skb_store_bytes is used after it "
     "(stale: the skb's data may have moved)"},
    {"lookup_in_prog_array.c", Bytecode::UnsafeRefused,
     "map_lookup_elem does not take a program array"},
    {"ringbuf_leaks_pointer.c", Bytecode::UnsafeRefused,
     "ringbuf_output's data holds a spilled pointer, not data"},
    {"ringbuf_not_submitted.c", Bytecode::UnsafeRefused,
     "a path exits with its ringbuf reservation live (ringbuf_live)"},
    {"ringbuf_write_past_reservation.c", Bytecode::UnsafeRefused,
     "a store past the reserved size (mem_ringbuf)"},
    {"summary_past_reservation.c", Bytecode::UnsafeRefused,
     "map_update_elem reads a 16-byte value from a 12-byte reservation "
     "(helper_call)"},
    {"comm_past_reservation.c", Bytecode::UnsafeRefused,
     "bpf_get_current_comm's 16 bytes at offset 4 pass the 16 reserved: "
     "a false constant bound (helper_call)"},
    {"snapshot_past_global.c", Bytecode::UnsafeRefused,
     "bpf_skb_load_bytes's 20 bytes pass the 16 of `.bss`'s map value: a "
     "false constant bound (helper_call)"},
    {"read_str_uninitialised.c", Bytecode::UnsafeRefused,
     "probe_read_user_str's buffer must hold data before the call (the "
     "bytes after the string's NUL keep what they held)"},
    {"header_read_before_load.c", Bytecode::UnsafeRefused,
     "the bit-field's byte is a register no statement wrote on that path: "
     "vep-check refuses its read"},
    {"tcp_options_zero_length.c", Bytecode::UnsafeTermination,
     "an option length of 0 makes the walk loop forever"},
    {"conn_walk_cycle.c", Bytecode::UnsafeTermination,
     "a cycle in the table's `next` list makes the walk loop forever"},
    {"event_smaller_than_function.c", Bytecode::UnsafeRefused,
     "the callee's 16-byte buffer is a 12-byte ringbuf reservation: "
     "call_enter's bounds are constants, refused without a question"},
    {"call_precondition.c", Bytecode::UnsafeCall,
     "the callee's precondition (20 header bytes in the packet) is not "
     "proved at the call"},
    {"guard_after_call.c", Bytecode::UnsafeCall,
     "the callee's precondition (20 header bytes in the packet) is tested "
     "only after the call, in a chain of &&"},
    {"histogram_off_by_one.c", Bytecode::UnsafeRefused,
     "map value overrun at the fixed offset 128 (bucket 16)"},
    {"map_value_overflow.c", Bytecode::UnsafeRefused,
     "map value overrun at the fixed offset 8"},
    {"snapshot_past_reservation.c", Bytecode::UnsafeAccess,
     "the loop's last iteration stores one byte past the reserved size, "
     "with the reservation pending across the loop (mem_ringbuf)"},
    {"map_value_underflow.c", Bytecode::UnsafeAccess, "map value underrun"},
    {"missing_bound.c", Bytecode::UnsafeAccess, "packet overrun"},
    {"callee_overrun.c", Bytecode::UnsafeAccess,
     "packet overrun inside a called function"},
    {"global_array_overrun.c", Bytecode::UnsafeAccess,
     "overrun of `.bss`'s map value (the array is all of it)"},
    {"off_by_one.c", Bytecode::UnsafeAccess, "packet overrun"},
    {"mac_copy_past_bound.c", Bytecode::UnsafeAccess,
     "packet overrun in a memcpy's last chunk"},
    {"past_header.c", Bytecode::UnsafeAccess, "packet overrun"},
    {"pattern_search_overread.c", Bytecode::UnsafeAccess,
     "packet overrun in an inner loop"},
    {"string_lengths_overread.c", Bytecode::UnsafeAccess,
     "packet overrun in an inline function's loop called in a loop"},
    {"chained_windows_short.c", Bytecode::UnsafeAccess,
     "packet overrun in an inner loop whose bound the outer body sets"},
    {"score_without_bool.c", Bytecode::UnsafeAccess,
     "overrun of `.data`'s map value: a __u8 where a _Bool belonged"},
    {"switch_port_overread.c", Bytecode::UnsafeAccess,
     "packet overrun in one case of a switch"},
    {"sampler_bytes_overrun.c", Bytecode::UnsafeAccess,
     "map value overrun through a pointer carried across a loop head"},
    {"tcp_flags_short_bound.c", Bytecode::UnsafeAccess,
     "packet overrun in a switch case that falls into the next"},
    {"signed_offset_negative.c", Bytecode::UnsafeAccess,
     "packet underrun: an int offset checked only from above"},
    {"tcp_assumes_no_options.c", Bytecode::UnsafeAccess, "packet overrun"},
    {"token_index_wraps.c", Bytecode::UnsafeAccess,
     "packet overrun: an index n - 1 that wraps at n = 0"},
    {"vlan_missing_bound.c", Bytecode::UnsafeAccess, "packet overrun"},
    {"hdr_cursor_no_bound.c", Bytecode::UnsafeAccess,
     "packet overrun inside an inlined helper"},
    {"option_length_unchecked.c", Bytecode::UnsafeAccess,
     "packet overrun: a walked pointer's second byte read after a check of "
     "its first"},
};

const Classification *classificationOf(const fs::path &Source) {
  for (const Classification &C : Classified)
    if (Source.filename() == C.File)
      return &C;
  return nullptr;
}

TEST(ForgedProofClassification, EveryUnsafeExampleIsClassifiedOnce) {
  for (const fs::path &S : unsafeExamples())
    EXPECT_NE(classificationOf(S), nullptr)
        << S.filename() << " is not in Classified: say whether its bytecode "
        << "is unsafe (and how the checker refuses it) or only its C";
  for (const Classification &C : Classified) {
    EXPECT_TRUE(fs::exists(sourceDir() / "examples" / "unsafe" / C.File)) << C.File;
    EXPECT_EQ(std::count_if(std::begin(Classified), std::end(Classified),
                            [&](const Classification &D) {
                              return std::string(D.File) == C.File;
                            }),
              1)
        << C.File;
  }
}

struct Param {
  fs::path Source;
  ProofWriteOptions::ForgeStyle Style;
};

void PrintTo(const Param &P, std::ostream *OS) {
  *OS << P.Source.filename().string() << ", "
      << (P.Style == ProofWriteOptions::ForgeStyle::BestAttempt ? "best attempt"
                                                                : "empty certificate");
}

std::string paramName(const testing::TestParamInfo<Param> &Info) {
  std::string N = Info.param.Source.stem().string();
  std::replace_if(N.begin(), N.end(), [](char C) { return !isalnum(C); }, '_');
  return N + (Info.param.Style == ProofWriteOptions::ForgeStyle::BestAttempt
                  ? "_best_attempt"
                  : "_empty_certificate");
}

std::vector<Param> unsafeParams() {
  std::vector<Param> Ps;
  for (const fs::path &S : unsafeExamples())
    for (auto Style : {ProofWriteOptions::ForgeStyle::BestAttempt,
                       ProofWriteOptions::ForgeStyle::Empty})
      Ps.push_back({S, Style});
  return Ps;
}

class ForgedProof : public testing::TestWithParam<Param> {};

TEST_P(ForgedProof, VepCheckRejectsUnsafeBytecodeWhereTheMarkerSays) {
  const fs::path &Source = GetParam().Source;
  const Classification *Class = classificationOf(Source);
  ASSERT_NE(Class, nullptr) << "unclassified (see Classified)";
  ExpectedError Expected = expectedError(Source);
  ASSERT_NE(Expected.Line, 0u) << "unsafe example without an expected-error marker";
  Unverified U = compileUnverified(Source);
  ASSERT_FALSE(U.Progs.empty());
  std::string Scratch = "forged-" + paramName(testing::TestParamInfo<Param>(GetParam(), 0));

  compiler::ProofWriteResult Honest = compiler::writeProof(U.Object, U.Specs, U.Maps, {}, U.Functions);
  EXPECT_TRUE(Honest.Forged.empty());
  if (Class->Kind == Bytecode::CLevelOnly) {
    // Safe bytecode: the honest proof is written and accepted, and forging
    // mode has nothing to forge. Should the checker ever refuse it, the
    // classification is stale (or the checker too strict).
    ASSERT_TRUE(Honest.Ok) << Class->Why << ": " << Honest.Error;
    CommandResult C = vepCheck(Scratch, U.Object, Honest.Proof);
    EXPECT_EQ(C.Status, 0) << C.Output;
    compiler::ProofWriteResult R =
        compiler::writeProof(U.Object, U.Specs, U.Maps, forging(GetParam().Style),
                             U.Functions);
    EXPECT_TRUE(R.Ok) << R.Error;
    EXPECT_TRUE(R.Forged.empty());
    return;
  }

  // Control: the honest proof writer cannot prove it.
  EXPECT_FALSE(Honest.Ok) << "the unsafe example " << Source << " got a proof";

  compiler::ProofWriteResult R =
      compiler::writeProof(U.Object, U.Specs, U.Maps, forging(GetParam().Style),
                             U.Functions);
  EXPECT_FALSE(R.Ok);
  if (Class->Kind == Bytecode::UnsafeRefused) {
    EXPECT_TRUE(R.Forged.empty()) << "forged: " << R.Error;
    // The shipped proof ends at the refusal, and vep-check must refuse it
    // at an instruction of the expected-error line.
    ASSERT_FALSE(R.Proof.empty()) << R.Error;
    CommandResult C = vepCheck(Scratch, U.Object, R.Proof);
    EXPECT_EQ(C.Status, 1) << C.Output;
    std::smatch At;
    static const std::regex Rejected(R"(rejected: (\S+) insn (\d+): )");
    ASSERT_TRUE(std::regex_search(C.Output, At, Rejected)) << C.Output;
    const compiler::CompiledProgram *Prog = compiledNamed(U, At[1].str());
    ASSERT_NE(Prog, nullptr) << C.Output;
    size_t Insn = std::stoul(At[2].str());
    ASSERT_LT(Insn, Prog->Locs.size());
    EXPECT_EQ(Prog->Locs[Insn].Line, Expected.Line) << C.Output;
    return;
  }
  ASSERT_EQ(R.Forged.size(), 1u) << R.Error;
  const compiler::ForgedAnswer &F = R.Forged[0];
  bool Termination = Class->Kind == Bytecode::UnsafeTermination;
  bool Call = Class->Kind == Bytecode::UnsafeCall;
  if (Termination)
    EXPECT_EQ(F.Kind, VEP_GOAL_RANK_DECREASE)
        << "forged " << vep_goal_name(F.Kind) << ": " << F.Question;
  else if (Call)
    EXPECT_TRUE(F.Kind == VEP_GOAL_CUT_FACT || F.Kind == VEP_GOAL_CUT_BINDING)
        << "forged " << vep_goal_name(F.Kind) << ": " << F.Question;
  else
    EXPECT_TRUE(F.Kind == VEP_GOAL_ACCESS_LOW || F.Kind == VEP_GOAL_ACCESS_HIGH)
        << "forged " << vep_goal_name(F.Kind) << ": " << F.Question;
  ASSERT_FALSE(R.Proof.empty());

  // The forged question is asked at an instruction the compiler generated
  // for the expected-error line (a memory access or a call), or for the
  // loop.
  const compiler::CompiledProgram *Prog = compiledNamed(U, F.Section);
  ASSERT_NE(Prog, nullptr) << F.Section;
  ASSERT_LT(F.Insn, Prog->Locs.size());
  EXPECT_EQ(Prog->Locs[F.Insn].Line, Expected.Line + (Termination ? 1 : 0))
      << "the forged question is at insn " << F.Insn << ": " << F.Question;
  uint8_t InsnClass = Prog->Insns[F.Insn].Code & 7;
  if (Call)
    EXPECT_EQ(Prog->Insns[F.Insn].Code, 0x85) << "insn " << F.Insn << " is not a call";
  else if (!Termination)
    EXPECT_TRUE(InsnClass == 1 || InsnClass == 2 || InsnClass == 3) // LDX, ST, STX
        << "insn " << F.Insn << " is not a memory access";

  // vep-check refuses the shipped pair there, for the forged certificate.
  CommandResult C = vepCheck(Scratch, U.Object, R.Proof);
  EXPECT_EQ(C.Status, 1) << C.Output;
  // A termination question belongs to the loop's cut point, a call's to
  // the callee's precondition: the checker names them in the reason.
  std::string Where = "rejected: " + F.Section + " insn " + std::to_string(F.Insn) +
                      ": check_farkas: " +
                      (Termination ? "cut point " + std::to_string(F.Insn) + ": " : "") +
                      (Call ? "precondition of " : "");
  EXPECT_NE(C.Output.find(Where), std::string::npos)
      << "expected '" << Where << "' in\n" << C.Output;
  EXPECT_NE(C.Output.find(std::string(vep_goal_name(F.Kind)) + ": "), std::string::npos)
      << C.Output;
  const char *Why = GetParam().Style == ProofWriteOptions::ForgeStyle::BestAttempt
                        ? "constant of the combination is not negative"
                        : "variable coefficients do not cancel";
  EXPECT_NE(C.Output.find(Why), std::string::npos) << C.Output;
}

INSTANTIATE_TEST_SUITE_P(Unsafe, ForgedProof, testing::ValuesIn(unsafeParams()),
                         paramName);

// Control: the same path on a safe example forges nothing, and vep-check
// accepts the proof (so the exit 1 above is not an artifact of the tooling).
TEST(ForgedProofControl, SafeExampleIsAcceptedWithoutForgery) {
  Unverified U = compileUnverified(sourceDir() / "examples" / "drop_ipv4.c");
  compiler::ProofWriteResult R = compiler::writeProof(
      U.Object, U.Specs, U.Maps, forging(ProofWriteOptions::ForgeStyle::BestAttempt),
      U.Functions);
  ASSERT_TRUE(R.Ok) << R.Error;
  EXPECT_TRUE(R.Forged.empty());
  CommandResult C = vepCheck("forged-control", U.Object, R.Proof);
  EXPECT_EQ(C.Status, 0) << C.Output;
  EXPECT_NE(C.Output.find("accepted"), std::string::npos) << C.Output;
}

} // namespace
