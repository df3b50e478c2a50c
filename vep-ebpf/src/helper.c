/*===- helper.c - Rule helper_call and the helper table (version 10) ------===*
 *
 * Helper contracts are data: one row per helper id with the program types
 * that may call it, the kind of each argument R1..R5, the map types its map
 * argument may have and the kind of the result in R0 (docs/proof-format.md,
 * "Maps and helper calls"). A helper without a row rejects. Every call
 * leaves R1..R5 uninitialised and keeps R6..R10 and the stack, but for the
 * bytes of an ARG_STACK_OUT or ARG_UPDATE buffer in the stack, which
 * become initialised data (one in a map value or a reservation changes
 * nothing the checker tracks), and for the packet pointers a helper that
 * changes the packet (RES_NEW_PACKET) invalidates (stale_packet).
 *===----------------------------------------------------------------------===*/
#include "core.h"

typedef enum {
  ARG_NONE = 0,  /* not read */
  ARG_MAP,       /* a map pointer (MAP_PTR k) of a type in map_types */
  ARG_KEY,       /* key_size bytes of data the helper reads (buffer_arg) */
  ARG_VALUE,     /* value_size bytes of data the helper reads */
  ARG_SCALAR,    /* any initialised scalar */
  ARG_CTX,       /* the context pointer, offset 0 */
  ARG_RESERVED,  /* reserved ringbuf memory at offset 0 (not null) */
  ARG_STACK_OUT, /* written: stack, writable map value or reservation */
  ARG_UPDATE,    /* as ARG_STACK_OUT, but the helper may read it and write
                    part of it only: a stack buffer must hold data already */
  ARG_MEM,       /* data the helper reads (buffer_arg) */
  /* A constant size: of the _OUT buffer before it, from 1 to the frame's
   * top (in the stack) or to VEP_MAX_MAP_BYTES (elsewhere); of the ARG_MEM
   * before it, or reserved (after the ARG_MAP), from 1 to
   * VEP_MAX_MAP_BYTES. */
  ARG_SIZE
} vep_arg_kind;

typedef enum {
  RES_U64,         /* fresh(2^64 - 1) */
  RES_U32,         /* fresh(2^32 - 1) */
  RES_MAP_OR_NULL, /* MAP_OR_NULL of R1's map, a new id (non_null) */
  RES_NEW_PACKET,  /* fresh(2^64 - 1); the packet changed (stale_packet) */
  RES_RESERVED,    /* RINGBUF_OR_NULL of ARG_SIZE bytes, a new id */
  RES_NONE,        /* R0 uninitialised (tail_call: returns on failure only) */
  RES_RELEASE      /* R0 uninitialised; R1's reservation released */
} vep_res_kind;

typedef struct vep_helper {
  int32_t id;
  const char *name;
  uint32_t prog_types; /* mask of vep_prog_type.bit */
  uint8_t args[5];     /* R1..R5 */
  uint8_t result;
  uint32_t map_types; /* ARG_MAP: mask of the BPF_MAP_TYPE_* it accepts */
} vep_helper;

/* Map types (linux/bpf.h BPF_MAP_TYPE_*) as bits (MAP_DATA: core.h).
 * REDIRECT: devmap, cpumap, xskmap, devmap hash; OF_MAPS: array and hash
 * of maps, whose lookups give inner maps; programs may not update or
 * delete their elements (the kernel refuses them these helpers). */
enum { PROG_ARRAY = 1 << 3, PERF_ARRAY = 1 << 4, RINGBUF = 1 << 27 };
enum { REDIRECT = 1 << 14 | 1 << 16 | 1 << 17 | 1 << 25 };
enum { OF_MAPS = 1 << 12 | 1 << 13 };

