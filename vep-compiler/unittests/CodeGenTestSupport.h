//===- CodeGenTestSupport.h - CIR, contracts and kernel runs for tests ----===//
#ifndef VEP_COMPILER_UNITTESTS_CODEGENTESTSUPPORT_H
#define VEP_COMPILER_UNITTESTS_CODEGENTESTSUPPORT_H

#include "vep/cir/CIR.h"
#include "vep/compiler/CodeGen.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <unistd.h>
#include <cstdio>
#include <string>
#include <vector>

namespace cgtest {

using namespace vep::cir;
using OK = Expr::OpKind;
using EK = Expr::Kind;
using SK = Stmt::Kind;

inline Type intTy(unsigned Bits, bool Signed) {
  Type T;
  T.K = Type::Kind::Int;
  T.Bits = Bits;
  T.Signed = Signed;
  static const char *U[] = {"__u8", "__u16", "__u32", "__u64"};
  static const char *S[] = {"signed char", "short", "int", "long"};
  unsigned I = Bits == 8 ? 0 : Bits == 16 ? 1 : Bits == 32 ? 2 : 3;
  T.Spelling = Signed ? S[I] : U[I];
  return T;
}
inline Type i32() { return intTy(32, true); }
inline Type u32() { return intTy(32, false); }
inline Type i64() { return intTy(64, true); }
inline Type u64() { return intTy(64, false); }
inline Type u16() { return intTy(16, false); }
inline Type u8() { return intTy(8, false); }
inline Type ptrTy(unsigned PointeeSize = 1, const char *Sp = "void *") {
  Type T;
  T.K = Type::Kind::Ptr;
  T.Bits = 64;
  T.PointeeSize = PointeeSize;
  T.Spelling = Sp;
  return T;
}

inline ExprPtr mk(EK K, Type T) {
  auto E = std::make_unique<Expr>();
  E->K = K;
  E->Ty = std::move(T);
  return E;
}
inline ExprPtr cst(uint64_t V, Type T) {
  auto E = mk(EK::Const, T);
  E->Value = T.Bits >= 64 ? V : (V & ((uint64_t(1) << T.Bits) - 1));
  return E;
}
inline ExprPtr var(unsigned Id, Type T) {
  auto E = mk(EK::Var, std::move(T));
  E->VarId = Id;
  return E;
}
inline ExprPtr load(Type T, ExprPtr Addr) {
  auto E = mk(EK::Load, std::move(T));
  E->Ops.push_back(std::move(Addr));
  return E;
}
inline ExprPtr cast(Type T, ExprPtr X) {
  auto E = mk(EK::Cast, std::move(T));
  E->Ops.push_back(std::move(X));
  return E;
}
inline ExprPtr un(OK Op, ExprPtr X) {
  Type T = Op == OK::LNot ? i32() : X->Ty;
  auto E = mk(EK::Unary, T);
  E->Op = Op;
  E->Ops.push_back(std::move(X));
  return E;
}
inline ExprPtr bin(OK Op, ExprPtr A, ExprPtr B) {
  Type T = A->Ty;
  if (Op == OK::PtrDiff)
    T = i64();
  auto E = mk(EK::Binary, T);
  E->Op = Op;
  E->Ops.push_back(std::move(A));
  E->Ops.push_back(std::move(B));
  return E;
}
inline ExprPtr cmp(OK Op, ExprPtr A, ExprPtr B) {
  auto E = mk(EK::Cmp, i32());
  E->Op = Op;
  E->Ops.push_back(std::move(A));
  E->Ops.push_back(std::move(B));
  return E;
}
inline ExprPtr land(ExprPtr A, ExprPtr B) {
  auto E = mk(EK::LAnd, i32());
  E->Ops.push_back(std::move(A));
  E->Ops.push_back(std::move(B));
  return E;
}
inline ExprPtr lor(ExprPtr A, ExprPtr B) {
  auto E = mk(EK::LOr, i32());
  E->Ops.push_back(std::move(A));
  E->Ops.push_back(std::move(B));
  return E;
}
inline ExprPtr cond(ExprPtr C, ExprPtr X, ExprPtr Y) {
  auto E = mk(EK::Cond, X->Ty);
  E->Ops.push_back(std::move(C));
  E->Ops.push_back(std::move(X));
  E->Ops.push_back(std::move(Y));
  return E;
}
/// p + off (bytes), the result typed like p.
inline ExprPtr ptrAdd(ExprPtr P, ExprPtr Off) {
  Type T = P->Ty;
  auto E = mk(EK::Binary, T);
  E->Op = OK::PtrAdd;
  E->Ops.push_back(std::move(P));
  E->Ops.push_back(std::move(Off));
  return E;
}
inline ExprPtr ptrAdd(ExprPtr P, int64_t Off) {
  return ptrAdd(std::move(P), cst(uint64_t(Off), i64()));
}
inline ExprPtr retype(ExprPtr P, Type T) { return cast(std::move(T), std::move(P)); }

/// &Maps[Index].
inline ExprPtr mapAddr(unsigned Index) {
  auto E = mk(EK::MapAddr, ptrTy(1, "void *"));
  E->Value = Index;
  return E;
}
/// &v, for the integer variable v of type T (a helper argument).
inline ExprPtr addrOf(unsigned Id, const Type &T) {
  auto E = mk(EK::AddrOf, ptrTy(T.Bits / 8, "void *"));
  E->VarId = Id;
  return E;
}
/// The call of helper HelperId with result type T.
template <typename... Args> ExprPtr helperCall(uint64_t HelperId, Type T, Args... A) {
  auto E = mk(EK::Call, std::move(T));
  E->Value = HelperId;
  (E->Ops.push_back(std::move(A)), ...);
  return E;
}
constexpr uint64_t HelperMapLookupElem = 1, HelperMapUpdateElem = 2,
                   HelperMapDeleteElem = 3, HelperKtimeGetNs = 5;
/// A BTF-style map definition as the front end records it.
inline MapDef mapDef(const std::string &Name, uint32_t Type, uint32_t KeySize,
                     uint32_t ValueSize, uint32_t MaxEntries, uint32_t Flags = 0) {
  MapDef M;
  M.Name = Name;
  M.MapType = Type;
  M.KeySize = KeySize;
  M.ValueSize = ValueSize;
  M.MaxEntries = MaxEntries;
  M.Flags = Flags;
  return M;
}

inline StmtPtr mks(SK K, unsigned Line = 0) {
  auto S = std::make_unique<Stmt>();
  S->K = K;
  S->L.Line = Line;
  return S;
}
inline StmtPtr assign(unsigned Id, ExprPtr V, unsigned Line = 0) {
  auto S = mks(SK::Assign, Line);
  S->VarId = Id;
  S->Value = std::move(V);
  return S;
}
inline StmtPtr store(ExprPtr Addr, ExprPtr V) {
  auto S = mks(SK::Store);
  S->Addr = std::move(Addr);
  S->Value = std::move(V);
  return S;
}
/// __sync_fetch_and_add(Addr, V), the result unused.
inline StmtPtr atomicAdd(ExprPtr Addr, ExprPtr V, unsigned Line = 0) {
  auto S = mks(SK::Atomic, Line);
  S->Addr = std::move(Addr);
  S->Value = std::move(V);
  return S;
}
/// The atomic `Op` on *Addr with V (CmpXchg: compared with Expected);
/// with Fetch a `v = AtomicResult` (atomicResult) must follow.
inline StmtPtr atomicOp(Stmt::AtomicOp Op, ExprPtr Addr, ExprPtr V, bool Fetch,
                        ExprPtr Expected = nullptr) {
  auto S = mks(SK::Atomic);
  S->Op = Op;
  S->Addr = std::move(Addr);
  S->Value = std::move(V);
  S->Cond = std::move(Expected);
  S->Fetch = Fetch;
  return S;
}
inline ExprPtr atomicResult(Type T) { return mk(EK::AtomicResult, T); }
inline StmtPtr ret(ExprPtr V, unsigned Line = 0) {
  auto S = mks(SK::Return, Line);
  S->Value = std::move(V);
  return S;
}
inline StmtPtr retInt(int V, unsigned Line = 0) {
  return ret(cst(uint64_t(int64_t(V)), i32()), Line);
}
inline StmtPtr ifThen(ExprPtr C, StmtPtr Then, StmtPtr Else = nullptr) {
  auto S = mks(SK::If);
  S->Cond = std::move(C);
  S->Then = std::move(Then);
  S->Else = std::move(Else);
  return S;
}
inline StmtPtr exprStmt(ExprPtr V) {
  auto S = mks(SK::ExprStmt);
  S->Value = std::move(V);
  return S;
}
inline void addAll(std::vector<StmtPtr> &) {}
template <typename... Rest>
void addAll(std::vector<StmtPtr> &V, StmtPtr First, Rest... R) {
  V.push_back(std::move(First));
  addAll(V, std::move(R)...);
}
template <typename... Ss> StmtPtr block(Ss... S) {
  auto B = mks(SK::Block);
  addAll(B->Body, std::move(S)...);
  return B;
}
inline StmtPtr blockOf(std::vector<StmtPtr> Body) {
  auto B = mks(SK::Block);
  B->Body = std::move(Body);
  return B;
}

/// An XDP function `int Name(struct xdp_md *ctx)`; ctx is variable 0.
inline Function xdpFunction(const std::string &Name) {
  Function F;
  F.Name = Name;
  F.Section = "xdp";
  F.ReturnType = i32();
  Variable Ctx;
  Ctx.Name = "ctx";
  Ctx.Ty = ptrTy(24, "struct xdp_md *");
  Ctx.IsParam = true;
  F.Vars.push_back(Ctx);
  F.NumParams = 1;
  return F;
}
inline unsigned addVar(Function &F, const std::string &Name, Type T) {
  Variable V;
  V.Name = Name;
  V.Ty = std::move(T);
  F.Vars.push_back(V);
  return unsigned(F.Vars.size() - 1);
}
/// (void *)(long)ctx->data  (Off 0) or ->data_end (Off 4).
inline ExprPtr ctxField(unsigned Off) {
  return cast(ptrTy(), cast(i64(), load(u32(), ptrAdd(var(0, ptrTy(24, "struct xdp_md *")), Off))));
}

// ---- Contracts: annotation ASTs built by hand -----------------------------

using vep::logic::Annotation;
using vep::logic::Assertion;
using vep::logic::AssertionPtr;
using vep::logic::Term;
using vep::logic::TermPtr;

inline TermPtr lit(__int128 V) {
  auto T = std::make_shared<Term>();
  T->K = Term::Kind::IntLit;
  T->Value = V;
  return T;
}
inline TermPtr vr(const std::string &N = "__return") {
  auto T = std::make_shared<Term>();
  T->K = Term::Kind::Var;
  T->Name = N;
  return T;
}
inline AssertionPtr cmpA(const std::string &Op, TermPtr A, TermPtr B) {
  auto X = std::make_shared<Assertion>();
  X->K = Assertion::Kind::Cmp;
  X->Op = Op;
  X->Terms = {A, B};
  return X;
}
/// `__return Op V`.
inline AssertionPtr retCmp(const std::string &Op, __int128 V) {
  return cmpA(Op, vr(), lit(V));
}
/// A connective over one or two sub-assertions.
inline AssertionPtr conn(Assertion::Kind K, AssertionPtr A,
                         AssertionPtr B = nullptr) {
  auto X = std::make_shared<Assertion>();
  X->K = K;
  X->Subs = {A};
  if (B)
    X->Subs.push_back(B);
  return X;
}
inline AssertionPtr orA(AssertionPtr A, AssertionPtr B) {
  return conn(Assertion::Kind::Or, A, B);
}
inline AssertionPtr andA(AssertionPtr A, AssertionPtr B) {
  return conn(Assertion::Kind::And, A, B);
}
/// `Inv P [Variant V]`.
inline std::shared_ptr<const Annotation> inv(AssertionPtr P, TermPtr V = nullptr) {
  auto A = std::make_shared<Annotation>();
  A->K = Annotation::Kind::Inv;
  A->Pre = P;
  A->Variant = V;
  return A;
}
/// A CIR loop (while/for when TestFirst, else do-while) with invariant Ann.
inline StmtPtr loopS(ExprPtr Cond, StmtPtr Body, StmtPtr Step,
                     std::shared_ptr<const Annotation> Ann, bool TestFirst = true,
                     unsigned Line = 0) {
  auto S = mks(SK::Loop, Line);
  S->Cond = std::move(Cond);
  S->Then = std::move(Body);
  S->Step = std::move(Step);
  S->TestFirst = TestFirst;
  S->Annot = std::move(Ann);
  return S;
}
/// The contract `Ensure Post`, for Function::Contract.
inline std::shared_ptr<const Annotation> ensure(AssertionPtr Post) {
  auto A = std::make_shared<Annotation>();
  A->K = Annotation::Kind::Contract;
  A->Post = Post;
  return A;
}
/// `Ensure __return == V1 || __return == V2 || ...`, the ors nested to the
/// left as the parser builds them.
inline std::shared_ptr<const Annotation>
ensureReturnIn(const std::vector<int> &Values) {
  AssertionPtr Post;
  for (int V : Values)
    Post = Post ? orA(Post, retCmp("==", V)) : retCmp("==", V);
  return ensure(Post);
}

// ---- The kernel -----------------------------------------------------------

inline std::string &libbpfLog() {
  static std::string Log;
  return Log;
}
inline int libbpfPrint(enum libbpf_print_level, const char *Fmt, va_list Args) {
  char Buf[4096];
  vsnprintf(Buf, sizeof Buf, Fmt, Args);
  libbpfLog() += Buf;
  return 0;
}

/// An object loaded with libbpf; Fd of the named program.
struct Loaded {
  bpf_object *Obj = nullptr;
  int Fd = -1;
  Loaded() = default;
  Loaded(const Loaded &) = delete;
  Loaded &operator=(const Loaded &) = delete;
  ~Loaded() {
    if (Obj)
      bpf_object__close(Obj);
  }
};

/// Loads the object; on failure returns false with libbpf's log (verifier
/// output included) in Why.
inline bool loadObject(const std::vector<uint8_t> &Obj, const std::string &Prog,
                       Loaded &L, std::string &Why) {
  libbpf_set_print(libbpfPrint);
  libbpfLog().clear();
  L.Obj = bpf_object__open_mem(Obj.data(), Obj.size(), nullptr);
  if (!L.Obj || libbpf_get_error(L.Obj)) {
    L.Obj = nullptr;
    Why = "open failed: " + libbpfLog();
    return false;
  }
  if (bpf_object__load(L.Obj)) {
    Why = "load failed: " + libbpfLog();
    return false;
  }
  bpf_program *P = bpf_object__find_program_by_name(L.Obj, Prog.c_str());
  if (!P) {
    Why = "no program " + Prog;
    return false;
  }
  L.Fd = bpf_program__fd(P);
  return L.Fd >= 0;
}

/// Runs an XDP program once on Pkt; returns the program's return value.
inline bool runXdp(int Fd, const std::vector<uint8_t> &Pkt, uint32_t &Ret) {
  std::vector<uint8_t> In = Pkt;
  LIBBPF_OPTS(bpf_test_run_opts, Opts, .data_in = In.data(),
              .data_size_in = uint32_t(In.size()), .repeat = 1);
  if (bpf_prog_test_run_opts(Fd, &Opts))
    return false;
  Ret = Opts.retval;
  return true;
}

/// True when this process may load BPF programs (root, BPF enabled). Probes
/// with a raw two-instruction program, independent of the code under test.
inline bool kernelAcceptsBpf(std::string &Why) {
  static int Cached = -1;
  static std::string CachedWhy;
  if (Cached < 0) {
    struct bpf_insn Insns[2] = {};
    Insns[0].code = 0xb7; // r0 = 2
    Insns[0].imm = 2;
    Insns[1].code = 0x95; // exit
    int Fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "vep_probe", "GPL", Insns, 2,
                           nullptr);
    if (Fd >= 0) {
      Cached = 1;
      close(Fd);
    } else {
      Cached = 0;
      CachedWhy = std::string("bpf_prog_load: ") + strerror(errno);
    }
  }
  Why = CachedWhy;
  return Cached == 1;
}


