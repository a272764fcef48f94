#!/usr/bin/env bash
# The desk's load benchmark (issue 9, "Load"): wrk at 50 connections against the queue and
# case pages of a desk with 10,000 cases, logged in as a real user.
#
#   bash bench/desk.sh                    # 10,000 cases, 20 s per page
#   bash bench/desk.sh 2000               # any number of cases
#   DURATION=60s CONNECTIONS=50 THREADS=2 bash bench/desk.sh
#   FTDESK=/path/to/ftdesk bash bench/desk.sh   # an already built binary (e.g. an older one)
#
# It builds ftdesk (release), installs wrk (Debian's package) when missing, and fills a desk
# through its real intake once (bench/desk_seed.py: every case an e-mail to the desk's SMTP
# listener, threaded replies, statuses and assignees set through the web forms); the filled
# database is kept in $FTDESK_BENCH_DATA and each run serves a fresh copy of it. Then it logs in
# through the login form (CSRF token and cookie), checks that every page answers 200 with the
# logged-in desk, and runs wrk on each page. Not a test: the figures go to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

cases="${1:-10000}"
duration="${DURATION:-20s}"
connections="${CONNECTIONS:-50}"
threads="${THREADS:-2}"
data="${FTDESK_BENCH_DATA:-${HOME:-/tmp}/.cache/ftdesk-bench-data}/desk"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${HOME:-/tmp}/.cache/ftdesk-target}"

if ! command -v wrk >/dev/null; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get install -y wrk >/dev/null || { $sudo apt-get update >/dev/null && $sudo apt-get install -y wrk >/dev/null; }
fi
if [ -z "${FTDESK:-}" ]; then
  cargo build --release --locked --quiet -p ftdesk-cli
  FTDESK="$CARGO_TARGET_DIR/release/ftdesk"
fi

work="$(mktemp -d)"
server=""
stop_server() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
  fi
}
trap 'stop_server; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
web_port=$(free_port)
smtp_port=$(free_port)
web="http://127.0.0.1:$web_port"

serve() { # db
  "$FTDESK" desk serve --db "$1" --listen "127.0.0.1:$web_port" --smtp-in "127.0.0.1:$smtp_port" \
    >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do
    curl -s -o /dev/null "$web/login" && return 0
    sleep 0.1
  done
  echo "desk.sh: the desk did not start:" >&2
  cat "$work/serve.log" >&2
  exit 1
}

# --- a desk of $cases cases, through the real intake, once -----------------------------
cache="$data/desk-$cases.sqlite"
if [ ! -s "$cache" ]; then
  mkdir -p "$data"
  rm -f "$cache" "$cache.password"
  db="$work/seed.sqlite"
  password=$("$FTDESK" desk init --db "$db" --admin lead@example.com | sed -n 's/.*one-time password //p')
  for who in ann bob chloe; do
    "$FTDESK" desk user --db "$db" --email "$who@example.com" --role associate >/dev/null
  done
  "$FTDESK" sample --scenario seoul-student --out "$work/billing" >/dev/null 2>&1
  serve "$db"
  python3 bench/desk_seed.py --smtp "127.0.0.1:$smtp_port" --web "$web" --cases "$cases" \
    --lead lead@example.com --password "$password" --own-password "$password-bench" \
    --assignees ann@example.com,bob@example.com,chloe@example.com \
    --billing "$(ls "$work"/billing/*.csv | head -1)"
  # Billing attachments are analysed in the background: wait until none is pending.
  python3 -c 'import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
while db.execute("SELECT count(*) FROM cases WHERE analysis = '"'pending'"'").fetchone()[0]:
    time.sleep(0.5)' "$db"
  "$FTDESK" desk backup --db "$db" "$cache.tmp" >/dev/null
  stop_server
  echo "$password-bench" >"$cache.password"  # the one-time password was replaced at the first login
  mv "$cache.tmp" "$cache"
fi

# --- serve a copy, log in like a browser ------------------------------------------------
cp "$cache" "$work/desk.sqlite"
serve "$work/desk.sqlite"
curl -s -D "$work/login.h" -o "$work/login.html" "$web/login"
login_cookie=$(sed -n 's/^set-cookie: \(desk_login=[^;]*\).*/\1/Ip' "$work/login.h")
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$work/login.html")
curl -s -D "$work/session.h" -o /dev/null -H "Cookie: $login_cookie" \
  --data-urlencode "csrf=$csrf" --data-urlencode "email=lead@example.com" \
  --data-urlencode "password=$(cat "$cache.password")" "$web/login"
cookie=$(sed -n 's/^set-cookie: \(desk_session=[^;]*\).*/\1/Ip' "$work/session.h")
if [ -z "$cookie" ]; then
  echo "desk.sh: logging in failed:" >&2
  cat "$work/session.h" >&2
  exit 1
fi

# page name, path, what the page must contain
pages=(
  "queue|/|data-case="
  "queue, filtered (open, ann)|/?status=open&assignee=ann%40example.com|data-case="
  "queue, search (snapshot)|/?q=snapshot&status=all|data-case="
  "case page (ids rotate)|/cases/1|<textarea"
)

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ftdesk: $("$FTDESK" --version); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2); $cases cases; $connections connections, $threads threads, $duration per page"
echo
echo "| page | p50 | p99 | requests/s | requests | bad |"
echo "|---|---:|---:|---:|---:|---:|"
failed=0
for page in "${pages[@]}"; do
  IFS='|' read -r name path marker <<<"$page"
  status=$(curl -s -o "$work/page.html" -w '%{http_code}' -H "Cookie: $cookie" "$web$path")
  if [ "$status" != 200 ] || ! grep -q 'action="/logout"' "$work/page.html" || ! grep -q "$marker" "$work/page.html"; then
    echo "desk.sh: $path answered $status without the logged-in page (\`$marker\`)" >&2
    exit 1
  fi
  rotate=0
  [[ "$path" == /cases/* ]] && rotate="$cases"
  DESK_COOKIE="$cookie" DESK_PATH="$path" DESK_CASES="$rotate" \
    wrk --latency -c "$connections" -t "$threads" -d "$duration" -s bench/desk.lua "$web" >"$work/wrk.txt"
  read -r _ p50 p99 rps requests bad < <(grep '^RESULT' "$work/wrk.txt")
  awk -v name="$name" -v p50="$p50" -v p99="$p99" -v rps="$rps" -v n="$requests" -v bad="$bad" \
    'BEGIN { printf "| %s | %.1f ms | %.1f ms | %.0f | %d | %d |\n", name, p50 / 1000, p99 / 1000, rps, n, bad }'
  [ "$bad" = 0 ] || failed=1
  [ -z "${WRK_LOG:-}" ] || cat "$work/wrk.txt" >>"$WRK_LOG"
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$failed" != 0 ]; then
  echo "desk.sh: some responses were not 200 or not the logged-in desk (column bad)" >&2
  exit 1
fi
