#!/usr/bin/env bash
# Installs the Debian packages VEP builds and tests with, only those missing.
# Runs as root (CI and developer machines) or through sudo when available.
set -euo pipefail
packages=(cmake g++ clang-14 llvm-14-dev libclang-14-dev libclang-cpp14-dev libz3-dev z3
          libclang-rt-14-dev libfmt-dev libgtest-dev libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config
          coq gnuplot-nox)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
