#!/usr/bin/env bash
# Compose smoke test: brings the Compose stack up from this checkout (building the images),
# waits until every service is healthy, runs the device client from the host through
# first-run provisioning and a second run that reuses its identity, shows each /health, and
# takes the stack down again, also on failure.
#
# COMPOSE is the compose command, "docker compose" by default; COMPOSE_UP, the command that
# builds and starts the stack, defaults to "$COMPOSE up --build -d". On a machine with no
# Docker engine, .ci/run uses the sandbox: COMPOSE_UP="compose-sandbox up" and
# COMPOSE="compose-sandbox exec --".
# The device-client jar must be built (mvn -q package -DskipTests).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$ZT_ROOT"

read -r -a COMPOSE_CMD <<<"${COMPOSE:-docker compose}"
read -r -a COMPOSE_UP_CMD <<<"${COMPOSE_UP:-${COMPOSE_CMD[*]} up --build -d}"
DEVICE_DIR="$(mktemp -d)/device"
DEVICE_ID="compose-smoke-$$"
CLIENT_JAR="$ZT_ROOT/device-client/target/device-client.jar"
[ -f "$CLIENT_JAR" ] || die "build the jars first: mvn -q package -DskipTests"

compose() { "${COMPOSE_CMD[@]}" "$@"; }

finish() {
  local status=$?
  trap - EXIT
  if [ "$status" -ne 0 ]; then
    warn "compose smoke test failed; service states and logs follow"
    compose ps || true
    compose logs --tail 40 || true
  fi
  say "taking the stack down"
  compose down -v --remove-orphans || true
  rm -rf "$(dirname "$DEVICE_DIR")"
  exit "$status"
}
trap finish EXIT

say "building and starting the stack (${COMPOSE_UP_CMD[*]})"
"${COMPOSE_UP_CMD[@]}"

for url in http://127.0.0.1:8080/health http://127.0.0.1:8081/health; do
  wait_http "$url" "${SMOKE_TIMEOUT:-180}" || die "$url did not answer 200"
  say "healthy: $url"
done

device() {
  java -jar "$CLIENT_JAR" --ca-url http://127.0.0.1:8080 --server localhost:8443 \
    --identity-dir "$DEVICE_DIR" --device-id "$DEVICE_ID" --heartbeats 1 2>&1 | tee "$DEVICE_DIR.log"
}

say "device first run (provisions through the published CA port)"
device
grep -q "Registered" "$DEVICE_DIR.log" || die "the first run did not register"

say "device second run (reuses the identity)"
device
grep -q "Identity found on disk" "$DEVICE_DIR.log" || die "the second run did not reuse the identity"

for url in http://127.0.0.1:8080/health http://127.0.0.1:8081/health; do
  printf '%s -> %s\n' "$url" "$(curl -fsS "$url")"
done
say "compose smoke test passed"
