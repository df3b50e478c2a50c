// Counts system calls per process name, the name lower-cased with its
// last byte replaced by the system call number's low 7 bits, in a hash map
// keyed by the 16-byte name. The name is a local struct that bpf-to-bpf
// functions read and write as a buffer on the caller's stack: to_lower
// writes it (its Ensure says no byte is an upper-case letter after it,
// which the entry point asserts of the first byte), name_len reads it.
// Returns the name's length (16 without a NUL), 0 for the calls it does
// not count.
// group: tracing programs
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define NAME_LEN 16 // TASK_COMM_LEN

struct name_key {
  unsigned char s[NAME_LEN];
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 64);
  __type(key, struct name_key);
  __type(value, __u64);
} calls_by_name SEC(".maps");

/* The length of the string at s, at most n. */
static __attribute__((noinline)) __u32 name_len(unsigned char *s, __u32 n)
/*@ With l
    Require store_uchar_array(s, n, l) && n <= 64
    Ensure __return <= n &&
           (forall (k: Z), 0 <= k && k < __return => l[k] != 0) &&
           (__return < n => l[__return] == 0) */
{
  __u32 i;
  /*@ Inv i <= n && n <= 64 &&
          (forall (k: Z), 0 <= k && k < i => l[k] != 0)
      Variant n - i */
  for (i = 0; i < n; i++)
    if (s[i] == 0)
      return i;
  return n;
}

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
int tracing_comm_lowercase(struct bpf_raw_tracepoint_args *ctx)
{
  struct name_key k;

  if (ctx->args[1] >= 512)
    return 0;
  bpf_get_current_comm(&k, sizeof(k));
  k.s[NAME_LEN - 1] = ctx->args[1] & 0x7f;
  to_lower(k.s, sizeof(k.s));
  /*@ Assert k.s[0] < 65 || k.s[0] > 90 */
  __u32 len = name_len(k.s, sizeof(k.s));
  __u64 *n = bpf_map_lookup_elem(&calls_by_name, &k);
  if (n) {
    __sync_fetch_and_add(n, 1);
  } else {
    __u64 one = 1;
    bpf_map_update_elem(&calls_by_name, &k, &one, BPF_ANY);
  }
  return len;
}

char LICENSE[] SEC("license") = "GPL";
