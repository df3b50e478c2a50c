//===- BtfTypesTest.cpp - Declared C types in the object's .BTF -----------===//
//
// writeObjectBtf on the front end's descriptions of declared types
// (cir::DebugType): a map's struct value with a bit-field, an anonymous
// union, a nested struct, an array, an enum and a pointer to a struct; a
// function's signature with the context struct; a global's qualifiers.
// Read back with libbpf's BTF parser, handed to the kernel (which checks
// every type), and a map created from it by libbpf carries the struct.
//
//===----------------------------------------------------------------------===//

#include "CodeGenTestSupport.h"
#include "vep/compiler/ElfWriter.h"

#include <bpf/btf.h>
#include <gtest/gtest.h>

#include <memory>

using namespace cgtest;
using namespace vep::compiler;
using vep::cir::DebugType;
using vep::cir::DebugTypePtr;
using DK = vep::cir::DebugType::Kind;

namespace {

std::shared_ptr<DebugType> node(DK K, const std::string &Name = "",
                                uint64_t Size = 0, DebugTypePtr Of = nullptr) {
  auto T = std::make_shared<DebugType>();
  T->K = K;
  T->Name = Name;
  T->Size = Size;
  T->Of = std::move(Of);
  return T;
}

DebugTypePtr typedefOf(const std::string &Name, const std::string &CName,
                       uint64_t Size) {
  return node(DK::Typedef, Name, 0, node(DK::Int, CName, Size));
}

/// struct flow {            // 32 bytes
///   __u32 saddr;           //  0
///   __u8 proto : 4, ver : 4; // 32, 36
///   union { __u32 word; __u8 bytes[4]; }; // 64
///   struct inner { __u32 x; } in;        // 96
///   enum dir { IN, OUT = 7 } d;           // 128
///   struct other *next;    // 192
/// };
DebugTypePtr flowType() {
  DebugTypePtr U32 = typedefOf("__u32", "unsigned int", 4),
               U8 = typedefOf("__u8", "unsigned char", 1);
  auto Bytes = node(DK::Array, "", 0, U8);
  Bytes->Count = 4;
  auto Union = node(DK::Union, "", 4);
  Union->Members = {{"word", U32, 0, 0}, {"bytes", Bytes, 0, 0}};
  auto Inner = node(DK::Struct, "inner", 4);
  Inner->Members = {{"x", U32, 0, 0}};
  auto Dir = node(DK::Enum, "dir", 4);
  Dir->Enumerators = {{"IN", 0}, {"OUT", 7}};
  auto Other = node(DK::Fwd, "other");
  auto Flow = node(DK::Struct, "flow", 32);
  Flow->Members = {{"saddr", U32, 0, 0},
                   {"proto", U8, 32, 4},
                   {"ver", U8, 36, 4},
                   {"", Union, 64, 0},
                   {"in", Inner, 96, 0},
                   {"d", Dir, 128, 0},
                   {"next", node(DK::Ptr, "", 0, Other), 192, 0}};
  return Flow;
}

/// `int f(struct xdp_md *ctx)` with xdp_md's first two fields.
DebugTypePtr xdpProto() {
  DebugTypePtr U32 = typedefOf("__u32", "unsigned int", 4);
  auto Md = node(DK::Struct, "xdp_md", 8);
  Md->Members = {{"data", U32, 0, 0}, {"data_end", U32, 32, 0}};
  auto Proto = node(DK::FuncProto, "", 0, node(DK::Int, "int", 4));
  std::const_pointer_cast<DebugType>(Proto->Of)->Signed = true;
  Proto->Members = {{"ctx", node(DK::Ptr, "", 0, Md), 0, 0}};
  return Proto;
}

struct BtfDeleter {
  void operator()(btf *B) const { btf__free(B); }
};
using BtfPtr = std::unique_ptr<btf, BtfDeleter>;

BtfPtr parse(const std::vector<uint8_t> &Bytes) {
  btf *B = btf__new(Bytes.data(), uint32_t(Bytes.size()));
  return BtfPtr(libbpf_get_error(B) ? nullptr : B);
}

std::string name(const btf *B, uint32_t Off) {
  return btf__name_by_offset(B, Off);
}

/// The type Id after typedefs and qualifiers (libbpf's skip of modifiers).
const btf_type *resolved(const btf *B, uint32_t Id) {
  return btf__type_by_id(B, btf__resolve_type(B, Id));
}

/// The type a member `key` or `value` of a map's definition points to.
const btf_type *mapMember(const btf *B, const std::string &Map,
                          const std::string &Member) {
  int Var = btf__find_by_name_kind(B, Map.c_str(), BTF_KIND_VAR);
  if (Var <= 0)
    return nullptr;
  const btf_type *Def = btf__type_by_id(B, btf__type_by_id(B, Var)->type);
  const btf_member *M = btf_members(Def);
  for (unsigned I = 0; I < btf_vlen(Def); ++I, ++M)
    if (name(B, M->name_off) == Member)
      return btf__type_by_id(B, btf__type_by_id(B, M->type)->type);
  return nullptr;
}

MapDef flowsMap(DebugTypePtr Value, uint32_t ValueSize) {
  MapDef M = mapDef("flows", 1 /* hash */, 4, ValueSize, 16);
  M.KeyType = typedefOf("__u32", "unsigned int", 4);
  M.ValueType = std::move(Value);
  M.KeySpelling = "__u32", M.ValueSpelling = "struct flow";
  return M;
}

TEST(BtfTypes, DeclaredTypesAreWrittenAsClangWritesThem) {
  CompiledProgram P = compileOrDie(ihlProgram());
  ASSERT_FALSE(P.Name.empty());
  P.Proto = xdpProto();
  GlobalVar Cfg;
  Cfg.Name = "cfg";
  Cfg.Sec = GlobalVar::Section::Rodata;
  Cfg.Size = Cfg.Align = 4;
  Cfg.ElemBits = 32;
  Cfg.Init = {1, 0, 0, 0};
  Cfg.DeclaredType =
      node(DK::Const, "", 0,
           node(DK::Volatile, "", 0, typedefOf("__u32", "unsigned int", 4)));
  BtfPtr B = parse(writeObjectBtf({P}, {flowsMap(flowType(), 32)}, {Cfg}).Btf);
  ASSERT_TRUE(B);

  const btf_type *Flow = mapMember(B.get(), "flows", "value");
  ASSERT_NE(Flow, nullptr) << "no member `value`";
  ASSERT_TRUE(btf_is_struct(Flow));
  EXPECT_EQ(name(B.get(), Flow->name_off), "flow");
  EXPECT_EQ(Flow->size, 32u);
  EXPECT_TRUE(btf_kflag(Flow)) << "a bit-field: kind_flag set";
  struct Want {
    const char *Name;
    uint32_t Bit, BitfieldSize;
    int Kind;
  } Wants[] = {
      {"saddr", 0, 0, BTF_KIND_TYPEDEF}, {"proto", 32, 4, BTF_KIND_TYPEDEF},
      {"ver", 36, 4, BTF_KIND_TYPEDEF},  {"", 64, 0, BTF_KIND_UNION},
      {"in", 96, 0, BTF_KIND_STRUCT},    {"d", 128, 0, BTF_KIND_ENUM},
      {"next", 192, 0, BTF_KIND_PTR}};
  ASSERT_EQ(btf_vlen(Flow), std::size(Wants));
  const btf_member *M = btf_members(Flow);
  for (unsigned I = 0; I < std::size(Wants); ++I) {
    SCOPED_TRACE(Wants[I].Name);
    EXPECT_EQ(name(B.get(), M[I].name_off), Wants[I].Name);
    EXPECT_EQ(btf_member_bit_offset(Flow, I), Wants[I].Bit);
    EXPECT_EQ(btf_member_bitfield_size(Flow, I), Wants[I].BitfieldSize);
    EXPECT_EQ(btf_kind(btf__type_by_id(B.get(), M[I].type)), Wants[I].Kind);
  }
  const btf_type *Union = btf__type_by_id(B.get(), M[3].type);
  ASSERT_EQ(btf_vlen(Union), 2u);
  const btf_type *Bytes = btf__type_by_id(B.get(), btf_members(Union)[1].type);
  ASSERT_TRUE(btf_is_array(Bytes));
  EXPECT_EQ(btf_array(Bytes)->nelems, 4u);
  const btf_type *Dir = btf__type_by_id(B.get(), M[5].type);
  ASSERT_EQ(btf_vlen(Dir), 2u);
  EXPECT_EQ(name(B.get(), btf_enum(Dir)[1].name_off), "OUT");
  EXPECT_EQ(btf_enum(Dir)[1].val, 7);
  const btf_type *Next =
      btf__type_by_id(B.get(), btf__type_by_id(B.get(), M[6].type)->type);
  EXPECT_TRUE(btf_is_fwd(Next));
  EXPECT_EQ(name(B.get(), Next->name_off), "other");

  // The context parameter is the struct itself, not a FWD.
  int Func = btf__find_by_name_kind(B.get(), "xdp_ihl", BTF_KIND_FUNC);
  ASSERT_GT(Func, 0);
  const btf_type *Proto =
      btf__type_by_id(B.get(), btf__type_by_id(B.get(), Func)->type);
  ASSERT_EQ(btf_vlen(Proto), 1u);
  EXPECT_EQ(name(B.get(), btf_params(Proto)[0].name_off), "ctx");
  const btf_type *Md = btf__type_by_id(
      B.get(), btf__type_by_id(B.get(), btf_params(Proto)[0].type)->type);
  ASSERT_TRUE(btf_is_struct(Md));
  EXPECT_EQ(name(B.get(), Md->name_off), "xdp_md");
  EXPECT_EQ(btf_vlen(Md), 2u);

  // The global keeps its qualifiers; __u32, described four times, is one
  // TYPEDEF.
  int Var = btf__find_by_name_kind(B.get(), "cfg", BTF_KIND_VAR);
  ASSERT_GT(Var, 0);
  EXPECT_TRUE(btf_is_const(
      btf__type_by_id(B.get(), btf__type_by_id(B.get(), Var)->type)));
  unsigned U32s = 0;
  for (uint32_t Id = 1; Id < btf__type_cnt(B.get()); ++Id)
    U32s += name(B.get(), btf__type_by_id(B.get(), Id)->name_off) == "__u32";
  EXPECT_EQ(U32s, 1u);
}

TEST(BtfTypes, DescriptionOfAnotherSizeIsNotUsed) {
  // libbpf sizes a map's values by the type of `value`: a description
  // that disagrees with value_size would change the map, so the BTF keeps
  // value_size then.
  BtfPtr B = parse(writeObjectBtf({}, {flowsMap(flowType(), 24)}, {}).Btf);
  ASSERT_TRUE(B);
  EXPECT_EQ(mapMember(B.get(), "flows", "value"), nullptr);
  const btf_type *Size = mapMember(B.get(), "flows", "value_size");
  ASSERT_NE(Size, nullptr);
  EXPECT_EQ(btf_array(Size)->nelems, 24u);
  // Likewise a global's VAR: its integer type, not the 32-byte struct.
  GlobalVar G;
  G.Name = "g";
  G.Size = G.Align = 4;
  G.ElemBits = 32;
  G.Init.assign(4, 0);
  G.Spelling = "__u32";
  G.DeclaredType = flowType();
  B = parse(writeObjectBtf({}, {}, {G}).Btf);
  ASSERT_TRUE(B);
  int Var = btf__find_by_name_kind(B.get(), "g", BTF_KIND_VAR);
  ASSERT_GT(Var, 0);
  EXPECT_EQ(btf__resolve_size(B.get(), btf__type_by_id(B.get(), Var)->type), 4);
}

TEST(BtfTypes, KernelTakesTheTypesAndTheMapCarriesTheStruct) {
  VEP_REQUIRE_KERNEL();
  CompiledProgram P = compileOrDie(ihlProgram());
  ASSERT_FALSE(P.Name.empty());
  P.Proto = xdpProto();
  MapDef Flows = flowsMap(flowType(), 32);
  BtfPtr B = parse(writeObjectBtf({P}, {Flows}, {}).Btf);
  ASSERT_TRUE(B);
  EXPECT_EQ(btf__load_into_kernel(B.get()), 0) << "the kernel refuses the BTF";

  Loaded L;
  std::string Why;
  ASSERT_TRUE(loadObject(writeObject({P}, "GPL", {Flows}), "xdp_ihl", L, Why))
      << Why;
  bpf_map *Map = bpf_object__find_map_by_name(L.Obj, "flows");
  ASSERT_NE(Map, nullptr);
  bpf_map_info Info{};
  uint32_t Len = sizeof Info;
  ASSERT_EQ(bpf_obj_get_info_by_fd(bpf_map__fd(Map), &Info, &Len), 0);
  EXPECT_EQ(Info.value_size, 32u);
  ASSERT_NE(Info.btf_value_type_id, 0u) << "the map has no value type";
  BtfPtr Kernel(btf__load_from_kernel_by_id(Info.btf_id));
  ASSERT_TRUE(Kernel);
  const btf_type *Value = resolved(Kernel.get(), Info.btf_value_type_id);
  ASSERT_TRUE(btf_is_struct(Value));
  EXPECT_EQ(name(Kernel.get(), Value->name_off), "flow");
  EXPECT_EQ(name(Kernel.get(), btf_members(Value)[1].name_off), "proto");
}

} // namespace
