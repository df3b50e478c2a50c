//===- TestSupport.h - Running the VEP tools from end-to-end tests -*- C++ -*-===//
#ifndef VEP_TESTS_TESTSUPPORT_H
#define VEP_TESTS_TESTSUPPORT_H

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace vep::test {

/// What a finished command printed (stdout and stderr together) and its exit
/// status; Status is -1 if it did not exit normally (e.g. killed by a signal).
struct CommandResult {
  int Status = -1;
  std::string Output;
};

/// Runs `Command` through /bin/sh with a time limit (seconds), so a hang is
/// a test failure instead of a stuck suite.
CommandResult run(const std::string &Command, unsigned TimeoutSeconds = 120);

std::filesystem::path sourceDir();
std::filesystem::path binDir();
/// A fresh directory under the build tree for one test's outputs.
std::filesystem::path scratchDir(const std::string &Name);

/// The examples that must verify, and those (examples/unsafe) that must not.
std::vector<std::filesystem::path> safeExamples();
std::vector<std::filesystem::path> unsafeExamples();
/// Small programs vep-c verifies that vepcc once failed on
/// (tests/data/regressions): each must compile and its proof must check.
std::vector<std::filesystem::path> regressionPrograms();

/// The line and message of the `// expected-error {{...}}` marker in an
/// unsafe example; Line is 0 if it has none.
struct ExpectedError {
  unsigned Line = 0;
  std::string Message;
};
ExpectedError expectedError(const std::filesystem::path &Source);

/// Builds `Source` with `clang -O2 -g -target bpf` into `Object`.
CommandResult buildWithClang(const std::filesystem::path &Source,
                             const std::filesystem::path &Object);

std::vector<unsigned char> readBytes(const std::filesystem::path &Path);
void writeBytes(const std::filesystem::path &Path,
                const std::vector<unsigned char> &Bytes);

/// Shell-quotes one argument.
std::string quote(const std::string &Arg);

/// Where a named section of an ELF64 little-endian object is: its section
/// header (file offset of the 64-byte entry), type, flags and contents. For
/// tests that inspect or edit objects; nullopt if the object is unreadable or
/// has no such section (the first of that name is returned).
struct ElfSection {
  size_t Header = 0, Offset = 0, Size = 0;
  uint32_t Type = 0;
  uint64_t Flags = 0;
};
std::optional<ElfSection> findSection(const std::vector<unsigned char> &Obj,
                                      const std::string &Name);

/// Sets the sh_size field of the section whose header is at `Header`.
void setSectionSize(std::vector<unsigned char> &Obj, size_t Header, uint64_t Size);

} // namespace vep::test

#endif
