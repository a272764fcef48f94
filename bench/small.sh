#!/usr/bin/env bash
# Speed sanity for `ftdesk check` on one free-tier account's month (issue: "well under a second").
# Whole command, release build, median of repeated runs. Uses hyperfine when installed
# (apt-get install hyperfine), otherwise a plain loop. Not a test: numbers go to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-30}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${HOME:-/tmp}/.cache/ftdesk-target}"
cargo build --release --locked --quiet --bin ftdesk
bin="$CARGO_TARGET_DIR/release/ftdesk"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
for s in seoul-student two-instances; do
  "$bin" sample --scenario "$s" --out "$data" 2>/dev/null
done
real="../shared/samples/cur-legacy-csv/focus-converters_sample-anonymous-aws-export-dataset.csv"
for f in "$data"/*.csv "$real"; do
  rows=$(($(wc -l <"$f") - 1))
  if command -v hyperfine >/dev/null; then
    hyperfine --warmup 3 --runs "$runs" --style none --export-json "$data/h.json" \
      "$bin check '$f' --format json --out /dev/null" >/dev/null 2>&1
    python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print(f\"{sys.argv[2]}: {sys.argv[3]} rows, median {r['median']*1000:.1f} ms, max {r['max']*1000:.1f} ms over {len(r['times'])} runs\")" \
      "$data/h.json" "$(basename "$f")" "$rows"
  else
    times=()
    for _ in $(seq "$runs"); do
      start=$(date +%s%N)
      "$bin" check "$f" --format json --out /dev/null
      times+=($((($(date +%s%N) - start) / 1000)))
    done
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$((runs / 2 + 1))p")
    echo "$(basename "$f"): $rows rows, median ${median} µs over $runs runs"
  fi
done
