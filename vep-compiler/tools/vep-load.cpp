//===- vep-load.cpp - Check the proof, then load (and pin) with libbpf ----===//
//
//   vep-load prog.o [prog.proof] [--pin DIR]
//   vep-load --help | -h | --version
//
// First checks the proof (prog.proof, or the one embedded in prog.o as the
// section .vep.proof) with the trusted checker core exactly as vep-check
// does, with the map table libbpf reads from the object's `.maps` (the
// maps libbpf will create); only an accepted object is handed to libbpf,
// which creates its maps and loads it into the kernel
// (bpf_object__open_file, bpf_object__load). With --pin DIR every program
// and every map is pinned as DIR/<name> (C gives functions and maps of one
// file distinct names; DIR must be on a bpf file system, e.g. under
// /sys/fs/bpf; it is created if missing). Without --pin the programs and
// maps are gone again when vep-load exits: the load shows that the kernel
// takes them. One line per program: name, section, instruction count,
// kernel program id; one per map: name, kernel map id.
//
// Exit 0: loaded (and pinned); 1: the checker rejects (nothing is loaded);
// 2: malformed input or usage; 3: the kernel's verifier refuses a program
// VEP accepted (the Linux verifier disagrees: it cannot prove what VEP
// proved; the last lines of its log are printed); 4: the kernel cannot load
// here for another reason (no permission, BPF unavailable) or pinning
// failed (nothing stays loaded or pinned).
//
//===----------------------------------------------------------------------===//
#include "vep/object.h"
#include "vep/compiler/ElfWriter.h"
#include "vep/map_table.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

enum ExitCode {
  Loaded = 0,
  Rejected = 1,
  BadInput = 2,
  KernelVerifierRefuses = 3,
  CannotLoad = 4
};

const char *const Usage = "usage: vep-load prog.o [prog.proof] [--pin DIR]";
constexpr size_t ArenaSize = size_t(256) << 20; // as vep-check
constexpr size_t LogTailLines = 12;

int fail(int Code, const std::string &What) {
  std::cerr << "vep-load: error: " << What << "\n";
  return Code;
}

bool readFile(const std::string &Path, std::vector<uint8_t> &Out) {
  std::ifstream In(Path, std::ios::binary);
  if (!In)
    return false;
  Out.assign(std::istreambuf_iterator<char>(In), std::istreambuf_iterator<char>());
  return !In.bad();
}

//===-- The check, as vep-check runs it -----------------------------------===//

/// vep-check's check: the map table libbpf reads from the object, the proof
/// reader as both sources, a 256 MiB arena, vep_proof_reader_finish after an
/// accepted check, and a malformed proof reported by the reader's reason.
vep_result check(const std::vector<uint8_t> &Obj, const uint8_t *Proof, size_t ProofLen) {
  vep_result Res;
  std::memset(&Res, 0, sizeof Res);
  vep::MapTable Maps;
  std::string Why;
  if (!Maps.read(Obj, Why)) {
    Res.status = VEP_MALFORMED;
    std::snprintf(Res.reason, sizeof Res.reason, "%s", Why.c_str());
    return Res;
  }
  std::unique_ptr<uint8_t[]> Memory(new (std::nothrow) uint8_t[ArenaSize]);
  if (!Memory) {
    Res.status = VEP_MALFORMED;
    std::snprintf(Res.reason, sizeof Res.reason, "out of memory for the arena");
    return Res;
  }
  vep_arena Arena;
  vep_arena_init(&Arena, Memory.get(), ArenaSize);
  vep_proof_reader Reader;
  if (vep_proof_reader_init(&Reader, Proof, ProofLen, &Arena, &Res) != VEP_ACCEPTED)
    return Res;
  vep_check_object(Obj.data(), Obj.size(), Maps.get(), &Reader.headers, &Reader.source,
                   &Arena, &Res);
  if (Res.status == VEP_ACCEPTED)
    vep_proof_reader_finish(&Reader, &Res);
  else if (Res.status == VEP_MALFORMED && Reader.why)
    std::snprintf(Res.reason, sizeof Res.reason, "proof_format: %s", Reader.why);
  return Res;
}

