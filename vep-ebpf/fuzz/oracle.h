// oracle.h - Running the checker on an (object, proof) pair in checking
// mode, and the soundness oracle for pairs it accepts: every program of the
// object runs in the independent test interpreter (tests/interp.h) on a
// fixed set of packets and must stay in bounds, terminate and return a
// value that satisfies the post-condition the proof claims for it.
// Test-only code, shared by vep_check_fuzz and vep_check_mutation.
#ifndef VEP_EBPF_FUZZ_ORACLE_H
#define VEP_EBPF_FUZZ_ORACLE_H

#include "vep/check.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vf {

// The post-condition the proof's table entry claims for one program, copied
// out of the checker's arena while it asks for it.
struct Claim {
  std::string section;
  std::vector<std::vector<vep_post_fact>> disjuncts; // empty: "true"
};

struct CheckRun {
  vep_status status = VEP_MALFORMED;
  vep_result res{};
  std::vector<Claim> claims; // in the order the checker asked for them
  size_t arena_left = 0;     // arena use after vep_check_object (must be 0)
};

// vep_proof_reader_init, vep_check_object, vep_proof_reader_finish, as
// vep-check runs them, on an arena of `arena_size` bytes at `arena`.
CheckRun check_pair(const uint8_t *obj, size_t obj_len, const uint8_t *proof,
                    size_t proof_len, uint8_t *arena, size_t arena_size);

// A program section of an accepted object (the checker's definition:
// SHF_EXECINSTR with size > 0, in section header order).
struct ElfProgram {
  std::string name;
  std::vector<uint8_t> insns;
};
// Empty if the object is not a well-formed ELF64 (callers use it on
// accepted objects only).
std::vector<ElfProgram> elf_programs(const uint8_t *obj, size_t len);

// The packets every accepted program is run on: every length 0..80, some
// longer ones, with zero, 0xff, pseudo-random and IPv4/UDP/TCP-shaped
// contents (IHL 5..15), and strings with a NUL at various places.
const std::vector<std::vector<uint8_t>> &oracle_packets();

// Runs every program of an accepted pair on oracle_packets(); returns "" if
// every run is safe, ends and satisfies the program's claimed post-condition,
// else what went wrong. `stride` > 1 runs only every stride-th packet.
std::string soundness_violation(const uint8_t *obj, size_t obj_len,
                                const CheckRun &run, unsigned stride = 1);

} // namespace vf

#endif
