//===- CodeGen.h - VEP compiler: CIR to eBPF bytecode -----------*- C++ -*-===//
//
// The code generator of the VEP compiler: one annotated C function (CIR) in,
// eBPF instructions, the lowered exit assertion and annotated assembly out;
// and the writers of a relocatable EM_BPF object / assembly file for a set of
// compiled programs.
//
// Conventions of the generated code (see docs in CodeGen.cpp):
//  * R1 holds ctx at entry and is moved to ctx's home first.
//  * Each local and parameter has one home for the whole function: R6-R9
//    (shared by variables whose live ranges do not overlap; the least used
//    go to the stack when more than four are live) or an 8-byte stack slot
//    R10-8, R10-16, ... Expression temporaries use R0-R5 and spill to slots
//    below the variables' slots when they run out.
//  * A value of an N-bit C integer type is kept in its register as the N-bit
//    pattern zero-extended to 64 bits (whatever its signedness); pointers are
//    64-bit. So an `int` return leaves the 32-bit value zero-extended in R0.
//  * Forward jumps only, except each loop's back edge(s) to its head, a
//    cut point (CompiledProgram::Cuts) where only variables' homes are live;
//    every `return` ends in its own `exit`. Nested loops are not supported
//    yet.
//  * Helper calls take their arguments in R1-R5 and return in R0; a `&v`
//    argument points to a stack buffer of the call's own holding v's value;
//    `&map` is an lddw with a relocation against the map's symbol
//    (CompiledProgram::MapRelocs). Homes are R6-R9 or the stack, so nothing
//    a call clobbers is live across it. docs/compiler.md has the details.
//  * bpf-to-bpf calls (FuncCall) follow the same convention; the callee's
//    parameters arrive in R1-R5 and it has its own frame. compileModule
//    puts the called functions into `.text`, callers first, and links the
//    calls (CompiledProgram::CallRelocs); each function's contract is
//    lowered for the checker's function table (docs/compiler.md section 8).
//
//===----------------------------------------------------------------------===//
#ifndef VEP_COMPILER_CODEGEN_H
#define VEP_COMPILER_CODEGEN_H

#include "vep/cir/CIR.h"
#include "vep/cir/CProof.h"
#include "vep/compiler/BpfInsn.h"
#include "vep/compiler/CutPoint.h"
#include "vep/compiler/ElfWriter.h"
#include "vep/compiler/PostCondition.h"

#include <climits>
#include <cstdint>
#include <string>
#include <vector>

namespace vep::compiler {

/// An lddw that loads the address of a map or of a global variable: the
/// object carries an R_BPF_64_64 relocation against the map's symbol in
/// `.maps` or the variable's in its section at this slot (imm 0).
struct MapRelocation {
  uint32_t Insn = 0; ///< the lddw's first slot
  std::string Map;   ///< the map's or the variable's name (its symbol)

  bool operator==(const MapRelocation &O) const = default;
};

/// A bpf-to-bpf `call` (src = 1): the object carries an R_BPF_64_32
/// relocation at this slot against the `.text` section symbol; the
/// instruction's immediate is the callee's first instruction in `.text`
/// minus 1 once compileModule has laid `.text` out (-1 before).
struct CallRelocation {
  uint32_t Insn = 0;  ///< the call's slot
  unsigned Callee = 0; ///< the callee's index in cir::Module::Functions
  std::string Name;    ///< the callee's name (its STT_FUNC symbol)