// ---- The sample programs ----------------------------------------------------

constexpr int XDP_DROP = 1, XDP_PASS = 2;

/// int xdp_pass(struct xdp_md *ctx) { return XDP_PASS; }
inline Function passProgram() {
  Function F = xdpFunction("xdp_pass");
  F.Body = block(retInt(XDP_PASS, 3));
  return F;
}

/// int xdp_eth(struct xdp_md *ctx) {
///   void *data = (void *)(long)ctx->data;
///   void *data_end = (void *)(long)ctx->data_end;
///   struct ethhdr *eth = data;
///   if ((void *)(eth + 1) > data_end) return XDP_PASS;
///   if (eth->h_proto == bpf_htons(ETH_P_IP)) return XDP_DROP;
///   return XDP_PASS;
/// }
inline Function ethProgram() {
  Function F = xdpFunction("xdp_eth");
  Type Eth = ptrTy(14, "struct ethhdr *");
  unsigned Data = addVar(F, "data", ptrTy());
  unsigned End = addVar(F, "data_end", ptrTy());
  unsigned E = addVar(F, "eth", Eth);
  F.Body = block(
      assign(Data, ctxField(0), 2), assign(End, ctxField(4), 3),
      assign(E, cast(Eth, var(Data, ptrTy())), 4),
      ifThen(cmp(OK::UGt, cast(ptrTy(), ptrAdd(var(E, Eth), 14)),
                 var(End, ptrTy())),
             retInt(XDP_PASS, 5)),
      ifThen(cmp(OK::Eq, cast(i32(), load(u16(), ptrAdd(var(E, Eth), 12))),
                 cst(8, i32())),
             retInt(XDP_DROP, 6)),
      retInt(XDP_PASS, 7));
  return F;
}

