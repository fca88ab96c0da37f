#!/usr/bin/env bash
# Reproduces BENCHMARKS.md in one run: apply throughput against the bulk limit and record-at-a-time writing, scaling
# with concurrent invocations, conversion (JMH, against the AWS SDK path and a raw Jackson copy), memory for the
# largest batches, and the cold start of the Lambda image layout. Each part prints its table with the machine it ran
# on; ratios are taken within a run, against baselines on the same data.
#
#   scripts/benchmarks.sh                  # on an embedded PostgreSQL
#   BENCHMARK_CRATEDB_URL='jdbc:postgresql://localhost:5432/doc?user=crate' scripts/benchmarks.sh
#
# BENCHMARK_CRATEDB_URL names a CrateDB test server (the benchmarks drop and fill tables in the schema relay_bench);
# without it the CrateDB parts say they were skipped. The apply and scaling settings (BENCHMARK_SIZES,
# BENCHMARK_ROUNDS, ...) are those of BENCHMARKS.md. It takes 15 to 30 minutes, most of it JMH.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -q -B -ntp test-compile

# Runs a benchmark's main class in a JVM of its own, with these JVM options before the class path.
bench() {
  local class=$1
  shift
  ./mvnw -q -B -ntp exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
    -Dexec.args="$* -cp %classpath dev.ddbrelay.bench.$class"
}

echo "== apply: embedded PostgreSQL"
BENCHMARK_JDBC_URL='' bench ApplyBenchmark
if [ -n "${BENCHMARK_CRATEDB_URL:-}" ]; then
  echo "== apply: CrateDB"
  BENCHMARK_JDBC_URL=$BENCHMARK_CRATEDB_URL bench ApplyBenchmark
  echo "== scaling with concurrent invocations: CrateDB"
  BENCHMARK_JDBC_URL=$BENCHMARK_CRATEDB_URL bench ScalingBenchmark
else
  echo "CrateDB apply and scaling skipped: set BENCHMARK_CRATEDB_URL to a CrateDB test server"
fi

echo "== conversion, one thread, no database (JMH)"
bench ConversionBenchmark -Djmh.ignoreLock=true

echo "== memory: the largest batches, heap capped at 300 MB, the image's JIT setting"
BENCHMARK_JDBC_URL='' bench MemoryBenchmark -Xmx300m -XX:+UseSerialGC -XX:TieredStopAtLevel=1

echo "== cold start of the Lambda image layout: whole process, with and without each start-up lever"
# The image runs Java 25: the cold start is measured with a JDK 25 when one is installed in the usual place.
RELAY_IMAGE_JAVA_HOME=$(scripts/image-java-home.sh)
export RELAY_IMAGE_JAVA_HOME
./mvnw -q -B -ntp package -DskipTests
BENCHMARK_JDBC_URL='' ./mvnw -q -B -ntp exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.ddbrelay.image.ColdStartBenchmark
