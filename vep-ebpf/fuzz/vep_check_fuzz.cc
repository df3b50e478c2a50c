// vep_check_fuzz.cc - libFuzzer target over (object, proof) pairs.
//
// Input: a 4-byte little-endian length n, then n bytes of ELF object (fewer
// if the input is shorter), then the proof file. The target runs the
// checker exactly as vep-check does (reader init, vep_check_object, reader
// finish) on a fixed 32 MiB arena, each part in its own heap buffer so that
// AddressSanitizer sees any read past its end, and aborts when
//  - the status is not one of 0 (accepted), 1 (rejected), 2 (malformed);
//  - the arena is not released on return;
//  - a rejection has no reason, or the reason is not NUL-terminated;
//  - an accepted pair is unsound: a program of the object, run in the
//    independent test interpreter (tests/interp.h) on a set of packets,
//    accesses memory out of bounds, does not end, or returns a value outside
//    the post-condition its proof entry claims (oracle.h).
// Crashes, sanitizer reports and timeouts are failures too (libFuzzer).
//
// The map table is fixed, vf::fuzz_map_table() (oracle.h): the maps of the
// examples, so that the seeds that use maps are accepted and their map code
// (relocations, helper calls, null checks, value accesses) is fuzzed, plus
// a 1-byte map and a map of an unsupported type that renamed symbols reach
// (the dictionary has the names). Fixed rather than read from each input
// with vep_map_table_from_object, as vep-check does, because
//  - that is the checker's threat model: the maps exist before the check
//    (a kernel checks against the maps it created) and the attacker
//    controls the object and the proof, not the table; a relocation can
//    still be turned against any map of the table by editing a symbol;
//  - libbpf is outside the core and not built with the sanitizers here: a
//    crash of libbpf's ELF/BTF parser on a mutated input would be reported
//    as a failure of the checker, and opening every input with libbpf
//    would cost most of the executions per second;
//  - the table is independent of the input, so every run is reproducible
//    from the input alone.
// vep_check_mutation fails if an example's map (as libbpf reads it) is not
// in the fixed table, so that the table follows the examples.
//
// Built with clang (-fsanitize=fuzzer,address,undefined) by
// vep-ebpf/fuzz/CMakeLists.txt; seeds: make-corpus.sh. See
// docs/proof-format.md, "Hardening".
#include "oracle.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace {

constexpr size_t kArena = size_t(32) << 20;

[[noreturn]] void die(const char *what, const vf::CheckRun &run) {
  std::fprintf(stderr, "vep_check_fuzz: %s (status %d, insn %u: %.*s)\n", what,
               int(run.status), run.res.insn, int(sizeof run.res.reason),
               run.res.reason);
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static uint8_t *arena = static_cast<uint8_t *>(std::malloc(kArena));
  if (size < 4)
    return 0;
  size_t n = size_t(data[0]) | size_t(data[1]) << 8 | size_t(data[2]) << 16 |
             size_t(data[3]) << 24;
  size_t obj_len = n < size - 4 ? n : size - 4, proof_len = size - 4 - obj_len;
  std::unique_ptr<uint8_t[]> obj(new uint8_t[obj_len ? obj_len : 1]);
  std::unique_ptr<uint8_t[]> proof(new uint8_t[proof_len ? proof_len : 1]);
  std::memcpy(obj.get(), data + 4, obj_len);
  std::memcpy(proof.get(), data + 4 + obj_len, proof_len);

  vf::CheckRun run = vf::check_pair(obj.get(), obj_len, &vf::fuzz_map_table(),
                                    proof.get(), proof_len, arena, kArena);
  if (run.status != VEP_ACCEPTED && run.status != VEP_REJECTED &&
      run.status != VEP_MALFORMED)
    die("status outside {0, 1, 2}", run);
  if (run.status != run.res.status)
    die("returned status differs from the result's", run);
  if (run.arena_left != 0)
    die("arena not released by vep_check_object", run);
  if (!std::memchr(run.res.reason, 0, sizeof run.res.reason) ||
      !std::memchr(run.res.program, 0, sizeof run.res.program))
    die("reason or program name not NUL-terminated", run);
  if (run.status != VEP_ACCEPTED && run.res.reason[0] == 0)
    die("refused without a reason", run);
  if (run.status == VEP_ACCEPTED) {
    std::string why = vf::soundness_violation(obj.get(), obj_len, run, 5);
    if (!why.empty()) {
      std::fprintf(stderr, "vep_check_fuzz: accepted an unsafe pair: %s\n",
                   why.c_str());
      std::abort();
    }
  }
  return 0;
}
