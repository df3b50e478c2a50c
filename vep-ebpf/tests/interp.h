// interp.h - A concrete eBPF interpreter for tests (RFC 9669 semantics),
// written independently of the checker, to run accepted programs on
// concrete packets and confirm what the checker proved.
#ifndef VEP_EBPF_TEST_INTERP_H
#define VEP_EBPF_TEST_INTERP_H

#include "test_support.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vt {

struct RunResult {
  bool ok = false;   // ran to exit without a safety violation
  std::string error; // the violation, when !ok
  uint64_t r0 = 0;
};

// Runs an XDP program on `packet`, with the u32 context fields set to
// `ifindex`. Violations: packet/stack/context access out of bounds, reading
// an uninitialised register or stack byte, unknown instruction, more than
// `max_steps` steps.
RunResult run_xdp(const Prog &p, const std::vector<uint8_t> &packet,
                  uint32_t ifindex, uint64_t max_steps = 100000);

// Maps, for programs that use them: map k's sizes, the lddw instructions
// relocated to map k, and the helper results. Each map has one value (all
// keys share it, zero-initialised); map_lookup_elem returns NULL when
// `lookup_null` says so for that call (bit i: the i-th lookup), else that
// value. Violations also: a helper id other than 1, 2, 3, 5, 7, 8; a bad
// map argument; a key or value buffer not readable and initialised;
// access outside a map value; atomic add not naturally aligned.
struct MapModel {
  uint32_t key_size = 4, value_size = 8;
};
struct MapEnv {
  std::vector<MapModel> maps;
  std::vector<std::pair<size_t, uint32_t>> relocs; // (insn, map)
  uint64_t lookup_null = 0;
};
RunResult run_xdp_maps(const Prog &p, const std::vector<uint8_t> &packet,
                       uint32_t ifindex, const MapEnv &env,
                       uint64_t max_steps = 100000);

} // namespace vt

#endif
