#!/usr/bin/env bash
# RSS of an agent JVM, a worker daemon JVM and an aggregator JVM, idle and under load.
# Run from the repository root: bench/footprint.sh [options]   (options: see bench/README.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bench/build.sh
export KBENCH_AGENT_CLASSPATH="${KBENCH_AGENT_CLASSPATH:-$(cat bench/target/agent.classpath)}"
# Benchmarks share 2 cores with tests: hold the shared lock for the whole run.
exec flock "${TMPDIR:-/tmp}/kbench-bench.lock" java ${BENCH_JAVA_OPTS:-} -cp "bench/target/classes:$(cat bench/target/bench.classpath)" io.kbench.bench.Footprint "$@"
