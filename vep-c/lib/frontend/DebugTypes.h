//===- DebugTypes.h - Clang types to cir::DebugType -------------*- C++ -*-===//
//
// The front end's reading of declared C types for the object's BTF
// (vep/cir/DebugType.h): what clang's debug info would say of them.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_FRONTEND_DEBUGTYPES_H
#define VEP_FRONTEND_DEBUGTYPES_H

#include "vep/cir/DebugType.h"

namespace clang {
class ASTContext;
class FunctionDecl;
class QualType;
} // namespace clang

namespace vep::frontend {

/// QT's description; null when it is void or has a part BTF cannot say
/// (a vector type, a variable-length array, `_Atomic`, ...), which the
/// object then describes by size.
cir::DebugTypePtr describeType(clang::ASTContext &Ctx, clang::QualType QT);

/// FD's signature as a FuncProto: result, parameters' names and types;
/// null when a type in it is not describable.
cir::DebugTypePtr describeSignature(clang::ASTContext &Ctx,
                                    const clang::FunctionDecl *FD);

} // namespace vep::frontend

#endif // VEP_FRONTEND_DEBUGTYPES_H
