#!/usr/bin/env bash
# Installs oras (the OCI CLI used to cross-check what cipa pushes) into .tools/oras-<version>/ with go install.
#   usage: install-oras.sh [version]   (default v1.3.6, the version the tests were written against)
set -euo pipefail
version=${1:-v1.3.6}
root=$(cd "$(dirname "$0")/../.." && pwd)
dest="$root/.tools/oras-$version"
if [ -x "$dest/oras" ]; then echo "$dest/oras"; exit 0; fi
command -v go >/dev/null 2>&1 || { echo "install-oras: go is required to install oras $version" >&2; exit 3; }
mkdir -p "$dest"
(cd "$dest" && GOBIN="$dest" GOFLAGS=-mod=mod go install "oras.land/oras/cmd/oras@$version") >&2
"$dest/oras" version >&2
echo "$dest/oras"
