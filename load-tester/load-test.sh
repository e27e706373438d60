#!/bin/sh
# Runs the load tester, for example
#   load-tester/load-test.sh 10000 --key-cache ~/.cache/zerotouch-load-keys --report r.json
# with what a plain `java -jar` cannot do for itself:
#
# 1. The open-file limit is raised as far as this shell may (the soft limit up to the hard one):
#    every simulated device holds a socket until the end of the run, and a JVM cannot raise it.
# 2. The test runs in a JVM whose JIT stops at C1 (-XX:TieredStopAtLevel=1). A run is short,
#    and the C1 and C2 compilers spent 45 % of the tester's CPU compiling Netty, TLS and the
#    device code during 2,000-device runs; with C1 only, the client CPU per connect in the steady
#    state fell from 3.8 to 2.5-2.8 ms (docs/BENCHMARKS.md). Generating RSA keys under C1 is
#    ten times slower, though (1 s a key instead of 0.1 s), so the keys are made first, by a
#    separate run with the full JIT (--keys-only), and handed over through --key-cache: the
#    one given, or else a private temporary directory (mktemp, 0700) that is deleted when the
#    test ends.
#
# ZT_LOAD_JIT=full runs the test in one JVM with the JVM's default JIT instead.
# ZT_LOAD_JAVA_OPTS adds JVM options to both runs, for example -Xmx2g.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/load-tester.jar"
if [ ! -f "$jar" ]; then
  echo "load-test.sh: $jar is missing; build it with:" \
    "mvn -q -pl load-tester package -DskipTests" >&2
  exit 3
fi

hard=$(ulimit -Hn)
if [ "$hard" = "unlimited" ]; then
  ulimit -n 1048576 2>/dev/null || true
else
  ulimit -n "$hard" 2>/dev/null || true
fi

has_cache=false
only_once=false
[ -n "${ZT_LOAD_KEY_CACHE:-}" ] && has_cache=true
[ "${ZT_LOAD_JIT:-c1}" = full ] && only_once=true
for arg in "$@"; do
  case "$arg" in
    --key-cache | --key-cache=*) has_cache=true ;;
    -h | --help | --keys-only) only_once=true ;;
  esac
done

if [ "$only_once" = true ]; then
  # shellcheck disable=SC2086 # ZT_LOAD_JAVA_OPTS is a list of options
  exec java ${ZT_LOAD_JAVA_OPTS:-} -jar "$jar" "$@"
fi

# Each java runs in the background while this shell waits for it, so that a TERM, INT or HUP
# sent to the script reaches the tester instead of leaving it running: it is passed on as
# TERM (a background process starts with INT ignored), and the script then exits as that
# signal asks, after the EXIT trap has removed a temporary key directory. The tester keeps
# this shell's standard input (a background process would get /dev/null, and the JVM then
# sees no console and draws no progress bars). A signal the script itself started with
# ignored (nohup, or INT under a non-interactive parent) cannot be trapped and stays ignored.
child=
signalled=
forward() {
  signalled=$1
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; fi
}
trap 'forward 130' INT
trap 'forward 143' TERM
trap 'forward 129' HUP
exec 3<&0

run_java() {
  [ -z "$signalled" ] || exit "$signalled"
  java "$@" <&3 3<&- &
  child=$!
  # a signal that came before child was set found nothing to pass on
  if [ -n "$signalled" ]; then kill -TERM "$child" 2>/dev/null || true; fi
  status=0
  while :; do
    wait "$child" && status=0 || status=$?
    kill -0 "$child" 2>/dev/null || break
  done
  child=
  [ -z "$signalled" ] || exit "$signalled"
  return "$status"
}

if [ "$has_cache" = false ]; then
  keys=$(mktemp -d "${TMPDIR:-/tmp}/zt-load-keys.XXXXXX")
  trap 'rm -rf "$keys"' EXIT
  set -- "$@" --key-cache "$keys"
fi

# shellcheck disable=SC2086 # ZT_LOAD_JAVA_OPTS is a list of options
run_java ${ZT_LOAD_JAVA_OPTS:-} -jar "$jar" --keys-only "$@" || exit $?
# shellcheck disable=SC2086
run_java -XX:TieredStopAtLevel=1 ${ZT_LOAD_JAVA_OPTS:-} -jar "$jar" "$@" || exit $?
