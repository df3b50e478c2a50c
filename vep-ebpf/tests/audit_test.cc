// audit_test.cc - Adversarial inputs against the checker core's newest
// rules (an audit of vep-ebpf/src): each attack is a program the checker
// must refuse, beside an accepted twin that differs only in the point the
// attack exploits, so that the test fails if the rule stops biting.
#include "test_support.h"

#include <gtest/gtest.h>

using namespace vt;

namespace {

enum : uint32_t { ARRAY = 2, RDONLY_PROG = 0x80 };

// r<dst> = a pointer into the value of map `map` at offset `off`
// (BPF_PSEUDO_MAP_VALUE): two slots.
void ld_map_value(Prog &p, uint8_t dst, int32_t map, int32_t off) {
  p.push_back(raw(LD | DW, dst, 2, 0, map));
  p.push_back(raw(0, 0, 0, 0, off));
}

Cut contract(uint32_t n_exists, std::vector<Binding> bindings,
             std::vector<Form> facts = {}) {
  Cut k;
  k.n_exists = n_exists;
  k.bindings = std::move(bindings);
  k.facts = std::move(facts);
  return k;
}

} // namespace

// ---- call_enter (15.5), call_buffer: a read-only map value ----------------
// A store into a BPF_F_RDONLY_PROG map value is refused (9.7, mem_map), and
// so is a helper writing one (9.3, writable_end). A function whose pre lets
// it store through its buffer (`writes`) must not be handed such a value
// either: the store in the callee goes to the map all the same.
TEST(Audit, ReadOnlyMapValueIsNoWritableBuffer) {
  // put4(buf) stores 4 bytes at buf[0]; buf is 4 bytes, writes.
  const Prog put4 = {st(W, 1, 0, 7), mov64_imm(0, 0), exit_insn()};
  Prog prog;
  ld_map_value(prog, 1, 0, 0);
  prog.push_back(call_fn(-1));
  prog.push_back(exit_insn());
  auto obj = call_object(prog, put4, {{"put4", 0, 3}}, {{2, 2, R_BPF_64_32}});
  for (bool readonly : {false, true}) {
    Maps m;
    m.add(".rodata", ARRAY, 4, 8, 1);
    m.defs.back().flags = readonly ? RDONLY_PROG : 0;
    Function f{0, 3, contract(0, {buf(1, form(4), true)}), contract(0, {}),
               {}};
    Outcome o = round_trip(obj, {}, {}, m.get(), {f});
    if (!readonly)
      EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
    else
      EXPECT_REJECTED(o, 2, "read-only map value");
    // A buffer the callee only reads may be a read-only map's value.
    f.pre.bindings[0].writes = false;
    const Prog get4 = {ldx(W, 0, 1, 0), exit_insn()};
    auto obj2 =
        call_object(prog, get4, {{"get4", 0, 2}}, {{2, 2, R_BPF_64_32}});
    f.n_insns = 2;
    o = round_trip(obj2, {}, {}, m.get(), {f});
    EXPECT_EQ(o.status, VEP_ACCEPTED) << o.reason;
  }
}