/// int xdp_ihl(struct xdp_md *ctx) {
///   void *data = (void *)(long)ctx->data;
///   void *data_end = (void *)(long)ctx->data_end;
///   if (data + 34 > data_end) return XDP_PASS;
///   if (*(__u16 *)(data + 12) != bpf_htons(ETH_P_IP)) return XDP_PASS;
///   __u32 ihl = *(__u8 *)(data + 14) & 0xf;
///   __u32 hlen = ihl * 4;
///   if (hlen < 20) return XDP_DROP;
///   void *l4 = data + 14 + hlen;
///   if (l4 + 4 > data_end) return XDP_PASS;
///   if (*(__u8 *)(data + 23) == IPPROTO_UDP && *(__u16 *)(l4 + 2) == bpf_htons(53))
///     return XDP_DROP;
///   return XDP_PASS;
/// }
inline Function ihlProgram() {
  Function F = xdpFunction("xdp_ihl");
  unsigned Data = addVar(F, "data", ptrTy());
  unsigned End = addVar(F, "data_end", ptrTy());
  unsigned Ihl = addVar(F, "ihl", u32());
  unsigned Hlen = addVar(F, "hlen", u32());
  unsigned L4 = addVar(F, "l4", ptrTy());
  auto D = [&] { return var(Data, ptrTy()); };
  F.Body = block(
      assign(Data, ctxField(0), 2), assign(End, ctxField(4), 3),
      ifThen(cmp(OK::UGt, ptrAdd(D(), 34), var(End, ptrTy())),
             retInt(XDP_PASS, 4)),
      ifThen(cmp(OK::Ne, cast(i32(), load(u16(), ptrAdd(D(), 12))),
                 cst(8, i32())),
             retInt(XDP_PASS, 5)),
      assign(Ihl,
             cast(u32(), bin(OK::And, cast(i32(), load(u8(), ptrAdd(D(), 14))),
                             cst(15, i32()))),
             6),
      assign(Hlen, bin(OK::Mul, var(Ihl, u32()), cst(4, u32())), 7),
      ifThen(cmp(OK::ULt, var(Hlen, u32()), cst(20, u32())),
             retInt(XDP_DROP, 8)),
      assign(L4, ptrAdd(ptrAdd(D(), 14), cast(i64(), var(Hlen, u32()))), 9),
      ifThen(cmp(OK::UGt, ptrAdd(var(L4, ptrTy()), 4), var(End, ptrTy())),
             retInt(XDP_PASS, 10)),
      ifThen(land(cmp(OK::Eq, cast(i32(), load(u8(), ptrAdd(D(), 23))),
                      cst(17, i32())),
                  cmp(OK::Eq,
                      cast(i32(), load(u16(), ptrAdd(var(L4, ptrTy()), 2))),
                      cst(0x3500, i32()))),
             retInt(XDP_DROP, 11)),
      retInt(XDP_PASS, 12));
  return F;
}

/// Compiles F or fails the calling test.
inline vep::compiler::CompiledProgram compileOrDie(const Function &F,
                                                   const std::vector<MapDef> &Maps = {}) {
  vep::compiler::CompiledProgram P;
  std::string Err;
  if (!vep::compiler::compileFunction(F, P, Err, Maps)) {
    fprintf(stderr, "compileFunction(%s): %s\n", F.Name.c_str(), Err.c_str());
    P.Name.clear();
  }
  return P;
}

} // namespace cgtest

#define VEP_REQUIRE_KERNEL()                                                   \
  do {                                                                         \
    std::string KernelWhy_;                                                    \
    if (!cgtest::kernelAcceptsBpf(KernelWhy_))                                 \
      GTEST_SKIP() << "kernel refuses BPF programs here (not root?): "        \
                   << KernelWhy_;                                              \
  } while (0)

#endif // VEP_COMPILER_UNITTESTS_CODEGENTESTSUPPORT_H