  bool operator==(const CallRelocation &O) const = default;
};

/// VEP-C's state on one path before a statement (vep/cir/CProof.h), at the
/// statement's first instruction, with each variable's place there
/// (docs/compiler.md section 3, "Statement boundaries").
struct PlacedState {
  uint32_t Insn = 0;
  cir::ProofState State;
  unsigned Paths = 0;     ///< the paths reaching the statement
  bool LoopEntry = false; ///< the statement is a loop: Insn is its head
  /// Per State.Vars entry: the register (0..9) or stack slot (R10 + a
  /// negative offset) that holds the variable there, or NoPlace: the
  /// code keeps it nowhere, it is an existential of the state.
  std::vector<int> Where;
  static constexpr int NoPlace = INT32_MIN;
};

struct CompiledProgram {
  /// Section is the SEC() name of an entry point; empty for a function
  /// that entry points call, which goes into `.text`.
  std::string Name, Section;
  bool isTextFunction() const { return Section.empty(); }
  std::vector<BpfInsn> Insns; // raw 8-byte eBPF instructions (lddw occupies two)
  PostCondition Post;         // lowered Ensure (empty = unconstrained)
  /// One per loop, sorted by instruction: the loop head's assertion.
  std::vector<CutPoint> Cuts;
  /// With VEP-C's states (compileFunction's States): those of statements
  /// that have instructions, in instruction order, and how many states
  /// belong to statements without code of their own.
  std::vector<PlacedState> States;
  unsigned UnplacedStates = 0;
  std::string Asm;            // annotated assembly text for -S
  /// The C statement's location each instruction slot was generated for
  /// (Line 0: none, the slot belongs to the statement before it); same
  /// length as Insns. The object's line info (`.BTF.ext`) is made of it.
  std::vector<cir::Loc> Locs;
  /// The C function's header, parameters (names and types) and result
  /// type: its BTF FUNC record in the object.
  cir::Loc L;
  std::vector<cir::Variable> Params;
  cir::Type ReturnType;
  /// The C signature as the front end read it (cir::Function::Proto; null:
  /// the BTF says it from Params and ReturnType).
  cir::DebugTypePtr Proto;
  /// The lddw slots that load a map's address, in instruction order.
  std::vector<MapRelocation> MapRelocs;
  /// The bpf-to-bpf calls, in instruction order.
  std::vector<CallRelocation> CallRelocs;
  /// A text function's contract as the checker's function table states it
  /// (pre: bindings of R1..R5; post: R0's binding and facts, its
  /// variables after the pre's its own); empty for entry points.
  CutPoint FuncPre, FuncPost;
};

/// Returns false with Err ("not supported yet: ..." or an internal error) if
/// F cannot be compiled. Maps are the module's maps (cir::Module::Maps),
/// which MapAddr expressions index; Functions the module's functions
/// (cir::Module::Functions), which FuncCall expressions index. A call's
/// immediate is left -1: compileModule sets it. With a Source, Out.Asm
/// quotes the C line (`# file:line:col: text`) before each statement's code;
/// with States (VEP-C's C-level proof of F), it notes each statement's
/// states there over the variables' homes (docs/compiler.md section 5).
bool compileFunction(const cir::Function &F, CompiledProgram &Out,
                     std::string &Err,
                     const std::vector<cir::MapDef> &Maps = {},
                     const std::vector<cir::Function> &Functions = {},
                     const std::vector<cir::GlobalVar> &Globals = {},
                     const SourceText &Source = {},
                     const cir::FunctionProof *States = nullptr);

/// Compiles a module: its entry points in definition order, then each
/// function an entry point reaches through calls, once, in an order where
/// a function calls only functions after it (the checker's function table
/// requires it; docs/compiler.md section 8); these go into `.text` in that
/// order. Sets every call's immediate to the callee's first instruction in
/// `.text` minus 1 (the R_BPF_64_32 relocation is against `.text`'s section
/// symbol). Functions no entry point reaches are not compiled. False with
/// Err, prefixed by nothing, and *FailedAt the function it concerns
/// (recursion: "not supported yet: recursive call ..."; eBPF forbids it).
/// States, if given, holds VEP-C's C-level proof of each function of M (by
/// index), which compileFunction notes in -S.
bool compileModule(const cir::Module &M, std::vector<CompiledProgram> &Out,
                   std::string &Err, const cir::Function **FailedAt = nullptr,
                   const std::vector<cir::FunctionProof> *States = nullptr);

/// A relocatable EM_BPF ELF object libbpf loads: one section per entry
/// point named by its SEC() (always one per program: the checker enters each
/// executable section at its first instruction, and finds a program's proof
/// header by section name, so the driver should refuse duplicate SEC()
/// names), a global STT_FUNC symbol per program, a `license` section with the
/// NUL-terminated license and a global STT_OBJECT symbol `_license`; when
/// there are maps, the section `.maps` with a global STT_OBJECT symbol per
/// map, its `.BTF` and a `.rel<program>` section of R_BPF_64_64 relocations
/// per program that loads a map's address; when there are text functions
/// (CompiledProgram::isTextFunction, in the given order, as compileModule
/// lays them out) the section `.text` with a local STT_FUNC symbol each and
/// R_BPF_64_32 relocations of the calls against `.text`'s section symbol;
/// with global variables, the sections `.data` and `.rodata` (PROGBITS,
/// their initial bytes) and `.bss` (NOBITS) that hold any, an STT_OBJECT
/// symbol per variable (local for `static` ones), relocations of their
/// lddws against it, and their DATASECs in `.BTF`; `.BTF` with a FUNC per
/// program and the `.BTF.ext` of their func and line info, which quotes
/// Source (writeObjectBtf, ElfWriter.h); .symtab/.strtab/.shstrtab.
/// docs/compiler.md section 7 has the layout.
std::vector<uint8_t> writeObject(const std::vector<CompiledProgram> &Progs,
                                 const std::string &License,
                                 const std::vector<cir::MapDef> &Maps = {},
                                 const std::vector<cir::GlobalVar> &Globals = {},
                                 const SourceText &Source = {});

/// The assembly file for -S: every program's annotated text followed by the
/// maps' symbols in `.maps` (zero-filled, as in writeObject; no BTF), the
/// global variables in their sections (initial bytes, as in writeObject)
/// and the license section (a repeated SEC() name gets `,unique,N` so the
/// sections match writeObject's). Assembles with `llvm-mc-14 -triple bpf`
/// or `clang-14 -target bpf -c` to the same instructions and relocations.
std::string writeAssembly(const std::vector<CompiledProgram> &Progs,
                          const std::string &License,
                          const std::vector<cir::MapDef> &Maps = {},
                          const std::vector<cir::GlobalVar> &Globals = {});

/// Lowers F's Ensure clause (F.Contract->Post) to facts over R0. Supported:
/// comparisons (==, !=, <, <=, >, >=) between affine terms in `__return`
/// and integer constants, combined with &&, ||, !, =>, `*` and true/TT.
/// The value of `__return` of an N-bit C type is R0 = value mod 2^N, R0
/// zero-extended (so for `int`, `__return >= 0` is R0 <= 2^31-1 and
/// `__return == -1` is R0 == 2^32-1). The result is the exact set of R0
/// values as a union of disjoint intervals, one disjunct each (lowest
/// first). No contract / no Ensure / a trivially true Ensure gives an empty
/// PostCondition; an unsatisfiable one gives the single fact -1 >= 0.
/// Anything else: false with Err "not supported yet: ...".
bool lowerPostCondition(const cir::Function &F, PostCondition &Out,
                        std::string &Err);

/// Human-readable form, e.g. "R0 == 2 || (R0 >= 5 && R0 <= 7)"; "true" for
/// an empty PostCondition.
std::string formatPostCondition(const PostCondition &P);

} // namespace vep::compiler

#endif // VEP_COMPILER_CODEGEN_H
