#!/usr/bin/env bash
# Runs every test of the project: unit tests, the real-etcd storage and TLS tests, and the
# end-to-end tests that run the built jars as processes. Installs etcd where it is missing.
# Extra arguments go to Maven, e.g. ./test.sh -pl ca-server -am
set -euo pipefail
source "$(dirname "$0")/scripts/lib/common.sh"
cd "$ZT_ROOT"

require_java_maven
require_etcd

say "building and testing (mvn verify)"
mvn -B -ntp verify "$@"
