#!/usr/bin/env bash
# The large-file benchmark: ftdesk check against DuckDB on the same files.
#
#   bash bench/run.sh                 # 5M rows, every format and shape
#   bash bench/run.sh 5000000 20000000   # any row counts (20M: about an hour cold)
#   ROUNDS=3 FORMATS="cur2 org-cur2" bash bench/run.sh 20000000
#   BASELINE=path/to/main/ftdesk bash bench/run.sh   # also times that build, side by side
#
# Formats: cur2, focus, cur (the `ftdesk sample --rows N` files: 1,000 accounts,
# 300 usage types in 20 regions, wide rows) and org-cur2, org-cur (the
# Organization shape of bench/org_shape.py: 1,000 accounts, 50,000 resources,
# 20 usage types in 6 regions, 22 narrow columns, written by DuckDB).
#
# It builds ftdesk (release), installs DuckDB into a venv (bench/requirements.txt),
# writes the files into $FTDESK_BENCH_DATA (reused by later runs; fixed seeds),
# checks that each file's JSON report has the SHA-256 recorded in
# bench/report-sha256.txt (a new file's is added: commit it) and that both
# engines give the same sums, then times them.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(5000000)
formats=(${FORMATS:-cur2 org-cur2 focus cur org-cur})
data="${FTDESK_BENCH_DATA:-${HOME:-/tmp}/.cache/ftdesk-bench-data}"
venv="${FTDESK_BENCH_VENV:-${HOME:-/tmp}/.cache/ftdesk-bench-venv}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${HOME:-/tmp}/.cache/ftdesk-target}"

cargo build --release --locked --quiet -p ftdesk-cli
cargo build --release --locked --quiet -p ftdesk-io --example read_only
ftdesk="$CARGO_TARGET_DIR/release/ftdesk"
reader="$CARGO_TARGET_DIR/release/examples/read_only"

if ! cmp -s bench/requirements.txt "$venv/.ftdesk-requirements" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r bench/requirements.txt
  cp bench/requirements.txt "$venv/.ftdesk-requirements"
fi

file_of() { # format rows
  case "$1" in
    cur2 | focus) echo "$data/$1/large-$2-2026-10.snappy.parquet" ;;
    cur) echo "$data/$1/large-$2-2026-10.csv.gz" ;;
    org-cur2) echo "$data/$1/org-$2-2026-10.snappy.parquet" ;;
    org-cur) echo "$data/$1/org-$2-2026-10.csv.gz" ;;
  esac
}

mkdir -p "$data"
files=()
for rows in "${sizes[@]}"; do
  for format in "${formats[@]}"; do
    file=$(file_of "$format" "$rows")
    if [ ! -s "$file" ] && [[ "$format" == org-* ]]; then
      mkdir -p "$(dirname "$file")"
      "$venv/bin/python" bench/org_shape.py "$rows" "$file.tmp${file#*2026-10}"
      mv "$file.tmp${file#*2026-10}" "$file"
    elif [ ! -s "$file" ]; then
      tmp="$data/tmp-$format"
      rm -rf "$tmp"
      case "$format" in
        cur2) "$ftdesk" sample --rows "$rows" --format cur2-parquet --out "$tmp" ;;
        focus) "$ftdesk" sample --rows "$rows" --format focus-parquet --out "$tmp" ;;
        cur) "$ftdesk" sample --rows "$rows" --format cur-csv --gzip --out "$tmp" ;;
      esac
      mkdir -p "$(dirname "$file")"
      mv "$tmp"/large-* "$file"
      rm -rf "$tmp"
    fi
    files+=("${format#org-}:$file")
  done
done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "ftdesk: $("$ftdesk" --version); duckdb: $("$venv/bin/python" -c 'import duckdb; print(duckdb.__version__)')"
"$venv/bin/python" bench/bench.py --ftdesk "$ftdesk" --reader "$reader" --rounds "${ROUNDS:-5}" \
  ${BASELINE:+--baseline "$BASELINE"} \
  --hashes bench/report-sha256.txt "${files[@]}"
