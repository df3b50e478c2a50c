//===- KernelTest.cpp - vepcc objects in the Linux kernel -----------------===//
//
// Every example's vepcc object (which carries its proof in the section
// .vep.proof) must load into the running kernel (through libbpf, as a user
// would load it) and, under BPF_PROG_TEST_RUN, give the same action and the
// same output packet (data_out, its length included: the examples that
// move the packet's start or end with bpf_xdp_adjust_head/tail or
// bpf_skb_change_tail are compared on the packet they leave) as the same
// C built by `clang -O2 -g -target bpf`, on
// crafted packets (too short for the headers, exactly the headers, longer)
// and on at least 200 generated ones (a seeded generator; the seed is printed
// on failure and can be set with VEP_TEST_SEED); for an example with maps,
// whose hash maps are first filled alike as user space would, after the same
// packets both builds' maps must hold the same entries. Also bpftool loading the
// object, and vep-load: loading and pinning, and the Linux verifier refusing
// a program VEP proved. libbpf gives each program its type by its section
// (xdp, tc, socket); for tc programs and socket filters the runs also
// compare the context fields the kernel reports back (mark, priority, cb[]),
// and a packet the kernel refuses to make an skb of (EINVAL) must be
// refused for both builds. A socket filter sees the packet from its IPv4
// header on (BPF_PROG_TEST_RUN pulls the Ethernet header for it).
// Tracing programs have no packet. BPF_PROG_TEST_RUN cannot run kprobe,
// tracepoint, perf_event and sock_ops programs: for those both builds must
// pass the Linux verifier, and the run is skipped with that reason. Raw tracepoint programs run on
// contexts of 12 u64 arguments (ctx_in; crafted and at least 200
// generated), comparing results and map contents.
// Every loaded vepcc program must carry the func and line info of its
// .BTF.ext as the kernel took it, each line info quoting the example's line
// of its number (and bpftool and the verifier log show those lines).
// Where the kernel refuses BPF (not root, no bpf syscall) the tests skip.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <sched.h>
#include <sys/vfs.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace vep::test;

