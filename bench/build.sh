#!/usr/bin/env bash
# A cold release build of ftdesk at a commit, measured: wall and CPU time, peak
# memory, crates compiled, and the binary's size as built and stripped.
#
#   bash bench/build.sh REV [cargo build arguments...]
#   bash bench/build.sh b785d81                            # before the SDK lost its default features
#   bash bench/build.sh HEAD                               # today, with the `aws` feature
#   bash bench/build.sh HEAD --no-default-features         # today, without the AWS SDK
#
# Each run checks REV out into a temporary worktree and builds it into an empty
# target folder (the crates are downloaded once, into cargo's own cache, and
# not timed), then deletes both. Needs GNU time (/usr/bin/time, Debian's `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bash bench/build.sh REV [cargo build arguments...]" >&2; exit 2; }
rev=$1
shift
[ -x /usr/bin/time ] || { echo "build.sh: needs GNU time: apt-get install time" >&2; exit 2; }

work="$(mktemp -d)"
cleanup() { git worktree remove --force "$work/tree" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
git worktree add --detach --quiet "$work/tree" "$rev"
(cd "$work/tree" && cargo fetch --locked --quiet)

echo "== $(git -C "$work/tree" rev-parse --short HEAD) $* (load $(cut -d' ' -f1-3 /proc/loadavg))"
(cd "$work/tree" && CARGO_TARGET_DIR="$work/target" CARGO_INCREMENTAL=0 \
    /usr/bin/time -v cargo build --release --locked --offline -p ftdesk-cli "$@") > "$work/log" 2>&1 \
    || { tail -30 "$work/log" >&2; exit 1; }
grep -E "Elapsed|User time|System time|Maximum resident" "$work/log"
echo "crates compiled: $(grep -c '^ *Compiling' "$work/log")"
binary="$work/target/release/ftdesk"
strip -o "$work/stripped" "$binary"
echo "binary: $(stat -c %s "$binary") bytes, stripped $(stat -c %s "$work/stripped") bytes"
