#!/usr/bin/env bash
# Runs vep_check_fuzz for a bounded time on a fresh working corpus seeded
# from SEEDS; any crash, sanitizer report, soundness abort or timeout of a
# single input fails (nonzero exit), with the input saved in WORK/artifacts.
#
#   run-fuzz.sh FUZZER SEEDS WORK SECONDS [libFuzzer options...]
#
# ctest (vep_check_fuzz_smoke) runs it for 30 s; for a long campaign e.g.
#   vep-ebpf/fuzz/run-fuzz.sh build/bin/vep_check_fuzz \
#     build/vep-ebpf/fuzz/corpus/seeds /tmp/vep-fuzz 3600 -jobs=2 -workers=2
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: $0 FUZZER SEEDS WORK SECONDS [libFuzzer options...]" >&2
  exit 2
fi
seconds=$4
mkdir -p "$3"
fuzzer=$(readlink -f "$1") seeds=$(readlink -f "$2") work=$(readlink -f "$3")
shift 4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work/corpus"
mkdir -p "$work/corpus" "$work/artifacts"
cd "$work"
# -timeout: a single input checked for longer than 5 s is a failure (hang).
exec "$fuzzer" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
  -max_len=4096 -seed=1 -print_final_stats=1 \
  -dict="$here/vep_check_fuzz.dict" -artifact_prefix="$work/artifacts/" \
  "$@" "$work/corpus" "$seeds"
