#!/bin/sh
# Runs the load tester with the open-file limit raised as far as this shell may raise it
# (the soft limit up to the hard one): every simulated device holds a socket until the end of
# the run, and a JVM cannot raise the limit itself. Arguments are passed on, for example
#   load-tester/load-test.sh 10000 --key-cache ~/.cache/zerotouch-load-keys --report r.json
# ZT_LOAD_JAVA_OPTS adds JVM options, for example -Xmx2g, or -XX:TieredStopAtLevel=1 to keep
# the JIT to its first tier: cheaper in the register phase (4.0 instead of 5.8 ms of client
# CPU per connect over 1,000 RSA devices), but generating RSA keys and CSRs in Java becomes
# three to four times slower.
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

# shellcheck disable=SC2086 # ZT_LOAD_JAVA_OPTS is a list of options
exec java ${ZT_LOAD_JAVA_OPTS:-} -jar "$jar" "$@"
