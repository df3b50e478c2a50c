//===- Driver.cpp - Verify a C file and report as the tools do ------------===//
#include "vep/verifier/Driver.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace vep::verifier {

namespace {

bool ProgressShown = false;

std::string jsonEscape(const std::string &S) {
  std::string O;
  for (char Ch : S) {
    unsigned char U = static_cast<unsigned char>(Ch);
    switch (Ch) {
    case '"': O += "\\\""; break;
    case '\\': O += "\\\\"; break;
    case '\n': O += "\\n"; break;
    case '\t': O += "\\t"; break;
    case '\r': O += "\\r"; break;
    default:
      if (U < 0x20) {
        char Buf[8];
        std::snprintf(Buf, sizeof Buf, "\\u%04x", U);
        O += Buf;
      } else {
        O += Ch;
      }
    }
  }
  return O;
}

/// Lines of the input file, for quoting source lines under errors.
std::vector<std::string> readLines(const std::string &Path) {
  std::vector<std::string> Lines;
  std::ifstream In(Path, std::ios::binary);
  std::string L;
  while (std::getline(In, L)) {
    if (!L.empty() && L.back() == '\r')
      L.pop_back();
    Lines.push_back(L);
  }
  return Lines;
}

void quote(std::ostream &OS, const std::vector<std::string> &Lines,
           unsigned Line, unsigned Col) {
  if (Line == 0 || Line > Lines.size())
    return;
  const std::string &Src = Lines[Line - 1];
  OS << Src << "\n";
  std::string Caret;
  for (unsigned I = 0; I + 1 < Col && I < Src.size(); ++I)
    Caret += Src[I] == '\t' ? '\t' : ' ';
  OS << Caret << "^\n";
}

} // namespace

Report verifyFile(const std::string &Path,
                  const std::vector<std::string> &PreprocessorFlags,
                  cir::Module &M, const Options &Opts) {
  Report R;
  bool BadInput = !frontend::buildModule(Path, PreprocessorFlags, M, R.Errors);
  bool NotVerified = false;
  if (!BadInput) {
    R.Functions = verifyModule(M, Opts);
    for (const FunctionResult &FR : R.Functions) {
      if (FR.Unsupported)
        BadInput = true;
      else if (!FR.Verified)
        NotVerified = true;
    }
  }
  R.ExitCode = BadInput ? 2 : NotVerified ? 1 : 0;
  return R;
}

Options terminalProgress(const char *Tool) {
  Options Opts;
  if (!isatty(STDERR_FILENO))
    return Opts;
  std::string Name = Tool;
  Opts.OnProgress = [Name](const Progress &P) {
    std::fprintf(stderr, "\r\033[K%s: %s: %u obligations, %.0f s, at line %u",
                 Name.c_str(), P.Function.c_str(), P.Obligations, P.Seconds,
                 P.Line);
    std::fflush(stderr);
    ProgressShown = true;
  };
  return Opts;
}

void endProgress() {
  if (ProgressShown)
    std::fprintf(stderr, "\r\033[K");
  ProgressShown = false;
}

void printJson(const std::string &File, const Report &R, std::ostream &Out) {
  std::ostringstream OS;
  OS << "{\"file\":\"" << jsonEscape(File) << "\",\"result\":\""
     << (R.ExitCode == 0 ? "verified" : R.ExitCode == 1 ? "not-verified" : "bad-input")
     << "\",\"errors\":[";
  for (size_t I = 0; I < R.Errors.size(); ++I) {
    const auto &D = R.Errors[I];
    OS << (I ? "," : "") << "{\"file\":\"" << jsonEscape(D.File)
       << "\",\"line\":" << D.Line << ",\"col\":" << D.Col
       << ",\"message\":\"" << jsonEscape(D.Message) << "\"}";
  }
  OS << "],\"functions\":[";
  for (size_t I = 0; I < R.Functions.size(); ++I) {
    const auto &FR = R.Functions[I];
    OS << (I ? "," : "") << "{\"name\":\"" << jsonEscape(FR.Function)
       << "\",\"verified\":" << (FR.Verified ? "true" : "false")
       << ",\"unsupported\":" << (FR.Unsupported ? "true" : "false")
       << ",\"obligations\":" << FR.Obligations
       << ",\"millis\":" << FR.Millis << ",\"failures\":[";
    for (size_t J = 0; J < FR.Failures.size(); ++J) {
      const auto &Fl = FR.Failures[J];
      OS << (J ? "," : "") << "{\"line\":" << Fl.L.Line
         << ",\"col\":" << Fl.L.Col << ",\"obligation\":\""
         << jsonEscape(Fl.Obligation) << "\",\"counterexample\":\""
         << jsonEscape(Fl.Counterexample) << "\",\"note\":\""
         << jsonEscape(Fl.Note) << "\"}";
    }
    OS << "]}";
  }
  OS << "]}\n";
  Out << OS.str();
}

