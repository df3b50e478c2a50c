//===- RandomTest.cpp - Round trips of random trees and random texts -----===//
//
// The hand-written round trips cover the cases we thought of. Random trees
// (including shapes the parser never builds, like `-` applied to a literal)
// check that the printer's parenthesisation is right in general; random token
// strings check that whatever the parser accepts prints back to itself.
//
//===----------------------------------------------------------------------===//

#include "TestHelpers.h"

#include <random>

using namespace vep::logic;
using namespace vep::logic::test;
using AK = Assertion::Kind;
using TK = Term::Kind;

namespace {

class TreeGenerator {
public:
  explicit TreeGenerator(unsigned Seed) : Rng(Seed) {}

  TermPtr term(unsigned Depth) {
    auto T = std::make_shared<Term>();
    unsigned Choice = Depth == 0 ? pick(3) : pick(10);
    switch (Choice) {
    case 0:
      T->K = TK::IntLit;
      T->Value = pickFrom<__int128>(
          {0, 1, 7, -1, -42, 4294967295, 18446744073709551615ull,
           -static_cast<__int128>(18446744073709551615ull)});
      break;
    case 1:
      T->K = TK::Var;
      T->Name = pickFrom<std::string>({"x", "data", "__return", "l", "p"});
      T->AtPre = pick(4) == 0;
      break;
    case 2:
      T->K = TK::Call;
      T->Name = pickFrom<std::string>({"f", "Zlength", "g"});
      for (unsigned I = 0, N = pick(3); I < N && Depth > 0; ++I)
        T->Args.push_back(term(Depth - 1));
      break;
    case 3:
      T->K = TK::Unary;
      T->Op = pickFrom<std::string>({"-", "~", "*", "&"});
      T->Args = {term(Depth - 1)};
      break;
    case 4:
    case 5:
      T->K = TK::Binary;
      T->Op = pickFrom<std::string>(
          {"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"});
      T->Args = {term(Depth - 1), term(Depth - 1)};
      break;
    case 6:
      T->K = TK::Member;
      T->Name = pickFrom<std::string>({"next", "h_proto"});
      T->Arrow = pick(2) == 0;
      T->Args = {term(Depth - 1)};
      break;
    case 7:
      T->K = TK::Index;
      T->Args = {term(Depth - 1), term(Depth - 1)};
      break;
    case 8:
      T->K = TK::Cast;
      T->Name =
          pickFrom<std::string>({"int", "unsigned char *", "struct iphdr *"});
      T->Args = {term(Depth - 1)};
      break;
    default:
      T->K = TK::Call;
      T->Name = "sublist";
      T->Args = {term(Depth - 1), term(Depth - 1), term(Depth - 1)};
      break;
    }
    return T;
  }

  AssertionPtr assertion(unsigned Depth) {
    auto A = std::make_shared<Assertion>();
    unsigned Choice = Depth == 0 ? pick(4) : pick(14);
    switch (Choice) {
    case 0:
      A->K = pickFrom<AK>({AK::True, AK::False, AK::Emp, AK::TT});
      break;
    case 1:
    case 2:
      A->K = AK::Cmp;
      A->Op = pickFrom<std::string>({"==", "!=", "<", "<=", ">", ">="});
      A->Terms = {term(pick(3)), term(pick(3))};
      break;
    case 3:
      A->K = AK::Pred;
      if (pick(2)) {
        A->Name = "data_at";
        auto Type = std::make_shared<Term>();
        Type->K = TK::Var;
        Type->Name = pickFrom<std::string>({"struct iphdr", "unsigned int"});
        A->Terms = {term(1), Type, term(1)};
      } else {
        A->Name = pickFrom<std::string>({"P", "store_uchar_array"});
        A->Terms = {term(2), term(1)};
      }
      break;
    case 4:
      A->K = AK::Not;
      A->Subs = {assertion(Depth - 1)};
      break;
    case 5:
      A->K = AK::Exists;
      A->Binders = pick(2) ? std::vector<std::string>{"v"}
                           : std::vector<std::string>{"v", "w"};
      A->Subs = {assertion(Depth - 1)};
      break;
    case 6:
      A->K = AK::Forall;
      A->Binders = {"i"};
      A->BinderType = pickFrom<std::string>({"Z", "list Z"});
      A->Subs = {assertion(Depth - 1)};
      break;
    default:
      A->K = pickFrom<AK>({AK::And, AK::Or, AK::Implies, AK::Sep});
      A->Subs = {assertion(Depth - 1), assertion(Depth - 1)};
      break;
    }
    return A;
  }

private:
  std::mt19937 Rng;

