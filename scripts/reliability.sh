#!/usr/bin/env bash
# Reproduces RELIABILITY.md: the fault, ordering, fuzz, redrive and load tests of the suite, on the embedded
# PostgreSQL and on the CrateDB named by RELAY_TEST_CRATEDB_URL (a test server: the tests work in schemas of their
# own and drop them), then the long load run into each database, every row checked at the end.
#
#   scripts/reliability.sh              # a million changes into each database
#   scripts/reliability.sh 200000       # fewer
#
# Without RELAY_TEST_CRATEDB_URL the CrateDB parts say they were skipped. Exits non-zero on the first failure.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
CHANGES=${1:-1000000}

./mvnw -q -B -ntp test -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest='PostgresRelayTest,CrateDbRelayTest,PostgresOrderingTest,CrateDbOrderingTest,PostgresFuzzTest,CrateDbFuzzTest,LoadRunTest,RedriveTest,SecretPasswordTest'
echo "tests passed; reports in target/surefire-reports"

load() {
  # The relay's heap is capped as in a small Lambda function; the run prints its throughput and memory as it goes.
  LOAD_CHANGES=$CHANGES BENCHMARK_JDBC_URL=$1 MAVEN_OPTS=-Xmx320m ./mvnw -q -B -ntp exec:java \
    -Dexec.classpathScope=test -Dexec.mainClass=dev.ddbrelay.scenario.LoadRun
}

echo "== load run: $CHANGES changes into an embedded PostgreSQL"
load ""
if [ -n "${RELAY_TEST_CRATEDB_URL:-}" ]; then
  echo "== load run: $CHANGES changes into CrateDB"
  load "$RELAY_TEST_CRATEDB_URL"
else
  echo "CrateDB load run skipped: set RELAY_TEST_CRATEDB_URL to a CrateDB test server"
fi
