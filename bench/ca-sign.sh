#!/usr/bin/env bash
# ca-sign.sh - signs/s and latency of our CA (POST /sign-csr, every certificate committed to
# etcd) under the shared SignLoad driver, at concurrency 1, 8 and 64.
#
#   mvn -q -pl ca-server install -DskipTests   # builds ca-server/target/ca-server.jar
#   bench/ca-sign.sh                           # EC P-256 CA key (the init default)
#   CA_KEY_TYPE=rsa2048 bench/ca-sign.sh       # RSA-2048 CA key, like cfssl's default
#
# Knobs (environment): CA_KEY_TYPE=ec256|rsa2048, LEVELS="1 8 64", POOL=3000 (distinct
# RSA-2048 CSRs, made once with gen-csrs.sh and reused; ~2 min per 1000 on 2 idle cores),
# COUNT (measured requests per level, default POOL-WARMUP), DURATION=30 (cap in seconds per
# level), WARMUP=1000 (unmeasured; the JVM compiles its hot paths meanwhile),
# JAVA_OPTS="-Xms256m -Xmx512m", SHARED_BENCH (default ../shared/bench next to the repository),
# CA_JAR (default ca-server/target/ca-server.jar).
#
# Each level gets a fresh CA process and a fresh etcd key prefix, so every measured request is
# a first issuance of a distinct CN committed to etcd (when WARMUP+COUNT <= POOL; beyond that
# CSRs are re-sent and become re-issues, which also commit). A throwaway etcd (temp data dir)
# and a throwaway dev PKI live under bench/data/run-ca.*, removed on exit; everything listens
# on 127.0.0.1 on free ports and is stopped by PID. Results: bench/results/ca-*.log and the
# RESULT lines on stdout. For figures worth keeping use a larger pool (POOL=12000: ten
# thousand measured requests per level, as peer-cfssl.sh measures) on an idle machine.
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
WARMUP=${WARMUP:-1000}
COUNT=${COUNT:-$((POOL > WARMUP ? POOL - WARMUP : 100))}
DURATION=${DURATION:-30}
JAVA_OPTS=${JAVA_OPTS:-"-Xms256m -Xmx512m"}
CA_JAR=${CA_JAR:-$REPO/ca-server/target/ca-server.jar}

[ -s "$CA_JAR" ] || die "no $CA_JAR; build it: mvn -q -pl ca-server install -DskipTests"
command -v etcd >/dev/null || die "etcd not found (Debian: apt-get install etcd-server)"
for tool in curl jq openssl; do command -v "$tool" >/dev/null || die "$tool not found"; done

CSRS="$DATA_DIR/csrs"
if [ "$(find "$CSRS/rsa" -name '*.csr.pem' 2>/dev/null | wc -l)" -lt "$POOL" ]; then
  log "making a pool of $POOL RSA-2048 CSRs in $CSRS/rsa (once; reused later)"
  "$SHARED_BENCH/gen-csrs.sh" -n "$POOL" -e 0 -o "$CSRS" >&2
fi
# SignLoad reads every *.csr.pem of the directory: give it exactly POOL of them.
RUN=$(mktemp -d "$DATA_DIR/run-ca.XXXXXX")
mkdir -p "$RUN/csrs"
find "$CSRS/rsa" -name '*.csr.pem' | sort | head -n "$POOL" \
  | while read -r f; do ln -s "$f" "$RUN/csrs/"; done

ETCD_PID=""; CA_PID=""
cleanup() { stop_pid "$CA_PID"; stop_pid "$ETCD_PID"; rm -rf "$RUN"; }
trap cleanup EXIT INT TERM

# --- throwaway etcd and PKI ------------------------------------------------------------
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
log "etcd pid=$ETCD_PID port=$ETCD_PORT; CA key $CA_KEY_TYPE"

start_ca() { # prefix
  CA_PORT=$(free_port)
  # shellcheck disable=SC2086
  ZT_ETCD_ENDPOINTS="http://127.0.0.1:$ETCD_PORT" ZT_ETCD_PREFIX="$1" \
    java $JAVA_OPTS -jar "$CA_JAR" serve --bind 127.0.0.1 --port "$CA_PORT" \
    --ca-key "$RUN/pki/ca.key" --ca-cert "$RUN/pki/ca.pem" >"$RUN/ca$2.log" 2>&1 &
  CA_PID=$!
  wait_port "$CA_PORT" "$CA_PID" 60
  local i
  for i in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$CA_PORT/health" >/dev/null && return 0
    sleep 0.2
  done
  die "CA on $CA_PORT never became healthy; see $RUN/ca$2.log"
}

# --- sanity: one certificate, verified by openssl against the CA -------------------------
start_ca /bench-sanity/ sanity
ONE=$(find "$RUN/csrs/" -name '*.csr.pem' | sort | sed -n 1p)
jq -Rs '{csr_pem: .}' <"$ONE" >"$RUN/one.json"
curl -sS --max-time 10 -H 'Content-Type: application/json' --data @"$RUN/one.json" \
  "http://127.0.0.1:$CA_PORT/sign-csr" >"$RUN/one.out"
jq -r '.certificate_pem' <"$RUN/one.out" >"$RUN/one.pem"
openssl verify -CAfile "$RUN/pki/ca.pem" "$RUN/one.pem" >&2 \
  || { cat "$RUN/one.out" >&2; die "sanity sign failed"; }
stop_pid "$CA_PID"; CA_PID=""

# mean_batch: issuances per etcd group commit so far, from the CA's /metrics.
mean_batch() {
  curl -s "http://127.0.0.1:$CA_PORT/metrics" | awk '
    /^ca_commit_batch_size_count / { n = $2 }
    /^ca_commit_batch_size_sum / { s = $2 }
    END { if (n > 0) printf "mean_commit_batch=%.1f", s / n }'
}

# --- load levels -----------------------------------------------------------------------
SUMMARY="$RESULTS_DIR/ca-sign-ca_${CA_KEY_TYPE}.txt"
{ machine_info; echo "ca-server: $CA_JAR ca_key=$CA_KEY_TYPE pool=$POOL java_opts=$JAVA_OPTS"; } \
  >"$SUMMARY"
for C in $LEVELS; do
  start_ca "/bench-c$C/" "$C"
  OUTLOG="$RESULTS_DIR/ca-ca_${CA_KEY_TYPE}-c${C}.log"
  CMD=(java "$SHARED_BENCH/SignLoad.java" --url "http://127.0.0.1:$CA_PORT/sign-csr"
       --csr-dir "$RUN/csrs" --api ours --expect certificate_pem --concurrency "$C"
       --count "$COUNT" --duration "$DURATION" --warmup "$WARMUP" --server-pid "$CA_PID"
       --clk-tck "$CLK_TCK")
  PRE=$(idle_check 2)
  log "running: ${CMD[*]}"
  span_begin "$CA_PID"
  "${CMD[@]}" | tee "$OUTLOG"
  SPAN=$(span_end)
  BATCH=$(mean_batch)
  echo "c=$C $(last_result "$OUTLOG") server_rss_kb=$(rss_kb "$CA_PID") $BATCH $PRE $SPAN" \
    | tee -a "$SUMMARY"
  stop_pid "$CA_PID"; CA_PID=""
done
log "summary in $SUMMARY"
grep '^c=' "$SUMMARY"
