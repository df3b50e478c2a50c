// oracle.cc - see oracle.h. Test-only.
#include "oracle.h"

#include "interp.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iterator>

namespace vf {
namespace {

// An alternative of an exit assertion as facts a*R0 + b >= 0: without a
// binding, or with R0 bound to a constant c or to x_k + c (x_k = R0 - c),
// each fact a constant or over x_k alone. false: another shape.
bool facts_over_r0(const vep_cut_point &k, std::vector<Fact> &out) {
  const vep_lin *r0 = k.n_bindings == 1 ? &k.bindings[0].form : nullptr;
  if (k.n_bindings > 1 || (r0 && r0->n_terms > 1) ||
      (r0 && r0->n_terms == 1 &&
       (r0->terms[0].var == 0 || r0->terms[0].coeff != 1)))
    return false;
  uint32_t x = r0 && r0->n_terms ? r0->terms[0].var : 0;
  __int128 c = r0 ? r0->constant : 0;
  if (r0 && !x) { // R0 == c
    out.push_back({1, -c});
    out.push_back({-1, c});
  }
  for (uint32_t i = 0; i < k.n_facts; i++) {
    const vep_lin &f = k.facts[i];
    if (f.n_terms > 1 || (f.n_terms && (!x || f.terms[0].var != x)))
      return false;
    __int128 a = f.n_terms ? f.terms[0].coeff : 0, b;
    if (__builtin_mul_overflow(a, c, &b) ||
        __builtin_sub_overflow(f.constant, b, &b))
      return false;
    out.push_back({a, b}); // a*(R0 - c) + constant
  }
  return true;
}

// The exit assertion a program header claims.
Claim claim_of(const vep_program_header &h) {
  Claim c;
  for (uint32_t i = 0; i < h.n_posts && !c.partial; i++) {
    std::vector<Fact> facts;
    if (facts_over_r0(h.posts[i], facts))
      c.disjuncts.push_back(std::move(facts));
    else
      c.partial = true;
  }
  return c;
}

uint64_t rd(const uint8_t *p, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n; i++)
    v |= uint64_t(p[i]) << (8 * i);
  return v;
}

vt::Prog decode(const std::vector<uint8_t> &bytes) {
  vt::Prog p;
  for (size_t i = 0; i + 8 <= bytes.size(); i += 8) {
    const uint8_t *b = &bytes[i];
    vt::Insn in;
    in.code = b[0];
    in.dst = b[1] & 0xf;
    in.src = b[1] >> 4;
    in.off = int16_t(uint16_t(b[2] | b[3] << 8));
    in.imm = int32_t(uint32_t(rd(b + 4, 4)));
    p.push_back(in);
  }
  return p;
}

// The program type of a section name as docs/proof-format.md defines it
// (the name, or it followed by '/', for xdp also by '.'); false for any
// other name.
bool prog_type_of(const std::string &section, vt::ProgType &type) {
  static const std::pair<const char *, vt::ProgType> kinds[] = {
      {"xdp", vt::ProgType::Xdp},
      {"tc", vt::ProgType::Tc},
      {"classifier", vt::ProgType::Tc},
      {"socket", vt::ProgType::Socket},
      {"kprobe", vt::ProgType::Kprobe},
      {"kretprobe", vt::ProgType::Kprobe},
      {"tracepoint", vt::ProgType::Tracepoint},
      {"tp", vt::ProgType::Tracepoint},
      {"raw_tracepoint", vt::ProgType::RawTp},
      {"raw_tp", vt::ProgType::RawTp},
      {"perf_event", vt::ProgType::PerfEvent},
      {"sockops", vt::ProgType::SockOps}};
  for (const auto &[name, t] : kinds) {
    std::string n = name;
    if (section == n || section.rfind(n + "/", 0) == 0 ||
        (t == vt::ProgType::Xdp && section.rfind(n + ".", 0) == 0)) {
      type = t;
      return true;
    }
  }
  return false;
}

bool satisfies(const Claim &c, uint64_t r0) {
  if (c.disjuncts.empty() || c.partial)
    return true;
  for (const auto &d : c.disjuncts) {
    bool all = true;
    for (const Fact &f : d) {
      // a*r0 + b >= 0 over the integers; __int128 may overflow for huge a,
      // so compare by sign cases.
      __int128 prod;
      if (__builtin_mul_overflow(f.a, (__int128)r0, &prod)) {
        all = all && f.a > 0; // |a*r0| beyond 2^127 dominates any b
        continue;
      }
      __int128 sum;
      if (__builtin_add_overflow(prod, f.b, &sum)) {
        all = all && f.b > 0;
        continue;
      }
      all = all && sum >= 0;
    }
    if (all)
      return true;
  }
  return false;
}

std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%llx", (unsigned long long)v);
  return b;
}

} // namespace

