//===- TestSupport.cpp - Running the VEP tools from end-to-end tests ------===//
#include "TestSupport.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <regex>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace vep::test {

std::string quote(const std::string &Arg) {
  std::string Out = "'";
  for (char C : Arg) {
    if (C == '\'')
      Out += "'\\''";
    else
      Out += C;
  }
  return Out + "'";
}

CommandResult run(const std::string &Command, unsigned TimeoutSeconds) {
  CommandResult R;
  std::string Full = "timeout -s KILL " + std::to_string(TimeoutSeconds) +
                     " sh -c " + quote(Command) + " 2>&1";
  FILE *Pipe = popen(Full.c_str(), "r");
  if (!Pipe)
    return R;
  std::array<char, 4096> Buf;
  size_t N;
  while ((N = fread(Buf.data(), 1, Buf.size(), Pipe)) > 0)
    R.Output.append(Buf.data(), N);
  int Raw = pclose(Pipe);
  // timeout(1) reports a killed child as 128+9; treat it as "did not exit".
  if (WIFEXITED(Raw) && WEXITSTATUS(Raw) < 128)
    R.Status = WEXITSTATUS(Raw);
  return R;
}

fs::path sourceDir() { return VEP_SOURCE_DIR; }
fs::path binDir() { return VEP_BIN_DIR; }

fs::path scratchDir(const std::string &Name) {
  fs::path Dir = fs::path(VEP_SCRATCH_DIR) / Name;
  fs::remove_all(Dir);
  fs::create_directories(Dir);
  return Dir;
}

static std::vector<fs::path> cFilesIn(const fs::path &Dir) {
  std::vector<fs::path> Files;
  for (const auto &E : fs::directory_iterator(Dir))
    if (E.is_regular_file() && E.path().extension() == ".c")
      Files.push_back(E.path());
  std::sort(Files.begin(), Files.end());
  return Files;
}

std::vector<fs::path> safeExamples() { return cFilesIn(sourceDir() / "examples"); }
std::vector<fs::path> unsafeExamples() {
  return cFilesIn(sourceDir() / "examples" / "unsafe");
}

ExpectedError expectedError(const fs::path &Source) {
  std::ifstream In(Source);
  std::string Line;
  static const std::regex Marker(R"(// expected-error \{\{(.*)\}\})");
  ExpectedError E;
  for (unsigned No = 1; std::getline(In, Line); ++No) {
    std::smatch M;
    if (std::regex_search(Line, M, Marker)) {
      E.Line = No;
      E.Message = M[1];
      return E;
    }
  }
  return E;
}

CommandResult buildWithClang(const fs::path &Source, const fs::path &Object) {
  return run("clang-14 -O2 -g -target bpf -I/usr/include/$(gcc -dumpmachine) -c " +
             quote(Source) + " -o " + quote(Object));
}

std::vector<unsigned char> readBytes(const fs::path &Path) {
  std::ifstream In(Path, std::ios::binary);
  return {std::istreambuf_iterator<char>(In), std::istreambuf_iterator<char>()};
}

void writeBytes(const fs::path &Path, const std::vector<unsigned char> &Bytes) {
  std::ofstream Out(Path, std::ios::binary);
  Out.write(reinterpret_cast<const char *>(Bytes.data()),
            static_cast<std::streamsize>(Bytes.size()));
}

} // namespace vep::test
