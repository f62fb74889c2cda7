#!/usr/bin/env bash
# One unthrottled kbench producer agent JVM vs Kafka's ProducerPerformance (goals: ratio >= 1.0, RSS <= 160 MB).
# Run from the repository root: bench/producer-cost.sh [options]   (options: see bench/README.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bench/build.sh
# Benchmarks share 2 cores with tests: hold the shared lock for the whole run.
exec flock "${TMPDIR:-/tmp}/kbench-bench.lock" java -Dkbench.agent.classData=true ${BENCH_JAVA_OPTS:-} -cp "bench/target/classes:$(cat bench/target/bench.classpath)" io.kbench.bench.ProducerCost "$@"
