#!/usr/bin/env bash
# Starts a throwaway OCI registry (Debian's docker-registry, i.e. CNCF distribution 2.8) on 127.0.0.1:<port> with
# filesystem storage under <dir>, waits until GET /v2/ answers, and prints "PID <pid>" on stdout.
# The caller stops it with kill <pid>. Never touches the system service.
# $CIPA_REGISTRY_EXTRA_CONFIG, if set, is appended to the config (e.g. an auth: section).
#   usage: start-registry.sh <port> <dir>
set -euo pipefail
port=${1:?usage: start-registry.sh <port> <dir>}
dir=${2:?usage: start-registry.sh <port> <dir>}
bin=${CIPA_DOCKER_REGISTRY:-/usr/bin/docker-registry}

if [ ! -x "$bin" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "start-registry: $bin is missing and installing it needs root (apt-get install docker-registry)" >&2
    exit 3
  fi
  echo "start-registry: installing docker-registry with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq docker-registry >&2
  # the package's own service is not what tests use; make sure it is not left running
  if command -v systemctl >/dev/null 2>&1; then systemctl stop docker-registry >/dev/null 2>&1 || true; fi
fi
[ -x "$bin" ] || { echo "start-registry: $bin not found after install" >&2; exit 3; }

mkdir -p "$dir/data"
cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: $(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
YAML
if [ -n "${CIPA_REGISTRY_EXTRA_CONFIG:-}" ]; then printf '%s\n' "$CIPA_REGISTRY_EXTRA_CONFIG" >>"$dir/config.yml"; fi

"$bin" serve "$dir/config.yml" >"$dir/registry.log" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$dir/registry.pid"

# GET /v2/ over bash's /dev/tcp (no curl needed): 200, or 401 under token auth, means it is up.
probe() {
  local status=''
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET /v2/ HTTP/1.0\r\nHost: 127.0.0.1:%s\r\n\r\n' "$port" >&3
  read -r -t 2 status <&3 || true
  exec 3>&-
  case "$status" in
    *' 200 '* | *' 401 '*) return 0 ;;
    *) return 1 ;;
  esac
}

for _ in $(seq 1 100); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "start-registry: docker-registry exited at start; its log:" >&2
    cat "$dir/registry.log" >&2
    exit 4
  fi
  if probe; then
    echo "PID $pid"
    exit 0
  fi
  sleep 0.1
done
echo "start-registry: http://127.0.0.1:$port/v2/ did not answer within 10 s; its log:" >&2
cat "$dir/registry.log" >&2
kill "$pid" 2>/dev/null || true
exit 5
