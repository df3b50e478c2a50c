//===- Frontend.h - Clang AST of annotated eBPF C to the CIR -----*- C++ -*-===//
//
// Parses a C file with Clang (target bpf), finds the entry points (functions
// with SEC("...")) and the functions they call, reads their `/*@ ... */`
// annotations and lowers each body to the C-level IR (vep/cir/CIR.h). Everything outside the supported subset
// is rejected with a diagnostic "not supported yet: ..." at its position.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_FRONTEND_FRONTEND_H
#define VEP_FRONTEND_FRONTEND_H

#include "vep/cir/CIR.h"

#include <string>
#include <vector>

namespace vep::frontend {

/// An error in the input (bad C, bad annotation, unsupported construct).
/// Line/Col are 1-based; 0 when the error has no position (e.g. unreadable
/// file).
struct Diagnostic {
  std::string File;
  unsigned Line = 0, Col = 0;
  std::string Message;
};

/// Parses and lowers `Path`, with the preprocessor options `-I<dir>`,
/// `-D<name>[=<value>]` and `-U<name>` given to clang as they are. Returns
/// false (bad input: unreadable, C errors, annotation parse errors,
/// constructs outside the supported subset — the message says "not
/// supported yet: ...") with Errors filled.
bool buildModule(const std::string &Path,
                 const std::vector<std::string> &PreprocessorFlags,
                 cir::Module &Out, std::vector<Diagnostic> &Errors);

} // namespace vep::frontend

#endif // VEP_FRONTEND_FRONTEND_H
