#!/usr/bin/env bash
# ca-sign.sh - signs/s and latency of our CA (POST /sign-csr, every certificate committed to
# etcd) under the shared SignLoad driver, at concurrency 1, 8 and 64.
#
#   mvn -q -pl ca-server install -DskipTests   # builds ca-server/target/ca-server.jar
#   bench/ca-sign.sh                           # EC P-256 CA key (the init default)
#   CA_KEY_TYPE=rsa2048 bench/ca-sign.sh       # RSA-2048 CA key, like cfssl's default
#   POOL=12000 bench/ca-sign.sh                # figures worth keeping (idle machine)
#
# Knobs (environment): CA_KEY_TYPE=ec256|rsa2048, LEVELS="1 8 64", POOL=3000 (distinct
# RSA-2048 CSRs, made once with gen-csrs.sh and reused; ~2 min per 1000 on 2 idle cores),
# JIT_CSRS=500 and JIT_REQUESTS=30000 (JIT warm-up before any level, see below), WARMUP=100
# (unmeasured requests at the start of each level), COUNT (measured requests per level,
# default: what the pool leaves), DURATION=30 (cap in seconds per level),
# JAVA_OPTS="-Xms256m -Xmx512m", SHARED_BENCH (default ../shared/bench next to the
# repository), CA_JAR (default ca-server/target/ca-server.jar).
#
# One CA process serves every level, so the figures are the JVM's steady state: first a JIT
# warm-up (JIT_REQUESTS requests at concurrency 8 over the first JIT_CSRS CSRs, re-sent, so
# mostly re-issues; after 6,000 requests C2 was still compiling and the CA's CPU per request
# at c=64 was twice its value after 30,000), then each level on its
# own slice of CSRs never sent before: every measured request is a first issuance of a
# distinct CN, committed to etcd. A throwaway etcd (temp data dir) and dev PKI live under
# bench/data/run-ca.*, removed on exit; everything listens on 127.0.0.1 on free ports and is
# stopped by PID. Results: bench/results/ca-*.log, a summary bench/results/ca-sign-*.txt and
# the RESULT lines on stdout.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
SHARED_BENCH="${SHARED_BENCH:-$REPO/../shared/bench}"
SHARED_BENCH="$(cd "$SHARED_BENCH" && pwd)"
export BENCH_DATA_DIR="${BENCH_DATA_DIR:-$REPO/bench/data}"
export RESULTS_DIR="${RESULTS_DIR:-$REPO/bench/results}"
# shellcheck source=/dev/null
source "$SHARED_BENCH/lib.sh"

CA_KEY_TYPE=${CA_KEY_TYPE:-ec256}
LEVELS=${LEVELS-"1 8 64"}
POOL=${POOL:-3000}
JIT_CSRS=${JIT_CSRS:-500}
JIT_REQUESTS=${JIT_REQUESTS:-30000}
WARMUP=${WARMUP:-100}
N_LEVELS=$(echo "$LEVELS" | wc -w)
SLICE=$(( (POOL - JIT_CSRS) / (N_LEVELS > 0 ? N_LEVELS : 1) ))
COUNT=${COUNT:-$((SLICE - WARMUP))}
DURATION=${DURATION:-30}
JAVA_OPTS=${JAVA_OPTS:-"-Xms256m -Xmx512m"}
CA_JAR=${CA_JAR:-$REPO/ca-server/target/ca-server.jar}

[ -s "$CA_JAR" ] || die "no $CA_JAR; build it: mvn -q -pl ca-server install -DskipTests"
command -v etcd >/dev/null || die "etcd not found (Debian: apt-get install etcd-server)"
for tool in curl jq openssl; do command -v "$tool" >/dev/null || die "$tool not found"; done
[ "$COUNT" -ge 10 ] || die "POOL=$POOL leaves $SLICE CSRs per level; raise POOL"
[ $((JIT_CSRS + N_LEVELS * (WARMUP + COUNT))) -le "$POOL" ] \
  || die "JIT_CSRS + levels x (WARMUP + COUNT) exceeds POOL=$POOL"

CSRS="$DATA_DIR/csrs"
if [ "$(find "$CSRS/rsa" -name '*.csr.pem' 2>/dev/null | wc -l)" -lt "$POOL" ]; then
  log "making a pool of $POOL RSA-2048 CSRs in $CSRS/rsa (once; reused later)"
  "$SHARED_BENCH/gen-csrs.sh" -n "$POOL" -e 0 -o "$CSRS" >&2
fi

RUN=$(mktemp -d "$DATA_DIR/run-ca.XXXXXX")
ETCD_PID=""; CA_PID=""
cleanup() { stop_pid "$CA_PID"; stop_pid "$ETCD_PID"; rm -rf "$RUN"; }
trap cleanup EXIT INT TERM

# slice NAME FIRST N: a directory of links to CSRs FIRST..FIRST+N-1 of the sorted pool
# (SignLoad sends every *.csr.pem of its directory).
find "$CSRS/rsa" -name '*.csr.pem' | sort | awk -v n="$POOL" 'NR <= n' >"$RUN/pool.txt"
slice() {
  mkdir -p "$RUN/$1"
  sed -n "$(($2 + 1)),$(($2 + $3))p" "$RUN/pool.txt" | while read -r f; do
    ln -s "$f" "$RUN/$1/"
  done
}

