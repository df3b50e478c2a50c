//===- BtfWriter.cpp - The .BTF of an object's maps and globals -----------===//
//
// libbpf creates maps only from BTF-defined map definitions (the legacy
// `maps` section is gone in libbpf 1.x): a VAR in the DATASEC ".maps" whose
// type is a struct with members such as `int (*type)[BPF_MAP_TYPE_ARRAY]`,
// the encoding of `__uint(type, BPF_MAP_TYPE_ARRAY)`. This file writes that
// BTF for cir::MapDef, the way clang does for
//
//   struct { __uint(type, T); __uint(max_entries, N); __uint(key_size, K);
//            __uint(value_size, V); } m SEC(".maps");
//
// (key and value given by their declared types, `__type(key, T)`, as the
// front end describes them, else by size), the DATASECs of the sections of
// global variables and of the license, and a FUNC (with its FUNC_PROTO)
// per compiled function. Declared C types (cir::DebugType) become the records clang
// writes for them; equal records are written once. The format is the
// kernel's (include/uapi/linux/btf.h): a 24-byte header, the type records,
// the string table.
//
// `.BTF.ext` (the layout libbpf reads, tools/lib/bpf/libbpf_internal.h)
// points into that BTF: a 32-byte header (magic, version 1, flags 0,
// hdr_len, then offset and length, from the header's end, of the func info,
// the line info and the CO-RE relocations, of which there are none), then
// each info block: its record size, then per ELF section the section's name
// (an offset into the BTF strings), its number of records and the records.
// A func info record is {insn_off, type_id}: the function's first byte in
// its section and its FUNC. A line info record is {insn_off, file_name_off,
// line_off, line_col}: the first byte of the instructions of one C
// statement, the source file's name, the text of its line (both in the BTF
// strings) and line << 10 | column. Offsets are in bytes, as clang writes
// them in an object; libbpf divides them by 8 when it loads a program.
// The kernel checks both lists (kernel/bpf/verifier.c, check_btf_func and
// check_btf_line): one func info per function at its first instruction, and
// line infos strictly increasing, the first at instruction 0, one at each
// function's first instruction, none at the second slot of an lddw.
//
//===----------------------------------------------------------------------===//

#include "vep/compiler/CodeGen.h"
#include "vep/compiler/ElfWriter.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>
#include <utility>

