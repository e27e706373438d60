# Shared helpers for the project's shell scripts. Sourced, not run.

ZT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

say() { printf '==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Java 17+ and Maven must be on the PATH; nothing else is assumed.
require_java_maven() {
  command -v java >/dev/null || die "java is missing: install a JDK 17 (apt-get install -y openjdk-17-jdk-headless)"
  command -v mvn >/dev/null || die "mvn is missing: install Maven (apt-get install -y maven)"
  local version
  version="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
  [ "${version%%.*}" -ge 17 ] 2>/dev/null || die "java ${version} found; JDK 17 or newer is needed"
}

# Makes sure each COMMAND:PACKAGE pair's command is on the PATH, installing the Debian
# packages that are missing with apt-get when run as root, else saying exactly what to install.
require_commands() {
  local pair missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    say "installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || die "${pair%%:*} is missing: run 'sudo apt-get install -y ${missing[*]}' (Debian/Ubuntu package names)"
  done
}

# etcd for the tests and the local stack, etcdctl to show what the registry holds, curl for
# health checks.
require_etcd() {
  require_commands etcd:etcd-server etcdctl:etcd-client curl:curl
}

# Waits until URL answers 2xx, at most SECONDS seconds. Returns non-zero on time-out.
wait_http() {
  local url="$1" seconds="${2:-30}" i
  for ((i = 0; i < seconds * 4; i++)); do
    curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
    sleep 0.25
  done
  return 1
}

# True when something listens on 127.0.0.1:PORT.
port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
