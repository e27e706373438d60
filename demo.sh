#!/usr/bin/env bash
# The main job in one command: build, make the dev PKI, start etcd + CA + registration server
# locally, run a device through first-run provisioning and a second run that reuses its
# identity, show both /health answers and what etcd holds for the device, then stop
# everything this script started (also on failure or Ctrl-C).
#
# SKIP_BUILD=1 reuses jars already built. Ports and settings: the ZT_* variables (README).
set -euo pipefail
source "$(dirname "$0")/scripts/lib/common.sh"
cd "$ZT_ROOT"

STACK="$ZT_ROOT/scripts/stack.sh"
export ZT_STACK_DIR="${ZT_STACK_DIR:-$ZT_ROOT/.stack}"
IDENTITY_DIR="$ZT_STACK_DIR/demo-device"
DEVICE_ID="${ZT_DEVICE_ID:-demo-$(hostname -s | tr -cd 'A-Za-z0-9-' | head -c 20)-$$}"
CA_URL="http://127.0.0.1:${ZT_CA_PORT:-8080}"
SERVER="localhost:${ZT_REG_PORT:-8443}"

require_java_maven
require_etcd

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  say "building the jars (mvn package -DskipTests; the first build downloads dependencies)"
  mvn -B -q -ntp package -DskipTests
fi

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  say "stopping the local stack"
  "$STACK" down || true
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$STACK" up

device() {
  java -jar device-client/target/device-client.jar --ca-url "$CA_URL" --server "$SERVER" \
    --identity-dir "$IDENTITY_DIR" --device-id "$DEVICE_ID" "$@"
}

rm -rf "$IDENTITY_DIR" "$IDENTITY_DIR".staging
say "device, first run: no identity on disk, so it provisions with the CA"
device --heartbeats 3

say "device, second run: the identity on disk is reused; the CA is not contacted"
device --heartbeats 2

say "CA server /health"
curl -sS "http://127.0.0.1:${ZT_CA_PORT:-8080}/health"; echo
say "registration server /health"
curl -sS "http://127.0.0.1:${ZT_REG_HEALTH_PORT:-8081}/health"; echo

say "what etcd holds for ${DEVICE_ID}"
export ETCDCTL_API=3
ENDPOINTS="${ZT_ETCD_ENDPOINTS:-http://127.0.0.1:2379}"
PREFIX="${ZT_ETCD_PREFIX:-/zerotouch/}"
for key in cns devices lastseen; do
  etcdctl --endpoints="$ENDPOINTS" get "${PREFIX}${key}/${DEVICE_ID}"
done
serial="$(etcdctl --endpoints="$ENDPOINTS" get --print-value-only "${PREFIX}cns/${DEVICE_ID}" |
  sed -n 's/.*"serial" *: *"\([0-9a-f]*\)".*/\1/p')"
[ -n "$serial" ] && etcdctl --endpoints="$ENDPOINTS" get "${PREFIX}certs/${serial}" |
  sed 's/"pem" *: *"[^"]*"/"pem":"(certificate PEM, shortened)"/'

say "identity files"
ls -la "$IDENTITY_DIR"
say "demo finished"
