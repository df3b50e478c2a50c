//===- Frontend.cpp - Clang AST of annotated eBPF C to the CIR ------------===//
//
// Parsing: Clang LibTooling builds the AST for target bpf. Annotations:
// every `/*@ ... */` comment is found by scanning the raw file text and
// attached by source offset (function contract between the declarator and
// the body's `{`; statement annotations before the statement they precede;
// an `Inv` immediately before a loop becomes that Loop's Annot).
// Lowering: implicit conversions become Cast, member access / indexing /
// pointer arithmetic become byte offsets, bit-fields become a load of the
// storage unit plus shift and mask, integer constant expressions are folded;
// while / for / do become Loop (a `for` initialisation precedes it).
// Maps: the BTF-style definitions in section ".maps" become Module::Maps;
// global variables of integer (array) type become Module::Globals, and
// their uses loads and stores through GlobalAddr (lowerGlobalVar);
// calls through bpf_helpers.h's helper declarations become Call (as a
// statement or the value of an assignment; other arguments than &map, &local,
// constants and variables go to temporaries first; a call inside another
// expression is evaluated into a temporary before its statement, where that
// keeps C's meaning: hoistCalls), the `__sync` atomics become Atomic
// (hoisted like calls when their result is used). Functions without a section that entry points call
// (transitively) become non-entry Functions with their contracts; calls of
// them become FuncCall under the helper calls' rules. The bodies of inline
// functions without a contract are inlined at their calls (inlineCall).
//
//===----------------------------------------------------------------------===//

#include "vep/frontend/Frontend.h"

#include "AnnotationSupport.h"
#include "DebugTypes.h"
#include "vep/logic/Assertion.h"
#include "vep/logic/Predicates.h"
#include "vep/logic/Sequences.h"
#include "vep/logic/TypeNames.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Attr.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>
#include <clang/AST/RecordLayout.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/Stmt.h>
#include <clang/Basic/Builtins.h>
#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Frontend/ASTUnit.h>
#include <clang/Lex/Lexer.h>
#include <clang/Lex/MacroInfo.h>
#include <clang/Lex/Preprocessor.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/ADT/SmallString.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <optional>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace vep::frontend {
namespace {

using cir::cloneExpr;
using cir::ExprPtr;
using cir::StmtPtr;
using CK = cir::Expr::Kind;
using Op = cir::Expr::OpKind;
using SK = cir::Stmt::Kind;

//===----------------------------------------------------------------------===//
// Clang diagnostics
//===----------------------------------------------------------------------===//

class Collector : public clang::DiagnosticConsumer {
public:
  explicit Collector(std::vector<Diagnostic> &Out) : Out(Out) {}
  void HandleDiagnostic(clang::DiagnosticsEngine::Level Lvl,
                        const clang::Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Lvl, Info);
    if (Lvl < clang::DiagnosticsEngine::Error)
      return;
    llvm::SmallString<256> Msg;
    Info.FormatDiagnostic(Msg);
    Diagnostic D;
    D.Message = std::string(Msg.str());
    if (Info.hasSourceManager() && Info.getLocation().isValid()) {
      const clang::SourceManager &SM = Info.getSourceManager();
      clang::PresumedLoc P =
          SM.getPresumedLoc(SM.getExpansionLoc(Info.getLocation()));
      if (P.isValid()) {
        D.File = P.getFilename();
        D.Line = P.getLine();
        D.Col = P.getColumn();
      }
    }
    Out.push_back(std::move(D));
  }

private:
  std::vector<Diagnostic> &Out;
};

//===----------------------------------------------------------------------===//
// Annotation comments in the raw text
//===----------------------------------------------------------------------===//

struct RawAnnotation {
  unsigned Offset = 0;     // of the `/*`
  unsigned TextOffset = 0; // first character after `/*@`
  std::string Text;        // between `/*@` and `*/`
  logic::SourcePos TextPos;
  std::shared_ptr<logic::Annotation> Ann; // null if it did not parse
  bool Used = false;
};

/// Line/column (1-based, bytes) of every offset in a buffer.
class LineTable {
public:
  explicit LineTable(const std::string &Buf) {
    Starts.push_back(0);
    for (unsigned I = 0; I < Buf.size(); ++I)
      if (Buf[I] == '\n')
        Starts.push_back(I + 1);
  }
  logic::SourcePos pos(unsigned Off) const {
    auto It = std::upper_bound(Starts.begin(), Starts.end(), Off);
    unsigned Line = unsigned(It - Starts.begin());
    return {Line, Off - Starts[Line - 1] + 1};
  }

private:
  std::vector<unsigned> Starts;
};

/// Finds the `/*@ ... */` comments, skipping string and character literals
/// and `//` comments.
std::vector<RawAnnotation> scanAnnotations(const std::string &B,
                                           const LineTable &LT) {
  std::vector<RawAnnotation> Out;
  size_t I = 0, N = B.size();
  while (I < N) {
    char C = B[I];
    if (C == '"' || C == '\'') {
      ++I;
      while (I < N && B[I] != C && B[I] != '\n') {
        if (B[I] == '\\')
          ++I;
        ++I;
      }
      ++I;
    } else if (C == '/' && I + 1 < N && B[I + 1] == '/') {
      while (I < N && B[I] != '\n') {
        if (B[I] == '\\' && I + 1 < N && B[I + 1] == '\n')
          ++I;
        ++I;
      }
    } else if (C == '/' && I + 1 < N && B[I + 1] == '*') {
      size_t End = B.find("*/", I + 2);
      size_t Stop = End == std::string::npos ? N : End;
      if (I + 2 < N && B[I + 2] == '@') {
        RawAnnotation A;
        A.Offset = unsigned(I);
        A.TextOffset = unsigned(I + 3);
        A.Text = B.substr(I + 3, Stop > I + 3 ? Stop - (I + 3) : 0);
        A.TextPos = LT.pos(A.TextOffset);
        Out.push_back(std::move(A));
      }
      I = End == std::string::npos ? N : End + 2;
    } else {
      ++I;
    }
  }
  return Out;
}

//===----------------------------------------------------------------------===//
// CIR construction helpers
//===----------------------------------------------------------------------===//

cir::Type intType(unsigned Bits, bool Signed) {
  cir::Type T;
  T.K = cir::Type::Kind::Int;
  T.Bits = Bits;
  T.Signed = Signed;
  switch (Bits) {
  case 8: T.Spelling = Signed ? "signed char" : "unsigned char"; break;
  case 16: T.Spelling = Signed ? "short" : "unsigned short"; break;
  case 32: T.Spelling = Signed ? "int" : "unsigned int"; break;
  default: T.Spelling = Signed ? "long" : "unsigned long"; break;
  }
  return T;
}

uint64_t maskTo(uint64_t V, unsigned Bits) {
  return Bits >= 64 ? V : (V & ((uint64_t(1) << Bits) - 1));
}

bool sameType(const cir::Type &A, const cir::Type &B) {
  return A.K == B.K && A.Bits == B.Bits &&
         (A.isPtr() ? A.PointeeSize == B.PointeeSize : A.Signed == B.Signed);
}

ExprPtr mkExpr(CK K, const cir::Type &Ty, cir::Loc L) {
  auto E = std::make_unique<cir::Expr>();
  E->K = K;
  E->Ty = Ty;
  E->L = L;
  return E;
}

ExprPtr mkConst(const cir::Type &Ty, uint64_t V, cir::Loc L) {
  auto E = mkExpr(CK::Const, Ty, L);
  E->Value = maskTo(V, Ty.Bits);
  return E;
}

ExprPtr mkBin(Op O, const cir::Type &Ty, ExprPtr A, ExprPtr B, cir::Loc L) {
  auto E = mkExpr(CK::Binary, Ty, L);
  E->Op = O;
  E->Ops.push_back(std::move(A));
  E->Ops.push_back(std::move(B));
  return E;
}

/// Converts `E` to `To` (C conversion: extension by the source's
/// signedness). Folds constants; omits identity conversions.
ExprPtr mkCast(ExprPtr E, const cir::Type &To, cir::Loc L) {
  if (sameType(E->Ty, To)) {
    E->Ty.Spelling = To.Spelling;
    return E;
  }
  if (E->K == CK::Const && !To.isPtr() && !E->Ty.isPtr()) {
    uint64_t V = E->Value;
    unsigned FB = E->Ty.Bits;
    if (E->Ty.Signed && FB < 64 && (V >> (FB - 1)) & 1)
      V |= ~uint64_t(0) << FB; // sign-extend
    return mkConst(To, V, E->L);
  }
  auto C = mkExpr(CK::Cast, To, L);
  C->Ops.push_back(std::move(E));
  return C;
}


StmtPtr mkStmt(SK K, cir::Loc L) {
  auto S = std::make_unique<cir::Stmt>();
  S->K = K;
  S->L = L;
  return S;
}

const cir::Type I64 = intType(64, true);
const cir::Type I32 = intType(32, true);
const cir::Type U64 = intType(64, false);
const cir::Type U32 = intType(32, false);

//===----------------------------------------------------------------------===//
// Lowering one function
//===----------------------------------------------------------------------===//

/// Thrown to abandon lowering of the current statement after a diagnostic.
struct Unsupported {};

/// A statement that runs before a loop: whole (Ran), or an `if` the loop
/// is inside, in its `then` or its `else` (whose condition then holds, or
/// not; the statements of that branch before the loop come after it).
struct PriorStmt {
  const cir::Stmt *S;
  enum class Way { Ran, IntoThen, IntoElse } W = Way::Ran;
};

/// Adds the assignments to V in S (any depth) to Out: a call's written
/// `&V` and an inline body's writes alike (each is an Assign).
void collectAssignments(const cir::Stmt &S, unsigned V,
                        std::vector<const cir::Stmt *> &Out) {
  if (S.K == SK::Assign && S.VarId == V)
    Out.push_back(&S);
  for (const cir::Stmt *Sub : {S.Then.get(), S.Else.get(), S.Step.get()})
    if (Sub)
      collectAssignments(*Sub, V, Out);
  for (const StmtPtr &B : S.Body)
    collectAssignments(*B, V, Out);
}

/// The number of assignments to V in S (collectAssignments).
unsigned assignmentsTo(const cir::Stmt &S, unsigned V) {
  std::vector<const cir::Stmt *> All;
  collectAssignments(S, V, All);
  return unsigned(All.size());
}

/// How many times P assigns V on the way to the loop.
unsigned assignmentsTo(const PriorStmt &P, unsigned V) {
  return P.W == PriorStmt::Way::Ran ? assignmentsTo(*P.S, V) : 0;
}

/// Looks up a name used in an annotation as a C constant (an enumerator
/// such as XDP_PASS, or an object-like macro whose body is an integer
/// literal such as ETH_P_IP).
using ConstantLookup = std::function<std::optional<__int128>(const std::string &)>;

/// Replaces a subterm of an annotation: the new term, or null to keep it
/// (and look inside it).
using TermMap = std::function<logic::TermPtr(const logic::Term &)>;

/// `T` with the subterms `Map` replaces replaced (outermost first),
/// sharing unchanged subtrees.
logic::TermPtr mapTerms(const logic::TermPtr &T, const TermMap &Map) {
  if (!T)
    return T;
  if (logic::TermPtr New = Map(*T))
    return New;
  bool Changed = false;
  std::vector<logic::TermPtr> Args;
  for (const auto &A : T->Args) {
    Args.push_back(mapTerms(A, Map));
    Changed |= Args.back() != A;
  }
  if (!Changed)
    return T;
  auto N = std::make_shared<logic::Term>(*T);
  N->Args = std::move(Args);
  return N;
}

logic::AssertionPtr mapTerms(const logic::AssertionPtr &A, const TermMap &Map) {
  if (!A)
    return A;
  bool Changed = false;
  std::vector<logic::TermPtr> Terms;
  for (const auto &T : A->Terms) {
    Terms.push_back(mapTerms(T, Map));
    Changed |= Terms.back() != T;
  }
  std::vector<logic::AssertionPtr> Subs;
  for (const auto &S : A->Subs) {
    Subs.push_back(mapTerms(S, Map));
    Changed |= Subs.back() != S;
  }
  if (!Changed)
    return A;
  auto N = std::make_shared<logic::Assertion>(*A);
  N->Terms = std::move(Terms);
  N->Subs = std::move(Subs);
  return N;
}

/// Replaces a variable of an annotation: the new term, or null to keep it.
using VarMap = std::function<logic::TermPtr(const logic::Term &)>;

/// `X` (a term or an assertion) with its variables replaced by `Map`.
template <typename PtrT> PtrT mapVars(const PtrT &X, const VarMap &Map) {
  return mapTerms(X, [&](const logic::Term &T) -> logic::TermPtr {
    return T.K == logic::Term::Kind::Var ? Map(T) : nullptr;
  });
}

/// Replaces the names that are no program variables (IsVar) but C
/// constants by their values.
VarMap constantsOf(const ConstantLookup &Const,
                   const std::function<bool(const std::string &)> &IsVar) {
  return [&Const, IsVar](const logic::Term &T) -> logic::TermPtr {
    if (T.AtPre || T.Name == "__return" || IsVar(T.Name))
      return nullptr;
    std::optional<__int128> V = Const(T.Name);
    if (!V)
      return nullptr;
    auto N = std::make_shared<logic::Term>(T);
    N->K = logic::Term::Kind::IntLit;
    N->Value = *V;
    N->Name.clear();
    return N;
  };
}

template <typename Tree>
Tree substConstants(const Tree &X, const ConstantLookup &Const,
                    const std::function<bool(const std::string &)> &IsVar) {
  return mapVars(X, constantsOf(Const, IsVar));
}

/// The binders of A and its subassertions.
void bindersOf(const logic::Assertion &A, std::set<std::string> &Out) {
  Out.insert(A.Binders.begin(), A.Binders.end());
  for (const auto &S : A.Subs)
    if (S)
      bindersOf(*S, Out);
}

/// Takes the user predicate definitions (`Let`, wherever written: a
/// definition is the file's) out of Anns into Preds, in file order, each
/// checked against the definitions before it (logic::
/// checkPredicateDefinition) and as an assertion over its parameters, with
/// constants resolved as in every annotation.
void lowerPredicates(std::vector<RawAnnotation> &Anns,
                     const ConstantLookup &Const, const std::string &Path,
                     logic::PredicateTable &Preds,
                     std::vector<Diagnostic> &Errors) {
  for (RawAnnotation &A : Anns) {
    if (!A.Ann || A.Ann->K != logic::Annotation::Kind::Let)
      continue;
    A.Used = true;
    std::shared_ptr<logic::Annotation> Def = std::move(A.Ann);
    std::set<std::string> Names(Def->With.begin(), Def->With.end());
    bindersOf(*Def->Pre, Names);
    Def->Pre = substConstants(
        Def->Pre, Const, [&](const std::string &N) { return Names.count(N); });
    logic::ParseError PE;
    if (!logic::checkPredicateDefinition(*Def, Preds, PE)) {
      Errors.push_back({Path, PE.Pos.Line, PE.Pos.Col, PE.Message});
      continue;
    }
    // The body: an assertion over the parameters (sequences where it uses
    // them so), which may use the predicate itself.
    logic::PredicateTable WithSelf = Preds;
    WithSelf[Def->Name] = Def;
    std::set<std::string> Seqs = logic::sequenceParameters(*Def, Preds);
    csupport::VarSortFn Sorts = [](const std::string &) {
      return csupport::TermSort::Int;
    };
    csupport::SupportError SE;
    auto CheckVar = [&](const std::string &N, logic::SourcePos) {
      return Names.count(N)
                 ? std::string()
                 : "unknown variable '" + N + "' in the definition of '" +
                       Def->Name + "' (a body speaks of its parameters)";
    };
    if (!csupport::checkPureAssertion(*Def->Pre, csupport::PureContext::Assert,
                                      CheckVar, SE, &Sorts, &Seqs, &WithSelf)) {
      Errors.push_back({Path, SE.Pos.Line, SE.Pos.Col, SE.Message});
      continue;
    }
    Preds[Def->Name] = std::move(Def);
  }
}

/// The maps of the module by their definitions (index in Module::Maps).
using MapIndex = std::map<const clang::VarDecl *, unsigned>;
/// The global variables likewise (index in Module::Globals).
using GlobalIndex = std::map<const clang::VarDecl *, unsigned>;

/// A helper called through its bpf_helpers.h declaration.
struct HelperRef {
  uint64_t Id = 0; // BPF_FUNC_*
  std::string Name;
};

/// The helpers that write into a buffer the program passes: argument
/// Buffer is written with as many bytes as argument Length says.
struct WrittenBuffer {
  uint64_t Helper;
  unsigned Buffer, Length;
};
const WrittenBuffer WrittenBuffers[] = {
    {26, 2, 3},  // bpf_skb_load_bytes(skb, offset, to, len)
    {16, 0, 1},  // bpf_get_current_comm(buf, size)
    {112, 0, 1}, // bpf_probe_read_user(dst, size, unsafe_ptr)
    {113, 0, 1}, // bpf_probe_read_kernel(dst, size, unsafe_ptr)
    {114, 0, 1}, // bpf_probe_read_user_str(dst, size, unsafe_ptr)
    {115, 0, 1}, // bpf_probe_read_kernel_str(dst, size, unsafe_ptr)
    {69, 1, 2},  // bpf_fib_lookup(ctx, params, plen, flags)
};

/// Whether argument I of helper H is a buffer it writes.
bool writtenBufferArgument(const HelperRef &H, unsigned I) {
  return std::any_of(std::begin(WrittenBuffers), std::end(WrittenBuffers),
                     [&](const WrittenBuffer &W) {
                       return W.Helper == H.Id && W.Buffer == I;
                     });
}

/// The bpf-to-bpf functions of the module: each called function's index in
/// Module::Functions, by its definition; and the inline functions without
/// a contract, whose bodies are inlined at their calls.
struct ModuleFunctions {
  std::map<const clang::FunctionDecl *, unsigned> Index;
  std::set<const clang::FunctionDecl *> InlineWithoutContract;
  /// Every function the search reached, each after the functions it calls.
  std::vector<const clang::FunctionDecl *> CalleesFirst;
  /// Module::Functions by Index, each lowered after its callees: a call
  /// knows which buffers its callee writes.
  const std::vector<cir::Function> *Lowered = nullptr;
};

/// The definition in the main file of the function `C` calls directly, if
/// it has one (helpers are pointers, builtins have no definition).
const clang::FunctionDecl *definedCallee(const clang::CallExpr *C,
                                         const clang::SourceManager &SM) {
  const clang::FunctionDecl *D = C->getDirectCallee();
  const clang::FunctionDecl *Def = D ? D->getDefinition() : nullptr;
  if (!Def || !Def->doesThisDeclarationHaveABody() || Def->getBuiltinID() ||
      !SM.isInMainFile(SM.getExpansionLoc(Def->getLocation())))
    return nullptr;
  return Def;
}

/// Whether `S` holds a `return` statement.
bool containsReturn(const clang::Stmt *S) {
  if (llvm::isa<clang::ReturnStmt>(S))
    return true;
  for (const clang::Stmt *Child : S->children())
    if (Child && containsReturn(Child))
      return true;
  return false;
}

/// Whether `S` holds a loop holding a `return` statement.
bool containsReturnInLoop(const clang::Stmt *S) {
  if (llvm::isa<clang::WhileStmt>(S) || llvm::isa<clang::ForStmt>(S) ||
      llvm::isa<clang::DoStmt>(S))
    return containsReturn(S);
  for (const clang::Stmt *Child : S->children())
    if (Child && containsReturnInLoop(Child))
      return true;
  return false;
}

bool returnsOnlyLast(const clang::Stmt *S);

/// Whether every path through `S` ends in a `return`.
bool alwaysReturns(const clang::Stmt *S) {
  while (const auto *AS = llvm::dyn_cast<clang::AttributedStmt>(S))
    S = AS->getSubStmt();
  if (llvm::isa<clang::ReturnStmt>(S))
    return true;
  if (const auto *CS = llvm::dyn_cast<clang::CompoundStmt>(S))
    return !CS->body_empty() && alwaysReturns(CS->body_back());
  if (const auto *IS = llvm::dyn_cast<clang::IfStmt>(S))
    return IS->getElse() && alwaysReturns(IS->getThen()) &&
           alwaysReturns(IS->getElse());
  return false;
}

/// A guard clause of an inlined body: `if (c) S` without `else`, where S
/// returns on every path and only last. The statements after it in its
/// block run exactly when c fails: lowerSequence puts them in the `if`'s
/// `else`, so the body needs no flag for the guard's `return`.
bool isGuardClause(const clang::Stmt *S) {
  const auto *IS = llvm::dyn_cast<clang::IfStmt>(S);
  return IS && !IS->getElse() && !IS->getInit() &&
         !IS->getConditionVariable() && returnsOnlyLast(IS->getThen()) &&
         alwaysReturns(IS->getThen());
}

/// Whether every `return` in `S` is the last thing `S` does: nothing of `S`
/// runs after it (a guard clause's rest becomes its `else`), and it is in
/// no loop. An inlined body of which this holds needs no flag saying that
/// it returned (InlineFrame::Returned).
bool returnsOnlyLast(const clang::Stmt *S) {
  while (const auto *AS = llvm::dyn_cast<clang::AttributedStmt>(S))
    S = AS->getSubStmt();
  if (llvm::isa<clang::ReturnStmt>(S))
    return true;
  if (const auto *CS = llvm::dyn_cast<clang::CompoundStmt>(S)) {
    for (const clang::Stmt *Child : CS->body())
      if (Child != CS->body_back() && containsReturn(Child) &&
          !isGuardClause(Child))
        return false;
    return CS->body_empty() || returnsOnlyLast(CS->body_back());
  }
  if (const auto *IS = llvm::dyn_cast<clang::IfStmt>(S))
    return returnsOnlyLast(IS->getThen()) &&
           (!IS->getElse() || returnsOnlyLast(IS->getElse()));
  return !containsReturn(S);
}

// -- switch ------------------------------------------------------------------

/// Whether control may reach the end of `S`, a statement of a `switch` case
/// (and so fall through into the next case). The `break`s of the switch in
/// tail position of `S` (the last statement, through blocks and both
/// branches of an `if`) leave the switch exactly where the end of the case
/// would; they are added to `TailBreaks`, to be lowered as nothing.
bool mayFallThrough(const clang::Stmt *S,
                    std::set<const clang::Stmt *> &TailBreaks) {
  while (const auto *AS = llvm::dyn_cast<clang::AttributedStmt>(S))
    S = AS->getSubStmt();
  if (llvm::isa<clang::BreakStmt>(S)) {
    TailBreaks.insert(S);
    return false;
  }
  if (llvm::isa<clang::ReturnStmt>(S) || llvm::isa<clang::ContinueStmt>(S))
    return false;
  if (const auto *CS = llvm::dyn_cast<clang::CompoundStmt>(S))
    return CS->body_empty() || mayFallThrough(CS->body_back(), TailBreaks);
  if (const auto *IS = llvm::dyn_cast<clang::IfStmt>(S)) {
    bool Then = mayFallThrough(IS->getThen(), TailBreaks);
    return !IS->getElse() || mayFallThrough(IS->getElse(), TailBreaks) || Then;
  }
  return true;
}

/// The first statement inside `S` (a statement of a `switch` case) that
/// jumps within that switch other than by a break in `TailBreaks`: a
/// `break` of the switch (one in no loop or switch inside `S`) or a `case`
/// or `default` label of it; null if there is none.
const clang::Stmt *
innerSwitchJump(const clang::Stmt *S,
                const std::set<const clang::Stmt *> &TailBreaks) {
  if (llvm::isa<clang::BreakStmt>(S))
    return TailBreaks.count(S) ? nullptr : S;
  if (llvm::isa<clang::SwitchCase>(S))
    return S;
  if (llvm::isa<clang::WhileStmt>(S) || llvm::isa<clang::ForStmt>(S) ||
      llvm::isa<clang::DoStmt>(S) || llvm::isa<clang::SwitchStmt>(S))
    return nullptr; // their breaks and labels are their own
  for (const clang::Stmt *Child : S->children())
    if (Child)
      if (const clang::Stmt *J = innerSwitchJump(Child, TailBreaks))
        return J;
  return nullptr;
}

// -- facts carried into nested loops ------------------------------------------

/// Whether `T` is built of variables and integer constants only (no
/// memory, no calls, no `x@pre`), collecting the variables' names.
bool variableTerm(const logic::Term &T, std::set<std::string> &Names) {
  using TK = logic::Term::Kind;
  switch (T.K) {
  case TK::IntLit:
    return true;
  case TK::Var:
    Names.insert(T.Name);
    return !T.AtPre;
  case TK::Unary:
    if (T.Op != "-" && T.Op != "~")
      return false;
    [[fallthrough]];
  case TK::Binary:
  case TK::Cast:
    return std::all_of(
        T.Args.begin(), T.Args.end(),
        [&](const logic::TermPtr &A) { return A && variableTerm(*A, Names); });
  default:
    return false;
  }
}

/// The top-level conjuncts of `A`.
void conjuncts(const logic::AssertionPtr &A,
               std::vector<logic::AssertionPtr> &Out) {
  if (A->K == logic::Assertion::Kind::And) {
    for (const auto &S : A->Subs)
      conjuncts(S, Out);
    return;
  }
  Out.push_back(A);
}

bool readsVar(const cir::Expr &E, unsigned V) {
  if (E.K == cir::Expr::Kind::Var && E.VarId == V)
    return true;
  return std::any_of(E.Ops.begin(), E.Ops.end(), [&](const cir::ExprPtr &O) {
    return O && readsVar(*O, V);
  });
}

/// Whether the name of the variable `V` denotes only it (a C variable's
/// does, declare; the front end's temporaries, `<helper>.result`, need
/// not).
bool uniquelyNamed(const cir::Function &F, unsigned V) {
  return std::count_if(F.Vars.begin(), F.Vars.end(),
                       [&](const cir::Variable &W) {
                         return W.Name == F.Vars[V].Name;
                       }) == 1;
}

/// `E` as an annotation term with the same mathematical value: a variable
/// (whose name denotes only it) or constant under conversions that keep
/// every value; null otherwise.
logic::TermPtr factTerm(const cir::Function &F, const cir::Expr &E) {
  auto T = std::make_shared<logic::Term>();
  T->Pos = {E.L.Line, E.L.Col};
  switch (E.K) {
  case cir::Expr::Kind::Var:
    if (!uniquelyNamed(F, E.VarId))
      return nullptr;
    T->K = logic::Term::Kind::Var;
    T->Name = F.Vars[E.VarId].Name;
    return T;
  case cir::Expr::Kind::Const:
    if (E.Ty.isPtr())
      return nullptr;
    T->K = logic::Term::Kind::IntLit;
    T->Value = E.Value;
    if (E.Ty.Signed && E.Ty.Bits < 64 && (E.Value >> (E.Ty.Bits - 1)) & 1)
      T->Value -= __int128(1) << E.Ty.Bits;
    else if (E.Ty.Signed && E.Ty.Bits == 64)
      T->Value = int64_t(E.Value);
    return T;
  case cir::Expr::Kind::Cast: {
    const cir::Type &From = E.Ops[0]->Ty;
    bool Widens = From.Bits < E.Ty.Bits && (E.Ty.Signed || !From.Signed);
    bool Same = From.Bits == E.Ty.Bits && From.Signed == E.Ty.Signed;
    if (From.isPtr() || E.Ty.isPtr() || !(Widens || Same))
      return nullptr;
    return factTerm(F, *E.Ops[0]);
  }
  default:
    return nullptr;
  }
}

/// The comparisons `Cond` holding means (its `&&` operands too), as
/// annotation facts, where factTerm can express both sides.
void conditionFacts(const cir::Function &F, const cir::Expr &Cond,
                    std::vector<logic::AssertionPtr> &Out) {
  using OK = cir::Expr::OpKind;
  if (Cond.K == cir::Expr::Kind::LAnd) {
    for (const auto &O : Cond.Ops)
      conditionFacts(F, *O, Out);
    return;
  }
  if (Cond.K != cir::Expr::Kind::Cmp)
    return;
  static const std::map<OK, const char *> Ops = {
      {OK::Eq, "=="},  {OK::ULt, "<"},  {OK::ULe, "<="},
      {OK::UGt, ">"},  {OK::UGe, ">="}, {OK::SLt, "<"},
      {OK::SLe, "<="}, {OK::SGt, ">"},  {OK::SGe, ">="}};
  auto Op = Ops.find(Cond.Op);
  logic::TermPtr A = factTerm(F, *Cond.Ops[0]), B = factTerm(F, *Cond.Ops[1]);
  if (Op == Ops.end() || !A || !B)
    return;
  auto C = std::make_shared<logic::Assertion>();
  C->K = logic::Assertion::Kind::Cmp;
  C->Op = Op->second;
  C->Pos = {Cond.L.Line, Cond.L.Col};
  C->Terms = {A, B};
  Out.push_back(C);
}

/// Whether a top-level conjunct of `A` (or one of `As`) says that the
/// variable `V` is non-negative: `c <= V`, `V >= c` with a constant
/// c >= 0, or `c < V`, `V > c` with c >= -1.
bool statesNonNegative(const logic::AssertionPtr &A, const std::string &V) {
  std::vector<logic::AssertionPtr> Cs;
  conjuncts(A, Cs);
  for (const auto &C : Cs) {
    if (C->K != logic::Assertion::Kind::Cmp || C->Terms.size() != 2)
      continue;
    const logic::Term &L = *C->Terms[0], &R = *C->Terms[1];
    bool LowHigh = C->Op == "<=" || C->Op == "<";
    bool HighLow = C->Op == ">=" || C->Op == ">";
    const logic::Term *Lit = LowHigh ? &L : HighLow ? &R : nullptr;
    const logic::Term *Var = LowHigh ? &R : HighLow ? &L : nullptr;
    bool Strict = C->Op == "<" || C->Op == ">";
    if (Lit && Lit->K == logic::Term::Kind::IntLit &&
        Var->K == logic::Term::Kind::Var && Var->Name == V && !Var->AtPre &&
        Lit->Value >= (Strict ? -1 : 0))
      return true;
  }
  return false;
}
bool statesNonNegative(const std::vector<logic::AssertionPtr> &As,
                       const std::string &V) {
  return std::any_of(As.begin(), As.end(), [&](const logic::AssertionPtr &A) {
    return statesNonNegative(A, V);
  });
}

/// The variables `S` assigns; with `Overwrites`, only those assigned a
/// value that does not read the variable itself (`x = 0`, not `x += 1`).
void assignedVars(const cir::Stmt &S, bool Overwrites,
                  std::set<unsigned> &Out) {
  if (S.K == cir::Stmt::Kind::Assign &&
      (!Overwrites || !S.Value || !readsVar(*S.Value, S.VarId)))
    Out.insert(S.VarId);
  for (const auto *Sub : {S.Then.get(), S.Else.get(), S.Step.get()})
    if (Sub)
      assignedVars(*Sub, Overwrites, Out);
  for (const auto &B : S.Body)
    if (B)
      assignedVars(*B, Overwrites, Out);
}

/// Whether every assignment of the pointer variable `V` gives it a packet
/// pointer: a load of a context field converted to a pointer
/// (`(void *)(long)ctx->data`), or such a pointer plus an offset (never a
/// parameter: the context or a called function's buffer, nor a map value
/// or a global, which the compiler's cut point cannot bind by value).
bool packetPointer(const cir::Function &F, unsigned V,
                   std::set<unsigned> &Visiting);
bool packetPointerExpr(const cir::Function &F, const cir::Expr &E,
                       std::set<unsigned> &Visiting) {
  switch (E.K) {
  case cir::Expr::Kind::Cast:
    return E.Ops[0]->Ty.isPtr()
               ? packetPointerExpr(F, *E.Ops[0], Visiting)
               : E.Ops[0]->K == cir::Expr::Kind::Load ||
                     (E.Ops[0]->K == cir::Expr::Kind::Cast &&
                      E.Ops[0]->Ops[0]->K == cir::Expr::Kind::Load);
  case cir::Expr::Kind::Var:
    return packetPointer(F, E.VarId, Visiting);
  case cir::Expr::Kind::Binary:
    return E.Op == cir::Expr::OpKind::PtrAdd &&
           packetPointerExpr(F, *E.Ops[0], Visiting);
  default:
    return false;
  }
}
bool packetPointer(const cir::Function &F, unsigned V,
                   std::set<unsigned> &Visiting) {
  if (F.Vars[V].IsParam || !Visiting.insert(V).second)
    return !F.Vars[V].IsParam; // a cycle adds no other source
  bool Ok = true;
  std::function<void(const cir::Stmt &)> Walk = [&](const cir::Stmt &S) {
    if (S.K == cir::Stmt::Kind::Assign && S.VarId == V)
      Ok = Ok && S.Value && packetPointerExpr(F, *S.Value, Visiting);
    for (const auto *Sub : {S.Then.get(), S.Else.get(), S.Step.get()})
      if (Sub)
        Walk(*Sub);
    for (const auto &B : S.Body)
      if (B)
        Walk(*B);
  };
  if (F.Body)
    Walk(*F.Body);
  return Ok;
}

/// `E` as an annotation term with the same mathematical value, over
/// variables (collected in `Vars`), constants, signed `+ - *` (whose
/// overflow is an obligation, so the value is exact) with a constant
/// factor, and a packet pointer plus an offset (in bytes, as in the IR);
/// null otherwise. The compiler lowers such a term to a linear form.
logic::TermPtr definitionTerm(const cir::Function &F, const cir::Expr &E,
                              std::set<unsigned> &Vars) {
  using OK = cir::Expr::OpKind;
  if (E.K == cir::Expr::Kind::Var && E.Ty.isPtr()) {
    std::set<unsigned> Visiting;
    if (!packetPointer(F, E.VarId, Visiting))
      return nullptr;
  }
  if (E.K == cir::Expr::Kind::Cast) {
    const cir::Type &From = E.Ops[0]->Ty;
    bool Widens = From.Bits < E.Ty.Bits && (E.Ty.Signed || !From.Signed);
    bool Same = From.Bits == E.Ty.Bits && From.Signed == E.Ty.Signed;
    if (From.isPtr() != E.Ty.isPtr() || !(E.Ty.isPtr() || Widens || Same))
      return nullptr;
    return definitionTerm(F, *E.Ops[0], Vars);
  }
  if (E.K == cir::Expr::Kind::Var || E.K == cir::Expr::Kind::Const) {
    logic::TermPtr T = factTerm(F, E);
    if (T && E.K == cir::Expr::Kind::Var)
      Vars.insert(E.VarId);
    return T;
  }
  if (E.K != cir::Expr::Kind::Binary && E.K != cir::Expr::Kind::Unary)
    return nullptr;
  static const std::map<OK, const char *> Ops = {
      {OK::Add, "+"}, {OK::Sub, "-"}, {OK::Mul, "*"}, {OK::PtrAdd, "+"}};
  auto Op = Ops.find(E.Op);
  bool Exact = E.Op == OK::PtrAdd || (!E.Ty.isPtr() && E.Ty.Signed);
  if (E.K == cir::Expr::Kind::Unary) {
    if (E.Op != OK::Neg || !E.Ty.Signed)
      return nullptr;
  } else if (Op == Ops.end() || !Exact ||
             (E.Op == OK::Mul && E.Ops[0]->K != cir::Expr::Kind::Const &&
              E.Ops[1]->K != cir::Expr::Kind::Const)) {
    return nullptr;
  }
  auto T = std::make_shared<logic::Term>();
  T->K = E.K == cir::Expr::Kind::Unary ? logic::Term::Kind::Unary
                                       : logic::Term::Kind::Binary;
  T->Op = E.K == cir::Expr::Kind::Unary ? "-" : Op->second;
  T->Pos = {E.L.Line, E.L.Col};
  for (const auto &O : E.Ops) {
    logic::TermPtr A = definitionTerm(F, *O, Vars);
    if (!A)
      return nullptr;
    T->Args.push_back(A);
  }
  return T;
}

/// Whether `S` reads the variable `V` anywhere (its expressions and those
/// of the statements inside it).
bool stmtReadsVar(const cir::Stmt &S, unsigned V) {
  for (const auto *E : {S.Value.get(), S.Addr.get(), S.Cond.get()})
    if (E && readsVar(*E, V))
      return true;
  for (const auto *Sub : {S.Then.get(), S.Else.get(), S.Step.get()})
    if (Sub && stmtReadsVar(*Sub, V))
      return true;
  return std::any_of(S.Body.begin(), S.Body.end(), [&](const cir::StmtPtr &B) {
    return B && stmtReadsVar(*B, V);
  });
}

/// `x = t` in the body of a loop before a nested loop: while neither `x`
/// nor the variables of `t` are assigned again, `x == t` holds.
struct Definition {
  logic::TermPtr Value;
  std::set<unsigned> Vars; // of Value
  cir::Loc L;
};
using Definitions = std::map<unsigned, Definition>;

/// Updates `Defs` for the statement `S` having run: what it assigns ends
/// the definitions of and over those variables; an assignment `x = t`
/// whose `t` definitionTerm expresses (and does not read x) starts one.
void trackDefinitions(const cir::Function &F, const cir::Stmt &S,
                      Definitions &Defs) {
  std::set<unsigned> Assigned;
  assignedVars(S, false, Assigned);
  for (auto It = Defs.begin(); It != Defs.end();) {
    bool Ends = Assigned.count(It->first) ||
                std::any_of(It->second.Vars.begin(), It->second.Vars.end(),
                            [&](unsigned V) { return Assigned.count(V); });
    It = Ends ? Defs.erase(It) : std::next(It);
  }
  if (S.K != cir::Stmt::Kind::Assign || !S.Value)
    return;
  Definition D;
  D.Value = definitionTerm(F, *S.Value, D.Vars);
  D.L = S.L;
  if (D.Value && !D.Vars.count(S.VarId) && uniquelyNamed(F, S.VarId))
    Defs[S.VarId] = std::move(D);
}

/// Adds to the invariant of each loop nested in `Outer` (the innermost
/// loop around `S`, or none) the conjuncts of Outer's invariant, and the
/// comparisons of its test (`while`, `for`), that are facts about
/// variables alone and that still hold at the nested head on every
/// arrival: none of their variables is assigned in Outer's body
/// before the nested loop (`Before`: on the path from Outer's head), nor in
/// the nested loop, and that are live at the nested head, which the
/// compiler's cut point requires: read by the nested loop (which does not
/// assign them, so it reads their value at its head), or not overwritten
/// later in Outer's iteration (`Blocked`: an overwrite after the nested
/// loop leaves a variable the nested loop does not read dead there). It
/// adds as well `x == t` for each definition `x = t`
/// of Outer's body that still holds there (`Defs`, trackDefinitions) when
/// the nested loop reads x or its invariant names x (the compiler binds x
/// only if it is live there, as for any variable an invariant names),
/// the nested loop assigns neither x nor a variable of t, and
/// every variable of t is live there as above: an inline function's
/// parameter copies `g.p = data + 8 * i`, so
/// that a loop in `g` called in a loop knows what its parameters point to.
/// The nested loop checks them like the rest of its invariant
/// (docs/vep-c.md, "Nested loops").
void carryOuterFacts(const cir::Function &F, cir::Stmt &S,
                     const cir::Stmt *Outer, const std::set<unsigned> &Blocked,
                     std::set<unsigned> &Before, Definitions &Defs) {
  switch (S.K) {
  case cir::Stmt::Kind::Block:
    for (auto &B : S.Body) {
      carryOuterFacts(F, *B, Outer, Blocked, Before, Defs);
      assignedVars(*B, false, Before);
      trackDefinitions(F, *B, Defs);
    }
    return;
  case cir::Stmt::Kind::If:
    for (auto *Sub : {S.Then.get(), S.Else.get()})
      if (Sub) {
        std::set<unsigned> Path = Before;
        Definitions PathDefs = Defs;
        carryOuterFacts(F, *Sub, Outer, Blocked, Path, PathDefs);
      }
    return;
  case cir::Stmt::Kind::Loop:
    break;
  default:
    return;
  }
  if (Outer && Outer->Annot && Outer->Annot->Pre && S.Annot && S.Annot->Pre) {
    std::set<unsigned> Changed = Before;
    for (unsigned V : Blocked)
      if (!stmtReadsVar(S, V))
        Changed.insert(V);
    assignedVars(S, false, Changed);
    std::vector<logic::AssertionPtr> Facts, Tests, Kept;
    conjuncts(Outer->Annot->Pre, Facts);
    if (Outer->TestFirst && Outer->Cond)
      conditionFacts(F, *Outer->Cond, Tests);
    auto Holds = [&](const logic::AssertionPtr &C, bool FromTest) {
      std::set<std::string> Names;
      bool Ok = C->K == logic::Assertion::Kind::Cmp;
      for (const auto &T : C->Terms)
        Ok = Ok && T && variableTerm(*T, Names);
      for (unsigned V = 0; Ok && V < F.Vars.size(); ++V)
        Ok = !Names.count(F.Vars[V].Name) ||
             (!Changed.count(V) &&
              // The compiler reads a signed variable of an invariant only
              // with a conjunct making it non-negative, which the outer
              // invariant has for its own facts but not for its test's.
              (!FromTest || !F.Vars[V].Ty.Signed ||
               statesNonNegative(Kept, F.Vars[V].Name) ||
               statesNonNegative(S.Annot->Pre, F.Vars[V].Name)));
      return Ok && !Names.empty();
    };
    for (const logic::AssertionPtr &C : Facts)
      if (Holds(C, false))
        Kept.push_back(C);
    for (const logic::AssertionPtr &C : Tests)
      if (Holds(C, true))
        Kept.push_back(C);
    std::set<unsigned> InNested;
    assignedVars(S, false, InNested);
    for (const auto &[X, D] : Defs) {
      std::set<unsigned> Vars = D.Vars;
      Vars.insert(X);
      bool Named = false;
      VarMap Find = [&](const logic::Term &T) -> logic::TermPtr {
        Named |= T.Name == F.Vars[X].Name;
        return nullptr;
      };
      mapVars(S.Annot->Pre, Find);
      mapVars(S.Annot->Variant, Find);
      bool Ok = !InNested.count(X) && (Named || stmtReadsVar(S, X));
      for (unsigned V : Vars)
        // As for a test's fact: a signed variable only with a conjunct
        // making it non-negative.
        Ok = Ok &&
             (V == X || (!InNested.count(V) &&
                         (!Blocked.count(V) || stmtReadsVar(S, V)))) &&
             (F.Vars[V].Ty.isPtr() || !F.Vars[V].Ty.Signed ||
              statesNonNegative(Kept, F.Vars[V].Name) ||
              statesNonNegative(S.Annot->Pre, F.Vars[V].Name));
      if (!Ok)
        continue;
      auto Var = std::make_shared<logic::Term>();
      Var->K = logic::Term::Kind::Var;
      Var->Name = F.Vars[X].Name;
      Var->Pos = {D.L.Line, D.L.Col};
      auto Eq = std::make_shared<logic::Assertion>();
      Eq->K = logic::Assertion::Kind::Cmp;
      Eq->Op = "==";
      Eq->Pos = Var->Pos;
      Eq->Terms = {Var, D.Value};
      Kept.push_back(Eq);
    }
    logic::AssertionPtr Pre = S.Annot->Pre;
    for (const logic::AssertionPtr &C : Kept) {
      auto Both = std::make_shared<logic::Assertion>();
      Both->K = logic::Assertion::Kind::And;
      Both->Pos = S.Annot->Pre->Pos;
      Both->Subs = {Pre, C};
      Pre = Both;
    }
    if (Pre != S.Annot->Pre) {
      auto Annot = std::make_shared<logic::Annotation>(*S.Annot);
      Annot->Pre = Pre;
      S.Annot = Annot;
    }
  }
  std::set<unsigned> Overwritten, Start;
  Definitions StartDefs;
  assignedVars(S, true, Overwritten);
  if (S.Then)
    carryOuterFacts(F, *S.Then, &S, Overwritten, Start, StartDefs);
}

class FunctionLowering {
public:
  FunctionLowering(clang::ASTContext &Ctx, const std::string &FileName,
                   std::vector<RawAnnotation> &Anns,
                   std::vector<Diagnostic> &Errs, ConstantLookup Const,
                   const MapIndex &Maps, const GlobalIndex &Globals,
                   const ModuleFunctions &Funcs)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), FileName(FileName), Anns(Anns),
        Errs(Errs), Const(std::move(Const)), Maps(Maps), Globals(Globals),
        Funcs(Funcs) {}

  bool lower(const clang::FunctionDecl *FD, const std::string &Section,
             cir::Function &F);
  /// The module's user predicates, which every annotation may use.
  const logic::PredicateTable *Predicates = nullptr;

private:
  clang::ASTContext &Ctx;
  const clang::SourceManager &SM;
  const std::string &FileName;
  std::vector<RawAnnotation> &Anns;
  std::vector<Diagnostic> &Errs;
  ConstantLookup Const;
  const MapIndex &Maps;
  const GlobalIndex &Globals;
  const ModuleFunctions &Funcs;
  cir::Function *Fn = nullptr;
  /// A called function's contents names and integer With variables.
  std::set<std::string> ContractSequences, ContractIntegers;
  /// Calls already evaluated into a variable before the statement that
  /// holds them (hoistCalls): the expression around each reads its
  /// variable instead.
  std::map<const clang::CallExpr *, unsigned> Hoisted;
  /// `&&`, `||` and `?:` that call in an operand C may not evaluate,
  /// evaluated into a variable before the statement that holds them
  /// (hoistShortCircuits).
  std::map<const clang::Expr *, unsigned> HoistedOperators;
  /// Variable indices into local arrays that read memory, evaluated into a
  /// variable before the statement that holds them (hoistIndices): the
  /// element compares read it instead.
  std::map<const clang::Expr *, unsigned> HoistedIndices;
  /// `Assign v = CallOutput` for the buffers the last helper call writes:
  /// appended right after the statement holding the call
  /// (flushCallOutputs).
  std::vector<StmtPtr> PendingOutputs;
  size_t ErrsAtStart = 0;
  size_t NextAnn = 0; // first annotation not yet reached in the body
  size_t EndAnn = 0;  // one past the last annotation inside the body
  std::map<const clang::VarDecl *, unsigned> VarIds;
  std::vector<std::map<std::string, unsigned>> Scopes;
  /// The `/*@ Inv ... */` written immediately before the loop statement
  /// being lowered (set by stmtInto, taken by lowerLoop).
  RawAnnotation *PendingInv = nullptr;
  /// The statement lists being lowered into, outermost first (stmtInto):
  /// each one's statements so far run before the statement being lowered.
  /// A null entry stands for a loop's body (lowerLoop): the lists above it
  /// run in each iteration, those below it once before the loop.
  std::vector<const std::vector<StmtPtr> *> Sequences;
  /// The `if`s whose branch is being lowered, with the way taken and the
  /// size of Sequences when it was entered: the condition's facts hold
  /// after the lists below that and before the branch's own.
  struct EnteredIf {
    PriorStmt If;
    size_t Depth;
  };
  std::vector<EnteredIf> EnteredIfs;
  unsigned LoopDepth = 0; // loops enclosing the statement being lowered
  /// The breaks that end a switch case (lowerSwitch), lowered as nothing.
  std::set<const clang::Stmt *> SwitchTailBreaks;
  /// While the cases of a switch with other breaks are lowered: the flag
  /// those breaks set (the rest of the case runs only while it is 0), and
  /// the loops around the switch (a break in a deeper loop is the loop's).
  std::optional<unsigned> SwitchBroke;
  unsigned SwitchLoopDepth = 0;
  /// An inline function whose body is lowered in place of a call
  /// (inlineCall); Outer is the frame of the inlined body holding the call.
  struct InlineFrame {
    const clang::FunctionDecl *Callee = nullptr;
    const InlineFrame *Outer = nullptr;
    unsigned CallLine = 0;
    unsigned LoopDepth = 0; // loops around the call
    cir::Type ReturnType;
    std::optional<unsigned> Result; // assigned by `return e`; none: void
    /// Set by `return` when code of the body may follow it
    /// (returnsOnlyLast): the rest of the body runs only while it is 0.
    std::optional<unsigned> Returned;
  };
  const InlineFrame *Inlining = nullptr;
  /// Inline functions inlined into each other at most this deep.
  static constexpr unsigned MaxInlineDepth = 8;

  // -- positions ---------------------------------------------------------
  cir::Loc loc(clang::SourceLocation L) const {
    if (L.isInvalid())
      return {};
    clang::SourceLocation E = SM.getExpansionLoc(L);
    clang::PresumedLoc P = SM.getPresumedLoc(E);
    if (P.isInvalid())
      return {};
    return {P.getLine(), P.getColumn()};
  }
  unsigned offset(clang::SourceLocation L) const {
    return SM.getFileOffset(SM.getExpansionLoc(L));
  }
  /// Offset just past the token that ends at `L` (approximate: the token's
  /// start plus one; enough to order annotations after it).
  unsigned endOffset(clang::SourceLocation L) const { return offset(L) + 1; }

  /// Reports at `L`; inside an inlined body the message names the inline
  /// functions and the lines of their calls.
  void error(cir::Loc L, std::string Msg) {
    for (const InlineFrame *F = Inlining; F; F = F->Outer)
      Msg += std::string(F == Inlining ? " (" : "; ") + "in '" +
             F->Callee->getNameAsString() + "' inlined at line " +
             std::to_string(F->CallLine) + (F->Outer ? "" : ")");
    Errs.push_back({FileName, L.Line, L.Col, std::move(Msg)});
  }
  [[noreturn]] void unsupported(clang::SourceLocation L,
                                const std::string &What) {
    error(loc(L), "not supported yet: " + What);
    throw Unsupported{};
  }

  // -- types ---------------------------------------------------------------
  cir::Type type(clang::QualType QT, clang::SourceLocation L) {
    cir::Type T;
    T.Spelling = QT.getUnqualifiedType().getAsString();
    clang::QualType C = QT.getCanonicalType();
    if (const auto *ET = C->getAs<clang::EnumType>())
      C = ET->getDecl()->getIntegerType().getCanonicalType();
    if (C->isPointerType()) {
      T.K = cir::Type::Kind::Ptr;
      T.Bits = 64;
      clang::QualType P = C->getPointeeType();
      T.PointeeSize = 1;
      if (!P->isVoidType() && !P->isIncompleteType() && !P->isFunctionType())
        T.PointeeSize = unsigned(Ctx.getTypeSizeInChars(P).getQuantity());
      return T;
    }
    if (C->isBooleanType()) {
      // _Bool: a byte holding 0 or 1 when the program wrote it, any byte
      // when read from memory (map contents are never assumed); every
      // conversion to it is `!= 0` (cast, toBool).
      T.K = cir::Type::Kind::Int;
      T.Bits = 8;
      T.Signed = false;
      return T;
    }
    if (C->isIntegerType()) {
      uint64_t Bits = Ctx.getTypeSize(C);
      if (Bits == 8 || Bits == 16 || Bits == 32 || Bits == 64) {
        T.K = cir::Type::Kind::Int;
        T.Bits = unsigned(Bits);
        T.Signed = C->isSignedIntegerType();
        return T;
      }
    }
    unsupported(L, "type '" + QT.getAsString() + "'");
  }

  /// A function's result type: an integer, a pointer, or void (Bits 0).
  cir::Type resultType(clang::QualType QT, clang::SourceLocation L) {
    if (!QT->isVoidType())
      return type(QT, L);
    cir::Type T;
    T.Bits = 0;
    T.Spelling = "void";
    return T;
  }

  uint64_t sizeOf(clang::QualType QT) {
    if (QT->isVoidType() || QT->isIncompleteType() || QT->isFunctionType())
      return 1;
    return uint64_t(Ctx.getTypeSizeInChars(QT).getQuantity());
  }

  /// The pointer type `QT *`.
  cir::Type pointerTo(clang::QualType QT) {
    cir::Type PT;
    PT.K = cir::Type::Kind::Ptr;
    PT.Bits = 64;
    PT.PointeeSize = unsigned(sizeOf(QT));
    PT.Spelling = QT.getAsString() + " *";
    return PT;
  }

  /// Whether E names a global variable or an element of one: its volatile
  /// reads are ordinary loads (every load of a global reads an unknown
  /// value, cir::GlobalVar).
  bool isGlobal(const clang::Expr *E) const {
    E = E->IgnoreParenImpCasts();
    if (const auto *AS = llvm::dyn_cast<clang::ArraySubscriptExpr>(E))
      E = AS->getBase()->IgnoreParenImpCasts();
    const auto *DR = llvm::dyn_cast<clang::DeclRefExpr>(E);
    const auto *VD = DR ? llvm::dyn_cast<clang::VarDecl>(DR->getDecl()) : nullptr;
    return VD && Globals.count(VD->getCanonicalDecl());
  }

  // -- lvalues -----------------------------------------------------------------
  struct LValue {
    bool IsVar = false;
    unsigned VarId = 0;
    /// An element of a local array at a variable index: Elements[Index]
    /// (each a scalar leaf), the variable PastEnd past them (Variable::
    /// PastEndOf).
    std::vector<unsigned> Elements;
    ExprPtr Index; // unsigned 64-bit
    clang::SourceLocation IndexLoc;
    unsigned PastEnd = 0;
    ExprPtr Addr; // memory lvalues
    cir::Type Ty; // type of the object (integer or pointer) when scalar
    clang::QualType QT;
    /// A bit-field: in the storage unit of UnitBytes at Addr (memory) or
    /// in the UnitBytes byte leaves BitLeaves (a local struct), Width bits
    /// from bit Shift on (little-endian).
    bool BitField = false;
    unsigned UnitBytes = 0, Shift = 0, Width = 0;
    std::vector<unsigned> BitLeaves;
  };

  ExprPtr ptrAdd(ExprPtr Base, ExprPtr ByteOff, cir::Loc L) {
    if (ByteOff->K == CK::Const && ByteOff->Value == 0)
      return Base;
    // (p + c1) + c2  ->  p + (c1 + c2): nested members give one offset.
    if (ByteOff->K == CK::Const && Base->K == CK::Binary &&
        Base->Op == Op::PtrAdd && Base->Ops[1]->K == CK::Const) {
      Base->Ops[1]->Value += ByteOff->Value;
      if (Base->Ops[1]->Value == 0)
        return std::move(Base->Ops[0]);
      return Base;
    }
    cir::Type Ty = Base->Ty;
    auto E = mkExpr(CK::Binary, Ty, L);
    E->Op = Op::PtrAdd;
    E->Ops.push_back(std::move(Base));
    E->Ops.push_back(std::move(ByteOff));
    return E;
  }

  /// Index × element size as a signed 64-bit byte offset.
  ExprPtr scaledOffset(ExprPtr Idx, uint64_t ElemSize, bool Negate,
                       cir::Loc L) {
    ExprPtr I = mkCast(std::move(Idx), I64, L);
    int64_t Scale = int64_t(ElemSize) * (Negate ? -1 : 1);
    if (I->K == CK::Const)
      return mkConst(I64, uint64_t(int64_t(I->Value) * Scale), L);
    if (Scale == 1)
      return I;
    return mkBin(Op::Mul, I64, std::move(I), mkConst(I64, uint64_t(Scale), L),
                 L);
  }

  // -- local structs and arrays ----------------------------------------------
  // A local struct or array is one variable per scalar leaf (a field, an
  // element, recursively), named by its C path (`k.saddr`, `counts[2]`):
  // its address is never taken, so the leaves are independent objects and
  // every analysis treats them as ordinary locals (docs/vep-c.md, "Local
  // structs and arrays").
  std::map<const clang::VarDecl *, std::map<uint64_t, unsigned>> LocalLeaves;

  /// A subobject of a local struct or array: the variable, its byte offset
  /// in it and its type.
  struct LocalPart {
    const clang::VarDecl *VD = nullptr;
    uint64_t Offset = 0;
    clang::QualType QT;
    std::string Path; // `k.saddr`, for messages
    /// `a[i]`, `a[i].f`: the array's element at the variable index Index
    /// (one of Count, Stride bytes apart) holds the part, at Offset in
    /// element 0.
    const clang::Expr *Index = nullptr;
    uint64_t Stride = 0, Count = 0;
    /// A bit-field: its first byte is at Offset, its bits from Shift on.
    const clang::FieldDecl *BitField = nullptr;
    unsigned Shift = 0;
    /// In an overlaid union (isOverlaidUnion), whose bytes are the leaves.
    bool Overlaid = false;
  };
  /// A pointer parameter of an inline function given the address of a local
  /// (`&v`, `&k.f`, an array `k`), or such a parameter of the function
  /// inlining it: in the body, `*p`, `p->f` and `p[i]` name the local X
  /// itself (X's element 0 and on when ToFirstElement: `k` decayed), and
  /// `p` passed on is `&X` (inlineCall, addressTarget).
  struct AddressAlias {
    const clang::Expr *X = nullptr;
    bool ToFirstElement = false;
  };
  std::map<const clang::VarDecl *, AddressAlias> AddressAliases;
  /// The alias E (a use of such a parameter) stands for, or null.
  const AddressAlias *aliasOf(const clang::Expr *E) const {
    const auto *DR =
        llvm::dyn_cast<clang::DeclRefExpr>(E->IgnoreParenImpCasts());
    const auto *VD = DR ? llvm::dyn_cast<clang::VarDecl>(DR->getDecl())
                        : nullptr;
    auto It = VD ? AddressAliases.find(VD) : AddressAliases.end();
    return It == AddressAliases.end() ? nullptr : &It->second;
  }
  std::optional<AddressAlias> addressTarget(const clang::Expr *A,
                                            const clang::ParmVarDecl *P);
  /// The arguments `&k` of a local struct or array the helper call being
  /// lowered writes, by argument number (helperArgument, helperCall).
  std::map<unsigned, std::pair<LocalPart, bool>> WrittenLocals; // Packed
  /// Chunks (an AddrOf's VarId and Span) that hold the bytes [Offset,
  /// Offset + Size) of a local, as packed for a call or written by one: a
  /// later call passing the same bytes passes them again instead of packing
  /// the leaves into new chunks. Only between consecutive expression
  /// statements and declarations of one block (lowerSequence; ReuseHeld),
  /// none of which assigns a leaf of the local but to extract it from the
  /// chunks (forgetOverwrittenChunks): no join of paths, no loop head, lies
  /// between the two calls. The branches of an `if` start with the chunks
  /// held before it (EntryHeld; its condition's calls may forget some):
  /// entering a branch joins nothing. Set when the statement with the call
  /// is complete (flushCallOutputs).
  struct HeldChunks {
    uint64_t Offset, Size;
    unsigned VarId, Span;
  };
  std::map<const clang::VarDecl *, HeldChunks> Held, PendingHeld, EntryHeld;
  bool ReuseHeld = false;
  StmtPtr branch(const clang::Stmt *S,
                 const std::map<const clang::VarDecl *, HeldChunks> &Entry);
  /// Buf's chunks hold P's bytes once the statement is complete.
  void holdChunks(const LocalPart &P, const cir::Expr &Buf) {
    PendingHeld.insert_or_assign(
        P.VD, HeldChunks{P.Offset, sizeOf(P.QT), Buf.VarId, Buf.Span});
  }
  void forgetOverwrittenChunks(const std::vector<StmtPtr> &Out, size_t From);

  static bool isScalar(clang::QualType QT) {
    return QT->isIntegerType() || QT->isPointerType() || QT->isEnumeralType();
  }
  bool isLocalAggregateType(clang::QualType QT) {
    return QT->isStructureType() || QT->isConstantArrayType() ||
           (QT->isUnionType() &&
            (isLayoutUniformUnion(QT) || isOverlaidUnion(QT)));
  }

  /// The scalars of the local type T at Off, members' and elements'
  /// included: offset, size, signedness, pointer. False if T or a member
  /// has a bit-field or an overlaid union, or is no local's type.
  using ScalarLayout = std::vector<std::tuple<uint64_t, unsigned, bool, bool>>;
  bool scalarLayout(clang::QualType T, uint64_t Off, ScalarLayout &Out) {
    if (isScalar(T)) {
      Out.emplace_back(Off, unsigned(sizeOf(T)),
                       T->isSignedIntegerOrEnumerationType(),
                       T->isPointerType());
      return true;
    }
    if (!isLocalAggregateType(T) || isOverlaidUnion(T))
      return false;
    bool Bits = false, Ok = true;
    forEachBitField(T, [&](const clang::FieldDecl *, unsigned) { Bits = true; });
    forEachSubobject(T, [&](clang::QualType Sub, uint64_t SubOff,
                            const std::string &, unsigned) {
      Ok = Ok && scalarLayout(Sub, Off + SubOff, Out);
    });
    return Ok && !Bits;
  }

  /// A union whose members all lay out the same scalars at the same
  /// offsets, without bit-fields (`__struct_group`, which the kernel's
  /// headers put around iphdr's and ipv6hdr's addresses): a local of it is
  /// its first member's leaves, which every member names alike.
  bool isLayoutUniformUnion(clang::QualType QT) {
    if (!QT->isUnionType())
      return false;
    std::optional<ScalarLayout> First;
    for (const clang::FieldDecl *FD : QT->getAsRecordDecl()->fields()) {
      ScalarLayout L;
      if (FD->isBitField() || !scalarLayout(FD->getType(), 0, L) ||
          sizeOf(FD->getType()) != sizeOf(QT) || (First && L != *First))
        return false;
      First = std::move(L);
    }
    return First.has_value();
  }

  /// A union whose members lay out differently, made of integers without
  /// bit-fields (bpf_fib_lookup's `tos` and `flowinfo`, `ipv4_src` and
  /// `ipv6_src[4]`): a local of it is its bytes, byte variables of their
  /// own (`fib.(union 8)`), which a member's read puts together and its
  /// write takes apart as a bit-field's (overlaidLValue).
  bool isOverlaidUnion(clang::QualType QT) {
    if (!QT->isUnionType() || isLayoutUniformUnion(QT))
      return false;
    for (const clang::FieldDecl *FD : QT->getAsRecordDecl()->fields()) {
      ScalarLayout L;
      if (FD->isBitField() || !scalarLayout(FD->getType(), 0, L) ||
          std::any_of(L.begin(), L.end(),
                      [](const auto &S) { return std::get<3>(S); }))
        return false;
    }
    return true;
  }

  /// Calls `Visit(type, byte offset, path suffix)` for each direct
  /// subobject of the struct or array type QT, in order; none for an
  /// overlaid union, whose bytes are leaves of their own.
  template <typename VisitT>
  void forEachSubobject(clang::QualType QT, VisitT Visit) {
    if (const auto *AT = Ctx.getAsConstantArrayType(QT)) {
      uint64_t N = AT->getSize().getZExtValue(),
               Elem = sizeOf(AT->getElementType());
      for (uint64_t I = 0; I < N; ++I)
        Visit(AT->getElementType(), I * Elem, "[" + std::to_string(I) + "]",
              unsigned(I));
      return;
    }
    const clang::RecordDecl *RD = QT->getAsRecordDecl();
    if (RD->isUnion() && !isLayoutUniformUnion(QT))
      return;
    const clang::ASTRecordLayout &RL = Ctx.getASTRecordLayout(RD);
    unsigned Index = 0; // in an initialiser list, which skips unnamed ones
    for (const clang::FieldDecl *FD : RD->fields()) {
      if (FD->isUnnamedBitfield())
        continue;
      if (!FD->isBitField())
        Visit(FD->getType(), RL.getFieldOffset(FD->getFieldIndex()) / 8,
              memberSuffix(FD), Index);
      ++Index;
      if (RD->isUnion()) // its first member stands for all
        return;
    }
  }

  /// `.f`, or nothing for an anonymous struct or union, whose members C
  /// names as the enclosing struct's.
  static std::string memberSuffix(const clang::FieldDecl *FD) {
    return FD->isAnonymousStructOrUnion() ? "" : "." + FD->getNameAsString();
  }

  /// The bit-fields of the struct QT itself (not of its members), each
  /// with its initialiser-list index: forEachSubobject leaves them out,
  /// their bytes are leaves of their own (ownByteLeaves).
  template <typename VisitT>
  void forEachBitField(clang::QualType QT, VisitT Visit) {
    const clang::RecordDecl *RD = QT->getAsRecordDecl();
    if (!RD)
      return;
    unsigned Index = 0;
    for (const clang::FieldDecl *FD : RD->fields()) {
      if (FD->isUnnamedBitfield())
        continue;
      if (FD->isBitField() && FD->getBitWidthValue(Ctx) != 0)
        Visit(FD, Index);
      ++Index;
    }
  }

  /// The bit offset of the field FD from its struct's start.
  uint64_t fieldBitOffset(const clang::FieldDecl *FD) const {
    return Ctx.getASTRecordLayout(FD->getParent())
        .getFieldOffset(FD->getFieldIndex());
  }

  /// The bytes the bit-field FD lies in, from its struct's start: [first,
  /// last].
  std::pair<uint64_t, uint64_t> bitFieldSpan(const clang::FieldDecl *FD) {
    uint64_t BitOff = fieldBitOffset(FD);
    return {BitOff / 8, (BitOff + FD->getBitWidthValue(Ctx) - 1) / 8};
  }

  /// Adds to Bytes the offsets of the bytes of the local type QT at Offset
  /// that are leaves of their own, members' and elements' included, each
  /// with what it holds: "bits" of bit-fields, "union" of an overlaid union.
  void ownByteLeaves(clang::QualType QT, uint64_t Offset,
                     std::map<uint64_t, const char *> &Bytes) {
    if (isScalar(QT))
      return;
    if (isOverlaidUnion(QT))
      for (uint64_t B = 0; B < sizeOf(QT); ++B)
        Bytes[Offset + B] = "union";
    forEachBitField(QT, [&](const clang::FieldDecl *FD, unsigned) {
      auto [First, Last] = bitFieldSpan(FD);
      for (uint64_t B = First; B <= Last; ++B)
        Bytes[Offset + B] = "bits";
    });
    forEachSubobject(QT, [&](clang::QualType Sub, uint64_t Off,
                             const std::string &, unsigned) {
      ownByteLeaves(Sub, Offset + Off, Bytes);
    });
  }

  /// Declares the leaves of the local VD (or of its subobject of type QT at
  /// Offset, named Path in the CIR and Written in the C source): each is in
  /// scope for annotations as written (`k.saddr`, `counts[2]`), which
  /// flattenLocalPaths turns member and element terms into.
  void declareLeaves(const clang::VarDecl *VD, clang::QualType QT,
                     uint64_t Offset, const std::string &Path,
                     const std::string &Written) {
    if (isScalar(QT)) {
      cir::Variable V;
      V.Name = uniqueName(Path);
      V.Ty = type(QT, VD->getLocation());
      V.L = loc(VD->getLocation());
      LocalLeaves[VD][Offset] = unsigned(Fn->Vars.size());
      Scopes.back()[Written] = unsigned(Fn->Vars.size());
      Fn->Vars.push_back(std::move(V));
      return;
    }
    if (!isLocalAggregateType(QT))
      unsupported(VD->getLocation(),
                  "local variable of type '" + QT.getAsString() + "'");
    forEachSubobject(
        QT,
        [&](clang::QualType Sub, uint64_t Off, const std::string &Suffix,
            unsigned) {
          declareLeaves(VD, Sub, Offset + Off, Path + Suffix, Written + Suffix);
        });
  }

  /// The bytes of VD no leaf covers are byte variables of their own: those
  /// of bit-fields `h.(bits 0)` and of overlaid unions `f.(union 8)`, which
  /// a member's read and write take apart (lvalue, read, write), and
  /// struct padding `k.(padding 7)`: an
  /// initialiser writes it (zeros), a field write does not, and a helper
  /// reading the whole struct reads it, so VEP-C requires it written as
  /// the kernel requires initialised stack (docs/vep-c.md, "Local structs
  /// and arrays").
  std::set<unsigned> PaddingLeaves;
  void declarePadding(const clang::VarDecl *VD, const std::string &Path) {
    std::map<uint64_t, unsigned> &Leaves = LocalLeaves[VD]; // none: a union
    std::map<uint64_t, const char *> Own;
    ownByteLeaves(VD->getType(), 0, Own);
    uint64_t Covered = 0, Size = sizeOf(VD->getType());
    std::vector<uint64_t> Holes;
    for (const auto &[Off, Id] : Leaves) {
      for (; Covered < Off; ++Covered)
        Holes.push_back(Covered);
      Covered = Off + Fn->Vars[Id].Ty.Bits / 8;
    }
    for (; Covered < Size; ++Covered)
      Holes.push_back(Covered);
    for (uint64_t Off : Holes) {
      auto It = Own.find(Off);
      cir::Variable V;
      V.Name = uniqueName(Path + ".(" +
                          (It != Own.end() ? It->second : "padding") + " " +
                          std::to_string(Off) + ")");
      V.Ty = intType(8, false);
      V.L = loc(VD->getLocation());
      Leaves[Off] = unsigned(Fn->Vars.size());
      if (It == Own.end())
        PaddingLeaves.insert(Leaves[Off]);
      Fn->Vars.push_back(std::move(V));
    }
  }

  /// `&k` of a whole local struct or array (or of a subobject that is
  /// one) as a helper's buffer: k's bytes in chunks, temporaries `k.bytes`,
  /// `k.bytes+8`, ... made one after another (8 bytes each, then 4, 2 and
  /// 1 for the rest: each at a multiple of its size, as a stack slot of its
  /// width must be), which the argument spans (AddrOf Span): the compiler
  /// lays them out consecutively, so the helper sees k's bytes in order.
  /// The chunks get their values from packChunks before the call and give
  /// them back to the leaves through extractLeaves after a call that writes
  /// them.
  ExprPtr localBuffer(const LocalPart &P, cir::Loc L,
                      clang::SourceLocation CL) {
    const auto &Leaves = LocalLeaves.at(P.VD);
    uint64_t Size = sizeOf(P.QT);
    for (auto It = Leaves.lower_bound(P.Offset);
         It != Leaves.end() && It->first < P.Offset + Size; ++It)
      if (Fn->Vars[It->second].Ty.isPtr())
        unsupported(CL,
                    "'&" + P.Path + "' holding a pointer as a call argument");
    auto E = mkExpr(CK::AddrOf, pointerTo(P.QT), L);
    E->VarId = unsigned(Fn->Vars.size());
    E->Span = 0;
    for (uint64_t Off = 0; Off < Size; ++E->Span) {
      unsigned Bytes = 8;
      while (Off + Bytes > Size)
        Bytes /= 2;
      std::string Name = P.Path + ".bytes";
      if (Off)
        Name += '+' + std::to_string(Off);
      temporary(uniqueName(Name), intType(Bytes * 8, false), L);
      Off += Bytes;
    }
    return E;
  }

  /// The byte offset in P of each chunk of Buf (localBuffer's AddrOf).
  std::vector<uint64_t> chunkOffsets(const cir::Expr &Buf) const {
    std::vector<uint64_t> Offs;
    uint64_t Off = 0;
    for (unsigned I = 0; I < Buf.Span; ++I) {
      Offs.push_back(Off);
      Off += Fn->Vars[Buf.VarId + I].Ty.Bits / 8;
    }
    return Offs;
  }

  /// `c = bytes of P's leaves and padding` for each chunk c of Buf the
  /// helper does not wholly overwrite (not inside [0, Written)), in
  /// little-endian order as memory holds them: a leaf's part is zero-
  /// extended and shifted to its place (a packed struct's leaf may span
  /// two chunks). Every byte of such a chunk is read, so VEP-C requires
  /// each leaf and padding byte in it written, as the kernel requires the
  /// stack a helper reads initialised.
  void packChunks(const LocalPart &P, const cir::Expr &Buf, uint64_t Written,
                  std::vector<StmtPtr> &Out) {
    const auto &Leaves = LocalLeaves.at(P.VD);
    std::vector<uint64_t> Offs = chunkOffsets(Buf);
    for (unsigned I = 0; I < Buf.Span; ++I) {
      const cir::Type &Ty = Fn->Vars[Buf.VarId + I].Ty;
      uint64_t Begin = Offs[I], End = Begin + Ty.Bits / 8;
      if (End <= Written)
        continue;
      ExprPtr Packed;
      forOverlappingLeaves(
          Leaves, P.Offset + Begin, P.Offset + End,
          [&](unsigned Leaf, int64_t Shift) {
            const cir::Type &LeafTy = Fn->Vars[Leaf].Ty;
            ExprPtr V = constantBefore(Leaf, Out, Buf.L);
            if (!V) {
              V = mkExpr(CK::Var, LeafTy, Buf.L);
              V->VarId = Leaf;
            }
            // Zero-extended: through the unsigned type of the leaf's width.
            ExprPtr Part =
                mkCast(std::move(V), intType(LeafTy.Bits, false), Buf.L);
            Part = shiftedBytes(std::move(Part), Ty, Shift, Buf.L);
            Packed = Packed ? mkBin(Op::Or, Ty, std::move(Packed),
                                    std::move(Part), Buf.L)
                            : std::move(Part);
          });
      auto A = mkStmt(SK::Assign, Buf.L);
      A->VarId = Buf.VarId + I;
      A->Value = std::move(Packed);
      Out.push_back(std::move(A));
    }
  }

  /// The constant V holds after the statements Out (of one list, run in
  /// order), when the last of them that assigns V is `V = c`: a local set
  /// by `= {}` and passed to a helper packs its constants, so that its
  /// leaves need no home until the call. Null otherwise.
  ExprPtr constantBefore(unsigned V, const std::vector<StmtPtr> &Out,
                         cir::Loc L) {
    for (auto It = Out.rbegin(); It != Out.rend(); ++It)
      if (assignmentsTo(**It, V))
        return (*It)->K == SK::Assign && (*It)->Value->K == CK::Const
                   ? mkConst(Fn->Vars[V].Ty, (*It)->Value->Value, L)
                   : nullptr;
    return nullptr;
  }

  /// After a call that wrote Buf: `c = CallOutput` for each chunk, then
  /// each leaf and padding byte of P its bytes from the chunks (the inverse
  /// of packChunks), all waiting in PendingOutputs.
  void extractLeaves(const LocalPart &P, const cir::Expr &Buf) {
    cir::Loc L = Buf.L;
    holdChunks(P, Buf);
    for (unsigned I = 0; I < Buf.Span; ++I)
      pendingOutput(Buf.VarId + I, L);
    std::vector<uint64_t> Offs = chunkOffsets(Buf);
    const auto &Leaves = LocalLeaves.at(P.VD);
    uint64_t Size = sizeOf(P.QT);
    for (auto It = Leaves.lower_bound(P.Offset);
         It != Leaves.end() && It->first < P.Offset + Size; ++It) {
      const cir::Type &LeafTy = Fn->Vars[It->second].Ty;
      cir::Type U = intType(LeafTy.Bits, false);
      uint64_t Begin = It->first - P.Offset, End = Begin + LeafTy.Bits / 8;
      ExprPtr Value;
      for (unsigned I = 0; I < Buf.Span; ++I) {
        uint64_t CBegin = Offs[I],
                 CEnd = CBegin + Fn->Vars[Buf.VarId + I].Ty.Bits / 8;
        if (CEnd <= Begin || CBegin >= End)
          continue;
        auto C = mkExpr(CK::Var, Fn->Vars[Buf.VarId + I].Ty, L);
        C->VarId = Buf.VarId + I;
        ExprPtr Part =
            shiftedBytes(std::move(C), U, int64_t(CBegin) - int64_t(Begin), L);
        Value = Value ? mkBin(Op::Or, U, std::move(Value), std::move(Part), L)
                      : std::move(Part);
      }
      auto A = mkStmt(SK::Assign, L);
      A->VarId = It->second;
      A->Value = mkCast(std::move(Value), LeafTy, L);
      PendingOutputs.push_back(std::move(A));
    }
  }

  /// Calls Visit(leaf, shift) for each leaf (or padding byte) of Leaves
  /// overlapping the bytes [Begin, End), Shift its offset minus Begin.
  void
  forOverlappingLeaves(const std::map<uint64_t, unsigned> &Leaves,
                       uint64_t Begin, uint64_t End,
                       const std::function<void(unsigned, int64_t)> &Visit) {
    auto It = Leaves.upper_bound(Begin);
    if (It != Leaves.begin())
      --It; // a leaf starting before Begin may reach into it
    for (; It != Leaves.end() && It->first < End; ++It)
      if (It->first + Fn->Vars[It->second].Ty.Bits / 8 > Begin)
        Visit(It->second, int64_t(It->first) - int64_t(Begin));
  }

  /// The unsigned V, which overlaps the bytes of Ty, moved Shift bytes up
  /// (down when negative) into the unsigned type Ty: the bytes that fall
  /// outside Ty are dropped.
  static ExprPtr shiftedBytes(ExprPtr V, const cir::Type &Ty, int64_t Shift,
                              cir::Loc L) {
    if (Shift < 0) {
      cir::Type From = V->Ty;
      V = mkBin(Op::LShr, From, std::move(V),
                mkConst(From, uint64_t(-Shift) * 8, L), L);
      return mkCast(std::move(V), Ty, L);
    }
    V = mkCast(std::move(V), Ty, L);
    if (Shift)
      V = mkBin(Op::Shl, Ty, std::move(V), mkConst(Ty, uint64_t(Shift) * 8, L),
                L);
    return V;
  }

  /// The subobject of a local struct or array that E names (`k`, `k.a.b`,
  /// `a[2]`), or nullopt when E names none. A constant index must lie
  /// within the array's bounds; with Indexed, one index of the path may be
  /// variable (`a[i].f`: LocalPart::Index), else none may.
  std::optional<LocalPart> localPart(const clang::Expr *E,
                                     bool Indexed = false) {
    E = E->IgnoreParens();
    if (const auto *U = llvm::dyn_cast<clang::UnaryOperator>(E);
        U && U->getOpcode() == clang::UO_Deref)
      if (const AddressAlias *A = aliasOf(U->getSubExpr()))
        return aliasPart(*A, Indexed);
    if (const auto *DR = llvm::dyn_cast<clang::DeclRefExpr>(E)) {
      const auto *VD = llvm::dyn_cast<clang::VarDecl>(DR->getDecl());
      if (!VD || !LocalLeaves.count(VD))
        return std::nullopt;
      return LocalPart{VD, 0, VD->getType(), VD->getNameAsString()};
    }
    if (const auto *ME = llvm::dyn_cast<clang::MemberExpr>(E)) {
      std::optional<LocalPart> Base;
      const AddressAlias *A = ME->isArrow() ? aliasOf(ME->getBase()) : nullptr;
      if (A)
        Base = aliasPart(*A, Indexed);
      else if (!ME->isArrow())
        Base = localPart(ME->getBase(), Indexed);
      if (!Base)
        return std::nullopt;
      const auto *FD = llvm::dyn_cast<clang::FieldDecl>(ME->getMemberDecl());
      if (!FD || (FD->isBitField() && Base->Index))
        unsupported(E->getBeginLoc(), "this member of a local struct");
      if (FD->isBitField())
        return bitFieldPart(*Base, FD);
      Base->Overlaid = Base->Overlaid || isOverlaidUnion(Base->QT);
      if (Base->Overlaid && Base->Index)
        unsupported(E->getBeginLoc(),
                    "a member of the union in '" + Base->Path +
                        "' at a variable index");
      Base->Offset += fieldBitOffset(FD) / 8;
      Base->QT = FD->getType();
      Base->Path += memberSuffix(FD);
      return Base;
    }
    if (const auto *AS = llvm::dyn_cast<clang::ArraySubscriptExpr>(E)) {
      const auto *Decay = llvm::dyn_cast<clang::ImplicitCastExpr>(
          AS->getBase()->IgnoreParens());
      const AddressAlias *A = aliasOf(AS->getBase());
      std::optional<LocalPart> Base;
      if (Decay && Decay->getCastKind() == clang::CK_ArrayToPointerDecay)
        Base = localPart(Decay->getSubExpr(), Indexed);
      else if (A && A->ToFirstElement)
        Base = localPart(A->X, Indexed);
      else if (A) // p given &X: p[0] is X
        return zeroIndex(AS) ? localPart(A->X, Indexed) : std::nullopt;
      if (!Base)
        return std::nullopt;
      uint64_t N =
          Ctx.getAsConstantArrayType(Base->QT)->getSize().getZExtValue();
      auto Idx = AS->getIdx()->getIntegerConstantExpr(Ctx);
      if (!Idx) {
        if (!Indexed || Base->Index || Base->Overlaid)
          unsupported(AS->getIdx()->getBeginLoc(),
                      "variable index into the local array '" + Base->Path +
                          "' other than in a read or write of one scalar "
                          "(one variable index per access)");
        Base->Index = AS->getIdx();
        Base->Stride = sizeOf(E->getType());
        Base->Count = N;
        Base->QT = E->getType();
        Base->Path +=
            "[" +
            clang::Lexer::getSourceText(clang::CharSourceRange::getTokenRange(
                                            AS->getIdx()->getSourceRange()),
                                        SM, Ctx.getLangOpts())
                .str() +
            "]";
        return Base;
      }
      if (Idx->isNegative() || Idx->getZExtValue() >= N) {
        error(loc(AS->getIdx()->getBeginLoc()),
              "index " + llvm::toString(*Idx, 10) + " out of the bounds of '" +
                  Base->Path + "' (" + std::to_string(N) + " elements)");
        throw Unsupported{};
      }
      Base->QT = E->getType();
      Base->Offset += Idx->getZExtValue() * sizeOf(E->getType());
      Base->Path += "[" + std::to_string(Idx->getZExtValue()) + "]";
      return Base;
    }
    return std::nullopt;
  }

  /// What `*p` of the alias A names: X, or X's element 0.
  std::optional<LocalPart> aliasPart(const AddressAlias &A, bool Indexed) {
    std::optional<LocalPart> Part = localPart(A.X, Indexed);
    if (Part && A.ToFirstElement) {
      Part->QT = Ctx.getAsConstantArrayType(Part->QT)->getElementType();
      Part->Path += "[0]";
    }
    return Part;
  }

  /// Whether the index of AS is the constant 0.
  bool zeroIndex(const clang::ArraySubscriptExpr *AS) const {
    auto Idx = AS->getIdx()->getIntegerConstantExpr(Ctx);
    return Idx && *Idx == 0;
  }

  /// The variable of the scalar leaf P names.
  unsigned leafOf(const LocalPart &P, clang::SourceLocation L) {
    if (P.BitField || P.Overlaid)
      unsupported(L, std::string(P.BitField ? "the bit-field '"
                                            : "the union member '") +
                         P.Path + "' used other than by reading or writing it");
    if (!isScalar(P.QT))
      unsupported(L, "the local struct or array '" + P.Path +
                         "' used other than through its fields and "
                         "constant-index elements");
    return LocalLeaves.at(P.VD).at(P.Offset);
  }

  /// The lvalue `a[i]` (or `a[i].f`) of the scalar part P with a variable
  /// index: its candidate leaves, one per element, and the index as an
  /// unsigned 64-bit value (a negative one is then out of bounds too).
  LValue elementLValue(const LocalPart &P, clang::SourceLocation L) {
    if (!isScalar(P.QT))
      unsupported(L, "the local struct or array '" + P.Path +
                         "' at a variable index used other than through "
                         "its scalar fields");
    cir::Loc CL = loc(L);
    LValue LV;
    for (uint64_t K = 0; K < P.Count; ++K)
      LV.Elements.push_back(LocalLeaves.at(P.VD).at(P.Offset + K * P.Stride));
    if (auto H = HoistedIndices.find(P.Index); H != HoistedIndices.end()) {
      LV.Index = mkExpr(CK::Var, U64, CL);
      LV.Index->VarId = H->second;
    } else {
      LV.Index = mkCast(rvalue(P.Index), U64, CL);
    }
    LV.IndexLoc = P.Index->getBeginLoc();
    LV.QT = P.QT;
    LV.Ty = Fn->Vars[LV.Elements[0]].Ty;
    LV.PastEnd = temporary(P.Path, LV.Ty, CL);
    Fn->Vars[LV.PastEnd].PastEndOf = unsigned(P.Count);
    return LV;
  }

  /// `Dst = Init` for a subobject Dst of a local struct or array: an
  /// initialiser list (the missing members zero, as C says), no
  /// initialiser value (`= {}`'s members: zero), or a struct of the same
  /// type (another local one, or one in memory: a load of each leaf).
  void initLocal(const LocalPart &Dst, const clang::Expr *Init,
                 std::vector<StmtPtr> &Out, cir::Loc L) {
    if (Init && llvm::isa<clang::ImplicitValueInitExpr>(Init))
      Init = nullptr;
    if (isScalar(Dst.QT) && Dst.Overlaid) { // its union's bytes hold zeros
      if (Init) {
        LValue LV = overlaidLValue(Dst, Init->getBeginLoc());
        Out.push_back(write(
            LV, valueOf(Init, type(Dst.QT, Init->getBeginLoc()), Out), L,
            Init->getBeginLoc()));
        flushCallOutputs(Out);
      }
      return;
    }
    if (isScalar(Dst.QT)) {
      auto A = mkStmt(SK::Assign, L);
      A->VarId = LocalLeaves.at(Dst.VD).at(Dst.Offset);
      const cir::Type &Ty = Fn->Vars[A->VarId].Ty;
      A->Value =
          Init ? valueOf(Init, Ty, Out) : mkCast(mkConst(I64, 0, L), Ty, L);
      Out.push_back(std::move(A));
      flushCallOutputs(Out);
      return;
    }
    const auto *IL = llvm::dyn_cast_or_null<clang::InitListExpr>(
        Init ? Init->IgnoreParens() : nullptr);
    if ((!Init || IL) && isOverlaidUnion(Dst.QT)) {
      initOverlaidUnion(Dst, IL, Out, L);
      return;
    }
    if (!Init || IL) {
      if (const clang::FieldDecl *FD =
              IL && Dst.QT->isUnionType() ? IL->getInitializedFieldInUnion()
                                          : nullptr;
          FD && FD != *Dst.QT->getAsRecordDecl()->field_begin())
        unsupported(Init->getBeginLoc(),
                    "initialising the union '" + Dst.Path +
                        "' through other than its first member");
      zeroPadding(Dst, Out, L);
      auto InitOf = [&](unsigned I) -> const clang::Expr * {
        const clang::Expr *E =
            IL && I < IL->getNumInits() ? IL->getInit(I) : nullptr;
        return E && !llvm::isa<clang::ImplicitValueInitExpr>(E) ? E : nullptr;
      };
      forEachSubobject(Dst.QT, [&](clang::QualType SubQT, uint64_t Off,
                                   const std::string &Suffix, unsigned I) {
        LocalPart Sub = Dst;
        Sub.Offset += Off;
        Sub.QT = SubQT;
        Sub.Path += Suffix;
        initLocal(Sub, InitOf(I), Out, L);
      });
      initBitFields(Dst, InitOf, Out, L);
      return;
    }
    copyToLocal(Dst, Init, Out, L);
  }

  /// `Dst = {.m = e}` (or `{}`) for an overlaid union Dst: zeros in all
  /// its bytes (unless they are in an enclosing one, zeroed already), then
  /// the member initialised written over them.
  void initOverlaidUnion(const LocalPart &Dst, const clang::InitListExpr *IL,
                         std::vector<StmtPtr> &Out, cir::Loc L) {
    if (!Dst.Overlaid)
      for (uint64_t B = 0; B < sizeOf(Dst.QT); ++B) {
        auto A = mkStmt(SK::Assign, L);
        A->VarId = LocalLeaves.at(Dst.VD).at(Dst.Offset + B);
        A->Value = mkConst(intType(8, false), 0, L);
        Out.push_back(std::move(A));
      }
    const clang::FieldDecl *FD = IL ? IL->getInitializedFieldInUnion() : nullptr;
    if (!FD || IL->getNumInits() == 0)
      return;
    LocalPart Member = Dst;
    Member.Overlaid = true;
    Member.QT = FD->getType();
    Member.Path += memberSuffix(FD);
    initLocal(Member, IL->getInit(0), Out, L);
  }

  /// The bytes of the bit-fields of the struct Dst itself: the constant
  /// initialisers' bits (zero for the others), then each other
  /// initialiser written into its bit-field.
  template <typename InitOfT>
  void initBitFields(const LocalPart &Dst, InitOfT InitOf,
                     std::vector<StmtPtr> &Out, cir::Loc L) {
    std::map<uint64_t, uint64_t> Bytes; // byte offset in Dst -> its value
    std::vector<std::pair<const clang::FieldDecl *, const clang::Expr *>>
        Computed;
    forEachBitField(Dst.QT, [&](const clang::FieldDecl *FD, unsigned I) {
      auto [First, Last] = bitFieldSpan(FD);
      const clang::Expr *E = InitOf(I);
      llvm::Optional<llvm::APSInt> C;
      if (E && !(C = E->getIntegerConstantExpr(Ctx)))
        Computed.push_back({FD, E});
      unsigned Width = FD->getBitWidthValue(Ctx);
      unsigned __int128 Bits =
          C ? (unsigned __int128)(C->getExtValue() &
                                  (Width < 64 ? (int64_t(1) << Width) - 1 : -1))
                  << bitFieldPart(Dst, FD).Shift
            : 0;
      for (uint64_t B = First; B <= Last; ++B)
        Bytes[B] |= uint64_t(Bits >> (8 * (B - First))) & 0xff;
    });
    for (const auto &[Off, Value] : Bytes) {
      auto A = mkStmt(SK::Assign, L);
      A->VarId = LocalLeaves.at(Dst.VD).at(Dst.Offset + Off);
      A->Value = mkConst(intType(8, false), Value, L);
      Out.push_back(std::move(A));
    }
    for (const auto &[FD, E] : Computed) {
      LValue LV = bitFieldLValue(bitFieldPart(Dst, FD));
      Out.push_back(write(LV, valueOf(E, type(FD->getType(), E->getBeginLoc()),
                                      Out),
                          L, E->getBeginLoc()));
      flushCallOutputs(Out);
    }
  }

  /// The bit-field FD of the struct Record: the byte it starts in, the bit
  /// it starts at there.
  LocalPart bitFieldPart(LocalPart Record, const clang::FieldDecl *FD) {
    uint64_t BitOff = fieldBitOffset(FD);
    Record.Offset += BitOff / 8;
    Record.QT = FD->getType();
    Record.Path += "." + FD->getNameAsString();
    Record.BitField = FD;
    Record.Shift = unsigned(BitOff % 8);
    return Record;
  }

  /// The lvalue of the bit-field P of a local struct: the byte leaves it
  /// lies in, its first bit and width.
  LValue bitFieldLValue(const LocalPart &P) {
    unsigned Width = P.BitField->getBitWidthValue(Ctx);
    if ((P.Shift + Width + 7) / 8 > 8)
      unsupported(P.BitField->getLocation(),
                  "bit-field '" + P.Path + "' spread over 9 bytes");
    return byteLeavesLValue(P, P.Shift, Width);
  }

  /// The lvalue of the integer P in an overlaid union of a local: the byte
  /// leaves it lies in, as a bit-field of all their bits.
  LValue overlaidLValue(const LocalPart &P, clang::SourceLocation L) {
    if (!isScalar(P.QT))
      unsupported(L, "the union member '" + P.Path +
                         "' used other than through its integer members "
                         "and constant-index elements");
    return byteLeavesLValue(P, 0, unsigned(8 * sizeOf(P.QT)));
  }

  /// The Width bits of P's byte leaves from bit Shift on, as a bit-field.
  LValue byteLeavesLValue(const LocalPart &P, unsigned Shift, unsigned Width) {
    LValue LV;
    LV.QT = P.QT;
    LV.BitField = true;
    LV.Shift = Shift;
    LV.Width = Width;
    LV.UnitBytes = (Shift + Width + 7) / 8;
    for (unsigned K = 0; K < LV.UnitBytes; ++K)
      LV.BitLeaves.push_back(LocalLeaves.at(P.VD).at(P.Offset + K));
    return LV;
  }

  /// Zeros for the padding inside Dst (once, from the outermost
  /// initialiser: a nested one finds them written already).
  void zeroPadding(const LocalPart &Dst, std::vector<StmtPtr> &Out,
                   cir::Loc L) {
    if (Dst.Offset != 0 || !Ctx.hasSameType(Dst.QT, Dst.VD->getType()))
      return;
    for (const auto &[Off, Id] : LocalLeaves.at(Dst.VD))
      if (PaddingLeaves.count(Id)) {
        auto A = mkStmt(SK::Assign, L);
        A->VarId = Id;
        A->Value = mkConst(Fn->Vars[Id].Ty, 0, L);
        Out.push_back(std::move(A));
      }
  }

  /// Dst = Src for a struct or array Src of Dst's type: leaf by leaf
  /// (padding is not copied: C leaves it unspecified).
  void copyToLocal(const LocalPart &Dst, const clang::Expr *Src,
                   std::vector<StmtPtr> &Out, cir::Loc L) {
    const clang::Expr *S = Src->IgnoreParenImpCasts();
    if (!Ctx.hasSameUnqualifiedType(S->getType(), Dst.QT))
      unsupported(Src->getBeginLoc(), "this initialiser of '" + Dst.Path + "'");
    std::optional<LocalPart> From = localPart(S);
    if (From && From->Overlaid != Dst.Overlaid) // leaves of other widths
      unsupported(Src->getBeginLoc(), "a struct copied into or out of a union");
    LValue Mem;
    if (!From) {
      if (callsInside(S))
        unsupported(Src->getBeginLoc(), "a call in a struct copy");
      Mem = lvalue(S);
    }
    const auto &Leaves = LocalLeaves.at(Dst.VD);
    for (auto It = Leaves.lower_bound(Dst.Offset);
         It != Leaves.end() && It->first < Dst.Offset + sizeOf(Dst.QT); ++It) {
      uint64_t Rel = It->first - Dst.Offset;
      if (PaddingLeaves.count(It->second))
        continue;
      auto A = mkStmt(SK::Assign, L);
      A->VarId = It->second;
      const cir::Type &Ty = Fn->Vars[It->second].Ty;
      if (From) {
        A->Value = mkExpr(CK::Var, Ty, L);
        A->Value->VarId = LocalLeaves.at(From->VD).at(From->Offset + Rel);
      } else {
        A->Value = mkExpr(CK::Load, Ty, L);
        A->Value->Ops.push_back(
            ptrAdd(cloneExpr(*Mem.Addr), mkConst(I64, Rel, L), L));
      }
      Out.push_back(std::move(A));
    }
  }

  LValue lvalue(const clang::Expr *E) {
    E = E->IgnoreParens();
    cir::Loc L = loc(E->getBeginLoc());
    if (std::optional<LocalPart> P = localPart(E, true)) {
      if (P->Index)
        return elementLValue(*P, E->getBeginLoc());
      if (P->BitField)
        return bitFieldLValue(*P);
      if (P->Overlaid)
        return overlaidLValue(*P, E->getBeginLoc());
      LValue LV;
      LV.IsVar = true;
      LV.VarId = leafOf(*P, E->getBeginLoc());
      LV.QT = P->QT;
      LV.Ty = Fn->Vars[LV.VarId].Ty;
      return LV;
    }
    if (const auto *DR = llvm::dyn_cast<clang::DeclRefExpr>(E)) {
      const auto *VD = llvm::dyn_cast<clang::VarDecl>(DR->getDecl());
      if (!VD)
        unsupported(E->getBeginLoc(), "reference to '" +
                                          DR->getDecl()->getNameAsString() +
                                          "'");
      if (AddressAliases.count(VD))
        unsupported(E->getBeginLoc(),
                    "the parameter '" + VD->getNameAsString() +
                        "', given the address of a local, other than as "
                        "*p, p->f, p[i] or a call's argument");
      if (Maps.count(VD))
        unsupported(E->getBeginLoc(),
                    "map '" + VD->getNameAsString() +
                        "' used other than as '&" + VD->getNameAsString() +
                        "', the map argument of a helper call");
      if (VD && Globals.count(VD->getCanonicalDecl())) {
        LValue LV;
        LV.QT = VD->getType();
        LV.Addr = mkExpr(CK::GlobalAddr, pointerTo(VD->getType()), L);
        LV.Addr->Value = Globals.at(VD->getCanonicalDecl());
        return LV;
      }
      auto It = VarIds.find(VD);
      if (It == VarIds.end())
        unsupported(E->getBeginLoc(),
                    (VD->hasLocalStorage() ? "variable '" : "global variable '") +
                        VD->getNameAsString() + "'");
      LValue LV;
      LV.IsVar = true;
      LV.VarId = It->second;
      LV.QT = VD->getType();
      LV.Ty = Fn->Vars[It->second].Ty;
      return LV;
    }
    if (const auto *U = llvm::dyn_cast<clang::UnaryOperator>(E)) {
      if (U->getOpcode() == clang::UO_Deref) {
        if (const AddressAlias *A = aliasOf(U->getSubExpr()))
          return lvalue(A->X); // a scalar (localPart took the others)
        LValue LV;
        LV.Addr = rvalue(U->getSubExpr());
        LV.QT = E->getType();
        return LV;
      }
    }
    if (const auto *ME = llvm::dyn_cast<clang::MemberExpr>(E)) {
      const auto *FD = llvm::dyn_cast<clang::FieldDecl>(ME->getMemberDecl());
      if (!FD)
        unsupported(E->getBeginLoc(), "member '" +
                                          ME->getMemberDecl()->getNameAsString() +
                                          "'");
      ExprPtr Base;
      if (ME->isArrow()) {
        Base = rvalue(ME->getBase());
      } else {
        LValue B = lvalue(ME->getBase());
        if (B.IsVar || B.BitField)
          unsupported(E->getBeginLoc(), "member access on a local struct");
        Base = std::move(B.Addr);
      }
      uint64_t BitOff = fieldBitOffset(FD);
      LValue LV;
      LV.QT = E->getType();
      if (FD->isBitField()) {
        unsigned Width = FD->getBitWidthValue(Ctx);
        uint64_t Unit = sizeOf(FD->getType());
        uint64_t UnitOff = (BitOff / (Unit * 8)) * Unit;
        uint64_t Shift = BitOff - UnitOff * 8;
        if (Width == 0 || Shift + Width > Unit * 8 || Unit > 8)
          unsupported(E->getBeginLoc(), "bit-field '" + FD->getNameAsString() +
                                            "' straddling its storage unit");
        LV.BitField = true;
        LV.UnitBytes = unsigned(Unit);
        LV.Shift = unsigned(Shift);
        LV.Width = Width;
        LV.Addr = ptrAdd(std::move(Base), mkConst(I64, UnitOff, L), L);
      } else {
        if (BitOff % 8)
          unsupported(E->getBeginLoc(), "unaligned member");
        LV.Addr = ptrAdd(std::move(Base), mkConst(I64, BitOff / 8, L), L);
      }
      return LV;
    }
    if (const auto *AS = llvm::dyn_cast<clang::ArraySubscriptExpr>(E)) {
      if (const AddressAlias *A = aliasOf(AS->getBase())) {
        if (A->ToFirstElement || !zeroIndex(AS))
          unsupported(E->getBeginLoc(),
                      "an index other than 0 into a parameter given the "
                      "address of a local that is no array");
        return lvalue(A->X);
      }
      ExprPtr Base = rvalue(AS->getBase());
      ExprPtr Idx = rvalue(AS->getIdx());
      LValue LV;
      LV.QT = E->getType();
      LV.Addr = ptrAdd(std::move(Base),
                       scaledOffset(std::move(Idx), sizeOf(E->getType()),
                                    false, L),
                       L);
      return LV;
    }
    unsupported(E->getBeginLoc(), std::string("lvalue '") +
                                      E->getStmtClassName() + "'");
  }

  /// Reads a scalar lvalue.
  ExprPtr read(LValue &LV, cir::Loc L) {
    if (LV.IsVar) {
      auto V = mkExpr(CK::Var, LV.Ty, L);
      V->VarId = LV.VarId;
      return V;
    }
    if (!LV.Elements.empty()) {
      sameIndexEachTime(LV);
      // i == 0 ? a[0] : i == 1 ? a[1] : ... : past-the-end
      auto Read = [&](unsigned Id) {
        auto V = mkExpr(CK::Var, LV.Ty, L);
        V->VarId = Id;
        return V;
      };
      ExprPtr Chain = Read(LV.PastEnd);
      for (size_t K = LV.Elements.size(); K-- > 0;) {
        auto Cd = mkExpr(CK::Cond, LV.Ty, L);
        Cd->Ops.push_back(indexIs(LV, K, L));
        Cd->Ops.push_back(Read(LV.Elements[K]));
        Cd->Ops.push_back(std::move(Chain));
        Chain = std::move(Cd);
      }
      return Chain;
    }
    cir::Type Ty = type(LV.QT, {});
    if (!LV.BitField) {
      auto Ld = mkExpr(CK::Load, Ty, L);
      Ld->Ops.push_back(cloneExpr(*LV.Addr));
      return Ld;
    }
    // Bit-field: its storage unit, shifted and masked (little-endian).
    unsigned WB = LV.UnitBytes <= 4 ? 32 : 64;
    cir::Type W = intType(WB, false);
    ExprPtr V = bitFieldUnit(LV, W, L);
    if (!Ty.Signed) {
      if (LV.Shift)
        V = mkBin(Op::LShr, W, std::move(V), mkConst(W, LV.Shift, L), L);
      if (LV.Width < WB)
        V = mkBin(Op::And, W, std::move(V),
                  mkConst(W, (uint64_t(1) << LV.Width) - 1, L), L);
      return mkCast(std::move(V), Ty, L);
    }
    cir::Type WS = intType(WB, true);
    unsigned Up = WB - LV.Shift - LV.Width;
    if (Up)
      V = mkBin(Op::Shl, W, std::move(V), mkConst(W, Up, L), L);
    V = mkCast(std::move(V), WS, L);
    if (WB - LV.Width)
      V = mkBin(Op::AShr, WS, std::move(V), mkConst(WS, WB - LV.Width, L), L);
    return mkCast(std::move(V), Ty, L);
  }

  /// The storage unit of the bit-field LV as a W: loaded from memory, or
  /// its byte leaves put together.
  ExprPtr bitFieldUnit(const LValue &LV, const cir::Type &W, cir::Loc L) {
    if (LV.BitLeaves.empty()) {
      auto Ld = mkExpr(CK::Load, intType(LV.UnitBytes * 8, false), L);
      Ld->Ops.push_back(cloneExpr(*LV.Addr));
      return mkCast(std::move(Ld), W, L);
    }
    ExprPtr Unit;
    for (size_t K = 0; K < LV.BitLeaves.size(); ++K) {
      auto Byte = mkExpr(CK::Var, intType(8, false), L);
      Byte->VarId = LV.BitLeaves[K];
      ExprPtr B = mkCast(std::move(Byte), W, L);
      if (K)
        B = mkBin(Op::Shl, W, std::move(B), mkConst(W, 8 * K, L), L);
      Unit = Unit ? mkBin(Op::Or, W, std::move(Unit), std::move(B), L)
                  : std::move(B);
    }
    return Unit;
  }

  /// The index of the element LV is evaluated once per element compared:
  /// it must give the same value each time, so it may not read memory
  /// (unless it was evaluated into a variable first: hoistIndices,
  /// indexOnce).
  static bool readsMemory(const cir::Expr &E) {
    if (E.K == CK::Load || E.K == CK::Call || E.K == CK::FuncCall)
      return true;
    for (const ExprPtr &O : E.Ops)
      if (O && readsMemory(*O))
        return true;
    return false;
  }
  void sameIndexEachTime(const LValue &LV) {
    if (readsMemory(*LV.Index))
      unsupported(LV.IndexLoc, "an index of '" + Fn->Vars[LV.PastEnd].Name +
                                   "' that reads memory in an expression "
                                   "(assign it to a variable first)");
  }

  /// In a statement that writes the element LV (`a[i & 3] += 1`), the
  /// index is evaluated once, into a variable, before the compares (not
  /// in an expression: `&&`, `?:` and loop conditions evaluate when C
  /// does).
  void indexOnce(LValue &LV, std::vector<StmtPtr> &Out) {
    if (LV.Elements.empty() || LV.Index->K == CK::Var ||
        LV.Index->K == CK::Const)
      return;
    cir::Loc L = LV.Index->L;
    auto A = mkStmt(SK::Assign, L);
    A->VarId = temporary(uniqueName(Fn->Vars[LV.PastEnd].Name + ".index"),
                         LV.Index->Ty, L);
    A->Value = std::move(LV.Index);
    LV.Index = mkExpr(CK::Var, A->Value->Ty, L);
    LV.Index->VarId = A->VarId;
    Out.push_back(std::move(A));
  }

  /// `LV.Index == K`, an int 0 or 1.
  ExprPtr indexIs(const LValue &LV, size_t K, cir::Loc L) {
    auto C = mkExpr(CK::Cmp, I32, L);
    C->Op = Op::Eq;
    C->Ops.push_back(cloneExpr(*LV.Index));
    C->Ops.push_back(mkConst(U64, K, L));
    return C;
  }

  /// `if (i == 0) Update(a[0]); else if ... else <read past the end>` for
  /// the element lvalue LV: the update (a write, `+=`, `++`) sees the
  /// element's own variable, and its value is evaluated in the one branch
  /// taken.
  StmtPtr eachElement(const LValue &LV,
                      const std::function<StmtPtr(LValue &)> &Update,
                      cir::Loc L) {
    sameIndexEachTime(LV);
    auto Past = mkStmt(SK::ExprStmt, L);
    Past->Value = mkExpr(CK::Var, LV.Ty, L);
    Past->Value->VarId = LV.PastEnd;
    StmtPtr Chain = std::move(Past);
    for (size_t K = LV.Elements.size(); K-- > 0;) {
      LValue Leaf;
      Leaf.IsVar = true;
      Leaf.VarId = LV.Elements[K];
      Leaf.QT = LV.QT;
      Leaf.Ty = LV.Ty;
      auto If = mkStmt(SK::If, L);
      If->Cond = indexIs(LV, K, L);
      If->Then = Update(Leaf);
      If->Else = std::move(Chain);
      Chain = std::move(If);
    }
    return Chain;
  }

  /// Writes `Value` (already of the lvalue's type) to a scalar lvalue.
  StmtPtr write(LValue &LV, ExprPtr Value, cir::Loc L,
                clang::SourceLocation CL) {
    if (LV.IsVar) {
      auto S = mkStmt(SK::Assign, L);
      S->VarId = LV.VarId;
      S->Value = mkCast(std::move(Value), LV.Ty, L);
      return S;
    }
    if (!LV.Elements.empty())
      return eachElement(
          LV,
          [&](LValue &Leaf) { return write(Leaf, cloneExpr(*Value), L, CL); },
          L);
    if (LV.BitField)
      return writeBitField(LV, std::move(Value), L);
    cir::Type Ty = type(LV.QT, CL);
    auto S = mkStmt(SK::Store, L);
    S->Addr = cloneExpr(*LV.Addr);
    S->Value = mkCast(std::move(Value), Ty, L);
    return S;
  }

  /// Writes Value into the bit-field LV: its storage unit's other bits
  /// kept (`u = u & ~M | (v << Shift) & M`), read first as the machine
  /// does, so they must be initialised. A local's unit is its byte
  /// leaves, each written (Value evaluated once, into a temporary, when
  /// they are more than one).
  StmtPtr writeBitField(const LValue &LV, ExprPtr Value, cir::Loc L) {
    unsigned WB = LV.UnitBytes <= 4 ? 32 : 64;
    cir::Type W = intType(WB, false);
    uint64_t Ones = LV.Width < 64 ? (uint64_t(1) << LV.Width) - 1 : ~0ull;
    uint64_t Mask = Ones << LV.Shift;
    auto Placed = [&](ExprPtr V) {
      V = mkBin(Op::And, W, mkCast(std::move(V), W, L), mkConst(W, Ones, L), L);
      return LV.Shift ? mkBin(Op::Shl, W, std::move(V),
                              mkConst(W, LV.Shift, L), L)
                      : std::move(V);
    };
    auto Merged = [&](ExprPtr Old, ExprPtr New, uint64_t M) {
      return mkBin(Op::Or, W,
                   mkBin(Op::And, W, std::move(Old), mkConst(W, ~M, L), L),
                   std::move(New), L);
    };
    if (LV.BitLeaves.empty()) {
      cir::Type UnitTy = intType(LV.UnitBytes * 8, false);
      auto S = mkStmt(SK::Store, L);
      S->Addr = cloneExpr(*LV.Addr);
      S->Value = mkCast(
          Merged(bitFieldUnit(LV, W, L), Placed(std::move(Value)), Mask),
          UnitTy, L);
      return S;
    }
    auto Block = mkStmt(SK::Block, L);
    if (LV.BitLeaves.size() > 1 && Value->K != CK::Const) {
      auto T = mkStmt(SK::Assign, L);
      T->VarId = temporary(uniqueName("bit-field"), W, L);
      T->Value = Placed(std::move(Value));
      Value = mkExpr(CK::Var, W, L);
      Value->VarId = T->VarId;
      Block->Body.push_back(std::move(T));
    } else {
      Value = Placed(std::move(Value));
    }
    cir::Type U8 = intType(8, false);
    for (size_t K = 0; K < LV.BitLeaves.size(); ++K) {
      uint64_t M = (Mask >> (8 * K)) & 0xff;
      ExprPtr Part = cloneExpr(*Value);
      if (K)
        Part = mkBin(Op::LShr, W, std::move(Part), mkConst(W, 8 * K, L), L);
      auto A = mkStmt(SK::Assign, L);
      A->VarId = LV.BitLeaves[K];
      if (M != 0xff) {
        auto Old = mkExpr(CK::Var, U8, L);
        Old->VarId = A->VarId;
        Part = Merged(mkCast(std::move(Old), W, L),
                      mkBin(Op::And, W, std::move(Part), mkConst(W, M, L), L),
                      M);
      }
      A->Value = mkCast(std::move(Part), U8, L);
      Block->Body.push_back(std::move(A));
    }
    return Block;
  }

  // -- rvalues -----------------------------------------------------------------
  ExprPtr rvalue(const clang::Expr *E);
  ExprPtr rvalueNoFold(const clang::Expr *E);
  ExprPtr cast(const clang::CastExpr *CE);
  ExprPtr unary(const clang::UnaryOperator *U);
  ExprPtr binary(const clang::BinaryOperator *B);
  ExprPtr arith(clang::BinaryOperatorKind Opc, const cir::Type &Ty,
                clang::QualType LQT, ExprPtr A, ExprPtr B, cir::Loc L,
                clang::SourceLocation CL);
  ExprPtr call(const clang::CallExpr *C);
  ExprPtr addressOf(const clang::Expr *E);

  // -- helper calls and atomics ----------------------------------------------
  std::optional<HelperRef> helperOf(const clang::CallExpr *C) const;
  std::optional<unsigned> functionOf(const clang::CallExpr *C) const;
  const clang::CallExpr *callIn(const clang::Expr *E) const;
  bool needsStatement(const clang::CallExpr *C);
  std::optional<cir::Stmt::AtomicOp> atomicOf(const clang::CallExpr *C);
  std::string calleeName(const clang::CallExpr *C) const;
  std::string calleeKind(const clang::CallExpr *C) const;
  void collectCalls(const clang::Stmt *S, const char *Conditional,
                    std::vector<const clang::CallExpr *> &Calls);
  void checkWrittenBuffers(const clang::Expr *E, const clang::CallExpr *C);
  void hoistCalls(const clang::Expr *E, std::vector<StmtPtr> &Out,
                  const clang::CallExpr *Whole = nullptr,
                  const char *Where = nullptr);
  void hoistIndices(const clang::Stmt *S, std::vector<StmtPtr> &Out);
  bool callsInside(const clang::Stmt *S);
  void hoistShortCircuits(const clang::Stmt *S, const clang::Expr *Full,
                          std::vector<StmtPtr> &Out);
  const clang::CallExpr *wholeCall(const clang::Expr *E,
                                   const cir::Type &Target);
  ExprPtr lowerCall(const clang::CallExpr *C, std::vector<StmtPtr> &Out);
  ExprPtr helperCall(const clang::CallExpr *C, const HelperRef &H,
                     std::vector<StmtPtr> &Out);
  ExprPtr funcCall(const clang::CallExpr *C, unsigned Callee,
                   std::vector<StmtPtr> &Out);
  ExprPtr simpleArgument(ExprPtr V, const std::string &Temp,
                         std::vector<StmtPtr> &Out);
  /// A local's address as a buffer argument (localAddress): the AddrOf,
  /// and the struct or array part whose chunks it spans, if any.
  struct LocalAddress {
    ExprPtr Buf;
    std::optional<LocalPart> Part;
    const clang::VarDecl *VD; // the local
    bool Packed = false;      // the chunks hold its bytes already (Held)
  };
  void packLocal(const LocalAddress &Local, std::vector<StmtPtr> &Out);
  std::optional<LocalAddress> localAddress(const clang::Expr *A);
  struct AddressedLocal {
    std::optional<LocalPart> Part; // none: the integer local VD itself
    const clang::VarDecl *VD;
  };
  std::optional<AddressedLocal> addressedLocal(const clang::Expr *A);
  void pendingOutput(unsigned VarId, cir::Loc L);
  ExprPtr helperArgument(const clang::Expr *A, const HelperRef &H, unsigned I,
                         std::vector<StmtPtr> &Out);
  ExprPtr valueOf(const clang::Expr *E, cir::Type Target,
                  std::vector<StmtPtr> &Out);
  unsigned temporary(const std::string &Name, const cir::Type &Ty, cir::Loc L);
  void aliasParameters(size_t Copies, unsigned NumParams,
                       std::vector<StmtPtr> &Out);
  std::shared_ptr<const logic::Annotation>
  unfoldStatement(const logic::Annotation &A);
  void flushCallOutputs(std::vector<StmtPtr> &Out);
  bool atomicStmt(const clang::Expr *E, std::vector<StmtPtr> &Out);
  /// One side of a memcpy or memset: the leaves of a local by byte offset
  /// from the address (each a variable), or an address in memory.
  struct ByteRange {
    std::map<uint64_t, unsigned> Leaves;
    uint64_t Size = 0; // the local's bytes from the address on
    std::string Path;  // the local, for messages
    ExprPtr Addr;      // memory: a variable or a constant offset from one
    uint64_t Align = 1;
  };
  ByteRange byteRange(const clang::Expr *A, const std::string &Role,
                      std::vector<StmtPtr> &Out);
  bool memStmt(const clang::Expr *E, std::vector<StmtPtr> &Out);
  unsigned atomicCall(const clang::CallExpr *C, bool Result,
                      std::vector<StmtPtr> &Out);

  // -- statements ------------------------------------------------------------
  void stmtInto(const clang::Stmt *S, std::vector<StmtPtr> &Out);
  StmtPtr stmtAsOne(const clang::Stmt *S);
  void lowerStmt(const clang::Stmt *S, std::vector<StmtPtr> &Out);
  void exprStmt(const clang::Expr *E, std::vector<StmtPtr> &Out);
  void takeAnnotationsBefore(unsigned Off, std::vector<StmtPtr> &Out,
                             bool BeforeLoop = false);
  void rejectAnnotationsBefore(unsigned Off);
  void declare(const clang::VarDecl *VD, bool IsParam);
  std::string uniqueName(const std::string &Base) const;
  const clang::FunctionDecl *inlineCallee(const clang::CallExpr *C) const;
  std::optional<unsigned> inlineCall(const clang::CallExpr *C,
                                     const clang::FunctionDecl *G,
                                     std::vector<StmtPtr> &Out);
  void inlineReturn(const clang::ReturnStmt *RS, std::vector<StmtPtr> &Out);
  ExprPtr notReturned(cir::Loc L) const;
  ExprPtr flagClear(unsigned Flag, cir::Loc L) const;
  std::string checkAssertVar(const std::string &Name);
  csupport::TermSort varSort(const std::string &Name) const;
  std::shared_ptr<const logic::Annotation>
  checkStatementAnnotation(const logic::Annotation &A);
  void lowerLoop(const clang::Stmt *S, std::vector<StmtPtr> &Out);
  std::shared_ptr<const logic::Annotation>
  inferInvariant(const cir::Stmt &Loop, const std::vector<StmtPtr> &Before);
  /// The statements that run before a loop, in order, on the path to it
  /// within one iteration of the loops around it (priorStatements).
  using PriorStmts = std::vector<PriorStmt>;
  PriorStmts priorStatements(const std::vector<StmtPtr> &Before) const;
  std::shared_ptr<const logic::Annotation>
  scanInvariant(const cir::Stmt &Loop, const PriorStmts &Before);
  std::optional<std::pair<unsigned, int64_t>>
  entryAddress(unsigned V, const PriorStmts &Before);
  std::vector<logic::AssertionPtr> keptFacts(const cir::Stmt &Loop,
                                             const PriorStmts &Before,
                                             logic::SourcePos Pos);
  struct PacketAddress {
    int Field;                  // cir::PacketFields' Data or DataEnd
    std::optional<int64_t> Off; // bytes past it, when a constant
  };
  std::optional<PacketAddress> packetAddress(unsigned V,
                                             const PriorStmts &Before);
  /// The packet pointers a loop walks (packetWalks): each with its term
  /// and greatest step, and the terms of the packet's start and end.
  struct PacketWalks {
    struct Walk {
      unsigned Ptr;
      logic::TermPtr At;
      uint64_t Most;
    };
    logic::TermPtr Start, End;
    std::vector<Walk> Walks;
    /// `data <= p && p <= data_end + m` of each.
    std::vector<logic::AssertionPtr> bounds(logic::SourcePos Pos) const;
  };
  PacketWalks packetWalks(const cir::Stmt &Loop, const PriorStmts &Before,
                          const std::set<unsigned> &Exact,
                          logic::SourcePos Pos);
  std::vector<StmtPtr> *lowerSequence(llvm::ArrayRef<const clang::Stmt *> Stmts,
                                      std::vector<StmtPtr> &Body);
  void lowerSwitch(const clang::SwitchStmt *SS, std::vector<StmtPtr> &Out);
  ExprPtr loopCondition(const clang::Expr *Cond);
  /// `k.f`, `a[2]`, `p.k.port` (constant indices) naming a leaf of a local
  /// struct or array in scope: a variable term of the leaf's name.
  std::optional<std::string> localPath(const logic::Term &T) const {
    std::optional<std::string> Base;
    if (T.K == logic::Term::Kind::Var && !T.AtPre)
      return T.Name;
    if (T.K == logic::Term::Kind::Member && !T.Arrow && T.Args.size() == 1 &&
        (Base = localPath(*T.Args[0])))
      return *Base + "." + T.Name;
    if (T.K == logic::Term::Kind::Index && T.Args.size() == 2 &&
        T.Args[1]->K == logic::Term::Kind::IntLit &&
        (Base = localPath(*T.Args[0])))
      return *Base + "[" + std::to_string(int64_t(T.Args[1]->Value)) + "]";
    return std::nullopt;
  }
  /// X (a term or an assertion) with each local path in scope replaced by
  /// the variable of its leaf.
  template <typename PtrT> PtrT flattenLocalPaths(const PtrT &X) const {
    return mapTerms(X, [&](const logic::Term &T) -> logic::TermPtr {
      if (T.K != logic::Term::Kind::Member && T.K != logic::Term::Kind::Index)
        return nullptr;
      std::optional<std::string> P = localPath(T);
      if (!P || !inScope(*P))
        return nullptr;
      auto Leaf = std::make_shared<logic::Term>();
      Leaf->K = logic::Term::Kind::Var;
      Leaf->Pos = T.Pos;
      Leaf->Name = *P;
      return Leaf;
    });
  }
  bool inScope(const std::string &Name) const {
    for (auto It = Scopes.rbegin(); It != Scopes.rend(); ++It)
      if (It->count(Name))
        return true;
    return false;
  }
  bool isContract(const logic::Annotation &A, cir::Loc AL);
  std::shared_ptr<const logic::Annotation>
  checkContract(const logic::Annotation &A);
  std::shared_ptr<const logic::Annotation>
  checkFunctionContract(const logic::Annotation &A);
  bool paramSpec(const logic::Assertion &P);
  enum class DataAtPlace { Require, Ensure, Annotation };
  logic::AssertionPtr lowerDataAt(const logic::AssertionPtr &A,
                                  DataAtPlace Place,
                                  const std::function<bool(const std::string &)>
                                      &Names,
                                  std::set<std::string> &Described);
  bool lowerContractDataAt(logic::Annotation &A);
  csupport::TermSort paramSort(unsigned I) const;
};

//===----------------------------------------------------------------------===//

ExprPtr FunctionLowering::rvalue(const clang::Expr *E) {
  // Integer constant expressions (sizeof, enumerators, bpf_htons(CONST),
  // literal arithmetic) are folded with Clang's evaluator.
  clang::QualType QT = E->getType();
  if (!E->isGLValue() && QT->isIntegerType() && !E->isValueDependent()) {
    clang::Expr::EvalResult R;
    if (E->EvaluateAsInt(R, Ctx) && !R.HasSideEffects &&
        !R.HasUndefinedBehavior && R.Val.isInt()) {
      cir::Type Ty = type(QT, E->getBeginLoc());
      llvm::APSInt V = R.Val.getInt();
      return mkConst(Ty, V.extOrTrunc(64).getZExtValue(),
                     loc(E->getBeginLoc()));
    }
  }
  return rvalueNoFold(E);
}

ExprPtr FunctionLowering::rvalueNoFold(const clang::Expr *E) {
  cir::Loc L = loc(E->getBeginLoc());
  if (const auto *P = llvm::dyn_cast<clang::ParenExpr>(E))
    return rvalue(P->getSubExpr());
  if (E->isGLValue())
    unsupported(E->getBeginLoc(), "use of an lvalue here");
  if (const auto *CE = llvm::dyn_cast<clang::CastExpr>(E))
    return cast(CE);
  if (const auto *U = llvm::dyn_cast<clang::UnaryOperator>(E))
    return unary(U);
  if (const auto *B = llvm::dyn_cast<clang::BinaryOperator>(E))
    return binary(B);
  if (const auto *C = llvm::dyn_cast<clang::ConditionalOperator>(E)) {
    cir::Type Ty = type(E->getType(), E->getBeginLoc());
    if (auto H = HoistedOperators.find(C); H != HoistedOperators.end()) {
      auto V = mkExpr(CK::Var, Ty, L);
      V->VarId = H->second;
      return V;
    }
    ExprPtr Cond = rvalue(C->getCond());
    if (Cond->K == CK::Const) // e.g. __builtin_constant_p(x) ? ... : ...
      return mkCast(rvalue(Cond->Value ? C->getTrueExpr() : C->getFalseExpr()),
                    Ty, L);
    auto Cd = mkExpr(CK::Cond, Ty, L);
    Cd->Ops.push_back(std::move(Cond));
    Cd->Ops.push_back(mkCast(rvalue(C->getTrueExpr()), Ty, L));
    Cd->Ops.push_back(mkCast(rvalue(C->getFalseExpr()), Ty, L));
    return Cd;
  }
  if (const auto *C = llvm::dyn_cast<clang::CallExpr>(E))
    return call(C);
  if (llvm::isa<clang::BinaryConditionalOperator>(E))
    unsupported(E->getBeginLoc(), "'?:' with omitted middle operand");
  if (llvm::isa<clang::UnaryExprOrTypeTraitExpr>(E))
    unsupported(E->getBeginLoc(), "sizeof of a variable-length type");
  if (llvm::isa<clang::StmtExpr>(E))
    unsupported(E->getBeginLoc(), "statement expression");
  unsupported(E->getBeginLoc(),
              std::string("expression '") + E->getStmtClassName() + "'");
}

ExprPtr FunctionLowering::addressOf(const clang::Expr *E) {
  cir::Loc L = loc(E->getBeginLoc());
  LValue LV = lvalue(E);
  if (LV.IsVar || !LV.Elements.empty())
    unsupported(E->getBeginLoc(),
                "address of a local variable (only '&v' of an integer "
                "variable as a helper's key or value argument)");
  if (LV.BitField)
    unsupported(E->getBeginLoc(), "address of a bit-field");
  return mkCast(std::move(LV.Addr), pointerTo(E->getType()), L);
}

/// `V != 0` (a pointer: `V != NULL`), an int 0 or 1.
ExprPtr nonZero(ExprPtr V, cir::Loc L) {
  auto Ne = mkExpr(CK::Cmp, I32, L);
  Ne->Op = Op::Ne;
  cir::Type Ty = V->Ty;
  Ne->Ops.push_back(std::move(V));
  Ne->Ops.push_back(Ty.isPtr() ? mkCast(mkConst(I64, 0, L), Ty, L)
                               : mkConst(Ty, 0, L));
  return Ne;
}

/// C's conversion of `V` to _Bool (`Bool`, a byte): 1 when V is not 0 (or
/// not null), 0 otherwise; not a truncation.
ExprPtr toBool(ExprPtr V, const cir::Type &Bool, cir::Loc L) {
  return mkCast(nonZero(std::move(V), L), Bool, L);
}

ExprPtr FunctionLowering::cast(const clang::CastExpr *CE) {
  cir::Loc L = loc(CE->getBeginLoc());
  const clang::Expr *Sub = CE->getSubExpr();
  switch (CE->getCastKind()) {
  case clang::CK_LValueToRValue: {
    clang::QualType QT = Sub->getType();
    if (!QT->isIntegerType() && !QT->isPointerType() &&
        !QT->isEnumeralType())
      unsupported(CE->getBeginLoc(), "reading a value of type '" +
                                         QT.getAsString() + "'");
    if (QT.isVolatileQualified() && !isGlobal(Sub))
      unsupported(CE->getBeginLoc(), "volatile access");
    LValue LV = lvalue(Sub);
    return read(LV, loc(Sub->getBeginLoc()));
  }
  case clang::CK_NoOp:
    return rvalue(Sub);
  case clang::CK_ArrayToPointerDecay: {
    ExprPtr A = addressOf(Sub);
    return mkCast(std::move(A), type(CE->getType(), CE->getBeginLoc()), L);
  }
  case clang::CK_IntegralCast:
  case clang::CK_IntegralToPointer:
  case clang::CK_PointerToIntegral:
  case clang::CK_BitCast:
  case clang::CK_NullToPointer: {
    cir::Type To = type(CE->getType(), CE->getBeginLoc());
    return mkCast(rvalue(Sub), To, L);
  }
  case clang::CK_IntegralToBoolean:
  case clang::CK_PointerToBoolean:
    return toBool(rvalue(Sub), type(CE->getType(), CE->getBeginLoc()), L);
  case clang::CK_ToVoid:
    unsupported(CE->getBeginLoc(), "cast to void inside an expression");
  default:
    unsupported(CE->getBeginLoc(),
                std::string("conversion '") + CE->getCastKindName() + "'");
  }
}

ExprPtr FunctionLowering::unary(const clang::UnaryOperator *U) {
  cir::Loc L = loc(U->getBeginLoc());
  switch (U->getOpcode()) {
  case clang::UO_Plus:
    return rvalue(U->getSubExpr());
  case clang::UO_Minus:
  case clang::UO_Not: {
    cir::Type Ty = type(U->getType(), U->getBeginLoc());
    auto E = mkExpr(CK::Unary, Ty, L);
    E->Op = U->getOpcode() == clang::UO_Minus ? Op::Neg : Op::Not;
    E->Ops.push_back(mkCast(rvalue(U->getSubExpr()), Ty, L));
    return E;
  }
  case clang::UO_LNot: {
    auto E = mkExpr(CK::Unary, type(U->getType(), U->getBeginLoc()), L);
    E->Op = Op::LNot;
    E->Ops.push_back(rvalue(U->getSubExpr()));
    return E;
  }
  case clang::UO_AddrOf:
    return mkCast(addressOf(U->getSubExpr()),
                  type(U->getType(), U->getBeginLoc()), L);
  case clang::UO_PreInc:
  case clang::UO_PreDec:
  case clang::UO_PostInc:
  case clang::UO_PostDec:
    unsupported(U->getBeginLoc(), "increment or decrement inside an expression");
  default:
    unsupported(U->getBeginLoc(), std::string("operator '") +
                                      clang::UnaryOperator::getOpcodeStr(
                                          U->getOpcode())
                                          .str() +
                                      "'");
  }
}

/// An arithmetic, bitwise or shift operation of C operator `Opc` whose
/// operands are already converted (shift amounts are converted here).
ExprPtr FunctionLowering::arith(clang::BinaryOperatorKind Opc,
                                const cir::Type &Ty, clang::QualType LQT,
                                ExprPtr A, ExprPtr B, cir::Loc L,
                                clang::SourceLocation CL) {
  (void)LQT;
  Op O;
  switch (Opc) {
  case clang::BO_Add: O = Op::Add; break;
  case clang::BO_Sub: O = Op::Sub; break;
  case clang::BO_Mul: O = Op::Mul; break;
  case clang::BO_Div: O = Ty.Signed ? Op::SDiv : Op::UDiv; break;
  case clang::BO_Rem: O = Ty.Signed ? Op::SRem : Op::URem; break;
  case clang::BO_And: O = Op::And; break;
  case clang::BO_Or: O = Op::Or; break;
  case clang::BO_Xor: O = Op::Xor; break;
  case clang::BO_Shl: O = Op::Shl; break;
  case clang::BO_Shr: O = Ty.Signed ? Op::AShr : Op::LShr; break;
  default:
    unsupported(CL, "binary operator");
  }
  A = mkCast(std::move(A), Ty, L);
  if (O == Op::Shl || O == Op::AShr || O == Op::LShr) {
    // The amount has its own (promoted) type. Narrowing it could hide an
    // out-of-range amount, so a wider amount becomes
    // `amount <u width ? (T)amount : width`, keeping the range obligation.
    if (B->Ty.Bits > Ty.Bits && B->K != CK::Const) {
      cir::Type BT = B->Ty;
      auto Cmp = mkExpr(CK::Cmp, I32, L);
      Cmp->Op = Op::ULt;
      Cmp->Ops.push_back(cloneExpr(*B));
      Cmp->Ops.push_back(mkConst(BT, Ty.Bits, L));
      auto Cd = mkExpr(CK::Cond, Ty, L);
      Cd->Ops.push_back(std::move(Cmp));
      Cd->Ops.push_back(mkCast(std::move(B), Ty, L));
      Cd->Ops.push_back(mkConst(Ty, Ty.Bits, L));
      B = std::move(Cd);
    } else if (B->K == CK::Const && B->Ty.Bits > Ty.Bits) {
      uint64_t V = B->Value;
      bool Neg = B->Ty.Signed && B->Ty.Bits < 64
                     ? ((V >> (B->Ty.Bits - 1)) & 1)
                     : (B->Ty.Signed && int64_t(V) < 0);
      B = mkConst(Ty, (Neg || V >= Ty.Bits) ? Ty.Bits : V, L);
    } else {
      B = mkCast(std::move(B), Ty, L);
    }
  } else {
    B = mkCast(std::move(B), Ty, L);
  }
  return mkBin(O, Ty, std::move(A), std::move(B), L);
}

ExprPtr FunctionLowering::binary(const clang::BinaryOperator *B) {
  cir::Loc L = loc(B->getBeginLoc());
  clang::BinaryOperatorKind Opc = B->getOpcode();
  const clang::Expr *LHS = B->getLHS(), *RHS = B->getRHS();
  if (B->isAssignmentOp())
    unsupported(B->getBeginLoc(), "assignment inside an expression");
  if (Opc == clang::BO_Comma)
    unsupported(B->getBeginLoc(), "comma operator");
  if (auto H = HoistedOperators.find(B); H != HoistedOperators.end()) {
    auto V = mkExpr(CK::Var, I32, L);
    V->VarId = H->second;
    return V;
  }
  if (Opc == clang::BO_LAnd || Opc == clang::BO_LOr) {
    auto E = mkExpr(Opc == clang::BO_LAnd ? CK::LAnd : CK::LOr,
                    type(B->getType(), B->getBeginLoc()), L);
    E->Ops.push_back(rvalue(LHS));
    E->Ops.push_back(rvalue(RHS));
    return E;
  }
  if (B->isComparisonOp()) {
    ExprPtr A = rvalue(LHS), C = rvalue(RHS);
    bool Ptr = A->Ty.isPtr() || C->Ty.isPtr();
    if (Ptr && !(A->Ty.isPtr() && C->Ty.isPtr()))
      unsupported(B->getBeginLoc(), "comparison of a pointer with an integer");
    bool Signed = !Ptr && A->Ty.Signed;
    if (!Ptr && (A->Ty.Bits != C->Ty.Bits || A->Ty.Signed != C->Ty.Signed))
      C = mkCast(std::move(C), A->Ty, L);
    Op O;
    switch (Opc) {
    case clang::BO_EQ: O = Op::Eq; break;
    case clang::BO_NE: O = Op::Ne; break;
    case clang::BO_LT: O = Signed ? Op::SLt : Op::ULt; break;
    case clang::BO_LE: O = Signed ? Op::SLe : Op::ULe; break;
    case clang::BO_GT: O = Signed ? Op::SGt : Op::UGt; break;
    default: O = Signed ? Op::SGe : Op::UGe; break;
    }
    auto E = mkExpr(CK::Cmp, type(B->getType(), B->getBeginLoc()), L);
    E->Op = O;
    E->Ops.push_back(std::move(A));
    E->Ops.push_back(std::move(C));
    return E;
  }
  clang::QualType LT = LHS->getType(), RT = RHS->getType();
  if (LT->isPointerType() || RT->isPointerType()) {
    if (Opc == clang::BO_Sub && LT->isPointerType() && RT->isPointerType()) {
      auto D = mkExpr(CK::Binary, I64, L);
      D->Op = Op::PtrDiff;
      D->Ops.push_back(rvalue(LHS));
      D->Ops.push_back(rvalue(RHS));
      uint64_t Size = sizeOf(LT->getPointeeType());
      ExprPtr R = std::move(D);
      if (Size != 1)
        R = mkBin(Op::SDiv, I64, std::move(R), mkConst(I64, Size, L), L);
      return mkCast(std::move(R), type(B->getType(), B->getBeginLoc()), L);
    }
    if (Opc == clang::BO_Add || Opc == clang::BO_Sub) {
      const clang::Expr *P = LT->isPointerType() ? LHS : RHS;
      const clang::Expr *I = LT->isPointerType() ? RHS : LHS;
      uint64_t Size = sizeOf(P->getType()->getPointeeType());
      ExprPtr PE = rvalue(P);
      ExprPtr Off = scaledOffset(rvalue(I), Size, Opc == clang::BO_Sub, L);
      return mkCast(ptrAdd(std::move(PE), std::move(Off), L),
                    type(B->getType(), B->getBeginLoc()), L);
    }
    unsupported(B->getBeginLoc(), "this operator on pointers");
  }
  cir::Type Ty = type(B->getType(), B->getBeginLoc());
  return arith(Opc, Ty, LT, rvalue(LHS), rvalue(RHS), L, B->getBeginLoc());
}

ExprPtr FunctionLowering::call(const clang::CallExpr *C) {
  cir::Loc L = loc(C->getBeginLoc());
  if (auto H = Hoisted.find(C); H != Hoisted.end()) {
    auto V = mkExpr(CK::Var, Fn->Vars[H->second].Ty, L);
    V->VarId = H->second;
    return V;
  }
  const clang::FunctionDecl *Callee = C->getDirectCallee();
  std::string Name = Callee ? Callee->getNameAsString() : std::string();
  unsigned Builtin = Callee ? Callee->getBuiltinID() : 0;
  if (Builtin == clang::Builtin::BI__builtin_constant_p) {
    // Not a constant expression here (constants were folded before).
    return mkConst(type(C->getType(), C->getBeginLoc()), 0, L);
  }
  if (Builtin == clang::Builtin::BI__builtin_bswap16 ||
      Builtin == clang::Builtin::BI__builtin_bswap32 ||
      Builtin == clang::Builtin::BI__builtin_bswap64) {
    cir::Type Ty = type(C->getType(), C->getBeginLoc());
    Ty.Signed = false;
    ExprPtr X = mkCast(rvalue(C->getArg(0)), Ty, L);
    ExprPtr R;
    unsigned N = Ty.Bits / 8;
    for (unsigned I = 0; I < N; ++I) {
      // byte I of x moves to byte N-1-I
      ExprPtr Byte = cloneExpr(*X);
      if (I)
        Byte = mkBin(Op::LShr, Ty, std::move(Byte), mkConst(Ty, 8 * I, L), L);
      Byte = mkBin(Op::And, Ty, std::move(Byte), mkConst(Ty, 0xff, L), L);
      unsigned To = N - 1 - I;
      if (To)
        Byte = mkBin(Op::Shl, Ty, std::move(Byte), mkConst(Ty, 8 * To, L), L);
      R = R ? mkBin(Op::Or, Ty, std::move(R), std::move(Byte), L)
            : std::move(Byte);
    }
    return mkCast(std::move(R), type(C->getType(), C->getBeginLoc()), L);
  }
  if (Builtin == clang::Builtin::BI__builtin_memcpy ||
      Builtin == clang::Builtin::BImemcpy ||
      Builtin == clang::Builtin::BI__builtin_memset ||
      Builtin == clang::Builtin::BImemset)
    unsupported(C->getBeginLoc(), "the value of '" + Name +
                                      "' (call it as a statement of its own)");
  if (Name.empty())
    if (const auto *DR = llvm::dyn_cast<clang::DeclRefExpr>(
            C->getCallee()->IgnoreParenImpCasts()))
      Name = DR->getDecl()->getNameAsString(); // e.g. helper bpf_ktime_get_ns
  // Every statement hoists the calls of its expressions first (hoistCalls)
  // or rejects them; one that reaches here has no place to go.
  if (needsStatement(C))
    unsupported(C->getBeginLoc(), "call to " + calleeKind(C) + " '" +
                                      calleeName(C) + "' in this position");
  if (Name.empty())
    unsupported(C->getBeginLoc(), "indirect call");
  if (const clang::FunctionDecl *D = definedCallee(C, SM)) {
    if (D->hasAttr<clang::SectionAttr>())
      unsupported(C->getBeginLoc(), "call to the entry point '" + Name + "'");
  }
  unsupported(C->getBeginLoc(), "call to '" + Name + "'");
}

//===----------------------------------------------------------------------===//
// Helper calls and atomics
//===----------------------------------------------------------------------===//

/// bpf_helpers.h declares each helper as a static pointer to a function,
/// initialised with the helper's id:
///   static void *(*bpf_map_lookup_elem)(void *map, const void *key) =
///       (void *) 1;
std::optional<HelperRef>
FunctionLowering::helperOf(const clang::CallExpr *C) const {
  const auto *DR =
      llvm::dyn_cast<clang::DeclRefExpr>(C->getCallee()->IgnoreParenImpCasts());
  const auto *VD = DR ? llvm::dyn_cast<clang::VarDecl>(DR->getDecl()) : nullptr;
  if (!VD || VD->hasLocalStorage() || !VD->getType()->isFunctionPointerType() ||
      !VD->getInit())
    return std::nullopt;
  clang::Expr::EvalResult R;
  if (!VD->getInit()->IgnoreParenCasts()->EvaluateAsInt(R, Ctx))
    return std::nullopt;
  return HelperRef{R.Val.getInt().getZExtValue(), VD->getNameAsString()};
}

/// The index in Module::Functions of the bpf-to-bpf function `C` calls.
std::optional<unsigned>
FunctionLowering::functionOf(const clang::CallExpr *C) const {
  auto It = Funcs.Index.find(definedCallee(C, SM));
  if (It == Funcs.Index.end())
    return std::nullopt;
  return It->second;
}

/// The helper or bpf-to-bpf call `E` is, possibly through parentheses and
/// conversions.
const clang::CallExpr *FunctionLowering::callIn(const clang::Expr *E) const {
  const auto *C = llvm::dyn_cast<clang::CallExpr>(E->IgnoreParenCasts());
  return C && (helperOf(C) || functionOf(C)) ? C : nullptr;
}

/// Whether the call `C` is evaluated by statements of its own in the CIR
/// (a helper or bpf-to-bpf call, or the inlined body of an inline
/// function).
bool FunctionLowering::needsStatement(const clang::CallExpr *C) {
  return helperOf(C) || functionOf(C) || inlineCallee(C) || atomicOf(C);
}

/// The atomic operation `C` calls, if it does: the `__sync` builtins of
/// 32- and 64-bit values (clang's sized variants); those of 8-, 16- and
/// 128-bit values are rejected (eBPF has no such atomics).
std::optional<cir::Stmt::AtomicOp>
FunctionLowering::atomicOf(const clang::CallExpr *C) {
  using AO = cir::Stmt::AtomicOp;
  namespace B = clang::Builtin;
  struct Row {
    const char *Name;
    unsigned Narrow[3], Id4, Id8;
    AO Op;
  };
  static const Row Rows[] = {
      {"__sync_fetch_and_add",
       {B::BI__sync_fetch_and_add_1, B::BI__sync_fetch_and_add_2,
        B::BI__sync_fetch_and_add_16},
       B::BI__sync_fetch_and_add_4, B::BI__sync_fetch_and_add_8, AO::Add},
      {"__sync_fetch_and_or",
       {B::BI__sync_fetch_and_or_1, B::BI__sync_fetch_and_or_2,
        B::BI__sync_fetch_and_or_16},
       B::BI__sync_fetch_and_or_4, B::BI__sync_fetch_and_or_8, AO::Or},
      {"__sync_fetch_and_and",
       {B::BI__sync_fetch_and_and_1, B::BI__sync_fetch_and_and_2,
        B::BI__sync_fetch_and_and_16},
       B::BI__sync_fetch_and_and_4, B::BI__sync_fetch_and_and_8, AO::And},
      {"__sync_fetch_and_xor",
       {B::BI__sync_fetch_and_xor_1, B::BI__sync_fetch_and_xor_2,
        B::BI__sync_fetch_and_xor_16},
       B::BI__sync_fetch_and_xor_4, B::BI__sync_fetch_and_xor_8, AO::Xor},
      {"__sync_lock_test_and_set",
       {B::BI__sync_lock_test_and_set_1, B::BI__sync_lock_test_and_set_2,
        B::BI__sync_lock_test_and_set_16},
       B::BI__sync_lock_test_and_set_4, B::BI__sync_lock_test_and_set_8,
       AO::Xchg},
      {"__sync_val_compare_and_swap",
       {B::BI__sync_val_compare_and_swap_1,
        B::BI__sync_val_compare_and_swap_2,
        B::BI__sync_val_compare_and_swap_16},
       B::BI__sync_val_compare_and_swap_4, B::BI__sync_val_compare_and_swap_8,
       AO::CmpXchg}};
  const clang::FunctionDecl *Callee = C->getDirectCallee();
  unsigned Id = Callee ? Callee->getBuiltinID() : 0;
  for (const Row &R : Rows) {
    if (Id == R.Id4 || Id == R.Id8)
      return R.Op;
    for (unsigned N : R.Narrow)
      if (Id == N)
        unsupported(C->getBeginLoc(),
                    std::string("'") + R.Name +
                        "' on a value of other than 32 or 64 bits");
  }
  return std::nullopt;
}

/// The inline function without a contract that `C` calls, if it does.
const clang::FunctionDecl *
FunctionLowering::inlineCallee(const clang::CallExpr *C) const {
  const clang::FunctionDecl *D = definedCallee(C, SM);
  return D && Funcs.InlineWithoutContract.count(D) ? D : nullptr;
}

std::string FunctionLowering::calleeName(const clang::CallExpr *C) const {
  if (std::optional<HelperRef> H = helperOf(C))
    return H->Name;
  return C->getDirectCallee()->getNameAsString();
}

/// "helper", "inline function" or "function", for diagnostics about the
/// call `C`.
std::string FunctionLowering::calleeKind(const clang::CallExpr *C) const {
  return helperOf(C) ? "helper" : inlineCallee(C) ? "inline function"
                                                  : "function";
}

/// Appends the calls inside `S` that need statements of their own, in the
/// order C evaluates them (arguments before their call, operands left to
/// right). A call that C evaluates only under a condition (`Conditional`
/// says which; also set for a loop condition) cannot be evaluated before
/// the statement, so it is rejected. (hoistShortCircuits has already
/// taken the `&&`, `||` and `?:` with calls in an operand C may not
/// evaluate, outside loop conditions; any other is rejected here rather
/// than hoisted.)
void FunctionLowering::collectCalls(
    const clang::Stmt *S, const char *Conditional,
    std::vector<const clang::CallExpr *> &Calls) {
  if (llvm::isa<clang::UnaryExprOrTypeTraitExpr>(S))
    return; // sizeof's operand is not evaluated
  if (const auto *B = llvm::dyn_cast<clang::BinaryOperator>(S);
      B && B->isLogicalOp()) {
    if (HoistedOperators.count(B))
      return; // its calls are in the statements before
    collectCalls(B->getLHS(), Conditional, Calls);
    collectCalls(B->getRHS(),
                 Conditional ? Conditional
                 : B->getOpcode() == clang::BO_LAnd
                     ? "the right operand of '&&' (C evaluates it only when "
                       "the left operand is true"
                     : "the right operand of '||' (C evaluates it only when "
                       "the left operand is false",
                 Calls);
    return;
  }
  if (const auto *CO = llvm::dyn_cast<clang::ConditionalOperator>(S)) {
    if (HoistedOperators.count(CO))
      return; // its calls are in the statements before
    collectCalls(CO->getCond(), Conditional, Calls);
    const char *Branch =
        Conditional ? Conditional
                    : "a branch of '?:' (C evaluates only the branch chosen";
    collectCalls(CO->getTrueExpr(), Branch, Calls);
    collectCalls(CO->getFalseExpr(), Branch, Calls);
    return;
  }
  const auto *C = llvm::dyn_cast<clang::CallExpr>(S);
  if (C && C->getBuiltinCallee() == clang::Builtin::BI__builtin_constant_p)
    return; // its operand is not evaluated
  for (const clang::Stmt *Child : S->children())
    if (Child)
      collectCalls(Child, Conditional, Calls);
  if (!C || !needsStatement(C))
    return;
  if (Conditional)
    unsupported(C->getBeginLoc(),
                "call to " + calleeKind(C) + " '" + calleeName(C) + "' in " +
                    Conditional +
                    "; call it as a statement of its own and use a variable "
                    "holding its result)");
  Calls.push_back(C);
}

bool containsStmt(const clang::Stmt *S, const clang::Stmt *Part) {
  if (S == Part)
    return true;
  for (const clang::Stmt *Child : S->children())
    if (Child && containsStmt(Child, Part))
      return true;
  return false;
}

/// The uses of `V` in `S` that C does not order with the call `C` inside
/// `S`: not inside `C` (its arguments are evaluated before it), not after
/// it across `&&`, `||` or `?:` (their left operand or condition is
/// evaluated first), not in sizeof.
unsigned unorderedUses(const clang::Stmt *S, const clang::VarDecl *V,
                       const clang::CallExpr *C) {
  if (S == C || llvm::isa<clang::UnaryExprOrTypeTraitExpr>(S))
    return 0;
  if (const auto *DR = llvm::dyn_cast<clang::DeclRefExpr>(S))
    return DR->getDecl() == V;
  if (const auto *B = llvm::dyn_cast<clang::BinaryOperator>(S);
      B && B->isLogicalOp() && containsStmt(B->getLHS(), C))
    return unorderedUses(B->getLHS(), V, C);
  if (const auto *CO = llvm::dyn_cast<clang::ConditionalOperator>(S);
      CO && containsStmt(CO->getCond(), C))
    return unorderedUses(CO->getCond(), V, C);
  unsigned N = 0;
  for (const clang::Stmt *Child : S->children())
    if (Child)
      N += unorderedUses(Child, V, C);
  return N;
}

/// A helper writing `&v` (WrittenBuffers) inside the expression `E` while
/// `E` also uses `v` in an order C leaves unspecified (`v + f(&v)`): which
/// value is read is not defined, so the expression is rejected.
void FunctionLowering::checkWrittenBuffers(const clang::Expr *E,
                                           const clang::CallExpr *C) {
  std::optional<HelperRef> H = helperOf(C);
  if (!H)
    return;
  for (const WrittenBuffer &W : WrittenBuffers) {
    if (W.Helper != H->Id || C->getNumArgs() <= W.Buffer)
      continue;
    const auto *U = llvm::dyn_cast<clang::UnaryOperator>(
        C->getArg(W.Buffer)->IgnoreParenCasts());
    const auto *DR =
        U && U->getOpcode() == clang::UO_AddrOf
            ? llvm::dyn_cast<clang::DeclRefExpr>(U->getSubExpr()->IgnoreParens())
            : nullptr;
    const auto *VD = DR ? llvm::dyn_cast<clang::VarDecl>(DR->getDecl()) : nullptr;
    if (VD && unorderedUses(E, VD, C))
      unsupported(C->getBeginLoc(),
                  "'" + VD->getNameAsString() + "' used in the expression "
                  "that calls " + H->Name + ", which writes it (C leaves the "
                  "order unspecified: call it as a statement first)");
  }
}

/// Evaluates the calls inside `E` that need statements of their own
/// (collectCalls) before the statement holding `E`: each is assigned to a
/// temporary `<callee>.result` appended to `Out` (an inline function's body
/// is inlined there, inlineCall), which `E` then reads (call). This keeps C's meaning because each such call is evaluated
/// exactly once and unconditionally by `E`, the other parts of `E` have no
/// side effects (assignments and increments inside expressions are not
/// supported), and C leaves the order of calls in unsequenced operands
/// unspecified, so left to right is one of the orders C allows (arguments
/// never depend on another operand's call). `Whole` (a call that is the
/// whole value or statement) is left to the caller; `Where` rejects every
/// call (a loop condition). Without `Where`, the `&&`, `||` and `?:` with
/// calls in an operand C may not evaluate are evaluated first
/// (hoistShortCircuits).
/// Each variable index into a local array inside `S` that C evaluates
/// whenever the statement runs (not in the right operand of `&&` or `||`,
/// a branch of `?:`, or sizeof) and that reads memory (`a[data[i] & 3]`)
/// is evaluated before the statement into a variable, which the element
/// compares then read (elementLValue): evaluated once, as C does, and
/// before the other operands, an order C allows (they have no side
/// effects, hoistCalls).
void FunctionLowering::hoistIndices(const clang::Stmt *S,
                                    std::vector<StmtPtr> &Out) {
  const auto *Part = llvm::dyn_cast<clang::Expr>(S);
  if (llvm::isa<clang::UnaryExprOrTypeTraitExpr>(S) ||
      (Part && HoistedOperators.count(Part)))
    return; // not evaluated, or evaluated already (hoistShortCircuits)
  if (const auto *B = llvm::dyn_cast<clang::BinaryOperator>(S);
      B && B->isLogicalOp()) {
    hoistIndices(B->getLHS(), Out);
    return;
  }
  if (const auto *CO = llvm::dyn_cast<clang::ConditionalOperator>(S)) {
    hoistIndices(CO->getCond(), Out);
    return;
  }
  for (const clang::Stmt *Child : S->children())
    if (Child)
      hoistIndices(Child, Out);
  const auto *AS = llvm::dyn_cast<clang::ArraySubscriptExpr>(S);
  if (!AS || AS->getIdx()->getIntegerConstantExpr(Ctx))
    return;
  HoistedIndices.erase(AS->getIdx()); // from another inlining of its body
  std::optional<LocalPart> P = localPart(AS, true);
  if (!P || P->Index != AS->getIdx())
    return;
  cir::Loc L = loc(AS->getIdx()->getBeginLoc());
  ExprPtr Index = mkCast(rvalue(AS->getIdx()), U64, L);
  if (!readsMemory(*Index))
    return;
  auto A = mkStmt(SK::Assign, L);
  A->VarId = temporary(uniqueName(P->Path + ".index"), U64, L);
  A->Value = std::move(Index);
  HoistedIndices[AS->getIdx()] = A->VarId;
  Out.push_back(std::move(A));
}

void FunctionLowering::hoistCalls(const clang::Expr *E,
                                  std::vector<StmtPtr> &Out,
                                  const clang::CallExpr *Whole,
                                  const char *Where) {
  if (!Where)
    hoistShortCircuits(E, E, Out);
  std::vector<const clang::CallExpr *> Calls;
  collectCalls(E, Where, Calls);
  for (const clang::CallExpr *C : Calls) {
    checkWrittenBuffers(E, C);
    if (C == Whole)
      continue;
    if (const clang::FunctionDecl *G = inlineCallee(C)) {
      if (std::optional<unsigned> Result = inlineCall(C, G, Out))
        Hoisted[C] = *Result;
      continue;
    }
    if (atomicOf(C)) {
      Hoisted[C] = atomicCall(C, true, Out);
      continue;
    }
    cir::Loc L = loc(C->getBeginLoc());
    ExprPtr Call = lowerCall(C, Out);
    unsigned T = temporary(calleeName(C) + ".result", Call->Ty, L);
    auto S = mkStmt(SK::Assign, L);
    S->VarId = T;
    S->Value = std::move(Call);
    Out.push_back(std::move(S));
    flushCallOutputs(Out);
    Hoisted[C] = T;
  }
  if (!Where)
    hoistIndices(E, Out);
}

/// Whether `S` holds a call that needs a statement of its own (evaluated,
/// so not in sizeof).
bool FunctionLowering::callsInside(const clang::Stmt *S) {
  if (llvm::isa<clang::UnaryExprOrTypeTraitExpr>(S))
    return false;
  const auto *C = llvm::dyn_cast<clang::CallExpr>(S);
  if (C && C->getBuiltinCallee() == clang::Builtin::BI__builtin_constant_p)
    return false;
  if (C && needsStatement(C))
    return true;
  for (const clang::Stmt *Child : S->children())
    if (Child && callsInside(Child))
      return true;
  return false;
}

/// Each `a && b` or `a || b` inside `S` (a part of the full expression
/// `Full`) whose right operand `b` calls a helper or a function, and each
/// `c ? x : y` whose `x` or `y` does, outermost first, is evaluated before
/// the statement holding `Full` into a variable `t` that `Full` then reads
/// (rvalue, HoistedOperators):
///
///   <a's calls>  t = a != 0;  if (t) { <b's calls>  t = b != 0; }
///   <c's calls>  if (c) { <x's calls>  t = x; } else { <y's calls>  t = y; }
///
/// (`||`: `if (t == 0)`). C evaluates `b` only when `a` leaves the result
/// open, and only the branch `c` chooses, and so does this; the rest of
/// `Full` has no side effects (hoistCalls), so evaluating the operator
/// first is an order C allows.
void FunctionLowering::hoistShortCircuits(const clang::Stmt *S,
                                          const clang::Expr *Full,
                                          std::vector<StmtPtr> &Out) {
  const auto *Part = llvm::dyn_cast<clang::Expr>(S);
  if (llvm::isa<clang::UnaryExprOrTypeTraitExpr>(S) ||
      (Part && HoistedOperators.count(Part)))
    return; // not evaluated, or evaluated already
  // A buffer a conditional call writes may not be read unordered anywhere
  // in Full.
  std::function<void(const clang::Stmt *)> Check = [&](const clang::Stmt *X) {
    if (const auto *C = llvm::dyn_cast<clang::CallExpr>(X))
      checkWrittenBuffers(Full, C);
    for (const clang::Stmt *Child : X->children())
      if (Child)
        Check(Child);
  };
  if (const auto *CO = llvm::dyn_cast<clang::ConditionalOperator>(S);
      CO && !CO->getType()->isVoidType() &&
      (callsInside(CO->getTrueExpr()) || callsInside(CO->getFalseExpr()))) {
    Check(CO->getTrueExpr());
    Check(CO->getFalseExpr());
    cir::Loc L = loc(CO->getBeginLoc());
    cir::Type Ty = type(CO->getType(), CO->getBeginLoc());
    hoistCalls(CO->getCond(), Out);
    unsigned T = temporary(uniqueName("cond.value"), Ty, L);
    auto If = mkStmt(SK::If, L);
    If->Cond = rvalue(CO->getCond());
    for (auto [Branch, Into] : {std::pair{CO->getTrueExpr(), &If->Then},
                                std::pair{CO->getFalseExpr(), &If->Else}}) {
      *Into = mkStmt(SK::Block, L);
      hoistCalls(Branch, (*Into)->Body);
      auto A = mkStmt(SK::Assign, L);
      A->VarId = T;
      A->Value = mkCast(rvalue(Branch), Ty, L);
      (*Into)->Body.push_back(std::move(A));
    }
    Out.push_back(std::move(If));
    HoistedOperators[CO] = T;
    return;
  }
  if (const auto *CO = llvm::dyn_cast<clang::ConditionalOperator>(S)) {
    hoistShortCircuits(CO->getCond(), Full, Out);
    return;
  }
  const auto *B = llvm::dyn_cast<clang::BinaryOperator>(S);
  if (!B || !B->isLogicalOp() || !callsInside(B->getRHS())) {
    for (const clang::Stmt *Child : S->children())
      if (Child)
        hoistShortCircuits(Child, Full, Out);
    return;
  }
  Check(B->getRHS());
  cir::Loc L = loc(B->getBeginLoc());
  bool And = B->getOpcode() == clang::BO_LAnd;
  hoistCalls(B->getLHS(), Out);
  unsigned T = temporary(uniqueName(And ? "and.value" : "or.value"), I32, L);
  auto Set = [&](const clang::Expr *Operand, std::vector<StmtPtr> &Into) {
    auto A = mkStmt(SK::Assign, L);
    A->VarId = T;
    A->Value = nonZero(rvalue(Operand), L);
    Into.push_back(std::move(A));
  };
  Set(B->getLHS(), Out);
  auto If = mkStmt(SK::If, L);
  auto Flag = mkExpr(CK::Var, I32, L);
  Flag->VarId = T;
  if (And) {
    If->Cond = std::move(Flag);
  } else {
    If->Cond = mkExpr(CK::Cmp, I32, L);
    If->Cond->Op = Op::Eq;
    If->Cond->Ops.push_back(std::move(Flag));
    If->Cond->Ops.push_back(mkConst(I32, 0, L));
  }
  If->Then = mkStmt(SK::Block, L);
  hoistCalls(B->getRHS(), If->Then->Body);
  Set(B->getRHS(), If->Then->Body);
  Out.push_back(std::move(If));
  HoistedOperators[B] = T;
}

/// The Call or FuncCall of `C` (a call callIn accepts).
ExprPtr FunctionLowering::lowerCall(const clang::CallExpr *C,
                                    std::vector<StmtPtr> &Out) {
  if (std::optional<HelperRef> H = helperOf(C))
    return helperCall(C, *H, Out);
  return funcCall(C, *functionOf(C), Out);
}

/// A call of the bpf-to-bpf function Module::Functions[Callee]: its
/// arguments, already converted to the parameter types by Clang, are
/// constants or variables, or go to temporaries first.
ExprPtr FunctionLowering::funcCall(const clang::CallExpr *C, unsigned Callee,
                                   std::vector<StmtPtr> &Out) {
  cir::Loc L = loc(C->getBeginLoc());
  std::string Name = calleeName(C);
  if (C->getNumArgs() > 5)
    unsupported(C->getBeginLoc(), "call with more than 5 arguments");
  auto E = mkExpr(CK::FuncCall,
                  resultType(C->getCallReturnType(Ctx), C->getBeginLoc()), L);
  E->Value = Callee;
  const cir::Function &G = (*Funcs.Lowered)[Callee];
  std::set<const clang::VarDecl *> Passed;
  for (unsigned I = 0; I < C->getNumArgs(); ++I) {
    std::optional<LocalAddress> Local = localAddress(C->getArg(I));
    // Each buffer argument is a copy of the local's bytes, so two of one
    // local would not alias as C's pointers do.
    if (Local && !Passed.insert(Local->VD).second)
      unsupported(C->getArg(I)->getBeginLoc(),
                  "two buffer arguments of '" + Name + "' in the local '" +
                      Local->VD->getNameAsString() + "'");
    if (!Local) {
      E->Ops.push_back(simpleArgument(rvalue(C->getArg(I)),
                                      Name + ".arg" + std::to_string(I + 1),
                                      Out));
      continue;
    }
    cir::Expr &Buf = *Local->Buf;
    // G is lowered already (callees first), so its Params are known.
    bool Undef = I < G.Params.size() && G.Params[I].Undef;
    if (Undef && Local->Part)
      unsupported(C->getArg(I)->getBeginLoc(),
                  "a field or element of a local struct or array as the "
                  "undef_data_at buffer of '" + Name +
                      "' (pass an integer variable)");
    if (Undef) {
      // The checker wants a stack buffer's bytes initialised even when the
      // callee only writes them (docs/proof-format.md 15.5); G may not
      // read them, so any value serves, and after the call v holds what G
      // wrote or is unset (the verifier's UnsetOutputs).
      auto Zero = mkStmt(SK::Assign, Buf.L);
      Zero->VarId = Buf.VarId;
      Zero->Value = mkConst(Fn->Vars[Buf.VarId].Ty, 0, Buf.L);
      Out.push_back(std::move(Zero));
    }
    // The callee may read any byte of its buffer, and the checker wants a
    // stack buffer's bytes initialised even when the callee only writes
    // them: every chunk is packed.
    packLocal(*Local, Out);
    if (I < G.Params.size() && (G.Params[I].Writes || Undef)) {
      Buf.Value = 0;
      for (unsigned V = Buf.VarId; V < Buf.VarId + Buf.Span; ++V)
        Buf.Value += Fn->Vars[V].Ty.Bits / 8;
      if (Local->Part)
        extractLeaves(*Local->Part, Buf);
      else
        pendingOutput(Buf.VarId, Buf.L);
    }
    E->Ops.push_back(std::move(Local->Buf));
  }
  return E;
}

/// A buffer argument's bytes into its chunks, unless they hold them
/// already (an integer local is its own buffer).
void FunctionLowering::packLocal(const LocalAddress &Local,
                                 std::vector<StmtPtr> &Out) {
  if (!Local.Part)
    return;
  if (!Local.Packed)
    packChunks(*Local.Part, *Local.Buf, 0, Out);
  holdChunks(*Local.Part, *Local.Buf);
}

/// Forgets the chunks of a local a statement of Out[From..] assigns a leaf
/// of other than from them (extractLeaves' assignments read them and
/// nothing else but constants).
void FunctionLowering::forgetOverwrittenChunks(const std::vector<StmtPtr> &Out,
                                               size_t From) {
  // -1: reads another variable or memory; else the number of chunk reads.
  std::function<int(const cir::Expr &, unsigned, unsigned)> ChunkReads =
      [&](const cir::Expr &E, unsigned First, unsigned End) {
        if (E.K == CK::Var)
          return E.VarId >= First && E.VarId < End ? 1 : -1;
        if (E.K != CK::Const && E.K != CK::Cast && E.K != CK::Binary)
          return -1;
        int N = 0;
        for (const ExprPtr &O : E.Ops) {
          int K = O ? ChunkReads(*O, First, End) : -1;
          if (K < 0)
            return -1;
          N += K;
        }
        return N;
      };
  std::function<void(const cir::Stmt &)> Visit = [&](const cir::Stmt &S) {
    if (S.K == SK::Assign)
      std::erase_if(Held, [&](const auto &Entry) {
        const auto &[VD, H] = Entry;
        const auto &Leaves = LocalLeaves.at(VD);
        bool Leaf = std::any_of(Leaves.begin(), Leaves.end(), [&](auto L) {
          return L.second == S.VarId;
        });
        return Leaf && !(S.Value && ChunkReads(*S.Value, H.VarId,
                                               H.VarId + H.Span) > 0);
      });
    for (const cir::Stmt *Sub : {S.Then.get(), S.Else.get(), S.Step.get()})
      if (Sub)
        Visit(*Sub);
    for (const StmtPtr &B : S.Body)
      Visit(*B);
  };
  for (size_t I = From; I < Out.size(); ++I)
    Visit(*Out[I]);
}

/// `v = CallOutput` after the statement holding the call that writes v's
/// bytes (flushCallOutputs).
void FunctionLowering::pendingOutput(unsigned VarId, cir::Loc L) {
  auto Output = mkStmt(SK::Assign, L);
  Output->VarId = VarId;
  Output->Value = mkExpr(CK::CallOutput, Fn->Vars[VarId].Ty, L);
  Output->Value->VarId = VarId;
  PendingOutputs.push_back(std::move(Output));
}

/// A call argument the CIR allows as it is (a constant, a variable, a
/// converted variable), or a temporary named `Temp` assigned `V` first.
ExprPtr FunctionLowering::simpleArgument(ExprPtr V, const std::string &Temp,
                                         std::vector<StmtPtr> &Out) {
  const cir::Expr &Core = V->K == CK::Cast ? *V->Ops[0] : *V;
  if (V->K == CK::Const || Core.K == CK::Var)
    return V;
  cir::Loc L = V->L;
  unsigned T = temporary(Temp, V->Ty, L);
  auto S = mkStmt(SK::Assign, L);
  S->VarId = T;
  cir::Type Ty = V->Ty;
  S->Value = std::move(V);
  Out.push_back(std::move(S));
  auto R = mkExpr(CK::Var, Ty, L);
  R->VarId = T;
  return R;
}

/// Appends the pending `v = CallOutput` after the statement holding the call
/// (the last one of `Out`). That statement must not assign v itself:
/// `v = helper(..., &v, ...)` has two writes of v.
void FunctionLowering::flushCallOutputs(std::vector<StmtPtr> &Out) {
  if (!Out.empty() && Out.back()->K == SK::Assign &&
      std::any_of(
          PendingOutputs.begin(), PendingOutputs.end(),
          [&](const StmtPtr &S) { return S->VarId == Out.back()->VarId; })) {
    PendingOutputs.clear();
    error(Out.back()->L, "not supported yet: the result of a helper call "
                         "assigned to the variable whose address it "
                         "writes");
    throw Unsupported{};
  }
  for (StmtPtr &S : PendingOutputs)
    Out.push_back(std::move(S));
  PendingOutputs.clear();
  for (auto &[VD, H] : PendingHeld)
    Held.insert_or_assign(VD, H);
  PendingHeld.clear();
}

unsigned FunctionLowering::temporary(const std::string &Name,
                                     const cir::Type &Ty, cir::Loc L) {
  // The name is no C identifier, so no annotation can refer to it.
  cir::Variable V;
  V.Name = Name;
  V.Ty = Ty;
  V.L = L;
  Fn->Vars.push_back(std::move(V));
  return unsigned(Fn->Vars.size() - 1);
}

/// The Call of helper `H`; arguments that are not of the forms the CIR
/// allows are assigned to temporaries first (appended to `Out`). A buffer
/// `&v` the helper writes needs a constant length: the AddrOf records it
/// and `v = CallOutput` waits in PendingOutputs. (A pointer into a map
/// value is the other buffer the verifier takes; its bytes need nothing.)
ExprPtr FunctionLowering::helperCall(const clang::CallExpr *C,
                                     const HelperRef &H,
                                     std::vector<StmtPtr> &Out) {
  cir::Loc L = loc(C->getBeginLoc());
  if (C->getNumArgs() > 5)
    unsupported(C->getBeginLoc(), "helper call with more than 5 arguments");
  std::vector<ExprPtr> Args;
  WrittenLocals.clear();
  for (unsigned I = 0; I < C->getNumArgs(); ++I)
    Args.push_back(helperArgument(C->getArg(I), H, I, Out));
  for (const WrittenBuffer &W : WrittenBuffers) {
    if (W.Helper != H.Id || Args.size() <= std::max(W.Buffer, W.Length))
      continue;
    cir::Expr &Buf = *Args[W.Buffer];
    if (Buf.K != CK::AddrOf)
      continue; // a pointer (into a map value): the verifier checks it
    const cir::Expr *Len = Args[W.Length].get();
    while (Len->K == CK::Cast)
      Len = Len->Ops[0].get();
    if (Len->K != CK::Const)
      unsupported(C->getArg(W.Length)->getBeginLoc(),
                  "a length of " + H.Name + " that is not a constant");
    // The verifier rejects a zero length; Value 0 would mean "only read".
    Buf.Value = std::max<uint64_t>(Len->Value, 1);
    if (auto Local = WrittenLocals.find(W.Buffer);
        Local != WrittenLocals.end()) {
      // The chunks the helper may leave (partly) unwritten keep k's bytes.
      const auto &[Part, Packed] = Local->second;
      if (!Packed)
        packChunks(Part, Buf, cir::helperUpdatesBuffer(H.Id) ? 0 : Buf.Value,
                   Out);
      extractLeaves(Part, Buf);
      continue;
    }
    pendingOutput(Buf.VarId, Buf.L);
  }
  // (void: bpf_ringbuf_submit and bpf_ringbuf_discard)
  auto E = mkExpr(CK::Call, resultType(C->getType(), C->getBeginLoc()), L);
  E->Value = H.Id;
  E->Ops = std::move(Args);
  return E;
}

/// One argument of a helper call: `&map` (MapAddr), a local's address
/// (localAddress), or a value; a value other than a constant or a
/// (converted) variable is first assigned to a temporary.
ExprPtr FunctionLowering::helperArgument(const clang::Expr *A,
                                         const HelperRef &H, unsigned I,
                                         std::vector<StmtPtr> &Out) {
  const auto *U = llvm::dyn_cast<clang::UnaryOperator>(A->IgnoreParenCasts());
  if (U && U->getOpcode() == clang::UO_AddrOf) {
    const auto *DR =
        llvm::dyn_cast<clang::DeclRefExpr>(U->getSubExpr()->IgnoreParens());
    const auto *VD =
        DR ? llvm::dyn_cast<clang::VarDecl>(DR->getDecl()) : nullptr;
    if (VD && Maps.count(VD)) {
      auto M = mkExpr(CK::MapAddr, type(A->getType(), A->getBeginLoc()),
                      loc(A->getBeginLoc()));
      M->Value = Maps.at(VD);
      return M;
    }
  }
  // `&(__u32){0}`: the address of a temporary holding the value.
  if (U && U->getOpcode() == clang::UO_AddrOf)
    if (const auto *CL = llvm::dyn_cast<clang::CompoundLiteralExpr>(
            U->getSubExpr()->IgnoreParens());
        CL && isScalar(CL->getType())) {
      cir::Loc L = loc(CL->getBeginLoc());
      const auto *IL = llvm::dyn_cast<clang::InitListExpr>(CL->getInitializer());
      cir::Type Ty = type(CL->getType(), CL->getBeginLoc());
      auto E = mkExpr(CK::AddrOf, pointerTo(CL->getType()), L);
      E->VarId = temporary(H.Name + ".arg" + std::to_string(I + 1), Ty, L);
      auto T = mkStmt(SK::Assign, L);
      T->VarId = E->VarId;
      T->Value = IL && IL->getNumInits() == 1
                     ? valueOf(IL->getInit(0), Ty, Out)
                     : mkCast(mkConst(I64, 0, L), Ty, L);
      Out.push_back(std::move(T));
      return E;
    }
  if (std::optional<LocalAddress> Local = localAddress(A)) {
    // An aggregate's chunks are packed now for a helper that only reads
    // them, or once the length is known for one that writes them
    // (helperCall).
    if (Local->Part && writtenBufferArgument(H, I))
      WrittenLocals.emplace(I, std::pair(*Local->Part, Local->Packed));
    else
      packLocal(*Local, Out);
    return std::move(Local->Buf);
  }
  return simpleArgument(rvalue(A), H.Name + ".arg" + std::to_string(I + 1),
                        Out);
}

/// The local A points to: `&v` of an integer local v (no Part), `&k` of a
/// local struct or array or of a subobject of one, such an array `k`
/// decaying to a pointer to its first element, or an inline function's
/// parameter given one of these. Nullopt if A is none of these.
std::optional<FunctionLowering::AddressedLocal>
FunctionLowering::addressedLocal(const clang::Expr *A) {
  const auto *U = llvm::dyn_cast<clang::UnaryOperator>(A->IgnoreParenCasts());
  const clang::Expr *Obj = nullptr; // the local whose address A is
  std::optional<LocalPart> Part;
  if (const AddressAlias *Alias = aliasOf(A->IgnoreParenCasts())) {
    Obj = Alias->X; // an inline function's parameter given &X, passed on
    Part = localPart(Obj);
  } else if (!U) {
    Part = localPart(A->IgnoreParenCasts());
    if (!Part || !Ctx.getAsConstantArrayType(Part->QT))
      return std::nullopt;
  } else if (U->getOpcode() == clang::UO_AddrOf) {
    Obj = U->getSubExpr();
    Part = localPart(Obj);
  } else {
    return std::nullopt;
  }
  if (Part)
    return AddressedLocal{Part, Part->VD};
  const auto *DR = Obj ? llvm::dyn_cast<clang::DeclRefExpr>(Obj->IgnoreParens())
                       : nullptr;
  const auto *VD = DR ? llvm::dyn_cast<clang::VarDecl>(DR->getDecl()) : nullptr;
  if (!VD || !VarIds.count(VD))
    return std::nullopt;
  return AddressedLocal{std::nullopt, VD};
}

/// A call's buffer argument A that points to a local (addressedLocal): the
/// AddrOf of its chunks (localBuffer) for a struct or array, of the
/// variable itself for an integer.
std::optional<FunctionLowering::LocalAddress>
FunctionLowering::localAddress(const clang::Expr *A) {
  std::optional<AddressedLocal> Local = addressedLocal(A);
  if (!Local)
    return std::nullopt;
  const std::optional<LocalPart> &Part = Local->Part;
  if (Part && !isScalar(Part->QT)) {
    if (auto H = Held.find(Part->VD);
        ReuseHeld && H != Held.end() && H->second.Offset == Part->Offset &&
        H->second.Size == sizeOf(Part->QT)) {
      auto E = mkExpr(CK::AddrOf, pointerTo(Part->QT), loc(A->getBeginLoc()));
      E->VarId = H->second.VarId;
      E->Span = H->second.Span;
      return LocalAddress{std::move(E), Part, Part->VD, true};
    }
    return LocalAddress{
        localBuffer(*Part, loc(A->getBeginLoc()), A->getBeginLoc()), Part,
        Part->VD};
  }
  unsigned Id = Part ? leafOf(*Part, A->getBeginLoc()) : VarIds.at(Local->VD);
  if (Fn->Vars[Id].Ty.isPtr())
    unsupported(A->getBeginLoc(),
                "address of the pointer variable '" + Fn->Vars[Id].Name +
                    "' as a call argument (only '&v' of an integer "
                    "variable)");
  // Typed as a pointer to v, whatever the parameter's type (`void *`):
  // messages name the buffer's type.
  auto E = mkExpr(CK::AddrOf, pointerTo(Part ? Part->QT : Local->VD->getType()),
                  loc(A->getBeginLoc()));
  E->VarId = Id;
  return LocalAddress{std::move(E), std::nullopt, Local->VD};
}

/// The helper or function call that is the whole of `E`, the right-hand
/// side of an assignment to a variable of type `Target`, possibly through
/// conversions that keep its bits (pointer to pointer, integer to integer
/// of the same width): the Call, retyped, is then the assigned value.
const clang::CallExpr *FunctionLowering::wholeCall(const clang::Expr *E,
                                                   const cir::Type &Target) {
  const clang::CallExpr *C = callIn(E);
  if (!C || atomicOf(C)) // atomics are hoisted (hoistCalls)
    return nullptr;
  for (const clang::Expr *X = E->IgnoreParens(); X != C;) {
    const auto *CE = llvm::dyn_cast<clang::CastExpr>(X);
    if (!CE)
      return nullptr;
    clang::QualType From = CE->getSubExpr()->getType(), To = CE->getType();
    bool Ptrs = From->isPointerType() && To->isPointerType();
    bool SameInts = From->isIntegerType() && To->isIntegerType() &&
                    Ctx.getTypeSize(From) == Ctx.getTypeSize(To);
    if (!Ptrs && !SameInts)
      return nullptr;
    X = CE->getSubExpr()->IgnoreParens();
  }
  cir::Type Result = resultType(C->getType(), C->getBeginLoc());
  return Result.isPtr() == Target.isPtr() && Result.Bits == Target.Bits
             ? C
             : nullptr;
}

/// `E` converted to `Target`, for the right-hand side of an assignment to a
/// variable: the calls inside `E` are hoisted (hoistCalls), except a call
/// that is the whole value (wholeCall), which becomes the assigned value.
ExprPtr FunctionLowering::valueOf(const clang::Expr *E, cir::Type Target,
                                  std::vector<StmtPtr> &Out) {
  const clang::CallExpr *Whole = wholeCall(E, Target);
  hoistCalls(E, Out, Whole);
  if (!Whole)
    return mkCast(rvalue(E), Target, loc(E->getBeginLoc()));
  ExprPtr Call = lowerCall(Whole, Out);
  Call->Ty = Target;
  return Call;
}

/// `__sync_fetch_and_add(p, v);` and the other atomics as statements:
/// Atomic without a result. False if `E` is no such call.
bool FunctionLowering::atomicStmt(const clang::Expr *E,
                                  std::vector<StmtPtr> &Out) {
  const auto *C = llvm::dyn_cast<clang::CallExpr>(E->IgnoreParens());
  if (!C || !atomicOf(C))
    return false;
  hoistCalls(E, Out, C);
  atomicCall(C, false, Out);
  return true;
}

/// The destination or source A of a memcpy or memset: a local's leaves
/// (addressedLocal), or memory at A's value, assigned to a temporary unless
/// it is a variable or a constant offset from one (A is evaluated once), and
/// aligned as A's type says (before its conversion to `void *`) as clang's
/// back end takes it.
FunctionLowering::ByteRange
FunctionLowering::byteRange(const clang::Expr *A, const std::string &Role,
                            std::vector<StmtPtr> &Out) {
  ByteRange R;
  cir::Loc L = loc(A->getBeginLoc());
  if (std::optional<AddressedLocal> Local = addressedLocal(A)) {
    const std::optional<LocalPart> &P = Local->Part;
    if (P && P->Index)
      unsupported(A->getBeginLoc(), "the address of '" + P->Path +
                                        "' at a variable index");
    // The bytes from the address to the end of the whole local (as for
    // `memcpy(&k.saddr, &ip->saddr, 8)`, which copies daddr too).
    R.Path = Local->VD->getNameAsString();
    R.Size = sizeOf(Local->VD->getType()) - (P ? P->Offset : 0);
    if (!P)
      R.Leaves[0] = VarIds.at(Local->VD);
    else
      for (const auto &[Off, Id] : LocalLeaves.at(P->VD))
        if (Off >= P->Offset)
          R.Leaves[Off - P->Offset] = Id;
    return R;
  }
  const clang::Expr *Typed = A->IgnoreParenCasts();
  clang::QualType Pointee = Typed->getType()->isPointerType()
                                ? Typed->getType()->getPointeeType()
                                : clang::QualType();
  if (!Pointee.isNull() && !Pointee->isIncompleteType())
    R.Align = uint64_t(Ctx.getTypeAlignInChars(Pointee).getQuantity());
  // The chunks' loads and stores say their widths: the pointer's type
  // does not matter, and without its casts the offsets fold (ptrAdd).
  R.Addr = rvalue(A);
  while (R.Addr->K == CK::Cast && R.Addr->Ty.isPtr() &&
         R.Addr->Ops[0]->Ty.isPtr())
    R.Addr = std::move(R.Addr->Ops[0]);
  const cir::Expr *Base = R.Addr.get();
  if (Base->K == CK::Binary && Base->Op == Op::PtrAdd &&
      Base->Ops[1]->K == CK::Const)
    Base = Base->Ops[0].get();
  if (Base->K != CK::Var && Base->K != CK::GlobalAddr) {
    auto T = mkStmt(SK::Assign, L);
    T->VarId = temporary(Role, R.Addr->Ty, L);
    T->Value = std::move(R.Addr);
    R.Addr = mkExpr(CK::Var, T->Value->Ty, L);
    R.Addr->VarId = T->VarId;
    Out.push_back(std::move(T));
  }
  return R;
}

/// `__builtin_memcpy(d, s, n)` and `__builtin_memset(d, c, n)` (or memcpy
/// and memset, which clang takes for the builtins) as statements, n and c
/// integer constants: a copy or fill chunk by chunk, as clang's BPF back
/// end expands them (docs/vep-c.md, "memcpy and memset"). False if `E` is
/// no such call.
bool FunctionLowering::memStmt(const clang::Expr *E, std::vector<StmtPtr> &Out) {
  const auto *C = llvm::dyn_cast<clang::CallExpr>(E->IgnoreParens());
  const clang::FunctionDecl *Callee = C ? C->getDirectCallee() : nullptr;
  unsigned Id = Callee ? Callee->getBuiltinID() : 0;
  bool Copy = Id == clang::Builtin::BI__builtin_memcpy ||
              Id == clang::Builtin::BImemcpy;
  if (!Copy && Id != clang::Builtin::BI__builtin_memset &&
      Id != clang::Builtin::BImemset)
    return false;
  std::string Name = Callee->getNameAsString();
  cir::Loc L = loc(C->getBeginLoc());
  auto Constant = [&](unsigned I, const char *What) {
    auto V = C->getArg(I)->getIntegerConstantExpr(Ctx);
    if (!V)
      unsupported(C->getArg(I)->getBeginLoc(),
                  std::string("a ") + What + " of " + Name +
                      " that is not an integer constant");
    return V->getZExtValue();
  };
  uint64_t N = Constant(2, "length"), Fill = Copy ? 0 : Constant(1, "value");
  if (N > 512)
    unsupported(C->getArg(2)->getBeginLoc(),
                Name + " of more than 512 bytes");
  hoistCalls(E, Out, C);
  ByteRange D = byteRange(C->getArg(0), Name + ".dst", Out);
  ByteRange S = Copy ? byteRange(C->getArg(1), Name + ".src", Out) : ByteRange{};
  for (const ByteRange *R : {&D, &S})
    if (!R->Addr && !R->Path.empty() && N > R->Size) {
      error(loc(C->getBeginLoc()),
            Name + " of " + std::to_string(N) + " bytes past the end of '" +
                R->Path + "' (" + std::to_string(R->Size) + " bytes)");
      throw Unsupported{};
    }
  // The chunks: a local side's leaf, which must lie inside the n bytes
  // and be of one width on both sides, else the widest the memory sides'
  // alignment and the offset allow.
  std::vector<std::pair<uint64_t, uint64_t>> Chunks; // offset, width
  for (uint64_t Off = 0; Off < N; Off += Chunks.back().second) {
    uint64_t W = 0;
    for (const ByteRange *R : {&D, &S}) {
      if (R->Addr || R->Path.empty())
        continue;
      auto It = R->Leaves.find(Off);
      uint64_t LW = It == R->Leaves.end()
                        ? 0
                        : Fn->Vars[It->second].Ty.Bits / 8;
      if (!LW || Off + LW > N || (W && W != LW))
        unsupported(C->getBeginLoc(),
                    Name + " of part of a field or element of '" + R->Path +
                        "' (byte " + std::to_string(Off) + " on)");
      if (Fn->Vars[It->second].Ty.isPtr() && (Copy || Fill))
        unsupported(C->getBeginLoc(), Name + " of the pointer '" +
                                          Fn->Vars[It->second].Name + "'");
      W = LW;
    }
    if (!W) {
      uint64_t Align = std::min(D.Align, Copy ? S.Align : D.Align);
      for (W = 8; W > 1 && (W > Align || Off % W || Off + W > N);)
        W /= 2;
    }
    Chunks.push_back({Off, W});
  }
  // Last chunk first: its bound implies the others' (a copy past a bound
  // is one report). C leaves overlapping copies undefined, so the order is
  // free.
  for (auto It = Chunks.rbegin(); It != Chunks.rend(); ++It) {
    auto [Off, W] = *It;
    cir::Type Ty = intType(unsigned(8 * W), false);
    ExprPtr V;
    if (!Copy) {
      uint64_t Bytes = 0;
      for (uint64_t B = 0; B < W; ++B)
        Bytes |= (Fill & 0xff) << (8 * B);
      V = mkConst(Ty, Bytes, L);
    } else if (!S.Addr) {
      V = mkExpr(CK::Var, Fn->Vars[S.Leaves.at(Off)].Ty, L);
      V->VarId = S.Leaves.at(Off);
    } else {
      V = mkExpr(CK::Load, Ty, L);
      V->Ops.push_back(ptrAdd(cloneExpr(*S.Addr), mkConst(I64, Off, L), L));
    }
    if (D.Addr) {
      auto St = mkStmt(SK::Store, L);
      St->Addr = ptrAdd(cloneExpr(*D.Addr), mkConst(I64, Off, L), L);
      St->Value = mkCast(std::move(V), Ty, L);
      Out.push_back(std::move(St));
    } else {
      auto A = mkStmt(SK::Assign, L);
      A->VarId = D.Leaves.at(Off);
      A->Value = mkCast(std::move(V), Fn->Vars[A->VarId].Ty, L);
      Out.push_back(std::move(A));
    }
  }
  return true;
}

/// The Atomic of the call `C` (atomicOf): the address, the value converted
/// to the call's type, for CmpXchg the expected value (Cond); with
/// `Result`, then `Assign t = AtomicResult` for a new temporary t, which is
/// returned.
unsigned FunctionLowering::atomicCall(const clang::CallExpr *C, bool Result,
                                      std::vector<StmtPtr> &Out) {
  cir::Loc L = loc(C->getBeginLoc());
  cir::Type Ty = type(C->getType(), C->getBeginLoc());
  auto S = mkStmt(SK::Atomic, L);
  S->Op = *atomicOf(C);
  bool Cas = S->Op == cir::Stmt::AtomicOp::CmpXchg;
  auto Arg = [&](unsigned I) {
    return mkCast(rvalue(C->getArg(I)), Ty, loc(C->getArg(I)->getBeginLoc()));
  };
  S->Addr = rvalue(C->getArg(0));
  S->Value = Arg(Cas ? 2 : 1);
  if (Cas)
    S->Cond = Arg(1);
  S->Fetch = Result;
  Out.push_back(std::move(S));
  if (!Result)
    return 0;
  auto A = mkStmt(SK::Assign, L);
  A->VarId = temporary(calleeName(C) + ".result", Ty, L);
  A->Value = mkExpr(CK::AtomicResult, Ty, L);
  unsigned T = A->VarId;
  Out.push_back(std::move(A));
  return T;
}

//===----------------------------------------------------------------------===//
// Statements and annotations
//===----------------------------------------------------------------------===//

std::string FunctionLowering::checkAssertVar(const std::string &Name) {
  if (Name == "__return")
    return "'__return' may only be used in an Ensure clause";
  for (auto It = Scopes.rbegin(); It != Scopes.rend(); ++It)
    if (It->count(Name))
      return "";
  return "unknown variable '" + Name + "' in annotation";
}

csupport::TermSort FunctionLowering::varSort(const std::string &Name) const {
  for (auto It = Scopes.rbegin(); It != Scopes.rend(); ++It) {
    auto F = It->find(Name);
    if (F == It->end())
      continue;
    const cir::Type &T = Fn->Vars[F->second].Ty;
    if (!T.isPtr())
      return csupport::TermSort::Int;
    return T.PointeeSize == 1 ? csupport::TermSort::BytePtr
                              : csupport::TermSort::Ptr;
  }
  return csupport::TermSort::Int;
}

/// Resolves constants in an Assert or Inv annotation and checks that
/// VEP-C supports it; reports and returns null otherwise.
std::shared_ptr<const logic::Annotation>
FunctionLowering::checkStatementAnnotation(const logic::Annotation &A) {
  cir::Loc AL{A.Pos.Line, A.Pos.Col};
  bool IsInv = A.K == logic::Annotation::Kind::Inv;
  bool IsWhere = A.K == logic::Annotation::Kind::Where;
  if (!A.Pre && !IsWhere) {
    error(AL, IsInv ? "empty invariant" : "empty assertion");
    return nullptr;
  }
  auto IsVar = [&](const std::string &N) { return inScope(N); };
  auto Resolved = std::make_shared<logic::Annotation>(A);
  Resolved->Pre = substConstants(flattenLocalPaths(A.Pre), Const, IsVar);
  if (!Fn->isEntry() && Resolved->Pre && !IsWhere) {
    std::set<std::string> Described;
    auto Names = [&](const std::string &N) {
      return inScope(N) || ContractIntegers.count(N) ||
             ContractSequences.count(N);
    };
    Resolved->Pre = lowerDataAt(Resolved->Pre, DataAtPlace::Annotation,
                                Names, Described);
    if (!Resolved->Pre)
      return nullptr;
  }
  if (A.Variant)
    Resolved->Variant =
        substConstants(flattenLocalPaths(A.Variant), Const, IsVar);
  for (auto &V : Resolved->Values)
    V = substConstants(flattenLocalPaths(V), Const, IsVar);
  csupport::PureContext PC =
      IsInv ? csupport::PureContext::Inv : csupport::PureContext::Assert;
  // A name denotes the variable its scope gives it, whose name in the CIR
  // may differ (a shadowing `i#2`, an inlined body's g.x): the annotation is
  // renamed to it.
  auto CirName = [&](const std::string &N) {
    for (auto It = Scopes.rbegin(); It != Scopes.rend(); ++It)
      if (auto F = It->find(N); F != It->end())
        return Fn->Vars[F->second].Name;
    return N;
  };
  auto CheckVar = [&](const std::string &N, logic::SourcePos) {
    // A called function's integer With variables, unless a variable
    // shadows them.
    if (!Fn->isEntry() && !inScope(N) && ContractIntegers.count(N))
      return std::string();
    return checkAssertVar(N);
  };
  csupport::VarSortFn Sorts = [&](const std::string &N) { return varSort(N); };
  csupport::SupportError SE;
  // In a called function, the contents language (its buffers' contents).
  // `where x = e`: integer terms, as a Variant's.
  bool Ok = true;
  for (const auto &V : Resolved->Values)
    Ok = Ok && csupport::checkPureIntTerm(*V, PC, CheckVar, SE, &Sorts,
                                          "a 'where' value");
  Ok = Ok &&
       (IsWhere ||
        csupport::checkPureAssertion(
            *Resolved->Pre, PC, CheckVar, SE, &Sorts,
            Fn->isEntry() ? nullptr : &ContractSequences, Predicates)) &&
            (!Resolved->Variant ||
             csupport::checkPureIntTerm(*Resolved->Variant, PC, CheckVar, SE,
                                        &Sorts, "a Variant"));
  if (!Ok) {
    error({SE.Pos.Line, SE.Pos.Col}, SE.Message);
    return nullptr;
  }
  VarMap Rename = [&](const logic::Term &T) -> logic::TermPtr {
    if (T.AtPre || !inScope(T.Name) || CirName(T.Name) == T.Name)
      return nullptr;
    auto N = std::make_shared<logic::Term>(T);
    N->Name = CirName(T.Name);
    return N;
  };
  Resolved->Pre = mapVars(Resolved->Pre, Rename);
  Resolved->Variant = mapVars(Resolved->Variant, Rename);
  for (auto &V : Resolved->Values)
    V = mapVars(V, Rename);
  return Resolved;
}

void FunctionLowering::takeAnnotationsBefore(unsigned Off,
                                             std::vector<StmtPtr> &Out,
                                             bool BeforeLoop) {
  while (NextAnn < EndAnn && Anns[NextAnn].Offset < Off) {
    RawAnnotation &A = Anns[NextAnn++];
    A.Used = true;
    if (!A.Ann)
      continue; // parse error already reported
    cir::Loc AL{A.Ann->Pos.Line, A.Ann->Pos.Col};
    switch (A.Ann->K) {
    case logic::Annotation::Kind::Contract:
      error(AL, "a contract (With/Require/Ensure) must be written between a "
                "function's header and its body");
      continue;
    case logic::Annotation::Kind::Inv: {
      bool Last = NextAnn >= EndAnn || Anns[NextAnn].Offset >= Off;
      if (BeforeLoop && Last) {
        // Resolved by the loop, after a `for` declaration is in scope.
        PendingInv = &A;
        continue;
      }
      error(AL, "a loop invariant must immediately precede a loop");
      continue;
    }
    case logic::Annotation::Kind::Assert:
    case logic::Annotation::Kind::Where: // an Assert statement, see CIR.h
    case logic::Annotation::Kind::Unfold: // likewise, unfoldStatement
    case logic::Annotation::Kind::Fold:
      break;
    case logic::Annotation::Kind::Let: // lowerPredicates took them all
      continue;
    }
    auto Resolved = checkStatementAnnotation(*A.Ann);
    if (Resolved && (Resolved->K == logic::Annotation::Kind::Unfold ||
                     Resolved->K == logic::Annotation::Kind::Fold))
      Resolved = unfoldStatement(*Resolved);
    if (!Resolved)
      continue;
    logic::SourcePos P = A.Ann->Pre && A.Ann->Pre->Pos.Line ? A.Ann->Pre->Pos
                                                            : A.Ann->Pos;
    auto S = mkStmt(SK::Assert, {P.Line, P.Col});
    S->Annot = std::move(Resolved);
    Out.push_back(std::move(S));
  }
}

/// `unfold p(a)` as the assertion `p(a) && body[a]`, `fold p(a)` as
/// `body[a] && p(a)` (the kind stays, for the verifier's message): the
/// first conjunct is the obligation, the second then follows from p's
/// definition, and naming the body's instances in an annotation gives the
/// verifier their definitions too, one level deeper than an instance
/// written alone (docs/vep-c.md, "User predicates").
std::shared_ptr<const logic::Annotation>
FunctionLowering::unfoldStatement(const logic::Annotation &A) {
  // checkStatementAnnotation accepted the instance: p is defined.
  const logic::Annotation &Def = *Predicates->at(A.Pre->Name);
  logic::AssertionPtr Body = logic::unfoldPredicate(Def, A.Pre->Terms);
  bool Fold = A.K == logic::Annotation::Kind::Fold;
  auto Both = std::make_shared<logic::Assertion>();
  Both->K = logic::Assertion::Kind::And;
  Both->Pos = A.Pre->Pos;
  Both->Subs = {Fold ? Body : A.Pre, Fold ? A.Pre : Body};
  auto Out = std::make_shared<logic::Annotation>(A);
  Out->Pre = Both;
  return Out;
}

void FunctionLowering::rejectAnnotationsBefore(unsigned Off) {
  while (NextAnn < EndAnn && Anns[NextAnn].Offset < Off) {
    RawAnnotation &A = Anns[NextAnn++];
    A.Used = true;
    if (A.Ann)
      error({A.Ann->Pos.Line, A.Ann->Pos.Col},
            "not supported yet: annotation inside a statement");
  }
}

/// `Base`, or `Base#2`, `Base#3`, ... if a variable has that name already.
std::string FunctionLowering::uniqueName(const std::string &Base) const {
  auto Taken = [&](const std::string &N) {
    return std::any_of(Fn->Vars.begin(), Fn->Vars.end(),
                       [&](const cir::Variable &V) { return V.Name == N; });
  };
  std::string Name = Base;
  for (unsigned I = 2; Taken(Name); ++I)
    Name = Base + "#" + std::to_string(I);
  return Name;
}

/// A variable of the function being lowered, named by its C name made
/// unique in the function (a second `i`, in another scope, is `i#2`), and
/// inside an inlined body (a parameter or local of the inline function
/// `g`) by `g.x` made unique, so that names stay unique across scopes and
/// inlined copies: the verifier and the compiler read an annotation's
/// variables by these names. Its scope entry (what annotations say) is the
/// C name.
void FunctionLowering::declare(const clang::VarDecl *VD, bool IsParam) {
  cir::Variable V;
  V.Name = uniqueName(Inlining ? Inlining->Callee->getNameAsString() + "." +
                                     VD->getNameAsString()
                               : VD->getNameAsString());
  V.Ty = type(VD->getType(), VD->getLocation());
  V.IsParam = IsParam;
  V.L = loc(VD->getLocation());
  unsigned Id = unsigned(Fn->Vars.size());
  Fn->Vars.push_back(std::move(V));
  VarIds[VD] = Id;
  Scopes.back()[VD->getNameAsString()] = Id;
}

/// Lowers the body of the inline function `G` in place of its call `C`,
/// appending to `Out`; returns the variable holding the result (none for a
/// void function). The shape:
///
///   g.a = <argument 1>; ...            parameters: fresh locals
///   [g.returned = 0; g.result = 0;]    only if code may follow a return
///   <body>                             locals renamed g.x, annotations too
///
/// where `return e;` is `g.result = e; [g.returned = 1;] [break;]` (break
/// inside the body's loop, whose invariant then also says
/// `g.returned == 0`), and the statements after one that may return are
/// guarded by `if (g.returned < 1)`. CIR has no goto, so this is how
/// control continues after the inlined body.
std::optional<unsigned>
FunctionLowering::inlineCall(const clang::CallExpr *C,
                             const clang::FunctionDecl *G,
                             std::vector<StmtPtr> &Out) {
  cir::Loc L = loc(C->getBeginLoc());
  std::string Name = G->getNameAsString();
  unsigned Depth = 0;
  for (const InlineFrame *F = Inlining; F; F = F->Outer, ++Depth)
    if (F->Callee == G) {
      // Reported by collectFunctions (without the inlining chain).
      Errs.push_back({FileName, L.Line, L.Col,
                      "recursive call: eBPF forbids recursion"});
      throw Unsupported{};
    }
  if (Depth >= MaxInlineDepth)
    unsupported(C->getBeginLoc(),
                "inline functions inlined into each other more than " +
                    std::to_string(MaxInlineDepth) + " deep");
  if (G->isVariadic())
    unsupported(C->getBeginLoc(), "variadic function '" + Name + "'");
  if (C->getNumArgs() != G->getNumParams())
    unsupported(C->getBeginLoc(),
                "call of '" + Name + "' with " +
                    std::to_string(C->getNumArgs()) + " arguments for " +
                    std::to_string(G->getNumParams()) + " parameters");
  // The arguments, in the caller's scope (their calls are hoisted already);
  // a pointer parameter given the address of a local is no variable.
  std::vector<ExprPtr> Args;
  std::vector<std::optional<AddressAlias>> Aliases;
  for (unsigned I = 0; I < C->getNumArgs(); ++I) {
    Aliases.push_back(addressTarget(C->getArg(I), G->getParamDecl(I)));
    Args.push_back(Aliases.back() ? nullptr : rvalue(C->getArg(I)));
  }

  InlineFrame Frame;
  Frame.Callee = G;
  Frame.Outer = Inlining;
  Frame.CallLine = L.Line;
  Frame.LoopDepth = LoopDepth;
  Frame.ReturnType = resultType(G->getReturnType(), G->getLocation());
  // The callee's body sees its own scopes and annotations only.
  struct Restore {
    FunctionLowering &FL;
    std::vector<std::map<std::string, unsigned>> Scopes;
    size_t NextAnn, EndAnn;
    const InlineFrame *Inlining;
    const clang::FunctionDecl *G;
    ~Restore() {
      FL.Scopes = std::move(Scopes);
      FL.NextAnn = NextAnn;
      FL.EndAnn = EndAnn;
      FL.Inlining = Inlining;
      for (const clang::ParmVarDecl *P : G->parameters())
        FL.AddressAliases.erase(P);
    }
  } R{*this, std::move(Scopes), NextAnn, EndAnn, Inlining, G};
  Scopes.assign(1, {});
  Inlining = &Frame;

  size_t Copies = Out.size();
  for (unsigned I = 0; I < G->getNumParams(); ++I) {
    const clang::ParmVarDecl *P = G->getParamDecl(I);
    if (Aliases[I]) {
      AddressAliases.insert_or_assign(P, *Aliases[I]);
      continue;
    }
    declare(P, false);
    auto A = mkStmt(SK::Assign, L);
    A->VarId = VarIds[P];
    A->Value = mkCast(std::move(Args[I]), Fn->Vars[A->VarId].Ty, L);
    Out.push_back(std::move(A));
  }
  if (!Frame.ReturnType.isVoid())
    Frame.Result = temporary(uniqueName(Name + ".result"), Frame.ReturnType,
                             L);
  const auto *Body = llvm::cast<clang::CompoundStmt>(G->getBody());
  if (!returnsOnlyLast(Body)) {
    Frame.Returned = temporary(uniqueName(Name + ".returned"), U32, L);
    auto A = mkStmt(SK::Assign, L);
    A->VarId = *Frame.Returned;
    A->Value = mkConst(U32, 0, L);
    Out.push_back(std::move(A));
    // The paths that skip the rest of the body read the result after it,
    // so without a value here it would be live, unassigned, at the head
    // of a loop in the body, which the compiler's cut points cannot bind.
    if (Frame.Result) {
      auto R = mkStmt(SK::Assign, L);
      R->VarId = *Frame.Result;
      R->Value = mkCast(mkConst(I64, 0, L), Frame.ReturnType, L);
      Out.push_back(std::move(R));
    }
  }
  unsigned From = offset(Body->getLBracLoc()), To = offset(Body->getRBracLoc());
  NextAnn = std::lower_bound(Anns.begin(), Anns.end(), From,
                             [](const RawAnnotation &A, unsigned Off) {
                               return A.Offset < Off;
                             }) -
            Anns.begin();
  EndAnn = NextAnn;
  while (EndAnn < Anns.size() && Anns[EndAnn].Offset < To)
    ++EndAnn;
  lowerStmt(Body, Out);
  for (size_t J = NextAnn; J < EndAnn; ++J)
    Anns[J].Used = true;
  aliasParameters(Copies,
                  unsigned(std::count(Aliases.begin(), Aliases.end(),
                                      std::nullopt)),
                  Out);
  return Frame.Result;
}

/// How the inline function's pointer parameter P given A names a local:
/// A is `&X` or an array X decaying (ToFirstElement), X a local variable,
/// a field or a constant-index element of a local struct or array,
/// without side effects, of P's pointee type (an array X: of its element
/// type); or A is such a parameter of an inline function inlining this
/// one, P of the same type. Nullopt otherwise: then P is a variable
/// assigned A.
std::optional<FunctionLowering::AddressAlias>
FunctionLowering::addressTarget(const clang::Expr *A,
                                const clang::ParmVarDecl *P) {
  if (!P->getType()->isPointerType())
    return std::nullopt;
  clang::QualType Pointee = P->getType()->getPointeeType();
  auto Same = [&](clang::QualType T) {
    return Ctx.hasSameUnqualifiedType(T, Pointee);
  };
  if (const AddressAlias *Outer = aliasOf(A))
    return Same(A->IgnoreParenImpCasts()->getType()->getPointeeType())
               ? std::optional<AddressAlias>(*Outer)
               : std::nullopt;
  AddressAlias Alias;
  const clang::Expr *E = A->IgnoreParenImpCasts();
  if (const auto *U = llvm::dyn_cast<clang::UnaryOperator>(E);
      U && U->getOpcode() == clang::UO_AddrOf)
    Alias.X = U->getSubExpr()->IgnoreParens();
  else if (const clang::ConstantArrayType *AT =
               Ctx.getAsConstantArrayType(E->getType());
           AT && Same(AT->getElementType()))
    Alias = {E, true};
  if (!Alias.X || Alias.X->HasSideEffects(Ctx) ||
      !(Alias.ToFirstElement || Same(Alias.X->getType())))
    return std::nullopt;
  // X's root: a local, through `.f` and constant indices only.
  const clang::Expr *R = Alias.X;
  for (;;) {
    R = R->IgnoreParens();
    if (const auto *ME = llvm::dyn_cast<clang::MemberExpr>(R);
        ME && !ME->isArrow()) {
      R = ME->getBase();
      continue;
    }
    const auto *AS = llvm::dyn_cast<clang::ArraySubscriptExpr>(R);
    const auto *Decay = AS ? llvm::dyn_cast<clang::ImplicitCastExpr>(
                                 AS->getBase()->IgnoreParens())
                           : nullptr;
    if (!Decay || Decay->getCastKind() != clang::CK_ArrayToPointerDecay ||
        !AS->getIdx()->getIntegerConstantExpr(Ctx))
      break;
    R = Decay->getSubExpr();
  }
  const auto *DR = llvm::dyn_cast<clang::DeclRefExpr>(R);
  const auto *VD = DR ? llvm::dyn_cast<clang::VarDecl>(DR->getDecl()) : nullptr;
  if (!VD || !(LocalLeaves.count(VD) || (R == Alias.X && VarIds.count(VD))))
    return std::nullopt;
  return Alias;
}

/// Replaces the variable `From` by `To` in `S`: its expressions and its
/// annotation (by name).
void replaceVar(cir::Stmt &S, const cir::Function &F, unsigned From,
                unsigned To) {
  std::function<void(cir::Expr &)> InExpr = [&](cir::Expr &E) {
    if ((E.K == cir::Expr::Kind::Var || E.K == cir::Expr::Kind::AddrOf) &&
        E.VarId == From)
      E.VarId = To;
    for (auto &O : E.Ops)
      if (O)
        InExpr(*O);
  };
  for (auto *E : {S.Value.get(), S.Addr.get(), S.Cond.get()})
    if (E)
      InExpr(*E);
  for (auto *Sub : {S.Then.get(), S.Else.get(), S.Step.get()})
    if (Sub)
      replaceVar(*Sub, F, From, To);
  for (auto &B : S.Body)
    if (B)
      replaceVar(*B, F, From, To);
  if (S.Annot) {
    VarMap Rename = [&](const logic::Term &T) -> logic::TermPtr {
      if (T.AtPre || T.Name != F.Vars[From].Name)
        return nullptr;
      auto N = std::make_shared<logic::Term>(T);
      N->Name = F.Vars[To].Name;
      return N;
    };
    auto A = std::make_shared<logic::Annotation>(*S.Annot);
    A->Pre = mapVars(A->Pre, Rename);
    A->Variant = mapVars(A->Variant, Rename);
    for (auto &V : A->Values)
      V = mapVars(V, Rename);
    S.Annot = A;
  }
}

/// An inlined body that never assigns its parameter `g.x`, passed a
/// variable `v` of the same type, reads `v` instead (`Out[Copies + i]`,
/// i < NumCopies, are the copies `g.x = <argument>`, the body follows;
/// a parameter given a local's address has none: AddressAlias): `v` cannot change
/// while the body runs (the body names only its own variables), so this
/// is C's meaning, and a loop in the body then knows what `v` is known to
/// be there, which it would forget of a copy assigned in an enclosing
/// loop (`data`, `data_end` passed to a parser called in a loop stay
/// statically known; docs/vep-c.md, "Inline functions").
void FunctionLowering::aliasParameters(size_t Copies, unsigned NumParams,
                                       std::vector<StmtPtr> &Out) {
  std::set<unsigned> Assigned;
  for (size_t J = Copies + NumParams; J < Out.size(); ++J)
    assignedVars(*Out[J], false, Assigned);
  std::vector<bool> Aliased(NumParams, false);
  for (unsigned I = 0; I < NumParams; ++I) {
    const cir::Stmt &Copy = *Out[Copies + I];
    const cir::Variable &X = Fn->Vars[Copy.VarId];
    // The body's annotations name x by v's name, which must denote only
    // v (a hoisted call's `<helper>.result` need not).
    if (Copy.Value->K != cir::Expr::Kind::Var || Assigned.count(Copy.VarId) ||
        !uniquelyNamed(*Fn, Copy.Value->VarId))
      continue;
    const cir::Type &VT = Fn->Vars[Copy.Value->VarId].Ty;
    if (VT.K != X.Ty.K || VT.Bits != X.Ty.Bits || VT.Signed != X.Ty.Signed ||
        VT.PointeeSize != X.Ty.PointeeSize)
      continue;
    for (size_t J = Copies + NumParams; J < Out.size(); ++J)
      replaceVar(*Out[J], *Fn, Copy.VarId, Copy.Value->VarId);
    Aliased[I] = true;
  }
  for (unsigned I = NumParams; I-- > 0;)
    if (Aliased[I])
      Out.erase(Out.begin() + std::ptrdiff_t(Copies + I));
}

/// `return e;` in an inlined body (inlineCall).
void FunctionLowering::inlineReturn(const clang::ReturnStmt *RS,
                                    std::vector<StmtPtr> &Out) {
  cir::Loc L = loc(RS->getBeginLoc());
  if (const clang::Expr *V = RS->getRetValue()) {
    if (!Inlining->Result) {
      exprStmt(V, Out); // `return f();` in a void function
    } else {
      auto A = mkStmt(SK::Assign, L);
      A->VarId = *Inlining->Result;
      A->Value = valueOf(V, Inlining->ReturnType, Out);
      Out.push_back(std::move(A));
      flushCallOutputs(Out);
    }
  }
  if (Inlining->Returned) {
    auto A = mkStmt(SK::Assign, L);
    A->VarId = *Inlining->Returned;
    A->Value = mkConst(U32, 1, L);
    Out.push_back(std::move(A));
  }
  if (LoopDepth > Inlining->LoopDepth)
    Out.push_back(mkStmt(SK::Break, L));
}

/// `g.returned < 1` (unsigned) of the innermost inlined body. Not `== 0`:
/// the bytecode checker learns a fact from an unsigned `<` in both
/// branches, but nothing from a `!=`, so it could not rule out the branch
/// that skips the rest of the body on a path where the flag is known 0.
ExprPtr FunctionLowering::notReturned(cir::Loc L) const {
  return flagClear(*Inlining->Returned, L);
}

/// `flag < 1` for a U32 variable that a jump CIR lacks sets to 1.
ExprPtr FunctionLowering::flagClear(unsigned Flag, cir::Loc L) const {
  auto V = mkExpr(CK::Var, U32, L);
  V->VarId = Flag;
  auto E = mkExpr(CK::Cmp, I32, L);
  E->Op = Op::ULt;
  E->Ops.push_back(std::move(V));
  E->Ops.push_back(mkConst(U32, 1, L));
  return E;
}

/// Lowers `S` after the annotations that precede it, appending to `Out`.
void FunctionLowering::stmtInto(const clang::Stmt *S,
                                std::vector<StmtPtr> &Out) {
  // Statement attributes (`#pragma clang loop unroll(full)` and other loop
  // hints) only steer an optimiser and change no value; a loop still needs
  // its Inv, which may be written before or after the pragma.
  while (const auto *AS = llvm::dyn_cast<clang::AttributedStmt>(S))
    S = AS->getSubStmt();
  bool IsLoop = llvm::isa<clang::WhileStmt>(S) || llvm::isa<clang::ForStmt>(S) ||
                llvm::isa<clang::DoStmt>(S);
  PendingInv = nullptr;
  takeAnnotationsBefore(offset(S->getBeginLoc()), Out, IsLoop);
  unsigned End = endOffset(S->getEndLoc());
  Sequences.push_back(&Out);
  struct Pop {
    std::vector<const std::vector<StmtPtr> *> &Stack;
    ~Pop() { Stack.pop_back(); }
  } PopSequence{Sequences};
  try {
    lowerStmt(S, Out);
  } catch (Unsupported &) {
    PendingInv = nullptr;
    PendingOutputs.clear();
    PendingHeld.clear();
    EntryHeld.clear();
    // Already diagnosed; annotations inside the statement are dropped.
    while (NextAnn < EndAnn && Anns[NextAnn].Offset < End)
      Anns[NextAnn++].Used = true;
    return;
  }
  rejectAnnotationsBefore(End);
}

/// Lowers `S` as a single statement (a branch of an `if`).
StmtPtr FunctionLowering::stmtAsOne(const clang::Stmt *S) {
  std::vector<StmtPtr> Out;
  stmtInto(S, Out);
  if (Out.size() == 1)
    return std::move(Out[0]);
  auto B = mkStmt(SK::Block, loc(S->getBeginLoc()));
  B->Body = std::move(Out);
  return B;
}

/// A branch of an `if`, starting with the chunks Entry held before it when
/// it is a block or a simple statement (any other statement, a loop,
/// starts anew).
StmtPtr FunctionLowering::branch(
    const clang::Stmt *S,
    const std::map<const clang::VarDecl *, HeldChunks> &Entry) {
  bool Simple = llvm::isa<clang::Expr>(S) || llvm::isa<clang::DeclStmt>(S);
  bool Saved = ReuseHeld;
  ReuseHeld = Simple;
  Held = Simple ? Entry : decltype(Held)();
  EntryHeld = llvm::isa<clang::CompoundStmt>(S) ? Entry : decltype(Held)();
  StmtPtr B = stmtAsOne(S);
  ReuseHeld = Saved;
  Held.clear();
  EntryHeld.clear();
  return B;
}

/// Lowers the statements of a block in order into `Body`; returns the list
/// statements after them belong in (inside the guards below).
std::vector<StmtPtr> *
FunctionLowering::lowerSequence(llvm::ArrayRef<const clang::Stmt *> Stmts,
                                std::vector<StmtPtr> &Body) {
  std::vector<StmtPtr> *Into = &Body;
  bool Reuse = ReuseHeld;
  Held = std::move(EntryHeld); // a branch's block: branch
  EntryHeld.clear();
  for (const clang::Stmt *Child : Stmts) {
    // Held is not consulted inside a statement that is not simple (a
    // block within it starts anew), and forgotten after it.
    bool Simple =
        llvm::isa<clang::Expr>(Child) || llvm::isa<clang::DeclStmt>(Child);
    ReuseHeld = Simple;
    size_t From = Into->size();
    stmtInto(Child, *Into);
    ReuseHeld = Reuse;
    if (Simple)
      forgetOverwrittenChunks(*Into, From);
    else
      Held.clear();
    // In an inlined body without a flag, the rest of the block after a
    // guard clause is its `else` (isGuardClause).
    if (Inlining && !Inlining->Returned && Child != Stmts.back() &&
        isGuardClause(Child) && Into->size() > From &&
        Into->back()->K == SK::If && !Into->back()->Else) {
      Into->back()->Else = mkStmt(SK::Block, loc(Child->getEndLoc()));
      Into = &Into->back()->Else->Body;
      continue;
    }
    // After a statement that may break out of the switch being lowered,
    // the rest of its case runs only if it did not.
    if (SwitchBroke && LoopDepth == SwitchLoopDepth && Child != Stmts.back() &&
        innerSwitchJump(Child, SwitchTailBreaks)) {
      auto Guard = mkStmt(SK::If, loc(Child->getEndLoc()));
      Guard->Cond = flagClear(*SwitchBroke, Guard->L);
      Guard->Then = mkStmt(SK::Block, Guard->L);
      Into->push_back(std::move(Guard));
      Into = &Into->back()->Then->Body;
    }
    // In an inlined body, what follows a statement that may return runs
    // only if it did not (inside the body's loop, `return` also breaks
    // out of it, so nothing follows there). In a loop of the body, a
    // loop inside Child whose `return` broke out of that inner loop only
    // must break out of this one too: `if (g.returned < 1) { rest }
    // else break;`.
    if (!Inlining || !Inlining->Returned || !containsReturn(Child))
      continue;
    bool InBodyLoop = LoopDepth > Inlining->LoopDepth;
    if (InBodyLoop ? !containsReturnInLoop(Child) : Child == Stmts.back())
      continue;
    auto Guard = mkStmt(SK::If, loc(Child->getEndLoc()));
    Guard->Cond = notReturned(Guard->L);
    Guard->Then = mkStmt(SK::Block, Guard->L);
    if (InBodyLoop)
      Guard->Else = mkStmt(SK::Break, Guard->L);
    Into->push_back(std::move(Guard));
    Into = &Into->back()->Then->Body;
  }
  Held.clear();
  return Into;
}

/// `switch (e) { case A: case B: ... break; ... default: ... }` as
///
///   switch.value = e;   (unless e is a variable or a constant)
///   if (switch.value == A || switch.value == B) { ... }
///   else if ... else { default's statements }
///
/// CIR has no jumps, so every case must end without falling through into
/// the next one (in `break`, `return`, `continue`, or an `if` whose
/// branches all do), which is the shape of nearly every switch in eBPF
/// programs; a fall-through and a label inside a statement of a case are
/// rejected. A `break` that is the last thing its case does is lowered as
/// nothing; any other sets `switch.broke`, and the rest of the case runs
/// only while it is 0 (as an inlined body's `return` does,
/// InlineFrame::Returned). The values of distinct cases differ, so testing
/// them in turn is the switch's choice.
void FunctionLowering::lowerSwitch(const clang::SwitchStmt *SS,
                                   std::vector<StmtPtr> &Out) {
  if (SS->getInit() || SS->getConditionVariable())
    unsupported(SS->getBeginLoc(), "declaration in a switch condition");
  const clang::Expr *CondE = SS->getCond();
  hoistCalls(CondE, Out);
  ExprPtr Value = simpleArgument(rvalue(CondE), uniqueName("switch.value"),
                                 Out);
  cir::Type Ty = Value->Ty;

  // The cases: each a list of labels, then the statements up to the next.
  struct Case {
    std::vector<const clang::CaseStmt *> Labels;
    const clang::DefaultStmt *Default = nullptr;
    clang::SourceLocation Begin;
    llvm::SmallVector<const clang::Stmt *, 8> Stmts;
  };
  std::vector<Case> Cases;
  const clang::Stmt *Body = SS->getBody();
  llvm::SmallVector<const clang::Stmt *, 16> Children;
  if (const auto *CS = llvm::dyn_cast<clang::CompoundStmt>(Body))
    Children.append(CS->body_begin(), CS->body_end());
  else
    Children.push_back(Body);
  for (const clang::Stmt *Child : Children) {
    if (!llvm::isa<clang::SwitchCase>(Child) && Cases.empty()) {
      if (llvm::isa<clang::NullStmt>(Child))
        continue;
      unsupported(Child->getBeginLoc(),
                  "a statement before the first case of a switch");
    }
    while (const auto *SC = llvm::dyn_cast<clang::SwitchCase>(Child)) {
      if (Cases.empty() || !Cases.back().Stmts.empty()) {
        Cases.emplace_back();
        Cases.back().Begin = SC->getBeginLoc();
      }
      if (const auto *C = llvm::dyn_cast<clang::CaseStmt>(SC))
        Cases.back().Labels.push_back(C);
      else
        Cases.back().Default = llvm::cast<clang::DefaultStmt>(SC);
      Child = SC->getSubStmt();
    }
    Cases.back().Stmts.push_back(Child);
  }

  // A case that may end without break or return falls into the next one
  // (mayFallThrough also records the breaks ending a case, for all cases).
  std::vector<bool> FallsThrough(Cases.size());
  for (size_t I = 0; I < Cases.size(); ++I)
    FallsThrough[I] =
        (Cases[I].Stmts.empty() ||
         mayFallThrough(Cases[I].Stmts.back(), SwitchTailBreaks)) &&
        I + 1 < Cases.size();
  bool InnerBreaks = false;
  for (const Case &C : Cases)
    for (const clang::Stmt *St : C.Stmts)
      if (const clang::Stmt *J = innerSwitchJump(St, SwitchTailBreaks)) {
        if (!llvm::isa<clang::BreakStmt>(J))
          unsupported(J->getBeginLoc(),
                      "a case label inside a statement of a switch");
        InnerBreaks = true;
      }
  struct RestoreBroke {
    FunctionLowering &FL;
    std::optional<unsigned> Flag;
    unsigned Depth;
    ~RestoreBroke() {
      FL.SwitchBroke = Flag;
      FL.SwitchLoopDepth = Depth;
    }
  } R{*this, SwitchBroke, SwitchLoopDepth};
  SwitchBroke.reset();
  if (InnerBreaks) {
    cir::Loc L = loc(SS->getBeginLoc());
    SwitchBroke = temporary(uniqueName("switch.broke"), U32, L);
    SwitchLoopDepth = LoopDepth;
    auto A = mkStmt(SK::Assign, L);
    A->VarId = *SwitchBroke;
    A->Value = mkConst(U32, 0, L);
    Out.push_back(std::move(A));
  }

  // The chain of ifs, built from the last case up; the default is the
  // final else wherever it is written.
  Scopes.emplace_back(); // the switch body is one scope, as in C
  auto Lower = [&](const Case &C, size_t I) {
    auto B = mkStmt(SK::Block, loc(C.Begin));
    std::vector<StmtPtr> *Into = lowerSequence(C.Stmts, B->Body);
    clang::SourceLocation End =
        I + 1 < Cases.size() ? Cases[I + 1].Begin : SS->getEndLoc();
    takeAnnotationsBefore(offset(End), *Into);
    return B;
  };
  // Lowered in source order (annotations are taken in order).
  std::vector<StmtPtr> Blocks;
  for (size_t I = 0; I < Cases.size(); ++I)
    Blocks.push_back(Lower(Cases[I], I));
  Scopes.pop_back();
  // Falling through: a copy of the next case's statements (with its own
  // fall-through, so from the last case up) ends the case, run only if no
  // `break` inside it was taken.
  for (size_t I = Cases.size(); I-- > 0;) {
    if (!FallsThrough[I])
      continue;
    StmtPtr Next = cir::cloneStmt(*Blocks[I + 1]);
    if (SwitchBroke) {
      auto Guard = mkStmt(SK::If, Next->L);
      Guard->Cond = flagClear(*SwitchBroke, Next->L);
      Guard->Then = std::move(Next);
      Next = std::move(Guard);
    }
    Blocks[I]->Body.push_back(std::move(Next));
  }
  StmtPtr Chain;
  for (size_t I = 0; I < Cases.size(); ++I)
    if (Cases[I].Default)
      Chain = std::move(Blocks[I]);
  for (size_t I = Cases.size(); I-- > 0;) {
    const Case &C = Cases[I];
    if (C.Default)
      continue;
    ExprPtr Test;
    for (const clang::CaseStmt *Label : C.Labels) {
      cir::Loc LL = loc(Label->getBeginLoc());
      auto Compare = [&](Op O, const clang::Expr *Bound) {
        auto E = mkExpr(CK::Cmp, I32, LL);
        E->Op = O;
        E->Ops.push_back(cloneExpr(*Value));
        E->Ops.push_back(mkCast(rvalue(Bound), Ty, LL));
        return E;
      };
      ExprPtr One;
      if (const clang::Expr *Hi = Label->getRHS()) { // GNU `case lo ... hi:`
        One = mkExpr(CK::LAnd, I32, LL);
        One->Ops.push_back(
            Compare(Ty.Signed ? Op::SGe : Op::UGe, Label->getLHS()));
        One->Ops.push_back(Compare(Ty.Signed ? Op::SLe : Op::ULe, Hi));
      } else {
        One = Compare(Op::Eq, Label->getLHS());
      }
      if (!Test) {
        Test = std::move(One);
        continue;
      }
      auto Or = mkExpr(CK::LOr, I32, LL);
      Or->Ops.push_back(std::move(Test));
      Or->Ops.push_back(std::move(One));
      Test = std::move(Or);
    }
    auto If = mkStmt(SK::If, loc(C.Begin));
    If->Cond = std::move(Test);
    If->Then = std::move(Blocks[I]);
    If->Else = std::move(Chain);
    Chain = std::move(If);
  }
  if (Chain)
    Out.push_back(std::move(Chain));
}

void FunctionLowering::lowerStmt(const clang::Stmt *S,
                                 std::vector<StmtPtr> &Out) {
  cir::Loc L = loc(S->getBeginLoc());
  if (const auto *CS = llvm::dyn_cast<clang::CompoundStmt>(S)) {
    auto B = mkStmt(SK::Block, L);
    Scopes.emplace_back();
    std::vector<StmtPtr> *Into = lowerSequence(
        {CS->body_begin(), CS->body_end()}, B->Body);
    takeAnnotationsBefore(offset(CS->getRBracLoc()), *Into);
    Scopes.pop_back();
    Out.push_back(std::move(B));
    return;
  }
  if (const auto *DS = llvm::dyn_cast<clang::DeclStmt>(S)) {
    for (const clang::Decl *D : DS->decls()) {
      const auto *VD = llvm::dyn_cast<clang::VarDecl>(D);
      if (!VD) {
        if (llvm::isa<clang::RecordDecl>(D) || llvm::isa<clang::TypedefDecl>(D) ||
            llvm::isa<clang::EnumDecl>(D))
          continue;
        unsupported(D->getLocation(), "this declaration");
      }
      if (VD->isStaticLocal() && Globals.count(VD->getCanonicalDecl()))
        continue; // in its section from the start (lowerModule)
      if (!VD->hasLocalStorage())
        unsupported(VD->getLocation(),
                    "static local variable '" + VD->getNameAsString() + "'");
      clang::QualType QT = VD->getType();
      if (isLocalAggregateType(QT) && !QT.isVolatileQualified()) {
        std::string Path = Inlining ? Inlining->Callee->getNameAsString() +
                                          "." + VD->getNameAsString()
                                    : VD->getNameAsString();
        try {
          declareLeaves(VD, QT, 0, Path, VD->getNameAsString());
          declarePadding(VD, Path);
        } catch (const Unsupported &) {
          LocalLeaves.erase(VD); // its uses are errors of their own
          throw;
        }
        if (const clang::Expr *Init = VD->getInit())
          initLocal({VD, 0, QT, Path}, Init, Out, loc(VD->getLocation()));
        continue;
      }
      if (!QT->isIntegerType() && !QT->isPointerType() &&
          !QT->isEnumeralType())
        unsupported(VD->getLocation(), "local variable of type '" +
                                           QT.getAsString() + "'");
      if (QT.isVolatileQualified())
        unsupported(VD->getLocation(), "volatile variable");
      declare(VD, false);
      if (const clang::Expr *Init = VD->getInit()) {
        auto A = mkStmt(SK::Assign, loc(VD->getLocation()));
        A->VarId = VarIds[VD];
        A->Value = valueOf(Init, Fn->Vars[A->VarId].Ty, Out);
        Out.push_back(std::move(A));
        flushCallOutputs(Out);
      }
    }
    return;
  }
  if (const auto *IS = llvm::dyn_cast<clang::IfStmt>(S)) {
    if (IS->getInit() || IS->getConditionVariable())
      unsupported(S->getBeginLoc(), "declaration in an if condition");
    auto I = mkStmt(SK::If, L);
    size_t From = Out.size();
    hoistCalls(IS->getCond(), Out);
    I->Cond = rvalue(IS->getCond());
    rejectAnnotationsBefore(endOffset(IS->getCond()->getEndLoc()));
    forgetOverwrittenChunks(Out, From);
    auto Entry = Held;
    EnteredIfs.push_back({{I.get(), PriorStmt::Way::IntoThen}, Sequences.size()});
    I->Then = branch(IS->getThen(), Entry);
    EnteredIfs.back().If.W = PriorStmt::Way::IntoElse;
    if (IS->getElse())
      I->Else = branch(IS->getElse(), Entry);
    EnteredIfs.pop_back();
    Out.push_back(std::move(I));
    return;
  }
  if (const auto *RS = llvm::dyn_cast<clang::ReturnStmt>(S)) {
    if (Inlining) {
      inlineReturn(RS, Out);
      return;
    }
    auto R = mkStmt(SK::Return, L);
    if (const clang::Expr *V = RS->getRetValue()) {
      hoistCalls(V, Out);
      R->Value = mkCast(rvalue(V), Fn->ReturnType, loc(V->getBeginLoc()));
    }
    Out.push_back(std::move(R));
    return;
  }
  if (llvm::isa<clang::NullStmt>(S))
    return;
  if (const auto *E = llvm::dyn_cast<clang::Expr>(S)) {
    exprStmt(E, Out);
    return;
  }
  if (llvm::isa<clang::ForStmt>(S) || llvm::isa<clang::WhileStmt>(S) ||
      llvm::isa<clang::DoStmt>(S)) {
    lowerLoop(S, Out);
    return;
  }
  if (SwitchTailBreaks.count(S))
    return; // leaves the switch where the end of its case does
  if (llvm::isa<clang::BreakStmt>(S) && SwitchBroke &&
      LoopDepth == SwitchLoopDepth) {
    auto A = mkStmt(SK::Assign, L); // a break of the switch inside a case
    A->VarId = *SwitchBroke;
    A->Value = mkConst(U32, 1, L);
    Out.push_back(std::move(A));
    return;
  }
  if (llvm::isa<clang::BreakStmt>(S) || llvm::isa<clang::ContinueStmt>(S)) {
    // Clang accepts them only inside a loop or a switch, and lowerSwitch
    // rejects the breaks of a switch it does not drop, so they belong to
    // the innermost loop.
    if (LoopDepth == 0)
      unsupported(S->getBeginLoc(), llvm::isa<clang::BreakStmt>(S)
                                        ? "'break' outside a loop"
                                        : "'continue' outside a loop");
    Out.push_back(mkStmt(
        llvm::isa<clang::BreakStmt>(S) ? SK::Break : SK::Continue, L));
    return;
  }
  if (const auto *SS = llvm::dyn_cast<clang::SwitchStmt>(S)) {
    lowerSwitch(SS, Out);
    return;
  }
  if (llvm::isa<clang::GotoStmt>(S) || llvm::isa<clang::IndirectGotoStmt>(S))
    unsupported(S->getBeginLoc(), "'goto'");
  if (llvm::isa<clang::LabelStmt>(S))
    unsupported(S->getBeginLoc(), "labels");
  if (llvm::isa<clang::AsmStmt>(S))
    unsupported(S->getBeginLoc(), "inline assembly");
  unsupported(S->getBeginLoc(),
              std::string("statement '") + S->getStmtClassName() + "'");
}

namespace {


// Annotation trees the front end writes itself, all at one position.
logic::TermPtr intTerm(__int128 V, logic::SourcePos Pos) {
  auto T = std::make_shared<logic::Term>();
  T->K = logic::Term::Kind::IntLit;
  T->Value = V;
  T->Pos = Pos;
  return T;
}

logic::TermPtr varTerm(const std::string &Name, logic::SourcePos Pos) {
  auto T = std::make_shared<logic::Term>();
  T->K = logic::Term::Kind::Var;
  T->Name = Name;
  T->Pos = Pos;
  return T;
}

logic::TermPtr binTerm(const char *Op, logic::TermPtr A, logic::TermPtr B) {
  auto T = std::make_shared<logic::Term>();
  T->K = logic::Term::Kind::Binary;
  T->Op = Op;
  T->Pos = A->Pos;
  T->Args = {std::move(A), std::move(B)};
  return T;
}

logic::AssertionPtr cmpAssertion(const char *Op, logic::TermPtr A,
                                 logic::TermPtr B) {
  auto C = std::make_shared<logic::Assertion>();
  C->K = logic::Assertion::Kind::Cmp;
  C->Op = Op;
  C->Pos = A->Pos;
  C->Terms = {std::move(A), std::move(B)};
  return C;
}

logic::AssertionPtr andAssertion(logic::AssertionPtr A, logic::AssertionPtr B) {
  auto C = std::make_shared<logic::Assertion>();
  C->K = logic::Assertion::Kind::And;
  C->Pos = A->Pos;
  C->Subs = {std::move(A), std::move(B)};
  return C;
}

/// Adds the variables E reads to Vars.
void readVars(const cir::Expr &E, std::set<unsigned> &Vars) {
  if (E.K == CK::Var)
    Vars.insert(E.VarId);
  for (const ExprPtr &O : E.Ops)
    if (O)
      readVars(*O, Vars);
}

/// Adds the variables S reads (its expressions', its statements') to Vars.
void readVars(const cir::Stmt &S, std::set<unsigned> &Vars) {
  for (const cir::Expr *E : {S.Addr.get(), S.Value.get(), S.Cond.get()})
    if (E)
      readVars(*E, Vars);
  for (const cir::Stmt *Sub : {S.Then.get(), S.Else.get(), S.Step.get()})
    if (Sub)
      readVars(*Sub, Vars);
  for (const StmtPtr &B : S.Body)
    readVars(*B, Vars);
}

/// Adds the variables the addresses of S's loads and stores read to Vars.
void addressVars(const cir::Expr &E, std::set<unsigned> &Vars) {
  if (E.K == CK::Load)
    readVars(*E.Ops[0], Vars);
  for (const ExprPtr &O : E.Ops)
    if (O)
      addressVars(*O, Vars);
}
void addressVars(const cir::Stmt &S, std::set<unsigned> &Vars) {
  if (S.K == SK::Store && S.Addr)
    readVars(*S.Addr, Vars);
  for (const cir::Expr *E : {S.Addr.get(), S.Value.get(), S.Cond.get()})
    if (E)
      addressVars(*E, Vars);
  for (const cir::Stmt *Sub : {S.Then.get(), S.Else.get(), S.Step.get()})
    if (Sub)
      addressVars(*Sub, Vars);
  for (const StmtPtr &B : S.Body)
    addressVars(*B, Vars);
}

/// Whether S never completes normally: a `return`, `break` or `continue`,
/// or a block ending with one.
bool leaves(const cir::Stmt &S) {
  if (S.K == SK::Return || S.K == SK::Break || S.K == SK::Continue)
    return true;
  return S.K == SK::Block && !S.Body.empty() && leaves(*S.Body.back());
}

/// E without pointer conversions and constant byte offsets, which are
/// added to Off.
const cir::Expr &offsetBase(const cir::Expr &E, int64_t &Off) {
  const cir::Expr *X = &E;
  for (;;) {
    if (X->K == CK::Cast && X->Ty.isPtr() && X->Ops[0]->Ty.isPtr()) {
      X = X->Ops[0].get();
    } else if (X->K == CK::Binary && X->Op == Op::PtrAdd &&
               X->Ops[1]->K == CK::Const) {
      Off += int64_t(X->Ops[1]->Value);
      X = X->Ops[0].get();
    } else {
      return *X;
    }
  }
}

/// The greatest value of E, a byte offset the front end made for a pointer
/// step (scaledOffset), when E is a nonnegative constant, an unsigned
/// variable or load of at most 16 bits, or one such widened (which keeps
/// its value) or converted between signednesses below the sign bit, or
/// times or masked by a nonnegative constant. Nullopt for anything else,
/// or past 2^16.
std::optional<uint64_t> stepBound(const cir::Expr &E) {
  constexpr uint64_t Limit = 0xffff;
  auto SignBit = [](const cir::Type &T) { return uint64_t(1) << (T.Bits - 1); };
  std::optional<uint64_t> B;
  if (E.Ty.isPtr())
    return std::nullopt;
  if (E.K == CK::Const) {
    if (!E.Ty.Signed || E.Value < SignBit(E.Ty))
      B = E.Value;
  } else if ((E.K == CK::Var || E.K == CK::Load) && !E.Ty.Signed &&
             E.Ty.Bits <= 16) {
    B = (uint64_t(1) << E.Ty.Bits) - 1;
  } else if (E.K == CK::Cast && !E.Ops[0]->Ty.isPtr() &&
             E.Ty.Bits >= E.Ops[0]->Ty.Bits) {
    B = stepBound(*E.Ops[0]);
    if (B && E.Ty.Bits == E.Ops[0]->Ty.Bits && *B >= SignBit(E.Ty))
      B.reset();
  } else if (E.K == CK::Binary && (E.Op == Op::Mul || E.Op == Op::And) &&
             E.Ops[1]->K == CK::Const) {
    std::optional<uint64_t> A = stepBound(*E.Ops[0]),
                            C = stepBound(*E.Ops[1]);
    if (E.Op == Op::And && C)
      B = A ? std::min(*A, *C) : *C;
    else if (A && C && *A * *C < SignBit(E.Ty)) // both at most 2^16
      B = *A * *C;
  }
  if (B && *B > Limit)
    return std::nullopt;
  return B;
}


/// The last statement of Before[0, End) that assigns V, if it is an
/// assignment of V (not a statement holding one).
const cir::Stmt *lastAssignment(unsigned V, const std::vector<PriorStmt> &Before,
                                size_t &End) {
  while (End > 0) {
    const PriorStmt &P = Before[--End];
    if (assignmentsTo(P, V))
      return P.S->K == SK::Assign ? P.S : nullptr;
  }
  return nullptr;
}

/// A C value as an annotation term, exactly, and its variable: an integer
/// as factTerm makes it; a pointer variable (whose name denotes only it)
/// through pointer conversions plus constant byte offsets, `(void *)p +
/// k`. Nullopt for anything else.
struct KeptTerm {
  logic::TermPtr T;
  std::optional<unsigned> Var; // the variable, if not a constant
  bool Ptr = false;
};
std::optional<KeptTerm> keptTerm(const cir::Expr &E, const cir::Function &Fn,
                                 logic::SourcePos Pos) {
  if (!E.Ty.isPtr()) {
    logic::TermPtr T = factTerm(Fn, E);
    if (!T)
      return std::nullopt;
    const cir::Expr &X = cir::stripCasts(E);
    return KeptTerm{T, X.K == CK::Var ? std::optional(X.VarId) : std::nullopt,
                    false};
  }
  int64_t Off = 0;
  const cir::Expr *X = &offsetBase(E, Off);
  if (X->K != CK::Var || !uniquelyNamed(Fn, X->VarId))
    return std::nullopt;
  logic::TermPtr T = varTerm(Fn.Vars[X->VarId].Name, Pos);
  if (Fn.Vars[X->VarId].Ty.PointeeSize != 1) {
    auto C = std::make_shared<logic::Term>();
    C->K = logic::Term::Kind::Cast;
    C->Name = "void *";
    C->Args = {T};
    C->Pos = Pos;
    T = C;
  }
  if (Off)
    T = binTerm("+", T, intTerm(Off, Pos));
  return KeptTerm{T, X->VarId, true};
}

} // namespace

/// `while`, `for` and `do ... while`: the `for` initialisation becomes
/// statements before the Loop, in a scope of its own; the invariant written
/// before the loop (stmtInto left it in PendingInv) is resolved once that
/// scope holds the `for` declarations.
void FunctionLowering::lowerLoop(const clang::Stmt *S,
                                 std::vector<StmtPtr> &Out) {
  cir::Loc L = loc(S->getBeginLoc());
  RawAnnotation *Inv = PendingInv;
  PendingInv = nullptr;
  struct Restore {
    FunctionLowering &FL;
    ~Restore() {
      --FL.LoopDepth;
      FL.Scopes.pop_back();
      FL.Sequences.pop_back();
    }
  } R{*this};
  Scopes.emplace_back();
  ++LoopDepth;
  Sequences.push_back(nullptr); // the body's lists (the init goes to Out)

  auto Loop = mkStmt(SK::Loop, L);
  const clang::Stmt *Body = nullptr;
  clang::SourceLocation HeaderEnd; // the `)` closing the loop header
  if (const auto *FS = llvm::dyn_cast<clang::ForStmt>(S)) {
    if (FS->getConditionVariable())
      unsupported(FS->getConditionVariable()->getLocation(),
                  "declaration in a loop condition");
    if (const clang::Stmt *Init = FS->getInit())
      lowerStmt(Init, Out);
    if (const clang::Expr *Cond = FS->getCond())
      Loop->Cond = loopCondition(Cond);
    if (const clang::Expr *Inc = FS->getInc()) {
      std::vector<StmtPtr> Step;
      exprStmt(Inc, Step);
      if (Step.size() == 1) {
        Loop->Step = std::move(Step[0]);
      } else {
        Loop->Step = mkStmt(SK::Block, loc(Inc->getBeginLoc()));
        Loop->Step->Body = std::move(Step);
      }
    }
    Body = FS->getBody();
    HeaderEnd = FS->getRParenLoc();
  } else if (const auto *WS = llvm::dyn_cast<clang::WhileStmt>(S)) {
    if (WS->getConditionVariable())
      unsupported(WS->getConditionVariable()->getLocation(),
                  "declaration in a loop condition");
    Loop->Cond = loopCondition(WS->getCond());
    Body = WS->getBody();
    HeaderEnd = WS->getRParenLoc();
  } else {
    const auto *DS = llvm::cast<clang::DoStmt>(S);
    Loop->TestFirst = false;
    Loop->Then = stmtAsOne(DS->getBody());
    Loop->Cond = loopCondition(DS->getCond());
  }
  if (Inv && Inv->Ann)
    Loop->Annot = checkStatementAnnotation(*Inv->Ann); // null: diagnosed
  if (Body) {
    rejectAnnotationsBefore(endOffset(HeaderEnd));
    Loop->Then = stmtAsOne(Body);
  }
  if (!Inv && (Loop->Annot = inferInvariant(*Loop, Out)))
    Loop->InvInferred = true;
  if (Loop->Annot && Inlining && Inlining->Returned && containsReturn(S)) {
    // A `return` in this loop of an inlined body sets g.returned and
    // breaks out: at the head it is still 0, which the loop analyses must
    // be told (it is assigned in the loop, so the head forgets it).
    logic::SourcePos Pos = Loop->Annot->Pre->Pos;
    auto Both = andAssertion(
        Loop->Annot->Pre,
        cmpAssertion("==", varTerm(Fn->Vars[*Inlining->Returned].Name, Pos),
                     intTerm(0, Pos)));
    auto Annot = std::make_shared<logic::Annotation>(*Loop->Annot);
    Annot->Pre = Both;
    Loop->Annot = Annot;
  }
  Out.push_back(std::move(Loop));
}

/// The statements that run before the loop being lowered, which goes into
/// Before: those of the lists it is nested in (Sequences), outermost
/// first, up to the body of the loop around it, and then Before's. Each
/// list's statements so far run before the statement nested in it; a
/// statement already holding the list nested in it (a guard clause's `if`
/// whose `else` the rest of an inlined block goes into) is that statement,
/// so it is left out.
FunctionLowering::PriorStmts
FunctionLowering::priorStatements(const std::vector<StmtPtr> &Before) const {
  // Sequences ends with the loop's own null entry (lowerLoop).
  size_t From = Sequences.size() - 1;
  while (From > 0 && Sequences[From - 1])
    --From;
  std::vector<const std::vector<StmtPtr> *> Lists(Sequences.begin() + From,
                                                   Sequences.end() - 1);
  if (Lists.empty() || Lists.back() != &Before)
    Lists.push_back(&Before);
  std::function<bool(const cir::Stmt &, const std::vector<StmtPtr> *)> Holds =
      [&](const cir::Stmt &S, const std::vector<StmtPtr> *L) {
        if (&S.Body == L)
          return true;
        for (const cir::Stmt *Sub : {S.Then.get(), S.Else.get(), S.Step.get()})
          if (Sub && Holds(*Sub, L))
            return true;
        return std::any_of(S.Body.begin(), S.Body.end(),
                           [&](const StmtPtr &B) { return Holds(*B, L); });
      };
  PriorStmts Out;
  for (size_t K = 0; K < Lists.size(); ++K) {
    for (const EnteredIf &E : EnteredIfs) // entered from the list before
      if (K > 0 && E.Depth == From + K)
        Out.push_back(E.If);
    for (const StmtPtr &S : *Lists[K]) {
      if (K + 1 == Lists.size() || !Holds(*S, Lists[K + 1])) {
        Out.push_back({S.get()});
        continue;
      }
      // An `if` holding the rest of the path in a branch: its condition
      // holds there (or fails); any other holder says nothing.
      if (S->K == SK::If && S->Then && Holds(*S->Then, Lists[K + 1]))
        Out.push_back({S.get(), PriorStmt::Way::IntoThen});
      else if (S->K == SK::If && S->Else && Holds(*S->Else, Lists[K + 1]))
        Out.push_back({S.get(), PriorStmt::Way::IntoElse});
    }
  }
  return Out;
}

/// The value V holds after the statements Before as a byte pointer b plus a
/// constant: V's last assignment there is `V = u + c` (pointer conversions
/// aside), and u is b or, through its own last assignment before that, is
/// itself such a value; nothing after an assignment assigns its base.
/// Nullopt if it is not found in 4 steps.
std::optional<std::pair<unsigned, int64_t>>
FunctionLowering::entryAddress(unsigned V, const PriorStmts &Before) {
  size_t End = Before.size();
  int64_t Off = 0;
  for (int Step = 0; Step < 4; ++Step) {
    const cir::Stmt *Def = lastAssignment(V, Before, End);
    if (!Def)
      return std::nullopt;
    const cir::Expr &E = offsetBase(*Def->Value, Off);
    if (E.K != CK::Var || !Fn->Vars[E.VarId].Ty.isPtr() ||
        std::any_of(Before.begin() + End, Before.end(),
                    [&](const PriorStmt &X) { return assignmentsTo(X, E.VarId); }))
      return std::nullopt;
    V = E.VarId;
    if (Fn->Vars[V].Ty.PointeeSize == 1)
      return std::pair{V, Off};
  }
  return std::nullopt;
}

/// Where V points after the statements Before when it points into the
/// packet: the value of its last assignment there (a statement of its
/// own), through copies, pointer conversions and offsets, is the entry's
/// load of the context's data or data_end field (Field, as
/// cir::packetFieldLoaded) plus Off bytes (nullopt: an offset on the way
/// is not a constant). Nullopt if not found so.
std::optional<FunctionLowering::PacketAddress>
FunctionLowering::packetAddress(unsigned V, const PriorStmts &Before) {
  if (std::any_of(Before.begin(), Before.end(),
                  [](const PriorStmt &X) { return assignmentsTo(X, 0); }))
    return std::nullopt;
  size_t End = Before.size();
  std::optional<int64_t> Off = 0;
  for (int Step = 0; Step < 8; ++Step) {
    const cir::Stmt *Def = lastAssignment(V, Before, End);
    if (!Def)
      return std::nullopt;
    int64_t C = 0;
    const cir::Expr *E = &cir::stripCasts(offsetBase(*Def->Value, C));
    if (E->K == CK::Binary && E->Op == Op::PtrAdd) { // a variable offset
      E = &cir::stripCasts(offsetBase(*E->Ops[0], C));
      Off.reset();
    }
    if (Off)
      *Off += C;
    if (E->K == CK::Load && cir::isPacketFieldLoad(*E, *Fn))
      return PacketAddress{cir::packetFieldLoaded(*E, *Fn), Off};
    if (E->K != CK::Var || !Fn->Vars[E->VarId].Ty.isPtr())
      return std::nullopt;
    V = E->VarId;
  }
  return std::nullopt;
}

/// The facts the statements Before a loop (priorStatements) establish
/// about variables the loop reads and leaves as they are (docs/vep-c.md,
/// "Inferred invariants"): for a guard `if (c) return ...;` (or `break`,
/// `continue`), the negation of each comparison c is made of (`a || b`:
/// of each); for an `if (c)` the loop is inside, each comparison of c
/// (`a && b`: of each; in its `else`, negated as for a guard); for a
/// pointer copied `q = p + k`, `q == p + k`. Each is kept if it is an
/// exact annotation (comparisons of unsigned variables read at their
/// values, and of packet pointers plus constants), its variables assigned
/// neither after it Before nor in the loop, and it is linked to the loop
/// through the variables it shares with the loop or with facts kept.
std::vector<logic::AssertionPtr>
FunctionLowering::keptFacts(const cir::Stmt &Loop,
                            const PriorStmts &Before,
                            logic::SourcePos Pos) {
  struct Fact {
    logic::AssertionPtr A;
    std::set<unsigned> Vars;
  };
  std::vector<Fact> Facts;
  auto Unchanged = [&](const std::set<unsigned> &Vars, size_t From) {
    for (unsigned V : Vars) {
      if (assignmentsTo(Loop, V))
        return false;
      for (size_t K = From; K < Before.size(); ++K)
        if (assignmentsTo(Before[K], V))
          return false;
      // Signed variables are left out: the compiler binds one only with a
      // lower bound c >= 0 among an invariant's conjuncts, and the checker
      // may not learn a guard's bound on one where its sign is unknown
      // (`k >= 8 || k < 0`).
      const cir::Type &T = Fn->Vars[V].Ty;
      if (T.isPtr() ? !packetAddress(V, Before) : T.Signed)
        return false;
    }
    return true;
  };
  // The comparison C, or its negation (Holds false), as a fact.
  auto Compared = [&](const cir::Expr &C, bool Holds, size_t After) {
    // Each compare: as written, negated; its operands' signedness.
    static const std::map<Op, std::tuple<const char *, const char *, bool>>
        Relations = {
            {Op::Eq, {"==", "!=", false}}, {Op::Ne, {"!=", "==", false}},
            {Op::ULt, {"<", ">=", false}}, {Op::ULe, {"<=", ">", false}},
            {Op::UGt, {">", "<=", false}}, {Op::UGe, {">=", "<", false}},
            {Op::SLt, {"<", ">=", true}},  {Op::SLe, {"<=", ">", true}},
            {Op::SGt, {">", "<=", true}},  {Op::SGe, {">=", "<", true}}};
    auto It = Relations.find(C.Op);
    if (C.K != CK::Cmp || It == Relations.end())
      return;
    const char *Rel = Holds ? std::get<0>(It->second) : std::get<1>(It->second);
    if (std::string(Rel) == "!=")
      return;
    std::optional<KeptTerm> A = keptTerm(*C.Ops[0], *Fn, Pos),
                            B = keptTerm(*C.Ops[1], *Fn, Pos);
    bool Signed = std::get<2>(It->second);
    if (!A || !B || A->Ptr != B->Ptr || (!A->Var && !B->Var) ||
        (!A->Ptr && C.Ops[0]->Ty.Signed != Signed))
      return;
    Fact F{cmpAssertion(Rel, A->T, B->T), {}};
    for (const auto &X : {A->Var, B->Var})
      if (X)
        F.Vars.insert(*X);
    if (Unchanged(F.Vars, After))
      Facts.push_back(std::move(F));
  };
  // Each comparison C is made of that holds (or fails, !Holds): of `a &&
  // b` that holds, or `a || b` that fails, each of a and b.
  auto Condition = [&](const cir::Expr &C, bool Holds, size_t After) {
    std::vector<const cir::Expr *> Parts{&cir::stripCasts(C)};
    while (!Parts.empty()) {
      const cir::Expr &D = *Parts.back();
      Parts.pop_back();
      if (D.K == (Holds ? CK::LAnd : CK::LOr))
        for (const ExprPtr &O : D.Ops)
          Parts.push_back(&cir::stripCasts(*O));
      else
        Compared(D, Holds, After);
    }
  };
  for (size_t K = 0; K < Before.size(); ++K) {
    const cir::Stmt &S = *Before[K].S;
    if (Before[K].W != PriorStmt::Way::Ran) {
      Condition(*S.Cond, Before[K].W == PriorStmt::Way::IntoThen, K + 1);
    } else if (S.K == SK::If && !S.Else && S.Then && leaves(*S.Then)) {
      Condition(*S.Cond, false, K + 1);
    } else if (S.K == SK::Assign && Fn->Vars[S.VarId].Ty.isPtr()) {
      ExprPtr Var = mkExpr(CK::Var, Fn->Vars[S.VarId].Ty, S.L);
      Var->VarId = S.VarId;
      std::optional<KeptTerm> To = keptTerm(*Var, *Fn, Pos),
                              From = keptTerm(*S.Value, *Fn, Pos);
      if (To && From && From->Var && *From->Var != S.VarId) {
        Fact F{cmpAssertion("==", To->T, From->T), {S.VarId, *From->Var}};
        if (Unchanged(F.Vars, K + 1))
          Facts.push_back(std::move(F));
      }
    }
  }
  // The facts linked to what the loop reads.
  std::set<unsigned> Linked;
  readVars(Loop, Linked);
  std::vector<bool> Kept(Facts.size(), false);
  for (bool Grew = true; Grew;) {
    Grew = false;
    for (size_t K = 0; K < Facts.size(); ++K)
      if (!Kept[K] && std::any_of(Facts[K].Vars.begin(), Facts[K].Vars.end(),
                                  [&](unsigned V) { return Linked.count(V); })) {
        Kept[K] = Grew = true;
        Linked.insert(Facts[K].Vars.begin(), Facts[K].Vars.end());
      }
  }
  std::vector<logic::AssertionPtr> Out;
  for (size_t K = 0; K < Facts.size(); ++K)
    if (Kept[K])
      Out.push_back(Facts[K].A);
  return Out;
}

/// The packet pointers a loop walks (docs/vep-c.md, "Inferred
/// invariants"): a pointer p into the packet that the loop reads through
/// (a load or store at an address computed from it) and whose every
/// assignment in the loop is `p = p + e`, e nonnegative and at most a
/// constant (stepBound), stays within `data <= (void *)p && (void *)p <= data_end + m`: data and
/// data_end variables holding the entry's loads of the packet's start and
/// end that the loop does not assign (data_end one the loop reads, in its
/// bound checks), and m the greatest step. The upper bound holds when the
/// loop checks p against data_end before each step. Exact: the pointers
/// inferInvariant describes exactly, left out.
FunctionLowering::PacketWalks
FunctionLowering::packetWalks(const cir::Stmt &Loop, const PriorStmts &Before,
                              const std::set<unsigned> &Exact,
                              logic::SourcePos Pos) {
  PacketWalks Out;
  cir::PacketFields Fields = cir::packetFields(Fn->ProgType);
  std::set<unsigned> Reads, Through;
  readVars(Loop, Reads);
  addressVars(Loop, Through);
  auto VarOf = [&](unsigned V) {
    ExprPtr X = mkExpr(CK::Var, Fn->Vars[V].Ty, Loop.L);
    X->VarId = V;
    return keptTerm(*X, *Fn, Pos);
  };
  // A variable holding the packet's start or end (Field) that the loop
  // does not assign, one it reads first (and only those, if Read).
  auto Holding = [&](int Field, bool Read) -> std::optional<KeptTerm> {
    for (bool ReadFirst : {true, false})
      for (unsigned V = 0; V < Fn->Vars.size() && (ReadFirst || !Read); ++V) {
        std::optional<PacketAddress> A;
        if (Fn->Vars[V].Ty.isPtr() && Reads.count(V) == ReadFirst &&
            !assignmentsTo(Loop, V) && (A = packetAddress(V, Before)) &&
            A->Field == Field && A->Off == 0)
          if (std::optional<KeptTerm> T = VarOf(V))
            return T;
      }
    return std::nullopt;
  };
  std::optional<KeptTerm> Start = Holding(Fields.Data, false),
                          End = Holding(Fields.DataEnd, true);
  if (!Start || !End)
    return Out;
  Out.Start = Start->T;
  Out.End = End->T;
  for (unsigned P : Reads) {
    std::vector<const cir::Stmt *> Steps;
    collectAssignments(Loop, P, Steps);
    std::optional<PacketAddress> A = packetAddress(P, Before);
    std::optional<KeptTerm> At = VarOf(P);
    if (!Fn->Vars[P].Ty.isPtr() || !Through.count(P) || Exact.count(P) ||
        Steps.empty() || !A || A->Field != Fields.Data || !At)
      continue;
    uint64_t Most = 0;
    bool Walks = true;
    for (const cir::Stmt *S : Steps) {
      const cir::Expr &V = *S->Value;
      std::optional<uint64_t> B;
      if (V.K == CK::Binary && V.Op == Op::PtrAdd &&
          cir::stripCasts(*V.Ops[0]).K == CK::Var &&
          cir::stripCasts(*V.Ops[0]).VarId == P)
        B = stepBound(*V.Ops[1]);
      Walks = Walks && B;
      Most = std::max(Most, B.value_or(0));
    }
    if (Walks)
      Out.Walks.push_back({P, At->T, Most});
  }
  return Out;
}

std::vector<logic::AssertionPtr>
FunctionLowering::PacketWalks::bounds(logic::SourcePos Pos) const {
  std::vector<logic::AssertionPtr> Out;
  for (const Walk &W : Walks) {
    Out.push_back(cmpAssertion("<=", Start, W.At));
    Out.push_back(
        cmpAssertion("<=", W.At, binTerm("+", End, intTerm(W.Most, Pos))));
  }
  return Out;
}

/// The inferred `Inv` at Pos: the conjunction of Facts, then of Kept, in
/// order, with Variant if not null.
std::shared_ptr<const logic::Annotation>
inferredInv(std::vector<logic::AssertionPtr> Facts,
            std::vector<logic::AssertionPtr> Kept, logic::TermPtr Variant,
            logic::SourcePos Pos) {
  logic::AssertionPtr Inv;
  Facts.insert(Facts.end(), Kept.begin(), Kept.end());
  for (logic::AssertionPtr &Fact : Facts)
    Inv = Inv ? andAssertion(Inv, std::move(Fact)) : std::move(Fact);
  auto A = std::make_shared<logic::Annotation>();
  A->K = logic::Annotation::Kind::Inv;
  A->Pos = Pos;
  A->Pre = Inv;
  A->Variant = std::move(Variant);
  return A;
}

/// The invariant of a counting loop written without one (docs/vep-c.md,
/// "Inferred invariants"): `for (i = lo; i < B; i++)` (or a `while` whose
/// body ends with `i++`, cir::countingLoop) with constants lo <= B, the
/// last assignment to i Before `i = lo` and i assigned nowhere else in the
/// loop, gives `lo <= i && i <= B`; a pointer
/// p assigned once in the loop, `p = p + c` at the top of its body (which
/// has no `continue`), whose value on entry is a byte pointer b plus a
/// constant k (entryAddress) that the loop does not assign, gives
/// `p == b + k + c * (i - lo)`. Null when the loop is no such loop.
std::shared_ptr<const logic::Annotation>
FunctionLowering::inferInvariant(const cir::Stmt &Loop,
                                 const std::vector<StmtPtr> &LoopBlock) {
  PriorStmts Before = priorStatements(LoopBlock);
  std::optional<cir::CountingLoop> CL = cir::countingLoop(Loop);
  if (!Loop.Then)
    return nullptr;
  if (!CL)
    return scanInvariant(Loop, Before);
  unsigned I = CL->Counter;
  const cir::Type &ITy = Fn->Vars[I].Ty;
  const cir::Expr &Bound = *CL->Bound;
  size_t End = Before.size();
  const cir::Stmt *InitAt = lastAssignment(I, Before, End);
  unsigned InBody = Loop.Step ? 0 : 1; // the increment, when in the body
  if (ITy.isPtr() || Bound.K != CK::Const || !InitAt ||
      InitAt->Value->K != CK::Const || assignmentsTo(*Loop.Then, I) != InBody)
    return nullptr;
  const cir::Stmt &Init = *InitAt;
  auto Signed = [](const cir::Expr &C) {
    unsigned W = C.Ty.Bits;
    uint64_t V = C.Value;
    if (C.Ty.Signed && W < 64 && ((V >> (W - 1)) & 1))
      V |= ~uint64_t(0) << W;
    return C.Ty.Signed ? __int128(int64_t(V)) : __int128(V);
  };
  __int128 Lo = Signed(*Init.Value), B = Signed(Bound);
  if (Lo > B)
    return nullptr;
  logic::SourcePos Pos{Loop.L.Line, Loop.L.Col};
  auto Var = [&](unsigned V) { return varTerm(Fn->Vars[V].Name, Pos); };
  auto Int = [&](__int128 V) { return intTerm(V, Pos); };
  logic::AssertionPtr Inv = andAssertion(cmpAssertion("<=", Int(Lo), Var(I)),
                                         cmpAssertion("<=", Var(I), Int(B)));
  // The pointers moved by a constant each iteration.
  std::set<unsigned> Exact;
  for (const StmtPtr &S : Loop.Then->Body) { // a Block's statements
    const cir::Expr *Step = S->K == SK::Assign ? S->Value.get() : nullptr;
    unsigned P = S->VarId;
    if (!Step || !Fn->Vars[P].Ty.isPtr() || Step->K != CK::Binary ||
        Step->Op != Op::PtrAdd || Step->Ops[1]->K != CK::Const ||
        cir::stripCasts(*Step->Ops[0]).K != CK::Var ||
        cir::stripCasts(*Step->Ops[0]).VarId != P ||
        assignmentsTo(*Loop.Then, P) != 1 || cir::continuesLoop(*Loop.Then))
      continue;
    // p = e0 before the loop, e0 a byte pointer b plus a constant, found
    // through copies (`eth = data; vlh = eth + 1`): b = data, 14.
    std::optional<std::pair<unsigned, int64_t>> E0 = entryAddress(P, Before);
    if (!E0 || assignmentsTo(Loop, E0->first))
      continue;
    auto [Base, Off] = *E0;
    int64_t C = int64_t(Step->Ops[1]->Value);
    logic::TermPtr Moved =
        binTerm("*", Int(C), Lo ? binTerm("-", Var(I), Int(Lo)) : Var(I));
    logic::TermPtr At = Var(Base);
    if (Off)
      At = binTerm("+", At, Int(Off));
    Inv = andAssertion(Inv, cmpAssertion("==", Var(P), binTerm("+", At, Moved)));
    Exact.insert(P);
  }
  std::vector<logic::AssertionPtr> Facts{Inv};
  for (logic::AssertionPtr &Bound :
       packetWalks(Loop, Before, Exact, Pos).bounds(Pos))
    Facts.push_back(std::move(Bound));
  return inferredInv(std::move(Facts), keptFacts(Loop, Before, Pos), nullptr,
                     Pos);
}

/// The invariant and variant of a loop that walks a packet pointer p
/// without a counter (docs/vep-c.md, "Inferred invariants"): every
/// iteration ends with `p = p + c`, c >= 1 a constant (cir::iterationStep,
/// `while (p < data_end && *p != 0) p++;`), and p's bounds are inferred
/// (packetWalks): `data <= p && p <= data_end + m` and the kept facts, the
/// variant `data_end + m - p`, which each iteration decreases by c at
/// least. Null when the loop is no such loop.
std::shared_ptr<const logic::Annotation>
FunctionLowering::scanInvariant(const cir::Stmt &Loop,
                                const PriorStmts &Before) {
  const cir::Stmt *Step = cir::iterationStep(Loop);
  const cir::Expr *Inc = Step ? Step->Value.get() : nullptr;
  if (!Inc || !Fn->Vars[Step->VarId].Ty.isPtr() || Inc->K != CK::Binary ||
      Inc->Op != Op::PtrAdd || Inc->Ops[1]->K != CK::Const ||
      int64_t(Inc->Ops[1]->Value) < 1 ||
      cir::stripCasts(*Inc->Ops[0]).K != CK::Var ||
      cir::stripCasts(*Inc->Ops[0]).VarId != Step->VarId)
    return nullptr;
  logic::SourcePos Pos{Loop.L.Line, Loop.L.Col};
  PacketWalks W = packetWalks(Loop, Before, {}, Pos);
  auto Walk = std::find_if(W.Walks.begin(), W.Walks.end(),
                           [&](const PacketWalks::Walk &X) {
                             return X.Ptr == Step->VarId;
                           });
  if (Walk == W.Walks.end())
    return nullptr;
  return inferredInv(
      W.bounds(Pos), keptFacts(Loop, Before, Pos),
      binTerm("-", binTerm("+", W.End, intTerm(Walk->Most, Pos)), Walk->At),
      Pos);
}

/// A loop's condition. C evaluates it before every iteration, so a call in
/// it cannot be evaluated once before the loop (hoistCalls): rejected.
ExprPtr FunctionLowering::loopCondition(const clang::Expr *Cond) {
  std::vector<StmtPtr> None;
  hoistCalls(Cond, None, nullptr,
             "a loop condition (C evaluates it before every iteration");
  return rvalue(Cond);
}

void FunctionLowering::exprStmt(const clang::Expr *E,
                                std::vector<StmtPtr> &Out) {
  cir::Loc L = loc(E->getBeginLoc());
  E = E->IgnoreParens();
  if (const auto *CE = llvm::dyn_cast<clang::CStyleCastExpr>(E))
    if (CE->getCastKind() == clang::CK_ToVoid) {
      exprStmt(CE->getSubExpr(), Out);
      return;
    }
  // `({ ...; })` whose value is unused (bpf_printk's): its statements.
  if (const auto *SE = llvm::dyn_cast<clang::StmtExpr>(E)) {
    lowerStmt(SE->getSubStmt(), Out);
    return;
  }
  const auto *B = llvm::dyn_cast<clang::BinaryOperator>(E);
  if (B && B->getOpcode() == clang::BO_Comma) {
    exprStmt(B->getLHS(), Out);
    exprStmt(B->getRHS(), Out);
    return;
  }
  if (B && B->getOpcode() == clang::BO_Assign) {
    // To a variable, valueOf hoists the calls of the value; to memory, the
    // calls of the address are hoisted too (C does not order the two).
    std::optional<LocalPart> ToLocal = localPart(B->getLHS(), true);
    if (ToLocal && !isScalar(ToLocal->QT)) { // a struct copy
      if (ToLocal->Index)
        unsupported(B->getBeginLoc(),
                    "a copy to '" + ToLocal->Path + "' at a variable index");
      copyToLocal(*ToLocal, B->getRHS(), Out, L);
      return;
    }
    bool ToVar =
        llvm::isa<clang::DeclRefExpr>(B->getLHS()->IgnoreParens()) || ToLocal;
    if (!ToVar)
      hoistCalls(E, Out);
    LValue LV = lvalue(B->getLHS());
    indexOnce(LV, Out);
    ExprPtr V = LV.IsVar || !LV.Elements.empty()
                    ? valueOf(B->getRHS(), LV.Ty, Out)
                    : rvalue(B->getRHS());
    Out.push_back(write(LV, std::move(V), L, E->getBeginLoc()));
    flushCallOutputs(Out);
    return;
  }
  if (atomicStmt(E, Out) || memStmt(E, Out))
    return;
  const auto *Call = llvm::dyn_cast<clang::CallExpr>(E);
  const clang::CallExpr *Whole = Call && callIn(Call) ? Call : nullptr;
  hoistCalls(E, Out, Whole);
  if (Call && inlineCallee(Call))
    return; // inlined; its result, if any, is unused
  if (Whole) {
    auto S = mkStmt(SK::ExprStmt, L);
    S->Value = lowerCall(Whole, Out);
    Out.push_back(std::move(S));
    flushCallOutputs(Out);
    return;
  }
  if (const auto *CA = llvm::dyn_cast<clang::CompoundAssignOperator>(E)) {
    LValue Target = lvalue(CA->getLHS());
    indexOnce(Target, Out);
    auto Update = [&](LValue &LV) {
      cir::Type LTy = type(CA->getLHS()->getType(), CA->getBeginLoc());
      clang::QualType CQT = CA->getComputationLHSType();
      cir::Type CTy = type(CQT, CA->getBeginLoc());
      cir::Type RTy = type(CA->getComputationResultType(), CA->getBeginLoc());
      ExprPtr Old = read(LV, loc(CA->getLHS()->getBeginLoc()));
      ExprPtr Res;
      clang::BinaryOperatorKind Opc =
          clang::BinaryOperator::getOpForCompoundAssignment(CA->getOpcode());
      if (CQT->isPointerType()) {
        if (Opc != clang::BO_Add && Opc != clang::BO_Sub)
          unsupported(E->getBeginLoc(), "this operator on pointers");
        ExprPtr Off =
            scaledOffset(rvalue(CA->getRHS()), sizeOf(CQT->getPointeeType()),
                         Opc == clang::BO_Sub, L);
        Res = ptrAdd(std::move(Old), std::move(Off), L);
      } else {
        Res = arith(Opc, RTy, CQT, mkCast(std::move(Old), CTy, L),
                    rvalue(CA->getRHS()), L, E->getBeginLoc());
      }
      Res = CA->getLHS()->getType()->isBooleanType()
                ? toBool(std::move(Res), LTy, L)
                : mkCast(std::move(Res), LTy, L);
      return write(LV, std::move(Res), L, E->getBeginLoc());
    };
    Out.push_back(Target.Elements.empty() ? Update(Target)
                                          : eachElement(Target, Update, L));
    return;
  }
  if (const auto *U = llvm::dyn_cast<clang::UnaryOperator>(E)) {
    if (U->isIncrementDecrementOp()) {
      clang::QualType QT = U->getSubExpr()->getType();
      if (QT->isBooleanType())
        unsupported(U->getBeginLoc(), "'++' or '--' of a _Bool");
      LValue Target = lvalue(U->getSubExpr());
      indexOnce(Target, Out);
      auto Update = [&](LValue &LV) {
        cir::Type LTy = type(QT, U->getBeginLoc());
        ExprPtr Old = read(LV, loc(U->getSubExpr()->getBeginLoc()));
        bool Inc = U->isIncrementOp();
        ExprPtr Res;
        if (QT->isPointerType()) {
          Res = ptrAdd(std::move(Old),
                       mkConst(I64,
                               uint64_t(int64_t(sizeOf(QT->getPointeeType())) *
                                        (Inc ? 1 : -1)),
                               L),
                       L);
        } else {
          clang::QualType PQT = QT->isPromotableIntegerType()
                                    ? Ctx.getPromotedIntegerType(QT)
                                    : QT;
          cir::Type PTy = type(PQT, U->getBeginLoc());
          Res = arith(Inc ? clang::BO_Add : clang::BO_Sub, PTy, PQT,
                      mkCast(std::move(Old), PTy, L), mkConst(PTy, 1, L), L,
                      U->getBeginLoc());
        }
        return write(LV, mkCast(std::move(Res), LTy, L), L, E->getBeginLoc());
      };
      Out.push_back(Target.Elements.empty() ? Update(Target)
                                            : eachElement(Target, Update, L));
      return;
    }
  }
  if (E->isGLValue()) {
    // A discarded lvalue is not accessed in C; still check it lowers.
    LValue LV = lvalue(E);
    (void)LV;
    return;
  }
  if (const auto *CE = llvm::dyn_cast<clang::CallExpr>(E))
    call(CE); // diagnoses the call (only byte swaps are supported)
  if (E->getType()->isVoidType())
    unsupported(E->getBeginLoc(), "expression of type void");
  auto S = mkStmt(SK::ExprStmt, L);
  S->Value = rvalue(E);
  Out.push_back(std::move(S));
}

/// Whether A is a contract VEP-C reads at all (reported if not): an
/// annotation of the contract kind.
bool FunctionLowering::isContract(const logic::Annotation &A, cir::Loc AL) {
  if (A.K != logic::Annotation::Kind::Contract) {
    error(AL, "expected a function contract (With/Require/Ensure) between the "
              "function's header and its body");
    return false;
  }
  return true;
}

std::shared_ptr<const logic::Annotation>
FunctionLowering::checkContract(const logic::Annotation &A) {
  cir::Loc AL{A.Pos.Line, A.Pos.Col};
  if (!isContract(A, AL))
    return nullptr;
  if (!A.With.empty()) {
    error(AL, "not supported yet: 'With' in the contract of an entry point");
    return nullptr;
  }
  if (!csupport::isDefaultRequire(A.Pre.get())) {
    logic::SourcePos P = A.Pre->Pos.Line ? A.Pre->Pos : A.Pos;
    error({P.Line, P.Col},
          "not supported yet: a Require clause other than the program type's "
          "default contract (write no Require, or 'Require true')");
    return nullptr;
  }
  auto Resolved = std::make_shared<logic::Annotation>(A);
  if (A.Post) {
    Resolved->Post = substConstants(A.Post, Const,
                                    [](const std::string &) { return false; });
    csupport::SupportError SE;
    bool Ok = csupport::checkPureAssertion(
        *Resolved->Post, csupport::PureContext::Ensure,
        [&](const std::string &N, logic::SourcePos) -> std::string {
          if (N == "__return")
            return "";
          for (const auto &V : Fn->Vars)
            if (V.Name == N)
              return "not supported yet: program variable '" + N +
                     "' in Ensure";
          return "unknown variable '" + N + "' in Ensure";
        },
        SE);
    if (!Ok) {
      error({SE.Pos.Line, SE.Pos.Col}, SE.Message);
      return nullptr;
    }
  }
  return Resolved;
}

/// How parameter I may occur in the facts of a function's contract: as an
/// integer, or as a pointer into the packet (a buffer parameter, which
/// points into a region of its own, may not occur).
csupport::TermSort FunctionLowering::paramSort(unsigned I) const {
  const cir::Type &T = Fn->Vars[I].Ty;
  if (!T.isPtr())
    return csupport::TermSort::Int;
  return T.PointeeSize == 1 ? csupport::TermSort::BytePtr
                            : csupport::TermSort::Ptr;
}

/// One spatial conjunct of a function's Require: `packet(p)`,
/// `packet_end(e)` or `store_uchar_array(p, n, l)` (and the char, int and
/// uint variants) describing a pointer parameter; fills Fn->Params.
/// Reports and returns false otherwise.
bool FunctionLowering::paramSpec(const logic::Assertion &P) {
  cir::Loc PL{P.Pos.Line, P.Pos.Col};
  std::optional<logic::ArrayElement> Elem =
      logic::arrayPredicateElement(P.Name);
  unsigned ElemSize = Elem ? Elem->Bytes : 0;
  bool IsPacket = P.Name == "packet" || P.Name == "packet_end";
  if (!IsPacket && !ElemSize) {
    error(PL, "not supported yet: predicate '" + P.Name +
                  "' in the Require of a function (functions take "
                  "packet(p), packet_end(e), store_uchar_array(p, n, l), "
                  "data_at(p, T, v), undef_data_at(p, T) and facts)");
    return false;
  }
  size_t Arity = IsPacket ? 1 : 3;
  std::optional<unsigned> Param;
  if (P.Terms.size() == Arity && P.Terms[0]->K == logic::Term::Kind::Var)
    for (unsigned I = 0; I < Fn->NumParams; ++I)
      if (Fn->Vars[I].Name == P.Terms[0]->Name && Fn->Vars[I].Ty.isPtr())
        Param = I;
  if (!Param) {
    error(PL, P.Name + (IsPacket ? "(p)" : "(p, n, l)") +
                  " needs a pointer parameter of '" + Fn->Name + "' as p");
    return false;
  }
  cir::ParamSpec &Spec = Fn->Params[*Param];
  if (Spec.K != cir::ParamSpec::Kind::Scalar) {
    error(PL, "parameter '" + Fn->Vars[*Param].Name +
                  "' is described twice in the Require");
    return false;
  }
  if (IsPacket) {
    Spec.K = P.Name == "packet" ? cir::ParamSpec::Kind::Packet
                                : cir::ParamSpec::Kind::PacketEnd;
    return true;
  }
  // The size: a term over the integer parameters; the contents: a name
  // (not interpreted yet: only sizes are reasoned about).
  const logic::TermPtr &Count = P.Terms[1];
  csupport::SupportError SE;
  auto CheckVar = [&](const std::string &N, logic::SourcePos) -> std::string {
    for (unsigned I = 0; I < Fn->NumParams; ++I)
      if (Fn->Vars[I].Name == N)
        return Fn->Vars[I].Ty.isPtr()
                   ? "not supported yet: a pointer in the size of a buffer"
                   : "";
    return "unknown variable '" + N +
           "' in the size of a buffer (use the function's integer "
           "parameters)";
  };
  if (!csupport::checkPureIntTerm(*Count, csupport::PureContext::Require,
                                  CheckVar, SE, nullptr, "a buffer size")) {
    error({SE.Pos.Line, SE.Pos.Col}, SE.Message);
    return false;
  }
  const logic::Term &Contents = *P.Terms[2];
  bool ContentsIsParam = false;
  for (unsigned I = 0; I < Fn->NumParams; ++I)
    ContentsIsParam |= Fn->Vars[I].Name == Contents.Name;
  if (Contents.K != logic::Term::Kind::Var || ContentsIsParam) {
    error({Contents.Pos.Line, Contents.Pos.Col},
          "the contents of " + P.Name +
              " must be a name of its own (a logical variable)");
    return false;
  }
  Spec.K = cir::ParamSpec::Kind::Buffer;
  if (ElemSize == 1) {
    Spec.BufferBytes = Count;
  } else {
    auto Size = std::make_shared<logic::Term>();
    Size->K = logic::Term::Kind::IntLit;
    Size->Pos = Count->Pos;
    Size->Value = ElemSize;
    auto Bytes = std::make_shared<logic::Term>();
    Bytes->K = logic::Term::Kind::Binary;
    Bytes->Pos = Count->Pos;
    Bytes->Op = "*";
    Bytes->Args = {Count, Size};
    Spec.BufferBytes = Bytes;
  }
  return true;
}

/// `data_at(p, T, v)` and `undef_data_at(p, T)` of an integer type T at the
/// top level of A, an assertion of a called function, as the one-element
/// array of T that the verifier and the compiler reason about. In Require,
/// data_at(p, T, v) is `store_T_array(p, 1, *p) && *p[0] == v`,
/// undef_data_at(p, T) is `store_T_array(p, 1, *p)` with p's ParamSpec
/// Undef. In Ensure and in annotations of the body, data_at(p, T, v) is
/// `store_T_array(p, 1, *p') && *p'[0] == v` (the contents at the return,
/// or where the annotation is), but a v that Names does not know names
/// that value, read as *p'[0] in the rest of A; undef_data_at(p, T) is the
/// footprint alone, in Ensure with ParamSpec UndefOnReturn. A conjunct `c
/// => D` of Ensure may hold data_at(p, T, v) among D's conjuncts: it
/// becomes `*p'[0] == v` there (or names v), the footprint goes to the top
/// level, and c is p's ParamSpec WrittenIf. In Require and Ensure, p is a
/// parameter, described once (Described: the parameters Ensure
/// describes). Reports and returns null for another type.
logic::AssertionPtr FunctionLowering::lowerDataAt(
    const logic::AssertionPtr &A, DataAtPlace Place,
    const std::function<bool(const std::string &)> &Names,
    std::set<std::string> &Described) {
  auto Var = [](const std::string &Name, logic::SourcePos Pos) {
    auto T = std::make_shared<logic::Term>();
    T->K = logic::Term::Kind::Var;
    T->Name = Name;
    T->Pos = Pos;
    return T;
  };
  auto Lit = [](int Value, logic::SourcePos Pos) {
    auto T = std::make_shared<logic::Term>();
    T->K = logic::Term::Kind::IntLit;
    T->Value = Value;
    T->Pos = Pos;
    return T;
  };
  auto Conjunction = [](logic::AssertionPtr L, logic::AssertionPtr R) {
    auto Both = std::make_shared<logic::Assertion>();
    Both->K = logic::Assertion::Kind::And;
    Both->Pos = L->Pos;
    Both->Subs = {std::move(L), std::move(R)};
    return Both;
  };
  bool InEnsure = Place == DataAtPlace::Ensure;
  std::map<std::string, logic::TermPtr> Named; // values of their own
  std::vector<logic::AssertionPtr> Footprints; // of data_at under a condition
  bool Ok = true;
  std::function<logic::AssertionPtr(const logic::AssertionPtr &,
                                    const logic::AssertionPtr &)>
      Lower = [&](const logic::AssertionPtr &X,
                  const logic::AssertionPtr &Cond) -> logic::AssertionPtr {
    if (!X)
      return X;
    if (X->K == logic::Assertion::Kind::And ||
        X->K == logic::Assertion::Kind::Sep) {
      auto Out = std::make_shared<logic::Assertion>(*X);
      for (auto &Sub : Out->Subs)
        Sub = Lower(Sub, Cond);
      return Out;
    }
    if (InEnsure && !Cond && X->K == logic::Assertion::Kind::Implies) {
      auto Out = std::make_shared<logic::Assertion>(*X);
      Out->Subs[1] = Lower(X->Subs[1], X->Subs[0]);
      // `c => data_at(p, T, v)` says no more than its footprint, now at the
      // top level, and WrittenIf.
      std::function<bool(const logic::Assertion &)> Trivial =
          [&](const logic::Assertion &Y) {
            return Y.K == logic::Assertion::Kind::True ||
                   (Y.K == logic::Assertion::Kind::And &&
                    std::all_of(Y.Subs.begin(), Y.Subs.end(),
                                [&](const auto &Z) { return Trivial(*Z); }));
          };
      return Trivial(*Out->Subs[1]) ? Out->Subs[1] : Out;
    }
    bool Defined = X->K == logic::Assertion::Kind::Pred &&
                   X->Name == "data_at" && X->Terms.size() == 3;
    bool Undefined = X->K == logic::Assertion::Kind::Pred &&
                     X->Name == "undef_data_at" && X->Terms.size() == 2;
    if (!Defined && !Undefined)
      return X;
    if (Cond && Undefined) {
      error({X->Pos.Line, X->Pos.Col},
            "not supported yet: undef_data_at under a condition (where the "
            "condition of a data_at fails, the object is undefined anyway)");
      Ok = false;
      return X;
    }
    const logic::Term &P = *X->Terms[0], &T = *X->Terms[1];
    std::optional<logic::IntTypeName> I = logic::intTypeNamed(T.Name);
    if (!I) {
      error({T.Pos.Line, T.Pos.Col},
            "not supported yet: " + X->Name + " of type '" + T.Name +
                "' in an annotation of a called function (an integer type)");
      Ok = false;
      return X;
    }
    if (Place != DataAtPlace::Annotation) {
      std::optional<unsigned> Param;
      for (unsigned K = 0; K < Fn->NumParams; ++K)
        if (P.K == logic::Term::Kind::Var && Fn->Vars[K].Name == P.Name &&
            Fn->Vars[K].Ty.isPtr())
          Param = K;
      if (!Param) {
        error({X->Pos.Line, X->Pos.Col},
              X->Name + " needs a pointer parameter of '" + Fn->Name +
                  "' as p");
        Ok = false;
        return X;
      }
      cir::ParamSpec &Spec = Fn->Params[*Param];
      if (InEnsure && !Described.insert(P.Name).second) {
        error({X->Pos.Line, X->Pos.Col},
              "parameter '" + P.Name + "' is described twice in the Ensure");
        Ok = false;
        return X;
      }
      if (!InEnsure)
        Spec.Undef = Undefined;
      Spec.UndefOnReturn = InEnsure && Undefined;
      if (Cond)
        Spec.WrittenIf = Cond;
    }
    std::string Seq =
        "*" + P.Name + (Place == DataAtPlace::Require ? "" : "'");
    auto Array = std::make_shared<logic::Assertion>(*X);
    Array->Name = *logic::arrayPredicateName({I->Bits / 8, I->Signed});
    Array->Terms = {X->Terms[0], Lit(1, T.Pos), Var(Seq, X->Pos)};
    if (Undefined)
      return Array;
    auto True = std::make_shared<logic::Assertion>();
    True->K = logic::Assertion::Kind::True;
    True->Pos = X->Pos;
    logic::AssertionPtr Footprint = Array;
    if (Cond) {
      Footprints.push_back(Array);
      Footprint = True;
    }
    auto Element = std::make_shared<logic::Term>();
    Element->K = logic::Term::Kind::Index;
    Element->Pos = X->Terms[2]->Pos;
    Element->Args = {Var(Seq, X->Pos), Lit(0, X->Pos)};
    const logic::Term &V = *X->Terms[2];
    if (Place != DataAtPlace::Require && V.K == logic::Term::Kind::Var &&
        !V.AtPre && !Names(V.Name)) {
      Named.emplace(V.Name, Element);
      return Footprint;
    }
    auto Value = std::make_shared<logic::Assertion>();
    Value->K = logic::Assertion::Kind::Cmp;
    Value->Pos = X->Pos;
    Value->Op = "==";
    Value->Terms = {Element, X->Terms[2]};
    return Cond ? logic::AssertionPtr(Value) : Conjunction(Array, Value);
  };
  logic::AssertionPtr Out = Lower(A, nullptr);
  for (const logic::AssertionPtr &F : Footprints)
    Out = Conjunction(F, Out);
  if (!Named.empty())
    Out = logic::substituteNames(Out, Named);
  return Ok ? Out : nullptr;
}

/// lowerDataAt of a function's Require and Ensure: fills ParamSpec's
/// Undef, UndefOnReturn (also of an Undef parameter Ensure does not
/// describe) and WrittenIf. Reports and returns false when it fails.
bool FunctionLowering::lowerContractDataAt(logic::Annotation &A) {
  std::set<std::string> Contents, Described;
  logic::contentNames(A.Pre.get(), Contents);
  logic::contentNames(A.Post.get(), Contents);
  auto Names = [&](const std::string &N) {
    for (unsigned I = 0; I < Fn->NumParams; ++I)
      if (Fn->Vars[I].Name == N)
        return true;
    return N == "__return" || Contents.count(N) ||
           std::find(A.With.begin(), A.With.end(), N) != A.With.end();
  };
  if (A.Pre && !(A.Pre = lowerDataAt(A.Pre, DataAtPlace::Require, Names,
                                     Described)))
    return false;
  if (A.Post && !(A.Post = lowerDataAt(A.Post, DataAtPlace::Ensure, Names,
                                       Described)))
    return false;
  for (unsigned I = 0; I < Fn->NumParams; ++I)
    if (Fn->Params[I].Undef && !Described.count(Fn->Vars[I].Name))
      Fn->Params[I].UndefOnReturn = true;
  return true;
}

/// The contract of a non-entry function: Require is a conjunction (`&&` or
/// `*`) of the pointer parameters' descriptions (paramSpec) and pure facts
/// over the parameters; Ensure pure facts over the parameters (their values
/// at the call) and `__return`. Fills Fn->Params; reports and returns null
/// when VEP-C does not support the contract.
std::shared_ptr<const logic::Annotation>
FunctionLowering::checkFunctionContract(const logic::Annotation &A) {
  cir::Loc AL{A.Pos.Line, A.Pos.Col};
  if (!isContract(A, AL))
    return nullptr;
  auto IsParam = [&](const std::string &N) {
    for (unsigned I = 0; I < Fn->NumParams; ++I)
      if (Fn->Vars[I].Name == N)
        return true;
    return false;
  };
  auto Resolved = std::make_shared<logic::Annotation>(A);
  Resolved->Pre = substConstants(A.Pre, Const, IsParam);
  Resolved->Post = substConstants(A.Post, Const, IsParam);
  Fn->Params.assign(Fn->NumParams, cir::ParamSpec());
  if (!lowerContractDataAt(*Resolved))
    return nullptr;
  // Logical names: the contents of the buffers (instantiated at each call
  // by the caller's contents, docs/vep-c.md "Contents"); a With variable
  // must be one of those of Require.
  // The other With variables are integers, instantiated at each call
  // from a Require conjunct `x == e` or a `/*@ where x = e */`.
  ContractSequences.clear();
  logic::contentNames(Resolved->Pre.get(), ContractSequences);
  logic::contentNames(Resolved->Post.get(), ContractSequences);
  ContractIntegers.clear();
  for (const std::string &W : A.With)
    if (!ContractSequences.count(W))
      ContractIntegers.insert(W);
  for (const std::string &N : logic::contractLogicalNames(*Resolved))
    if (IsParam(N)) {
      error(AL, "the contents name '" + N + "' is a parameter of '" +
                    Fn->Name + "'");
      return nullptr;
    }

  std::vector<const logic::Assertion *> Facts;
  bool Ok = true;
  std::function<void(const logic::Assertion &)> Split =
      [&](const logic::Assertion &X) {
        if (X.K == logic::Assertion::Kind::And ||
            X.K == logic::Assertion::Kind::Sep) {
          for (const auto &Sub : X.Subs)
            Split(*Sub);
          return;
        }
        if (X.K == logic::Assertion::Kind::Pred &&
            !logic::isUserPredicate(X)) // a user predicate is a fact
          Ok &= paramSpec(X);
        else
          Facts.push_back(&X);
      };
  if (Resolved->Pre)
    Split(*Resolved->Pre);
  if (!Ok)
    return nullptr;
  for (unsigned I = 0; I < Fn->NumParams; ++I)
    if (Fn->Vars[I].Ty.isPtr() &&
        Fn->Params[I].K == cir::ParamSpec::Kind::Scalar) {
      error(AL, "pointer parameter '" + Fn->Vars[I].Name + "' of '" +
                    Fn->Name +
                    "' needs a Require saying what it points to: "
                    "packet(p), packet_end(p), store_uchar_array(p, n, l) "
                    "or data_at(p, T, v)");
      Ok = false;
    }
  if (!Ok)
    return nullptr;

  // Facts: integer parameters, and packet pointers compared or subtracted
  // (a buffer lies in a region of its own, which facts cannot name yet).
  auto CheckVar = [&](bool InEnsure) {
    return [&, InEnsure](const std::string &N,
                         logic::SourcePos) -> std::string {
      if (N == "__return") {
        if (!InEnsure)
          return "'__return' may only be used in an Ensure clause";
        return Fn->ReturnType.isVoid()
                   ? "'__return' in the Ensure of a function returning void"
                   : "";
      }
      for (unsigned I = 0; I < Fn->NumParams; ++I)
        if (Fn->Vars[I].Name == N)
          return Fn->Params[I].K == cir::ParamSpec::Kind::Buffer
                     ? "not supported yet: the buffer parameter '" + N +
                           "' in a fact (only as the buffer of its "
                           "store_..._array)"
                     : "";
      for (const std::string &W : A.With)
        if (W == N)
          return "";
      return "unknown variable '" + N +
             "' in a function contract (use the parameters and __return)";
    };
  };
  csupport::VarSortFn Sorts = [&](const std::string &N) {
    for (unsigned I = 0; I < Fn->NumParams; ++I)
      if (Fn->Vars[I].Name == N)
        return paramSort(I);
    return csupport::TermSort::Int;
  };
  csupport::SupportError SE;
  for (const logic::Assertion *X : Facts)
    if (!csupport::checkPureAssertion(*X, csupport::PureContext::Require,
                                      CheckVar(false), SE, &Sorts,
                                      &ContractSequences, Predicates)) {
      error({SE.Pos.Line, SE.Pos.Col}, SE.Message);
      return nullptr;
    }
  if (Resolved->Post &&
      !csupport::checkPureAssertion(*Resolved->Post,
                                    csupport::PureContext::Ensure,
                                    CheckVar(true), SE, &Sorts,
                                    &ContractSequences, Predicates)) {
    error({SE.Pos.Line, SE.Pos.Col}, SE.Message);
    return nullptr;
  }
  return Resolved;
}

bool FunctionLowering::lower(const clang::FunctionDecl *FD,
                             const std::string &Section, cir::Function &F) {
  Fn = &F;
  ErrsAtStart = Errs.size();
  F.Name = FD->getNameAsString();
  F.Section = Section;
  F.L = loc(FD->getLocation());
  const auto *Body = llvm::cast<clang::CompoundStmt>(FD->getBody());
  unsigned BodyStart = offset(Body->getLBracLoc());
  unsigned BodyEnd = offset(Body->getRBracLoc());
  unsigned NameOff = offset(FD->getLocation());

  // Annotations: the contract (between the name and `{`) and the body's.
  size_t I = 0;
  while (I < Anns.size() && Anns[I].Offset < NameOff)
    ++I;
  std::vector<RawAnnotation *> Contract;
  while (I < Anns.size() && Anns[I].Offset < BodyStart)
    Contract.push_back(&Anns[I++]);
  NextAnn = I;
  while (I < Anns.size() && Anns[I].Offset < BodyEnd)
    ++I;
  EndAnn = I;

  try {
    F.ReturnType = resultType(FD->getReturnType(), FD->getLocation());
    Scopes.emplace_back();
    // A tracepoint's context is the event's record, a struct the program
    // declares (contextStructName ""): any struct, or `void` for a program
    // that reads the record through casts or not at all (the readable
    // bytes are the type's, ContextRecord, whatever the struct).
    std::string CtxStruct = cir::contextStructName(F.ProgType);
    clang::QualType Pointee =
        FD->getNumParams() == 1 &&
                FD->getParamDecl(0)->getType()->isPointerType()
            ? FD->getParamDecl(0)->getType()->getPointeeType()
            : clang::QualType();
    bool CtxOk = !Pointee.isNull() &&
                 (CtxStruct.empty()
                      ? Pointee->isStructureType() || Pointee->isVoidType()
                      : Pointee.getUnqualifiedType()
                                .getCanonicalType()
                                .getAsString() == CtxStruct);
    if (!F.isEntry()) {
      // The kernel passes arguments in R1-R5 and returns a scalar in R0.
      if (FD->getNumParams() > 5)
        unsupported(FD->getLocation(),
                    "function '" + F.Name + "' with " +
                        std::to_string(FD->getNumParams()) +
                        " parameters (eBPF passes at most 5, in R1-R5)");
      if (FD->isVariadic())
        unsupported(FD->getLocation(), "variadic function '" + F.Name + "'");
      if (F.ReturnType.isPtr())
        unsupported(FD->getLocation(),
                    "function '" + F.Name +
                        "' returning a pointer (bpf-to-bpf functions return "
                        "an integer or nothing)");
    } else if (!CtxOk || F.ReturnType.isPtr())
      unsupported(FD->getLocation(),
                  std::string(cir::programTypeName(F.ProgType)) +
                      " entry point '" + F.Name +
                      "' must have the signature 'int " + F.Name + "(" +
                      (CtxStruct.empty() ? "struct <record> *ctx)' or "
                                           "'int " + F.Name + "(void "
                                         : CtxStruct + " ") +
                      "*ctx)'");
    for (const clang::ParmVarDecl *P : FD->parameters())
      declare(P, true);
    F.NumParams = FD->getNumParams();
    F.Proto = describeSignature(Ctx, FD);
  } catch (Unsupported &) {
    for (size_t J = NextAnn; J < EndAnn; ++J)
      Anns[J].Used = true;
    for (RawAnnotation *A : Contract)
      A->Used = true;
    return false;
  }

  for (RawAnnotation *A : Contract) {
    A->Used = true;
    if (!A->Ann)
      continue;
    if (F.Contract) {
      error({A->Ann->Pos.Line, A->Ann->Pos.Col},
            "more than one contract for function '" + F.Name + "'");
      continue;
    }
    auto Checked = F.isEntry() ? checkContract(*A->Ann)
                               : checkFunctionContract(*A->Ann);
    if (Checked)
      F.Contract = std::move(Checked);
  }
  if (!F.isEntry() && Contract.empty())
    error(F.L, "function '" + F.Name +
                   "' needs a contract: bpf-to-bpf calls use only the "
                   "contract");

  std::vector<StmtPtr> Top;
  try {
    lowerStmt(Body, Top);
  } catch (Unsupported &) {
  }
  for (size_t J = NextAnn; J < EndAnn; ++J)
    Anns[J].Used = true;
  if (!Top.empty())
    F.Body = std::move(Top[0]);
  else
    F.Body = mkStmt(SK::Block, loc(Body->getBeginLoc()));

  std::set<unsigned> None, Before;
  Definitions Defs;
  carryOuterFacts(F, *F.Body, nullptr, None, Before, Defs);
  return Errs.size() == ErrsAtStart;
}

/// BPF_MAP_TYPE_RINGBUF: no keys and no values; max_entries is its size in
/// bytes.
constexpr uint64_t RingBufferMapType = 27;
/// BPF_MAP_TYPE_PERF_EVENT_ARRAY: libbpf gives it one entry per possible
/// CPU when its definition says no max_entries (or 0).
constexpr uint64_t PerfEventArrayMapType = 4;

/// Map types VEP supports: those whose elements are looked up, updated and
/// deleted by key, with values the program reads and writes in place, and
/// those only helpers use (the helper contracts say which takes which).
bool isSupportedMapType(uint64_t T) {
  switch (T) {
  case 1:  // BPF_MAP_TYPE_HASH
  case 2:  // BPF_MAP_TYPE_ARRAY
  case 5:  // BPF_MAP_TYPE_PERCPU_HASH
  case 6:  // BPF_MAP_TYPE_PERCPU_ARRAY
  case 9:  // BPF_MAP_TYPE_LRU_HASH
  case 10: // BPF_MAP_TYPE_LRU_PERCPU_HASH
  case 3:  // BPF_MAP_TYPE_PROG_ARRAY: bpf_tail_call
  case 4:  // BPF_MAP_TYPE_PERF_EVENT_ARRAY: bpf_perf_event_output
  case 12: // BPF_MAP_TYPE_ARRAY_OF_MAPS: bpf_map_lookup_elem gives a map
  case 13: // BPF_MAP_TYPE_HASH_OF_MAPS
  case 14: // BPF_MAP_TYPE_DEVMAP: bpf_redirect_map, as the next three
  case 16: // BPF_MAP_TYPE_CPUMAP
  case 17: // BPF_MAP_TYPE_XSKMAP
  case 25: // BPF_MAP_TYPE_DEVMAP_HASH
  case RingBufferMapType: // bpf_ringbuf_output
    return true;
  default:
    return false;
  }
}

using MapReport =
    std::function<bool(clang::SourceLocation, const std::string &)>;

/// Reads the members of a libbpf BTF-style map definition into Out (but
/// Name and L): each is `int (*name)[value]` (`__uint(name, value)`),
/// `typeof(T) *name` (`__type(name, T)`) or, for a map of maps (not an
/// inner one), `typeof(struct T) *values[]` (`__array(values, struct T)`,
/// T the inner template). Reports and returns false when the definition
/// is not one VEP supports.
bool lowerMapStruct(clang::ASTContext &Ctx, const clang::RecordType *RT,
                    clang::SourceLocation At, const MapReport &Report,
                    cir::MapDef &Out, bool IsInner) {
  bool HasType = false, HasMax = false;
  for (const clang::FieldDecl *FD : RT->getDecl()->fields()) {
    std::string Attr = FD->getNameAsString();
    if (Attr == "values" && !IsInner) {
      const auto *AT = Ctx.getAsIncompleteArrayType(FD->getType());
      const auto *PT =
          AT ? AT->getElementType()->getAs<clang::PointerType>() : nullptr;
      const auto *Inner =
          PT ? PT->getPointeeType()->getAsStructureType() : nullptr;
      if (!Inner)
        return Report(FD->getLocation(),
                      "not supported yet: map attribute 'values' not written "
                      "as __array(values, struct T)");
      auto Def = std::make_shared<cir::MapDef>();
      Def->Name = Out.Name + ".inner";
      Def->L = Out.L;
      if (!lowerMapStruct(Ctx, Inner, FD->getLocation(), Report, *Def, true))
        return false;
      Out.Inner = std::move(Def);
      continue;
    }
    const auto *PT = FD->getType()->getAs<clang::PointerType>();
    if (!PT)
      return Report(FD->getLocation(), "not supported yet: map attribute '" +
                                           Attr +
                                           "' not written with __uint "
                                           "or __type");
    clang::QualType Pointee = PT->getPointeeType();
    const auto *TypeOf =
        llvm::dyn_cast<clang::TypeOfType>(Pointee.getTypePtr());
    const auto *AT = Ctx.getAsConstantArrayType(Pointee);
    if (!TypeOf && AT) {
      uint64_t V = AT->getSize().getZExtValue();
      if (Attr == "type") {
        Out.MapType = uint32_t(V);
        HasType = true;
      } else if (Attr == "max_entries") {
        Out.MaxEntries = uint32_t(V);
        HasMax = true;
      } else if (Attr == "key_size") {
        Out.KeySize = uint32_t(V);
      } else if (Attr == "value_size") {
        Out.ValueSize = uint32_t(V);
      } else if (Attr == "map_flags") {
        Out.Flags = uint32_t(V);
      } else {
        return Report(FD->getLocation(),
                      "not supported yet: map attribute '" + Attr + "'");
      }
      continue;
    }
    if (Attr != "key" && Attr != "value")
      return Report(FD->getLocation(),
                    "not supported yet: map attribute '" + Attr + "'");
    // `typeof(T)` is spelled as T.
    if (TypeOf)
      Pointee = TypeOf->getUnderlyingType();
    if (Pointee->isIncompleteType() || Pointee->isFunctionType())
      return Report(FD->getLocation(), "map " + Attr + " of incomplete type '" +
                                           Pointee.getAsString() + "'");
    uint32_t Size = uint32_t(Ctx.getTypeSizeInChars(Pointee).getQuantity());
    std::string Spelling = Pointee.getUnqualifiedType().getAsString();
    if (Attr == "key") {
      Out.KeySize = Size;
      Out.KeySpelling = Spelling;
      Out.KeyType = describeType(Ctx, Pointee);
    } else {
      Out.ValueSize = Size;
      Out.ValueSpelling = Spelling;
      Out.ValueType = describeType(Ctx, Pointee);
    }
  }
  if (HasType && !isSupportedMapType(Out.MapType))
    return Report(At, "not supported yet: map type " +
                          std::to_string(Out.MapType) + " of map '" + Out.Name +
                          "' (supported: hash, array, per-CPU and LRU hash "
                          "and array maps, prog arrays, perf event arrays, "
                          "arrays and hashes of maps, devmaps, cpumaps, "
                          "xskmaps and ring buffers)");
  if (HasType && Out.isMapOfMaps()) {
    // libbpf's rules: the inner template comes from `values`, and the
    // value, the inner map's id or fd, has 4 bytes; the kernel's: one
    // level of maps in maps.
    if (IsInner || !Out.Inner || Out.Inner->isMapOfMaps() ||
        (Out.ValueSize && Out.ValueSize != 4))
      return Report(At, "map of maps '" + Out.Name +
                            "' needs __array(values, struct T) with T a map "
                            "that is not a map of maps, and no value other "
                            "than 4 bytes");
    Out.ValueSize = 4;
    Out.ValueSpelling = "__u32";
  } else if (Out.Inner) {
    return Report(At, "map '" + Out.Name +
                          "' has __array(values, ...) but is not an array "
                          "or hash of maps");
  }
  if (HasType && Out.MapType == RingBufferMapType) {
    // The kernel's rule (ringbuf_map_alloc): no key or value, and a size
    // that is a power of 2 and a multiple of the page size (4096 here).
    if (Out.KeySize || Out.ValueSize || !HasMax || Out.MaxEntries == 0 ||
        Out.MaxEntries % 4096 || (Out.MaxEntries & (Out.MaxEntries - 1)))
      return Report(At, "ring buffer '" + Out.Name +
                            "' needs max_entries a power of 2 and a multiple "
                            "of 4096, and no key or value");
    return true;
  }
  bool SizedAtLoad = HasType && Out.MapType == PerfEventArrayMapType &&
                     Out.MaxEntries == 0;
  if (!HasType || (!HasMax && !SizedAtLoad) || Out.KeySize == 0 ||
      Out.ValueSize == 0)
    return Report(
        At, "map '" + Out.Name +
                "' needs a type, max_entries, and a key and a value "
                "(__type(key, T) or __uint(key_size, n); likewise value)");
  // The checker's rule map_table (docs/proof-format.md 9.1) refuses these;
  // so does the kernel for an empty map.
  if (Out.MaxEntries == 0 && !SizedAtLoad)
    return Report(At, "map '" + Out.Name +
                          "' has max_entries 0 (a map needs at least one "
                          "entry)");
  constexpr uint32_t MaxBytes = 1u << 20;
  if (Out.KeySize > MaxBytes || Out.ValueSize > MaxBytes)
    return Report(At, "not supported yet: map '" + Out.Name +
                          "' with a key or value larger than 1 MiB");
  return true;
}

/// Reads a libbpf BTF-style map definition (lowerMapStruct) and, for a map
/// of maps, its initial values `= { .values = { &a, &b } }`: maps defined
/// before it (in Maps) that match its inner template, as the kernel
/// requires of every map stored in it. Reports and returns false when the
/// definition is not one VEP supports.
bool lowerMapDef(clang::ASTContext &Ctx, const clang::VarDecl *VD,
                 const std::string &Path, const MapIndex &Maps,
                 const std::vector<cir::MapDef> &Defined, cir::MapDef &Out,
                 std::vector<Diagnostic> &Errors) {
  const clang::SourceManager &SM = Ctx.getSourceManager();
  auto Report = [&](clang::SourceLocation L, const std::string &Msg) {
    clang::PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(L));
    Errors.push_back({Path, P.isValid() ? P.getLine() : 0,
                      P.isValid() ? P.getColumn() : 0, Msg});
    return false;
  };
  clang::PresumedLoc P =
      SM.getPresumedLoc(SM.getExpansionLoc(VD->getLocation()));
  Out.Name = VD->getNameAsString();
  Out.L = {P.getLine(), P.getColumn()};
  const auto *RT = VD->getType()->getAsStructureType();
  if (!RT)
    return Report(VD->getLocation(),
                  "not supported yet: map '" + Out.Name +
                      "' not defined as a struct of __uint/__type members");
  if (!lowerMapStruct(Ctx, RT, VD->getLocation(), Report, Out, false))
    return false;
  const auto *Init = llvm::dyn_cast_or_null<clang::InitListExpr>(VD->getInit());
  if (!Out.Inner || !Init || Init->getNumInits() == 0)
    return true;
  // `.values` is the last member (libbpf's rule), so its list is the last
  // initialiser.
  const auto *Values = llvm::dyn_cast<clang::InitListExpr>(
      Init->getInit(Init->getNumInits() - 1)->IgnoreParenImpCasts());
  if (!Values || Values->getNumInits() > Out.MaxEntries)
    return Report(VD->getLocation(),
                  "not supported yet: initial values of map '" + Out.Name +
                      "' other than '.values = { &m, ... }' with at most "
                      "max_entries maps");
  for (const clang::Expr *E : Values->inits()) {
    if (llvm::isa<clang::ImplicitValueInitExpr>(E)) {
      Out.InitialValues.push_back(-1);
      continue;
    }
    const auto *U =
        llvm::dyn_cast<clang::UnaryOperator>(E->IgnoreParenImpCasts());
    const auto *DR = U && U->getOpcode() == clang::UO_AddrOf
                         ? llvm::dyn_cast<clang::DeclRefExpr>(
                               U->getSubExpr()->IgnoreParens())
                         : nullptr;
    const auto *M =
        DR ? llvm::dyn_cast<clang::VarDecl>(DR->getDecl()) : nullptr;
    if (!M || !Maps.count(M))
      return Report(E->getBeginLoc(), "initial value of map '" + Out.Name +
                                          "' is not '&m' of a map defined "
                                          "before it in section .maps");
    const cir::MapDef &D = Defined[Maps.at(M)];
    const cir::MapDef &T = *Out.Inner;
    if (D.MapType != T.MapType || D.KeySize != T.KeySize ||
        D.ValueSize != T.ValueSize || D.Flags != T.Flags ||
        D.MaxEntries != T.MaxEntries)
      return Report(E->getBeginLoc(),
                    "map '" + D.Name + "' does not match the inner maps of '" +
                        Out.Name +
                        "' (type, key and value sizes, max_entries and "
                        "flags must be the template's)");
    Out.InitialValues.push_back(int(Maps.at(M)));
  }
  return true;
}

/// Reads a global variable definition of an integer type or a
/// one-dimensional array of them, with a constant initialiser (or none),
/// into Out (but Offset; see cir::GlobalVar). Reports and returns false
/// when it is not one VEP supports.
bool lowerGlobalVar(clang::ASTContext &Ctx, const clang::VarDecl *VD,
                    const std::string &Path, cir::GlobalVar &Out,
                    std::vector<Diagnostic> &Errors) {
  const clang::SourceManager &SM = Ctx.getSourceManager();
  clang::PresumedLoc P =
      SM.getPresumedLoc(SM.getExpansionLoc(VD->getLocation()));
  Out.Name = VD->getNameAsString();
  Out.L = {P.getLine(), P.getColumn()};
  auto Report = [&](const std::string &Msg) {
    Errors.push_back({Path, P.getLine(), P.getColumn(),
                      "not supported yet: global variable '" + Out.Name +
                          "' " + Msg});
    return false;
  };
  clang::QualType QT = VD->getType(), Elem = QT;
  if (const auto *AT = Ctx.getAsConstantArrayType(QT)) {
    Elem = AT->getElementType();
    Out.Count = AT->getSize().getZExtValue();
  }
  Out.Spelling = QT.getAsString();
  Out.DeclaredType = describeType(Ctx, QT);
  if (VD->hasAttr<clang::SectionAttr>())
    return Report("in a section of its own");
  if (VD->getTLSKind() != clang::VarDecl::TLS_None)
    return Report("that is thread-local");
  if (QT->isIncompleteType() || Ctx.getAsArrayType(Elem) ||
      !(Elem->isIntegerType() || Elem->isEnumeralType()) ||
      Elem->isBooleanType() || (QT != Elem && Out.Count == 0))
    return Report("of type '" + Out.Spelling +
                  "' (integers and arrays of integers are)");
  Out.ElemBits = unsigned(Ctx.getTypeSize(Elem));
  Out.ElemSigned = Elem->isSignedIntegerOrEnumerationType();
  Out.Size = uint64_t(Ctx.getTypeSizeInChars(QT).getQuantity());
  Out.Align = uint64_t(Ctx.getDeclAlign(VD).getQuantity());
  Out.Static = VD->getStorageClass() == clang::SC_Static;
  Out.Init.assign(Out.Size, 0);
  // The initialiser: an integer constant expression, or for an array an
  // initialiser list of them (elements not given are zero).
  const clang::VarDecl *Def = nullptr;
  const clang::Expr *Init = VD->getAnyInitializer(Def);
  const auto *List =
      Init ? llvm::dyn_cast<clang::InitListExpr>(Init->IgnoreParenImpCasts())
           : nullptr;
  // A string literal for a char array: its bytes, then zeros.
  if (const auto *SL = Init ? llvm::dyn_cast<clang::StringLiteral>(
                                  Init->IgnoreParenImpCasts())
                            : nullptr;
      SL && Out.Count && Out.ElemBits == 8) {
    llvm::StringRef Bytes = SL->getBytes();
    std::copy_n(Bytes.begin(), std::min<size_t>(Bytes.size(), Out.Size),
                Out.Init.begin());
    Init = nullptr;
  }
  if (Out.Count && Init && !List)
    return Report("with an initialiser that is not a list of constants");
  unsigned N = List ? std::min<unsigned>(List->getNumInits(), unsigned(Out.Count))
                    : Init ? 1 : 0;
  for (unsigned I = 0; I < N; I++) {
    const clang::Expr *X = List ? List->getInit(I) : Init;
    clang::Expr::EvalResult R;
    if (llvm::isa<clang::ImplicitValueInitExpr>(X))
      continue;
    if (!X->EvaluateAsInt(R, Ctx))
      return Report("with an initialiser that is not a constant");
    uint64_t U = R.Val.getInt().extOrTrunc(64).getZExtValue();
    for (unsigned B = 0; B < Out.ElemBits / 8; B++)
      Out.Init[I * Out.ElemBits / 8 + B] = uint8_t(U >> (8 * B));
  }
  bool Nonzero = std::any_of(Out.Init.begin(), Out.Init.end(),
                             [](uint8_t B) { return B != 0; });
  Out.Sec = Elem.isConstQualified() || QT.isConstQualified()
                ? cir::GlobalVar::Section::Rodata
                : Nonzero ? cir::GlobalVar::Section::Data
                          : cir::GlobalVar::Section::Bss;
  return true;
}

/// The static local variables of a function body, in order.
class StaticLocalCollector
    : public clang::RecursiveASTVisitor<StaticLocalCollector> {
public:
  std::vector<const clang::VarDecl *> Statics;
  bool VisitVarDecl(clang::VarDecl *VD) {
    if (VD->isStaticLocal())
      Statics.push_back(VD);
    return true;
  }
};

/// The calls in a function body.
class CallCollector : public clang::RecursiveASTVisitor<CallCollector> {
public:
  std::vector<const clang::CallExpr *> Calls;
  bool VisitCallExpr(clang::CallExpr *C) {
    Calls.push_back(C);
    return true;
  }
};

/// Finds the functions without a section that the entry points call,
/// directly or through each other (a depth-first search from each entry
/// point), and reports every call that closes a cycle: the kernel forbids
/// recursion. Inline functions without a contract are followed but not
/// Called: their bodies are inlined where they are called.
void collectFunctions(const std::vector<const clang::FunctionDecl *> &Entries,
                      const std::function<bool(const clang::FunctionDecl *)>
                          &HasContract,
                      const clang::SourceManager &SM, const std::string &Path,
                      std::set<const clang::FunctionDecl *> &Called,
                      ModuleFunctions &Funcs, std::vector<Diagnostic> &Errors) {
  enum class Mark { OnStack, Done };
  std::map<const clang::FunctionDecl *, Mark> Marks;
  std::function<void(const clang::FunctionDecl *)> Visit =
      [&](const clang::FunctionDecl *FD) {
        Marks[FD] = Mark::OnStack;
        CallCollector CC;
        CC.TraverseStmt(FD->getBody());
        for (const clang::CallExpr *C : CC.Calls) {
          const clang::FunctionDecl *G = definedCallee(C, SM);
          if (!G || G->hasAttr<clang::SectionAttr>())
            continue;
          auto M = Marks.find(G);
          if (M != Marks.end() && M->second == Mark::OnStack) {
            clang::PresumedLoc P =
                SM.getPresumedLoc(SM.getExpansionLoc(C->getBeginLoc()));
            Errors.push_back({Path, P.getLine(), P.getColumn(),
                              "recursive call: eBPF forbids recursion"});
            continue;
          }
          if (M != Marks.end())
            continue;
          // An inline function without a contract is inlined at its calls
          // (not compiled on its own); the functions it calls are called by
          // its callers.
          if ((G->isInlineSpecified() || G->hasAttr<clang::AlwaysInlineAttr>()) &&
              !HasContract(G))
            Funcs.InlineWithoutContract.insert(G);
          else
            Called.insert(G);
          Visit(G);
        }
        Marks[FD] = Mark::Done;
        Funcs.CalleesFirst.push_back(FD);
      };
  for (const clang::FunctionDecl *E : Entries)
    if (!Marks.count(E))
      Visit(E);
}

/// Sets ParamSpec::Writes of every buffer parameter through which F may
/// store: a Store or Atomic whose address mentions a variable derived
/// from the parameter (assigned an expression mentioning it,
/// transitively), or a FuncCall passing such a variable as a buffer the
/// callee writes. F's callees are marked already (they are lowered
/// first). The verifier rejects a store through a buffer not marked, so
/// an omission here can only reject programs.
void markBufferWrites(cir::Function &F,
                      const std::vector<cir::Function> &Functions) {
  std::function<bool(const cir::Expr &, const std::set<unsigned> &)> Mentions =
      [&](const cir::Expr &E, const std::set<unsigned> &Vs) {
        if (E.K == cir::Expr::Kind::Var && Vs.count(E.VarId))
          return true;
        for (const auto &O : E.Ops)
          if (O && Mentions(*O, Vs))
            return true;
        return false;
      };
  std::function<void(const cir::Stmt &,
                     const std::function<void(const cir::Stmt &)> &)>
      Walk = [&](const cir::Stmt &S,
                 const std::function<void(const cir::Stmt &)> &Visit) {
        Visit(S);
        for (const auto *Sub : {S.Then.get(), S.Else.get(), S.Step.get()})
          if (Sub)
            Walk(*Sub, Visit);
        for (const auto &B : S.Body)
          Walk(*B, Visit);
      };
  // Whether the statement passes a variable of Vs to a written buffer.
  std::function<bool(const cir::Expr &, const std::set<unsigned> &)>
      PassesToWriter = [&](const cir::Expr &E, const std::set<unsigned> &Vs) {
        if (E.K == cir::Expr::Kind::FuncCall && E.Value < Functions.size()) {
          const cir::Function &G = Functions[E.Value];
          for (size_t I = 0; I < E.Ops.size() && I < G.Params.size(); ++I)
            if (G.Params[I].K == cir::ParamSpec::Kind::Buffer &&
                G.Params[I].Writes && Mentions(*E.Ops[I], Vs))
              return true;
        }
        for (const auto &O : E.Ops)
          if (O && PassesToWriter(*O, Vs))
            return true;
        return false;
      };
  if (!F.Body)
    return;
  for (unsigned P = 0; P < F.Params.size(); ++P) {
    if (F.Params[P].K != cir::ParamSpec::Kind::Buffer)
      continue;
    std::set<unsigned> Derived{P};
    for (size_t Before = 0; Before != Derived.size();) {
      Before = Derived.size();
      Walk(*F.Body, [&](const cir::Stmt &S) {
        if (S.K == cir::Stmt::Kind::Assign && S.Value &&
            Mentions(*S.Value, Derived))
          Derived.insert(S.VarId);
      });
    }
    Walk(*F.Body, [&](const cir::Stmt &S) {
      if ((S.K == cir::Stmt::Kind::Store || S.K == cir::Stmt::Kind::Atomic) &&
          Mentions(*S.Addr, Derived))
        F.Params[P].Writes = true;
      for (const auto *E : {S.Value.get(), S.Cond.get()})
        if (E && PassesToWriter(*E, Derived))
          F.Params[P].Writes = true;
    });
  }
}

std::string multiarchInclude() {
  std::string M = VEP_MULTIARCH;
  if (!M.empty() && std::filesystem::exists("/usr/include/" + M))
    return "/usr/include/" + M;
  std::error_code EC;
  for (const auto &Ent : std::filesystem::directory_iterator("/usr/include", EC))
    if (std::filesystem::exists(Ent.path() / "asm" / "types.h"))
      return Ent.path().string();
  return "";
}

std::string resourceDir() {
  std::string R = VEP_CLANG_RESOURCE_DIR;
  if (!R.empty() && std::filesystem::exists(R + "/include/stddef.h"))
    return R;
  std::error_code EC;
  for (const auto &Ent : std::filesystem::directory_iterator(
           "/usr/lib/llvm-14/lib/clang", EC))
    if (std::filesystem::exists(Ent.path() / "include" / "stddef.h"))
      return Ent.path().string();
  return R;
}

} // namespace

bool buildModule(const std::string &Path,
                 const std::vector<std::string> &PreprocessorFlags,
                 cir::Module &Out, std::vector<Diagnostic> &Errors) {
  size_t ErrorsAtStart = Errors.size();
  Out = cir::Module();
  Out.FileName = Path;

  std::string Code;
  {
    std::ifstream In(Path, std::ios::binary);
    std::error_code EC;
    if (!In || std::filesystem::is_directory(Path, EC)) {
      Errors.push_back({Path, 0, 0, "cannot read '" + Path + "'"});
      return false;
    }
    std::ostringstream SS;
    SS << In.rdbuf();
    Code = SS.str();
  }
  Out.Source = Code;

  std::vector<std::string> Args = {"-x", "c", "-target", "bpf", "-O2",
                                   "-fno-color-diagnostics"};
  std::string Res = resourceDir();
  if (!Res.empty()) {
    Args.push_back("-resource-dir");
    Args.push_back(Res);
  }
  Args.insert(Args.end(), PreprocessorFlags.begin(), PreprocessorFlags.end());
  std::string MA = multiarchInclude();
  if (!MA.empty())
    Args.push_back("-I" + MA);

  Collector Diags(Errors);
  std::unique_ptr<clang::ASTUnit> AST = clang::tooling::buildASTFromCodeWithArgs(
      Code, Args, Path, "vep-c",
      std::make_shared<clang::PCHContainerOperations>(),
      clang::tooling::getClangStripDependencyFileAdjuster(),
      clang::tooling::FileContentMappings(), &Diags);
  if (!AST) {
    if (Errors.size() == ErrorsAtStart)
      Errors.push_back({Path, 0, 0, "cannot parse '" + Path + "'"});
    return false;
  }
  if (Errors.size() != ErrorsAtStart ||
      AST->getDiagnostics().hasErrorOccurred()) {
    if (Errors.size() == ErrorsAtStart)
      Errors.push_back({Path, 0, 0, "errors while parsing '" + Path + "'"});
    return false;
  }

  clang::ASTContext &Ctx = AST->getASTContext();
  const clang::SourceManager &SM = Ctx.getSourceManager();
  clang::FileID Main = SM.getMainFileID();
  std::string Buf = SM.getBufferData(Main).str();

  LineTable LT(Buf);
  std::vector<RawAnnotation> Anns = scanAnnotations(Buf, LT);
  for (RawAnnotation &A : Anns) {
    auto Ann = std::make_shared<logic::Annotation>();
    logic::ParseError PE;
    if (logic::parseAnnotation(A.Text, A.TextPos, *Ann, PE)) {
      A.Ann = std::move(Ann);
    } else {
      logic::SourcePos P = PE.Pos.Line ? PE.Pos : A.TextPos;
      Errors.push_back({Path, P.Line, P.Col, PE.Message});
    }
  }

  clang::Preprocessor &PP = AST->getPreprocessor();
  ConstantLookup Constants =
      [&](const std::string &Name) -> std::optional<__int128> {
    clang::IdentifierInfo &II = Ctx.Idents.get(Name);
    for (clang::NamedDecl *ND :
         Ctx.getTranslationUnitDecl()->lookup(clang::DeclarationName(&II)))
      if (const auto *EC = llvm::dyn_cast<clang::EnumConstantDecl>(ND)) {
        const llvm::APSInt &V = EC->getInitVal();
        return V.isSigned() ? __int128(V.getSExtValue())
                            : __int128(V.getZExtValue());
      }
    const clang::MacroInfo *MI = PP.getMacroInfo(&II);
    if (!MI || !MI->isObjectLike())
      return std::nullopt;
    // Accept a body of one integer literal, optionally parenthesised.
    std::vector<const clang::Token *> Toks;
    for (const clang::Token &T : MI->tokens())
      Toks.push_back(&T);
    while (Toks.size() >= 3 && Toks.front()->is(clang::tok::l_paren) &&
           Toks.back()->is(clang::tok::r_paren))
      Toks = std::vector<const clang::Token *>(Toks.begin() + 1,
                                               Toks.end() - 1);
    if (Toks.size() != 1 || !Toks[0]->is(clang::tok::numeric_constant))
      return std::nullopt;
    std::string Sp = PP.getSpelling(*Toks[0]);
    while (!Sp.empty() && (Sp.back() == 'u' || Sp.back() == 'U' ||
                           Sp.back() == 'l' || Sp.back() == 'L'))
      Sp.pop_back();
    try {
      size_t Used = 0;
      unsigned long long V = std::stoull(Sp, &Used, 0);
      if (Used != Sp.size())
        return std::nullopt;
      return __int128(V);
    } catch (...) {
      return std::nullopt;
    }
  };

  lowerPredicates(Anns, Constants, Path, Out.Predicates, Errors);
  // Maps first: functions refer to them wherever they are defined.
  MapIndex Maps;
  for (clang::Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    const auto *VD = llvm::dyn_cast<clang::VarDecl>(D);
    const auto *SA = VD ? VD->getAttr<clang::SectionAttr>() : nullptr;
    if (!SA || SA->getName() != ".maps" ||
        !SM.isInMainFile(SM.getExpansionLoc(D->getLocation())))
      continue;
    cir::MapDef MD;
    if (!lowerMapDef(Ctx, VD, Path, Maps, Out.Maps, MD, Errors))
      continue;
    Maps[VD] = unsigned(Out.Maps.size());
    Out.Maps.push_back(std::move(MD));
  }
  // Global variables likewise (by their first declaration), each at the
  // next offset of its section aligned to its alignment (in definition
  // order, as clang lays them out), then the static locals of the
  // functions, named `f.v` as clang names them (`f.v.1`, ... for a second
  // `v` in f): bpf_printk's format strings are ones.
  GlobalIndex Globals;
  std::vector<const clang::VarDecl *> GlobalDecls;
  std::vector<std::string> StaticNames;
  for (clang::Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    const auto *VD = llvm::dyn_cast<clang::VarDecl>(D);
    const auto *SA = VD ? VD->getAttr<clang::SectionAttr>() : nullptr;
    if (VD && VD->hasGlobalStorage() && !VD->hasExternalStorage() &&
        VD->getCanonicalDecl() == VD &&
        !(SA && (SA->getName() == ".maps" || SA->getName() == "license")) &&
        SM.isInMainFile(SM.getExpansionLoc(D->getLocation()))) {
      GlobalDecls.push_back(VD);
      StaticNames.emplace_back();
    }
  }
  for (clang::Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    const auto *FD = llvm::dyn_cast<clang::FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody() ||
        !SM.isInMainFile(SM.getExpansionLoc(D->getLocation())))
      continue;
    StaticLocalCollector SC;
    SC.TraverseStmt(FD->getBody());
    std::map<std::string, unsigned> Seen;
    for (const clang::VarDecl *VD : SC.Statics) {
      std::string Name = FD->getNameAsString() + "." + VD->getNameAsString();
      if (unsigned K = Seen[Name]++)
        Name += "." + std::to_string(K);
      GlobalDecls.push_back(VD);
      StaticNames.push_back(Name);
    }
  }
  std::map<cir::GlobalVar::Section, uint64_t> SectionEnd;
  for (size_t I = 0; I < GlobalDecls.size(); ++I) {
    const clang::VarDecl *VD = GlobalDecls[I];
    cir::GlobalVar G;
    if (!lowerGlobalVar(Ctx, VD, Path, G, Errors))
      continue;
    if (!StaticNames[I].empty())
      G.Name = StaticNames[I];
    uint64_t &End = SectionEnd[G.Sec];
    G.Offset = (End + G.Align - 1) / G.Align * G.Align;
    End = G.Offset + G.Size;
    Globals[VD] = unsigned(Out.Globals.size());
    Out.Globals.push_back(std::move(G));
  }

  // The functions: the entry points (with a section) and the functions
  // they call, in definition order.
  auto ContractOf = [&](const clang::FunctionDecl *FD) {
    unsigned NameOff = SM.getFileOffset(SM.getExpansionLoc(FD->getLocation()));
    const auto *Body = llvm::cast<clang::CompoundStmt>(FD->getBody());
    unsigned BodyOff =
        SM.getFileOffset(SM.getExpansionLoc(Body->getLBracLoc()));
    for (const RawAnnotation &A : Anns)
      if (A.Offset > NameOff && A.Offset < BodyOff)
        return true;
    return false;
  };
  std::vector<const clang::FunctionDecl *> Entries;
  for (clang::Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    auto *FD = llvm::dyn_cast<clang::FunctionDecl>(D);
    if (FD && FD->doesThisDeclarationHaveABody() &&
        FD->hasAttr<clang::SectionAttr>() &&
        SM.isInMainFile(SM.getExpansionLoc(D->getLocation())))
      Entries.push_back(FD);
  }
  std::set<const clang::FunctionDecl *> Called;
  ModuleFunctions Funcs;
  collectFunctions(Entries, ContractOf, SM, Path, Called, Funcs, Errors);
  for (clang::Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    auto *FD = llvm::dyn_cast<clang::FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody() ||
        !SM.isInMainFile(SM.getExpansionLoc(D->getLocation())))
      continue;
    const auto *SA = FD->getAttr<clang::SectionAttr>();
    if (SA ? !cir::programTypeOfSection(SA->getName().str())
           : !Called.count(FD))
      continue;
    unsigned Next = unsigned(Funcs.Index.size());
    Funcs.Index[FD] = Next;
  }

  for (clang::Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    if (!SM.isInMainFile(SM.getExpansionLoc(D->getLocation())))
      continue;
    if (auto *VD = llvm::dyn_cast<clang::VarDecl>(D)) {
      const auto *SA = VD->getAttr<clang::SectionAttr>();
      if (SA && SA->getName() == "license" && VD->getInit()) {
        if (const auto *SL = llvm::dyn_cast<clang::StringLiteral>(
                VD->getInit()->IgnoreImpCasts()))
          Out.License = SL->getString().str();
      }
      continue;
    }
    auto *FD = llvm::dyn_cast<clang::FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody())
      continue;
    const auto *SA = FD->getAttr<clang::SectionAttr>();
    std::string Sec = SA ? SA->getName().str() : std::string();
    if (SA && !cir::programTypeOfSection(Sec)) {
      clang::PresumedLoc P =
          SM.getPresumedLoc(SM.getExpansionLoc(FD->getLocation()));
      Errors.push_back({Path, P.getLine(), P.getColumn(),
                        "not supported yet: program type '" + Sec + "'"});
      continue;
    }
    if (!Funcs.Index.count(FD)) {
      // A function no entry point calls is not compiled, so not verified:
      // its annotations are left alone.
      unsigned From = SM.getFileOffset(SM.getExpansionLoc(FD->getBeginLoc()));
      unsigned To = SM.getFileOffset(SM.getExpansionLoc(FD->getEndLoc()));
      for (RawAnnotation &A : Anns)
        if (A.Offset >= From && A.Offset <= To)
          A.Used = true;
      continue;
    }
  }
  // Every function gets its place (Funcs.Index), lowered or not: a
  // failure is an error, and then the module is not used.
  Out.Functions.resize(Funcs.Index.size());
  Funcs.Lowered = &Out.Functions;
  for (const clang::FunctionDecl *FD : Funcs.CalleesFirst) {
    auto It = Funcs.Index.find(FD);
    if (It == Funcs.Index.end())
      continue;
    cir::Function &F = Out.Functions[It->second];
    const auto *SA = FD->getAttr<clang::SectionAttr>();
    std::string Sec = SA ? SA->getName().str() : std::string();
    if (SA)
      F.ProgType = *cir::programTypeOfSection(Sec);
    FunctionLowering FL(Ctx, Path, Anns, Errors, Constants, Maps, Globals,
                        Funcs);
    FL.Predicates = &Out.Predicates;
    FL.lower(FD, Sec, F);
    markBufferWrites(F, Out.Functions);
  }

  for (const RawAnnotation &A : Anns)
    if (!A.Used && A.Ann)
      Errors.push_back({Path, A.Ann->Pos.Line ? A.Ann->Pos.Line : A.TextPos.Line,
                        A.Ann->Pos.Line ? A.Ann->Pos.Col : A.TextPos.Col,
                        "annotation is not attached to the contract or a "
                        "statement of a function"});

  if (Errors.size() == ErrorsAtStart && Out.Functions.empty())
    Errors.push_back({Path, 0, 0,
                      "no entry point: no function with SEC(\"...\") in '" +
                          Path + "'"});
  // Report in source order.
  std::stable_sort(Errors.begin() + long(ErrorsAtStart), Errors.end(),
                   [](const Diagnostic &A, const Diagnostic &B) {
                     return A.Line != B.Line ? A.Line < B.Line : A.Col < B.Col;
                   });
  // One diagnostic once: a recursive call of an inline function is found
  // by collectFunctions and again where it would be inlined.
  Errors.erase(std::unique(Errors.begin() + long(ErrorsAtStart), Errors.end(),
                           [](const Diagnostic &A, const Diagnostic &B) {
                             return A.Line == B.Line && A.Col == B.Col &&
                                    A.File == B.File && A.Message == B.Message;
                           }),
               Errors.end());
  return Errors.size() == ErrorsAtStart;
}

} // namespace vep::frontend
