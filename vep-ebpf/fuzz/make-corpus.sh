#!/usr/bin/env bash
# Seed corpus for vep_check_fuzz and the valid pairs vep_check_mutation
# starts from: every example in examples/ compiled by vepcc.
#
#   make-corpus.sh VEPCC EXAMPLES_DIR OUT_DIR
#
# writes OUT_DIR/pairs/<example>.o and .proof (vepcc's outputs, which vepcc
# has already checked) and OUT_DIR/seeds/<example>: the fuzzer's input format,
# a 4-byte little-endian object length, the object, then the proof.
# Fails if any example does not compile.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 VEPCC EXAMPLES_DIR OUT_DIR" >&2
  exit 2
fi
vepcc=$1 examples=$2 out=$3
rm -rf "$out/pairs" "$out/seeds"
mkdir -p "$out/pairs" "$out/seeds"

# The 4 bytes of $1 as a little-endian u32.
le32() {
  local n=$1 i
  for i in 0 8 16 24; do
    # shellcheck disable=SC2059
    printf "\\$(printf %03o $(((n >> i) & 255)))"
  done
}

count=0
for src in "$examples"/*.c; do
  name=$(basename "$src" .c)
  if ! "$vepcc" "$src" -o "$out/pairs/$name.o" >"$out/pairs/$name.log" 2>&1; then
    echo "make-corpus: vepcc failed on $src:" >&2
    cat "$out/pairs/$name.log" >&2
    exit 1
  fi
  size=$(stat -c %s "$out/pairs/$name.o")
  { le32 "$size"; cat "$out/pairs/$name.o" "$out/pairs/$name.proof"; } \
    >"$out/seeds/$name"
  count=$((count + 1))
done
if [ "$count" -eq 0 ]; then
  echo "make-corpus: no examples in $examples" >&2
  exit 1
fi
echo "make-corpus: $count pairs in $out/pairs, seeds in $out/seeds"
