//===- ErrorTest.cpp - Messages and positions of parse errors -------------===//

#include "TestHelpers.h"

using namespace vep::logic;
using namespace vep::logic::test;

namespace {

struct ErrorCase {
  const char *Text;
  unsigned Line; // relative to the annotation: 1 is the line of Start
  unsigned Col;  // column within that line (1-based)
  const char *Message;
};

std::ostream &operator<<(std::ostream &OS, const ErrorCase &C) {
  return OS << C.Text;
}

class ErrorTest : public ::testing::TestWithParam<ErrorCase> {};

// Each annotation starts at line 20, column 7 of the C file, so on its first
// line columns shift by 6 and later lines keep their own columns.
TEST_P(ErrorTest, ReportsMessageAtFilePosition) {
  const ErrorCase &C = GetParam();
  const SourcePos Start{20, 7};
  ParseError Err = parseError(C.Text, Start);
  EXPECT_EQ(Err.Message, C.Message);
  EXPECT_EQ(Err.Pos.Line, Start.Line + C.Line - 1);
  EXPECT_EQ(Err.Pos.Col, C.Line == 1 ? Start.Col + C.Col - 1 : C.Col);
}

const ErrorCase ErrorCases[] = {
    // Positions on later lines.
    {"Require y > 0\n  && z < 1\n&&  x )", 3, 7,
     "expected comparison operator after term, found ')'"},
    {"Require x > 0 &&\n  y < 10\n  Ensure __return = y", 3, 19,
     "'=' is not an operator; write '==' for equality"},
    {"With l\n  Require store_uchar_array(p, n, l\n  Ensure emp", 3, 3,
     "expected ')' after argument list, found 'Ensure'"},
    {"Require x > 0\n * Ensure y == 1", 2, 4,
     "expected an assertion, found 'Ensure'"},
    // Annotation structure.
    {"", 1, 1, "empty annotation"},
    {"  // only a comment\n", 1, 1, "empty annotation"},
    {"Requires x > 0", 1, 1, "unknown annotation keyword 'Requires'"},
    {"invariant 0 <= i", 1, 1, "unknown annotation keyword 'invariant'"},
    {"Require Ensure x == 1", 1, 9, "expected assertion after 'Require'"},
    {"Require x > 0 Ensure", 1, 21, "expected assertion after 'Ensure'"},
    {"Inv", 1, 4, "expected assertion after 'Inv'"},
    {"Assert", 1, 7, "expected assertion after 'Assert'"},
    {"Ensure x == 1 Require y == 2", 1, 15,
     "'Require' must come before 'Ensure'"},
    {"Ensure x == 1 Ensure y == 2", 1, 15, "duplicate 'Ensure' clause"},
    {"Require x == 1 With x", 1, 16, "'With' must come first in a contract"},
    {"With Require x == 1", 1, 6, "expected variable name after 'With'"},
    {"With x y", 1, 9,
     "expected 'Require' or 'Ensure' after the 'With' variables, found end "
     "of annotation"},
    {"Inv x < n Variant", 1, 18, "expected term after 'Variant'"},
    {"Variant n", 1, 1, "'Variant' must follow an 'Inv' invariant"},
    {"Assert x == 1 Variant x", 1, 15, "unexpected token 'Variant'"},
    {"x == 1)", 1, 7, "unexpected token ')'"},
    {"x == 1 y", 1, 8, "unexpected token 'y'"},
    // Assertions.
    {"x", 1, 2,
     "expected comparison operator after term, found end of annotation"},
    {"x == 1 && )", 1, 11, "expected an assertion, found ')'"},
    {"(x == 1", 1, 8, "expected ')' after assertion, found end of annotation"},
    {"(x == ) * emp", 1, 7, "expected a term, found ')'"},
    {"exists , x == 1", 1, 8, "expected variable name after 'exists'"},
    {"exists x: x == 1", 1, 9, "expected ',' after the variables of 'exists'"},
    {"forall i, i == i", 1, 8, "expected '(' after 'forall'"},
    {"forall (: Z), emp", 1, 9, "expected variable name after 'forall ('"},
    {"forall (i Z), emp", 1, 12,
     "expected ':' after the variables of 'forall'"},
    {"forall (i:), emp", 1, 11, "expected type after ':' in 'forall'"},
    {"forall (i: Z, emp", 1, 13, "expected ')' after the type of 'forall'"},
    {"forall (i: Z) emp", 1, 15, "expected ',' after 'forall (...)'"},
    {"data_at == 1", 1, 9, "expected '(' after predicate 'data_at'"},
    {"x == data_at(p, int, v)", 1, 6, "'data_at' is a predicate, not a term"},
    {"x == emp", 1, 6, "expected a term, found keyword 'emp'"},
    {"x == int", 1, 6, "expected a term, found type name 'int'"},
    // Terms.
    {"f(a, b", 1, 7,
     "expected ')' after argument list, found end of annotation"},
    {"f(a b) == 1", 1, 5, "expected ')' after argument list, found 'b'"},
    {"f(a, ) == 1", 1, 6, "expected a term, found ')'"},
    {"x == l[i", 1, 9, "expected ']' after index, found end of annotation"},
    {"p-> == 1", 1, 5, "expected field name after '->'"},
    {"x == (y + 1", 1, 12,
     "expected ')' after parenthesised term, found end of annotation"},
    {"x@post == 1", 1, 3, "expected 'pre' after '@'"},
    {"(struct) p == 0", 1, 8, "expected tag name after 'struct'"},
    {"(int x) == 0", 1, 6, "expected ')' after type name in cast, found 'x'"},
    {"x == 1 +", 1, 9, "expected a term, found end of annotation"},
    {"x == ) $", 1, 6, "expected a term, found ')'"},
    // Lexical errors.
    {"x == 1 $", 1, 8, "unexpected character '$'"},
    {"x == 18446744073709551616", 1, 6,
     "integer literal '18446744073709551616' does not fit in 64 bits"},
    {"x == 0x10000000000000000", 1, 6,
     "integer literal '0x10000000000000000' does not fit in 64 bits"},
    {"x == 99999999999999999999999999999999999999999", 1, 6,
     "integer literal '99999999999999999999999999999999999999999' does not "
     "fit in 64 bits"},
    {"x == 12abc", 1, 6, "invalid suffix 'abc' on integer literal '12abc'"},
    {"x == 1uu", 1, 6, "invalid suffix 'uu' on integer literal '1uu'"},
    {"x == 1lL", 1, 6, "invalid suffix 'lL' on integer literal '1lL'"},
    {"x == 0x", 1, 6, "expected hexadecimal digits after '0x'"},
    {"x == 017", 1, 6, "octal integer literals are not supported"},
    {"unfold data_at(p, int, v)", 1, 8,
     "expected an instance of a user predicate after 'unfold'"},
    {"fold x < 1", 1, 6,
     "expected an instance of a user predicate after 'fold'"},
};

INSTANTIATE_TEST_SUITE_P(Annotations, ErrorTest,
                         ::testing::ValuesIn(ErrorCases));

TEST(ErrorDepthTest, DeepNestingIsAnErrorNotACrash) {
  std::string Deep =
      std::string(5000, '(') + "x" + std::string(5000, ')') + " == 1";
  ParseError Err = parseError(Deep);
  EXPECT_EQ(Err.Message, "annotation is nested too deeply");

  std::string Negations = std::string(5000, '!') + "emp";
  EXPECT_EQ(parseError(Negations).Message, "annotation is nested too deeply");
}

TEST(ErrorDepthTest, ModerateNestingIsFine) {
  std::string Nested =
      std::string(50, '(') + "x" + std::string(50, ')') + " == 1";
  EXPECT_TRUE(parseAssertion(Nested));
}

} // namespace
