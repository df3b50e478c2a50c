// UNSAFE: the connection table walk of conn_table_lookup.c without its step
// counter: it follows `next` until an index past the table, so a table
// whose list has a cycle (node 0 pointing to itself: a fresh, all-zero
// table) keeps it going forever. No ranking term decreases: the variant
// written here does not (a `next` index may be any smaller one).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

#define NODES 4
#define KEY_LEN 128

struct conn_table {
  __u32 head;
  __u32 next[NODES];
  __u32 value[NODES];
  unsigned char keys[NODES * KEY_LEN];
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct conn_table);
} cycle_conns SEC(".maps");

static __attribute__((noinline)) int key_differs(unsigned char *a,
                                                 unsigned char *b)
/*@ With la lb
    Require store_uchar_array(a, 128, la) * store_uchar_array(b, 128, lb)
    Ensure 0 <= __return && __return <= 1 */
{
  __u32 i;
  /*@ Inv i <= KEY_LEN Variant KEY_LEN - i */
  for (i = 0; i < KEY_LEN; i++) {
    unsigned char x = a[i];
    if (x != b[i])
      return 1;
    if (x == 0)
      return 0;
  }
  return 0;
}

static __attribute__((noinline)) __u32 find_node(__u32 *next,
                                                 unsigned char *keys,
                                                 unsigned char *key,
                                                 __u64 head)
/*@ With ln lk lq
    Require store_uint_array(next, NODES, ln) *
            store_uchar_array(keys, NODES * KEY_LEN, lk) *
            store_uchar_array(key, KEY_LEN, lq)
    Ensure __return <= NODES */
{
  __u64 cur = head;
  /*@ Inv cur <= 18446744073709551615 Variant 18446744073709551615 - cur */ // expected-error {{loop variant may not decrease}}
  while (cur < NODES) {
    if (!key_differs(keys + cur * KEY_LEN, key))
      return cur;
    cur = next[cur];
  }
  return NODES;
}

SEC("xdp")
int conn_walk_cycle(struct xdp_md *ctx)
/*@ Ensure __return == XDP_DROP || __return == XDP_PASS */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  unsigned char *key = data + sizeof(struct ethhdr);

  if ((void *)(key + KEY_LEN) > data_end)
    return XDP_PASS;
  __u32 zero = 0;
  struct conn_table *t = bpf_map_lookup_elem(&cycle_conns, &zero);
  if (!t)
    return XDP_PASS;
  return find_node(t->next, t->keys, key, t->head) < NODES ? XDP_PASS
                                                           : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
