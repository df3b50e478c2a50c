//===- DebugType.h - C types for the object's debug info --------*- C++ -*-===//
//
// The declared C type of a map's key and value, a global variable and a
// function's signature, as the front end reads them from Clang's AST, for
// the object's `.BTF` only (the compiler writes them as clang does with
// -g; bpftool prints map entries by them, the kernel checks them against
// the map's sizes). No stage reasons about these types: the CIR's
// explicit sizes and offsets are the program's meaning.
//
// A tree without cycles: a pointer inside a struct, union or array to a
// struct or union points to its name only (Fwd), as clang writes the
// pointers of the kernel's context structs; a pointer in a signature to
// the struct itself (the program's `struct xdp_md *ctx`).
//
//===----------------------------------------------------------------------===//
#ifndef VEP_CIR_DEBUGTYPE_H
#define VEP_CIR_DEBUGTYPE_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vep::cir {

struct DebugType;
/// Null: void (a pointer's pointee, a result), or a type not described.
using DebugTypePtr = std::shared_ptr<const DebugType>;

struct DebugType {
  enum class Kind {
    Int,      // Name (C's spelling), Size, Signed, Bool
    Float,    // Name, Size
    Ptr,      // to Of (null: void)
    Array,    // Count elements of Of (0: a flexible array member)
    Struct,   // Name ("" when anonymous), Size, Members
    Union,    // likewise
    Enum,     // Name, Size, Enumerators
    Fwd,      // a struct (IsUnion false) or union Name not described here
    Typedef,  // Name for Of
    Const,    // Of, const-qualified
    Volatile, // Of, volatile-qualified
    FuncProto // returns Of (null: void), takes Members (names, types; no
              // offsets); Variadic: `...` after them
  };
  struct Member {
    std::string Name; // "" for an anonymous struct or union member
    DebugTypePtr Type;
    uint64_t BitOffset = 0;
    unsigned BitfieldBits = 0; // 0: not a bit-field
  };
  Kind K = Kind::Int;
  std::string Name;
  uint64_t Size = 0; // bytes
  bool Signed = false, Bool = false;
  bool IsUnion = false, Variadic = false;
  uint64_t Count = 0;
  DebugTypePtr Of;
  std::vector<Member> Members;
  std::vector<std::pair<std::string, int64_t>> Enumerators;
};

} // namespace vep::cir

#endif // VEP_CIR_DEBUGTYPE_H