/* Version 10 (VEP_PROOF_HELPER_TABLE_VERSION). */
/* clang-format off */
static const vep_helper helpers[] = {
    {1, "map_lookup_elem", PT_ALL, {ARG_MAP, ARG_KEY}, RES_MAP_OR_NULL,
     MAP_DATA | OF_MAPS},
    {2, "map_update_elem", PT_ALL, {ARG_MAP, ARG_KEY, ARG_VALUE, ARG_SCALAR},
     RES_U64, MAP_DATA},
    {3, "map_delete_elem", PT_ALL, {ARG_MAP, ARG_KEY}, RES_U64, MAP_DATA},
    {5, "ktime_get_ns", PT_ALL, {ARG_NONE}, RES_U64, 0},
    {6, "trace_printk", PT_ALL,
     {ARG_MEM, ARG_SIZE, ARG_SCALAR, ARG_SCALAR, ARG_SCALAR}, RES_U64, 0},
    {7, "get_prandom_u32", PT_ALL, {ARG_NONE}, RES_U32, 0},
    {8, "get_smp_processor_id", PT_ALL, {ARG_NONE}, RES_U32, 0},
    {12, "tail_call", PT_ALL, {ARG_CTX, ARG_MAP, ARG_SCALAR}, RES_NONE,
     PROG_ARRAY},
    {23, "redirect", PT_XDP | PT_TC, {ARG_SCALAR, ARG_SCALAR}, RES_U64, 0},
    {25, "perf_event_output", PT_ALL,
     {ARG_CTX, ARG_MAP, ARG_SCALAR, ARG_MEM, ARG_SIZE}, RES_U64, PERF_ARRAY},
    {26, "skb_load_bytes", PT_SKB,
     {ARG_CTX, ARG_SCALAR, ARG_STACK_OUT, ARG_SIZE}, RES_U64, 0},
    {28, "csum_diff", PT_XDP | PT_TC,
     {ARG_MEM, ARG_SIZE, ARG_MEM, ARG_SIZE, ARG_SCALAR}, RES_U64, 0},
    {51, "redirect_map", PT_XDP, {ARG_MAP, ARG_SCALAR, ARG_SCALAR}, RES_U64,
     REDIRECT},
    {130, "ringbuf_output", PT_ALL, {ARG_MAP, ARG_MEM, ARG_SIZE, ARG_SCALAR},
     RES_U64, RINGBUF},
    {131, "ringbuf_reserve", PT_ALL, {ARG_MAP, ARG_SIZE, ARG_SCALAR},
     RES_RESERVED, RINGBUF},
    {132, "ringbuf_submit", PT_ALL, {ARG_RESERVED, ARG_SCALAR}, RES_RELEASE, 0},
    {133, "ringbuf_discard", PT_ALL, {ARG_RESERVED, ARG_SCALAR}, RES_RELEASE,
     0},
    {177, "trace_vprintk", PT_ALL, {ARG_MEM, ARG_SIZE, ARG_MEM, ARG_SIZE},
     RES_U64, 0},
    {14, "get_current_pid_tgid", PT_TRACING, {ARG_NONE}, RES_U64, 0},
    {15, "get_current_uid_gid", PT_TRACING, {ARG_NONE}, RES_U64, 0},
    {16, "get_current_comm", PT_TRACING, {ARG_STACK_OUT, ARG_SIZE}, RES_U64, 0},
    {112, "probe_read_user", PT_TRACING,
     {ARG_STACK_OUT, ARG_SIZE, ARG_SCALAR}, RES_U64, 0},
    {113, "probe_read_kernel", PT_TRACING,
     {ARG_STACK_OUT, ARG_SIZE, ARG_SCALAR}, RES_U64, 0},
    {114, "probe_read_user_str", PT_TRACING,
     {ARG_UPDATE, ARG_SIZE, ARG_SCALAR}, RES_U64, 0},
    {115, "probe_read_kernel_str", PT_TRACING,
     {ARG_UPDATE, ARG_SIZE, ARG_SCALAR}, RES_U64, 0},
    {69, "fib_lookup", PT_XDP | PT_TC,
     {ARG_CTX, ARG_UPDATE, ARG_SIZE, ARG_SCALAR}, RES_U64, 0},
    {44, "xdp_adjust_head", PT_XDP, {ARG_CTX, ARG_SCALAR}, RES_NEW_PACKET, 0},
    {65, "xdp_adjust_tail", PT_XDP, {ARG_CTX, ARG_SCALAR}, RES_NEW_PACKET, 0},
    {38, "skb_change_tail", PT_TC, {ARG_CTX, ARG_SCALAR, ARG_SCALAR},
     RES_NEW_PACKET, 0},
    {39, "skb_pull_data", PT_TC, {ARG_CTX, ARG_SCALAR}, RES_NEW_PACKET, 0},
    {43, "skb_change_head", PT_TC, {ARG_CTX, ARG_SCALAR, ARG_SCALAR},
     RES_NEW_PACKET, 0},
    {9, "skb_store_bytes", PT_TC,
     {ARG_CTX, ARG_SCALAR, ARG_MEM, ARG_SIZE, ARG_SCALAR}, RES_NEW_PACKET, 0},
    {10, "l3_csum_replace", PT_TC,
     {ARG_CTX, ARG_SCALAR, ARG_SCALAR, ARG_SCALAR, ARG_SCALAR}, RES_NEW_PACKET,
     0},
    {11, "l4_csum_replace", PT_TC,
     {ARG_CTX, ARG_SCALAR, ARG_SCALAR, ARG_SCALAR, ARG_SCALAR}, RES_NEW_PACKET,
     0},
};
/* clang-format on */

