//===- HelperNames.cpp - Names of the eBPF helpers VEP knows --------------===//
#include "vep/logic/HelperNames.h"

#include <utility>

namespace vep::logic {

std::string helperName(uint64_t Id) {
  static const std::pair<uint64_t, const char *> Names[] = {
      {1, "bpf_map_lookup_elem"},
      {2, "bpf_map_update_elem"},
      {3, "bpf_map_delete_elem"},
      {5, "bpf_ktime_get_ns"},
      {6, "bpf_trace_printk"},
      {7, "bpf_get_prandom_u32"},
      {8, "bpf_get_smp_processor_id"},
      {9, "bpf_skb_store_bytes"},
      {10, "bpf_l3_csum_replace"},
      {11, "bpf_l4_csum_replace"},
      {12, "bpf_tail_call"},
      {14, "bpf_get_current_pid_tgid"},
      {15, "bpf_get_current_uid_gid"},
      {16, "bpf_get_current_comm"},
      {23, "bpf_redirect"},
      {25, "bpf_perf_event_output"},
      {26, "bpf_skb_load_bytes"},
      {28, "bpf_csum_diff"},
      {38, "bpf_skb_change_tail"},
      {39, "bpf_skb_pull_data"},
      {43, "bpf_skb_change_head"},
      {44, "bpf_xdp_adjust_head"},
      {51, "bpf_redirect_map"},
      {65, "bpf_xdp_adjust_tail"},
      {69, "bpf_fib_lookup"},
      {112, "bpf_probe_read_user"},
      {113, "bpf_probe_read_kernel"},
      {114, "bpf_probe_read_user_str"},
      {115, "bpf_probe_read_kernel_str"},
      {130, "bpf_ringbuf_output"},
      {131, "bpf_ringbuf_reserve"},
      {132, "bpf_ringbuf_submit"},
      {133, "bpf_ringbuf_discard"},
      {177, "bpf_trace_vprintk"},
  };
  for (const auto &[Known, Name] : Names)
    if (Known == Id)
      return Name;
  return "helper " + std::to_string(Id);
}

} // namespace vep::logic