//===-- libbpf's messages -------------------------------------------------===//

/// What libbpf prints (warnings and information; its debug messages are
/// dropped), kept for diagnostics instead of going to stderr; the kernel
/// verifier's log arrives here when a load fails. Each line starts with
/// "libbpf: ".
std::string LibbpfLog;

int captureLibbpf(enum libbpf_print_level Level, const char *Format, va_list Args) {
  if (Level == LIBBPF_DEBUG)
    return 0;
  va_list Copy;
  va_copy(Copy, Args);
  char Small[512];
  int N = std::vsnprintf(Small, sizeof Small, Format, Copy);
  va_end(Copy);
  if (N < 0)
    return 0;
  if (size_t(N) < sizeof Small) {
    LibbpfLog.append(Small, size_t(N));
  } else {
    std::string Big(size_t(N) + 1, '\0');
    std::vsnprintf(Big.data(), Big.size(), Format, Args);
    Big.resize(size_t(N));
    LibbpfLog += Big;
  }
  return N;
}

std::vector<std::string> lines(const std::string &Text) {
  std::vector<std::string> Out;
  std::istringstream In(Text);
  for (std::string L; std::getline(In, L);)
    if (!L.empty())
      Out.push_back(L);
  return Out;
}

std::vector<std::string> lastLines(const std::string &Text, size_t N) {
  std::vector<std::string> All = lines(Text);
  if (All.size() > N)
    All.erase(All.begin(), All.end() - std::ptrdiff_t(N));
  return All;
}

/// The verifier log libbpf printed for the program whose load failed
/// ("prog 'NAME': -- BEGIN PROG LOAD LOG --\n...-- END PROG LOAD LOG --").
bool verifierLog(const std::string &Log, std::string &Prog, std::string &Text) {
  const std::string Begin = "-- BEGIN PROG LOAD LOG --\n", End = "-- END PROG LOAD LOG --";
  size_t B = Log.rfind(Begin);
  if (B == std::string::npos)
    return false;
  size_t E = Log.find(End, B);
  Text = Log.substr(B + Begin.size(),
                    E == std::string::npos ? std::string::npos : E - B - Begin.size());
  size_t Q = Log.rfind("prog '", B);
  if (Q != std::string::npos) {
    size_t NameEnd = Log.find('\'', Q + 6);
    if (NameEnd != std::string::npos && NameEnd < B)
      Prog = Log.substr(Q + 6, NameEnd - Q - 6);
  }
  return true;
}

struct ObjectCloser {
  void operator()(bpf_object *O) const { bpf_object__close(O); }
};

//===-- Pinning -----------------------------------------------------------===//

/// The kernel's id of a loaded program (bpf_prog_info) or a created map
/// (bpf_map_info); 0 if the kernel does not say.
template <class InfoT> unsigned kernelId(int Fd) {
  InfoT Info;
  std::memset(&Info, 0, sizeof Info);
  __u32 Len = sizeof Info;
  return bpf_obj_get_info_by_fd(Fd, &Info, &Len) == 0 ? Info.id : 0;
}

/// "cannot pin <What> at <Path>: <why><Hint>; nothing pinned", then the last
/// line libbpf logged.
std::string pinFailure(const std::string &What, const std::string &Path, int Err,
                       const std::string &Hint) {
  std::string Msg = "cannot pin " + What + " at " + Path + ": " + std::strerror(-Err) + Hint +
                    "; nothing pinned";
  for (const std::string &L : lastLines(LibbpfLog, 1))
    Msg += "\n  " + L;
  return Msg;
}

struct Pins {
  std::string Dir;
  bool CreatedDir = false;
  std::vector<std::pair<bpf_program *, std::string>> Done;
  std::vector<std::pair<bpf_map *, std::string>> DoneMaps;

  /// Removes every pin made so far and the directory if vep-load made it.
  void undo() {
    for (auto &[Prog, Path] : Done)
      bpf_program__unpin(Prog, Path.c_str());
    Done.clear();
    for (auto &[Map, Path] : DoneMaps)
      bpf_map__unpin(Map, Path.c_str());
    DoneMaps.clear();
    if (CreatedDir)
      rmdir(Dir.c_str());
    CreatedDir = false;
  }
};

} // namespace

