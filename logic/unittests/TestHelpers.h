//===- TestHelpers.h - Shared helpers of the logic unit tests ---*- C++ -*-===//
#ifndef VEP_LOGIC_UNITTESTS_TESTHELPERS_H
#define VEP_LOGIC_UNITTESTS_TESTHELPERS_H

#include "vep/logic/Assertion.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace vep::logic::test {

/// Parses `Text` as if it started at `Start`; records a test failure (and
/// returns nothing) when it does not parse.
inline std::optional<Annotation> parse(const std::string &Text,
                                       SourcePos Start = {1, 1}) {
  Annotation A;
  ParseError Err;
  if (parseAnnotation(Text, Start, A, Err))
    return A;
  ADD_FAILURE() << "'" << Text << "' does not parse: " << Err.Pos.Line << ":"
                << Err.Pos.Col << ": " << Err.Message;
  return std::nullopt;
}

/// The assertion of a bare `/*@ P */` annotation, or null on failure.
inline AssertionPtr parseAssertion(const std::string &Text) {
  std::optional<Annotation> A = parse(Text);
  return A ? A->Pre : nullptr;
}

/// The term on the left of the comparison `Text`, or null on failure.
inline TermPtr parseLeftTerm(const std::string &Text) {
  AssertionPtr A = parseAssertion(Text);
  if (!A || A->K != Assertion::Kind::Cmp) {
    ADD_FAILURE() << "'" << Text << "' is not a comparison";
    return nullptr;
  }
  return A->Terms[0];
}

/// The error of an annotation that must not parse.
inline ParseError parseError(const std::string &Text,
                             SourcePos Start = {1, 1}) {
  Annotation A;
  ParseError Err;
  if (parseAnnotation(Text, Start, A, Err))
    ADD_FAILURE() << "'" << Text << "' parses as '" << print(A) << "'";
  return Err;
}

} // namespace vep::logic::test

#endif // VEP_LOGIC_UNITTESTS_TESTHELPERS_H
