#!/usr/bin/env bash
# Installs Debian's chromium for the HTML report's browser test, if it is not there yet.
# Idempotent; needs root (CI and the dev machines run as root). Prints the binary path.
set -euo pipefail
BIN=/usr/bin/chromium
if [ ! -x "$BIN" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
"$BIN" --version >/dev/null 2>&1 || { echo "chromium at $BIN does not run" >&2; exit 1; }
echo "$BIN"
