//===- KernelTest.cpp - vepcc objects in the Linux kernel -----------------===//
//
// Every example's vepcc object must load into the running kernel (through
// libbpf, as a user would load it) and, under BPF_PROG_TEST_RUN, return the
// same action as the same C built by `clang -O2 -g -target bpf` on crafted
// packets: too short for the headers, exactly the headers, and longer.
// Where the kernel refuses BPF (not root, no bpf syscall) the tests skip.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>

namespace fs = std::filesystem;
using namespace vep::test;

namespace {

using Packet = std::vector<unsigned char>;

/// Packets that exercise the parsing examples: Ethernet-only, IPv4 headers
/// with and without options (IHL 5, 6, 15 and the invalid 2), each transport
/// protocol the examples test, at lengths around each header boundary.
std::vector<Packet> craftedPackets() {
  std::vector<Packet> Out;
  const size_t Lengths[] = {14, 15, 33, 34, 35, 37, 38, 54, 74, 75, 98, 128};
  const unsigned EtherTypes[] = {0x0800, 0x86dd, 0x0806};
  const unsigned char Protocols[] = {1, 6, 17, 47};
  const unsigned char Ihls[] = {5, 6, 15, 2};
  const unsigned char Fills[] = {0x00, 0xab};
  for (size_t Len : Lengths)
    for (unsigned Type : EtherTypes)
      for (unsigned char Proto : Protocols)
        for (unsigned char Ihl : Ihls)
          for (unsigned char Fill : Fills) {
            Packet P(Len, Fill);
            auto Put = [&](size_t At, unsigned char V) {
              if (At < Len)
                P[At] = V;
            };
            Put(12, Type >> 8);
            Put(13, Type & 0xff);
            Put(14, 0x40 | Ihl); // version 4, header length in 32-bit words
            Put(23, Proto);
            Out.push_back(std::move(P));
          }
  return Out;
}

struct ObjectDeleter {
  void operator()(bpf_object *O) const { bpf_object__close(O); }
};
using ObjectPtr = std::unique_ptr<bpf_object, ObjectDeleter>;

/// Opens and loads `Path`; fails the test with libbpf's reason on error.
ObjectPtr load(const fs::path &Path, std::string &Error) {
  bpf_object *Obj = bpf_object__open_file(Path.c_str(), nullptr);
  if (!Obj) {
    Error = "cannot open " + Path.string() + ": " + strerror(errno);
    return nullptr;
  }
  ObjectPtr Owned(Obj);
  if (int Err = bpf_object__load(Obj)) {
    Error = "kernel refused " + Path.string() + ": " + strerror(-Err);
    return nullptr;
  }
  return Owned;
}

/// Runs the object's only program on `P`; returns the XDP action.
int runOnce(bpf_object *Obj, const Packet &P) {
  bpf_program *Prog = bpf_object__next_program(Obj, nullptr);
  if (!Prog)
    return -1;
  std::vector<unsigned char> Out(P.size() + 256);
  LIBBPF_OPTS(bpf_test_run_opts, Opts, .data_in = P.data(), .data_out = Out.data(),
              .data_size_in = static_cast<__u32>(P.size()),
              .data_size_out = static_cast<__u32>(Out.size()), .repeat = 1);
  if (bpf_prog_test_run_opts(bpf_program__fd(Prog), &Opts))
    return -1;
  return static_cast<int>(Opts.retval);
}

bool kernelAcceptsBpf(std::string &Why) {
  // The smallest program there is: r0 = 2 (XDP_PASS); exit.
  struct bpf_insn Insns[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 2},
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
  };
  int Fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "probe", "GPL", Insns, 2, nullptr);
  if (Fd < 0) {
    Why = std::string("the kernel refuses BPF here (") + strerror(errno) +
          "); run as root on a kernel with BPF enabled";
    return false;
  }
  close(Fd);
  return true;
}

/// Examples whose source says `kernel-verifier: rejects` are ones the Linux
/// verifier refuses although VEP proves them safe (e.g. loops bounded only by
/// the packet length); their run cannot be compared in the kernel.
bool kernelRejects(const fs::path &Source) {
  std::ifstream In(Source);
  std::string Text((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
  return Text.find("kernel-verifier: rejects") != std::string::npos;
}

class KernelRun : public testing::TestWithParam<fs::path> {
protected:
  void SetUp() override {
    std::string Why;
    if (!kernelAcceptsBpf(Why))
      GTEST_SKIP() << Why;
  }
};

TEST_P(KernelRun, VepccObjectBehavesLikeClangObject) {
  fs::path Dir = scratchDir("kernel-" + GetParam().stem().string());
  fs::path VepObj = Dir / "vep.o", ClangObj = Dir / "clang.o";
  CommandResult R = run(quote((binDir() / "vepcc").string()) + " " + quote(GetParam()) +
                        " -o " + quote(VepObj));
  ASSERT_EQ(R.Status, 0) << R.Output;
  R = buildWithClang(GetParam(), ClangObj);
  ASSERT_EQ(R.Status, 0) << R.Output;

  std::string Error;
  if (kernelRejects(GetParam())) {
    // Record the claim the example makes: if a kernel starts accepting it,
    // the example and the docs must change.
    EXPECT_FALSE(load(ClangObj, Error)) << "the kernel now accepts the clang build";
    GTEST_SKIP() << "the Linux verifier rejects this program (" << Error
                 << "); VEP proves it safe, so there is no kernel run to compare";
  }
  ObjectPtr Vep = load(VepObj, Error);
  ASSERT_TRUE(Vep) << Error;
  ObjectPtr Clang = load(ClangObj, Error);
  ASSERT_TRUE(Clang) << Error;

  std::vector<Packet> Packets = craftedPackets();
  unsigned Compared = 0;
  std::vector<int> SeenActions;
  for (const Packet &P : Packets) {
    int Expected = runOnce(Clang.get(), P);
    ASSERT_GE(Expected, 0) << "test run of the clang build failed";
    int Got = runOnce(Vep.get(), P);
    ASSERT_EQ(Got, Expected) << "packet of " << P.size() << " bytes, EtherType "
                             << int(P[12]) << "," << int(P[13]);
    ++Compared;
    if (std::find(SeenActions.begin(), SeenActions.end(), Got) == SeenActions.end())
      SeenActions.push_back(Got);
  }
  EXPECT_EQ(Compared, Packets.size());
  // The packets are chosen so that every example takes more than one branch.
  EXPECT_GE(SeenActions.size(), 2u) << "the crafted packets exercise only one outcome";
}

std::string testName(const testing::TestParamInfo<fs::path> &Info) {
  return Info.param.stem().string();
}

INSTANTIATE_TEST_SUITE_P(Examples, KernelRun, testing::ValuesIn(safeExamples()), testName);

} // namespace