CheckRun check_pair(const uint8_t *obj, size_t obj_len,
                    const vep_map_table *maps, const uint8_t *proof,
                    size_t proof_len, uint8_t *arena, size_t arena_size) {
  CheckRun run;
  if (maps && maps->maps)
    run.maps.assign(maps->maps, maps->maps + maps->n_maps);
  vep_proof_reader reader;
  vep_arena a;
  vep_arena_init(&a, arena, arena_size);
  run.status =
      vep_proof_reader_init(&reader, proof, proof_len, &a, &run.res);
  if (run.status != VEP_ACCEPTED)
    return run;
  for (uint32_t i = 0; i < reader.headers.n_programs; i++)
    run.claims.push_back(claim_of(reader.headers.programs[i]));
  size_t tables = a.used;
  run.status = vep_check_object(obj, obj_len, maps, &reader.headers,
                                &reader.source, &a, &run.res);
  run.arena_left = a.used - tables;
  if (run.status == VEP_ACCEPTED)
    run.status = vep_proof_reader_finish(&reader, &run.res);
  return run;
}

const vep_map_table &fuzz_map_table() {
  // name, type (linux/bpf.h), key size, value size, max_entries, flags,
  // inner template (maps of maps: set below, from the name)
  static vep_map_def defs[] = {
      {"proto_counts", 2 /* ARRAY */, 4, 8, 256, 0, 0},     // count_protocols.c
      {"source_counts", 1 /* HASH */, 4, 8, 1024, 0, 0},    // count_sources.c
      {"blocked_sources", 1 /* HASH */, 4, 1, 4096, 0, 0},  // drop_blocked.c
      {"icmp_types", 2 /* ARRAY */, 4, 8, 256, 0, 0}, // icmp_guard.c
      {"allowed_sources", 1 /* HASH */, 4, 1, 1024, 0, 0}, // ipv4_allowlist.c
      {"verdicts", 2 /* ARRAY */, 4, 8, 2, 0, 0}, // ipv4_allowlist.c
      {"size_buckets", 2 /* ARRAY */, 4, 8, 16, 0, 0}, // size_histogram.c
      {"source_packets", 1 /* HASH */, 4, 8, 16384, 0, 0}, // source_quota.c
      {"syn_counts", 2 /* ARRAY */, 4, 8, 65536, 0, 0}, // tcp_syn_ports.c
      {"dns_clients", 1 /* HASH */, 4, 1, 256, 0, 0}, // udp_dns_guard.c
      {"records", 2 /* ARRAY */, 4, 16, 256, 0, 0}, // map_value_fold.c
      {"host_names", 2 /* ARRAY */, 4, 32, 1, 0, 0}, // string_search.c
      {"last_names", 2 /* ARRAY */, 4, 32, 4, 0, 0}, // string_copy.c
      {"tagged_names", 2 /* ARRAY */, 4, 32, 4, 0, 0}, // string_concat.c
      {"blocked_keys", 2 /* ARRAY */, 4, 16, 2, 0, 0}, // string_compare.c
      {"conns", 2 /* ARRAY */, 4, 548, 1, 0, 0}, // conn_table_lookup.c
      {"cycle_conns", 2 /* ARRAY */, 4, 548, 1, 0, 0}, // unsafe/conn_walk_cycle.c
      {"proto_bytes", 2 /* ARRAY */, 4, 8, 256, 0, 0}, // tc_proto_bytes.c
      {"socket_proto_counts", 2 /* ARRAY */, 4, 8, 256, 0, 0}, // socket_count_protocols.c
      {"arp_bindings", 1 /* HASH */, 4, 8, 256, 0, 0}, // arp_spoof_guard.c
      {"min_length", 2 /* ARRAY */, 4, 4, 1, 0, 0}, // per_cpu_stats.c
      {"verdict_counts", 6 /* PERCPU_ARRAY */, 4, 8, 3, 0, 0}, // per_cpu_stats.c
      {"frame_sizes", 6 /* PERCPU_ARRAY */, 4, 64, 1, 0, 0}, // per_cpu_stats.c
      {"proto_stats", 2 /* ARRAY */, 4, 16, 256, 0, 0}, // proto_and_source_bytes.c
      {"source_bytes", 1 /* HASH */, 4, 8, 4096, 0, 0}, // proto_and_source_bytes.c
      {"expired_packets", 2 /* ARRAY */, 4, 8, 2, 0, 0}, // tc_ttl_expired.c
      {"syscall_counts", 1 /* HASH */, 8, 8, 1024, 0, 0}, // tp_syscall_counts.c
      {"read_start", 1 /* HASH */, 8, 8, 10240, 0, 0}, // kprobe_read_latency.c
      {"read_latency_log2", 2 /* ARRAY */, 4, 8, 64, 0, 0}, // kprobe_read_latency.c
      {"open_writers", 1 /* HASH */, 8, 8, 4096, 0, 0}, // tp_open_writers.c
      {"raw_syscall_counts", 2 /* ARRAY */, 4, 8, 513, 0, 0}, // raw_tp_syscall_args.c
      {"sockops_calls", 2 /* ARRAY */, 4, 8, 32, 0, 0}, // sockops_op_counts.c
      {"sockops_acked", 2 /* ARRAY */, 4, 8, 1, 0, 0}, // sockops_op_counts.c
      {"events_per_process", 1 /* HASH */, 4, 8, 4096, 0, 0}, // perf_event_samples.c
      {"samples_per_cpu", 2 /* ARRAY */, 4, 8, 512, 0, 0}, // perf_event_samples.c
      // libbpf's internal maps of global variables (BPF_F_MMAPABLE 0x400,
      // BPF_F_RDONLY_PROG 0x80), one each, as large as the examples'
      // largest (vep_check_mutation's check of the table)
      {".bss", 2 /* ARRAY */, 4, 16, 1, 0x400, 0}, // global_packet_counter.c
      {".data", 2 /* ARRAY */, 4, 16, 1, 0x400, 0}, // data_class_verdicts.c
      // rodata_port_filter.c; the format strings of xdp_mac_swap_stats.c
      {".rodata", 2 /* ARRAY */, 4, 64, 1, 0x480, 0},
      {"exec_names", 27 /* RINGBUF */, 0, 0, 4096, 0, 0}, // tp_exec_names.c
      {"vxlan_port", 14 /* DEVMAP */, 4, 4, 1, 0, 0}, // xdp_redirect_udp.c
      {"proto_programs", 3 /* PROG_ARRAY */, 4, 4, 256, 0, 0}, // xdp_dispatch_by_proto.c
      // tc_sample_arp.c: no max_entries (libbpf sizes it at load)
      {"arp_samples", 4 /* PERF_EVENT_ARRAY */, 4, 4, 0, 0, 0},
      {"stages", 3 /* PROG_ARRAY */, 4, 4, 4, 0, 0}, // unsafe/lookup_in_prog_array.c
      {"opened", 27 /* RINGBUF */, 0, 0, 4096, 0, 0}, // unsafe/read_str_uninitialised.c
      {"frames", 27 /* RINGBUF */, 0, 0, 4096, 0, 0}, // unsafe/ringbuf_leaks_pointer.c
      {"m1", 1 /* HASH */, 1, 1, 1, 0, 0},
      {"pa", 3 /* PROG_ARRAY */, 4, 4, 4, 0, 0},
      // protocol_tables.c, unsafe/inner_map_unchecked.c,
      // unsafe/inner_value_overflow.c: a map of maps and its template
      {"ipv4_protos", 2 /* ARRAY */, 4, 8, 256, 0, 0},
      {"ipv6_protos", 2 /* ARRAY */, 4, 8, 256, 0, 0},
      {"tables", 12 /* ARRAY_OF_MAPS */, 4, 4, 2, 0, 0},
      {"tables.inner", 2 /* ARRAY */, 4, 8, 256, 0, 0},
      // xdp_sample_headers.c, unsafe/ringbuf_not_submitted.c,
      // unsafe/ringbuf_write_past_reservation.c
      {"header_samples", 27 /* RINGBUF */, 0, 0, 4096, 0, 0},
      {"frame_lengths", 27 /* RINGBUF */, 0, 0, 4096, 0, 0},
      {"frame_words", 27 /* RINGBUF */, 0, 0, 4096, 0, 0},
      {"flows", 2 /* ARRAY */, 4, 40, 256, 0, 0}, // flow_flags.c
      {"exec_events", 27 /* RINGBUF */, 0, 0, 4096, 0, 0}, // tp_exec_events.c
      // unsafe/comm_past_reservation.c
      {"short_events", 27 /* RINGBUF */, 0, 0, 4096, 0, 0},
      {"source_records", 1 /* HASH */, 4, 40, 1024, 0, 0}, // typed_source_records.c
      {"flow_counts", 1 /* HASH */, 8, 8, 1024, 0, 0}, // flow_key_counter.c
      // unsafe/flow_key_padding.c
      {"padded_flows", 1 /* HASH */, 8, 8, 1024, 0, 0},
      // xdp_last_frame_summary.c, unsafe/summary_past_reservation.c
      {"frame_summaries", 27 /* RINGBUF */, 0, 0, 4096, 0, 0},
      {"last_summary", 2 /* ARRAY */, 4, 16, 2, 0, 0},
      {"short_summaries", 27 /* RINGBUF */, 0, 0, 4096, 0, 0},
      {"last_short_summary", 2 /* ARRAY */, 4, 16, 2, 0, 0},
      {"calls_by_comm", 1 /* HASH */, 16, 8, 64, 0, 0}, // tracing_comm_counter.c
      // tc_flow_tuple_counter.c, unsafe/flow_tuple_padding.c
      {"tuple_counts", 1 /* HASH */, 16, 8, 1024, 0, 0},
      // udp_payload_sampler.c, unsafe/sampler_bytes_overrun.c
      {"dns_samples", 6 /* PERCPU_ARRAY */, 4, 36, 1, 0, 0},
      {"long_samples", 6 /* PERCPU_ARRAY */, 4, 36, 1, 0, 0},
      {"calls_by_name", 1 /* HASH */, 16, 8, 64, 0, 0}, // tracing_comm_lowercase.c
      // xdp_payload_snapshot.c, unsafe/snapshot_past_reservation.c
      {"snapshots", 27 /* RINGBUF */, 0, 0, 4096, 0, 0},
      // xdp_event_by_function.c, unsafe/event_smaller_than_function.c
      {"frame_events", 27 /* RINGBUF */, 0, 0, 4096, 0, 0},
      {"xdp_stats_map", 6 /* PERCPU_ARRAY */, 4, 16, 5, 0, 0}, // xdp_mac_swap_stats.c
      // xdp_flow_memcpy_key.c, unsafe/mac_copy_past_bound.c
      {"v4_flows", 1 /* HASH */, 12, 8, 1024, 0, 0},
      {"v6_flows", 1 /* HASH */, 32, 8, 1024, 0, 0},
      {"last_sender", 2 /* ARRAY */, 4, 16, 1, 0, 0},
      {"tcp_ports", 1 /* HASH */, 2, 16, 1024, 0, 0}, // tc_loaded_headers.c
      // xdp_tcp_option_walk.c
      {"syn_option_kinds", 6 /* PERCPU_ARRAY */, 4, 8, 256, 0, 0},
      {"fib_results", 6 /* PERCPU_ARRAY */, 4, 8, 16, 0, 0}, // xdp_fib_forward.c
  };
  static const vep_map_table table = [] {
    // A map of maps' template is the entry "<outer>.inner", as
    // vep_map_table_from_object names it.
    const uint32_t n = sizeof defs / sizeof defs[0];
    for (vep_map_def &d : defs)
      for (uint32_t i = 0; (d.type == 12 || d.type == 13) && i < n; i++)
        if (std::string(defs[i].name) == std::string(d.name) + ".inner")
          d.inner = i;
    return vep_map_table{n, defs};
  }();
  return table;
}

