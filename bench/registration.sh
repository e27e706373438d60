#!/usr/bin/env bash
# registration.sh - connection benchmark of the registration server.
#
#   bench/registration.sh                 # N=1000
#   N=10000 HEARTBEAT_DURATION=60 bench/registration.sh
#
# 1. A throwaway etcd on free loopback ports with its data under bench/data/.
# 2. ConnectionBench (registration-server test sources): a throwaway test PKI (RSA-2048 like the
#    mosquitto peer, RSA=false for EC P-256) with N+WARMUP device certificates recorded in the
#    registry, the server jar started as its own JVM with ZGC (as it ships), a fixed,
#    pre-touched heap (-Xms=-Xmx=HEAP) and Native Memory Tracking, WARMUP devices that
#    connect, register, send one heartbeat and leave (JIT warm-up, 15,000 by default: after
#    3,000 the server was still compiling; at most CONCURRENCY at once),
#    then N mutual-TLS connections that register and heartbeat from the moment they are
#    registered.
# 3. Prints handshakes+registrations/s, server CPU ms per connection (/proc/<pid>/stat) and its
#    split by thread group (event loops, etcd client, JIT compilers, GC: a JVM keeps compiling
#    for its first 10,000-20,000 connections, since code run once per connection reaches the
#    C2 thresholds only then), heartbeat RTT percentiles, server RSS per held device (held
#    minus idle) and NMT's diff; the output is also written to
#    bench/results/registration-N<n>-<time>.txt.
# SERVER_JAVA_OPTS adds options to the server's JVM (a profile, say:
# SERVER_JAVA_OPTS=-XX:+UseParallelGC); SERVER_PROFILE=/tmp/held.jfr records a JFR profile of
# the server while the N devices connect and register (the measured phase) into that file.
# SERVER_JAR runs another build of the server (an A/B of two commits: copy each build's
# registration-server/target/registration-server.jar aside first) and SKIP_BUILD=1 skips the
# build (the classpath of the driver is still resolved from the local repository).
# etcd and the server are stopped by PID on exit.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
N=${N:-1000}; WARMUP=${WARMUP:-15000}; HEAP=${HEAP:-256m}; RSA=${RSA:-true}
HEARTBEAT_INTERVAL=${HEARTBEAT_INTERVAL:-5}; HEARTBEAT_DURATION=${HEARTBEAT_DURATION:-30}
CONCURRENCY=${CONCURRENCY:-200}; EVENT_LOOPS=${EVENT_LOOPS:-2}
SERVER_JAR=${SERVER_JAR:-$ROOT/registration-server/target/registration-server.jar}
DATA_DIR="$HERE/data"; RESULTS_DIR="$HERE/results"
mkdir -p "$DATA_DIR" "$RESULTS_DIR"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

ulimit -n "$(ulimit -Hn)"
# The limit is per process: the driver and the server each hold N sockets (warm-up devices
# leave as soon as they are registered, so at most CONCURRENCY of them are open at once).
[ "$(ulimit -n)" -ge $((N + CONCURRENCY + 1000)) ] \
  || die "ulimit -n $(ulimit -n) too low for N=$N (needs N + CONCURRENCY + 1000 per process)"
command -v etcd >/dev/null || die "etcd not found (Debian: apt-get install etcd-server)"

# install, not package: the classpath below is resolved from the local repository, which a
# fresh machine does not have the project's own modules in yet.
log "building registration-server and the modules it needs"
[ -n "${SKIP_BUILD:-}" ] || (cd "$ROOT" && mvn -q -pl registration-server -am install -DskipTests)
[ -f "$SERVER_JAR" ] || die "server jar $SERVER_JAR not found (build it, or unset SERVER_JAR)"
CP_FILE="$DATA_DIR/registration-bench.classpath"
(cd "$ROOT" && mvn -q -pl registration-server dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE")
MODULE="$ROOT/registration-server/target"
CP="$MODULE/test-classes:$MODULE/classes:$(cat "$CP_FILE")"

RUN=$(mktemp -d "$DATA_DIR/run-registration.XXXXXX")
ETCD_PID=""
cleanup() {
  if [ -n "$ETCD_PID" ] && kill -0 "$ETCD_PID" 2>/dev/null; then
    kill "$ETCD_PID"; wait "$ETCD_PID" 2>/dev/null || true
  fi
  rm -rf "$RUN"
}
trap cleanup EXIT INT TERM

CLIENT_PORT=$(free_port); PEER_PORT=$(free_port)
log "etcd on 127.0.0.1:$CLIENT_PORT"
CLIENT_URL="http://127.0.0.1:$CLIENT_PORT"; PEER_URL="http://127.0.0.1:$PEER_PORT"
etcd --name bench --data-dir "$RUN/etcd" \
  --listen-client-urls "$CLIENT_URL" --advertise-client-urls "$CLIENT_URL" \
  --listen-peer-urls "$PEER_URL" --initial-advertise-peer-urls "$PEER_URL" \
  --initial-cluster "bench=$PEER_URL" --log-level error >"$RUN/etcd.log" 2>&1 &
ETCD_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$CLIENT_PORT/health" >/dev/null 2>&1 && break
  kill -0 "$ETCD_PID" 2>/dev/null || die "etcd exited: $(tail -5 "$RUN/etcd.log")"
  sleep 0.1
done

OUT="$RESULTS_DIR/registration-N$N-$(date -u +%Y%m%dT%H%M%SZ).txt"
log "benchmark: N=$N, results to $OUT"
# Both JVMs log their GC pauses next to the results, to tell a server stall from a driver one.
# The driver runs ZGC so that its own pauses (G1 paused it for 50-170 ms at N=10,000 on two
# busy cores) do not land in the round trips it measures.
export SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:-} -Xlog:gc:file=${OUT%.txt}.server-gc.log"
java -Xmx2g -XX:+UseZGC -Xlog:gc:file="${OUT%.txt}.driver-gc.log" \
  -Dlogback.configurationFile="$ROOT/registration-server/target/classes/logback.xml" \
  -Dzt.log.format=text -cp "$CP" dev.zerotouch.registration.bench.ConnectionBench \
  --devices "$N" --warmup "$WARMUP" --etcd "http://127.0.0.1:$CLIENT_PORT" \
  --server-jar "$SERVER_JAR" --work-dir "$RUN/server" \
  --heap "$HEAP" --rsa="$RSA" --heartbeat-interval "$HEARTBEAT_INTERVAL" \
  --heartbeat-duration "$HEARTBEAT_DURATION" --concurrency "$CONCURRENCY" \
  --event-loops "$EVENT_LOOPS" | tee "$OUT"
cp "$RUN/server/server.log" "${OUT%.txt}.server.log" 2>/dev/null || true
