//===- vep-c.cpp - Verify annotated eBPF C at the source level ------------===//
//
//   vep-c prog.c [-I dir]... [-D name[=value]]... [--json]
//         [--proof prog.cproof]
//
// Exit status: 0 every entry point verified; 1 some obligation not proved
// (clang-style errors with the source line, a caret and a counterexample);
// 2 bad input (unreadable file, C errors, annotation errors, constructs not
// supported yet, usage errors). With --proof, a verified file's C-level
// proof (docs/c-proof-format.md) is written to the given file.
//
//===----------------------------------------------------------------------===//

#include "vep/verifier/Driver.h"

#include <exception>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

void usage(std::ostream &OS) {
  OS << "usage: vep-c prog.c [-I dir]... [-D name[=value]]... [--json] "
        "[--proof prog.cproof]\n"
        "  Verifies the annotated eBPF entry points in prog.c.\n"
        "  -I dir, -D name[=value], -U name  as for clang (bpf_tracing.h\n"
        "             wants -D__TARGET_ARCH_x86 or another architecture)\n"
        "  --proof F  write the C-level proof to F when verified\n"
        "  Exit status: 0 verified, 1 not verified, 2 bad input.\n";
}

int run(int argc, char **argv) {
  std::string File;
  std::vector<std::string> Flags; // -I, -D, -U, for clang
  std::string ProofFile;
  bool Json = false;
  for (int I = 1; I < argc; ++I) {
    std::string A = argv[I];
    if (A == "--json") {
      Json = true;
    } else if (A == "--proof") {
      if (I + 1 >= argc) {
        std::cerr << "vep-c: error: missing file after '--proof'\n";
        usage(std::cerr);
        return 2;
      }
      ProofFile = argv[++I];
    } else if (A == "-h" || A == "--help") {
      usage(std::cout);
      return 0;
    } else if (A == "--version") {
      std::cout << "vep-c (VEP) " VEP_VERSION "\n";
      return 0;
    } else if (A == "-I" || A == "-D" || A == "-U") {
      if (I + 1 >= argc) {
        std::cerr << "vep-c: error: missing argument after '" << A << "'\n";
        usage(std::cerr);
        return 2;
      }
      Flags.push_back(A + argv[++I]);
    } else if (A.size() > 2 &&
               (A.rfind("-I", 0) == 0 || A.rfind("-D", 0) == 0 ||
                A.rfind("-U", 0) == 0)) {
      Flags.push_back(A);
    } else if (!A.empty() && A[0] == '-') {
      std::cerr << "vep-c: error: unknown option '" << A << "'\n";
      usage(std::cerr);
      return 2;
    } else if (File.empty()) {
      File = A;
    } else {
      std::cerr << "vep-c: error: more than one input file\n";
      usage(std::cerr);
      return 2;
    }
  }
  if (File.empty()) {
    std::cerr << "vep-c: error: no input file\n";
    usage(std::cerr);
    return 2;
  }

  vep::cir::Module M;
  vep::verifier::Options Opts = vep::verifier::terminalProgress("vep-c");
  Opts.RecordProof = !ProofFile.empty();
  vep::verifier::Report R = vep::verifier::verifyFile(File, Flags, M, Opts);
  vep::verifier::endProgress();
  if (Json)
    vep::verifier::printJson(File, R, std::cout);
  else
    vep::verifier::printText(File, R, std::cout, std::cerr);
  if (R.ExitCode == 0 && !ProofFile.empty()) {
    std::ofstream Out(ProofFile, std::ios::trunc);
    vep::verifier::writeCProof(File, M, R, Out);
    if (!Out.flush()) {
      std::cerr << "vep-c: error: cannot write '" << ProofFile << "'\n";
      return 2;
    }
  }
  return R.ExitCode;
}

} // namespace

int main(int argc, char **argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception &E) {
    std::cerr << "vep-c: error: internal error: " << E.what() << "\n";
  } catch (...) {
    std::cerr << "vep-c: error: internal error\n";
  }
  return 2;
}