# --- throwaway etcd, PKI and CA ----------------------------------------------------------
ETCD_PORT=$(free_port); PEER_PORT=$(free_port)
env -u ETCD_NAME -u ETCD_DATA_DIR etcd --name bench --data-dir "$RUN/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$PEER_PORT" \
  --initial-advertise-peer-urls "http://127.0.0.1:$PEER_PORT" \
  --initial-cluster "bench=http://127.0.0.1:$PEER_PORT" >"$RUN/etcd.log" 2>&1 &
ETCD_PID=$!
wait_port "$ETCD_PORT" "$ETCD_PID"
java -jar "$CA_JAR" init --out "$RUN/pki" --ca-key-type "$CA_KEY_TYPE" \
  --server-key-type ec256 >/dev/null

CA_PORT=$(free_port)
URL="http://127.0.0.1:$CA_PORT/sign-csr"
# shellcheck disable=SC2086
ZT_ETCD_ENDPOINTS="http://127.0.0.1:$ETCD_PORT" ZT_ETCD_PREFIX=/bench/ \
  java $JAVA_OPTS -jar "$CA_JAR" serve --bind 127.0.0.1 --port "$CA_PORT" \
  --ca-key "$RUN/pki/ca.key" --ca-cert "$RUN/pki/ca.pem" >"$RUN/ca.log" 2>&1 &
CA_PID=$!
wait_port "$CA_PORT" "$CA_PID" 60
for i in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$CA_PORT/health" >/dev/null && break
  [ "$i" -lt 100 ] || die "the CA never became healthy; see $RUN/ca.log"
  sleep 0.2
done
log "etcd pid=$ETCD_PID port=$ETCD_PORT; CA pid=$CA_PID url=$URL key=$CA_KEY_TYPE"

# --- sanity: one certificate, verified by openssl against the CA -------------------------
slice jit 0 "$JIT_CSRS"
ONE=$(find "$RUN/jit/" -name '*.csr.pem' | sort | sed -n 1p)
jq -Rs '{csr_pem: .}' <"$ONE" >"$RUN/one.json"
curl -sS --max-time 10 -H 'Content-Type: application/json' --data @"$RUN/one.json" "$URL" \
  >"$RUN/one.out"
jq -r '.certificate_pem' <"$RUN/one.out" >"$RUN/one.pem"
openssl verify -CAfile "$RUN/pki/ca.pem" "$RUN/one.pem" >&2 \
  || { cat "$RUN/one.out" >&2; die "sanity sign failed"; }

# --- JIT warm-up (not measured) ------------------------------------------------------------
log "JIT warm-up: $JIT_REQUESTS requests over $JIT_CSRS CSRs"
java "$SHARED_BENCH/SignLoad.java" --url "$URL" --csr-dir "$RUN/jit" --api ours \
  --expect certificate_pem --concurrency 8 --count "$JIT_REQUESTS" --duration 300 \
  --warmup 0 >"$RUN/jit.log" 2>&1 || { tail -5 "$RUN/jit.log" >&2; die "JIT warm-up failed"; }
grep '^RESULT' "$RUN/jit.log" >&2 || true

# mean_batch: issuances per etcd group commit since the CA started, from its /metrics.
mean_batch() {
  curl -s "http://127.0.0.1:$CA_PORT/metrics" | awk '
    /^ca_commit_batch_size_count / { n = $2 }
    /^ca_commit_batch_size_sum / { s = $2 }
    END { if (n > 0) printf "mean_commit_batch=%.1f", s / n }'
}

# --- load levels -----------------------------------------------------------------------
SUMMARY="$RESULTS_DIR/ca-sign-ca_${CA_KEY_TYPE}.txt"
{ machine_info
  echo "ca-server: $CA_JAR ca_key=$CA_KEY_TYPE pool=$POOL jit_requests=$JIT_REQUESTS"
  echo "java_opts=$JAVA_OPTS warmup=$WARMUP count=$COUNT duration_cap_s=$DURATION"; } \
  >"$SUMMARY"
FIRST=$JIT_CSRS
for C in $LEVELS; do
  slice "c$C" "$FIRST" $((WARMUP + COUNT))
  FIRST=$((FIRST + WARMUP + COUNT))
  OUTLOG="$RESULTS_DIR/ca-ca_${CA_KEY_TYPE}-c${C}.log"
  CMD=(java "$SHARED_BENCH/SignLoad.java" --url "$URL" --csr-dir "$RUN/c$C" --api ours
       --expect certificate_pem --concurrency "$C" --count "$COUNT" --duration "$DURATION"
       --warmup "$WARMUP" --server-pid "$CA_PID" --clk-tck "$CLK_TCK")
  PRE=$(idle_check 2)
  log "running: ${CMD[*]}"
  span_begin "$CA_PID"
  "${CMD[@]}" | tee "$OUTLOG"
  SPAN=$(span_end)
  echo "c=$C $(last_result "$OUTLOG") server_rss_kb=$(rss_kb "$CA_PID") $(mean_batch)" \
    "$PRE $SPAN" | tee -a "$SUMMARY"
done
echo "ca-server VmHWM_kb=$(hwm_kb "$CA_PID")" >>"$SUMMARY"
log "summary in $SUMMARY"
grep '^c=' "$SUMMARY"
