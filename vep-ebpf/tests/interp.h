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

} // namespace vt

#endif
