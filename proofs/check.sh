#!/bin/sh
# Compiles the Coq proofs of the checker's axiom schemas (see README.md) and
# fails if any proof is admitted or any axiom is assumed.
#   proofs/check.sh [BUILD_DIR]      (default: a temporary directory)
# COQC may name the coqc binary (default: coqc on PATH).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
coqc=${COQC:-coqc}
# Dependency order; every .v file in proofs/ must be listed.
files="Machine Bytes Alu Alu32 Memory Pointer Compare Farkas CutPoints"

fail() { echo "coq_proofs: FAILED: $*" >&2; exit 1; }

command -v "$coqc" >/dev/null 2>&1 ||
  fail "coqc not found (install Debian's coq package; scripts/setup.sh does)"

for f in "$here"/*.v; do
  b=$(basename "$f" .v)
  case " $files " in *" $b "*) ;; *) fail "$b.v is not in the build order in check.sh" ;; esac
done

# No admitted proofs, no axioms, no other way to assume a statement.
if grep -nE 'Admitted|Axiom|admit|Parameter|Conjecture|Abort' "$here"/*.v; then
  fail "the lines above admit or assume something"
fi

if [ $# -ge 1 ]; then
  build=$1
  mkdir -p "$build"
else
  build=$(mktemp -d "${TMPDIR:-/tmp}/vep-proofs.XXXXXX")
  trap 'rm -rf "$build"' EXIT
fi
rm -f "$build"/*.v "$build"/*.vo "$build"/*.vos "$build"/*.vok "$build"/*.glob

start=$(date +%s)
for b in $files; do
  cp "$here/$b.v" "$build/$b.v"
  echo "coqc $b.v"
  (cd "$build" && "$coqc" -q -Q . VEP "$b.v") || fail "$b.v does not compile"
done

# Every lemma must depend on no assumption at all (Section hypotheses are
# discharged into premises when the section closes): one definition mentions
# them all, and Coq lists the axioms it depends on.
{
  echo "Require $(for b in $files; do printf 'VEP.%s ' "$b"; done)."
  echo "Definition all_lemmas : unit :="
  for b in $files; do
    sed -n 's/^[[:space:]]*\(Theorem\|Lemma\|Corollary\)[[:space:]]\+\([A-Za-z0-9_]*\).*/\2/p' \
      "$here/$b.v" | while read -r name; do
      echo "  let _ := @VEP.$b.$name in"
    done
  done
  echo "  tt."
  echo "Print Assumptions all_lemmas."
} > "$build/Assumptions.v"
n=$(grep -c 'let _ :=' "$build/Assumptions.v")
out=$(cd "$build" && "$coqc" -q -Q . VEP Assumptions.v) || fail "Assumptions.v"
if [ "$out" != "Closed under the global context" ]; then
  printf '%s\n' "$out" >&2
  fail "the lemmas depend on the assumptions above"
fi
echo "coq_proofs: $n lemmas in $(echo $files | wc -w) files proved, no assumptions ($(( $(date +%s) - start )) s)"
