#!/usr/bin/env bash
# `blindfold packets` on a synthetic export of N candidates x 4 interviews x 2 feedback notes
# (examples/big_export.rs): wall time, packets per second, peak memory against the export's
# size. Each run writes to a fresh folder, as a first run does.
# usage: scripts/bench-packets.sh [CANDIDATES] [RUNS]   (defaults 10000, 3; needs GNU time)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
runs=${2:-3}
cargo build --release --quiet --example big_export --bin blindfold
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
target/release/examples/big_export "$n" > "$dir/export.json"
size=$(stat -c %s "$dir/export.json")
echo "export: $n candidates, $((n * 4)) interviews, $((n * 8)) feedback notes, $((size / 1048576)) MiB"
for run in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" target/release/blindfold packets --export "$dir/export.json" \
    --out "$dir/run$run/packets" 2> "$dir/log" || { cat "$dir/log"; exit 1; }
  read -r secs rss < <(tail -n 1 "$dir/log")
  awk -v s="$secs" -v r="$rss" -v n="$n" -v b="$size" 'BEGIN {
    printf "run: %.2f s, %.0f packets/s, peak RSS %.0f MiB (%.2fx the export)\n", s, n / s, r / 1024, r * 1024 / b }'
done