std::vector<ElfProgram> elf_programs(const uint8_t *o, size_t len,
                                     ElfProgram *text) {
  std::vector<ElfProgram> out;
  if (len < 64)
    return out;
  uint64_t shoff = rd(o + 40, 8), shnum = rd(o + 60, 2), stridx = rd(o + 62, 2);
  if (shoff > len || (len - shoff) / 64 < shnum || stridx >= shnum)
    return out;
  auto sh = [&](uint64_t i) { return o + shoff + i * 64; };
  const uint8_t *str = sh(stridx);
  uint64_t str_off = rd(str + 24, 8), str_size = rd(str + 32, 8);
  if (str_off > len || str_size > len - str_off)
    return out;
  std::vector<uint64_t> index; // section index of out[k]
  for (uint64_t i = 1; i < shnum; i++) {
    const uint8_t *s = sh(i);
    uint64_t name = rd(s, 4), flags = rd(s + 8, 8), off = rd(s + 24, 8),
             size = rd(s + 32, 8);
    if (!(flags & 4) || size == 0)
      continue;
    if (off > len || size > len - off || name >= str_size)
      return {};
    const char *n = reinterpret_cast<const char *>(o + str_off + name);
    std::string section(n, strnlen(n, str_size - name));
    out.push_back({section,
                   std::vector<uint8_t>(o + off, o + off + size), {}, ""});
    index.push_back(i);
  }
  // The relocations: SHT_REL (9) sections targeting a program section.
  for (uint64_t i = 1; i < shnum; i++) {
    const uint8_t *s = sh(i);
    if (rd(s + 4, 4) != 9)
      continue;
    uint64_t info = rd(s + 44, 4);
    size_t k = size_t(std::find(index.begin(), index.end(), info) - index.begin());
    if (k == index.size())
      continue;
    ElfProgram &p = out[k];
    auto fail = [&](const char *why) {
      if (p.reloc_error.empty())
        p.reloc_error = "relocation section " + std::to_string(i) + ": " + why;
    };
    uint64_t off = rd(s + 24, 8), size = rd(s + 32, 8), link = rd(s + 40, 4);
    if (off > len || size > len - off || size % 16) {
      fail("unreadable");
      continue;
    }
    if (link == 0 || link >= shnum || rd(sh(link) + 4, 4) != 2) {
      fail("sh_link is not a symbol table");
      continue;
    }
    const uint8_t *sym = sh(link);
    uint64_t sym_off = rd(sym + 24, 8), sym_size = rd(sym + 32, 8),
             names = rd(sym + 40, 4);
    if (sym_off > len || sym_size > len - sym_off || names == 0 ||
        names >= shnum) {
      fail("unreadable symbol table");
      continue;
    }
    uint64_t nm_off = rd(sh(names) + 24, 8), nm_size = rd(sh(names) + 32, 8);
    if (nm_off > len || nm_size > len - nm_off) {
      fail("unreadable symbol names");
      continue;
    }
    for (uint64_t r = 0; r < size / 16; r++) {
      const uint8_t *e = o + off + 16 * r;
      uint64_t r_info = rd(e + 8, 8), k_sym = r_info >> 32;
      if (k_sym == 0 || k_sym >= sym_size / 24) {
        fail("symbol index out of range");
        break;
      }
      uint64_t name = rd(o + sym_off + 24 * k_sym, 4);
      if (name >= nm_size) {
        fail("symbol name out of range");
        break;
      }
      const char *n = reinterpret_cast<const char *>(o + nm_off + name);
      uint64_t shndx = rd(o + sym_off + 24 * k_sym + 6, 2),
               sec_name = shndx && shndx < shnum ? rd(sh(shndx), 4) : str_size;
      const char *sn = reinterpret_cast<const char *>(o + str_off + sec_name);
      p.relocs.push_back(
          {rd(e, 8), uint32_t(r_info), std::string(n, strnlen(n, nm_size - name)),
           sec_name < str_size ? std::string(sn, strnlen(sn, str_size - sec_name))
                               : std::string(),
           rd(o + sym_off + 24 * k_sym + 8, 8)});
    }
  }
  // `.text` holds the functions, run as part of the programs calling them.
  auto t = std::find_if(out.begin(), out.end(),
                        [](const ElfProgram &p) { return p.name == ".text"; });
  *text = t == out.end() ? ElfProgram{} : *t;
  if (t != out.end())
    out.erase(t);
  return out;
}

