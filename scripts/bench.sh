#!/usr/bin/env bash
# Prints, per example, VEP's figures beside the Linux verifier's for the same
# C built by clang -O2, measured in the same run (needs root for the kernel
# columns; they print "-" where the kernel refuses BPF). Build first
# (scripts/build.sh). Usage: scripts/bench.sh [example.c ...]
set -uo pipefail
cd "$(dirname "$0")/.."
bin=build/bin
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
multiarch=/usr/include/$(gcc -dumpmachine)

# "verification time N usec" and "processed N insns" from the kernel's log.
kernel_figures() {
  local obj=$1 pin=/sys/fs/bpf/vep_bench_$$
  rm -rf "$pin"
  local log
  log=$(bpftool -d prog loadall "$obj" "$pin" 2>&1)
  rm -rf "$pin"
  local us insns
  us=$(grep -o 'verification time [0-9]*' <<<"$log" | grep -o '[0-9]*$' | tail -1)
  insns=$(grep -o 'processed [0-9]* insns' <<<"$log" | grep -o '[0-9]*' | tail -1)
  echo "${us:--} ${insns:--}"
}

examples=("$@")
[ ${#examples[@]} -gt 0 ] || examples=(examples/*.c)
printf '%-16s %8s %8s %10s %10s %8s %10s %8s %9s %9s\n' example vep-insn clang-insn \
  vepcc-ms check-us arena-KiB proof-B code-B linux-us ratio
for src in "${examples[@]}"; do
  name=$(basename "$src" .c)
  start=$(date +%s%N)
  "$bin/vepcc" "$src" -o "$out/$name.o" >/dev/null 2>&1 || { echo "$name: vepcc failed"; continue; }
  vepcc_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  clang-14 -O2 -g -target bpf -I"$multiarch" -c "$src" -o "$out/$name.clang.o"
  stats=$("$bin/vep-check" "$out/$name.o" "$out/$name.proof" --stats)
  check_us=$(grep -o 'check time [0-9]*' <<<"$stats" | grep -o '[0-9]*$')
  arena=$(grep -o 'peak arena [0-9]*' <<<"$stats" | grep -o '[0-9]*$')
  proof=$(stat -c %s "$out/$name.proof")
  vep_insns=$(llvm-objdump-14 -d "$out/$name.o" | grep -cE '^ +[0-9]+:')
  clang_insns=$(llvm-objdump-14 -d "$out/$name.clang.o" | grep -cE '^ +[0-9]+:')
  read -r linux_us _ < <(kernel_figures "$out/$name.clang.o")
  ratio=-
  [ "$linux_us" != - ] && ratio=$(awk -v a="$check_us" -v b="$linux_us" 'BEGIN{printf "%.3f", a/b}')
  printf '%-16s %8s %8s %10s %10s %8s %10s %8s %9s %9s\n' "$name" "$vep_insns" "$clang_insns" \
    "$vepcc_ms" "$check_us" "$((arena / 1024))" "$proof" "$((vep_insns * 8))" "$linux_us" "$ratio"
done
