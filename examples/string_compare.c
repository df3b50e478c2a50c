// String comparison as bpf-to-bpf functions with functional contracts:
// strncmp's result is 0 or the difference of the first differing bytes,
// found at an index i before which the strings agree and have no NUL
// (docs/vep-c.md, "Contents and sequences"); strcmp is strncmp over the
// whole key. The entry point compares a packet's payload with the keys
// of a map.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

#define KEY_LEN 16

struct key {
  unsigned char s[KEY_LEN];
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 2);
  __type(key, __u32);
  __type(value, struct key);
} blocked_keys SEC(".maps");

/* Compares the strings at a and b over at most n bytes. */
static __attribute__((noinline)) int vep_strncmp(unsigned char *a,
                                                 unsigned char *b, __u32 n)
/*@ With la lb
    Require store_uchar_array(a, n, la) * store_uchar_array(b, n, lb) &&
            n <= 64
    Ensure -255 <= __return && __return <= 255 &&
      (exists i, 0 <= i && i <= n &&
         (forall (k: Z), 0 <= k && k < i => la[k] == lb[k] && la[k] != 0) &&
         (i == n && __return == 0 ||
          i < n && la[i] == 0 && lb[i] == 0 && __return == 0 ||
          i < n && la[i] != lb[i] && __return == la[i] - lb[i])) */
{
  __u32 i;
  /*@ Inv i <= n && n <= 64 &&
          (forall (k: Z), 0 <= k && k < i => la[k] == lb[k] && la[k] != 0)
      Variant n - i */
  for (i = 0; i < n; i++) {
    unsigned char x = a[i], y = b[i];
    if (x != y)
      return x - y;
    if (x == 0)
      return 0;
  }
  return 0;
}

/* Compares two KEY_LEN-byte strings; 0 when they are equal up to their
   NUL (or over all KEY_LEN bytes). */
static __attribute__((noinline)) int vep_strcmp(unsigned char *a,
                                                unsigned char *b)
/*@ With la lb
    Require store_uchar_array(a, 16, la) * store_uchar_array(b, 16, lb)
    Ensure -255 <= __return && __return <= 255 &&
      (__return != 0 =>
         exists i, 0 <= i && i < 16 && la[i] != lb[i] &&
           (forall (k: Z), 0 <= k && k < i => la[k] == lb[k] && la[k] != 0)) */
{
  return vep_strncmp(a, b, KEY_LEN);
}

SEC("xdp")
int match_keys(struct xdp_md *ctx)
/*@ Ensure __return == XDP_DROP || __return == XDP_PASS */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  unsigned char *payload = data + sizeof(struct ethhdr);

  if ((void *)(payload + 2 * KEY_LEN) > data_end)
    return XDP_PASS;
  __u32 key = 0;
  struct key *k = bpf_map_lookup_elem(&blocked_keys, &key);
  if (!k)
    return XDP_PASS;
  /* The empty key (a fresh map) matches payloads starting with a NUL. */
  if (vep_strcmp(payload, k->s) == 0)
    return XDP_DROP;
  /* Two equal strings in the payload. */
  int order = vep_strncmp(payload, payload + KEY_LEN, payload[0] & 15);
  return order < 0 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
