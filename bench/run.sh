#!/usr/bin/env bash
# The large-file benchmark: ftdesk check against DuckDB on the same files.
#
#   bash bench/run.sh                 # 5M, 10M and 20M rows (cold: about an hour)
#   bash bench/run.sh 1000000         # any row counts
#   ROUNDS=3 FORMATS="cur2" bash bench/run.sh 20000000
#
# It builds ftdesk (release), installs DuckDB into a venv (bench/requirements.txt),
# writes the files with `ftdesk sample --rows N` into $FTDESK_BENCH_DATA (reused by
# later runs), checks that both engines give the same sums, then times them.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(5000000 10000000 20000000)
formats=(${FORMATS:-cur2 focus cur})
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
  esac
}

mkdir -p "$data"
files=()
for rows in "${sizes[@]}"; do
  for format in "${formats[@]}"; do
    file=$(file_of "$format" "$rows")
    if [ ! -s "$file" ]; then
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
    files+=("$format:$file")
  done
done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "ftdesk: $("$ftdesk" --version); duckdb: $("$venv/bin/python" -c 'import duckdb; print(duckdb.__version__)')"
"$venv/bin/python" bench/bench.py --ftdesk "$ftdesk" --reader "$reader" --rounds "${ROUNDS:-5}" "${files[@]}"
