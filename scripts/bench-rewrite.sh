#!/usr/bin/env bash
# Throughput of `blindfold rewrite` over JSON Lines, for 1 and 2 worker threads, and its
# peak memory for two input sizes (it streams, so memory must not grow with the input).
# usage: scripts/bench-rewrite.sh [MEGABYTES]   (default 64; needs GNU time at /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-64}
cargo build --release --quiet --example corpus --bin blindfold
bin=target/release/blindfold
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

target/release/examples/corpus "$mb" > "$dir/notes.jsonl"
target/release/examples/corpus "$((mb / 4))" > "$dir/small.jsonl"
target/release/examples/corpus "$mb" distinct > "$dir/distinct.jsonl"
bytes=$(stat -c %s "$dir/notes.jsonl")
texts=$(python3 -c 'import json,sys; print(sum(len(json.loads(l)["text"].encode()) for l in open(sys.argv[1])))' "$dir/notes.jsonl")
echo "input: $((bytes / 1048576)) MiB of JSON Lines, $((texts / 1048576)) MiB of note text, $(wc -l < "$dir/notes.jsonl") notes"

run() { # threads file -> "seconds rss_kb"
  /usr/bin/time -f "%e %M" "$bin" rewrite --threads "$1" "$2" 2> "$dir/time" > /dev/null
  tail -n 1 "$dir/time"
}
for threads in 1 2; do
  best=
  for _ in 1 2 3; do
    read -r secs rss < <(run "$threads" "$dir/notes.jsonl")
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; best_rss=$rss; fi
  done
  awk -v t="$threads" -v s="$best" -v b="$bytes" -v x="$texts" -v r="$best_rss" 'BEGIN {
    printf "threads=%d  %.2f s  %.1f MB/s of JSON Lines  %.1f MB/s of note text  peak RSS %.1f MiB\n", t, s, b/s/1e6, x/s/1e6, r/1024 }'
done
# Every line with subjects no other line has: the people index is built for each line.
best=
for _ in 1 2 3; do
  read -r secs _ < <(run 1 "$dir/distinct.jsonl")
  if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
done
dbytes=$(stat -c %s "$dir/distinct.jsonl")
awk -v s="$best" -v b="$dbytes" 'BEGIN {
  printf "threads=1, different subjects on every line: %.2f s  %.1f MB/s of JSON Lines\n", s, b/s/1e6 }'
read -r _ small_rss < <(run 2 "$dir/small.jsonl")
read -r _ big_rss < <(run 2 "$dir/notes.jsonl")
echo "peak RSS, 2 threads: $((small_rss / 1024)) MiB for $((mb / 4)) MB of input, $((big_rss / 1024)) MiB for $mb MB"
