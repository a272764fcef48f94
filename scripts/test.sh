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

cargo test --workspace --locked "$@"
