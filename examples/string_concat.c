// String concatenation as bpf-to-bpf functions with functional contracts
// (docs/vep-c.md, "Contents and sequences"): strcat appends as much of a
// string as fits in the destination's buffer and always ends the result
// with a NUL; strncat appends at most a given number of bytes. The entry
// point appends parts of a packet's payload to a name kept in a map value.
// How much fits depends on the length found by the first loop, a relation
// the Linux verifier does not track (it knows only ranges): it rejects
// this program (kernel-verifier: rejects), while the invariants below
// prove every access in bounds.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

#define NAME_LEN 32

struct name {
  unsigned char s[NAME_LEN];
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, struct name);
} tagged_names SEC(".maps");

/* strcat within d's n bytes: appends the string at s (in its m bytes) to
   the string at d, as much of it as fits before d's last byte, and ends
   the result with a NUL; returns the result's length. */
static __attribute__((noinline)) __u32 vep_strcat(unsigned char *d, __u32 n,
                                                  unsigned char *s, __u32 m)
/*@ With ld ls
    Require store_uchar_array(d, n, ld) * store_uchar_array(s, m, ls) &&
            1 <= n && n <= 64 && m <= 64
    Ensure store_uchar_array(d, n, ld2) && __return < n &&
           (forall (k: Z), 0 <= k && k < __return => ld2[k] != 0) &&
           ld2[__return] == 0 */
{
  __u32 len;
  /*@ Inv len <= n - 1 && 1 <= n && n <= 64 && m <= 64 &&
          (forall (k: Z), 0 <= k && k < len => ld[k] != 0)
      Variant n - 1 - len */
  for (len = 0; len < n - 1; len++)
    if (d[len] == 0)
      break;
  __u32 j;
  /*@ Inv len <= n - 1 && 1 <= n && n <= 64 && m <= 64 && j <= m &&
          len + j <= n - 1 && store_uchar_array(d, n, ld1) &&
          (forall (k: Z), 0 <= k && k < len => ld1[k] == ld[k] && ld[k] != 0) &&
          (forall (k: Z), len <= k && k < len + j => ld1[k] != 0)
      Variant m - j */
  for (j = 0; j < m && len + j < n - 1; j++) {
    unsigned char x = s[j];
    if (x == 0)
      break;
    d[len + j] = x;
  }
  d[len + j] = 0;
  return len + j;
}

/* strncat: strcat of at most count bytes of the string at s. */
static __attribute__((noinline)) __u32 vep_strncat(unsigned char *d, __u32 n,
                                                   unsigned char *s, __u32 m,
                                                   __u32 count)
/*@ With ld ls
    Require store_uchar_array(d, n, ld) * store_uchar_array(s, m, ls) &&
            1 <= n && n <= 64 && m <= 64
    Ensure store_uchar_array(d, n, ld2) && __return < n &&
           (forall (k: Z), 0 <= k && k < __return => ld2[k] != 0) &&
           ld2[__return] == 0 */
{
  return vep_strcat(d, n, s, count < m ? count : m);
}

SEC("xdp")
int tag_name(struct xdp_md *ctx)
/*@ Ensure __return == XDP_DROP || __return == XDP_PASS */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  unsigned char *payload = data + sizeof(struct ethhdr);

  if ((void *)(payload + 16) > data_end)
    return XDP_PASS;
  __u32 key = payload[0] & 3;
  struct name *v = bpf_map_lookup_elem(&tagged_names, &key);
  if (!v)
    return XDP_PASS;
  __u32 total = vep_strncat(v->s, NAME_LEN, payload + 2, 8, payload[1] & 7);
  if (total < 24)
    total = vep_strcat(v->s, NAME_LEN, payload + 10, 6);
  return total > 16 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
