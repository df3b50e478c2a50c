//===- vepcc.cpp - Verify, compile and prove an annotated eBPF C file -----===//
//
//   vepcc prog.c -o prog.o [-I dir]... [-S]
//   vepcc -S prog.c -o -
//   vepcc --help | -h | --version
//
// Verifies prog.c with VEP-C, compiles it with VEP's code generator to an
// eBPF ELF object, writes the proof beside it (prog.proof) and inside it
// (the non-allocated section .vep.proof, which loaders ignore), and runs the
// trusted checker on the written files, with either proof, before reporting
// success. With `-S -o -` the annotated assembly alone goes to standard
// output and no file is kept (the pair is checked in a scratch directory).
// Exit 0 success; 1 not verified; 2 bad input; 3 internal error (a VEP bug:
// the compiler produced something its own proof writer or checker refuses).
//
//===----------------------------------------------------------------------===//
#include "vep/check.h"
#include "vep/map_table.h"
#include "vep/compiler/CodeGen.h"
#include "vep/compiler/ElfWriter.h"
#include "vep/compiler/ProofWriter.h"
#include "vep/verifier/Driver.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace vep;

namespace {

enum ExitCode { Success = 0, NotVerified = 1, BadInput = 2, InternalError = 3 };

struct Options {
  std::string Input, Output;
  std::vector<std::string> PreprocessorFlags; // -I, -D, -U, for clang
  bool PrintAssembly = false;
  bool Help = false, Version = false; // print that, nothing else
};

const char *const Usage =
    "usage: vepcc prog.c -o prog.o [-I dir]... [-D name[=value]]... [-S]\n"
    "       vepcc -S prog.c -o -\n";

int usage(const std::string &Why) {
  std::cerr << "vepcc: error: " << Why << "\n" << Usage;
  return BadInput;
}

int help() {
  std::cout
      << Usage
      << "  Verifies prog.c with VEP-C, compiles it to the eBPF object prog.o\n"
         "  and writes its proof to prog.proof and into prog.o (section\n"
         "  .vep.proof); the checker accepts both before vepcc succeeds.\n"
         "  -o prog.o   the object to write (the proof goes beside it)\n"
         "  -I dir      a directory to search for headers\n"
         "  -D name[=value], -U name  define or undefine a macro, as for\n"
         "              clang (bpf_tracing.h wants -D__TARGET_ARCH_x86)\n"
         "  -S          print the annotated assembly to standard output;\n"
         "              with -o -, print only that and write no file\n"
         "  -h, --help  this text; --version: vepcc's version\n"
         "  Exit status: 0 success, 1 not verified, 2 bad input or not\n"
         "  supported yet, 3 internal error.\n";
  return Success;
}

bool parseArgs(int Argc, char **Argv, Options &O, std::string &Err) {
  for (int I = 1; I < Argc; ++I) {
    std::string A = Argv[I];
    auto Value = [&](const std::string &Flag) -> std::string {
      if (A.size() > Flag.size())
        return A.substr(Flag.size());
      if (I + 1 < Argc)
        return Argv[++I];
      Err = "missing argument after '" + Flag + "'";
      return "";
    };
    if (A == "-h" || A == "--help")
      O.Help = true;
    else if (A == "--version")
      O.Version = true;
    else if (A == "-S")
      O.PrintAssembly = true;
    else if (A.rfind("-o", 0) == 0)
      O.Output = Value("-o");
    else if (A.rfind("-I", 0) == 0 || A.rfind("-D", 0) == 0 ||
             A.rfind("-U", 0) == 0) {
      std::string Flag = A.substr(0, 2);
      O.PreprocessorFlags.push_back(Flag + Value(Flag));
    }
    else if (!A.empty() && A[0] == '-')
      Err = "unknown option '" + A + "'";
    else if (O.Input.empty())
      O.Input = A;
    else
      Err = "more than one input file ('" + O.Input + "', '" + A + "')";
    if (!Err.empty())
      return false;
  }
  if (O.Help || O.Version)
    return true; // nothing else is needed
  if (O.Input.empty())
    Err = "no input file";
  else if (O.Output.empty())
    Err = "no output file (-o prog.o)";
  else if (O.Output == "-" && !O.PrintAssembly)
    Err = "the object is binary: write it to a file (-o prog.o), or print "
          "the assembly with -S -o -";
  return Err.empty();
}

bool writeFile(const fs::path &Path, const std::vector<uint8_t> &Bytes) {
  std::ofstream Out(Path, std::ios::binary | std::ios::trunc);
  Out.write(reinterpret_cast<const char *>(Bytes.data()),
            static_cast<std::streamsize>(Bytes.size()));
  return static_cast<bool>(Out);
}

std::vector<uint8_t> readFile(const fs::path &Path) {
  std::ifstream In(Path, std::ios::binary);
  return {std::istreambuf_iterator<char>(In), std::istreambuf_iterator<char>()};
}

/// The load-time check, exactly as vep-check runs it, on the files as
/// written to disk: with the proof file, or (Proof empty) with the proof
/// embedded in the object, as `vep-check prog.o` reads it. The map table is
/// the one libbpf reads from the written object, as vep-check and vep-load
/// build it: so the maps proved are the maps the kernel will create.
vep_result checkWrittenPair(const fs::path &Obj, const fs::path &Proof) {
  std::vector<uint8_t> ObjBytes = readFile(Obj), ProofBytes;
  vep_result Res{};
  vep::MapTable Maps;
  std::string Why;
  if (!Maps.read(ObjBytes, Why)) {
    Res.status = VEP_MALFORMED;
    std::snprintf(Res.reason, sizeof Res.reason, "%s", Why.c_str());
    return Res;
  }
  if (Proof.empty()) {
    compiler::EmbeddedProof E = compiler::findEmbeddedProof(ObjBytes.data(), ObjBytes.size());
    if (E.St != compiler::EmbeddedProof::Found) {
      Res.status = VEP_MALFORMED;
      std::snprintf(Res.reason, sizeof Res.reason, "embedded proof not found: %s",
                    E.St == compiler::EmbeddedProof::Missing ? "no .vep.proof section"
                                                             : E.Why.c_str());
      return Res;
    }
    ProofBytes.assign(E.Data, E.Data + E.Size);
  } else {
    ProofBytes = readFile(Proof);
  }
  // Not value-initialised: zeroing 64 MiB twice (the written pair, then
  // the embedded proof) was a third of vepcc's own time.
  constexpr size_t ArenaBytes = size_t(64) << 20;
  std::unique_ptr<uint8_t[]> Memory(new uint8_t[ArenaBytes]);
  vep_arena Arena;
  vep_arena_init(&Arena, Memory.get(), ArenaBytes);
  vep_proof_reader Reader;
  if (vep_proof_reader_init(&Reader, ProofBytes.data(), ProofBytes.size(), &Arena,
                            &Res) != VEP_ACCEPTED)
    return Res;
  vep_check_object(ObjBytes.data(), ObjBytes.size(), Maps.get(), &Reader.headers,
                   &Reader.source, &Arena, &Res);
  if (Res.status == VEP_ACCEPTED)
    vep_proof_reader_finish(&Reader, &Res);
  return Res;
}

int compileAndProve(const cir::Module &M, const Options &O,
                    const std::vector<cir::FunctionProof> &States) {
  std::vector<compiler::CompiledProgram> Progs;
  std::vector<compiler::ProgramSpec> Specs;
  std::vector<compiler::FunctionSpec> FunctionSpecs;
  std::string CompileErr;
  const cir::Function *FailedAt = nullptr;
  if (!compiler::compileModule(M, Progs, CompileErr, &FailedAt,
                               O.PrintAssembly ? &States : nullptr)) {
    cir::Loc L = FailedAt ? FailedAt->L : cir::Loc();
    std::cerr << O.Input << ":" << L.Line << ":" << L.Col << ": error: " << CompileErr << "\n";
    return CompileErr.rfind("not supported yet", 0) == 0 ? BadInput : InternalError;
  }
  compiler::proofSpecs(Progs, Specs, FunctionSpecs);

  // Printed before proving: the code is what one needs to see when the proof
  // writer reports an internal error.
  if (O.PrintAssembly)
    std::cout << compiler::writeAssembly(Progs, M.License, M.Maps, M.Globals);
  std::vector<vep_map_def> MapTable;
  std::string Err;
  if (!compiler::mapTable(M.Maps, MapTable, Err, M.Globals)) {
    std::cerr << O.Input << ": error: " << Err << "\n";
    return BadInput;
  }
  std::vector<uint8_t> Object = compiler::writeObject(Progs, M.License, M.Maps, M.Globals);
  compiler::ProofWriteResult Proof =
      compiler::writeProof(Object, Specs, MapTable, {}, FunctionSpecs);
  // A refusal of our own output is a compiler bug: say at which cut point
  // of the C source, as well as the checker's instruction.
  auto Site = [&](const compiler::CheckerRefusal &R) {
    std::string Note = compiler::describeRefusalSite(Progs, R, O.Input);
    if (!Note.empty())
      std::cerr << Note << "\n";
  };
  if (!Proof.Ok) {
    std::cerr << "vepcc: " << Proof.Error << "\n";
    Site(Proof.Refusal);
    return InternalError;
  }
  // The same program sections plus .vep.proof: the proof binds programs by
  // the hash of their section bytes, which embedding does not change.
  Object = compiler::writeObjectWithProof(Progs, M.License, Proof.Proof, M.Maps,
                                          M.Globals, {M.FileName, M.Source});

  // `-o -`: the pair is written and checked in a scratch directory, which
  // goes when this function returns.
  std::string Scratch;
  if (O.Output == "-") {
    std::string Template = (fs::temp_directory_path() / "vepcc-XXXXXX").string();
    if (!mkdtemp(Template.data())) {
      std::cerr << "vepcc: error: cannot make a scratch directory in "
                << fs::temp_directory_path().string() << "\n";
      return BadInput;
    }
    Scratch = Template;
  }
  struct ScratchRemover {
    const std::string &Dir;
    ~ScratchRemover() {
      std::error_code Ignored;
      if (!Dir.empty())
        fs::remove_all(Dir, Ignored);
    }
  } RemoveScratch{Scratch};
  fs::path ObjPath = Scratch.empty() ? fs::path(O.Output) : fs::path(Scratch) / "prog.o";
  fs::path ProofPath = fs::path(ObjPath).replace_extension(".proof");
  if (!writeFile(ObjPath, Object) || !writeFile(ProofPath, Proof.Proof)) {
    std::cerr << "vepcc: error: cannot write '" << ObjPath.string() << "' or '"
              << ProofPath.string() << "'\n";
    return BadInput;
  }
  vep_result Check = checkWrittenPair(ObjPath, ProofPath);
  const char *Which = "the written pair";
  if (Check.status == VEP_ACCEPTED) {
    Check = checkWrittenPair(ObjPath, fs::path());
    Which = "the object with its embedded proof";
  }
  if (Check.status != VEP_ACCEPTED) {
    std::cerr << "vepcc: internal error: the checker refuses " << Which << ": "
              << Check.program << " insn " << Check.insn << ": " << Check.reason << "\n";
    Site({Check.program, Check.insn, Check.reason});
    fs::remove(ObjPath);
    fs::remove(ProofPath);
    return InternalError;
  }
  size_t Insns = 0;
  for (const auto &P : Progs)
    Insns += P.Insns.size();
  size_t Functions = FunctionSpecs.size();
  std::string Code = std::to_string(Specs.size()) + " program" +
                     (Specs.size() == 1 ? "" : "s") +
                     (Functions ? ", " + std::to_string(Functions) + " function" +
                                      (Functions == 1 ? "" : "s")
                                : std::string()) +
                     ", " + std::to_string(Insns) + " instructions";
  std::string Obligations = std::to_string(Proof.Questions) + " obligations";
  if (!Scratch.empty())
    std::cerr << "vepcc: proved " << O.Input << " (" << Code << ", "
              << Obligations << "; -o -: no file written); vep-check: accepted\n";
  else
    std::cout << "vepcc: wrote " << ObjPath.string() << " (" << Code << ") and "
              << ProofPath.string() << " (" << Proof.Proof.size() << " bytes, "
              << Obligations << ", also embedded as .vep.proof); "
              << "vep-check: accepted\n";
  return Success;
}

} // namespace

int main(int Argc, char **Argv) {
  Options O;
  std::string Err;
  if (!parseArgs(Argc, Argv, O, Err))
    return usage(Err);
  if (O.Help)
    return help();
  if (O.Version) {
    std::cout << "vepcc (VEP) " VEP_VERSION "\n";
    return Success;
  }
  try {
    cir::Module M;
    verifier::Options Opts = verifier::terminalProgress("vepcc");
    Opts.RecordProof = O.PrintAssembly; // -S shows VEP-C's states
    verifier::Report Verdict = verifier::verifyFile(O.Input, O.PreprocessorFlags, M, Opts);
    verifier::endProgress();
    // With `-o -` standard output is the assembly's alone.
    verifier::printText(O.Input, Verdict, O.Output == "-" ? std::cerr : std::cout,
                        std::cerr);
    if (Verdict.ExitCode != Success)
      return Verdict.ExitCode;
    std::vector<cir::FunctionProof> States;
    for (verifier::FunctionResult &F : Verdict.Functions)
      States.push_back(std::move(F.Proof));
    return compileAndProve(M, O, States);
  } catch (const std::exception &E) {
    std::cerr << "vepcc: internal error: " << E.what() << "\n";
    return InternalError;
  }
}
