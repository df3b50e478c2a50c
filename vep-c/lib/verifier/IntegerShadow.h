//===- IntegerShadow.h - Bit-vector queries as integer ones ---*- C++ -*-===//
//
// Private to vep_verifier. The obligations of VEP-C are bit-vector formulas
// (docs/vep-c.md, "Machine arithmetic"), but almost all of them are linear
// facts about values far from wrapping: a pointer plus a length below the
// packet's end, a variant that decreased. Bit-blasting proves such a fact by
// reasoning about carries through 64 to 130 bits and takes 50 to 400 ms a
// query; the same fact over the integers is a few simplex steps.
//
// The shadow translates a quantifier-free bit-vector formula into linear
// integer arithmetic *exactly*: each bit-vector term t of width w becomes
// an integer term for its unsigned value (in [0, 2^w)) or its signed value
// (in [-2^(w-1), 2^(w-1))), and each operation its modular meaning
// (an addition that may wrap is `ite(s >= 2^w, s - 2^w, s)`). Interval
// bounds of each term, computed alongside, show when an operation cannot
// wrap, so that it stays a plain sum; this is what makes the annotation
// arithmetic (sign-extended sums that never wrap by construction) linear.
// Arrays from bit-vectors to bit-vectors (the content model, Contents.h)
// become arrays from integers to integers, and quantifiers and lambdas
// over bit-vectors ones over the integers in their range; such an array
// means something only at indices in range, so an array equality becomes
// their agreement there. A user predicate (Predicates.h) becomes one of
// the arguments' images. A quotient or remainder by a variable is a pair
// of fresh integers with their (nonlinear) definition as a fact. A formula
// outside the fragment (other functions, bitwise operations besides masks
// of low bits, products of two variables, widths over 125 bits) is not
// translated at all.
//
// Every model of the bit-vector formula gives a model of its translation
// (each integer variable takes the unsigned value of its bit-vector), so
// `unsat` of the translation is `unsat` of the query: the verifier takes a
// proof from the shadow and asks the bit-vector solver only when the
// shadow finds a model or gives up (docs/vep-c.md, "Solving"). The
// converse holds too, since the ranges of the variables and of the arrays'
// elements are facts of the solver and quantifiers range over the
// integers in range: an integer model gives the bit-vector one of the same
// values. So `sat` is the query's answer as well, except where a user
// predicate occurs (left to the bit-vector solver: reported as
// `unknown`).
//
//===----------------------------------------------------------------------===//
#ifndef VEP_C_VERIFIER_INTEGERSHADOW_H
#define VEP_C_VERIFIER_INTEGERSHADOW_H

#include <z3++.h>

#include <optional>
#include <unordered_map>
#include <vector>

namespace vep::verifier {

class IntegerShadow {
public:
  IntegerShadow(z3::context &C, unsigned TimeoutMillis);

  /// Adds a fact that holds in every query (dropped if it cannot be
  /// translated: a missing hypothesis only makes `unsat` rarer).
  void addFact(const z3::expr &Fact);

  /// The satisfiability of Query with the facts over the integers;
  /// `unknown` when Query is outside the fragment or the solver gives up
  /// (after TimeoutMillis, if given, else the constructor's).
  z3::check_result check(const z3::expr &Query,
                         std::optional<unsigned> TimeoutMillis = std::nullopt);

private:
  using Int = __int128;
  /// An integer term for a bit-vector term of width W: its signed value
  /// if Signed, else its unsigned value; Lo..Hi bounds that value.
  struct Rep {
    z3::expr E;
    bool Signed;
    Int Lo, Hi;
    unsigned W;
  };
  /// E's translation from Cache, made by Uncached the first time; E is
  /// kept alive in Sources so that its AST id is not reused.
  template <typename T>
  std::optional<T>
  memoised(std::unordered_map<unsigned, std::optional<T>> &Cache,
           const z3::expr &E,
           std::optional<T> (IntegerShadow::*Uncached)(const z3::expr &)) {
    unsigned Id = Z3_get_ast_id(C, E);
    auto It = Cache.find(Id);
    if (It != Cache.end())
      return It->second;
    std::optional<T> R = (this->*Uncached)(E);
    Sources.push_back(E);
    Cache.emplace(Id, R);
    return R;
  }
  std::optional<Rep> term(const z3::expr &T);
  std::optional<Rep> termUncached(const z3::expr &T);
  std::optional<z3::expr> formula(const z3::expr &F);
  std::optional<z3::expr> array(const z3::expr &A);
  std::optional<z3::expr> arrayUncached(const z3::expr &A);
  std::optional<z3::expr> binder(const z3::expr &Q);
  std::optional<unsigned> width(const z3::sort &S);
  std::optional<Int> constant(const z3::expr &T);
  std::optional<z3::expr> formulaUncached(const z3::expr &F);
  std::optional<z3::expr> compare(const z3::expr &F, Z3_decl_kind K);
  std::optional<Rep> add(const Rep &A, const Rep &B);
  std::optional<Rep> sub(const Rep &A, const Rep &B);
  std::optional<Rep> scale(const Rep &A, Int K);
  Rep asUnsigned(const Rep &R);
  Rep asSigned(const Rep &R);
  Rep wrapUnsigned(const z3::expr &E, Int Lo, Int Hi, unsigned W);
  z3::expr num(Int V);

  z3::context &C;
  z3::solver S;
  /// Translations by AST id (nullopt: outside the fragment); the sources
  /// are kept alive so that their ids are not reused.
  std::unordered_map<unsigned, std::optional<Rep>> Terms;
  std::unordered_map<unsigned, std::optional<z3::expr>> Formulas;
  std::unordered_map<unsigned, std::optional<z3::expr>> Arrays;
  unsigned FreshCount = 0;
  unsigned DefaultTimeout;
  unsigned Timeout = 0; // the solver's, 0: none set yet
  unsigned Binders = 0; // quantifiers and lambdas being translated
  std::vector<z3::expr> Sources;
  /// Facts of the variables met since the last check (their ranges and
  /// those of arrays' elements, the definitions of quotients), added to
  /// the solver's base level: they hold in every query.
  std::vector<z3::expr> NewFacts;
};

} // namespace vep::verifier

#endif // VEP_C_VERIFIER_INTEGERSHADOW_H
