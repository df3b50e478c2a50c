//===- Lexer.h - Tokens of the annotation language --------------*- C++ -*-===//
//
// Private to vep_logic: splits annotation text into tokens that carry their
// positions in the C file.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_LOGIC_LIB_LEXER_H
#define VEP_LOGIC_LIB_LEXER_H

#include "vep/logic/Assertion.h"

#include <string>
#include <vector>

namespace vep::logic::detail {

struct Token {
  enum class Kind {
    Ident, // identifiers and keywords alike; the parser tells them apart
    Int,   // Value holds the literal's value
    Punct, // operators and punctuation, spelled in Text
    End,   // end of the annotation
    Error, // a lexical error; Text holds the message
  };
  Kind K;
  std::string Text;
  SourcePos Pos;
  __int128 Value = 0;

  bool is(Kind Want, const char *Spelling) const {
    return K == Want && Text == Spelling;
  }
  bool isPunct(const char *Spelling) const { return is(Kind::Punct, Spelling); }
  bool isIdent(const char *Spelling) const { return is(Kind::Ident, Spelling); }
};

/// C's precedence level of a binary term operator, from 1 (`|`) to 6 (`*`,
/// `/`, `%`); 0 for anything else. Kept here once because the parser climbs
/// by it and the printer parenthesises by it: if the two disagreed, printed
/// terms would re-parse differently.
inline unsigned binaryOperatorLevel(const std::string &Op) {
  if (Op == "|")
    return 1;
  if (Op == "^")
    return 2;
  if (Op == "&")
    return 3;
  if (Op == "<<" || Op == ">>")
    return 4;
  if (Op == "+" || Op == "-")
    return 5;
  if (Op == "*" || Op == "/" || Op == "%")
    return 6;
  return 0;
}

/// Tokenises `Text`, whose first character sits at `Start` in the C file.
/// The result always ends with exactly one End or Error token; lexing stops
/// at the first error so the parser can report an earlier syntax error first.
std::vector<Token> lex(const std::string &Text, SourcePos Start);

} // namespace vep::logic::detail

#endif // VEP_LOGIC_LIB_LEXER_H
