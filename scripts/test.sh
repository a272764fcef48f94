#!/usr/bin/env bash
# The test command: installs what the tests start (moto's S3-compatible server
# and the other pinned Python test servers, into a venv under ~/.cache), then
# runs every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${FTDESK_VENV:-${HOME:-/tmp}/.cache/ftdesk-venv}"
requirements=scripts/test-requirements.txt
stamp="$venv/.ftdesk-requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$stamp"; then
  echo "== installing the Python test servers into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$stamp"
fi
export FTDESK_MOTO_SERVER="$venv/bin/moto_server"
export FTDESK_TEST_PYTHON="$venv/bin/python"

# `-p CRATE` narrows the run to those crates; otherwise every crate is tested.
scope=(--workspace)
for arg in "$@"; do
  case "$arg" in -p | --package | -p* | --package=*) scope=() ;; esac
done
cargo test "${scope[@]}" --locked "$@"
