// A connection table as a linked list in a map value: nodes with a
// 128-byte key and the index of the next node, a head index, looked up by
// a strcmp-like bpf-to-bpf function over the packet's first 128 payload
// bytes. The list walk follows `next` indices, each checked against the
// table's size, for at most NODES steps (a cycle cannot keep it going).
// Its invariant is a user predicate (docs/annotation-language.md, "User
// predicates"): the walk from the head reached `cur` in `steps` steps over
// nodes whose keys differ from the searched one, so a miss has a
// functional postcondition.
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
} conns SEC(".maps");

/*@ Let differs(lk, lq, p) =
      exists i, 0 <= i && i < KEY_LEN && lk[p * KEY_LEN + i] != lq[i] */

/*@ Let walked(ln, lk, lq, h, j, n) Variant n =
      n == 0 && h == j ||
      0 < n && exists p, 0 <= p && p < NODES &&
        walked(ln, lk, lq, h, p, n - 1) && ln[p] == j && differs(lk, lq, p) */

/* 0 when the strings at a and b are equal up to their NUL (or over all
   KEY_LEN bytes), 1 when they differ. */
static __attribute__((noinline)) int key_differs(unsigned char *a,
                                                 unsigned char *b)
/*@ With la lb
    Require store_uchar_array(a, 128, la) * store_uchar_array(b, 128, lb)
    Ensure 0 <= __return && __return <= 1 &&
      (__return == 1 => exists i, 0 <= i && i < 128 && la[i] != lb[i]) */
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

/* The node of the list from head whose key is the string at key, or
   NODES for a miss: the list ended (an index NODES or more) or NODES
   nodes were visited, every one with a different key. */
static __attribute__((noinline)) __u32 find_node(__u32 *next,
                                                 unsigned char *keys,
                                                 unsigned char *key,
                                                 __u64 head)
/*@ With ln lk lq
    Require store_uint_array(next, NODES, ln) *
            store_uchar_array(keys, NODES * KEY_LEN, lk) *
            store_uchar_array(key, KEY_LEN, lq)
    Ensure __return <= NODES &&
      (__return == NODES =>
         exists n, 0 <= n && n <= NODES &&
           (exists j, 0 <= j && j <= 18446744073709551615 &&
              walked(ln, lk, lq, head, j, n) && (NODES <= j || n == NODES))) */
{
  /* A 64-bit index: clang-14 zero-extends copies of a 32-bit one after
     the bound check, and the Linux verifier loses the bound. */
  __u64 cur = head;
  __u32 steps = 0;
  /*@ Inv steps <= NODES && walked(ln, lk, lq, head, cur, steps)
      Variant NODES - steps */
  while (steps < NODES) {
    if (cur >= NODES)
      return NODES;
    if (!key_differs(keys + cur * KEY_LEN, key))
      return cur;
    /* Folds the callee's result into the predicate the walk records. */
    /*@ Assert differs(lk, lq, cur) */
    cur = next[cur];
    steps++;
  }
  return NODES;
}

SEC("xdp")
int conn_lookup(struct xdp_md *ctx)
/*@ Ensure __return == XDP_DROP || __return == XDP_PASS */
{
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  unsigned char *key = data + sizeof(struct ethhdr);

  if ((void *)(key + KEY_LEN) > data_end)
    return XDP_PASS;
  __u32 zero = 0;
  struct conn_table *t = bpf_map_lookup_elem(&conns, &zero);
  if (!t)
    return XDP_PASS;
  __u32 n = find_node(t->next, t->keys, key, t->head);
  /* Unknown connections are dropped; a known one passes unless its value
     says to drop it. */
  if (n >= NODES)
    return XDP_DROP;
  return t->value[n] & 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
