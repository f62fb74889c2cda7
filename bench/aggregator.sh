#!/usr/bin/env bash
# Synthetic StatsReports (2,000 agents x 10/s) into one aggregator (goal: >= 20,000 reports/s, summary within 2 s).
# Run from the repository root: bench/aggregator.sh [options]   (options: see bench/README.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bench/build.sh
# Benchmarks share 2 cores with tests: hold the shared lock for the whole run.
exec flock "${TMPDIR:-/tmp}/kbench-bench.lock" java -Dkbench.agent.classData=true ${BENCH_JAVA_OPTS:-} -cp "bench/target/classes:$(cat bench/target/bench.classpath)" io.kbench.bench.AggregatorBench "$@"
