//===- TypeNames.cpp - C type names in annotation casts -------------------===//

#include "vep/logic/TypeNames.h"

#include <sstream>
#include <vector>

namespace vep::logic {

static std::vector<std::string> words(const std::string &Name) {
  std::istringstream In(Name);
  std::vector<std::string> Out;
  for (std::string W; In >> W;)
    if (W != "const")
      Out.push_back(W);
  return Out;
}

std::optional<IntTypeName> intTypeNamed(const std::string &Name) {
  std::vector<std::string> Words = words(Name);
  if (Words.size() == 1) {
    static const struct {
      const char *Name;
      unsigned Bits;
      bool Signed;
    } Typedefs[] = {
        {"__u8", 8, false},      {"__u16", 16, false},    {"__u32", 32, false},
        {"__u64", 64, false},    {"__s8", 8, true},       {"__s16", 16, true},
        {"__s32", 32, true},     {"__s64", 64, true},     {"u8", 8, false},
        {"u16", 16, false},      {"u32", 32, false},      {"u64", 64, false},
        {"s8", 8, true},         {"s16", 16, true},       {"s32", 32, true},
        {"s64", 64, true},       {"uint8_t", 8, false},   {"uint16_t", 16, false},
        {"uint32_t", 32, false}, {"uint64_t", 64, false}, {"int8_t", 8, true},
        {"int16_t", 16, true},   {"int32_t", 32, true},   {"int64_t", 64, true},
        {"__be16", 16, false},   {"__be32", 32, false},   {"__be64", 64, false},
        {"__le16", 16, false},   {"__le32", 32, false},   {"__le64", 64, false},
        {"size_t", 64, false},   {"ssize_t", 64, true},
    };
    for (const auto &T : Typedefs)
      if (Words[0] == T.Name)
        return IntTypeName{T.Bits, T.Signed};
  }
  // C keywords: [un]signed, char, short, int, long (long).
  unsigned Char = 0, Short = 0, Int = 0, Long = 0, Uns = 0, Sig = 0;
  for (const std::string &X : Words) {
    if (X == "char")
      ++Char;
    else if (X == "short")
      ++Short;
    else if (X == "int")
      ++Int;
    else if (X == "long")
      ++Long;
    else if (X == "unsigned")
      ++Uns;
    else if (X == "signed")
      ++Sig;
    else
      return std::nullopt;
  }
  if (Words.empty() || Uns + Sig > 1 || Char + Short + Long > 2 ||
      (Char && (Short || Long || Int)) || (Short && Long) || Int > 1 ||
      (Long > 0 && Char + Short > 0))
    return std::nullopt;
  unsigned Bits = Char ? 8 : Short ? 16 : Long ? 64 : 32;
  return IntTypeName{Bits, Uns == 0}; // plain char is signed on BPF
}

__int128 convertTo(__int128 V, const IntTypeName &T) {
  __int128 Mod = __int128(1) << T.Bits;
  V %= Mod;
  if (V < 0)
    V += Mod;
  if (T.Signed && V >= Mod / 2)
    V -= Mod;
  return V;
}

bool isBytePointerTypeName(const std::string &Name) {
  if (Name.size() < 2 || Name.compare(Name.size() - 2, 2, " *") != 0 ||
      Name.find('*') != Name.size() - 1)
    return false;
  std::string Pointee = Name.substr(0, Name.size() - 2);
  std::vector<std::string> Words = words(Pointee);
  if (Words.size() == 1 && Words[0] == "void")
    return true;
  std::optional<IntTypeName> I = intTypeNamed(Pointee);
  return I && I->Bits == 8;
}

} // namespace vep::logic
