//===- DebugTypes.cpp - Clang types to cir::DebugType ---------------------===//
//
// Walks a Clang type as clang's debug info does for BTF: qualifiers become
// Const and Volatile over the type, typedef names Typedefs, other sugar
// (`typeof`, `struct S` as written, parentheses, attributes) is looked
// through, records give their fields' names, types and bit offsets from
// the target's record layout (unnamed bit-fields are padding, left out as
// clang does), and a pointer inside a record or array to a record names it
// only (clang writes the kernel's context structs' inner pointers, such as
// `struct bpf_sock *sk` of `struct __sk_buff`, as FWDs).
//
//===----------------------------------------------------------------------===//
#include "DebugTypes.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/RecordLayout.h>
#include <clang/AST/Type.h>

namespace vep::frontend {
namespace {

using cir::DebugType;
using cir::DebugTypePtr;
using Kind = cir::DebugType::Kind;

class Describer {
public:
  explicit Describer(clang::ASTContext &Ctx) : Ctx(Ctx) {}

  /// QT's description (null for void); sets Failed when a part of it has
  /// none. InRecord: QT is (part of) a field's type.
  DebugTypePtr type(clang::QualType QT, bool InRecord) {
    if (QT.isNull())
      return fail();
    clang::Qualifiers Q = QT.getLocalQualifiers();
    if (Q.hasConst() || Q.hasVolatile()) {
      DebugTypePtr T = type(QT.getLocalUnqualifiedType(), InRecord);
      if (Q.hasVolatile())
        T = wrap(Kind::Volatile, T);
      return Q.hasConst() ? wrap(Kind::Const, T) : T;
    }
    const clang::Type *T = QT.getTypePtr();
    if (const auto *TD = llvm::dyn_cast<clang::TypedefType>(T)) {
      auto D = node(Kind::Typedef);
      D->Name = TD->getDecl()->getName().str();
      D->Of = type(TD->getDecl()->getUnderlyingType(), InRecord);
      return D;
    }
    // typeof, `struct S` as written, parentheses, attributes, ...
    if (clang::QualType Under = QT.getSingleStepDesugaredType(Ctx); Under != QT)
      return type(Under, InRecord);
    if (T->isVoidType())
      return nullptr;
    if (const auto *B = llvm::dyn_cast<clang::BuiltinType>(T)) {
      if (!B->isInteger() && !B->isFloatingPoint())
        return fail();
      auto D = node(B->isInteger() ? Kind::Int : Kind::Float);
      D->Name = B->getName(Ctx.getPrintingPolicy()).str();
      D->Size = bytes(QT);
      D->Signed = B->isSignedInteger();
      D->Bool = B->getKind() == clang::BuiltinType::Bool;
      return D;
    }
    if (const auto *P = llvm::dyn_cast<clang::PointerType>(T)) {
      clang::QualType To = P->getPointeeType();
      auto D = node(Kind::Ptr);
      const clang::RecordType *R = To->getAs<clang::RecordType>();
      D->Of = InRecord && R ? fwd(R->getDecl()) : type(To, InRecord);
      return D;
    }
    if (const auto *A = llvm::dyn_cast<clang::ArrayType>(T)) {
      const auto *C = llvm::dyn_cast<clang::ConstantArrayType>(A);
      if (!C && !llvm::isa<clang::IncompleteArrayType>(A))
        return fail(); // variable-length
      auto D = node(Kind::Array);
      D->Count = C ? C->getSize().getZExtValue() : 0;
      D->Of = type(A->getElementType(), InRecord);
      return D->Of ? D : fail();
    }
    if (const auto *R = llvm::dyn_cast<clang::RecordType>(T))
      return record(R->getDecl());
    if (const auto *E = llvm::dyn_cast<clang::EnumType>(T)) {
      auto D = node(Kind::Enum);
      D->Name = E->getDecl()->getName().str();
      D->Size = E->getDecl()->getDefinition() ? bytes(QT) : 4;
      if (const clang::EnumDecl *Def = E->getDecl()->getDefinition())
        for (const clang::EnumConstantDecl *C : Def->enumerators())
          D->Enumerators.push_back(
              {C->getName().str(), C->getInitVal().getSExtValue()});
      return D;
    }
    if (const auto *F = llvm::dyn_cast<clang::FunctionType>(T)) {
      auto D = node(Kind::FuncProto);
      D->Of = type(F->getReturnType(), true);
      if (const auto *P = llvm::dyn_cast<clang::FunctionProtoType>(F)) {
        for (clang::QualType Param : P->param_types())
          D->Members.push_back({"", type(Param, true), 0, 0});
        D->Variadic = P->isVariadic();
      }
      return D;
    }
    return fail(); // vectors, _Complex, _Atomic, ...
  }

  bool Failed = false;

private:
  DebugTypePtr record(const clang::RecordDecl *RD) {
    const clang::RecordDecl *Def = RD->getDefinition();
    if (!Def)
      return fwd(RD);
    auto D = node(Def->isUnion() ? Kind::Union : Kind::Struct);
    D->Name = Def->getName().str();
    D->Size = bytes(Ctx.getRecordType(Def));
    const clang::ASTRecordLayout &Layout = Ctx.getASTRecordLayout(Def);
    for (const clang::FieldDecl *F : Def->fields()) {
      if (F->isUnnamedBitfield())
        continue;
      DebugType::Member M;
      M.Name = F->getName().str();
      M.Type = type(F->getType(), true);
      M.BitOffset = Layout.getFieldOffset(F->getFieldIndex());
      M.BitfieldBits = F->isBitField() ? F->getBitWidthValue(Ctx) : 0;
      D->Members.push_back(std::move(M));
    }
    return D;
  }
  DebugTypePtr fwd(const clang::RecordDecl *RD) {
    auto D = node(Kind::Fwd);
    D->Name = RD->getName().str();
    D->IsUnion = RD->isUnion();
    // An anonymous record has no name to point to: clang describes it.
    return D->Name.empty() ? record(RD) : D;
  }
  uint64_t bytes(clang::QualType QT) {
    if (QT->isIncompleteType() || QT->isDependentType())
      return 0;
    return uint64_t(Ctx.getTypeSizeInChars(QT).getQuantity());
  }
  static std::shared_ptr<DebugType> node(Kind K) {
    auto D = std::make_shared<DebugType>();
    D->K = K;
    return D;
  }
  static DebugTypePtr wrap(Kind K, DebugTypePtr Of) {
    auto D = node(K);
    D->Of = std::move(Of);
    return D;
  }
  DebugTypePtr fail() {
    Failed = true;
    return nullptr;
  }

  clang::ASTContext &Ctx;
};

} // namespace

cir::DebugTypePtr describeType(clang::ASTContext &Ctx, clang::QualType QT) {
  Describer D(Ctx);
  cir::DebugTypePtr T = D.type(QT, false);
  return D.Failed ? nullptr : T;
}

cir::DebugTypePtr describeSignature(clang::ASTContext &Ctx,
                                    const clang::FunctionDecl *FD) {
  Describer D(Ctx);
  auto Proto = std::make_shared<cir::DebugType>();
  Proto->K = Kind::FuncProto;
  Proto->Of = D.type(FD->getReturnType(), false);
  for (const clang::ParmVarDecl *P : FD->parameters())
    Proto->Members.push_back(
        {P->getName().str(), D.type(P->getType(), false), 0, 0});
  Proto->Variadic = FD->isVariadic();
  return D.Failed ? nullptr : Proto;
}

} // namespace vep::frontend