void printText(const std::string &File, const Report &R, std::ostream &Out,
               std::ostream &Err) {
  std::vector<std::string> Lines = readLines(File);
  for (const auto &D : R.Errors) {
    if (D.Line == 0) {
      Err << "vep-c: error: " << D.Message << "\n";
      continue;
    }
    Err << D.File << ":" << D.Line << ":" << D.Col
              << ": error: " << D.Message << "\n";
    if (D.File == File)
      quote(Err, Lines, D.Line, D.Col);
  }
  for (const auto &FR : R.Functions) {
    for (const auto &Fl : FR.Failures) {
      Err << File << ":" << Fl.L.Line << ":" << Fl.L.Col
                << ": error: " << Fl.Obligation << "\n";
      quote(Err, Lines, Fl.L.Line, Fl.L.Col);
      if (!Fl.Counterexample.empty())
        Err << File << ":" << Fl.L.Line << ":" << Fl.L.Col
                  << ": note: counterexample: " << Fl.Counterexample << "\n";
      if (!Fl.Note.empty())
        Err << File << ":" << Fl.L.Line << ":" << Fl.L.Col
            << ": note: " << Fl.Note << "\n";
    }
    char Ms[32];
    std::snprintf(Ms, sizeof Ms, "%.0f", FR.Millis);
    if (FR.Verified)
      Out << "vep-c: " << FR.Function << ": verified, "
                << FR.Obligations << " obligations, " << Ms << " ms\n";
    else if (FR.Unsupported)
      Out << "vep-c: " << FR.Function << ": not supported yet\n";
    else
      Out << "vep-c: " << FR.Function << ": NOT verified, "
                << FR.Failures.size() << " of " << FR.Obligations
                << " obligations failed, " << Ms << " ms\n";
  }
}

void writeCProof(const std::string &File, const cir::Module &M,
                 const Report &R, std::ostream &Out) {
  auto At = [](cir::Loc L) {
    return std::to_string(L.Line) + ":" + std::to_string(L.Col);
  };
  Out << "vep-c-proof 1\nfile " << File << "\n";
  for (size_t I = 0; I < R.Functions.size() && I < M.Functions.size(); ++I) {
    const cir::Function &F = M.Functions[I];
    const cir::FunctionProof &P = R.Functions[I].Proof;
    Out << "function " << F.Name << "\n";
    for (const std::string &S : P.Symbols)
      Out << "symbol " << S << "\n";
    for (const std::string &A : P.Axioms)
      Out << "axiom " << A << "\n";
    for (const cir::ProofState &S : P.States) {
      Out << "state " << At(S.L) << " path " << S.Path << " (" << S.Branches
          << ")\n";
      for (const cir::ProofBinding &B : S.Vars) {
        Out << "  var " << F.Vars[B.Var].Name << " = ";
        if (B.Where != "scalar")
          Out << B.Where << " + ";
        Out << B.Value << "\n";
      }
      for (const std::string &H : S.Heap)
        Out << "  heap " << H << "\n";
      for (const std::string &Fact : S.Facts)
        Out << "  fact " << Fact << "\n";
    }
    for (const cir::ProofEntailment &E : P.Entailments) {
      Out << "entail " << At(E.L) << " " << E.Obligation << "\n  goal "
          << E.Goal << "\n";
      for (const std::string &U : E.Uses)
        Out << "  uses " << U << "\n";
      for (const auto &[Name, V] : E.Instances)
        Out << "  with " << Name << " = " << V << "\n";
      for (const std::string &Fr : E.Frame)
        Out << "  frame " << Fr << "\n";
    }
    Out << "end " << F.Name << "\n";
  }
}

} // namespace vep::verifier