const std::vector<std::vector<uint8_t>> &oracle_packets() {
  static const std::vector<std::vector<uint8_t>> packets = [] {
    std::vector<std::vector<uint8_t>> ps;
    uint64_t x = 0x9e3779b97f4a7c15ull;
    auto rnd = [&x] {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      return uint8_t(x);
    };
    std::vector<size_t> lens;
    for (size_t n = 0; n <= 80; n++)
      lens.push_back(n);
    for (size_t n : {95, 127, 128, 129, 200, 256})
      lens.push_back(n);
    for (size_t n : lens) {
      ps.emplace_back(n, 0);
      ps.emplace_back(n, 0xff);
      std::vector<uint8_t> r(n);
      for (auto &b : r)
        b = rnd();
      ps.push_back(r);
      // Ethernet + IPv4 with IHL 5, 6 and 15, protocol UDP and TCP.
      for (uint8_t ihl : {5, 6, 15}) {
        std::vector<uint8_t> ip = r;
        if (n > 13)
          ip[12] = 0x08, ip[13] = 0x00;
        if (n > 14)
          ip[14] = uint8_t(0x40 | ihl);
        if (n > 23)
          ip[23] = ihl == 6 ? 6 : 17;
        ps.push_back(ip);
      }
      // A string: nonzero bytes with a NUL at n/2 (strlen-like loops).
      std::vector<uint8_t> s(n, 'a');
      if (n)
        s[n / 2] = 0;
      ps.push_back(s);
    }
    return ps;
  }();
  return packets;
}

