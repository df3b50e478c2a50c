//===- TestSupport.cpp - Running the VEP tools from end-to-end tests ------===//
#include "TestSupport.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
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
std::vector<fs::path> regressionPrograms() {
  return cFilesIn(sourceDir() / "tests" / "data" / "regressions");
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

static uint64_t readLE(const std::vector<unsigned char> &B, size_t At, unsigned N) {
  uint64_t V = 0;
  for (unsigned K = 0; K < N; ++K)
    V |= uint64_t(B[At + K]) << (8 * K);
  return V;
}

std::optional<ElfSection> findSection(const std::vector<unsigned char> &Obj,
                                      const std::string &Name) {
  if (Obj.size() < 64 || Obj[0] != 0x7f || Obj[1] != 'E' || Obj[2] != 'L' ||
      Obj[3] != 'F' || Obj[4] != 2 || Obj[5] != 1)
    return std::nullopt;
  uint64_t ShOff = readLE(Obj, 40, 8), ShNum = readLE(Obj, 60, 2),
           ShStrNdx = readLE(Obj, 62, 2);
  if (readLE(Obj, 58, 2) != 64 || ShStrNdx >= ShNum || ShOff > Obj.size() ||
      (Obj.size() - ShOff) / 64 < ShNum)
    return std::nullopt;
  auto Read = [&](uint64_t I) {
    size_t H = size_t(ShOff + I * 64);
    ElfSection S;
    S.Header = H;
    S.Type = uint32_t(readLE(Obj, H + 4, 4));
    S.Flags = readLE(Obj, H + 8, 8);
    S.Offset = size_t(readLE(Obj, H + 24, 8));
    S.Size = size_t(readLE(Obj, H + 32, 8));
    return S;
  };
  ElfSection Str = Read(ShStrNdx);
  if (Str.Offset > Obj.size() || Str.Size > Obj.size() - Str.Offset)
    return std::nullopt;
  for (uint64_t I = 1; I < ShNum; ++I) {
    ElfSection S = Read(I);
    uint64_t NameOff = readLE(Obj, S.Header, 4);
    if (NameOff >= Str.Size)
      continue;
    const char *N = reinterpret_cast<const char *>(Obj.data() + Str.Offset + NameOff);
    size_t Len = strnlen(N, Str.Size - NameOff);
    if (std::string(N, Len) != Name)
      continue;
    if (S.Type != 8 /* SHT_NOBITS */ &&
        (S.Offset > Obj.size() || S.Size > Obj.size() - S.Offset))
      return std::nullopt;
    return S;
  }
  return std::nullopt;
}

void setSectionSize(std::vector<unsigned char> &Obj, size_t Header, uint64_t Size) {
  for (unsigned K = 0; K < 8; ++K)
    Obj[Header + 32 + K] = static_cast<unsigned char>(Size >> (8 * K));
}

} // namespace vep::test
