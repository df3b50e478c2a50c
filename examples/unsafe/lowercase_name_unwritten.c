// UNSAFE: the twin of tracing_comm_lowercase.c that reads the process name
// only for the system calls it counts by name, yet lower-cases the local
// name on every path: on the others to_lower reads 16 bytes no statement
// wrote, which C leaves undefined and the kernel refuses (uninitialised
// stack). The fix: read the name first, or `struct name_key k = {};`.
// Expected: read of uninitialised variable 'k.s[0]'.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define NAME_LEN 16 // TASK_COMM_LEN

struct name_key {
  unsigned char s[NAME_LEN];
};

/* Lower-cases the n bytes at s (ASCII letters only). */
static __attribute__((noinline)) void to_lower(unsigned char *s, __u32 n)
/*@ With l
    Require store_uchar_array(s, n, l) && n <= 64
    Ensure store_uchar_array(s, n, l2) &&
           (forall (k: Z), 0 <= k && k < n => l2[k] < 65 || l2[k] > 90) */
{
  __u32 i;
  /*@ Inv i <= n && n <= 64 && store_uchar_array(s, n, l1) &&
          (forall (k: Z), 0 <= k && k < i => l1[k] < 65 || l1[k] > 90)
      Variant n - i */
  for (i = 0; i < n; i++) {
    unsigned char c = s[i];
    if (c >= 'A' && c <= 'Z')
      s[i] = c + ('a' - 'A');
  }
}

SEC("raw_tp/sys_enter")
int lowercase_name_unwritten(struct bpf_raw_tracepoint_args *ctx)
{
  struct name_key k;

  if (ctx->args[1] < 512)
    bpf_get_current_comm(&k, sizeof(k));
  to_lower(k.s, sizeof(k.s)); // expected-error {{read of uninitialised variable 'k.s[0]'}}
  return k.s[0] == 'v';
}

char LICENSE[] SEC("license") = "GPL";
