#!/usr/bin/env bash
# 14 agents: time to ready, start-barrier skew, teardown (goals: 5 s, 5 ms, 3 s).
# Run from the repository root: bench/control-plane.sh [options]   (options: see bench/README.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bench/build.sh
export KBENCH_AGENT_CLASSPATH="${KBENCH_AGENT_CLASSPATH:-$(cat bench/target/agent.classpath)}"
# Benchmarks share 2 cores with tests: hold the shared lock for the whole run.
exec flock "${TMPDIR:-/tmp}/kbench-bench.lock" java ${BENCH_JAVA_OPTS:-} -cp "bench/target/classes:$(cat bench/target/bench.classpath)" io.kbench.bench.ControlPlaneBench "$@"