namespace {

using Packet = std::vector<unsigned char>;

/// Packets that exercise the parsing examples, at lengths around each header
/// boundary: Ethernet-only; IPv4 headers with and without options (IHL 5, 6,
/// 15 and the invalid 2) carrying each transport protocol the examples test;
/// IPv6 fixed headers with the same next headers (and the hop-by-hop and
/// fragment extension headers, 0 and 44), followed by the start of an
/// upper-layer header the IPv6 examples act on (ICMPv6 echo request or
/// reply, UDP to port 11211, TCP to port 23); Ethernet/IPv4 ARP replies;
/// IPv4 ICMP echo requests and VLAN-tagged frames.
/// The zero-filled IPv4 ones have port 53 as the destination port of a
/// transport header after a 20-byte IPv4 header (DNS for the UDP examples).
std::vector<Packet> craftedPackets() {
  std::vector<Packet> Out;
  const size_t Lengths[] = {14, 15, 33, 34, 35, 37, 38, 54, 74, 75, 98, 128};
  const unsigned EtherTypes[] = {0x0800, 0x86dd, 0x0806};
  const unsigned char Protocols[] = {0, 1, 6, 17, 44, 47, 58};
  // Per packet, one of four IPv4 header lengths or, for IPv6, one of four
  // upper-layer headers (bytes 54..57: ICMPv6 type and code, or ports).
  const unsigned char Ihls[] = {5, 6, 15, 2};
  const unsigned char Ipv6Upper[4][4] = {
      {128, 0, 0, 0}, {129, 0, 0, 0}, {0x9c, 0x40, 0x2b, 0xcb}, {0x9c, 0x40, 0x00, 23}};
  const unsigned char ArpReply[8] = {0, 1, 0x08, 0x00, 6, 4, 0, 2};
  const unsigned char Fills[] = {0x00, 0xab};
  for (size_t Len : Lengths)
    for (unsigned Type : EtherTypes)
      for (unsigned char Proto : Protocols)
        for (size_t Variant = 0; Variant < 4; ++Variant)
          for (unsigned char Fill : Fills) {
            Packet P(Len, Fill);
            auto Put = [&](size_t At, unsigned char V) {
              if (At < Len)
                P[At] = V;
            };
            Put(12, Type >> 8);
            Put(13, Type & 0xff);
            if (Type == 0x86dd) {
              Put(14, 0x60); // version 6
              Put(20, Proto); // next header
              for (size_t I = 0; I < 4; ++I)
                Put(54 + I, Ipv6Upper[Variant][I]);
            } else if (Type == 0x0806) {
              for (size_t I = 0; I < 8; ++I)
                Put(14 + I, ArpReply[I]);
            } else {
              Put(14, 0x40 | Ihls[Variant]); // version 4, length in 32-bit words
              Put(23, Proto);
              if (Fill == 0x00)
                Put(37, 53);
            }
            Out.push_back(std::move(P));
          }
  // ICMP echo requests (IPv4, IHL 5, type 8, code 0) whose total length is
  // the whole datagram, leaves Ethernet padding after it (a minimum
  // 60-byte frame), is shorter than the headers or longer than the frame;
  // 802.1Q-tagged frames carrying IPv4 or ARP. The examples that change
  // the packet act on these (icmp_echo_reply, vlan_pop).
  const std::pair<size_t, unsigned> EchoRequests[] = {
      {42, 28}, {60, 28}, {60, 46}, {98, 84}, {98, 200}, {42, 20}};
  for (auto [Len, Total] : EchoRequests) {
    Packet P(Len, 0x11);
    P[12] = 0x08, P[13] = 0x00;               // IPv4
    P[14] = 0x45;                             // version 4, IHL 5
    P[16] = Total >> 8, P[17] = Total & 0xff; // total length
    P[23] = 1;                                // ICMP
    P[34] = 8, P[35] = 0;                     // echo request
    Out.push_back(std::move(P));
  }
  for (unsigned Inner : {0x0800u, 0x0806u})
    for (size_t Len : {18, 34, 64}) {
      Packet P(Len, 0x22);
      P[12] = 0x81, P[13] = 0x00;               // 802.1Q
      P[14] = 0x00, P[15] = 100;                // VLAN 100
      P[16] = Inner >> 8, P[17] = Inner & 0xff; // encapsulated EtherType
      Out.push_back(std::move(P));
    }
  return Out;
}

/// splitmix64: a small generator whose sequence is fixed by its seed on
/// every platform (the standard distributions are not).
class Rng {
public:
  explicit Rng(uint64_t Seed) : State(Seed) {}
  uint64_t next() {
    uint64_t Z = (State += 0x9e3779b97f4a7c15ull);
    Z = (Z ^ (Z >> 30)) * 0xbf58476d1ce4e5b9ull;
    Z = (Z ^ (Z >> 27)) * 0x94d049bb133111ebull;
    return Z ^ (Z >> 31);
  }
  /// Uniform in [0, N) (the modulo bias is irrelevant here).
  unsigned below(unsigned N) { return static_cast<unsigned>(next() % N); }
  bool percent(unsigned P) { return below(100) < P; }

private:
  uint64_t State;
};

constexpr uint64_t DefaultSeed = 0x5eed0005;
constexpr unsigned GeneratedPerExample = 256;

uint64_t testSeed() {
  const char *Env = std::getenv("VEP_TEST_SEED");
  return Env && *Env ? std::strtoull(Env, nullptr, 0) : DefaultSeed;
}

/// A random packet for the examples: lengths 14..256, often exactly a header
/// boundary; IPv4 and other EtherTypes (including invalid ones); an IPv4
/// version/IHL byte with every IHL 0..15; the transport protocols the
/// examples test and others; random bytes elsewhere, with zeros at random
/// positions (so the string scan stops at different places) or none.
Packet generatedPacket(Rng &R) {
  static const size_t Boundaries[] = {14, 33, 34, 35, 38, 54};
  static const unsigned EtherTypes[] = {0x0800, 0x0800, 0x0800, 0x86dd,
                                        0x0806, 0x8100, 0x0008, 0x0000};
  static const unsigned char Protocols[] = {1, 6, 17, 0, 2, 47, 58, 255};
  size_t Len = R.percent(30) ? Boundaries[R.below(6)] : 14 + R.below(256 - 14 + 1);
  Packet P(Len);
  for (unsigned char &B : P)
    B = static_cast<unsigned char>(R.next());
  unsigned Type = R.percent(85) ? EtherTypes[R.below(8)] : R.below(0x10000);
  P[12] = static_cast<unsigned char>(Type >> 8);
  P[13] = static_cast<unsigned char>(Type);
  if (Len > 14) {
    unsigned Version = R.percent(90) ? 4 : R.below(16);
    P[14] = static_cast<unsigned char>(Version << 4 | R.below(16));
  }
  if (Len > 23)
    P[23] = R.percent(80) ? Protocols[R.below(8)] : static_cast<unsigned char>(R.next());
  switch (R.below(4)) {
  case 0: // no zero byte at all: scans run to the end of the packet
    for (unsigned char &B : P)
      if (B == 0)
        B = 0x5a;
    break;
  case 1: // one zero somewhere in the first 80 bytes (strings of 0..79)
    P[R.below(static_cast<unsigned>(std::min<size_t>(Len, 80)))] = 0;
    break;
  default: // a few zeros anywhere
    for (unsigned K = 1 + R.below(4); K > 0; --K)
      P[R.below(static_cast<unsigned>(Len))] = 0;
  }
  return P;
}

std::string hex(const Packet &P) {
  std::string Out;
  char Buf[4];
  for (unsigned char B : P) {
    std::snprintf(Buf, sizeof Buf, "%02x", B);
    Out += Buf;
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

/// Every program of the loaded vepcc object `Obj`, built from `Source`,
/// has the func and line info of its `.BTF.ext` as the kernel took it
/// (bpf_prog_info; the kernel refuses the load when a record breaks its
/// rules): a func info per function and line infos that each name
/// `Source` and quote its line of their number, as
/// `bpftool prog dump xlated ... linum` and verifier logs show them.
void expectSourceLines(bpf_object *Obj, const fs::path &Source) {
  std::vector<std::string> Lines;
  {
    std::ifstream In(Source);
    for (std::string L; std::getline(In, L);)
      Lines.push_back(L);
  }
  bpf_program *Prog;
  bpf_object__for_each_program(Prog, Obj) {
    SCOPED_TRACE(bpf_program__name(Prog));
    const int Fd = bpf_program__fd(Prog);
    bpf_prog_info Info{};
    uint32_t Len = sizeof Info;
    ASSERT_EQ(bpf_obj_get_info_by_fd(Fd, &Info, &Len), 0) << strerror(errno);
    EXPECT_GE(Info.nr_func_info, 1u);
    ASSERT_GE(Info.nr_line_info, 2u) << "one line for a whole program";
    std::vector<bpf_line_info> LineInfo(Info.nr_line_info);
    const uint32_t BtfId = Info.btf_id;
    Info = {};
    Info.nr_line_info = uint32_t(LineInfo.size());
    Info.line_info_rec_size = sizeof(bpf_line_info);
    Info.line_info = reinterpret_cast<uintptr_t>(LineInfo.data());
    Len = sizeof Info;
    ASSERT_EQ(bpf_obj_get_info_by_fd(Fd, &Info, &Len), 0) << strerror(errno);
    std::unique_ptr<btf, void (*)(btf *)> Btf(btf__load_from_kernel_by_id(BtfId), btf__free);
    ASSERT_TRUE(Btf) << "no BTF for the program";
    for (const bpf_line_info &L : LineInfo) {
      const unsigned Line = BPF_LINE_INFO_LINE_NUM(L.line_col);
      ASSERT_TRUE(Line >= 1 && Line <= Lines.size()) << "line " << Line;
      EXPECT_EQ(std::string(btf__name_by_offset(Btf.get(), L.file_name_off)), Source.string());
      EXPECT_EQ(std::string(btf__name_by_offset(Btf.get(), L.line_off)), Lines[Line - 1])
          << "line " << Line;
    }
  }
}

/// Type Id of B as text for comparing two objects' BTF by content (ids
/// differ): names, sizes, encodings, members with bit offsets and
/// bit-field sizes; inside a struct, union or array, a pointer to a struct
/// or union by the record's name only, and whether the BTF describes it in
/// full or as a FWD (a list node's `next` is no cycle then; clang writes
/// the record in full when it describes it anywhere, else a FWD).
std::string btfText(const btf *B, uint32_t Id, bool InRecord = false) {
  if (Id == 0)
    return "void";
  const btf_type *T = btf__type_by_id(B, Id);
  const std::string Name = btf__name_by_offset(B, T->name_off);
  std::ostringstream S;
  switch (btf_kind(T)) {
  case BTF_KIND_INT:
    S << "int " << Name << "/" << T->size << "/" << unsigned(btf_int_bits(T)) << "/"
      << unsigned(btf_int_encoding(T));
    break;
  case BTF_KIND_PTR: {
    const btf_type *To = btf__type_by_id(B, T->type);
    if (InRecord && T->type && (btf_is_composite(To) || btf_is_fwd(To)))
      S << (btf_is_fwd(To) ? "*fwd " : "*record ") << btf__name_by_offset(B, To->name_off);
    else
      S << "*" << btfText(B, T->type, InRecord);
    break;
  }
  case BTF_KIND_TYPEDEF:
    S << Name << "=" << btfText(B, T->type, InRecord);
    break;
  case BTF_KIND_CONST:
  case BTF_KIND_VOLATILE:
    S << (btf_is_const(T) ? "const " : "volatile ") << btfText(B, T->type, InRecord);
    break;
  case BTF_KIND_ARRAY:
    S << btfText(B, btf_array(T)->type, true) << "[" << btf_array(T)->nelems << "]";
    break;
  case BTF_KIND_STRUCT:
  case BTF_KIND_UNION:
    S << (btf_is_struct(T) ? "struct " : "union ") << Name << "/" << T->size << "{";
    for (unsigned I = 0; I < btf_vlen(T); ++I)
      S << btf__name_by_offset(B, btf_members(T)[I].name_off) << "@"
        << btf_member_bit_offset(T, I) << ":" << btf_member_bitfield_size(T, I) << " "
        << btfText(B, btf_members(T)[I].type, true) << "; ";
    S << "}";
    break;
  case BTF_KIND_ENUM:
    S << "enum " << Name << "/" << T->size << "{";
    for (unsigned I = 0; I < btf_vlen(T); ++I)
      S << btf__name_by_offset(B, btf_enum(T)[I].name_off) << "=" << btf_enum(T)[I].val << " ";
    S << "}";
    break;
  case BTF_KIND_FUNC_PROTO:
    S << "(";
    for (unsigned I = 0; I < btf_vlen(T); ++I)
      S << btf__name_by_offset(B, btf_params(T)[I].name_off) << ": "
        << btfText(B, btf_params(T)[I].type, InRecord) << ", ";
    S << ") -> " << btfText(B, T->type, InRecord);
    break;
  case BTF_KIND_FWD:
    S << "fwd " << Name;
    break;
  default:
    S << "kind " << btf_kind(T) << " " << Name;
  }
  return S.str();
}

/// What an object's BTF says of its declared C types: each map's key and
/// value (the members `key` and `value` of its definition), each global
/// variable's type, the license variable's type (not its name: vepcc's
/// symbol is `_license`), each function's signature and linkage.
std::map<std::string, std::string> declaredTypes(const fs::path &Object) {
  std::map<std::string, std::string> Out;
  std::unique_ptr<btf, void (*)(btf *)> B(btf__parse_elf(Object.c_str(), nullptr), btf__free);
  if (libbpf_get_error(B.get())) {
    B.release();
    Out["error"] = "no .BTF";
    return Out;
  }
  for (uint32_t Id = 1; Id < btf__type_cnt(B.get()); ++Id) {
    const btf_type *T = btf__type_by_id(B.get(), Id);
    const std::string Name = btf__name_by_offset(B.get(), T->name_off);
    if (btf_is_func(T))
      Out["func " + Name] = btfText(B.get(), T->type) + " linkage " +
                            std::to_string(btf_vlen(T));
    if (!btf_is_datasec(T))
      continue;
    for (unsigned I = 0; I < btf_vlen(T); ++I) {
      const btf_type *Var = btf__type_by_id(B.get(), btf_var_secinfos(T)[I].type);
      const std::string VarName = btf__name_by_offset(B.get(), Var->name_off);
      if (Name == "license") {
        Out["license"] = btfText(B.get(), Var->type);
        continue;
      }
      if (Name != ".maps") {
        Out[Name + " " + VarName] = btfText(B.get(), Var->type);
        continue;
      }
      const btf_type *Def = btf__type_by_id(B.get(), Var->type);
      for (unsigned K = 0; K < btf_vlen(Def); ++K) {
        const std::string Member = btf__name_by_offset(B.get(), btf_members(Def)[K].name_off);
        if (Member == "key" || Member == "value")
          Out["map " + VarName + " " + Member] =
              btfText(B.get(), btf__type_by_id(B.get(), btf_members(Def)[K].type)->type);
      }
    }
  }
  return Out;
}

/// The declared types of the vepcc and clang builds of Source, or a
/// failure to build either.
void expectSameDeclaredTypes(const fs::path &Source, const fs::path &Dir) {
  fs::path VepObj = Dir / "vep.o", ClangObj = Dir / "clang.o";
  CommandResult R = run(quote((binDir() / "vepcc").string()) + " " + quote(Source) +
                        " -o " + quote(VepObj));
  ASSERT_EQ(R.Status, 0) << R.Output;
  R = buildWithClang(Source, ClangObj);
  ASSERT_EQ(R.Status, 0) << R.Output;
  EXPECT_EQ(declaredTypes(VepObj), declaredTypes(ClangObj)) << Source;
}

/// What one BPF_PROG_TEST_RUN gave: the program's result (the XDP or tc
/// action, a socket filter's length to keep; -1 if the run failed), the
/// packet as the program left it (data_out) and, for programs on an skb,
/// the context fields a program may write that the kernel reports back
/// (ctx_out: mark, priority, cb[0..4]; empty otherwise).
struct RunResult {
  int Action = -1;
  int Error = 0; // errno of a failed run
  Packet Out;
  std::string Ctx;
};

RunResult runFd(int Fd, const Packet &P, bool SkbContext = false) {
  RunResult R;
  Packet Out(P.size() + 256);
  __sk_buff CtxIn{}, CtxOut{}; // all zero: the kernel accepts that context
  LIBBPF_OPTS(bpf_test_run_opts, Opts, .data_in = P.data(), .data_out = Out.data(),
              .data_size_in = static_cast<__u32>(P.size()),
              .data_size_out = static_cast<__u32>(Out.size()), .repeat = 1);
  if (SkbContext) {
    Opts.ctx_in = &CtxIn;
    Opts.ctx_size_in = sizeof CtxIn;
    Opts.ctx_out = &CtxOut;
    Opts.ctx_size_out = sizeof CtxOut;
  }
  if (bpf_prog_test_run_opts(Fd, &Opts)) {
    R.Error = errno;
    return R;
  }
  Out.resize(std::min<size_t>(Opts.data_size_out, Out.size()));
  R.Action = static_cast<int>(Opts.retval);
  R.Out = std::move(Out);
  if (SkbContext) {
    std::ostringstream C;
    C << "mark " << CtxOut.mark << ", priority " << CtxOut.priority << ", cb";
    for (__u32 V : CtxOut.cb)
      C << " " << V;
    R.Ctx = C.str();
  }
  return R;
}

/// The name a map is compared by: its own, or for libbpf's internal map of
/// global variables (named "<object name>.bss", and the object names of the
/// two builds differ) its section.
std::string mapKey(const bpf_map *M) {
  std::string Name = bpf_map__name(M);
  if (bpf_map__is_internal(M))
    for (const char *Sec : {".rodata", ".data", ".bss"})
      if (Name.size() >= std::strlen(Sec) &&
          Name.compare(Name.size() - std::strlen(Sec), std::string::npos, Sec) == 0)
        return Sec;
  return Name;
}

/// Every entry of every map of an object, by mapKey: array maps at every
/// index (so the globals of `.data`, `.bss` and `.rodata` too), ring
/// buffers by consuming their records (libbpf's ring_buffer API: "record
/// N", in the order submitted; a record read is gone from the ring), other
/// maps by iterating their keys (bpf_map_get_next_key); keys and values in
/// hex. Values of per-CPU maps hold one 8-byte-aligned value per possible
/// CPU. A map of maps' values are the kernel's ids of its inner maps, which
/// differ between the builds: they are compared by the inner map's mapKey
/// (libbpf fills them from the initial values with the object's maps).
using Bytes = std::vector<unsigned char>;
using MapEntries = std::map<std::string, std::string>;

std::map<std::string, MapEntries> mapContents(bpf_object *Obj) {
  std::map<std::string, MapEntries> Out;
  std::map<uint32_t, std::string> NameOfId;
  bpf_map *M;
  bpf_object__for_each_map(M, Obj) {
    bpf_map_info Info{};
    uint32_t Len = sizeof Info;
    if (bpf_obj_get_info_by_fd(bpf_map__fd(M), &Info, &Len) == 0)
      NameOfId[Info.id] = mapKey(M);
  }
  bpf_object__for_each_map(M, Obj) {
    MapEntries &E = Out[mapKey(M)];
    bpf_map_type Type = bpf_map__type(M);
    bool PerCpu = Type == BPF_MAP_TYPE_PERCPU_ARRAY || Type == BPF_MAP_TYPE_PERCPU_HASH ||
                  Type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
    size_t ValueSize = bpf_map__value_size(M);
    if (PerCpu)
      ValueSize = (ValueSize + 7) / 8 * 8 * static_cast<size_t>(libbpf_num_possible_cpus());
    Bytes Key(bpf_map__key_size(M)), Next(Key.size()), Value(ValueSize);
    int Fd = bpf_map__fd(M);
    bool OfMaps =
        Type == BPF_MAP_TYPE_ARRAY_OF_MAPS || Type == BPF_MAP_TYPE_HASH_OF_MAPS;
    auto Read = [&](const Bytes &K) {
      uint32_t Id = 0;
      if (bpf_map_lookup_elem(Fd, K.data(), Value.data()) != 0)
        return;
      std::memcpy(&Id, Value.data(), std::min(Value.size(), sizeof Id));
      E[hex(K)] = !OfMaps              ? hex(Value)
                  : NameOfId.count(Id) ? "map " + NameOfId[Id]
                                       : "a map not of the object";
    };
    if (Type == BPF_MAP_TYPE_RINGBUF) {
      auto Record = [](void *Entries, void *Data, size_t Size) {
        auto &Into = *static_cast<MapEntries *>(Entries);
        char Key[32];
        std::snprintf(Key, sizeof Key, "record %06zu", Into.size());
        const auto *First = static_cast<const unsigned char *>(Data);
        Into[Key] = hex(Packet(First, First + Size));
        return 0;
      };
      ring_buffer *Ring = ring_buffer__new(Fd, Record, &E, nullptr);
      EXPECT_NE(Ring, nullptr) << "ring_buffer__new of " << bpf_map__name(M);
      if (Ring)
        EXPECT_GE(ring_buffer__consume(Ring), 0);
      ring_buffer__free(Ring);
      continue;
    }
    if (Type == BPF_MAP_TYPE_ARRAY || Type == BPF_MAP_TYPE_PERCPU_ARRAY) {
      for (uint32_t I = 0; I < bpf_map__max_entries(M); ++I) {
        std::memcpy(Key.data(), &I, std::min(Key.size(), sizeof I));
        Read(Key);
      }
      continue;
    }
    for (const void *Prev = nullptr; bpf_map_get_next_key(Fd, Prev, Next.data()) == 0;
         Prev = Key.data()) {
      Key = Next;
      Read(Key);
    }
  }
  return Out;
}

/// User space's part, alike for both builds: every hash map with 4-byte keys
/// gets the IPv4 source and destination addresses (bytes 26..33) of every
/// third packet as keys, with the value 1, as a blocklist or a table of
/// known hosts would be filled; so lookups both hit and miss.
void prefillHashMaps(bpf_object *Obj, const std::vector<Packet> &Packets) {
  bpf_map *M;
  bpf_object__for_each_map(M, Obj) {
    bpf_map_type Type = bpf_map__type(M);
    if ((Type != BPF_MAP_TYPE_HASH && Type != BPF_MAP_TYPE_LRU_HASH) ||
        bpf_map__key_size(M) != 4)
      continue;
    Bytes Value(bpf_map__value_size(M), 0);
    Value[0] = 1;
    for (size_t I = 0; I < Packets.size(); I += 3)
      for (size_t At : {26, 30})
        if (Packets[I].size() >= At + 4) // a full map just refuses more
          bpf_map_update_elem(bpf_map__fd(M), &Packets[I][At], Value.data(), BPF_ANY);
  }
}

/// The first entry where two maps' contents differ, for a failure message.
std::string firstDifference(const MapEntries &Got, const MapEntries &Want) {
  for (const auto &[K, V] : Want) {
    auto It = Got.find(K);
    if (It == Got.end())
      return "key " + K + " missing (clang's value " + V + ")";
    if (It->second != V)
      return "key " + K + ": " + It->second + " instead of clang's " + V;
  }
  for (const auto &[K, V] : Got)
    if (!Want.count(K))
      return "key " + K + " (value " + V + ") not in clang's map";
  return "";
}

/// The type of the object's first program (libbpf's, by its section).
bpf_prog_type programType(bpf_object *Obj) {
  bpf_program *Prog = bpf_object__next_program(Obj, nullptr);
  return Prog ? bpf_program__type(Prog) : BPF_PROG_TYPE_UNSPEC;
}

/// Whether the object's only program runs on an skb (tc, socket filter).
bool runsOnSkb(bpf_object *Obj) {
  bpf_prog_type Type = programType(Obj);
  return Type == BPF_PROG_TYPE_SCHED_CLS || Type == BPF_PROG_TYPE_SOCKET_FILTER;
}

/// A raw tracepoint's arguments: 12 u64s (MAX_BPF_FUNC_ARGS, the most a
/// program may read).
using RawArgs = std::array<uint64_t, 12>;

/// Runs the object's only program, a raw tracepoint, on `Args` (ctx_in;
/// the kernel takes no data, no ctx_out and a repeat count of 0 there).
RunResult runRawTracepoint(bpf_object *Obj, const RawArgs &Args) {
  RunResult R;
  bpf_program *Prog = bpf_object__next_program(Obj, nullptr);
  LIBBPF_OPTS(bpf_test_run_opts, Opts, .ctx_in = Args.data(),
              .ctx_size_in = static_cast<__u32>(sizeof Args));
  if (!Prog || bpf_prog_test_run_opts(bpf_program__fd(Prog), &Opts)) {
    R.Error = errno;
    return R;
  }
  R.Action = static_cast<int>(Opts.retval);
  return R;
}

/// Generated raw tracepoint arguments: mostly small numbers (system call
/// numbers, below and above the examples' table sizes), sometimes any
/// u64; args[0], which the examples read as a kernel address, a user-space
/// address or 0, which bpf_probe_read_kernel refuses (reading real kernel
/// memory could give the two builds different bytes).
RawArgs generatedRawArgs(Rng &R) {
  RawArgs A;
  for (uint64_t &V : A)
    V = R.percent(70) ? R.below(1024) : R.next();
  A[0] = R.percent(20) ? 0 : R.next() & 0x00007fffffff0000ull;
  return A;
}

/// Runs the object's only program on `P` (with an __sk_buff context for
/// tc programs and socket filters).
RunResult runOnce(bpf_object *Obj, const Packet &P) {
  bpf_program *Prog = bpf_object__next_program(Obj, nullptr);
  return Prog ? runFd(bpf_program__fd(Prog), P, runsOnSkb(Obj)) : RunResult();
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

/// The vepcc build's maps hold what the clang build's (`Want`) do, after
/// the same runs.
void expectSameMaps(bpf_object *Vep, const std::map<std::string, MapEntries> &Want,
                    uint64_t Seed) {
  std::map<std::string, MapEntries> Got = mapContents(Vep);
  for (const auto &[Name, Entries] : Want) {
    auto It = Got.find(Name);
    ASSERT_NE(It, Got.end()) << "the vepcc build has no map " << Name;
    EXPECT_TRUE(It->second == Entries)
        << "map " << Name << " differs after the same runs (seed 0x" << std::hex << Seed
        << std::dec << "): " << firstDifference(It->second, Entries);
  }
  EXPECT_EQ(Got.size(), Want.size()) << "the builds define different maps";
}

/// Both builds of a raw tracepoint example on the same arguments: crafted
/// ones (all zero; system call numbers 0, 511, 512, 513 with args[0] 0)
/// and GeneratedPerExample generated ones; the same results, then the same
/// map contents, and more than one outcome.
void compareRawTracepointRuns(bpf_object *Vep, bpf_object *Clang, uint64_t Seed) {
  std::vector<RawArgs> Inputs;
  for (uint64_t Id : {0, 1, 511, 512, 513}) {
    RawArgs A{};
    A[1] = Id;
    Inputs.push_back(A);
  }
  Rng Gen(Seed);
  while (Inputs.size() < 5 + GeneratedPerExample)
    Inputs.push_back(generatedRawArgs(Gen));
  const std::map<std::string, MapEntries> MapsBefore = mapContents(Clang);
  std::vector<int> Results;
  for (size_t I = 0; I < Inputs.size(); ++I) {
    std::ostringstream Which;
    Which << "arguments #" << I << " (seed 0x" << std::hex << Seed << "):";
    for (uint64_t V : Inputs[I])
      Which << " 0x" << V;
    SCOPED_TRACE(Which.str());
    RunResult Expected = runRawTracepoint(Clang, Inputs[I]);
    ASSERT_GE(Expected.Action, 0) << "test run of the clang build failed: "
                                  << strerror(Expected.Error);
    RunResult Got = runRawTracepoint(Vep, Inputs[I]);
    ASSERT_EQ(Got.Action, Expected.Action) << "different result";
    if (std::find(Results.begin(), Results.end(), Got.Action) == Results.end())
      Results.push_back(Got.Action);
  }
  const std::map<std::string, MapEntries> WantMaps = mapContents(Clang);
  expectSameMaps(Vep, WantMaps, Seed);
  EXPECT_TRUE(Results.size() >= 2 || WantMaps != MapsBefore)
      << "the arguments exercise only one outcome";
}

class KernelRun : public testing::TestWithParam<fs::path> {
protected:
  void SetUp() override {
    std::string Why;
    if (!kernelAcceptsBpf(Why))
      GTEST_SKIP() << Why;
    // BPF_PROG_TEST_RUN runs the program on the calling thread's CPU: both
    // builds must count into the same CPU's slot of a per-CPU map for their
    // map contents to be comparable, so the test stays on one CPU.
    cpu_set_t One;
    CPU_ZERO(&One);
    CPU_SET(static_cast<unsigned>(sched_getcpu()), &One);
    ASSERT_EQ(sched_setaffinity(0, sizeof One, &One), 0) << strerror(errno);
  }
};

TEST_P(KernelRun, VepccObjectBehavesLikeClangObject) {
  fs::path Dir = scratchDir("kernel-" + GetParam().stem().string());
  fs::path VepObj = Dir / "vep.o", ClangObj = Dir / "clang.o";
  // bpftool prints map entries, and the kernel's log the context, by these
  // types: the declared ones, as clang -g writes them.
  expectSameDeclaredTypes(GetParam(), Dir);
  if (HasFatalFailure())
    return;
  // The object loaded below carries its proof: loaders ignore the section.
  EXPECT_TRUE(findSection(readBytes(VepObj), ".vep.proof")) << "no embedded proof";

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
  expectSourceLines(Vep.get(), GetParam());
  ObjectPtr Clang = load(ClangObj, Error);
  ASSERT_TRUE(Clang) << Error;

  const uint64_t Seed = testSeed();
  switch (bpf_prog_type Type = programType(Clang.get())) {
  case BPF_PROG_TYPE_KPROBE:
  case BPF_PROG_TYPE_TRACEPOINT:
  case BPF_PROG_TYPE_SOCK_OPS:
  case BPF_PROG_TYPE_PERF_EVENT:
    GTEST_SKIP() << "both builds pass the Linux verifier; BPF_PROG_TEST_RUN "
                    "does not run "
                 << libbpf_bpf_prog_type_str(Type)
                 << " programs, so there is no run to compare";
  case BPF_PROG_TYPE_RAW_TRACEPOINT:
    compareRawTracepointRuns(Vep.get(), Clang.get(), Seed);
    return;
  default:
    break;
  }
  std::vector<Packet> Packets = craftedPackets();
  const size_t Crafted = Packets.size();
  Rng Gen(Seed);
  for (unsigned I = 0; I < GeneratedPerExample; ++I)
    Packets.push_back(generatedPacket(Gen));
  prefillHashMaps(Vep.get(), Packets);
  prefillHashMaps(Clang.get(), Packets);
  const std::map<std::string, MapEntries> MapsBefore = mapContents(Clang.get());

  const bool OnSkb = runsOnSkb(Clang.get());
  unsigned Compared = 0, GeneratedCompared = 0, Refused = 0;
  std::vector<std::string> SeenOutcomes; // action and context fields
  for (size_t I = 0; I < Packets.size(); ++I) {
    const Packet &P = Packets[I];
    std::ostringstream Which;
    if (I < Crafted)
      Which << "crafted packet #" << I;
    else
      Which << "generated packet #" << (I - Crafted) << " of seed 0x" << std::hex << Seed
            << std::dec << " (rerun with VEP_TEST_SEED=0x" << std::hex << Seed << std::dec
            << ")";
    Which << ", " << P.size() << " bytes: " << hex(P);
    SCOPED_TRACE(Which.str());
    RunResult Expected = runOnce(Clang.get(), P);
    RunResult Got = runOnce(Vep.get(), P);
    if (Expected.Action < 0 && OnSkb && Expected.Error == EINVAL) {
      // Linux 6.x refuses to build an skb from some packets (an IPv4
      // EtherType with less than an IPv4 header after it): for both builds.
      ASSERT_EQ(Got.Action, -1) << "the kernel ran the vepcc build only";
      ASSERT_EQ(Got.Error, EINVAL);
      ++Refused;
      continue;
    }
    ASSERT_GE(Expected.Action, 0) << "test run of the clang build failed: "
                                  << strerror(Expected.Error);
    ASSERT_EQ(Got.Action, Expected.Action) << "different action";
    ASSERT_EQ(hex(Got.Out), hex(Expected.Out)) << "different output packet (data_out)";
    ASSERT_EQ(Got.Ctx, Expected.Ctx) << "different context fields (ctx_out)";
    ++Compared;
    if (I >= Crafted)
      ++GeneratedCompared;
    std::string Outcome = std::to_string(Got.Action) + "; " + Got.Ctx;
    if (std::find(SeenOutcomes.begin(), SeenOutcomes.end(), Outcome) == SeenOutcomes.end())
      SeenOutcomes.push_back(Outcome);
  }
  EXPECT_EQ(Compared + Refused, Packets.size());
  EXPECT_GE(GeneratedCompared, 200u) << "seed 0x" << std::hex << Seed;

  // The same packets left the same map contents (both builds have their own
  // maps, created empty by libbpf).
  const std::map<std::string, MapEntries> WantMaps = mapContents(Clang.get());
  expectSameMaps(Vep.get(), WantMaps, Seed);
  // The packets are chosen so that every example takes more than one branch:
  // it returns two actions or leaves two different contexts (a tc program
  // that sets skb->mark), or it writes its maps (an example that always
  // passes, counting into a map).
  EXPECT_TRUE(SeenOutcomes.size() >= 2 || WantMaps != MapsBefore)
      << "the packets exercise only one outcome";
}

std::string testName(const testing::TestParamInfo<fs::path> &Info) {
  return Info.param.stem().string();
}

INSTANTIATE_TEST_SUITE_P(Examples, KernelRun, testing::ValuesIn(safeExamples()), testName);

// The generator itself: a fixed seed gives fixed packets, and they cover what
// the header comment promises.
// Declared types no example has (tests/data/btf/*.c): the BTF of the
// vepcc build says what clang's does.
TEST(Btf, BtfOfTestInputsMatchesClang) {
  for (const auto &E : fs::directory_iterator(sourceDir() / "tests" / "data" / "btf"))
    if (E.path().extension() == ".c")
      expectSameDeclaredTypes(E.path(), scratchDir("btf-" + E.path().stem().string()));
}

TEST(PacketGenerator, CoversLengthsHeadersAndZeros) {
  Rng A(DefaultSeed), B(DefaultSeed);
  std::vector<bool> Ihl(16), Boundary(55);
  unsigned Ipv4 = 0, OtherType = 0, Icmp = 0, Tcp = 0, Udp = 0, ZeroFree = 0;
  size_t MinLen = 1000, MaxLen = 0;
  for (unsigned I = 0; I < GeneratedPerExample; ++I) {
    Packet P = generatedPacket(A);
    ASSERT_EQ(P, generatedPacket(B)) << "not reproducible";
    MinLen = std::min(MinLen, P.size());
    MaxLen = std::max(MaxLen, P.size());
    if (P.size() <= 54)
      Boundary[P.size()] = true;
    (P[12] == 0x08 && P[13] == 0x00 ? Ipv4 : OtherType)++;
    if (P.size() > 14)
      Ihl[P[14] & 0x0f] = true;
    if (P.size() > 23) {
      Icmp += P[23] == 1;
      Tcp += P[23] == 6;
      Udp += P[23] == 17;
    }
    ZeroFree += std::find(P.begin(), P.end(), 0) == P.end();
  }
  EXPECT_GE(MinLen, 14u);
  EXPECT_LE(MaxLen, 256u);
  for (size_t L : {14, 33, 34, 35, 38, 54})
    EXPECT_TRUE(Boundary[L]) << "no packet of " << L << " bytes";
  for (unsigned K = 0; K < 16; ++K)
    EXPECT_TRUE(Ihl[K]) << "no packet with IHL " << K;
  EXPECT_GT(Ipv4, 50u);
  EXPECT_GT(OtherType, 50u);
  EXPECT_GT(Icmp, 5u);
  EXPECT_GT(Tcp, 5u);
  EXPECT_GT(Udp, 5u);
  EXPECT_GT(ZeroFree, 20u);
}

//===-- bpftool and vep-load ----------------------------------------------===//

constexpr long BpfFsMagic = 0xcafe4a11;

class Loading : public testing::Test {
protected:
  void SetUp() override {
    std::string Why;
    if (!kernelAcceptsBpf(Why))
      GTEST_SKIP() << Why;
    struct statfs Fs;
    if (statfs("/sys/fs/bpf", &Fs) != 0 || static_cast<long>(Fs.f_type) != BpfFsMagic)
      GTEST_SKIP() << "/sys/fs/bpf is not a mounted bpf file system";
    PinDir = "/sys/fs/bpf/vep_test_" + std::to_string(getpid()) + "_" +
             testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(PinDir);
  }
  void TearDown() override {
    if (!PinDir.empty())
      fs::remove_all(PinDir);
  }
  /// vepcc on examples/<Stem>.c into a scratch directory of this test's own
  /// (ctest runs the tests of this fixture in parallel processes); the
  /// object path.
  fs::path build(const std::string &Stem) {
    fs::path Dir = scratchDir(std::string("load-") +
                              testing::UnitTest::GetInstance()->current_test_info()->name() +
                              "-" + Stem);
    fs::path Obj = Dir / (Stem + ".o");
    CommandResult R = run(quote((binDir() / "vepcc").string()) + " " +
                          quote(sourceDir() / "examples" / (Stem + ".c")) + " -o " + quote(Obj));
    EXPECT_EQ(R.Status, 0) << R.Output;
    return Obj;
  }
  CommandResult vepLoad(const std::string &Args) {
    return run(quote((binDir() / "vep-load").string()) + " " + Args);
  }
  fs::path PinDir;
};

TEST_F(Loading, BpftoolLoadsObjectWithEmbeddedProof) {
  if (run("bpftool version").Status != 0)
    GTEST_SKIP() << "bpftool not available";
  fs::path Obj = build("drop_ipv4");
  ASSERT_TRUE(findSection(readBytes(Obj), ".vep.proof"));
  CommandResult R = run("bpftool prog loadall " + quote(Obj) + " " + quote(PinDir));
  ASSERT_EQ(R.Status, 0) << R.Output;
  R = run("bpftool prog show pinned " + quote(PinDir / "drop_ipv4"));
  EXPECT_EQ(R.Status, 0) << R.Output;
  EXPECT_NE(R.Output.find("xdp  name drop_ipv4"), std::string::npos) << R.Output;
}

// bpftool shows a vepcc program's functions by name and its instructions
// under the C lines they come from (the object's .BTF.ext, as the kernel
// keeps it), bpf-to-bpf callees included.
TEST_F(Loading, BpftoolShowsSourceLines) {
  if (run("bpftool version").Status != 0)
    GTEST_SKIP() << "bpftool not available";
  fs::path Obj = build("parse_functions");
  CommandResult R = run("bpftool prog loadall " + quote(Obj) + " " + quote(PinDir));
  ASSERT_EQ(R.Status, 0) << R.Output;
  R = run("bpftool prog dump xlated pinned " + quote(PinDir / "parse_functions") + " linum");
  ASSERT_EQ(R.Status, 0) << R.Output;
  const std::string File = (sourceDir() / "examples" / "parse_functions.c").string();
  for (const char *Want :
       {"parse_functions(struct xdp_md * ctx):\n",
        "; if (ipv4_protocol(ip, data_end) != IPPROTO_UDP) [file:", "eth_proto(void * p, void * end):\n",
        "; return bpf_ntohs(eth->h_proto); [file:"})
    EXPECT_NE(R.Output.find(Want), std::string::npos) << Want << "\n" << R.Output;
  EXPECT_NE(R.Output.find(File + " line_num:"), std::string::npos) << R.Output;
}

// bpftool prints a struct-valued map of the vepcc build by its fields,
// as it does the clang build's: after the same packet, the same dump.
TEST_F(Loading, BpftoolDumpsStructValuesByFieldAsForClang) {
  if (run("bpftool version").Status != 0)
    GTEST_SKIP() << "bpftool not available";
  const std::string Stem = "proto_and_source_bytes";
  const fs::path Vep = build(Stem), Clang = Vep.parent_path() / "clang.o",
                 Udp = Vep.parent_path() / "udp.bin";
  CommandResult R = buildWithClang(sourceDir() / "examples" / (Stem + ".c"), Clang);
  ASSERT_EQ(R.Status, 0) << R.Output;
  Packet P(98, 0);
  P[12] = 0x08, P[14] = 0x45, P[17] = 84, P[23] = 17; // IPv4, 84 bytes, UDP
  {
    std::ofstream Out(Udp, std::ios::binary);
    Out.write(reinterpret_cast<const char *>(P.data()), std::streamsize(P.size()));
  }
  ASSERT_TRUE(fs::create_directory(PinDir));
  std::map<std::string, std::string> Dumps;
  for (const auto &[Build, Obj] : {std::pair("vep", Vep), std::pair("clang", Clang)}) {
    const fs::path Progs = PinDir / Build, Maps = PinDir / (Build + std::string("_maps"));
    R = run("bpftool prog loadall " + quote(Obj) + " " + quote(Progs) + " pinmaps " + quote(Maps));
    ASSERT_EQ(R.Status, 0) << Build << ": " << R.Output;
    R = run("bpftool prog run pinned " + quote(Progs / Stem) + " data_in " + quote(Udp) +
            " repeat 1");
    ASSERT_EQ(R.Status, 0) << Build << ": " << R.Output;
    R = run("bpftool map dump pinned " + quote(Maps / "proto_stats"));
    ASSERT_EQ(R.Status, 0) << Build << ": " << R.Output;
    Dumps[Build] = R.Output;
  }
  EXPECT_EQ(Dumps["vep"], Dumps["clang"]);
  EXPECT_NE(Dumps["vep"].find("\"key\": 17,\n        \"value\": {\n            \"packets\": 1,\n"
                              "            \"bytes\": 84\n"),
            std::string::npos)
      << Dumps["vep"].substr(0, 400);
}

TEST_F(Loading, VepLoadLoadsAndPinsDropIpv4) {
  fs::path Obj = build("drop_ipv4");
  std::optional<ElfSection> Xdp = findSection(readBytes(Obj), "xdp");
  ASSERT_TRUE(Xdp);
  const std::string Insns = std::to_string(Xdp->Size / 8) + " insns";

  // Embedded proof, no pinning: loaded (and unloaded again on exit).
  CommandResult R = vepLoad(quote(Obj));
  ASSERT_EQ(R.Status, 0) << R.Output;
  EXPECT_NE(R.Output.find("vep-load: loaded drop_ipv4: section xdp, " + Insns + ", prog id "),
            std::string::npos)
      << R.Output;

  // The proof file, pinned under a fresh directory on the bpf file system.
  fs::path Proof = fs::path(Obj).replace_extension(".proof");
  R = vepLoad(quote(Obj) + " " + quote(Proof) + " --pin " + quote(PinDir));
  ASSERT_EQ(R.Status, 0) << R.Output;
  fs::path Pin = PinDir / "drop_ipv4";
  EXPECT_NE(R.Output.find("pinned " + Pin.string()), std::string::npos) << R.Output;
  std::smatch M;
  ASSERT_TRUE(std::regex_search(R.Output, M, std::regex("prog id ([0-9]+)"))) << R.Output;
  unsigned Id = static_cast<unsigned>(std::stoul(M[1]));

  // The pinned program is the one reported, and it runs.
  int Fd = bpf_obj_get(Pin.c_str());
  ASSERT_GE(Fd, 0) << "no program pinned at " << Pin << ": " << strerror(errno);
  bpf_prog_info Info{};
  __u32 Len = sizeof Info;
  ASSERT_EQ(bpf_obj_get_info_by_fd(Fd, &Info, &Len), 0);
  EXPECT_EQ(Info.id, Id);
  EXPECT_EQ(Info.type, static_cast<__u32>(BPF_PROG_TYPE_XDP));
  EXPECT_STREQ(Info.name, "drop_ipv4");
  Packet Ipv4(64, 0), Arp(64, 0);
  Ipv4[12] = 0x08;
  Arp[12] = 0x08;
  Arp[13] = 0x06;
  EXPECT_EQ(runFd(Fd, Ipv4).Action, 1) << "XDP_DROP";
  EXPECT_EQ(runFd(Fd, Arp).Action, 2) << "XDP_PASS";
  close(Fd);

  // Remove the pins: the program goes away with them.
  EXPECT_TRUE(fs::remove(Pin));
  EXPECT_TRUE(fs::remove(PinDir));
  EXPECT_FALSE(fs::exists(PinDir));
}

// vep-load pins an object's maps beside its programs, as DIR/<map name>.
// Exercised by the first example that defines maps (SEC(".maps")); until
// the examples with maps arrive (integration) it skips.
TEST_F(Loading, VepLoadPinsTheMapsOfAnExample) {
  std::string Stem, Text;
  for (const fs::path &Source : safeExamples()) {
    std::ifstream In(Source);
    Text.assign(std::istreambuf_iterator<char>(In), std::istreambuf_iterator<char>());
    if (Text.find("SEC(\".maps\")") != std::string::npos && !kernelRejects(Source)) {
      Stem = Source.stem().string();
      break;
    }
  }
  if (Stem.empty())
    GTEST_SKIP() << "no example defines maps yet";
  fs::path Obj = build(Stem);
  CommandResult R = vepLoad(quote(Obj) + " --pin " + quote(PinDir));
  ASSERT_EQ(R.Status, 0) << R.Output;
  static const std::regex Created("created map (\\w+), map id ([0-9]+), pinned (\\S+)");
  std::sregex_iterator It(R.Output.begin(), R.Output.end(), Created);
  unsigned Maps = 0;
  for (; It != std::sregex_iterator(); ++It, ++Maps) {
    const std::smatch &M = *It;
    EXPECT_EQ(M[3].str(), (PinDir / M[1].str()).string());
    int Fd = bpf_obj_get(M[3].str().c_str());
    ASSERT_GE(Fd, 0) << "no map pinned at " << M[3] << ": " << strerror(errno);
    bpf_map_info Info{};
    __u32 Len = sizeof Info;
    ASSERT_EQ(bpf_obj_get_info_by_fd(Fd, &Info, &Len), 0);
    EXPECT_EQ(Info.id, static_cast<__u32>(std::stoul(M[2].str())));
    close(Fd);
  }
  EXPECT_GT(Maps, 0u) << R.Output;
}

TEST_F(Loading, VepLoadReportsTheLinuxVerifierDisagreeing) {
  const fs::path Source = sourceDir() / "examples" / "payload_strlen.c";
  ASSERT_TRUE(kernelRejects(Source)) << "payload_strlen.c no longer says the kernel rejects it";
  fs::path Obj = build("payload_strlen");
  CommandResult R = vepLoad(quote(Obj) + " --pin " + quote(PinDir));
  EXPECT_EQ(R.Status, 3) << R.Output;
  EXPECT_NE(R.Output.find("accepted"), std::string::npos) << "VEP's check passes\n" << R.Output;
  EXPECT_NE(R.Output.find("the Linux verifier disagrees with VEP"), std::string::npos)
      << R.Output;
  EXPECT_NE(R.Output.find("'payload_strlen' (section xdp)"), std::string::npos) << R.Output;
  EXPECT_NE(R.Output.find("the kernel cannot prove what VEP proved"), std::string::npos)
      << R.Output;
  EXPECT_NE(R.Output.find("last lines of the kernel's verifier log:\n  | "), std::string::npos)
      << R.Output;
  EXPECT_NE(R.Output.find("processed "), std::string::npos)
      << "the verifier log's summary line\n" << R.Output;
  // The object's line info puts the C source in the log.
  EXPECT_NE(R.Output.find("  | ; while (p < data_end && *p != 0) @ payload_strlen.c:"),
            std::string::npos)
      << R.Output;
  EXPECT_EQ(R.Output.find("vep-load: loaded"), std::string::npos) << R.Output;
  EXPECT_FALSE(fs::exists(PinDir)) << "nothing may be pinned";
}

} // namespace