namespace vep::compiler {
namespace {

// BTF kinds and encodings (linux/btf.h).
constexpr uint16_t BtfMagic = 0xeB9F;
constexpr uint32_t KindInt = 1, KindPtr = 2, KindArray = 3, KindStruct = 4,
                   KindUnion = 5, KindEnum = 6, KindFwd = 7, KindTypedef = 8,
                   KindVolatile = 9, KindConst = 10, KindFunc = 12,
                   KindFuncProto = 13, KindVar = 14, KindDatasec = 15,
                   KindFloat = 16;
// An INT's encoding: BTF_INT_SIGNED, BTF_INT_BOOL.
constexpr uint32_t IntSigned = 1u << 24, IntBool = 4u << 24;
// kind_flag: a STRUCT's or UNION's members give bit-field sizes (member
// offset = size << 24 | bit offset); a FWD is a union's.
constexpr uint32_t KindFlag = 1u << 31;
constexpr unsigned BitfieldOffsetBits = 24;
constexpr uint32_t VarStatic = 0, VarGlobalAllocated = 1;
constexpr uint32_t FuncStatic = 0, FuncGlobal = 1; // a FUNC's linkage (vlen)
constexpr uint32_t HeaderLen = 24;
// .BTF.ext: header and record sizes; line_col's column has 10 bits.
constexpr uint32_t ExtHeaderLen = 32, FuncInfoSize = 8, LineInfoSize = 16;
constexpr unsigned ColumnBits = 10, MaxColumn = (1u << ColumnBits) - 1,
                   MaxLine = (1u << (32 - ColumnBits)) - 1;

/// The `__uint` members of a map's definition, in clang's layout order.
std::vector<std::pair<const char *, uint32_t>>
mapFields(const cir::MapDef &M) {
  std::vector<std::pair<const char *, uint32_t>> F = {
      {"type", M.MapType}, {"max_entries", M.MaxEntries}};
  if (M.KeySize) // a ring buffer has no keys and no values
    F.push_back({"key_size", M.KeySize});
  if (M.ValueSize)
    F.push_back({"value_size", M.ValueSize});
  if (M.Flags)
    F.push_back({"map_flags", M.Flags});
  return F;
}

/// Type records and strings under construction; ids count from 1.
class Btf {
public:
  uint32_t str(const std::string &S) {
    if (S.empty())
      return 0;
    auto [It, New] = Strings.emplace(S, uint32_t(StrData.size()));
    if (New) {
      StrData.insert(StrData.end(), S.begin(), S.end());
      StrData.push_back(0);
    }
    return It->second;
  }
  /// Starts a type record; returns its id. Kind may carry KindFlag.
  uint32_t type(uint32_t Name, uint32_t Kind, uint32_t Vlen,
                uint32_t SizeOrType) {
    u32(Name);
    u32((Kind & KindFlag) | (Kind & 0x1f) << 24 | Vlen);
    u32(SizeOrType);
    return ++NumTypes;
  }
  /// A whole type record (Vlen counts the records of Extra's words), once:
  /// the id of an equal record written before, else of a new one. Types
  /// are equal when their records are, which makes the BTF of one C type
  /// reached twice (a map's value and a function's parameter) one type,
  /// as clang writes it.
  uint32_t intern(uint32_t Name, uint32_t Kind, uint32_t Vlen,
                  uint32_t SizeOrType,
                  const std::vector<uint32_t> &Extra = {}) {
    std::vector<uint32_t> Key = {Name, Kind, Vlen, SizeOrType};
    Key.insert(Key.end(), Extra.begin(), Extra.end());
    auto [It, New] = Interned.emplace(std::move(Key), 0);
    if (New) {
      It->second = type(Name, Kind, Vlen, SizeOrType);
      for (uint32_t W : Extra)
        u32(W);
    }
    return It->second;
  }
  void u32(uint32_t V) {
    for (int K = 0; K < 4; ++K)
      Types.push_back(uint8_t(V >> (8 * K)));
  }

  /// A PTR to the struct (or union) Name, once per record: resolved by
  /// resolvePointees to the record in full when this BTF describes it,
  /// else to a FWD, as clang does (so a list node's `next` points to the
  /// node's own STRUCT).
  uint32_t pointerToRecord(uint32_t Name, bool Union) {
    auto [It, New] = RecordPointers.emplace(std::pair(Name, Union), 0);
    if (New) {
      It->second = type(0, KindPtr, 0, 0);
      Pending.push_back({uint32_t(Types.size() - 4), Name, Union});
    }
    return It->second;
  }
  /// Notes that Id is the record Name in full, for resolvePointees.
  void describedRecord(uint32_t Name, bool Union, uint32_t Id) {
    if (Name)
      FullRecords.emplace(std::pair(Name, Union), Id);
  }
  /// Points each pointerToRecord PTR to its record, or to a new FWD.
  void resolvePointees() {
    for (const PendingPointer &P : Pending) {
      auto Full = FullRecords.find({P.Name, P.Union});
      uint32_t To = Full != FullRecords.end()
                        ? Full->second
                        : intern(P.Name, KindFwd | (P.Union ? KindFlag : 0), 0, 0);
      for (int K = 0; K < 4; ++K)
        Types[P.TypeWord + K] = uint8_t(To >> (8 * K));
    }
    Pending.clear();
  }

