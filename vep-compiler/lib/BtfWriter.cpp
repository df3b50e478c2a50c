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
// (key and value are given by size, not by type), and the DATASECs of the
// sections of global variables. The format is the kernel's
// (include/uapi/linux/btf.h): a 24-byte header, the type records, the
// string table.
//
//===----------------------------------------------------------------------===//

#include "vep/compiler/ElfWriter.h"

#include <map>
#include <utility>

namespace vep::compiler {
namespace {

// BTF kinds and encodings (linux/btf.h).
constexpr uint16_t BtfMagic = 0xeB9F;
constexpr uint32_t KindInt = 1, KindPtr = 2, KindArray = 3, KindStruct = 4,
                   KindVar = 14, KindDatasec = 15;
constexpr uint32_t IntSigned = 1u << 24; // BTF_INT_SIGNED in the encoding
constexpr uint32_t VarStatic = 0, VarGlobalAllocated = 1;
constexpr uint32_t HeaderLen = 24;

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
  /// Starts a type record; returns its id.
  uint32_t type(uint32_t Name, uint32_t Kind, uint32_t Vlen,
                uint32_t SizeOrType) {
    u32(Name);
    u32(Kind << 24 | Vlen);
    u32(SizeOrType);
    return ++NumTypes;
  }
  void u32(uint32_t V) {
    for (int K = 0; K < 4; ++K)
      Types.push_back(uint8_t(V >> (8 * K)));
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
  uint32_t NumTypes = 0;
};

} // namespace

uint64_t mapDefinitionSize(const cir::MapDef &M) {
  return 8 * mapFields(M).size();
}

uint64_t mapSectionSize(const cir::MapDef &M) {
  return mapDefinitionSize(M) + 8 * M.InitialValues.size();
}

std::vector<uint8_t> writeMapsBtf(const std::vector<cir::MapDef> &Maps,
                                  const std::vector<cir::GlobalVar> &Globals) {
  Btf B;
  uint32_t Int = B.type(B.str("int"), KindInt, 0, 4);
  B.u32(IntSigned | 32);
  uint32_t Index = B.type(B.str("__ARRAY_SIZE_TYPE__"), KindInt, 0, 4);
  B.u32(32);

  // `__uint(name, N)` is `int (*name)[N]`: one ARRAY and PTR per value.
  std::map<uint32_t, uint32_t> PtrTo;
  auto ValuePtr = [&](uint32_t N) {
    auto It = PtrTo.find(N);
    if (It != PtrTo.end())
      return It->second;
    uint32_t Arr = B.type(0, KindArray, 0, 0);
    B.u32(Int);
    B.u32(Index);
    B.u32(N);
    uint32_t Ptr = B.type(0, KindPtr, 0, Arr);
    PtrTo[N] = Ptr;
    return Ptr;
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
    for (const auto &[Name, Value] : Fields)
      Members.push_back(ValuePtr(Value));
    uint32_t Values = 0;
    if (M.Inner) {
      uint32_t InnerPtr = B.type(0, KindPtr, 0, Self(*M.Inner, Self));
      Values = B.type(0, KindArray, 0, 0);
      B.u32(InnerPtr);
      B.u32(Index);
      B.u32(0);
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

  // Global variables: INT `u32`, `s8`, ... once each, ARRAYs of them.
  std::map<std::pair<unsigned, bool>, uint32_t> Ints;
  for (const GlobalSection &G : globalSections(Globals)) {
    Vars.clear();
    for (const cir::GlobalVar &V : Globals) {
      if (V.Sec != G.Sec)
        continue;
      auto [It, New] = Ints.emplace(std::pair(V.ElemBits, V.ElemSigned), 0);
      if (New) {
        It->second = B.type(
            B.str((V.ElemSigned ? "s" : "u") + std::to_string(V.ElemBits)),
            KindInt, 0, V.ElemBits / 8);
        B.u32((V.ElemSigned ? IntSigned : 0) | V.ElemBits);
      }
      uint32_t Type = It->second;
      if (V.Count) {
        uint32_t Elem = Type;
        Type = B.type(0, KindArray, 0, 0);
        B.u32(Elem);
        B.u32(Index);
        B.u32(uint32_t(V.Count));
      }
      uint32_t Var = B.type(B.str(V.Name), KindVar, 0, Type);
      B.u32(V.Static ? VarStatic : VarGlobalAllocated);
      Vars.push_back({Var, V.Offset, V.Size});
    }
    Datasec(cir::sectionName(G.Sec), Vars, G.Size);
  }
  return B.bytes();
}

} // namespace vep::compiler