static bool arg_fail(vep_checker *c, const vep_helper *h, uint8_t r,
                     const char *what) {
  return vep_reject(c, "helper_call", "%s: r%d%s", h->name, r, what);
}

bool vep_stack_buffer(const vep_checker *c, const vep_val *v, vep_int n) {
  /* n > -o, not o + n > 0: n is a call's size form, any 128-bit value */
  if (v->kind != RG_STACK || !lin_is_const(v->form) || n < 1 ||
      v->form->constant < -VEP_STACK_SIZE || n > -v->form->constant)
    return false;
  uint32_t lo = (uint32_t)(v->form->constant + VEP_STACK_SIZE);
  for (uint32_t b = lo; b < lo + n; b++)
    if (!byte_init(&c->m, b) || c->m.slot[b / 8].kind > V_SCALAR)
      return false;
  return true;
}

/* A key, value or ARG_MEM buffer of `size` bytes that the helper reads: a
 * stack buffer, or a map value or live reservation pointer with offset o:
 * required ACCESS_LOW o >= 0, then required ACCESS_HIGH end - (o + size) >=
 * 0, end the value size or the reserved size (both hold data, never a
 * pointer: mem_map, mem_ringbuf refuse pointer stores). */
static bool buffer_arg(vep_checker *c, const vep_helper *h, uint8_t r,
                       const vep_val *v, uint32_t size, const char *what) {
  if (v->kind == RG_MAP_VALUE || v->kind == RG_RINGBUF)
    return vep_in_bounds(c, "helper_call", v->form, vep_region_end(c, v, false),
                         NULL, size);
  return vep_stack_buffer(c, v, size) ||
         vep_reject(c, "helper_call",
                    "%s: r%d: helper given a too-small or uninitialised "
                    "buffer (%s)",
                    h->name, r, what);
}

/* stale_packet (id 0): after a helper that changes the packet, every
 * packet pointer in a register or a spill is stale (V_STALE; a
 * spill's bytes uninitialised) and the packet has a new length.
 * ringbuf_release: after a submit or discard, every copy of the
 * reservation `id` is likewise V_RELEASED. */
static bool invalidate(vep_checker *c, uint32_t id) {
  const vep_val stale = {id ? V_RELEASED : V_STALE, NULL, 0, 0};
  for (uint32_t i = 0; i < VEP_NREGS + VEP_SLOTS; i++) {
    vep_val *v = state_value(&c->m, i);
    if (!(id ? v->kind == RG_RINGBUF && v->id == id : packetish(v)))
      continue;
    *v = stale;
    for (uint32_t b = 0; i >= VEP_NREGS && b < 8; b++)
      set_init(&c->m, (i - VEP_NREGS) * 8 + b, false);
  }
  c->m.n_reserved -= id != 0;
  return id || (c->len = vep_fresh(c, c->type->max_len)) != NULL;
}

bool vep_no_reservation(vep_checker *c, const char *where) {
  return !c->m.n_reserved ||
         vep_reject(c, "ringbuf_live",
                    "ringbuf reservation not submitted or discarded %s", where);
}

/* helper_call: the arguments match the row (R1..R5 in order), then R0 gets
 * the result and R1..R5 become uninitialised. */