std::string soundness_violation(const uint8_t *obj, size_t obj_len,
                                const CheckRun &run, unsigned stride) {
  ElfProgram text;
  std::vector<ElfProgram> progs = elf_programs(obj, obj_len, &text);
  if (progs.size() != run.claims.size())
    return "accepted object has " + std::to_string(progs.size()) +
           " programs but its proof " + std::to_string(run.claims.size()) +
           " program headers";
  const auto &packets = oracle_packets();
  // Bit i: the i-th map lookup of a run returns NULL.
  static const uint64_t kNullPatterns[] = {0, ~0ull, 0x5555555555555555ull,
                                           0xaaaaaaaaaaaaaaaaull};
  for (size_t i = 0; i < progs.size(); i++) {
    const ElfProgram &prog = progs[i];
    vt::Prog p = decode(prog.insns), functions = decode(text.insns);
    const size_t n_prog = p.size();
    p.insert(p.end(), functions.begin(), functions.end());
    vt::ProgType type;
    if (!prog_type_of(prog.name, type))
      return "program '" + prog.name +
             "': accepted, but its section name is of no known program type";
    // The maps: the whole table (the interpreter's map k is table entry k),
    // the relocations bound by symbol name, as the loader binds them.
    vt::MapEnv env;
    for (const vep_map_def &d : run.maps)
      env.maps.push_back(
          {d.key_size, d.value_size, d.type, (d.flags & 0x80) != 0, d.inner});
    const ElfProgram *codes[] = {&prog, &text};
    for (const ElfProgram *code : codes) {
      // The code's instructions are p[base, end).
      const size_t base = code == &prog ? 0 : n_prog,
                   end = base + code->insns.size() / 8;
      if (!code->reloc_error.empty())
        return "section '" + code->name + "': " + code->reloc_error;
      for (const ElfProgram::Reloc &r : code->relocs) {
        std::string at = "section '" + code->name + "': relocation at " +
                         std::to_string(r.offset) + " against '" + r.symbol +
                         "'";
        size_t i = base + r.offset / 8;
        if (r.offset % 8 || i >= end)
          return at + ": not at an instruction of the section";
        if (r.type == 10 /* R_BPF_64_32 */) {
          if (p[i].code != (vt::JMP | vt::CALL) || p[i].src != 1)
            return at + ": not at a bpf-to-bpf call";
          int64_t target = int64_t(r.symbol_value / 8) + p[i].imm + 1;
          if (target < 0 || size_t(target) >= text.insns.size() / 8)
            return at + ": call target outside .text";
          p[i].imm = int32_t(int64_t(n_prog) + target - int64_t(i) - 1);
          continue;
        }
        if (r.type != 1 /* R_BPF_64_64 */)
          return at + ": type " + std::to_string(r.type) +
                 ", neither R_BPF_64_64 nor R_BPF_64_32";
        if (i + 1 >= end || p[i].code != 0x18)
          return at + ": not at an lddw of the section";
        // A global variable's section names libbpf's internal map; the
        // lddw loads a pointer into its value at st_value + imm.
        bool global = r.symbol_section == ".data" ||
                      r.symbol_section == ".bss" || r.symbol_section == ".rodata";
        const std::string &name = global ? r.symbol_section : r.symbol;
        size_t m = 0;
        while (m < run.maps.size() && name != run.maps[m].name)
          m++;
        if (m == run.maps.size())
          return at + ": no map of that name in the table";
        if (global)
          env.globals.push_back(
              {i, uint32_t(m), r.symbol_value + uint64_t(int64_t(p[i].imm))});
        else
          env.relocs.push_back({i, uint32_t(m)});
      }
    }
    // Lookups need a map pointer: a relocated lddw or a pseudo one (the
    // interpreter loads map imm of the table for src 1 and 5).
    bool maps = !env.relocs.empty() ||
                std::any_of(p.begin(), p.end(), [](const vt::Insn &in) {
                  return in.code == 0x18 && (in.src == 1 || in.src == 5);
                });
    size_t n_patterns = maps ? std::size(kNullPatterns) : 1;
    for (size_t k = 0; k < packets.size(); k += stride ? stride : 1) {
      for (uint32_t ifindex : {0u, 7u, 0xffffffffu}) {
        if (vt::has_record(type) && ifindex) // no context field to vary
          break;
        for (size_t n = 0; n < n_patterns; n++) {
          env.lookup_null = kNullPatterns[n];
          vt::RunResult r =
              vt::run_program(p, type, packets[k], ifindex, env, 2000000);
          if (r.ok && satisfies(run.claims[i], r.r0))
            continue;
          std::string where = "program '" + prog.name + "' on packet " +
                              std::to_string(k) + " (" +
                              std::to_string(packets[k].size()) + " bytes)" +
                              (env.relocs.empty()
                                   ? std::string()
                                   : ", lookup NULL pattern " +
                                         hex(env.lookup_null)) +
                              ": ";
          // The checker proves termination, not a bound on the steps: a
          // step-limit report may be a merely very long loop.
          if (!r.ok && r.error == "step limit")
            return where + "did not end within 2,000,000 steps";
          if (!r.ok)
            return where + r.error;
          return where + "returned " + hex(r.r0) +
                 ", outside its claimed post-condition";
        }
      }
    }
  }
  return "";
}

} // namespace vf
