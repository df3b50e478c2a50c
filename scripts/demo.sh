#!/usr/bin/env bash
# The main job on a bundled example: verify the annotated C, compile it to an
# eBPF object and proof (printing the annotated bytecode), and check the pair
# with the load-time checker.
set -euo pipefail
cd "$(dirname "$0")/.."
example=${1:-examples/ipv4_options.c}
bash scripts/build.sh
out=build/demo
mkdir -p "$out"
name=$(basename "$example" .c)
echo "== vep-c $example"
build/bin/vep-c "$example"
echo "== vepcc $example -o $out/$name.o -S"
build/bin/vepcc "$example" -o "$out/$name.o" -S
echo "== vep-check $out/$name.o $out/$name.proof --stats"
build/bin/vep-check "$out/$name.o" "$out/$name.proof" --stats