  std::vector<uint8_t> bytes() const {
    std::vector<uint8_t> Out;
    auto Put = [&](uint32_t V, int N) {
      for (int K = 0; K < N; ++K)
        Out.push_back(uint8_t(V >> (8 * K)));
    };
    Put(BtfMagic, 2);
    Put(1, 1); // version
    Put(0, 1); // flags
    Put(HeaderLen, 4);
    Put(0, 4);                       // type_off
    Put(uint32_t(Types.size()), 4);  // type_len
    Put(uint32_t(Types.size()), 4);  // str_off
    Put(uint32_t(StrData.size()), 4); // str_len
    Out.insert(Out.end(), Types.begin(), Types.end());
    Out.insert(Out.end(), StrData.begin(), StrData.end());
    return Out;
  }

private:
  std::vector<uint8_t> Types, StrData{0};
  std::map<std::string, uint32_t> Strings;
  std::map<std::vector<uint32_t>, uint32_t> Interned;
  uint32_t NumTypes = 0;
  struct PendingPointer {
    uint32_t TypeWord; ///< the PTR's type field, a byte offset in Types
    uint32_t Name;
    bool Union;
  };
  std::vector<PendingPointer> Pending;
  std::map<std::pair<uint32_t, bool>, uint32_t> RecordPointers, FullRecords;
};


/// C's integer type names, as clang spells them, with their widths on BPF.
struct CIntName {
  const char *Name;
  unsigned Bits;
  bool Signed;
};
constexpr CIntName CIntNames[] = {
    {"char", 8, true},       {"signed char", 8, true},
    {"unsigned char", 8, false}, {"short", 16, true},
    {"unsigned short", 16, false}, {"int", 32, true},
    {"unsigned int", 32, false}, {"long", 64, true},
    {"unsigned long", 64, false}, {"long long", 64, true},
    {"unsigned long long", 64, false}};

/// The name clang's BTF gives the integer type under a typedef of Bits and
/// signedness (the kernel headers' __u64 is unsigned long long).
std::string canonicalIntName(unsigned Bits, bool Signed) {
  switch (Bits) {
  case 8:
    return Signed ? "signed char" : "unsigned char";
  case 16:
    return Signed ? "short" : "unsigned short";
  case 32:
    return Signed ? "int" : "unsigned int";
  default:
    return Signed ? "long long" : "unsigned long long";
  }
}

/// Spelling without `const`/`volatile` and an array's `[N]`.
std::string unqualified(std::string S) {
  S = S.substr(0, S.find('['));
  for (const std::string Q : {"const ", "volatile "})
    for (size_t At; (At = S.find(Q)) != std::string::npos;)
      S.erase(At, Q.size());
  while (!S.empty() && S.back() == ' ')
    S.pop_back();
  return S;
}

bool isIdentifier(const std::string &S) {
  return !S.empty() && !std::isdigit(static_cast<unsigned char>(S[0])) &&
         std::all_of(S.begin(), S.end(), [](char C) {
           return std::isalnum(static_cast<unsigned char>(C)) || C == '_';
         });
}

/// The width and signedness of the integer type Spelling names, when it is
/// one of C's names or a common typedef of one (`__u32`, `u8`, `uint16_t`,
/// `__be32`, ...): what a map's `__type(key, T)` may be described as.
std::optional<std::pair<unsigned, bool>> knownIntType(const std::string &S) {
  for (const CIntName &C : CIntNames)
    if (S == C.Name)
      return std::pair(C.Bits, C.Signed);
  for (unsigned Bits : {8u, 16u, 32u, 64u}) {
    const std::string N = std::to_string(Bits);
    for (const std::string U : {"__u", "u", "__be", "__le"})
      if (S == U + N && (Bits > 8 || U.size() < 3))
        return std::pair(Bits, false);
    for (const std::string Sg : {"__s", "s"})
      if (S == Sg + N)
        return std::pair(Bits, true);
    if (S == "uint" + N + "_t" || S == "int" + N + "_t")
      return std::pair(Bits, S[0] == 'i');
  }
  return std::nullopt;
}

/// The BTF types of integers as clang writes them, once each: an INT named
/// by C (`int`, `unsigned char`), and a typedef name (`__u32`) as a TYPEDEF
/// of the INT of its width and signedness.
class IntTypes {
public:
  explicit IntTypes(Btf &B) : B(B) {}
  uint32_t get(unsigned Bits, bool Signed, const std::string &Spelling) {
    std::string Name = unqualified(Spelling);
    bool CName = std::any_of(
        std::begin(CIntNames), std::end(CIntNames), [&](const CIntName &C) {
          return Name == C.Name && C.Bits == Bits && C.Signed == Signed;
        });
    if (!CName && !isIdentifier(Name))
      Name = canonicalIntName(Bits, Signed), CName = true;
    if (CName)
      return B.intern(B.str(Name), KindInt, 0, Bits / 8,
                      {(Signed ? IntSigned : 0) | Bits});
    uint32_t To = get(Bits, Signed, canonicalIntName(Bits, Signed));
    return B.intern(B.str(Name), KindTypedef, 0, To);
  }

private:
  Btf &B;
};

/// The bytes a value of type T occupies (0 for void), as libbpf resolves
/// a BTF type's size.
uint64_t describedSize(const cir::DebugTypePtr &T) {
  using K = cir::DebugType::Kind;
  uint64_t Count = 1;
  for (cir::DebugTypePtr At = T; At; At = At->Of) {
    switch (At->K) {
    case K::Typedef:
    case K::Const:
    case K::Volatile:
      continue;
    case K::Array:
      Count *= At->Count;
      continue;
    case K::Ptr:
      return 8 * Count;
    case K::Fwd:
    case K::FuncProto:
      return 0;
    default:
      return At->Size * Count;
    }
  }
  return 0;
}

/// The BTF of the front end's descriptions of declared C types
/// (cir::DebugType), as clang writes them; equal types once (Btf::intern).
class DescribedTypes {
public:
  DescribedTypes(Btf &B, uint32_t Index) : B(B), Index(Index) {}
  /// A PTR to To (null: void).
  uint32_t pointerTo(const cir::DebugTypePtr &To) {
    using K = cir::DebugType::Kind;
    // The front end cuts pointers from records to records (Fwd): the
    // record may still be described in full elsewhere, or be the one that
    // holds the pointer. So one PTR per named record, cut or not.
    if (To && !To->Name.empty() &&
        (To->K == K::Fwd || To->K == K::Struct || To->K == K::Union)) {
      if (To->K != K::Fwd)
        get(To); // described in full here: resolvePointees finds it
      return B.pointerToRecord(B.str(To->Name),
                               To->K == K::Union || (To->K == K::Fwd && To->IsUnion));
    }
    return B.intern(0, KindPtr, 0, get(To));
  }

