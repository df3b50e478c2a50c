//===- Driver.h - Verify a C file and report as the tools do ----*- C++ -*-===//
//
// The one path from a C file to VEP-C's verdict, shared by vep-c and vepcc
// so both report the same diagnostics with the same exit codes.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_VERIFIER_DRIVER_H
#define VEP_VERIFIER_DRIVER_H

#include "vep/frontend/Frontend.h"
#include "vep/verifier/Verifier.h"

#include <ostream>
#include <string>
#include <vector>

namespace vep::verifier {

struct Report {
  std::vector<frontend::Diagnostic> Errors; ///< bad input
  std::vector<FunctionResult> Functions;    ///< one per function
  int ExitCode = 0; ///< 0 verified, 1 not verified, 2 bad input
};

/// Parses and lowers `Path` into `M` (with the preprocessor options of
/// frontend::buildModule), then verifies every function (entry points and
/// the functions they call).
Report verifyFile(const std::string &Path,
                  const std::vector<std::string> &PreprocessorFlags,
                  cir::Module &M, const Options &Opts = Options());

/// For tools: a progress line on stderr during long runs, when stderr is a
/// terminal (`vep-c: f: 120 obligations, 4 s, at line 56`), erased when
/// the result is printed. Returns Options with OnProgress set accordingly.
Options terminalProgress(const char *Tool);
/// Erases the progress line, if one was printed.
void endProgress();

/// Clang-style diagnostics with the source line and a caret on `Err`, one
/// summary line per function on `Out`.
void printText(const std::string &File, const Report &R, std::ostream &Out,
               std::ostream &Err);
/// The same as one JSON object (see docs/vep-c.md).
void printJson(const std::string &File, const Report &R, std::ostream &Out);
/// The C-level proof of R's functions (recorded with
/// Options::RecordProof) as docs/c-proof-format.md specifies it.
void writeCProof(const std::string &File, const cir::Module &M,
                 const Report &R, std::ostream &Out);

} // namespace vep::verifier

#endif // VEP_VERIFIER_DRIVER_H