int main(int Argc, char **Argv) {
  std::vector<std::string> Paths;
  std::string PinDir;
  bool Pin = false;
  for (int I = 1; I < Argc; ++I) {
    std::string A = Argv[I];
    if (A == "--help" || A == "-h") {
      std::cout << Usage
                << "\n  Checks prog.o's proof (prog.proof, or the object's "
                   "section .vep.proof),\n  then loads it with libbpf (and "
                   "pins its programs and maps under DIR).\n  Exit status: 0 "
                   "loaded, 1 rejected, 2 bad input, 3 the kernel's verifier "
                   "refuses,\n  4 cannot load here.\n";
      return Loaded;
    }
    if (A == "--version") {
      std::cout << "vep-load (VEP) " VEP_VERSION "\n";
      return Loaded;
    }
    if (A == "--pin") {
      if (I + 1 >= Argc)
        return fail(BadInput, "missing directory after '--pin'; " + std::string(Usage));
      Pin = true;
      PinDir = Argv[++I];
    } else if (A.rfind("--pin=", 0) == 0) {
      Pin = true;
      PinDir = A.substr(6);
    } else if (!A.empty() && A[0] == '-') {
      return fail(BadInput, "unknown option '" + A + "'; " + Usage);
    } else {
      Paths.push_back(A);
    }
  }
  if (Paths.empty() || Paths.size() > 2)
    return fail(BadInput, Usage);
  if (Pin && PinDir.empty())
    return fail(BadInput, "empty directory after '--pin'");
  while (Pin && PinDir.size() > 1 && PinDir.back() == '/')
    PinDir.pop_back();

  // ---- 1. The proof, checked as vep-check checks it. Nothing reaches
  // libbpf or the kernel unless the checker accepts.
  const std::string &ObjPath = Paths[0];
  std::vector<uint8_t> Obj, ProofFile;
  if (!readFile(ObjPath, Obj))
    return fail(BadInput, "cannot open " + ObjPath);
  const uint8_t *Proof = nullptr;
  size_t ProofLen = 0;
  std::string ProofFrom;
  if (Paths.size() == 2) {
    if (!readFile(Paths[1], ProofFile))
      return fail(BadInput, "cannot open " + Paths[1]);
    Proof = ProofFile.data();
    ProofLen = ProofFile.size();
    ProofFrom = Paths[1];
  } else {
    vep::compiler::EmbeddedProof E = vep::compiler::findEmbeddedProof(Obj.data(), Obj.size());
    if (E.St == vep::compiler::EmbeddedProof::Malformed)
      return fail(BadInput, ObjPath + ": " + E.Why);
    if (E.St == vep::compiler::EmbeddedProof::Missing)
      return fail(BadInput, ObjPath + " has no embedded proof (no " +
                                vep::compiler::ProofSectionName +
                                " section); give the proof file: " + Usage);
    Proof = E.Data;
    ProofLen = E.Size;
    ProofFrom = std::string("embedded ") + vep::compiler::ProofSectionName;
  }
  vep_result Res = check(Obj, Proof, ProofLen);
  switch (Res.status) {
  case VEP_ACCEPTED:
    std::cout << "vep-load: proof (" << ProofFrom << ") accepted: " << Res.n_programs
              << " programs, " << Res.n_paths << " paths, " << Res.n_questions
              << " obligations\n";
    break;
  case VEP_REJECTED:
    std::cout << "vep-load: rejected: ";
    if (Res.program[0])
      std::cout << Res.program << " insn " << Res.insn << ": ";
    std::cout << Res.reason << "\nvep-load: nothing loaded\n";
    return Rejected;
  default:
    return fail(BadInput, Res.reason);
  }

  // ---- 2. libbpf: open, load, pin.
  libbpf_set_print(captureLibbpf);
  errno = 0;
  std::unique_ptr<bpf_object, ObjectCloser> Object(bpf_object__open_file(ObjPath.c_str(), nullptr));
  if (!Object || libbpf_get_error(Object.get())) {
    int Err = errno;
    Object.release(); // nothing to close (NULL or an error pointer)
    std::string Msg = "libbpf cannot open " + ObjPath + ": " + std::strerror(Err);
    for (const std::string &L : lastLines(LibbpfLog, 4))
      Msg += "\n  " + L;
    return fail(BadInput, Msg);
  }
  if (int Err = bpf_object__load(Object.get())) {
    std::string Prog, Log;
    if (verifierLog(LibbpfLog, Prog, Log)) {
      std::string Section;
      if (bpf_program *P = bpf_object__find_program_by_name(Object.get(), Prog.c_str()))
        Section = bpf_program__section_name(P);
      std::cerr << "vep-load: the Linux verifier disagrees with VEP: it refuses program '"
                << Prog << "'" << (Section.empty() ? "" : " (section " + Section + ")")
                << ", which VEP's checker accepted (" << std::strerror(-Err) << ").\n"
                << "vep-load: the kernel cannot prove what VEP proved (e.g. a loop "
                   "bounded only by the packet length); the program is safe by its "
                   "proof, but this kernel will not run it. Nothing loaded.\n"
                << "vep-load: last lines of the kernel's verifier log:\n";
      for (const std::string &L : lastLines(Log, LogTailLines))
        std::cerr << "  | " << L << "\n";
      return KernelVerifierRefuses;
    }
    std::string Msg = "the kernel refuses to load " + ObjPath + ": " + std::strerror(-Err) +
                      " (not root? BPF unavailable?); nothing loaded";
    for (const std::string &L : lastLines(LibbpfLog, 4))
      Msg += "\n  " + L;
    return fail(CannotLoad, Msg);
  }

  Pins P;
  P.Dir = PinDir;
  if (Pin) {
    struct stat St;
    if (stat(PinDir.c_str(), &St) != 0) {
      if (mkdir(PinDir.c_str(), 0700) != 0)
        return fail(CannotLoad, "cannot create pin directory " + PinDir + ": " +
                                    std::strerror(errno) + "; nothing pinned");
      P.CreatedDir = true;
    } else if (!S_ISDIR(St.st_mode)) {
      return fail(CannotLoad, PinDir + " is not a directory; nothing pinned");
    }
  }

  std::vector<std::string> Report;
  bpf_program *Prog;
  bpf_object__for_each_program(Prog, Object.get()) {
    std::string Name = bpf_program__name(Prog);
    std::ostringstream Line;
    Line << "vep-load: loaded " << Name << ": section " << bpf_program__section_name(Prog)
         << ", " << bpf_program__insn_cnt(Prog) << " insns, prog id "
         << kernelId<bpf_prog_info>(bpf_program__fd(Prog));
    if (Pin) {
      std::string Path = PinDir + "/" + Name;
      if (int Err = bpf_program__pin(Prog, Path.c_str())) {
        P.undo();
        return fail(CannotLoad,
                    pinFailure(Name, Path, Err,
                               Err == -EINVAL ? " (is " + PinDir + " on a bpf file system?)"
                                              : ""));
      }
      P.Done.emplace_back(Prog, Path);
      Line << ", pinned " << Path;
    }
    Report.push_back(Line.str());
  }
  bpf_map *Map;
  bpf_object__for_each_map(Map, Object.get()) {
    std::string Name = bpf_map__name(Map);
    std::ostringstream Line;
    Line << "vep-load: created map " << Name << ", map id "
         << kernelId<bpf_map_info>(bpf_map__fd(Map));
    if (Pin) {
      std::string Path = PinDir + "/" + Name;
      if (int Err = bpf_map__pin(Map, Path.c_str())) {
        P.undo();
        return fail(CannotLoad, pinFailure("map " + Name, Path, Err, ""));
      }
      P.DoneMaps.emplace_back(Map, Path);
      Line << ", pinned " << Path;
    }
    Report.push_back(Line.str());
  }
  for (const std::string &L : Report)
    std::cout << L << "\n";
  if (!Pin)
    std::cout << "vep-load: not pinned: the programs (and maps) are unloaded when vep-load "
                 "exits\n";
  return Loaded;
}
