#!/usr/bin/env bash
# 1, 5 and 10 paced producers at 10,000 msg/s each through kbench's local fleet (goal: within 1 %).
# Run from the repository root: bench/rate-accuracy.sh [options]   (options: see bench/README.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bench/build.sh
# Benchmarks share 2 cores with tests: hold the shared lock for the whole run.
exec flock "${TMPDIR:-/tmp}/kbench-bench.lock" java -Dkbench.agent.classData=true ${BENCH_JAVA_OPTS:-} -cp "bench/target/classes:$(cat bench/target/bench.classpath)" io.kbench.bench.RateAccuracy "$@"
