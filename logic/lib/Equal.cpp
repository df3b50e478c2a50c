//===- Equal.cpp - Structural equality ignoring positions -----------------===//

#include "vep/logic/Assertion.h"

#include <algorithm>

namespace vep::logic {
namespace {

template <typename Node>
bool equalPointers(const std::shared_ptr<const Node> &A,
                   const std::shared_ptr<const Node> &B) {
  if (!A || !B)
    return !A && !B;
  return equal(*A, *B);
}

template <typename Node>
bool equalLists(const std::vector<std::shared_ptr<const Node>> &A,
                const std::vector<std::shared_ptr<const Node>> &B) {
  return std::equal(A.begin(), A.end(), B.begin(), B.end(),
                    equalPointers<Node>);
}

} // namespace

bool equal(const Term &A, const Term &B) {
  return A.K == B.K && A.Name == B.Name && A.Op == B.Op && A.Value == B.Value &&
         A.AtPre == B.AtPre && A.Arrow == B.Arrow && equalLists(A.Args, B.Args);
}

bool equal(const Assertion &A, const Assertion &B) {
  return A.K == B.K && A.Op == B.Op && A.Name == B.Name &&
         A.Binders == B.Binders && A.BinderType == B.BinderType &&
         equalLists(A.Terms, B.Terms) && equalLists(A.Subs, B.Subs);
}

bool equal(const Annotation &A, const Annotation &B) {
  return A.K == B.K && A.Name == B.Name && A.With == B.With &&
         equalLists(A.Values, B.Values) &&
         equalPointers(A.Pre, B.Pre) &&
         equalPointers(A.Post, B.Post) && equalPointers(A.Variant, B.Variant);
}

} // namespace vep::logic
