#!/usr/bin/env bash
# The test command. It installs what the tests start when it is missing, then
# runs every test of every crate (all of them, even when one crate fails):
#   - Debian packages, through apt-get when run as root (otherwise it prints
#     the command to run and stops): Java for PySpark (the Spark SQL tests),
#     Chromium, its WebDriver and a Korean font (the desk's browser test);
#   - Python tools pinned in scripts/test-requirements.txt (moto's S3 server,
#     aiosmtpd, cfn-lint, DuckDB, PySpark, sqlglot, an HCL parser), into a venv
#     under ~/.cache;
#   - crates, through cargo.
# `-p CRATE` (and any other cargo test argument) narrows the run.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if ! command -v fc-list >/dev/null 2>&1 || ! fc-list :lang=ko 2>/dev/null | grep -q .; then
  missing+=(fontconfig fonts-noto-cjk)
fi
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Debian packages the tests need: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "error: the tests need these Debian packages: ${missing[*]}" >&2
    echo "install them, then run this again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

venv="${FTDESK_VENV:-${HOME:-/tmp}/.cache/ftdesk-venv}"
requirements=scripts/test-requirements.txt
stamp="$venv/.ftdesk-requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$stamp"; then
  echo "== installing the Python test tools into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$stamp"
fi
export FTDESK_MOTO_SERVER="$venv/bin/moto_server"
export FTDESK_TEST_PYTHON="$venv/bin/python"
# Every tool above is present: a test that needs one fails instead of skipping.
export FTDESK_TEST_REQUIRE_ALL=1

# `-p CRATE` narrows the run to those crates; otherwise every crate is tested.
scope=(--workspace)
for arg in "$@"; do
  case "$arg" in -p | --package | -p* | --package=*) scope=() ;; esac
done
status=0
cargo test "${scope[@]}" --locked --no-fail-fast "$@" || status=$?

# The whole run also tests the binary built without its `aws` feature (run
# last: it leaves that binary in the target folder until the next build).
if [ $# -eq 0 ]; then
  cargo test -p ftdesk-cli --no-default-features --locked --test without_aws || status=$?
fi
exit $status
