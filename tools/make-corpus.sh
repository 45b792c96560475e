#!/usr/bin/env bash
# Builds the synthetic benchmark project: the white paper repeated N times (default 1000,
# about 77 MB and 572k segments) in bench-data/ (git-ignored, as is every bench-data* at the
# root: bench-data-20 for the callgrind corpus, bench-data-check for `duiyi check`).
#   tools/make-corpus.sh [N] [DIR]
set -euo pipefail
n=${1:-1000}
dir=${2:-bench-data}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir/source"
cat > "$dir/duiyi.toml" <<TOML
[project]
name = "synthetic"
source = "zh"
targets = ["en", "fr"]
TOML
src="$root/source/intl-development-cooperation.txt"
out="$dir/source/synthetic.txt"
: > "$out"
for _ in $(seq "$n"); do cat "$src" >> "$out"; done
echo "$out: $(wc -c < "$out") bytes, $n copies"
