#!/usr/bin/env bash
# The test command: installs what the tests start (moto's S3-compatible server,
# into a venv under ~/.cache), then runs every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${FTDESK_VENV:-${HOME:-/tmp}/.cache/ftdesk-venv}"
if [ ! -x "$venv/bin/moto_server" ]; then
  echo "== installing moto's S3 server into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/test-requirements.txt
fi
export FTDESK_MOTO_SERVER="$venv/bin/moto_server"

cargo test --workspace --locked "$@"
