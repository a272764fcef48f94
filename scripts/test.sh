#!/usr/bin/env bash
# The test command: installs what the tests start (moto's S3-compatible server,
# into a venv under ~/.cache), then runs every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${FTDESK_VENV:-${HOME:-/tmp}/.cache/ftdesk-venv}"
if [ ! -x "$venv/bin/moto_server" ] || ! "$venv/bin/python" -c "import aiosmtpd" 2>/dev/null; then
  echo "== installing the test servers (moto, aiosmtpd) into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/test-requirements.txt
fi
export FTDESK_MOTO_SERVER="$venv/bin/moto_server"
export FTDESK_TEST_PYTHON="$venv/bin/python"

cargo test --workspace --locked "$@"
