#!/usr/bin/env bash
# The local stack: etcd, the CA server and the registration server as background processes,
# with data, logs and PID files under one git-ignored folder (.stack/ by default).
#
#   scripts/stack.sh up       start what is not running, wait for /health (idempotent)
#   scripts/stack.sh down     stop what this script started
#   scripts/stack.sh status   what runs, and both /health answers
#   scripts/stack.sh logs     the last lines of every log (logs SERVICE for one, whole)
#
# Configuration goes through the same ZT_* variables the Compose file passes (README lists
# them all); ZT_STACK_DIR moves the state folder. The jars must be built first
# (mvn -q package -DskipTests); ./demo.sh does that.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$ZT_ROOT"

STACK_DIR="${ZT_STACK_DIR:-$ZT_ROOT/.stack}"
ETCD_CLIENT_PORT="${ZT_STACK_ETCD_PORT:-2379}"
ETCD_PEER_PORT="${ZT_STACK_ETCD_PEER_PORT:-2380}"
export ZT_ETCD_ENDPOINTS="${ZT_ETCD_ENDPOINTS:-http://127.0.0.1:${ETCD_CLIENT_PORT}}"
export ZT_ETCD_PREFIX="${ZT_ETCD_PREFIX:-/zerotouch/}"
# Loopback unless told otherwise: the CA signs for anyone who reaches it.
export ZT_CA_BIND="${ZT_CA_BIND:-127.0.0.1}"
export ZT_REG_BIND="${ZT_REG_BIND:-127.0.0.1}"
export ZT_CA_PORT="${ZT_CA_PORT:-8080}"
export ZT_CA_KEY="${ZT_CA_KEY:-$ZT_ROOT/certs/ca.key}"
export ZT_CA_CERT="${ZT_CA_CERT:-$ZT_ROOT/certs/ca.pem}"
export ZT_REG_PORT="${ZT_REG_PORT:-8443}"
export ZT_REG_HEALTH_PORT="${ZT_REG_HEALTH_PORT:-8081}"
export ZT_REG_CERT="${ZT_REG_CERT:-$ZT_ROOT/certs/server.pem}"
export ZT_REG_KEY="${ZT_REG_KEY:-$ZT_ROOT/certs/server.key}"
export ZT_REG_CA_CERT="${ZT_REG_CA_CERT:-$ZT_ROOT/certs/ca.pem}"
# The local stack beats quickly so a demo finishes in seconds; production keeps 30s.
export ZT_REG_HEARTBEAT_INTERVAL="${ZT_REG_HEARTBEAT_INTERVAL:-3s}"
JAVA_OPTS="${ZT_JAVA_OPTS:--Xmx256m}"

CA_JAR="$ZT_ROOT/ca-server/target/ca-server.jar"
REG_JAR="$ZT_ROOT/registration-server/target/registration-server.jar"

pid_of() {
  local file="$STACK_DIR/$1.pid"
  [ -f "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null && cat "$file"
}

health_url() {
  case "$1" in
    etcd) echo "http://127.0.0.1:${ETCD_CLIENT_PORT}/health" ;;
    ca-server) echo "http://127.0.0.1:${ZT_CA_PORT}/health" ;;
    registration-server) echo "http://127.0.0.1:${ZT_REG_HEALTH_PORT}/health" ;;
  esac
}

# start NAME PORT COMMAND...: runs COMMAND in its own session with output to NAME.log.
start() {
  local name="$1" port="$2"
  shift 2
  if pid_of "$name" >/dev/null; then
    say "$name already running (pid $(pid_of "$name"))"
    return 0
  fi
  if port_busy "$port"; then
    die "port $port (for $name) is already in use by another process.
       Stop it, or move this stack with the port variables in the README.
       (Installing Debian's etcd-server on a systemd host starts a packaged etcd on 2379:
       'sudo systemctl disable --now etcd' stops it.)"
  fi
  say "starting $name"
  setsid nohup "$@" >"$STACK_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$STACK_DIR/$name.pid"
}

await() {
  local name="$1" url
  url="$(health_url "$name")"
  if ! wait_http "$url" "${ZT_STACK_TIMEOUT:-60}"; then
    printf 'error: %s did not become healthy at %s; last log lines:\n' "$name" "$url" >&2
    tail -n 30 "$STACK_DIR/$name.log" >&2 || true
    exit 1
  fi
  say "$name healthy ($url)"
}

make_pki() {
  if [ -f "$ZT_CA_KEY" ] && [ -f "$ZT_REG_KEY" ]; then
    return 0
  fi
  say "making the dev PKI in certs/ (only missing files are written)"
  java -jar "$CA_JAR" init --out "$(dirname "$ZT_CA_KEY")" --log-format text
}

up() {
  [ -f "$CA_JAR" ] && [ -f "$REG_JAR" ] ||
    die "the jars are not built: run 'mvn -q package -DskipTests' first (./demo.sh does)"
  require_etcd
  mkdir -p "$STACK_DIR"
  chmod 700 "$STACK_DIR"
  make_pki

  start etcd "$ETCD_CLIENT_PORT" etcd --name zt-local --data-dir "$STACK_DIR/etcd-data" \
    --listen-client-urls "http://127.0.0.1:${ETCD_CLIENT_PORT}" \
    --advertise-client-urls "http://127.0.0.1:${ETCD_CLIENT_PORT}" \
    --listen-peer-urls "http://127.0.0.1:${ETCD_PEER_PORT}" \
    --initial-advertise-peer-urls "http://127.0.0.1:${ETCD_PEER_PORT}" \
    --initial-cluster "zt-local=http://127.0.0.1:${ETCD_PEER_PORT}"
  await etcd

  # shellcheck disable=SC2086
  start ca-server "$ZT_CA_PORT" java $JAVA_OPTS -jar "$CA_JAR"
  # ZGC, as in its container: heartbeats must not wait behind collector pauses.
  # shellcheck disable=SC2086
  start registration-server "$ZT_REG_PORT" java -XX:+UseZGC $JAVA_OPTS -jar "$REG_JAR"
  await ca-server
  await registration-server
}

stop_one() {
  local name="$1" pid i
  pid="$(pid_of "$name")" || { rm -f "$STACK_DIR/$name.pid"; return 0; }
  say "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$STACK_DIR/$name.pid"
}

down() {
  stop_one registration-server
  stop_one ca-server
  stop_one etcd
}

status() {
  local name pid code
  for name in etcd ca-server registration-server; do
    if pid="$(pid_of "$name")"; then
      code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$(health_url "$name")" || true)"
      printf '%-20s running (pid %s), /health %s\n' "$name" "$pid" "$code"
    else
      printf '%-20s stopped\n' "$name"
    fi
  done
}

logs() {
  local name
  if [ $# -gt 0 ]; then
    cat "$STACK_DIR/$1.log"
    return
  fi
  for name in etcd ca-server registration-server; do
    [ -f "$STACK_DIR/$name.log" ] || continue
    printf -- '--- %s (%s)\n' "$name" "$STACK_DIR/$name.log"
    tail -n 20 "$STACK_DIR/$name.log"
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  logs) shift; logs "$@" ;;
  *) echo "usage: $0 up|down|status|logs [SERVICE]" >&2; exit 2 ;;
esac