  unsigned pick(unsigned N) {
    return std::uniform_int_distribution<unsigned>(0, N - 1)(Rng);
  }
  template <typename T> T pickFrom(std::initializer_list<T> Choices) {
    return Choices.begin()[pick(Choices.size())];
  }
};

TEST(RandomTreeTest, PrintedTreesParseBackEqual) {
  TreeGenerator Gen(20240601);
  for (unsigned I = 0; I < 3000; ++I) {
    Annotation A;
    A.K = Annotation::Kind::Contract;
    A.Pre = Gen.assertion(4);
    A.Post = Gen.assertion(4);
    std::string Printed = print(A);
    auto Reparsed = parse(Printed);
    ASSERT_TRUE(Reparsed) << Printed;
    ASSERT_TRUE(equal(A, *Reparsed)) << Printed;
    ASSERT_EQ(print(*Reparsed), Printed);
  }
}

TEST(RandomTreeTest, PrintedInvariantsParseBackEqual) {
  TreeGenerator Gen(7);
  for (unsigned I = 0; I < 1000; ++I) {
    Annotation A;
    A.K = Annotation::Kind::Inv;
    A.Pre = Gen.assertion(3);
    A.Variant = Gen.term(3);
    std::string Printed = print(A);
    auto Reparsed = parse(Printed);
    ASSERT_TRUE(Reparsed) << Printed;
    ASSERT_TRUE(equal(A, *Reparsed)) << Printed;
  }
}

/// Every parsed annotation prints to text that parses to an equal tree, and
/// every rejected one reports a position inside the text.
TEST(RandomTextTest, AcceptedTextsRoundTrip) {
  const char *Pieces[] = {
      "x",   "f",       "P",      "data_at", "(",   ")",       ",",      "*",
      "+",   "-",       "==",     "<",       "&&",  "||",      "=>",     "!",
      "emp", "TT",      "exists", "forall",  ":",   "Z",       "1",      "0x10",
      "[",   "]",       "->",     "@",       "pre", "Require", "Ensure", "With",
      "Inv", "Variant", "int",    "struct",  "s",   ".",       "\n"};
  std::mt19937 Rng(99);
  std::uniform_int_distribution<size_t> PieceDist(0, std::size(Pieces) - 1);
  std::uniform_int_distribution<unsigned> LengthDist(1, 14);
  unsigned Accepted = 0;
  for (unsigned I = 0; I < 40000; ++I) {
    std::string Text;
    unsigned Lines = 1;
    for (unsigned N = LengthDist(Rng); N; --N) {
      const char *Piece = Pieces[PieceDist(Rng)];
      Lines += Piece[0] == '\n';
      Text += Piece;
      Text += ' ';
    }
    Annotation A;
    ParseError Err;
    if (!parseAnnotation(Text, {5, 3}, A, Err)) {
      ASSERT_GE(Err.Pos.Line, 5u) << Text;
      ASSERT_LT(Err.Pos.Line, 5u + Lines) << Text;
      ASSERT_FALSE(Err.Message.empty()) << Text;
      continue;
    }
    ++Accepted;
    std::string Printed = print(A);
    auto Reparsed = parse(Printed);
    ASSERT_TRUE(Reparsed) << Text << " printed as " << Printed;
    ASSERT_TRUE(equal(A, *Reparsed)) << Text << " printed as " << Printed;
    ASSERT_EQ(print(*Reparsed), Printed) << Text;
  }
  // Enough random texts parse for the round trips to mean something.
  EXPECT_GT(Accepted, 100u);
}

} // namespace
