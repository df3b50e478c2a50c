//===- Assertion.h - The VEP assertion language ------------------*- C++ -*-===//
//
// Terms and assertions of the annotation language shared by every stage:
// VEP-C reads them from `/*@ ... */` comments, the compiler lowers them to
// bytecode assertions. Integers here are mathematical; program values are
// their machine values (see docs/annotation-language.md).
//
//===----------------------------------------------------------------------===//
#ifndef VEP_LOGIC_ASSERTION_H
#define VEP_LOGIC_ASSERTION_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vep::logic {

/// A position inside the C file (1-based), so diagnostics point into the
/// annotation itself, not at the comment that holds it.
struct SourcePos {
  unsigned Line = 0;
  unsigned Col = 0;
};

struct Term;
using TermPtr = std::shared_ptr<const Term>;

/// Pure terms: C-like arithmetic over program and logical variables, plus
/// the list functions of the sequence theory.
struct Term {
  enum class Kind {
    IntLit,   // Value
    Var,      // Name; `x@pre` has AtPre set; `__return` is a Var; a C type
              // given as a call argument (`data_at(p, struct iphdr, v)`) is
              // a Var whose Name is the type spelling, e.g. "struct iphdr"
    Unary,    // Op in {"-", "~", "*" (deref), "&" (address-of)}; Args[0]
    Binary,   // Op in {"+","-","*","/","%","&","|","^","<<",">>"}; Args[0..1]
    Member,   // Args[0] `->` Name (Arrow = true) or `.` Name (Arrow = false)
    Index,    // Args[0] `[` Args[1] `]`  (list element l[i])
    Call,     // Name(Args...): sublist, app, Zlength, replace_Znth, user fns
    Cast,     // (TypeName) Args[0]
  };
  Kind K;
  SourcePos Pos;
  std::string Name;      // Var, Member, Call; type text for Cast
  std::string Op;        // Unary, Binary
  __int128 Value = 0;    // IntLit (fits any 64-bit value and its negation)
  bool AtPre = false;    // Var written `x@pre`
  bool Arrow = false;    // Member
  std::vector<TermPtr> Args;
};

struct Assertion;
using AssertionPtr = std::shared_ptr<const Assertion>;

/// Assertions: pure propositions and spatial predicates combined with the
/// separating conjunction.
struct Assertion {
  enum class Kind {
    True,      // `true`
    False,     // `false`
    Emp,       // `emp`
    TT,        // `TT`: true, owns the rest of the heap
    Cmp,       // Terms[0] Op Terms[1], Op in {"==","!=","<","<=",">",">="}
    Not,       // ! Subs[0]
    And,       // Subs[0] && Subs[1]
    Or,        // Subs[0] || Subs[1]
    Implies,   // Subs[0] => Subs[1]
    Sep,       // Subs[0] * Subs[1]  (separating conjunction)
    Exists,    // exists Binders, Subs[0]
    Forall,    // forall (Binders: BinderType), Subs[0]
    Pred,      // Name(Terms...): data_at, undef_data_at, store_char_array,
               // store_uchar_array (alias chars), store_int_array,
               // store_uint_array, packet, packet_end, or a user predicate
  };
  Kind K;
  SourcePos Pos;
  std::string Op;                    // Cmp
  std::string Name;                  // Pred
  std::vector<std::string> Binders;  // Exists, Forall
  std::string BinderType;            // Forall, e.g. "Z"
  std::vector<TermPtr> Terms;        // Cmp, Pred
  std::vector<AssertionPtr> Subs;    // connectives and quantifiers
};

/// One `/*@ ... */` comment, classified.
struct Annotation {
  enum class Kind {
    Contract, // With Vars  Require Pre  Ensure Post
    Inv,      // Inv Pre  (optionally followed by `Variant Term`)
    Assert,   // Assert Pre, or a bare assertion `/*@ P */`
    Where,    // where x = e, y = f: With names x y, Values e f (before a
              // call: the callee's With variables at that call)
    Let,      // Let Name(With...) [Variant Variant] = Pre: a user-defined
              // predicate (docs/annotation-language.md, "User predicates")
    Unfold,   // unfold Pre, Pre an instance of a user predicate: a
    Fold,     // statement; fold Pre likewise (same section)
  };
  Kind K;
  SourcePos Pos;                  // position of the first token
  std::vector<std::string> With;  // Contract: logical variables; Where:
                                  // the variables given values; Let: the
                                  // parameters
  std::string Name;               // Let: the predicate's name
  std::vector<TermPtr> Values;    // Where: the value of each With name
  AssertionPtr Pre;               // Require / Inv / Assert / Unfold / Fold
                                  // (null if absent)
  AssertionPtr Post;              // Ensure (Contract only; null if absent)
  TermPtr Variant;                // Inv: optional ranking term; Let: the
                                  // measure of a recursive predicate
};

/// A parse failure with the position of the offending token.
struct ParseError {
  SourcePos Pos;
  std::string Message;
};

/// Parses the text between `/*@` and `*/`. `Start` is the position of the
/// first character of that text in the C file, so reported positions are
/// positions in the file. On failure returns false and fills `Err`.
bool parseAnnotation(const std::string &Text, SourcePos Start, Annotation &Out,
                     ParseError &Err);

/// Prints in the concrete syntax accepted by parseAnnotation; printing then
/// re-parsing yields an equal tree (positions aside).
std::string print(const Term &T);
std::string print(const Assertion &A);
std::string print(const Annotation &A);

/// Structural equality ignoring positions: what "an equal tree" means above.
/// An absent (null) part equals only an absent part.
bool equal(const Term &A, const Term &B);
bool equal(const Assertion &A, const Assertion &B);
bool equal(const Annotation &A, const Annotation &B);

/// True for the built-in spatial predicates (data_at, undef_data_at,
/// store_char_array, store_uchar_array, chars, store_int_array,
/// store_uint_array) and the packet predicates of function contracts
/// (packet, packet_end). Their names are reserved: they never denote terms.
bool isBuiltinPredicate(const std::string &Name);

} // namespace vep::logic

#endif // VEP_LOGIC_ASSERTION_H