static bool helper_call(vep_checker *c, const vep_helper *h) {
  const vep_map_def *map = NULL;
  uint16_t k = 0;
  vep_val buf = {0};                /* ARG_*_OUT, ARG_MEM */
  uint32_t out_at = VEP_STACK_SIZE; /* ARG_*_OUT: the buffer's offset */
  uint32_t size = 0, released = 0;  /* ARG_SIZE; ARG_RESERVED's id */
  const vep_lin *out_end = NULL;    /* ARG_*_OUT elsewhere: its end */
  /* A function's type has every bit, so it calls no packet-changing helper
   * (none is a tracing type's), which would make its caller's stale. */
  if ((h->prog_types & c->type->bit) != c->type->bit)
    return vep_reject(c, "helper_call",
                      "%s is not allowed for this program type", h->name);
  if (h->result == RES_NONE && !vep_no_reservation(c, "before a tail call"))
    return false;
  for (uint8_t r = 1; r <= 5; r++) {
    vep_val v;
    uint8_t kind = h->args[r - 1];
    if (kind == ARG_NONE)
      continue;
    if (!vep_read_reg(c, r, &v))
      return false;
    if (kind == ARG_MAP) {
      if (v.kind != RG_MAP_PTR)
        return arg_fail(c, h, r, " is not a map pointer");
      k = v.map;
      map = &c->maps->maps[k];
      if (map->type >= 32 || !(h->map_types >> map->type & 1))
        return arg_fail(c, h, r,
                        " is a map of a type the helper does not take");
    } else if (kind == ARG_SCALAR) {
      if (v.kind != V_SCALAR)
        return arg_fail(c, h, r, " is not a scalar");
    } else if (kind == ARG_CTX || kind == ARG_RESERVED) {
      bool ctx = kind == ARG_CTX;
      if (v.kind != (ctx ? RG_CTX : RG_RINGBUF) || !lin_is_const(v.form) ||
          v.form->constant)
        return arg_fail(c, h, r,
                        ctx ? " is not the context pointer"
                            : " is not reserved ringbuf memory at offset 0, "
                              "checked not null");
      released = ctx ? 0 : v.id;
    } else if (kind == ARG_STACK_OUT || kind == ARG_UPDATE) {
      if (v.kind == RG_STACK && lin_is_const(v.form) &&
          v.form->constant >= -VEP_STACK_SIZE && v.form->constant < 0)
        out_at = (uint32_t)(v.form->constant + VEP_STACK_SIZE);
      else if ((v.kind != RG_MAP_VALUE && v.kind != RG_RINGBUF) ||
               !(out_end = vep_region_end(c, &v, true)))
        return arg_fail(c, h, r,
                        " is not a pointer into the stack frame at a "
                        "constant offset, a writable map value or "
                        "reserved ringbuf memory");
      buf = v;
    } else if (kind == ARG_MEM) {
      buf = v;
    } else if (kind == ARG_SIZE) {
      uint8_t of = h->args[r - 2]; /* the argument it is the size of */
      /* the size of a stack buffer, bounded by the frame */
      bool frame =
          (of == ARG_STACK_OUT || of == ARG_UPDATE) && out_at < VEP_STACK_SIZE;
      if (v.kind != V_SCALAR || !lin_is_const(v.form) || v.form->constant < 1 ||
          v.form->constant >
              (frame ? VEP_STACK_SIZE - out_at : VEP_MAX_MAP_BYTES))
        return arg_fail(c, h, r,
                        frame ? " is not a constant size from 1 to the bytes "
                                "between the buffer and the frame's top"
                              : " is not a constant size from 1 to 2^20");
      size = (uint32_t)v.form->constant;
      if (of == ARG_UPDATE && frame && !vep_stack_buffer(c, &buf, size))
        return arg_fail(c, h, r - 1,
                        " does not hold initialised data in "
                        "every byte the helper may write");
      if (of == ARG_MEM && !buffer_arg(c, h, r - 1, &buf, size, "data"))
        return false;
      if (out_end &&
          !vep_in_bounds(c, "helper_call", buf.form, out_end, NULL, size))
        return false;
    } else if (!map) {
      return arg_fail(c, h, r, ": a buffer before the map argument");
    } else if (!buffer_arg(c, h, r, &v,
                           kind == ARG_KEY ? map->key_size : map->value_size,
                           kind == ARG_KEY ? "key" : "value")) {
      return false;
    }
  }
  uint8_t rg = h->result == RES_MAP_OR_NULL ? RG_MAP_OR_NULL
               : h->result == RES_RESERVED  ? RG_RINGBUF_OR_NULL
                                            : 0;
  vep_val out =
      rg ? pointer(rg, vep_lin_const(c, 0), rg == RG_MAP_OR_NULL ? k : size)
         : scalar(
               vep_fresh(c, h->result == RES_U32 ? VEP_U32_MAX : VEP_U64_MAX));
  if (rg)
    out.id = (uint32_t)c->n_steps; /* unique: n_steps only grows */
  c->m.n_reserved += h->result == RES_RESERVED;
  if (out_at < VEP_STACK_SIZE && out.form)
    stack_write_data(&c->m, out_at, size);
  if ((h->result == RES_NEW_PACKET || released) && out.form &&
      !invalidate(c, released))
    return false;
  /* (the form only shows vep_fresh succeeded) */
  if (h->result == RES_NONE || h->result == RES_RELEASE)
    out.kind = V_UNINIT;
  return vep_returned(c, out);
}

/* The structural pass admits `call imm` with src 0 (helpers) and
 * relocated bpf-to-bpf calls (src 1). */
bool vep_exec_call(vep_checker *c, const vep_insn *in) {
  if (in->src == 1)
    return vep_call(c, c->reloc_of[c->pc] - 1u);
  for (size_t i = 0; i < VEP_LEN(helpers); i++)
    if (helpers[i].id == in->imm)
      return helper_call(c, &helpers[i]);
  return vep_reject(c, "helper_call",
                    "unknown helper id %d (not in helper table version %d)",
                    in->imm, VEP_PROOF_HELPER_TABLE_VERSION);
}
