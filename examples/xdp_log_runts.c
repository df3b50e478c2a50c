// Drops runts, frames shorter than 60 bytes (the Ethernet minimum of 64
// without the FCS), and logs the length of each with bpf_trace_printk.
// VEP has no strings or character arrays yet, so the format "%u\n" is an
// 8-byte integer holding its bytes (little-endian, NUL-padded);
// trace_printk reads it up to the NUL.
// group: XDP
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_log_runts(struct xdp_md *ctx)
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  __u32 len = data_end - data;
  if (len >= 60)
    return XDP_PASS;
  __u64 format = 0x0a7525; // "%u\n"
  bpf_trace_printk((const char *)&format, sizeof(format), len);
  return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
