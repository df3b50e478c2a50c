//===- Lexer.cpp - Tokens of the annotation language ----------------------===//

#include "Lexer.h"

#include <cctype>

namespace vep::logic::detail {
namespace {

constexpr unsigned __int128 MaxLiteral = ~static_cast<uint64_t>(0);

// Longest match first: "=>" must win over "=" and "==" over "=>".
constexpr const char *TwoCharPuncts[] = {"->", "&&", "||", "<<", ">>",
                                         "<=", ">=", "==", "!=", "=>"};
constexpr const char OneCharPuncts[] = "()[],.@:!~&|^+-*/%<>";

bool isIdentStart(char C) {
  return std::isalpha(static_cast<unsigned char>(C)) || C == '_';
}
bool isIdentChar(char C) {
  return std::isalnum(static_cast<unsigned char>(C)) || C == '_';
}

/// C's integer suffixes: at most one u/U and at most one of l/L/ll/LL, in
/// either order. They do not change the value: integers are mathematical.
bool isIntegerSuffix(const std::string &S) {
  size_t I = 0;
  bool SawU = false, SawL = false;
  while (I < S.size()) {
    if ((S[I] == 'u' || S[I] == 'U') && !SawU) {
      SawU = true;
      ++I;
    } else if ((S[I] == 'l' || S[I] == 'L') && !SawL) {
      SawL = true;
      ++I;
      if (I < S.size() && S[I] == S[I - 1])
        ++I;
    } else {
      return false;
    }
  }
  return true;
}

int digitValue(char C) {
  if (C >= '0' && C <= '9')
    return C - '0';
  if (C >= 'a' && C <= 'f')
    return C - 'a' + 10;
  if (C >= 'A' && C <= 'F')
    return C - 'A' + 10;
  return 99;
}

class Lexer {
public:
  Lexer(const std::string &Text, SourcePos Start)
      : Text(Text), Cur(Start), LastTokenEnd(Start) {}

  std::vector<Token> run() {
    std::vector<Token> Toks;
    while (true) {
      skipWhitespaceAndComments();
      if (I == Text.size()) {
        Toks.push_back({Token::Kind::End, "", LastTokenEnd});
        return Toks;
      }
      Token Tok = next();
      bool Failed = Tok.K == Token::Kind::Error;
      Toks.push_back(std::move(Tok));
      if (Failed)
        return Toks;
      LastTokenEnd = Cur;
    }
  }

private:
  const std::string &Text;
  size_t I = 0;
  SourcePos Cur;
  SourcePos LastTokenEnd;

  void advance(size_t N = 1) {
    for (; N && I < Text.size(); --N, ++I) {
      if (Text[I] == '\n') {
        ++Cur.Line;
        Cur.Col = 1;
      } else {
        ++Cur.Col;
      }
    }
  }

  bool startsWith(const char *S) const {
    return Text.compare(I, std::char_traits<char>::length(S), S) == 0;
  }

  void skipWhitespaceAndComments() {
    while (I < Text.size()) {
      if (std::isspace(static_cast<unsigned char>(Text[I]))) {
        advance();
      } else if (startsWith("//")) {
        while (I < Text.size() && Text[I] != '\n')
          advance();
      } else {
        return;
      }
    }
  }

  Token error(SourcePos Pos, std::string Message) {
    return {Token::Kind::Error, std::move(Message), Pos};
  }

  Token next() {
    SourcePos Pos = Cur;
    char C = Text[I];
    if (isIdentStart(C)) {
      size_t Begin = I;
      while (I < Text.size() && isIdentChar(Text[I]))
        advance();
      return {Token::Kind::Ident, Text.substr(Begin, I - Begin), Pos};
    }
    if (std::isdigit(static_cast<unsigned char>(C)))
      return integer();
    for (const char *P : TwoCharPuncts)
      if (startsWith(P)) {
        advance(2);
        return {Token::Kind::Punct, P, Pos};
      }
    for (const char *P = OneCharPuncts; *P; ++P)
      if (C == *P) {
        advance();
        return {Token::Kind::Punct, std::string(1, C), Pos};
      }
    if (C == '=') { // only in `where x = e`; the parser explains it elsewhere
      advance();
      return {Token::Kind::Punct, "=", Pos};
    }
    return error(Pos, std::string("unexpected character '") + C + "'");
  }

  Token integer() {
    SourcePos Pos = Cur;
    size_t Begin = I;
    unsigned Base = 10;
    if (startsWith("0x") || startsWith("0X")) {
      Base = 16;
      advance(2);
      if (I == Text.size() || digitValue(Text[I]) >= 16)
        return error(Pos, "expected hexadecimal digits after '" +
                              Text.substr(Begin, 2) + "'");
    } else if (Text[I] == '0' && I + 1 < Text.size() &&
               std::isdigit(static_cast<unsigned char>(Text[I + 1]))) {
      // C would read this as octal; refusing it avoids a silent surprise.
      return error(Pos, "octal integer literals are not supported");
    }
    unsigned __int128 Value = 0;
    bool Overflow = false;
    while (I < Text.size() && digitValue(Text[I]) < static_cast<int>(Base)) {
      Value = Value * Base + digitValue(Text[I]);
      Overflow |= Value > MaxLiteral;
      if (Overflow)
        Value = MaxLiteral; // keep accumulating without wrapping around
      advance();
    }
    size_t SuffixBegin = I;
    while (I < Text.size() && isIdentChar(Text[I]))
      advance();
    std::string Suffix = Text.substr(SuffixBegin, I - SuffixBegin);
    std::string Spelling = Text.substr(Begin, I - Begin);
    if (!isIntegerSuffix(Suffix))
      return error(Pos, "invalid suffix '" + Suffix + "' on integer literal '" +
                            Spelling + "'");
    if (Overflow)
      return error(Pos, "integer literal '" + Spelling +
                            "' does not fit in 64 bits");
    Token Tok{Token::Kind::Int, Spelling, Pos};
    Tok.Value = static_cast<__int128>(Value);
    return Tok;
  }
};

} // namespace

std::vector<Token> lex(const std::string &Text, SourcePos Start) {
  return Lexer(Text, Start).run();
}

} // namespace vep::logic::detail
