// Global variables VEP-C does not support yet.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct pair { int a, b; } pair;
int *pointer;
int matrix[2][2];
extern int elsewhere;

SEC("xdp")
int uses(struct xdp_md *ctx)
{
  return elsewhere;
}

char LICENSE[] SEC("license") = "GPL";
