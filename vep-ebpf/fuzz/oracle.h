// oracle.h - Running the checker on an (object, proof) pair in checking
// mode, and the soundness oracle for pairs it accepts: every program of the
// object runs in the independent test interpreter (tests/interp.h) on a
// fixed set of packets and must stay in bounds, terminate and return a
// value that satisfies the post-condition the proof claims for it. Programs
// with map relocations run with the maps of the table the checker was
// given (its key and value sizes), their relocations read from the object,
// and map lookups returning NULL or not in several patterns.
// Test-only code, shared by vep_check_fuzz and vep_check_mutation.
#ifndef VEP_EBPF_FUZZ_ORACLE_H
#define VEP_EBPF_FUZZ_ORACLE_H

#include "vep/object.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vf {

// a*R0 + b >= 0
struct Fact {
  __int128 a, b;
};

// The exit assertion the proof's program header claims for one program:
// per alternative, facts over R0 (an alternative whose facts the oracle
// cannot read as such, e.g. over the packet length, sets `partial` instead:
// the oracle then does not check the return value, which may satisfy just
// that alternative).
struct Claim {
  std::vector<std::vector<Fact>> disjuncts; // empty: "true"
  bool partial = false;
};

struct CheckRun {
  std::vector<vep_map_def> maps; // the map table the checker was given
  vep_status status = VEP_MALFORMED;
  vep_result res{};
  std::vector<Claim> claims; // one per program header, in their order
  size_t arena_left = 0;     // arena use vep_check_object left (must be 0)
};

// vep_proof_reader_init, vep_check_object, vep_proof_reader_finish, as
// vep-check runs them, with the map table `maps` (may be null: no maps), on
// an arena of `arena_size` bytes at `arena`. The result keeps a copy of the
// table for the oracle.
CheckRun check_pair(const uint8_t *obj, size_t obj_len,
                    const vep_map_table *maps, const uint8_t *proof,
                    size_t proof_len, uint8_t *arena, size_t arena_size);

// The fixed map table of the libFuzzer target (vep_check_fuzz.cc explains
// why fixed): the maps of the examples, as libbpf reads them, plus two that
// only mutated symbol names reach (a hash map with 1-byte keys and values,
// "m1", and a program array, "pa", which no data helper takes).
// vep_check_mutation fails if an example's map is missing or differs.
const vep_map_table &fuzz_map_table();

// A program section of an accepted object (the checker's definition:
// SHF_EXECINSTR with size > 0, in section header order), or `.text`, the
// functions the programs call.
struct ElfProgram {
  std::string name;
  std::vector<uint8_t> insns;
  // Its relocations: the SHT_REL sections whose sh_info is the program's
  // section (as libbpf and the checker bind them), each entry as (r_offset,
  // r_info type, the name of its symbol in sh_link's symbol table, the name
  // of the symbol's section ("" if none) and its st_value).
  struct Reloc {
    uint64_t offset;
    uint32_t type;
    std::string symbol;
    std::string symbol_section;
    uint64_t symbol_value;
  };
  std::vector<Reloc> relocs;
  std::string reloc_error; // a relocation the oracle cannot read
};
// Empty if the object is not a well-formed ELF64 (callers use it on
// accepted objects only). `.text`, if any, goes to *text, not the result.
std::vector<ElfProgram> elf_programs(const uint8_t *obj, size_t len,
                                     ElfProgram *text);

// The packets every accepted program is run on: every length 0..80, some
// longer ones, with zero, 0xff, pseudo-random and IPv4/UDP/TCP-shaped
// contents (IHL 5..15), and strings with a NUL at various places.
const std::vector<std::vector<uint8_t>> &oracle_packets();

// Runs every program of an accepted pair on oracle_packets() with three
// ifindex values, with the context and helpers of its section name's
// program type (vt::run_program: XDP, tc or socket filter; a name of no
// known type is a violation); returns "" if every run is safe, ends and
// satisfies the program's claimed post-condition, else what went wrong.
// Relocations: each must be an
// R_BPF_64_64 at an lddw against a symbol named like an entry of run.maps,
// or an R_BPF_64_32 at a bpf-to-bpf call, whose target (st_value / 8 + imm
// + 1 in `.text`) the oracle binds as the checker does, running `.text`
// laid after the program (else that is the violation); the maps get the
// table's key and value sizes, and every packet runs with the lookup
// patterns 0, all ones, 0101... and 1010... (bit i: the i-th lookup returns
// NULL), so that both sides of every null check of the first lookups run.
// `stride` > 1 runs only every stride-th packet.
std::string soundness_violation(const uint8_t *obj, size_t obj_len,
                                const CheckRun &run, unsigned stride = 1);

} // namespace vf

#endif
