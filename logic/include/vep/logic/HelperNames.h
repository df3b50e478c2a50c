//===- HelperNames.h - Names of the eBPF helpers VEP knows ------*- C++ -*-===//
//
// One id-to-name table (linux/bpf.h's BPF_FUNC_* without the prefix's
// enum spelling) for VEP-C's messages and vepcc's -S comments. The trusted
// checker keeps its own table in C (vep-ebpf/src/helper.c): it must not
// depend on the untrusted stages.
//
//===----------------------------------------------------------------------===//
#ifndef VEP_LOGIC_HELPERNAMES_H
#define VEP_LOGIC_HELPERNAMES_H

#include <cstdint>
#include <string>

namespace vep::logic {

/// "bpf_map_lookup_elem" for 1, ...; "helper N" for an id VEP does not know.
std::string helperName(uint64_t Id);

} // namespace vep::logic

#endif // VEP_LOGIC_HELPERNAMES_H
