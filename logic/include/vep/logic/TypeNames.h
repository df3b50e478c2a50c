//===- TypeNames.h - C type names in annotation casts -----------*- C++ -*-===//
//
// The type names a cast in an annotation may name, as the parser spells
// them (words separated by one space, then the stars: "unsigned char *").
// One table for VEP-C, which interprets the casts, and the compiler, which
// lowers them.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_LOGIC_TYPENAMES_H
#define VEP_LOGIC_TYPENAMES_H

#include <optional>
#include <string>

namespace vep::logic {

/// An integer C type.
struct IntTypeName {
  unsigned Bits = 32;
  bool Signed = true;
};

/// The integer type Name names: the C keywords (char, short, int, long,
/// long long with signed/unsigned, `const` ignored; plain char is signed on
/// BPF), the kernel's typedefs (__u8 .. __s64, __be16 .. __le64, u8 .. s64)
/// and <stdint.h>'s (uint8_t .. int64_t, size_t, ssize_t). Nullopt for any
/// other name.
std::optional<IntTypeName> intTypeNamed(const std::string &Name);

/// The C conversion of the integer V (|V| < 2^126) to the type T: V
/// modulo 2^T.Bits, in T's range.
__int128 convertTo(__int128 V, const IntTypeName &T);

/// Whether Name is a pointer to bytes, `void *` or a pointer to an 8-bit
/// integer type (`unsigned char *`, `__u8 *`, `const char *`): a cast to
/// it keeps the address and makes the term a byte pointer, on which
/// annotations allow arithmetic (docs/annotation-language.md).
bool isBytePointerTypeName(const std::string &Name);

} // namespace vep::logic

#endif