  /// T's id; 0 for void (null).
  uint32_t get(const cir::DebugTypePtr &T) {
    if (!T)
      return 0;
    using K = cir::DebugType::Kind;
    const uint32_t Name = B.str(T->Name);
    switch (T->K) {
    case K::Int:
      return B.intern(Name, KindInt, 0, uint32_t(T->Size),
                      {(T->Signed ? IntSigned : 0) | (T->Bool ? IntBool : 0) |
                       uint32_t(8 * T->Size)});
    case K::Float:
      return B.intern(Name, KindFloat, 0, uint32_t(T->Size));
    case K::Ptr:
      return pointerTo(T->Of);
    case K::Typedef:
      return B.intern(Name, KindTypedef, 0, get(T->Of));
    case K::Const:
      return B.intern(0, KindConst, 0, get(T->Of));
    case K::Volatile:
      return B.intern(0, KindVolatile, 0, get(T->Of));
    case K::Array:
      return B.intern(0, KindArray, 0, 0,
                      {get(T->Of), Index, uint32_t(T->Count)});
    case K::Fwd:
      return B.intern(Name, KindFwd | (T->IsUnion ? KindFlag : 0), 0, 0);
    case K::Enum: {
      std::vector<uint32_t> Values;
      for (const auto &[EName, Value] : T->Enumerators)
        Values.insert(Values.end(), {B.str(EName), uint32_t(Value)});
      return B.intern(Name, KindEnum, uint32_t(T->Enumerators.size()),
                      uint32_t(T->Size), Values);
    }
    case K::Struct:
    case K::Union: {
      const bool Bitfields =
          std::any_of(T->Members.begin(), T->Members.end(),
                      [](const auto &M) { return M.BitfieldBits != 0; });
      std::vector<uint32_t> Members;
      for (const cir::DebugType::Member &M : T->Members)
        Members.insert(
            Members.end(),
            {B.str(M.Name), get(M.Type),
             uint32_t(M.BitOffset) |
                 (Bitfields ? M.BitfieldBits << BitfieldOffsetBits : 0)});
      const uint32_t Id = B.intern(Name,
                                   (T->K == K::Union ? KindUnion : KindStruct) |
                                       (Bitfields ? KindFlag : 0),
                                   uint32_t(T->Members.size()), uint32_t(T->Size), Members);
      B.describedRecord(Name, T->K == K::Union, Id);
      return Id;
    }
    case K::FuncProto: {
      std::vector<uint32_t> Params;
      for (const cir::DebugType::Member &M : T->Members)
        Params.insert(Params.end(), {B.str(M.Name), get(M.Type)});
      if (T->Variadic) // `...`: a last parameter without name and type
        Params.insert(Params.end(), {0, 0});
      return B.intern(0, KindFuncProto, uint32_t(Params.size() / 2), get(T->Of),
                      Params);
    }
    }
    return 0;
  }

private:
  Btf &B;
  uint32_t Index; // __ARRAY_SIZE_TYPE__
};

/// The type of a C parameter or result in a FUNC_PROTO: 0 for void, an INT,
/// or a PTR to a forward-declared struct (`struct xdp_md *`, the spelling
/// says which) or to void. The kernel reads these types only for global
/// functions other than the program itself, which vepcc does not write
/// (its bpf-to-bpf callees are static).
class SignatureTypes {
public:
  SignatureTypes(Btf &B, IntTypes &Ints) : B(B), Ints(Ints) {}
  uint32_t get(const cir::Type &T) {
    if (T.isVoid())
      return 0;
    if (!T.isPtr())
      return Ints.get(T.Bits, T.Signed, T.Spelling);
    std::string Struct = pointedStruct(T.Spelling);
    uint32_t To = Struct.empty() ? 0 : B.intern(B.str(Struct), KindFwd, 0, 0);
    return B.intern(0, KindPtr, 0, To);
  }

private:
  /// NAME for the spelling `struct NAME *`, else "".
  static std::string pointedStruct(const std::string &Spelling) {
    static const std::string Prefix = "struct ", Suffix = " *";
    if (Spelling.size() <= Prefix.size() + Suffix.size() ||
        Spelling.compare(0, Prefix.size(), Prefix) != 0 ||
        Spelling.compare(Spelling.size() - Suffix.size(), Suffix.size(),
                         Suffix) != 0)
      return "";
    std::string Name = Spelling.substr(
        Prefix.size(), Spelling.size() - Prefix.size() - Suffix.size());
    for (char C : Name)
      if (!(std::isalnum(static_cast<unsigned char>(C)) || C == '_'))
        return "";
    return Name;
  }
  Btf &B;
  IntTypes &Ints;
};

/// The FUNC of P (global for a program, static for a `.text` function, as
/// its ELF symbol) and its FUNC_PROTO: the front end's description of its
/// signature, or without one its parameters' and result's CIR types;
/// returns the FUNC's id.
uint32_t funcType(Btf &B, SignatureTypes &Types, DescribedTypes &Described,
                  const CompiledProgram &P) {
  uint32_t Proto = Described.get(P.Proto);
  if (!P.Proto) {
    std::vector<uint32_t> Params; // name, type
    for (size_t I = 0; I < P.Params.size(); ++I) {
      const std::string &Name = P.Params[I].Name;
      Params.insert(Params.end(),
                    {B.str(Name.empty() ? "arg" + std::to_string(I) : Name),
                     Types.get(P.Params[I].Ty)});
    }
    Proto = B.intern(0, KindFuncProto, uint32_t(P.Params.size()),
                     Types.get(P.ReturnType), Params);
  }
  return B.type(B.str(P.Name), KindFunc,
                P.isTextFunction() ? FuncStatic : FuncGlobal, Proto);
}

void putU32(std::vector<uint8_t> &Out, uint32_t V) {
  for (int K = 0; K < 4; ++K)
    Out.push_back(uint8_t(V >> (8 * K)));
}

/// One ELF section's records of an info block: its name and the records'
/// words.
struct ExtSection {
  uint32_t NameOff = 0;
  uint32_t NumRecords = 0;
  std::vector<uint32_t> Words;
};

/// An info block of `.BTF.ext`: the record size, then each section.
std::vector<uint8_t> infoBlock(uint32_t RecordSize,
                               const std::vector<ExtSection> &Secs) {
  std::vector<uint8_t> Out;
  putU32(Out, RecordSize);
  for (const ExtSection &S : Secs) {
    putU32(Out, S.NameOff);
    putU32(Out, S.NumRecords);
    for (uint32_t W : S.Words)
      putU32(Out, W);
  }
  return Out;
}

/// The `.BTF.ext` of Progs, whose FUNCs are FuncIds, laid out as
/// objectSections does: each program in its own section, then `.text`
/// with the functions in order. Its strings go into B.
std::vector<uint8_t> extSection(Btf &B, const std::vector<CompiledProgram> &Progs,
                                const std::vector<uint32_t> &FuncIds,
                                const SourceText &Source) {
  const std::vector<std::string> SourceLines = splitLines(Source.Text);
  const uint32_t FileName = B.str(Source.FileName);
  std::vector<ExtSection> FuncInfo, LineInfo;
  auto StartSection = [&](const std::string &Name) {
    ExtSection S;
    S.NameOff = B.str(Name);
    FuncInfo.push_back(S);
    LineInfo.push_back(S);
  };
  // The records of Progs[K], which starts at byte Base of the last section.
  auto Add = [&](size_t K, uint64_t Base) {
    ExtSection &F = FuncInfo.back(), &L = LineInfo.back();
    ++F.NumRecords;
    F.Words.insert(F.Words.end(), {uint32_t(Base), FuncIds[K]});
    for (const LineRecord &R : lineRecords(Progs[K])) {
      const std::string Text = R.Line && R.Line <= SourceLines.size()
                                   ? SourceLines[R.Line - 1]
                                   : std::string();
      ++L.NumRecords;
      L.Words.insert(L.Words.end(), {uint32_t(Base + 8 * uint64_t(R.Insn)),
                                     FileName, B.str(Text),
                                     R.Line << ColumnBits | R.Col});
    }
  };
  for (size_t K = 0; K < Progs.size(); ++K)
    if (!Progs[K].isTextFunction()) {
      StartSection(Progs[K].Section);
      Add(K, 0);
    }
  uint64_t TextBytes = 0;
  bool TextStarted = false;
  for (size_t K = 0; K < Progs.size(); ++K)
    if (Progs[K].isTextFunction()) {
      if (!TextStarted)
        StartSection(".text");
      TextStarted = true;
      Add(K, TextBytes);
      TextBytes += 8 * Progs[K].Insns.size();
    }
  std::vector<uint8_t> Funcs = infoBlock(FuncInfoSize, FuncInfo),
                       Lines = infoBlock(LineInfoSize, LineInfo);
  std::vector<uint8_t> E = {uint8_t(BtfMagic), uint8_t(BtfMagic >> 8), 1, 0};
  putU32(E, ExtHeaderLen);
  putU32(E, 0); // func_info_off
  putU32(E, uint32_t(Funcs.size()));
  putU32(E, uint32_t(Funcs.size())); // line_info_off
  putU32(E, uint32_t(Lines.size()));
  putU32(E, uint32_t(Funcs.size() + Lines.size())); // core_relo_off
  putU32(E, 0);                                     // core_relo_len
  E.insert(E.end(), Funcs.begin(), Funcs.end());
  E.insert(E.end(), Lines.begin(), Lines.end());
  return E;
}

} // namespace

uint64_t mapDefinitionSize(const cir::MapDef &M) {
  return 8 * mapFields(M).size();
}

uint64_t mapSectionSize(const cir::MapDef &M) {
  return mapDefinitionSize(M) + 8 * M.InitialValues.size();
}

/// The lines of Text (without their line ends), numbered from 1.
std::vector<std::string> splitLines(const std::string &Text) {
  std::vector<std::string> Lines;
  size_t Start = 0;
  while (Start < Text.size()) {
    size_t End = Text.find('\n', Start);
    if (End == std::string::npos)
      End = Text.size();
    size_t Len = End - Start;
    if (Len && Text[Start + Len - 1] == '\r')
      --Len;
    Lines.push_back(Text.substr(Start, Len));
    Start = End + 1;
  }
  return Lines;
}

std::vector<LineRecord> lineRecords(const CompiledProgram &P) {
  std::vector<LineRecord> Out;
  cir::Loc Prev;
  for (size_t I = 0; I < P.Insns.size(); ++I) {
    if (I > 0 && bpf::isLddw(P.Insns[I - 1]))
      continue; // the second slot of an lddw is no instruction of its own
    cir::Loc L = I < P.Locs.size() ? P.Locs[I] : cir::Loc();
    if (I == 0 && !L.Line)
      L = P.L; // code before the first statement: the function's header
    else if (I > 0 && (!L.Line || (L.Line == Prev.Line && L.Col == Prev.Col)))
      continue; // the statement of the slot before goes on
    Out.push_back({uint32_t(I), std::min(L.Line, MaxLine),
                   std::min(L.Col, MaxColumn)});
    Prev = L;
  }
  return Out;
}

ObjectBtf writeObjectBtf(const std::vector<CompiledProgram> &Progs,
                         const std::vector<cir::MapDef> &Maps,
                         const std::vector<cir::GlobalVar> &Globals,
                         const SourceText &Source,
                         const std::optional<std::string> &License) {
  Btf B;
  IntTypes Ints(B);
  uint32_t Int = Ints.get(32, true, "int");
  uint32_t Index = B.intern(B.str("__ARRAY_SIZE_TYPE__"), KindInt, 0, 4, {32});
  DescribedTypes Described(B, Index);

  // `__uint(name, N)` is `int (*name)[N]`: one ARRAY and PTR per value.
  auto ValuePtr = [&](uint32_t N) {
    return B.intern(0, KindPtr, 0,
                    B.intern(0, KindArray, 0, 0, {Int, Index, N}));
  };

  struct Placed {
    uint32_t Var;
    uint64_t Offset, Size;
  };
  auto Datasec = [&](const std::string &Name, const std::vector<Placed> &Vars,
                     uint64_t Size) {
    B.type(B.str(Name), KindDatasec, uint32_t(Vars.size()), uint32_t(Size));
    for (const Placed &P : Vars) {
      B.u32(P.Var);
      B.u32(uint32_t(P.Offset));
      B.u32(uint32_t(P.Size));
    }
  };
  // A definition's STRUCT; a map of maps' has a last member
  // `struct T *values[]` (`__array(values, struct T)`, an ARRAY of 0
  // elements of a PTR to T's STRUCT), from which libbpf reads the inner
  // template.
  auto Struct = [&](const cir::MapDef &M, auto &Self) -> uint32_t {
    auto Fields = mapFields(M);
    std::vector<uint32_t> Members;
    for (auto &[Name, Value] : Fields) {
      // `__type(key, T)` as clang writes it, `key` a PTR to T: the front
      // end's description of T (bpftool then prints keys and values by
      // their fields), or without one an integer type its spelling names
      // of that size; a map of maps' value keeps its size.
      const bool Key = std::string(Name) == "key_size";
      const bool Val = std::string(Name) == "value_size" && !M.isMapOfMaps();
      const cir::DebugTypePtr Declared = Key   ? M.KeyType
                                         : Val ? M.ValueType
                                               : nullptr;
      // libbpf takes the key and value sizes from these types: never
      // other ones than the map's.
      if (Declared && describedSize(Declared) == Value) {
        Name = Key ? "key" : "value";
        Members.push_back(Described.pointerTo(Declared));
        continue;
      }
      const std::string &Spelling = Key   ? M.KeySpelling
                                    : Val ? M.ValueSpelling
                                          : std::string();
      auto Known = knownIntType(unqualified(Spelling));
      if (Known && Known->first == 8 * Value) {
        Name = Key ? "key" : "value";
        Members.push_back(B.intern(
            0, KindPtr, 0, Ints.get(Known->first, Known->second, Spelling)));
        continue;
      }
      Members.push_back(ValuePtr(Value));
    }
    uint32_t Values = 0;
    if (M.Inner) {
      uint32_t InnerPtr = B.type(0, KindPtr, 0, Self(*M.Inner, Self));
      Values = B.intern(0, KindArray, 0, 0, {InnerPtr, Index, 0});
    }
    uint32_t Id = B.type(0, KindStruct, uint32_t(Fields.size() + !!Values),
                         uint32_t(mapDefinitionSize(M)));
    for (size_t I = 0; I < Fields.size(); ++I) {
      B.u32(B.str(Fields[I].first));
      B.u32(Members[I]);
      B.u32(uint32_t(64 * I)); // bit offset
    }
    if (Values) {
      B.u32(B.str("values"));
      B.u32(Values);
      B.u32(uint32_t(64 * Fields.size()));
    }
    return Id;
  };
  std::vector<Placed> Vars;
  uint64_t Offset = 0;
  for (const cir::MapDef &M : Maps) {
    uint32_t Var = B.type(B.str(M.Name), KindVar, 0, Struct(M, Struct));
    B.u32(VarGlobalAllocated);
    Vars.push_back({Var, Offset, mapSectionSize(M)});
    Offset += mapSectionSize(M);
  }
  if (!Maps.empty())
    Datasec(".maps", Vars, Offset);

  // Global variables: their declared types, or without the front end's
  // description their integer types and ARRAYs of them.
  auto SpelledGlobalType = [&](const cir::GlobalVar &V) {
    uint32_t Type = Ints.get(V.ElemBits, V.ElemSigned, V.Spelling);
    // `const volatile __u32 x` (a .rodata setting a loader fills in):
    // CONST of VOLATILE of the type, as clang writes it; of the element
    // type for an array.
    std::istringstream Words(V.Spelling.substr(0, V.Spelling.find('[')));
    std::set<std::string> Qualifiers{std::istream_iterator<std::string>(Words),
                                     {}};
    for (auto [Word, Kind] :
         {std::pair("volatile", KindVolatile), std::pair("const", KindConst)})
      if (Qualifiers.count(Word))
        Type = B.intern(0, Kind, 0, Type);
    if (V.Count)
      Type = B.intern(0, KindArray, 0, 0, {Type, Index, uint32_t(V.Count)});
    return Type;
  };
  for (const GlobalSection &G : globalSections(Globals)) {
    Vars.clear();
    for (const cir::GlobalVar &V : Globals) {
      if (V.Sec != G.Sec)
        continue;
      uint32_t Type = V.DeclaredType && describedSize(V.DeclaredType) == V.Size
                          ? Described.get(V.DeclaredType)
                          : SpelledGlobalType(V);
      uint32_t Var = B.type(B.str(V.Name), KindVar, 0, Type);
      B.u32(V.Static ? VarStatic : VarGlobalAllocated);
      Vars.push_back({Var, V.Offset, V.Size});
    }
    Datasec(cir::sectionName(G.Sec), Vars, G.Size);
  }

  // The license, as clang describes `char LICENSE[] SEC("license")`: a VAR
  // of an ARRAY of char in the DATASEC `license`, named by the object's
  // symbol for it.
  if (License) {
    const uint32_t Size = uint32_t(License->size() + 1);
    uint32_t Chars = B.intern(0, KindArray, 0, 0,
                              {B.intern(B.str("char"), KindInt, 0, 1, {IntSigned | 8}), Index, Size});
    uint32_t Var = B.type(B.str(LicenseSymbol), KindVar, 0, Chars);
    B.u32(VarGlobalAllocated);
    Datasec("license", {{Var, 0, Size}}, Size);
  }

  // The functions: a FUNC each, and their func and line info per section.
  // libbpf finds a program's records by its section's name, so when two
  // programs share one (only writeObject's callers other than vepcc, which
  // refuses that, do so) there is no `.BTF.ext`.
  ObjectBtf Out;
  SignatureTypes Types(B, Ints);
  std::vector<uint32_t> FuncIds;
  for (const CompiledProgram &P : Progs)
    FuncIds.push_back(funcType(B, Types, Described, P));
  std::map<std::string, unsigned> SectionUses;
  for (const CompiledProgram &P : Progs)
    if (!P.isTextFunction())
      ++SectionUses[P.Section];
  bool Ext = !Progs.empty() &&
             std::all_of(SectionUses.begin(), SectionUses.end(),
                         [](const auto &U) { return U.second == 1; });
  if (Ext)
    Out.Ext = extSection(B, Progs, FuncIds, Source);
  B.resolvePointees();
  Out.Btf = B.bytes();
  return Out;
}

} // namespace vep::compiler
